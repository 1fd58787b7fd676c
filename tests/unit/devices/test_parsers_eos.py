"""Arista EOS getters on output hand-written from Arista's documented eAPI JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.devices.parsers import ParseError, arista_eos
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

EOS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "arista_eos"
NOW = 1717936431.0  # the fixtures' "now" (their counterRefreshTime)

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  leaf1: {hostname: 127.0.9.11, platform: arista_eos}
  leaf-old: {hostname: 127.0.9.12, platform: arista_eos}
"""


def read(slug: str, host: str = "leaf1") -> str:
    return (EOS / host / f"{slug}.txt").read_text()


@pytest.fixture
def svc(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    fake = FakeTransport.from_dir(EOS)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


def test_facts():
    f = arista_eos.parse_version(read("show_version_json"), read("show_hostname_json"))
    assert (f.hostname, f.vendor, f.os_version, f.model, f.serial) == (
        "leaf1", "Arista", "4.30.4M", "DCS-7050SX3-48YC8-F", "JPE20481177")
    assert f.uptime_seconds == pytest.approx(1736431.52)


def test_interfaces():
    i = arista_eos.parse_interfaces(read("show_interfaces_json"))
    e1, e2, e48 = i.by_name("Ethernet1"), i.by_name("Ethernet2"), i.by_name("Ethernet48")
    assert e1.admin_up and e1.oper_up and e1.addresses == ["10.0.1.1/31"] and e1.mtu == 9214
    assert e1.counters.rx_errors == 7 and e1.counters.rx_bytes == 918273645501
    assert e1.counters.rx_packets == 1203948571 + 402211 + 12
    assert e2.admin_up and not e2.oper_up  # notconnect: enabled, link down
    assert not e48.admin_up and e48.addresses == [] and e48.description is None
    assert i.by_name("Loopback0").counters is None and i.by_name("Loopback0").mac is None
    assert i.by_name("Management1").addresses == ["192.168.200.11/24", "192.168.201.11/24"]


def test_bgp_summary_across_vrfs():
    b = arista_eos.parse_bgp_summary(read("show_ip_bgp_summary_vrf_all_json"), now=NOW)
    assert (b.router_id, b.local_as) == ("10.255.0.11", 65101)
    up, down, fw = b.by_peer("10.0.1.0"), b.by_peer("10.0.1.2"), b.by_peer("10.99.0.1")
    assert up.established and up.remote_as == 65000 and up.prefixes_received == 14 and up.description == "spine1"
    assert up.uptime_seconds == pytest.approx(NOW - 1717850000.437112) and up.uptime == "1d00h00m"
    assert not down.established and down.state == "Active" and down.prefixes_received is None and down.uptime is None
    assert fw.vrf == "TENANT-A" and fw.remote_as == 65501 and fw.uptime == "10:07:11"


def test_ospf_neighbors():
    o = arista_eos.parse_ospf_neighbors(read("show_ip_ospf_neighbor_json"), now=NOW)
    p2p, dr, init = o.neighbors
    assert (p2p.neighbor_id, p2p.interface, p2p.address, p2p.state, p2p.full, p2p.role) == (
        "10.255.0.1", "Ethernet1", "10.0.1.0", "Full", True, None)
    assert p2p.dead_time_seconds == pytest.approx(35.5) and p2p.priority == 0
    assert dr.role == "DR" and dr.full
    assert init.state == "Init" and not init.full and init.role == "DROther"
    assert {n.vrf for n in o.neighbors} == {"default"}  # the key of "vrfs" the rows are under


def test_ospf_neighbors_name_their_vrf():
    row = {"routerId": "10.9.9.{}", "interfaceName": "Ethernet{}", "adjacencyState": "full", "drState": "P2P"}
    def inst(i):
        return {"instList": {"1": {"ospfNeighborEntries": [{k: v.format(i) for k, v in row.items()}]}}}
    doc = {"vrfs": {"default": inst(1), "BLUE": inst(2)}}
    got = [(n.neighbor_id, n.vrf) for n in arista_eos.parse_ospf_neighbors(json.dumps(doc), now=NOW).neighbors]
    assert got == [("10.9.9.1", "default"), ("10.9.9.2", "BLUE")]


def test_route_lookup():
    r = arista_eos.parse_route(read("show_ip_route_10_30_1_1_json"), "10.30.1.1")
    assert r.found and r.prefix == "10.30.0.0/16" and r.protocol == "bgp" and (r.distance, r.metric) == (200, 0)
    assert [(h.address, h.interface) for h in r.next_hops] == [("10.0.1.0", "Ethernet1"), ("10.0.1.2", "Ethernet2")]
    c = arista_eos.parse_route(read("show_ip_route_10_0_1_0_31_json"), "10.0.1.0/31")
    assert c.protocol == "connected" and c.next_hops[0].address is None and c.next_hops[0].interface == "Ethernet1"
    assert not arista_eos.parse_route(read("show_ip_route_192_168_77_1_json"), "192.168.77.1").found


def test_text_fallbacks_through_ntc_templates():
    b = arista_eos.parse_bgp_summary_text(read("show_ip_bgp_summary_vrf_all", "leaf-old"))
    assert (b.router_id, b.local_as) == ("10.255.0.11", 65101)
    assert b.by_peer("10.0.1.0").prefixes_received == 14 and not b.by_peer("10.0.1.2").established
    o = arista_eos.parse_ospf_neighbors_text(read("show_ip_ospf_neighbor", "leaf-old"))
    assert [(n.neighbor_id, n.full, n.role, n.dead_time_seconds) for n in o.neighbors] == [
        ("10.255.0.1", True, None, 35.0), ("10.255.0.21", True, "DR", 31.0)]


@pytest.mark.parametrize("text, match", [
    ("% Invalid input (at token 1: 'bgp')\n", "failed on the device"),
    ("not json at all\n", "did not return JSON"),
    ('{"vrfs": {"default": {"peers": {"10.0.0.1": {"asn": "65000"}}}}, "errors": ["BGP inactive"]}', "BGP inactive"),
    ('{"vrfs": "oops"}', "no 'vrfs' object"),
    ('{"vrfs": {"default": {"peers": {"10.0.0.1": 7}}}}', "unexpected shape"),
])
def test_malformed_bgp_is_a_parse_error(text, match):
    with pytest.raises(ParseError, match=match):
        arista_eos.parse_bgp_summary(text, now=NOW)


def test_getters_through_the_service_use_json_commands(svc):
    for getter, kw in [("facts", {}), ("interfaces", {}), ("bgp", {}), ("ospf", {}),
                       ("route", {"prefix": "10.30.1.1"}), ("config", {})]:
        r = svc.get("leaf1", getter, **kw)["leaf1"]
        assert r.ok, (getter, r.error)
    assert svc.get("leaf1", "facts")["leaf1"].data.hostname == "leaf1"
    assert "router bgp 65101" in svc.get("leaf1", "config")["leaf1"].data.text
    assert "show ip route 10.30.1.1 | json" in svc.fake.commands_for("leaf1")
    assert svc.get("leaf1", "bgp")["leaf1"].data.by_peer("10.0.1.0").established


def test_service_falls_back_to_text_when_json_is_refused(svc):
    r = svc.get("leaf-old", "bgp")["leaf-old"]
    assert r.ok and r.data.by_peer("10.0.1.0").prefixes_received == 14
    assert svc.fake.commands_for("leaf-old")[:2] == ["show ip bgp summary vrf all | json", "show ip bgp summary vrf all"]
    assert svc.get("leaf-old", "ospf")["leaf-old"].data.by_id("10.255.0.21").role == "DR"


def test_malformed_output_is_a_failed_result_not_an_exception(svc):
    svc.fake.outputs["leaf1"]["show_interfaces_json"] = '{"interfaces": {"Ethernet1": {"name": "Ethernet1", "interfaceAddress": [{"primaryIp": "10.0.0.1"}]}}}'
    svc.fake.outputs["leaf1"]["show_version_json"] = "garbage"
    r = svc.get("leaf1", "interfaces")["leaf1"]
    assert r.failed and r.error_type == "ParseError" and "show interfaces | json" in r.error
    f = svc.get("leaf1", "facts")["leaf1"]
    assert f.failed and "did not return JSON" in f.error
    # a command the fixtures lack: the fake answers like a device ("% Unknown command")
    missing = svc.get("leaf1", "route", prefix="10.77.0.0/16")["leaf1"]
    assert missing.failed and "failed on the device" in missing.error
