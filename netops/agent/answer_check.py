"""The answer check: is each sentence of an answer backed by the sources it cites?

::

    report = check_answer(text, sources, question=q, embed=kb_embedder.embed_query)
    report.text                 # the answer with [n] cleaned and unsupported sentences marked
    report.sentences[i].status  # supported | unsupported | contradicted | not_checked

Every sentence that states something (it has content words or a number and is not a question or
a "the sources do not say" hedge) is compared with each numbered source, the cited ones first:

- **numbers and units**: every quantity in the sentence must occur in the source, with the same
  unit when both give one (``three seconds`` matches ``3 seconds``; ``10 seconds`` does not);
- **normative words**: a MUST/SHOULD/MAY in the sentence must be in the source, and a conflicting
  one there (MUST vs MAY, MUST vs MUST NOT) counts against it;
- **names**: acronyms, message names, identifiers and addresses must occur in the source (or in the
  question, which is the person's own premise);
- **states**: a clause that says its subject is up (Established, Full, enabled, a route exists)
  where the evidence about that subject (the list line or sentence naming the same address or
  interface, else the lines under a lead-in of the same topic) says down, or the reverse, is a
  contradiction (:mod:`netops.agent.polarity`); agreeing states back the sentence;
- **content words**: the share of the sentence's meaningful words found in the source (words that
  only repeat the question weigh half); a sentence with no word, name or number of its own beyond
  the question's (and filler such as "the source of") only restates an open question: unsupported;
- **embedding similarity** between the sentence and the source's closest passage, when an embedder
  is given.

A sentence is *supported* when some source passes the hard checks (numbers, normative words,
names) and is close enough by words or meaning; *contradicted* when the closest source gives a
different number for the same unit, a conflicting normative word or the opposite state; otherwise *unsupported*.
Citations of sources that do not exist are removed and counted; a supported sentence that cites
nothing gets the citation of the source that backs it (counted as added).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from netops.agent import facts, polarity

SUPPORTED, UNSUPPORTED, CONTRADICTED, NOT_CHECKED = "supported", "unsupported", "contradicted", "not_checked"
MARKS = {UNSUPPORTED: " *(⚠ not supported by the sources)*", CONTRADICTED: " *(⚠ contradicted by source {n})*"}

MIN_OVERLAP = 0.5
"""Share of (weighted) content words a source must contain to back a sentence on words alone."""
MIN_SIMILARITY = 0.55
"""Cosine similarity that backs a sentence whose words are paraphrased ..."""
MIN_OVERLAP_WITH_SIMILARITY = 0.25
"""... provided at least this share of its words is in the source."""
CONFLICT_OVERLAP = 0.3
"""A differing number or normative word counts as a contradiction only in a source this close."""

_CITE = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*(?:,|and|&)\s*(?:sources?\s*)?\d+)*)\s*\]", re.IGNORECASE)
_LABEL_CITE = re.compile(r"\[([^\[\]\n]{3,120})\]")
_END = re.compile(r"[.!?](?:\s*\[\d+(?:\s*,\s*\d+)*\])*(?=\s+[A-Z0-9\[*_(\"'`]|\s*$)")
_BULLET = re.compile(r"\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+|>\s*)")
_HEDGE = re.compile(r"\b(do(?:es)? not (?:cover|mention|say|specify|contain|state|define)|not (?:covered|mentioned|"
                    r"specified|stated) (?:in|by)|(?:don't|do not|cannot|can't) (?:know|tell|answer|find)|no information|"
                    r"(?:not able|unable) to (?:answer|determine|tell|say|find|provide|identify|know)|"
                    r"not enough information|are not in your documents)\b", re.IGNORECASE)


class SourceLike(Protocol):
    n: int
    label: str
    text: str


@dataclass
class SentenceSupport:
    """How one sentence of the answer fares against the sources."""

    index: int
    text: str
    status: str
    """``supported``, ``unsupported``, ``contradicted`` or ``not_checked`` (no factual claim)."""
    cited: list[int] = field(default_factory=list)
    supported_by: list[int] = field(default_factory=list)
    contradicted_by: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """Why it is not supported (``10 s is not in [1]``), empty when it is."""
    moved_from: list[int] = field(default_factory=list)
    """The citations the model gave, when none of them backs the sentence and another source does."""
    score: float = 0.0
    """Best support score over the sources, 0..1 (0 when a hard check failed everywhere)."""
    similarity: float | None = None
    start: int = 0
    end: int = 0
    block_end: int | None = None
    """A line of a code block: where the block's closing fence ends (its mark goes there)."""


