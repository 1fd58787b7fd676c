"""Put a host back to its pre-change snapshot and prove it; recover runs a crash left behind.

:func:`restore_snapshot` is the one restore procedure: optional explicit rollback lines, then
configuration computed from the difference between the running config and the snapshot,
repeated until the two are byte for byte the same (unredacted, in memory). The runner's
rollback, ``netops playbook recover`` and the router-side guard all use it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops.errors import NetopsError

if TYPE_CHECKING:
    from netops.settings import Settings
    from netops.store.audit import AuditLog


@dataclass
class Restore:
    """Outcome of one restore. ``commands`` and ``remaining`` are redacted (safe to record)."""

    ok: bool
    commands: list[str] = field(default_factory=list)
    remaining: str | None = None
    error: str | None = None
    already: bool = False
    """The host was equal to the snapshot before anything was sent."""
    unrecorded: str | None = None
    """Why some of the restore's device commands are not in the audit log (it could not be
    written); the restore went on without them."""


def restore_snapshot(devices: Any, host: str, snapshot: str, platform: str | None = None, *,
                     first: Sequence[str] | None = None, attempts: int = 3) -> Restore:
    """Bring ``host`` back to ``snapshot`` and verify byte for byte (never raises NetopsError).

    A push the device refuses (``bgpd is not running``, ``% Invalid input``) does not stop the
    restore (the next round computes what is still missing), but when the host does not end equal
    to the snapshot the device's last refusal is the error: it says why. An audit log that cannot
    be written does not stop a restore either (``unrecorded`` says so)."""
    from netops.devices.redact import redact_diff, redact_lines
    from netops.playbook import diff as cfgdiff

    steps: list[str] = []
    refused: list[str] = []

    def push(lines: Sequence[str]) -> None:
        result = devices.configure(host, list(lines))
        steps.extend(lines)
        why = _refusal(result)
        if why:
            refused.append(why)

    best_effort = getattr(devices, "recording_best_effort", None)
    with best_effort() if best_effort is not None else nullcontext([]) as unrecorded:
        try:
            if first:
                push(first)
            current = devices.running_config(host, redacted=False)
            already = not first and cfgdiff.same_config(current, snapshot)
            for _ in range(attempts):
                if cfgdiff.same_config(current, snapshot):
                    break
                restore = cfgdiff.restore_commands(current, snapshot)
                if not restore:
                    break
                push(restore)
                current = devices.running_config(host, redacted=False)
        except NetopsError as exc:
            return Restore(False, redact_lines(steps, platform), error=exc.message,
                           unrecorded=unrecorded[0] if unrecorded else None)
    ok = cfgdiff.same_config(current, snapshot)
    remaining = None if ok else redact_diff(cfgdiff.unified(snapshot, current, "running-config"), platform)
    error = None if ok or not refused else f"{host} refused the restore: {refused[-1]}"
    return Restore(ok, redact_lines(steps, platform), remaining, error=error, already=already,
                   unrecorded=unrecorded[0] if unrecorded else None)


def _refusal(result: Any) -> str | None:
    """What the device said when it did not take a push (one line, redacted), else None."""
    if getattr(result, "ok", True):
        for line in (getattr(result, "output", None) or "").splitlines():
            s = line.strip()
            if s.startswith("% ") and not s.startswith("% Refusing to remove a non-existent"):
                return s
        return None
    return getattr(result, "error", None) or "configuration failed"


@dataclass
class Recovered:
    """What a recovery found and did for one host of an interrupted run. ``outcome`` is
    ``rolled_back`` (put back and verified), ``unchanged`` (nothing had reached it; verified),
    ``completed`` (the run had verified it and was ending: kept) or ``not_restored``;
    ``line`` is the one line every surface shows a person."""

    run_id: str
    playbook: str
    host: str
    ok: bool
    detail: str
    outcome: str = "rolled_back"
    line: str = ""
    unreachable: bool = False
    """Not restored because the device could not be reached or read back (not because it refused):
    worth trying again soon (the router-side guard does)."""

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "playbook": self.playbook, "host": self.host, "ok": self.ok,
                "detail": self.detail, "outcome": self.outcome, "line": self.line}


_WHEN = {
    None: "before any change reached it",
    "approval": "while it waited for approval",
    "snapshot": "before the change was sent",
    "applying": "while the change was being sent",
    "applied": "after the change was sent, before it was verified",
    "verified": "after the change was verified, before the run finished",
    "undoing": "while the change was being rolled back",
    "rollback_failed": "after its rollback had failed",
    "restore_failed": "after a restore had failed",
}


def recovery_line(r: Recovered, stage: str | None, *, ended: bool = False) -> str:
    """The one line a person is shown about one host of an interrupted run."""
    if r.outcome == "completed":
        return (f"recovered: {r.playbook} on {r.host} was completed and verified before netops stopped; "
                f"the change is kept (run {r.run_id})")
    head = (f"{r.playbook} on {r.host} ended with {r.host} not put back" if ended else
            f"{r.playbook} on {r.host} was interrupted {_WHEN.get(stage, f'at {stage}')}")
    if r.outcome == "not_restored":
        return (f"warning: {head}; {r.host} could NOT be rolled back ({r.detail}) and may still be changed: "
                f"run `netops playbook recover` once it answers (run {r.run_id})")
    if r.outcome == "unchanged" and stage == "approval":
        return (f"recovered: {head}; it was never approved and nothing was sent to {r.host} "
                f"(recorded as not approved) (run {r.run_id})")
    if r.outcome == "unchanged":
        return f"recovered: {head}; {r.host} is unchanged, at its pre-change config (verified) (run {r.run_id})"
    if r.detail == "already equal to the snapshot":
        return (f"recovered: {head}; {r.host} had already been rolled back to its pre-change config "
                f"(verified) (run {r.run_id})")
    return f"recovered: {head}; {r.host} was rolled back to its pre-change config (verified) (run {r.run_id})"


def _on_record(audit: "AuditLog | None", run_id: str) -> tuple[bool, set[str]]:
    """Is this run's result already on record, and which hosts has a recovery already restored?
    (A crash between an audit record and the journal update must not record it twice.)"""
    if audit is None:
        return False, set()
    # every record of the two kinds, not the newest few: on a busy log a recovery's own record can
    # be hundreds back (recovery is rare; the two kinds are a small share of the log)
    result = any(r.payload.get("run_id") == run_id for r in audit.list(kind="result", limit=None))
    restored = {str(r.payload.get("host")) for r in audit.list(kind="recover", limit=None)
                if r.payload.get("run_id") == run_id and r.payload.get("ok")}
    return result, restored


def _lost_snapshots(audit: Any, journal: Any) -> list[str]:
    """Hosts whose snapshot the runner recorded in the audit log (it does so only once the
    journal holds it, before sending anything) but that the journal no longer has: the file was
    cut short behind an acknowledged record, so it cannot say whether they were changed."""
    if audit is None:
        return []
    hosts = journal.data["hosts"]
    return sorted({str(r.payload.get("host")) for r in audit.list(kind="snapshot", limit=None)
                   if r.payload.get("journal") == journal.run_id and r.payload.get("host") not in hosts})


def recover_journal(journal: Any, devices: Any, audit: "AuditLog | None", *, actor: str,
                    by: str = "recover", on_host: Callable[[Recovered], None] | None = None,
                    attempt: int | None = None) -> list[Recovered]:
    """Restore every unsettled host of one journal, record each in the audit log once, and close
    the journal (with the run's result record, unless the run wrote its own).

    ``attempt``: the try this is of a caller that retries a router it could not reach (the guard):
    its records say which try, and a try after the first that again cannot reach the router is not
    recorded (the first failure is, and the caller records how its tries ended: ~35 identical
    failure records over ten minutes told an auditor nothing the first and the last did not)."""
    from netops.errors import JournalError

    out: list[Recovered] = []
    audit = _tolerant(audit)  # a broken audit log must not stop a restore
    with journal.exclusive() as _:
        try:
            fresh = type(journal).load(journal.path)
        except (OSError, JournalError):
            return out  # finished meanwhile (or damaged: recover() reports those)
        lost = _lost_snapshots(audit, fresh)
        if lost:
            from netops.playbook.journal import _damaged_hint

            raise JournalError(f"run journal {fresh.path.name} is unreadable: it lost acknowledged records "
                               f"(the audit log has the snapshot of {', '.join(lost)}, the journal does not)",
                               hint=_damaged_hint(fresh.path, lost))
        result_on_record, restored_before = _on_record(audit, fresh.run_id)
        if fresh.data.get("result_recorded"):
            result_on_record = True
        ended = bool(fresh.data.get("result_recorded"))
        playbook = str(fresh.data.get("playbook"))

        def tell(host: str, ok: bool, detail: str, outcome: str, stage: str | None,
                 unreachable: bool = False) -> None:
            r = Recovered(fresh.run_id, playbook, host, ok, detail, outcome, unreachable=unreachable)
            r.line = recovery_line(r, stage, ended=ended)
            if audit is not None and audit.problem:
                r.line += f" - NOT in the audit log: {audit.problem}"
            out.append(r)
            if on_host is not None:
                on_host(r)

        if fresh.data.get("awaiting_approval") and not fresh.data["hosts"]:  # killed at the prompt
            plan_seq = fresh.data.get("plan_seq")
            decided = plan_seq is not None and audit is not None and any(
                r.payload.get("plan_seq") == plan_seq for r in audit.list(kind="denial", limit=None))
            if audit is not None and not decided:
                audit.append("denial", {"playbook": playbook, "hash": fresh.data.get("hash"), "plan_seq": plan_seq,
                                        "run_id": fresh.run_id, "by": by, "hosts": fresh.targets,
                                        "reason": "netops stopped while the plan waited for approval; "
                                                  "nothing was changed"}, actor=actor)
            for host in fresh.targets:
                tell(host, True, "never approved; nothing was sent", "unchanged", "approval")
            fresh.finish()
            return out
        if not ended:  # the run told nobody how it ended: every target gets its line
            for host in fresh.targets:
                entry = fresh.host(host)
                if entry.get("state") == "kept":
                    tell(host, True, "completed and verified; kept", "completed", "kept")
                elif host not in fresh.pending_hosts() and entry.get("state") in (None, "skipped", "failed"):
                    tell(host, True, "never changed", "unchanged", None)
                elif host not in fresh.pending_hosts():
                    tell(host, True, "already equal to the snapshot", "rolled_back", entry.get("state"))
        for host in fresh.pending_hosts():
            entry = dict(fresh.host(host))
            stage = entry.get("state")
            if host in restored_before:  # restored and recorded, then the journal update was lost
                fresh.stage(host, "restored", by=by)
                tell(host, True, "already equal to the snapshot", "rolled_back", stage)
                continue
            res = restore_snapshot(devices, host, entry["snapshot"], entry.get("platform"))
            if res.unrecorded and audit is not None and not audit.problem:
                audit.problem = res.unrecorded  # the restore went on; its line says what is not on record
            detail = ("already equal to the snapshot" if res.already else
                      f"restored ({len(res.commands)} line(s))" if res.ok else
                      f"NOT restored: {res.error or 'running config still differs'}")
            unreachable = not res.ok and res.remaining is None
            if audit is not None and not (unreachable and attempt is not None and attempt > 1):
                audit.append("recover", {"run_id": fresh.run_id, "playbook": fresh.data.get("playbook"),
                                         "hash": fresh.data.get("hash"), "plan_seq": fresh.data.get("plan_seq"),
                                         "host": host, "by": by, "ok": res.ok, "stage_at_crash": stage,
                                         "commands": res.commands, "verified_equal_to_snapshot": res.ok,
                                         "remaining_diff": res.remaining, "error": res.error,
                                         **({"try": attempt} if attempt is not None else {})}, actor=actor)
            fresh.stage(host, "restored" if res.ok else "restore_failed", by=by)
            unchanged = res.ok and res.already and stage in ("snapshot", "applying")
            outcome = "unchanged" if unchanged else "rolled_back" if res.ok else "not_restored"
            tell(host, res.ok, detail if res.ok else (res.error or "running config still differs"), outcome, stage,
                 unreachable=unreachable)
        if by == "guard" and out:  # nobody is watching a guard: the next start tells
            write_notice(fresh.path.parent, fresh.run_id, [r.line for r in out])
        if fresh.pending_hosts():
            return out  # a host could not be put back: keep the journal (and its snapshot) for a retry
        if not result_on_record and audit is not None:
            hosts = fresh.data["hosts"]
            audit.append("result", {"run_id": fresh.run_id, "playbook": fresh.data.get("playbook"),
                                    "hash": fresh.data.get("hash"), "plan_seq": fresh.data.get("plan_seq"),
                                    "interrupted": True, "recovered_by": by,
                                    "failed": any(hosts.get(h, {}).get("state") != "kept" for h in fresh.targets),
                                    "hosts": {h: {"state": hosts.get(h, {}).get("state", "skipped"),
                                                  "error": None} for h in fresh.targets}}, actor=actor)
        fresh.finish()
    return out


def _tolerant(audit: Any) -> "_Tolerant | None":
    return audit if audit is None or isinstance(audit, _Tolerant) else _Tolerant(audit)


class _Tolerant:
    """The audit log as a recovery uses it: a record that cannot be written (damaged or full
    database) is noted and told, and the restore goes on."""

    def __init__(self, audit: "AuditLog") -> None:
        self.audit, self.problem = audit, ""

    def append(self, kind: str, payload: dict[str, Any], *, actor: str) -> Any:
        try:
            return self.audit.append(kind, payload, actor=actor)
        except NetopsError as exc:
            self.problem = self.problem or exc.message
            return None

    def list(self, **kw: Any) -> list[Any]:
        try:
            return self.audit.list(**kw)
        except NetopsError as exc:
            self.problem = self.problem or exc.message
            return []

    def recorder(self, actor: str) -> Callable[[Any], None]:
        """Device commands of a recovery are recorded like any other, or the problem is noted."""
        record = self.audit.recorder(actor)

        def tolerant(event: Any) -> None:
            try:
                record(event)
            except NetopsError as exc:
                self.problem = self.problem or exc.message

        return tolerant


def write_notice(journal_dir: Path, run_id: str, lines: list[str]) -> None:
    """Keep what a recovery did for the next start to tell (``<journal>/notices/``, private)."""
    d = journal_dir / "notices"
    d.mkdir(mode=0o700, exist_ok=True)
    tmp = d / f".{run_id}.{os.getpid()}.tmp"
    try:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, d / f"{run_id}.txt")
    except OSError:  # a full disk: no empty file left behind; the journal stays for the next start to tell
        tmp.unlink(missing_ok=True)
        raise


def take_notices(home: Path) -> list[str]:
    """Lines of recoveries nobody has been told about yet; each is handed to one caller only."""
    from netops.playbook.journal import journal_dir

    d = journal_dir(home) / "notices"
    try:
        names = sorted(n for n in os.listdir(d) if n.endswith(".txt"))
    except OSError:
        return []
    lines: list[str] = []
    for name in names:
        claimed = d / f".{name}.{os.getpid()}.taken"
        try:
            os.rename(d / name, claimed)  # two starts at once: one of them tells
        except OSError:
            continue
        try:
            lines.extend(ln for ln in claimed.read_text(encoding="utf-8").splitlines() if ln.strip())
        except OSError:
            pass
        claimed.unlink(missing_ok=True)
    return lines


def recover(settings: "Settings", devices: Any, audit: "AuditLog | None", *,
            on_host: Callable[[Recovered], None] | None = None) -> list[Recovered]:
    """Every unfinished run (owner process gone): restore its hosts, verify, record.

    A journal that cannot be read is recorded once (``recover`` record, ``ok`` false), set aside
    as ``*.damaged`` and reported: after restoring what it can, this raises :class:`JournalError`
    naming it, and keeps raising until a person has checked its hosts and deleted the file.
    """
    from netops.errors import JournalError
    from netops.playbook.journal import damaged, set_aside, unfinished

    out: list[Recovered] = []
    audit = _tolerant(audit)
    bad = []
    for j in unfinished(settings.paths.home):
        try:
            out.extend(recover_journal(j, devices, audit, actor=settings.user, on_host=on_host))
        except JournalError as exc:  # cut short behind an acknowledged record
            bad.append((j.path, exc))
    for path, exc in damaged(settings.paths.home):
        if any(path == p for p, _ in bad):
            continue
        r = _close_if_nothing_sent(path, audit, settings.user)
        if r is None:
            bad.append((path, exc))
            continue
        out.append(r)
        if on_host is not None:
            on_host(r)
    for path, exc in bad:
        if path.name.endswith(".json"):
            if audit is not None:
                audit.append("recover", {"run_id": path.name.split(".")[0], "journal": path.name, "by": "recover",
                                         "ok": False, "error": exc.message, "hint": exc.hint}, actor=settings.user)
            set_aside(path)
    if bad:
        path, exc = bad[0]
        more = f" (and {len(bad) - 1} more damaged journal(s))" if len(bad) > 1 else ""
        raise JournalError(exc.message + more, hint=exc.hint)
    return out


def _close_if_nothing_sent(path: Path, audit: "AuditLog | None", actor: str) -> Recovered | None:
    """A journal cut short in its header (the only record, so the run stopped before any host's
    snapshot) cannot be read, but the audit log can prove no change went out: the runner records
    ``snapshot`` (with the journal's run id) after the snapshot is in the journal and before it
    sends anything. No such record: close the run as unchanged. None when that cannot be shown."""
    import re

    from netops.errors import NetopsError
    from netops.playbook.journal import _base, _parse_name, legible_hosts, owner_alive

    parsed = _parse_name(_base(path.name))
    if audit is None or parsed is None or (parsed[1] and owner_alive(parsed[1], parsed[2])):
        return None
    run_id = parsed[0]
    try:
        if any(r.payload.get("journal") == run_id for r in audit.list(kind="snapshot", limit=None)):
            return None
        raw = path.read_bytes()
    except (NetopsError, OSError):
        return None
    if b'"op": "snapshot"' in raw:
        return None
    m = re.search(rb'"playbook": "([A-Za-z0-9_.-]+)"', raw)
    playbook = m.group(1).decode() if m else "a playbook (name unreadable)"
    hosts = legible_hosts(path)
    where = ", ".join(hosts) if hosts else "its hosts"
    audit.append("recover", {"run_id": run_id, "journal": path.name, "by": "recover", "ok": True,
                             "nothing_sent": True, "error": "journal header cut short; no snapshot on record"},
                 actor=actor)
    audit.append("result", {"run_id": run_id, "playbook": playbook, "interrupted": True, "recovered_by": "recover",
                            "failed": True, "hosts": {h: {"state": "skipped", "error": None} for h in hosts}},
                 actor=actor)
    path.unlink(missing_ok=True)
    line = (f"recovered: {playbook} on {where} was interrupted before any change reached {where} (its journal "
            f"was cut short; the audit log shows nothing was sent); {where} unchanged, at its pre-change config "
            f"(run {run_id})")
    return Recovered(run_id, playbook, where, True, "nothing was sent", "unchanged", line)


def at_start(settings: "Settings") -> list[str]:
    """What every surface (``netops`` commands, ``ask``, the chat) does first: put back what a
    crashed netops left changed, and return one line per host saying what was done (rolled
    back, unchanged, completed; or why not). Cheap when there is nothing: one ``listdir``."""
    return [line for _, line in check_unfinished(settings)]


def check_unfinished(settings: "Settings") -> list[tuple[tuple[str, str, str] | None, str]]:
    """:func:`at_start` with each line's ``(run id, host, outcome)`` (None for a warning about
    the check itself or a guard's notice), so a long-lived session can tell each once."""
    from netops.errors import JournalError, NetopsError
    from netops.playbook.journal import sweep, unfinished_quick

    home = settings.paths.home
    lines: list[tuple[tuple[str, str, str] | None, str]] = []
    if unfinished_quick(home):
        from netops.devices.service import DeviceService
        from netops.store.audit import AuditLog

        try:
            with AuditLog.from_settings(settings) as log:
                audit = _Tolerant(log)
                with DeviceService(settings, recorder=audit.recorder(settings.user)) as devices:
                    recover(settings, devices, audit,
                            on_host=lambda r: lines.append(((r.run_id, r.host, r.outcome), r.line)))
        except JournalError as exc:
            lines.append((None, f"warning: {exc.message}; {exc.hint}"))
        except NetopsError as exc:
            lines.append((None, f"warning: a change stopped before it finished and could not be put back now "
                                f"({exc.message}): run `netops playbook recover`"))
    told = {key[0] for key, _ in lines if key is not None}  # what a guard said of a run this start
    lines.extend((None, line) for line in take_notices(home)  # retried is older news: told once
                 if not any(f"(run {run_id})" in line for run_id in told))
    sweep(home)
    return lines
