"""Ctrl+C in the change-approval window is a cancel, and recorded as one. It was recorded in the
audit log and the conversation as 'denied in netops chat', as if the person had chosen Deny
(seen in a user trial); `netops ask` records the same key at its prompt as a cancel. The plan is
made from recorded FRR output (nothing is applied), the audit log and history are real."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say, tool_call
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until
from tests.unit.agent.conftest import (  # noqa: F401 - fixtures
    agent_settings, devices, fake_transport, kb, make_session, rfc4271_index, scripted,
)

pytestmark = pytest.mark.asyncio

ARGS = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": "198.51.100.2"}}


@pytest.mark.parametrize("key", ["ctrl+c", "escape"])
async def test_the_approval_window_records_a_cancel_as_a_cancel(scripted, make_session, agent_settings,
                                                                vetted_playbooks, fake_transport, key):
    from netops.playbook.approval import prompt_reason
    from netops.tui.app import CHAT_PROMPT, ChatApp
    from netops.tui.screens.approval import ApprovalScreen

    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"], "show_bgp_neighbors_198_51_100_2_json":
                                    '{"198.51.100.2": {"remoteAs": 65002, "bgpState": "Established"}}'}
    scripted.push(tool_call("playbook_run", **ARGS), say("Nothing was changed."))
    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": False})
    session = make_session(settings)
    app = ChatApp(settings, session=session)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "shut the BGP session to 198.51.100.2 on r1")
        await wait_until(pilot, lambda: isinstance(app.screen, ApprovalScreen), timeout=60, what="the approval window")
        await pilot.press(key)
        view = (await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer"))[0]
        await wait_until(pilot, lambda: not app.busy, timeout=10, what="the turn to end")
    # Ctrl+C chose nothing: a cancel, in the library's words for a cancelled prompt (`ask` says
    # 'cancelled at the prompt (Ctrl-C)'); Escape is the window's Deny
    expected = {"ctrl+c": "cancelled in netops chat (Ctrl-C)", "escape": "declined in netops chat"}[key]
    assert expected == prompt_reason(None if key == "ctrl+c" else False, where=CHAT_PROMPT)
    (approval,) = view.answer.approvals
    assert approval.decision == "denied" and approval.result == expected, approval  # never approved
    (denial,) = session.audit.list(kind="denial")
    assert denial.payload["reason"] == expected and denial.payload["by"] == settings.user
    assert not session.audit.list(kind="approval")
    assert not fake_transport.configs
    # the conversation keeps it in the same words
    stored = session.conversation(view.answer.conversation_id)
    assert stored.messages[-1].meta["approvals"][0]["result"] == expected


async def test_a_cancelled_change_is_not_said_to_have_no_answer(scripted, make_session, agent_settings,
                                                                vetted_playbooks, fake_transport):
    """Seen in tmux: Ctrl+C during a change ended with its outcome ('Outcome: approved by root:
    cancelled: nothing was changed. Nothing was changed.') and under it 'Stopped before an answer
    arrived (interrupted with Ctrl+C)', which the outcome above it contradicts. A cancelled turn
    that has text to show is not said to have none."""
    from netops.tui.app import ChatApp
    from netops.tui.screens.approval import ApprovalScreen

    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"], "show_bgp_neighbors_198_51_100_2_json":
                                    '{"198.51.100.2": {"remoteAs": 65002, "bgpState": "Established"}}'}
    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": False})
    app = ChatApp(settings, session=make_session(settings))
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "shut the BGP session to 198.51.100.2 on r1")  # matched from the words
        await wait_until(pilot, lambda: isinstance(app.screen, ApprovalScreen), timeout=60, what="the approval window")
        await pilot.press("ctrl+c")
        view = (await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer"))[0]
        await wait_until(pilot, lambda: not app.busy, timeout=10, what="the turn to end")
        assert view.answer.cancelled and view.text.strip(), view.answer
        lines = " ".join(str(s.render()) for s in view.query(".answer-partial"))
        assert "before an answer arrived" not in lines, lines


async def test_an_approval_window_left_open_expires_and_says_so(scripted, make_session, agent_settings,
                                                                vetted_playbooks, fake_transport):
    """A plan left on screen held r1's change lock with no end (every other change of r1, from any
    chat or CLI, was refused meanwhile). After settings.approval_timeout the library denies it;
    the window goes and says why, and a key pressed afterwards decides nothing."""
    from netops.tui.app import ChatApp
    from netops.tui.screens.approval import ApprovalScreen

    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"], "show_bgp_neighbors_198_51_100_2_json":
                                    '{"198.51.100.2": {"remoteAs": 65002, "bgpState": "Established"}}'}
    scripted.push(tool_call("playbook_run", **ARGS), say("Nothing was changed."))
    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": False,
                                                 "approval_timeout": 1.5})
    session = make_session(settings)
    app = ChatApp(settings, session=session)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "shut the BGP session to 198.51.100.2 on r1")
        await wait_until(pilot, lambda: isinstance(app.screen, ApprovalScreen), timeout=60, what="the approval window")
        await wait_until(pilot, lambda: not isinstance(app.screen, ApprovalScreen), timeout=30,
                         what="the window to close when the plan expired")
        await wait_until(pilot, lambda: [n for n in app._notifications if "plan expired" in str(n.message)],
                         timeout=10, what="the notice saying why")
        view = (await wait_until(pilot, lambda: finished(app), timeout=60, what="the answer"))[0]
        await wait_until(pilot, lambda: not app.busy, timeout=10, what="the turn to end")
    (approval,) = view.answer.approvals
    assert approval.decision == "denied" and "no answer within 2 seconds: the plan expired" in approval.result, approval
    assert not session.audit.list(kind="approval") and not fake_transport.configs
