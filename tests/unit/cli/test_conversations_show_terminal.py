"""`netops conversations show` at a terminal renders an answer as `netops ask` did; piped, it is
the stored text exactly (on a real pseudo-terminal, as a person reads it)."""

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from netops.store.history import History

REPO = Path(__file__).resolve().parents[3]
ANSWER = "## Hold time\n\nThe Hold Time **MUST** be either zero or at least three seconds [1].\n\n- one\n- two"


def _stored(home: Path) -> str:
    home.mkdir(parents=True, exist_ok=True)
    with History(home / "history.sqlite") as h:
        cid = h.new_conversation("hold time?")
        h.append(cid, "user", "hold time?")
        h.append(cid, "assistant", ANSWER)
    return cid


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NETOPS_HOME": str(home), "TERM": "xterm", "COLUMNS": "100"}


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> str:
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "netops", *argv], env=env, stdin=slave, stdout=slave,
                            stderr=slave, close_fds=True)
    os.close(slave)
    buf, deadline = b"", time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                buf += chunk
            elif proc.poll() is not None:
                break
        assert proc.wait(30) == 0, buf.decode(errors="replace")
    finally:
        os.close(master)
    return buf.decode(errors="replace")


def test_at_a_terminal_the_answer_is_rendered(tmp_path):
    cid = _stored(tmp_path / "home")
    shown = _on_a_terminal(["conversations", "show", cid], _env(tmp_path / "home"))
    assert "Hold Time" in shown and "at least three seconds [1]" in shown
    assert "**MUST**" not in shown and "## Hold time" not in shown and "- one" not in shown, shown
    assert "hold time?" in shown  # the person's own words as typed


def test_piped_the_stored_text_comes_back_exactly(tmp_path):
    cid = _stored(tmp_path / "home")
    out = subprocess.run([sys.executable, "-m", "netops", "conversations", "show", cid], env=_env(tmp_path / "home"),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert ANSWER in out.stdout
