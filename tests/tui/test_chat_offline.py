"""Offline questions: the answer streams in with its citations; a citation opens the passage."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def test_offline_kb_question_cites_and_opens_the_passage(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.screens.evidence import EvidenceScreen
    from netops.tui.widgets.citations import CitationLink

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "what is the minimum BGP hold time")
        view = (await wait_until(pilot, lambda: finished(app), what="the answer"))[0]
        assert view.mode == "offline"
        assert "three seconds" in view.text
        links = list(view.query(CitationLink))
        assert links, "an offline spec answer lists its citations"
        assert "BGP hold timer" in links[0].evidence.label
        links[0].focus()
        await pilot.press("enter")
        screen = await wait_until(pilot, lambda: isinstance(app.screen, EvidenceScreen) and app.screen.text
                                  and app.screen, what="the evidence viewer with text")
        assert "at least three seconds" in screen.text
        await pilot.press("c")
        assert app.clipboard == screen.text
        # OSC 52 is silent where it is ignored (tmux by default): the notice says what else there is
        await wait_until(pilot, lambda: [n for n in app._notifications if "copied" in str(n.message)
                                         and "mouse" in str(n.message)], timeout=10, what="the copy notice")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, EvidenceScreen), what="viewer closed")
        assert app.conversation_id, "the exchange is stored as a conversation"


async def test_uncited_answer_says_so(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationList

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "tell me a joke about penguins")
        view = (await wait_until(pilot, lambda: finished(app), what="the answer"))[0]
        (cites,) = view.query(CitationList)
        assert not cites.evidence
        assert cites.has_class("-none")


async def test_no_model_reachable_falls_back_to_offline_once(chat_settings):
    from netops.tui.app import ChatApp

    app = ChatApp(chat_settings)  # NETOPS_OLLAMA_URL points at a closed port
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "BGP hold timer")
        view = (await wait_until(pilot, lambda: finished(app), what="the answer"))[0]
        assert view.mode == "offline"
        assert app.offline, "the next question goes offline without probing again"
        assert "three seconds" in view.text
