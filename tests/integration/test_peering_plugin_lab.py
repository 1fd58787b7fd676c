"""The example team plugin (netops-peering) on the real FRR lab, loaded through a real entry
point: its playbooks go through plan, approval, postchecks and rollback like built-ins, its
lock gates them, and its parser reads a live router."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops import plugins
from netops.errors import NotVetted
from netops.playbook.approval import Approval
from netops.playbook.runner import execute, plan
from netops.testing.plugins import forget, install_copy

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
TURN_UP = {"local_as": 65001, "neighbor": "198.51.100.254", "peer_as": 64999,
           "peer_name": "Lab IXP Peer", "max_prefixes": 100}


class RecordingApprover:
    """Approves, remembering what it was shown (the plan comes first, then the decision)."""

    def __init__(self) -> None:
        self.seen = []

    def approve(self, p):
        self.seen.append(p)
        return Approval(True, "lab-tester", "looks right")


@pytest.fixture
def peering(lab_clean, tmp_path, monkeypatch):
    """A private copy of the plugin behind an entry point, a per-test home and audit log."""
    from netops.devices.service import DeviceService
    from netops.store.audit import AuditLog

    site = tmp_path / "site"
    copy = install_copy(REPO / "plugins" / "netops-peering", site, "netops-peering", "peering",
                        "netops_peering.plugin", version="0.2.0")
    monkeypatch.syspath_prepend(str(site))
    forget("netops_peering")
    plugins.reset()
    settings = lab_clean.settings.model_copy(update={"home": tmp_path / "home", "user": "lab-tester"})
    audit = AuditLog.from_settings(settings)
    devices = DeviceService(settings, recorder=audit.recorder("lab-tester"))
    yield settings, devices, audit, lab_clean, copy
    devices.close()
    audit.close()
    plugins.reset()
    forget("netops_peering")


def _neighbor(lab, router, addr):
    return json.loads(lab.lab.vtysh(router, f"show bgp neighbors {addr} json")).get(addr)


def test_turn_up_plans_asks_verifies_and_is_audited(peering):
    settings, devices, audit, lab, _ = peering
    assert _neighbor(lab, "r1", "198.51.100.254") is None
    p = plan(settings, "ixp-peer-turn-up", "r1", TURN_UP, devices=devices, audit=audit)
    hp = p.host_plans["r1"]
    assert p.ok and "neighbor 198.51.100.254 maximum-prefix 100 80" in hp.commands
    assert "+ neighbor 198.51.100.254 remote-as 64999" in (hp.diff or "").replace("+  ", "+ ")
    approver = RecordingApprover()
    report = execute(p, approver=approver, devices=devices, audit=audit)
    assert approver.seen == [p]
    hr = report.hosts["r1"]
    assert not report.failed and hr.state == "verified", hr.error
    peer = _neighbor(lab, "r1", "198.51.100.254")
    af = peer["addressFamilyInfo"]["ipv4Unicast"]
    assert peer["remoteAs"] == 64999 and peer["nbrDesc"] == "Lab IXP Peer"
    assert af["prefixAllowedMax"] == 100 and af["prefixAllowedWarningThresh"] == 80
    assert af["routeMapForIncomingAdvertisements"] == "IXP-PEER-IN"
    assert af["routeMapForOutgoingAdvertisements"] == "IXP-OUT"
    kinds = [r.kind for r in audit.list()]
    assert {"plan", "approval", "apply", "postcheck"} <= set(kinds), kinds

    # The maintenance playbook now finds the peer on the team's export policy and flips it.
    m = plan(settings, "ixp-peer-maintenance", "r1", {"local_as": 65001, "neighbor": "198.51.100.254"},
             devices=devices, audit=audit)
    assert m.ok, [(c.name, c.summary) for c in m.host_plans["r1"].prechecks]
    assert not execute(m, approver=RecordingApprover(), devices=devices, audit=audit).failed
    out = _neighbor(lab, "r1", "198.51.100.254")["addressFamilyInfo"]["ipv4Unicast"]
    assert out["routeMapForOutgoingAdvertisements"] == "IXP-OUT-MAINT"
    assert "set community graceful-shutdown additive" in lab.lab.running_config("r1")  # FRR's name for 65535:0


def test_forced_rollback_leaves_the_router_byte_identical(peering):
    from netops.playbook.catalogue import Catalogue

    settings, devices, audit, lab, copy = peering
    spec = copy / "playbooks" / "ixp-peer-turn-up" / "playbook.yaml"
    old = "prefixAllowedMax == {{ max_prefixes }}"
    assert old in spec.read_text()
    spec.write_text(spec.read_text().replace(old, "prefixAllowedMax == 7").replace("within: 10s", "within: 2s"))
    with pytest.raises(NotVetted, match="edited after review"):
        plan(settings, "ixp-peer-turn-up", "r1", TURN_UP, devices=devices)
    cat = Catalogue(settings)
    cat.vet("ixp-peer-turn-up", "lab-tester (forcing a rollback)")
    before = lab.lab.vtysh("r1", "show running-config")
    p = plan(settings, "ixp-peer-turn-up", "r1", TURN_UP, devices=devices, audit=audit)
    report = execute(p, approver=RecordingApprover(), devices=devices, audit=audit)
    hr = report.hosts["r1"]
    assert report.failed and hr.state == "rolled_back", hr.error
    assert lab.lab.vtysh("r1", "show running-config") == before
    assert _neighbor(lab, "r1", "198.51.100.254") is None
    rb = audit.list(kind="rollback")[-1].payload
    assert rb["ok"] and rb["verified_equal_to_snapshot"]


def test_editing_a_template_after_vetting_is_refused(peering):
    settings, devices, audit, lab, copy = peering
    template = copy / "playbooks" / "ixp-peer-turn-up" / "frr.j2"
    template.write_text(template.read_text().replace("maximum-prefix", "maximum-prefix 9999999 #"))
    with pytest.raises(NotVetted, match="edited after review"):
        plan(settings, "ixp-peer-turn-up", "r1", TURN_UP, devices=devices, audit=audit)
    assert lab.lab.running_config("r1") == lab.baseline["r1"]


def test_prefix_limit_on_a_live_peer_and_its_parser(peering):
    settings, devices, audit, lab, _ = peering
    from netops_peering.prefix_counts import PrefixCounts

    agg = devices.run("r1", "show bgp ipv4 unicast neighbors 198.51.100.2 prefix-counts")
    counts = agg["r1"].data
    assert isinstance(counts, PrefixCounts) and counts.neighbor == "198.51.100.2" and counts.counts["valid"] >= 1
    p = plan(settings, "ixp-peer-prefix-limit", "r1", {"neighbor": "198.51.100.2", "max_prefixes": 500},
             devices=devices, audit=audit)
    assert p.ok and p.host_plans["r1"].facts["old_limit"] == 0
    assert "no neighbor 198.51.100.2 maximum-prefix" in p.host_plans["r1"].rollback
    assert not execute(p, approver=RecordingApprover(), devices=devices, audit=audit).failed
    af = _neighbor(lab, "r1", "198.51.100.2")["addressFamilyInfo"]["ipv4Unicast"]
    assert af["prefixAllowedMax"] == 500 and af["prefixAllowedWarningThresh"] == 90
    assert _neighbor(lab, "r1", "198.51.100.2")["bgpState"] == "Established"
    lower = plan(settings, "ixp-peer-prefix-limit", "r1", {"neighbor": "198.51.100.2", "max_prefixes": 400},
                 devices=devices, audit=audit)
    assert not lower.ok
