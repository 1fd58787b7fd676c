"""Rollback verification and execute-time re-checks, pinned from outside (FRR simulator)."""

from __future__ import annotations

import pytest

from netops.playbook import diff as cfgdiff
from netops.playbook.approval import AllowAll
from netops.playbook.recover import restore_snapshot
from netops.playbook.runner import execute, plan

NEI = {"neighbor": "198.51.100.2"}

SNAP = """frr version 8.4.4
hostname r1
!
interface eth-r2
 description link to r2
 ip ospf cost 10
exit
!
router bgp 65001
 neighbor 198.51.100.2 remote-as 65002
 neighbor 198.51.100.2 password S3cret-one
 !
 address-family ipv4 unicast
  network 203.0.113.1/32
 exit-address-family
exit
!
end
"""


# -- the comparison itself --------------------------------------------------------------

def test_identical_configs_are_equal_and_headers_do_not_count():
    assert cfgdiff.same_config(SNAP, SNAP)
    with_header = "Building configuration...\n\nCurrent configuration:\n" + SNAP
    assert cfgdiff.same_config(with_header, SNAP) and cfgdiff.same_config(SNAP, with_header)
    assert cfgdiff.same_config(SNAP.replace("\n", "\r\n"), SNAP)
    assert cfgdiff.same_config("\n\n" + SNAP, SNAP)
    assert cfgdiff.same_config(SNAP + "\n\n", SNAP)
    assert cfgdiff.same_config("! Last configuration change at 10:00\n" + SNAP, SNAP)


@pytest.mark.parametrize("old,new", [
    (" ip ospf cost 10", " ip ospf cost 20"),                               # a line differs
    (" description link to r2", " description link to r3"),
    (" ip ospf cost 10", "  ip ospf cost 10"),                              # indentation differs
    ("  network 203.0.113.1/32", " network 203.0.113.1/32"),
    ("  network 203.0.113.1/32", "  network 203.0.113.1/32 "),              # trailing space
    (" neighbor 198.51.100.2 password S3cret-one", " neighbor 198.51.100.2 password S3cret-two"),  # secret
    (" neighbor 198.51.100.2 password S3cret-one\n", ""),                   # a line is gone
    ("hostname r1\n", "hostname r1\nip forwarding\n"),                      # a line was added
    ("router bgp 65001", "Router bgp 65001"),                               # case
    ("!\nend", "!\n!\nend"),                                                # comment lines count
])
def test_any_difference_is_not_equal(old, new):
    assert old in SNAP
    changed = SNAP.replace(old, new, 1)
    assert changed != SNAP
    assert not cfgdiff.same_config(changed, SNAP)
    assert not cfgdiff.same_config(SNAP, changed)


def test_normalise_keeps_every_other_byte():
    assert cfgdiff.normalise("a\n  b \n") == "a\n  b \n"
    assert cfgdiff.normalise("Building configuration...\n\na\r\nb") == "a\nb\n"
    assert cfgdiff.normalise("a\n\n\n") == "a\n"
    assert cfgdiff.normalise("x\nCurrent configuration: 123 bytes\ny") == "x\ny\n"
    assert cfgdiff.normalise("x\n!Time: Mon 10:00\ny") == "x\ny\n"
    assert cfgdiff.normalise("x\n! NVRAM config last updated at 1\ny") == "x\ny\n"
    assert cfgdiff.normalise("x\n! another comment\ny") == "x\n! another comment\ny\n"


# -- restore_snapshot ---------------------------------------------------------------------

class Device:
    """A device whose configure may ignore lines (a rollback that does not take hold)."""

    def __init__(self, running: str, *, ignore=lambda ln: False) -> None:
        self.tree = cfgdiff.parse(running)
        self.ignore = ignore
        self.sent: list[list[str]] = []
        self.text: str | None = None

    def configure(self, host, lines):
        self.sent.append(list(lines))
        self.tree = cfgdiff.apply_lines(self.tree, [ln for ln in lines if not self.ignore(ln)])
        self.text = None

    def running_config(self, host, redacted=True):
        assert redacted is False, "rollback verification must read the unredacted config"
        return self.text if self.text is not None else cfgdiff.render_tree(self.tree)


def test_restore_puts_back_a_changed_secret_and_records_it_redacted():
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap.replace("S3cret-one", "S3cret-two"))
    res = restore_snapshot(dev, "r1", snap, "frr")
    assert res.ok and res.remaining is None and res.error is None and not res.already
    assert cfgdiff.same_config(dev.running_config("r1", redacted=False), snap)
    assert any("S3cret-one" in ln for batch in dev.sent for ln in batch)      # really sent
    assert not any("S3cret" in ln for ln in res.commands)                     # recorded redacted
    assert any("<redacted>" in ln for ln in res.commands)


