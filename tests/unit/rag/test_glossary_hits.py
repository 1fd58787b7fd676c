"""The glossary is in the knowledge base for "what does ABR stand for?", but its acronym lines
match the glossary-expanded words of any question that uses an acronym; for other questions its
hits go after the documents that explain things (real glossary, real RFC 2328 text)."""

from __future__ import annotations

import shutil

import pytest

from netops.rag.kb import KnowledgeBase, definition_question
from netops.testing.embedders import HashEmbedder


@pytest.fixture(scope="module")
def kb_with_glossary(tmp_path_factory):
    """The glossary and RFC 2328, indexed once for the module: the tests only search it (and
    what they monkeypatch on it is put back after each test)."""
    import os

    from netops.settings import load_settings
    from tests.conftest import rfc_path

    found = rfc_path(2328)
    if found is None:
        pytest.skip("RFC 2328 not installed (apt-get install doc-rfc-std; scripts/setup.sh does it)")
    root = tmp_path_factory.mktemp("glossary-kb")
    with pytest.MonkeyPatch.context() as mp:  # module fixtures run before the per-test env isolation
        for key in list(os.environ):
            if key.startswith("NETOPS_"):
                mp.delenv(key)
        mp.setenv("XDG_CONFIG_HOME", str(root / "xdg-config"))
        mp.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
        mp.setenv("NETOPS_OLLAMA_URL", "http://127.0.0.1:9")
        settings = load_settings(home=root / "netops-home")
    docs = root / "docs"
    docs.mkdir()
    shutil.copy(settings.knowledge_dir / "glossary.md", docs / "glossary.md")
    shutil.copy(found, docs / "rfc2328.txt.gz")
    settings = settings.model_copy(update={"knowledge_dir": docs})
    with KnowledgeBase(settings, embedder=HashEmbedder()) as kb:
        assert kb.add([docs]).ok
        yield kb


@pytest.mark.parametrize("question", [
    "how does an OSPF router decide which neighbours become adjacent?",
    "when does an ABR originate summary LSAs into the backbone?",
    "what does OSPF do when the DR fails?",
])
def test_a_question_that_uses_acronyms_gets_explanations_before_the_glossary(kb_with_glossary, question):
    for mode in ("lexical", "hybrid"):
        hits = kb_with_glossary.search(question, top_k=5, mode=mode)
        docs = [h.chunk.doc_id for h in hits]
        assert docs[0] == "RFC 2328", (mode, docs)
        if "glossary" in docs:   # still there, after every other document's hit
            assert set(docs[docs.index("glossary"):]) == {"glossary"}, (mode, docs)


@pytest.mark.parametrize("question", ["what does ABR stand for?", "what is an ASBR?", "define LSA",
                                      "What's the meaning of NSSA?", "expand the acronym DR", "LSDB?"])
def test_a_definition_question_keeps_the_ranking_order(kb_with_glossary, monkeypatch, question):
    assert definition_question(question)
    got = [h.chunk.citation for h in kb_with_glossary.search(question, top_k=5, mode="lexical")]
    monkeypatch.setattr(kb_with_glossary, "_glossary_last", lambda q, hits, k: hits[:k])   # no demotion at all
    assert got == [h.chunk.citation for h in kb_with_glossary.search(question, top_k=5, mode="lexical")]


def test_a_glossary_indexed_from_elsewhere_is_still_known_by_its_name(kb_with_glossary, monkeypatch):
    """The default sources index the shipped glossary; a copy (a moved checkout, a team pack's
    glossary.md) is still the glossary."""
    monkeypatch.setattr(kb_with_glossary, "_glossary_sources", lambda: set())
    question = "what does OSPF do when the DR fails?"
    docs = [h.chunk.doc_id for h in kb_with_glossary.search(question, top_k=5, mode="lexical")]
    assert docs[0] == "RFC 2328" and "glossary" not in docs, docs   # after every other document's: past the cut
    monkeypatch.setattr(kb_with_glossary, "_glossary_last", lambda q, hits, k: hits[:k])   # not recognised
    assert "glossary" in [h.chunk.doc_id for h in kb_with_glossary.search(question, top_k=5, mode="lexical")]


def test_a_demoted_glossary_hit_gives_its_place_to_the_next_document(kb_with_glossary, monkeypatch):
    """The glossary went after the others only within the top k: "what is the BDR for?" showed the
    glossary's IGP list third and cut RFC 2328 §7.4 (The Backup Designated Router), fourth, from the
    three passages an offline answer shows. The top k now comes from the ranking past k."""
    question = "what is the BDR for?"
    ranked = [h.chunk for h in kb_with_glossary.search(question, top_k=10, mode="lexical")]
    others = [c.citation for c in ranked if c.doc_id != "glossary"]
    for k in (1, 2, 3, 5):
        got = [h.chunk.citation for h in kb_with_glossary.search(question, top_k=k, mode="lexical")]
        assert got == others[:k], (k, got)
    monkeypatch.setattr(kb_with_glossary, "_glossary_last", lambda q, hits, k: hits[:k])   # the cut first
    cut_first = [h.chunk.citation for h in kb_with_glossary.search(question, top_k=3, mode="lexical")]
    assert any(c.startswith("glossary") for c in cut_first), cut_first   # what it was: a place lost


def test_what_an_acronym_stands_for_is_answered_by_the_glossary(kb_with_glossary):
    hits = kb_with_glossary.search("what does ABR stand for?", top_k=5, mode="lexical")
    assert hits[0].chunk.doc_id == "glossary", [h.chunk.citation for h in hits]


@pytest.mark.parametrize("question", ["what is the ABR's role when an area is partitioned?",
                                      "how is the DR elected?", "what is the purpose of the hello packet?"])
def test_other_questions_are_not_definition_questions(question):
    assert not definition_question(question)
