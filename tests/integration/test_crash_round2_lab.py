"""crash34: crashes in the middle of a change, round two (real FRR lab, real CLI, ``crash_driver``).

* netops SIGKILLed *during the rollback itself* (a postcheck failed, the restore's first line is on
  the router), then the recovery of the next start killed mid-restore too: the start after that
  must finish the restore, and say the run was stopped while being rolled back (it said "after the
  change was sent, before it was verified": as if no postcheck had failed and nothing was undone).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_crash_matrix_lab import DRAINED, CrashLab, _recovery_lines, crashlab  # noqa: F401

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