def test_restore_that_does_not_take_hold_is_not_ok():
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap.replace("S3cret-one", "S3cret-two"), ignore=lambda ln: "password" in ln)
    res = restore_snapshot(dev, "r1", snap, "frr", attempts=3)
    assert not res.ok
    assert res.remaining and "S3cret" not in res.remaining and "<redacted>" in res.remaining
    assert 1 <= len(dev.sent) <= 3


def test_restore_of_an_equal_host_sends_nothing():
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap)
    res = restore_snapshot(dev, "r1", snap, "frr")
    assert res.ok and res.already and res.commands == [] and dev.sent == []


def test_restore_with_explicit_lines_sends_them_first():
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap.replace(" ip ospf cost 10", " ip ospf cost 20"))
    res = restore_snapshot(dev, "r1", snap, "frr", first=["interface eth-r2", "ip ospf cost 10", "exit"])
    assert res.ok and not res.already
    assert dev.sent[0] == ["interface eth-r2", "ip ospf cost 10", "exit"]
    assert res.commands[:3] == ["interface eth-r2", "ip ospf cost 10", "exit"]


def test_restore_that_fails_on_the_device_reports_the_error():
    from netops.errors import SessionClosed

    class Dead(Device):
        def configure(self, host, lines):
            raise SessionClosed("r1: the device closed the session")

    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    res = restore_snapshot(Dead(snap.replace("cost 10", "cost 20")), "r1", snap, "frr")
    assert not res.ok and "closed the session" in res.error


# -- the runner end to end ----------------------------------------------------------------

def _break_postcheck(cat):
    y = cat.path_of("bgp-neighbor-shutdown") / "playbook.yaml"
    text = y.read_text().replace("'\"{{ neighbor }}\".adminShutDown == true'", "'\"{{ neighbor }}\".adminShutDown == false'")
    y.write_text(text.replace("within: 15s", "within: 0.3s").replace("interval: 1s", "interval: 0.1s"))
    cat.lock_for(cat.get("bgp-neighbor-shutdown")).vet(cat.get("bgp-neighbor-shutdown"), "unit-reviewer")


def _journal_stages(monkeypatch):
    """Every (host, state) the run journal records, in order (the journal still writes them)."""
    from netops.playbook.journal import Journal

    stages = []
    real_stage = Journal.stage
    monkeypatch.setattr(Journal, "stage", lambda self, host, state, **kw: (stages.append((host, state)),
                                                                           real_stage(self, host, state, **kw))[1])
    return stages


def test_rollback_that_does_not_take_hold_ends_rollback_failed(pb_settings, vetted, devices, sim, audit, monkeypatch):
    _break_postcheck(vetted)
    stages = _journal_stages(monkeypatch)
    router = sim.routers["r1"]
    real = router.configure
    calls = []

    def configure(lines):
        calls.append(list(lines))
        if len(calls) == 1:
            return real(lines)
        return real([ln for ln in lines if "shutdown" not in ln])  # the undo never takes hold

    monkeypatch.setattr(router, "configure", configure)
    progress = []
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit, on_progress=progress.append)
    hr = report.hosts["r1"]
    assert hr.state == "rollback_failed", hr.error
    assert stages[-1] == ("r1", "rollback_failed")      # the journal ends in a final, unsettled state
    final = progress[-1]
    assert (final.host, final.stage, final.ok) == ("r1", "rollback_failed", False)
    assert final.detail == "running config still differs from the snapshot"
    assert report.failed and report.failed_hosts == ["r1"]
    assert "rollback did not restore the snapshot" in hr.error
    assert "neighbor 198.51.100.2 shutdown" in router.running()  # still changed
    rb = audit.list(kind="rollback")[-1].payload
    assert rb["verified_equal_to_snapshot"] is False and rb["ok"] is False and rb["remaining_diff"]
    res = audit.list(kind="result")[-1].payload
    assert res["failed"] is True and res["hosts"]["r1"]["state"] == "rollback_failed"


