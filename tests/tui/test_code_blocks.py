"""Code blocks in an answer, in a real terminal (tmux): a line longer than the screen is
wrapped, never cut at the right edge."""

from __future__ import annotations

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

pytestmark = needs_tmux

COMMAND = ("netops playbook run interface-description --target r1 --param interface=eth-r2 "
           "--param description=uplink --dry-run-ENDS-HERE")


def test_a_long_line_in_a_code_block_is_wrapped_not_cut(tmp_path):
    """Seen in tmux at 120 columns: the command an offline change answer tells you to run was cut
    at '--dry-' with no wrap and no scroll bar (Textual's code fence scrolls sideways with its
    scroll bar hidden), so what you read was not what you would run."""
    small_kb(tmp_path)
    answer = f"Run it yourself:\n\n```\n{COMMAND}\n```\n\nTHE END."
    with ScriptedOllama([say(answer)]) as srv, \
            TmuxChat(tmp_path, size=(80, 30), env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("hello, is everything fine?")
        chat.keys("Enter")
        pane = chat.wait(lambda p: "THE END." in p and p, timeout=30, what="the answer")
        assert "dry-run-ENDS-HERE" in pane, pane
        shown = "".join(line.strip() for line in pane.splitlines() if "netops playbook" in line or
                        "description=" in line or "ENDS-HERE" in line)
        assert shown.replace(" ", "") == COMMAND.replace(" ", ""), pane
