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
            await type_and_send(pilot, "ok, say many words")  # (a reply: put to the model; model19)
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            await pilot.press("escape")
            await wait_until(pilot, lambda: view.answer is not None, what="the cancelled answer")
            assert view.answer.partial
            assert "word1" in view.text and "THE-END" not in view.text
            assert view.query(".answer-partial"), "a partial answer is marked"
            # the person stopped it: not shown as an error
            notes = [(n.level, n.text) for n in view.query("Notice")]
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
            await type_and_send(pilot, "ok, say many words")  # (a reply: put to the model; model19)
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            await pilot.press("escape")
            await wait_until(pilot, lambda: view.answer is not None and view.query(".answer-partial"),
                             what="the cancelled answer")
            marker = str(view.query_one(".answer-partial").render())
            assert "stopped" in marker and "cancelled" in marker and "cut off" not in marker, marker
            exported = to_markdown(app.entries, title="t", conversation_id=None, exported_at="now")
            assert "stopped before it finished (cancelled)" in exported and "cut off" not in exported, exported


def _said(app, view) -> list[str]:
    """Every line on screen that says the answer was cancelled: in the answer, the status line
    and the toasts."""
    import re

    from textual.widgets import Static

    parts = [str(w.render()) for w in view.query(Static)]  # the Markdown's blocks included
    parts += [str(app.query_one("StatusBar").render())] + [n.message for n in app._notifications]
    return [line for part in parts for line in part.splitlines() if re.search(r"cancel", line, re.IGNORECASE)]


@pytest.mark.parametrize("streamed", [True, False])
async def test_a_cancel_is_said_once(chat_settings, streamed):
    """Escape: the answer said it was cancelled three times, in its first line ('PARTIAL ANSWER
    (cancelled): cancelled with Escape'), in the line under it and in a warning after that
    (seen in tmux at 80x24). Once now, in the line under the answer, with how it was stopped;
    the text above it is what had arrived. Stopped before a word arrived, that line is all."""
    from netops.testing.ollama_server import Reply
    from netops.tui.app import ChatApp

    reply = say(LONG, piece_chars=8, piece_delay=0.02) if streamed else Reply(content="late", latency=30)
    with ScriptedOllama([reply]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "ok, say many words")  # (a reply: put to the model; model19)
            view = await wait_until(pilot, lambda: app.query("AnswerView") and app.query_one("AnswerView"),
                                    what="the answer")
            if streamed:
                await wait_until(pilot, lambda: "word20" in "".join(view._streamed), what="streaming")
            else:
                await wait_until(pilot, lambda: "answering" in str(app.query_one("StatusBar").render()),
                                 what="the question sent")
            await pilot.press("escape")
            await wait_until(pilot, lambda: view.answer is not None and not app.busy, timeout=15,
                             what="the cancelled answer")
            await pilot.pause()
            said = _said(app, view)
            assert len(said) == 1 and "cancelled with Escape" in said[0], said
            assert ("word1 " in view.text) == streamed and "THE-END" not in view.text, view.text


@pytest.mark.parametrize("dialog", ["help", "palette"])
async def test_the_esc_that_closes_a_dialog_does_not_also_stop_the_answer(chat_settings, dialog):
    """trial32: an answer streaming, a dialog open (help, the command palette, a citation), Esc
    pressed once more than closing it needed: the extra Esc stopped the answer. The Esc just after
    a dialog closed is taken as part of closing it (said in the status line); the next one stops
    the answer, and so does Ctrl+C at any time."""
    from netops.tui.app import ChatApp

    with ScriptedOllama([say(LONG, piece_chars=8, piece_delay=0.05)]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        app.ESC_AFTER_DIALOG = 3600.0  # "just after" without a race against a loaded machine
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "ok, say many words")
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            main = app.screen
            await pilot.press("f1" if dialog == "help" else "ctrl+p")
            await wait_until(pilot, lambda: app.screen is not main, what="the dialog")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, what="the dialog to close")
            await pilot.press("escape")  # the extra one
            await pilot.pause(0.3)
            assert view.answer is None and not app.cancel_token.cancelled, "the extra Esc stopped the answer"
            assert "again" in str(app.query_one("StatusBar").render())
            await pilot.press("escape")  # meant
            await wait_until(pilot, lambda: view.answer is not None, what="the cancelled answer")
            assert view.answer.partial and "THE-END" not in view.text


async def test_a_late_esc_after_a_dialog_stops_the_answer(chat_settings):
    """The guard is for the Esc just after a dialog closed, not for every later one."""
    from netops.tui.app import ChatApp

    with ScriptedOllama([say(LONG, piece_chars=8, piece_delay=0.05)]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        app.ESC_AFTER_DIALOG = 0.0
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "ok, say many words")
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            main = app.screen
            await pilot.press("f1")
            await wait_until(pilot, lambda: app.screen is not main, what="help")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, what="help to close")
            await pilot.press("escape")
            await wait_until(pilot, lambda: view.answer is not None, what="the cancelled answer")
            assert view.answer.partial


async def test_a_dialog_closed_with_another_key_leaves_esc_as_it_was(chat_settings):
    """Only the Esc that closed a dialog is guarded: help closed with q (or a change approved with
    a), the next Esc stops the answer at once."""
    from netops.tui.app import ChatApp

    with ScriptedOllama([say(LONG, piece_chars=8, piece_delay=0.05)]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        app.ESC_AFTER_DIALOG = 3600.0
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "ok, say many words")
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            main = app.screen
            await pilot.press("f1")
            await wait_until(pilot, lambda: app.screen is not main, what="help")
            await pilot.press("q")
            await wait_until(pilot, lambda: app.screen is main, what="help to close")
            await pilot.press("escape")
            await wait_until(pilot, lambda: view.answer is not None, what="the cancelled answer")
            assert view.answer.partial


async def test_the_esc_just_after_a_dialog_still_stops_a_change_at_once(chat_settings):
    """review33: while an approved change is being applied, help opened and closed with Esc, the
    next Esc (meant to stop the change; it is rolled back) was taken as one more press of closing
    help. Stopping a change is never put off by a key: that Esc stops it."""
    from netops.tui.app import ChatApp

    with ScriptedOllama([say(LONG, piece_chars=8, piece_delay=0.05)]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        app.ESC_AFTER_DIALOG = 3600.0
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "ok, say many words")
            view = await wait_until(pilot, lambda: app.query("AnswerView") and "word20" in "".join(
                app.query_one("AnswerView")._streamed) and app.query_one("AnswerView"), what="streaming")
            app.change_running = True  # as the app sets it when a change is approved (ChatApp._ask_approval)
            main = app.screen
            await pilot.press("f1")
            await wait_until(pilot, lambda: app.screen is not main, what="help")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, what="help to close")
            await pilot.press("escape")
            await pilot.pause(0.3)
            assert app.cancel_token is None or app.cancel_token.cancelled, "the Esc did not stop the change"
            await wait_until(pilot, lambda: view.answer is not None, what="the cancelled turn")
            assert view.answer.partial and "THE-END" not in view.text
