"""The agent's approval gate (``playbook_run``), driven through the tool on the FRR simulator:
it provably reaches the approver with the plan, and every path without a yes changes nothing."""

from __future__ import annotations

import pytest

from netops.agent.change_tools import PlaybookArgs, _GatedApprover, playbook_run
from netops.agent.events import ApprovalEvent, PlanEvent, StepEvent
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
    assert not res.ok and spy.plans == []  # refused before the approver is asked
    (rec,) = ctx.approvals
    assert (rec.decision, rec.by) == ("blocked", "intent") and "does not follow from your question" in rec.result
    assert sim.routers["r1"].configs == []


def test_a_non_interactive_yes_covers_the_change_asked_for(ctx, sim):
    spy = Spy(True, interactive=False)
    ctx.approver = spy
    res = _run(ctx)
    assert res.ok, res.error
    assert "description gate test" in sim.routers["r1"].running()


def test_an_interactive_yes_cannot_cover_a_change_the_question_did_not_ask_for(ctx, sim, audit):
    """A read question: the change is refused before a person is asked, recorded by ``intent`` with
    the check's reasons, and the refusal says how to ask for it in one's own words."""
    ctx.question = "what is the description of eth-r2 on r1?"
    spy = Spy(True, interactive=True)
    ctx.approver = spy
    res = _run(ctx)
    assert not res.ok and not res.changed and spy.plans == []
    assert sim.routers["r1"].configs == []
    ask = 'set the description of eth-r2 on r1 to "gate test"'
    (rec,) = ctx.approvals
    assert (rec.decision, rec.by, rec.ask) == ("blocked", "intent", ask)
    assert rec.result == ("the change does not follow from your question (the question asks "
                          "about a change rather than for one; parameter description='gate test' is not in the "
                          f"question). To make this change, ask for it: '{ask}'"), rec.result
    assert res.error == f"BLOCKED: {rec.result}. Nothing was changed."
    # trial37: the model is told what to do next; the error a person sees, exports and stores is not
    assert res.for_model().startswith(f"ERROR: {res.error} Tell the person; do not retry."), res.for_model()
    planned = audit.list(kind="plan")[-1]
    (denial,) = audit.list(kind="denial")
    assert denial.payload["by"] == "intent" and denial.payload["decision"] == "blocked"
    assert denial.payload["plan_seq"] == planned.seq and denial.payload["ask"] == ask
    assert denial.payload["intent_reasons"] and denial.payload["reason"] == "blocked by intent: " + rec.result.split(
        ". To make")[0]
    assert audit.list(kind="approval") == [] and audit.list(kind="apply") == []
    # progress lines (planning, the model's review: StepEvent) aside, the plan and then no approval asked
    assert [type(e) for e in ctx.events if not isinstance(e, StepEvent)] == [PlanEvent, ApprovalEvent]


def test_after_a_no_the_model_cannot_ask_again_in_the_same_question(ctx, sim):
    """A person's "no" stands for the rest of the question: another change (the same or any other
    the question asked for) is neither planned nor put to anyone."""
    spy = Spy(False)
    ctx.approver = spy
    ctx.question = QUESTION + ", or else to gate test two"
    assert not _run(ctx).ok
    other = {**ARGS, "params": {"interface": "eth-r2", "description": "gate test two"}}
    for args in (ARGS, other):
        res = _run(ctx, args)
        assert not res.ok and "already said no" in res.error
    assert len(spy.plans) == 1 and [a.decision for a in ctx.approvals] == ["denied"]
    assert sim.routers["r1"].configs == []


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


def _gate_ctx(**kw):
    from types import SimpleNamespace

    base = dict(cancel=None, approver=None, request_approval=None)
    base.update(kw)
    return SimpleNamespace(**base)


def _verdict(level="ok", findings=()):
    from netops.agent.reviewer import Verdict

    return Verdict(level=level, findings=list(findings))


