"""adv17: a citation mark a reader takes for a number is checked like ``[n]``, whatever its spelling."""

from __future__ import annotations

import pytest

from netops.agent.answer_check import normalise_citations
from netops.agent.numbering import canonical_marks, cite_unchecked


@pytest.mark.parametrize("mark,canonical", [
    ("[1-3]", "[1][2][3]"), ("[1 to 4]", "[1][2][3][4]"), ("[1-99]", "[1][99]"), ("[1, 7]", "[1][7]"),
    ("[source 2 and 3]", "[2][3]"), ("[\uff17]", "[7]"), ("\uff3b7\uff3d", "[7]"), ("[\U0001d7d5]", "[7]"),
    ("[\u0667]", "[7]"), ("[\u00b2]", "[2]"), ("[ 7 ]", "[7]"), ("[07]", "[7]"), ("[3]", "[3]"),
])
def test_odd_spellings_become_plain_marks(mark, canonical):
    assert canonical_marks(f"The hold time is 90 s {mark}.") == f"The hold time is 90 s {canonical}."


@pytest.mark.parametrize("text", [
    "match eth[1-3] on every router", "`show ip route | include B[0-9]`", "list[0][1]", "[RFC 4271]", "[1.5]",
    "```\nx [1-3]\n```", "[-1]",
])
def test_what_is_not_a_citation_is_left_alone(text):
    assert canonical_marks(text) == text


class _Src:
    def __init__(self, n: int, label: str) -> None:
        self.n, self.label, self.text = n, label, ""


def test_a_range_over_missing_sources_keeps_only_those_that_exist():
    text, removed = normalise_citations(canonical_marks("Hold time is 90 s [1-3]."), [_Src(1, "RFC 4271 §4.2")])
    assert text == "Hold time is 90 s [1]." and removed == ["[2]", "[3]"]


def test_a_superscript_mark_to_a_missing_source_is_flagged_without_a_check():
    text, flagged = cite_unchecked(canonical_marks("Hold time is 90 s [\u00b2]."), [_Src(1, "RFC 4271 §4.2")])
    assert flagged == ["[2]"] and "never shown" in text
