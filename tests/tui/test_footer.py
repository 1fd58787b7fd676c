"""The footer in a real terminal (tmux): every binding it offers is there whole at the sizes
people run it in. At 80 columns '^s Export' was cut to '^s Expo' and '^o Copy' fell off the
edge (seen in a user trial)."""

from __future__ import annotations

import re

import pytest

from tests.tui.terminal import TmuxChat, needs_tmux

pytestmark = needs_tmux

NEEDED = {"Quit", "Cancel", "Help", "New", "History", "Export", "Copy"}
"""What a person needs to find without F1: leave, stop, help, and what to do with a conversation."""


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_every_footer_binding_is_whole_on_screen(tmp_path, size):
    from netops.tui.app import ChatApp

    offered = [b.description for b in ChatApp.BINDINGS if b.show]
    assert NEEDED <= set(offered), f"a needed key left the footer: {NEEDED - set(offered)}"
    with TmuxChat(tmp_path, size=size, args=("--offline",)) as chat:
        chat.started()
        footer = chat.wait(lambda p: "palette" in p.rstrip("\n").splitlines()[-1] and p.rstrip("\n").splitlines()[-1],
                           what="the footer")
        for description in offered:
            # a key, a space, the whole word (cut words ended in the column line or the edge)
            assert re.search(rf"\S+ {description}(\s|$)", footer), f"{description!r} is not whole in {footer!r}"
        assert re.search(r"\^p palette\s*$", footer), footer
