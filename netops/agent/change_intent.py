"""From the person's own words to one vetted playbook, its targets and its parameters.

Small local models rarely call tools, so a request such as "drain r3 for maintenance" must not
depend on the model choosing ``playbook_run``. :func:`match_change` reads **only the question**
(never device output, documents or model text) and returns a :class:`ChangeMatch`:

- ``change``: exactly one vetted playbook, every target named, every parameter said;
- ``clarify``: a change was asked for, but something is missing or ambiguous (two playbooks,
  no host, too many hosts, a missing or invalid parameter); ``text()`` names what is missing
  and gives an example phrasing. Nothing is guessed;
- ``question``: the words ask *about* a change or refuse it ("what happens if I drain r3",
  "don't drain r3"); that is a question, never a request;
- ``unmatched``: change words and a device, but no vetted playbook does that;
- ``none``: not about a change at all.

The rules are the literal ones of :mod:`netops.agent.intent` (same action words, host names and
hypothetical/negation tests, stricter where they differ), so a ``change`` is bound to the
question by construction.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from typing import Any

from netops.agent.intent import (ACTION_SYNONYMS, change_asked, hypothetical, negated_actions, own_words,
                                 phrase_negated, phrase_said, said_words)
from netops.agent.peer_change import peer_end, which_end

# Words for the object part of a playbook's name ("bgp-neighbor-shutdown" -> bgp, neighbor).
OBJECT_WORDS: dict[str, tuple[str, ...]] = {
    "neighbor": ("neighbor", "neighbors", "neighbour", "neighbours", "peer", "peers", "session", "sessions",
                 "peering"),
    # "soft clear r1's session to r2": a BGP session or peer is BGP said
    "bgp": ("bgp", "neighbor", "neighbors", "neighbour", "neighbours", "peer", "peers", "session", "sessions",
            "peering"),
    "route": ("route", "routes"),
    "interface": ("interface", "interfaces", "port", "link"),
    "router": ("router", "routers", "device", "box"),
}
# Name parts that make the host itself the object: "drain r3" needs no "router".
_IMPLIED = {"router", "device", "host"}
# Qualifiers a request must say: a plain "clear bgp" is a hard reset, which bgp-soft-clear is not.
QUALIFIERS: dict[str, tuple[str, ...]] = {"soft": ("soft", "soft-clear", "soft-reset", "refresh", "route-refresh")}
# Words before a value that say which parameter it is ("via 198.51.100.2" is the next hop).
CUES: dict[str, tuple[str, ...]] = {"nexthop": ("via", "nexthop", "next-hop", "next", "hop", "gateway")}

# How people say each shipped playbook (a team's own playbook gets a phrasing from its name).
PHRASINGS: dict[str, str] = {
    "router-drain": "drain {host} for maintenance",
    "router-undrain": "undrain {host}",
    "bgp-neighbor-shutdown": "shut down BGP neighbor {neighbor} on {host}",
    "bgp-neighbor-enable": "enable BGP neighbor {neighbor} on {host}",
    "bgp-soft-clear": "soft clear BGP neighbor {neighbor} on {host}",
    "ospf-cost": "set the OSPF cost of {interface} on {host} to {cost}",
    "static-route-add": "add a static route {prefix} via {nexthop} on {host}",
    "static-route-remove": "remove the static route {prefix} via {nexthop} on {host}",
    "interface-description": 'set the description of {interface} on {host} to "{description}"',
}

_TOKENS = re.compile(r"[a-z0-9][a-z0-9'-]*")
# Words right before a host that rule it out ("drain r3, not r2", "everything except r1",
# "r3 instead of r1", "leave r1 alone", "keep r1 drained"); filler words may stand between ("not on r2").
_EXCLUDING = re.compile(r"(?:\bnot|\bnever|\bexcept(?:\s+for)?|\bexcluding|\binstead\s+of|\bother\s+than|\bapart\s+from"
                        r"|\brather\s+than|\bleave|\bleaving|\bkeep|\bkeeping|\bskip|\bskipping|\bspare|\bsparing"
                        r"|\bbesides|\bsave|\bwithout|\bminus"
                        r"|\b(?:all|every|everything|everywhere|anything|any)(?:\s+\w+){0,2}?\s+but)"
                        r"(?:\s+(?:on|the|one|ones|router|device|host|for|from|with|also|even|just|out))*\s*[(\[]?\s*$",
                        re.IGNORECASE)
_LISTED = re.compile(r"^\s*(?:,|and|or|nor|&)?\s*(?:and|or|nor)?\s*$", re.IGNORECASE)
# Words right after a host (or a list of hosts) that say it needs nothing ("drain r3, r2 is fine",
# "r1 and r2 must stay in service", "r2 looks healthy"): ruled out, as "not r2" is.
_FINE = (r"(?:(?:just|all|perfectly|totally)\s+)?(?:fine|ok|okay|good|healthy|untouched|alone|unchanged"
         r"|as\s+(?:is|they\s+are|it\s+is)|as-is|in\s+(?:service|rotation|production)|up)\b")
_MODAL_STAY = r"(?:can|should|must|will|shall)\s+(?:stay|remain|be\s+left)"
# A singular verb binds the host alone ("drain r1, r3 is fine": r1 is not fine); a plural or modal
# one the list before it ("r1 and r2 must stay in service").
_FINE_AFTER = re.compile(r"^\s+(?:is|looks|seems|stays|remains|" + _MODAL_STAY + r")\s+" + _FINE
                         + r"|^(?:\s*(?:,|and|&)\s*(?:[a-z][\w-]*\d))+\s+(?:are|look|seem|stay|remain|"
                         + _MODAL_STAY + r"|are\s+to\s+stay)\s+" + _FINE, re.IGNORECASE)
# "drain everything except r1": every other host is meant, none of them by name.
_EVERY = {"all", "every", "everything", "everywhere", "each", "other", "others", "rest"}
_QUOTED = re.compile(r'"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d|\u2018([^\u2019\n]+)\u2019|(?<![\w\'])\'([^\'\n]+)\'(?![\w\'])')
_INT = re.compile(r"(?<![\w./:-])(\d{1,12})(?![\w/:-]|\.\d)")


@dataclass(frozen=True)
class PlaybookInfo:
    """What the matcher needs to know about one vetted change playbook."""

    name: str
    description: str = ""
    risk: str = "medium"
    parameters: dict[str, Any] = field(default_factory=dict)
    """Name -> the playbook's typed parameter (:mod:`netops.playbook.params`)."""
    max_hosts: int | None = None
    phrases: tuple[str, ...] = ()
    """How people ask for it (the manifest's ``phrases``), besides the action word of its name."""
    not_for: tuple[str, ...] = ()
    """What it does not do (the manifest's ``not_for``): when said, it is never proposed."""
    read_only: bool = False
    """A report (bgp-health): its phrase alone asks for it; a change's phrase needs a verb that asks."""
    refused: str = ""
    """Why it may not run (never reviewed, edited after review, and how to re-vet it); empty when
    vetted. A refused playbook is never proposed: it is matched only to say so by name."""
    owner: str = ""
    """The manifest's ``owner`` ("acme-noc"): a first word of the name that is the team's own
    ("acme" of acme-bgp-peer-description) is no word anyone says for the change."""

    @property
    def words(self) -> list[str]:
        """The name's words without a leading team prefix (:attr:`owner`)."""
        tokens = self.name.lower().split("-")
        team = set(self.owner.lower().split("-")) - set(ACTION_SYNONYMS) - set(OBJECT_WORDS) - set(QUALIFIERS)
        while len(tokens) > 2 and tokens[0] in team:  # "acme-noc-interface-description": both
            tokens = tokens[1:]
        return tokens

    @property
    def actions(self) -> list[str]:
        return [t for t in self.words if t in ACTION_SYNONYMS]

    @property
    def objects(self) -> list[str]:
        return [t for t in self.words if t not in ACTION_SYNONYMS and t not in QUALIFIERS]

    @property
    def qualifiers(self) -> list[str]:
        return [t for t in self.words if t in QUALIFIERS]

    @classmethod
    def from_spec(cls, spec: Any) -> "PlaybookInfo":
        """The matcher's view of a loaded :class:`~netops.playbook.spec.PlaybookSpec`."""
        return cls(spec.name, spec.description, spec.risk, dict(spec.parameters), spec.targets.max_hosts,
                   tuple(getattr(spec, "phrases", None) or ()), tuple(getattr(spec, "not_for", None) or ()),
                   bool(getattr(spec, "read_only", False)), owner=str(getattr(spec, "owner", "") or ""))

    def phrasing(self, values: dict[str, Any], *, placeholders: bool = False) -> str:
        """An example request for this playbook, with ``values`` (``host`` and parameters) filled in
        and the playbook's own examples for the rest (``placeholders``: ``<neighbor>`` instead, where
        an example value would read as advice for the device named)."""
        fill = {n: (values[n] if n in values else f"<{n}>" if placeholders else getattr(p, "example", None) or n.upper())
                for n, p in self.parameters.items()}
        fill["host"] = values.get("host", "HOST")
        template = PHRASINGS.get(self.name)
        if template is None or any(f"{{{n}}}" not in template for n in self.parameters):
            if self.actions:  # "description bgp peer neighbor ..." (not "description acme bgp peer ...")
                parts = [ACTION_SYNONYMS[self.actions[0]][0], *[o for o in self.objects if o not in _IMPLIED]]
            else:  # "set the prefix limit neighbor 198.51.100.2 ..." (a phrase names the object too)
                parts = [self.phrases[0] if self.phrases else " ".join(self.words)]
                if not self.read_only and not change_asked(parts[0]):
                    parts.insert(0, "set the")  # a phrase is a noun: alone, the words asked for no change
            for n, p in self.parameters.items():
                value = fill[n]
                quoted = getattr(p, "type", "") in ("description", "string")
                parts.append(f'{n} "{value}"' if quoted else f"{n} {value}")
            template = " ".join(parts) + (" on {host}" if set(self.objects) - _IMPLIED else " {host}")
        return template.format(**fill)


