"""Plan and execute a vetted playbook: prechecks, snapshot, apply, postchecks, rollback, record.

::

    p = plan(settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices)
    report = execute(p, approver=CliApprover(user), devices=devices, audit=audit)

:func:`plan` never changes anything: it resolves targets, validates parameters, runs the
prechecks, renders the per-host commands and predicts the running-config diff.
:func:`execute` re-checks the vetting hash, asks the approver, then per host (serial batches
behind a one-host canary): re-run prechecks (the commands must still render exactly as shown),
snapshot the running config, apply, run postchecks with retry, and on any failure roll back and
verify the running config equals the snapshot. Cancelling (a :class:`~netops.cancel.CancelToken`,
or Ctrl-C in the main thread) stops before the next step and the next host, rolls back every
host that was changed (including hosts already verified in an earlier batch), verifies each
against its snapshot, records it, and returns a report that says which host is in which state.

Progress reaches the caller two ways: ``on_event`` (:class:`RunEvent`, host states) and
``on_progress`` (:class:`~netops.agent.events.RunProgressEvent`, every stage as it starts and
each host's final state). ``on_progress`` is called synchronously from the host's worker, so a
consumer that cancels when it sees a stage stops the run at that stage.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from netops.errors import (
    ApprovalDenied,
    InputError,
    NetopsError,
    PlaybookError,
    PlaybookInvalid,
)
from netops.devices.redact import redact, redact_data, redact_diff, redact_lines
from netops.playbook import diff as cfgdiff
from netops.playbook.approval import Approval, Approver
from netops.playbook.checks import CheckResult, run_check, run_report
from netops.playbook.lock import require_vetted
from netops.playbook.params import validate_params
from netops.playbook.policy import command_problems
from netops.playbook.render import context, render_change, render_rollback
from netops.playbook.spec import Playbook, load_playbook
from netops.store.audit import digest, to_jsonable

if TYPE_CHECKING:
    from netops.agent.events import RunProgressEvent
    from netops.cancel import CancelToken
    from netops.settings import Settings
    from netops.store.audit import AuditLog

HostState = Literal["pending", "prechecked", "applied", "verified", "failed", "rolled_back",
                    "rollback_failed", "skipped"]
FAILED_STATES = ("failed", "rolled_back", "rollback_failed")


def state_words(state: str) -> str:
    """A host's state as a person reads it ("rolled back", "rollback FAILED"); --json keeps the
    identifier."""
    return {"rolled_back": "rolled back", "rollback_failed": "rollback FAILED"}.get(state, state.replace("_", " "))


@dataclass
class HostPlan:
    """What the plan found and would do on one host."""

    host: str
    platform: str
    commands: list[str] = field(default_factory=list)
    rollback: list[str] | None = None
    """Explicit rollback lines; None means "restore the snapshot"."""
    prechecks: list[CheckResult] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    diff: str | None = None
    diff_note: str = ""
    report: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    forecast: list[CheckResult] = field(default_factory=list)
    """The steady post-checks (``steady: true``) that already fail on the state the plan read: the
    change will likely be rolled back (trial37: an undrain with a BGP session that could never come
    up ran 30 s of post-checks and rolled back; the plan could have said so)."""

    @property
    def ok(self) -> bool:
        return self.error is None and all(c.ok for c in self.prechecks)


@dataclass
class Plan:
    """A playbook resolved against real targets, ready to show and approve."""

    playbook: str
    version: str
    hash: str
    risk: str
    read_only: bool
    mode: str
    description: str
    params: dict[str, Any]
    targets: str
    hosts: list[str]
    host_plans: dict[str, HostPlan]
    reviewer: str
    created_at: str
    intent: str | None = None
    actor: str = "unknown"
    audit_seq: int | None = None
    derived: dict[str, Any] = field(default_factory=dict)
    """Parameter -> how netops resolved its value from the person's words (``host``, ``address``,
    ``on``, ``how``); empty for values given as such."""
    _playbook: Playbook | None = field(default=None, repr=False, compare=False)

    @property
    def phrases(self) -> list[str]:
        """The playbook's manifest phrases (how people ask for it; read by the intent check)."""
        return list(self._playbook.spec.phrases) if self._playbook is not None else []

    @property
    def not_for(self) -> list[str]:
        """The playbook's manifest ``not_for`` phrases (what it does not do)."""
        return list(self._playbook.spec.not_for) if self._playbook is not None else []

    @property
    def ok(self) -> bool:
        return all(hp.ok for hp in self.host_plans.values())

    @property
    def verification(self) -> list[str]:
        """The post-checks that verify the change on each host, as a person reads them ("OSPF max-metric
        is off (within 10s)"): a failure rolls the host back. trial37: the approval showed the prechecks,
        the commands and the diff, but not what "applies, post-checks, rolls back on failure" would check."""
        if self._playbook is None:
            return []
        return [c.name + (f" (within {c.within:g}s)" if c.within else "") for c in self._playbook.spec.postchecks]

    @property
    def warnings(self) -> list[str]:
        """One line per steady post-check that fails on the state read for this plan ("r3: post-check
        every BGP session is Established fails now (...): the change will likely be rolled back").
        A warning, not a refusal: the person decides."""
        return [redact(f"{host}: {forecast_line(c)}") or "" for host, hp in self.host_plans.items() for c in hp.forecast]

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        d["ok"] = self.ok
        d["postchecks"] = self.verification
        d["warnings"] = self.warnings
        return to_jsonable(d)


