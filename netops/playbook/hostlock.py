"""One change at a time per device: an exclusive lock per host under ``<home>/locks/``.

A run takes the lock of every target host (sorted, all or none) before it asks for approval and
holds it until its result is on record. The lock is the kernel's (``flock``) on an open file, so
a holder that dies, ``kill -9`` included, lets go at once: a lock *file* left by a dead process,
by another machine or naming a PID that now belongs to someone else blocks nothing. The file's
content (pid, machine, run, playbook, since) only names the holder in the error.

Holding the lock is not enough: a run that crashed (its journal still holds a snapshot of the
host that nobody has restored) also keeps the host off limits until ``netops playbook recover``
(or the next start of netops, :func:`netops.playbook.recover.at_start`) has put it back, or a new
run would snapshot a half-changed device.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import socket
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from netops.errors import DeviceBusy


def lock_path(home: Path, host: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", host)
    if safe != host or safe.startswith("."):
        safe = f"{safe.lstrip('.')}-{hashlib.sha256(host.encode()).hexdigest()[:8]}"
    return Path(home) / "locks" / f"{safe}.lock"


class HostLocks:
    """The change locks of one run's hosts; :meth:`release` (or process death) lets them go."""

    def __init__(self) -> None:
        self._fds: list[int] = []
        self._infos: list[dict[str, str | int]] = []

    @classmethod
    def acquire(cls, home: Path, hosts: Sequence[str], *, run: str, playbook: str) -> "HostLocks":
        """Lock every host or none; :class:`DeviceBusy` names the run that holds one."""
        d = Path(home) / "locks"
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        locks = cls()
        try:
            for host in sorted(set(hosts)):
                path = lock_path(home, host)
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder, waiting = _holder(fd)
                    os.close(fd)
                    if waiting:  # a plan on screen, nothing changed yet: said as it is
                        raise DeviceBusy(f"{host} has a change waiting for approval in another netops ({holder}); "
                                         "nothing was changed",
                                         hint="that change is approved or denied first, then plan again") from None
                    raise DeviceBusy(f"{host} is being changed by another netops run ({holder}); "
                                     "nothing was changed",
                                     hint="wait for that run to finish, then plan again") from None
                locks._fds.append(fd)
                info: dict[str, str | int] = {
                    "pid": os.getpid(), "hostname": socket.gethostname(), "run": run, "playbook": playbook,
                    "host": host, "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
                locks._infos.append(info)
                _write(fd, info)
        except BaseException:
            locks.release()
            raise
        return locks

    def stage(self, stage: str) -> None:
        """Say what the holder is doing (``"approval"``: a plan waiting for a decision, nothing
        changed yet; ``"change"``): another run that finds a host locked is told."""
        for fd, info in zip(self._fds, self._infos):
            info["stage"] = stage
            try:
                _write(fd, info)
            except OSError:  # only the words of another run's error depend on it
                pass

    def release(self) -> None:
        self._infos = []
        fds, self._fds = self._fds, []
        for fd in fds:
            try:
                os.close(fd)  # closing the last descriptor drops the flock
            except OSError:
                pass

    def __enter__(self) -> "HostLocks":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _write(fd: int, info: dict[str, str | int]) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)


def _holder(fd: int) -> tuple[str, bool]:
    """Who holds the lock, and whether its change is still waiting for approval."""
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return (f"pid {info['pid']} on {info['hostname']}, playbook {info['playbook']}, "
                f"since {info['since']}"), info.get("stage") == "approval"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown", False


def require_recovered(home: Path, hosts: Sequence[str]) -> None:
    """:class:`DeviceBusy` if a crashed run left one of ``hosts`` unrestored (or its journal is
    damaged and may concern it)."""
    from netops.playbook.journal import damaged, legible_hosts, unfinished

    wanted = set(hosts)
    for j in unfinished(home):
        left = [h for h in j.pending_hosts() if h in wanted]
        if left:
            how = (f"pid {j.pid} is gone" if j.pid else  # handed over: the run ended, its rollback failed
                   "the run ended without putting it back")
            raise DeviceBusy(f"{', '.join(left)} still carries an unfinished change from run {j.run_id} "
                             f"({j.data.get('playbook')}, {how}); nothing was changed",
                             hint="put it back first: netops playbook recover (once it answers)")
    for path, exc in damaged(home):
        named = set(legible_hosts(path))
        if named and not named & wanted:
            continue
        which = ", ".join(sorted(named & wanted) if named else sorted(wanted))
        raise DeviceBusy(f"{exc.message}; it may concern {which}; nothing was changed", hint=exc.hint)
