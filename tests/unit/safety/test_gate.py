"""The agent's approval gate (``playbook_run``), driven through the tool on the FRR simulator:
it provably reaches the approver with the plan, and every path without a yes changes nothing."""

from __future__ import annotations

import pytest

from netops.agent.change_tools import PlaybookArgs, _GatedApprover, playbook_run
from netops.agent.events import ApprovalEvent, PlanEvent
from netops.agent.tools import ToolContext
from netops.cancel import CancelToken
from netops.playbook.approval import Approval

ARGS = {"playbook": "interface-description", "hosts": ["r1"],
        "params": {"interface": "eth-r2", "description": "gate test"}}
QUESTION = "set the description of interface eth-r2 on r1 to gate test"


class Spy:
    def __init__(self, answer: bool, *, interactive: bool = True) -> None:
        self.answer, self.interactive, self.plans = answer, interactive, []

    def approve(self, plan):
        self.plans.append(plan)
        return Approval(self.answer, "spy", f"spy says {'yes' if self.answer else 'no'}", interactive=self.interactive)


@pytest.fixture
def ctx(pb_settings, vetted, devices, audit):
    events: list = []
    c = ToolContext(settings=pb_settings.model_copy(update={"model_review": False}), devices=devices, audit=audit,
                    catalogue=vetted, question=QUESTION, on_event=events.append)
    c.events = events  # type: ignore[attr-defined]
    return c


def _run(ctx, args=ARGS):
    return playbook_run(ctx, PlaybookArgs(**args))


def test_a_yes_reaches_the_device_only_through_the_approver(ctx, sim, audit):
    spy = Spy(True)
    ctx.approver = spy
    res = _run(ctx)
    assert res.ok and res.changed, res.error
    (p,) = spy.plans
    assert p.playbook == "interface-description" and p.hosts == ["r1"] and p.params["description"] == "gate test"
    assert "description gate test" in sim.routers["r1"].running()
    (rec,) = ctx.approvals
    assert rec.decision == "approved" and rec.by == "spy" and rec.verified is True
    assert rec.result == "applied and verified"
    kinds = [type(e) for e in ctx.events]
    assert kinds.index(PlanEvent) < kinds.index(ApprovalEvent)
    assert audit.list(kind="approval")[-1].payload["by"] == "spy"


def test_a_no_changes_nothing(ctx, sim, audit):
    spy = Spy(False)
    ctx.approver = spy
    res = _run(ctx)
    assert not res.ok and not res.changed
    assert len(spy.plans) == 1
    assert sim.routers["r1"].configs == []
    (rec,) = ctx.approvals
    assert rec.decision == "denied" and rec.by == "spy" and "spy says no" in rec.result
    assert "DENIED" in res.error and "Nothing was changed" in res.error
    assert audit.list(kind="denial")[-1].payload["reason"] == "spy says no"


def test_no_approver_configured_is_a_denial(ctx, sim, audit):
    assert ctx.approver is None and ctx.request_approval is None
    res = _run(ctx)
    assert not res.ok
    (rec,) = ctx.approvals
    assert rec.decision == "denied" and rec.result == "no approver configured"
    assert sim.routers["r1"].configs == []
    assert audit.list(kind="denial")[-1].payload["reason"] == "no approver configured"


def test_without_an_approver_the_consumer_is_asked_with_the_plan(ctx, sim):
    asked = []

    def request(plan, text, verdict, *, needs_person=None):
        asked.append((plan, text, verdict, needs_person))
        return Approval(False, "person", "not now", interactive=True)

    ctx.request_approval = request
    res = _run(ctx)
    assert not res.ok and len(asked) == 1
    plan, text, verdict, needs = asked[0]
    assert plan.playbook == "interface-description" and "description gate test" in text
    assert needs is None  # the question asked for exactly this change
    assert sim.routers["r1"].configs == []


def test_a_non_interactive_yes_does_not_cover_a_change_the_question_did_not_ask_for(ctx, sim):
    ctx.question = "what is the description of eth-r2 on r1?"
    spy = Spy(True, interactive=False)
    ctx.approver = spy
    res = _run(ctx)
    assert not res.ok and spy.plans
    (rec,) = ctx.approvals
    assert rec.decision == "denied" and "non-interactive approval cannot cover" in rec.result
    assert sim.routers["r1"].configs == []


def test_a_non_interactive_yes_covers_the_change_asked_for(ctx, sim):
    spy = Spy(True, interactive=False)
    ctx.approver = spy
    res = _run(ctx)
    assert res.ok, res.error
    assert "description gate test" in sim.routers["r1"].running()


def test_an_interactive_yes_covers_a_change_the_question_did_not_name(ctx, sim):
    ctx.question = "what is the description of eth-r2 on r1?"
    ctx.approver = Spy(True, interactive=True)
    assert _run(ctx).ok


def test_cancelled_before_approval_is_a_denial_without_asking(ctx, sim):
    token = CancelToken()
    token.cancel("Escape")
    ctx.cancel = token
    spy = Spy(True)
    ctx.approver = spy
    res = _run(ctx)
    assert not res.ok and spy.plans == []
    assert "Escape before approval" in ctx.approvals[0].result
    assert sim.routers["r1"].configs == []


def test_the_gate_itself():
    from types import SimpleNamespace

    from netops.agent.reviewer import Verdict

    args = PlaybookArgs(**ARGS)
    plan = SimpleNamespace(actor="a", playbook="interface-description", hosts=["r1"])
    ok = Verdict(level="ok", findings=[])
    for needs, interactive, approved in [(None, False, True), (None, True, True), ("why", True, True),
                                         ("why", False, False)]:
        gate = _GatedApprover(SimpleNamespace(cancel=None, approver=Spy(True, interactive=interactive),
                                              request_approval=None), args, ok, "text", needs)
        d = gate.approve(plan)
        assert d.approved is approved, (needs, interactive)
        assert gate.record.decision == ("approved" if approved else "denied")
        assert gate.record.result is (None if approved else d.reason)
    gate = _GatedApprover(SimpleNamespace(cancel=None, approver=None, request_approval=None), args, ok, "t")
    d = gate.approve(plan)
    assert not d.approved and d.by == "deny-all" and d.reason == "no approver configured"
