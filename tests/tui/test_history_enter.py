"""Ctrl+R then Enter resumes the highlighted conversation, as the list's own key line says
('Enter resume'). The search box has the focus when the list opens, and there Enter only moved
the focus to the table: nothing happened on screen, and what was typed next (the next question)
went to the table and was lost (seen in a user trial in tmux at 80x24)."""

from __future__ import annotations

import re

from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

pytestmark = needs_tmux


def test_enter_in_the_conversation_list_resumes_the_highlighted_one(tmp_path):
    small_kb(tmp_path)
    with TmuxChat(tmp_path, size=(80, 24), args=("--offline",)) as chat:
        chat.started()
        chat.type("what is the BGP hold timer minimum")
        chat.keys("Enter")
        cid = chat.wait(lambda p: re.search(r"conversation ([0-9a-f]{12})", p), timeout=60, what="a stored answer")[1]
        chat.wait(lambda p: "three seconds" in p, timeout=30, what="the answer")
        chat.keys("C-n")
        chat.wait(lambda p: "new conversation" in p.splitlines()[0], what="a new conversation")
        chat.keys("C-r")
        chat.wait(lambda p: cid in p and "Enter resume" in p, what="the conversation list")
        chat.keys("Enter")
        chat.wait(lambda p: f"conversation {cid}" in p.splitlines()[0] and "Enter resume" not in p,
                  timeout=10, what="Enter to resume it")
        chat.wait(lambda p: "three seconds" in p, what="its answer back on screen")
