"""Chunking: real RFC text (page furniture, headings, appendices) and the headed formats."""

from __future__ import annotations

import gzip
import re

import pytest

from netops.rag.chunking import (
    Block,
    Section,
    build_chunks,
    docx_sections,
    markdown_sections,
    numbered_text_sections,
    rfc_sections,
    split_number,
)
from netops.rag.loaders import load_document

LIMIT = 32 * 1024 * 1024
FOOTER = re.compile(r"\[Page \d+\]")
HEADER = re.compile(r"^RFC \d+ {2,}.*\d{4}$", re.MULTILINE)


def _key(num: str) -> tuple:
    bare = num.replace("Appendix ", "")
    parts = bare.split(".")
    if parts[0].isdigit():
        return (0, *map(int, parts))
    return (1, ord(parts[0]) - 64, *map(int, parts[1:]))


@pytest.fixture(scope="module")
def bgp_chunks():
    from tests.conftest import rfc_path

    p = rfc_path(4271)
    if p is None:
        pytest.skip("RFC 4271 not installed")
    return load_document(p, max_bytes=LIMIT)[1]


@pytest.fixture(scope="module")
def ospf_chunks():
    from tests.conftest import rfc_path

    p = rfc_path(2328)
    if p is None:
        pytest.skip("RFC 2328 not installed")
    return load_document(p, max_bytes=LIMIT)[1]


def test_bgp_timers_section(bgp_chunks):
    timers = [c for c in bgp_chunks if c.section == "10"]
    assert timers and all(c.section_title == "BGP Timers" for c in timers)
    assert any("HoldTime" in c.text for c in timers)
    assert timers[0].text.startswith("10.  BGP Timers")
    assert timers[0].page == 90
    assert timers[0].citation == "RFC 4271 §10 (BGP Timers)"


def test_no_page_furniture_or_form_feeds(bgp_chunks, ospf_chunks):
    for c in bgp_chunks + ospf_chunks:
        assert "\f" not in c.text
        assert not FOOTER.search(c.text), c.text
        assert not HEADER.search(c.text), c.text
        assert c.text.strip()


def test_page_numbers_follow_the_footers(bgp_chunks):
    pages = [c.page for c in bgp_chunks]
    assert all(isinstance(p, int) for p in pages)
    assert pages == sorted(pages)
    assert pages[-1] <= 104


def test_section_numbers_are_monotone(bgp_chunks, ospf_chunks):
    for chunks in (bgp_chunks, ospf_chunks):
        keys = [_key(c.section) for c in chunks if c.section]
        assert keys == sorted(keys)


def test_expected_bgp_sections_and_no_false_positives(bgp_chunks):
    sections = {c.section: c.section_title for c in bgp_chunks}
    assert sections["4.2"] == "OPEN Message Format"
    assert sections["8.1.1"] == "Optional Events Linked to Optional Session Attributes"
    assert sections["9.1.2.2"] == "Breaking Ties (Phase 2)"
    assert sections["6"] == "BGP Error Handling"
    assert sections["Appendix F.2"] == "Reducing Route Flapping"
    # Numbered list items inside the decision process (9.1.2.2 lists a) b) c) and 1. 2. ...)
    # and figure lines must not have become sections.
    assert all(re.fullmatch(r"(Appendix [A-F](\.\d)?|\d+(\.\d+){0,3})?", s) for s in sections)
    assert len([s for s in sections if s]) == 74  # 76 numbered headings; 8.1 and 8.2 have no own text


def test_toc_and_boilerplate_are_skipped_but_abstract_kept(bgp_chunks):
    text = "\n".join(c.text for c in bgp_chunks)
    assert "Table of Contents" not in text
    assert not re.search(r"\.{6,}\s*\d+", text)  # TOC dot leaders
    assert "Status of This Memo" not in text
    assert "Full Copyright Statement" not in text
    assert not any(c.section_title.endswith("References") for c in bgp_chunks)
    assert bgp_chunks[0].section_title == "Abstract"
    assert "inter-Autonomous System routing protocol" in bgp_chunks[0].text