def forecast_line(c: CheckResult) -> str:
    """A steady post-check that fails now, as a person reads it."""
    said = "; ".join(a.message or f"{a.expr}: false" for a in c.assertions if not a.ok) or c.summary
    return f"post-check {c.name} fails now ({said}): the change will likely be rolled back"


@dataclass
class HostRun:
    host: str
    state: HostState = "pending"
    prechecks: list[CheckResult] = field(default_factory=list)
    postchecks: list[CheckResult] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    rollback_applied: list[str] = field(default_factory=list)
    snapshot_digest: str | None = None
    report: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class RunEvent:
    host: str
    state: str
    message: str = ""


@dataclass
class RunReport:
    playbook: str
    hash: str
    approval: Approval | None
    hosts: dict[str, HostRun]
    interrupted: bool = False
    started_at: str = ""
    finished_at: str = ""
    audit_error: str | None = None
    """Why part of this run is not in the audit log (it could not be written; the run then
    stopped and rolled back what it had changed)."""

    @property
    def failed(self) -> bool:
        return self.interrupted or any(h.state in FAILED_STATES for h in self.hosts.values())

    @property
    def failed_hosts(self) -> list[str]:
        return [n for n, h in self.hosts.items() if h.state in FAILED_STATES]

    def to_dict(self) -> dict[str, Any]:
        d = to_jsonable(asdict(self))
        d["failed"] = self.failed
        return d


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _record(audit: "AuditLog | None", kind: str, payload: dict[str, Any], actor: str) -> int | None:
    if audit is None:
        return None
    return audit.append(kind, payload, actor=actor).seq


def _check_targets(pb: Playbook, hosts: list[Any]) -> None:
    rules = pb.spec.targets
    names = [h.name for h in hosts]
    if len(hosts) < rules.min_hosts:
        raise InputError(f"{pb.name} needs at least {rules.min_hosts} target host(s), got {len(hosts)}")
    if rules.max_hosts is not None and len(hosts) > rules.max_hosts:
        raise InputError(f"{pb.name} takes at most {rules.max_hosts} host(s) per run, "
                         f"targets resolved to {len(hosts)}: {', '.join(names)}",
                         hint="name a single host with --target")
    for h in hosts:
        if rules.platform and h.platform != rules.platform:
            raise InputError(f"{pb.name}: host {h.name} is platform {h.platform}, this playbook needs {rules.platform}")
        if h.platform not in pb.spec.platforms:
            raise InputError(f"{pb.name} supports {', '.join(pb.spec.platforms)}; host {h.name} is {h.platform}")
        if rules.group and rules.group not in getattr(h, "all_groups", ()):
            raise InputError(f"{pb.name}: host {h.name} is not in group {rules.group}")


def _prepare_host(pb: Playbook, host: Any, params: dict[str, Any], devices: Any, *, with_diff: bool,
                  cancelled: Callable[[], bool] = lambda: False) -> HostPlan:
    """Prechecks (with captures) then render; shared by plan and execute."""
    hp = HostPlan(host=host.name, platform=host.platform)
    facts: dict[str, Any] = {}
    for check in pb.spec.prechecks:
        ctx = context(params, host=host.name, platform=host.platform, facts=facts)
        result = run_check(pb, check, host=host.name, devices=devices, ctx=ctx, cancelled=cancelled)
        hp.prechecks.append(result)
        if not result.ok:
            return hp
        facts.update(result.captured)
    hp.facts = facts
    ctx = context(params, host=host.name, platform=host.platform, facts=facts)
    if pb.spec.read_only:
        hp.report = run_report(pb, host=host.name, devices=devices, ctx=ctx)
        hp.diff_note = "read-only playbook: no change"
        return hp
    hp.commands = render_change(pb, host.platform, ctx)
    hp.rollback = render_rollback(pb, host.platform, ctx)
    mode = pb.spec.change.mode if pb.spec.change else "config"
    problems = command_problems(hp.commands, mode=mode) + command_problems(hp.rollback or [], mode="config")
    if problems:
        raise PlaybookInvalid(f"{pb.name} rendered forbidden commands for {host.name}: {problems[0]}")
    if not hp.commands:
        hp.error = "the change rendered no commands"
    if with_diff:
        if mode == "exec":
            hp.diff_note = "operational command: no configuration change expected"
        else:
            try:
                running = devices.running_config(host.name)
            except NetopsError as exc:
                hp.diff, hp.diff_note = None, f"not computable: cannot read running config ({exc.message})"
            else:
                diff, hp.diff_note = cfgdiff.predict(running, hp.commands)
                hp.diff = redact_diff(diff, host.platform)
    return hp