@dataclass
class CheckReport:
    """The whole answer's check: per-sentence support, counts, and the marked text."""

    text: str
    sentences: list[SentenceSupport] = field(default_factory=list)
    removed_citations: list[str] = field(default_factory=list)
    """Citations of sources that do not exist (``[7]``), removed from the text."""
    added_citations: int = 0
    moved_citations: int = 0
    """Supported sentences whose citation named a source that does not back them: the citation
    now names the one that does (``moved_from`` on the sentence says which it was)."""
    used_embeddings: bool = False

    def count(self, status: str) -> int:
        return sum(1 for s in self.sentences if s.status == status)

    @property
    def checked(self) -> int:
        return sum(1 for s in self.sentences if s.status != NOT_CHECKED)

    @property
    def unsupported(self) -> int:
        return self.count(UNSUPPORTED) + self.count(CONTRADICTED)

    @property
    def cited_sources(self) -> list[int]:
        seen: list[int] = []
        for s in self.sentences:
            for n in s.cited:
                if n not in seen:
                    seen.append(n)
        return seen

    def summary(self) -> str:
        """``3 of 4 sentences supported, 1 unsupported; 1 citation of a missing source removed``."""
        parts = [f"{self.count(SUPPORTED)} of {self.checked} sentences supported"]
        if self.count(UNSUPPORTED):
            parts.append(f"{self.count(UNSUPPORTED)} unsupported")
        if self.count(CONTRADICTED):
            parts.append(f"{self.count(CONTRADICTED)} contradicted")
        out = ", ".join(parts)
        if self.removed_citations:
            k = len(self.removed_citations)
            out += f"; {k} citation{'s' if k > 1 else ''} of a missing source removed"
        if self.moved_citations:
            k = self.moved_citations
            out += f"; {k} citation{'s' if k > 1 else ''} moved to the source that backs {'them' if k > 1 else 'it'}"
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "supported": self.count(SUPPORTED), "unsupported": self.count(UNSUPPORTED),
            "contradicted": self.count(CONTRADICTED), "checked": self.checked,
            "removed_citations": list(self.removed_citations), "added_citations": self.added_citations,
            "moved_citations": self.moved_citations,
            "used_embeddings": self.used_embeddings,
            "sentences": [{k: v for k, v in asdict(s).items() if k not in ("start", "end", "block_end")}
                          for s in self.sentences],
        }


# -- citations -----------------------------------------------------------------------------

def normalise_citations(text: str, sources: Sequence[SourceLike]) -> tuple[str, list[str]]:
    """``[Source 1]``/``[1, 2]``/``[RFC 4271 §4.2]`` -> ``[1]``/``[1][2]``; drop numbers with no source."""
    valid = {s.n for s in sources}
    removed: list[str] = []
    by_label = {s.label.lower(): s.n for s in sources}

    def numbers(m: re.Match[str]) -> str:
        nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
        keep = [n for n in nums if n in valid]
        removed.extend(f"[{n}]" for n in nums if n not in valid)
        return "".join(f"[{n}]" for n in dict.fromkeys(keep))

    def labels(m: re.Match[str]) -> str:
        inner = m.group(1).strip().lower()
        for label, n in by_label.items():
            # whole tokens only: "[RFC 4271]" is RFC 4271 §4.2's document, "[RFC 42]" and
            # "[RFC 4271 §4]" are not (a prefix of the label names another document or section)
            if _prefix(inner, label) or _prefix(label.split(" (")[0], inner):
                return f"[{n}]"
        return m.group(0)

    text = _LABEL_CITE.sub(labels, text) if by_label else text
    text = _CITE.sub(numbers, text)
    text = re.sub(r"[ \t]+(?=[.,;:!?])", "", re.sub(r"[ \t]{2,}", " ", text)) if removed else text
    return text, removed


def _prefix(head: str, text: str) -> bool:
    """Is ``head`` the start of ``text`` up to a token boundary (not "rfc 42" of "rfc 4271")?"""
    return text.startswith(head) and not re.match(r"[\w.\u00a7]", text[len(head):len(head) + 1] or " ")


def has_name(text: str, name: str) -> bool:
    """``name`` in lower-case ``text`` as a whole token: 198.51.100.1 is not in "198.51.100.10",
    r2 is not in "eth-r2" (a name without a digit is looked for as a substring, as before)."""
    if not any(c.isdigit() for c in name):
        return name in text
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-]|\.\d)", text) is not None


def cited(sentence: str) -> list[int]:
    return list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", sentence)))


# -- sentences -----------------------------------------------------------------------------

