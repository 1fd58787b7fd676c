"""A change asked of what the words pick by its state, not by name: "which bgp peers are down?
clear them", "restart whatever is down", "reset bgp if it is not up", "bring up every interface
that is down".

netops never changes a device, or a neighbour on it, that the person's own words did not name
(a change is approved only for targets the words asked for). Such a request is answered with the
read the same question would make as a state question ("which bgp peers are down?", "what's
down?"), a plain line that netops does not change devices it picked itself, and, for each target
found, the request the person can type to start the vetted playbook for it, or that no vetted
playbook does that.

- :func:`picked` finds such a request and the state question it stands for (the router routes
  that question, so the read is the fleet question's own);
- :func:`requests` turns what the read found into one line per target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A change verb where a request starts (the clause's start, after "please", "can you", "then" ...),
# by the vetted action it asks for: reset, restart and bounce are the action "clear", as in
# :data:`netops.agent.intent.ACTION_SYNONYMS`; "bring up", "fix" and "restore" ask for it to be up.
_LEAD = r"(?:(?:ok(?:ay)?|so|now|then|and|also|just|please|pls|kindly|go\s+ahead\s+and|can\s+you|could\s+you|would\s+you|" \
        r"will\s+you|i\s+(?:want|need)\s+you\s+to|let'?s)[,\s]+)*"
_VERBS: tuple[tuple[str, str | None], ...] = (
    (r"(?:soft[\s-]+)?(?:clear|reset|restart|bounce|kick|refresh|re-?establish|flap)", "clear"),
    (r"bring(?:\s+\w+){0,6}?\s+(?:back\s+)?up|bring(?:\s+\w+){0,6}?\s+back|turn\s+(?:back\s+)?(?:up|on)|"
     r"turn(?:\s+\w+){0,4}?\s+back\s+on|enable|re-?enable|unshut|no\s+shut(?:down)?|fix|repair|restore|recover", "enable"),
    (r"shut(?:\s*down)?|disable|take(?:\s+\w+){0,6}?\s+down", "shutdown"),
    (r"add|create|install", "add"),
    (r"remove|delete|withdraw", "remove"),
    (r"reload|reboot|drain|undrain|change|configure|deploy|apply|set(?!\s+up\b)", None),
)
_REQUEST = [(re.compile(rf"^\W*{_LEAD}(?P<verb>{v})\b", re.IGNORECASE), action) for v, action in _VERBS]
_CLAUSES = re.compile(r"[.;!?](?:\s+|$)|\n|,\s*(?:then|and)\s+|\s+then\s+|,\s+(?=(?:please\s+)?[a-z]+\s+(?:them|it)\b)",
                      re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:don'?t|do\s+not|never|no\s+need\s+to|not)\b", re.IGNORECASE)
_NOTHING = re.compile(r"^\s*(?:nothing|none|no\s+one|neither)\b", re.IGNORECASE)  # "restart nothing, just list ..."
# the words of a phrasal verb that are its own ("bring ... back up"), not the object between them
_PARTICLES = {"bring", "turn", "take", "back", "up", "on", "down"}
# what selects the targets: a state that is not up, errors, or a route that is missing
_WRONG = re.compile(r"\b(?:wrong|amiss|problems?|issues?)\b", re.IGNORECASE)
_ERRORS = {"error", "errors", "errored", "erroring", "crc"}
_MISSING = re.compile(r"\b(?:missing|lacks?|lacking|without|no)\b", re.IGNORECASE)
_BGP = {"bgp", "ebgp", "ibgp", "peer", "peers", "peering", "peerings", "session", "sessions"}
_OSPF = {"ospf", "adjacency", "adjacencies"}
_NEIGHBOURS = {"neighbor", "neighbors", "neighbour", "neighbours", "nbr", "nbrs"}
_INTERFACES = {"interface", "interfaces", "link", "links", "port", "ports", "int", "ints", "intf", "intfs"}


@dataclass
class Picked:
    """A change asked of targets picked by their state: what it asks and the state question."""

    action: str | None
    """The vetted action asked for (``clear``, ``enable``, ``shutdown``, ``add``, ``remove``), or
    None for one no vetted playbook has (reload, drain everything that is down, ...)."""
    verb: str
    """The words that asked for it ("restart", "bring up")."""
    question: str
    """The state question the request stands for ("which bgp sessions are down?")."""
    errors: bool = False
    """The state picks interfaces with errors, not those that are down."""


def _request(question: str) -> tuple[str | None, str, tuple[int, int]] | None:
    """The first clause of ``question`` that starts with a change verb (not negated): its action,
    its verb and the verb's span in ``question``."""
    from netops.agent.intent import negated_actions

    start = 0
    for end in [m.start() for m in _CLAUSES.finditer(question)] + [len(question)]:
        clause = question[start:end]
        for pattern, action in _REQUEST:
            if (m := pattern.match(clause)) is not None:
                head = m.group("verb").split()[0].lower()
                # "don't restart ...", "restart? no, just show ...", "restart nothing"
                if _NEGATED.search(clause[:m.start("verb")]) or negated_actions(question, {head}) \
                        or _NOTHING.match(clause[m.end("verb"):]):
                    return None
                return action, m.group("verb"), (start + m.start("verb"), start + m.end("verb"))
        start = end
    return None


