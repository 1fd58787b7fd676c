"""Write-ahead journal of playbook runs: what a crashed netops left half-done, and how to undo it.

Before the first configuration line goes to a host, the runner writes that host's *full*
running config (unredacted: a restore must put secrets back byte for byte) to a journal file in
``<home>/journal/`` (directory 0700, files 0600). The file is a log of JSON lines: the first is
the run's header (written whole, atomically), each later one a step (``snapshot``, ``stage``,
``closing``) appended and fsynced before the step it announces goes ahead. A record is whole only
with its newline: a last line cut short (power cut, full disk, a crash mid-write) was never
acknowledged, so nothing it announces happened, and the journal is read as it stood before it
(a snapshot is always a whole earlier line when a host may have been changed). When the run ends
the file is removed. A file whose owner process is gone is an *unfinished run*: ``netops playbook
recover``, the start of any netops command or the router-side guard (:mod:`netops.playbook.guard`)
restores each host from it.

File names are ``<run id>.<owner pid>-<owner start time>.json`` so the check every CLI command
makes at start (:func:`unfinished_quick`) is one ``listdir`` and a look at ``/proc/<pid>/stat``
per file; the start time tells a dead owner whose PID was reused from a live one.

Host states: ``snapshot`` -> ``applying`` -> ``applied`` -> ``verified`` (still undone by a
recovery: the run has not finished) -> at the run's end ``kept`` or ``rolled_back``; a host whose
undo failed (``rollback_failed``, ``restore_failed``) keeps its snapshot, and the journal stays
after the run so ``recover`` can try again once the device answers. ``closing`` marks a journal
whose run is writing its result record; ``result_recorded`` one whose result is on record.

A journal that cannot be read (damaged disk, hand edits) is never skipped silently: it is
reported by every command and by ``recover`` (:func:`damaged`), recorded once, and renamed to
``<name>.damaged`` until a person has checked its hosts and deletes it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.errors import JournalError

SETTLED_STATES = ("rolled_back", "restored", "kept", "skipped", "failed")
"""Nothing to undo: never changed, or put back and verified, or kept by a run that finished."""
FINAL_STATES = SETTLED_STATES + ("verified", "rollback_failed", "restore_failed")
"""States the run itself ends a host in (no step of the run is under way)."""
DAMAGED_SUFFIX = ".damaged"


def journal_dir(home: Path) -> Path:
    return Path(home) / "journal"


def pid_start(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (``/proc/<pid>/stat`` field 22)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return int(f.read().rsplit(")", 1)[-1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def owner_alive(pid: int, start: int | None, host: str | None = None) -> bool:
    """Is the process that wrote a journal still running? A reused PID (another start time) is
    not; a journal from another machine is taken as alive (nothing here can tell)."""
    if host and host != socket.gethostname():
        return True
    if not pid_alive(pid):
        return False
    return start is None or pid_start(pid) in (None, start)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is gone for our purposes
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


@dataclass
class Journal:
    """One run's journal file. Thread-safe enough: every write replaces the whole file under a lock."""

    path: Path
    data: dict[str, Any]

    @classmethod
    def start(cls, home: Path, *, playbook: str, hash: str, actor: str, plan_seq: int | None,
              settings: dict[str, Any] | None = None, targets: list[str] | tuple[str, ...] = (),
              awaiting_approval: bool = False) -> "Journal":
        """A new journal; ``awaiting_approval``: opened while the plan waits for its approval
        (:meth:`approved` records the yes), so a run killed at the prompt is closed as not approved."""
        d = journal_dir(home)
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(d, 0o700)
        run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        pid, start = os.getpid(), pid_start(os.getpid())
        j = cls(d / f"{run_id}.{pid}-{start or 0}.json", {
            "run_id": run_id, "playbook": playbook, "hash": hash, "actor": actor, "plan_seq": plan_seq,
            "pid": pid, "pid_start": start, "hostname": socket.gethostname(), "targets": list(targets),
            "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "settings": settings or {}, "hosts": {}, **({"awaiting_approval": True} if awaiting_approval else {})})
        j._write()
        return j

    @classmethod
    def load(cls, path: Path) -> "Journal":
        """Read one journal; :class:`JournalError` if it is not a well-formed journal
        (``FileNotFoundError`` when it is gone: the run finished meanwhile). A last record cut
        short is not damage: it was never acknowledged, the journal stands as before it."""
        path = Path(path)
        raw = path.read_bytes()
        *whole, _torn = raw.split(b"\n")
        try:
            if not whole:
                raise ValueError("empty" if not raw.strip() else "its header is cut short")
            data = json.loads(whole[0].decode("utf-8"))
            problem = _shape_problem(data)
            if problem:
                raise JournalError(f"run journal {path.name} is unreadable: {problem}",
                                   hint=_damaged_hint(path, _hosts_in(raw)))
            for n, line in enumerate(whole[1:], 2):
                rec = json.loads(line.decode("utf-8"))
                if not isinstance(rec, dict) or not _apply(data, rec):
                    raise ValueError(f"record {n} is not a journal step")
        except (UnicodeDecodeError, ValueError) as exc:
            what = str(exc) if not isinstance(exc, json.JSONDecodeError) else f"not JSON ({exc})"
            raise JournalError(f"run journal {path.name} is unreadable: {what}",
                               hint=_damaged_hint(path, _hosts_in(raw))) from None
        problem = _shape_problem(data)
        if problem:
            raise JournalError(f"run journal {path.name} is unreadable: {problem}",
                               hint=_damaged_hint(path, _hosts_in(raw)))
        return cls(path, data)

    @property
    def run_id(self) -> str:
        return str(self.data["run_id"])

    @property
    def pid(self) -> int:
        return int(self.data.get("pid") or 0)

    def owner_alive(self) -> bool:
        return owner_alive(self.pid, self.data.get("pid_start"), self.data.get("hostname"))

    @property
    def targets(self) -> list[str]:
        return list(self.data.get("targets") or self.data["hosts"])

    def host(self, name: str) -> dict[str, Any]:
        return self.data["hosts"].get(name, {})

    def snapshot(self, host: str, platform: str, text: str) -> None:
        """Write-ahead: the full pre-change config, on disk before anything is sent."""
        self._append({"op": "snapshot", "host": host, "platform": platform, "snapshot": text})

    def stage(self, host: str, state: str, **extra: Any) -> None:
        self._append({"op": "stage", "host": host, "state": state, "extra": extra})

    def pending_hosts(self) -> list[str]:
        """Hosts that may be changed and are not settled (a recovery restores these)."""
        return [h for h, e in self.data["hosts"].items()
                if e.get("state") not in SETTLED_STATES and e.get("snapshot") is not None]

    def approved(self) -> None:
        """The plan was approved: from now on the run may change its hosts."""
        self._append({"op": "approved"})

    def closing(self) -> None:
        """The run is over and about to write its result: what it verified is kept from now on."""
        self._append({"op": "closing"})

    def result_recorded(self) -> None:
        """The run's result is on record; only hosts it could not put back are left. The journal
        is handed over (owner pid 0 in its name and data): ``recover`` may take it at once, even
        while the process that ran the change (a chat, say) lives on. Settled hosts' snapshots
        are dropped from the file (it is rewritten whole)."""
        self.data["result_recorded"] = True
        self.data["pid"], self.data["pid_start"] = 0, None
        self._write()
        to = self.path.with_name(f"{self.run_id}.0-0.json")
        os.replace(self.path, to)
        self.path = to

    def finish(self) -> None:
        """The run ended (with its own result record): nothing is left to recover."""
        self.path.unlink(missing_ok=True)
        _unlink_lock(self.path.parent, self.run_id)

    def _append(self, rec: dict[str, Any]) -> None:
        """Append one record and fsync it, or raise OSError and leave the file as it was (a
        short write is cut off again, so no torn line is ever followed by another)."""
        line = memoryview((json.dumps(rec) + "\n").encode("utf-8"))
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            size = os.fstat(fd).st_size
            try:
                while line:  # a nearly full disk writes short before it refuses
                    line = line[os.write(fd, line):]
                os.fsync(fd)
            except BaseException:
                try:
                    os.ftruncate(fd, size)
                    os.fsync(fd)
                except OSError:
                    pass  # a torn last line reads as never written
                raise
        finally:
            os.close(fd)
        _apply(self.data, rec)

    def _write(self) -> None:
        """Replace the file with the whole journal as one header line (atomically), or raise
        OSError and leave the old one."""
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(3)}")
        data = memoryview((json.dumps(self.data) + "\n").encode("utf-8"))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            while data:  # a nearly full disk writes short before it refuses
                data = data[os.write(fd, data):]
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        os.close(fd)
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)  # the rename itself must survive a power loss (write-ahead)

    @contextmanager
    def exclusive(self, *, wait: bool = True) -> Iterator[bool]:
        """One restorer at a time (recover, the guard); yields False if busy and not ``wait``.

        The lock file is removed once the run's journal is gone, by whoever holds it then; a
        locker that finds it removed under it (another inode at the path) locks the new one."""
        lock = self.path.with_name(f".{self.run_id}.lock")
        while True:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                os.close(fd)
                fd = -1
                break
            if _same_file(fd, lock):
                break
            os.close(fd)
        if fd < 0:
            yield False
            return
        try:
            yield True
        finally:
            if not any(self.path.parent.glob(f"{self.run_id}.*.json")):
                lock.unlink(missing_ok=True)
            os.close(fd)