def _plan_ns(hosts=("r1",)):
    from types import SimpleNamespace

    return SimpleNamespace(actor="carol", playbook="interface-description", hosts=list(hosts),
                           params={"interface": "eth-r2", "description": "gate test"}, risk="low")


def test_cancelled_gate_denies_as_the_plan_actor():
    from types import SimpleNamespace

    args = PlaybookArgs(**ARGS)
    spy = Spy(True)
    gate = _GatedApprover(_gate_ctx(cancel=SimpleNamespace(cancelled=True, reason=None), approver=spy),
                          args, _verdict(), "t")
    d = gate.approve(_plan_ns())
    assert d.approved is False and d.by == "carol" and d.reason == "cancelled before approval"
    assert spy.plans == [] and gate.record.decision == "denied"


def test_the_consumer_gets_the_verdict_and_why_a_person_is_needed():
    seen = []

    def request(plan, text, verdict, *, needs_person=None):
        seen.append((plan, text, verdict, needs_person))
        return Approval(True, "person", "ok", interactive=True)

    v = _verdict("warn", ["x"])
    plan = _plan_ns()
    gate = _GatedApprover(_gate_ctx(request_approval=request), PlaybookArgs(**ARGS), v, "the plan text", "because")
    assert gate.approve(plan).approved
    assert seen == [(plan, "the plan text", v, "because")]


def test_a_yes_without_an_interactive_flag_counts_as_non_interactive():
    from types import SimpleNamespace

    class Bare:
        def approve(self, plan):
            return SimpleNamespace(approved=True, by="plugin", reason="yes")

    gate = _GatedApprover(_gate_ctx(approver=Bare()), PlaybookArgs(**ARGS), _verdict(), "t", "not asked for")
    d = gate.approve(_plan_ns())
    assert d.approved is False and d.by == "plugin"
    assert d.reason == ("a non-interactive approval cannot cover this change: not asked for. "
                        "Ask again at an interactive prompt to approve it yourself")
    gate = _GatedApprover(_gate_ctx(approver=Bare()), PlaybookArgs(**ARGS), _verdict(), "t", None)
    assert gate.approve(_plan_ns()).approved is True


def test_needs_person_says_why_exactly():
    from types import SimpleNamespace

    from netops.agent.change_tools import _needs_person

    def broken_devices():
        raise RuntimeError("no inventory")

    from netops.agent.change_tools import _intent

    ctx = SimpleNamespace(question=QUESTION, get_devices=broken_devices)
    plan = _plan_ns()
    assert _needs_person(_verdict()) is None
    assert _needs_person(_verdict("warn", ["first", "second"])) == "the reviewer warned: first; second"
    assert _intent(ctx, plan).bound  # hosts fall back to the plan's
    ctx.question = "what is on r1?"
    assert not _intent(ctx, plan).bound  # refused by playbook_run before any approver: no needs_person


def test_a_plan_without_hosts_and_no_inventory_needs_a_person():
    from types import SimpleNamespace

    from netops.agent.change_tools import _intent

    def broken_devices():
        raise RuntimeError("no inventory")

    ctx = SimpleNamespace(question=QUESTION, get_devices=broken_devices)
    plan = SimpleNamespace(actor="carol", playbook="interface-description",
                           params={"interface": "eth-r2", "description": "gate test"})
    got = _intent(ctx, plan)
    assert not got.bound and got.summary() == "the question does not name the targets"


