"""After a cancel has finished, nothing on screen says it is still going on. The 'cancelling…'
toast stayed for its full five seconds after the answer had stopped and said 'cancelled with
Escape' (seen in a user trial in tmux at 80x24)."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

pytestmark = needs_tmux

LONG = "\n\n".join(f"Paragraph {n}: the hold timer is zero or at least three seconds." for n in range(1, 300))


@pytest.mark.parametrize("key,said", [("Escape", "cancelled with Escape"), ("C-c", "interrupted with Ctrl+C")])
def test_cancelling_is_not_said_once_the_cancel_is_done(tmp_path, key, said):
    small_kb(tmp_path)
    with ScriptedOllama([say(LONG, piece_chars=24, piece_delay=0.04)]) as srv, \
            TmuxChat(tmp_path, size=(80, 24), env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("what is the minimum BGP hold time?")
        chat.keys("Enter")
        chat.wait(lambda p: "Paragraph 5:" in p, timeout=60, what="the answer to stream")
        chat.keys(key)
        chat.wait(lambda p: said in p and "stopped before it finished" in p, timeout=20, what="the cancelled answer")
        # the cancel is over: at most a moment for the screen to catch up, not the toast's 5 s
        chat.wait(lambda p: "cancelling" not in p, timeout=1.5, what="'cancelling' to go once the cancel is done")
        chat.wait(lambda p: "Esc cancels" not in p, timeout=1.5, what="the status line to say nothing runs")
