"""Esc stops a slow /show or /state: the card says cancelled at once, the SSH work is abandoned
(its session closed) and the chat goes on."""

from __future__ import annotations

import time

import pytest

from netops.testing.transport import Fault
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until
from tests.unit.agent.conftest import agent_settings, fake_transport, scripted  # noqa: F401 - fixtures

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("command", ["/show r1 show bgp summary json", "/state r1 bgp_neighbors"])
async def test_escape_cancels_a_slow_device_command(agent_settings, fake_transport, command):
    from netops.devices.service import DeviceService
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.widgets.toolcard import ToolCard

    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"],
                                    "show_bgp_summary_json": Fault(sleep=60, output="{}")}
    devices = DeviceService(agent_settings, transport_factory=fake_transport)
    with Session(agent_settings, devices=devices, surface="chat") as session:
        app = ChatApp(agent_settings, session=session, offline=True)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, command)
            card = await wait_until(pilot, lambda: next(iter(app.query(ToolCard)), None), what="the card")
            await wait_until(pilot, lambda: fake_transport.sent, what="the command sent")
            await pilot.pause(0.2)
            assert card.record is None, "still running"
            start = time.monotonic()
            await pilot.press("escape")
            await wait_until(pilot, lambda: card.record is not None, timeout=5, what="the card finished")
            assert time.monotonic() - start < 3.0
            assert card.record.cancelled and "cancelled" in str(card.title) and card.has_class("-cancelled")
            (view,) = await wait_until(pilot, lambda: finished(app), what="the command result")
            assert "Cancelled" in view.text
            assert not app._slash_tokens
            # the chat goes on: the next command runs on a new session to r1
            fake_transport.outputs["r1"]["show_bgp_summary_json"] = '{"ipv4Unicast": {"peers": {}}}'
            await type_and_send(pilot, "/show r1 show bgp summary json")
            await wait_until(pilot, lambda: len(finished(app)) == 2, what="the next command")
            assert fake_transport.connects["r1"] == 2
