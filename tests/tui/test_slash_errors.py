"""What a failed /show or /state says in the chat: netops's own error in words, no Python class name."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, finished, type_and_send, wait_until
from tests.unit.agent.conftest import agent_settings, fake_transport, scripted  # noqa: F401 - fixtures

pytestmark = pytest.mark.asyncio


async def test_show_of_an_unknown_host_says_what_is_wrong_in_words(agent_settings, fake_transport):
    """trial32: "/show r9 show version" said "Failed: NotFoundError: no host or group matches 'r9'"
    (a Python class before the sentence); now the sentence, a suggestion and the hint."""
    from netops.devices.service import DeviceService
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.widgets.toolcard import ToolCard

    devices = DeviceService(agent_settings, transport_factory=fake_transport)
    with Session(agent_settings, devices=devices, surface="chat") as session:
        app = ChatApp(agent_settings, session=session, offline=True)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "/show rr1 show version")
            (view,) = await wait_until(pilot, lambda: finished(app), what="the command result")
            (card,) = view.query(ToolCard)
            assert card.ok is False
            assert "no host or group matches 'rr1'; did you mean 'r1'?" in view.text, view.text
            assert "NotFoundError" not in view.text, view.text
            assert not fake_transport.sent
