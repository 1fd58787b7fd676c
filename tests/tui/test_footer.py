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


WIDTHS = (40, 50, 60, 70, 80, 100)
KEEP = {"Quit", "Cancel", "Help"}
"""What stays at every width: leave, stop, and where every other key is listed."""


def _footer_keys(screen):
    """The footer's keys on ``screen`` as shown: (description, region) of those displayed, and
    the palette key's left edge (the screen's width when it is not shown)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = screen.query_one(Footer)
    keys = [k for k in footer.query(FooterKey) if k.display]
    palette = [k for k in keys if k.has_class("-command-palette")]
    edge = palette[0].region.x if palette else screen.size.width
    return [(k.description, k.region) for k in keys if k not in palette], edge


@pytest.mark.asyncio
async def test_narrow_footers_leave_keys_out_whole(chat_settings):
    """At 60 and 70 columns the footer cut '^s Export' and '^o Copy' at the palette key (tmux
    showed '^r History ^s' and half a word): the lesser keys now leave it, never a part of one,
    and leave, stop and help stay down to 40 columns."""
    from tests.tui.conftest import wait_until

    from netops.tui.app import ChatApp

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=(WIDTHS[0], 24)) as pilot:
        for width in WIDTHS:
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            await wait_until(pilot, lambda: _footer_keys(app.screen)[0], what="the footer's keys")
            await pilot.pause()
            shown, edge = _footer_keys(app.screen)
            for description, region in shown:
                assert region.width and region.right <= edge, f"{description!r} is cut at {width} columns"
            names = {d for d, _ in shown}
            assert KEEP <= names, f"{KEEP - names} left the footer at {width} columns"
            if width >= 60:
                assert "History" in names, f"History left the footer at {width} columns"
            if width >= 80:
                assert NEEDED <= names, f"{NEEDED - names} left the footer at {width} columns"


@pytest.mark.asyncio
async def test_each_modal_footer_names_its_own_keys(chat_settings):
    """Under the approval window, the evidence viewer, help and the conversation list the footer
    was the chat's, offering 'esc Cancel' (Escape there denies or closes). Each now names its
    own keys, and a plan the reviewer blocked offers no approve key."""
    from types import SimpleNamespace

    from tests.tui.conftest import wait_until

    from netops.agent.evidence import spec_evidence
    from netops.tui.app import ChatApp
    from netops.tui.screens.approval import ApprovalScreen
    from netops.tui.screens.conversations import ConversationsScreen
    from netops.tui.screens.evidence import EvidenceScreen
    from netops.tui.screens.help import HelpScreen

    app = ChatApp(chat_settings, offline=True)
    blocked = SimpleNamespace(level="block")
    modals = [
        (lambda: ApprovalScreen(None, None, "set the hold timer on r1"), {"Approve", "Deny"}),
        (lambda: ApprovalScreen(None, blocked, "shut every BGP session"), {"Deny"}),
        (lambda: EvidenceScreen(spec_evidence("RFC 4271 §4.2"), lambda ev: ("Cited passage", [], "text")),
         {"Close", "Copy"}),
        (lambda: HelpScreen(app.help_markdown()), {"Close"}),
        (lambda: ConversationsScreen(app.session_or_builder()), {"Resume", "Close"}),
    ]
    async with app.run_test(size=(80, 24)) as pilot:
        for make, keys in modals:
            modal = make()
            await app.push_screen(modal)
            await wait_until(pilot, lambda: app.screen is modal and _footer_keys(modal)[0], what="the modal's footer")
            await pilot.pause()
            shown = {d for d, _ in _footer_keys(modal)[0]}
            assert shown == keys, f"{type(modal).__name__}'s footer shows {shown}, not {keys}"
            modal.dismiss(None)
            await wait_until(pilot, lambda: app.screen is not modal, what="the modal to close")
        await pilot.press("ctrl+p")  # the command palette (Textual's own screen)
        palette = await wait_until(pilot, lambda: app.screen is not app.screen_stack[0] and app.screen,
                                   what="the command palette")
        await wait_until(pilot, lambda: _footer_keys(palette)[0], what="the palette's footer")
        assert {d for d, _ in _footer_keys(palette)[0]} == {"Close"}