def playbooks_from(catalogue: Any, *, refused: bool = False) -> list[PlaybookInfo]:
    """The vetted playbooks of ``catalogue`` that words can ask for: every state-changing one, and
    a read-only one (a report such as bgp-health) when its manifest says how people ask for it
    (``phrases``). Others are never chosen. Each playbook is read once per call (it was read
    twice, for the list and again for its spec): the spec is the one whose vetting was checked.
    ``refused``: the never-reviewed and edited ones too, with :attr:`PlaybookInfo.refused` saying
    why, so words that ask for one are told so instead of being matched to another playbook."""
    out = []
    for entry, pb in catalogue.read(shared=True):  # the matcher only reads the specs
        if pb is None or entry.vetting != "vetted" and not (refused and entry.vetting in _REFUSED):
            continue  # a playbook that does not load cannot be proposed
        spec = pb.spec
        if entry.read_only and not getattr(spec, "phrases", None):
            continue
        info = PlaybookInfo.from_spec(spec)
        if entry.vetting != "vetted":
            vet = (f"netops playbook vet {entry.name} --reviewer WHO" if entry.source == "netops"
                   else f"netops playbook vet --plugin {entry.source} --reviewer WHO")
            info = replace(info, refused=f"{_REFUSED[entry.vetting]}; after a review: {vet}")
        out.append(info)
    return out


_REFUSED = {"never_reviewed": "it was never reviewed", "edited": "it was edited after its review"}


