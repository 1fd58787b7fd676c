"""The side panel (F2) at 80x24 in a real terminal: it covered the right half of the status line
(the conversation id and what runs were under it) and said 'lexical-only; embedder none
(lexical-only)' (seen in a user trial)."""

from __future__ import annotations

import re

from tests.tui.terminal import TmuxChat, needs_tmux

pytestmark = needs_tmux


def test_the_side_panel_leaves_the_status_line_whole(tmp_path):
    with TmuxChat(tmp_path, size=(80, 24), args=("--offline",)) as chat:
        chat.started()
        status = chat.pane().splitlines()[0].rstrip()
        assert status.endswith("new conversation"), status
        chat.keys("F2")
        pane = chat.wait(lambda p: "Knowledge index" in p and re.search(r"\d+ documents", p) and p,
                         what="the side panel and its index line")
        assert pane.splitlines()[0].rstrip() == status, pane
        assert pane.count("lexical-only") == 1, pane
