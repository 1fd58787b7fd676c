"""Input before output: keys typed while an answer streams are shown before the next streamed
append, and nothing of the answer is lost."""

from __future__ import annotations

import asyncio

import pytest

from netops.testing.ollama_server import ScriptedOllama, say
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio

WORDS = " ".join(f"token{n}" for n in range(300)) + " THE-END"


async def test_typing_while_streaming_loses_neither_keys_nor_tokens(chat_settings):
    from textual import events

    from netops.tui import app as app_module
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    with ScriptedOllama([say(WORDS, piece_chars=6, piece_delay=0.01)]) as srv:
        settings = chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False})
        app = ChatApp(settings)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "what is the BGP hold time?")
            view = await wait_until(pilot, lambda: app.query("AnswerView") and app.query_one("AnswerView")._streamed
                                    and app.query_one("AnswerView"), what="streaming")
            prompt = app.query_one(PromptInput)
            typed = ""
            intervals = []
            while view.answer is None and len(typed) < 40:
                app.post_message(events.Key("k", "k"))
                typed += "k"
                await wait_until(pilot, lambda: prompt.text == typed, timeout=10, what="the key in the prompt")
                interval = await app._input_first()
                since_key = asyncio.get_running_loop().time() - app._key_at
                intervals.append((interval, since_key))
                await asyncio.sleep(0.02)
            await wait_until(pilot, lambda: view.answer is not None, what="the end of the answer")
            # (no sentence of it is backed by the passages, so the passages lead the final text)
            assert WORDS in view.answer.text and not view.answer.partial
            assert "".join(view._streamed) == WORDS, "every streamed token was appended, in order"
            assert view.text == view.answer.text, "and the screen shows the final answer"
            assert prompt.text == typed, "every key typed during the stream is in the prompt"
            # (a loaded machine can take longer than TYPING_WINDOW between a key and the call: those
            # samples say nothing either way)
            typing = [i for i, since in intervals if since < app_module.TYPING_WINDOW]
            assert typing and set(typing) == {app_module.TYPING_INTERVAL}, \
                "while the person types, appends are gathered over the longer interval"
            assert app._key_drawn.is_set(), "the frame with the last key was drawn"
            await asyncio.sleep(app_module.TYPING_WINDOW + 0.05)
            assert await app._input_first() == app_module.STREAM_INTERVAL, "and back to the short one once still"


async def test_an_append_waits_for_the_frame_that_shows_the_key(chat_settings):
    """Between a key and its frame, ``_input_first`` holds; it returns once the frame is drawn
    (and never waits longer than KEY_HOLD even if no frame comes)."""
    from textual import events

    from netops.tui import app as app_module
    from netops.tui.app import ChatApp
    from netops.tui.widgets.prompt import PromptInput

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.query_one(PromptInput)
        await pilot.pause()
        loop = asyncio.get_running_loop()
        await app.on_event(events.Key("z", "z"))  # the app sees the key (the prompt gets it next)
        assert not app._key_drawn.is_set(), "from the key until its frame, appends hold"
        started = loop.time()
        waiter = asyncio.ensure_future(app._input_first())
        await wait_until(pilot, lambda: waiter.done(), timeout=5, what="the append to go on")
        assert loop.time() - started < app_module.KEY_HOLD * 0.75, "released by the key's frame, not the time-out"
        assert prompt.text == "z", "the key was in the prompt before the append went on"
        assert app._key_drawn.is_set()
        # no frame ever comes: the hold gives up after KEY_HOLD and the stream goes on
        app._key_drawn.clear()
        started = loop.time()
        await app._input_first()
        assert app_module.KEY_HOLD * 0.9 <= loop.time() - started < app_module.KEY_HOLD + 1.0
        assert app._key_drawn.is_set()
