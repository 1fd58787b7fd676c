"""The chat on the real FRR lab with the scripted model: a proposed change approved, denied,
and cancelled mid-change with Ctrl+C; routers changed or byte-identical, audit records there."""

from __future__ import annotations


import pytest

from netops.testing.ollama_server import ScriptedOllama, say, tool_call
from tests.tui.conftest import SIZE, finished, type_and_send, wait_until
from tests.tui.terminal import needs_tmux

pytestmark = [pytest.mark.lab, pytest.mark.asyncio]


@pytest.fixture
def lab_settings(lab_clean, lab_password_env, tmp_path, vetted_playbooks):
    books = vetted_playbooks
    return lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "playbooks_dir": books,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})


def _configs(lab) -> dict[str, str]:
    return {r.name: lab.lab.running_config(r.name) for r in lab.info.routers}


def _peer(settings) -> str:
    from netops.session import Session

    with Session(settings) as s:
        r = s.devices.get(["r1"], "bgp_neighbors")["r1"]
    assert r.ok, r.error
    return r.data.neighbors[0].peer


def _script(peer: str) -> list:
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": peer}}
    return [tool_call("get_state", hosts=["r1"], getter="bgp_neighbors"), tool_call("playbook_run", **args),
            say(f"Done with the BGP session to {peer} on r1.")]


def _audit_kinds(settings) -> list[str]:
    from netops.session import Session

    with Session(settings) as s:
        return [r.kind for r in reversed(s.audit.list(limit=None))]