def picked(question: str, hosts: list[str]) -> Picked | None:
    """A change request whose targets are picked by a state rather than named ("restart whatever
    is down", "clear the bgp peers that are down", "add a default route to the routers missing
    it"), with the state question it stands for; None for anything else: no change verb where a
    request starts, a question about a change ("should I ...", "why would ..."), no state that
    picks targets, or addresses that name them."""
    from netops.agent.router import _DEFAULT_ROUTE, _DOWN_STATE, _WORD, entities, excepted

    found = _request(question)
    if found is None or not hosts:
        return None
    action, verb, (a, b) = found
    # "shut down" and "take down" are the verb, not a state; "bring the down links back up" keeps
    # the words between the verb's own
    tokens = verb.split()
    cut = len(tokens)
    while tokens[0].lower() in _PARTICLES and cut > 1 and tokens[cut - 1].lower() in _PARTICLES:
        cut -= 1
    inner, said = (" ".join(tokens[1:cut]), " ".join([tokens[0], *tokens[cut:]])) \
        if tokens[0].lower() in _PARTICLES else ("", verb)
    rest = f"{question[:a]} {inner} {question[b:]}"
    ents = entities(question, hosts)
    if ents["addresses"] or ents["interfaces"]:
        # "clear 198.51.100.2 on r1 if it is down", "set eth-r1 on r3 down": the words name the target
        return None
    from netops.agent.change_intent import named_setting

    if named_setting(rest):
        # "r2 has the wrong remote as for r3, fix it to 65003": the words name what to change, the setting
        # (trial36: read as "fix what's down on r2 and r3" and answered with bgp-neighbor-enable's refusal)
        return None
    words = set(_WORD.findall(rest.lower().replace("'s", "")))
    errors = False
    if _DEFAULT_ROUTE.search(rest) and _MISSING.search(rest):
        state = "which routers are missing the default route?"
    elif words & _ERRORS and words & _INTERFACES:
        state, errors = "which interfaces have errors?", True
    elif _DOWN_STATE.search(rest) or _WRONG.search(rest):
        kinds = [k for k, s in (("bgp", _BGP), ("ospf", _OSPF), ("neighbours", _NEIGHBOURS), ("interfaces", _INTERFACES))
                 if words & s]
        if set(kinds) <= {"bgp", "ospf", "neighbours"} and {"bgp", "ospf"} <= set(kinds) or kinds == ["neighbours"]:
            kinds = ["neighbours"]
        elif "neighbours" in kinds and len(kinds) == 2 and kinds[0] in ("bgp", "ospf"):
            kinds = kinds[:1]  # "the bgp neighbours that are down", "ospf neighbours not full"
        state = {("bgp",): "which bgp sessions are down?", ("ospf",): "which ospf neighbours are not full?",
                 ("neighbours",): "which neighbors are down?", ("interfaces",): "which interfaces are down?"}.get(
            tuple(kinds), "what's down?")
    else:
        return None
    named = [h for h in ents["hosts"] if h not in set(excepted(question, hosts))]
    if named:
        state = f"{state.rstrip('?')} on {' and '.join(named)}?"
    elif left := excepted(question, hosts):
        state = f"{state.rstrip('?')} except on {' and '.join(left)}?"
    else:
        from netops.agent.router import unknown_device

        if unknown := unknown_device(question, hosts):  # "restart whatever is down on r7": said as it is
            state = f"{state.rstrip('?')} on {unknown}?"
    return Picked(action, said.lower(), state, errors)


# -- what to say per target ---------------------------------------------------------------------------

# (target kind, action) -> the vetted playbook that does it and whether it applies to the target.
# Its manifest says what it needs: bgp-soft-clear asserts an Established session (a refresh, no
# reset), bgp-neighbor-enable a neighbour shut by configuration, bgp-neighbor-shutdown one not
# shut yet; static-route-add a prefix and a next hop the person gives.
def _bgp_playbook(action: str | None, row: Any) -> tuple[str | None, str]:
    if action == "shutdown":
        return ("bgp-neighbor-shutdown", "") if not row.admin_down else (None, "it is shut by configuration already")
    if row.admin_down and action in ("clear", "enable"):
        return "bgp-neighbor-enable", "it is shut by configuration: the vetted bgp-neighbor-enable brings it back"
    if action == "clear":
        return None, ("the vetted bgp-soft-clear only refreshes an Established session, and no vetted playbook "
                      "resets one that is down")
    if action == "enable":
        return None, "the vetted bgp-neighbor-enable only brings back a neighbour shut by configuration; this one is not"
    return None, "no vetted playbook does that to a BGP session"


