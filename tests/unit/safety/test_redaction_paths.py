"""A secret in a *command line* (a model filtering on it: ``show running-config | include key 7
K``) reaches the device as typed, and nothing else: not the result the model and the screen read,
not the audit log, not a refusal or timeout message, not the tool-call events a surface shows,
not the stored conversation. Before the fix the command went everywhere verbatim."""

from __future__ import annotations

import json

import pytest

from netops.agent.builtin_tools import read_tools
from netops.agent.events import ToolStartEvent
from netops.agent.tools import ToolBox, ToolCallRecord, ToolContext
from netops.cli.main import main
from netops.devices.service import DeviceService
from netops.errors import CommandTimeout
from netops.store.audit import AuditLog
from netops.testing.transport import FakeTransport

SECRET = "0822455D0A16Zq"
COMMAND = f"show running-config | include key 7 {SECRET}"


@pytest.fixture
def svc_records(pb_settings):
    fake = FakeTransport(outputs={"r1": {COMMAND: " key 7 0822455D0A16Zq\n"}})
    records: list[dict] = []
    with DeviceService(pb_settings, transport_factory=fake, recorder=records.append) as svc:
        yield svc, fake, records


def test_the_device_gets_the_real_command_and_nothing_else_shows_it(svc_records):
    svc, fake, records = svc_records
    agg = svc.run("r1", COMMAND)
    r = agg["r1"]
    assert r.ok, r.error
    assert fake.commands_for("r1") == [COMMAND]  # sent as typed
    assert SECRET not in (r.command or "") and "<redacted>" in r.command
    assert SECRET not in (r.output or "")
    assert SECRET not in agg.name
    assert records and SECRET not in json.dumps(records)
    assert records[0]["command"] == "show running-config | include key 7 <redacted>"


def test_a_refused_command_line_is_redacted_in_the_result_and_the_log(svc_records):
    svc, fake, records = svc_records
    r = svc.run("r1", f"show running-config | include key 7 {SECRET} | redirect flash:x")["r1"]
    assert r.failed and r.error_type == "PolicyViolation"
    assert SECRET not in r.error and SECRET not in (r.command or "")
    assert records[0]["refused"] and SECRET not in json.dumps(records)
    assert fake.sent == []


def test_a_timeout_quoting_the_command_is_redacted(pb_settings):
    fake = FakeTransport(outputs={"r1": {COMMAND: CommandTimeout(f"r1: {COMMAND!r} did not finish within 30s")}})
    records: list[dict] = []
    with DeviceService(pb_settings, transport_factory=fake, recorder=records.append) as svc:
        r = svc.run("r1", COMMAND)["r1"]
    assert r.failed and r.error_type == "CommandTimeout"
    assert SECRET not in r.error and "did not finish" in r.error
    assert SECRET not in json.dumps(records)


def test_tool_events_and_records_show_redacted_arguments(svc_records, settings):
    svc, fake, _ = svc_records
    ev = ToolStartEvent("show", {"hosts": ["r1"], "command": COMMAND}, "c1")
    assert SECRET not in json.dumps(ev.args) and ev.args["hosts"] == ["r1"]
    box = ToolBox({t.name: t for t in read_tools()}, ToolContext(settings=settings, devices=svc))
    args = {"hosts": ["r1"], "command": COMMAND}
    result = box.call("show", args)
    assert result.ok, result.error
    # the tool ran the real command, its "| include" on the redacted output (a model's filter
    # must not probe the raw config: netops.devices.linefilter), so the device got it without
    assert fake.commands_for("r1") == [COMMAND.split(" | ")[0]]
    assert args["command"] == COMMAND  # the caller's arguments are not changed
    record = box.calls[-1]
    assert SECRET not in json.dumps(record.args) and SECRET not in record.summary
    assert SECRET not in result.content and all(SECRET not in e.label for e in result.evidence)
    assert SECRET not in json.dumps(ToolCallRecord("show", dict(args), True).args)


@pytest.fixture
def cli(pb_settings, sim, monkeypatch):
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", sim)
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setenv("NETOPS_USER", "tester")
    return pb_settings


def test_netops_show_prints_and_audits_no_secret_from_its_command_line(cli, capsys):
    main(["show", "r1", COMMAND])
    main(["show", "r1", COMMAND, "--json"])
    main(["show", "r1", COMMAND + " | redirect flash:x"])
    out = capsys.readouterr()
    assert SECRET not in out.out and SECRET not in out.err
    with AuditLog.from_settings(cli) as log:
        recs = [r.payload for r in log.list(limit=None) if r.kind == "device_command"]
    assert len(recs) == 3 and all("<redacted>" in p["command"] for p in recs)
    db = cli.paths.audit_db
    assert SECRET.encode() not in b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_debug_logging_of_the_ssh_channel_is_redacted(capsys):
    """``--debug`` prints third-party DEBUG records: netmiko logs every byte read from the device."""
    import logging

    from netops.cli._common import configure_logging

    level = logging.getLogger().level
    configure_logging(debug=True)
    try:
        logging.getLogger("netmiko").debug("read_channel: router bgp 65001\n neighbor 10.0.0.2 password 7 %s", SECRET)
        logging.getLogger("netmiko").debug("write_channel: b'%s\\n'", COMMAND)
        try:
            raise ValueError(f"cannot parse 'snmp-server community {SECRET} RO'")
        except ValueError:
            logging.getLogger("netops.devices").exception("unexpected error on r1")
    finally:
        configure_logging(debug=False)
        logging.getLogger().setLevel(level)
    err = capsys.readouterr().err
    assert "read_channel" in err and "write_channel" in err and "ValueError" in err
    assert SECRET not in err


def _secret_plan():
    """A plan of a team playbook that sets a BGP password from a parameter."""
    from types import SimpleNamespace

    hp = SimpleNamespace(platform="frr", error=None, prechecks=[], diff=None, diff_note=None, report=None,
                         commands=["router bgp 65001", f" neighbor 198.51.100.2 password {SECRET}"],
                         rollback=["router bgp 65001", f" no neighbor 198.51.100.2 password {SECRET}"])
    return SimpleNamespace(playbook="bgp-password", version=1, risk="medium", hash="sha256:" + "0" * 64,
                           reviewer="alice", description="", hosts=["r1"],
                           params={"neighbor": "198.51.100.2", "password": SECRET}, host_plans={"r1": hp})


def test_plans_shown_to_the_model_and_the_screen_carry_no_secret_parameter(capsys):
    """The plan text the model and 'netops ask' read redacted the commands but printed the
    parameters raw; the TUI modal and 'netops playbook run' printed both raw."""
    from rich.console import Console

    from netops.agent.change_tools import _plan_text
    from netops.cli.playbook import _render_plan
    from netops.tui.render import plan_renderable

    text = _plan_text(_secret_plan())
    assert SECRET not in text and "198.51.100.2" in text and "<redacted>" in text
    console = Console(record=True, width=200)
    console.print(plan_renderable(_secret_plan()))
    shown = console.export_text()
    assert SECRET not in shown and "neighbor 198.51.100.2 password <redacted>" in shown
    _render_plan(_secret_plan())
    out = capsys.readouterr().out
    assert SECRET not in out and "password=<redacted>" in out and "rollback:" in out
