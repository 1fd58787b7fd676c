"""A request to undo a change netops made ("revert what alice changed on r2", "undo the last change
on r1", "roll back r3").

netops has no "undo" of a finished change: a playbook's automatic rollback runs only inside its own
run (a postcheck fails, the run restores the snapshot), and the audit log keeps the snapshot's digest,
not the configuration it replaced. What it can do is a vetted change like any other, asked for in the
person's words and approved: the playbook that does the opposite of the one that made the change
(bgp-neighbor-enable for bgp-neighbor-shutdown, router-undrain for router-drain, static-route-remove
for static-route-add: the same objects and parameters, the opposite action), with the values of the
change's own plan record. So the answer is one clear reply, never a silent no-op and never a change
run on these words alone:

- the change in question, from the audit log (the newest on the device named, or the newest by the
  person named: "what alice changed");
- that netops does not undo it by itself, and nothing was changed;
- the opposite playbook's request to say (you then see the plan and are asked to approve it) and its
  dry run (read-only ``playbook_plan``: nothing is changed, no approval asked), or, for a change that
  sets a value (a description, a cost), that the old value is not recorded and how to ask for the one
  wanted.

The words must ask to undo a change, not a configuration statement ("undo peer 198.51.100.2 ignore on
r1" is the change matcher's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netops.agent.window import spans as window_spans, without_window

if TYPE_CHECKING:
    from netops.agent.tools import ToolBox, ToolContext
    from netops.assistant import Answer

_REVERT = re.compile(r"^\W*(?:(?:please|pls|kindly|now|then|ok(?:ay)?|so|and|if\s+so)\W+|(?:can|could|would|will)\s+you\s+"
                     r"(?:please\s+)?|i\s+(?:want|need|would\s+like)\s+(?:you\s+)?to\s+|let'?s\s+|go\s+and\s+)*"
                     r"(?P<verb>undo|revert|roll\s*-?\s*back|rollback|back\s*out|reverse|unapply|"
                     r"(?:roll|put|change|set|turn)\s+(?:it|that|this|them|those)\s+back)\b", re.IGNORECASE)
# what "undo it" leans on: the change the question before it asked about
_IT = frozenset({"it", "that", "this", "them", "those", "change", "changes", "the", "last", "please", "pls", "now",
                 "back", "again", "one"})
# who made it: "what alice changed", "whatever bob did", "alice's change", "the change by carol"
_ACTOR = re.compile(r"\b(?:what|whatever)\s+(?P<a>[a-z][\w.-]*)\s+(?:has\s+|had\s+|just\s+)?(?:changed|did|made|applied|"
                    r"pushed|ran|touched|configured)\b|\b(?P<b>[a-z][\w.-]*)'s\s+(?:last\s+|latest\s+|recent\s+)?"
                    r"(?:change|changes|commit|edit|work)\b|\b(?:by|from)\s+(?P<c>[a-z][\w.-]*)\b", re.IGNORECASE)
_NOT_AN_ACTOR = frozenset({"i", "we", "you", "someone", "somebody", "anyone", "anybody", "they", "he", "she", "it",
                           "netops", "the", "a", "that", "this", "my", "our", "his", "her", "their", "me", "us"})
# the words that may stand around the change named: anything else asks for something else
_ABOUT_A_CHANGE = frozenset({
    "the", "a", "an", "last", "latest", "recent", "most", "previous", "newest", "change", "changes", "changed", "commit",
    "commits", "edit", "edits", "config", "configuration", "what", "whatever", "did", "done", "made", "applied",
    "pushed", "ran", "touched", "configured", "has", "had", "just", "by", "from", "on", "to", "of", "for", "at", "in",
    "it", "that", "this", "all", "everything", "and", "please", "pls", "now", "s", "one", "netops", "my", "our", "his",
    "her", "their", "work", "back", "router", "device", "host", "today", "yesterday", "earlier", "again", "its",
    "before", "prior", "state", "version", "original", "as", "it", "was", "were", "is", "are", "been", "got", "get",
    "gets", "i", "me", "mine"})
# the person asking made it: "undo my last change", "revert the change I made", "roll back what I changed"
_MINE = re.compile(r"\b(?:my|mine)\b|\bi\s+(?:just\s+|have\s+|had\s+)?(?:made|did|changed|applied|pushed|ran|"
                   r"configured|touched)\b|\bby\s+me\b", re.IGNORECASE)
ME = "\x00me"
"""The actor of an undo the person asking made (:attr:`Revert.actor`): their own name in the audit log."""
# never the name of who made a change: the words around one ("what has changed", "yesterday's change")
_NOT_A_NAME = _NOT_AN_ACTOR | _ABOUT_A_CHANGE
_WORD = re.compile(r"[a-z0-9]+")

# parameter types that say where a change was made, not the value it set
_PLACES = ("interface", "ip", "ipv4", "ipv6", "prefix", "prefix4", "prefix6")
# an action and the one that undoes it (the keys of netops.agent.intent.ACTION_SYNONYMS)
OPPOSITES = {"drain": "undrain", "undrain": "drain", "shutdown": "enable", "enable": "shutdown",
             "add": "remove", "remove": "add"}

NOT_UNDONE = ("netops does not undo a finished change by itself: a playbook's automatic rollback runs only inside "
              "its own run (when a postcheck fails), and its audit log keeps the configuration's digest, not the "
              "configuration the change replaced. Nothing was changed.")


@dataclass
class Revert:
    """What a revert request names: its devices (none: any), who made the change (None: anyone)."""

    hosts: list[str]
    actor: str | None
    when: str = ""
    """The words a time window is read from ("undo what changed on r2 today", or the question "undo it"
    leans on): the change is the newest in it."""
    leans: bool = False
    """"undo it" after a history question: "it" is what that answer listed (perhaps several devices')."""
    action: str | None = None
    """The action the words name the change by ("undo the drain on r3": ``drain``): the change is the
    newest one a playbook of that action made (None: any change)."""
    playbooks: set[str] | None = None
    """The names of the playbooks of :attr:`action` (set by :func:`answer_revert` from the catalogue)."""


def revert_request(question: str, hosts: list[str], previous: str = "") -> Revert | None:
    """The devices and person an undo request names, or None when ``question`` does not ask to undo
    a change ("undo peer 198.51.100.2 ignore on r1" undoes a configuration statement). "undo it",
    "roll it back" lean on ``previous`` (the question before it, or the clause before it in the same
    question: "what changed on r2 today? undo it"), which must ask what changed: its devices and
    person are the undo's."""
    from netops.agent.intent import own_words
    from netops.agent.router import change_history, clauses as split_clauses, entities

    own = own_words(question)  # what the person quotes or pastes is data, not their request
    if own != question and set(entities(question, hosts)["hosts"]) - set(entities(own, hosts)["hosts"]):
        return None  # "undo it\n> what changed on r3?": r3 is named only in what was pasted
    question = own
    clauses = split_clauses(question)
    if len(clauses) > 1 and _REVERT.match(clauses[-1]) and not _REVERT.match(question):
        # "who changed r1? change it back": the undo of what the first clause asked about
        question, previous = clauses[-1], question[:question.rfind(clauses[-1])]

    m = _REVERT.match(question)
    if m is None:
        return None
    rest = question[m.end():]
    named = entities(rest, hosts)["hosts"]
    actor = author(rest, hosts) or (ME if _MINE.search(rest) else None)
    left = set(_WORD.findall(without_window(rest)[0].lower().replace("'s", " "))) - {h.lower() for h in named} \
        - ({actor.lower()} if actor and actor != ME else set())
    # the change named by what it did: "undo the drain on r3", "reverse the drain", "roll back r1's shutdown"
    acts = {w: a for w in left if (a := _action(w)) is not None}
    if len(set(acts.values())) == 1:
        left -= set(acts)
        left.add("change")
    if left - _ABOUT_A_CHANGE:
        return None
    action = next(iter(acts.values())) if len(set(acts.values())) == 1 else None
    if not named and actor is None and left <= _IT and previous.strip() \
            and change_history(previous, named=bool(entities(previous, hosts)["hosts"])):
        # "undo it" after "what changed on r2?" (or "who changed r1? change it back"): that question's change
        return Revert(entities(previous, hosts)["hosts"], author(previous, hosts), previous, leans=True)
    if not named and actor is None and not left & {"change", "changes", "changed", "commit", "commits", "edit", "edits"}:
        return None  # "undo it", "revert": nothing said of what
    return Revert(named, actor, rest, action=action)


def _action(word: str) -> str | None:
    """The action a word names a change by ("drain", "drained", "shutdown"), among those a vetted
    playbook undoes (:data:`OPPOSITES`); None for any other word."""
    from netops.agent.intent import ACTION_SYNONYMS, action_base

    base = action_base(word)
    return next((a for a, words in ACTION_SYNONYMS.items() if base in words and a in OPPOSITES), None)


def author(text: str, hosts: list[str]) -> str | None:
    """Who ``text`` says made the change ("what alice changed", "bob's change", "the change by carol"), or
    None: never a device, nor a word about the change or its time ("what has changed", "what got changed",
    "yesterday's change", "the change from earlier", "the change from this morning")."""
    spans = [(w.start(), w.end()) for pattern in window_spans() for w in pattern.finditer(text)]
    devices = {h.lower() for h in hosts}
    for a in _ACTOR.finditer(text):
        name = next(n for n in ("a", "b", "c") if a.group(n))
        word, at = a.group(name), a.start(name)
        if word.lower() in _NOT_A_NAME or word.lower() in devices or any(s <= at < e for s, e in spans):
            continue
        return word
    return None


def _window(req: Revert) -> Any:
    """The time window the undo's words (or the question it leans on) name and netops reads, or None."""
    from netops.agent.window import history_window

    try:
        window = history_window(req.when) if req.when else None
    except (OverflowError, ValueError):  # past the calendar: no window
        return None
    return window if window is not None and window.understood else None


def _the_change(audit: Any, req: Revert, hosts: list[str]) -> tuple[str, Any] | None:
    """The newest change (host, ``apply`` record) on the devices named (any device when none is)
    made by the person named (anyone when none is), in the window the words name (if any)."""
    found = _each_change(audit, req, hosts)
    return found[0] if found else None


def _each_change(audit: Any, req: Revert, hosts: list[str]) -> list[tuple[str, Any]]:
    """Each device's newest change (host, ``apply`` record) as :func:`_the_change` reads them, newest first."""
    window = _window(req)
    bounds = {"since": window.start, "until": window.end} if window is not None else {}
    found = []
    for h in req.hosts or hosts:
        for rec in audit.changes(h, 50, **bounds):
            if (req.actor is None or str(rec.actor or "").lower() == req.actor.lower()) and \
                    (req.playbooks is None or rec.payload.get("playbook") in req.playbooks):
                found.append((h, rec))
                break
    return sorted(found, key=lambda x: x[1].seq, reverse=True)


def rolled_back(audit: Any, host: str, rec: Any) -> Any:
    """The record of the run that made change ``rec`` on ``host`` putting it back: its ``rollback``
    (a postcheck failed, or the run was stopped, after the change was sent) or a ``recover`` (a run
    cut short, restored from its journal); None when the change stayed. Its ``ok`` says whether the
    device's configuration is the snapshot again."""
    later = [r.seq for r in audit.changes(host, 50) if r.seq > rec.seq]
    until = min(later) if later else None  # a later change on the device is another run's
    for kind in ("rollback", "recover"):
        for r in audit.list(limit=None, kind=kind):
            p = r.payload
            if r.seq > rec.seq and (until is None or r.seq < until) and p.get("host") == host \
                    and p.get("playbook") == rec.payload.get("playbook") and p.get("hash") == rec.payload.get("hash"):
                return r
    return None


def _plan_of(audit: Any, rec: Any, host: str) -> Any:
    """The ``plan`` record of the run that made change ``rec`` (the newest plan of that playbook and
    hash, covering ``host``, before it), or None."""
    payload = rec.payload
    for seq in range(rec.seq - 1, max(rec.seq - 200, 0), -1):
        try:
            r = audit.get(seq)
        except Exception:  # a gap in the log: keep looking back
            continue
        if r.kind == "plan" and r.payload.get("playbook") == payload.get("playbook") \
                and (payload.get("hash") is None or r.payload.get("hash") == payload.get("hash")) \
                and host in (r.payload.get("hosts") or [host]):
            return r
    return None


def _undone_later(audit: Any, host: str, rec: Any, playbooks: list[Any]) -> Any:
    """The ``apply`` record of a later change on ``host`` that did the opposite of change ``rec``
    (router-undrain after router-drain) and stayed, or None."""
    back = opposite(str(rec.payload.get("playbook") or ""), playbooks)
    if back is None:
        return None
    later = [r for r in audit.changes(host, 50) if r.seq > rec.seq and r.payload.get("ok")]
    for r in sorted(later, key=lambda r: r.seq):
        if r.payload.get("playbook") == rec.payload.get("playbook"):
            return None  # done again since: the newest one is the change in question
        if r.payload.get("playbook") == back.name and rolled_back(audit, host, r) is None:
            return r
    return None


def opposite(name: str, playbooks: list[Any]) -> Any:
    """The vetted playbook that undoes playbook ``name``: the same objects and parameters, the opposite
    action (bgp-neighbor-shutdown -> bgp-neighbor-enable); None when there is none (a change that sets
    a value has no opposite: the old value is needed)."""
    made = next((p for p in playbooks if p.name == name), None)
    if made is None or len(made.actions) != 1 or made.actions[0] not in OPPOSITES:
        return None
    want = OPPOSITES[made.actions[0]]
    for p in playbooks:
        if p.actions == [want] and p.objects == made.objects and set(p.parameters) == set(made.parameters):
            return p
    return None


def answer_revert(question: str, ctx: "ToolContext", toolbox: "ToolBox", *, mode: str,
                  model: str | None = None, previous: "list[str] | str" = "") -> "Answer | None":
    """The answer to an undo request (see the module docstring); None when ``question`` is not one or
    there is no inventory or audit log to answer it from (the usual path then answers). ``previous``:
    the person's earlier questions in the conversation (oldest first), for "undo it"."""
    from netops.agent.change_intent import ChangeMatch, playbooks_from
    from netops.agent.change_path import OFFLINE_LABEL, _plan_body
    from netops.agent.change_tools import catalogue_of
    from netops.agent.offline import _change_said, audit_evidence, change_record, inventory_hosts, rolled_back_records
    from netops.assistant import Answer
    from netops.devices.redact import REDACTED

    if "playbook_plan" not in toolbox.tools:
        return None
    try:
        hosts = inventory_hosts(ctx.get_devices())
    except Exception:
        return None
    from netops.agent.router import meaning

    req = revert_request(question, hosts, meaning(previous, hosts) if previous else "") if hosts else None
    audit = ctx.get_audit() if req is not None else None
    if req is None or audit is None:
        return None
    if req.actor == ME:  # "undo my last change": who the audit log names for the person asking
        session = getattr(ctx, "session", None)
        req.actor = getattr(session, "actor", None) or ctx.settings.user
    lead = f"{OFFLINE_LABEL}, intent: change (undo a change netops made)." if mode == "offline" else \
        "This asks to undo a change netops made."
    try:
        playbooks = playbooks_from(catalogue_of(ctx))
    except Exception:  # no catalogue: no playbook to name
        playbooks = []
    if req.action is not None:
        req.playbooks = {p.name for p in playbooks if req.action in p.actions}
    who = f" by {req.actor}" if req.actor else ""
    where = ", ".join(req.hosts) if req.hosts else "any device"
    covered = req.hosts or hosts
    answer = Answer(question=question, text="", mode=mode, model=model, evidence=[audit_evidence(covered)],
                    notice=None if mode == "offline" else "an undo request: answered by netops; the model was not asked")
    found = _the_change(audit, req, hosts)
    if found is None:
        window = _window(req)
        where += f" {window.said}" if window is not None else ""
        what = f"{req.action} (a change made by {', '.join(sorted(req.playbooks or ())) or 'no vetted playbook'})" \
            if req.action else "change"
        answer.text = "\n\n".join([lead, f"**No change to undo:** the audit log holds no {what}{who} on {where} "
                                         "(it records only the changes netops made).", NOT_UNDONE,
                                   "`netops audit list --kind apply` lists every change netops made."])
        return answer
    host, rec = found
    back_out = rolled_back(audit, host, rec) if rec.payload.get("ok") else None
    answer.changes = [change_record(host, rec, back=back_out)]
    parts = [lead, f"**The change in question** (netops audit log): {host}: {_change_said(rec, back_out)}.", NOT_UNDONE]
    undone = _undone_later(audit, host, rec, playbooks) if req.action is not None and rec.payload.get("ok") else None
    if undone is not None:
        # "undo the drain on r3" after r3 was undrained: that change is undone already, and the
        # request for its opposite would move nothing (its dry run's prechecks fail)
        answer.changes.append(change_record(host, undone))
        parts[-1] = (f"**Already undone:** {host}: {_change_said(undone)} came after "
                     f"it. There is nothing to undo, and nothing was changed.")
        answer.text = "\n\n".join(parts)
        return answer
    # several devices named ("roll back r2 and r3"), or "undo it" after a list of every device's changes
    several = len(req.hosts) > 1 or (req.leans and not req.hosts)
    others = _each_change(audit, req, hosts)[1:] if several else []
    also = ""
    rolled = rolled_back_records(ctx, dict(others)) if others else {}
    if len(req.hosts) > 1 or others:
        # "roll back r2 and r3": each device's change is said (last); this answer is about the newest
        none = [h for h in req.hosts if h != host and h not in {o for o, _ in others}]
        also = (f"**Also {'asked about' if len(req.hosts) > 1 else 'in the answer before'}** (one change at a time: the "
                f"above is the newest of them, on {host}):\n\n"
                + "\n".join([f"- {h}: {_change_said(r, rolled.get(r.seq))}; ask for it on its own (\"undo the last "
                              f"change on {h}\")" for h, r in others] + [f"- {h}: no change{who} on record" for h in none]))
        answer.changes += [change_record(h, r, back=rolled.get(r.seq)) for h, r in others]

    def said(parts: list[str]) -> str:
        return "\n\n".join([*parts, also] if also else parts)
    if not rec.payload.get("ok"):
        parts.append("That change failed when it was applied, so the run itself rolled it back (or said that it "
                     f"could not): `netops audit show {rec.seq}` and the records after it say which.")
        answer.text = said(parts)
        return answer
    if back_out is not None:
        # its postcheck failed (or the run was stopped) and the run put the configuration back: there is
        # nothing to undo, and the opposite change would move a device that is as it was before
        parts.append(
            f"That change did not stay: its own run rolled it back (`netops audit show {back_out.seq}`), and the "
            "device's configuration was found equal to the snapshot taken before it. There is nothing to undo."
            if back_out.payload.get("ok") else
            f"Its own run tried to roll it back and the rollback failed (`netops audit show {back_out.seq}`: "
            f"{back_out.payload.get('error') or 'the configuration still differs from the snapshot'}): the device may be "
            "neither as it was nor as the change left it. Read its configuration before asking for any change; "
            "netops offers no undo of a state it does not know.")
        answer.text = said(parts)
        return answer
    made = str(rec.payload.get("playbook") or "")
    back = opposite(made, playbooks)
    plan = _plan_of(audit, rec, host)
    params = dict((plan.payload.get("params") if plan is not None else None) or {})
    if back is None:
        pb = next((p for p in playbooks if p.name == made), None)
        # what the change was made on (an interface, a neighbour) as its plan says; the value wanted is the person's
        where_ = {n: params[n] for n, p in (pb.parameters.items() if pb else ()) if n in params
                  and getattr(p, "type", "") in _PLACES and REDACTED not in str(params[n])}
        ask = pb.phrasing({"host": host, **{n: f"<the {n} you want>" for n in pb.parameters}, **where_}) if pb else None
        parts.append(f"No vetted playbook does the opposite of {made or 'this change'}, and the value it replaced is "
                     "not recorded. What netops can do: set the value you want with a vetted change"
                     + (f' ("{ask}")' if ask else "") + "; you will see the plan and be asked to approve it.")
        answer.change = ChangeMatch("clarify", made or None, [host], code="undo", reason=NOT_UNDONE,
                                    examples=[ask] if ask else [])
        answer.text = said(parts)
        return answer
    values = {n: params[n] for n in back.parameters if n in params and REDACTED not in str(params[n])}
    complete = set(values) == set(back.parameters)
    ask = back.phrasing({"host": host, **values, **{n: f"<{n}>" for n in back.parameters if n not in values}})
    parts.append(f"What netops can do: the vetted playbook **{back.name}** ({back.risk} risk) does the opposite of "
                 f"{made}. To undo the change, ask for it: \"{ask}\"; you will see the plan and be asked to approve "
                 "it." + ("" if complete else f" (The values of the change are in `netops audit show {rec.seq}`.)"))
    # what the person may ask for next (never run on these words: they did not say it)
    answer.change = ChangeMatch("clarify", back.name, [host], values, risk=back.risk, code="undo", reason=NOT_UNDONE,
                                examples=[ask], missing=[n for n in back.parameters if n not in values])
    if complete:
        m = ChangeMatch("change", back.name, [host], values, risk=back.risk)
        dry = toolbox.call("playbook_plan", {"playbook": back.name, "hosts": [host], "params": values})
        answer.tool_calls = list(toolbox.calls)
        answer.evidence = [*answer.evidence, *ctx.evidence]
        if dry.ok:
            parts.append("Its dry run (nothing was changed):\n\n```\n" + _plan_body(dry.content) + "\n```")
        else:
            parts.append(f"**Its dry run failed:** {dry.error}")
        parts.append(f"Or from a shell:\n\n```\n{m.command(dry_run=True)}\n{m.command()}\n```")
    answer.text = said(parts)
    return answer
