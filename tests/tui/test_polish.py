"""Small things a person sees: a command's header, a listing is not an "uncited answer", the
conversations screen says why it is empty."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def test_command_result_is_headed_command_and_claims_nothing(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationList

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/playbooks")
        (view,) = await wait_until(pilot, lambda: finished(app), what="the listing")
        head = str(view.query_one(".answer-head").render())
        assert "command" in head and "offline" not in head
        assert not list(view.query(CitationList))
        await type_and_send(pilot, "BGP hold timer")
        await wait_until(pilot, lambda: len(finished(app)) == 2, what="an answer")
        assert list(finished(app)[1].query(CitationList)), "answers still list their evidence"


async def test_empty_conversation_list_says_so(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.screens.conversations import ConversationsScreen

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        screen = await wait_until(pilot, lambda: isinstance(app.screen, ConversationsScreen) and app.screen,
                                  what="the conversations screen")
        await wait_until(pilot, lambda: "No stored conversations yet" in str(screen.query_one("#conv-empty").render()),
                         what="the empty-state line")
        for ch in "zebra":
            await pilot.press(ch)
        await wait_until(pilot, lambda: "zebra" in str(screen.query_one("#conv-empty").render()),
                         what="the no-match line")
