"""adv37b: the go-ahead after netops's dry run (netops/agent/consent.py), attacked.

- "go ahead and drain r3 for maintenance" names its change in the person's own words: it is asked for as
  any worded change is (change37 answered it "not a request for a change here: there is no answer before
  it ... ask for it in your own words, naming the change and the device", which it had done).
- a question stored with no answer (the process ended under it) between the dry run and the go-ahead: the
  go-ahead does not reach past it to the earlier dry run.
"""

from __future__ import annotations

import pytest

from netops.agent.events import ApprovalRequestEvent
from netops.testing.ollama_server import say

from tests.unit.agent.test_own_words import _events, _no_change, lab_like, session  # noqa: F401


def _asked(events):
    return [(e.plan.playbook, e.plan.hosts) for e in events if isinstance(e, ApprovalRequestEvent)]


@pytest.mark.parametrize("q", ["go ahead and drain r3 for maintenance", "proceed to drain r3 for maintenance",
                               "ok, go ahead and drain r3"])
def test_a_change_named_after_go_ahead_words_is_the_persons_request(scripted, session, lab_like, q):
    before = len(scripted.requests)
    events, answer = _events(session.assistant(approver=None), q, respond=False)
    assert _asked(events) == [("router-drain", ["r3"])], answer.text
    assert answer.approvals[-1].decision == "denied" and not lab_like.configs
    assert len(scripted.requests) == before, "matched from the words; the model did not pick it"
    assert session.audit.list(kind="plan")[-1].payload["intent"] == q


def test_offline_too_it_is_the_changes_dry_run_not_a_refused_go_ahead(session, lab_like):
    _, answer = _events(session.assistant(approver=None), "go ahead and drain r3 for maintenance", offline=True)
    assert "is not a request for a change here" not in answer.text, answer.text
    assert "router-drain" in answer.text and not lab_like.configs


def test_another_change_named_after_a_dry_run_is_that_change_not_the_dry_runs(scripted, session, lab_like):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?")
    events, answer = _events(assistant, "go ahead and drain r2 for maintenance",
                             conversation_id=first.conversation_id, respond=False)
    assert _asked(events) == [("router-drain", ["r2"])], answer.text   # what the words say, never r3
    assert "You went ahead with the change netops dry-ran" not in answer.text
    assert session.audit.list(kind="plan")[-1].payload["intent"] == "go ahead and drain r2 for maintenance"


@pytest.mark.parametrize("q", ["go ahead but on r2", "go ahead and drain r3 if r2 is healthy", "go ahead and drain it"])
def test_more_than_a_go_ahead_that_names_no_complete_change_is_still_refused(scripted, session, lab_like, q):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?")
    before = len(scripted.requests)
    events, answer = _events(assistant, q, conversation_id=first.conversation_id)
    _no_change(session, answer, events, lab_like)
    assert "is not a request for a change here" in answer.text, answer.text
    assert len(scripted.requests) == before


def test_a_go_ahead_does_not_reach_past_a_question_left_unanswered(scripted, session, lab_like):
    """The dry run of r3's drain; then "drain r2 instead" whose process ended before its answer (stored,
    unanswered); then "go ahead" in the same conversation: not r3's drain."""
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?")
    session.history.append(first.conversation_id, "user", "no wait, what happens if I drain r2 instead?")
    events, answer = _events(assistant, "go ahead", conversation_id=first.conversation_id)
    _no_change(session, answer, events, lab_like)
    assert "is not a request for a change here" in answer.text, answer.text
    assert 'the question before it ("no wait, what happens if I drain r2 instead?") was never answered' in answer.text