@dataclass
class ChangeMatch:
    """What the question asks of the vetted playbooks (see the module docstring)."""

    kind: str
    """``change``, ``clarify``, ``question``, ``unmatched`` or ``none``."""
    playbook: str | None = None
    hosts: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    risk: str | None = None
    reason: str = ""
    """Why it is not a ``change`` (what is missing, negated, ambiguous)."""
    code: str = ""
    """For a ``clarify``, what is wrong first: ``target`` (no host named), ``unknown-host`` (a name
    that is not in the inventory), ``too-many-targets``, ``parameter`` (missing or invalid),
    ``multiple-changes`` (words of more than one playbook), ``qualifier`` (e.g. "soft" unsaid) or
    ``picked`` (targets the words pick by their state, "restart whatever is down": netops reads
    them and changes none; ``examples`` are the requests for each, :mod:`netops.agent.fleet_change`) or
    ``undo`` (undo a change netops made: ``playbook`` is the vetted one that does the opposite, or the
    one that made a change with none, ``examples`` the request to say, :mod:`netops.agent.revert`).
    For a ``question``: ``negated`` ("don't drain r3"), ``hypothetical`` (asks what doing it would
    do: "what happens if I drain r3", "how do I drain r3") or ``about`` (asks about a change done or a
    state: "is r3 drained?", "who drained r2")."""
    missing: list[str] = field(default_factory=list)
    """``host`` and parameter names the question did not give."""
    invalid: list[str] = field(default_factory=list)
    """Parameter names whose value in the question is not valid (or not one value)."""
    candidates: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    """Phrasings that would be matched (for a clarification)."""
    matched_by: str = "words"
    would_be: "ChangeMatch | None" = None
    """For a ``hypothetical`` question: the match the same words would be as a request (a ``change``
    when they name everything; its dry run answers "what would it do")."""
    peers: dict[str, str] = field(default_factory=dict)
    """Parameter -> the inventory router the words name as the other end ("from r1 to r2"); its
    address on the target is resolved on the device (:mod:`netops.agent.peer_change`)."""
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Parameter -> how its value was resolved (``host``, ``address``, ``on``, ``how``)."""
    phrases: list[str] = field(default_factory=list)
    """The playbook's manifest phrases (:func:`netops.agent.intent.check_intent` reads them)."""
    not_for: list[str] = field(default_factory=list)
    phrase: str = ""
    """The manifest phrase the words said, when that (not an action word) named the playbook."""
    read_only: bool = False
    """The playbook changes nothing (a report): check_intent binds its phrase without a verb."""

    @property
    def is_change(self) -> bool:
        return self.kind == "change"

    def command(self, *, dry_run: bool = False) -> str:
        """The ``netops playbook run`` command line for this match."""
        parts = ["netops", "playbook", "run", self.playbook or "PLAYBOOK"]
        for h in self.hosts or ["HOST"]:
            parts += ["--target", h]
        for k, v in self.params.items():
            parts += ["--param", f"{k}={v}"]
        if dry_run:
            parts.append("--dry-run")
        return " ".join(shlex.quote(p) for p in parts)

    def text(self) -> str:
        """A clarification (or refusal) for a person: what is missing, and how to say it."""
        lines = [self.reason.rstrip(".") + "."] if self.reason else []
        if self.examples:
            # an example with quotes in it is set off as code: quotes around it read as one more pair
            lines.append("For example: " + "; ".join(f"`{e}`" if '"' in e else f'"{e}"' for e in self.examples))
        return "\n\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "matched_by": self.matched_by, "playbook": self.playbook, "hosts": self.hosts,
                "params": self.params, "risk": self.risk, "reason": self.reason, "code": self.code,
                "missing": self.missing, "invalid": self.invalid,
                "candidates": self.candidates, "examples": self.examples, "peers": self.peers,
                "resolved": self.resolved,
                "would_be": self.would_be.to_dict() if self.would_be is not None else None}


# -- parts -----------------------------------------------------------------------------------

def _quoted(question: str) -> tuple[list[str], str]:
    """Quoted strings, and the question with them blanked (so nothing inside them is a host,
    an address or a number)."""
    found: list[str] = []

    def blank(m: re.Match[str]) -> str:
        found.append(next(g for g in m.groups() if g is not None).strip())
        return " " * len(m.group(0))

    return found, _QUOTED.sub(blank, question)


def _object_said(pb: PlaybookInfo, words: set[str]) -> int:
    return sum(1 for o in pb.objects if o not in _IMPLIED and words & set(OBJECT_WORDS.get(o, (o,))))


def _cued(text: str, token: str, name: str) -> bool:
    """Is ``token`` said right after one of parameter ``name``'s cue words (within two words)?"""
    return _cue_score(text, token, name) > 0


def _cue_score(text: str, token: str, name: str) -> int:
    """How many of parameter ``name``'s cue words stand right before ``token`` (within three
    words): "local as 65001" cues ``local_as`` twice, "AS 64999" once."""
    cues = {name, *name.split("_"), *CUES.get(name, ())}
    i = text.lower().find(token.lower())
    before = _TOKENS.findall(text.lower()[:max(i, 0)])[-3:]
    return len(cues & set(before))


# the last word of a request, after "to" / "as": a one-word value said without quotes
_BARE_VALUE = re.compile(r"\b(?:to|as)\s+(?P<value>[A-Za-z0-9][\w.:/+-]*?)\s*[.!]*\s*$", re.IGNORECASE)
_NOT_A_VALUE = frozenset({"it", "this", "that", "them", "something", "anything", "whatever", "what", "the", "a", "an",
                          "same", "default", "blank", "empty", "nothing", "none", "please", "pls", "now", "too",
                          "to", "as", "up", "down", "reboot", "no", "yes"})


def _says_what_to_do(word: str) -> bool:
    """Is ``word`` one a request says what to do with ("shutdown", "disable", "drain", "reload"): as a value
    without quotes it may be the request's own verb, not the text wanted ("... on r1 to shutdown")."""
    from netops.agent.intent import action_base
    from netops.agent.router import CHANGE_WORDS

    w = word.lower()
    base = action_base(w)
    own = {"description", "cost", *ACTION_SYNONYMS["description"], *ACTION_SYNONYMS["cost"]}  # what is being set
    return w in CHANGE_WORDS or (base is not None and base not in own)