def _apply(data: dict[str, Any], rec: dict[str, Any]) -> bool:
    """Fold one appended step into the journal's data; False if it is not a step."""
    op, hosts = rec.get("op"), data["hosts"]
    if op == "snapshot" and isinstance(rec.get("host"), str) and isinstance(rec.get("snapshot"), str):
        hosts[rec["host"]] = {"platform": rec.get("platform"), "state": "snapshot", "snapshot": rec["snapshot"]}
    elif op == "stage" and isinstance(rec.get("host"), str) and isinstance(rec.get("state"), str) \
            and isinstance(rec.get("extra", {}), dict):
        entry = hosts.setdefault(rec["host"], {"state": rec["state"]})
        entry.update(rec.get("extra") or {})
        entry["state"] = rec["state"]
        if rec["state"] in SETTLED_STATES:
            entry.pop("snapshot", None)  # settled: the secret-bearing copy is no longer needed
    elif op == "approved":
        data.pop("awaiting_approval", None)
    elif op == "closing":
        for entry in hosts.values():
            if entry.get("state") == "verified":
                entry["state"] = "kept"
                entry.pop("snapshot", None)
        data["closing"] = True
    else:
        return False
    return True


def _unlink_lock(d: Path, run_id: str) -> None:
    """Remove a finished run's ``exclusive`` lock file, only while holding it (see :func:`sweep`)."""
    lock = d / f".{run_id}.lock"
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a restorer holds it: it removes the file when done
        if _same_file(fd, lock):
            lock.unlink(missing_ok=True)
    finally:
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _fsync_dir(d: Path) -> None:
    fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _shape_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not a run journal"
    if not isinstance(data.get("run_id"), str) or not isinstance(data.get("pid"), int):
        return "not a run journal (no run id or owner)"
    hosts = data.get("hosts")
    if not isinstance(hosts, dict):
        return "not a run journal (no hosts)"
    for name, e in hosts.items():
        if not isinstance(e, dict) or not isinstance(e.get("state"), str) \
                or not isinstance(e.get("snapshot", ""), (str, type(None))):
            return f"host {name} is not a journal entry"
        if e["state"] in _NEEDS_SNAPSHOT and not isinstance(e.get("snapshot"), str):
            return f"host {name} may be changed ({e['state']}) but its snapshot is missing"
    return None