def test_device_state_changing_between_plan_and_execute_fails_the_host_unchanged(
        pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    assert p.ok
    router = sim.routers["r1"]
    router.tree = cfgdiff.apply_lines(router.tree, ["router bgp 65001", "neighbor 198.51.100.2 shutdown", "exit"])
    router.configs.clear()
    before = router.running()
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    hr = report.hosts["r1"]
    assert hr.state == "failed" and "precheck failed" in hr.error
    assert router.configs == [] and router.running() == before
    assert audit.list(kind="apply") == [] and audit.list(kind="snapshot") == []


def test_commands_that_would_render_differently_at_execute_fail_the_host_unchanged(
        pb_settings, vetted, devices, sim, audit):
    """Same prechecks passing, but a captured fact changed: the rendered change differs."""
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    router = sim.routers["r1"]
    bgp = next(c for c in router.tree.children if c.line.startswith("router bgp "))
    bgp.line = "router bgp 65099"  # the local AS the template renders from
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    hr = report.hosts["r1"]
    assert hr.state == "failed" and "differ from the approved plan" in hr.error
    assert router.configs == []
    assert audit.list(kind="apply") == []


@pytest.mark.parametrize("what", ["commands", "rollback"])
def test_execute_compares_the_approved_commands(what, pb_settings, vetted, devices, sim, audit):
    """The plan a person approved said something else than what would be sent now: refused."""
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    hp = p.host_plans["r1"]
    setattr(hp, what, [*getattr(hp, what)[:-1], "neighbor 198.51.100.2 description tampered", "exit"])
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert report.hosts["r1"].state == "failed"
    assert "differ from the approved plan" in report.hosts["r1"].error
    assert sim.routers["r1"].configs == []


def test_a_failed_host_stops_later_batches(pb_settings, vetted, pb_dir, devices, sim, audit):
    y = pb_dir / "interface-description" / "playbook.yaml"
    y.write_text(y.read_text().replace("  max_hosts: 1\n", ""))
    vetted.lock_for(vetted.get("interface-description")).vet(vetted.get("interface-description"), "unit-reviewer")
    p = plan(pb_settings, "interface-description", "r1,r2", {"interface": "eth-r2", "description": "x y"},
             devices=devices, audit=audit)
    p.host_plans["r1"].commands = ["interface eth-r2", "description other", "exit"]
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert {h: r.state for h, r in report.hosts.items()} == {"r1": "failed", "r2": "skipped"}
    assert sim.routers["r2"].configs == [] and sim.routers["r1"].configs == []


# -- exact outcomes of a restore (killing mutmut survivors) --------------------------------

def test_a_trailing_character_is_a_difference():
    assert not cfgdiff.same_config("hostname rX\n", "hostname r\n")
    assert not cfgdiff.same_config("hostname r\nX", "hostname r\n")


def test_restore_tries_three_times_by_default():
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap.replace("cost 10", "cost 20"), ignore=lambda ln: "cost" in ln)
    res = restore_snapshot(dev, "r1", snap, "frr")
    assert not res.ok and len(dev.sent) == 3


def test_a_difference_no_command_can_undo_is_reported_not_looped():
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap)
    dev.text = snap.replace("hostname r1\n", "hostname r1\n! added by hand\n")
    res = restore_snapshot(dev, "r1", snap, "frr")
    assert isinstance(res, type(restore_snapshot(Device(snap), "r1", snap, "frr")))
    assert res.ok is False and res.commands == [] and dev.sent == []
    assert res.remaining == ("--- running-config (now)\n+++ running-config (after change)\n"
                             + res.remaining.split("\n", 2)[2])
    assert "\n+! added by hand\n" in res.remaining


def test_remaining_diff_is_snapshot_to_current_redacted_with_the_platform_rules():
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap.replace(" ip ospf cost 10", " ip ospf cost 20").replace("S3cret-one", "S3cret-two"),
                 ignore=lambda ln: "cost" in ln or "password" in ln)
    res = restore_snapshot(dev, "r1", snap, "frr")
    assert not res.ok
    lines = res.remaining.splitlines()
    assert lines[0] == "--- running-config (now)" and lines[1] == "+++ running-config (after change)"
    assert "- ip ospf cost 10" in lines and "+ ip ospf cost 20" in lines
    assert "S3cret" not in res.remaining


def test_recorded_steps_use_the_platform_rules_not_every_rule():
    # 'community X' is a secret only on Junos: on FRR the line is recorded as it is.
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    dev = Device(snap.replace("cost 10", "cost 20"))
    res = restore_snapshot(dev, "r1", snap, "frr", first=["community public-x"])
    assert res.commands[0] == "community public-x"
    res = restore_snapshot(Device(snap.replace("cost 10", "cost 20")), "r1", snap, "juniper_junos",
                           first=["community public-x"])
    assert res.commands[0] == "community <redacted>"


def test_a_device_error_mid_restore_keeps_the_steps_sent_so_far_redacted():
    from netops.errors import SessionClosed

    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))

    class Flaky(Device):
        def running_config(self, host, redacted=True):
            raise SessionClosed("r1: the device closed the session")

    first = ["community public-x", "neighbor 198.51.100.2 password S3cret-one"]
    res = restore_snapshot(Flaky(snap), "r1", snap, "frr", first=first)
    assert res.ok is False and res.error == "r1: the device closed the session"
    assert res.commands == ["community public-x", "neighbor 198.51.100.2 password <redacted>"]
    assert res.remaining is None and res.already is False


