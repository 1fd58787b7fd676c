"""Fusion: reciprocal ranks, and the default query-adaptive standardised score sum."""

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
    hits = rank("q", dense, lexical, 3, Ranking(fusion="rrf"), mode="hybrid")
    assert [h.chunk.section for h in hits] == ["1", "2", "3"]
    assert hits[0].chunk is a0  # best chunk of section 1 under chunk-level fusion
    assert (hits[1].dense_rank, hits[1].lexical_rank) == (2, 3)  # section ranks, not chunk ranks
    flat = rank("q", dense, lexical, 3, Ranking(fusion="rrf", one_per_section=False), mode="hybrid")
    assert [h.chunk.section for h in flat] == ["1", "1", "2"]  # a0, a2, then b0


def test_rank_puts_a_named_rfc_first_and_single_lists_work():
    x, y = _chunk("RFC 4271", "10", 0), _chunk("RFC 8200", "3", 0)
    assert [h.chunk.doc_id for h in rank("hold timer", [], [(y, 2.0), (x, 1.0)], 2, Ranking(),
                                         mode="lexical")] == ["RFC 8200", "RFC 4271"]
    for q in ("hold timer in RFC 4271", "rfc4271 hold timer", "RFC-4271?"):
        hits = rank(q, [(y, 0.9), (x, 0.5)], [], 2, Ranking(), mode="dense")
        assert hits[0].chunk.doc_id == "RFC 4271" and hits[0].dense_rank == 2, q
    assert named_documents("see RFC 42710", ["RFC 4271"]) == set()


# --- zsum: standardised scores, per-query weights ------------------------------------------------


def _pool(first: list, top: float, rest: float, step: float, n: int = 30):
    """A realistic candidate pool, best first: ``first`` in order, then fillers down to ``n``;
    the first scores ``top``, the others decline from ``rest`` by ``step``."""
    fill = [_chunk(f"f{id(first)}-{i}", "1", 0) for i in range(n - len(first))]
    return [(c, top if i == 0 else rest - i * step) for i, c in enumerate(first + fill)]


def test_a_clear_bm25_winner_is_not_overturned_by_a_middling_dense_rank():
    # the short-passage failure of rank fusion: BM25 singles out one passage (a rare term),
    # the embedding ranks it 4th among near-equal cosines; RRF put the dense #1 first
    cs = [_chunk(f"p{i}", "1", 0) for i in range(5)]
    lexical = _pool([cs[0], cs[1]], 14.0, 6.0, 0.1)
    dense = _pool([cs[1], cs[2], cs[3], cs[0], cs[4]], 0.56, 0.555, 0.003)
    assert rank("q", dense, lexical, 3, Ranking(fusion="rrf", lexical_weight=1.0), mode="hybrid")[0].chunk is cs[1]
    hits = rank("q", dense, lexical, 3, Ranking(), mode="hybrid")
    assert hits[0].chunk is cs[0] and (hits[0].lexical_rank, hits[0].dense_rank) == (1, 4)


def test_a_paraphrase_is_decided_by_the_embedding_when_bm25_is_flat():
    cs = [_chunk(f"p{i}", "1", 0) for i in range(5)]
    lexical = _pool([cs[1], cs[2], cs[3], cs[0]], 5.1, 5.05, 0.05)  # no passage stands out
    dense = _pool([cs[0], cs[4], cs[1]], 0.80, 0.45, 0.004)  # one passage does
    adaptive = rank("q", dense, lexical, 3, Ranking(), mode="hybrid")
    assert [h.chunk for h in adaptive[:2]] == [cs[0], cs[1]]
    # the per-query weights hand the standing-out side more say than the fixed share does
    fixed = rank("q", dense, lexical, 3, Ranking(adaptive=False), mode="hybrid")
    assert adaptive[0].score - adaptive[1].score > fixed[0].score - fixed[1].score


