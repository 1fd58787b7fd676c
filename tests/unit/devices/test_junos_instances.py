"""Junos routing instances (vendors34): OSPF adjacencies and BGP sessions inside a VRF.

The OSPF getter read ``show ospf neighbor | display json``, the master instance only, while the
NX-OS and IOS-XR getters read every VRF: a VRF's adjacency that was down could not be seen. It
reads ``show ospf neighbor instance all`` now (JSON; the text where the release has no JSON).
A device whose BGP is only inside a routing instance (``set routing-instances X protocols bgp``)
was not seen as one that should run BGP.

Captures (third-party test data, unmodified; ``tests/fixtures/devices/juniper_junos/README.md``):
``sweep/suzieq_show_ospf_neighbor_instance_all_detail_display_json.txt`` (netenglabs/suzieq,
Apache-2.0, ``tests/integration/sqcmds/junos-input/ospfNbr.output`` host leaf01, a vQFX on 19.4),
``sweep/genie_show_ospf_neighbor_instance_all.txt`` and ``sweep/genie_show_bgp_summary_instance.txt``
(CiscoTestAutomation/genieparser, Apache-2.0, ``junos/tests/ShowOspfNeighborInstanceAll`` and
``ShowBgpSummaryInstance`` golden outputs). ``pe1/`` and ``pe-old/`` are hand-written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.credentials import Credentials
from netops.devices.getters import resolve_getter
from netops.devices.inventory import Host
from netops.devices.parsers import juniper_junos as junos
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

JUNOS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "juniper_junos"


def fx(name: str) -> str:
    return (JUNOS / name).read_text(encoding="utf-8")


def test_instance_all_json_capture_is_read():
    o = junos.parse_ospf_neighbors(fx("sweep/suzieq_show_ospf_neighbor_instance_all_detail_display_json.txt"))
    assert [(n.neighbor_id, n.address, n.interface, n.state, n.full, n.vrf) for n in o.neighbors] == [
        ("10.0.0.21", "10.0.0.21", "xe-0/0/0.0", "Full", True, "default"),
        ("10.0.0.22", "10.0.0.22", "xe-0/0/1.0", "Full", True, "default")]


def test_instance_all_text_capture_is_read():
    o = junos.parse_ospf_neighbors_text(fx("sweep/genie_show_ospf_neighbor_instance_all.txt"))
    assert [(n.neighbor_id, n.interface, n.full, n.priority, n.vrf) for n in o.neighbors] == [
        ("10.189.5.253", "ge-0/0/0.0", True, 128, "default"), ("10.169.14.240", "ge-0/0/1.0", True, 128, "default"),
        ("10.19.198.239", "ge-0/0/2.0", True, 1, "default")]


@pytest.fixture
def svc(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text("hosts:\n  pe1: {hostname: 192.0.2.10, platform: juniper_junos}\n"
                   "  pe-old: {hostname: 192.0.2.11, platform: juniper_junos}\n")
    fake = FakeTransport.from_dir(JUNOS)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


def test_the_ospf_getter_reads_every_routing_instance(svc):
    r = svc.get("pe1", "ospf")["pe1"]
    assert r.ok, r.error
    assert svc.fake.commands_for("pe1") == ["show ospf neighbor instance all | display json"]
    assert [(n.neighbor_id, n.vrf, n.state) for n in r.data.neighbors] == [
        ("10.255.0.22", "default", "Full"), ("10.255.0.23", "default", "2-Way"), ("192.168.50.2", "CUST-A", "Init")]


def test_without_json_the_text_of_every_instance_is_read(svc):
    r = svc.get("pe-old", "ospf")["pe-old"]
    assert r.ok, r.error
    assert svc.fake.commands_for("pe-old") == ["show ospf neighbor instance all | display json",
                                               "show ospf neighbor instance all"]
    assert [(n.neighbor_id, n.vrf, n.full) for n in r.data.neighbors] == [
        ("10.255.0.22", "default", True), ("10.255.0.23", "default", False), ("192.168.50.2", "CUST-A", True)]


def test_the_plain_commands_reply_is_still_read():
    o = junos.parse_ospf_neighbors(fx("pe1/show_ospf_neighbor_display_json.txt"))
    assert [n.neighbor_id for n in o.neighbors] == ["10.255.0.22", "10.255.0.23"] and o.neighbors[0].vrf is None


def test_a_bgp_summary_of_one_instance_names_its_vrf():
    b = junos.parse_bgp_summary_text(fx("sweep/genie_show_bgp_summary_instance.txt"))
    assert [(n.peer, n.remote_as, n.established, n.vrf, n.afi_safi, n.prefixes_received) for n in b.neighbors] == [
        ("192.168.1.2", 65001, True, "VRF-TEST001", "ipv4-unicast", 0)]


_OFF = '{"output": [{"data": "BGP is not running"}]}'


@pytest.mark.parametrize(("config", "expected"), [
    ("set version 21.4R3\nset routing-instances CUST-A instance-type vrf\n"
     "set routing-instances CUST-A protocols bgp group ce neighbor 192.0.2.1 peer-as 65100\n",
     "BGP in its running configuration"),
    ("set logical-systems LS1 protocols bgp group core neighbor 192.0.2.5\n", "BGP in its running configuration"),
    ("set logical-systems LS1 routing-instances V protocols bgp group core neighbor 192.0.2.5\n",
     "BGP in its running configuration"),
    # a firewall zone allowing BGP in is no BGP configuration
    ("set security zones security-zone trust host-inbound-traffic protocols bgp\n", None),
])
def test_bgp_only_inside_a_routing_instance_says_it_should_run(config, expected):
    host = Host(name="pe9", hostname="192.0.2.9", port=22, platform="juniper_junos", credentials=Credentials(), data={})

    def read(command: str) -> str:
        return {"show bgp summary | display json": _OFF, "show configuration": config}[command]

    _, get = resolve_getter("bgp", {})
    found = get(host, read)
    assert found.expected == expected, found.note


def test_a_vrfs_adjacency_is_shown_with_its_vrf(svc, capsys):
    """`netops state pe1 ospf` and the offline answer name the VRF of an adjacency outside the
    default instance (the same neighbour id can be in two instances)."""
    from rich.console import Console

    from netops.agent.offline import _summarise
    from netops.cli.devices_render import render_state

    agg = svc.get("pe1", "ospf")
    console = Console(width=200, record=True)
    render_state(console, "ospf_neighbors", agg)
    out = console.export_text()
    assert "vrf" in out and "CUST-A" in out
    rows = _summarise("ospf_neighbors", agg["pe1"].data, {})
    assert "192.168.50.2 via ge-0/0/3.100 (192.168.50.2) in VRF CUST-A: Init" in rows
    assert "10.255.0.22 via ge-0/0/1.0 (10.20.0.9): Full" in rows