def test_a_reviewer_block_is_refused_recorded_and_never_asked(ctx, sim, audit):
    from netops.agent.reviewer import Verdict

    ctx.reviewer = lambda p, text, question, evidence: Verdict(level="block", findings=["f one", "f two"])
    spy = Spy(True)
    ctx.approver = spy
    res = _run(ctx)
    assert not res.ok and not res.changed and spy.plans == []
    assert res.error == "BLOCKED: blocked by the reviewer: f one; f two. Nothing was changed."
    assert sim.routers["r1"].configs == []
    (rec,) = ctx.approvals
    assert (rec.decision, rec.by, rec.result) == ("blocked", "reviewer", "blocked by the reviewer: f one; f two")
    planned = audit.list(kind="plan")[-1]
    (denial,) = audit.list(kind="denial")
    assert denial.payload == {
        "playbook": "interface-description", "hash": planned.payload["hash"], "plan_seq": planned.seq,
        "by": "reviewer", "decision": "blocked", "reason": "blocked by the reviewer: f one; f two",
        "findings": ["f one", "f two"], "hosts": ["r1"], "intent": QUESTION}
    assert audit.list(kind="approval") == [] and audit.list(kind="apply") == []
    (pe,) = [e for e in ctx.events if isinstance(e, PlanEvent)]
    assert pe.playbook == "interface-description" and pe.verdict.level == "block"
    assert pe.plan.playbook == "interface-description" and pe.plan.hosts == ["r1"]
    assert pe.plan.hash == planned.payload["hash"]
    # progress lines (planning, the model's review: StepEvent) aside, the plan and then no approval asked
    assert [type(e) for e in ctx.events if not isinstance(e, StepEvent)] == [PlanEvent, ApprovalEvent]


def test_the_gate_counts_the_change_in_progress(ctx):
    """While a change runs ``ctx.changing`` is one higher (a cancel then waits for its rollback)."""
    seen = []

    class Counting(Spy):
        def approve(self, plan):
            seen.append(ctx.changing)
            return super().approve(plan)

    ctx.changing = 2  # two other changes already in progress
    for answer in (True, False):
        ctx.approver = Counting(answer)
        _run(ctx)
        assert ctx.changing == 2
    assert seen == [3, 3]


def test_a_finished_run_reports_the_run_and_records_the_approval(ctx, sim):
    from netops.playbook.runner import RunReport

    ctx.approver = Spy(True)
    res = _run(ctx)
    assert res.tool == "playbook_run" and res.ok and res.error is None
    assert res.content == ("Run report (post-checks are the verification):\n"
                           "- r1: verified\n  - postcheck description is set: ok")
    assert isinstance(res.data, RunReport) and res.data.hosts["r1"].state == "verified"
    (rec,) = ctx.approvals
    (ev,) = [e for e in ctx.events if isinstance(e, ApprovalEvent)]
    assert ev.record is rec


def test_a_read_only_playbook_runs_without_asking(ctx, sim):
    spy = Spy(False)
    ctx.approver = spy
    res = playbook_run(ctx, PlaybookArgs(playbook="bgp-health", hosts=["r1"], params={}))
    assert res.ok and not res.changed and spy.plans == []
    (rec,) = ctx.approvals
    assert (rec.playbook, rec.targets, rec.params, rec.review, rec.review_findings) == (
        "bgp-health", ["r1"], {}, "ok", [])
    assert (rec.decision, rec.by, rec.result, rec.verified) == ("approved", "read-only", "applied and verified", True)


def test_an_approver_that_raises_a_denial_changes_nothing(ctx, sim):
    from netops.errors import ApprovalDenied

    class Raising:
        def approve(self, plan):
            raise ApprovalDenied("no terminal to ask at")

    ctx.approver = Raising()
    res = _run(ctx)
    assert not res.ok and not res.changed
    assert res.error == "DENIED: no terminal to ask at. Nothing was changed."
    (rec,) = ctx.approvals
    assert (rec.playbook, rec.targets, rec.review, rec.decision, rec.by, rec.result) == (
        "interface-description", ["r1"], "ok", "denied", None, "no terminal to ask at")
    assert sim.routers["r1"].configs == []


def test_a_yes_overtaken_by_a_cancel_is_a_denial(ctx, sim, audit):
    token = CancelToken()
    ctx.cancel = token

    class CancelWhileAsking(Spy):
        def approve(self, plan):
            token.cancel("Escape")
            return super().approve(plan)

    ctx.approver = CancelWhileAsking(True)
    res = _run(ctx)
    msg = "interface-description was not approved: Escape before the change started; nothing was changed"
    assert not res.ok and res.error == f"DENIED: {msg}. Nothing was changed."
    (rec,) = ctx.approvals
    assert (rec.decision, rec.by, rec.result) == ("denied", "spy", msg)
    assert sim.routers["r1"].configs == []
    assert audit.list(kind="denial")[-1].payload["reason"] == "Escape before the change started"