def plan(settings: "Settings", name: str, targets: str | Sequence[str], params: dict[str, Any], *,
         devices: Any, audit: "AuditLog | None" = None, intent: str | None = None,
         catalogue: Any = None, actor: str | None = None, derived: dict[str, Any] | None = None) -> Plan:
    """Resolve, validate, precheck and render ``name`` for ``targets``. Changes nothing.

    Raises :class:`NotVetted`, :class:`ParameterError`, :class:`InputError` (targets),
    :class:`NotFoundError`; failed prechecks are data in the plan (``plan.ok`` is False).
    """
    from netops.playbook.catalogue import Catalogue

    cat = catalogue or Catalogue(settings)
    pb = cat.get(name)
    entry = require_vetted(pb)
    values = validate_params(pb.spec.parameters, dict(params))
    hosts = devices.select(targets)
    _check_targets(pb, hosts)
    from netops.devices.service import shared_reads

    with shared_reads():  # prechecks, diff base, forecast: one moment's view (the run reads afresh)
        host_plans = {h.name: _prepare_host(pb, h, values, devices, with_diff=True) for h in hosts}
        for h in hosts:
            host_plans[h.name].forecast = _forecast(pb, h, host_plans[h.name], values, devices)
    p = Plan(
        playbook=pb.name, version=str(pb.spec.version), hash=pb.hash, risk=pb.spec.risk,
        read_only=pb.spec.read_only, mode=pb.spec.change.mode if pb.spec.change else "read-only",
        description=pb.spec.description, params=values,
        targets=targets if isinstance(targets, str) else ",".join(targets),
        hosts=[h.name for h in hosts], host_plans=host_plans, reviewer=entry.reviewer,
        created_at=_now(), intent=intent, actor=actor or settings.user, derived=dict(derived or {}), _playbook=pb)
    p.audit_seq = _record(audit, "plan", {**({"derived": p.derived} if p.derived else {}),
        "intent": intent, "playbook": pb.name, "version": p.version, "hash": pb.hash, "risk": p.risk,
        "params": redact_data(values), "targets": p.targets, "hosts": p.hosts, "ok": p.ok,
        "commands": {h: redact_lines(hp.commands, hp.platform) for h, hp in host_plans.items()},
        "prechecks": {h: [_check_summary(c) for c in hp.prechecks] for h, hp in host_plans.items()},
        **({"warnings": p.warnings} if p.warnings else {}),
    }, p.actor)
    return p


def _forecast(pb: Playbook, host: Any, hp: HostPlan, params: dict[str, Any], devices: Any) -> list[CheckResult]:
    """The steady post-checks that fail on the state this plan read (a read the prechecks made
    answers from that reading; any other is one more read-only command). Only for a host whose
    plan can run: a post-check of a state the change alters (not ``steady``) is never predicted."""
    if pb.spec.read_only or not hp.ok or not hp.commands:
        return []
    ctx = context(params, host=host.name, platform=host.platform, facts=hp.facts)
    failing = []
    for check in pb.spec.postchecks:
        if not check.steady:
            continue
        try:
            res = run_check(pb, check, host=host.name, devices=devices, ctx=ctx)
        except NetopsError:  # cannot be evaluated now: nothing to predict (the run will say)
            continue
        if not res.ok and res.error is None:  # a read that failed predicts nothing
            failing.append(res)
    return failing


def _check_summary(c: CheckResult) -> dict[str, Any]:
    return {"name": c.name, "command": c.command, "ok": c.ok, "attempts": c.attempts,
            "detail": c.summary, "output_digest": c.output_digest, **({"stopped": True} if c.stopped else {})}


