"""Questions about netops's own audit log (trial21): "show me the audit log" and "verify the audit
chain" were "no known intent matched" offline, with a line that a language model was needed. They
are answered from the log itself, in both modes, with no device read and no model."""

from __future__ import annotations

import pytest

from netops.agent.audit_question import asked


@pytest.mark.parametrize("question, kind", [
    ("show me the audit log", "list"), ("what's in the audit trail?", "list"), ("last 5 audit entries", "list"),
    ("verify the audit chain", "verify"), ("is the audit log intact?", "verify"),
    ("has the audit trail been tampered with?", "verify"), ("check the audit log", "verify"),
    ("what changed on r2?", None), ("how does netops audit changes?", None), ("bgp neighbours on r1", None),
])
def test_what_is_asked_of_the_log(question, kind):
    assert asked(question) == kind


def _seed(session):
    session.audit.append("device_command", {"host": "r1", "command": "show version"}, actor="alice")
    session.audit.append("apply", {"host": "r2", "playbook": "ospf-cost", "commands": ["interface eth-r3"],
                                   "ok": True}, actor="bob")


@pytest.mark.parametrize("offline", [True, False])
def test_show_me_the_audit_log_lists_its_newest_records(make_session, make_assistant, fake_transport, scripted,
                                                        offline):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    session = make_session()
    _seed(session)
    answer = Assistant(session, approver=DenyAll()).ask("show me the audit log", offline=offline)
    assert not fake_transport.sent and not scripted.requests
    text = answer.text
    assert text.index("ospf-cost on r2") < text.index("show version on r1")  # newest first
    assert "bob" in text and "alice" in text and "netops audit show SEQ" in text
    assert "needs a language model" not in text


@pytest.mark.parametrize("offline", [True, False])
def test_verify_the_audit_chain_walks_it(make_session, fake_transport, scripted, offline):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    session = make_session()
    _seed(session)
    answer = Assistant(session, approver=DenyAll()).ask("is the audit log intact?", offline=offline)
    assert "The audit log verifies" in answer.text and "netops audit verify --anchor" in answer.text
    assert not fake_transport.sent and not scripted.requests


def test_a_tampered_log_is_said_not_to_verify(make_session):
    import sqlite3

    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    session = make_session()
    _seed(session)
    path = session.settings.paths.audit_db
    session.audit.close() if hasattr(session.audit, "close") else None
    with sqlite3.connect(path) as conn:  # someone with the file, past its append-only triggers
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE actor = 'bob'")
    conn.close()
    answer = Assistant(make_session(), approver=DenyAll()).ask("verify the audit chain", offline=True)
    assert "does not verify" in answer.text


@pytest.mark.parametrize("question, kind", [
    # review21 T4: the audit answer swallowed a change asked beside it, and a device's own audit
    ("drain r1 and check the audit trail", None), ("check the audit log and then drain r1", None),
    ("check the audit settings on r1", None), ("verify audit logging is configured on r1", None),
    ("is the audit log on r1 intact?", None),
    ("show me the audit log for r2", "list"), ("show me the audit log, please", "list"),
])
def test_only_a_question_about_the_log_alone_is_answered_from_it(question, kind):
    assert asked(question, ["r1", "r2", "r3"]) == kind


def test_the_audit_log_for_a_device_lists_its_records(make_session, fake_transport, scripted):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    session = make_session()
    _seed(session)
    answer = Assistant(session, approver=DenyAll()).ask("show me the audit log for r2", offline=True)
    assert "about r2" in answer.text and "ospf-cost on r2" in answer.text, answer.text
    assert "show version on r1" not in answer.text
    assert not fake_transport.sent
