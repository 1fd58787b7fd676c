"""Intent -> plan -> review -> approval gate, with recorded FRR output (nothing is applied)."""

from __future__ import annotations

import pytest

from netops.agent.events import PlanEvent
from netops.testing.ollama_server import tool_call, say


@pytest.fixture
def change_assistant(make_assistant, agent_settings, vetted_playbooks):
    def make(settings=None, **kw):
        settings = settings or agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})
        return make_assistant(settings, **kw)

    return make


def test_drain_stops_at_approval_and_deny_changes_nothing(scripted, change_assistant, fake_transport):
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}
    args = {"playbook": "router-drain", "hosts": ["r2"], "params": {}}
    scripted.push(tool_call("list_playbooks"), tool_call("playbook_plan", **args),
                  tool_call("playbook_run", **args), say("The drain of r2 was refused; nothing changed."))
    # words the change-intent matcher leaves to the model (it proposes "drain r2" itself)
    events = list(change_assistant().events("r2 has a maintenance window tonight, get it ready for that"))
    answer = events[-1].answer
    tools = [(c.tool, c.ok) for c in answer.tool_calls]
    assert tools[0] == ("list_playbooks", True) and tools[-1] == ("playbook_run", False)
    plans = [e for e in events if isinstance(e, PlanEvent)]
    assert answer.tool_calls[1].ok, answer.tool_calls[1].error
    assert plans and plans[0].verdict.level == "warn"          # high-risk playbook
    assert "+ " in plans[0].summary                              # the commands are shown
    # "get it ready" never says drain: refused before the approver (DenyAll) is asked
    assert (answer.approvals[0].decision, answer.approvals[0].by) == ("blocked", "intent") and answer.exit_code == 5
    assert not fake_transport.configs
    assert "router-drain" in scripted.requests[1].tool_results()[0]


class _Spy:
    """An approver that says yes and remembers every plan it was shown."""

    def __init__(self):
        self.plans = []

    def approve(self, plan):
        from netops.playbook.approval import Approval

        self.plans.append(plan)
        return Approval(True, "spy", "yes", interactive=True)


def _neighbour(fake_transport, address, reply):
    """FRR's reply to ``show bgp neighbors ADDRESS json`` on r1 (the playbook's precheck)."""
    slug = "show_bgp_neighbors_" + address.replace(".", "_") + "_json"
    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"], slug: reply}


def test_reviewer_blocks_a_neighbour_that_does_not_exist(scripted, change_assistant, fake_transport):
    """The plan is made (its precheck reads FRR's 'no such neighbor' reply) and reaches the gate,
    where the reviewer blocks it: the approver, which would say yes, is never asked."""
    _neighbour(fake_transport, "198.51.100.6", '{"bgpNoSuchNeighbor": true}')
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": "198.51.100.6"}}
    scripted.push(tool_call("playbook_run", **args), say("blocked"))
    spy = _Spy()
    events = list(change_assistant(approver=spy).events("shut the BGP session to 198.51.100.6 on r1"))
    answer = events[-1].answer
    assert any(isinstance(e, PlanEvent) for e in events)       # the plan was made and shown
    (approval,) = answer.approvals
    assert approval.decision == "blocked" and approval.by == "reviewer"
    assert any("not a BGP neighbour of r1" in f for f in approval.review_findings)
    assert spy.plans == []
    assert not answer.tool_calls[0].ok
    assert not fake_transport.configs


def test_model_cannot_change_without_the_gate(scripted, change_assistant, fake_transport):
    """No approver configured: the plan passes its prechecks, reaches the gate and is denied."""
    _neighbour(fake_transport, "198.51.100.2",
               '{"198.51.100.2": {"remoteAs": 65002, "bgpState": "Established"}}')
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": "198.51.100.2"}}
    scripted.push(tool_call("playbook_run", **args), say("tried"))
    from netops.agent.events import ApprovalRequestEvent

    events, requests = [], []
    for e in change_assistant(approver=None).events("shut the BGP session to 198.51.100.2 on r1"):
        events.append(e)
        if isinstance(e, ApprovalRequestEvent):  # the gate put the plan to the consumer
            requests.append(e)
            e.respond(False, by="nobody", reason="no one to approve")
    answer = events[-1].answer
    (request,) = requests
    assert request.plan.ok and request.plan.playbook == "bgp-neighbor-shutdown" and request.plan.hosts == ["r1"]
    (approval,) = answer.approvals
    assert approval.decision == "denied" and "no one to approve" in approval.result
    assert not answer.tool_calls[0].ok
    assert not fake_transport.configs
    # ask() has no one to put the request to: denied the same way
    scripted.push(tool_call("playbook_run", **args), say("tried"))
    answer = change_assistant(approver=None).ask("shut the BGP session to 198.51.100.2 on r1")
    assert [a.decision for a in answer.approvals] == ["denied"]
    assert not fake_transport.configs