class _Run:
    """State shared by the workers of one execution."""

    def __init__(self, pb: Playbook, p: Plan, devices: Any, audit: "AuditLog | None",
                 on_event: Callable[[RunEvent], None] | None,
                 on_progress: "Callable[[RunProgressEvent], None] | None" = None,
                 token: "CancelToken | None" = None) -> None:
        self.pb = pb
        self.plan = p
        self.devices = devices
        self.audit = audit
        self.on_event = on_event
        self.on_progress = on_progress
        self.cancel = threading.Event()
        self.token = token
        self.reason = "interrupted"
        self.snapshots: dict[str, str] = {}
        self.journal: Any = None
        """Write-ahead journal (:mod:`netops.playbook.journal`); None when the devices have no home."""
        self.guards: bool = False
        self.journal_error: str | None = None
        self.changing = False
        """True from the approved decision on: an audit record that fails then stops the run."""
        self.audit_error: str | None = None
        self.phase = "run"
        self.locks: Any = None  # the hosts' change locks (None: a read-only run, or no home)
        """"approval" while the approver decides: a SIGTERM/SIGHUP then interrupts it (a denial)."""
        self.lock = threading.Lock()
        if token is not None:
            token.on_cancel(self._cancelled)

    def _cancelled(self) -> None:
        self.reason = (self.token.reason if self.token is not None else None) or "cancelled"
        self.cancel.set()

    _FINAL = {"verified": "verified", "failed": "failed", "rolled_back": "rolled_back",
              "rollback_failed": "rollback_failed", "skipped": "skipped"}

    def event(self, run: HostRun, state: str | None = None, message: str = "") -> None:
        if state is not None:
            run.state = state  # type: ignore[assignment]
        if self.on_event is not None:
            try:
                self.on_event(RunEvent(run.host, run.state, message))
            except Exception:  # a broken progress display must not break a change
                pass
        if state in self._FINAL:
            ok = {"verified": True, "skipped": None}.get(state, False)
            if state == "skipped" and self.cancel.is_set():
                self.progress(run.host, "cancelled", None, message)
            else:
                self.progress(run.host, state, ok, message)

    def progress(self, host: str, stage: str, ok: bool | None = None, detail: str = "") -> None:
        if self.on_progress is None:
            return
        from netops.agent.events import RunProgressEvent

        try:
            self.on_progress(RunProgressEvent(self.plan.playbook, host, stage, ok, detail))
        except Exception:  # a broken progress display must not break a change
            pass

    def record(self, kind: str, payload: dict[str, Any]) -> None:
        """Append to the audit log. Once the change is under way (:attr:`changing`) a record that
        cannot be written (a full disk, a damaged log) must not abandon a half-changed device:
        the run stops as a cancel does (changed hosts rolled back), and the report says what is
        not on record (:attr:`RunReport.audit_error`)."""
        with self.lock:
            self._append(kind, {"playbook": self.plan.playbook, "hash": self.plan.hash, **payload})

    def _append(self, kind: str, payload: dict[str, Any]) -> None:
        try:
            _record(self.audit, kind, payload, self.plan.actor)
        except NetopsError as exc:
            if not self.changing:
                raise
            if self.audit_error is None:
                self.audit_error = exc.message
                self.reason = f"the audit log cannot be written ({exc.message})"
                self.cancel.set()

    def stage(self, host: str, state: str, **extra: Any) -> None:
        """Move ``host`` on in the journal (a final state also confirms it to its guard).

        Once a change is under way a journal that cannot be written (a full disk) must not stop
        the run half-way: the run still holds the snapshot in memory and rolls back from it; the
        failure is recorded once and the journal keeps its last good state for a recovery."""
        if self.journal is None:
            return
        with self.lock:
            try:
                self.journal.stage(host, state, **extra)
            except OSError as exc:
                self.journal_failed(exc)

    def journal_failed(self, exc: OSError) -> None:
        """Record (once) that the journal could not be written; call with ``self.lock`` held."""
        if not self.journal_error:
            self.journal_error = f"{exc.strerror or exc}"
            self._append("journal_error", {"playbook": self.plan.playbook, "hash": self.plan.hash,
                                           "run_id": self.journal.run_id, "error": self.journal_error})

    def terminate(self, signum: int, frame: Any) -> None:
        """SIGTERM / SIGHUP (a closed terminal): like Ctrl-C, stop and roll back."""
        import signal

        from netops.cancel import signal_received

        signal_received(signum)  # the exit code says which signal (143 for SIGTERM)
        self.reason = f"terminated by {signal.Signals(signum).name}"
        if self.token is not None:
            self.token.cancel(self.reason)
        self.cancel.set()
        if self.phase == "approval":  # the approver may be blocked reading a terminal: stop it
            from netops.errors import Cancelled

            raise Cancelled(self.reason)


def _ask(approver: Approver, p: Plan, run: "_Run") -> Approval:
    """The approver's decision. An approver that raises instead of returning a "no" (a plugin's
    approver raising :class:`ApprovalDenied`, a crashed prompt, Ctrl-C) still leaves a denial
    in the audit log; the exception then goes on unchanged."""
    try:
        return approver.approve(p)
    except BaseException as exc:
        if isinstance(exc, ApprovalDenied):
            why = exc.message
        else:
            why = f"approval was not given: {type(exc).__name__}" + (f": {exc}" if str(exc) else "")
        run.record("denial", {"plan_seq": p.audit_seq, "by": p.actor, "reason": redact(why) or why,
                              "hosts": p.hosts, "risk": p.risk, "params": redact_data(p.params),
                              "intent": p.intent})
        raise