def test_ospf_appendices_recognised(ospf_chunks):
    sections = {c.section: c.section_title for c in ospf_chunks}
    assert sections["A.3.2"] == "The Hello packet"
    assert sections["A.4.1"] == "The LSA header"
    assert sections["C.3"] == "Router interface parameters"
    assert sections["D.4.3"] == "Generating Cryptographic authentication"
    assert sections["10.3"] == "The Neighbor state machine"
    hello = next(c for c in ospf_chunks if c.section == "A.3.2")
    assert hello.heading_path == ("A OSPF data formats", "A.3 OSPF Packet Formats", "A.3.2 The Hello packet")
    # "A.4.1. Detailed formats of ..." is a cross-reference wrapped onto a line start, not a heading
    assert not any(t.startswith("Detailed formats") for t in sections.values())


def test_chunk_sizes_and_long_section_split(bgp_chunks):
    assert max(len(c.text) for c in bgp_chunks) <= 1600 * 5 // 4
    fsm = [c for c in bgp_chunks if c.section == "8.2.2"]
    assert len(fsm) > 10  # a long section is split, every piece keeps its section fields
    assert fsm[0].text.startswith("8.2.2.  Finite State Machine")
    assert all(c.section_title == "Finite State Machine" and not c.text.startswith("[") for c in fsm)


def test_optional_context_line_on_continuation_chunks():
    sec = Section(number="8.2.2", title="Finite State Machine", heading="8.2.2.  Finite State Machine",
                  blocks=[Block(f"Paragraph {i} " + "text " * 60) for i in range(4)])
    plain = build_chunks([sec], doc_id="RFC 4271", source="/r", title="BGP", chunk_chars=400)
    ctx = build_chunks([sec], doc_id="RFC 4271", source="/r", title="BGP", chunk_chars=400, context=True)
    assert len(plain) == len(ctx) > 2
    assert ctx[0].text == plain[0].text
    assert all(c.text == "[RFC 4271 §8.2.2 Finite State Machine]\n" + p.text for c, p in zip(ctx[1:], plain[1:]))


def test_smaller_chunk_chars_gives_more_chunks(rfc):
    few = load_document(rfc(4456), max_bytes=LIMIT, chunk_chars=3000)[1]
    many = load_document(rfc(4456), max_bytes=LIMIT, chunk_chars=400)[1]
    assert len(many) > len(few)
    assert max(len(c.text) for c in many) <= 400 * 5 // 4


# --- synthetic RFC layout ---------------------------------------------------------------------

SYNTH = """\
Network Working Group                                          A. Person
Request for Comments: 9999                                       Example
Category: Standards Track                                       May 2024


                      Widget Exchange Protocol

Abstract

   This document specifies widgets.

Table of Contents

   1. Introduction ....................................................2
   2. Procedures ......................................................2
      2.1. Sending ....................................................3

1.  Introduction

   Widgets are exchanged between peers as described in this text and
   the paragraph continues onto the next page where it
Person                       Standards Track                    [Page 1]
\f
RFC 9999                Widget Exchange Protocol                May 2024


   ends after the page break.

2.  Procedures

   The sender MUST do the following:

1. Check the widget.

2. Send the widget.

   0                   1                   2
   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

2.1.  Sending

   Send it.

Person                       Standards Track                    [Page 2]
"""


def test_synthetic_rfc_headings_pages_and_page_break_join():
    secs = rfc_sections(SYNTH)
    assert [(s.number, s.title) for s in secs] == [
        ("", "Abstract"), ("1", "Introduction"), ("2", "Procedures"), ("2.1", "Sending")
    ]
    chunks = build_chunks(secs, doc_id="RFC 9999", source="/x", title="Widget Exchange Protocol")
    intro = chunks[1]
    assert "onto the next page where it\nends after the page break." in intro.text
    assert intro.page == 1
    procedures = chunks[2]
    assert "1. Check the widget." in procedures.text and procedures.page == 2
    assert "+-+-+" in procedures.text
    assert chunks[3].page == 2


