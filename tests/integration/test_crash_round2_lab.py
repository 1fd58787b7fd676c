"""crash34: crashes in the middle of a change, round two (real FRR lab, real CLI, ``crash_driver``).

* r1's SSH gone mid-push (listener and sessions killed), back 10 s later: the run's rollback fails
  ("connection refused"); the router-side guard must put r1 back once it answers, by itself.
* netops SIGKILLed *during the rollback itself* (a postcheck failed, the restore's first line is on
  the router), then the recovery of the next start killed mid-restore too: the start after that
  must finish the restore, and say the run was stopped while being rolled back (it said "after the
  change was sent, before it was verified": as if no postcheck had failed and nothing was undone).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_crash_matrix_lab import DRAINED, CrashLab, _recovery_lines, crashlab  # noqa: F401
from tests.integration.test_crash_faults_lab import _paused
from tests.integration.test_crash_points_lab import _bring_ssh_back, _drop_ssh

pytestmark = [pytest.mark.lab, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]


def _driver(cl: CrashLab, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.integration.crash_driver", *argv], env=cl.env, cwd=REPO,
                          capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)


def test_killed_mid_rollback_then_its_recovery_killed_mid_restore_the_next_start_finishes(crashlab):
    cl = crashlab
    before = cl.config()
    crashed = _driver(cl, "cli", "push:2:1", "powercut", "-t", "r1", "drain-fails")  # rollback's 1st push
    assert crashed.returncode == -signal.SIGKILL, crashed.stdout + crashed.stderr
    assert cl.config() != before  # really left half-undone
    again = _driver(cl, "cmd", "push:1:1", "kill", "playbook", "recover")  # the restore's 1st push
    assert again.returncode == -signal.SIGKILL, again.stdout + again.stderr
    assert len(cl.journals()) == 1, cl.journals()
    started = cl.netops("playbook", "list")
    assert started.returncode == 0, started.stderr
    assert cl.config() == before
    assert cl.journals() == []
    lines = _recovery_lines(started.stderr)
    assert len(lines) == 1, started.stderr
    assert "drain-fails on r1 was interrupted while the change was being rolled back" in lines[0], lines[0]
    assert "rolled back to its pre-change config (verified)" in lines[0], lines[0]
    assert cl.netops("audit", "verify").returncode == 0
    assert _recovery_lines(cl.netops("playbook", "list").stderr) == []  # told once


def test_r1_unreachable_mid_push_and_back_10s_later_the_guard_puts_it_back(crashlab):
    """crash34: r1's SSH gone (listener and sessions killed) after half the push; the run's rollback
    and the guard's restore get "connection refused"; r1 answers again 10 s later. The guard gave up
    at its first try, so r1 stayed half-drained until someone ran netops; it now keeps trying (with
    backoff, for minutes) and puts r1 back by itself; the next start says so once."""
    cl = crashlab
    before = cl.config()
    child = _paused(cl, "push:1:3")  # three of the six lines are on r1
    argv = _drop_ssh(cl.lab, "r1")  # the listener and every live session
    try:
        Path(cl.env["CRASH_PAUSE_FILE"]).unlink()
        out, err = child.communicate(timeout=180)
        assert child.returncode == 1, out + err
        assert "rollback FAILED" in out + err and "connection refused" in out + err, out + err
        assert any(line in cl.config() for line in DRAINED)  # left half-drained
        time.sleep(10)  # the router is away this long (the fault), then answers again
    finally:
        if child.poll() is None:
            child.kill()
        _bring_ssh_back(cl.lab, "r1", argv)
    cl.settle_guards(timeout=120)
    assert cl.config() == before  # put back with no netops command run
    assert cl.journals() == []
    started = cl.netops("playbook", "list")
    lines = _recovery_lines(started.stderr)
    assert len(lines) == 1 and "rolled back to its pre-change config (verified)" in lines[0], started.stderr
    assert cl.netops("audit", "verify").returncode == 0
