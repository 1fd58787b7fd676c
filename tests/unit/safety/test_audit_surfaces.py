"""Audit completeness from the outside: every surface (ask, show, state, playbook run, chat)
leaves its records, failed and refused device commands included, and no secret from a device
ever reaches the audit database file (the raw SQLite bytes, WAL included)."""

from __future__ import annotations

import json

import pytest

from netops.cli.main import main
from netops.playbook import diff as cfgdiff
from netops.store.audit import AuditLog

SECRET = "Zq7-AuditSecret-91"
POLICY = "roles:\n  eng: {max_risk: high}\nusers:\n  tester: eng\n"


@pytest.fixture
def cli(pb_settings, vetted, sim, monkeypatch):
    """The CLI over the FRR simulator (as its SSH transport), with a secret in r1's config."""
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", sim)
    monkeypatch.setenv("NETOPS_PLAYBOOKS_DIR", str(pb_settings.playbooks_dir))
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setenv("NETOPS_USER", "tester")
    r1 = sim.routers["r1"]
    r1.tree = cfgdiff.apply_lines(r1.tree, ["router bgp 65001", f"neighbor 198.51.100.2 password {SECRET}", "exit"])
    assert SECRET in r1.running()
    return pb_settings


def _records(settings) -> list:
    with AuditLog.from_settings(settings) as log:
        assert log.verify().ok
        return log.list(limit=None)


def _raw(settings) -> bytes:
    db = settings.paths.audit_db
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def _commands(records, surface):
    return [r.payload for r in records if r.kind == "device_command" and r.payload.get("surface") == surface]


def test_show_is_audited_with_surface_refusals_too_and_prints_no_secret(cli, capsys):
    assert main(["show", "r1", "show running-config"]) == 0
    out = capsys.readouterr().out
    assert "password <redacted>" in out and SECRET not in out
    assert main(["show", "r1", "configure terminal"]) == 5
    capsys.readouterr()
    recs = _commands(_records(cli), "show")
    assert [(p["host"], p["command"], p["refused"], p["ok"]) for p in recs] == [
        ("r1", "show running-config", False, True), ("r1", "configure terminal", True, False)]
    assert all(r.actor == "tester" for r in _records(cli) if r.kind == "device_command")
    assert SECRET.encode() not in _raw(cli)


def test_state_is_audited(cli, capsys):
    assert main(["state", "r1", "bgp", "--json"]) == 0
    json.loads(capsys.readouterr().out)
    recs = _commands(_records(cli), "state")
    assert recs and all(p["host"] == "r1" and p["ok"] for p in recs)
    assert any("bgp" in p["command"] for p in recs)


def test_failed_device_commands_are_audited(cli, sim, capsys, monkeypatch):
    """A command that fails on the device (timeout, session dropped mid-command) is recorded."""
    from netops.errors import CommandTimeout, SessionClosed
    from tests.unit.playbook.fakefrr import _Conn

    def failing(self, command, *, timeout):
        if self.name == "r2":
            raise CommandTimeout(f"{self.name}: {command!r} timed out")
        if self.name == "r3":
            raise SessionClosed(f"{self.name}: the device closed the session")
        return real(self, command, timeout=timeout)

    real = _Conn.run
    monkeypatch.setattr(_Conn, "run", failing)
    code = main(["show", "r1,r2,r3", "show running-config"])
    capsys.readouterr()
    assert code != 0
    recs = {p["host"]: p for p in _commands(_records(cli), "show")}
    assert recs["r1"]["ok"] is True
    assert recs["r2"]["ok"] is False and recs["r2"]["refused"] is False
    assert recs["r3"]["ok"] is False and recs["r3"]["command"] == "show running-config"


