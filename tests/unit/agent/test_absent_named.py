"""A question that names a document the knowledge base does not hold (RFC 793 in an index of
RFC 4271) says so and how to add it, on the offline path and before a model is given anything,
instead of answering from whatever else is nearest."""

from __future__ import annotations

from netops.agent.grounding import from_knowledge
from netops.rag.fusion import absent_documents


def test_absent_documents_are_the_named_ones_not_indexed():
    held = {"RFC 4271", "TS 23.501", "runbook-bgp"}
    assert absent_documents("what does RFC 793 say about TIME-WAIT?", held) == ["RFC 793"]
    assert absent_documents("rfc0793 and RFC-4271 timers", held) == ["RFC 793"]
    assert absent_documents("compare RFC 4271 with rfc 4760", held) == ["RFC 4760"]
    assert absent_documents("what does TS 23.502 say about registration?", held) == ["TS 23.502"]
    assert absent_documents("TS 23.501 clause 5.6.1", held) == []
    assert absent_documents("what does the RFC say the hold timer must be?", held) == []
    assert absent_documents("BGP hold timer", set()) == []


def test_offline_answer_names_the_missing_rfc_and_how_to_add_it(make_assistant):
    answer = make_assistant().ask("what does RFC 793 say about the TIME-WAIT state?", offline=True)
    assert answer.abstained
    assert "RFC 793 is not in the knowledge base" in answer.text
    assert "netops kb pull rfc 793" in answer.text


def test_an_indexed_rfc_named_is_answered_as_before(make_assistant):
    answer = make_assistant().ask("what does RFC 4271 say the hold timer must be?", offline=True)
    assert "not in the knowledge base" not in answer.text
    assert any(c.startswith("RFC 4271") for c in answer.citations)


def test_one_named_rfc_missing_of_two_is_a_notice_not_an_abstention(make_assistant):
    answer = make_assistant().ask("how do RFC 4271 and RFC 4760 differ on the hold timer?", offline=True)
    assert "RFC 4760 is not in the knowledge base" in (answer.notice or "")
    assert any(c.startswith("RFC 4271") for c in answer.citations)


def test_the_model_path_is_not_covered_before_the_model_speaks(kb):
    g = from_knowledge("what does RFC 793 say about the TIME-WAIT state?", kb)
    assert g.abstain and "RFC 793 is not in the knowledge base" in g.coverage.reason
    assert "netops kb pull rfc 793" in g.coverage.reason
    g = from_knowledge("what does RFC 4271 say the hold timer must be?", kb)
    assert "not in the knowledge base" not in (g.coverage.reason or "")


def test_the_how_to_add_line_speaks_of_each_kind_in_its_number(kb):
    from netops.agent.abstain import absent

    _, said = absent("compare RFC 4271, RFC 793 and TS 23.502", kb, None)
    assert said == ("RFC 793, TS 23.502 are not in the knowledge base; add it with `netops kb pull rfc 793`; "
                    "add its text with `netops kb add FILE`")