def execute(p: Plan, *, approver: Approver, devices: Any, audit: "AuditLog | None",
            on_event: Callable[[RunEvent], None] | None = None, batch: int = 1,
            cancel: "CancelToken | None" = None,
            on_progress: "Callable[[RunProgressEvent], None] | None" = None,
            guard: bool | None = None) -> RunReport:
    """Approve and carry out ``p``; returns a :class:`RunReport` (see module docstring).

    ``cancel`` stops the run (see module docstring); cancelled before approval, nothing is
    asked or changed and :class:`ApprovalDenied` is raised as for a "no". SIGTERM and SIGHUP
    do the same as Ctrl-C when ``execute`` runs on the main thread.

    Crash safety: each host's full snapshot goes to the write-ahead journal before its change;
    ``guard`` (default: on with the real SSH transport) starts a detached router-side guard per
    host that restores the snapshot unless this run settles the host first (see
    :mod:`netops.playbook.guard`); ``netops playbook recover`` does the same by hand.

    Raises :class:`NotVetted` if the playbook changed since planning or is not vetted,
    :class:`PlaybookError` if the plan's prechecks failed, :class:`ApprovalDenied` when the
    approver says no (recorded; nothing changed).
    """
    if batch < 1:
        raise InputError("--batch must be at least 1")
    pb = p._playbook or load_playbook(_path_of(p))
    fresh = load_playbook(pb.path)
    if fresh.hash != p.hash:
        from netops.errors import NotVetted

        raise NotVetted(f"playbook {p.playbook} changed on disk after it was planned",
                        hint="plan again (and have the change reviewed)")
    require_vetted(fresh)
    pb = fresh
    if not p.ok:
        bad = {h: hp.error or "; ".join(f"{c.name}: {c.summary}" for c in hp.prechecks if not c.ok)
               for h, hp in p.host_plans.items() if not hp.ok}
        raise PlaybookError("prechecks failed, nothing was changed: "
                            + "; ".join(f"{h}: {why}" for h, why in bad.items()),
                            hint="fix the condition or choose other targets, then plan again")
    run = _Run(pb, p, devices, audit, on_event, on_progress, cancel)
    locks = run.locks = _lock_hosts(run)
    restore_signals = _catch_termination(run)
    try:
        return _execute(run, approver, batch, guard)
    finally:
        restore_signals()
        if locks is not None:
            locks.release()


def _execute(run: "_Run", approver: Approver, batch: int, guard: bool | None) -> RunReport:
    p, devices = run.plan, run.devices
    report = RunReport(p.playbook, p.hash, None, {h: HostRun(h) for h in p.hosts}, started_at=_now())
    if p.read_only:
        approval = Approval(True, p.actor, "read-only playbook: no approval needed")
    else:
        # the journal first: netops killed while the plan waits is closed by the next start as
        # "not approved, nothing sent" (a denial on record), not left as a plan without an end
        try:
            _start_journal(run, guard, awaiting_approval=True)
        except PlaybookError as exc:  # nothing asked, nothing sent: the plan still gets its end on record
            _deny_quietly(run, exc.message)
            raise
        run.phase = "approval"
        if run.locks is not None:
            run.locks.stage("approval")  # another run is told this change waits, not that it changes
        try:
            approval = _ask(approver, p, run)
        except BaseException:  # _ask recorded the denial
            _drop_journal(run)
            raise
        finally:
            run.phase = "run"
            if run.locks is not None:
                run.locks.stage("change")
        if approval.approved and run.cancel.is_set():
            approval = Approval(False, approval.by, f"{run.reason} before the change started")
        if not approval.approved:
            run.record("denial", {
                "plan_seq": p.audit_seq, "by": approval.by, "reason": approval.reason, "hosts": p.hosts,
                "risk": p.risk, "params": redact_data(p.params), "intent": p.intent})
            _drop_journal(run)
            raise ApprovalDenied(f"{p.playbook} was not approved: {approval.reason}; nothing was changed",
                                 hint=None if approval.interactive else  # a person at the prompt said no
                                 "run interactively to approve at the prompt, or ask for a policy that allows it")
        if run.journal is not None:
            try:
                run.journal.approved()  # before the approval is on record: a crash after it is recoverable
            except OSError as exc:
                where = run.journal.path.parent
                _drop_journal(run)
                why = f"cannot write the run journal in {where} ({exc.strerror or exc}); nothing was changed"
                _deny_quietly(run, why)
                raise PlaybookError(why, hint="free disk space there, then plan again") from None
    report.approval = approval
    hosts = {h.name: h for h in devices.select(p.hosts)}
    batches = [p.hosts[:1]] + [p.hosts[i:i + batch] for i in range(1, len(p.hosts), batch)]
    try:
        if not p.read_only:
            run.changing = True
            run.record("approval", {
                "plan_seq": p.audit_seq, "by": approval.by, "reason": approval.reason, "hosts": p.hosts,
                "risk": p.risk, "params": redact_data(p.params), "intent": p.intent})
        for group in batches:
            if not group:
                continue
            if run.cancel.is_set():
                break
            _run_batch(run, [hosts[h] for h in group], report)
            if any(report.hosts[h].state in FAILED_STATES for h in group) or run.cancel.is_set():
                break
    except KeyboardInterrupt:  # Ctrl-C outside a batch (between hosts, while recording): a cancel too
        run.cancel.set()
    finally:
        with _ctrl_c_shield(run):  # a second Ctrl-C must not abandon the undo or the result record
            _close_run(run, hosts, report)
    return report