@dataclass
class Target:
    """One thing the read found in the state asked about, and how to ask for its change."""

    label: str
    """``r1 198.51.100.2 (Active)``."""
    request: str | None = None
    """The words that start the vetted playbook for it, when one does that."""
    playbook: str | None = None
    why: str = ""


def targets(picked_: Picked, reads: dict[str, Any], playbooks: list[Any]) -> list[Target]:
    """Each target the ``reads`` (getter -> the aggregate read) found in the state asked about,
    with the request for the vetted playbook of ``playbooks`` (:class:`PlaybookInfo`) that does
    ``picked_``'s change to it."""
    vetted = {pb.name: pb for pb in playbooks}
    action = picked_.action
    out: list[Target] = []

    def with_playbook(label: str, name: str | None, why: str, values: dict[str, Any]) -> Target:
        if name is None:
            return Target(label, why=why)
        pb = vetted.get(name)
        if pb is None:
            return Target(label, why=f"no vetted playbook does that ({name} is not in the vetted catalogue)")
        fill = {n: values.get(n, f"<{n.upper()}>") for n in pb.parameters}
        if any(not _plain_value(v) for n, v in fill.items() if n in values):
            # device text (a peer's name) is data, never words of a request netops offers
            return Target(label, why=f"its value as the device reports it is not one {name} takes; "
                                     "name the neighbour's address yourself")
        return Target(label, pb.phrasing({"host": values["host"], **fill}), name, why)

    for getter, agg in reads.items():
        for host, hr in agg.items():
            if not hr.ok or hr.data is None:
                continue
            if getter == "bgp_neighbors":
                for n in hr.data.neighbors:
                    if not n.established:
                        name, why = _bgp_playbook(action, n)
                        out.append(with_playbook(f"{host} {n.peer} ({n.state})", name, why,
                                                 {"host": host, "neighbor": n.peer}))
            elif getter == "ospf_neighbors":
                for n in hr.data.neighbors:
                    if not str(n.state).lower().startswith("full"):
                        out.append(Target(f"{host} {n.neighbor_id} via {n.interface or '?'} ({n.state})",
                                          why="no vetted playbook does that to an OSPF neighbour"))
            elif getter == "interfaces":
                for i in hr.data.interfaces:
                    c = i.counters
                    errors = (c.rx_errors or 0) + (c.tx_errors or 0) if c is not None else 0
                    if (picked_.errors and errors) or (not picked_.errors and not i.oper_up):
                        out.append(Target(f"{host} {i.name}" + (f" ({errors} errors)" if picked_.errors else
                                                                (" (admin down)" if not i.admin_up else "")),
                                          why="no vetted playbook changes an interface's state "
                                              "(interface-description only sets its description)"))
            elif getter in ("route", "routes") and not hr.data.found:
                label = f"{host} (no {hr.data.query})"
                if action == "add":
                    out.append(with_playbook(label, "static-route-add", "put the next hop you want in place of "
                                             "<NEXTHOP>", {"host": host, "prefix": hr.data.query}))
                else:
                    out.append(Target(label, why="no vetted playbook does that"))
    return out


def _plain_value(value: Any) -> bool:
    """A value read from a device that may stand in a request netops offers: an address or prefix."""
    import ipaddress

    try:
        ipaddress.ip_interface(str(value))
    except ValueError:
        return False
    return True


REFUSAL = ("netops does not change devices it picked itself: a change is approved only for the devices, and "
           "neighbours on them, that your own words name")


def requests(picked_: Picked, reads: dict[str, Any], playbooks: list[Any]) -> str:
    """The paragraph under the read: netops changes nothing it picked; per target found, the
    request for its vetted playbook or that none does it; with nothing found, that nothing needs it."""
    found = targets(picked_, reads, playbooks)
    failed = sorted({h for agg in reads.values() for h, hr in agg.items() if not hr.ok})
    lines = [f"**Not changed:** you asked to {picked_.verb} what the read finds; {REFUSAL}."]
    read = [h for agg in reads.values() for h, hr in agg.items() if hr.ok]
    if not found and not read:
        lines.append("Nothing could be read" + (f" ({', '.join(failed)})" if failed else "")
                     + ", so nothing is concluded about what needs it.")
        return "\n\n".join(lines)
    if not found:
        lines.append("Nothing found is in the state you asked about, so nothing needs it"
                     + (f" ({', '.join(failed)} could not be read)." if failed else "."))
        return "\n\n".join(lines)
    rows = []
    for t in found:
        if t.request:
            rows.append(f'- {t.label}: "{t.request}" starts the vetted playbook {t.playbook}'
                        + (f" ({t.why})" if t.why else "") + "; you will see its plan and be asked to approve it")
        else:
            rows.append(f"- {t.label}: {t.why}")
    lines.append("For each one found, ask for it by name:\n\n" + "\n".join(rows))
    return "\n\n".join(lines)
