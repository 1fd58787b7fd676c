"""The question box: Enter sends, Shift+Enter / Ctrl+J add a line, Up/Down walk the history,
a long pasted device output stays intact."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult

from netops.tui.widgets.prompt import PromptInput

pytestmark = pytest.mark.asyncio


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def compose(self) -> ComposeResult:
        yield PromptInput(["/kb", "/plan", "/playbooks"])

    def on_prompt_input_submitted(self, event: PromptInput.Submitted) -> None:
        self.sent.append(event.text)


async def test_enter_sends_and_newline_keys_add_lines():
    app = Host()
    async with app.run_test() as pilot:
        prompt = app.query_one(PromptInput)
        prompt.focus()
        await pilot.press("a", "shift+enter", "b", "ctrl+j", "c")
        assert prompt.text == "a\nb\nc"
        await pilot.press("enter")
        assert app.sent == ["a\nb\nc"] and prompt.text == ""
        await pilot.press("enter")  # empty: nothing is sent
        assert app.sent == ["a\nb\nc"]


async def test_history_up_and_down():
    app = Host()
    async with app.run_test() as pilot:
        prompt = app.query_one(PromptInput)
        prompt.focus()
        for text in ("first", "second"):
            prompt.insert(text)
            await pilot.press("enter")
        prompt.insert("draft")
        await pilot.press("up")
        assert prompt.text == "second"
        await pilot.press("up")
        assert prompt.text == "first"
        await pilot.press("down")
        assert prompt.text == "second"
        await pilot.press("down")
        assert prompt.text == "draft", "walking past the newest entry restores the draft"


async def test_paste_of_long_device_output_is_kept_whole():
    output = "\n".join(f"Gi0/{n}  up  up  198.51.100.{n}" for n in range(200))
    app = Host()
    async with app.run_test() as pilot:
        prompt = app.query_one(PromptInput)
        prompt.focus()
        app.post_message(events.Paste(output))  # as the terminal driver delivers a paste
        await pilot.pause()
        assert prompt.text == output
        await pilot.press("enter")
        assert app.sent == [output]


async def test_slash_completion_accepts_with_tab():
    app = Host()
    async with app.run_test() as pilot:
        prompt = app.query_one(PromptInput)
        prompt.focus()
        await pilot.press("/", "p", "l", "a", "y")
        assert prompt.matches() == ["/playbooks"] and prompt.suggestion == "books"
        await pilot.press("tab")
        assert prompt.text == "/playbooks "
