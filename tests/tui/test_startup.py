"""Start-up: Settings built by a callable after the first frame (``netops chat`` does this so the
first frame does not wait for pydantic-settings)."""

from __future__ import annotations

import threading

import pytest

from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio


async def test_settings_built_after_the_first_frame(chat_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.statusbar import StatusBar

    calls: list[str] = []
    release = threading.Event()

    def build():
        calls.append(threading.current_thread().name)
        release.wait(10)
        return chat_settings.model_copy(update={"model": "qwen-test"})

    app = ChatApp(build)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: calls, what="the settings worker")
        assert calls[0] != threading.main_thread().name          # not on the event loop
        assert "agent · …" in str(app.query_one(StatusBar).render())   # the frame is up, settings are not
        release.set()
        await wait_until(pilot, lambda: "qwen-test" in str(app.query_one(StatusBar).render()), what="model shown")
        await type_and_send(pilot, "/offline")
        await type_and_send(pilot, "BGP hold timer")
        await wait_until(pilot, lambda: finished(app), what="an answer with the built settings")
        assert app.settings.model == "qwen-test" and len(calls) == 1


async def test_settings_that_fail_end_the_app_with_the_error(chat_settings):
    from netops.errors import ConfigError
    from netops.tui.app import ChatApp

    def build():
        raise ConfigError("invalid config: ssh.connect_timeout is not a number")

    app = ChatApp(build)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.startup_error is not None, what="the error")
        await pilot.pause(0.2)
    assert isinstance(app.startup_error, ConfigError) and app.return_code == 2