class _Extractor:
    """Values for typed parameters, taken from the question only."""

    def __init__(self, question: str, hosts: list[str]) -> None:
        from netops.agent.router import INTERFACE_NAME, addresses

        self.quoted, self.text = _quoted(question)
        self.text = own_words(self.text)  # pasted device output or documents: data, not the request
        addrs = addresses(self.text)
        self.prefixes = [a for a in addrs if "/" in a]
        self.addresses = [a for a in addrs if "/" not in a]
        host_set = {h.lower() for h in hosts}
        ifaces = list(INTERFACE_NAME.findall(self.text))
        ifaces += re.findall(r"\binterface\s+([A-Za-z][\w./:-]*\d)\b", self.text)
        ifaces += re.findall(r"(?<![\w-])(lo|loopback\d*)(?![\w-])", self.text, re.IGNORECASE)  # no digit needed
        self.interfaces = [i for i in dict.fromkeys(ifaces) if i.lower() not in host_set]
        self.ints = _INT.findall(self.text)
        self.words = said_words(question)
        self.hosts = host_set

    def pool(self, p: Any) -> list[str]:
        t = getattr(p, "type", "")
        if t in ("ip", "ipv4", "ipv6"):
            want = {"ipv4": 4, "ipv6": 6}.get(t)
            return [a for a in self.addresses if want is None or (":" in a) == (want == 6)]
        if t in ("prefix", "prefix4", "prefix6"):
            want = {"prefix4": 4, "prefix6": 6}.get(t)
            return [a for a in self.prefixes if want is None or (":" in a) == (want == 6)]
        if t == "interface":
            return list(self.interfaces)
        if t in ("int", "asn"):
            return list(self.ints)
        if t == "enum":
            return [c for c in getattr(p, "choices", []) if c.lower() in self.words]
        if t in ("description", "string"):
            return list(self.quoted)
        return []

    def bare(self, name: str) -> list[str]:
        """A one-word value for text parameter ``name`` said without quotes: the request's last word,
        right after "to" or "as", with the parameter's name (or a word for it) said before ("set the
        description of eth-r2 on r1 to uplink", "describe eth-r2 on r1 as uplink"). Never a device, an
        interface, an address or a pronoun; more than one word still needs quotes."""
        from netops.agent.intent import ACTION_SYNONYMS

        m = _BARE_VALUE.search(self.text)
        if m is None:
            return []
        cues = {name.lower(), *name.lower().split("_"), *ACTION_SYNONYMS.get(name.lower(), ()), *CUES.get(name, ())}
        value = m.group("value")
        if not cues & set(_TOKENS.findall(self.text[:m.start()].lower())) or value.lower() in self.hosts \
                or value.lower() in _NOT_A_VALUE or value in self.interfaces or value in self.addresses \
                or value in self.prefixes or _says_what_to_do(value):
            return []
        return [value]

    def strong(self, pb: PlaybookInfo) -> int:
        """Parameters of ``pb`` the question gives a typed token for (a bare number does not count)."""
        return sum(1 for p in pb.parameters.values() if getattr(p, "type", "") not in ("int", "asn")
                   and self.pool(p))

    def values(self, pb: PlaybookInfo) -> tuple[dict[str, Any], list[str], dict[str, str]]:
        """(values, missing parameter names, problems by parameter name)."""
        values: dict[str, Any] = {}
        missing: list[str] = []
        problems: dict[str, str] = {}
        used: set[str] = set()
        for name, p in pb.parameters.items():
            pool = [v for v in self.pool(p) if v not in used]
            if not pool and getattr(p, "type", "") in ("description", "string") and not self.quoted:
                pool = self.bare(name)  # "set the description of eth-r2 on r1 to uplink"
            if len(pool) > 1:
                scores = {v: _cue_score(self.text, v, name) for v in pool}
                best = max(scores.values())
                cued = [v for v in pool if best and scores[v] == best]  # the most specific cue wins
                if len(cued) == 1:
                    pool = cued
                else:
                    siblings = [n for n, q in pb.parameters.items() if n != name and self.pool(q) == self.pool(p)]
                    if not siblings or len(pool) != len(siblings) + 1:
                        problems[name] = f"{name}: several values ({', '.join(pool)}); say which one"
                        continue
                    pool = pool[:1]  # same-typed parameters in the order the playbook declares them
            if not pool:
                # an enum's default is a choice the person did not make ("finish the peer maintenance"
                # is not action=start): it is asked for, never taken
                if (getattr(p, "default", None) is None and getattr(p, "required", True)) or getattr(p, "type", "") == "enum":
                    missing.append(name)
                continue
            try:
                values[name] = p.validate_value(name, pool[0])
            except Exception as exc:  # ParameterError: the person's value is not valid for the type
                problems[name] = getattr(exc, "message", str(exc))
                continue
            used.add(pool[0])
        return values, missing, problems


def _unexplained(pb: PlaybookInfo, ex: _Extractor) -> list[str]:
    """Addresses and prefixes the question gives that ``pb`` has no parameter of that kind for."""
    types = {getattr(p, "type", "") for p in pb.parameters.values()}
    out = []
    if not types & {"ip", "ipv4", "ipv6"}:
        out += ex.addresses
    if not types & {"prefix", "prefix4", "prefix6"}:
        out += ex.prefixes
    return out


def _describe_param(name: str, p: Any) -> str:
    desc = getattr(p, "description", "") or ""
    return f"{name} ({getattr(p, 'type', 'value')}{': ' + desc if desc else ''})"


@dataclass
class Targets:
    """The hosts a question names (directly or through a group it names), minus those it rules out."""

    named: list[str]
    """In the order they were said; a named group gives its hosts in inventory order."""
    excluded: list[str]
    """Hosts the words rule out ("not r2", "except r1", "instead of r1", "leave r1 alone")."""
    everything_but: bool = False
    """The words mean every host except some ("drain everything except r1"), naming none of them."""
    by_group: list[str] = field(default_factory=list)
    """Hosts of ``named`` that only a group name stands for (the words do not name them)."""
    unknown: list[str] = field(default_factory=list)
    """Words shaped like the inventory's host names (``r9`` beside ``r1``-``r3``) that name none."""


def targets_named(text: str, hosts: list[str], groups: dict[str, list[str]] | None = None) -> Targets:
    """Which inventory ``hosts`` (and ``groups``) ``text`` names as targets, and which it excludes."""
    from netops.agent.router import mentions

    groups = groups or {}
    said = sorted(mentions(text, hosts) + mentions(text, [g for g in groups if g not in hosts]))
    out: list[str] = []
    excluded: list[str] = []
    prev_end, prev_excluded = 0, False
    for pos, name in said:
        members = groups.get(name, [name]) if name not in hosts else [name]
        ruled_out = (bool(_EXCLUDING.search(text[:pos])) or (prev_excluded and bool(_LISTED.match(text[prev_end:pos])))
                     or bool(_FINE_AFTER.match(text[pos + len(name):])))
        (excluded if ruled_out else out).extend(members)
        prev_end, prev_excluded = pos + len(name), ruled_out
    named = [h for h in dict.fromkeys(out) if h not in excluded]
    every = bool(excluded) and not named and bool(set(_TOKENS.findall(text.lower())) & _EVERY)
    direct = {h for _, h in said}
    return Targets(named, list(dict.fromkeys(excluded)), every, [h for h in named if h not in direct],
                   _unknown_hosts(text, hosts, groups))


def _unknown_hosts(text: str, hosts: list[str], groups: dict[str, list[str]]) -> list[str]:
    """Words with the shape of an inventory host's name (its digits any number) that are no host."""
    shapes = {re.sub(r"\d+", r"\\d+", re.escape(h.lower())) for h in hosts
              if re.search(r"\d", h) and re.search(r"[a-z]", h, re.IGNORECASE)}  # an address is no shape
    if not shapes:
        return []
    known = {h.lower() for h in hosts} | {g.lower() for g in groups}
    shape = re.compile(rf"(?<![\w./:-])(?:{'|'.join(sorted(shapes))})(?![\w-]|\.\w)", re.IGNORECASE)
    return list(dict.fromkeys(m.group(0).lower() for m in shape.finditer(text) if m.group(0).lower() not in known))


