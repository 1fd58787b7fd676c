"""Escape stops a streaming answer and keeps the partial text; the chat goes on."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio

LONG = " ".join(f"word{n}" for n in range(400)) + " THE-END"


async def test_escape_keeps_the_partial_answer(chat_settings):
    from netops.tui.app import ChatApp

    with ScriptedOllama([say(LONG, piece_chars=8, piece_delay=0.02), say("second answer")]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "say many words")
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            await pilot.press("escape")
            await wait_until(pilot, lambda: view.answer is not None, what="the cancelled answer")
            assert view.answer.partial
            assert "word1" in view.text and "THE-END" not in view.text
            assert view.query(".answer-partial"), "a partial answer is marked"
            # the person stopped it: said as a warning, not shown as an error
            notes = [(n.level, n.text) for n in view.query("Notice")]
            assert any(level == "warning" and "cancelled" in text for level, text in notes), notes
            assert not [t for level, t in notes if level == "error"], notes
            # the turn's clean-up runs just after the answer is shown
            await wait_until(pilot, lambda: not app.busy and app.cancel_token is None, timeout=10, what="the turn to end")
            await type_and_send(pilot, "and now?")
            await wait_until(pilot, lambda: len(finished(app)) == 2, what="the next answer")
            assert "second answer" in finished(app)[1].text


async def test_a_cancelled_answer_is_marked_stopped_not_cut_off(chat_settings):
    """The line under an answer the person stopped said 'the answer was cut off before it
    finished' (and the export 'it was cut off'), as for a stream that broke, right under the
    answer's own 'PARTIAL ANSWER (cancelled): cancelled with Escape' (seen by hand in tmux)."""
    from netops.tui.app import ChatApp
    from netops.tui.export import to_markdown

    with ScriptedOllama([say(LONG, piece_chars=8, piece_delay=0.02)]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "say many words")
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            await pilot.press("escape")
            await wait_until(pilot, lambda: view.answer is not None and view.query(".answer-partial"),
                             what="the cancelled answer")
            marker = str(view.query_one(".answer-partial").render())
            assert "stopped" in marker and "cancelled" in marker and "cut off" not in marker, marker
            exported = to_markdown(app.entries, title="t", conversation_id=None, exported_at="now")
            assert "stopped before it finished (cancelled)" in exported and "cut off" not in exported, exported