_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def split_sentences(text: str, *, blocks: bool = False) -> list[tuple[int, int]]:
    """Spans of the sentences of a Markdown answer (code blocks skipped). Headings and tables
    are skipped too, unless ``blocks``: then each table data row is a span, and so is a heading
    that states something up or down (a claim a model could otherwise hide there)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    in_code = False
    lines = text.splitlines(keepends=True)
    for k, line in enumerate(lines):
        start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        if body.strip().startswith("```"):
            in_code = not in_code
            continue
        if in_code or not body.strip():
            continue
        stripped = body.lstrip()
        if stripped.startswith("|"):
            header = k + 1 < len(lines) and _TABLE_RULE.match(lines[k + 1].rstrip("\r\n"))
            if blocks and not header and not _TABLE_RULE.match(body):
                spans.append((start + len(body) - len(stripped), start + len(body.rstrip())))
            continue
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()
            if blocks and heading and polarity.polarity(heading) is not None:
                spans.append((start + len(body) - len(heading) - (len(stripped) - len(stripped.rstrip())),
                              start + len(body.rstrip())))
            continue
        m = _BULLET.match(body)
        seg = start + (m.end() if m else len(body) - len(body.lstrip()))
        end_of_line = start + len(body.rstrip())
        for e in _END.finditer(text, seg, end_of_line):
            if text[seg:e.end()].strip():
                spans.append((seg, e.end()))
            seg = e.end()
            while seg < end_of_line and text[seg].isspace():
                seg += 1
        if seg < end_of_line and text[seg:end_of_line].strip():
            if re.fullmatch(r"(?:\s*\[\d+\])+\s*", text[seg:end_of_line]) and spans and spans[-1][1] <= seg:
                spans[-1] = (spans[-1][0], end_of_line)  # "... seconds. [1]" belongs to the sentence
            else:
                spans.append((seg, end_of_line))
    return spans


_FENCED = re.compile(r"^[ \t]*(```|~~~)([^\n]*)\n(.*?)(?:^[ \t]*\1[ \t]*(?:\n|\Z)|\Z)", re.MULTILINE | re.DOTALL)
_STATE_WORD = re.compile(r"(?<![\w/-])(?:established|idle|active|connect|opensent|openconfirm|full|init|2-way|exstart|"
                         r"exchange|loading|down|up|admin|administratively|never)(?![\w/-])", re.IGNORECASE)
_PROMPT = re.compile(r"^\s*(?:\S+[#>$]\s*)?(?:show|sh|display|vtysh)\b", re.IGNORECASE)


def _row(line: str) -> bool:
    """A table row of output: it starts with an address and has two more numbers."""
    words = line.split()
    return bool(words) and re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}(?:/\d+)?", words[0]) is not None and \
        sum(w.isdigit() for w in words[1:]) >= 2


def block_lines(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, block_end)`` of the lines of fenced blocks that read like device output
    (a line with a number or a state), which an answer must not invent. A block of configuration
    with no state in it is an example (advice) and has none; nor has a block of prose or code."""
    from netops.privacy import _config_like

    out: list[tuple[int, int, int]] = []
    for m in _FENCED.finditer(text):
        info, body_at = m.group(2).strip().lower(), m.start(3)
        rows, pos = [], body_at
        for line in m.group(3).split("\n"):
            if line.strip():
                rows.append((pos, pos + len(line.rstrip())))
            pos += len(line) + 1
        lines = [text[a:b] for a, b in rows]
        stated = [bool(_STATE_WORD.search(ln)) for ln in lines]
        rowed = any(map(_row, lines))
        output = (_PROMPT.match(info) is not None or "json" in info or any(stated) or rowed
                  or (lines and _PROMPT.match(lines[0]) is not None))
        if not output or (not any(stated) and not rowed and all(_config_like(ln)[0] for ln in lines)):
            continue
        for (a, b), line, state in zip(rows, lines, stated):
            if _PROMPT.match(line) or not (state or re.search(r"\d", line)):
                continue  # the command echoed, a header
            out.append((a, b, m.end()))
    return out


def code_claim(line: str) -> str:
    """A line of output (a table row, a JSON member) as a clause the checks read."""
    return " ".join(re.sub(r"[{}\[\]\",]", " ", line).replace(": ", " ").split())


_TAG_QUESTION = re.compile(r",\s*(?:(?:is|are|was|were|does|do|did|has|have|had|can|could|would|will)(?:n't|\s+not)?"
                           r"(?:\s+(?:it|they|that|there|he|she|we|you|this))?|right|correct|true|no|yes|ok|okay)"
                           r"\s*\?\s*((?:\[\d+\]\s*)*)$", re.IGNORECASE)
_HEDGE_SPLIT = re.compile(r",?\s+\b(?:but|however|although|though|yet)\b,?\s+|[;:]\s+"
                          # "X is down and the output does not mention Y": the hedge is its own clause
                          r"|,?\s+\band\s+(?=[^.;:]{0,60}?" + _HEDGE.pattern + ")", re.IGNORECASE)


