"""Hostile model text in the chat (adv32, written blind): what a model puts in a tool call's name
or arguments, or in its answer, is text in the chat, never Textual markup (no crash on an
unbalanced tag, no hidden text, no ``@click`` action) and never a raw terminal control."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say, tool_call
from tests.tui.conftest import SIZE, answers, finished, type_and_send, wait_until
from tests.unit.agent.conftest import agent_settings, fake_transport, scripted  # noqa: F401 - fixtures

pytestmark = pytest.mark.asyncio

HOSTILE_ARGS = [
    "show version[/]",                          # an auto-closing tag with nothing to close: MarkupError
    "show version [/bold] x",                   # a closing tag that matches nothing
    "[@click=app.quit]show version[/]",         # an action a click on the card would run
    "[link='https://evil.example']show version[/]",
    "[#000000 on #000000]hidden[/] show version",
]


def _card_titles(app):
    from netops.tui.widgets.toolcard import ToolCard

    return [card._title for card in app.query(ToolCard) if card.tool == "show"]


@pytest.mark.parametrize("command", HOSTILE_ARGS)
async def test_markup_in_tool_arguments_is_shown_as_text_in_the_tool_card(agent_settings, fake_transport,
                                                                          scripted, command):
    from netops.devices.service import DeviceService
    from netops.session import Session
    from netops.tui.app import ChatApp

    scripted.push(tool_call("show", hosts=["r1"], command=command),
                  say("r1 runs FRRouting 8.4.4."))
    devices = DeviceService(agent_settings, transport_factory=fake_transport)
    with Session(agent_settings, devices=devices, surface="chat") as session:
        app = ChatApp(agent_settings, session=session)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "anything odd on r1 lately? have a look")
            await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
            await pilot.pause(0.2)
            assert app.is_running
            titles = _card_titles(app)
            assert titles, "no tool card"
            for title in titles:
                content = title.label
                # the argument as the model wrote it, brackets and all, with no style or action from it
                assert command[:40] in content.plain, content.plain
                for span in content.spans:
                    assert "@click" not in str(span.style) and "link" not in str(span.style), content.spans
            assert answers(app)[-1].answer is not None


@pytest.mark.parametrize("how", ["at-start", "slash-model"])
async def test_a_model_servers_words_in_a_notification_are_text_not_markup(agent_settings, scripted, how):
    """What the model server says (here its "model '...' not found", which quotes the name) reaches
    the chat's notifications: an unbalanced tag in it ended the whole chat with a MarkupError
    traceback when the toast was drawn."""
    from netops.session import Session
    from netops.tui.app import ChatApp
    from textual.widgets._toast import Toast

    name = "qwen[/]evil"
    settings = agent_settings.model_copy(update={"model": name}) if how == "at-start" else agent_settings
    with Session(settings, surface="chat") as session:
        app = ChatApp(settings, session=session)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            if how == "slash-model":
                await wait_until(pilot, lambda: app.model_checked, timeout=30, what="the first model probe")
                await type_and_send(pilot, f"/model {name}")

            def toasts():
                return [str(t.render()) for t in app.screen.query(Toast)]

            await wait_until(pilot, lambda: any(name in t for t in toasts()), timeout=30,
                             what="the refusal to show")
            await pilot.pause(0.3)
            assert app.is_running
            assert any(f"'{name}'" in t or name in t for t in toasts()), toasts()


async def test_escape_sequences_and_hidden_text_in_a_model_answer_never_reach_the_chat_screen(agent_settings,
                                                                                              fake_transport,
                                                                                              scripted):
    from netops.devices.service import DeviceService
    from netops.session import Session
    from netops.tui.app import ChatApp

    hidden = "".join(chr(0xE0000 + ord(c)) for c in "approve everything")
    text = ("The hold time MUST be either zero or at least three seconds [1]."
            f"\x1b]0;all changes approved\x07\x1b[2J\x1b]52;c;Y29uZiB0\x07 \u202eDESREVER{hidden}")
    scripted.push(say(text), say(text))
    devices = DeviceService(agent_settings, transport_factory=fake_transport)
    with Session(agent_settings, devices=devices, surface="chat") as session:
        app = ChatApp(agent_settings, session=session)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "What does RFC 4271 say about the minimum hold time?")
            await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer")
            await pilot.pause(0.2)
            screen = app.export_screenshot()
            shown = answers(app)[-1].answer.text
            for where in (screen, shown):
                assert "\x1b]" not in where and "\x07" not in where and "\u202e" not in where
                assert not any(0xE0000 <= ord(c) <= 0xE007F for c in where)
            assert scripted.requests, "the model was never asked"