def test_failed_configuration_push_is_audited_and_its_output_redacted(pb_settings, sim, devices, audit):
    r1 = sim.routers["r1"]

    def echo(lines):  # a device that echoes the rejected line back, secret and all
        from netops.devices.transport import CommandOutput

        return CommandOutput(f"% Invalid input: {lines[1]}\n", exit_status=1)

    r1.configure = echo
    res = devices.configure("r1", ["router bgp 65001", f" neighbor 198.51.100.2 password {SECRET}", "exit"])
    assert not res.ok
    assert SECRET not in res.output and SECRET not in (res.error or "") and SECRET not in res.command
    assert "<redacted>" in res.output
    rec = audit.list(kind="device_command")[-1].payload
    assert rec["kind"] == "config" and rec["ok"] is False and SECRET not in json.dumps(rec)
    audit.close()
    db = audit.path
    assert SECRET.encode() not in b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_configuration_push_output_is_redacted_when_it_succeeds(pb_settings, sim, devices):
    from netops.devices.transport import CommandOutput

    sim.routers["r1"].configure = lambda lines: CommandOutput(f"ok: {lines[1]}\n", exit_status=0)
    res = devices.configure("r1", ["router bgp 65001", f"neighbor 198.51.100.2 password {SECRET}", "exit"])
    assert res.ok and SECRET not in res.output and "password <redacted>" in res.output


def test_playbook_run_is_audited_end_to_end_without_secrets(cli, sim, capsys):
    cli.paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    cli.paths.policy_file.write_text(POLICY)
    code = main(["playbook", "run", "bgp-neighbor-shutdown", "--target", "r1", "--param", "neighbor=198.51.100.2",
                 "--yes", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "neighbor 198.51.100.2 shutdown" in sim.routers["r1"].running()
    recs = _records(cli)
    kinds = [r.kind for r in recs if r.kind != "device_command"]
    for k in ("plan", "approval", "precheck", "snapshot", "apply_start", "apply", "postcheck", "result"):
        assert k in kinds, kinds
    assert kinds.index("plan") < kinds.index("approval") < kinds.index("apply") < kinds.index("result")
    assert _commands(recs, "playbook run")  # the device commands carry the surface
    config = [p for p in _commands(recs, "playbook run") if p["kind"] == "config"]
    assert config and config[0]["command"].splitlines()[1].strip() == "neighbor 198.51.100.2 shutdown"
    assert SECRET.encode() not in _raw(cli) and SECRET not in out


def test_playbook_run_denied_is_audited(cli, sim, capsys):
    code = main(["playbook", "run", "bgp-neighbor-shutdown", "--target", "r1", "--param", "neighbor=198.51.100.2",
                 "--yes"])
    capsys.readouterr()
    assert code == 5
    kinds = [r.kind for r in _records(cli)]
    assert "plan" in kinds and "denial" in kinds and "apply" not in kinds
    assert not any(cfg for cfg in sim.routers["r1"].configs)


def test_playbook_run_without_terminal_or_yes_is_denied_by_the_runner(cli, sim, capsys):
    """No terminal and no --yes: nobody can approve, and the denial is the runner's own record."""
    code = main(["playbook", "run", "bgp-neighbor-shutdown", "--target", "r1", "--param", "neighbor=198.51.100.2"])
    _, err = capsys.readouterr()
    assert code == 5 and "not interactive and --yes not given" in err and "Traceback" not in err
    recs = _records(cli)
    denial = [r for r in recs if r.kind == "denial"][-1].payload
    plan_rec = [r for r in recs if r.kind == "plan"][-1]
    assert denial["plan_seq"] == plan_rec.seq and denial["risk"] and denial["hosts"] == ["r1"]
    assert not any(r.kind in ("approval", "apply") for r in recs)
    assert not any(cfg for cfg in sim.routers["r1"].configs)


def test_ask_offline_is_audited(cli, capsys):
    code = main(["ask", "--offline", "show the bgp neighbours on r1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    recs = _commands(_records(cli), "ask")
    assert recs and all(p["host"] == "r1" for p in recs)
    assert SECRET.encode() not in _raw(cli)
