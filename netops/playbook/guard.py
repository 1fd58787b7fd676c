"""Router-side safety net for platforms without commit-confirmed (FRR): a detached guard process.

Before a host is changed, the runner starts one guard per host (:func:`spawn_guard`): a process
in its own session (double fork + ``setsid``), so it outlives ``kill -9`` of netops, a closed
terminal (SIGHUP) and the loss of netops' process group. The guard watches the run's journal:

* the run settles the host (verified, rolled back...) or finishes: the guard exits, doing nothing;
* the netops process that owns the run is gone: the guard restores every unsettled host of the
  run to its journalled snapshot, verifies it byte for byte and records it in the audit log
  (the same procedure as ``netops playbook recover``, which it shares);
* netops is alive but has not settled the host long after ``deadline`` seconds (hung): the
  guard restores it too, as a commit-confirmed timer would.

Platforms with their own timer should use it instead: Junos ``commit confirmed N`` then
``commit`` after the postchecks, Arista EOS ``configure session`` + ``commit timer hh:mm:ss``
(then ``configure session NAME commit``), IOS-XR ``commit confirmed``; see playbooks/README.md.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLL_SECONDS = 0.3
HUNG_FACTOR = 3.0
"""An owner that is still alive gets ``HUNG_FACTOR * deadline`` before the guard steps in."""


def spawn_guard(journal: Path, host: str, *, deadline: float) -> int:
    """Start a detached guard for ``host`` of the run in ``journal``; returns the guard's pid."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "netops.playbook.guard", str(journal), host, str(float(deadline))],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True, env=_env())
    try:
        line = proc.stdout.readline().strip() if proc.stdout else b""
    finally:
        proc.wait(10)  # the intermediate process exits at once; the guard itself is orphaned on purpose
    try:
        return int(line)
    except ValueError:
        raise OSError(f"the guard for {host} did not start") from None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # so a source checkout guards with its own code
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _detach() -> None:
    """Second fork: the intermediate prints the guard's pid and exits; the guard is never a
    session leader that could acquire a terminal."""
    pid = os.fork()
    if pid > 0:
        os.write(1, f"{pid}\n".encode())
        os._exit(0)
    for sig in (signal.SIGHUP, signal.SIGINT, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)


RETRY_FOR_S = 600.0
"""How long a guard keeps trying a restore that failed because the router could not be reached
(SSH down, a link down, rebooting): a router back ten seconds later is put back then, not at the
next netops command. A router that answered and refused (``bgpd is not running``) is not retried:
the next start and ``recover`` say what it answered."""
RETRY_MAX_GAP_S = 20.0

UNREADABLE_GIVE_UP = 5.0
"""Seconds a journal may stay unreadable before the guard gives up (a replace takes microseconds)."""


def watch(journal_path: Path, host: str, deadline: float) -> str:
    """The guard's loop; returns what it did (also written to its log).

    A host the run verified stays guarded until the run ends: a run that dies before its end is
    undone whole, as a cancelled one is. The hung-run timer applies only to a host the run has
    not settled (a verified host may wait while later hosts are changed).
    """
    from netops.errors import JournalError
    from netops.playbook.journal import SETTLED_STATES, Journal

    started = time.monotonic()
    bad_since: float | None = None
    tries, next_try, give_up_at = 0, 0.0, 0.0
    last = ""  # what the last failed try said
    while True:
        try:
            j = Journal.load(journal_path)
        except FileNotFoundError:
            moved = _renamed(journal_path)
            if moved is None:
                return "run finished: nothing to do"
            journal_path = moved  # the run ended and handed its unrestored hosts over
            continue
        except (OSError, JournalError) as exc:
            bad_since = bad_since or time.monotonic()
            if time.monotonic() - bad_since > UNREADABLE_GIVE_UP:
                why = exc.message if isinstance(exc, JournalError) else f"run journal is unreadable: {exc}"
                return f"gave up, nothing restored: {why}; `netops playbook recover` reports it"
            time.sleep(POLL_SECONDS)
            continue
        bad_since = None
        state = j.host(host).get("state")
        if state in SETTLED_STATES:
            return f"host {host} settled by the run ({state}): nothing to do"
        if give_up_at and time.monotonic() >= give_up_at:  # a hung owner that still holds the host
            _record_give_up(j, host, tries, last)
            return (f"gave up after {tries} restore tries in {RETRY_FOR_S:.0f}s; "
                    "`netops playbook recover` tries again")
        alive = j.owner_alive()
        waited = time.monotonic() - started
        hung = waited > deadline * HUNG_FACTOR and state not in ("verified", "rollback_failed", "restore_failed")
        if (not alive or hung) and time.monotonic() >= next_try:
            why = ("the run ended without putting it back" if not j.pid else
                   f"netops (pid {j.pid}) is gone" if not alive else f"netops hung for {waited:.0f}s")
            tries += 1
            ok, retry, what = _restore(j, tries)
            if ok or not retry:
                return why + ": " + what + (f" (on try {tries})" if tries > 1 else "")
            last = what
            now = time.monotonic()
            give_up_at = give_up_at or now + RETRY_FOR_S
            if now >= give_up_at:
                _record_give_up(j, host, tries, what)
                return f"{why}: {what} (gave up after {tries} tries in {RETRY_FOR_S:.0f}s; the next netops start tries again)"
            _note(host, f"{why}: {what}; trying again")
            next_try = now + min(2.0 ** tries, RETRY_MAX_GAP_S)
        time.sleep(POLL_SECONDS)


