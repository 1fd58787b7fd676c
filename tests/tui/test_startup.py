"""Start-up: Settings built by a callable after the first frame (``netops chat`` does this so the
first frame does not wait for pydantic-settings)."""

from __future__ import annotations

import threading

import pytest

from netops.testing.ollama_server import FakeModel, ScriptedOllama
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def test_settings_built_after_the_first_frame(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    calls: list[str] = []
    release = threading.Event()

    with ScriptedOllama(models=[FakeModel(name="qwen-test")]) as srv:  # the start-up probe finds the model
        def build():
            calls.append(threading.current_thread().name)
            release.wait(10)
            return chat_settings.model_copy(update={"model": "qwen-test", "ollama_url": srv.url})

        app = ChatApp(build)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: calls, what="the settings worker")
            assert calls[0] != threading.main_thread().name          # not on the event loop
            assert "agent · …" in str(app.query_one(StatusBar).render())   # the frame is up, settings are not
            release.set()
            await wait_until(pilot, lambda: "qwen-test" in str(app.query_one(StatusBar).render()), what="model shown")
            await wait_until(pilot, lambda: app.model_checked, what="the start-up probe")
            assert not app.offline and "qwen-test" in str(app.query_one(StatusBar).render())
            await type_and_send(pilot, "/offline")
            await type_and_send(pilot, "BGP hold timer")
            await wait_until(pilot, lambda: finished(app), what="an answer with the built settings")
            assert app.settings.model == "qwen-test" and len(calls) == 1


async def test_settings_that_fail_end_the_app_with_the_error(chat_settings):
    from netops.errors import ConfigError
    from netops.tui.app import ChatApp

    def build():
        raise ConfigError("invalid config: ssh.connect_timeout is not a number")

    srv = ScriptedOllama(models=[FakeModel(name="qwen-test")]).start()  # the start-up probe finds the model
    chat_settings = chat_settings.model_copy(update={"ollama_url": srv.url})
    app = ChatApp(build)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.startup_error is not None, what="the error")
        await pilot.pause(0.2)
    assert isinstance(app.startup_error, ConfigError) and app.return_code == 2


@pytest.mark.parametrize("with_history", [False, True])
async def test_an_unknown_conversation_ends_the_app_with_the_error(chat_settings, with_history):
    """`netops chat --conversation ID` with an id that does not exist: one line and exit 4, as
    `ask --conversation` does, and no history database created as a side effect."""
    from netops.errors import NotFoundError
    from netops.session import Session
    from netops.tui.app import ChatApp

    if with_history:
        with Session(chat_settings) as session:
            real = session.new_conversation("a real one")
    app = ChatApp(lambda: chat_settings, conversation_id="no-such-id")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.startup_error is not None, what="the error")
        await pilot.pause(0.2)
    assert isinstance(app.startup_error, NotFoundError) and app.return_code == 4
    assert "no-such-id" in app.startup_error.message
    assert chat_settings.paths.history_db.exists() is with_history
    if with_history:  # a known id opens as before
        ok = ChatApp(lambda: chat_settings, conversation_id=real)
        async with ok.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: ok._settings_ready.is_set(), what="settings")
            await pilot.pause(0.3)
            assert ok.startup_error is None and ok.is_running


@pytest.mark.parametrize("given, expected", [(None, 120), ("30", 30)])
async def test_the_chat_draws_on_a_finer_frame_timer_unless_told_otherwise(given, expected):
    """In a fresh interpreter (Textual reads TEXTUAL_FPS once, at import)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if given is not None:
        env["TEXTUAL_FPS"] = given
    code = "import netops.tui.app, textual.constants as c, textual.screen as s; print(c.MAX_FPS, round(1 / s.UPDATE_PERIOD))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(expected), str(expected)]


async def test_a_question_sent_before_the_settings_are_built_is_answered(chat_settings):
    """The first question, typed while start-up still builds the settings (a loaded machine, a
    person who types at once), is answered. The answer's thread once took the session lock and
    waited for the settings while start-up waited for that lock to store its session: the chat
    sat at "answering..." for good (seen in tmux under CI load)."""
    from netops.tui.app import ChatApp

    release = threading.Event()

    def build():
        release.wait(10)
        return chat_settings

    app = ChatApp(build, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "BGP hold timer")
        await wait_until(pilot, lambda: app.busy, what="the question taken")
        await pilot.pause(0.3)  # the answer's thread is now waiting for the settings
        release.set()
        try:
            await wait_until(pilot, lambda: finished(app), timeout=30, what="an answer once the settings are built")
        finally:  # on failure, free a deadlocked answer thread so the app (and the run) can end
            app._settings_ready.set()
        assert not app.busy and app.startup_error is None