def _asks_to_do(text: str, pb: PlaybookInfo) -> bool:
    """Is ``pb``'s action said as something to do ("drain", "draining", "take ... out of rotation"),
    not as something done ("drained", "shut down yesterday")? Only the former asks what it would do."""
    from netops.agent.intent import action_base, phrases_said

    synonyms = {w for a in pb.actions for w in ACTION_SYNONYMS[a]}
    tokens = set(_TOKENS.findall(text.lower()))
    return bool(synonyms & (tokens | phrases_said(text))) or any(
        t.endswith("ing") and action_base(t) in synonyms for t in tokens)


# Words that ask what doing a change would do ("what happens if", "how do I", "the impact of").
_WHAT_IF = {"if", "would", "happens", "happen", "suppose", "supposing", "hypothetically", "imagine", "should",
            "whether", "how", "impact", "effect", "effects", "consequence", "consequences"}
_SAFE_TO = re.compile(r"\b(?:safe|ok|okay|wise|risky|a\s+good\s+idea|fine)\s+to\b", re.IGNORECASE)


# A request that starts with a verb that tunes a setting ("bump the keepalive timer on r2 to 10s",
# "turn off lldp on r3"): a change, though no vetted playbook does it
_TUNE_FIRST = re.compile(r"^\W*(?:(?:please|pls|kindly|now|(?:can|could|would)\s+you)\s+)*(?:bump|raise|increase|lower|"
                         r"reduce|decrease|tune|adjust|modify|update|(?:turn|switch)\s+(?:on|off))\b", re.IGNORECASE)


# A setting said with a value and no verb ("r1 eth-r3 mtu 1500 pls", "r2 hold timer 30", "r3 hostname
# core3", "mtu=9000 on r2 eth-r1"): terse for "set it to that", a change. The same words with no value
# ("r1 eth-r3 mtu?"), as a question ("is the mtu of r1 eth-r3 1500?", "r1 eth-r3 mtu 1500?") or as a
# filter ("interfaces with mtu 1500") ask for what is there.
_SETTING = (r"(?:ip\s+)?mtu|(?:bgp\s+)?(?:hold[- ]?(?:timer|time)|holdtime|keep-?alive(?:\s+timer)?|timers)"
            r"|hostname|ntp(?:\s+server)?|(?:login\s+)?banner|speed|duplex|bandwidth")
_TERSE_VALUE = re.compile(rf"(?<![\w-])(?P<setting>{_SETTING})\s*(?:[=:]|->|to)?\s*"
                          # a name for a hostname has a digit, a hyphen, a dot or an underscore ("core3"; not "hostname and serial")
                          r"(?P<value>\d+(?:\.\d+)*(?:/\d+)?[a-z]*|(?<=hostname[ =])(?=[\w.-]*[\d_.-])[a-z][\w.-]*|"
                          r"full|half|auto)(?![\w.-])", re.IGNORECASE)
_FILTER_BEFORE = re.compile(r"\b(?:with|has|have|having|where|whose|of|is|are|equals?|than|over|above|below|under)\s+"
                            r"(?:an?\s+|the\s+)?$", re.IGNORECASE)
_QUESTION_LEAD = re.compile(r"^\W*(?:is|are|was|were|what|which|who|why|how|when|where|does|do|did|has|have|any|show|"
                            r"sh|list|display|check|verify|confirm|get|find|tell|compare|count)\b", re.IGNORECASE)


# A configuration setting a request names that no vetted playbook changes (trial36, 3 a.m.: "r2 has the
# wrong remote as for r3, fix it to 65003"): said by name in the refusal, so the person reads that netops
# has no playbook for *that*, not a list of unrelated examples alone
NAMED_SETTING = re.compile(
    r"\b(?:remote[\s-]?as|local[\s-]?as|peer[\s-]?as|as[\s-]?number|update[\s-]?source|ebgp[\s-]?multihop|"
    r"(?:bgp\s+|neighbou?r\s+)?password|md5(?:\s+key)?|route[\s-]?maps?|prefix[\s-]?lists?|access[\s-]?lists?|acls?|"
    r"router[\s-]?id|next[\s-]?hop[\s-]?self|local[\s-]?pref(?:erence)?|as[\s-]?path\s+prepend\w*|"
    r"(?:ip\s+)?address(?:es)?\s+of|vlans?|(?:bgp\s+)?(?:hold[- ]?(?:timer|time)|holdtime|keep-?alive(?:\s+timer)?|timers)|"
    r"(?:ip\s+)?mtu|hostname|ntp(?:\s+server)?)\b", re.IGNORECASE)


# What a setting no playbook changes belongs to, for the playbooks worth showing instead
_SETTING_OBJECT = (
    (re.compile(r"\b(?:remote|local|peer)[\s-]?as\b|\bas[\s-]?number|update[\s-]?source|ebgp|password|md5|"
                r"next[\s-]?hop[\s-]?self|local[\s-]?pref|as[\s-]?path|hold|keep-?alive|timers", re.IGNORECASE), "bgp"),
    (re.compile(r"\bmtu\b|\baddress(?:es)?\s+of\b|\bvlans?\b|\bspeed\b|\bduplex\b", re.IGNORECASE), "interface"),
)


def nearest_changes(text: str, playbooks: list[PlaybookInfo], most: int = 3) -> list[PlaybookInfo]:
    """The vetted changes acting on what ``text`` names (a BGP neighbour, an interface, a route; a
    setting's own object: the remote AS is BGP's), most objects said first, at most ``most``; when the
    words name nothing a playbook acts on ("reload r1", "enable bfd everywhere"), the changes of the
    device itself (drain, undrain), whose example needs no value but the device's name."""
    words = said_words(text) | {obj for rx, obj in _SETTING_OBJECT if rx.search(text)}
    changes = [pb for pb in playbooks if not pb.refused and not pb.read_only]
    scored = [(_object_said(pb, words), n, pb) for n, pb in enumerate(changes)]
    near = [pb for score, _, pb in sorted(scored, key=lambda x: (-x[0], x[1])) if score]
    return (near or [pb for pb in changes if not set(pb.objects) - _IMPLIED and not pb.parameters])[:most]


def named_setting(text: str) -> str | None:
    """The configuration setting ``text`` names (:data:`NAMED_SETTING`), as written, or None."""
    m = NAMED_SETTING.search(text)
    return " ".join(m.group(0).split()) if m else None


def terse_setting(text: str) -> re.Match[str] | None:
    """A setting given a value with no verb ("r2 hold timer 30"): a request to set it, or None (no
    value, a question, a filter)."""
    if text.rstrip().endswith("?") or _QUESTION_LEAD.match(text):
        return None
    for m in _TERSE_VALUE.finditer(text):
        if not _FILTER_BEFORE.search(text[:m.start()]):
            return m
    return None