def test_reviewer_rules_wrong_host():
    from types import SimpleNamespace

    from netops.agent.reviewer import review_rules

    plan = SimpleNamespace(playbook="router-drain", hosts=["r3"], params={}, risk="high")
    v = review_rules(plan, "drain r2", hosts=["r1", "r2", "r3"])
    assert v.level == "block" and "request names r2" in v.findings[0]
    ok = review_rules(SimpleNamespace(playbook="router-drain", hosts=["r2"], params={}, risk="low"),
                      "drain r2", hosts=["r1", "r2", "r3"])
    assert ok.level == "ok"


DRAIN = {"playbook": "router-drain", "hosts": ["r2"], "params": {}}


def _drainable(fake_transport):
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}


def test_model_second_opinion_sees_the_plan_without_tools_and_can_block(scripted, change_assistant, fake_transport):
    from netops.playbook.approval import AllowAll

    _drainable(fake_transport)
    scripted.review = say('{"verdict": "block", "findings": ["r2 carries the only path to 203.0.113.3"]}')
    scripted.push(tool_call("playbook_run", **DRAIN), say("The reviewer blocked the drain."))
    events = list(change_assistant(approver=AllowAll()).events("drain r2"))
    answer = events[-1].answer
    (review,) = scripted.review_requests
    assert not review.tools                                   # the reviewer gets no tools
    assert "router-drain" in review.last_user() and "<data" in review.last_user()
    plan = next(e for e in events if isinstance(e, PlanEvent))
    assert plan.verdict.level == "block" and "model" in plan.verdict.by
    assert answer.approvals[0].decision == "blocked"          # AllowAll was never asked
    assert any("only path" in f for f in answer.approvals[0].review_findings)
    assert not fake_transport.configs


def test_model_reviewer_cannot_approve(scripted, change_assistant, fake_transport):
    _drainable(fake_transport)
    scripted.review = say('{"verdict": "approve", "findings": []}')
    scripted.push(tool_call("playbook_run", **DRAIN), say("Refused."))
    answer = change_assistant().ask("drain r2")               # DenyAll approver
    (approval,) = answer.approvals
    assert approval.decision == "denied"
    assert any("treated as a warning" in f for f in approval.review_findings)
    assert not fake_transport.configs


def test_model_review_can_be_turned_off(scripted, change_assistant, fake_transport):
    _drainable(fake_transport)
    scripted.push(tool_call("playbook_run", **DRAIN), say("Refused."))
    a = change_assistant()
    a = change_assistant(a.settings.model_copy(update={"model_review": False}))
    answer = a.ask("drain r2")
    assert not scripted.review_requests
    assert answer.approvals and "model" not in " ".join(answer.approvals[0].review_findings)


def test_a_plan_that_cannot_run_says_which_precheck_failed(make_session, agent_settings, vetted_playbooks,
                                                           fake_transport):
    """trial34: '/plan router-drain r3' on a drained r3 answered "Plan cannot run: prechecks failed:
    this plan cannot run; nothing was changed Ask in plain language to have the change proposed for
    approval." The failed check was not named, and asking for the change fails the same way. The
    result names it per host, and the chat's line says no more than that."""
    from netops.agent.direct import run_tool
    from netops.tui.results import result_markdown

    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"], "show_ip_ospf_json":
                                    '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {"indefiniteActiveAdmin": true}}}'}
    session = make_session(agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks}))
    args = {"playbook": "router-drain", "hosts": ["r2"], "params": {}}
    result, _ = run_tool(session, "playbook_plan", args, question="/plan router-drain r2")
    assert not result.ok
    assert "r2: OSPF is not already advertising max-metric" in result.error, result.error
    said = result_markdown(result, args)
    assert said.startswith("**Plan cannot run:** prechecks failed (r2: OSPF is not already advertising max-metric)")
    assert "Ask in plain language" not in said and "cannot run; nothing" not in said, said
    assert not fake_transport.configs
