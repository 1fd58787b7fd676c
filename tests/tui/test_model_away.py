"""The model goes away mid-conversation: the chat says so once and answers offline next."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import ScriptedOllama, say, tool_call
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def test_model_gone_falls_back_to_offline_and_says_so_once(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.toolcard import ToolCard

    srv = ScriptedOllama([tool_call("kb_search", query="BGP hold timer"), say("At least three seconds [1].")]).start()
    try:
        app = ChatApp(chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "minimum BGP hold time?")
            first = (await wait_until(pilot, lambda: finished(app), what="the model's answer"))[0]
            assert first.mode == "agent" and "At least three seconds" in first.text
            (card,) = first.query(ToolCard)
            assert card.ok and card.tool == "kb_search"
            assert any("BGP hold timer" in e.label for e in first.answer.evidence)
            srv.stop()
            await type_and_send(pilot, "and the OSPF dead interval?")
            second = (await wait_until(pilot, lambda: len(finished(app)) == 2 and finished(app)[1],
                                       what="the offline answer"))
            assert second.mode == "offline" and app.offline
            await type_and_send(pilot, "BGP hold timer again")
            await wait_until(pilot, lambda: len(finished(app)) == 3, what="the third answer")
            warnings = [n for n in app._notifications if "answered offline" in str(n.message)]
            assert app._told_offline and len(warnings) <= 1, "said once, not on every question"
    finally:
        srv.stop()
