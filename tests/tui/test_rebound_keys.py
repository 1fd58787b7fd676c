"""Keys rebound in [chat.keys] (the README's own example), in a real terminal (tmux)."""

from __future__ import annotations

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

pytestmark = needs_tmux

LONG = "\n\n".join(f"Paragraph {n} says the hold timer is kept per session." for n in range(1, 400)) + "\n\nTHE END."


def test_the_readme_cancel_key_stops_a_streaming_answer(tmp_path):
    """README: [chat.keys] "chat.cancel" = "ctrl+x". Seen in tmux: with it, Ctrl+X did nothing
    (the question box took it as Cut) and Esc no longer cancelled either, so only Ctrl+C stopped
    an answer; the status line still said 'Esc cancels' and the footer named no cancel key. A key
    the person binds in [chat.keys] is the chat's, not the box's; the status line names it."""
    small_kb(tmp_path)
    config = tmp_path / "xdg" / "netops"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[chat.keys]\n"chat.cancel" = "ctrl+x"\n')
    with ScriptedOllama([say(LONG, piece_chars=24, piece_delay=0.04)]) as srv, \
            TmuxChat(tmp_path, env={"NETOPS_OLLAMA_URL": srv.url, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}) as chat:
        chat.started()
        chat.type("what is the minimum BGP hold time?")
        chat.keys("Enter")
        pane = chat.wait(lambda p: "Paragraph 5 " in p and p, timeout=60, what="the answer to stream")
        assert "^x Cancel" in pane.splitlines()[-1], pane  # the footer names the key
        assert "Esc cancels" not in pane.splitlines()[0], pane
        chat.keys("C-x")
        pane = chat.wait(lambda p: "PARTIAL ANSWER" in p and p, timeout=15, what="Ctrl+X to stop the answer")
        assert "cancelled with Ctrl+X" in pane, pane  # not "with Escape"
        assert "THE END." not in pane
