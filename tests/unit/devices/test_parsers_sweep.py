"""Bugs the public-capture sweep (bench/parser_sweep.py) found, each on a hand-written capture in
the real format (provenance: the ``sweep/`` rows of each platform's fixture README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import (
    ParseError, arista_eos, cisco_ios, cisco_nxos, frr, juniper_junos, linux, load_json, nokia_sros,
)

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"


def read(platform: str, slug: str) -> str:
    return (FIX / platform / "sweep" / f"{slug}.txt").read_text()


def _states(interfaces):
    return {i.name: (i.admin_up, i.oper_up) for i in interfaces.interfaces}


def test_nxos_admin_state_is_read_from_the_text_not_the_template():
    """The template gives admin_state "u" for "Admin State: up", "up, autostate enabled" for an
    SVI and nothing for "admin state is up" under a down port: all read as admin-down before."""
    got = _states(cisco_nxos.parse_interfaces_text(read("cisco_nxos", "show_interface")))
    assert got == {"mgmt0": (True, False), "Vlan1": (False, False), "Vlan30": (True, True),
                   "Tunnel7": (True, True)}


def test_nxos_line_reader_sees_administratively_down_in_the_head_line():
    """The fallback reader (used when the template stops) took "Vlan1 is down (Administratively
    down)" for admin-up."""
    got = _states(cisco_nxos._interfaces_by_lines(read("cisco_nxos", "show_interface")))
    assert got["Vlan1"] == (False, False) and got["Tunnel7"] == (True, True) and got["mgmt0"] == (True, False)


def test_nxos_rows_stay_in_the_device_order_with_their_addresses():
    text = read("cisco_nxos", "show_interface")
    kept = cisco_nxos.parse_interfaces_text(text)
    assert [i.name for i in kept.interfaces] == ["mgmt0", "Vlan1", "Vlan30", "Tunnel7"]
    assert kept.by_name("Vlan30").addresses == ["198.51.100.1/26"]


def test_ios_version_is_the_running_software_not_the_boot_rom():
    """IOS 11/12 print ROM and BOOTLDR lines with their own "Version"; the template took the ROM's."""
    f = cisco_ios.parse_version(read("cisco_ios", "show_version"))
    assert (f.hostname, f.os_version, f.serial) == ("edge-old", "12.0(7)T", "20984573")


@pytest.mark.parametrize("line, version", [
    ("Cisco IOS XE Software, Version BLD_POLARIS_DEV_LATEST_20241125_002711\n"
     "Cisco IOS Software [IOSXE], c8k Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Experimental Version "
     "17.17.20241125:005549 [BLD_POLARIS_DEV_LATEST_20241125_002711:/nobackup 101]\n", "17.17.20241125:005549"),
    ("Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.2(4)M3, RELEASE SOFTWARE (fc1)\n",
     "15.2(4)M3"),
])
def test_ios_software_line(line, version):
    assert cisco_ios._SOFTWARE.search(line).group("version") == version


def test_ios_deleted_subinterface_is_not_admin_up():
    got = _states(cisco_ios.parse_interfaces(read("cisco_ios", "show_interfaces")))
    assert got["GigabitEthernet0/0/0"] == (True, True) and got["GigabitEthernet0/0/0.7"] == (False, False)


def test_sros_port_cross_connect_ports_are_listed():
    ports = nokia_sros.parse_ports(read("nokia_sros", "show_port"))
    assert [p.name for p in ports.interfaces] == ["1/1/1", "1/1/2", "A/1", "pxc-1.a", "pxc-1.b"]
    assert (ports.by_name("pxc-1.b").admin_up, ports.by_name("pxc-1.b").oper_up, ports.by_name("pxc-1.b").mtu) \
        == (True, False, 9208)