def _close_run(run: "_Run", hosts: dict[str, Any], report: RunReport) -> None:
    """Undo on cancel, mark what was never started, write the result once, settle the journal."""
    p = run.plan
    cancelled = run.cancel.is_set()  # one answer for the undo and the record, whatever comes later
    if cancelled:
        run.record("cancel", {"plan_seq": p.audit_seq, "reason": run.reason,
                              "changed": [h for h, r in report.hosts.items() if r.state == "verified"]})
        _undo_verified(run, hosts, report)
    for hr in report.hosts.values():
        if hr.state == "pending":
            run.event(hr, "skipped", "not started: an earlier host failed or the run was interrupted")
    report.interrupted = cancelled
    report.finished_at = _now()
    report.audit_error = run.audit_error
    if run.journal is not None:
        with run.lock:
            try:
                run.journal.closing()  # what is verified now is kept, even if we die before the result
            except OSError as exc:
                run.journal_failed(exc)
    run.record("result", {"plan_seq": p.audit_seq, "run_id": run.journal.run_id if run.journal else None,
                          "interrupted": report.interrupted,
                          "cancel_reason": run.reason if report.interrupted else None,
                          "failed": report.failed,
                          "hosts": {h: {"state": r.state, "error": r.error} for h, r in report.hosts.items()}})
    if run.journal is not None:
        with run.lock:
            if run.journal.pending_hosts():
                # a host could not be put back: its snapshot stays for `netops playbook recover`
                try:
                    run.journal.result_recorded()
                except OSError as exc:
                    run.journal_failed(exc)
            else:
                run.journal.finish()  # after the result record: a crash before this is recoverable


@contextmanager
def _ctrl_c_shield(run: "_Run") -> Iterator[None]:
    """While a run closes (main thread only), Ctrl-C only asks for what is already happening."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def note(signum: int, frame: Any) -> None:
        run.cancel.set()

    old = signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _lock_hosts(run: "_Run") -> Any:
    """Take the change lock of every target host (none for read-only playbooks or devices
    without a home) and refuse hosts a crashed run left unrestored."""
    from netops.playbook.hostlock import HostLocks, require_recovered

    settings = getattr(run.devices, "settings", None)
    home = getattr(getattr(settings, "paths", None), "home", None)
    if run.plan.read_only or home is None:
        return None
    locks = HostLocks.acquire(home, run.plan.hosts, run=f"plan {run.plan.audit_seq}", playbook=run.plan.playbook)
    try:
        require_recovered(home, run.plan.hosts)
    except BaseException:
        locks.release()
        raise
    return locks


def _deny_quietly(run: _Run, why: str) -> None:
    """Record why an approved-or-not plan cannot start (best effort: the audit log may be on the
    same full disk; the error that follows says it anyway)."""
    p = run.plan
    try:
        run.record("denial", {"plan_seq": p.audit_seq, "by": "netops", "reason": why, "hosts": p.hosts,
                              "risk": p.risk, "params": redact_data(p.params), "intent": p.intent})
    except NetopsError:
        pass


def _drop_journal(run: _Run) -> None:
    """A plan that was not approved leaves no journal (its denial is on record)."""
    if run.journal is not None:
        run.journal.finish()
        run.journal = None


def _start_journal(run: _Run, guard: bool | None, *, awaiting_approval: bool = False) -> None:
    """Open the write-ahead journal (when the devices know their home) and decide on guards."""
    from netops.playbook.journal import Journal

    settings = getattr(run.devices, "settings", None)
    home = getattr(getattr(settings, "paths", None), "home", None)
    if home is None:
        return
    try:
        run.journal = Journal.start(home, playbook=run.plan.playbook, hash=run.plan.hash, actor=run.plan.actor,
                                    plan_seq=run.plan.audit_seq, targets=run.plan.hosts,
                                    awaiting_approval=awaiting_approval,
                                    settings=settings.model_dump(mode="json", exclude={"openai_api_key"}))
    except OSError as exc:  # no write-ahead journal, no change
        raise PlaybookError(f"cannot write the run journal in {home}/journal ({exc.strerror or exc}); "
                            "nothing was changed", hint="free disk space there, then plan again") from None
    if guard is None:  # the guard reconnects on its own: only with the real SSH transport
        guard = bool(getattr(run.devices, "default_transport", False))
    run.guards = guard


def _catch_termination(run: _Run) -> Callable[[], None]:
    """SIGTERM and SIGHUP cancel the run like Ctrl-C (main thread only); returns the undo."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    old = {sig: signal.signal(sig, run.terminate) for sig in (signal.SIGTERM, signal.SIGHUP)}

    def undo() -> None:
        for sig, handler in old.items():
            signal.signal(sig, handler)

    return undo


def _undo_verified(run: _Run, hosts: dict[str, Any], report: RunReport) -> None:
    """A cancelled run leaves nothing changed: roll back hosts that finished (verified) too."""
    for name, hr in report.hosts.items():
        if hr.state != "verified" or not hr.applied or name not in run.snapshots:
            continue
        hr.error = f"{run.reason} after the change"
        if run.journal is not None:  # unsettled again until the undo is verified
            with run.lock:
                run.journal.snapshot(name, hosts[name].platform, run.snapshots[name])
        _rollback(run, hosts[name], hr, run.plan.host_plans[name], run.snapshots[name])


def _path_of(p: Plan):  # pragma: no cover - plans built by plan() carry their playbook
    raise PlaybookError(f"plan for {p.playbook} does not carry its playbook; build it with plan()")


