"""Input before output: keys typed while an answer streams are shown before the next streamed
append, and nothing of the answer is lost; a resumed long conversation is drawn ahead of
time while the person is still, so scrolling back composes lines already drawn."""

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
                intervals.append(await app._input_first())
                await asyncio.sleep(0.02)
            await wait_until(pilot, lambda: view.answer is not None, what="the end of the answer")
            assert view.answer.text.startswith(WORDS) and not view.answer.partial
            assert "".join(view._streamed) == WORDS, "every streamed token was appended, in order"
            assert view.text == view.answer.text, "and the screen shows the final answer"
            assert prompt.text == typed, "every key typed during the stream is in the prompt"
            assert intervals and set(intervals) == {app_module.TYPING_INTERVAL}, \
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


def _long_conversation(settings, exchanges: int) -> str:
    from netops.store.history import History

    body = ("The hold time is zero or at least three seconds (RFC 4271 §4.2).\n\n"
            "- keepalive: a third of it\n\n```\nneighbor 192.0.2.2 timers 3 9\n```\n")
    with History(settings.paths.history_db) as h:
        cid = h.new_conversation("a long conversation")
        for n in range(exchanges):
            h.append(cid, "user", f"question {n}")
            h.append(cid, "assistant", f"Answer {n}. " + body,
                     {"mode": "offline", "citations": ["RFC 4271 §4.2 (OPEN Message Format)"]})
    return cid


async def _markdown_draws_on_page_up(app, pilot, pages: int) -> int:
    """How many times Rich Markdown is drawn while scrolling up ``pages`` pages."""
    from rich.markdown import Markdown

    drawn = [0]
    original = Markdown.__rich_console__

    def counting(self, console, options):  # noqa: ANN001, ANN202
        drawn[0] += 1
        return original(self, console, options)

    scroller = app.conversation
    page = scroller.scrollable_content_region.height
    Markdown.__rich_console__ = counting  # type: ignore[method-assign]
    try:
        for _ in range(pages):
            scroller.scroll_relative(y=-page, animate=False, immediate=True)
            await pilot.pause()
            await pilot.pause()
    finally:
        Markdown.__rich_console__ = original  # type: ignore[method-assign]
    return drawn[0]


async def test_a_resumed_conversation_is_drawn_ahead_of_scrolling(chat_settings):
    from netops.tui.app import ChatApp

    cid = _long_conversation(chat_settings, 40)
    # control: with the warm-up switched off, scrolling back draws Markdown on demand
    cold = ChatApp(chat_settings, offline=True, conversation_id=cid)
    cold._warm_scrollback = lambda: None  # type: ignore[method-assign]
    async with cold.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(finished(cold)) == 40, what="the resumed conversation")
        cold.conversation.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert await _markdown_draws_on_page_up(cold, pilot, 5) > 0

    app = ChatApp(chat_settings, offline=True, conversation_id=cid)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(finished(app)) == 40, what="the resumed conversation")
        app.conversation.scroll_end(animate=False, immediate=True)
        await wait_until(pilot, lambda: any(w.group == "warm" for w in app.workers), what="the warm-up to start")
        await wait_until(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "warm"),
                         timeout=60, what="the warm-up to finish")
        assert await _markdown_draws_on_page_up(app, pilot, 5) == 0, "scrolling back drew nothing new"


async def test_the_warm_up_waits_while_the_person_scrolls(chat_settings):
    from netops.tui import app as app_module
    from netops.tui.app import ChatApp

    cid = _long_conversation(chat_settings, 40)
    app = ChatApp(chat_settings, offline=True, conversation_id=cid)
    drawn = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(finished(app)) == 40, what="the resumed conversation")
        scroller = app.conversation
        scroller.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        # the first ten exchanges are hundreds of lines above a view that stays at the bottom
        far = [w for w in scroller.walk_children(with_self=False) if not w.children][:60]
        for widget in far:
            original = widget.render_lines
            widget.render_lines = (lambda crop, _o=original, _w=widget: (drawn.append(_w), _o(crop))[1])
        loop = asyncio.get_running_loop()
        end = loop.time() + app_module.WARM_QUIET * 3
        step = 1
        while loop.time() < end:  # keep the view moving at the bottom: the warm-up must not draw
            step = -step
            scroller.scroll_relative(y=step, animate=False, immediate=True)
            await asyncio.sleep(0.02)
        assert not drawn, "nothing off-screen was drawn while the view moved"
        await wait_until(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "warm"),
                         timeout=60, what="the warm-up to finish once still")
        assert set(drawn) == set(w for w in far if w.size.width and w.size.height), \
            "once the view was still, every off-screen message was drawn"
