"""Nokia SR OS getters on output hand-written in the format of published captures (classic CLI
``pe1``, MD-CLI ``pe2``; see ``tests/fixtures/devices/nokia_sros/README.md``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import ParseError, nokia_sros as sros
from netops.devices.policy import check_command
from netops.devices.service import DeviceService
from netops.devices.transport import command_slug
from netops.testing.transport import FakeTransport

SROS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "nokia_sros"
EQ, DASH = "=" * 79, "-" * 79

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  pe1: {hostname: 127.0.9.41, platform: nokia_sros}
  pe2: {hostname: 127.0.9.42, platform: nokia_sros}
"""


def read(slug: str, host: str = "pe1") -> str:
    return (SROS / host / f"{slug}.txt").read_text()


@pytest.fixture
def svc(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_PW", "x")
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    fake = FakeTransport.from_dir(SROS)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


# -- facts ----------------------------------------------------------------------------------------

def test_facts_from_system_information_and_chassis():
    f = sros.parse_system_information(read("show_system_information"), read("show_chassis"))
    assert (f.hostname, f.vendor, f.platform, f.os_version, f.model, f.serial) == (
        "pe1", "Nokia", "nokia_sros", "22.10.R3", "7750 SR-7", "NS1623F0142")
    assert f.uptime_seconds == 142 * 86400 + 3 * 3600 + 15 * 60 + 22


def test_facts_on_the_md_cli_without_chassis_rights():
    f = sros.parse_system_information(read("show_system_information", "pe2"), read("show_chassis", "pe2"))
    assert (f.hostname, f.os_version, f.model, f.serial, f.uptime_seconds) == (
        "pe2", "23.10.R1", "7250 IXR-e", None, 4 * 3600 + 13 * 60 + 21)


def test_facts_from_show_version_and_chassis_without_system_information():
    sent = []

    def device(command):
        sent.append(command)
        return {"show chassis": read("show_chassis"),
                "show version": "TiMOS-B-22.10.R3 both/x86_64 Nokia 7750 SR Copyright (c) 2000-2023 Nokia.\n"
                                "All rights reserved. All use subject to applicable license agreements.\n"
                }.get(command, "% Unknown command: " + command)

    f = sros.facts(None, device)
    assert sent == ["show system information", "show chassis", "show version"]
    assert (f.hostname, f.os_version, f.model, f.serial, f.uptime_seconds) == (
        "pe1", "22.10.R3", "7750 SR-7", "NS1623F0142", None)
    with pytest.raises(ParseError, match="no 'Name'"):
        sros.parse_version("TiMOS-B-22.10.R3", "Type : 7750 SR-7\n")


def test_facts_old_timos_version_string_and_errors():
    text = "System Name            : old7750\nSystem Version         : TiMOS-C-11.0.R6\n"
    f = sros.parse_system_information(text)
    assert (f.hostname, f.os_version, f.model, f.uptime_seconds) == ("old7750", "11.0.R6", None, None)
    with pytest.raises(ParseError, match="failed on the device: MINOR: CLI Command not allowed"):
        sros.parse_system_information("MINOR: CLI Command not allowed for this user.\n")
    with pytest.raises(ParseError, match="no 'System Name'"):
        sros.parse_system_information("System Type : 7750 SR-7\n")


@pytest.mark.parametrize("text, seconds", [
    ("00h02m19s", 139), ("01d15h32m", 86400 + 15 * 3600 + 32 * 60), ("0265d01h", 265 * 86400 + 3600),
    ("77d23h49m", 77 * 86400 + 23 * 3600 + 49 * 60), ("2d 03:04:05", 2 * 86400 + 3 * 3600 + 245),
    ("142 days, 03:15:22.10", 142 * 86400 + 3 * 3600 + 15 * 60 + 22), ("0 days, 00:00:09.00", 9),
    ("03:04:05", 3 * 3600 + 245), ("1w2d", 9 * 86400),
])
def test_sros_durations(text, seconds):
    assert sros.duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", None, "never", "12", "1x2h", "01d15h32mx"])
def test_sros_durations_that_are_not(text):
    assert sros.duration_seconds(text) is None


# -- interfaces -----------------------------------------------------------------------------------

def test_router_interfaces_with_ipv4_ipv6_system_and_admin_down():
    i = sros.parse_router_interfaces(read("show_router_interface"))
    assert [x.name for x in i.interfaces] == ["system", "to-p1", "to-p2", "to-cust-parked", "mgmt-v6only", "to-p3"]
    system = i.by_name("system")
    assert system.admin_up and system.oper_up and system.addresses == ["10.255.0.21/32", "2001:db8:255::21/128"]
    assert i.by_name("to-p1").addresses == ["10.20.0.0/31", "2001:db8:20::1/64", "fe80::2621:1eff:fe00:1/64"]
    p2 = i.by_name("to-p2")
    assert p2.admin_up and not p2.oper_up and p2.addresses == ["10.20.0.2/31"]
    parked = i.by_name("to-cust-parked")
    assert not parked.admin_up and not parked.oper_up
    v6 = i.by_name("mgmt-v6only")  # IPv4 down, IPv6 up: the interface is up
    assert v6.oper_up and v6.addresses == ["2001:db8:300::1/64", "fe80::2621:1eff:fe00:2/64"]
    assert i.by_name("to-p3").addresses == ["10.20.0.4/31", "10.20.0.100/31"]  # the device's order


def test_router_interfaces_captured_layout_and_errors():
    """The layout of ntc-templates' published capture: IES and network interfaces, IPv6-only ones."""
    text = "\n".join([
        EQ, "Interface Table (Router: Base)", EQ,
        "Interface-Name                   Adm       Opr(v4/v6)  Mode    Port/SapId",
        "   IP-Address                                                  PfxState", DASH,
        "L3-Telecom-1                     Up        Down/Up     IES     lag-21:300",
        "   2001:db8:2062:357a:645:400:0:2/64                           PREFERRED",
        "   fe80::645:400:0:2/64                                        PREFERRED",
        "TO_EDGE_1                        Up        Down/Down   Network n/a",
        "   192.168.28.1/24                                             n/a",
        "   192.168.47.1/24                                             n/a", DASH, "Interfaces : 2", EQ, ""])
    i = sros.parse_router_interfaces(text)
    assert i.by_name("L3-Telecom-1").oper_up and i.by_name("L3-Telecom-1").addresses == [
        "2001:db8:2062:357a:645:400:0:2/64", "fe80::645:400:0:2/64"]
    assert not i.by_name("TO_EDGE_1").oper_up
    assert i.by_name("TO_EDGE_1").addresses == ["192.168.28.1/24", "192.168.47.1/24"]
    with pytest.raises(ParseError, match="failed on the device"):
        sros.parse_router_interfaces("Error: Bad command.\n")
    with pytest.raises(ParseError, match="not recognised"):
        sros.parse_router_interfaces("something else entirely\n")


def test_ports_states_mtu_connectors_and_wrapped_rows():
    p = sros.parse_ports(read("show_port"))
    assert [x.name for x in p.interfaces] == ["1/1/1", "1/1/2", "1/1/3", "1/1/4", "1/1/c1", "1/1/c1/1", "1/1/c2", "A/1"]
    assert (p.by_name("1/1/1").admin_up, p.by_name("1/1/1").oper_up, p.by_name("1/1/1").mtu) == (True, True, 9212)
    assert p.by_name("1/1/2").admin_up and not p.by_name("1/1/2").oper_up
    assert not p.by_name("1/1/3").admin_up
    conn = p.by_name("1/1/c1")  # a connector is "Link Up"; its breakout port carries traffic
    assert conn.admin_up and not conn.oper_up and conn.mtu is None and p.by_name("1/1/c1/1").oper_up
    wrapped = "esat-1/1/u1\n              Up    Yes  Up      9212 9212    - accs dotq xgige  10GBASE-LR\n"
    assert [(x.name, x.oper_up, x.mtu) for x in sros.parse_ports(wrapped).interfaces] == [("esat-1/1/u1", True, 9212)]
    ghost = "esat-2/1/1    Down  No   Ghost   9208 9208    - netw null xcme\n"
    assert [(x.name, x.admin_up, x.oper_up) for x in sros.parse_ports(ghost).interfaces] == [("esat-2/1/1", False, False)]


def test_interfaces_getter_reads_router_interfaces_ports_and_their_descriptions():
    sent = []

    def device(command):
        sent.append(command)
        return read(command_slug(command))

    i = sros.interfaces(None, device)
    assert sent == ["show router interface", "show service service-using vprn", "show router 100 interface",
                    "show router 200 interface", "show port", "show port description"]
    names = [x.name for x in i.interfaces]
    assert names[:8] == ["1/1/1", "1/1/2", "1/1/3", "1/1/4", "1/1/c1", "1/1/c1/1", "1/1/c2", "A/1"]
    assert "system" in names and len(names) == 14 + 4
    assert i.by_name("1/1/1").description == "to-p1 xe-0/0/1 (CID FRA-4411)"
    assert i.by_name("1/1/4").description == "cust-a access LAG member, circuit FRA-7781, contact NOC Frankfurt"
    assert i.by_name("1/1/c1/1").description == "to-p3 100G"  # a long port id: description on the next line
    assert i.by_name("A/1").description == "Management Ethernet" and i.by_name("system").description is None
    refused = sros.interfaces(None, lambda c: read("show_router_interface") if c == "show router interface"
                              else "Error: Bad command.")
    assert [x.name for x in refused.interfaces] == ["system", "to-p1", "to-p2", "to-cust-parked", "mgmt-v6only", "to-p3"]
    no_descriptions = sros.interfaces(None, lambda c: "MINOR: CLI Command not allowed for this user."
                                      if c.endswith("description") else read(command_slug(c)))
    assert len(no_descriptions.interfaces) == 18 and no_descriptions.by_name("1/1/1").description is None


def test_interfaces_getter_reads_every_vprns_interfaces_with_its_vrf():
    """Before: only the Base router's interfaces were read; a VPRN's (its CE links) were missing."""
    i = sros.interfaces(None, lambda c: read(command_slug(c)))
    vprn = [(x.name, x.vrf, x.admin_up, x.oper_up, x.addresses) for x in i.interfaces if x.vrf]
    assert vprn == [
        ("to-ce1", "CUST-A", True, True, ["192.168.1.1/30", "2001:db8:9:1::1/64"]),
        ("lo-cust-a", "CUST-A", True, True, ["10.100.0.1/32"]),
        ("to-ce2-shut", "CUST-A", False, False, ["192.168.1.5/30"]),
        ("to-ce1", "200", True, False, ["192.168.2.1/30"]),  # a VPRN without a name: its service id
    ]
    assert all(x.vrf is None for x in i.interfaces if x.name in ("system", "to-p1", "1/1/1"))


def test_vprn_interfaces_refused_leave_the_base_router_and_say_so():
    def device(c):
        return "MINOR: MGMT_CORE #2201: Unknown element" if c.startswith("show router 1") else read(command_slug(c))
    i = sros.interfaces(None, device)
    assert len(i.interfaces) == 14 and not any(x.vrf for x in i.interfaces)
    assert i.note and "VPRN interfaces not read" in i.note and "Unknown element" in i.note


@pytest.mark.parametrize("failing", ["show service service-using vprn", "show router 200 interface"])
def test_a_vprn_read_that_raises_leaves_what_was_read_and_says_so(failing):
    """A VPRN read the service refuses or that times out ends the VPRN reading with a note; the
    Base router's interfaces and the ports are still answered (the review found the whole
    interfaces read failed)."""
    from netops.errors import CommandTimeout

    def device(c):
        if c == failing:
            raise CommandTimeout(f"{c!r} timed out after 30 s")
        return read(command_slug(c))

    i = sros.interfaces(None, device)
    assert "1/1/1" in [x.name for x in i.interfaces] and "system" in [x.name for x in i.interfaces]
    assert i.note and "timed out" in i.note
    vrfs = {x.vrf for x in i.interfaces if x.vrf}
    assert len(vrfs) == (0 if failing.startswith("show service") else 1)  # VPRN 100 was read before 200


def test_port_descriptions_of_other_port_kinds():
    text = f"""{EQ}
Port Descriptions on Satellite esat-11
{EQ}
Port Id        Description
{DASH}
esat-11/1/1    OC_uplink-65-OFL5
esat-11/1/c65/u1
               100-Gig Ethernet
{EQ}

{EQ}
Port Descriptions on Port Cross Connect 1
{EQ}
Port Id        Description
{DASH}
pxc-1.a        Port cross-connect
{EQ}
"""
    assert sros.parse_port_descriptions(text) == {
        "esat-11/1/1": "OC_uplink-65-OFL5", "esat-11/1/c65/u1": "100-Gig Ethernet", "pxc-1.a": "Port cross-connect"}


# -- BGP ------------------------------------------------------------------------------------------

def _bgp(host: str = "pe1"):
    return sros.bgp_neighbors(None, lambda c: read(c.replace(" ", "_").replace("-", "_"), host))


def test_bgp_summary_all_every_peer_family_and_vprn():
    b = _bgp()
    got = [(n.peer, n.vrf, n.afi_safi, n.state, n.remote_as, n.prefixes_received, n.description) for n in b.neighbors]
    assert got == [
        ("10.20.0.5", "default", "ipv4-unicast", "Connect", 64999, None, "transit-b"),
        ("10.255.0.22", "default", "ipv4-unicast", "Established", 65000, 12, "rr1"),
        ("10.255.0.22", "default", "vpnv4-unicast", "Established", 65000, 40, "rr1"),
        ("2001:db8:20::2", "default", "ipv6-unicast", "Established", 64510, 6, "transit-a-v6"),
        ("2001:db8:30::2", "default", "ipv6-unicast", "Active", 64520, None, None),
        ("192.168.1.2", "CUST-A", "ipv4-unicast", "Established", 64512, 7, "cust-a-ce1"),
    ]
    rr = b.by_peer("10.255.0.22")
    assert rr.established and rr.uptime == "88d04h51m" and rr.uptime_seconds == 88 * 86400 + 4 * 3600 + 51 * 60
    assert b.by_peer("2001:db8:20::2").uptime_seconds == 104 * 86400 + 17 * 3600
    down = b.by_peer("10.20.0.5")
    assert not down.established and down.uptime is None and down.uptime_seconds is None
    assert (b.router_id, b.local_as) == ("10.255.0.21", 65000)  # from the Base router's header
    every = sros.parse_bgp_summary(read("show_router_bgp_summary_all"))
    assert (every.router_id, every.local_as) == (None, None)  # "summary all" has no such header
    assert [(n.peer, n.afi_safi) for n in every.neighbors] == [(n.peer, n.afi_safi) for n in b.neighbors]


def test_bgp_base_summary_alone_lists_the_default_instance():
    b = sros.parse_bgp_summary(read("show_router_bgp_summary"))
    assert (b.router_id, b.local_as) == ("10.255.0.21", 65000)
    assert [(n.peer, n.vrf, n.afi_safi, n.prefixes_received) for n in b.neighbors] == [
        ("10.20.0.5", "default", "ipv4-unicast", None), ("10.255.0.22", "default", "ipv4-unicast", 12),
        ("10.255.0.22", "default", "vpnv4-unicast", 40), ("2001:db8:20::2", "default", "ipv6-unicast", 6),
        ("2001:db8:30::2", "default", "ipv6-unicast", None)]


def test_bgp_vprn_without_a_name_keeps_its_service_id():
    text = read("show_router_bgp_summary_all").replace("\n100             64512", "\n200             64512")
    b = sros.bgp_neighbors(None, lambda c: text if "bgp" in c else read("show_service_service_using_vprn"))
    assert b.by_peer("192.168.1.2").vrf == "200"
    no_names = sros.bgp_neighbors(None, lambda c: read("show_router_bgp_summary_all") if "bgp" in c
                                  else "MINOR: CLI Command not allowed for this user.\n")
    assert no_names.by_peer("192.168.1.2").vrf == "100"


BASE_SUMMARY = f"""{EQ}
 BGP Router ID:10.255.0.21      AS:65000       Local AS:65000
{EQ}
BGP Admin State         : Up          BGP Oper State              : Up
Total Peer Groups       : 2           Total Peers                 : 3

{EQ}
BGP Summary
{EQ}
Legend : D - Dynamic Neighbor
{EQ}
Neighbor
Description
                   AS PktRcvd InQ  Up/Down   State|Rcv/Act/Sent (Addr Family)
                      PktSent OutQ
{DASH}
10.0.0.7
                65000     157    0 00h58m28s 0/0/0 (VpnIPv4)
                          131    0           0/0/0 (VpnIPv6)
                                             6/1/3 (Evpn)
                                             16/4/5 (Lbl-IPv4)
10.0.10.1
                65000       0    0 00h00m05s Idle
                            0    0
{DASH}
"""


def test_bgp_without_all_falls_back_to_the_base_router_with_its_identity():
    sent = []

    def device(command):
        sent.append(command)
        return "MINOR: CLI Invalid parameter \"all\".\n" if command.endswith(" all") else BASE_SUMMARY

    b = sros.bgp_neighbors(None, device)
    assert sent == ["show router bgp summary", "show router bgp summary all"]
    assert (b.router_id, b.local_as) == ("10.255.0.21", 65000)
    assert [(n.peer, n.afi_safi, n.prefixes_received) for n in b.neighbors] == [
        ("10.0.0.7", "vpnv4-unicast", 0), ("10.0.0.7", "vpnv6-unicast", 0), ("10.0.0.7", "l2vpn-evpn", 6),
        ("10.0.0.7", "ipv4-labeled-unicast", 16), ("10.0.10.1", "ipv4-unicast", None)]
    assert b.by_peer("10.0.10.1").state == "Idle" and all(n.vrf == "default" for n in b.neighbors)


def test_bgp_per_vprn_summary_and_the_captured_family_layout():
    """``show router 100 bgp summary`` puts every peer in the VPRN; the layout of ntc-templates'
    capture (no Description, truncated counters with ``*``, many peers) reads the same."""
    family_layout = f"""{EQ}
BGP IPv4 Summary
{EQ}
Neighbor
                   AS PktRcvd PktSent  InQ OutQ Up/Down   State|Recv/Actv/Sent
{DASH}
"""
    b = sros.parse_bgp_summary(BASE_SUMMARY, vrf="100")
    assert {n.vrf for n in b.neighbors} == {"100"}
    truncated = BASE_SUMMARY.replace("65000     157    0", "65000  390698*   0")
    assert sros.parse_bgp_summary(truncated).by_peer("10.0.0.7").remote_as == 65000
    assert sros.parse_bgp_summary(family_layout).neighbors == []
    rows = family_layout + """192.0.2.118
               64598*  228872  215409    0    0 25d10h18m 2/2/1
192.0.2.126
               64598*       0       0    0    0 54d18h43m Connect
192.0.2.103
               65535  390698*  749512    0    0 54d18h40m 862440/627895/373
-------------------------------------------------------------------------------
* indicates that the corresponding row element may have been truncated.
"""
    got = [(n.peer, n.remote_as, n.state, n.prefixes_received, n.afi_safi, n.uptime_seconds)
           for n in sros.parse_bgp_summary(rows).neighbors]
    assert got == [("192.0.2.118", 64598, "Established", 2, "ipv4-unicast", 25 * 86400 + 10 * 3600 + 18 * 60),
                   ("192.0.2.126", 64598, "Connect", None, "ipv4-unicast", None),
                   ("192.0.2.103", 65535, "Established", 862440, "ipv4-unicast", 54 * 86400 + 18 * 3600 + 40 * 60)]
    v6 = sros.parse_bgp_summary(rows.replace("BGP IPv4 Summary", "BGP IPv6 Summary"))
    assert {n.afi_safi for n in v6.neighbors} == {"ipv6-unicast"}  # the family the listing names


def test_bgp_link_local_peer_and_a_description_that_looks_like_an_address():
    text = BASE_SUMMARY.replace("10.0.10.1\n", 'fe80::2621:1eff:fe00:101-"to-p1"\n').replace(
        "10.0.0.7\n", "10.0.0.7\n10.9.9.9-mgmt\n").replace(
        "65000       0    0 00h00m05s Idle", "65001      12    0 00h00m05s 3/3/1 (IPv4)")
    b = sros.parse_bgp_summary(text)
    assert [n.peer for n in b.neighbors][-1] == "fe80::2621:1eff:fe00:101%to-p1"
    ll = b.by_peer("fe80::2621:1eff:fe00:101%to-p1")  # RFC 5549: IPv4 routes over a link-local session
    assert (ll.afi_safi, ll.prefixes_received, ll.remote_as) == ("ipv4-unicast", 3, 65001)
    assert b.by_peer("10.0.0.7").description == "10.9.9.9-mgmt" and b.by_peer("10.9.9.9") is None


def test_bgp_falls_back_when_the_device_does_not_know_all(svc):
    svc.fake.outputs["pe2"] = {**svc.fake.outputs["pe2"]}
    del svc.fake.outputs["pe2"]["show_router_bgp_summary_all"]  # the fake answers "% Unknown command"
    svc.fake.outputs["pe2"]["show_router_bgp_summary"] = BASE_SUMMARY
    r = svc.get("pe2", "bgp")["pe2"]
    assert r.ok and r.data.router_id == "10.255.0.21" and len(r.data.neighbors) == 5
    assert svc.fake.commands_for("pe2") == ["show router bgp summary", "show router bgp summary all"]


def test_bgp_not_configured_is_a_note_and_errors_fail():
    b = _bgp("pe2")
    assert b.neighbors == [] and "BGP is not configured" in b.note
    classic = sros.parse_bgp_summary("MINOR: CLI BGP is not configured.\n")
    assert classic.neighbors == [] and classic.note
    with pytest.raises(ParseError, match="failed on the device"):
        sros.parse_bgp_summary("Error: Bad command.\n")
    with pytest.raises(ParseError, match="not recognised"):
        sros.parse_bgp_summary("nothing like a summary\n")


@pytest.mark.parametrize("name, afi", [("IPv4", "ipv4-unicast"), ("IPv6", "ipv6-unicast"), ("VpnIPv4", "vpnv4-unicast"),
                                       ("VpnIPv6", "vpnv6-unicast"), ("Evpn", "l2vpn-evpn"), ("L2VPN", "l2vpn-vpls"),
                                       ("Lbl-IPv4", "ipv4-labeled-unicast"), ("Lbl-IPv6", "ipv6-labeled-unicast"),
                                       ("McIPv4", "ipv4-multicast"), ("FlowIpv4", "ipv4-flowspec")])
def test_bgp_family_names(name, afi):
    assert sros.family(name) == afi


# -- OSPF -----------------------------------------------------------------------------------------

def test_ospf_neighbors_in_several_areas():
    o = sros.parse_ospf_neighbors(read("show_router_ospf_neighbor"))
    got = [(n.neighbor_id, n.interface, n.state, n.full, n.priority, n.dead_time_seconds, n.role, n.address)
           for n in o.neighbors]
    assert got == [
        ("10.255.0.1", "to-p1", "Full", True, 1, 37.0, None, None),
        ("10.255.0.3", "to-p3", "Full", True, 1, 33.0, None, None),
        ("10.255.9.9", "to-cust-parked", "ExStart", False, 1, 31.0, None, None),
        ("10.255.10.1", "to-agg1", "2-Way", False, 0, 35.0, None, None),
    ]
    assert o.note is None


def test_ospf_older_header_empty_table_and_not_configured():
    old = f"""{EQ}
OSPFv2 (0) all neighbors
{EQ}
Interface-Name                   Rtr Id          State      Pri  RetxQ   TTL
   Area-Id
{DASH}
toR2                             2.2.2.2         Full       1    0       33
   0.0.0.0
{DASH}
No. of Neighbors: 1
{EQ}
"""
    assert [(n.neighbor_id, n.interface) for n in sros.parse_ospf_neighbors(old).neighbors] == [("2.2.2.2", "toR2")]
    empty = sros.parse_ospf_neighbors(read("show_router_ospf_neighbor", "pe2"))
    assert empty.neighbors == [] and empty.note is None
    off = sros.parse_ospf_neighbors("MINOR: CLI OSPF is not configured.\n")
    assert off.neighbors == [] and "OSPF is not configured" in off.note
    bare = sros.parse_ospf_neighbors("OSPF Protocol is not configured\n\n[/]\nA:admin@pe2# ")
    assert bare.neighbors == [] and "OSPF Protocol is not configured" in bare.note
    assert sros.not_running(read("show_router_ospf_neighbor")) is None
    with pytest.raises(ParseError):
        sros.parse_ospf_neighbors("Error: Bad command.\n")
    with pytest.raises(ParseError, match="not recognised"):
        sros.parse_ospf_neighbors("garbage\n")


# -- routes ---------------------------------------------------------------------------------------

def _route(prefix: str):
    sent = []

    def device(command):
        sent.append(command)
        from netops.devices.transport import command_slug

        f = SROS / "pe1" / f"{command_slug(command)}.txt"
        return f.read_text() if f.exists() else "MINOR: CLI Invalid parameter.\n"

    return sros.route(None, device, prefix=prefix), sent


def test_route_found_with_ecmp_next_hops():
    r, sent = _route("10.30.1.1")
    assert sent == ["show router route-table 10.30.1.1"]
    assert (r.found, r.prefix, r.protocol, r.distance, r.metric, r.uptime) == (
        True, "10.30.0.0/16", "ospf", 10, 20, "01d02h03m")
    assert [(h.address, h.interface) for h in r.next_hops] == [("10.20.0.1", None), ("10.20.0.5", None)]


def test_route_connected_host_query_and_ipv6_link_local_next_hop():
    r, sent = _route("10.20.0.1/32")
    assert sent == ["show router route-table 10.20.0.1"]  # an address: the device's longest match
    assert (r.prefix, r.protocol, r.distance) == ("10.20.0.0/31", "connected", 0)
    assert [(h.address, h.interface) for h in r.next_hops] == [(None, "to-p1")]
    v6, sent = _route("2001:db8:255::22")
    assert sent == ["show router route-table ipv6 2001:db8:255::22"]
    assert (v6.found, v6.prefix, v6.protocol, v6.metric) == (True, "2001:db8:255::22/128", "ospf", 30)
    assert [(h.address, h.interface) for h in v6.next_hops] == [("fe80::2621:1eff:fe00:101", "to-p1")]


def test_route_not_found_and_prefix_queries():
    r, _ = _route("192.0.2.99")
    assert (r.found, r.prefix, r.next_hops) == (False, None, [])
    sent = []
    exact = sros.route(None, lambda c: sent.append(c) or read("show_router_route_table_10_30_1_1"), prefix="10.30.0.0/16")
    assert sent == ["show router route-table 10.30.0.0/16"] and exact.prefix == "10.30.0.0/16"
    with pytest.raises(ParseError, match="failed on the device"):
        _route("198.51.100.0/24")


WHOLE_TABLE = f"""{EQ}
Route Table (Router: Base)
{EQ}
Dest Prefix[Flags]                            Type    Proto     Age        Pref
      Next Hop[Interface Name]                                    Metric
{DASH}
0.0.0.0/0                                     Remote  BGP       10d01h02m  170
       10.20.0.1                                                    0
10.20.0.0/31                                  Local   Local     142d03h    0
       to-p1                                                        0
10.30.0.0/16                                  Remote  OSPF      01d02h03m  10
       10.20.0.1                                                    20
10.30.1.0/24                                  Remote  Static    00h01m00s  5
       10.20.0.3                                                    1
10.255.0.21/32                                Local   Local     142d03h    0
       system                                                       0
{DASH}
No. of Routes: 5
{EQ}
"""


def test_route_from_the_whole_table_when_the_lookup_form_is_refused():
    sent = []

    def device(command):
        sent.append(command)
        return WHOLE_TABLE if command == "show router route-table" else "% Unknown command: " + command

    r = sros.route(None, device, prefix="10.30.1.1")
    assert sent == ["show router route-table 10.30.1.1", "show router route-table"]
    assert (r.prefix, r.protocol, r.distance, r.next_hops[0].address) == ("10.30.1.0/24", "static", 5, "10.20.0.3")
    assert sros.route(None, device, prefix="10.30.9.9").prefix == "10.30.0.0/16"
    assert sros.route(None, device, prefix="198.51.100.1").prefix == "0.0.0.0/0"  # the default route
    assert sros.route(None, device, prefix="10.30.0.0/16").prefix == "10.30.0.0/16"
    assert not sros.parse_route(WHOLE_TABLE.replace("0.0.0.0/0 ", "10.0.0.0/8"), "198.51.100.1").found
    assert not sros.parse_route(WHOLE_TABLE, "2001:db8::1").found  # another family never matches


def test_route_next_hop_spellings():
    text = f"""{EQ}
Route Table (Router: Base)
{EQ}
Dest Prefix[Flags]                            Type    Proto     Age        Pref
      Next Hop[Interface Name]                         Active     Metric
{DASH}
10.9.0.0/24                                   Remote  Static    00h00m10s  5
       Black Hole                                      Y            1
10.8.0.0/16                                   Remote  BGP_VPN   00h10m00s  170
       10.255.0.22 (tunneled:SR-ISIS:524287)           Y            10
{DASH}
No. of Routes: 2
{EQ}
"""
    r = sros.parse_route(text, "10.9.0.1")
    assert (r.prefix, r.protocol, r.distance, r.metric, r.next_hops[0].address, r.next_hops[0].interface) == (
        "10.9.0.0/24", "static", 5, 1, None, None)
    vpn = sros.parse_route(text.replace("10.9.0.0/24 ", "10.0.0.0/8  "), "10.8.1.1")
    assert (vpn.prefix, vpn.protocol, vpn.next_hops[0].address) == ("10.8.0.0/16", "bgp", "10.255.0.22")


# -- config ---------------------------------------------------------------------------------------

def test_config_classic_then_md_cli():
    c = sros.config(None, lambda cmd: read(cmd.replace(" ", "_").replace("-", "_")))
    assert c.text.startswith("# TiMOS-B-20.10.R3") and "exit all" in c.text
    sent = []

    def md(cmd):
        sent.append(cmd)
        return read(cmd.replace(" ", "_").replace("-", "_"), "pe2")

    c2 = sros.config(None, md)
    assert sent == ["admin display-config", "admin show configuration"]
    assert c2.text.startswith("# TiMOS-B-23.10.R1") and c2.text.endswith("}\n")  # MD-CLI context and prompt dropped
    assert "A:admin@pe2#" not in c2.text and "[/]" not in c2.text
    with pytest.raises(ParseError, match="admin show configuration"):
        sros.config(None, lambda cmd: "MINOR: CLI Command not allowed for this user.\n")


@pytest.mark.parametrize("getter, command, kw", [
    ("facts", "show system information", {}), ("interfaces", "show router interface", {}),
    ("bgp_neighbors", "show router bgp summary all", {}), ("ospf_neighbors", "show router ospf neighbor", {}),
    ("route", "show router route-table 10.30.1.1", {"prefix": "10.30.1.1"}), ("config", "admin display-config", {}),
])
def test_output_saved_with_prompt_and_command_reads_like_live_output(getter, command, kw):
    from netops.devices.transport import command_slug

    def live(cmd):
        f = SROS / "pe1" / f"{command_slug(cmd)}.txt"
        return f.read_text() if f.exists() else "Error: Bad command."

    def saved(cmd):
        return f"[/]\nA:admin@pe1# {cmd}\n{live(cmd)}\n[/]\nA:admin@pe1# "

    assert sros.GETTERS[getter](None, saved, **kw) == sros.GETTERS[getter](None, live, **kw)
    echoed = sros.config(None, lambda c: f"{c}\n{live(c)}")
    assert echoed.text.startswith("# TiMOS-B-20.10.R3")


def test_device_error_and_prompt_lines():
    assert sros.device_error("Error: Bad command.\n") == "Error: Bad command."
    assert sros.device_error(read("admin_display_config", "pe2")) == "MINOR: MGMT_CORE #2201: Unknown element"
    assert sros.device_error(read("show_router_interface")) is None
    assert sros.device_error("") is None
    assert sros.device_error("% Unknown command: show router x\n") == "% Unknown command: show router x"
    assert sros.not_running("MINOR: CLI Invalid parameter.\n") is None


# -- through the service: every command passes the policy, secrets are redacted --------------------

def test_every_getter_through_the_service_sends_policy_checked_commands(svc):
    for getter, kw in [("facts", {}), ("interfaces", {}), ("bgp", {}), ("ospf", {}), ("route", {"prefix": "10.30.1.1"}),
                       ("config", {})]:
        res = svc.get("pe1", getter, **kw)["pe1"]
        assert res.ok, (getter, res.error)
    sent = svc.fake.commands_for("pe1")
    assert sent == ["show system information", "show chassis", "show router interface",
                    "show service service-using vprn", "show router 100 interface", "show router 200 interface",
                    "show port", "show port description", "show router bgp summary", "show router bgp summary all",
                    "show service service-using vprn", "show router ospf neighbor",
                    "show router route-table 10.30.1.1", "admin display-config"]
    assert all(check_command(c, "nokia_sros").allowed for c in sent)
    config = svc.get("pe1", "config")["pe1"].data.text
    for secret in ("TQrZlpBDra86", "Xl7sEHePqJp1zyT1BSLN3kY2f6H3", "vpmUjmpC6qVgYo6SS8lo4MjA", "sros-public-ro"):
        assert secret not in config
    assert 'community "CUST-A" members "65000:100"' in config


def test_md_cli_router_through_the_service(svc):
    f = svc.get("pe2", "facts")["pe2"].data
    assert (f.hostname, f.serial) == ("pe2", None)
    c = svc.get("pe2", "config")["pe2"].data.text
    assert "MdBgpKeyPlain" not in c and "Kk3CyTsk0eZ5a2bN" not in c
    assert svc.fake.commands_for("pe2")[-2:] == ["admin display-config", "admin show configuration"]


def test_registered_as_the_getter_module_for_nokia_sros():
    from netops.devices.parser_registry import getter_modules

    assert getter_modules()["nokia_sros"] == "netops.devices.parsers.nokia_sros"
    assert set(sros.GETTERS) == {"facts", "interfaces", "bgp_neighbors", "ospf_neighbors", "route", "config"}
