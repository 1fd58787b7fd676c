""""how do I configure bgp on r1?", "how do I change the mtu on r1?": how a change is made, which
the documents answer. Offline they got the refusal written for a request ("no vetted playbook does
this ..."), as if the engineer had asked netops to do it."""

from __future__ import annotations

import pytest

from netops.agent.router import route

HOSTS = ["r1", "r2", "r3"]


@pytest.fixture
def change_settings(agent_settings, vetted_playbooks):
    return agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})


@pytest.mark.parametrize("question", [
    "how do I configure bgp on r1?", "how do I change the mtu on r1?", "how can we enable bfd on r2",
    "how to set the hold timer on r3", "what's the command to shut down a bgp neighbour on r1?",
    "what is the right way to disable lldp on r2?",
])
def test_how_to_make_a_change_is_a_question_for_the_documents(question):
    r = route(question, HOSTS)
    assert (r.kind, r.tool) == ("spec", "kb_search"), r


@pytest.mark.parametrize("question", ["change the mtu on r1 to 9000", "enable bfd on r2", "configure bgp on r1",
                                      "how about you shut down bgp on r1"])
def test_requests_stay_requests(question):
    assert route(question, HOSTS).kind == "change"


def test_offline_answer_is_the_documents_not_a_refusal(make_assistant, change_settings):
    a = make_assistant(change_settings, approver=None)
    answer = a.ask("how do I change the mtu on r1?", offline=True)
    assert "no vetted playbook does this" not in answer.text, answer.text
    assert not answer.refused and not answer.tool_calls or all(c.tool == "kb_search" for c in answer.tool_calls)
    assert "nothing is proposed" in (answer.notice or ""), answer.notice
