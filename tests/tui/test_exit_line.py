"""What the terminal shows once the chat has closed (tmux keeps the pane open to read it)."""

from __future__ import annotations

import re
import signal
import time

import pytest

from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

pytestmark = needs_tmux


def test_quitting_says_how_to_come_back_to_the_conversation(tmp_path):
    """Seen in tmux: Ctrl+D / Ctrl+Q closed the chat and left an empty terminal; nothing said
    the conversation was kept nor how to resume it. The last line names it and --continue."""
    small_kb(tmp_path)
    with TmuxChat(tmp_path, args=("--offline",), keep_open=True) as chat:
        chat.started()
        chat.type("what is the BGP hold timer minimum")
        chat.keys("Enter")
        chat.wait(lambda p: "evidence (" in p, timeout=30, what="the answer")
        cid = chat.wait(lambda p: next((w for line in p.splitlines() if "conversation " in line
                                        for w in line.split("conversation ", 1)[1].split()[:1]
                                        if len(w) >= 8), None), what="the conversation id")
        chat.keys("C-q")
        assert chat.exit_code() == 0
        pane = chat.wait(lambda p: "--continue" in p and p, timeout=10, what="the line after the chat closed")
        assert f"conversation {cid}" in pane and "netops chat --continue" in pane, pane


def test_quitting_an_empty_chat_says_nothing(tmp_path):
    with TmuxChat(tmp_path, args=("--offline",), keep_open=True) as chat:
        chat.started()
        chat.keys("C-q")
        assert chat.exit_code() == 0
        assert "--continue" not in chat.pane()


def test_a_conversation_deleted_in_the_chat_is_not_said_to_be_kept(tmp_path):
    """Review (review17): the current conversation deleted from the list (Ctrl+R, Delete twice) and
    then Ctrl+Q: the terminal still said 'conversation ID kept: netops chat --continue ... resumes it'
    of a conversation that no longer exists."""
    small_kb(tmp_path)
    with TmuxChat(tmp_path, args=("--offline",), keep_open=True) as chat:
        chat.started()
        chat.type("what is the BGP hold timer minimum")
        chat.keys("Enter")
        chat.wait(lambda p: "evidence (" in p, timeout=30, what="the answer")
        chat.keys("C-r")
        chat.wait(lambda p: re.search(r"\b[0-9a-f]{12}\s+\d{4}-\d\d-\d\d ", p), timeout=10, what="the conversation listed")
        time.sleep(0.3)
        chat.keys("Down")
        # both Deletes in one burst: a second Delete counts only within 3 s of the first (the app's
        # clock), and waiting for the first one's question on a loaded machine could pass them
        # (papercuts36; the question itself is tests/tui/test_conversations.py's)
        chat.keys("DC", "DC")
        chat.wait(lambda p: "deleted conversation" in p, timeout=30, what="the deletion")
        chat.keys("Escape")
        chat.keys("C-q")
        assert chat.exit_code(timeout=60) == 0  # the exit itself, however long a loaded machine takes
        time.sleep(0.5)
        assert " kept" not in chat.pane() and "--continue" not in chat.pane(), chat.pane()


def test_a_chat_that_crashed_exits_non_zero(tmp_path):
    """Review (review17): when the chat itself failed (an error inside the app, which Textual shows
    and leaves with return code 1), `netops chat` still exited 0, so a wrapper script saw success.
    The app's error is made to happen by a script that replaces one of its methods before the
    real CLI runs (nothing else of netops is changed)."""
    script = tmp_path / "crashing_chat.py"
    script.write_text(
        "import sys\n"
        "from netops.tui import app as tui\n"
        "def boom(self, *a, **k):\n"
        "    raise RuntimeError('a failure inside the chat (test)')\n"
        "tui.ChatApp.compose = boom\n"
        "sys.argv = ['netops', 'chat', '--offline']\n"
        "from netops.cli.main import run\n"
        "run()\n")
    with TmuxChat(tmp_path, keep_open=True, program=(str(script),)) as chat:
        code = chat.exit_code(timeout=30)
        assert code not in (None, 0), (code, chat.pane())


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_stop_signal_closes_the_chat_and_gives_the_terminal_back(tmp_path, sig, code):
    """``kill`` (SIGTERM) or SIGHUP: the process died where it stood, and the terminal was left in
    the chat's screen with the mouse captured (a shell prompt under a frozen chat). Now the chat
    closes as Ctrl+Q does, says so, and exits 128 + the signal (``kill -INT`` closed it with exit 0)."""
    small_kb(tmp_path)
    with TmuxChat(tmp_path, args=("--offline",), keep_open=True) as chat:
        chat.started()
        chat.type("what is the BGP hold timer minimum")
        chat.keys("Enter")
        chat.wait(lambda p: "evidence (" in p, timeout=30, what="the answer")
        assert chat.screen_modes() == (True, True)
        chat.send_signal(sig)
        assert chat.exit_code() == code
        pane = chat.wait(lambda p: f"interrupted ({sig.name})" in p and p, timeout=10, what="the line after")
        assert "netops chat --continue" in pane, pane  # the conversation is kept, and said to be
        assert chat.screen_modes() == (False, False)
