"""Juniper Junos getters on output hand-written from Juniper's documented ``| display json``
shapes (``[{"data": ...}]`` leaves, ``junos:seconds`` attributes, a trailing ``{master}``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import ParseError, juniper_junos as junos
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

JUNOS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "juniper_junos"

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  pe1: {hostname: 127.0.9.21, platform: juniper_junos}
  pe-old: {hostname: 127.0.9.22, platform: juniper_junos}
"""


def read(slug: str, host: str = "pe1") -> str:
    return (JUNOS / host / f"{slug}.txt").read_text()


@pytest.fixture
def svc(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    fake = FakeTransport.from_dir(JUNOS)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


def test_facts_from_version_chassis_and_uptime():
    f = junos.parse_version(read("show_version_display_json"), read("show_chassis_hardware_display_json"),
                            read("show_system_uptime_display_json"))
    assert (f.hostname, f.vendor, f.os_version, f.model, f.serial, f.uptime_seconds) == (
        "pe1", "Juniper", "21.4R3-S5.4", "mx204", "VG0219AF0042", 2351900.0)


def test_old_junos_version_from_package_comment_and_multi_re_wrapping():
    doc = ('{"multi-routing-engine-results": [{"multi-routing-engine-item": [{"re-name": [{"data": "re0"}],'
           ' "software-information": [{"host-name": [{"data": "p9"}], "product-model": [{"data": "mx480"}],'
           ' "package-information": [{"name": [{"data": "junos"}], "comment": [{"data": "JUNOS Base OS boot [12.3R12.4]"}]}]}]}]}]}')
    f = junos.parse_version(doc)
    assert (f.hostname, f.os_version, f.model, f.serial, f.uptime_seconds) == ("p9", "12.3R12.4", "mx480", None, None)


def test_interfaces_physical_and_logical():
    i = junos.parse_interfaces(read("show_interfaces_display_json"))
    ge0 = i.by_name("ge-0/0/0")
    assert ge0.admin_up and ge0.oper_up and ge0.mtu == 1514 and ge0.mac == "2c:6b:f5:4e:91:c0"
    assert ge0.description == "transit-a 10.20.0.1" and ge0.addresses == []
    unit = i.by_name("ge-0/0/1.0")
    assert unit.addresses == ["10.20.0.10/30", "2001:db8:20::a/126", "fe80::2e6b:f5ff:fe4e:91c1/64"]
    assert unit.mtu == 9178 and unit.counters.rx_packets == 88120993
    assert not i.by_name("ge-0/0/2").admin_up
    assert i.by_name("ge-0/0/3").admin_up and not i.by_name("ge-0/0/3.0").oper_up  # link down
    parked = i.by_name("ge-0/0/3.100")
    assert not parked.admin_up and parked.description == "parked"
    assert i.by_name("lo0.0").addresses == ["10.255.0.21/32", "2001:db8:255::21/128"]


def test_bgp_summary_per_peer_and_rib():
    b = junos.parse_bgp_summary(read("show_bgp_summary_display_json"))
    assert (b.router_id, b.local_as) == (None, None)  # not in 'show bgp summary'
    transit = b.by_peer("10.20.0.1")
    assert transit.established and transit.remote_as == 65020 and transit.prefixes_received == 4
    assert transit.uptime_seconds == 529724 and transit.uptime == "6d 3:08:44" and transit.description == "transit-a"
    ibgp = [(n.vrf, n.afi_safi, n.prefixes_received) for n in b.neighbors if n.peer == "10.255.0.22"]
    assert ibgp == [("default", "ipv4-unicast", 7), ("CUST-A", "ipv4-unicast", 2)]
    down = b.by_peer("10.20.0.5")
    assert down.state == "Active" and not down.established and down.uptime is None and down.prefixes_received is None


def test_ospf_neighbors():
    o = junos.parse_ospf_neighbors(read("show_ospf_neighbor_display_json"))
    full, two_way = o.neighbors
    assert (full.neighbor_id, full.address, full.interface, full.full, full.dead_time_seconds, full.priority) == (
        "10.255.0.22", "10.20.0.9", "ge-0/0/1.0", True, 37.0, 128)
    assert two_way.state == "2-Way" and not two_way.full and two_way.role is None


def test_route_lookup():
    r = junos.parse_route(read("show_route_10_30_1_1_table_inet_0_display_json"), "10.30.1.1")
    assert r.found and r.prefix == "10.30.0.0/16" and r.protocol == "bgp" and (r.distance, r.metric) == (170, 20)
    assert [(h.address, h.interface, h.active) for h in r.next_hops] == [
        ("10.20.0.9", "ge-0/0/1.0", True), ("10.20.0.13", "ae0.0", False)]
    assert r.uptime == "6d 03:08:41"
    c = junos.parse_route(read("show_route_10_20_0_8_30_table_inet_0_display_json"), "10.20.0.8/30")
    assert c.protocol == "connected" and c.next_hops[0].interface == "ge-0/0/1.0" and c.next_hops[0].address is None
    assert not junos.parse_route(read("show_route_192_168_77_1_table_inet_0_display_json"), "192.168.77.1").found


@pytest.mark.parametrize("value, seconds", [
    ("44", 44), ("3:08", 188), ("3:08:44", 11324), ("6d 3:08:44", 529724), ("1w2d 3:08:44", 788924),
    ("3w6d 05:18", 2351880), ("soon", None),
])
def test_durations(value, seconds):
    assert junos.duration_seconds(value) == seconds


def test_text_fallbacks():
    b = junos.parse_bgp_summary_text(read("show_bgp_summary", "pe-old"))
    assert [(n.peer, n.established, n.prefixes_received) for n in b.neighbors] == [
        ("10.20.0.1", True, 4), ("10.20.0.5", False, None), ("10.255.0.22", True, 7)]
    o = junos.parse_ospf_neighbors_text(read("show_ospf_neighbor", "pe-old"))
    assert [(n.neighbor_id, n.state) for n in o.neighbors] == [("10.255.0.22", "Full"), ("10.255.0.23", "2-Way")]


@pytest.mark.parametrize("text, match", [
    ("\nerror: the routing subsystem is not running\n", "routing subsystem is not running"),
    ('{"route-information": []}', "no 'bgp-information' element"),
    ("{not json", "did not return JSON"),
    ('{"bgp-information": [{"bgp-peer": [{"peer-as": [{"data": "65001"}], "peer-state": [{"data": "Active"}]}]}]}',
     "without a peer-address"),
])
def test_malformed_bgp_is_a_parse_error(text, match):
    with pytest.raises(ParseError, match=match):
        junos.parse_bgp_summary(text)


def test_getters_through_the_service(svc):
    for getter, kw in [("facts", {}), ("interfaces", {}), ("bgp", {}), ("ospf", {}),
                       ("route", {"prefix": "10.30.1.1"}), ("config", {})]:
        r = svc.get("pe1", getter, **kw)["pe1"]
        assert r.ok, (getter, r.error)
    assert svc.get("pe1", "facts")["pe1"].data.serial == "VG0219AF0042"
    text = svc.get("pe1", "config")["pe1"].data.text
    assert "autonomous-system 65010" in text and "$6$" not in text  # the service redacts secrets
    assert "show route 10.30.1.1 table inet.0 | display json" in svc.fake.commands_for("pe1")


def test_service_falls_back_to_text_without_json(svc):
    r = svc.get("pe-old", "bgp")["pe-old"]
    assert r.ok and r.data.by_peer("10.255.0.22").prefixes_received == 7
    assert svc.fake.commands_for("pe-old")[-2:] == ["show bgp summary | display json", "show bgp summary"]
    assert svc.get("pe-old", "ospf")["pe-old"].ok


def test_malformed_output_is_a_failed_result(svc):
    svc.fake.outputs["pe1"]["show_ospf_neighbor_instance_all_display_json"] = '{"ospf-neighbor-information": [{"ospf-neighbor": [{}]}]}'
    r = svc.get("pe1", "ospf")["pe1"]
    assert r.failed and r.error_type == "ParseError" and "show ospf neighbor" in r.error
    svc.fake.outputs["pe1"]["show_version_display_json"] = "error: could not connect to mgd\n"
    f = svc.get("pe1", "facts")["pe1"]
    assert f.failed and "could not connect to mgd" in f.error
