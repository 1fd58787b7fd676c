"""The chat shows and exports no secret a person pastes: the question on screen, the export
file and the stored conversation carry the redacted text; a question about passwords stays."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, finished, type_and_send, wait_until

pytestmark = pytest.mark.asyncio

PASTE = ("BGP hold timer with this config?\nhostname r1\nenable secret 0 EnaBle5ecret\n"
         "snmp-server community Comm5ecret RO\nrouter bgp 65001\n neighbor 10.0.0.2 password BgpPa55word")
SECRETS = ("EnaBle5ecret", "Comm5ecret", "BgpPa55word")


async def test_a_pasted_config_is_neither_shown_nor_exported(chat_settings, tmp_path):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.message import UserMessage

    app = ChatApp(chat_settings, offline=True)
    target = tmp_path / "out.md"
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, PASTE)
        await wait_until(pilot, lambda: finished(app), what="the answer")
        await type_and_send(pilot, "what is the password recovery procedure?")
        await wait_until(pilot, lambda: len(finished(app)) == 2, what="the second answer")
        shown = [str(m.text) for m in app.query(UserMessage)]
        await type_and_send(pilot, f"/export {target}")
        await wait_until(pilot, target.exists, what="the export file")
    assert len(shown) == 2 and "hostname r1" in shown[0]
    assert not [s for s in SECRETS if s in "\n".join(shown)]
    assert shown[1] == "what is the password recovery procedure?"
    text = target.read_text()
    assert "hostname r1" in text and "what is the password recovery procedure?" in text
    assert not [s for s in SECRETS if s in text]
