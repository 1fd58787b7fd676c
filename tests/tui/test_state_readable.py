"""/state shows typed state as a person reads it (trial17): '/state r1 bgp' printed the typed
JSON (60 lines for 2 peers) where the offline answer to 'bgp on r1?' gives a line a peer. The
same summary now; the JSON is '/state ... --json' away. Recorded FRR output (fake transport)."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, finished, type_and_send, wait_until
from tests.unit.agent.conftest import agent_settings, fake_transport, scripted  # noqa: F401 - fixtures

pytestmark = pytest.mark.asyncio


def _rows(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("- ")]


async def test_state_shows_the_readable_summary_and_json_on_request(agent_settings, fake_transport):
    from netops.devices.service import DeviceService
    from netops.session import Session
    from netops.tui.app import ChatApp

    devices = DeviceService(agent_settings, transport_factory=fake_transport)
    with Session(agent_settings, devices=devices, surface="chat") as session:
        app = ChatApp(agent_settings, session=session, offline=True)
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, "bgp on r1?")
            (offline,) = await wait_until(pilot, lambda: finished(app), timeout=60, what="the offline answer")
            said = _rows(offline.text)
            assert any("AS" in row for row in said), offline.text  # the peers, a line each

            await type_and_send(pilot, "/state r1 bgp")
            await wait_until(pilot, lambda: len(finished(app)) == 2, timeout=60, what="/state")
            shown = finished(app)[1].text
            assert _rows(shown) == said, shown
            assert '"neighbors"' not in shown and "```json" not in shown, shown
            assert len(shown.splitlines()) < 15, shown

            await type_and_send(pilot, "/state r1 bgp --json")
            await wait_until(pilot, lambda: len(finished(app)) == 3, timeout=60, what="/state --json")
            raw = finished(app)[2].text
            assert '"neighbors"' in raw and "```json" in raw, raw
            assert app.entries[-1].text == raw  # what /copy and /export take is what is shown
