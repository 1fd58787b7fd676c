"""Polarity: does a clause say its subject is up (established, present, allowed) or down?

The answer check uses this to catch a sentence that says the opposite of the evidence it cites
without a number or a quotation to give it away ("the session to 10.0.12.2 is down" over a
device reading "10.0.12.2 ... Established")::

    polarity("the session is not established")          # -1
    polarity("No BGP session on r1 is down")            # +1
    verdicts("10.0.12.2 is down", evidence_text)        # [Verdict(-1, unit, +1, "10.0.12.2")]

A clause's polarity comes from its state words (``up``/``down``, ``Established``/``Idle``,
``Full``/``Init``, ``enabled``/``disabled``, ``eligible``/``ineligible``...), each flipped by a
negation just before it (``not``, ``never``, ``no``, ``failed to``) or by a subject quantifier
(``No session``, ``None of``, ``Neither of``). Words that only say something exists (``a route``,
``an adjacency``) count when no state word does (``no route`` is -1). Two state words that
disagree leave the clause without polarity: unclear is never a contradiction.

The clause is bound to the evidence units about the same subject: a list line whose key the
clause names (``- eth-r2: admin up``), or units that share an address or identifier with it;
without one, the list lines under a lead-in sharing its topic ("BGP neighbours of r1:"), or the
prose sentences closest to it in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netops.agent import facts

POSITIVE = frozenset("""
up established establish establishes full fully formed form forms enabled enable running operational
reachable connected eligible allowed permitted valid online available healthy working adjacent present
exists exist accepted converged synchronized synchronised
""".split())
NEGATIVE = frozenset("""
down idle init disabled disable shut shutdown unreachable disconnected ineligible forbidden prohibited
invalid offline unavailable failed failing broken missing absent inactive lost dead stuck flapping
rejected refused unestablished reject rejects refuse refuses discard discards discarded drop drops dropped
""".split())
CAPITAL_NEGATIVE = frozenset({"Active", "Connect", "OpenSent", "OpenConfirm", "ExStart", "Exchange", "Loading",
                              "Attempt"})
"""BGP and OSPF states short of Established/Full, counted only as written (``Active``, not "active")."""
EXISTENCE = frozenset("""
route routes adjacency adjacencies session sessions peering peerings path paths yes
""".split())
"""Weak words: a route, an adjacency, a "yes" exist unless negated; used when no state word is."""
STATE_WORDS = frozenset(facts.stem(w) for w in POSITIVE | NEGATIVE | {w.lower() for w in CAPITAL_NEGATIVE}
                        | {"state", "status", "none", "neither", "both", "all", "every", "each"})
"""Words that say which state, or how many: a paraphrase may use them where the evidence does not."""
_NORMATIVE = re.compile(r"\b(?:must|shall|may)\s+not\b|\bcannot\b|\b(?:must|shall|required|may)\b", re.IGNORECASE)
"""RFC 2119 words as weak polarity: a rule allows or requires (+1) or forbids (-1) what it names."""
_SIDE = frozenset({"if", "whether", "unless", "when", "until", "because", "since", "once"})
"""A state after these is a condition or a cause, not what the clause says of its subject."""

_NEGATORS = frozenset({"not", "no", "never", "cannot", "without", "neither", "nor", "none", "lacks", "lack",
                       "lacking"})
_HAVE = frozenset({"has", "have", "having", "had", "there", "got", "gets", "learns", "learned", "learnt", "installed",
                   "holds", "keeps", "exists"})
_TO_NEGATORS = frozenset({"failed", "fails", "fail", "unable"})  # "failed to establish"
_QUANTIFIER = re.compile(r"^\s*(?:no\s+(?!,)|none\b|neither\b|not\s+(?:a|one|any)\b)", re.IGNORECASE)
_CLAUSE = re.compile(r"\s*[;:]\s+|,?\s+\b(?:but|whereas|while|although|though|however|yet)\b,?\s+|,\s+and\s+",
                     re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'/-]*|\d[\w./:-]*|[,()]")
_IDENT = re.compile(r"\b[A-Za-z][A-Za-z]*[-_]?[A-Za-z]*\d[A-Za-z0-9/._:-]*\b|\b[A-Za-z]+-[A-Za-z]+\d\w*\b")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _plain(text: str) -> str:
    return re.sub(r"\bcan't\b", "cannot", re.sub(r"n't\b", " not", re.sub(r"\[\d+\]", "", text)), flags=re.I)


def polarity(clause: str) -> int | None:
    """+1 (up, present, allowed), -1 (down, absent, refused) or None (no state, or unclear)."""
    return reading(clause)[0]


_NOT_STATE = re.compile(r"\b(?:(?:set|sets|setting|look|looks|looking|sign|signed|pick|picked|follow|followed)\s+up"
                        r"|up\s+to|down\s+to|up-to-date|(?:count|counting|scroll|scrolling|drill|drilling)\s+down)\b",
                        re.IGNORECASE)
"""'up'/'down' that say nothing of a state: "was set up", "up to 3 prefixes", "count down"."""


def reading(clause: str) -> tuple[int | None, bool]:
    """``(polarity, strong)``: strong when a state word gave it, not only a weak word (a route
    that exists, a MUST)."""
    text = _NOT_STATE.sub(" ", _plain(clause))
    tokens = _TOKEN.findall(text)
    strong: set[int] = set()
    weak: set[int] = set()
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low in _SIDE:
            break
        if tok in CAPITAL_NEGATIVE:
            if i == 0 or not tokens[i - 1][:1].isalnum():
                continue  # "Active sessions: ...", "Connect retries ...": a capital, not a state
            value, bucket = -1, strong
        elif low in POSITIVE:
            value, bucket = 1, strong
        elif low in NEGATIVE:
            value, bucket = -1, strong
        elif low in EXISTENCE:
            # "has a route", "no route": said to exist or not; "the session was set up" says neither
            if low != "yes" and not any(t.lower() in _HAVE | _NEGATORS for t in tokens[max(i - 3, 0):i]):
                continue
            value, bucket = 1, weak
        else:
            continue
        if low == "yes" and i + 1 < len(tokens) and tokens[i + 1] != ",":
            continue
        bucket.add(value * _negation(tokens, i))
    head = re.split(r"\b(?:" + "|".join(_SIDE) + r")\b", text, maxsplit=1, flags=re.IGNORECASE)[0]
    for m in _NORMATIVE.finditer(head):
        word = m.group(0)
        if word.lower() == "may" and not word.isupper():
            continue  # lower-case "may" is plain English ("it may be down")
        weak.add(-1 if word.lower() == "cannot" or word.lower().endswith("not") else 1)
    flip = -1 if _QUANTIFIER.match(text) else 1
    found = strong or weak
    if len(found) != 1:
        return None, False
    return next(iter(found)) * flip, bool(strong)


def _negation(tokens: list[str], i: int) -> int:
    """-1 when a negation governs the word at ``i`` (within three words, same phrase)."""
    sign = 1
    for j in range(i - 1, max(i - 4, -1), -1):
        low = tokens[j].lower()
        if low in {",", "(", ")"}:
            break
        if low in _NEGATORS and not (low == "no" and j + 1 < len(tokens) and tokens[j + 1] == ","):
            if j == 0 and low in {"no", "none", "neither"}:
                break  # a subject quantifier: handled for the whole clause
            sign = -sign
        elif low == "to" and j > 0 and tokens[j - 1].lower() in _TO_NEGATORS:
            sign = -sign
            break
    return sign


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses (split at ``;``, ``:``, ``but``, ``whereas``, ``, and``...)."""
    return [c for c in _CLAUSE.split(_plain(sentence)) if c and c.strip()]


