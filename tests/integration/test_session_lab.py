"""The Session on the real FRR lab: every device command from ``ask``, ``show`` and ``state`` is
in the audit log (sent or refused); every agent-proposed change is audited like ``playbook run``
(approved, denied, blocked by the reviewer, refused for lack of a terminal); cancelling at each
stage of an agent-driven change leaves every router byte-identical to its snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.agent import events as E
from netops.cancel import CancelToken
from netops.testing.ollama_server import ScriptedOllama, say, tool_call

pytestmark = [pytest.mark.lab, pytest.mark.timeout(300)]
REPO = Path(__file__).resolve().parents[2]


def _three_hosts(books: Path) -> None:
    y = books / "interface-description" / "playbook.yaml"
    y.write_text(y.read_text().replace("max_hosts: 1", "max_hosts: 3"))


@pytest.fixture
def lab_settings(lab_clean, lab_password_env, tmp_path, vetted_playbooks_template):
    """A private vetted copy of the playbooks; interface-description may take three hosts."""
    from tests.conftest import vetted_copy

    books = vetted_copy(vetted_playbooks_template, tmp_path / "playbooks", edit=_three_hosts)
    return lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "playbooks_dir": books, "model_review": False,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})


def _configs(lab) -> dict[str, str]:
    return {r.name: lab.lab.running_config(r.name) for r in lab.info.routers}


def _peer(settings) -> str:
    from netops.devices.service import DeviceService

    with DeviceService(settings) as svc:
        r = svc.get(["r1"], "bgp_neighbors")["r1"]
    assert r.ok, r.error
    return r.data.neighbors[0].peer


def _ask(settings, script, question, *, respond=None, cancel_when=None):
    """Run one question through a Session; ``respond(req)`` answers approval requests,
    ``cancel_when(event)`` returning True cancels. Returns (answer, events, audit records)."""
    from netops.session import Session

    token = CancelToken()
    seen = []
    with ScriptedOllama(script) as srv, \
            Session(settings.model_copy(update={"ollama_url": srv.url}), actor="alice", surface="ask") as session:
        for ev in session.assistant().events(question, cancel=token):
            seen.append(ev)
            if cancel_when is not None and cancel_when(ev):
                token.cancel("cancelled by the test")
            elif isinstance(ev, E.ApprovalRequestEvent) and respond is not None:
                respond(ev)
        records = session.audit.list(limit=None)
        assert session.audit.verify().ok
    return seen[-1].answer, seen, records


def _kinds(records) -> list[str]:
    return [r.kind for r in records]


def test_ask_approved_change_is_audited_like_playbook_run(lab_clean, lab_settings):
    peer = _peer(lab_settings)
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": peer}}
    answer, events, records = _ask(lab_settings, [tool_call("playbook_run", **args), say("done")],
                                   f"shut the BGP session to {peer} on r1",
                                   respond=lambda req: req.respond(True, by="alice", reason="change 42"))
    (approval,) = answer.approvals
    assert approval.decision == "approved" and approval.verified and approval.by == "alice"
    assert f"neighbor {peer} shutdown" in lab_clean.lab.running_config("r1")
    kinds = _kinds(records)
    for kind in ("plan", "approval", "precheck", "snapshot", "apply", "postcheck", "result"):
        assert kind in kinds, kind
    assert kinds.index("plan") < kinds.index("approval") < kinds.index("apply") < kinds.index("postcheck")
    ok = next(r for r in records if r.kind == "approval")
    assert ok.actor == "alice" and ok.payload["by"] == "alice" and ok.payload["reason"] == "change 42"
    sent = [r for r in records if r.kind == "device_command"]
    assert sent and all(r.payload["surface"] == "ask" and r.payload["host"] == "r1" for r in sent)
    assert any(r.payload["kind"] == "config" for r in sent)              # the applied lines themselves
    assert all(len(r.payload["output_sha256"]) == 64 for r in sent)
    stages = [(e.host, e.stage) for e in events if isinstance(e, E.RunProgressEvent)]
    assert stages == [("r1", s) for s in ("precheck", "snapshot", "apply", "postcheck", "verified")]


def test_ask_denied_change_is_audited_and_changes_nothing(lab_clean, lab_settings):
    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": peer}}
    answer, _, records = _ask(lab_settings, [tool_call("playbook_run", **args), say("refused")],
                              f"shut the BGP session to {peer} on r1",
                              respond=lambda req: req.respond(False, by="alice", reason="not in a window"))
    assert answer.approvals[0].decision == "denied" and answer.exit_code == 5
    denial = next(r for r in records if r.kind == "denial")
    assert denial.payload["by"] == "alice" and denial.payload["reason"] == "not in a window"
    assert "apply" not in _kinds(records) and _configs(lab_clean) == before


def test_ask_change_blocked_by_the_reviewer_is_audited(lab_clean, lab_settings):
    before = _configs(lab_clean)
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": "198.51.100.254"}}
    asked = []
    answer, events, records = _ask(lab_settings, [tool_call("playbook_run", **args), say("blocked")],
                                   "shut the BGP session to 198.51.100.254 on r1", respond=asked.append)
    assert not asked and not any(isinstance(e, E.ApprovalRequestEvent) for e in events)
    assert answer.approvals[0].decision == "blocked"
    denial = next(r for r in records if r.kind == "denial")
    assert denial.payload["by"] == "reviewer" and denial.payload["decision"] == "blocked"
    assert "plan" in _kinds(records) and _configs(lab_clean) == before


def test_ask_cli_without_a_terminal_refuses_and_records_why(lab_clean, lab_settings, monkeypatch, capsys):
    from netops.cli.main import main
    from netops.store.audit import AuditLog

    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": peer}}
    home = lab_settings.home
    with ScriptedOllama([tool_call("playbook_run", **args), say("refused")]) as srv:
        for key, value in {"NETOPS_HOME": str(home), "NETOPS_OLLAMA_URL": srv.url,
                           "NETOPS_INVENTORY": str(lab_settings.inventory),
                           "NETOPS_KNOWN_HOSTS": str(lab_settings.known_hosts),
                           "NETOPS_PLAYBOOKS_DIR": str(lab_settings.playbooks_dir),
                           "NETOPS_MODEL_REVIEW": "false", "NETOPS_KB__EMBEDDER": "none"}.items():
            monkeypatch.setenv(key, value)
        code = main(["ask", f"shut the BGP session to {peer} on r1"])
    out, err = capsys.readouterr()
    assert code == 5, err
    assert "proposed change: bgp-neighbor-shutdown" in err and "change denied" in err
    assert err.index("proposed change") < err.index("change denied")
    with AuditLog(lab_settings.paths.audit_db) as audit:
        denial = audit.list(kind="denial")[-1]
        assert "no terminal" in denial.payload["reason"]
        assert audit.list(kind="device_command")[-1].payload["surface"] == "ask"
        assert audit.verify().ok
    assert _configs(lab_clean) == before


@pytest.fixture
def cli_env(lab, monkeypatch):
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.settings.inventory))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.settings.known_hosts))
    return lab


def _audit_list(capsys, *extra):
    from netops.cli.main import main

    assert main(["audit", "list", "--json", "--limit", "1000", *extra]) == 0
    return json.loads(capsys.readouterr().out)["records"]


def test_show_and_state_appear_in_the_audit_log(cli_env, capsys):
    from netops.cli.main import main

    assert main(["show", "r1,r2", "show version"]) == 0
    capsys.readouterr()
    assert main(["state", "r3", "bgp", "--json"]) == 0
    capsys.readouterr()
    records = [r["payload"] for r in _audit_list(capsys, "--kind", "device_command")]
    shows = [r for r in records if r["surface"] == "show"]
    assert sorted(r["host"] for r in shows) == ["r1", "r2"]
    assert all(r["command"] == "show version" and r["ok"] and not r["refused"] for r in shows)
    states = [r for r in records if r["surface"] == "state"]
    assert states and {r["host"] for r in states} == {"r3"} and all("bgp" in r["command"] for r in states)
    assert all(len(r["output_sha256"]) == 64 for r in records)
    assert main(["audit", "verify"]) == 0


def test_ask_offline_device_question_is_audited(cli_env, capsys, small_defaults):
    from netops.cli.main import main

    assert main(["ask", "--offline", "bgp neighbours on r2"]) == 0
    capsys.readouterr()
    records = [r["payload"] for r in _audit_list(capsys, "--kind", "device_command")]
    assert records and all(r["surface"] == "ask" and r["host"] == "r2" for r in records)


# -- cancel at each stage of an agent-driven change -------------------------------------------

def _at(kind, host=None, stage=None):
    def when(ev):
        if kind == "run_progress":
            return isinstance(ev, E.RunProgressEvent) and (ev.host, ev.stage) == (host, stage)
        return ev.kind == kind
    return when


@pytest.mark.parametrize("when", [
    _at("plan"), _at("approval_request"),
    _at("run_progress", "r1", "precheck"), _at("run_progress", "r1", "snapshot"),
    _at("run_progress", "r1", "apply"), _at("run_progress", "r1", "postcheck"),
    _at("run_progress", "r1", "verified"), _at("run_progress", "r2", "postcheck"),
], ids=["plan", "approval-request", "precheck", "snapshot", "apply", "postcheck", "after-first-host",
        "second-host-postcheck"])
def test_cancel_at_each_stage_leaves_every_router_byte_identical(lab_clean, lab_settings, when):
    before = _configs(lab_clean)
    args = {"playbook": "interface-description", "hosts": ["r1", "r2"],
            "params": {"interface": "lo", "description": "cancel test"}}
    answer, events, records = _ask(lab_settings, [tool_call("playbook_run", **args), say("never reached")],
                                   "set the description of lo on r1 and r2 to 'cancel test'",
                                   respond=lambda req: req.respond(True, by="alice"), cancel_when=when)
    assert _configs(lab_clean) == before
    assert answer.cancelled and answer.exit_code == 130
    assert not any(isinstance(e, E.TokenEvent) and "never reached" in e.text for e in events)
    rollbacks = [r.payload for r in records if r.kind == "rollback"]
    applied = {r.payload["host"] for r in records if r.kind == "apply"}
    assert {r["host"] for r in rollbacks} == applied
    assert all(r["ok"] and r["verified_equal_to_snapshot"] for r in rollbacks)
    if applied:
        assert any(r.kind == "cancel" and r.payload["reason"] == "cancelled by the test" for r in records)
        assert answer.approvals[0].result.startswith("cancelled: rolled back")


def test_ctrl_c_during_playbook_run_rolls_back_every_changed_host(lab_clean, lab_settings, lab_password_env):
    """A real SIGINT to `netops playbook run` after the first host changed: exit 130, both hosts
    as they were (the verified canary included), the cancel and rollbacks in the audit log."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    from netops.store.audit import AuditLog

    before = _configs(lab_clean)
    lab_settings.paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    lab_settings.paths.policy_file.write_text(f"roles: {{eng: {{max_risk: low}}}}\nusers: {{{lab_settings.user}: eng}}\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NETOPS_HOME": str(lab_settings.home),
           "NETOPS_INVENTORY": str(lab_settings.inventory), "NETOPS_KNOWN_HOSTS": str(lab_settings.known_hosts),
           "NETOPS_PLAYBOOKS_DIR": str(lab_settings.playbooks_dir)}
    try:
        proc = subprocess.Popen([sys.executable, "-m", "netops", "playbook", "run", "interface-description",
                                 "-t", "r1,r2", "-p", "interface=lo", "-p", "description=ctrl-c test", "--yes"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        seen = threading.Event()

        def read() -> None:
            for line in proc.stderr:
                lines.append(line)
                if "[r1] verified" in line:  # from here each exec waits: room for Ctrl-C between r2's steps
                    lab_clean.lab.set_latency(0.4)
                if "[r2] applied" in line:
                    seen.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert seen.wait(120), "".join(lines)
        proc.send_signal(signal.SIGINT)
        out = proc.stdout.read()
        proc.wait(120)
        reader.join(10)
    finally:
        lab_clean.lab.set_latency(0)
    err = "".join(lines)
    assert proc.returncode == 130, err
    assert "interrupted: stopping before the next step" in err and "Traceback" not in err
    assert "r1: rolled back" in out and "r2: rolled back" in out and "rolled_back" not in out
    assert _configs(lab_clean) == before
    with AuditLog(lab_settings.paths.audit_db) as audit:
        assert audit.list(kind="cancel")[-1].payload["changed"] == ["r1"]
        rollbacks = [r.payload for r in audit.list(kind="rollback", limit=None)]
        assert sorted(r["host"] for r in rollbacks) == ["r1", "r2"]
        assert all(r["verified_equal_to_snapshot"] for r in rollbacks)
        assert audit.verify().ok


def _pty_ask(settings, srv_url, question, *, until, then, argv=None, env=None):
    """Run `netops ask QUESTION` (or ``argv``) on a pseudo-terminal (so it prompts); once the
    output contains ``until``, ``then(proc, master_fd)``; returns (exit code, what it printed)."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    env = {**os.environ, "PYTHONPATH": str(REPO), "NETOPS_HOME": str(settings.home), "NETOPS_OLLAMA_URL": srv_url,
           "NETOPS_INVENTORY": str(settings.inventory), "NETOPS_KNOWN_HOSTS": str(settings.known_hosts),
           "NETOPS_PLAYBOOKS_DIR": str(settings.playbooks_dir), "NETOPS_MODEL_REVIEW": "false",
           "NETOPS_KB__EMBEDDER": "none", "TERM": "xterm", "COLUMNS": "200", **(env or {})}
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "netops", *(argv or ["ask", question])], env=env,
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    buf, done, deadline = b"", False, time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            buf += chunk
        if not done and until.encode() in buf:
            done = True
            # A person answers some time after the prompt appears; a signal landing in the
            # microseconds between printing the prompt and entering read() would wait for a key.
            time.sleep(0.5)
            then(proc, master)
        if proc.poll() is not None and not ready:
            break
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
        raise AssertionError("netops ask did not exit; it printed:\n" + buf.decode(errors="replace")) from None
    finally:
        os.close(master)
    return proc.returncode, buf.decode(errors="replace")


@pytest.mark.parametrize("key,code,decision", [("y", 0, "approved"), ("n", 5, "denied"), ("ctrl-c", 130, "denied")])
def test_ask_at_a_terminal_shows_the_plan_then_asks(lab_clean, lab_settings, key, code, decision):
    import os
    import signal

    from netops.store.audit import AuditLog

    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": peer}}

    def answer(proc, master):
        if key == "ctrl-c":
            proc.send_signal(signal.SIGINT)
        else:
            os.write(master, f"{key}\n".encode())

    with ScriptedOllama([tool_call("playbook_run", **args), say("Done as you decided.")]) as srv:
        rc, shown = _pty_ask(lab_settings, srv.url, f"shut the BGP session to {peer} on r1",
                             until="Apply bgp-neighbor-shutdown", then=answer)
    assert rc == code, shown
    assert shown.index("proposed change: bgp-neighbor-shutdown") < shown.index("Apply bgp-neighbor-shutdown")
    assert f"neighbor {peer} shutdown" in shown  # the commands were on screen before the question
    assert f"change {decision}" in shown and "Traceback" not in shown
    after = _configs(lab_clean)
    if decision == "approved":
        assert f"neighbor {peer} shutdown" in after["r1"] and "verified" in shown
    else:
        assert after == before
    with AuditLog(lab_settings.paths.audit_db) as audit:
        kind = "approval" if decision == "approved" else "denial"
        rec = audit.list(kind=kind)[-1].payload
        assert rec["by"] == lab_settings.user
        assert rec["reason"] == {"y": "approved at the prompt", "n": "declined at the prompt",
                                 "ctrl-c": "cancelled at the prompt (Ctrl-C)"}[key]
        assert audit.verify().ok


def test_ctrl_c_at_the_playbook_run_prompt_refuses_at_once(lab_clean, lab_settings):
    """The SSH transport thread started by the plan must not swallow Ctrl-C at the prompt."""
    import signal

    from netops.store.audit import AuditLog

    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    for _ in range(3):  # a lost signal showed up about one run in three
        rc, shown = _pty_ask(lab_settings, "http://127.0.0.1:9", "", until="Apply bgp-neighbor-shutdown",
                             then=lambda proc, master: proc.send_signal(signal.SIGINT),
                             argv=["playbook", "run", "bgp-neighbor-shutdown", "-t", "r1", "-p", f"neighbor={peer}"])
        assert rc == 5 and "nothing was changed" in shown, shown
    assert _configs(lab_clean) == before
    with AuditLog(lab_settings.paths.audit_db) as audit:
        # a cancel, as `netops ask` and the chat record it (it said 'declined at the prompt')
        assert [r.payload["reason"] for r in audit.list(kind="denial")] == ["cancelled at the prompt (Ctrl-C)"] * 3


@pytest.mark.parametrize("surface", ["ask", "playbook run"])
def test_an_approval_prompt_nobody_answers_ends_when_the_plan_expires(lab_clean, lab_settings, surface):
    """`netops playbook run`'s prompt waited for ever while the plan held r1's change lock (the chat
    and `ask` expire after approval_timeout): a prompt left open blocked every other change of r1,
    and a "y" typed hours later applied a plan checked hours before. `netops ask`'s plan expired, but
    its prompt kept waiting for a key, and the answer and the exit waited behind it."""
    from netops.store.audit import AuditLog

    before = _configs(lab_clean)
    peer = _peer(lab_settings)
    wait = {"until": "Apply bgp-neighbor-shutdown", "then": lambda proc, master: None,
            "env": {"NETOPS_APPROVAL_TIMEOUT": "2"}}
    if surface == "ask":
        args = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r1"], "params": {"neighbor": peer}}
        with ScriptedOllama([tool_call("playbook_run", **args), say("Left as it was.")]) as srv:
            rc, shown = _pty_ask(lab_settings, srv.url, f"shut the BGP session to {peer} on r1", **wait)
    else:
        rc, shown = _pty_ask(lab_settings, "http://127.0.0.1:9", "", **wait,
                             argv=["playbook", "run", "bgp-neighbor-shutdown", "-t", "r1", "-p", f"neighbor={peer}"])
    assert rc == 5, shown
    assert "no answer within 2 seconds: the plan expired" in shown and "Traceback" not in shown, shown
    assert _configs(lab_clean) == before
    with AuditLog(lab_settings.paths.audit_db) as audit:
        denial = audit.list(kind="denial")[-1].payload
        assert denial["by"] == "nobody" and denial["reason"].startswith("no answer within 2 seconds"), denial
        assert audit.verify().ok



def test_a_consumer_that_stops_mid_change_gets_the_rollback_not_a_hang(lab_clean, lab_settings):
    """The chat's event loop closes when it quits during a change, which closes the event
    generator. Closing must wait for the rollback and then return: before, the rollback's own
    progress event waited for the consumer that had gone, so close() never returned and the
    host was never rolled back."""
    import threading

    from netops.session import Session

    before = _configs(lab_clean)
    args = {"playbook": "interface-description", "hosts": ["r1"],
            "params": {"interface": "lo", "description": "closed consumer"}}
    try:
        with ScriptedOllama([tool_call("playbook_run", **args), say("never reached")]) as srv, \
                Session(lab_settings.model_copy(update={"ollama_url": srv.url}), actor="alice") as session:
            events = session.assistant().events("set the description of lo on r1 to 'closed consumer'")
            for ev in events:
                if isinstance(ev, E.ApprovalRequestEvent):
                    lab_clean.lab.set_latency(0.5)  # the change's device reads wait (the plan's need not)
                    ev.respond(True, by="alice")
                if isinstance(ev, E.RunProgressEvent) and ev.stage == "postcheck":
                    break  # the consumer goes away with the change applied
            closer = threading.Thread(target=events.close, daemon=True)
            closer.start()
            closer.join(90)
            assert not closer.is_alive(), "closing the events of a change in progress hung"
            records = session.audit.list(limit=None)
    finally:
        lab_clean.lab.set_latency(0)
    assert _configs(lab_clean) == before
    assert [r.payload["host"] for r in records if r.kind == "rollback"] == ["r1"]