def test_split_number():
    assert split_number("3.2 Foo") == ("3.2", "Foo")
    assert split_number("5.2.1\tGeneral") == ("5.2.1", "General")
    assert split_number("Appendix A.  Comparison") == ("Appendix A", "Comparison")
    assert split_number("A.1 Encapsulation") == ("A.1", "Encapsulation")
    assert split_number("A sample configuration") == ("", "A sample configuration")
    assert split_number("Checks") == ("", "Checks")


# --- headed formats ---------------------------------------------------------------------------


def test_markdown_heading_path_and_code_fences():
    secs = markdown_sections("# Top\n\n## Sub\n\n```\n# not a heading\n\nstill code\n```\n\n### Deep\n\ntext\n")
    assert [s.heading_path for s in secs[1:]] == [("Top",), ("Top", "Sub"), ("Top", "Sub", "Deep")]
    code = secs[2].blocks[0].text
    assert "# not a heading" in code and "still code" in code


def test_docx_sections_skip_front_matter_only_for_specs():
    items = [("para", "title page"), ("heading:1", "Foreword"), ("para", "foreword text"),
             ("heading:1", "1\tScope"), ("para", "scope"), ("toc", "1 Scope 5"),
             ("heading:8", "Annex A (informative):\tChange history"), ("table", "a | b")]
    spec = docx_sections(items, skip_front_matter=True)
    assert [(s.number, s.title) for s in spec if s.blocks] == [("1", "Scope"), ("Annex A", "Change history")]
    plain = docx_sections(items)
    assert plain[0].blocks[0].text == "title page"
    assert any(s.title == "Foreword" for s in plain)


def test_numbered_text_rejects_list_items_and_toc_lines():
    text = "1 Scope\nThis covers things.\n\n1 Do this first\n2 Then that\n\n2 Definitions ........ 4\n\n2 Definitions\nTerms.\n"
    secs = numbered_text_sections([(7, text)])
    assert [(s.number, s.title) for s in secs if s.number] == [("1", "Scope"), ("2", "Definitions")]
    assert secs[-1].page == 7