def _run_batch(run: _Run, hosts: list[Any], report: RunReport) -> None:
    """Run one batch in worker threads; Ctrl-C in the main thread cancels and waits for rollbacks."""
    pool = ThreadPoolExecutor(max_workers=len(hosts), thread_name_prefix="playbook")
    futures = {pool.submit(_run_host, run, h, report.hosts[h.name]): h.name for h in hosts}
    pending = set(futures)
    try:
        while pending:
            try:
                _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:
                run.cancel.set()
                for hr in report.hosts.values():
                    run.event(hr, None, "interrupted: rolling back hosts that were changed")
    finally:
        # Workers finish their current step and roll back; never abandon a half-applied host.
        while True:
            try:
                pool.shutdown(wait=True)
                break
            except KeyboardInterrupt:
                run.cancel.set()
    by_name = {h.name: h for h in hosts}
    for f, name in futures.items():
        exc = f.exception()
        if exc is not None:
            hr = report.hosts[name]
            hr.error = f"internal error: {type(exc).__name__}: {exc}"
            settled = hr.state in ("rolled_back", "verified") or (
                run.journal is not None and run.journal.host(name).get("state") in ("rolled_back", "skipped"))
            if name in run.snapshots and not settled:  # the change may have gone out: never leave it half-done
                with _ctrl_c_shield(run):
                    _rollback(run, by_name[name], hr, run.plan.host_plans[name], run.snapshots[name])
            elif hr.state not in FAILED_STATES:
                hr.state = "failed"


def _run_host(run: _Run, host: Any, hr: HostRun) -> None:
    p, pb, devices = run.plan, run.pb, run.devices
    planned = p.host_plans[host.name]
    t0 = time.monotonic()
    if run.cancel.is_set():
        run.event(hr, "skipped", f"{run.reason} before start")
        return
    # 1. prechecks again: the device may have changed since the plan was approved
    run.progress(host.name, "precheck", None, f"{len(pb.spec.prechecks)} precheck(s)")
    try:
        fresh = _prepare_host(pb, host, p.params, devices, with_diff=False, cancelled=run.cancel.is_set)
    except NetopsError as exc:
        hr.error = exc.message
        run.event(hr, "failed", exc.message)
        return
    hr.prechecks = fresh.prechecks
    run.record("precheck", {"host": host.name, "ok": fresh.ok,
                            "checks": [_check_summary(c) for c in fresh.prechecks]})
    if not fresh.ok:
        hr.error = "precheck failed: " + "; ".join(f"{c.name}: {c.summary}" for c in fresh.prechecks if not c.ok)
        run.event(hr, "failed", hr.error)
        return
    if p.read_only:
        hr.report = fresh.report
        hr.timings["total"] = time.monotonic() - t0
        run.record("report", {"host": host.name, "report": fresh.report})
        run.event(hr, "verified", "checks passed")
        return
    if fresh.commands != planned.commands or fresh.rollback != planned.rollback:
        hr.error = "the commands would differ from the approved plan (device state changed); plan again"
        run.event(hr, "failed", hr.error)
        return
    run.event(hr, "prechecked", "prechecks passed")
    if run.cancel.is_set():
        run.event(hr, "skipped", f"{run.reason} before the change")
        return
    # 2. snapshot: unredacted, kept in memory only (a changed secret must count as a difference)
    run.progress(host.name, "snapshot", None, "reading the running config")
    if run.cancel.is_set():
        run.event(hr, "skipped", f"{run.reason} before the change")
        return
    try:
        snapshot = devices.running_config(host.name, redacted=False)
    except NetopsError as exc:
        hr.error = f"cannot snapshot the running config: {exc.message}"
        run.event(hr, "failed", hr.error)
        return
    hr.snapshot_digest = digest(snapshot)
    run.snapshots[host.name] = snapshot
    if run.journal is not None:
        with run.lock:
            try:
                run.journal.snapshot(host.name, host.platform, snapshot)  # write-ahead, before any change
            except OSError as exc:
                run.journal.data["hosts"].pop(host.name, None)  # never written, never changed
                run.journal_failed(exc)
                hr.error = f"cannot write the run journal ({exc.strerror or exc}): nothing was changed"
                run.event(hr, "failed", hr.error)
                return
    run.record("snapshot", {"host": host.name, "digest": hr.snapshot_digest, "bytes": len(snapshot),
                            "journal": run.journal.run_id if run.journal is not None else None})
    if run.guards and run.journal is not None:
        from netops.playbook.guard import spawn_guard

        try:
            gpid = spawn_guard(run.journal.path, host.name, deadline=_guard_deadline(pb))
            run.record("guard", {"host": host.name, "pid": gpid, "deadline_s": _guard_deadline(pb)})
        except OSError as exc:
            run.record("guard", {"host": host.name, "pid": None, "error": str(exc)})
    # 3. apply
    mode = pb.spec.change.mode if pb.spec.change else "config"
    lines = [f"do {ln}" for ln in planned.commands] if mode == "exec" else list(planned.commands)
    run.progress(host.name, "apply", None, f"{len(lines)} line(s)")
    if run.cancel.is_set():
        # nothing was sent: settled in the journal too (it confirms the guard), so no recovery
        # later "puts back" a router nobody touched
        run.stage(host.name, "skipped")
        run.event(hr, "skipped", f"{run.reason} before the change")
        return
    t_apply = time.monotonic()
    run.stage(host.name, "applying")
    run.record("apply_start", {"host": host.name, "commands": redact_lines(lines, host.platform)})
    result = devices.configure(host.name, lines)
    run.stage(host.name, "applied")
    hr.applied = redact_lines(lines, host.platform)
    hr.timings["apply"] = time.monotonic() - t_apply
    run.record("apply", {"host": host.name, "commands": hr.applied, "ok": result.ok, "error": result.error,
                         "output_digest": digest(result.output or "")})
    if result.failed or _config_error(result.output):
        hr.error = f"apply failed: {result.error or _config_error(result.output)}"
        run.event(hr, "applied", hr.error)
        _rollback(run, host, hr, planned, snapshot)
        return
    run.event(hr, "applied", f"{len(lines)} line(s) applied")
    # 4. postchecks with retry
    run.progress(host.name, "postcheck", None, f"{len(pb.spec.postchecks)} postcheck(s)")
    t_verify = time.monotonic()
    ctx = context(p.params, host=host.name, platform=host.platform, facts=fresh.facts)
    for check in pb.spec.postchecks:
        if run.cancel.is_set():
            hr.error = f"{run.reason} during postchecks"
            break
        try:
            res = run_check(pb, check, host=host.name, devices=devices, ctx=ctx, retry=True,
                            cancelled=run.cancel.is_set)
        except NetopsError as exc:
            hr.error = f"postcheck {check.name}: {exc.message}"
            break
        hr.postchecks.append(res)
        if not res.ok and res.stopped:  # the cancel stopped it: not a failure of the change
            hr.error = (f"{run.reason} during postchecks: {check.name} was stopped after {res.attempts} attempt(s) "
                        f"in {res.elapsed:.1f}s of its {check.within:g}s (not failed, not yet passed)")
            break
        if not res.ok:
            hr.error = f"postcheck {check.name} failed after {res.attempts} attempt(s) in {res.elapsed:.1f}s: {res.summary}"
            break
    hr.timings["verify"] = time.monotonic() - t_verify
    run.record("postcheck", {"host": host.name, "ok": hr.error is None,
                             "checks": [_check_summary(c) for c in hr.postchecks]})
    if hr.error is not None or run.cancel.is_set():
        if hr.error is None:
            hr.error = f"{run.reason} after the change"
        _rollback(run, host, hr, planned, snapshot)
        return
    hr.timings["total"] = time.monotonic() - t0
    run.stage(host.name, "verified")
    run.event(hr, "verified", "postchecks passed")


