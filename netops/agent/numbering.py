"""One numbering for every source the model sees in a turn.

The sources gathered before the model spoke (:mod:`netops.agent.grounding`) are [1]..[k]; each
source a tool call then shows the model (a passage of ``kb_search``, one host's device output)
gets the next number as it arrives, and a source seen again (the same label: the same passage, the
same read) keeps its first number. The tools print these numbers in what the model reads, so
its "[5]" names one source whichever call showed it, and the answer check
(:mod:`netops.agent.answer_check`) judges each sentence against the source its mark names.

With no numbering (offline, the reads made before the model speaks) tools number as before.

That number is the one a person sees everywhere in the turn: the answer's ``[n]`` (never
renumbered), the tool card (the output the model read), the answer check's ``cited`` /
``supported_by`` / ``contradicted_by``, and the evidence list, which every surface (chat, ``ask``,
``--json``, the history) takes from :func:`numbered`, so none of them numbers it by position.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from netops.agent.evidence import Evidence


class TurnSources:
    """The numbered sources of one turn, in the order the model first saw them."""

    def __init__(self, first: Iterable[Any] = ()) -> None:
        from dataclasses import replace

        # copies: text a later call adds to a source is not written into the grounding's own
        self.sources: list[Any] = [replace(s) for s in first]
        self._by_label = {s.evidence.label: s for s in self.sources}
        self._lock = threading.Lock()

    def number(self, evidence: Evidence, text: str = "", kind: str | None = None) -> int:
        """The number of ``evidence`` in this turn: its first one if it was seen before (``text``
        not yet known of it is added for the check), else the next."""
        from netops.agent.grounding import Source

        with self._lock:
            seen = self._by_label.get(evidence.label)
            if seen is not None:
                if text.strip() and text.strip() not in seen.text:
                    seen.text = f"{seen.text}\n\n{text.strip()}" if seen.text.strip() else text.strip()
                return seen.n
            n = max((s.n for s in self.sources), default=0) + 1
            source = Source(n, kind or evidence.kind, evidence.label, text.strip(), evidence)
            self.sources.append(source)
            self._by_label[evidence.label] = source
            return n

    def of(self, label: str) -> int | None:
        """The number the source labelled ``label`` has in this turn (None: not shown yet)."""
        with self._lock:
            seen = self._by_label.get(label)
            return None if seen is None else seen.n

    def __len__(self) -> int:
        return len(self.sources)


def numbered(evidence: Sequence[Evidence], numbers: Mapping[str, int] | None = None) -> list[tuple[int, Evidence]]:
    """An answer's evidence list as every surface shows it: each entry with the number its text
    cites it by (``numbers``: label -> the turn's number), in that order ([1] before [2], as the
    tool cards showed them). An entry the turn did not number (an offline answer's: all of them)
    gets the next number no source of the turn has, so with no numbers the list is numbered
    1, 2, 3 as it stands."""
    numbers = dict(numbers or {})
    free = max(numbers.values(), default=0)
    out: list[tuple[int, Evidence]] = []
    for e in evidence:
        n = numbers.get(e.label)
        if n is None:
            free += 1
            n = numbers[e.label] = free
        out.append((n, e))
    return sorted(out, key=lambda item: item[0])


_FENCE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[ \t]*$|\Z)|`[^`\n]*`", re.MULTILINE | re.DOTALL)
_MARK = re.compile(r"\[(\d+)\]")


def marks_outside_code(text: str) -> list[re.Match[str]]:
    """The ``[n]`` marks of ``text`` that are not inside code (a fenced block, an inline span)."""
    code = [(m.start(), m.end()) for m in _FENCE.finditer(text)]
    return [m for m in _MARK.finditer(text) if not any(a <= m.start() < b for a, b in code)]


_ODD_MARK = re.compile(r"(?<![\w\[\]])[\[\uff3b\u3010]([^\[\]\uff3b\uff3d\u3010\u3011\n]{1,60})[\]\uff3d\u3011]")
_MARK_LIST = re.compile(r"\s*(?:sources?\s*)?[0-9]+(?:\s*(?:,|;|&|and|to|-|\u2013|\u2014)\s*(?:sources?\s*)?[0-9]+)*\s*",
                        re.IGNORECASE)
_MAX_RANGE = 20


def _ascii_digits(text: str) -> str:
    """``text`` with every digit a reader reads as one (fullwidth, superscript, mathematical,
    Arabic-Indic: NFKC, then each decimal digit) as ASCII."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.decimal(ch, None) is not None
                   else ch for ch in text)


def canonical_marks(text: str) -> str:
    """``text`` with each citation mark a reader takes for one written as ``[n]``: ``[1, 7]``,
    ``[1-3]`` (a short range: each number), ``[07]``, fullwidth ``［７］``, ``[²]``, ``[𝟕]``,
    ``[٧]`` -> ``[1][7]``, ``[1][2][3]``, ``[7]``, ``[7]``, ``[2]``, ``[7]``, ``[7]``; so the
    check that drops or flags a number with no source sees every one. Not in code, and not
    right after a word or bracket (``eth[1-3]``, ``a[0][1]`` are not citations)."""
    code = [(m.start(), m.end()) for m in _FENCE.finditer(text)]

    def fix(m: re.Match[str]) -> str:
        if re.fullmatch(r"\[[1-9][0-9]*\]", m.group(0)) or any(a <= m.start() < b for a, b in code):
            return m.group(0)
        inner = _ascii_digits(m.group(1))
        if not _MARK_LIST.fullmatch(inner):
            return m.group(0)
        nums: list[int] = []
        tokens = re.findall(r"[0-9]+|-|\u2013|\u2014|\bto\b", inner, re.IGNORECASE)
        for i, tok in enumerate(tokens):
            if not tok.isdigit():
                continue
            n = int(tok)
            if i >= 2 and not tokens[i - 1].isdigit() and tokens[i - 2].isdigit():
                lo = int(tokens[i - 2])
                if 0 < lo < n <= lo + _MAX_RANGE:
                    nums.extend(range(lo + 1, n))
            nums.append(n)
        return "".join(f"[{n}]" for n in dict.fromkeys(nums))

    return _ODD_MARK.sub(fix, text)


def marks_out(text: str) -> tuple[str, list[str]]:
    """An answer with no source at all (nothing gathered, nothing the model's calls showed it):
    every ``[n]`` outside code names a source that does not exist and is removed, with the
    space before it. Returns the text and the marks removed."""
    removed: list[str] = []
    out, last = [], 0
    for m in marks_outside_code(text):
        removed.append(m.group(0))
        out.append(text[last:m.start()].rstrip(" \t"))
        last = m.end()
    return "".join(out) + text[last:], removed


def cite_unchecked(text: str, sources: Sequence[Any]) -> tuple[str, list[str]]:
    """An answer no check reads (nothing was gathered before the model spoke, but its own tool
    calls showed it numbered sources): each ``[n]`` stays the number the model was shown (the
    one its tool card shows), and a mark naming no source the model was shown is flagged in
    place, never left to point at whatever the list holds under that number. Returns the text
    and the marks flagged."""
    shown = {s.n for s in sources}
    flagged: list[str] = []
    out, last = [], 0
    for m in marks_outside_code(text):
        if int(m.group(1)) in shown:
            continue
        flagged.append(m.group(0))
        out.append(text[last:m.start()].rstrip(" ") + f" *(⚠ cites source {m.group(1)}, which it was never shown)*")
        last = m.end()
    return "".join(out) + text[last:], flagged
