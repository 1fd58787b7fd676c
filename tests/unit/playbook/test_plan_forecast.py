"""trial37, over the FRR simulator (real DeviceService, real audit log):

- a post-check that cannot pass on the current state was met only when it failed: an undrain of r3 with a
  BGP session that could never come up ran 30 s of post-checks and rolled back. A post-check that reads a
  state the change does not alter (``steady: true``) is now evaluated on the state the plan read, and the
  plan says "post-check X fails now (...): the change will likely be rolled back" on every surface. A
  warning, not a refusal; a post-check of what the change alters is never predicted.
- a cancel during post-checks said "cancelled: rolled back" over "postcheck ... FAILED after 7 attempts":
  the report now says the cancel stopped the post-check, not that it failed.
"""

from __future__ import annotations

import pytest

from netops.errors import PlaybookInvalid
from netops.playbook.approval import AllowAll, Approval, CliApprover
from netops.playbook.runner import execute, plan

DRAIN = ["router ospf", "max-metric router-lsa administrative", "exit",
         "router bgp 65003", "bgp graceful-shutdown", "exit"]


def _drained(sim, *, dead_peer: bool) -> None:
    """r3 drained (as router-drain leaves it); with ``dead_peer`` one more BGP neighbour that is down."""
    lines = list(DRAIN)
    if dead_peer:
        lines[3:3] = ["router bgp 65003", "neighbor 198.51.100.99 remote-as 65099",
                      "neighbor 198.51.100.99 shutdown", "exit"]
    sim.routers["r3"].configure(lines)


def test_a_steady_post_check_that_fails_now_is_said_in_the_plan(pb_settings, vetted, devices, sim, audit):
    _drained(sim, dead_peer=True)
    p = plan(pb_settings, "router-undrain", "r3", {}, devices=devices, audit=audit)
    assert p.ok  # a warning, not a refusal
    assert [c.name for c in p.host_plans["r3"].forecast] == ["every BGP session is Established"]
    (line,) = p.warnings
    assert line.startswith("r3: post-check every BGP session is Established fails now (")
    assert "198.51.100.99" in line and "Idle" in line  # what it counted, not only "got 1"
    assert line.endswith("the change will likely be rolled back")
    assert "'Established'" not in line  # the JMESPath expression is not the person's reading
    assert p.to_dict()["warnings"] == [line]
    assert audit.list(kind="plan")[-1].payload["warnings"] == [line]
    assert sim.routers["r3"].configs[-1] == sim.routers["r3"].configs[0]  # the plan changed nothing


def test_no_warning_when_the_state_lets_the_post_check_pass(pb_settings, vetted, devices, sim, audit):
    _drained(sim, dead_peer=False)
    p = plan(pb_settings, "router-undrain", "r3", {}, devices=devices, audit=audit)
    assert p.ok and p.warnings == [] and p.host_plans["r3"].forecast == []
    assert "warnings" not in audit.list(kind="plan")[-1].payload


def test_a_post_check_of_what_the_change_alters_is_never_predicted(pb_settings, vetted, devices, audit):
    # bgp-neighbor-shutdown's post-check ("session is administratively down") fails before the change
    # by design: it is not steady, so nothing is said
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices, audit=audit)
    assert p.ok and p.warnings == []
    # nor are undrain's own checks of the drain it removes (running-config, OSPF max-metric)
    from netops.playbook.catalogue import Catalogue

    undrain = Catalogue(pb_settings).get("router-undrain")
    assert [c.name for c in undrain.spec.postchecks if c.steady] == ["every BGP session is Established"]


def test_every_surface_that_shows_the_plan_shows_the_warning(pb_settings, vetted, devices, sim, audit, capsys):
    from rich.console import Console

    from netops.agent.change_tools import _plan_text
    from netops.cli.playbook import _render_plan
    from netops.tui.render import plan_renderable

    _drained(sim, dead_peer=True)
    p = plan(pb_settings, "router-undrain", "r3", {}, devices=devices, audit=audit)
    console = Console(width=400, record=True)
    console.print(plan_renderable(p))
    _render_plan(p)
    for shown in (console.export_text(), capsys.readouterr().out, _plan_text(p)):
        assert f"warning: {p.warnings[0]}" in shown, shown
    asked = []
    CliApprover("alice", confirm=lambda q: asked.append(q) or False).approve(p)
    assert asked == ["Apply router-undrain (medium risk) to r3, though a post-check fails now "
                     "(it will likely be rolled back)?"]