def test_frr_single_family_summary_is_read_not_silently_empty():
    """``show bgp ipv4 unicast summary json`` prints the family's document bare (``peers`` at the
    top): it read as no peers at all."""
    b = frr.parse_bgp_summary(read("frr", "show_bgp_ipv4_unicast_summary_json"))
    assert (b.router_id, b.local_as) == ("203.0.113.1", 4200000001)
    got = {n.peer: (n.remote_as, n.state, n.established, n.prefixes_received, n.afi_safi) for n in b.neighbors}
    assert got == {"198.51.100.2": (65002, "Established", True, 3, "ipv4-unicast"),
                   "198.51.100.6": (65003, "Idle", False, None, "ipv4-unicast"),
                   "198.51.100.10": (65004, "Active", False, None, "ipv4-unicast")}
    v6 = frr.parse_bgp_summary(read("frr", "show_bgp_ipv4_unicast_summary_json"), afi="ipv6-unicast")
    assert {n.afi_safi for n in v6.neighbors} == {"ipv6-unicast"}


@pytest.mark.parametrize("parse, text", [
    (frr.parse_bgp_summary, '{"ipv4Unicast": {"peers": {"198.51.100.2": 5}}}'),
    (frr.parse_bgp_summary, '{"ipv4Unicast": {"peers": ["198.51.100.2"]}}'),
    (frr.parse_ospf_neighbors, '{"neighbors": {"198.51.100.2": [5]}}'),
    (frr.parse_interfaces, '[{"eth0": {}}]'),
    (lambda t: frr.parse_route(t, "198.51.100.0/24"), '{"198.51.100.0/24": [5]}'),
])
def test_frr_odd_json_is_a_parse_error_not_a_crash(parse, text):
    with pytest.raises(ParseError):
        parse(text)


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_frr_version_with_either_line_end(eol):
    """A capture saved with CRLF line ends (Windows, some collectors) was 'not FRRouting's'."""
    text = eol.join(["FRRouting 8.4.4 (r1) on Linux(6.1.0-27-amd64).",
                     "Copyright 1996-2005 Kunihiro Ishiguro, et al.", "configured with:", ""])
    f = frr.parse_version(text)
    assert (f.hostname, f.os_version, f.model) == ("r1", "8.4.4", "Linux(6.1.0-27-amd64)")


def test_junos_text_summary_keeps_an_established_peer_that_lists_no_rib():
    """Defensive: an Established peer with no RIB line under it (seen in no capture, but nothing
    in the format forbids it) was dropped without a word."""
    b = juniper_junos.parse_bgp_summary_text(read("juniper_junos", "show_bgp_summary"))
    got = {n.peer: (n.remote_as, n.state, n.prefixes_received, n.afi_safi) for n in b.neighbors
           if n.afi_safi != "rtarget"}  # 198.51.100.2's second inline count is bgp.rtarget.0's
    assert got == {"198.51.100.2": (65002, "Established", 5, "ipv4-unicast"),
                   "198.51.100.6": (4200000003, "Established", None, "ipv4-unicast"),
                   "203.0.113.9": (65004, "Active", None, "ipv4-unicast"),
                   "2001:db8:100:200:300:400:500:6": (65005, "Established", 2, "ipv6-unicast")}


def test_ios_interface_without_a_line_protocol_clause_is_kept():
    """'pseudowire100007 is up' has no ', line protocol is' part: the template has no row for it."""
    i = cisco_ios.parse_interfaces(read("cisco_ios", "show_interfaces"))
    assert [x.name for x in i.interfaces] == ["GigabitEthernet0/0/0", "GigabitEthernet0/0/0.7", "pseudowire100007",
                                              "Loopback0"]
    pw = i.by_name("pseudowire100007")
    assert (pw.admin_up, pw.oper_up, pw.mtu, pw.addresses) == (True, True, 1500, [])


# -- output saved from a terminal session: prompt and command echo above, prompt below ------------

def test_eos_json_saved_with_its_prompt():
    b = arista_eos.parse_bgp_summary(read("arista_eos", "show_ip_bgp_summary_vrf_all_json"), now=1733100000.25)
    got = {(n.vrf, n.peer): (n.remote_as, n.state, n.prefixes_received) for n in b.neighbors}
    assert got == {("default", "198.51.100.0"): (65000 * 65536 + 100, "Established", 6),
                   ("TENANT-A", "203.0.113.1"): (65101, "Idle", None)}
    assert (b.router_id, b.local_as) == ("198.51.100.7", 4200000007)


def test_nxos_json_saved_with_its_prompt():
    f = cisco_nxos.parse_version(read("cisco_nxos", "show_version_json"))
    assert (f.hostname, f.os_version, f.serial) == ("n9k-7", "9.3(10)", "FDO21120U5D")


