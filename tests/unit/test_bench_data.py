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


# --- bench/questions/rfc_oldstyle.jsonl: old-style RFCs and appendices (a tuning set) ---------

OLDSTYLE = REPO / "bench" / "questions" / "rfc_oldstyle.jsonl"
OLDSTYLE_SOURCES = REPO / "bench" / "questions" / "rfc_oldstyle.sources"
CHECK_SOURCES = REPO / "bench" / "questions" / "rfc_check.sources"
OLD_GOLD = re.compile(r"^RFC (?P<n>[1-9]\d*) §(?P<sec>\S.*)$")
OLD_TAGS = {"old-style", "unnumbered", "appendix", "neighbour"}


def _old_items() -> list[dict]:
    return [json.loads(line) for line in OLDSTYLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _numbers(path) -> list[int]:
    return [int(x.split("#")[0]) for x in path.read_text().splitlines() if x.split("#")[0].strip()]


@lru_cache(maxsize=None)
def _any_rfc_text(number: int) -> str | None:
    """RFC text from doc-rfc-std, gzipped or plain (RFC 862-868 ship uncompressed)."""
    from tests.conftest import RFC_DIR

    for sub in ("standard", "draft-standard"):
        for name, read in ((f"rfc{number}.txt.gz", lambda p: gzip.decompress(p.read_bytes())),
                           (f"rfc{number}.txt", lambda p: p.read_bytes())):
            p = RFC_DIR / sub / name
            if p.is_file():
                return read(p).decode("utf-8", "replace")
    return None


def _old_text(number: int) -> str:
    text = _any_rfc_text(number)
    if text is None:
        pytest.skip(f"RFC {number} not installed (apt-get install doc-rfc-std)")
    return text


def test_oldstyle_file_shape_and_spread():
    items = _old_items()
    assert 40 <= len(items) <= 60
    for n, item in enumerate(items, 1):
        assert isinstance(item.get("question"), str) and len(item["question"]) > 15, f"line {n}"
        for label in [item["expected"], *item.get("also", [])]:
            assert OLD_GOLD.match(label), f"line {n}: bad label {label!r}"
        assert set(item.get("tags", [])) <= OLD_TAGS and item.get("tags"), f"line {n}: tags {item.get('tags')}"
    questions = [i["question"].strip().lower() for i in items]
    assert len(set(questions)) == len(questions), "duplicate questions"
    per_rfc = Counter(OLD_GOLD.match(i["expected"])["n"] for i in items)
    assert len(per_rfc) >= 10 and max(per_rfc.values()) <= len(items) // 4, per_rfc
    tags = Counter(t for i in items for t in i["tags"])
    assert tags["old-style"] >= len(items) // 2 and tags["appendix"] >= 10, tags


def test_oldstyle_corpus_is_disjoint_from_the_check_set():
    gold = {int(OLD_GOLD.match(i["expected"])["n"]) for i in _old_items()}
    sources = set(_numbers(OLDSTYLE_SOURCES))
    assert gold <= sources, f"gold RFCs missing from rfc_oldstyle.sources: {sorted(gold - sources)}"
    assert len(sources - gold) >= 5, "a few distractor RFCs"
    assert not sources & set(_numbers(CHECK_SOURCES)), "a tuning set must not touch the check set's RFCs"


DISTRACT_SOURCES = REPO / "bench" / "questions" / "rfc_distract.sources"


def test_distractor_corpus_holds_no_gold_and_nothing_of_the_check_set():
    """``rfc_distract`` (tuning): rfc.jsonl's RFCs plus 30 distractors, none of them a gold RFC or
    an RFC of the check set's corpus."""
    nums = _numbers(DISTRACT_SOURCES)
    gold = {int(json.loads(line)["expected"].split()[1]) for line in
            (REPO / "bench" / "questions" / "rfc.jsonl").read_text().splitlines() if line.strip()}
    assert len(nums) == len(set(nums)) == 30, "30 distinct distractors"
    assert not set(nums) & gold, f"gold RFCs listed as distractors: {sorted(set(nums) & gold)}"
    assert not set(nums) & set(_numbers(CHECK_SOURCES)), "a tuning set must not touch the check set's RFCs"
    missing = [n for n in nums if _any_rfc_text(n) is None]
    if missing:
        pytest.skip(f"RFCs not installed: {missing} (apt-get install doc-rfc-std)")


def test_oldstyle_every_source_rfc_is_installed():
    missing = [n for n in _numbers(OLDSTYLE_SOURCES) if _any_rfc_text(n) is None]
    if missing:
        pytest.skip(f"RFCs not installed: {missing} (apt-get install doc-rfc-std)")


@lru_cache(maxsize=None)
def _old_chunks(number: int):
    from netops.rag.chunking import build_chunks, rfc_sections

    return build_chunks(rfc_sections(_old_text(number)), doc_id=f"RFC {number}", source=f"rfc{number}.txt", title="")


def test_oldstyle_every_gold_heading_is_in_the_rfc_text():
    """The gold's heading line exists as written (``Appendix IV.  Assigned Numbers``, ``Frame Format``,
    ``   THE NVT PRINTER AND KEYBOARD``, ``C.2.  16-bit FCS ...``, ``III.  The Proposed Protocol``)."""
    missing = []
    for item in _old_items():
        m = OLD_GOLD.match(item["expected"])
        lines = {" ".join(line.split()).rstrip(":.") for line in _old_text(int(m["n"])).splitlines()}
        sec = m["sec"]
        numbered = re.fullmatch(r"(Appendix )?([A-Z](\.\d+)*|[IVX]+|\d+(\.\d+)*)", sec)
        if numbered:
            ok = any(re.match(rf"^(Appendix |APPENDIX )?{re.escape(sec.replace('Appendix ', ''))}[.:]? ", line)
                     for line in lines)
        else:
            ok = sec in lines
        if not ok:
            missing.append(item["expected"])
    assert not missing, f"gold headings not found in the RFC text: {missing}"


def test_oldstyle_every_gold_is_a_chunker_section():
    """Every gold (or an ``also`` spelling) is what the chunker cites for some chunk of that RFC."""
    from netops.rag.eval import hit_matches
    from netops.rag.types import Hit

    missing = []
    for item in _old_items():
        number = int(OLD_GOLD.match(item["expected"])["n"])
        labels = [item["expected"], *item.get("also", [])]
        if not any(hit_matches(Hit(chunk=c, score=0.0), labels) for c in _old_chunks(number)):
            missing.append(item["expected"])
    assert not missing, f"gold sections the chunker never produces: {missing}"


def test_oldstyle_questions_mostly_do_not_quote_the_section_title():
    items = _old_items()
    quoted = 0
    for item in items:
        m = OLD_GOLD.match(item["expected"])
        titles = {c.section_title for c in _old_chunks(int(m["n"]))
                  if hit_matches_label(c, item["expected"])}
        if any(len(t) > 8 and t.lower() in item["question"].lower() for t in titles):
            quoted += 1
    assert quoted <= len(items) // 10, f"{quoted} questions quote their section title verbatim"


def hit_matches_label(chunk, label: str) -> bool:
    from netops.rag.eval import hit_matches
    from netops.rag.types import Hit

    return hit_matches(Hit(chunk=chunk, score=0.0), label)


# -- rfc_check2: a third check set, written blind (issue 12) --------------------------------------

CHECK2 = REPO / "bench" / "questions" / "rfc_check2.jsonl"
CHECK2_SOURCES = REPO / "bench" / "questions" / "rfc_check2.sources"


def _check2_items() -> list[dict]:
    return [json.loads(line) for line in CHECK2.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_check2_file_shape_and_composition():
    """>= 70 questions; about 20% old-style and 15% appendix golds; labels spelled as the README says."""
    items = _check2_items()
    assert len(items) >= 70
    for n, item in enumerate(items, 1):
        assert set(item) <= {"question", "expected", "also", "tags"}, f"line {n}: fields {sorted(item)}"
        assert isinstance(item.get("question"), str) and len(item["question"]) > 15, f"line {n}"
        for label in [item["expected"], *item.get("also", [])]:
            assert OLD_GOLD.match(label), f"line {n}: bad label {label!r}"
        assert set(item.get("tags", [])) <= OLD_TAGS, f"line {n}: tags {item.get('tags')}"
    questions = [i["question"].strip().lower() for i in items]
    assert len(set(questions)) == len(questions), "duplicate questions"
    per_rfc = Counter(OLD_GOLD.match(i["expected"])["n"] for i in items)
    assert len(per_rfc) >= 15 and max(per_rfc.values()) <= len(items) // 5, per_rfc
    tags = Counter(t for i in items for t in i.get("tags", []))
    assert 0.17 <= tags["old-style"] / len(items) <= 0.25, tags
    assert 0.12 <= tags["appendix"] / len(items) <= 0.20, tags


def test_check2_sources_hold_every_gold_and_30_distractors():
    gold = {int(OLD_GOLD.match(i["expected"])["n"]) for i in _check2_items()}
    nums = _numbers(CHECK2_SOURCES)
    assert len(nums) == len(set(nums)), "an RFC listed twice"
    assert gold <= set(nums), f"gold RFCs missing from rfc_check2.sources: {sorted(gold - set(nums))}"
    assert len(set(nums) - gold) >= 30, "30+ distractor RFCs"
    missing = [n for n in nums if _any_rfc_text(n) is None]
    if missing:
        pytest.skip(f"RFCs not installed: {missing} (apt-get install doc-rfc-std)")


def test_check2_every_gold_heading_is_in_the_rfc_text():
    """Each gold's heading line exists as written: ``2.6.2.2.  Liberal ...``, ``4.4.5 Reacquisition ...``,
    ``Appendix A: Multihomed Hosts``, ``A. Host Configuration Parameters``, ``Related issue:``."""
    missing = []
    for item in _check2_items():
        m = OLD_GOLD.match(item["expected"])
        lines = {" ".join(line.split()).rstrip(":.") for line in _old_text(int(m["n"])).splitlines()}
        sec = m["sec"]
        if re.fullmatch(r"(Appendix )?([A-Z](\.\d+)*|\d+(\.\d+)*)", sec):
            ok = any(re.match(rf"^(Appendix |APPENDIX )?{re.escape(sec.replace('Appendix ', ''))}[.:]? ", line)
                     for line in lines)
        else:
            ok = sec in lines
        if not ok:
            missing.append(item["expected"])
    assert not missing, f"gold headings not found in the RFC text: {missing}"


def test_kb_quality_loads_rfc_check2_as_a_check_set(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import kb_quality

    assert "rfc_check2" in kb_quality.ALL_SETS and "rfc_check2" not in kb_quality.TUNING
    if any(_any_rfc_text(n) is None for n in _numbers(CHECK2_SOURCES)):
        pytest.skip("RFCs not installed (apt-get install doc-rfc-std)")
    qs = kb_quality.load_set("rfc_check2", tmp_path)
    items = _check2_items()
    assert qs.role == "check" and len(qs.items) == len(items)
    assert len(qs.paths) == len(set(_numbers(CHECK2_SOURCES)))
    first = qs.items[0]
    assert first.labels == (items[0]["expected"], *items[0].get("also", []))
    assert any("old-style" in it.tags for it in qs.items) and any("appendix" in it.tags for it in qs.items)