def _renamed(path: Path) -> Path | None:
    run_id = path.name.split(".")[0]
    found = sorted(p for p in path.parent.glob(f"{run_id}.*.json") if p != path)
    return found[0] if found else None


def _note(host: str, line: str) -> None:
    """One line in the guard's log (its stderr) while it goes on."""
    try:
        os.write(2, f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {host}: {line}\n".encode())
    except OSError:
        pass


def _record_give_up(j, host: str, tries: int, what: str) -> None:
    """The one audit record of how the guard's tries ended when none put the router back (the first
    failed try has its own record; the ones between are in the guard's log, not the audit log)."""
    from netops.errors import NetopsError
    from netops.settings import Settings
    from netops.store.audit import AuditLog

    try:
        settings = Settings(**j.data.get("settings", {}))
        with AuditLog.from_settings(settings) as audit:
            audit.append("recover", {"run_id": j.run_id, "playbook": j.data.get("playbook"),
                                     "hash": j.data.get("hash"), "plan_seq": j.data.get("plan_seq"), "host": host,
                                     "by": "guard", "ok": False, "gave_up": True, "tries": tries,
                                     "retried_for_s": RETRY_FOR_S, "error": what,
                                     "next": "the next netops start, or `netops playbook recover`, tries again"},
                         actor=settings.user)
    except (NetopsError, OSError) as exc:
        _note(host, f"the give-up could not be recorded in the audit log: {exc}")


def _restore(j, attempt: int = 1) -> tuple[bool, bool, str]:
    """Put back every unsettled host of the run; (every one restored, worth another try, what was done)."""
    from netops.devices.service import DeviceService
    from netops.playbook.recover import recover_journal
    from netops.settings import Settings
    from netops.store.audit import AuditLog

    settings = Settings(**j.data.get("settings", {}))
    with AuditLog.from_settings(settings) as audit, \
            DeviceService(settings, recorder=audit.recorder("netops-guard")) as devices:
        done = recover_journal(j, devices, audit, actor=settings.user, by="guard", attempt=attempt)
    if not done:
        return True, False, "nothing left to restore"
    return (all(r.ok for r in done), any(r.unreachable for r in done),
            "; ".join(f"{r.host}: {r.detail}" for r in done))


def main(argv: list[str]) -> int:
    journal, host, deadline = Path(argv[0]), argv[1], float(argv[2])
    _detach()
    log = journal.with_name(f".{journal.stem}.{host}.guard.log")
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 2)
    try:
        outcome = watch(journal, host, deadline)
    except BaseException as exc:  # a guard that fails must say so where someone can look
        outcome = f"guard failed: {type(exc).__name__}: {exc}"
    if outcome in _BENIGN or outcome.endswith(_BENIGN):
        if os.fstat(2).st_size == 0:  # nothing to look at: leave no file behind (they piled up)
            log.unlink(missing_ok=True)
            return 0
    os.write(2, f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {host}: {outcome}\n".encode())
    return 0


_BENIGN = ("run finished: nothing to do", ": nothing to do", "nothing left to restore")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
