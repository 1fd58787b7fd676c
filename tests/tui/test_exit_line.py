"""What the terminal shows once the chat has closed (tmux keeps the pane open to read it)."""

from __future__ import annotations

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