_NEEDS_SNAPSHOT = ("snapshot", "applying", "applied", "verified", "undoing", "rollback_failed", "restore_failed")


def _hosts_in(raw: bytes) -> list[str]:
    """Host names still legible in a damaged journal (best effort, for the message only)."""
    text = raw.decode("utf-8", "replace")
    name = r'"([A-Za-z0-9][A-Za-z0-9_.:-]{0,62})"'
    found = set(re.findall(name + r': \{"(?:platform|state)"', text)) | set(re.findall(r'"host": ' + name, text))
    targets = re.search(r'"targets": \[([^\]]*)\]', text)
    if targets:
        found |= set(re.findall(name, targets.group(1)))
    return sorted(found)


def legible_hosts(path: Path) -> list[str]:
    """Host names still legible in a damaged journal file (empty if none or unreadable)."""
    try:
        return _hosts_in(Path(path).read_bytes())
    except OSError:
        return []


def _damaged_hint(path: Path, hosts: list[str]) -> str:
    which = ", ".join(hosts) if hosts else "the hosts of that run (see `netops audit list`)"
    return (f"devices may still be changed and cannot be restored from it: check {which} by hand, "
            f"then delete {path.with_name(_base(path.name) + DAMAGED_SUFFIX)}")


def _base(name: str) -> str:
    return name[: -len(DAMAGED_SUFFIX)] if name.endswith(DAMAGED_SUFFIX) else name


