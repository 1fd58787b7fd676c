"""What netops puts in place of a secret, ``<redacted>``, is drawn in an answer in a real terminal
(tmux), not swallowed as HTML."""

from __future__ import annotations

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

pytestmark = needs_tmux


def test_redacted_marker_and_placeholders_are_shown(tmp_path):
    """trial34: the vendor how-to quoted in an answer read "neighbor 10.20.0.1 password  neighbor
    ..." and "snmp-server community  RO": the marker vanished (Rich's Markdown drops inline HTML),
    so the document looked as if it set an empty password."""
    small_kb(tmp_path)
    answer = ("The how-to sets neighbor 10.20.0.1 password <redacted> on the peer and "
              "snmp-server community <redacted> RO.\n\n<redacted>\n\nThen run netops state <host> bgp. THE END.")
    with ScriptedOllama([say(answer)]) as srv, \
            TmuxChat(tmp_path, size=(120, 30), env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("how do I set the BGP password on the peer?")
        chat.keys("Enter")
        # the whole answer, not the first frame with its last words: under load a frame was caught
        # with the streamed tail drawn and the block before it not yet laid out (CI, stop 37)
        pane = chat.wait(lambda p: "THE END." in p and "password <redacted> on the peer" in " ".join(p.split()) and p,
                         timeout=30, what="the answer")
        flat = " ".join(pane.split())
        assert "password <redacted> on the peer" in flat, pane
        assert "community <redacted> RO" in flat, pane
        assert "netops state <host> bgp" in flat, pane
        assert flat.count("<redacted>") >= 3, pane
