"""Huawei VRP getters on output hand-written in the format of published captures (VRP 8 NE40E
``pe1``, VRP 5 S5720 ``sw1``; see ``tests/fixtures/devices/huawei_vrp/README.md``)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.parsers import ParseError, huawei_vrp as vrp
from netops.devices.policy import check_command
from netops.devices.service import DeviceService
from netops.devices.transport import command_slug
from netops.testing.transport import FakeTransport

VRP = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "huawei_vrp"
CARET = "                 ^\nError: Unrecognized command found at '^' position.\n"
HOST = SimpleNamespace(name="inv-name", platform="huawei_vrp")

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  pe1: {hostname: 127.0.9.51, platform: huawei_vrp}
  sw1: {hostname: 127.0.9.52, platform: huawei_vrp}
"""


def device(folder: str, **override: str):
    """command -> the fixture of ``folder`` (``override`` by slug first); anything else: VRP's error."""
    sent: list[str] = []

    def read(command: str) -> str:
        sent.append(command)
        slug = command_slug(command)
        if slug in override:
            return override[slug]
        f = VRP / folder / f"{slug}.txt"
        return f.read_text() if f.exists() else CARET
    read.sent = sent  # type: ignore[attr-defined]
    return read


@pytest.fixture
def svc(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_PW", "x")
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    fake = FakeTransport.from_dir(VRP)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


# -- facts ----------------------------------------------------------------------------------------

def test_facts_vrp8_ne40e():
    read = device("pe1")
    f = vrp.facts(HOST, read)
    assert (f.hostname, f.vendor, f.platform) == ("PE1-NE40E", "Huawei", "huawei_vrp")
    assert (f.os_version, f.model, f.serial) == ("V800R012C10SPC300", "NE40E-X8A", "2102113089P0L4000123")
    assert f.uptime_seconds == 45 * 86400 + 3 * 3600 + 12 * 60
    assert read.sent == ["display version", "display current-configuration | include sysname", "display esn"]


def test_facts_vrp5_switch_with_echoed_prompt():
    f = vrp.facts(HOST, device("sw1"))
    assert (f.hostname, f.os_version, f.model) == ("S5720-ACC1", "V200R011C10SPC500", "S5720-28X-SI-AC")
    assert f.serial == "21023573104ZK8000412"
    assert f.uptime_seconds == 7 * 86400 + 5 * 86400 + 4 * 3600 + 37 * 60


def test_facts_ar_router_model_and_missing_sysname_and_esn():
    version = ("Huawei Versatile Routing Platform Software\n"
               "VRP (R) software, Version 5.170 (AR6280 V300R019C10SPC300)\n"
               "Copyright (C) 2011-2020 HUAWEI TECH CO., LTD\n"
               "Huawei AR6280 Router uptime is 60 weeks, 4 days, 11 hours, 20 minutes\n")
    f = vrp.facts(HOST, device("none", display_version=version))
    assert (f.hostname, f.model, f.serial, f.os_version) == ("inv-name", "AR6280", None, "V300R019C10SPC300")
    assert f.uptime_seconds == 60 * 604800 + 4 * 86400 + 11 * 3600 + 20 * 60


def test_facts_refused_or_unknown_version_is_a_parse_error():
    with pytest.raises(ParseError, match="Unrecognized command"):
        vrp.facts(HOST, device("none"))
    with pytest.raises(ParseError, match="not recognised as Huawei VRP"):
        vrp.parse_version("Cisco IOS Software, Version 15.2\n", "x")


# -- interfaces -----------------------------------------------------------------------------------

def test_interfaces_vrp8_state_addresses_and_counters():
    read = device("pe1")
    got = vrp.interfaces(HOST, read)
    assert read.sent == ["display interface", "display ipv6 interface", "display ip vpn-instance interface"]
    assert got.by_name("Eth-Trunk10.100").vrf == "CUST-A" and got.by_name("Eth-Trunk10").vrf is None
    names = [i.name for i in got.interfaces]
    assert names == ["Eth-Trunk10", "Eth-Trunk10.100", "GigabitEthernet0/1/0", "GigabitEthernet0/1/1",
                     "GigabitEthernet0/1/2", "GigabitEthernet0/1/3", "GigabitEthernet0/1/4", "LoopBack0", "NULL0"]
    ge0 = got.by_name("GigabitEthernet0/1/0")
    assert ge0.addresses == ["10.0.12.1/30", "10.0.112.1/24", "10.0.113.129/25", "2001:db8:0:12::1/64",
                             "2001:db8:0:112::1/64", "fe80::2e0:fcff:fe12:3401/64"]
    assert (ge0.admin_up, ge0.oper_up, ge0.mtu, ge0.mac) == (True, True, 9000, "00e0-fc12-3401")
    assert ge0.description == "to-P1 GigabitEthernet0/1/0"
    assert (ge0.counters.rx_packets, ge0.counters.rx_bytes) == (1234567, 918273645)  # "N bytes, N packets"
    assert (ge0.counters.tx_packets, ge0.counters.tx_bytes) == (1198765, 876543210)
    shut = got.by_name("GigabitEthernet0/1/1")
    assert (shut.admin_up, shut.oper_up) == (False, False)  # "Administratively DOWN"
    assert shut.addresses == ["10.9.9.1/30", "2001:db8:0:99::1/64", "fe80::2e0:fcff:fe12:3402/64"]  # tentative
    cut = got.by_name("GigabitEthernet0/1/2")
    assert (cut.admin_up, cut.oper_up) == (True, False)
    sub = got.by_name("Eth-Trunk10.100")
    assert (sub.addresses, sub.mtu, sub.oper_up) == (["192.168.1.1/30"], 1500, True)
    trunk = got.by_name("Eth-Trunk10")
    assert trunk.addresses == ["10.0.30.1/24", "2001:db8:0:30::1/64", "fe80::2e0:fcff:fe12:3400/64"]
    assert trunk.mtu == 9000
    assert got.by_name("GigabitEthernet0/1/4").addresses == []  # trunk member: IP processing disabled
    lo = got.by_name("LoopBack0")
    assert (lo.oper_up, lo.addresses) == (True, ["10.0.0.1/32", "2001:db8:255::1/128", "fe80::2e0:fcff:fe12:3499/64"])
    assert got.note is None


def test_interfaces_vrp5_switch_vlanif_secondary_unnumbered_and_error_counters():
    got = vrp.interfaces(HOST, device("sw1"))
    vlan10 = got.by_name("Vlanif10")
    assert vlan10.addresses == ["10.10.10.1/24", "10.10.11.1/24", "2001:db8:10::1/64", "fe80::4e1f:ccff:fe5a:a/64"]
    assert vlan10.description == "mgmt vlan"
    assert got.by_name("Vlanif20").addresses == []  # unnumbered: the address is LoopBack0's
    assert (got.by_name("Vlanif20").admin_up, got.by_name("Vlanif20").oper_up) == (True, False)
    port = got.by_name("GigabitEthernet0/0/1")
    assert port.mtu is None  # a switch port's maximum frame length is not an MTU
    assert (port.counters.rx_packets, port.counters.rx_bytes, port.counters.rx_errors) == (8812094, 1771020118, 2)
    assert (port.counters.tx_packets, port.counters.tx_errors) == (11204471, 0)
    assert (got.by_name("GigabitEthernet0/0/2").admin_up, got.by_name("GigabitEthernet0/0/2").description) == (False, None)
    assert got.by_name("LoopBack0").counters.rx_errors == 0  # router layout: "0 errors,0 unknownprotocol"
    assert got.by_name("Eth-Trunk1").oper_up and got.by_name("MEth0/0/1").oper_up is False


def test_interfaces_keep_ipv4_when_ipv6_is_refused_or_unreadable():
    got = vrp.interfaces(HOST, device("sw1", display_ipv6_interface=CARET, display_ipv6_interface_brief=CARET))
    assert got.by_name("Vlanif10").addresses == ["10.10.10.1/24", "10.10.11.1/24"] and got.note is None
    odd = vrp.interfaces(HOST, device("sw1", display_ipv6_interface="something else entirely\n"))
    assert odd.by_name("Vlanif10").addresses == ["10.10.10.1/24", "10.10.11.1/24"]
    assert "IPv6 addresses not included" in odd.note
    with pytest.raises(ParseError, match="not recognised as Huawei VRP"):
        vrp.parse_interfaces("GigabitEthernet0/0/1 is up, line protocol is up\n")


# -- BGP ------------------------------------------------------------------------------------------

def test_bgp_every_family_and_vpn_instance():
    read = device("pe1")
    b = vrp.bgp_neighbors(HOST, read)
    assert read.sent == ["display bgp peer", "display bgp ipv6 peer", "display bgp vpnv4 all peer",
                         "display bgp vpnv6 all peer", "display bgp evpn peer"]
    assert (b.router_id, b.local_as, b.note) == ("10.0.0.1", 65001, None)
    rows = [(n.peer, n.vrf, n.afi_safi, n.state, n.remote_as, n.prefixes_received) for n in b.neighbors]
    assert rows == [
        ("10.0.0.2", "default", "ipv4-unicast", "Established", 65002 * 65536 + 2048, 12),
        ("10.0.0.3", "default", "ipv4-unicast", "Established", 65001, 240),
        ("10.0.0.9", "default", "ipv4-unicast", "Active", 4200000001, None),
        ("198.51.100.9", "default", "ipv4-unicast", "Idle", 64999, None),
        ("2001:db8:0:12::2", "default", "ipv6-unicast", "Established", 65002, 4),
        ("2001:db8:0:13::3", "default", "ipv6-unicast", "Connect", 65003, None),
        ("10.0.0.3", "default", "vpnv4-unicast", "Established", 65001, 35),
        ("192.168.1.2", "CUST-A", "ipv4-unicast", "Established", 64512, 7),
        ("192.168.1.6", "CUST-A", "ipv4-unicast", "Idle", 64513, None),
        ("192.168.2.2", "CUST-B", "ipv4-unicast", "Established", 64600 * 65536 + 100, 2),
        ("10.0.0.3", "default", "vpnv6-unicast", "Established", 65001, 6),
        ("2001:db8:1:1::2", "CUST-A", "ipv6-unicast", "Established", 64512, 3),
    ]
    first = b.neighbors[0]
    assert (first.uptime, first.uptime_seconds, first.established) == ("0034h12m", 34 * 3600 + 12 * 60, True)
    assert b.by_peer("192.168.2.2").uptime_seconds == 3723  # 01:02:03
    idle = b.by_peer("198.51.100.9")
    assert (idle.established, idle.uptime, idle.uptime_seconds) == (False, None, None)


def test_bgp_extra_families_refused_keep_ipv4():
    b = vrp.bgp_neighbors(HOST, device("pe1", display_bgp_ipv6_peer=CARET, display_bgp_vpnv4_all_peer=CARET,
                                       display_bgp_vpnv6_all_peer="\n"))
    assert {n.afi_safi for n in b.neighbors} == {"ipv4-unicast"} and len(b.neighbors) == 4


@pytest.mark.parametrize("reply", ["\n", "", "Info: BGP is not configured.\n",
                                   "              ^\nError: The BGP instance does not exist.\n"])
def test_bgp_not_configured_is_a_note(reply):
    read = device("none", display_bgp_peer=reply)
    b = vrp.bgp_neighbors(HOST, read)
    assert b.neighbors == [] and b.note and read.sent == ["display bgp peer"]


def test_bgp_unknown_error_and_unrecognised_output_fail():
    with pytest.raises(ParseError, match="Unrecognized command"):
        vrp.bgp_neighbors(HOST, device("none"))
    with pytest.raises(ParseError, match="not recognised as Huawei VRP"):
        vrp.parse_bgp_peers("Neighbor V AS MsgRcvd\nsomething\nelse\n")


def test_bgp_uptime_forms():
    row = "  10.0.0.2  4  65002  1  1  0 {}  Established  1\n"
    head = " BGP local router ID : 10.0.0.1\n Local AS number : 65001\n"
    for updown, seconds in [("1d02h", 93600), ("00:17:49", 1069), ("06h28m21s", 23301), ("0001h02m", 3720)]:
        assert vrp.parse_bgp_peers(head + row.format(updown)).neighbors[0].uptime_seconds == seconds


# -- OSPF -----------------------------------------------------------------------------------------

def test_ospf_two_areas_roles_and_states():
    o = vrp.ospf_neighbors(HOST, device("pe1"))
    rows = [(n.neighbor_id, n.address, n.interface, n.state, n.full, n.role, n.priority, n.dead_time_seconds)
            for n in o.neighbors]
    assert rows == [
        ("10.0.0.2", "10.0.12.2", "GigabitEthernet0/1/0", "Full", True, None, 1, 34.0),       # point-to-point
        ("10.0.0.3", "10.0.30.3", "Eth-Trunk10", "Full", True, "DR", 1, 37.0),
        ("10.0.0.4", "10.0.30.4", "Eth-Trunk10", "2-Way", False, "DROther", 1, 31.0),
        ("10.0.0.5", "10.1.40.5", "GigabitEthernet0/1/3", "ExStart", False, "DROther", 0, 38.0),  # area 0.0.0.1
    ]


def test_ospf_vrp5_layout_and_brief_fallback():
    o = vrp.ospf_neighbors(HOST, device("sw1"))
    assert [(n.neighbor_id, n.address, n.interface, n.role, n.full) for n in o.neighbors] == [
        ("10.255.1.1", "10.10.10.2", "Vlanif10", "DR", True)]
    read = device("sw1", display_ospf_peer=CARET)
    brief = vrp.ospf_neighbors(HOST, read)
    assert read.sent == ["display ospf peer", "display ospf peer brief"]
    assert [(n.neighbor_id, n.interface, n.state, n.full) for n in brief.neighbors] == [
        ("10.255.1.1", "Vlanif10", "Full", True), ("10.255.1.2", "Vlanif30", "Init", False)]


@pytest.mark.parametrize("reply", ["", "Info: OSPF is not configured.\n", "\n\n"])
def test_ospf_not_configured_is_a_note(reply):
    o = vrp.ospf_neighbors(HOST, device("none", display_ospf_peer=reply))
    assert o.neighbors == [] and o.note


# -- route ----------------------------------------------------------------------------------------

def test_route_ecmp_bgp_connected_and_not_found():
    r = vrp.route(HOST, device("pe1"), prefix="10.30.1.1")
    assert (r.found, r.prefix, r.protocol, r.distance, r.metric) == (True, "10.30.1.0/24", "ospf", 10, 3)
    assert [(h.address, h.interface) for h in r.next_hops] == [("10.0.12.2", "GigabitEthernet0/1/0"),
                                                               ("10.0.30.3", "Eth-Trunk10")]
    b = vrp.route(HOST, device("pe1"), prefix="10.20.0.1")
    assert (b.prefix, b.protocol, b.distance, b.next_hops[0].address) == ("10.20.0.0/16", "bgp", 255, "10.0.0.3")
    c = vrp.route(HOST, device("pe1"), prefix="10.0.12.2")
    assert (c.protocol, c.next_hops[0].address, c.next_hops[0].interface) == ("connected", None, "GigabitEthernet0/1/0")
    assert vrp.route(HOST, device("pe1"), prefix="192.0.2.99").found is False
    default = vrp.route(HOST, device("sw1"), prefix="10.30.1.1")
    assert (default.found, default.prefix, default.protocol) == (True, "0.0.0.0/0", "ospf")


def test_route_ipv6_and_prefix_form():
    r = vrp.route(HOST, device("pe1"), prefix="2001:db8:30::1")
    assert (r.found, r.prefix, r.protocol, r.distance, r.metric) == (True, "2001:db8:30::/64", "ospf", 10, 2)
    assert [(h.address, h.interface) for h in r.next_hops] == [("fe80::2e0:fcff:fe22:1", "GigabitEthernet0/1/0"),
                                                               ("fe80::2e0:fcff:fe33:1", "Eth-Trunk10")]
    read = device("pe1", display_ip_routing_table_10_30_1_0_24=(VRP / "pe1" / "display_ip_routing_table_10_30_1_1.txt")
                  .read_text())
    assert vrp.route(HOST, read, prefix="10.30.1.0/24").prefix == "10.30.1.0/24"
    assert read.sent == ["display ip routing-table 10.30.1.0 24"]
    empty6 = "Routing Table : _public_\nSummary Count : 0\n"
    assert vrp.route(HOST, device("x", display_ipv6_routing_table_2001_db8_1=empty6), prefix="2001:db8::1").found is False
    with pytest.raises(ParseError, match="Unrecognized command"):
        vrp.route(HOST, device("none"), prefix="10.1.1.1")


# -- config, saved sessions, errors -----------------------------------------------------------------

def test_config_is_the_current_configuration():
    c = vrp.config(HOST, device("pe1"))
    assert c.text.startswith("!Software Version V800R012C10SPC300") and "sysname PE1-NE40E" in c.text
    with pytest.raises(ParseError, match="display current-configuration"):
        vrp.config(HOST, device("none"))


@pytest.mark.parametrize("getter, kw", [("facts", {}), ("interfaces", {}), ("bgp_neighbors", {}),
                                        ("ospf_neighbors", {}), ("route", {"prefix": "10.30.1.1"}), ("config", {})])
@pytest.mark.parametrize("prompt", ["<PE1-NE40E>", "[~PE1-NE40E]"])
def test_output_saved_with_prompt_and_command_reads_like_live_output(getter, kw, prompt):
    live = device("pe1")

    def saved(cmd):
        return f"{prompt}{cmd}\n{live(cmd)}"

    assert vrp.GETTERS[getter](HOST, saved, **kw) == vrp.GETTERS[getter](HOST, live, **kw)


def test_device_error():
    assert vrp.device_error(CARET) == "Error: Unrecognized command found at '^' position."
    assert vrp.device_error("Error: Wrong parameter found at '^' position.\n").startswith("Error: Wrong parameter")
    assert vrp.device_error("% Unknown command: display x\n") == "% Unknown command: display x"
    assert vrp.device_error((VRP / "pe1" / "display_bgp_peer.txt").read_text()) is None
    assert vrp.device_error("") is None


# -- through the service: every command passes the policy, secrets are redacted --------------------

def test_every_getter_through_the_service_sends_policy_checked_commands(svc):
    for getter, kw in [("facts", {}), ("interfaces", {}), ("bgp", {}), ("ospf", {}),
                       ("route", {"prefix": "10.30.1.1"}), ("route", {"prefix": "2001:db8:30::1"}), ("config", {})]:
        res = svc.get("pe1", getter, **kw)["pe1"]
        assert res.ok, (getter, res.error)
    sent = svc.fake.commands_for("pe1")
    assert sent == ["display version", "display current-configuration | include sysname", "display esn",
                    "display interface", "display ipv6 interface", "display ip vpn-instance interface",
                    "display bgp peer", "display bgp ipv6 peer",
                    "display bgp vpnv4 all peer", "display bgp vpnv6 all peer", "display bgp evpn peer", "display ospf peer", "display ip routing-table 10.30.1.1",
                    "display ipv6 routing-table 2001:db8:30::1", "display current-configuration"]
    # the fallbacks and the prefix form too
    assert all(check_command(c, "huawei_vrp").command == c
               for c in [*sent, "display ospf peer brief", "display ip routing-table 10.30.1.0 24",
                         "display ipv6 routing-table 2001:db8:30:: 64", "display interface brief",
                         "display ip interface brief", "display ipv6 interface brief", "display ip routing-table",
                         "display ipv6 routing-table"])
    config = svc.get("pe1", "config")["pe1"].data.text
    for secret in ("J|sU0Kp`Q=5v2", "SnmpRoCipher6Hj", "BgpPeerCipherK8", "BgpPlainK9", "LdpMd5CipherK7",
                   "a/Bc8[Wd9@$QmE=Vb~Kp5wJ"):
        assert secret not in config
    assert "md5-password cipher 10.0.0.2 <redacted>" in config and "sysname PE1-NE40E" in config
    sw = svc.get("sw1", "config")["sw1"].data.text
    assert "Vrp5PublicRo" not in sw and "N`C55QK<`=/Q=^Q`MAF4<1!!" not in sw and "snmp-agent community read" in sw


def test_registered_as_the_getter_module_for_huawei_vrp():
    from netops.devices.parser_registry import getter_modules

    assert getter_modules()["huawei_vrp"] == "netops.devices.parsers.huawei_vrp"
    assert set(vrp.GETTERS) == {"facts", "interfaces", "bgp_neighbors", "ospf_neighbors", "route", "config"}


def test_route_picks_the_longest_covering_prefix():
    table = ("Route Flags: R - relay, D - download to fib\n" + "-" * 78 + "\nRouting Table : Public\n"
             "Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface\n\n"
             "        0.0.0.0/0   Static  60   0           RD  10.0.0.254      Vlanif10\n"
             "      10.30.0.0/16  IBGP    255  0           RD  10.0.0.3        Vlanif10\n"
             "      10.30.1.0/24  OSPF    10   2           D   10.0.12.2       GigabitEthernet0/1/0\n"
             "      10.31.0.0/16  OSPF    10   2           D   10.0.12.2       GigabitEthernet0/1/0\n")
    r = vrp.parse_route(table, "10.30.1.1")
    assert (r.prefix, r.protocol, [h.address for h in r.next_hops]) == ("10.30.1.0/24", "ospf", ["10.0.12.2"])
    assert vrp.parse_route(table, "10.32.0.1").prefix == "0.0.0.0/0"
    six = ("Routing Table : _public_\nSummary Count : 2\n\n"
           " Destination  : ::                                      PrefixLength : 0\n"
           " NextHop      : 2001:DB8::FF                            Preference   : 60\n"
           " Cost         : 0                                       Protocol     : Static\n"
           " Interface    : Vlanif10                                Flags        : RD\n\n"
           " Destination  : 2001:DB8:30::                           PrefixLength : 48\n"
           " NextHop      : 2001:DB8::3                             Preference   : 255\n"
           " Cost         : 0                                       Protocol     : IBGP\n"
           " Interface    : Vlanif10                                Flags        : RD\n")
    r6 = vrp.parse_route6(six, "2001:db8:30::1")
    assert (r6.prefix, r6.protocol, r6.distance, r6.next_hops[0].address) == ("2001:db8:30::/48", "bgp", 255, "2001:db8::3")
    assert vrp.parse_route6(six, "2001:db8:99::1").prefix == "::/0"


def test_interface_layouts_found_by_running_over_published_captures():
    """A sweep over ntc-templates' VRP ``display interface`` captures (outside the repository)
    found these layouts; here each one is hand-written in the same form."""
    text = """\
40GE0/0/1 current state : DOWN
Line protocol current state : DOWN
Description:
Switch Port, PVID :    1, TPID : 8100(Hex), The Maximum Frame Length is 9216
IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is 4c1f-cc5a-0101
Input:  0 packets, 0 bytes
  Broadcast:                        0,  Multicast:                           0
  Discard:                          0,  Total Error:                         5
Output:  0 packets, 0 bytes
  Discard:                          0,  Total Error:                         1
Dialer1 current state : UP
Line protocol current state : UP (spoofing)
Description:HUAWEI, AR Series, Dialer1 Interface
Route Port,The Maximum Transmit Unit is 1492, Hold timer is 10(sec)
Internet Address is negotiated, 198.51.100.156/32
Link layer protocol is PPP
Dialer1:0 current state : UP ,
Line protocol current state : UP
GigabitEthernet0/0/0 current state : UP
Line protocol current state : UP
Description:WAN
Route Port,The Maximum Transmit Unit is 1500
Internet Address is allocated by DHCP, 192.168.77.54/24
"""
    got = vrp.parse_interfaces(text)
    assert [i.name for i in got.interfaces] == ["40GE0/0/1", "Dialer1", "Dialer1:0", "GigabitEthernet0/0/0"]
    port = got.by_name("40GE0/0/1")
    assert (port.counters.rx_errors, port.counters.tx_errors, port.oper_up) == (5, 1, False)
    assert got.by_name("Dialer1").addresses == ["198.51.100.156/32"] and got.by_name("Dialer1").mtu == 1492
    assert got.by_name("Dialer1:0").oper_up is True
    assert got.by_name("GigabitEthernet0/0/0").addresses == ["192.168.77.54/24"]


def test_model_of_a_terabit_routing_switch():
    text = ("VRP (R) software, Version 5.170 (S7700 V200R010C00SPC600)\n"
            "HUAWEI S7706 Terabit Routing Switch uptime is 85 weeks, 4 days, 0 hour, 10 minutes\n")
    f = vrp.parse_version(text, "core1")
    assert (f.model, f.os_version) == ("S7706", "V200R010C00SPC600")
    assert f.uptime_seconds == 85 * 604800 + 4 * 86400 + 10 * 60


def test_bgp_dynamic_peers_evpn_and_a_family_not_negotiated():
    text = """\
 Status codes: * - Dynamic
 BGP local router ID        : 10.0.0.1
 Local AS number            : 65001.10
 Total number of peers      : 3
 Peers in established state : 2
 Total number of dynamic peers : 1

  Peer            V          AS  MsgRcvd  MsgSent  OutQ  Up/Down       State  PrefRcv
 *10.9.0.7        4       65100       12       13     0 00:04:10 Established        3
  10.0.0.5        4       65001      120      121     0 0001h02m Established        9
  10.0.0.6        4       65001        5        5     0 00:01:10      No neg
"""
    b = vrp.parse_bgp_peers(text, afi="l2vpn-evpn")
    assert b.local_as == 65001 * 65536 + 10
    assert [(n.peer, n.state, n.established, n.afi_safi, n.prefixes_received) for n in b.neighbors] == [
        ("10.9.0.7", "Established", True, "l2vpn-evpn", 3), ("10.0.0.5", "Established", True, "l2vpn-evpn", 9),
        ("10.0.0.6", "No neg", False, "l2vpn-evpn", None)]
    assert b.by_peer("10.0.0.5").uptime_seconds == 3720


def test_saved_session_prompt_after_the_output_is_dropped():
    text = (VRP / "pe1" / "display_current_configuration.txt").read_text()
    saved = vrp.config(HOST, lambda c: f"<PE1-NE40E>{c}\n{text}\n<PE1-NE40E>\n")
    assert saved.text == vrp.config(HOST, lambda c: text).text and saved.text.endswith("return\n")


# -- fallbacks: what a device (or a capture set) may lack ------------------------------------------

def test_interfaces_from_the_brief_tables_when_display_interface_is_refused():
    read = device("sw1", display_interface=CARET, display_ipv6_interface=CARET)
    got = vrp.interfaces(HOST, read)
    assert read.sent == ["display interface", "display interface brief", "display ip interface brief",
                         "display ipv6 interface", "display ipv6 interface brief", "display ip vpn-instance interface"]
    states = {i.name: (i.admin_up, i.oper_up) for i in got.interfaces}
    assert states == {"Eth-Trunk1": (True, True), "XGigabitEthernet0/0/1": (True, True),
                      "XGigabitEthernet0/0/2": (True, True), "GigabitEthernet0/0/1": (True, True),
                      "GigabitEthernet0/0/2": (False, False), "LoopBack0": (True, True), "MEth0/0/1": (True, False),
                      "NULL0": (True, True), "Vlanif10": (True, True), "Vlanif20": (True, False)}
    assert got.by_name("Vlanif10").addresses == ["10.10.10.1/24", "2001:db8:10::1/64", "2001:db8:11::1/64"]
    assert got.by_name("LoopBack0").addresses == ["10.255.1.11/32"] and got.by_name("Vlanif20").addresses == []
    assert got.by_name("GigabitEthernet0/0/1").counters.rx_errors == 2 and got.note is None


def test_ipv6_brief_vrp5_form_without_a_length_is_left_out():
    rows = vrp.parse_ipv6_interface_brief(
        "Interface                                   Physical              Protocol\n"
        "Vlanif10                                    up                    up\n"
        "[IPv6 Address] 2001:DB8:10::1\n")
    assert [(r.name, r.ipv6) for r in rows] == [("Vlanif10", [])]


def test_route_from_the_whole_table_when_the_lookup_is_refused():
    read = device("sw1", display_ip_routing_table_10_30_1_1=CARET)
    r = vrp.route(HOST, read, prefix="10.30.1.1")
    assert read.sent == ["display ip routing-table 10.30.1.1", "display ip routing-table"]
    assert (r.prefix, r.protocol, [h.address for h in r.next_hops]) == ("10.30.1.0/24", "ospf",
                                                                        ["10.10.10.2", "10.10.10.3"])
    other = vrp.route(HOST, device("sw1", display_ip_routing_table_10_99_0_1=CARET), prefix="10.99.0.1")
    assert other.prefix == "0.0.0.0/0"


@pytest.mark.parametrize("stamp", ["2022-08-18 16:44:02.349 +08:00", "2024-03-11 10:14:52", "2024-03-11 10:14:52+01:00 DST"])
def test_a_leading_timestamp_line_is_dropped(stamp):
    live = device("pe1")
    stamped = lambda c: f"{stamp}\n{live(c)}"  # noqa: E731
    assert vrp.config(HOST, stamped) == vrp.config(HOST, live)
    assert vrp.bgp_neighbors(HOST, stamped) == vrp.bgp_neighbors(HOST, live)
    assert vrp.device_error(f"{stamp}\n{CARET}") == "Error: Unrecognized command found at '^' position."


def test_an_empty_reply_to_the_full_form_reads_the_other_form():
    read = device("sw1", display_interface="", display_ospf_peer="", display_ip_routing_table_10_30_1_1="\n")
    assert [i.name for i in vrp.interfaces(HOST, read).interfaces][:2] == ["Eth-Trunk1", "XGigabitEthernet0/0/1"]
    o = vrp.ospf_neighbors(HOST, read)
    assert [n.neighbor_id for n in o.neighbors] == ["10.255.1.1", "10.255.1.2"] and o.note is None
    assert vrp.route(HOST, read, prefix="10.30.1.1").prefix == "10.30.1.0/24"
    assert read.sent == ["display interface", "display interface brief", "display ip interface brief",
                         "display ipv6 interface", "display ip vpn-instance interface",
                         "display ospf peer", "display ospf peer brief",
                         "display ip routing-table 10.30.1.1", "display ip routing-table"]
    nothing = device("none", display_ospf_peer="", display_ospf_peer_brief="")
    assert vrp.ospf_neighbors(HOST, nothing).note  # neither lists a neighbor: not configured


def test_host_name_from_the_whole_configuration_or_a_saved_prompt():
    read = device("pe1", display_current_configuration_include_sysname=CARET)
    assert vrp.facts(HOST, read).hostname == "PE1-NE40E"
    assert read.sent[:3] == ["display version", "display current-configuration | include sysname",
                             "display current-configuration"]
    version = (VRP / "pe1" / "display_version.txt").read_text()
    for prompt in ("<PE1-NE40E>", "[~PE1-NE40E]"):
        saved = device("none", display_version=f"{prompt}display version\n{version}")
        assert vrp.facts(HOST, saved).hostname == "PE1-NE40E"
    assert vrp.facts(HOST, device("none", display_version=version)).hostname == "inv-name"


def test_vpn_instance_interface_list_captured():
    """ntc-templates' capture (see the README): three VPN instances, wrapped interface lists."""
    got = vrp.parse_vpn_instance_interfaces((VRP / "ntc-vpn" / "display_ip_vpn_instance_interface.txt").read_text())
    assert got == {"Vlanif1823": "cftv", "Vlanif1847": "cftv", "LoopBack5": "cftv",
                   "40GE0/0/3": "met", "Vlanif1774": "met", "Vlanif1797": "met", "LoopBack2": "met",
                   "Vlanif1769": "met", "Vlanif755": "tel", "Vlanif773": "tel", "Vlanif797": "tel", "LoopBack1": "tel"}
    with pytest.raises(ParseError, match="not recognised"):
        vrp.parse_vpn_instance_interfaces((VRP / "pe1" / "display_version.txt").read_text())
    assert vrp.parse_vpn_instance_interfaces("Info: No VPN instance is configured.\n") == {}
