"""Change tools: the agent proposes vetted playbooks; only the approval gate lets one run.

``playbook_run`` is the single tool with ``changes_state=True``. It plans (dry-run), asks the
reviewer, shows both (a :class:`PlanEvent`, delivered before anything else happens), then hands
the plan to the playbook runner with a gated approver: a reviewer *block*, or a change the
person's question did not ask for (the rule: :mod:`netops.agent.intent`), refuses without asking
anyone (and is recorded as a denial); otherwise the injected approver decides, or, with none
injected, the consumer of the event stream answers an :class:`ApprovalRequestEvent` (a person
at the ``netops ask`` prompt or the chat modal). Nothing the model says or any document contains
can skip that step, and no yes can approve a change the person did not ask for. Plan, approval, denial, apply, postchecks and rollback are audited exactly
as ``netops playbook run`` records them; the run stops and rolls back on the cancel token.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from netops.agent.events import ApprovalEvent, PlanEvent
from netops.devices.redact import redact_data, redact_lines
from netops.agent.tools import ApprovalRecord, Tool, ToolContext, ToolResult


class ListPlaybooksArgs(BaseModel):
    pass


class PlaybookArgs(BaseModel):
    playbook: str = Field(description="Name of a vetted playbook from list_playbooks")
    hosts: list[str] = Field(description="Target device names")
    params: dict[str, Any] = Field(default_factory=dict, description="Playbook parameters")


def catalogue_of(ctx: ToolContext) -> Any:
    """The playbook catalogue of ``ctx`` (its session's, else one over ``ctx.settings``), made once."""
    if ctx.catalogue is None and ctx.session is not None:
        ctx.catalogue = ctx.session.catalogue
    if ctx.catalogue is None:
        from netops.playbook.catalogue import Catalogue

        ctx.catalogue = Catalogue(ctx.settings)
    return ctx.catalogue


def list_playbooks(ctx: ToolContext, args: ListPlaybooksArgs) -> ToolResult:
    cat = catalogue_of(ctx)
    rows = []
    for e in cat.list():
        if e.vetting != "vetted":
            continue
        params = {}
        try:
            for name, p in cat.get(e.name).spec.parameters.items():
                params[name] = getattr(p, "description", None) or getattr(p, "type", "")
        except Exception:
            pass
        rows.append({"name": e.name, "description": e.description, "risk": e.risk,
                     "read_only": e.read_only, "parameters": params})
    return ToolResult("list_playbooks", True, content=json.dumps(rows, default=str), data=rows)


def _plan(ctx: ToolContext, args: PlaybookArgs) -> Any:
    from netops.playbook.runner import plan

    from netops.agent.peer_change import derived_for

    intent = (f"{ctx.question} (a go-ahead after the dry run of: {ctx.consent})"
              if getattr(ctx, "consent", "") else ctx.question)
    return plan(ctx.settings, args.playbook, args.hosts, args.params, devices=ctx.get_devices(),
                audit=ctx.get_audit(), intent=intent, catalogue=catalogue_of(ctx),
                actor=ctx.session.actor if ctx.session is not None else None,
                derived=derived_for(ctx, args.playbook, list(args.hosts), dict(args.params)))


def _plan_text(p: Any) -> str:
    """The plan as a person and the model see it: risk, per-host prechecks, commands, diff."""
    params = json.dumps(redact_data(p.params), default=str)  # a secret parameter, as in the commands below
    from netops.agent.peer_change import shown

    lines = [f"playbook {p.playbook} v{p.version} ({p.risk} risk), params {params}"]
    lines += shown(p.params, getattr(p, "derived", None) or {})  # "neighbor 198.51.100.2 (r2, resolved on r1 ...)"
    for host, hp in p.host_plans.items():
        lines.append(f"{host} ({hp.platform}):" + (f" ERROR {hp.error}" if hp.error else ""))
        for c in hp.prechecks:
            lines.append(f"  precheck {c.name}: {'ok' if c.ok else 'FAILED'}" + (f" ({c.error})" if c.error else ""))
        lines.extend(f"  + {cmd}" for cmd in redact_lines(hp.commands, hp.platform))  # the model sees no secret
        if hp.diff:
            lines.append("  diff:\n" + "\n".join("    " + d for d in hp.diff.splitlines()))
    checks = getattr(p, "verification", None) or []
    if checks:
        lines.append("verified after the change by (a failure rolls the host back):")
        lines.extend(f"  postcheck {c}" for c in checks)
    lines.extend(f"warning: {w}" for w in getattr(p, "warnings", None) or [])
    return "\n".join(lines)


def _report_text(report: Any) -> tuple[str, bool]:
    """Per-host state and post-check outcomes; (text, every host verified). A Markdown list: the
    chat renders answers as Markdown, where bare lines ran together into one paragraph."""
    from netops.playbook.runner import state_words

    lines, verified = [], True
    for host, hr in report.hosts.items():
        lines.append(f"- {host}: {state_words(hr.state)}" + (f" ({hr.error})" if hr.error else ""))
        for c in hr.postchecks:
            said = "ok" if c.ok else "stopped by the cancel (not failed)" if getattr(c, "stopped", False) else "FAILED"
            lines.append(f"  - postcheck {c.name}: {said}")
        verified = verified and hr.state == "verified"
    return "\n".join(lines), verified


def _not_runnable(p: Any) -> str:
    """Why a plan cannot run, host by host: the prechecks that failed (or the host's error).
    trial34: `/plan router-drain r3` on a drained r3 said only "prechecks failed: this plan cannot
    run", the failed check ("OSPF is not already advertising max-metric") left to the box above."""
    why = []
    for host, hp in p.host_plans.items():
        failed = [c.name for c in hp.prechecks if not c.ok]
        if hp.error or failed:
            why.append(f"{host}: " + "; ".join([*([hp.error] if hp.error else []), *failed]))
    return (f"prechecks failed ({' | '.join(why)})" if why else "prechecks failed") + "; nothing was changed"


def _planning(ctx: ToolContext, args: PlaybookArgs) -> None:
    """Say that planning started: reading the targets and running the prechecks takes seconds
    (trial34: ~25 s on the lab before the approval window, with only "running" on the tool card)."""
    from netops.agent.events import StepEvent

    ctx.emit(StepEvent("plan", f"planning {args.playbook} on {', '.join(args.hosts) or 'no target'}: "
                               "reading the devices and running the prechecks (nothing is changed)"))


def playbook_plan(ctx: ToolContext, args: PlaybookArgs) -> ToolResult:
    _planning(ctx, args)
    p = _plan(ctx, args)
    text = _plan_text(p)
    if not p.ok:
        return ToolResult("playbook_plan", False, data=p, content=text, error=_not_runnable(p))
    return ToolResult("playbook_plan", True, data=p, content=(
        f"DRY RUN, nothing was changed. Plan for {args.playbook} on {', '.join(args.hosts)}:\n{text}\n"
        "To apply it call playbook_run with the same arguments; a person must approve."))


def _review(ctx: ToolContext, p: Any, text: str) -> Any:
    from netops.agent.reviewer import review_rules

    devices = ctx.get_devices()
    try:
        hosts = [h.name for h in devices.inventory]
    except Exception:
        hosts = []
    verdict = review_rules(p, ctx.question, hosts=hosts, devices=devices, observations=ctx.observations)
    if ctx.reviewer is not None:  # e.g. a model reviewer: (plan, plan_text, question, evidence) -> Verdict
        from netops.agent.events import StepEvent

        ctx.emit(StepEvent("review", "the model reviews the plan (a second opinion before anyone is asked)"))
        verdict = verdict.merge(ctx.reviewer(p, text, ctx.question, "\n".join(e.label for e in ctx.evidence)))
    return verdict


def _intent(ctx: ToolContext, p: Any) -> Any:
    """:func:`~netops.agent.intent.check_intent` of ``p`` against the person's question."""
    from netops.agent.intent import check_intent

    try:
        hosts = [h.name for h in ctx.get_devices().inventory]
    except Exception:
        hosts = list(getattr(p, "hosts", []))
    if getattr(ctx, "consent", ""):  # "ok go ahead" right after the dry run of the person's own what-if
        return check_intent(ctx.consent, p, hosts=hosts, consented=True)
    return check_intent(ctx.question, p, hosts=hosts)


def ask_for(ctx: ToolContext, p: Any) -> str:
    """How the person would ask for ``p`` in their own words ("drain r3 for maintenance"): the
    playbook's phrasing (:meth:`~netops.agent.change_intent.PlaybookInfo.phrasing`) with its targets
    and parameters (a secret one stays redacted), else its name and targets."""
    from netops.agent.change_intent import PlaybookInfo

    hosts = " and ".join(getattr(p, "hosts", None) or []) or "HOST"
    params = redact_data(dict(getattr(p, "params", None) or {}))
    try:
        return PlaybookInfo.from_spec(catalogue_of(ctx).get(p.playbook).spec).phrasing({"host": hosts, **params})
    except Exception:  # a playbook that does not load: its name says enough
        return " ".join([str(p.playbook), hosts, *(f"{k} {v}" for k, v in params.items())])


def ask_line(ask: str) -> str:
    """The one line that tells the person how to ask for a change refused by intent."""
    quote = "'" if '"' in ask else '"'
    return f"To make this change, ask for it: {quote}{ask}{quote}"


def _needs_person(verdict: Any) -> str | None:
    """Why a policy (``--yes``) may not approve a change the question asked for; None when it may.
    Only the reviewer's warning is such a reason: a change the question did not ask for is refused
    before anyone is asked (:func:`playbook_run`), never put to a person."""
    if verdict.level != "ok":
        return "the reviewer warned: " + "; ".join(verdict.findings)
    return None


class _GatedApprover:
    """The approval gate handed to the runner: the injected approver decides; without one the
    consumer answers an approval request; with neither, deny-all. It only ever sees a change the
    question itself asked for (:func:`playbook_run` refuses the rest first). A non-interactive yes
    (a policy, ``--yes``) counts only with no reviewer warning; with one, the change needs a person
    at a prompt and a policy's yes is refused."""

    def __init__(self, ctx: ToolContext, args: PlaybookArgs, verdict: Any, text: str,
                 needs_person: str | None = None) -> None:
        self.ctx, self.args, self.verdict, self.text = ctx, args, verdict, text
        self.needs_person = needs_person
        self.record: ApprovalRecord | None = None

    def approve(self, plan: Any) -> Any:
        from netops.playbook.approval import Approval, DenyAll

        if self.ctx.cancel is not None and self.ctx.cancel.cancelled:
            decision = Approval(False, plan.actor,
                                f"{self.ctx.cancel.reason or 'cancelled'} before approval")
        elif self.ctx.approver is not None:
            decision = self.ctx.approver.approve(plan)
        elif self.ctx.request_approval is not None:
            decision = self.ctx.request_approval(plan, self.text, self.verdict, needs_person=self.needs_person)
        else:
            decision = DenyAll("no approver configured").approve(plan)
        if decision.approved and not getattr(decision, "interactive", False) and self.needs_person:
            decision = Approval(False, decision.by, "a non-interactive approval cannot cover this change: "
                                f"{self.needs_person}. Ask again at an interactive prompt to approve it yourself")
        self.record = _record(self.args, self.verdict, "approved" if decision.approved else "denied", decision.by,
                              None if decision.approved else decision.reason, getattr(plan, "audit_seq", None))
        return decision


def _record(args: PlaybookArgs, verdict: Any, decision: str, by: str | None, result: str | None,
            seq: int | None = None) -> ApprovalRecord:
    return ApprovalRecord(playbook=args.playbook, targets=list(args.hosts), params=dict(args.params),
                          review=verdict.level, review_findings=list(verdict.findings), decision=decision,
                          by=by, result=result, reviewed_by=list(getattr(verdict, "by", []) or []), audit_seq=seq)


def _refused(ctx: ToolContext, record: ApprovalRecord) -> ToolResult:
    ctx.approvals.append(record)
    ctx.emit(ApprovalEvent(record))
    return ToolResult("playbook_run", False, error=f"{record.decision.upper()}: {record.result}. Nothing was changed.",
                      instruction="Tell the person; do not retry.")


def playbook_run(ctx: ToolContext, args: PlaybookArgs) -> ToolResult:
    from netops.errors import ApprovalDenied
    from netops.playbook.runner import execute

    said_no = next((a for a in ctx.approvals if a.decision == "denied"), None)
    if said_no is not None:  # a "no" stands for the rest of the question: the model may not pester
        return ToolResult("playbook_run", False, error=(
            f"{said_no.by or 'the person'} already said no to {said_no.playbook} on {', '.join(said_no.targets)} "
            "in this question; this change was not planned or put to anyone. Nothing was changed."),
            instruction="Do not propose another change; answer the person.")
    _planning(ctx, args)
    p = _plan(ctx, args)
    text = _plan_text(p)
    verdict = _review(ctx, p, text)
    ctx.emit(PlanEvent(args.playbook, text, verdict, p))  # delivered before anyone is asked
    if verdict.level == "block":
        reason = "blocked by the reviewer: " + "; ".join(verdict.findings)
        audit = ctx.get_audit()
        if audit is not None:
            audit.append("denial", {"playbook": p.playbook, "hash": p.hash, "plan_seq": p.audit_seq,
                                    "by": "reviewer", "decision": "blocked", "reason": reason,
                                    "findings": list(verdict.findings), "hosts": p.hosts, "intent": p.intent},
                         actor=p.actor)
        return _refused(ctx, _record(args, verdict, "blocked", "reviewer", reason, p.audit_seq))
    intent = None if p.read_only else _intent(ctx, p)  # a report changes nothing: no approval, no intent
    if intent is not None and not intent.bound:  # the model's idea (or a document's): refused, never asked
        ask = ask_for(ctx, p)
        reason = f"the change does not follow from your question ({intent.summary()})"
        audit = ctx.get_audit()
        if audit is not None:
            audit.append("denial", {"playbook": p.playbook, "hash": p.hash, "plan_seq": p.audit_seq,
                                    "by": "intent", "decision": "blocked", "reason": "blocked by intent: " + reason,
                                    "intent_reasons": list(intent.reasons), "ask": ask, "hosts": p.hosts,
                                    "intent": p.intent}, actor=p.actor)
        record = _record(args, verdict, "blocked", "intent", f"{reason}. {ask_line(ask)}", p.audit_seq)
        record.ask = ask
        return _refused(ctx, record)
    gate = _GatedApprover(ctx, args, verdict, text, _needs_person(verdict))
    with ctx._lock:
        ctx.changing += 1
    try:
        report = execute(p, approver=gate, devices=ctx.get_devices(), audit=ctx.get_audit(), cancel=ctx.cancel,
                         on_progress=ctx.emit)
    except ApprovalDenied as exc:
        record = gate.record or _record(args, verdict, "denied", None, exc.message, p.audit_seq)
        if record.decision == "approved":  # a yes that a cancel overtook before the change started
            record.decision = "denied"
        record.result = record.result or exc.message
        return _refused(ctx, record)
    finally:
        with ctx._lock:
            ctx.changing -= 1
    record = gate.record or _record(args, verdict, "approved", "read-only", None, p.audit_seq)
    ok = not report.failed
    summary, verified = _report_text(report)
    if report.interrupted:
        undone = [h for h, r in report.hosts.items() if r.state == "rolled_back"]
        bad = [h for h, r in report.hosts.items() if r.state == "rollback_failed"]
        outcome = (["rolled back " + ", ".join(undone)] if undone else []) + (
            ["ROLLBACK FAILED on " + ", ".join(bad) + " (still changed)"] if bad else [])
        stopped = "stopped" if report.audit_error else "cancelled"  # netops stopped it, not a person
        record.result = f"{stopped}: " + ("; ".join(outcome) or "nothing was changed")
    else:
        record.result = ("applied and verified" if ok and verified
                         else ("applied" if ok else "failed: " + ", ".join(report.failed_hosts)))
    if report.audit_error:  # the run stopped itself: what it did is not all on record
        record.result += (f"; the audit log could not be written ({report.audit_error}): "
                          "this run is NOT fully on record")
    record.verified = verified
    ctx.approvals.append(record)
    ctx.emit(ApprovalEvent(record))
    return ToolResult("playbook_run", ok, content=f"Run report (post-checks are the verification):\n{summary}",
                      data=report, changed=any(hr.applied for hr in report.hosts.values()),
                      error=None if ok else f"the run did not complete: {record.result}")


def change_tools() -> list[Tool]:
    """Playbook tools: list, plan (dry-run) and run (through the approval gate)."""
    return [
        Tool("list_playbooks", "List vetted playbooks with their parameters and risk.", ListPlaybooksArgs,
             list_playbooks),
        Tool("playbook_plan", "Dry-run a vetted playbook: show what would change. Changes nothing.",
             PlaybookArgs, playbook_plan),
        Tool("playbook_run", "Run a vetted playbook. A person must approve; the result includes post-checks.",
             PlaybookArgs, playbook_run, changes_state=True),
    ]
