"""Runner: plan/execute over the FRR simulator (real DeviceService, real SQLite audit)."""

from __future__ import annotations

import pytest

from netops.errors import ApprovalDenied, InputError, NotVetted, ParameterError, PlaybookError
from netops.playbook.approval import Approval, AllowAll, DenyAll
from netops.playbook.runner import execute, plan

NEI = {"neighbor": "198.51.100.2"}


def _break_postcheck(cat, name="bgp-neighbor-shutdown"):
    """Make the postcheck impossible (and re-vet, as a reviewer would have to)."""
    path = cat.path_of(name)
    y = path / "playbook.yaml"
    text = y.read_text().replace("'\"{{ neighbor }}\".adminShutDown == true'", "'\"{{ neighbor }}\".adminShutDown == false'")
    text = text.replace("within: 15s", "within: 0.3s").replace("interval: 1s", "interval: 0.1s")
    y.write_text(text)
    cat.lock_for(cat.get(name)).vet(cat.get(name), "unit-reviewer")


def test_plan_changes_nothing_and_shows_commands_and_diff(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit, intent="maint")
    hp = p.host_plans["r1"]
    assert p.ok and p.hosts == ["r1"] and p.risk == "medium"
    assert hp.commands == ["router bgp 65001", "neighbor 198.51.100.2 shutdown", "exit"]
    assert hp.rollback == ["router bgp 65001", "no neighbor 198.51.100.2 shutdown", "exit"]
    assert "+ neighbor 198.51.100.2 shutdown" in hp.diff
    assert sim.routers["r1"].configs == []
    rec = audit.list(kind="plan")[-1]
    assert rec.payload["intent"] == "maint" and rec.payload["hash"] == p.hash


def test_execute_happy_path_verified_and_audited(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    events = []
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit, on_event=events.append)
    assert not report.failed
    assert report.hosts["r1"].state == "verified"
    assert sim.routers["r1"].neighbors()["198.51.100.2"]["bgpState"] == "Idle"
    assert [e.state for e in events] == ["prechecked", "applied", "verified"]
    kinds = [r.kind for r in audit.list(limit=None)]
    for k in ("plan", "approval", "precheck", "snapshot", "apply", "postcheck", "result", "device_command"):
        assert k in kinds
    assert audit.verify().ok


def test_failed_postcheck_rolls_back_to_identical_config(pb_settings, vetted, devices, sim, audit):
    _break_postcheck(vetted)
    before = sim.routers["r1"].running()
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    hr = report.hosts["r1"]
    assert report.failed and hr.state == "rolled_back"
    assert "postcheck" in hr.error
    assert sim.routers["r1"].running() == before
    rb = audit.list(kind="rollback")[-1].payload
    assert rb["verified_equal_to_snapshot"] is True


def test_snapshot_rollback_without_template(pb_settings, vetted, devices, sim, audit):
    cat = vetted
    y = cat.path_of("interface-description") / "playbook.yaml"
    y.write_text(y.read_text().replace("== {{ description | tojson }}", "== something_else").replace("within: 5s", "within: 0.2s"))
    cat.lock_for(cat.get("interface-description")).vet(cat.get("interface-description"), "unit-reviewer")
    before = sim.routers["r1"].running()
    p = plan(pb_settings, "interface-description", "r1", {"interface": "eth-r2", "description": "to r2 via panel"},
             devices=devices, audit=audit)
    assert p.host_plans["r1"].rollback is None
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert report.hosts["r1"].state == "rolled_back"
    assert sim.routers["r1"].running() == before