def test_rollback_broken_by_the_device_is_rollback_failed_and_fully_recorded(
        pb_settings, vetted, devices, sim, audit, monkeypatch):
    from netops.errors import SessionClosed
    _break_postcheck(vetted)
    stages = _journal_stages(monkeypatch)
    router = sim.routers["r1"]
    real = router.show

    def show(command):
        if router.configs and command == "show running-config":  # the rollback cannot read the device
            raise SessionClosed("r1: the device closed the session")
        return real(command)

    monkeypatch.setattr(router, "show", show)
    progress = []
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit, on_progress=progress.append)
    hr = report.hosts["r1"]
    assert hr.state == "rollback_failed"
    assert hr.error.startswith("postcheck ") and "; rollback failed: " in hr.error
    assert "closed the session" in hr.error
    rb = audit.list(kind="rollback")[-1].payload
    assert rb["host"] == "r1" and rb["ok"] is False and "closed the session" in rb["error"]
    assert rb["commands"] == hr.rollback_applied
    assert ("r1", "rollback_failed") in stages
    got = [(e.host, e.stage, e.ok) for e in progress]
    assert ("r1", "rollback", None) in got and got[-1] == ("r1", "rollback_failed", False)
    rollback_ev = next(e for e in progress if e.stage == "rollback")
    assert rollback_ev.detail.startswith("postcheck ")
    assert progress[-1].detail == hr.error


def test_successful_rollback_is_recorded_with_its_commands_and_timing(pb_settings, vetted, devices, sim, audit,
                                                                      monkeypatch):
    _break_postcheck(vetted)
    stages = _journal_stages(monkeypatch)
    progress = []
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit, on_progress=progress.append)
    hr = report.hosts["r1"]
    assert hr.state == "rolled_back"
    assert hr.rollback_applied[:3] == ["router bgp 65001", "no neighbor 198.51.100.2 shutdown", "exit"]
    assert 0 <= hr.timings["rollback"] < 60
    rb = audit.list(kind="rollback")[-1].payload
    assert rb == {"playbook": "bgp-neighbor-shutdown", "hash": p.hash, "host": "r1", "ok": True,
                  "commands": hr.rollback_applied, "verified_equal_to_snapshot": True, "remaining_diff": None}
    assert ("r1", "rolled_back") in stages
    final = progress[-1]
    assert (final.host, final.stage, final.ok) == ("r1", "rolled_back", False)
    assert final.detail == "running config equals the snapshot again"
    rollback_ev = next(e for e in progress if e.stage == "rollback")
    assert rollback_ev.host == "r1" and rollback_ev.ok is None and rollback_ev.detail == hr.error


def test_remaining_diff_uses_the_platform_rules_not_every_rule():
    # 'community X' is a secret only on Junos: in an FRR diff the line is shown as it is.
    snap = cfgdiff.render_tree(cfgdiff.parse(SNAP))
    current = snap.replace("hostname r1\n", "hostname r1\ncommunity public-x\n")
    res = restore_snapshot(Device(current, ignore=lambda ln: "community" in ln), "r1", snap, "frr")
    assert not res.ok and "+community public-x" in res.remaining.splitlines()
    res = restore_snapshot(Device(current, ignore=lambda ln: "community" in ln), "r1", snap, "juniper_junos")
    assert not res.ok and "+community <redacted>" in res.remaining.splitlines()


def test_rollback_records_are_redacted_with_the_hosts_own_platform_rules(pb_settings, vetted, devices, sim, audit,
                                                                         monkeypatch):
    """The runner's rollback hands the host's platform to the restore: its recorded lines and any
    remaining diff use that platform's rules (every rule would also blank lines that are no
    secret there, e.g. a top-level ``community 65000:1``, which only Junos treats as one)."""
    import netops.playbook.recover as recover

    _break_postcheck(vetted)
    real = recover.restore_snapshot
    seen = []

    def spy(devices_, host, snapshot, platform=None, **kw):
        seen.append((host, platform))
        return real(devices_, host, snapshot, platform, **kw)

    monkeypatch.setattr(recover, "restore_snapshot", spy)
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert report.hosts["r1"].state == "rolled_back"
    assert seen == [("r1", "frr")]
    from netops.devices.redact import redact_lines

    assert redact_lines(["community 65000:1"], "frr") == ["community 65000:1"]  # why it matters
    assert redact_lines(["community 65000:1"], None) != ["community 65000:1"]