def _fast_two_host_description(vetted):
    """The description playbook allowed on two hosts, its post-check given up after 0.3 s."""
    y = vetted.path_of("interface-description") / "playbook.yaml"
    text = y.read_text().replace("max_hosts: 1", "max_hosts: 2")
    y.write_text(text.replace("within: 5s", "within: 0.3s").replace("interval: 1s", "interval: 0.1s"))
    vetted.lock_for(vetted.get("interface-description")).vet(vetted.get("interface-description"), "unit-reviewer")


def _undo_fails_on(sim, monkeypatch, hosts):
    """On these routers only the first configuration push takes hold (the undo does not)."""
    for name in hosts:
        router = sim.routers[name]
        calls = []

        def configure(lines, router=router, real=router.configure, calls=calls):
            calls.append(list(lines))
            return real(lines if len(calls) == 1 else [])

        monkeypatch.setattr(router, "configure", configure)


@pytest.mark.parametrize("hosts,at,undo_fails,result", [
    (["r1"], ("r1", "precheck"), [], "cancelled: nothing was changed"),
    (["r1", "r2"], ("r2", "postcheck"), [], "cancelled: rolled back r1, r2"),
    (["r1", "r2"], ("r2", "postcheck"), ["r1", "r2"], "cancelled: ROLLBACK FAILED on r1, r2 (still changed)"),
    (["r1", "r2"], ("r2", "postcheck"), ["r2"], "cancelled: rolled back r1; ROLLBACK FAILED on r2 (still changed)"),
])
def test_a_cancel_during_the_run_says_what_was_undone(ctx, sim, vetted, monkeypatch, hosts, at, undo_fails, result):
    from netops.agent.events import RunProgressEvent

    _fast_two_host_description(vetted)
    _undo_fails_on(sim, monkeypatch, undo_fails)
    token = CancelToken()
    ctx.cancel = token
    progress = []

    def on_event(ev):
        ctx.events.append(ev)
        if isinstance(ev, RunProgressEvent):
            progress.append((ev.host, ev.stage))
            if (ev.host, ev.stage) == at:
                token.cancel("Escape")

    ctx.on_event = on_event
    ctx.question = "set the description of interface eth-r2 on r1 and r2 to gate test"
    ctx.approver = Spy(True)
    res = _run(ctx, {**ARGS, "hosts": hosts})
    assert not res.ok
    (rec,) = ctx.approvals
    assert (rec.decision, rec.result, rec.verified) == ("approved", result, False)
    assert res.error == f"the run did not complete: {result}"
    assert at in progress  # the run's progress reached the consumer, and the cancel reached the run
    assert res.changed is (at[1] == "postcheck")
    for name in undo_fails:
        assert "description gate test" in sim.routers[name].running()


def test_a_run_whose_postcheck_fails_is_reported_failed(ctx, sim, vetted, monkeypatch):
    from netops.playbook.runner import RunReport

    _fast_two_host_description(vetted)
    monkeypatch.setattr(sim.routers["r1"], "configure", lambda lines, real=sim.routers["r1"].configure: real([]))
    ctx.approver = Spy(True)
    res = _run(ctx)
    assert not res.ok and res.tool == "playbook_run"
    assert res.error == "the run did not complete: failed: r1"
    assert res.content.startswith("Run report (post-checks are the verification):\n"
                                  "- r1: rolled back (postcheck description is set failed")
    assert isinstance(res.data, RunReport) and res.data.hosts["r1"].state == "rolled_back"
    (rec,) = ctx.approvals
    assert (rec.decision, rec.result, rec.verified) == ("approved", "failed: r1", False)
