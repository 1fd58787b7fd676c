"""Ctrl+Z suspends the chat to the shell and `fg` brings it back, in a real terminal (tmux)
under an interactive shell with job control."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

from tests.tui.terminal import REPO, TmuxChat, needs_tmux

pytestmark = needs_tmux


def test_ctrl_z_suspends_to_the_shell_and_fg_resumes(tmp_path):
    """chat19 trial: Ctrl+Z in the chat did nothing (the question box took it as undo); the
    person then typed `fg` as they would after a suspend, and it was sent as a question."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("NETOPS_", "XDG_"))}
    env.update(PYTHONPATH=str(REPO), HOME=str(tmp_path), NETOPS_KB__EMBEDDER="none", LANG="C.UTF-8",
               TERM="xterm-256color", PS1="SHELL-READY$ ")
    chat = TmuxChat.__new__(TmuxChat)  # the helpers (pane, keys, wait) over a shell's session
    chat.name, chat.status = f"netops-t-{uuid.uuid4().hex[:8]}", tmp_path / "unused"
    subprocess.run(["tmux", "new-session", "-d", "-s", chat.name, "-x", "100", "-y", "30",
                    "env", "-i", *(f"{k}={v}" for k, v in env.items()), "PATH=" + os.environ["PATH"],
                    "bash", "--norc", "--noprofile", "-i"], check=True)
    with chat:
        chat.wait(lambda p: "SHELL-READY$" in p, timeout=10, what="the shell")
        chat.type(f"{sys.executable} -m netops chat --offline")
        chat.keys("Enter")
        chat.started()
        chat.keys("C-z")
        pane = chat.wait(lambda p: "Stopped" in p and p.rstrip().endswith("SHELL-READY$") and p, timeout=10,
                         what="the shell after Ctrl+Z")
        assert "netops chat ·" not in pane.splitlines()[0] or "Stopped" in pane, pane
        chat.type("fg")
        chat.keys("Enter")
        time.sleep(0.5)
        chat.wait(lambda p: "netops chat" in p.splitlines()[0], timeout=10, what="the chat back after fg")
        chat.type("/help")
        chat.keys("Enter")
        chat.wait(lambda p: "Keys" in p or "keys" in p, timeout=10, what="the chat answering keys after fg")
        assert "you  fg" not in chat.pane()


def test_ctrl_z_with_no_shell_to_resume_it_does_not_stop_the_chat(tmp_path):
    """trial34: the chat started as a pane's own command (tmux new 'netops chat', sh -c, a
    terminal's -e option) has no shell with job control above it: Ctrl+Z stopped it and nothing
    could bring it back (the pane froze, keys went nowhere). There it says so and keeps running."""
    with TmuxChat(tmp_path, args=("--offline",), size=(100, 30)) as chat:  # env -i sh -c '...'
        chat.started()
        chat.keys("C-z")
        pane = chat.wait(lambda p: "not suspended" in p and p, timeout=10, what="the notice")
        assert "fg" in pane, pane
        chat.type("still here")
        chat.wait(lambda p: "still here" in p, timeout=10, what="the chat taking keys after Ctrl+Z")
        chat.keys("C-q")
        assert chat.exit_code() == 0
