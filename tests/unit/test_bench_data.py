"""The knowledge-base question set (bench/questions/rfc.jsonl) is well formed and answerable.

Each line names a gold section (``RFC <n> §<section>``). These tests check the file's shape,
that every RFC it names is installed, that the section heading really occurs in the RFC text,
and that the chunker produces a chunk carrying that section.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import lru_cache

import pytest

from tests.conftest import REPO, rfc_path

QUESTIONS = REPO / "bench" / "questions" / "rfc.jsonl"
GOLD = re.compile(r"^RFC (?P<n>[1-9]\d*) §(?P<sec>\d+(?:\.\d+)*)$")


def _items() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rfc_numbers() -> list[int]:
    return sorted({int(GOLD.match(i["expected"])["n"]) for i in _items()})


@lru_cache(maxsize=None)
def _rfc_text(number: int) -> str:
    path = rfc_path(number)
    assert path is not None
    return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")


def test_file_has_enough_valid_lines():
    lines = [line for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 60
    for n, line in enumerate(lines, 1):
        item = json.loads(line)
        assert isinstance(item, dict), f"line {n}"
        assert isinstance(item.get("question"), str) and len(item["question"]) > 15, f"line {n}"
        assert GOLD.match(item.get("expected", "")), f"line {n}: bad gold {item.get('expected')!r}"


def test_questions_are_unique_and_spread_over_rfcs():
    items = _items()
    questions = [i["question"].strip().lower() for i in items]
    assert len(set(questions)) == len(questions), "duplicate questions"
    per_rfc = Counter(GOLD.match(i["expected"])["n"] for i in items)
    assert len(per_rfc) >= 8, per_rfc
    # no single RFC dominates the score
    assert max(per_rfc.values()) <= len(items) // 4, per_rfc


def test_questions_mostly_do_not_quote_the_section_title():
    """Copying headings into questions would flatter lexical search."""
    items = _items()
    quoted = 0
    for item in items:
        m = GOLD.match(item["expected"])
        title = _section_titles(int(m["n"])).get(m["sec"], "")
        if len(title) > 8 and title.lower() in item["question"].lower():
            quoted += 1
    assert quoted <= len(items) // 10, f"{quoted} questions quote their section title verbatim"


@pytest.mark.parametrize("number", _rfc_numbers())
def test_every_rfc_named_is_installed(number, rfc):
    assert rfc(number).exists()


@lru_cache(maxsize=None)
def _section_titles(number: int) -> dict[str, str]:
    """Section number -> title, from headings in the RFC body (the table of contents skipped)."""
    out: dict[str, str] = {}
    heading = re.compile(r"^ {0,8}(\d+(?:\.\d+)*)\.? {1,4}([A-Z][^\n]*?)\s*$")
    for line in _rfc_text(number).splitlines():
        if re.search(r"(\. ?){4,}|\s\d+$", line):  # table-of-contents rows end in page numbers
            continue
        m = heading.match(line)
        if m and m[1] not in out:
            out[m[1]] = m[2].rstrip(":")
    return out


def test_every_gold_section_heading_exists_in_the_rfc(rfc):
    missing = []
    for item in _items():
        m = GOLD.match(item["expected"])
        number = int(m["n"])
        rfc(number)
        if m["sec"] not in _section_titles(number):
            missing.append(item["expected"])
    assert not missing, f"gold sections with no heading in the RFC text: {sorted(set(missing))}"


def _chunker_sections(number: int) -> set[str]:
    """The section labels the project's chunker gives the chunks of one RFC."""
    from netops.rag.chunking import build_chunks, rfc_sections

    chunks = build_chunks(rfc_sections(_rfc_text(number)), doc_id=f"RFC {number}",
                          source=f"rfc{number}.txt", title="")
    return {c.section for c in chunks}


def test_every_gold_section_is_a_chunker_section(rfc):
    gold: dict[int, set[str]] = {}
    for item in _items():
        m = GOLD.match(item["expected"])
        gold.setdefault(int(m["n"]), set()).add(m["sec"])
    missing = []
    for number, sections in sorted(gold.items()):
        rfc(number)
        have = _chunker_sections(number)
        missing += [f"RFC {number} §{s}" for s in sorted(sections - have)]
    assert not missing, f"gold sections the chunker never produces: {missing}"