def _config_error(output: str | None) -> str | None:
    """vtysh reports a rejected line as ``% ...`` (and may still exit 0)."""
    for line in (output or "").splitlines():
        s = line.strip()
        if s.startswith("% ") and not s.startswith("% Refusing to remove a non-existent"):
            return s
    return None


def _guard_deadline(pb: Playbook) -> float:
    """Seconds a guard waits for this run to settle a host before it restores the snapshot itself."""
    within = sum(float(c.within or 0) for c in pb.spec.postchecks)
    return 60.0 + 2 * within


def _rollback(run: _Run, host: Any, hr: HostRun, planned: HostPlan, snapshot: str) -> None:
    """Explicit rollback template (if any), then restore by diff until equal to the snapshot."""
    from netops.playbook.recover import restore_snapshot

    t0 = time.monotonic()
    run.progress(host.name, "rollback", None, hr.error or "")
    run.stage(host.name, "undoing")  # killed now, the next start says it was being rolled back
    res = restore_snapshot(run.devices, host.name, snapshot, host.platform, first=planned.rollback)
    hr.rollback_applied = res.commands
    hr.timings["rollback"] = time.monotonic() - t0
    unrecorded = {"unrecorded": res.unrecorded} if res.unrecorded else {}
    if res.error is not None and res.remaining is None:  # the device could not be read back
        hr.error = f"{hr.error}; rollback failed: {res.error}"
        run.record("rollback", {"host": host.name, "ok": False, "commands": res.commands, "error": res.error,
                                **unrecorded})
        run.stage(host.name, "rollback_failed")
        run.event(hr, "rollback_failed", hr.error)
        return
    run.record("rollback", {"host": host.name, "ok": res.ok, "commands": res.commands,
                            "verified_equal_to_snapshot": res.ok, "remaining_diff": res.remaining,
                            **({"error": res.error} if res.error else {}), **unrecorded})
    if res.ok:
        run.stage(host.name, "rolled_back")
        run.event(hr, "rolled_back", "running config equals the snapshot again")
    else:
        differ = _diff_lines(res.remaining)
        why = f"{res.error}; " if res.error else ""
        hr.error = (f"{hr.error}; rollback did not restore the snapshot: {why}{differ} line(s) still differ "
                    f"(netops audit list --kind rollback)\n{res.remaining}")
        run.stage(host.name, "rollback_failed")
        run.event(hr, "rollback_failed", "running config still differs from the snapshot"
                  + (f": {res.error}" if res.error else ""))


def _diff_lines(diff: str | None) -> int:
    """How many lines a unified diff adds or removes (its headers not counted)."""
    return sum(1 for ln in (diff or "").splitlines()
               if ln[:1] in "+-" and not ln.startswith(("+++", "---")))
