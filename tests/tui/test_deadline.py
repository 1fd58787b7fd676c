"""A model that trickles past the answer deadline: the chat keeps and marks the partial answer,
says why, and goes on."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio

TRICKLE = " ".join(f"word{n}" for n in range(300)) + " THE-END"


async def test_a_trickling_model_is_stopped_at_the_deadline_and_the_chat_says_so(chat_settings):
    from netops.tui.app import ChatApp

    with ScriptedOllama([say(TRICKLE, piece_chars=6, piece_delay=0.3), say("second answer")]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False,
                                                    "model_deadline": 1.5})
        app = ChatApp(settings)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "ok, say many words")  # (a reply: put to the model; model19)
            view = await wait_until(pilot, lambda: finished(app) and finished(app)[0], timeout=30,
                                    what="the answer stopped at the deadline")
            assert view.answer.partial and "1.5-second deadline" in view.answer.error
            assert "word1" in view.text and "THE-END" not in view.text
            assert view.query(".answer-partial"), "a partial answer is marked"
            notes = [(n.level, n.text) for n in view.query("Notice")]
            assert any(level == "error" and "1.5-second deadline" in text and "NETOPS_MODEL_DEADLINE" in text
                       for level, text in notes), notes
            await wait_until(pilot, lambda: not app.busy, timeout=10, what="the turn to end")
            await type_and_send(pilot, "and now?")
            await wait_until(pilot, lambda: len(finished(app)) == 2, what="the next answer")
            assert "second answer" in finished(app)[1].text
