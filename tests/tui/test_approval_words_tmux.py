"""The approval modal in a real terminal, keys typed as a tired person types them (trial35): "yes do
it" typed into the modal approved the change on its "y" and the rest of the words ("esoit") went into
the question box, where Enter sent them as a question. A word decides nothing now, and nothing of it
reaches the box; the letter on its own still decides."""

from __future__ import annotations

import time

from tests.tui.terminal import TmuxChat, needs_tmux

_MODAL = """
import sys
from netops.settings import load_settings
from netops.tui.screens.approval import ApprovalScreen
from netops.tui.widgets.prompt import PromptInput
from tests.tui.demo import DemoChat, plan

OUT = sys.argv[1]

class Shown(DemoChat):
    async def on_mount(self):
        await super().on_mount()
        self.push_screen(ApprovalScreen(*plan()), self.decided)

    def decided(self, approved):
        def write():
            with open(OUT, "a") as f:
                f.write(f"{approved} box={self.query_one(PromptInput).text!r}\\n")
        self.set_timer(1.5, write)  # what reached the box after the decision, too

Shown(load_settings()).run()
"""


@needs_tmux
def test_yes_do_it_typed_into_the_modal_decides_nothing_and_leaks_nothing(tmp_path):
    script, out = tmp_path / "modal.py", tmp_path / "decided.txt"
    script.write_text(_MODAL)
    with TmuxChat(tmp_path, size=(110, 40), env={"NETOPS_HOME": str(tmp_path / "home")},
                  program=(str(script), str(out))) as chat:
        chat.wait(lambda p: "Approve (a)" in p, what="the approval modal")
        time.sleep(1.5)  # the person reads the plan (past the opening's quiet time)
        chat.type("yes do it")
        chat.keys("Enter")
        chat.wait(lambda p: "nothing decided" in p, what="the modal saying the words decided nothing")
        # still open (its own footer; a toast can cover the buttons) and nothing decided
        assert "a/y Approve" in chat.pane() and not out.exists(), out.read_text() if out.exists() else ""
        time.sleep(1.5)
        chat.keys("y")  # the letter on its own approves
        chat.wait(lambda p: out.exists() and "box=" in out.read_text(), what="the decision")
    assert out.read_text().strip() == "True box=''", out.read_text()
