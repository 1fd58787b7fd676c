"""A cited passage reads as written at 80x24. RFC text is wrapped at 72 columns; the viewer's
text box was about 62 wide there, so every line of a passage broke in two ('...mechanism to' /
'determine if' / '...Instead, KEEPALIVE messages are' / 'exchanged'), seen in a user trial."""

from __future__ import annotations

import time

from netops.rag.kb import KnowledgeBase
from netops.settings import load_settings
from tests.tui.terminal import TmuxChat, needs_tmux

pytestmark = needs_tmux

LINES = [  # 72 columns at most, as an RFC is written
    "   BGP does not use any TCP-based, keep-alive mechanism to determine if",
    "   peers are reachable.  Instead, KEEPALIVE messages are exchanged",
    "   between peers often enough not to cause the Hold Timer to expire.  A",
    "   reasonable maximum time between KEEPALIVE messages would be one third",
]


def test_a_passage_wrapped_at_72_columns_is_not_broken_again(tmp_path):
    assert max(len(line) for line in LINES) <= 72
    docs = tmp_path / "docs"
    docs.mkdir()
    # a plain-text document is shown as laid out (a Markdown one is reflowed: tests/tui/test_reflow.py)
    (docs / "keepalive.txt").write_text("KEEPALIVE Message Format\n\n" + "\n".join(LINES) + "\n")
    settings = load_settings()
    settings = settings.model_copy(update={"kb": settings.kb.model_copy(update={"embedder": "none"})})
    with KnowledgeBase(settings) as kb:
        kb.add([docs / "keepalive.txt"])
    with TmuxChat(tmp_path, size=(80, 24), args=("--offline",)) as chat:
        chat.started()
        chat.type("how often are KEEPALIVE messages exchanged between peers")
        chat.keys("Enter")
        chat.wait(lambda p: "evidence (" in p and "…" not in p.splitlines()[0], timeout=60,
                  what="a cited answer, the turn over")
        for _ in range(8):  # back through the citations to a KEEPALIVE passage (this one or RFC 4271's)
            chat.keys("BTab")
            chat.keys("Enter")
            try:
                pane = chat.wait(lambda p: "Esc close" in p and "Cited passage" in p and "looking it up" not in p
                                 and p, timeout=8, what="the viewer")
            except AssertionError:  # Shift+Tab landed on no citation (the answer was still being laid
                continue            # out, seen 1 run in 4): the next one goes on to one
            if "Cited passage: " in pane and "keepalive" in pane.split("Cited passage: ")[1].split("\n")[0]:
                break
            chat.keys("Escape")
            chat.wait(lambda p: "Esc close" not in p, what="the viewer to close")
            time.sleep(0.5)  # the focus goes back to the citation after the frame without the viewer
        else:
            raise AssertionError("no KEEPALIVE passage among the citations:\n" + pane)
        for line in LINES:
            assert any(line.strip() in row for row in pane.splitlines()), f"{line.strip()!r} broken:\n{pane}"
