"""A question that stands on its own is searched on its own, even in a continued conversation; a
short follow-up ("and the keepalive?") is searched with the question before it. The chat found
"what does RFC 4271 say the hold timer must be?" answered "the documents do not cover this"
after "what is r2 advertising?" in the same conversation: both questions had been searched as one."""

from __future__ import annotations

from netops.testing.ollama_server import say


def _sources_sent(request) -> str:
    return request.messages[-1]["content"]


def test_a_whole_question_after_a_device_question_is_searched_alone(scripted, make_session, fake_transport):
    from netops.assistant import Assistant

    scripted.push(say("r1 has two peers."), say("At least three seconds [1]."))
    a = Assistant(make_session())
    first = a.ask("show the bgp neighbours on r1")
    second = a.ask("what does RFC 4271 say the hold timer must be?", conversation_id=first.conversation_id)
    assert not second.abstained, second.text
    sent = _sources_sent(scripted.requests[-1])
    assert "RFC 4271 §" in sent and "Question: what does RFC 4271 say" in sent, sent
    assert "do not cover" not in second.text


def test_a_short_follow_up_is_still_searched_with_the_question_before_it(scripted, make_session):
    from netops.assistant import Assistant

    scripted.push(say("90 seconds is suggested [1]."), say("A third of the hold time [1]."))
    a = Assistant(make_session())
    first = a.ask("what hold time does RFC 4271 suggest?")
    second = a.ask("and the keepalive?", conversation_id=first.conversation_id)
    assert not second.abstained, second.text
    sent = _sources_sent(scripted.requests[-1])
    assert "KEEPALIVE" in sent and "Question: and the keepalive?" in sent


def test_a_follow_up_with_no_subject_of_its_own_is_searched_with_the_spec_question_before_it(scripted, make_session):
    """trial32: "and what is the minimum value?" after "what does RFC 4271 say the hold timer must
    be?" named nothing the router knows, went to the model with no sources at all, and SmolLM2
    answered "The minimum value of the Hold Timer Expired Error Code is 1" under "no evidence"."""
    from netops.assistant import Assistant

    scripted.push(say("Zero or at least three seconds [1]."), say("Three seconds [1]."))
    a = Assistant(make_session())
    first = a.ask("what does RFC 4271 say the hold timer must be?")
    second = a.ask("and what is the minimum value?", conversation_id=first.conversation_id)
    assert second.citations and not second.abstained, second.text
    sent = _sources_sent(scripted.requests[-1])
    assert "RFC 4271 §" in sent and "Question: and what is the minimum value?" in sent, sent


def test_a_subjectless_follow_up_of_a_device_question_is_not_sent_to_the_documents(scripted, make_session,
                                                                                   fake_transport):
    from netops.assistant import Assistant

    scripted.push(say("r1 has two peers."), say("Fine."))
    a = Assistant(make_session())
    first = a.ask("show the bgp neighbours on r1")
    a.ask("and what is the minimum value?", conversation_id=first.conversation_id)
    assert "RFC 4271 §" not in _sources_sent(scripted.requests[-1])


def test_a_second_follow_up_is_searched_with_the_question_both_follow(scripted, make_session):
    from netops.assistant import Assistant

    scripted.push(say("Zero or at least three seconds [1]."), say("Three seconds [1]."), say("A third [1]."))
    a = Assistant(make_session())
    first = a.ask("what does RFC 4271 say the hold timer must be?")
    a.ask("and what is the minimum value?", conversation_id=first.conversation_id)
    third = a.ask("and the keepalive?", conversation_id=first.conversation_id)
    assert not third.abstained, third.text
    sent = _sources_sent(scripted.requests[-1])
    assert "RFC 4271 §4.4" in sent and "KEEPALIVE" in sent, sent


def test_offline_a_subjectless_follow_up_of_a_spec_question_answers_from_the_documents(make_session):
    from netops.assistant import Assistant

    a = Assistant(make_session())
    first = a.ask("what does RFC 4271 say the hold timer must be?", offline=True)
    second = a.ask("and what is the minimum value?", offline=True, conversation_id=first.conversation_id)
    assert any(c.startswith("RFC 4271 §") for c in second.citations), second.text
    assert "needs a language model" not in second.text