def _value_question(terse: re.Match[str], host: str, hosts: list[str]) -> str:
    """``, e.g. "what is the mtu on r1?"`` when netops reads that question (or "the bgp hold timer"), else nothing."""
    from netops.agent.router import route

    setting = terse.group("setting").lower()
    verb = "are" if setting.endswith("s") else "is"
    timer = bool(re.search(r"hold|keep|timer", setting)) and not setting.startswith("bgp")
    for asked in [f"what {verb} the {setting} on {host}?"] + ([f"what {verb} the bgp {setting} on {host}?"] if timer else []):
        if route(asked, hosts).kind == "tool":  # "the bgp hold timer": the protocol names the config part
            return f', e.g. "{asked}"'
    return ""


# Every device as a change's target ("on all the routers", "everywhere", "across the fleet")
_FLEET_TARGET = re.compile(r"\b(?:everywhere|fleet[- ]wide|network[- ]wide|(?:on|across|for|to)\s+(?:all|every|each)\s+"
                           r"(?:of\s+)?(?:the\s+|our\s+|my\s+)?(?:routers?|devices?|hosts?|boxes|box|nodes?|switch(?:es)?)|"
                           r"(?:all|every)\s+(?:the\s+|our\s+|my\s+)?(?:routers?|devices?|boxes|nodes?|switch(?:es)?)|"
                           r"across\s+the\s+(?:fleet|network|fabric|lab|backbone|core|board))\b", re.IGNORECASE)


# -- the matcher -----------------------------------------------------------------------------

def _same_action_narrowed(candidates: list[PlaybookInfo], by_phrase: dict[str, list[str]], words: set[str],
                          ex: "_Extractor") -> list[PlaybookInfo]:
    """Of playbooks the same action word asked for (interface-description and a team's
    bgp-peer-description: "description"), the ones whose object the words name best: a manifest
    phrase said, then object words said, then typed values given ("... of bgp neighbor
    198.51.100.2 ..." names the peer one, "... of eth-r2 ..." the interface one). A quoted
    description is a value for every description playbook, so it alone must not make them all
    candidates. Different actions ("drain r3 and shut neighbor X") and a tie stay several."""
    groups: dict[tuple[str, ...], list[PlaybookInfo]] = {}
    for pb in candidates:
        groups.setdefault(tuple(pb.actions), []).append(pb)
    dropped: set[str] = set()
    for actions, group in groups.items():
        if not actions or len(group) < 2:
            continue
        score = {pb.name: (bool(by_phrase.get(pb.name)), _object_said(pb, words), ex.strong(pb)) for pb in group}
        best = max(score.values())
        dropped |= {pb.name for pb in group if score[pb.name] < best}
    return [pb for pb in candidates if pb.name not in dropped]


# Where one request ends and the next begins: "drain r3 and shut eth-r1 on r2", "...; then ...".
_JOINED = re.compile(r"\s*;\s*|\s*,?\s+(?:and\s+then|and\s+also|and|then|also|plus|&)\s+", re.IGNORECASE)
_ALL_ACTIONS = frozenset(w for syn in ACTION_SYNONYMS.values() for w in syn)
_LEAD_IN = re.compile(r"^[A-Za-z][A-Za-z ,'-]*:\s+")


def _change_clauses(question: str) -> list[str]:
    """``question`` cut into the requests it joins ("drain r3 and shut eth-r1 on r2" -> two); a part
    with no change word of its own belongs to the request before it ("drain r1 and r2", "the session
    between r1 and r2"). Quoted text is never cut."""
    from netops.agent.router import CHANGE_WORDS

    _, blanked = _quoted(question)  # same length: a cut inside quotes is not seen
    cuts = [(m.start(), m.end()) for m in _JOINED.finditer(blanked)]
    if not cuts:
        return [question]
    spans, start = [], 0
    for a, b in cuts:
        spans.append((start, a))
        start = b
    spans.append((start, len(question)))
    clauses: list[list[int]] = []
    for a, b in spans:
        part = blanked[a:b]
        acts = said_words(part) & (_ALL_ACTIONS | CHANGE_WORDS)
        if clauses and not acts:
            clauses[-1][1] = b  # "... and r2": more of the request before
        elif clauses and not clauses[-1][2]:
            clauses[-1][1:] = [b, True]  # the words before had no change word: this request's
        else:
            clauses.append([a, b, bool(acts)])
    out = []
    for a, b, _ in clauses:
        clause = question[a:b].strip(" ,")
        lead = _LEAD_IN.match(clause)  # "two things: drain r3": the request starts after the colon
        if lead and not said_words(lead.group(0)) & (_ALL_ACTIONS | CHANGE_WORDS):
            clause = clause[lead.end():]
        if clause:
            out.append(clause)
    return out


def _several_changes(question: str, playbooks: list[PlaybookInfo], hosts: list[str],
                     groups: dict[str, list[str]] | None) -> ChangeMatch | None:
    """Two or more requests in one ("drain r3 and shut eth-r1 on r2"): each is matched on its own and
    the answer names each with what netops would do for it, one change per request (trial37: it read
    as a drain of r3 and r2, and "undrain r3 and set ospf cost 50 on eth-r2 of r2" offered the example
    "set the OSPF cost of eth-r2 on r3 to 50", the cost change on the wrong router). None when the
    words hold one request, or a part is a question ("what if ...", "don't ...")."""
    clauses = _change_clauses(question)
    if len(clauses) < 2 or hypothetical(question):
        return None
    matches = [match_change(c, playbooks, hosts, groups) for c in clauses]
    if any(m.kind not in ("change", "clarify", "unmatched") for m in matches):
        return None
    if len({m.playbook for m in matches}) == 1 and matches[0].playbook:  # "drain r3; also drain r1 and r2":
        return None  # one playbook on the hosts named, as the whole request reads (its host limit says the rest)
    said, examples, names, named = [], [], [], []
    for clause, m in zip(clauses, matches):
        if m.kind == "change":
            what = f"{m.playbook} on {', '.join(m.hosts)}"
            examples.append(clause)
        elif m.playbook and m.kind == "clarify":  # its own example would fill in a value it did not say
            what = f"{m.playbook}, which needs more: {m.reason}"
        else:
            what = "no vetted playbook does this"
        said.append(f"'{clause}' ({what})")
        names += [n for n in ([m.playbook] if m.playbook else []) if n not in names]
        named += [h for h in m.hosts if h not in named]
    return ChangeMatch("clarify", hosts=named, candidates=names, code="multiple-changes", examples=examples,
                       reason=(f"your words ask for {len(clauses)} changes: " + "; ".join(said)
                               + ". Ask for one change at a time: netops makes one change per request"))


