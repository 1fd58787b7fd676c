"""Retrieval evaluation over a real (small) index."""

from __future__ import annotations

import json

import pytest

from netops.errors import InputError
from netops.rag.eval import evaluate, hit_matches, load_items
from netops.rag.kb import KnowledgeBase
from netops.rag.types import Chunk, Hit
from netops.testing.embedders import HashEmbedder


def test_hit_matching_rules():
    hit = Hit(Chunk(doc_id="RFC 4271", source="/usr/share/doc/RFC/rfc4271.txt.gz", ordinal=3, text="t",
                    section="10", section_title="BGP Timers"), score=1.0)
    for expected in ("RFC 4271", "RFC 4271 §10 (BGP Timers)", "RFC 4271 §10", "rfc4271.txt", "rfc 4271 §10"):
        assert hit_matches(hit, expected), expected
    for expected in ("RFC 4271 §10.1", "RFC 2328", "BGP Timers"):
        assert not hit_matches(hit, expected), expected


def test_bad_jsonl_names_the_line(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"question": "a?", "expected": "A"}\n\n{"question": "b?"\n')
    with pytest.raises(InputError, match=r"q.jsonl:3"):
        load_items(f)
    f.write_text('{"question": "a?", "expected": "A"}\n["x"]\n')
    with pytest.raises(InputError, match=r"q.jsonl:2"):
        load_items(f)
    f.write_text("\n")
    with pytest.raises(InputError, match="no questions"):
        load_items(f)
    with pytest.raises(InputError, match="no such file"):
        load_items(tmp_path / "missing.jsonl")


def test_evaluate_scores_recall_and_mrr(settings, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bgp.md").write_text("# BGP\n\nThe hold timer and keepalive messages keep a BGP session up.\n")
    (docs / "ospf.md").write_text("# OSPF\n\nHello and dead intervals must match between OSPF neighbors.\n")
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    kb.add([docs])
    f = tmp_path / "q.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in [
        {"question": "BGP hold timer keepalive", "expected": "bgp.md"},
        {"question": "OSPF hello dead intervals", "expected": "ospf"},
        {"question": "quantum chromodynamics gluon", "expected": "physics.md"},
    ]))
    report = evaluate(kb, load_items(f), top_k=1, mode="lexical")
    assert report.n == 3
    assert report.recall_at_1 == pytest.approx(2 / 3) and report.recall_at_k == pytest.approx(2 / 3)
    assert report.mrr == pytest.approx(2 / 3)
    assert [m.expected for m in report.misses] == ["physics.md"]


def test_labels_for_unnumbered_sections_appendices_and_alternatives(tmp_path):
    old = Hit(Chunk("RFC 768", "/r/rfc768.txt.gz", 3, "x", section="", section_title="Fields", page=1), 1.0)
    assert hit_matches(old, "RFC 768 §Fields")
    assert hit_matches(old, "RFC 768 (Fields) p. 1") and not hit_matches(old, "RFC 768 §Format")
    app = Hit(Chunk("RFC 4271", "/r/rfc4271.txt.gz", 9, "x", section="Appendix E", section_title="TCP Options"), 1.0)
    assert hit_matches(app, "RFC 4271 §Appendix E") and hit_matches(app, "RFC 4271 §E")
    sub = Hit(Chunk("RFC 4271", "/r/rfc4271.txt.gz", 9, "x", section="F.2", section_title="Reducing"), 1.0)
    assert hit_matches(sub, "RFC 4271 §F.2") and hit_matches(sub, "RFC 4271 §Appendix F.2")
    assert not hit_matches(sub, "RFC 4271 §F.1")
    assert hit_matches(sub, ["RFC 4271 §9", "RFC 4271 §F.2"])  # any label counts
    p = tmp_path / "q.jsonl"
    p.write_text(json.dumps({"question": "q", "expected": "RFC 4271 §F.2", "also": ["RFC 4271 §Appendix F.2"]}) + "\n")
    assert load_items(p)[0].labels == ("RFC 4271 §F.2", "RFC 4271 §Appendix F.2")