def _parse_name(name: str) -> tuple[str, int, int | None] | None:
    """``(run id, pid, start or None)`` of a journal file name, or None if it is not one."""
    parts = name.split(".")
    if name.startswith(".") or len(parts) != 3 or parts[2] != "json":
        return None
    pid_s, _, start_s = parts[1].partition("-")
    try:
        return parts[0], int(pid_s), (int(start_s) or None) if start_s else None
    except ValueError:
        return None


def _owner_gone(path: Path, pid: int, start: int | None) -> bool:
    if not pid_alive(pid):
        return True
    if start is not None:
        return pid_start(pid) not in (None, start)
    try:  # an old-style name: the start time is only in the file (a live PID is rare: read it)
        j = Journal.load(path)
    except (OSError, JournalError):
        return False  # reported by damaged() if it stays unreadable
    return not j.owner_alive()


def unfinished(home: Path, *, include_live: bool = False) -> list[Journal]:
    """Runs whose journal is still there and whose owner process is gone (or all with ``include_live``).
    Journals that cannot be read are not here: see :func:`damaged`."""
    d = journal_dir(home)
    out = []
    try:
        names = sorted(os.listdir(d))
    except OSError:
        return []
    for name in names:
        if _parse_name(name) is None:
            continue
        try:
            j = Journal.load(d / name)
        except (OSError, JournalError):
            continue
        if include_live or not j.owner_alive():
            out.append(j)
    return out


def damaged(home: Path) -> list[tuple[Path, JournalError]]:
    """Journals that cannot be read: whole-file damage, or quarantined ``*.damaged`` ones."""
    d = journal_dir(home)
    try:
        names = sorted(os.listdir(d))
    except OSError:
        return []
    out = []
    for name in names:
        path = d / name
        if name.endswith(DAMAGED_SUFFIX) and _parse_name(_base(name)) is not None:
            try:
                raw = path.read_bytes()
            except OSError:
                raw = b""
            out.append((path, JournalError(f"run journal {_base(name)} is unreadable (set aside earlier)",
                                           hint=_damaged_hint(path, _hosts_in(raw)))))
        elif _parse_name(name) is not None:
            try:
                Journal.load(path)
            except JournalError as exc:
                out.append((path, exc))
            except OSError:
                continue
    return out


def set_aside(path: Path) -> Path:
    """Rename a damaged journal to ``*.damaged`` (it has been reported and recorded once)."""
    to = path.with_name(_base(path.name) + DAMAGED_SUFFIX)
    if to != path:
        os.replace(path, to)
    return to