# action words that are also the setting's noun ("the ospf cost", "the description"): said alone, with no
# other verb of change, they name the setting
_NOUN_ACTIONS = frozenset({"cost", "metric", "description", "label"})


_SETTING_ONLY = frozenset("""what whats what's is are the a of on for at its current currently now value ospf bgp
interface interfaces link port neighbor neighbour peer please pls show""".split()) | _NOUN_ACTIONS


def _names_a_setting(text: str, hosts: list[str]) -> bool:
    """The words name a setting and nothing else: its noun, devices, interfaces and the small words
    of a question ("ospf cost on r3 eth-r1", "r1 eth-r2 description?"). Any other word may be the
    value ("r1 eth-r2 description uplink-to-r2") or a verb."""
    from netops.agent.router import INTERFACE_NAME

    tokens = re.findall(r"[\w'.-]+", text.lower())
    return bool(set(tokens) & _NOUN_ACTIONS) and all(
        t in _SETTING_ONLY or t in hosts or re.fullmatch(INTERFACE_NAME.pattern, t, re.IGNORECASE) for t in tokens)


def match_change(question: str, playbooks: list[PlaybookInfo], hosts: list[str],
                 groups: dict[str, list[str]] | None = None) -> ChangeMatch:
    """Match ``question`` (the person's words, nothing else) to one of ``playbooks`` (vetted,
    state-changing) on ``hosts`` (the inventory's names; ``groups``: group name -> its hosts).
    See the module docstring."""
    from netops.agent.router import CHANGE_WORDS, without_moment_noun

    # "shut eth-r1 on r2 after the drain", "bgp sessions on r3 after the drain": the drain is when, not a
    # request (lead, stop 37: both proposed router-drain)
    q = without_moment_noun((question or "").strip())
    several = _several_changes(q, playbooks, hosts, groups)
    if several is not None:
        return several
    ex = _Extractor(q, hosts)
    words = said_words(ex.text)  # a quoted description is a value, not a request
    action_words = {w for syn in ACTION_SYNONYMS.values() for w in syn} & words
    targets = targets_named(ex.text, hosts, groups)
    named = targets.named
    # A phrase from the playbook's manifest ("prefix limit") names it, object included.
    by_phrase = {pb.name: [p for p in pb.phrases if phrase_said(ex.text, p)] for pb in playbooks}
    # A phrase is a noun: for a change it names the playbook only when the words also ask for one
    # ("show the prefix limit ... 800" does not).
    asked = change_asked(ex.text)
    by_phrase = {name: said for name, said in by_phrase.items()
                 if said and (asked or next(pb for pb in playbooks if pb.name == name).read_only)}
    said = [pb for pb in playbooks if pb.name in by_phrase
            or (pb.actions and all(words & set(ACTION_SYNONYMS[a]) for a in pb.actions))]
    # An action word alone is not enough when the playbook acts on something the question does not
    # mention ("bring r3 back" is not about a BGP neighbour): its object, or a typed value for it.
    candidates = [pb for pb in said if pb.name in by_phrase or not (set(pb.objects) - _IMPLIED)
                  or _object_said(pb, words) or ex.strong(pb)]
    candidates = _same_action_narrowed(candidates, by_phrase, words, ex)
    if candidates and all(pb.refused for pb in candidates):  # the words ask for a playbook that may not run
        pb = candidates[0]
        return ChangeMatch("unmatched", playbook=pb.name, hosts=named, candidates=[p.name for p in candidates],
                           code="refused", reason=(
                               f"your words ask for the playbook {pb.name}, which netops refuses to run: "
                               f"{pb.refused}. Nothing was changed"))
    candidates = [pb for pb in candidates if not pb.refused]  # never proposed
    refused = [(pb, p) for pb in candidates for p in pb.not_for if phrase_said(ex.text, p)]
    if refused:  # "lower the prefix limit": the playbook that only raises one says it does not do this
        pb, phrase = refused[0]
        return ChangeMatch("unmatched", playbook=pb.name, hosts=named, candidates=[pb.name], reason=(
            f"the vetted playbook {pb.name} does not {phrase} ({pb.description.strip()}); "
            "no vetted playbook does this"))
    if not candidates:
        terse = None if action_words or CHANGE_WORDS & words or _TUNE_FIRST.match(ex.text) else terse_setting(ex.text)
        asked_for = bool(action_words or CHANGE_WORDS & words or _TUNE_FIRST.match(ex.text) or terse)
        # "turn on lldp on all the routers": a request of every device, which no vetted playbook does either
        fleet = not named and not targets.excluded and bool(_FLEET_TARGET.search(ex.text)) and not hypothetical(q)
        if asked_for and (named or fleet):
            example_host = named[0] if named else next(iter(hosts), "HOST")
            # the changes nearest the words (trialfix36: "fix the remote as on r2 to 65003" listed all ten
            # playbooks, "shut down BGP neighbor 198.51.100.2 on r2" among them, r2's own address): only
            # those acting on what the words name, the device named filled in, every other value a
            # placeholder (an example's value is no advice for this device)
            known = [pb.phrasing({"host": example_host}, placeholders=True) for pb in nearest_changes(ex.text, playbooks)]
            reason = "no vetted playbook does this; netops changes devices only through vetted playbooks"
            if (setting := named_setting(ex.text)) is not None:
                reason = (f"no vetted playbook does this (none changes the {setting}); netops changes devices only "
                          "through vetted playbooks: make this change through your team's change process, or have a "
                          "playbook for it written and vetted")
            if terse is not None:  # "r1 eth-r3 mtu 1500": read as a request to set it
                reason += (f" ('{terse.group('setting')} {terse.group('value')}' with no verb reads as a request "
                           f"to set it; to see what it is now, ask it as a question{_value_question(terse, example_host, hosts)})")
            return ChangeMatch("unmatched", hosts=named, reason=reason, examples=known,
                               candidates=[pb.name for pb in playbooks if not pb.refused])
        return ChangeMatch("none")
    names = [pb.name for pb in candidates]
    negated = negated_actions(q, action_words) | {
        p for pb in candidates for p in by_phrase.get(pb.name, ()) if phrase_negated(q, p)}
    if negated:
        return ChangeMatch("question", playbook=names[0] if len(names) == 1 else None, hosts=named,
                           candidates=names, code="negated",
                           reason=f"the question says not to {', '.join(sorted(negated))}; "
                           "nothing is proposed")
    host_example = named[0] if named else next((h for h in hosts if h not in targets.excluded), "HOST")
    if hypothetical(q):  # quotes included, as intent.py reads it
        one = candidates[0] if len(names) == 1 else None
        what_if = one is not None and _asks_to_do(ex.text, one) and bool(
            said_words(q) & _WHAT_IF or _SAFE_TO.search(q))
        return ChangeMatch("question", playbook=one.name if one else None, hosts=named, candidates=names,
                           params=ex.values(one)[0] if one else {}, risk=one.risk if one else None,
                           code="hypothetical" if what_if else "about",
                           would_be=_resolve(one, names, targets, ex, words, hosts, host_example) if what_if else None,
                           reason="this asks about a change rather than for one; nothing is proposed")
    if _names_a_setting(ex.text, hosts) and all(ex.values(pb)[1] for pb in candidates):
        # "ospf cost on r3 eth-r1", "r1 eth-r2 description": a setting named with no verb and no value is
        # what it is now, a read (lead, stop 37: was a change asking for the cost); with a value it is a
        # request (terse_setting: "r1 eth-r3 mtu 1500")
        return ChangeMatch("none")
    if len(candidates) > 1:
        return ChangeMatch("clarify", hosts=named, candidates=names, code="multiple-changes", reason=(
            f"your words match {len(candidates)} vetted playbooks ({', '.join(names)}); "
            "ask for one change at a time"), examples=[pb.phrasing({"host": host_example}) for pb in candidates])
    return _resolve(candidates[0], names, targets, ex, words, hosts, host_example,
                    phrase=(by_phrase.get(candidates[0].name) or [""])[0])


