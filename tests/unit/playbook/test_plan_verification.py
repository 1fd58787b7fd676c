"""trial37: the approval said "a / y approve (applies, post-checks, rolls back on failure)" and showed the
prechecks, commands and diff, but not which post-checks: router-undrain's "every BGP session is Established
(within 30s)" was met only when it failed and rolled the undrain back. Every surface that shows a plan (the
chat's approval, `netops playbook run`, the text the dry run and the model get, --json) now lists them."""

from __future__ import annotations

from pathlib import Path

from netops.playbook.runner import HostPlan, Plan
from netops.playbook.spec import load_playbook

BOOKS = Path(__file__).resolve().parents[3] / "playbooks"
UNDRAIN = ["OSPF max-metric is off (within 10s)", "BGP graceful-shutdown is off (within 5s)",
           "every BGP session is Established (within 30s)"]


def _plan() -> Plan:
    pb = load_playbook(BOOKS / "router-undrain")
    return Plan(playbook="router-undrain", version="1", hash="sha256:0", risk="medium", read_only=False, mode="config",
                description=pb.spec.description, params={}, targets="r3", hosts=["r3"],
                host_plans={"r3": HostPlan(host="r3", platform="frr", commands=["router ospf"])},
                reviewer="netops-core", created_at="2026-12-05T02:00:00Z", _playbook=pb)


def test_a_plan_names_the_post_checks_that_verify_it():
    assert _plan().verification == UNDRAIN
    assert _plan().to_dict()["postchecks"] == UNDRAIN


def test_every_surface_that_shows_a_plan_lists_its_post_checks(capsys):
    from rich.console import Console

    from netops.agent.change_tools import _plan_text
    from netops.cli.playbook import _render_plan
    from netops.tui.render import plan_renderable

    console = Console(width=120, record=True)
    console.print(plan_renderable(_plan()))
    _render_plan(_plan())
    for shown in (console.export_text(), capsys.readouterr().out, _plan_text(_plan())):
        assert "verified after the change by (a failure rolls the host back):" in shown, shown
        for check in UNDRAIN:
            assert f"postcheck {check}" in shown, shown