def test_full_scores_replace_the_guess_for_candidates_one_side_missed():
    a, b, c = _chunk("A", "1", 0), _chunk("B", "1", 0), _chunk("C", "1", 0)
    lexical = _pool([a, b, c], 10.0, 9.9, 0.3)
    dense = _pool([a, c], 0.30, 0.29, 0.005)  # b was not in the dense pool...
    guessed = rank("q", dense, lexical, 3, Ranking(adaptive=False), mode="hybrid")
    assert [h.chunk.doc_id for h in guessed][:2] == ["A", "C"]
    full = ({"/d/B#0": 0.90}, {})
    known = rank("q", dense, lexical, 3, Ranking(adaptive=False), mode="hybrid", full=full)
    assert known[0].chunk.doc_id == "B"  # ...but it is by far the closest: now it wins
    assert known[0].dense_rank is None and known[0].lexical_rank == 2  # ranks are the lists' own


def test_zsum_collapses_sections_boosts_named_documents_and_single_lists_fall_back():
    a0, a1, b0 = _chunk("RFC 1", "1", 0), _chunk("RFC 1", "1", 1), _chunk("RFC 4271", "2", 0)
    hits = rank("q", [(a1, 0.9), (a0, 0.8), (b0, 0.1)], [(a0, 9.0), (a1, 8.0), (b0, 1.0)], 3, Ranking(), mode="hybrid")
    assert [h.chunk.section for h in hits] == ["1", "2"] and hits[0].chunk is a0
    named = rank("see RFC 4271", [(a1, 0.9), (b0, 0.1)], [(a0, 9.0), (b0, 1.0)], 2, Ranking(), mode="hybrid")
    assert named[0].chunk.doc_id == "RFC 4271"
    only = rank("q", [], [(b0, 2.0), (a0, 1.0)], 2, Ranking(), mode="lexical")
    assert [h.chunk.doc_id for h in only] == ["RFC 4271", "RFC 1"] and only[0].mode == "lexical"


def test_too_few_candidates_for_z_scores_fall_back_to_ranks():
    # two documents, and only one of them contains a query word: one lexical candidate has no
    # spread to standardise; the lone lexical match must not lose to the dense order
    bgp, ospf = _chunk("bgp", "1", 0), _chunk("ospf", "1", 0)
    hits = rank("hold timer", [(ospf, 0.31), (bgp, 0.30)], [(bgp, 2.5)], 2, Ranking(), mode="hybrid")
    assert [h.chunk.doc_id for h in hits] == ["bgp", "ospf"]


@pytest.mark.parametrize("query, found", [
    ("what is the default OSPF RouterDeadInterval?", ["RouterDeadInterval"]),
    ("What does the neighbour state ExStart mean?", ["ExStart"]),
    ("the suggested BGP HoldTime and ConnectRetryTime", ["HoldTime", "ConnectRetryTime"]),
    ("eBGP vs iBGP multihop in OSPFv2 and IPv6", []),  # prefixed acronyms and versions are not identifiers
    ("TS 23.501 clause 5.6.1, the SMF and AMF", []),
    ("what does the Hold Timer do?", []),
])
def test_identifiers_are_the_words_specifications_spell_their_constants_with(query, found):
    from netops.rag.fusion import identifiers

    assert identifiers(query) == found


def test_a_section_spelling_the_identifier_asked_for_comes_before_one_only_near_it():
    """'the default OSPF RouterDeadInterval': the dense side stood out for RFC 2328's Introduction
    (about OSPF, no RouterDeadInterval), and BM25 was flat, so the Introduction came first."""
    cs = [Chunk(doc_id="RFC 2328", source="/d/2328", ordinal=i, text=t, section=s, section_title=s)
          for i, (s, t) in enumerate([("1", "Introduction to OSPF, the link-state protocol"),
                                      ("6", "The area data structure of OSPF"),
                                      ("C.3", "RouterDeadInterval: sample value for a local area network 40 seconds"),
                                      ("9", "The interface data structure; see RouterDeadInterval"),
                                      ("11", "The routing table structure")])]
    lexical = _pool([cs[1], cs[3], cs[2], cs[0]], 5.4, 5.35, 0.05)
    dense = _pool([cs[0], cs[1], cs[4], cs[3], cs[2]], 0.80, 0.45, 0.004)
    q = "what is the default OSPF RouterDeadInterval?"
    assert rank(q, dense, lexical, 3, Ranking(boost_identifiers=False), mode="hybrid")[0].chunk is cs[0]
    hits = rank(q, dense, lexical, 3, Ranking(), mode="hybrid")
    assert {h.chunk.section for h in hits[:2]} == {"C.3", "9"}
    # no candidate spells it: the order is the fused one
    assert [h.chunk for h in rank("what is the default OSPF DeadTimerX?", dense, lexical, 3, Ranking(),
                                  mode="hybrid")] == \
        [h.chunk for h in rank("what is the default OSPF DeadTimerX?", dense, lexical, 3,
                               Ranking(boost_identifiers=False), mode="hybrid")]