def _resolve(pb: PlaybookInfo, names: list[str], targets: Targets, ex: _Extractor, words: set[str],
             hosts: list[str], host_example: str, phrase: str = "") -> ChangeMatch:
    """``pb``, the one playbook the words ask for: a ``change`` when targets and parameters are all
    there, else the ``clarify`` that says what is missing."""
    named = targets.named
    base = ChangeMatch("clarify", playbook=pb.name, hosts=named, risk=pb.risk, candidates=names, phrase=phrase)
    unsaid = [qual for qual in pb.qualifiers if not words & set(QUALIFIERS[qual])]
    if unsaid:
        base.code = "qualifier"
        base.reason = (f"the vetted playbook {pb.name} only does a {' '.join(unsaid)} {pb.actions[0]} "
                       f"({pb.description.strip()}); say so if that is what you want")
        base.examples = [pb.phrasing({"host": host_example, **ex.values(pb)[0]})]
        return base
    values, missing, problems = ex.values(pb)
    base.params = values
    end = peer_end(pb, missing, ex.text, named, hosts)  # "from r1 to r2": r2 is r1's neighbour
    if end is not None and end.ambiguous:
        base.code = "which-end"
        base.reason, base.examples = which_end(pb, end)
        return base
    if end is not None:
        targets = replace(targets, named=[end.target])
        named, base.hosts = targets.named, targets.named
        missing = [n for n in missing if n != end.param]
        base.peers = {end.param: end.peer}
    reasons = []
    if targets.everything_but:
        base.missing.append("host")
        rest = [h for h in hosts if h not in targets.excluded]
        reasons.append(f"{pb.name} needs its target named; every device except {', '.join(targets.excluded)} "
                       f"is {len(rest)} ({', '.join(rest)})"
                       + (f" and it changes at most {pb.max_hosts} per run" if pb.max_hosts else ""))
        base.code = "too-many-targets" if pb.max_hosts is not None and len(rest) > pb.max_hosts else "target"
    elif named and targets.unknown:
        reasons.append(f"{', '.join(targets.unknown)} {'is' if len(targets.unknown) == 1 else 'are'} not in the "
                       f"inventory ({', '.join(hosts)}); ask again with the devices it has")
        base.code = "unknown-host"
    elif not named:
        base.missing.append("host")
        known = {i.lower() for i in ex.interfaces} | {h.lower() for h in hosts}
        unknown = sorted(set(re.findall(r"(?<![\w-])[a-z]+[-_]?\d+\b", ex.text.lower())) - known)
        reasons.append(f"{pb.name} needs a target device from the inventory ({', '.join(hosts) or 'none'})"
                       + (f"; {', '.join(unknown)} is not one of them" if unknown else ""))
        base.code = "unknown-host" if unknown else "target"
    elif pb.max_hosts is not None and len(named) > pb.max_hosts:
        reasons.append(f"{pb.name} changes at most {pb.max_hosts} device(s) per run and the question names "
                       f"{len(named)} ({', '.join(named)}); ask for them one at a time")
        base.code = "too-many-targets"
    elif targets.by_group:  # a change names its devices (intent.check_intent binds only named hosts)
        reasons.append(f"{pb.name} needs its target named; the group you named stands for "
                       f"{', '.join(targets.by_group)}")
        base.code = "target"
    if missing:
        base.missing += missing
        reasons.append(f"{pb.name} needs " + ", ".join(_describe_param(n, pb.parameters[n]) for n in missing)
                       + (" in quotes" if any(getattr(pb.parameters[n], "type", "") in ("description", "string")
                                              for n in missing) else ""))
    reasons += problems.values()
    base.invalid = list(problems)
    stray = _unexplained(pb, ex)
    if stray:  # "put peer 198.51.100.6 on r2 into maintenance" is no router-wide drain
        reasons.append(f"{pb.name} takes no address, but the question gives {', '.join(stray)}; "
                       "say what it is for, or ask without it")
        base.invalid.append("address")
    if (missing or problems or stray) and not base.code:
        base.code = "parameter"
    if reasons:
        base.reason = "; ".join(reasons)
        base.examples = [pb.phrasing({"host": h, **values}) for h in (named or [host_example])[:1]]
        return base
    return ChangeMatch("change", playbook=pb.name, hosts=named, params=values, risk=pb.risk, candidates=names,
                       peers=base.peers, phrases=list(pb.phrases), not_for=list(pb.not_for), phrase=phrase,
                       read_only=pb.read_only)


def match_question(question: str, catalogue: Any, hosts: list[str],
                   groups: dict[str, list[str]] | None = None) -> ChangeMatch:
    """:func:`match_change` over ``catalogue``'s vetted change playbooks (a refused one the words
    ask for is named as refused)."""
    return match_change(question, playbooks_from(catalogue, refused=True), hosts, groups)