def identifiers(text: str) -> set[str]:
    """Addresses (prefix length dropped), names with a digit (``eth-r2``, ``ge-0/0/1``, ``r1``)
    and quantities (``#0`` for "zero")."""
    out = {m.group(0).split("/")[0].lower() for m in facts._IP.finditer(text)}
    rest = facts._IP.sub(" ", text)
    out |= {m.group(0).rstrip(".:,;").lower() for m in _IDENT.finditer(rest)}
    out |= {f"#{q.value:g}" for q in facts.quantities(rest)}
    return {x for x in out if x}


@dataclass
class Unit:
    """One thing the evidence says: a sentence, or a list line (with the line's key and lead-in)."""

    text: str
    polarity: int | None
    strong: bool
    idents: set[str]
    words: set[str]
    """Content words of the unit and, for a list line, of its lead-in."""
    key: str | None = None
    listed: bool = False


def units(text: str) -> list[Unit]:
    """The evidence cut into units: each list line is one (with its lead-in's words), prose is
    cut into sentences."""
    from netops.agent.answer_check import split_sentences

    out: list[Unit] = []
    lead = ""
    para: list[str] = []

    def flush() -> None:
        nonlocal lead
        flat = " ".join(" ".join(para).split())
        para.clear()
        for a, b in split_sentences(flat) if flat else []:
            s = flat[a:b]
            title = s.rstrip().endswith(":")  # "OSPF neighbours (adjacencies) of r1:" names a list
            p, strong = (None, False) if title else reading(s)
            out.append(Unit(s, p, strong, identifiers(s), facts.content_words(s)))
            lead = s

    for line in facts.strip_art(text).splitlines():
        m = _BULLET.match(line)
        if not m:
            if line.strip():
                para.append(line)
            continue
        flush()
        body = line[m.end():].strip()
        key_m = re.match(r"([^\s:]+)", body)
        key = key_m.group(1).lower().split("/")[0] if key_m else None
        idents = identifiers(body) | ({key} if key else set())
        out.append(Unit(body, *reading(body), idents, facts.content_words(body) | facts.content_words(lead),
                        key, True))
    flush()
    return out


