"""Enter typed straight after a search in the conversation list resumes what the search found,
not what the list showed before the search's answer came in (the search runs in a thread; the
review found Enter resumed the previous list's highlighted row). The search is slowed here, as
it is on a busy machine with many conversations; what it returns is the real store's."""

from __future__ import annotations

import time

import pytest

from tests.tui.conftest import SIZE, finished, wait_until
from tests.tui.test_conversations import _one_exchange

pytestmark = pytest.mark.asyncio


async def test_enter_right_after_a_search_resumes_what_it_found(chat_settings, monkeypatch):
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.screens.conversations import ConversationsScreen

    zebra = await _one_exchange(chat_settings, "OSPF dead interval, asked by a zebra")
    await _one_exchange(chat_settings, "BGP hold timer")  # the newest: highlighted first
    real = Session.conversations

    def slow(self, *a, **kw):  # noqa: ANN001
        if kw.get("query"):
            time.sleep(0.6)
        return real(self, *a, **kw)

    monkeypatch.setattr(Session, "conversations", slow)
    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConversationsScreen) and len(app.screen.rows) == 2,
                         what="both conversations listed")
        for ch in "zebra":
            await pilot.press(ch)
        await pilot.press("enter")  # before the slowed search has answered
        await wait_until(pilot, lambda: not isinstance(app.screen, ConversationsScreen), what="the list closing")
        await wait_until(pilot, lambda: finished(app), what="the resumed conversation")
        assert app.conversation_id == zebra
