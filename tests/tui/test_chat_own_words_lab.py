"""The chat on the real FRR lab: a change the model proposes for a read question never opens the
approval modal (a person there might press yes); the answer says how to ask for it, and r1's
configuration is unchanged."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import ScriptedOllama, say, tool_call
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until
from tests.tui.test_chat_lab import _configs, _peer, lab_settings  # noqa: F401

pytestmark = [pytest.mark.lab, pytest.mark.asyncio]


async def test_a_read_question_never_opens_the_approval_modal(lab_clean, lab_settings):  # noqa: F811
    from netops.tui.app import ChatApp
    from netops.tui.screens.approval import ApprovalScreen

    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": peer}}
    script = [tool_call("get_state", hosts=["r1"], getter="bgp_neighbors"), tool_call("playbook_run", **args),
              say(f"Shut down the BGP session to {peer} on r1 as approved.")]
    modals = []

    def done():
        if isinstance(app.screen, ApprovalScreen):
            modals.append(app.screen)
            app.screen.dismiss(True)  # a person who would say yes to anything
        return finished(app)

    with ScriptedOllama(script) as srv:
        app = ChatApp(lab_settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, f"is the BGP session to {peer} on r1 up?")
            view = (await wait_until(pilot, done, timeout=90, what="the answer"))[0]
    assert not modals
    (a,) = view.answer.approvals
    assert (a.decision, a.by) == ("blocked", "intent")
    assert f'To make this change, ask for it: "shut down BGP neighbor {peer} on r1"' in view.answer.text
    assert _configs(lab_clean) == before