def test_junos_xml_saved_with_its_prompt():
    b = juniper_junos.parse_bgp_summary(read("juniper_junos", "show_bgp_summary_display_xml"))
    got = {n.peer: (n.remote_as, n.state, n.prefixes_received) for n in b.neighbors}
    assert got == {"198.51.100.9": (4200000009, "Established", 4), "198.51.100.13": (65013, "Active", None)}


@pytest.mark.parametrize("text", ["% Invalid input detected at '^' marker.", "r1# show x | json\n% Invalid command\nr1#",
                                  "{master:0}\nnetops@r1> show version | display json\nerror: syntax error"])
def test_no_json_in_a_session_is_still_a_parse_error(text):
    with pytest.raises(ParseError):
        load_json(text, "show x | json")


def test_frr_prefix_count_of_releases_without_pfxrcd():
    """Older FRR releases name the count only ``prefixReceivedCount`` (sonic-utilities' mock tables
    print both it and ``pfxRcd``); the count came back as None."""
    text = ('{"ipv4Unicast": {"routerId": "203.0.113.1", "as": 65001, "peers": {"198.51.100.2": '
            '{"remoteAs": 65002, "state": "Established", "peerUptime": "01:02:03", "peerUptimeMsec": 3723000, '
            '"prefixReceivedCount": 7}}}}')
    assert frr.parse_bgp_summary(text).neighbors[0].prefixes_received == 7


def test_frr_single_family_summary_captured_in_the_lab():
    """FRR 8.4 (our lab, r1): 'show bgp ipv4 unicast summary json' prints the bare family document."""
    text = (FIX / "frr" / "lab-r1-family" / "show_bgp_ipv4_unicast_summary_json.txt").read_text()
    b = frr.parse_bgp_summary(text)
    assert (b.router_id, b.local_as) == ("203.0.113.1", 65001)
    assert {n.peer: (n.remote_as, n.established, n.afi_safi) for n in b.neighbors} == {
        "198.51.100.2": (65002, True, "ipv4-unicast"), "198.51.100.10": (65003, True, "ipv4-unicast")}
    empty = frr.parse_bgp_summary((FIX / "frr" / "lab-r1-family" / "show_bgp_ipv6_unicast_summary_json.txt").read_text())
    assert empty.neighbors == []


# -- stop 32 (helper "vendors32"): sources never swept before --------------------------------------

def test_junos_text_summary_of_an_older_release():
    """Releases before 'Accepted' print Active/Received/Damped (three counts) and a Last Up/Dwn
    over a week as '4w2d11h'; a peer whose counts are inline prints one group per RIB of the
    table section. All four peers were dropped (the peer row and RIB lines did not match)."""
    b = juniper_junos.parse_bgp_summary_text(read("juniper_junos", "show_bgp_summary_old_release"))
    got = [(n.peer, n.remote_as, n.state, n.afi_safi, n.prefixes_received) for n in b.neighbors]
    assert got == [("198.51.100.1", 64501, "Established", "ipv4-unicast", 40),
                   ("198.51.100.1", 64501, "Established", "ipv6-unicast", 0),
                   ("198.51.100.5", 64502, "Established", "ipv4-unicast", 0),
                   ("198.51.100.5", 64502, "Established", "ipv6-unicast", 64),
                   ("198.51.100.9", 64503, "Established", "ipv4-unicast", 80),
                   ("198.51.100.9", 64503, "Established", "ipv6-unicast", 0),
                   ("203.0.113.77", 64504, "Active", "ipv4-unicast", None)]
    first = b.neighbors[0]
    assert (first.uptime, first.uptime_seconds) == ("4w2d11h", 4 * 604800 + 2 * 86400 + 11 * 3600)
    assert b.neighbors[2].uptime_seconds == 5 * 86400 + 3 * 3600 + 7 * 60
    assert b.neighbors[-1].uptime is None  # down: the time since it dropped, not an uptime


@pytest.mark.parametrize("value, seconds", [("6w3d17h", 6 * 604800 + 3 * 86400 + 17 * 3600), ("5d3h7m", 443220),
                                            ("3w6d 05:18", 3 * 604800 + 6 * 86400 + 5 * 3600 + 18 * 60),
                                            ("2:28:13", 8893), ("44", 44)])
