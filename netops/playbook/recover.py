"""Put a host back to its pre-change snapshot and prove it; recover runs a crash left behind.

:func:`restore_snapshot` is the one restore procedure: optional explicit rollback lines, then
configuration computed from the difference between the running config and the snapshot,
repeated until the two are byte for byte the same (unredacted, in memory). The runner's
rollback, ``netops playbook recover`` and the router-side guard all use it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netops.devices.redact import redact_diff, redact_lines
from netops.errors import NetopsError
from netops.playbook import diff as cfgdiff

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


def restore_snapshot(devices: Any, host: str, snapshot: str, platform: str | None = None, *,
                     first: Sequence[str] | None = None, attempts: int = 3) -> Restore:
    """Bring ``host`` back to ``snapshot`` and verify byte for byte (never raises NetopsError)."""
    steps: list[str] = []
    try:
        if first:
            devices.configure(host, list(first))
            steps.extend(first)
        current = devices.running_config(host, redacted=False)
        already = not first and cfgdiff.same_config(current, snapshot)
        for _ in range(attempts):
            if cfgdiff.same_config(current, snapshot):
                break
            restore = cfgdiff.restore_commands(current, snapshot)
            if not restore:
                break
            devices.configure(host, restore)
            steps.extend(restore)
            current = devices.running_config(host, redacted=False)
    except NetopsError as exc:
        return Restore(False, redact_lines(steps, platform), error=exc.message)
    ok = cfgdiff.same_config(current, snapshot)
    remaining = None if ok else redact_diff(cfgdiff.unified(snapshot, current, "running-config"), platform)
    return Restore(ok, redact_lines(steps, platform), remaining, already=already)


@dataclass
class Recovered:
    run_id: str
    playbook: str
    host: str
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "playbook": self.playbook, "host": self.host, "ok": self.ok,
                "detail": self.detail}


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


def recover_journal(journal: Any, devices: Any, audit: "AuditLog | None", *, actor: str,
                    by: str = "recover", on_host: Callable[[Recovered], None] | None = None) -> list[Recovered]:
    """Restore every unsettled host of one journal, record each in the audit log once, and close
    the journal (with the run's result record, unless the run wrote its own)."""
    from netops.errors import JournalError

    out: list[Recovered] = []
    with journal.exclusive() as _:
        try:
            fresh = type(journal).load(journal.path)
        except (OSError, JournalError):
            return out  # finished meanwhile (or damaged: recover() reports those)
        result_on_record, restored_before = _on_record(audit, fresh.run_id)
        if fresh.data.get("result_recorded"):
            result_on_record = True
        for host in fresh.pending_hosts():
            entry = dict(fresh.host(host))
            if host in restored_before:  # restored and recorded, then the journal update was lost
                fresh.stage(host, "restored", by=by)
                continue
            res = restore_snapshot(devices, host, entry["snapshot"], entry.get("platform"))
            detail = ("already equal to the snapshot" if res.already else
                      f"restored ({len(res.commands)} line(s))" if res.ok else
                      f"NOT restored: {res.error or 'running config still differs'}")
            if audit is not None:
                audit.append("recover", {"run_id": fresh.run_id, "playbook": fresh.data.get("playbook"),
                                         "hash": fresh.data.get("hash"), "plan_seq": fresh.data.get("plan_seq"),
                                         "host": host, "by": by, "ok": res.ok, "stage_at_crash": entry.get("state"),
                                         "commands": res.commands, "verified_equal_to_snapshot": res.ok,
                                         "remaining_diff": res.remaining, "error": res.error}, actor=actor)
            fresh.stage(host, "restored" if res.ok else "restore_failed", by=by)
            r = Recovered(fresh.run_id, str(fresh.data.get("playbook")), host, res.ok, detail)
            out.append(r)
            if on_host is not None:
                on_host(r)
        if fresh.pending_hosts():
            return out  # a host could not be put back: keep the journal (and its snapshot) for a retry
        if not result_on_record and audit is not None:
            hosts = fresh.data["hosts"]
            audit.append("result", {"run_id": fresh.run_id, "playbook": fresh.data.get("playbook"),
                                    "hash": fresh.data.get("hash"), "plan_seq": fresh.data.get("plan_seq"),
                                    "interrupted": True, "recovered_by": by, "failed": True,
                                    "hosts": {h: {"state": hosts.get(h, {}).get("state", "skipped"),
                                                  "error": None} for h in fresh.targets}}, actor=actor)
        fresh.finish()
    return out


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
    for j in unfinished(settings.paths.home):
        out.extend(recover_journal(j, devices, audit, actor=settings.user, on_host=on_host))
    bad = damaged(settings.paths.home)
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
