"""Keys a network engineer uses in a real terminal (tmux), with the scripted model streaming."""

from __future__ import annotations

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.terminal import TmuxChat, needs_tmux, numbers, small_kb

pytestmark = needs_tmux

LONG = "\n\n".join(f"Paragraph {n} says the hold timer is kept per session." for n in range(1, 400)) + "\n\nTHE END."


def _newest(pane: str) -> int:
    return max(numbers(r"Paragraph (\d+)", pane), default=0)


def test_page_down_to_the_end_follows_the_streaming_answer_again(tmp_path):
    """While an answer streams, PageDown at its end (one press too many, or back from a PageUp)
    keeps following it, as Ctrl+End does. Before, any PageDown that found the view already at
    the end stopped the following for good: the screen stood still until the answer ended
    (seen by hand in tmux)."""
    small_kb(tmp_path)
    with ScriptedOllama([say(LONG, piece_chars=24, piece_delay=0.04)]) as srv, \
            TmuxChat(tmp_path, env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("what is the minimum BGP hold time?")
        chat.keys("Enter")
        chat.wait(lambda p: _newest(p) >= 30, timeout=60, what="the answer to stream past one screen")
        for keys in (["PageDown"], ["PageUp", "PageDown", "PageDown", "PageDown"]):
            chat.keys(*keys)
            seen = _newest(chat.pane())
            chat.wait(lambda p: "THE END." in p or _newest(p) >= seen + 20, timeout=15,
                      what=f"newer paragraphs after {keys}")
            assert "THE END." not in chat.pane(), f"after {keys} the view stood still until the answer ended"
        chat.keys("Escape")
