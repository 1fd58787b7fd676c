"""Run an install scenario's subprocesses in the background while the rest of the suite runs.

The install tests spend minutes in ``pip`` and ``python -m build`` (one core, mostly unpacking
wheels) and seconds asserting. ``tests/conftest.py`` moves them to the end of the session and
starts each job here as soon as collection is over, so that work overlaps everything else; the
test then waits for its job and asserts on what it recorded. A job is only a sequence of
subprocesses: nothing in it asserts, and nothing in the suite depends on it.

Run on its own (``pytest tests/install``), a test starts its job itself and waits, as before.
The same jobs build the real model's knowledge base (``real_home`` in tests/model_real/conftest.py)
while the lab tests run; that fixture fails, as before, if its ``netops kb init`` did.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


NICE = ["nice", "-n", "19"] if shutil.which("nice") else []
"""Every process a job starts (and what it starts) runs at niceness 19: the tests it overlaps
keep the CPU whenever they want it (a crash cell times a restore, a chat test a keystroke), and
the job takes the rest, which is plenty (the tests wait on routers and subprocesses much of the
time). At the tests' own priority they shared two cores with pip unpacking torch for the
clean-clone scenario: in a CI run the tests of its first ~250 s (adversary_blind2, crash_lab, the
first crash-matrix cells) ran ~1.8x as long as alone, and the same file's later tests at their
solo speed. The thread itself is not niced: it holds the GIL now and then, and a starved holder
would stall the tests."""


@dataclass
class Step:
    """One subprocess the job ran: its result and how long it took."""

    name: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float


class Skip(Exception):
    """The job cannot run on this machine; the test skips with this reason."""


@dataclass
class Job:
    """A named background job: ``body(job)`` runs subprocesses through :meth:`run`."""

    name: str
    body: Callable[[Job], Any]
    steps: dict[str, Step] = field(default_factory=dict)
    value: Any = None
    skip: str | None = None
    error: BaseException | None = None
    _thread: threading.Thread | None = None
    _procs: list[subprocess.Popen] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cancelled: bool = False
    _tmp: Any = None  # pytest's TempPathFactory: the job's directories live (and are cleaned up) with the session's

    def mkdir(self, name: str) -> Path:
        """A new directory under the session's base temporary directory."""
        return self._tmp.mktemp(name)

    def start(self, tmp_path_factory: Any) -> Job:
        with self._lock:
            if self._thread is None:
                self._tmp = tmp_path_factory
                self._thread = threading.Thread(target=self._main, name=f"install-{self.name}", daemon=True)
                self._thread.start()
        return self

    def _main(self) -> None:
        try:
            self.value = self.body(self)
        except Skip as e:
            self.skip = str(e)
        except BaseException as e:  # reported by the test that waits for it
            self.error = e

    def run(self, name: str, argv: list[str], *, timeout: float, **kw: Any) -> Step:
        """Run ``argv`` to completion in its own process group, at the lowest CPU priority (see
        :data:`NICE`); record and return the step."""
        if self._cancelled:
            raise RuntimeError("the test session ended before this job finished")
        started = time.monotonic()
        proc = subprocess.Popen([*NICE, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL, start_new_session=True, **kw)
        with self._lock:
            self._procs.append(proc)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            out, err = proc.communicate()
            err += f"\n[killed after {timeout:.0f}s]"
        finally:
            with self._lock:
                self._procs.remove(proc)
        step = Step(name, proc.returncode, out, err, time.monotonic() - started)
        self.steps[name] = step
        return step

    def wait(self, tmp_path_factory: Any, timeout: float) -> Job:
        """Start the job if nobody has, and wait for it (raises if it is still running)."""
        self.start(tmp_path_factory)
        assert self._thread is not None
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"background job {self.name!r} still running after {timeout:.0f}s")
        return self

    def finish(self) -> None:
        """The session is over: stop whatever the job still runs.

        Its directories stay where pytest keeps every test's (a venv with torch takes minutes to
        delete on this kind of disk; pytest removes old base directories itself)."""
        with self._lock:
            self._cancelled = True
            procs = list(self._procs)
        for proc in procs:
            _kill(proc)
        if self._thread is not None:
            self._thread.join(30)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


JOBS: dict[str, Job] = {}


def job(name: str, body: Callable[[Job], Any]) -> Job:
    """The session's one job called ``name`` (made on first use, not started)."""
    if name not in JOBS:
        JOBS[name] = Job(name, body)
    return JOBS[name]
