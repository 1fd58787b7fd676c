"""British and American spellings find each other on the lexical side (query expansion)."""

from __future__ import annotations

import pytest

from netops.rag.kb import KnowledgeBase
from netops.rag.spelling import expand_spelling, variants
from netops.testing.embedders import HashEmbedder


@pytest.mark.parametrize("word,other", [
    ("neighbour", "neighbor"), ("neighbours", "neighbors"), ("neighboring", "neighbouring"),
    ("behaviour", "behavior"), ("favoured", "favored"),
    ("recognise", "recognize"), ("recognizes", "recognises"), ("randomisation", "randomization"),
    ("initialised", "initialized"), ("analyse", "analyze"),
    ("signalling", "signaling"), ("labeled", "labelled"), ("tunnelling", "tunneling"), ("modelled", "modeled"),
    ("centre", "center"), ("fibres", "fibers"), ("licence", "license"), ("programme", "program"),
    ("catalogue", "catalog"),
])
def test_each_spelling_finds_the_other(word, other):
    assert other in variants(word)
    assert word in variants(other)


@pytest.mark.parametrize("word", ["hour", "four", "your", "route", "timer", "filter", "called", "label",
                                  "signal", "bgp", "ospf", "is", "this", "otherwise"])
def test_words_with_no_other_spelling_stay_alone(word):
    assert variants(word) == []


def test_a_query_gains_the_other_spellings_once_and_keeps_its_own_words():
    q = "Why do OSPF neighbours not recognise each other's hello? (neighbours)"
    out = expand_spelling(q)
    assert out.startswith(q)
    extra = out[len(q):].split()
    assert sorted(extra) == ["neighbors", "recognize"]
    assert expand_spelling("bgp hold timer") == "bgp hold timer"


def test_a_british_question_finds_an_american_rfc_passage_by_words(settings, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "nd.md").write_text("# Neighbor Unreachability Detection\n\nA node tracks the reachability "
                                "of each neighbor in its cache; behavior on a failed probe is described here.\n")
    (docs / "other.md").write_text("# Address selection\n\nA node picks a source address for each "
                                   "destination; the cache holds prior decisions.\n")
    with KnowledgeBase(settings, embedder=HashEmbedder()) as kb:
        kb.add([docs])
        hits = kb.search("what is the behaviour of neighbours?", top_k=2, mode="lexical")
    assert hits and hits[0].chunk.source.endswith("nd.md"), [h.chunk.source for h in hits]