async def _propose(settings, peer: str, decide):  # noqa: ANN001
    from netops.tui.app import ChatApp
    from netops.tui.screens.approval import ApprovalScreen

    with ScriptedOllama(_script(peer)) as srv:
        app = ChatApp(settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
        async with app.run_test(size=SIZE) as pilot:
            await type_and_send(pilot, f"shut the BGP session to {peer} on r1")
            modal = await wait_until(pilot, lambda: isinstance(app.screen, ApprovalScreen) and app.screen.query("#deny")
                                     and app.focused is not None and app.screen, timeout=60, what="the approval modal")
            assert modal.plan.playbook == "bgp-neighbor-shutdown" and modal.plan.hosts == ["r1"]
            assert any(f"neighbor {peer} shutdown" in c for c in modal.plan.host_plans["r1"].commands)
            assert app.focused is modal.query_one("#deny"), "nothing that approves has the focus"
            await pilot.pause(modal.APPROVE_AFTER + 0.1)  # a person reads first (earlier keys are typed ahead)
            await decide(pilot, app)
            view = (await wait_until(pilot, lambda: finished(app), timeout=90, what="the answer"))[0]
            return app, view


async def test_approve_applies_and_verifies(lab_clean, lab_settings):
    peer = _peer(lab_settings)

    async def approve(pilot, app):  # noqa: ANN001
        await pilot.press("a")

    app, view = await _propose(lab_settings, peer, approve)
    (approval,) = view.answer.approvals
    assert approval.decision == "approved" and approval.verified, approval
    assert view.progress is not None and view.progress.outcome == {"r1": "verified"}
    # the request's own words proposed the change (change_path); the model's script was not needed
    assert [c.tool for c in view.cards.values()] == ["playbook_run"] and approval.matched_by == "words"
    assert all(c.ok for c in view.cards.values())
    assert f"neighbor {peer} shutdown" in lab_clean.lab.running_config("r1")
    kinds = _audit_kinds(lab_settings)
    for kind in ("plan", "approval", "snapshot", "apply", "postcheck", "result"):
        assert kind in kinds, kinds


async def test_deny_with_escape_changes_nothing(lab_clean, lab_settings):
    before = _configs(lab_clean)
    peer = _peer(lab_settings)

    async def deny(pilot, app):  # noqa: ANN001
        await pilot.press("enter")  # the default focus is Deny: Enter must never approve
        
    app, view = await _propose(lab_settings, peer, deny)
    (approval,) = view.answer.approvals
    assert approval.decision == "denied"
    assert _configs(lab_clean) == before
    kinds = _audit_kinds(lab_settings)
    assert "denial" in kinds and "apply" not in kinds


async def test_ctrl_c_during_the_change_rolls_back(lab_clean, lab_settings):
    before = _configs(lab_clean)
    peer = _peer(lab_settings)

    async def approve_then_interrupt(pilot, app):  # noqa: ANN001
        # from the approval on, every device read takes a second: time to press Ctrl+C mid-change
        # (the plan's reads before it need no such room)
        lab_clean.lab.set_latency(1.0)
        await pilot.press("a")
        await wait_until(pilot, lambda: app.query("RunProgress") and "apply" in str(
            app.query_one("RunProgress").rows.get("r1", {})), timeout=60, what="the change applying")
        await pilot.press("ctrl+c")

    try:
        app, view = await _propose(lab_settings, peer, approve_then_interrupt)
    finally:
        lab_clean.lab.set_latency(0)
    assert view.progress.outcome.get("r1") in ("rolled_back", "cancelled"), view.progress.outcome
    assert _configs(lab_clean) == before
    kinds = _audit_kinds(lab_settings)
    assert "apply" in kinds and "rollback" in kinds, kinds


async def test_slash_commands_on_the_lab_are_policy_checked_and_audited(lab_clean, lab_settings):
    from netops.tui.app import ChatApp
    from netops.tui.widgets.sidepanel import SidePanel

    before = _configs(lab_clean)
    app = ChatApp(lab_settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_and_send(pilot, "/state r1 bgp_neighbors")
        view = (await wait_until(pilot, lambda: finished(app), timeout=60, what="/state"))[0]
        (card,) = view.cards.values()
        assert card.ok and "Established" in view.text
        assert any(e.label.startswith("r1: show bgp summary json") for e in view.answer.evidence)
        await type_and_send(pilot, "/show r1 configure terminal")
        refused = (await wait_until(pilot, lambda: len(finished(app)) == 2 and finished(app)[1], timeout=60,
                                    what="/show refused"))
        (card,) = refused.cards.values()
        assert card.ok is False
        await pilot.press("f2")
        panel = await wait_until(pilot, lambda: app.query(SidePanel) and app.query_one(SidePanel), what="panel")
        await wait_until(pilot, lambda: panel.reachable and all(v is True for v in panel.reachable.values()),
                         timeout=60, what="every lab router reachable")
        assert sorted(panel.reachable) == sorted(r.name for r in lab_clean.info.routers)
    assert _configs(lab_clean) == before
    from netops.session import Session

    with Session(lab_settings) as s:
        records = s.audit.list(limit=None)
    commands = [r.payload for r in records if r.payload.get("host") == "r1"]
    assert any(p.get("surface") == "chat" for p in commands), commands[:3]
    assert any("configure terminal" in str(p.get("command")) and p.get("refused") for p in commands), commands


@pytest.mark.parametrize("how", ["ctrl+q", "SIGTERM"])
async def test_quitting_during_a_change_rolls_back_in_sight_then_closes(lab_clean, lab_settings, how):
    """Ctrl+Q while the change is applying: the chat says it is rolling back, stays until the
    host is rolled back, then closes by itself (before, it vanished at once and the terminal
    sat blank while the rollback ran, or hung). SIGTERM (a shutdown, ``kill``) does the same
    (before, the process died where it stood: the change was left to the next start's recovery)."""
    import os
    import signal
    import threading
    import time

    from netops.cancel import forget_signals, received_signal

    from netops.tui.app import ChatApp
    from netops.tui.screens.approval import ApprovalScreen

    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    try:
        with ScriptedOllama(_script(peer)) as srv:
            app = ChatApp(lab_settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
            async with app.run_test(size=SIZE) as pilot:
                await type_and_send(pilot, f"shut the BGP session to {peer} on r1")
                modal = await wait_until(pilot, lambda: isinstance(app.screen, ApprovalScreen) and app.screen,
                                         timeout=60, what="the approval modal")
                await pilot.pause(modal.APPROVE_AFTER + 0.1)
                # from the approval on, post-checks take seconds: time to quit in the middle
                lab_clean.lab.set_latency(1.0)
                await pilot.press("a")
                await wait_until(pilot, lambda: app.query("RunProgress") and "postcheck" in str(
                    app.query_one("RunProgress").rows.get("r1", {})), timeout=60, what="the change applied")
                if how == "SIGTERM":
                    assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None), \
                        "the chat took no SIGTERM handler: the signal would end the test run"
                    forget_signals()
                    os.kill(os.getpid(), signal.SIGTERM)
                    await wait_until(pilot, lambda: app._notifications, timeout=10, what="the signal handled")
                else:
                    await pilot.press("ctrl+q")
                await pilot.pause()
                assert app.is_running, "the chat closed in the middle of the change"
                assert any("rolled back" in str(n.message) for n in app._notifications)
                await wait_until(pilot, lambda: not app.is_running, timeout=90, what="the chat to close itself")
                view = finished(app)[0]
                assert view.progress.outcome.get("r1") in ("rolled_back", "cancelled"), view.progress.outcome
                # trial35: the terminal after the chat closed said only "conversation ... kept"
                assert app.exit_note and "bgp-neighbor-shutdown on r1 was stopped as the chat closed" in \
                    app.exit_note and "rolled back" in app.exit_note, app.exit_note
            deadline = time.monotonic() + 60
            while any(t.name in ("netops-answer", "netops-chat-turn") for t in threading.enumerate()):
                assert time.monotonic() < deadline, "the change's threads never ended after quitting"
                time.sleep(0.2)
        if how == "SIGTERM":
            assert received_signal() == signal.SIGTERM  # `netops chat` exits 143
            assert signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None), "the chat kept its handler"
    finally:
        lab_clean.lab.set_latency(0)
        forget_signals()
    assert _configs(lab_clean) == before
    kinds = _audit_kinds(lab_settings)
    assert "apply" in kinds and "rollback" in kinds, kinds


@pytest.mark.parametrize("how", ["ctrl+q", "SIGTERM"])
async def test_quitting_twice_during_a_change_closes_at_once_and_the_rollback_still_finishes(lab_clean, lab_settings,
                                                                                                how):
    """review36: the second Ctrl+Q (or a second SIGTERM: ``kill`` twice, a supervisor's repeat) closes the
    chat at once, and the exit line says "netops finishes the rollback before it exits". It did not:
    the chat closed the session (SSH pool, audit log) under the rollback as it unmounted, and the turn
    ran on a daemon thread the process did not wait for. Now the session is closed, and the process
    ends, after the turn (``ChatApp.finish_background``, which ``netops chat`` calls)."""
    import os
    import signal

    from netops.cancel import forget_signals

    from netops.tui.app import ChatApp
    from netops.tui.screens.approval import ApprovalScreen

    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    try:
        with ScriptedOllama(_script(peer)) as srv:
            app = ChatApp(lab_settings.model_copy(update={"ollama_url": srv.url, "model_review": False}))
            async with app.run_test(size=SIZE) as pilot:
                await type_and_send(pilot, f"shut the BGP session to {peer} on r1")
                modal = await wait_until(pilot, lambda: isinstance(app.screen, ApprovalScreen) and app.screen,
                                         timeout=60, what="the approval modal")
                await pilot.pause(modal.APPROVE_AFTER + 0.1)
                lab_clean.lab.set_latency(1.0)  # post-checks and the rollback take seconds
                await pilot.press("a")
                await wait_until(pilot, lambda: app.query("RunProgress") and "postcheck" in str(
                    app.query_one("RunProgress").rows.get("r1", {})), timeout=60, what="the change applied")
                forget_signals()
                for _ in range(2):
                    if how == "SIGTERM":
                        os.kill(os.getpid(), signal.SIGTERM)
                    else:
                        await pilot.press("ctrl+q")
                    await pilot.pause(0.2)
                await wait_until(pilot, lambda: not app.is_running, timeout=10, what="the chat to close at once")
            assert app.exit_note and "finishes the rollback" in app.exit_note, app.exit_note
            # the rollback outlives the screen: `netops chat` returned here and the process ended under it
            assert app.still_running(), "the rollback ended before the chat closed: nothing tested"
            app.finish_background()  # what `netops chat` does now once the terminal is given back
            assert not app.still_running() and app._session._closed
    finally:
        lab_clean.lab.set_latency(0)
        forget_signals()
    assert _configs(lab_clean) == before
    kinds = _audit_kinds(lab_settings)
    assert "apply" in kinds and "rollback" in kinds, kinds


def _chat_env(lab_settings, lab_clean) -> dict[str, str]:
    """The environment a `netops chat` in tmux needs to change the lab: its home, inventory, playbooks,
    known hosts and the lab's password."""
    return {"NETOPS_HOME": str(lab_settings.home), "NETOPS_INVENTORY": str(lab_settings.inventory),
            "NETOPS_PLAYBOOKS_DIR": str(lab_settings.playbooks_dir),
            "NETOPS_KNOWN_HOSTS": str(lab_settings.paths.known_hosts),
            lab_clean.info.password_env: lab_clean.info.password.get_secret_value()}


@needs_tmux
async def test_netops_chat_killed_twice_during_a_change_waits_for_the_rollback(lab_clean, lab_settings, tmp_path):
    """review36, as a person meets it: ``kill`` twice (or Ctrl+Q twice) during a change closed the
    chat at once, said "netops finishes the rollback before it exits", and the process ended under the
    rollback (the answer's thread is a daemon): r1's neighbour stayed shut until the next start's
    recovery. Now ``netops chat`` says it waits, waits, and exits 143 with r1 as it was."""
    import signal
    import time

    from tests.tui.terminal import TmuxChat
    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    env = _chat_env(lab_settings, lab_clean)
    try:
        with ScriptedOllama(_script(peer)) as srv, \
                TmuxChat(tmp_path, env={**env, "NETOPS_OLLAMA_URL": srv.url}, keep_open=True, size=(120, 40)) as chat:
            chat.started()
            chat.type(f"shut the BGP session to {peer} on r1")
            chat.keys("Enter")
            chat.wait(lambda p: "Approve this change?" in p, timeout=60, what="the approval window")
            time.sleep(2.0)  # the window takes no key in its first moments
            lab_clean.lab.set_latency(3.0)  # post-checks and the rollback take seconds
            chat.keys("a")
            deadline = time.monotonic() + 60
            while "apply" not in _since_plan(lab_settings):  # the audit log: applied, post-checks under way
                assert time.monotonic() < deadline, chat.pane()
                time.sleep(0.2)
            chat.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            chat.send_signal(signal.SIGTERM)
            assert chat.exit_code(timeout=90) == 143, chat.pane()
            pane = chat.pane()
            assert _configs(lab_clean) == before, pane  # before: r1's neighbour left shut, the rollback cut off
            after = _since_plan(lab_settings)
            # before: the log ended at the apply or a post-check: no rollback, no result recorded
            assert "rollback" in after and after[-1] == "result", (after, pane)
            assert "waiting for the change's rollback to finish" in pane and "interrupted (SIGTERM)" in pane, pane
    finally:
        lab_clean.lab.set_latency(0)


@needs_tmux
async def test_closing_the_terminal_during_a_change_rolls_back_and_the_chat_exits(lab_clean, lab_settings, tmp_path):
    """trial37, as a person meets it: the tmux window (or the terminal emulator) closed during a change.
    The rollback ran and was recorded, but the process never ended: the hangup's SIGCONT made Textual start
    a new writer on the dead terminal, that writer died on its first write (EIO), and the chat blocked for
    ever putting the rollback's screen updates into its full queue, holding r1's lock file and its SSH
    sessions. Now the dead terminal is swapped for /dev/null on SIGHUP and the chat ends after the rollback."""
    import os
    import time

    from tests.tui.terminal import TmuxChat
    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    env = _chat_env(lab_settings, lab_clean)
    try:
        with ScriptedOllama(_script(peer)) as srv, \
                TmuxChat(tmp_path, env={**env, "NETOPS_OLLAMA_URL": srv.url}, size=(120, 40)) as chat:
            chat.started()
            chat.type(f"shut the BGP session to {peer} on r1")
            chat.keys("Enter")
            chat.wait(lambda p: "Approve this change?" in p, timeout=60, what="the approval window")
            time.sleep(2.0)  # the window takes no key in its first moments
            lab_clean.lab.set_latency(3.0)  # post-checks and the rollback take seconds, drawn as they go
            chat.keys("a")
            deadline = time.monotonic() + 60
            while "apply" not in _since_plan(lab_settings):  # the audit log: applied, post-checks under way
                assert time.monotonic() < deadline, chat.pane()
                time.sleep(0.2)
            pid = chat.pid()
            chat.close_terminal()
            deadline = time.monotonic() + 90
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
                time.sleep(0.2)
            stuck = os.path.exists(f"/proc/{pid}")
            if stuck:
                os.kill(pid, 9)  # not left behind the test run
            after = _since_plan(lab_settings)
            assert "rollback" in after and after[-1] == "result", after
            assert _configs(lab_clean) == before
            assert not stuck, "the chat still runs 90 s after its terminal closed (the rollback is recorded)"
    finally:
        lab_clean.lab.set_latency(0)


def _since_plan(settings) -> list[str]:
    """The audit record kinds after the newest plan, device commands left out."""
    from netops.session import Session

    with Session(settings) as s:
        kinds = [r.kind for r in sorted(s.audit.list(limit=None), key=lambda r: r.seq)]
    return [k for k in kinds[len(kinds) - kinds[::-1].index("plan"):] if k != "device_command"] if "plan" in kinds else []