def claim_text(sentence: str) -> str:
    """What a sentence claims, as checked: a tag question's tag dropped ("..., isn't it?"), a
    table row's cells as a clause, and the clauses of a hedge that say nothing ("the sources do
    not mention X, but Y" claims Y). Empty when nothing is claimed."""
    s = sentence.strip()
    if s.startswith("|"):
        s = ", ".join(c.strip() for c in s.strip("|").split("|") if c.strip()) + "."
    s = s.lstrip("#").strip()
    s = _TAG_QUESTION.sub(lambda m: "." + (" " + m.group(1).strip() if m.group(1) else ""), s)
    if _HEDGE.search(s):
        s = " ".join(part for part in _HEDGE_SPLIT.split(s) if part and not _HEDGE.search(part)).strip()
    return s


def is_claim(sentence: str) -> bool:
    """Does the sentence state something checkable?"""
    s = claim_text(sentence)
    if not s or s.rstrip().endswith("?"):
        return False
    plain = re.sub(r"\[\d+\]", "", s)
    return (len(facts.content_words(plain)) >= 2 or bool(facts.quantities(plain)) or bool(facts.names(plain))
            or (polarity.polarity(plain) is not None and bool(polarity.identifiers(plain) or facts.content_words(plain))))


# -- support -------------------------------------------------------------------------------

@dataclass
class _Prepared:
    n: int
    label: str
    text: str
    low: str
    words: set[str]
    quantities: list[facts.Quantity]
    windows: list[str]
    parts: list["_Part"]
    units: list[polarity.Unit] = field(default_factory=list)
    host: str | None = None
    """The device a device source is the output of (None for documents)."""
    """What the source says, unit by unit (list lines on their own), for the polarity check."""


@dataclass
class _Part:
    """One sentence of a source, with what the check compares."""

    text: str
    raw: set[str]
    """Lower-case words as written (for antonyms)."""
    words: set[str]
    names: set[str]
    levels: set[str]
    levels_any: set[str]
    quantities: list[facts.Quantity]


def _windows(text: str, size: int = 2) -> list[str]:
    flat = " ".join(text.split())
    parts = [flat[a:b] for a, b in split_sentences(flat)] or [flat]
    if len(parts) <= size:
        return [" ".join(parts)]
    return [" ".join(parts[i:i + size]) for i in range(0, len(parts) - size + 1)]


def _segments(text: str) -> list[str]:
    """The source's statements: prose cut into sentences, but each line of a fenced block
    (a configuration, device output) and each list line on its own, since neither ends its
    lines with a full stop and read as one run-on sentence, "area 0" would back "cost 0"."""
    out: list[str] = []
    para: list[str] = []
    fenced = False

    def flush() -> None:
        flat = " ".join(" ".join(para).split())
        para.clear()
        if flat:
            out.extend(flat[a:b] for a, b in split_sentences(flat))

    for line in text.splitlines():
        if line.strip().startswith("```"):
            flush()
            fenced = not fenced
            continue
        if fenced or _BULLET.match(line) and line.strip()[:1] in "-*+•":
            flush()
            if line.strip():
                out.append(" ".join(line.split()))
            continue
        para.append(line)
    flush()
    return out


def _prepare(src: SourceLike) -> _Prepared:
    plain = facts.strip_art(src.text)
    body = f"{src.label} {getattr(src, 'title', '')}\n{plain}"
    parts = [_Part(t, {w.lower() for w in re.findall(r"[A-Za-z]+", t)}, facts.content_words(t), facts.names(t),
                   facts.normative(t), facts.normative(t.upper()), facts.quantities(t))
             for t in _segments(plain)]
    return _Prepared(src.n, src.label, plain, " ".join(body.lower().split()), facts.content_words(body),
                     facts.quantities(plain), _windows(plain), parts, polarity.units(src.text), _host(src))


def _host(src: SourceLike) -> str | None:
    if getattr(src, "kind", None) != "device":
        return None
    host = getattr(getattr(src, "evidence", None), "host", None)
    return str(host).lower() if host else None


def _overlap(words: set[str], premise: set[str], source: set[str]) -> float:
    if not words:
        return 1.0
    weight = {w: (0.5 if w in premise else 1.0) for w in words}
    return sum(weight[w] for w in words if w in source) / sum(weight.values())


