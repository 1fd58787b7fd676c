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


def recover_journal(journal: Any, devices: Any, audit: "AuditLog | None", *, actor: str,
                    by: str = "recover", on_host: Callable[[Recovered], None] | None = None) -> list[Recovered]:
    """Restore every unsettled host of one journal, record each in the audit log, close the journal."""
    out: list[Recovered] = []
    with journal.exclusive() as _:
        try:
            fresh = type(journal).load(journal.path)
        except (OSError, ValueError):
            return out  # someone else (the guard) finished it meanwhile
        for host in fresh.pending_hosts():
            entry = dict(fresh.host(host))
            res = restore_snapshot(devices, host, entry["snapshot"], entry.get("platform"))
            state = "restored" if res.ok else "restore_failed"
            fresh.stage(host, state, by=by)
            detail = ("already equal to the snapshot" if res.already else
                      f"restored ({len(res.commands)} line(s))" if res.ok else
                      f"NOT restored: {res.error or 'running config still differs'}")
            if audit is not None:
                audit.append("recover", {"run_id": fresh.run_id, "playbook": fresh.data.get("playbook"),
                                         "hash": fresh.data.get("hash"), "plan_seq": fresh.data.get("plan_seq"),
                                         "host": host, "by": by, "ok": res.ok, "stage_at_crash": entry.get("state"),
                                         "commands": res.commands, "verified_equal_to_snapshot": res.ok,
                                         "remaining_diff": res.remaining, "error": res.error}, actor=actor)
            r = Recovered(fresh.run_id, str(fresh.data.get("playbook")), host, res.ok, detail)
            out.append(r)
            if on_host is not None:
                on_host(r)
        if all(r.ok for r in out):
            if audit is not None:
                audit.append("result", {"run_id": fresh.run_id, "playbook": fresh.data.get("playbook"),
                                        "hash": fresh.data.get("hash"), "plan_seq": fresh.data.get("plan_seq"),
                                        "interrupted": True, "recovered_by": by, "failed": True,
                                        "hosts": {r.host: {"state": "restored"} for r in out}}, actor=actor)
            fresh.finish()
    return out


def recover(settings: "Settings", devices: Any, audit: "AuditLog | None", *,
            on_host: Callable[[Recovered], None] | None = None) -> list[Recovered]:
    """Every unfinished run (owner process gone): restore its hosts, verify, record."""
    from netops.playbook.journal import unfinished

    out: list[Recovered] = []
    for j in unfinished(settings.paths.home):
        out.extend(recover_journal(j, devices, audit, actor=settings.user, on_host=on_host))
    return out
