"""Which mode answers is known before the first question: with no model reachable the status
line says offline at start (said once, /online retries); a reachable model keeps the agent."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import FakeModel, ScriptedOllama, say
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def test_no_model_at_start_says_offline_before_any_question(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    app = ChatApp(chat_settings.model_copy(update={"ollama_url": "http://127.0.0.1:9"}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.offline, timeout=15, what="the start-up probe to find no model")
        assert app.query_one(StatusBar).mode == "offline"
        await wait_until(pilot, lambda: any("no model reachable" in m and "/online" in m
                                            for m in (str(n.message) for n in app._notifications)),
                         timeout=5, what="the notice that says why")  # a notice is posted, not set
        await type_and_send(pilot, "BGP hold timer")
        view = (await wait_until(pilot, lambda: finished(app), what="the answer"))[0]
        assert view.mode == "offline"
        assert len([m for m in (str(n.message) for n in app._notifications) if "/online" in m]) == 1


async def test_a_reachable_model_keeps_the_agent(chat_settings):
    from netops.tui.app import ChatApp

    with ScriptedOllama([say("Three seconds.")]) as srv:
        app = ChatApp(chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.model_checked, timeout=15, what="the start-up probe")
            await pilot.pause(0.2)
            assert not app.offline
            await type_and_send(pilot, "BGP hold timer")
            view = (await wait_until(pilot, lambda: finished(app), what="the answer"))[0]
            assert view.mode == "agent" and "Three seconds" in view.text


async def test_model_command_checks_the_model_at_once(chat_settings):
    """`/model NAME` for a model the server does not have is said at once, and the chat keeps
    the model it had (trial17, in tmux: a mistyped '/model nosuchmodel:1b' put the chat offline,
    and /online then tried the mistyped name again, so the working model was gone until the
    person typed its name). Before that, it showed 'agent · NAME' until a question fell back.
    A model the server has is switched to."""
    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    with ScriptedOllama([say("Three seconds.")], models=[FakeModel(), FakeModel("llama3.2:1b", "llama")]) as srv:
        app = ChatApp(chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.model_checked, timeout=15, what="the start-up probe")
            assert not app.offline
            await type_and_send(pilot, "/model no-such-model")
            await wait_until(pilot, lambda: any("no-such-model" in str(n.message) for n in app._notifications
                                                if n.severity == "warning"), timeout=15,
                             what="/model to find the model missing")
            await pilot.pause(0.2)
            assert not app.offline and app.model == "qwen2.5:7b-instruct"
            assert app.query_one(StatusBar).mode != "offline"
            assert any("still using qwen2.5:7b-instruct" in str(n.message) for n in app._notifications)
            await type_and_send(pilot, "/model llama3.2:1b")
            await pilot.pause(1.0)
            assert not app.offline and app.model == "llama3.2:1b"


async def test_a_model_server_that_shuts_down_mid_turn_is_said_and_the_chat_goes_offline(chat_settings):
    """`kill PID` of the model server while it reads the prompt (trial34 #15: ~25 s of "answering…"):
    the turn is answered offline at once, its head says offline (not "agent · MODEL"), and the
    status line and one notice say the chat is offline now and why; /online tries again."""
    import threading

    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    release = threading.Event()
    srv = ScriptedOllama()

    def shutting_down(req):
        srv.stop_listening()
        release.wait(60)
        return say("too late")

    srv.push(shutting_down)
    with srv:
        app = ChatApp(chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False,
                                                       "model_deadline": 60}))
        try:
            async with app.run_test(size=SIZE) as pilot:
                await wait_until(pilot, lambda: app.model_checked, timeout=15, what="the start-up probe")
                assert not app.offline
                await type_and_send(pilot, "BGP hold timer")
                view = (await wait_until(pilot, lambda: finished(app), timeout=30, what="the answer"))[0]
                assert not release.is_set()  # answered while the dying server still held the call
                assert view.mode == "offline" and view.answer.mode == "offline"
                assert "offline" in str(view._head.render())
                assert app.offline and app.query_one(StatusBar).mode == "offline"
                told = [str(n.message) for n in app._notifications if "/online" in str(n.message)]
                assert len(told) == 1 and f"the model server at {srv.url} stopped taking connections" in told[0]
        finally:
            release.set()


async def test_a_model_server_killed_before_a_word_with_nothing_read_answers_offline(chat_settings):
    """The server is killed before its first word on a question nothing was read for ("hello there"):
    the turn is the offline answer (no error line), and the chat falls back offline once, saying why."""
    from netops.testing.ollama_server import Reply
    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    srv = ScriptedOllama()

    def dying(req):
        srv.stop_listening()
        return Reply(hangup=True)

    srv.push(dying)
    with srv:
        app = ChatApp(chat_settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.model_checked, timeout=15, what="the start-up probe")
            assert not app.offline
            await type_and_send(pilot, "hello there")
            view = (await wait_until(pilot, lambda: finished(app), timeout=30, what="the answer"))[0]
            assert view.answer.mode == "offline" and view.answer.error is None, view.answer.text
            assert "offline" in str(view._head.render())
            assert app.offline and app.query_one(StatusBar).mode == "offline"
            told = [str(n.message) for n in app._notifications if "/online" in str(n.message)]
            assert len(told) == 1 and "the model stopped answering" in told[0]
