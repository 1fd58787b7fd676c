"""An expanded tool card shows the output as a person reads it (trial17): it showed what the model
was given, the '<data source=...>' envelope and one line of JSON. The source as a heading, JSON
indented, the device's own text as it printed it. Recorded FRR output (fake transport)."""

from __future__ import annotations

import json

import pytest

from tests.tui.conftest import SIZE, type_and_send, wait_until
from tests.unit.agent.conftest import agent_settings, fake_transport, scripted  # noqa: F401 - fixtures

pytestmark = pytest.mark.asyncio


async def test_an_expanded_card_shows_readable_output(agent_settings, fake_transport):
    from netops.devices.service import DeviceService
    from netops.session import Session
    from netops.tui.app import ChatApp
    from netops.tui.widgets.toolcard import ToolCard

    devices = DeviceService(agent_settings, transport_factory=fake_transport)
    with Session(agent_settings, devices=devices, surface="chat") as session:
        app = ChatApp(agent_settings, session=session, offline=True)
        async with app.run_test(size=SIZE) as pilot:
            commands = ["/state r1 bgp", "/show r1 show version", "/kb hold timer"]
            for n, command in enumerate(commands, 1):
                await type_and_send(pilot, command)
                await wait_until(pilot, lambda: len([c for c in app.query(ToolCard) if c.record]) == n,
                                 timeout=60, what=command)
            state, show, kb = app.query(ToolCard)
            for card in (state, show, kb):
                assert "<data" in card.record.output  # what the model reads is wrapped
                card.collapsed = False
            await pilot.pause(0.2)
            bodies = [str(card._body.render()) for card in (state, show, kb)]
            for body in bodies:
                assert "<data" not in body and "</data>" not in body, body
            # the getter's JSON indented, a key a line, and the same data as the model was given
            assert "r1: show bgp summary json" in bodies[0].splitlines()[2], bodies[0]
            assert '  "neighbors": [' in bodies[0].splitlines(), bodies[0]
            given = state.record.output.split("\n", 1)[1].rsplit("\n</data>", 1)[0]
            shown = bodies[0].split("r1: show bgp summary json; show bgp vrf all summary json\n", 1)[1]
            assert json.loads(shown) == json.loads(given)
            # the device's text as it printed it, under its source
            assert "r1: show version\nFRRouting 8.4.4 (r1)" in bodies[1], bodies[1]
            # numbered passages: the number with the source, as the answer cites it
            assert any(line.startswith("[1] RFC 4271") for line in bodies[2].splitlines()), bodies[2]