def test_the_person_still_decides_and_the_run_rolls_back_as_predicted(pb_settings, vetted, pb_dir, devices, sim,
                                                                      audit):
    y = pb_dir / "router-undrain" / "playbook.yaml"
    y.write_text(y.read_text().replace("within: 30s", "within: 0.3s"))
    vetted.lock_for(vetted.get("router-undrain")).vet(vetted.get("router-undrain"), "unit-reviewer")
    _drained(sim, dead_peer=True)
    before = sim.routers["r3"].running()
    p = plan(pb_settings, "router-undrain", "r3", {}, devices=devices, audit=audit)
    assert p.warnings
    seen = []

    class Ask:
        def approve(self, plan):
            seen.append(plan.warnings)
            return Approval(True, "alice", "approved at the prompt", interactive=True)

    report = execute(p, approver=Ask(), devices=devices, audit=audit)
    assert seen == [p.warnings]
    assert report.hosts["r3"].state == "rolled_back" and sim.routers["r3"].running() == before


def test_steady_is_for_postchecks_only(pb_settings, vetted, pb_dir):
    from netops.playbook.spec import load_playbook

    y = pb_dir / "router-drain" / "playbook.yaml"
    y.write_text(y.read_text().replace("    assert: ipv4Unicast.as exists\n",
                                       "    assert: ipv4Unicast.as exists\n    steady: true\n", 1))
    with pytest.raises(PlaybookInvalid, match="steady is for postchecks"):
        load_playbook(pb_dir / "router-drain")


def test_a_cancel_during_post_checks_is_not_reported_as_a_failed_post_check(pb_settings, vetted, pb_dir, devices,
                                                                           sim, audit):
    from netops.agent.change_tools import _report_text
    from netops.cancel import CancelToken

    y = pb_dir / "bgp-neighbor-shutdown" / "playbook.yaml"  # a post-check that keeps retrying for 30 s
    y.write_text(y.read_text().replace("'\"{{ neighbor }}\".adminShutDown == true'",
                                       "'\"{{ neighbor }}\".adminShutDown == false'"))
    vetted.lock_for(vetted.get("bgp-neighbor-shutdown")).vet(vetted.get("bgp-neighbor-shutdown"), "unit-reviewer")
    before = sim.routers["r1"].running()
    token = CancelToken()
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices, audit=audit)

    armed, show = [], sim.routers["r1"].show

    def on_progress(ev):
        armed.append(ev.stage == "postcheck")

    def answer(command):  # the person presses Esc while the post-check's first attempt is read
        if armed and armed[-1] and command.startswith("show bgp neighbors"):
            token.cancel("cancelled by the person (Esc)")
        return show(command)

    sim.routers["r1"].show = answer

    report = execute(p, approver=AllowAll(), devices=devices, audit=audit, cancel=token, on_progress=on_progress)
    hr = report.hosts["r1"]
    assert report.interrupted and hr.state == "rolled_back" and sim.routers["r1"].running() == before
    (check,) = hr.postchecks
    assert check.stopped and not check.ok
    assert "failed after" not in hr.error
    assert hr.error.startswith("cancelled by the person (Esc) during postchecks: session is administratively "
                               "down was stopped after 1 attempt(s)")
    assert "(not failed, not yet passed)" in hr.error
    text, _ = _report_text(report)
    assert "postcheck session is administratively down: stopped by the cancel (not failed)" in text
    assert "FAILED" not in text
    assert audit.list(kind="postcheck")[-1].payload["checks"][0]["stopped"] is True


def test_a_post_check_that_runs_out_of_time_still_fails(pb_settings, vetted, pb_dir, devices, sim, audit):
    from netops.agent.change_tools import _report_text

    y = pb_dir / "bgp-neighbor-shutdown" / "playbook.yaml"
    y.write_text(y.read_text().replace("'\"{{ neighbor }}\".adminShutDown == true'",
                                       "'\"{{ neighbor }}\".adminShutDown == false'")
                 .replace("within: 15s", "within: 0.3s").replace("interval: 1s", "interval: 0.1s"))
    vetted.lock_for(vetted.get("bgp-neighbor-shutdown")).vet(vetted.get("bgp-neighbor-shutdown"), "unit-reviewer")
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    hr = report.hosts["r1"]
    assert not report.interrupted and not hr.postchecks[0].stopped and "failed after" in hr.error
    assert "postcheck session is administratively down: FAILED" in _report_text(report)[0]
