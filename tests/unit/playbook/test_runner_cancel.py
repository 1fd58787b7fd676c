"""Runner cancellation with a CancelToken: at every stage nothing stays changed (FRR simulator,
real DeviceService, real SQLite audit). The same on real routers: tests/integration."""

from __future__ import annotations

import pytest

from netops.cancel import CancelToken
from netops.errors import ApprovalDenied
from netops.playbook.approval import AllowAll
from netops.playbook.runner import execute, plan

DESC = {"interface": "eth-r2", "description": "cancel test"}


@pytest.fixture
def multi(vetted):
    """interface-description allowed on three hosts at once (re-vetted, as a reviewer would)."""
    y = vetted.path_of("interface-description") / "playbook.yaml"
    y.write_text(y.read_text().replace("max_hosts: 1", "max_hosts: 3"))
    vetted.lock_for(vetted.get("interface-description")).vet(vetted.get("interface-description"), "unit-reviewer")
    return vetted


def _run(pb_settings, devices, audit, token, on_progress, batch=1):
    p = plan(pb_settings, "interface-description", "r1,r2,r3", DESC, devices=devices, audit=audit)
    return execute(p, approver=AllowAll(), devices=devices, audit=audit, cancel=token,
                   on_progress=on_progress, batch=batch)


@pytest.mark.parametrize("host,stage", [
    ("r1", "precheck"), ("r1", "snapshot"), ("r1", "apply"), ("r1", "postcheck"),
    ("r1", "verified"), ("r2", "postcheck"),
])
def test_cancel_at_each_stage_leaves_every_router_as_it_was(pb_settings, multi, devices, sim, audit, host, stage):
    before = {n: r.running() for n, r in sim.routers.items()}
    token = CancelToken()
    stages = []

    def on_progress(ev):
        stages.append((ev.host, ev.stage))
        if (ev.host, ev.stage) == (host, stage):
            token.cancel("cancelled by the test")

    report = _run(pb_settings, devices, audit, token, on_progress)
    assert report.interrupted and report.failed
    assert {n: r.running() for n, r in sim.routers.items()} == before
    after_cancel = stages[stages.index((host, stage)) + 1:]
    assert not any(s in ("apply", "snapshot") and h != host for h, s in after_cancel), after_cancel  # no next host
    changed = [n for n, r in report.hosts.items() if r.applied]
    assert all(report.hosts[n].state == "rolled_back" for n in changed)
    for n in changed:
        rb = [r.payload for r in audit.list(kind="rollback", limit=None) if r.payload["host"] == n][-1]
        assert rb["verified_equal_to_snapshot"] is True
    cancel = audit.list(kind="cancel")[-1].payload
    assert cancel["reason"] == "cancelled by the test"
    result = audit.list(kind="result")[-1].payload
    assert result["interrupted"] and result["cancel_reason"] == "cancelled by the test"
    assert audit.verify().ok


def test_verified_hosts_of_earlier_batches_are_rolled_back_too(pb_settings, multi, devices, sim, audit):
    before = {n: r.running() for n, r in sim.routers.items()}
    token = CancelToken()

    def on_progress(ev):
        if (ev.host, ev.stage) == ("r2", "verified"):
            token.cancel("stop")

    report = _run(pb_settings, devices, audit, token, on_progress)
    assert [report.hosts[h].state for h in ("r1", "r2", "r3")] == ["rolled_back", "rolled_back", "skipped"]
    assert {n: r.running() for n, r in sim.routers.items()} == before
    assert sim.routers["r3"].configs == []


def test_cancelled_before_approval_changes_nothing(pb_settings, multi, devices, sim, audit):
    token = CancelToken()
    token.cancel("gone")
    p = plan(pb_settings, "interface-description", "r1", DESC, devices=devices, audit=audit)
    with pytest.raises(ApprovalDenied):
        execute(p, approver=AllowAll(), devices=devices, audit=audit, cancel=token)
    assert all(r.configs == [] for r in sim.routers.values())
    assert "gone" in audit.list(kind="denial")[-1].payload["reason"]


def test_progress_stages_of_a_clean_run(pb_settings, multi, devices, sim, audit):
    stages = []
    report = _run(pb_settings, devices, audit, None, lambda ev: stages.append((ev.host, ev.stage, ev.ok)))
    assert not report.failed
    assert [s for h, s, _ in stages if h == "r1"] == ["precheck", "snapshot", "apply", "postcheck", "verified"]
    assert stages[-1] == ("r3", "verified", True)


def test_a_cancel_after_the_snapshot_but_before_the_change_leaves_nothing_to_recover(pb_settings, multi, devices,
                                                                                      sim, audit):
    """Ctrl+C (or closing the chat) once r1's snapshot is journaled but before a line is sent:
    r1 is 'skipped', yet the journal kept it pending, so the run handed its journal over and a
    recovery (the router-side guard, on the lab) then 'recovered' a router nobody had touched;
    another chat on the same NETOPS_HOME toasted 'a change interrupted earlier was put back'
    with 'ended with r3 not put back; r3 is unchanged' (seen by hand in tmux). The run now
    settles such a host itself: no journal is left and a recovery finds nothing."""
    from netops.playbook.journal import unfinished_quick
    from netops.playbook.recover import recover

    before = {n: r.running() for n, r in sim.routers.items()}
    token = CancelToken()

    def on_progress(ev):
        if (ev.host, ev.stage) == ("r1", "apply"):  # snapshot journaled, nothing sent yet
            token.cancel("the chat was closed during the change")

    report = _run(pb_settings, devices, audit, token, on_progress)
    assert report.hosts["r1"].state == "skipped" and report.interrupted
    assert {n: r.running() for n, r in sim.routers.items()} == before
    assert unfinished_quick(pb_settings.paths.home) == []
    assert recover(pb_settings, devices, audit) == []
    assert audit.list(kind="recover") == []
