"""A resumed conversation shows what its answers did: tool cards, approvals, the answer's
citations (the device output opens from what history kept), and the export lists them."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say, tool_call
from tests.tui.conftest import SIZE, finished, wait_until
from tests.unit.agent.conftest import (  # noqa: F401 - fixtures
    agent_settings, devices, fake_transport, kb, make_assistant, make_session, rfc4271_index, scripted,
)

pytestmark = pytest.mark.asyncio


@pytest.fixture
def stored_conversation(scripted, make_assistant, agent_settings, vetted_playbooks, fake_transport):
    """One answer made by the library: a device read, a refused change, evidence."""
    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}
    scripted.push(tool_call("show", hosts=["r1"], command="show bgp summary json"),
                  tool_call("playbook_run", playbook="router-drain", hosts=["r2"], params={}),
                  say("r1 has two peers; the drain of r2 was refused."))
    # left to the model: a condition in it (a plain "apply maintenance to r2" no vetted playbook does: refused by netops)
    answer = make_assistant(settings).ask("apply maintenance to r2 if it is safe, after checking the BGP peers of r1")
    assert answer.tool_calls and answer.approvals
    return settings, answer


async def test_resume_shows_cards_approvals_and_opens_device_evidence(stored_conversation, make_session, tmp_path):
    from netops.tui.app import ChatApp
    from netops.tui.screens.evidence import EvidenceScreen
    from netops.tui.widgets.citations import CitationLink
    from netops.tui.widgets.message import Notice
    from netops.tui.widgets.toolcard import ToolCard

    settings, answer = stored_conversation
    app = ChatApp(settings, session=make_session(settings), offline=True, conversation_id=answer.conversation_id)
    target = tmp_path / "resumed.md"
    async with app.run_test(size=SIZE) as pilot:
        (view,) = await wait_until(pilot, lambda: finished(app), what="the stored answer")
        cards = list(view.query(ToolCard))
        assert [(c.tool, c.ok) for c in cards] == [(c.tool, c.ok) for c in answer.tool_calls]
        show = next(c for c in cards if c.tool == "show")
        assert "r1" in str(show.title) and "ok" in str(show.title)
        notices = [n.text for n in view.query(Notice)]
        assert any("router-drain" in t and "blocked" in t for t in notices), notices  # "apply maintenance" is no drain

        link = next(link for link in view.query(CitationLink) if link.evidence.kind == "device")
        assert link.evidence.host == "r1"
        link.focus()
        await pilot.press("enter")
        screen = await wait_until(pilot, lambda: isinstance(app.screen, EvidenceScreen) and app.screen.text
                                  and app.screen, what="the stored device output")
        assert '"routerId":"203.0.113.1"' in screen.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, EvidenceScreen), what="viewer closed")

        app.action_export(str(target))
    text = target.read_text()
    assert "`show`" in text and "show bgp summary json" in text
    assert "router-drain on r2: **blocked**" in text
    assert "r1: show bgp summary json" in text  # the evidence line