def _cos(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


def _judge(sentence: str, src: _Prepared, premise_words: set[str], premise_names: set[str],
           sim: float | None, about: set[str] = frozenset()) -> tuple[str, float, list[str]]:
    """(status, score, reasons) of one sentence against one source; ``about``: the hosts whose
    device output is among the sources that the sentence names."""
    plain = re.sub(r"\[\d+\]", "", sentence)
    if src.host and about and src.host not in about:
        # r1's output says nothing about r2, however alike their neighbour lists look
        return UNSUPPORTED, 0.0, [f"[{src.n}] is the output of {src.host}; the sentence is about "
                                  f"{', '.join(sorted(about))}"]
    words = facts.content_words(plain)
    claim_names = facts.names(plain)
    overlap = _overlap(words, premise_words, src.words)
    reasons: list[str] = []
    conflict = False
    # Facts are bound to the source sentence that says them: "4 octets" must come from the
    # sentence about the field the claim names, not from any sentence with a 4 in it.
    key = (words | claim_names) or premise_words  # "It is three seconds.": the question says what "it" is
    scored = [(len(key & (part.words | part.names)), part) for part in src.parts]
    top = max((sc for sc, _ in scored), default=0)
    closest = [part for sc, part in scored if sc == top and sc > 0]
    need = min(2, len(key)) or 1
    for q in facts.quantities(plain):
        holders = [(sc, part) for sc, part in scored if all(facts.matches(part.quantities, q))]
        bound = max((sc for sc, _ in holders), default=-1)
        rivals = sorted({x.text for part in closest for x in part.quantities
                         if q.unit and x.unit == q.unit and abs(x.value - q.value) > 1e-9})
        in_closest = any(all(facts.matches(part.quantities, q)) for part in closest)
        unit = f" {q.unit}" if q.unit else ""
        if in_closest or (bound >= need and not (rivals and bound < top)):
            continue
        if rivals and overlap >= CONFLICT_OVERLAP:
            conflict = True
            reasons.append(f"{q.text}{unit}: [{src.n}] says {', '.join(rivals[:3])}")
        elif holders:
            reasons.append(f"{q.text}{unit} is in [{src.n}] but not where it says what the sentence says")
        else:
            unit_numbers = sorted({x.text for x in src.quantities if q.unit and x.unit == q.unit})
            if q.unit and unit_numbers and overlap >= CONFLICT_OVERLAP:
                conflict = True
                reasons.append(f"{q.text}{unit}: [{src.n}] says {', '.join(unit_numbers[:3])}")
            else:
                reasons.append(f"{q.text}{unit} is not in [{src.n}]")
    levels = facts.normative(plain)
    lowercase = facts.normative(plain.upper()) - levels - {"MAY"}  # lower-case "may" is plain English
    for level in levels | lowercase:
        have = set().union(*(part.levels if level in levels else part.levels_any for part in closest)) if closest else set()
        if level in have:
            continue
        clash = _conflicts(level) & have
        if clash and overlap >= CONFLICT_OVERLAP:
            conflict = True
            reasons.append(f"{level}: [{src.n}] says {', '.join(sorted(clash))}")
        else:
            reasons.append(f"{level} is not in [{src.n}]")
    # A clause that says its subject is up where the evidence about that subject says down
    # (or the reverse): "the session to 10.0.12.2 is down" over "10.0.12.2 ...: Established".
    states = polarity.verdicts(plain, src.units)
    for v in states:
        if v.contradicts:
            conflict = True
            said = v.bound[0].text if len(v.bound) == 1 else f"{len(v.bound)} lines"
            reasons.append(f"[{src.n}] says the opposite about {v.by}: {said[:80]!r}")
    decided = any(v.evidence is not None for v in states)
    agreed = bool(states) and all(v.agrees for v in states)
    if closest and top >= max(2, len(key) // 2) and not decided:
        # The sentence that says the same thing says the opposite: negation or an antonym.
        shared = set().union(*(words & p.words for p in closest))
        claim_negated = facts.negated(plain, shared)
        # "ineligible", "unreachable": a negative state word says "not" too, where the sentence
        # says "not" or states a state itself ("can never become DR" against "is ineligible to
        # become DR"), not of any sentence that shares words with it ("wait five minutes for
        # traffic to move away" is not the opposite of a runbook's "set the graceful shutdown
        # community ... and wait five minutes for traffic to move away")
        states_one = claim_negated or polarity.reading(plain)[0] is not None
        if all((facts.negated(p.text, shared) or (polarity.reading(p.text) == (-1, True) if states_one
                                                  else _negative_where_shared(p.text, plain)))
               != claim_negated for p in closest):
            conflict = True
            reasons.append(f"[{src.n}] says the opposite ({'no' if claim_negated else 'a'} negation there)")
        lower = {w.lower() for w in re.findall(r"[A-Za-z]+", plain) if not w.isupper()}
        said = set().union(*(p.raw for p in closest))
        flips = sorted(w for w in lower if w in facts.ANTONYMS and facts.ANTONYMS[w] in said and w not in said)
        if flips:
            conflict = True
            reasons.append(f"[{src.n}] says {facts.ANTONYMS[flips[0]]}, not {flips[0]}")
    claim_low = plain.lower()
    missing = [n for n in claim_names if n not in premise_names
               and not (has_name(src.low, n) if has_name(claim_low, n) else n in src.low)]
    if missing:
        reasons.append(f"{', '.join(sorted(missing)[:3])} not in [{src.n}]")
    soft = overlap if sim is None else max(overlap, 0.5 * overlap + 0.5 * sim)
    if reasons:
        return (CONTRADICTED if conflict else UNSUPPORTED), 0.0 if conflict else soft * 0.5, reasons
    hard = [q for q in facts.quantities(plain)] + [n for n in claim_names if n not in premise_names]
    close = (overlap >= MIN_OVERLAP or (sim is not None and sim >= MIN_SIMILARITY
                                        and overlap >= MIN_OVERLAP_WITH_SIMILARITY)
             # the facts are the claim: "r1 peers with 198.51.100.2", "at least 19 and at most 4096 octets"
             or (bool(hard) and len(words - premise_words) <= 1)
             or (len(hard) >= 2 and overlap >= MIN_OVERLAP_WITH_SIMILARITY)
             # the state the evidence gives its subject: "eth-r2 is not down" over "eth-r2: oper up"
             or (agreed and len(words - premise_words - src.words - polarity.STATE_WORDS) <= 1))
    if not close:
        detail = f"only {overlap:.0%} of its words" + (f", similarity {sim:.2f}" if sim is not None else "")
        return UNSUPPORTED, soft * 0.5, [f"[{src.n}] is not close enough ({detail})"]
    # A supported clause does not carry an invented one: "... Established, because of a route leak".
    # (Its words, not its names: "because of a route leak in AS65002" names a peer the source has.)
    for clause in _CLAUSES.split(plain)[1:]:
        own = facts.content_words(clause) - premise_words - polarity.STATE_WORDS - facts.names(clause)
        if len(own) >= 2 and not own & src.words:
            return UNSUPPORTED, soft * 0.5, [f"the clause {clause.strip()[:80]!r} is not in [{src.n}]"]
    return SUPPORTED, 0.5 + 0.5 * min(1.0, soft), []


_CLAUSES = re.compile(r",?\s+\b(?:because|so|since|which|whereas|while|but|although|though|therefore|hence|thus|"
                      r"due\s+to)\b|;\s+|,\s+and\s+")


_YES_NO = re.compile(r"^\W*(?:is|are|was|were|isn't|aren't|does|do|did|doesn't|don't|has|have|had|can|could|should|"
                     r"will|would|may|must|shall)\b", re.IGNORECASE)
_FILLER = {facts.stem(w) for w in (
    "source", "sources", "passage", "passages", "document", "documents", "text", "section", "sections",
    "output", "answer", "question", "information", "describe", "describes", "described", "explain", "explains",
    "explained", "define", "defines", "defined", "mention", "mentions", "mentioned", "say", "says", "said",
    "following", "given", "provided", "according", "refer", "refers", "specified", "specifies", "discuss",
    "discusses", "discussed", "called", "known", "named", "certain", "specific", "particular", "actually",
    "simply", "basically", "generally", "question", "topic", "thing", "things")}
"""Words that add nothing to what the question asked ("the source of ...", "as described")."""
_CLOSED = re.compile(r"\b(?:whether|or)\b|\bwhich\s+of\b|^(?!\W*(?:what|how|why|when|where|which|who)\b).*\bif\b",
                     re.IGNORECASE)
"""A yes/no question inside another ("check whether r1's session to r2 is established", "tell me if
...", but not "what happens if ...") or a choice ("which is longer, the hold time or the keepalive
interval?", "which of TCP and UDP ..."): its answer is made of the question's own words."""
_NEGATION = re.compile(r"\b(?:not|no|none|never|neither|nor|nothing|cannot)\b|n't\b", re.IGNORECASE)


def restates_question(sentence: str, question: str) -> bool:
    """The sentence says nothing the question did not ("The hold timer is the hold timer [1].", "The
    source of the OSPF elects a designated router on a broadcast segment [1]." for "explain how OSPF
    elects a designated router on a broadcast segment"): no word, name or number of its own but
    filler. An answer to a yes/no question restates it and is an answer ("Is r1's session to r2
    established?" - "r1's session to r2 is established."), so those are not judged here; nor are a
    yes/no question inside another ("check whether ...", "tell me if ...") or a choice ("... X or
    Y?"). A sentence that denies what the question takes for granted ("No interfaces on r1 are
    down." for "which interfaces on r1 are down") says something of its own: its "no"."""
    if not question.strip() or _YES_NO.match(question) or _CLOSED.search(question):
        return False
    plain = re.sub(r"\[\d+\]", "", sentence)
    if len(_NEGATION.findall(plain)) > len(_NEGATION.findall(question)):
        return False
    words = facts.content_words(plain) - _FILLER
    if not words or words - facts.content_words(question):
        return False
    if facts.names(plain) - facts.names(question):
        return False
    asked = facts.quantities(question)
    return all(any(facts.matches(asked, q)) for q in facts.quantities(plain))


def _conflicts(level: str) -> set[str]:
    return facts.CONFLICTS.get(level, set())


_QUOTE = re.compile(r'"([^"\n]{8,}?)"|\u201c([^\u201d\n]{8,}?)\u201d')
_SECTION_REF = re.compile(r"\bRFC\s*(\d{1,5})\s*,?\s*(?:\u00a7|[Ss]ection\s+|[Ss]ec\.\s*)\s*(\d+(?:\.\d+)*)")


def _flat(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _phantoms(sentence: str, haystack: str, labels: str) -> list[str]:
    """What the sentence presents as taken from the sources but is in none of them: a quotation
    (three words or more, compared without case and punctuation) or an RFC section."""
    out = []
    for m in _QUOTE.finditer(sentence):
        quote = m.group(1) or m.group(2)
        flat = _flat(quote)
        if len(flat.split()) >= 3 and flat not in haystack:
            out.append(f'the quotation "{quote[:80]}" is not in any source')
    for m in _SECTION_REF.finditer(sentence):
        rfc, sec = m.group(1), m.group(2)
        if not re.search(rf"\brfc {rfc} (?:\u00a7|section )?{re.escape(sec)}(?!\d)", labels):
            out.append(f"RFC {rfc} \u00a7{sec} is not among the sources")
    return out


_CLAUSE_BREAK = re.compile(r"[;:,]|\b(?:and|but|while|whereas|then)\b", re.IGNORECASE)


def _negative_where_shared(text: str, claim: str) -> bool:
    """A negative state word ("unreachable", "inactive") in ``text`` of one clause, or in a clause
    of it that shares a word or a name with ``claim``: "10.0.0.2 is unreachable from r1" is the
    opposite of "10.0.0.2 can be reached from r1", while the "graceful shutdown community" of "set
    the graceful shutdown community and wait five minutes" says nothing of "wait five minutes"."""
    clauses = [c for c in _CLAUSE_BREAK.split(text) if c and c.strip()]
    if len(clauses) <= 1:
        return polarity.reading(text) == (-1, True)
    said = facts.content_words(claim) | facts.names(claim)
    return any((facts.content_words(c) | facts.names(c)) & said and polarity.reading(c) == (-1, True)
               for c in clauses)


def check_answer(text: str, sources: Sequence[SourceLike], *, question: str = "",
                 embed: Callable[[str], Sequence[float]] | None = None, mark: bool = True) -> CheckReport:
    """Check ``text`` against ``sources`` (numbered ``n``); see the module docstring."""
    text, removed = normalise_citations(text, sources)
    prepared = [_prepare(s) for s in sources]
    premise_words = facts.content_words(question)
    premise_names = facts.names(question)
    in_block = {(a, b): end for a, b, end in block_lines(text)}
    spans = sorted(split_sentences(text, blocks=True) + list(in_block))
    report = CheckReport(text=text, removed_citations=removed)
    sims: dict[tuple[int, int], float] = {}

    def said(i: int) -> str:
        a, b = spans[i]
        return code_claim(text[a:b]) if (a, b) in in_block else text[a:b]

    claims = [i for i in range(len(spans)) if is_claim(said(i))]
    if embed is not None and claims and prepared:
        try:
            sims = _similarities([claim_text(said(i)) for i in claims], claims, prepared, embed)
            report.used_embeddings = True
        except Exception:  # an embedder failure must not lose the lexical check
            sims = {}
    hosts = {p.host for p in prepared if p.host}
    haystack = " | ".join(_flat(f"{s.label} {s.text}") for s in sources)
    labels = " | ".join(s.label.lower() for s in sources)
    for i, (a, b) in enumerate(spans):
        sentence = text[a:b]
        item = SentenceSupport(index=i, text=sentence.strip(), status=NOT_CHECKED, cited=cited(sentence),
                               start=a, end=b, block_end=in_block.get((a, b)))
        sentence = said(i)
        report.sentences.append(item)
        phantoms = _phantoms(sentence, haystack, labels)
        if phantoms:  # a quotation or a section that no source has backs nothing, whatever else matches
            item.status, item.reasons = UNSUPPORTED, phantoms
            continue
        if i not in claims:
            continue
        if not prepared:
            item.status, item.reasons = UNSUPPORTED, ["there are no sources"]
            continue
        order = sorted(prepared, key=lambda p: (p.n not in item.cited, p.n))
        sentence = claim_text(sentence)
        if restates_question(sentence, question):  # however well its words match the source
            item.status, item.reasons = UNSUPPORTED, ["it only restates the question"]
            continue
        low = sentence.lower()
        about = {h for h in hosts if has_name(low, h)}
        verdicts = []
        for p in order:
            sim = sims.get((i, p.n))
            verdicts.append((p, *_judge(sentence, p, premise_words, premise_names, sim, about), sim))
        item.supported_by = [p.n for p, status, *_ in verdicts if status == SUPPORTED]
        best = max(verdicts, key=lambda v: v[2])
        item.score = round(best[2], 3)
        known = [v[4] for v in verdicts if v[4] is not None]
        item.similarity = round(max(known), 3) if known else None
        if item.supported_by:
            item.status = SUPPORTED
            continue
        # The verdict that matters: a cited source first, else the closest one.
        focus = [v for v in verdicts if v[0].n in item.cited] or [best]
        contradicting = [v for v in focus if v[1] == CONTRADICTED]
        if contradicting:
            item.status = CONTRADICTED
            item.contradicted_by = [v[0].n for v in contradicting]
            item.reasons = [r for v in contradicting for r in v[3]]
        else:
            item.status = UNSUPPORTED
            item.reasons = [r for v in focus for r in v[3]][:4]
    report.text = _rewrite(text, report, mark) if (mark or any(s.status == SUPPORTED for s in report.sentences)) else text
    return report


def _similarities(sentences: list[str], idx: list[int], prepared: list[_Prepared],
                  embed: Callable[[str], Sequence[float]]) -> dict[tuple[int, int], float]:
    """Cosine of each claim with each source's passages closest to the answer by words."""
    answer_words = set().union(*(facts.content_words(s) for s in sentences))
    svecs = [embed(s) for s in sentences]
    out: dict[tuple[int, int], float] = {}
    for p in prepared:
        windows = sorted(p.windows, key=lambda w: -len(facts.content_words(w) & answer_words))[:2]
        wvecs = [embed(w) for w in windows]
        for i, v in zip(idx, svecs):
            out[(i, p.n)] = max(_cos(v, w) for w in wvecs) if wvecs else 0.0
    return out


def _block_note(lines: list[SentenceSupport]) -> str | None:
    """The mark after a code block whose lines of output are not all backed."""
    bad = [s for s in lines if s.status in (UNSUPPORTED, CONTRADICTED)]
    if not bad:
        return None
    lines = [s for s in lines if s.status != NOT_CHECKED]
    against = sorted({n for s in bad for n in s.contradicted_by})
    contra = f"; contradicted by source {', '.join(map(str, against))}" if against else ""
    return (f"*(⚠ not what any tool returned: {len(bad)} of {len(lines)} lines of the block above are not "
            f"supported by the sources{contra})*")


def _rewrite(text: str, report: CheckReport, mark: bool) -> str:
    """Insert missing citations and the marks, from the end so earlier offsets stay valid."""
    out = text
    blocks: dict[int, list[SentenceSupport]] = {}
    for s in report.sentences:
        if s.block_end is not None:
            blocks.setdefault(s.block_end, []).append(s)
    edits: list[tuple[int, int, Any]] = [(s.start, 1, s) for s in report.sentences if s.block_end is None]
    edits += [(end, 0, lines) for end, lines in blocks.items()]
    for at, _, item in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if isinstance(item, list):  # a code block: one mark after its closing fence, the block untouched
            note = _block_note(item) if mark else None
            if note:
                lead = "" if out[at - 1:at] == "\n" else "\n"
                out = f"{out[:at]}{lead}{note}{chr(10) if at < len(out) else ''}{out[at:]}"
            continue
        s = item
        end = s.end
        while end > s.start and out[end - 1].isspace():
            end -= 1
        if out[s.start:s.start + 1] == "|" and out[end - 1:end] == "|":
            end -= 1  # a table row: the mark goes in its last cell, the row stays a row
            while end > s.start and out[end - 1].isspace():
                end -= 1
        if s.status == SUPPORTED and s.cited and s.supported_by and not set(s.cited) & set(s.supported_by):
            # cited a source that does not back it (another host's output, the wrong passage)
            n = s.supported_by[0]
            body = re.sub(r"\s*\[\d+\]", "", out[s.start:end])
            at = len(body) - 1 if body[-1:] in ".!?" else len(body)
            out = f"{out[:s.start]}{body[:at]} [{n}]{body[at:]}{out[end:]}"
            s.moved_from, s.cited = s.cited, [n]
            report.moved_citations += 1
        elif s.status == SUPPORTED and not s.cited and s.supported_by:
            n = s.supported_by[0]
            at = end - 1 if out[end - 1] in ".!?" else end
            out = f"{out[:at]} [{n}]{out[at:]}"
            s.cited = [n]
            report.added_citations += 1
        elif mark and s.status in MARKS:
            note = MARKS[s.status].format(n=", ".join(str(n) for n in s.contradicted_by))
            out = f"{out[:end]}{note}{out[end:]}"
    return out
