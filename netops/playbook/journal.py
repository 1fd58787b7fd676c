"""Write-ahead journal of playbook runs: what a crashed netops left half-done, and how to undo it.

Before the first configuration line goes to a host, the runner writes that host's *full*
running config (unredacted: a restore must put secrets back byte for byte) to a journal file in
``<home>/journal/`` (directory 0700, files 0600, written atomically). Each stage is recorded
(``snapshot`` -> ``applying`` -> ``applied`` -> a final state); when the run ends the file is
removed. A file whose owner process is gone is an *unfinished run*: ``netops playbook recover``
(or the router-side guard, :mod:`netops.playbook.guard`) restores each host from it.

File names are ``<run id>.<owner pid>.json`` so the check every CLI command makes at start
(:func:`unfinished_quick`) is one ``listdir`` and a ``kill(pid, 0)`` per file.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

FINAL_STATES = ("verified", "rolled_back", "rollback_failed", "failed", "skipped", "restored", "restore_failed")


def journal_dir(home: Path) -> Path:
    return Path(home) / "journal"


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
              settings: dict[str, Any] | None = None) -> "Journal":
        d = journal_dir(home)
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(d, 0o700)
        run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        j = cls(d / f"{run_id}.{os.getpid()}.json", {
            "run_id": run_id, "playbook": playbook, "hash": hash, "actor": actor, "plan_seq": plan_seq,
            "pid": os.getpid(), "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "settings": settings or {}, "hosts": {}})
        j._write()
        return j

    @classmethod
    def load(cls, path: Path) -> "Journal":
        return cls(Path(path), json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def run_id(self) -> str:
        return str(self.data["run_id"])

    @property
    def pid(self) -> int:
        return int(self.data.get("pid") or 0)

    def host(self, name: str) -> dict[str, Any]:
        return self.data["hosts"].get(name, {})

    def snapshot(self, host: str, platform: str, text: str) -> None:
        """Write-ahead: the full pre-change config, on disk before anything is sent."""
        self.data["hosts"][host] = {"platform": platform, "state": "snapshot", "snapshot": text}
        self._write()

    def stage(self, host: str, state: str, **extra: Any) -> None:
        entry = self.data["hosts"].setdefault(host, {"state": state})
        entry["state"] = state
        entry.update(extra)
        if state in ("verified", "rolled_back", "restored"):
            entry.pop("snapshot", None)  # settled: the secret-bearing copy is no longer needed
        self._write()

    def pending_hosts(self) -> list[str]:
        """Hosts that may be changed and are not in a final state (these need a restore)."""
        return [h for h, e in self.data["hosts"].items()
                if e.get("state") not in FINAL_STATES and e.get("snapshot") is not None]

    def finish(self) -> None:
        """The run ended (with its own result record): nothing is left to recover."""
        self.path.unlink(missing_ok=True)

    def _write(self) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(3)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, json.dumps(self.data).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)

    @contextmanager
    def exclusive(self, *, wait: bool = True) -> Iterator[bool]:
        """One restorer at a time (recover, the guard); yields False if busy and not ``wait``."""
        lock = self.path.with_name(f".{self.run_id}.lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)


def unfinished(home: Path, *, include_live: bool = False) -> list[Journal]:
    """Runs whose journal is still there and whose owner process is gone (or all with ``include_live``)."""
    d = journal_dir(home)
    out = []
    try:
        names = sorted(os.listdir(d))
    except OSError:
        return []
    for name in names:
        if not name.endswith(".json") or name.startswith("."):
            continue
        try:
            j = Journal.load(d / name)
        except (OSError, ValueError):
            continue
        if include_live or not pid_alive(j.pid):
            out.append(j)
    return out


def unfinished_quick(home: Path) -> list[str]:
    """Names of unfinished runs whose owner is gone, without reading the files (CLI start-up)."""
    try:
        names = os.listdir(journal_dir(home))
    except OSError:
        return []
    out = []
    for name in names:
        parts = name.split(".")
        if name.startswith(".") or len(parts) != 3 or parts[2] != "json":
            continue
        try:
            pid = int(parts[1])
        except ValueError:
            continue
        if not pid_alive(pid):
            out.append(parts[0])
    return sorted(out)