_ALL = re.compile(r"\b(?:all|every|each|both|everything|everywhere)\b", re.IGNORECASE)
_NONE_OF = re.compile(r"\b(?:neither|nor|none)\b", re.IGNORECASE)


@dataclass
class Verdict:
    """A clause's polarity against the evidence units it is bound to."""

    clause: str
    claim: int
    bound: list[Unit] = field(default_factory=list)
    by: str = ""
    """What bound them: an identifier, or ``topic``."""
    universal: bool = False
    """The clause speaks of all of them ("every peer is up"): one line saying otherwise refutes it."""

    @property
    def evidence(self) -> int | None:
        values = {u.polarity for u in self.bound if u.polarity is not None}
        if self.universal and -self.claim in values:
            return -self.claim
        return next(iter(values)) if len(values) == 1 else None

    @property
    def contradicts(self) -> bool:
        return self.evidence is not None and self.evidence == -self.claim

    @property
    def agrees(self) -> bool:
        return self.evidence is not None and self.evidence == self.claim


def verdicts(sentence: str, evidence: list[Unit]) -> list[Verdict]:
    """Each clause of ``sentence`` that has a polarity, bound to the evidence about its subject."""
    out: list[Verdict] = []
    carried: set[str] = set()
    known = set().union(*(u.idents for u in evidence)) if evidence else set()
    keys = {u.key for u in evidence if u.key}
    stated = [u for u in evidence if u.polarity is not None]
    for clause in clauses(sentence):
        low_words = {w.lower() for w in re.findall(r"[A-Za-z][\w/.-]*", clause)}
        idents = identifiers(clause) | (low_words & keys)
        if idents:
            carried = idents
        else:
            idents = carried  # "it is stuck in Init": the subject of the clause before
        p, strong = reading(clause)
        if p is None:
            continue
        if {i for i in idents if not i.startswith("#")} - known:
            continue  # a subject the evidence does not mention: the names check speaks to that
        # names and addresses bind first; a number ("3 prefixes") only where no name does
        named = {i for i in idents if not i.startswith("#")}
        scored = [(len(named & u.idents), u) for u in stated]
        if not any(sc for sc, _ in scored):
            scored = [(len(idents & u.idents), u) for u in stated]
        top = max((sc for sc, _ in scored), default=0)
        if top:
            # "both X and Y are up", "neither X nor Y is down": said of each one named
            out.append(Verdict(clause, p, [u for sc, u in scored if sc == top], ", ".join(sorted(idents)),
                               universal=bool(_ALL.search(clause) or _NONE_OF.search(clause))))
            continue
        topic = facts.content_words(clause) - STATE_WORDS
        listed = [u for u in stated if u.listed and topic & u.words]
        if listed:
            out.append(Verdict(clause, p, listed, "topic", universal=bool(_ALL.search(clause))))
            continue
        # by words alone only where the evidence says it with a state word (not a bare MUST)
        prose = [(len(topic & u.words), u) for u in stated if not u.listed and u.strong]
        best = max((sc for sc, _ in prose), default=0)
        if best and best >= max(2, (len(topic) + 1) // 2):
            out.append(Verdict(clause, p, [u for sc, u in prose if sc == best], "topic"))
    return out