def unfinished_quick(home: Path) -> list[str]:
    """Run ids of unfinished runs whose owner is gone, mostly without reading the files (CLI
    start-up); damaged journals are listed too (under their run id)."""
    d = journal_dir(home)
    try:
        names = os.listdir(d)
    except OSError:
        return []
    out = []
    for name in names:
        if name.endswith(DAMAGED_SUFFIX) and _parse_name(_base(name)) is not None:
            out.append(name.split(".")[0])
            continue
        parsed = _parse_name(name)
        if parsed is not None and _owner_gone(d / name, parsed[1], parsed[2]):
            out.append(parsed[0])
    return sorted(out)


def describe(home: Path) -> list[str]:
    """One line per unfinished run (owner gone) and per damaged journal: which hosts are in which
    state. Reads only those files (there are none in normal operation)."""
    lines = []
    for j in unfinished(home):
        hosts = j.data["hosts"]
        parts = []
        for h in j.targets:
            st = hosts.get(h, {}).get("state")
            parts.append(f"{h} {_STATE_WORDS.get(st, st) if st else 'not started (unchanged)'}")
        lines.append(f"run {j.run_id} ({j.data.get('playbook')}, pid {j.pid} gone): " + ", ".join(parts))
    for path, exc in damaged(home):
        lines.append(f"{exc.message}; {exc.hint}")
    return lines


_STATE_WORDS = {
    "snapshot": "snapshot taken, nothing sent (unchanged)",
    "applying": "MAY BE CHANGED (stopped while the change was being sent)",
    "applied": "CHANGED (not yet verified)",
    "verified": "CHANGED (verified, but the run did not finish)",
    "undoing": "MAY BE CHANGED (stopped while being rolled back)",
    "rollback_failed": "CHANGED (the rollback failed)",
    "restore_failed": "CHANGED (the restore failed)",
    "kept": "changed and kept (the run finished)",
    "rolled_back": "rolled back",
    "restored": "restored",
    "skipped": "not changed",
    "failed": "not changed (failed before the change)",
}


GUARD_LOG_KEEP_S = 7 * 24 * 3600.0
"""A guard log of a finished run is kept this long (a guard that had nothing to do leaves none)."""
TEMP_KEEP_S = 60.0
"""A journal temp file lives microseconds; one this old was left by a crash mid-write."""


def sweep(home: Path, *, now: float | None = None) -> list[str]:
    """Remove what finished runs left in the journal directory; returns the names removed.

    * ``.<run>.lock``: only when no journal of that run is left (nor a ``.damaged`` one), and
      only while holding the lock and after checking it is still the file at that path, so a
      restorer that has it open either holds it (skipped) or finds it gone and locks anew;
    * ``.<journal>.<host>.guard.log`` of runs without a journal, older than a week;
    * temp files of an interrupted whole-journal write (they hold a snapshot) older than a minute.
    """
    import time

    d = journal_dir(home)
    now = time.time() if now is None else now
    try:
        names = os.listdir(d)
    except OSError:
        return []
    live = {n.split(".")[0] for n in names if not n.startswith(".")}
    removed = []
    for name in names:
        if not name.startswith("."):
            continue
        run_id = name[1:].split(".")[0]
        path = d / name
        try:
            age = now - path.lstat().st_mtime
        except OSError:
            continue
        if run_id in live:
            continue
        if name == f".{run_id}.lock":
            _unlink_lock(d, run_id)
            ok = not path.exists()
        elif name.endswith(".guard.log"):
            ok = age > GUARD_LOG_KEEP_S and _unlink(path)
        elif _parse_name(name[1:].rsplit(".", 1)[0]) is not None:  # .<journal name>.<hex>
            ok = age > TEMP_KEEP_S and _unlink(path)
        else:
            ok = False
        if ok:
            removed.append(name)
    return removed


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