def test_junos_durations_with_and_without_units(value, seconds):
    assert juniper_junos.duration_seconds(value) == seconds


def test_nxos_route_lookup_keeps_to_the_default_vrf():
    """A reply holding every VRF (a saved 'show ip route vrf all | json'): the management VRF's
    default route answered a lookup the default VRF has no route for, and its /32 could shadow
    the default VRF's."""
    text = read("cisco_nxos", "show_ip_route_vrf_all_json")
    missing = cisco_nxos.parse_route(text, "198.51.100.77")
    assert not missing.found
    r = cisco_nxos.parse_route(text, "10.0.0.11")
    assert (r.found, r.prefix, r.protocol, [h.address for h in r.next_hops]) == (True, "10.0.0.11/32", "ospf",
                                                                                    ["10.0.0.21"])


def _hops(r):
    return [(h.address, h.interface, h.discard) for h in r.next_hops]


def test_linux_blackhole_route_is_a_discard_not_a_route_without_a_path():
    """A blackhole route (the anchor of an aggregate FRR announces) has no gateway: it read as a
    route with no next hop at all, the covering /23 via eth1 not being the answer either."""
    r = linux.parse_route(read("linux", "ip_route_match_blackhole_v4"), "203.0.113.9")
    assert (r.found, r.prefix, r.protocol, _hops(r)) == (True, "203.0.113.0/24", "static", [(None, "blackhole", True)])
    assert r.next_hops[0].describe() == "discard (blackhole)"


def test_linux_ipv6_unreachable_route_is_not_a_path_via_lo():
    """The kernel prints an IPv6 unreachable / blackhole route with "dev lo": it read as a next
    hop via the loopback."""
    r = linux.parse_route(read("linux", "ip_route_match_unreachable_v6"), "2001:db8:dead::1")
    assert (r.found, r.prefix, _hops(r)) == (True, "2001:db8:dead::/48", [(None, "unreachable", True)])
    assert r.next_hops[0].describe() == "discard (unreachable)"


def test_linux_route_type_printed_bare_by_iproute2_before_5():
    """iproute2 before 5.0 printed a route's type as a bare string ({"prohibit","dst":...}): not
    JSON, so the lookup failed on Ubuntu 18.04 / Debian 10 hosts whenever such a route matched."""
    r = linux.parse_route(read("linux", "ip_route_match_bare_type_iproute2_4"), "198.18.1.1")
    assert (r.found, r.prefix, _hops(r)) == (True, "198.18.0.0/15", [(None, "prohibit", True)])
    assert linux.parse_route('[{"dst":"198.16.0.0/12","gateway":"192.0.2.254","dev":"eth1","flags":["onlink"]}]',
                             "198.20.0.1").next_hops[0].address == "192.0.2.254"  # no type: left as it is


def test_linux_addr_reply_with_empty_entries_keeps_the_interfaces():
    """Defensive: iproute2 4.x can print {} for an interface a family filter leaves out; one such
    entry failed the whole interfaces read."""
    i = linux.parse_interfaces(read("linux", "ip_addr_family_filter_empties"), "[]")
    assert [(x.name, x.admin_up, x.oper_up, x.addresses) for x in i.interfaces] == \
        [("eth1", True, True, ["192.0.2.10/24"])]


def test_vrp_whole_ipv6_table_without_a_covering_route_is_not_found():
    """The route getter falls back to the whole 'display ipv6 routing-table' where the lookup form
    is refused: a query no route covers was 'output not recognised' (IPv4 said not found)."""
    from netops.devices.parsers import huawei_vrp

    text = read("huawei_vrp", "display_ipv6_routing-table")
    assert not huawei_vrp.parse_route6(text, "2001:db8:ffff::77").found
    r = huawei_vrp.parse_route6(text, "2001:db8:40:1::5")
    assert (r.found, r.prefix, r.protocol, [h.address for h in r.next_hops]) == (True, "2001:db8:40::/48", "static",
                                                                                    ["2001:db8:30::2"])
    with pytest.raises(ParseError, match="not recognised"):  # text that is no table at all is still refused
        huawei_vrp.parse_route6("Info: The system is busy, please wait.\n", "2001:db8:40:1::5")
