"""Keys rebound in [chat.keys] are the keys the help screen (F1) and the welcome line name
(trial17: the footer, the status line and a partial answer followed "chat.cancel" = "ctrl+x";
F1 still said Esc stops an answer)."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, wait_until

pytestmark = pytest.mark.asyncio


def _rebound(chat_settings):
    return chat_settings.model_copy(update={"chat": chat_settings.chat.model_copy(
        update={"keys": {"chat.cancel": "ctrl+x", "chat.help": "f3", "chat.quit": "ctrl+g"}})})


@pytest.mark.parametrize("built_later", [False, True], ids=["settings", "settings-built-after-the-first-frame"])
async def test_help_and_welcome_name_the_rebound_keys(chat_settings, built_later):
    from netops.tui.app import ChatApp
    from netops.tui.screens.help import HelpScreen

    settings = _rebound(chat_settings)
    app = ChatApp((lambda: settings) if built_later else settings, offline=True)  # the CLI passes a builder
    async with app.run_test(size=SIZE) as pilot:
        welcome = app.query_one("#welcome")
        await wait_until(pilot, lambda: "F3" in str(welcome.render()), timeout=10, what="the welcome to name F3")
        assert "F1" not in str(welcome.render())
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help on F3")
        prose = app.screen.markdown.split("## Keys")[0]
        assert "**Ctrl+X** stops an answer" in prose, prose
        assert "**Ctrl+G**" in prose and "**Ctrl+Q**" not in prose, prose
        assert "**Esc** stops" not in prose, prose
        assert "**Esc** deny" in prose or "**Esc**" in prose.split("approval window")[1]  # the modal's own Esc stays


async def test_help_names_esc_when_nothing_is_rebound(chat_settings):
    from netops.tui.app import ChatApp

    app = ChatApp(chat_settings, offline=True)
    async with app.run_test(size=SIZE):
        prose = app.help_markdown().split("## Keys")[0]
        assert "**Esc** stops an answer" in prose and "**Ctrl+Q**" in prose
        assert "F1" in str(app.query_one("#welcome").render())
