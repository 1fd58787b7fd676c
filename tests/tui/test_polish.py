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


async def test_an_answer_without_evidence_says_so_once(chat_settings, tmp_path):
    """Seen in tmux: an offline answer with nothing behind it said 'No evidence: nothing from the
    knowledge base or a device backs this answer.' and, right under it, 'no evidence: this answer
    cites nothing; treat it as unverified'; the export said it twice too. The line under the
    answer says it (the library's sentence stays for netops ask)."""
    from netops.agent.prompts import NO_EVIDENCE
    from netops.tui.app import ChatApp
    from netops.tui.widgets.citations import CitationList

    app = ChatApp(chat_settings, offline=True)
    target = tmp_path / "out.md"
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "bgp on r9?")
        (view,) = await wait_until(pilot, lambda: finished(app), what="the answer")
        assert not view.answer.evidence and NO_EVIDENCE in view.answer.text, view.answer.text
        assert NO_EVIDENCE not in view.text
        (listing,) = view.query(CitationList)
        assert "no evidence" in " ".join(str(s.render()) for s in listing.query("Static"))
        await type_and_send(pilot, f"/save {target}")
        await wait_until(pilot, target.exists, what="the saved conversation")
    text = target.read_text().lower()
    assert text.count("no evidence") == 1, text
