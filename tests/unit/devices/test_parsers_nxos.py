"""Cisco NX-OS getters: captured ``| json`` output published as NAPALM test data, plus
hand-written OSPF/route documents after NX-OS's TABLE_/ROW_ shape (see the fixture README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import ParseError, cisco_nxos as nxos
from netops.devices.policy import check_command
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

NXOS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "cisco_nxos"

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  leaf: {hostname: 127.0.9.31, platform: cisco_nxos}
"""


def read(host: str, slug: str) -> str:
    return (NXOS / host / f"{slug}.txt").read_text()


@pytest.fixture
def svc(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    fake = FakeTransport.from_dir(NXOS)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


def test_facts():
    f = nxos.parse_version(read("nxosv", "show_version_json"))
    assert (f.hostname, f.vendor, f.platform, f.os_version, f.model, f.serial) == (
        "nxos-spine1", "Cisco", "cisco_nxos", "7.3(1)D1(1)", "NX-OSv Chassis", "TM6017D760B")
    assert f.uptime_seconds == 47 * 86400 + 3600 + 37 * 60 + 11


def test_interfaces_physical_and_svi():
    i = nxos.parse_interfaces(read("nxosv", "show_interface_json"))
    e1, e2 = i.by_name("Ethernet1/1"), i.by_name("Ethernet1/2")
    assert e1.admin_up and not e1.oper_up and e1.mtu == 1500 and e1.mac == "2cc2.604f.feb2"
    assert not e2.admin_up
    s = nxos.parse_interfaces(read("svi", "show_interface_json"))
    assert s.by_name("Vlan120").addresses == ["192.168.0.10/24"] and s.by_name("Vlan120").oper_up
    assert not s.by_name("Vlan199").admin_up and s.by_name("Vlan199").description == "This is a description"


def test_bgp_every_vrf_and_family_with_asdot():
    b = nxos.parse_bgp_summary(read("asdot", "show_bgp_all_summary_vrf_all_json"))
    assert b.local_as == 8 * 65536 + 1201
    assert {n.vrf for n in b.neighbors} >= {"RED-PRE-PROD", "RED-PROD", "MGMT", "NON_PROD", "PROD", "BLUE"}
    assert {n.afi_safi for n in b.neighbors} == {"ipv4-unicast", "l2vpn-evpn"}
    n = next(n for n in b.neighbors if n.peer == "10.1.1.177")
    assert (n.vrf, n.remote_as, n.prefixes_received, n.uptime, n.uptime_seconds) == (
        "RED-PRE-PROD", 64862, 13, "6w3d", 6 * 604800 + 3 * 86400)


def test_bgp_evpn_peers():
    b = nxos.parse_bgp_summary(read("n9k", "show_bgp_all_summary_vrf_all_json"))
    assert (b.router_id, b.local_as) == ("10.55.8.1", 64861)
    assert [(n.peer, n.afi_safi, n.prefixes_received) for n in b.neighbors] == [
        ("10.55.8.134", "l2vpn-evpn", 9497), ("10.55.8.135", "l2vpn-evpn", 9497)]


def test_bgp_text_fallback_with_wrapped_ipv6_neighbors():
    b = nxos.parse_bgp_summary_text(read("text", "show_bgp_all_summary_vrf_all"))
    v6 = [n for n in b.neighbors if n.afi_safi == "ipv6-unicast"]
    assert {n.peer for n in v6} == {"2001:db8:4:701::2", "2001:db8:e0:dd::1", "2001:db8:e0:df::1"}
    assert all(n.vrf == "RED3" and n.established for n in v6)
    assert b.by_peer("10.1.0.1").uptime_seconds == 23 * 604800 + 2 * 86400 and b.by_peer("10.2.2.1").vrf == "RED2"


def test_ospf_neighbors_across_vrfs():
    o = nxos.parse_ospf_neighbors(read("leaf", "show_ip_ospf_neighbors_vrf_all_json"))
    p2p, bdr, start = o.neighbors
    assert (p2p.neighbor_id, p2p.state, p2p.full, p2p.role, p2p.interface) == (
        "10.255.0.1", "Full", True, None, "Ethernet1/49")
    assert bdr.role == "BDR" and start.state == "ExStart" and not start.full and start.interface == "Vlan50"
    assert [n.vrf for n in o.neighbors] == ["default", "default", "TENANT-A"]


@pytest.mark.parametrize("text", ["% Invalid command at '^' marker.\n", "",
                                  "Note:  process currently not running\n"])
def test_protocol_not_enabled_is_empty_with_a_note(text):
    assert nxos.parse_bgp_summary(text).note and nxos.parse_bgp_summary(text).neighbors == []
    assert nxos.parse_ospf_neighbors(text).note
    if text.strip():
        assert nxos.parse_ospf_neighbors_text(text).note and nxos.parse_bgp_summary_text(text).note


def test_ospf_text_fallback():
    """NX-OS 9.2 text captured in batfish/lab-validation (nxos_redistribution, d1_redist)."""
    text = ("OSPF Process ID 1 VRF default\n Total number of neighbors: 1\n"
            " Neighbor ID     Pri State            Up Time  Address         Interface\n"
            " 192.168.12.5      1 FULL/DR          23:04:24 10.15.41.2      Eth1/4\n")
    (n,) = nxos.parse_ospf_neighbors_text(text).neighbors
    assert (n.neighbor_id, n.state, n.full, n.role, n.address, n.interface, n.vrf) == (
        "192.168.12.5", "Full", True, "DR", "10.15.41.2", "Eth1/4", "default")


def test_ospf_text_fallback_names_each_neighbor_vrf():
    """``vrf all`` text prints one ``OSPF Process ID P VRF X`` section per VRF."""
    section = ("OSPF Process ID {0} VRF {1}\n Total number of neighbors: 1\n"
               " Neighbor ID     Pri State            Up Time  Address         Interface\n"
               " {2}      1 FULL/DR          23:04:24 10.15.41.2      Eth1/{3}\n")
    text = section.format(1, "default", "192.168.12.5", 4) + section.format(9, "TENANT-A", "192.168.50.1", 7)
    got = [(n.neighbor_id, n.interface, n.vrf) for n in nxos.parse_ospf_neighbors_text(text).neighbors]
    assert got == [("192.168.12.5", "Eth1/4", "default"), ("192.168.50.1", "Eth1/7", "TENANT-A")]


def test_route_lookup():
    r = nxos.parse_route(read("leaf", "show_ip_route_10_30_1_1_json"), "10.30.1.1")
    assert r.found and r.prefix == "10.30.0.0/16" and r.protocol == "bgp" and (r.distance, r.metric) == (20, 0)
    assert [(h.address, h.interface, h.active) for h in r.next_hops] == [
        ("10.0.1.0", "Eth1/49", True), ("10.0.1.2", "Eth1/50", False)]
    assert not nxos.parse_route(read("leaf", "show_ip_route_192_168_77_1_json"), "192.168.77.1").found


def test_malformed_output_is_a_parse_error():
    with pytest.raises(ParseError, match="TABLE_vrf"):
        nxos.parse_bgp_summary('{"something": 1}')
    with pytest.raises(ParseError):
        nxos.parse_version('{"host_name": "x"}')


def test_getters_through_the_service(svc):
    for getter, kw in [("facts", {}), ("interfaces", {}), ("bgp", {}), ("ospf", {}),
                       ("route", {"prefix": "10.30.1.1"}), ("config", {})]:
        r = svc.get("leaf", getter, **kw)["leaf"]
        assert r.ok, (getter, r.error)
    b = svc.get("leaf", "bgp")["leaf"].data
    assert b.neighbors == [] and "Invalid command" in b.note  # feature bgp not enabled
    sent = svc.fake.commands_for("leaf")
    assert "show bgp all summary vrf all | json" in sent and "show ip route 10.30.1.1 | json" in sent


@pytest.mark.parametrize("command, allowed", [
    ("show bgp all summary vrf all | json", True), ("show ip ospf neighbors vrf all | json", True),
    ("show ip route 10.0.0.1 | json-pretty", True), ("ping 10.0.0.1 count 3 vrf management", True),
    ("run bash", False), ("guestshell run ls", False), ("conf t", False), ("ping 10.0.0.1", False),
])
def test_read_only_policy(command, allowed):
    assert bool(check_command(command, "cisco_nxos")) is allowed


def test_interface_text_fallback_survives_lines_the_template_does_not_know():
    i = nxos.parse_interfaces_text(read("text", "show_interface"))
    mgmt, e21 = i.by_name("mgmt0"), i.by_name("Ethernet2/1")
    assert mgmt.addresses == ["10.0.0.71/24"] and mgmt.mtu == 1500 and mgmt.counters.rx_packets == 2322661
    assert e21.description == "Testing port descriptions" and e21.addresses == ["10.10.10.10/24"]
    assert e21.admin_up and e21.oper_up and e21.mtu is None


def test_text_rows_wrapped_after_a_long_as_number():
    """NX-OS wraps a row after a long AS number (ntc-templates test data,
    tests/cisco_nxos/show_ip_bgp_summary_vrf/cisco_nxos_show_ip_bgp_summary_vrf.raw)."""
    text = ("BGP summary information for VRF PURPLE, address family IPv4 Unicast\n"
            "BGP router identifier 1.1.1.1, local AS number 65001\n\n"
            "Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd\n"
            "10.101.1.1      4 4233316914\n"
            "                        14111081 14037706     1922    0    0     5w1d 100\n"
            "10.101.1.4      4 4255544594\n"
            "                        14124621 14051162     1922    0    0     5w1d 0\n")
    a, b = nxos.parse_bgp_summary_text(text).neighbors
    assert (a.peer, a.remote_as, a.prefixes_received, a.vrf, a.uptime_seconds) == (
        "10.101.1.1", 4233316914, 100, "PURPLE", 5 * 604800 + 86400)
    assert (b.peer, b.prefixes_received, b.established) == ("10.101.1.4", 0, True)
