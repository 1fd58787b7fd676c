"""The background embedder can be stopped with `kill`: it inherited a signal mask blocking SIGTERM,
SIGINT and SIGHUP from the worker thread that starts it (seen on this machine: three embedders of a
bench's throw-away homes ignored `kill PID` for minutes; /proc showed SIGTERM pending and blocked)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no POSIX signal masks here")


def _start_from_a_blocking_thread(code: str) -> subprocess.Popen:
    """Start ``code`` as netops starts the embedder: from a thread that blocks those signals."""
    box: list[subprocess.Popen] = []

    def worker() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
        box.append(subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                                    env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True))

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    proc = box[0]
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _ends_on_sigterm(proc: subprocess.Popen, wait: float) -> bool:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=wait)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


def test_the_embedder_takes_sigterm_though_started_from_a_thread_that_blocks_it():
    proc = _start_from_a_blocking_thread(
        "from netops.rag.background import take_signals; take_signals(); import time; "
        "print('ready', flush=True); time.sleep(60)")
    assert _ends_on_sigterm(proc, 10), "SIGTERM did not end the background embedder"
    assert proc.returncode == -signal.SIGTERM


def test_without_it_the_inherited_mask_keeps_sigterm_out():
    """The control: the same child without take_signals() ignores SIGTERM (what was seen)."""
    proc = _start_from_a_blocking_thread("import time; print('ready', flush=True); time.sleep(60)")
    assert not _ends_on_sigterm(proc, 1.5)
