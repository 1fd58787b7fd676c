"""Reciprocal-rank fusion."""

from __future__ import annotations

import pytest

from netops.rag.fusion import RRF_K, Ranking, named_documents, rank, rrf
from netops.rag.types import Chunk


def test_items_in_both_lists_beat_items_in_one():
    fused = rrf([["a", "b", "c"], ["c", "a", "d"]])
    assert [f.key for f in fused] == ["a", "c", "b", "d"]
    a = fused[0]
    assert a.ranks == (1, 2)
    assert a.score == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert fused[-1].ranks == (None, 3)


def test_ties_keep_first_appearance_and_duplicates_count_once():
    fused = rrf([["x", "x", "y"], ["y", "x"]])
    assert [f.key for f in fused] == ["x", "y"]  # both 1/61 + 1/62: x appeared first
    assert fused[0].ranks == (1, 2)


def test_empty_lists_and_weights():
    assert rrf([[], []]) == []
    fused = rrf([["a"], ["b"]], weights=[1.0, 2.0])
    assert [f.key for f in fused] == ["b", "a"]
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 1.0])


def _chunk(doc: str, section: str, ordinal: int) -> Chunk:
    return Chunk(doc_id=doc, source=f"/d/{doc}", ordinal=ordinal, text=f"{doc} {section} {ordinal}",
                 section=section, section_title=f"title {section}")


def test_rank_collapses_each_list_to_one_chunk_per_section():
    a0, a1, a2, b0, c0 = (_chunk("RFC 1", "1", 0), _chunk("RFC 1", "1", 1), _chunk("RFC 1", "1", 2),
                          _chunk("RFC 1", "2", 3), _chunk("RFC 2", "3", 0))
    dense = [(a1, 0.9), (a0, 0.8), (b0, 0.7), (a2, 0.6)]
    lexical = [(a0, 9.0), (c0, 8.0), (a2, 7.0), (b0, 6.0)]
    hits = rank("q", dense, lexical, 3, Ranking(), mode="hybrid")
    assert [h.chunk.section for h in hits] == ["1", "2", "3"]
    assert hits[0].chunk is a0  # best chunk of section 1 under chunk-level fusion
    assert (hits[1].dense_rank, hits[1].lexical_rank) == (2, 3)  # section ranks, not chunk ranks
    flat = rank("q", dense, lexical, 3, Ranking(one_per_section=False), mode="hybrid")
    assert [h.chunk.section for h in flat] == ["1", "1", "2"]  # a0, a2, then b0


def test_rank_puts_a_named_rfc_first_and_single_lists_work():
    x, y = _chunk("RFC 4271", "10", 0), _chunk("RFC 8200", "3", 0)
    assert [h.chunk.doc_id for h in rank("hold timer", [], [(y, 2.0), (x, 1.0)], 2, Ranking(),
                                         mode="lexical")] == ["RFC 8200", "RFC 4271"]
    for q in ("hold timer in RFC 4271", "rfc4271 hold timer", "RFC-4271?"):
        hits = rank(q, [(y, 0.9), (x, 0.5)], [], 2, Ranking(), mode="dense")
        assert hits[0].chunk.doc_id == "RFC 4271" and hits[0].dense_rank == 2, q
    assert named_documents("see RFC 42710", ["RFC 4271"]) == set()