def test_never_empty_chunks_and_short_tail_folded():
    sec = Section(number="1", title="T", heading="1.  T",
                  blocks=[Block("word " * 60), Block("word " * 60), Block("tail.")])
    chunks = build_chunks([sec, Section(title="Empty", blocks=[Block("   ")])],
                          doc_id="D", source="/d", title="D", chunk_chars=400)
    assert chunks and all(c.text.strip() for c in chunks)
    assert chunks[-1].text.rstrip().endswith("tail.")
    assert all(len(c.text) > 50 for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_over_long_single_line_is_split():
    sec = Section(title="Blob", blocks=[Block("x" * 5000)])
    chunks = build_chunks([sec], doc_id="D", source="/d", title="D", chunk_chars=1000, context=False)
    assert len(chunks) >= 5 and all(len(c.text) <= 1250 for c in chunks)
    assert "".join(c.text for c in chunks).count("x") >= 5000


def test_gzip_and_plain_rfc_give_identical_chunks(rfc, tmp_path):
    plain = tmp_path / "rfc4456.txt"
    plain.write_bytes(gzip.decompress(rfc(4456).read_bytes()))
    a = [(c.section, c.text, c.page) for c in load_document(rfc(4456), max_bytes=LIMIT)[1]]
    b = [(c.section, c.text, c.page) for c in load_document(plain, max_bytes=LIMIT)[1]]
    assert a == b


# --- old-style RFCs and appendices: every passage cites the section that holds it -------------


def _sections(rfc, number: int, **kw):
    return rfc_sections(gzip.decompress(rfc(number).read_bytes()).decode("utf-8", "replace"), **kw)


def _chunks(rfc, number: int):
    return load_document(rfc(number), max_bytes=LIMIT)[1]


def test_rfc768_underlined_headings_and_page_top_repeat(rfc):
    secs = _sections(rfc, 768)
    titles = [s.title for s in secs if s.blocks]
    assert titles == ["Introduction", "Format", "Fields", "User Interface", "IP Interface",
                      "Protocol Application", "Protocol Number"]
    # "[page 1]" (lower case) is a footer, and page 2 repeats "Fields" at its top: one section
    fields = next(s for s in secs if s.title == "Fields")
    text = "\n".join(b.text for b in fields.blocks)
    assert "Source Port is an optional field" in text and "Checksum is the 16-bit" in text
    assert "[page" not in text.lower()
    checksum = next(c for c in _chunks(rfc, 768) if "pseudo  header" in c.text or "pseudo header" in c.text)
    assert checksum.citation.startswith("RFC 768 (Fields)")


def test_rfc792_headings_at_the_margin_over_indented_text(rfc):
    chunks = _chunks(rfc, 792)
    titles = list(dict.fromkeys(c.section_title for c in chunks))
    assert titles[:4] == ["Introduction", "Message Formats", "Destination Unreachable Message",
                          "Time Exceeded Message"]
    assert "Echo or Echo Reply Message" in titles and "Timestamp or Timestamp Reply Message" in titles
    echo = [c for c in chunks if "echo reply message" in c.text.lower() and "identifier" in c.text.lower()]
    assert echo and all(c.section_title == "Echo or Echo Reply Message" for c in echo)
    assert not any(c.section_title == "" for c in chunks[1:])


def test_rfc826_colon_headings_in_flush_left_text(rfc):
    titles = [s.title for s in _sections(rfc, 826)]
    for want in ("The Problem", "Motivation", "Definitions", "Packet format", "Packet Generation",
                 "Packet Reception", "Why is it done this way??", "An Example", "Related issue"):
        assert want in titles
    # a sentence broken after its first line is not a heading
    assert not any(t.endswith((" the", " of", " and")) for t in titles)
    reception = next(c for c in _chunks(rfc, 826) if "Merge_flag" in c.text)
    assert reception.section_title == "Packet Reception"


def test_old_style_pass_is_not_used_on_numbered_rfcs(rfc):
    # RFC 4271 has numbered headings: no stray unnumbered "headings" from table/figure lines
    secs = _sections(rfc, 4271)
    unnumbered = {s.title for s in secs if not s.number}
    assert unnumbered == {"Abstract", "IANA Considerations", "Security Considerations"}
    assert {s.number for s in secs if re.fullmatch(r"Appendix [A-Z]", s.number)} == {f"Appendix {x}" for x in "ABCDEF"}


def test_appendix_styles(rfc):
    # "Appendix A: Title" (4291), "Appendix A" alone then "A.  Title" (3411), bare "Appendix A" (2453)
    a4291 = {s.number: s.title for s in _sections(rfc, 4291)}
    assert a4291["Appendix A"] == "Creating Modified EUI-64 Format Interface Identifiers"
    assert a4291["Appendix B"] == "Changes from RFC 3513"
    s3411 = _sections(rfc, 3411)
    a3411 = {s.number: s for s in s3411}
    assert a3411["Appendix A"].title == "Guidelines for Model Designers"
    assert a3411["A.1.1"].heading_path == ("Appendix A Guidelines for Model Designers",
                                           "A.1 Security Model Design Requirements", "A.1.1 Threats")
    assert "Appendix A" in {s.number for s in _sections(rfc, 2453)}
    # "C.2.  16-bit FCS Computation Method": a title may open with a digit
    a1662 = {s.number: s.title for s in _sections(rfc, 1662)}
    assert a1662["C.2"] == "16-bit FCS Computation Method" and a1662["C.3"] == "32-bit FCS Computation Method"


def test_appendix_passages_cite_the_deepest_appendix_section(rfc):
    chunks = _chunks(rfc, 4291)
    eui = [c for c in chunks if "universal/local" in c.text.lower() and c.section.startswith("Appendix")]
    assert eui and all(c.citation.startswith("RFC 4291 §Appendix A (Creating Modified EUI-64") for c in eui)
    a3411 = [c for c in _chunks(rfc, 3411) if c.section == "A.1.1"]
    assert a3411 and a3411[0].citation.startswith("RFC 3411 §A.1.1 (Threats)")


def test_split_number_older_appendix_separators():
    assert split_number("Appendix A - Collected Status Codes") == ("Appendix A", "Collected Status Codes")
    assert split_number("Appendix A:  Creating Modified") == ("Appendix A", "Creating Modified")
    assert split_number("Appendix A") == ("Appendix A", "")
    assert split_number("3: foo") == ("", "3: foo")
    assert split_number("4 - 5 bar") == ("", "4 - 5 bar")


# --- Roman numerals and upper-case subheadings (bench/questions/rfc_oldstyle.jsonl) -------------


def test_rfc903_roman_numeral_sections_are_indexed_and_cited(rfc):
    # "I. Introduction" ... "III.  The Proposed Protocol", then "Appendix A.": the body used to fall
    # under "Status of this Memo" (dropped as boilerplate), so RARP's opcodes were never indexed
    secs = {s.number: s.title for s in _sections(rfc, 903)}
    assert secs == {"I": "Introduction", "II": "Design Considerations", "III": "The Proposed Protocol",
                    "Appendix A": "Two Example Implementations for 4.2BSD Unix"}
    opcodes = [c for c in _chunks(rfc, 903) if "'request reverse'" in c.text]
    assert opcodes and opcodes[0].citation.startswith("RFC 903 §III (The Proposed Protocol)")


def test_rfc950_roman_numeral_appendices(rfc):
    secs = {s.number: s.title for s in _sections(rfc, 950)}
    assert [secs.get(f"Appendix {r}") for r in ("I", "II", "III", "IV")] == \
        ["Address Mask ICMP", "Examples", "Glossary", "Assigned Numbers"]
    chunks = _chunks(rfc, 950)
    numbers = next(c for c in chunks if "AM1 = 17" in c.text)
    assert numbers.citation.startswith("RFC 950 §Appendix IV (Assigned Numbers)")
    # the appendices no longer swell section 2.3
    assert not any("Class A Network Case" in c.text for c in chunks if c.section == "2.3")


def test_upper_case_appendix_with_a_dash(rfc):
    # RFC 959: "APPENDIX I -  PAGE STRUCTURE" (the title lost its "-" prefix only when split right)
    assert split_number("APPENDIX I -  PAGE STRUCTURE") == ("Appendix I", "PAGE STRUCTURE")
    secs = {s.number: s.title for s in _sections(rfc, 959)}
    assert secs["Appendix I"] == "PAGE STRUCTURE" and secs["Appendix II"] == "DIRECTORY COMMANDS"


def test_rfc854_indented_upper_case_subsections(rfc):
    chunks = _chunks(rfc, 854)
    cr_nul = [c for c in chunks if '"CR NUL"' in c.text]
    assert cr_nul and all(c.section_title == "THE NVT PRINTER AND KEYBOARD" for c in cr_nul)
    assert cr_nul[0].heading_path == ("THE NETWORK VIRTUAL TERMINAL", "THE NVT PRINTER AND KEYBOARD")
    synch = next(c for c in chunks if "DATA MARK (DM) is the synchronizing mark" in c.text)
    assert synch.section_title == 'THE TELNET "SYNCH" SIGNAL'
    # an indented mixed-case label is not a section: port 23 stays in CONNECTION ESTABLISHMENT
    port = next(c for c in chunks if "server port 23" in c.text)
    assert port.section_title == "CONNECTION ESTABLISHMENT" and port.heading_path == ("CONNECTION ESTABLISHMENT",)
