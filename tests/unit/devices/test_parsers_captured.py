"""Issue 13 cases on output captured from real devices (provenance: each fixture folder's README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import arista_eos, cisco_ios, juniper_junos as junos, to_asn

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"


def read(platform: str, host: str, slug: str) -> str:
    return (FIX / platform / host / f"{slug}.txt").read_text()


@pytest.mark.parametrize("value, asn", [
    ("65002.2048", 65002 * 65536 + 2048), ("65002", 65002), (65002, 65002), ("AS65001", 65001),
    ("4259907584", 4259907584), ("0.65535", 65535), ("", None), (None, None), ("-", None),
    ("65536.1", None), ("4294967296", None), (True, None),
])
def test_asdot_and_asplain_become_one_integer(value, asn):
    assert to_asn(value) == asn


# -- Junos -----------------------------------------------------------------------------------------

def test_junos_routing_engine_interfaces_with_non_ip_locals():
    """vMX 25.4: em1.0 carries the internal 'tnp' family whose ifa-local is 0x4."""
    i = junos.parse_interfaces(read("juniper_junos", "vmx-r1", "show_interfaces_display_json"))
    em1 = i.by_name("em1.0")
    assert em1.addresses == ["10.0.0.4/8", "128.0.0.1/2", "128.0.0.4/2",
                             "fe80::5254:ff:fe12:bdfe/64", "fec0::a:0:0:4/64"]
    assert not any("0x" in a for x in i.interfaces for a in x.addresses)
    assert i.by_name("fxp0.0").addresses[0] == "10.0.0.15/24"
    lo = i.by_name("lo0.0")  # loopback units have no "Up" flag and are up
    assert lo.oper_up and "10.255.0.1/32" in lo.addresses and "2001:db8::1/128" in lo.addresses


@pytest.mark.parametrize("host", ["vmx-r1", "vqfx-bor01"])
def test_junos_ospf_not_running_is_empty_with_a_note(host):
    o = junos.parse_ospf_neighbors(read("juniper_junos", host, "show_ospf_neighbor_display_json"))
    assert o.neighbors == [] and "OSPF instance is not running" in o.note


@pytest.mark.parametrize("text", [
    '{\n    "output" : [\n    {\n        "data" : "BGP is not running"\n    }\n    ]\n}\n\n{master:0}\n',
    "BGP is not running\n",
])
def test_junos_bgp_not_running_is_empty_with_a_note(text):
    b = junos.parse_bgp_summary(text) if text.startswith("{") else junos.parse_bgp_summary_text(text)
    assert b.neighbors == [] and "BGP is not running" in b.note


def test_junos_versions_of_real_routers():
    assert junos.parse_version(read("juniper_junos", "vmx-r1", "show_version_display_json")).os_version == "25.4R1.12"
    f = junos.parse_version(read("juniper_junos", "vqfx-bor01", "show_version_display_json"))
    assert (f.hostname, f.model, f.os_version) == ("bor01", "vqfx-10000", "17.4R1.16")


@pytest.mark.parametrize("rib, vrf, afi", [
    ("inet.0", "default", "ipv4-unicast"), ("inet6.0", "default", "ipv6-unicast"),
    ("CUST-A.inet.0", "CUST-A", "ipv4-unicast"), ("CUST-A.inet6.0", "CUST-A", "ipv6-unicast"),
    ("bgp.l3vpn.0", "default", "vpnv4-unicast"), ("bgp.l3vpn-inet6.0", "default", "vpnv6-unicast"),
    ("bgp.evpn.0", "default", "l2vpn-evpn"), ("inet.2", "default", "ipv4-multicast"),
])
def test_junos_ribs_name_vrf_and_family(rib, vrf, afi):
    assert junos._rib_afi(rib) == (vrf, afi)


# -- EOS -------------------------------------------------------------------------------------------

def test_eos_unnumbered_peers_are_ipv4_sessions_with_asdot_numbers():
    """RFC 5549: IPv4 unicast over IPv6 link-local peers (fe80::...%Et1), 4-byte AS in asdot."""
    v4 = arista_eos.parse_bgp_summary(read("arista_eos", "unnumbered", "show_ip_bgp_summary_vrf_all_json"),
                                      now=1721149910.456982 + 60)
    assert v4.local_as == 65002 * 65536 + 2048 and v4.router_id == "172.18.8.0"
    n = v4.by_peer("fe80::a8c1:abff:fedc:fb58%Et1")
    assert n.afi_safi == "ipv4-unicast" and n.remote_as == 65001 * 65536 + 1026 and n.established
    assert n.uptime_seconds == pytest.approx(60) and n.prefixes_received == 6
    assert {x.afi_safi for x in v4.neighbors} == {"ipv4-unicast"}
    v6 = arista_eos.parse_bgp_summary(read("arista_eos", "unnumbered", "show_ipv6_bgp_summary_vrf_all_json"),
                                      afi="ipv6-unicast")
    assert {x.afi_safi for x in v6.neighbors} == {"ipv6-unicast"} and len(v6.neighbors) == 3
    assert v6.by_peer("fe80::a8c1:abff:fea1:b618%Et2").remote_as == 65001 * 65536 + 1027


def test_eos_bgp_not_configured_is_empty_with_a_note():
    b = arista_eos.parse_bgp_summary(read("arista_eos", "nobgp", "show_ip_bgp_summary_vrf_all_json"))
    assert b.neighbors == [] and "not configured" in b.note
    assert arista_eos.parse_ospf_neighbors('{"vrfs": {}}').note


def test_eos_4_15_uptime_from_the_boot_timestamp():
    f = arista_eos.parse_version(read("arista_eos", "veos-4.15", "show_version_json"),
                                 read("arista_eos", "veos-4.15", "show_hostname_json"), now=1466586790.4 + 3600)
    assert f.os_version == "4.15.5M" and f.model == "vEOS" and f.serial is None
    assert f.uptime_seconds == pytest.approx(3600)


def test_eos_text_summary_with_asdot():
    text = ("BGP summary information for VRF default\n"
            "Router identifier 10.0.0.1, local AS number 65001.10\n"
            "  Neighbor         V  AS           MsgRcvd   MsgSent  InQ OutQ  Up/Down State   PfxRcd PfxAcc\n"
            "  10.0.0.2         4  65002.2048        20        21    0    0 00:10:00 Estab   3      3\n")
    b = arista_eos.parse_bgp_summary_text(text)
    assert b.local_as == 65001 * 65536 + 10
    assert b.neighbors[0].remote_as == 65002 * 65536 + 2048 and b.neighbors[0].uptime_seconds == 600


# -- IOS -------------------------------------------------------------------------------------------

def test_ios_route_lookup_prefix_has_no_trailing_comma():
    text = ('Routing entry for 1.0.4.0/24, supernet\n'
            '  Known via "bgp 65000", distance 20, metric 0\n'
            '  Tag 4826, type external\n'
            '  Last update from 10.0.0.1 1w2d ago\n'
            '  Routing Descriptor Blocks:\n'
            '  * 10.0.0.1, from 10.0.0.1, 1w2d ago\n'
            '      Route metric is 0, traffic share count is 1\n'
            '      AS Hops 2\n')
    r = cisco_ios.parse_route(text, "1.0.4.1")
    assert r.found and r.prefix == "1.0.4.0/24" and r.protocol == "bgp" and r.next_hops[0].address == "10.0.0.1"


def test_ios_bgp_uptime_and_not_active():
    b = cisco_ios.parse_bgp_summary(read("cisco_ios", "sw1", "show_ip_bgp_summary"))
    assert b.by_peer("10.20.0.2").uptime_seconds == 86400 + 3600
    off = cisco_ios.parse_bgp_summary("% BGP not active\n")
    assert off.neighbors == [] and "BGP not active" in off.note


def test_ios_xe_show_bgp_all_summary_every_family():
    """IOS-XE 'show bgp all summary' published as genieparser test data (see cisco_ios/README.md)."""
    b = cisco_ios.parse_bgp_summary(read("cisco_ios", "genie-xe1", "show_bgp_all_summary"))
    assert (b.router_id, b.local_as) == ("192.168.111.1", 100)
    families = [n.afi_safi for n in b.neighbors]
    assert families.count("ipv4-unicast") == 5 and families.count("ipv6-unicast") == 4
    assert families.count("vpnv4-unicast") == 1 and families.count("vpnv6-unicast") == 1
    assert not any(n.established for n in b.neighbors) and b.by_peer("192.168.70.4").remote_as == 200


def test_ios_vrf_peers_get_their_vrf_and_wrapped_ipv6_neighbors_parse():
    summary = read("cisco_ios", "genie-xe2", "show_bgp_all_summary")
    outputs = {
        "show bgp all summary": summary,
        "show vrf": "  Name                             Default RD            Protocols   Interfaces\n"
                    "  CE-300                           100:300               ipv4,ipv6   Gi3\n",
        "show bgp vpnv4 unicast vrf CE-300 summary":
            "BGP router identifier 10.64.4.4, local AS number 100\n\n"
            "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd\n"
            "10.4.6.6        4          300      68      75       56    0    0 01:03:23        5\n",
        "show bgp vpnv6 unicast vrf CE-300 summary":
            "BGP router identifier 10.64.4.4, local AS number 100\n\n"
            "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd\n"
            "2001:DB8:4:6::6 4          300      67      75       66    0    0 01:03:19        5\n",
    }
    b = cisco_ios.GETTERS["bgp_neighbors"](None, lambda c: outputs.get(c, "% Invalid input detected\n"))
    assert [(n.vrf, n.afi_safi) for n in b.neighbors if n.peer == "10.4.6.6"] == [("CE-300", "ipv4-unicast")]
    assert [(n.vrf, n.afi_safi) for n in b.neighbors if n.peer == "2001:DB8:4:6::6"] == [("CE-300", "ipv6-unicast")]
    assert b.by_peer("10.16.2.2").vrf == "default" and b.by_peer("10.66.6.6").afi_safi == "vpnv4-unicast"
    wrapped = [n for n in b.neighbors if n.peer == "2001:DB8:20:4:6::6"]
    assert wrapped and wrapped[0].remote_as == 400 and wrapped[0].prefixes_received == 5
    assert b.by_peer("10.36.3.3").uptime_seconds == 3600 + 12 * 60 + 6


@pytest.mark.parametrize("text, found, prefix, protocol, hops", [
    ("Routing entry for 2001:DB8:1::/64\n  Known via \"connected\", distance 0, metric 0, type connected\n"
     "  Route count is 1/1, share count 0\n  Routing paths:\n    directly connected via GigabitEthernet0/0\n"
     "      Last updated 00:05:02 ago\n", True, "2001:DB8:1::/64", "connected", [(None, "GigabitEthernet0/0")]),
    ("Routing entry for 2001:DB8:99::/48\n  Known via \"ospf 1\", distance 110, metric 20, type intra area\n"
     "  Route count is 2/2, share count 0\n  Routing paths:\n    FE80::2, GigabitEthernet0/1\n"
     "      Route metric is 20, traffic share count is 1\n      Last updated 01:02:03 ago\n"
     "    FE80::3, GigabitEthernet0/2\n      Last updated 01:02:03 ago\n",
     True, "2001:DB8:99::/48", "ospf", [("FE80::2", "GigabitEthernet0/1"), ("FE80::3", "GigabitEthernet0/2")]),
    ("% Route not found\n", False, None, None, []),
])
def test_ios_ipv6_route_lookup(text, found, prefix, protocol, hops):
    r = cisco_ios.parse_route_v6(text, "2001:db8::1")
    assert (r.found, r.prefix, r.protocol) == (found, prefix, protocol)
    assert [(h.address, h.interface) for h in r.next_hops] == hops


# -- batfish/lab-validation captures of cEOS, CSR1000v and Nexus 9000v -----------------------------

def test_eos_ceos_capture_facts_interfaces_and_unnumbered_ospf():
    f = arista_eos.parse_version(read("arista_eos", "bf-leaf1", "show_version_json"), '{"hostname": "leaf1"}')
    assert (f.model, f.os_version.split("-")[0], f.serial) == ("cEOSLab", "4.36.0.1F", "A5178FF9CACC1E18D80D09992871DB3A")
    assert f.uptime_seconds == pytest.approx(144.36, abs=0.01)
    i = arista_eos.parse_interfaces(read("arista_eos", "bf-leaf1", "show_interfaces_json"))
    assert [(x.name, x.oper_up, x.addresses) for x in i.interfaces] == [
        ("Ethernet1", True, ["10.0.1.1/32"]), ("Management0", True, ["172.20.20.3/24"]),
        ("Loopback0", True, ["10.0.1.1/32"])]
    (n,) = arista_eos.parse_ospf_neighbors(read("arista_eos", "bf-leaf1", "show_ip_ospf_neighbor_json"),
                                           now=1777426318.63072 - 30).neighbors
    assert (n.neighbor_id, n.interface, n.state, n.full, n.role, n.priority) == ("10.0.0.1", "Ethernet1", "Full", True, None, 0)
    assert n.dead_time_seconds == pytest.approx(30)


def test_ios_xe_csr_capture():
    f = cisco_ios.parse_version(read("cisco_ios", "bf-iosv", "show_version"))
    assert (f.hostname, f.os_version, f.model, f.serial, f.uptime_seconds) == (
        "low_igp_metric_8", "16.4.1", "CSR1000V", "9BMQGT7C99X", 2 * 3600 + 3 * 60)
    i = cisco_ios.parse_interfaces(read("cisco_ios", "bf-iosv", "show_interfaces"))
    assert i.by_name("GigabitEthernet1").addresses == ["10.20.1.2/24"] and i.by_name("GigabitEthernet1").oper_up
    assert not i.by_name("GigabitEthernet4").admin_up and i.by_name("Loopback123").addresses == ["192.168.123.4/32"]
    o = cisco_ios.parse_ospf_neighbors(read("cisco_ios", "bf-iosv", "show_ip_ospf_neighbor"))
    assert [(n.neighbor_id, n.role, n.dead_time_seconds) for n in o.neighbors] == [
        ("192.168.123.3", "BDR", 36.0), ("192.168.123.2", "BDR", 32.0)]


def test_nxos_9000v_text_capture():
    from netops.devices.parsers import cisco_nxos

    f = cisco_nxos.parse_version_text(read("cisco_nxos", "bf-d1", "show_version"))
    assert (f.hostname, f.os_version, f.serial, f.uptime_seconds) == (
        "d1_redist", "9.2(3)", "98YZ047SYF1", 23 * 3600 + 7 * 60 + 14)
    (n,) = cisco_nxos.parse_ospf_neighbors_text(read("cisco_nxos", "bf-d1", "show_ip_ospf_neighbor")).neighbors
    assert (n.neighbor_id, n.address, n.interface, n.full, n.role) == ("192.168.12.5", "10.15.41.2", "Eth1/4", True, "DR")


def test_junos_xml_replies_read_like_json():
    """NETCONF/'| display xml' replies published as NAPALM test data (an EVPN fabric's BGP summary)."""
    b = junos.parse_bgp_summary(read("juniper_junos", "napalm-xml", "show_bgp_summary_display_xml"))
    leaf1 = [n for n in b.neighbors if n.peer == "10.92.51.2"]
    assert [(n.remote_as, n.afi_safi, n.vrf, n.prefixes_received, n.uptime_seconds) for n in leaf1] == [
        (65001, "ipv4-unicast", "default", 4, 2 * 3600 + 28 * 60 + 38)]
    assert {n.afi_safi for n in b.neighbors if n.peer == "10.92.99.91"} == {"l2vpn-evpn"}
    assert ("default", "l2vpn-evpn") in {(n.vrf, n.afi_safi) for n in b.neighbors}
    i = junos.parse_interfaces(read("juniper_junos", "napalm-xml", "show_interfaces_display_xml"))
    assert i.interfaces and all(a.count("/") == 1 for x in i.interfaces for a in x.addresses)