def test_with_few_candidates_rank_fusion_puts_the_spelt_identifier_first_too():
    """Lexical-only (the dense index still building) goes through rank fusion: the same rule."""
    a = Chunk(doc_id="RFC 2328", source="/d/2328", ordinal=0, text="OSPF introduction", section="1", section_title="1")
    b = Chunk(doc_id="RFC 2328", source="/d/2328", ordinal=1, text="RouterDeadInterval 40 seconds", section="C.3",
              section_title="C.3")
    hits = rank("default RouterDeadInterval?", [], [(a, 5.0), (b, 4.0)], 2, Ranking(), mode="lexical")
    assert [h.chunk.section for h in hits] == ["C.3", "1"]
    assert [h.chunk.section for h in rank("default RouterDeadInterval?", [], [(a, 5.0), (b, 4.0)], 2,
                                          Ranking(boost_identifiers=False), mode="lexical")] == ["1", "C.3"]


def test_an_identifier_said_as_words_in_prose_counts_as_spelt():
    """RFC 4271 writes "HoldTimer" in its state machine and "Hold Timer" in prose (§6.5, Hold Timer
    Expired Error Handling): both hold what "when the HoldTimer expires" asks about."""
    fsm = Chunk(doc_id="RFC 4271", source="/d/4271", ordinal=0, text="HoldTimer_Expires (Event 10)", section="8.1.3",
                section_title="8.1.3")
    prose = Chunk(doc_id="RFC 4271", source="/d/4271", ordinal=1, text="If a system does not receive messages "
                  "within the period specified in the Hold Time field", section="6.5",
                  section_title="Hold Timer Expired Error Handling")
    other = Chunk(doc_id="RFC 4271", source="/d/4271", ordinal=2, text="KEEPALIVE messages", section="4.4",
                  section_title="4.4")
    hits = rank("what happens when the HoldTimer expires?", [], [(other, 6.0), (prose, 5.0), (fsm, 4.0)], 3,
                Ranking(), mode="lexical")
    assert [h.chunk.section for h in hits] == ["6.5", "8.1.3", "4.4"]


def test_a_document_the_question_names_stays_first_before_a_spelt_identifier_elsewhere():
    """review20: RFC 2328's section spelling HoldTime came before RFC 4271's when the question named RFC 4271."""
    named = Chunk(doc_id="RFC 4271", source="/d/4271", ordinal=0, text="the timer in the OPEN message",
                  section="4.2", section_title="4.2")
    other = Chunk(doc_id="RFC 9999", source="/d/9999", ordinal=0, text="HoldTime of some other protocol",
                  section="3", section_title="3")
    for dense, lexical in (([], [(named, 5.0), (other, 4.0)]), ([], [(other, 5.0), (named, 4.0)])):
        hits = rank("what is the HoldTimeX in RFC 4271?", dense, lexical, 2, Ranking(), mode="lexical")
        assert hits[0].chunk.doc_id == "RFC 4271"
    hits = rank("RFC 4271 HoldTime", [], [(other, 5.0), (named, 4.0)], 2, Ranking(), mode="lexical")
    assert [h.chunk.doc_id for h in hits] == ["RFC 4271", "RFC 9999"]