def test_denied_approval_changes_nothing(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    with pytest.raises(ApprovalDenied) as ei:
        execute(p, approver=DenyAll("change freeze"), devices=devices, audit=audit)
    assert "change freeze" in str(ei.value) and ei.value.exit_code == 5
    assert sim.routers["r1"].configs == []
    assert audit.list(kind="denial")[-1].payload["reason"] == "change freeze"


class _Raises:
    """An approver that raises instead of returning a "no" (a plugin's, a crashed prompt)."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def approve(self, plan):
        raise self.exc


def test_approver_raising_denied_is_recorded_as_a_denial(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    with pytest.raises(ApprovalDenied) as ei:
        execute(p, approver=_Raises(ApprovalDenied("on-call lead said no")), devices=devices, audit=audit)
    assert "on-call lead said no" in str(ei.value)
    assert sim.routers["r1"].configs == []
    denial = audit.list(kind="denial")[-1].payload
    assert denial["reason"] == "on-call lead said no" and denial["plan_seq"] == p.audit_seq
    assert not audit.list(kind="approval") and not audit.list(kind="apply")


@pytest.mark.parametrize("exc", [RuntimeError("prompt backend died"), KeyboardInterrupt()])
def test_approver_crash_is_recorded_then_raised(pb_settings, vetted, devices, sim, audit, exc):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    with pytest.raises(type(exc)):
        execute(p, approver=_Raises(exc), devices=devices, audit=audit)
    assert sim.routers["r1"].configs == []
    denial = audit.list(kind="denial")[-1].payload
    assert denial["reason"].startswith(f"approval was not given: {type(exc).__name__}")
    assert denial["hosts"] == ["r1"] and not audit.list(kind="apply")
    assert audit.verify().ok


def test_unvetted_and_edited_playbooks_refused(pb_settings, pb_dir, devices, audit):
    with pytest.raises(NotVetted, match="never reviewed"):
        plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices)
    from netops.playbook.catalogue import Catalogue

    cat = Catalogue(pb_settings)
    cat.lock_for(cat.get("bgp-neighbor-shutdown")).vet(cat.get("bgp-neighbor-shutdown"), "alice")
    (pb_dir / "bgp-neighbor-shutdown" / "frr.j2").write_text("router bgp {{ facts.local_as }}\n neighbor {{ neighbor }} shutdown\n neighbor {{ neighbor }} description x\n")
    with pytest.raises(NotVetted, match="edited after review .*alice"):
        plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices)


def test_edit_between_plan_and_execute_refused(pb_settings, vetted, pb_dir, devices, sim, audit):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    with open(pb_dir / "bgp-neighbor-shutdown" / "frr.j2", "a") as fh:
        fh.write("! harmless comment\n")
    with pytest.raises(NotVetted, match="changed on disk"):
        execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert sim.routers["r1"].configs == []


def test_failed_precheck_refuses_before_approval(pb_settings, vetted, devices, sim, audit):
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.99"}, devices=devices, audit=audit)
    assert not p.ok
    asked = []

    class Spy:
        def approve(self, plan):
            asked.append(plan)
            return Approval(True, "spy", "yes")

    with pytest.raises(PlaybookError, match="prechecks failed"):
        execute(p, approver=Spy(), devices=devices, audit=audit)
    assert asked == [] and sim.routers["r1"].configs == []


@pytest.mark.parametrize("name,params,missing", [
    ("interface-description", {"interface": "eth-r9", "description": "x"}, '"eth-r9": not present in the device output'),
    ("bgp-soft-clear", {"neighbor": "198.51.100.99"},
     '"198.51.100.99": not present in the device output (it has: bgpNoSuchNeighbor)'),
])
def test_a_precheck_on_something_the_device_lacks_says_so(pb_settings, vetted, devices, name, params, missing):
    """Every playbook: a precheck path naming a key the output lacks says so in words, not 'got None'."""
    p = plan(pb_settings, name, "r1", params, devices=devices)
    failed = [c for c in p.host_plans["r1"].prechecks if not c.ok]
    assert failed and missing in failed[0].summary, failed[0].summary
    assert "got None" not in failed[0].summary


def test_target_rules(pb_settings, vetted, devices):
    with pytest.raises(InputError, match="at most 1 host"):
        plan(pb_settings, "bgp-neighbor-shutdown", "r1,r2", NEI, devices=devices)
    with pytest.raises(InputError, match="platform"):
        plan(pb_settings, "bgp-neighbor-shutdown", "sw1", NEI, devices=devices)


@pytest.mark.parametrize("bad", ["198.51.100.2\nend", "198.51.100.2 ; reload", "{{ 7*7 }}", "not-an-ip"])
def test_parameters_validated_before_anything_is_sent(pb_settings, vetted, devices, sim, bad):
    with pytest.raises(ParameterError):
        plan(pb_settings, "bgp-neighbor-shutdown", "r1", {"neighbor": bad}, devices=devices)
    assert sim.sent == []


def test_canary_failure_skips_remaining_hosts(pb_settings, vetted, pb_dir, devices, sim, audit):
    # bgp-health is multi-host; make a multi-host change playbook from interface-description
    y = pb_dir / "interface-description" / "playbook.yaml"
    y.write_text(y.read_text().replace("  max_hosts: 1\n", ""))
    vetted.lock_for(vetted.get("interface-description")).vet(vetted.get("interface-description"), "unit-reviewer")
    sim.drop_config["r1"] = 1
    p = plan(pb_settings, "interface-description", "r1,r2,r3", {"interface": "eth-r2", "description": "core link"},
             devices=devices, audit=audit)
    before = sim.routers["r1"].running()
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit, batch=2)
    states = {h: r.state for h, r in report.hosts.items()}
    assert states == {"r1": "rolled_back", "r2": "skipped", "r3": "skipped"}
    assert sim.routers["r1"].running() == before  # the half-applied change was undone
    assert sim.routers["r2"].configs == [] and sim.routers["r3"].configs == []


def test_batches_after_canary(pb_settings, vetted, pb_dir, devices, sim, audit):
    y = pb_dir / "interface-description" / "playbook.yaml"
    y.write_text(y.read_text().replace("  max_hosts: 1\n", ""))
    vetted.lock_for(vetted.get("interface-description")).vet(vetted.get("interface-description"), "unit-reviewer")
    p = plan(pb_settings, "interface-description", "lab", {"interface": "eth-r2", "description": "core link"},
             devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit, batch=2)
    assert all(r.state == "verified" for r in report.hosts.values())
    assert all("description core link" in sim.routers[h].running() for h in ("r1", "r2", "r3"))


def test_interrupt_rolls_back_changed_host(pb_settings, vetted, devices, sim, audit):
    """Ctrl-C arriving while the postcheck waits: the applied host is rolled back."""
    _break_postcheck(vetted)
    y = vetted.path_of("bgp-neighbor-shutdown") / "playbook.yaml"
    y.write_text(y.read_text().replace("within: 0.3s", "within: 30s"))
    vetted.lock_for(vetted.get("bgp-neighbor-shutdown")).vet(vetted.get("bgp-neighbor-shutdown"), "unit-reviewer")
    import _thread
    import threading

    before = sim.routers["r1"].running()
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)

    fired = []

    def on_event(ev):
        if ev.state == "applied" and not fired:
            fired.append(threading.Timer(0.3, _thread.interrupt_main))
            fired[0].start()

    import signal

    # Ctrl-C as a Python process gets it: a process started with SIGINT ignored (a background
    # job of a non-interactive shell) would make interrupt_main() do nothing
    old_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        report = execute(p, approver=AllowAll(), devices=devices, audit=audit, on_event=on_event)
    finally:
        signal.signal(signal.SIGINT, old_handler)
    assert report.interrupted and report.failed
    assert report.hosts["r1"].state == "rolled_back"
    assert sim.routers["r1"].running() == before


def test_the_shutdown_postcheck_does_not_pass_on_a_neighbour_the_device_lacks(vetted, devices):
    """bgp-neighbor-shutdown's vetted postcheck, run on r1 for a neighbour r1 does not have:
    '"N".bgpState != Established' passed (None is not Established); absent is not 'not up'."""
    from netops.playbook.checks import run_check

    pb = vetted.get("bgp-neighbor-shutdown")
    check = next(c for c in pb.spec.postchecks if any("!=" in a for a in c.expect))
    r = run_check(pb, check, host="r1", devices=devices, ctx={"neighbor": "198.51.100.99"})
    assert not r.ok
    negated = next(a for a in r.assertions if "!=" in a.expr)
    assert not negated.ok
    assert negated.message == '"198.51.100.99": not present in the device output (it has: bgpNoSuchNeighbor)'


def _config_reads(audit) -> int:
    return sum(1 for r in audit.list(kind="device_command", limit=None)
               if r.payload["command"] == "show running-config" and r.payload.get("sent", True))


def test_a_plan_reads_the_running_config_once_the_run_reads_it_fresh(pb_settings, vetted, devices, sim, audit):
    """A precheck reads the running config (as router-drain's does) and the plan's diff needs it
    too, a moment later: the plan reads it once (it read it twice). The run after the approval
    reads it again, for its prechecks and for its snapshot."""
    y = vetted.path_of("interface-description") / "playbook.yaml"
    y.write_text(y.read_text().replace("prechecks:\n", "prechecks:\n  - name: the config is r1's\n"
                                       "    command: show running-config\n    assert: lines contains 'hostname r1'\n", 1))
    vetted.lock_for(vetted.get("interface-description")).vet(vetted.get("interface-description"), "unit-reviewer")
    p = plan(pb_settings, "interface-description", "r1", {"interface": "eth-r2", "description": "via panel 4"},
             devices=devices, audit=audit)
    assert p.ok and "+ description via panel 4" in p.host_plans["r1"].diff
    assert _config_reads(audit) == 1
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert report.hosts["r1"].state == "verified", report.hosts["r1"].error
    assert _config_reads(audit) == 1 + 2  # the run's precheck and its snapshot: each a real read
