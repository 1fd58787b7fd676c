"""A conversation records the model that answered it: one started with `ask --offline`, or answered
offline because no model was reachable, was stored as the settings' model ("model smollm2" in
`netops conversations show`), as if that model had answered (the user trial of 2026-12-03)."""

from __future__ import annotations

from netops.testing.ollama_server import say


def test_an_offline_question_starts_a_conversation_with_no_model(make_session):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    session = make_session()
    answer = Assistant(session, approver=DenyAll()).ask("what is the hold time?", offline=True)
    assert answer.mode == "offline"
    assert session.conversation(answer.conversation_id).model is None


def test_no_model_reachable_starts_a_conversation_with_no_model(make_session, agent_settings):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    settings = agent_settings.model_copy(update={"ollama_url": "http://127.0.0.1:9"})
    session = make_session(settings)
    answer = Assistant(session, approver=DenyAll()).ask("what is the hold time?")
    assert answer.mode == "offline", answer.notice
    assert session.conversation(answer.conversation_id).model is None


def test_a_model_answer_records_the_model(make_session, scripted):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    scripted.push(say("It is negotiated [1]."))
    session = make_session()
    answer = Assistant(session, approver=DenyAll()).ask("what is the hold time?")
    assert answer.mode == "agent"
    assert session.conversation(answer.conversation_id).model == answer.model
