"""Parsers over formats and versions the earlier sweeps did not hold (helper "vendors").

Each capture is either committed with its source and licence in the platform's fixture README
(``vendors/`` rows) or, where the source gives no licence, hand-written after its format.
Every expected value below was read off the capture by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import ParseError, arista_eos, cisco_ios, cisco_nxos, cisco_xr, huawei_vrp, juniper_junos, nokia_sros

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"


def read(platform: str, name: str) -> str:
    return (FIX / platform / "vendors" / name).read_text()


def test_eos_bgp_disabled_for_lack_of_a_router_id_is_not_running():
    """EOS 4.33 without a router id prints one line; it was read as a BGP with no peers."""
    got = arista_eos.parse_bgp_summary_text(read("arista_eos", "show_ip_bgp_summary_disabled.txt"))
    assert got.neighbors == []
    assert got.note and "not configured or not running" in got.note and "Missing Router ID" in got.note


NOT_BGP = """\
Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.6(2)T, RELEASE SOFTWARE (fc2)
ROM: Bootstrap program is IOSv
r1 uptime is 1 hour, 2 minutes
"""


@pytest.mark.parametrize("parse", [
    cisco_ios.parse_bgp_summary, cisco_nxos.parse_bgp_summary_text, arista_eos.parse_bgp_summary_text,
    cisco_xr.parse_bgp_summary,
], ids=["ios", "nxos", "eos", "xr"])
def test_text_that_is_not_a_bgp_summary_is_a_parse_error_not_an_empty_table(parse):
    with pytest.raises(ParseError, match="not recognised"):
        parse(NOT_BGP)


def _vrp(name: str) -> str:
    return (FIX / "huawei_vrp" / "napalm-ne40e" / name).read_text()


def test_vrp8_ne40e_version_with_a_405_day_uptime():
    f = huawei_vrp.parse_version(_vrp("display_version.txt"), hostname="pe")
    assert (f.os_version, f.model) == ("V800R021C10SPC600", "NE40E-X8A")
    assert f.uptime_seconds == 405 * 86400 + 12 * 3600 + 9 * 60


def test_vrp8_ne40e_interface_brief_states():
    got = {i.name: (i.admin_up, i.oper_up) for i in huawei_vrp.parse_interface_brief(_vrp("display_interface_brief.txt")).interfaces}
    assert len(got) == 21
    assert got["GigabitEthernet0/0/0"] == (False, False)          # "*down": administratively down
    assert got["Eth-Trunk10"] == (True, False)                    # "down": up in config, link down
    assert got["GigabitEthernet1/0/1.50"] == (True, False)        # "(10G)" is the speed, not the name
    assert got["LoopBack2147483647"] == (True, True)              # "up(s)": spoofing is up
    assert got["Vlanif322"] == (True, False)


def test_vrp8_ne40e_interfaces_detail():
    got = huawei_vrp.parse_interfaces(_vrp("display_interface.txt"))
    assert [i.name for i in got.interfaces][:3] == ["Eth-Trunk10", "GigabitEthernet1/0/0", "GigabitEthernet1/0/1"]
    g = got.by_name("GigabitEthernet1/0/1")
    assert (g.admin_up, g.oper_up, g.mtu) == (True, True, 9194)
    assert g.description == 'To_HUA_DRTE_P_2 10GE10/0/16 "FO RR-308 FDP PNL-2E Pos 15 y 16"'
    assert g.addresses == ["172.23.235.161/31"]
    off = got.by_name("GigabitEthernet1/1/2")                     # "DOWN(transceiver offline)"
    assert (off.admin_up, off.oper_up) == (True, False)
    assert got.by_name("Virtual-Template0").mtu == 1492
    assert got.by_name("LoopBack0").addresses == ["172.23.70.251/32"]


# -- Interface.vrf: the VRF the address listings name ------------------------------------------------

def _folder_reader(folder: Path):
    from netops.devices.transport import command_slug

    def run(command: str) -> str:
        f = folder / f"{command_slug(command)}.txt"
        return f.read_text() if f.exists() else "% Invalid input detected at '^' marker.\n"
    return run


@pytest.mark.parametrize("platform, folder, in_vrf, in_default", [
    ("cisco_ios", "cisco_ios/r3", {"GigabitEthernet0/1": "CUST-A", "GigabitEthernet0/4": "CUST-B"}, ["GigabitEthernet0/0"]),
    ("cisco_nxos", "cisco_nxos/text6", {"Ethernet2/2": "CUST-A", "mgmt0": "management"}, ["Ethernet2/1"]),
    ("cisco_xr", "cisco_xr/pe1", {"Bundle-Ether20.100": "CUST-A"}, ["Bundle-Ether10", "Bundle-Ether20"]),
    ("arista_eos", "arista_eos/leaf1", {"Ethernet48": "CUST-A", "Management1": "MGMT"}, ["Ethernet1", "Loopback0"]),
])
def test_interfaces_carry_the_vrf_their_address_listing_names(platform, folder, in_vrf, in_default):
    from types import SimpleNamespace
    import importlib
    module = importlib.import_module(f"netops.devices.parsers.{platform}")
    got = module.GETTERS["interfaces"](SimpleNamespace(name="x", platform=platform), _folder_reader(FIX / folder))
    for name, vrf in in_vrf.items():
        assert got.by_name(name).vrf == vrf, name
    for name in in_default:
        assert got.by_name(name).vrf is None, name


def test_frr_interface_vrf_name():
    from netops.devices.parsers import frr
    text = (FIX / "frr" / "r1" / "show_interface_json.txt").read_text()
    assert {i.vrf for i in frr.parse_interfaces(text).interfaces} == {None}  # all "vrfName": "default"
    moved = text.replace('"vrfName":"default"', '"vrfName":"CUST-A"', 1)
    assert [i.vrf for i in frr.parse_interfaces(moved).interfaces].count("CUST-A") == 1


# -- IOS-XE 17.x show version (genielibs mock data, captured) -------------------------------------------

@pytest.mark.parametrize("name, hostname, version, model, serial, uptime", [
    # the first line names a build ("Version 2024-05-21_05.09_anayyana"), not the release
    ("show_version_cat9k_17_16.txt", "Switch", "17.16.20240521:085046", "C9407R", "FXS2236Q15Y",
     86400 + 22 * 3600 + 32 * 60),
    # an Allen-Bradley (Rockwell) switch on IOS-XE: no "cisco ... processor" line
    ("show_version_cms20dn_17_10.txt", "1783-CMS20DN", "17.10.20220708:150333", "1783-CMS20DN", "FDO2607J4SK",
     12 * 604800 + 86400 + 18 * 3600 + 42 * 60),
    ("show_version_ie3300_17_6.txt", "IE-3300-8P2S-E3", "17.6.3", "IE-3300-8P2S", "FCW2637YZ3K",
     604800 + 6 * 86400 + 21 * 3600 + 28 * 60),
])
def test_iosxe_17_show_version(name, hostname, version, model, serial, uptime):
    f = cisco_ios.parse_version(read("cisco_ios", name))
    assert (f.hostname, f.os_version, f.model, f.uptime_seconds) == (hostname, version, model, uptime)
    if serial:
        assert f.serial == serial


# -- IOS-XR 7.x LNT show version (hand-written after ansible-collections/cisco.iosxr's NCS540L and XRd
#    captures, GPL-3.0, not copied): "cisco PID processor with 8GB of memory", no "(CPU)" part ----------

XR_LNT = """\
Wed Dec  2 06:55:01.118 UTC
Cisco IOS XR Software, Version 7.9.1 LNT
Copyright (c) 2013-2023 by Cisco Systems, Inc.

Build Information:
 Built By     : builder
 Built On     : Sun Apr 02 06:50:19 UTC 2023
 Version      : 7.9.1
 Label        : 7.9.1

cisco NCS540L
cisco N540X-6Z18G-SYS-A processor with 8GB of memory
pe7 uptime is 1 year, 3 weeks, 5 days, 1 hour, 45 minutes
Cisco NCS 540 Series Fixed Router 18x1G, 6x1/10G, AC
"""


def test_xr_lnt_show_version_model_and_a_year_long_uptime():
    f = cisco_xr.parse_version(XR_LNT)
    assert (f.hostname, f.os_version, f.model) == ("pe7", "7.9.1", "N540X-6Z18G-SYS-A")
    assert f.uptime_seconds == 365 * 86400 + 3 * 604800 + 5 * 86400 + 3600 + 45 * 60


# -- the output of another command is "not recognised", never an empty or invented answer --------------
# (found by feeding every parser the captures of every other command: IOS read an NX-OS 'show version'
# as host "Kernel"; the Junos BGP text parser read an EOS summary's "V" column as the peer AS and its
# Up/Down as the state; OSPF, interface and port tables of anything else came back empty)

def _fx(path: str) -> str:
    return (FIX / path).read_text()


def _nxos_version_text() -> str:
    return ("Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac\n"
            "Software\n  NXOS: version 9.3(8)\n\nHardware\n  cisco Nexus9000 C93180YC-EX chassis\n"
            "  Processor Board ID FDO22181XYZ\n\n  Device name: leaf9\n\nKernel uptime is 3 day(s), 2 hour(s), "
            "1 minute(s), 0 second(s)\n")


WRONG_OUTPUT = [
    ("ios version <- nxos version", lambda: cisco_ios.parse_version(_nxos_version_text())),
    ("nxos version <- ios version", lambda: cisco_nxos.parse_version_text(_fx("cisco_ios/bf-iosv/show_version.txt"))),
    ("ios interfaces <- ios ospf", lambda: cisco_ios.parse_interfaces(_fx("cisco_ios/bf-iosv/show_ip_ospf_neighbor.txt"))),
    ("ios ospf <- ios version", lambda: cisco_ios.parse_ospf_neighbors(_fx("cisco_ios/bf-iosv/show_version.txt"))),
    ("nxos interfaces <- nxos bgp", lambda: cisco_nxos.parse_interfaces_text(_fx("cisco_nxos/text/show_bgp_all_summary_vrf_all.txt"))),
    ("nxos ospf <- nxos bgp", lambda: cisco_nxos.parse_ospf_neighbors_text(_fx("cisco_nxos/text/show_bgp_all_summary_vrf_all.txt"))),
    ("eos ospf text <- ios version", lambda: arista_eos.parse_ospf_neighbors_text(_fx("cisco_ios/bf-iosv/show_version.txt"))),
    ("junos bgp text <- ios bgp text", lambda: juniper_junos.parse_bgp_summary_text(_fx("cisco_ios/sw1/show_ip_bgp_summary.txt"))),
    ("junos bgp text <- sros bgp", lambda: juniper_junos.parse_bgp_summary_text(_fx("nokia_sros/pe1/show_router_bgp_summary.txt"))),
    ("junos ospf text <- ios ospf", lambda: juniper_junos.parse_ospf_neighbors_text(_fx("cisco_ios/bf-iosv/show_version.txt"))),
    ("sros ports <- sros ospf", lambda: nokia_sros.parse_ports(_fx("nokia_sros/pe1/show_router_ospf_neighbor.txt"))),
    ("sros ospf <- sros bgp", lambda: nokia_sros.parse_ospf_neighbors(_fx("nokia_sros/pe1/show_router_bgp_summary.txt"))),
]


@pytest.mark.parametrize("case", WRONG_OUTPUT, ids=[c[0] for c in WRONG_OUTPUT])
def test_another_commands_output_is_not_recognised(case):
    with pytest.raises(ParseError, match="not recognised|failed on the device"):
        case[1]()


def test_a_capture_pasted_with_a_uniform_indent_reads_like_the_device_printed_it():
    """Captures quoted in tickets, docs and test suites (genieparser's golden outputs) carry a
    margin on every line; the NX-OS interface reader found no interface and Junos no peer."""
    text = _fx("cisco_nxos/text/show_interface.txt")
    plain = cisco_nxos.parse_interfaces_text(text)
    indented = cisco_nxos.parse_interfaces_text("".join("        " + ln if ln.strip() else ln
                                                        for ln in text.splitlines(keepends=True)))
    assert indented.model_dump() == plain.model_dump() and plain.interfaces
    junos = ("    Groups: 1 Peers: 1 Down peers: 0\n"
             "    Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...\n"
             "    10.0.0.2              65002        100        101       0       0 1w2d 3:04:05 Establ\n"
             "      inet.0: 3/5/5/0\n")
    got = juniper_junos.parse_bgp_summary_text(junos)
    assert [(n.peer, n.prefixes_received) for n in got.neighbors] == [("10.0.0.2", 5)]


WRONG_JSON = [
    ("nxos bgp json <- nxos ip interface json", lambda: cisco_nxos.parse_bgp_summary(_fx("cisco_nxos/leaf/show_ip_interface_vrf_all_json.txt"))),
    ("nxos ip interface json <- nxos interface json", lambda: cisco_nxos.parse_ip_interfaces(_fx("cisco_nxos/nxosv/show_interface_json.txt"))),
    ("nxos ipv6 interface json <- nxos interface json", lambda: cisco_nxos.parse_ipv6_interfaces(_fx("cisco_nxos/nxosv/show_interface_json.txt"))),
    ("eos bgp json <- eos ospf json", lambda: arista_eos.parse_bgp_summary(_fx("arista_eos/leaf1/show_ip_ospf_neighbor_json.txt"))),
    ("eos ospf json <- eos bgp json", lambda: arista_eos.parse_ospf_neighbors(_fx("arista_eos/leaf1/show_ip_bgp_summary_vrf_all_json.txt"))),
]


@pytest.mark.parametrize("case", WRONG_JSON, ids=[c[0] for c in WRONG_JSON])
def test_another_commands_json_is_not_recognised(case):
    with pytest.raises(ParseError):
        case[1]()


def test_output_saved_with_the_prompt_and_command_echo_reads_like_the_bare_output():
    """A terminal log keeps "r1#show ..." above the output and "r1#" below it: the new "not
    recognised" checks refused such logs that the parsers had read before."""
    framed = "r1#show bgp all summary\n% BGP not active\n\nr1#\n"
    got = cisco_ios.parse_bgp_summary(framed)
    assert got.neighbors == [] and "not active" in got.note
    ospf = _fx("cisco_ios/bf-iosv/show_ip_ospf_neighbor.txt")
    bare = cisco_ios.parse_ospf_neighbors(ospf)
    assert cisco_ios.parse_ospf_neighbors(f"r1#show ip ospf neighbor\n{ospf}r1#\n").model_dump() == bare.model_dump()
    junos = ("netops@r1> show bgp summary\nGroups: 1 Peers: 1 Down peers: 0\n"
             "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...\n"
             "10.0.0.2              65002        100        101       0       0     3:04:05 Establ\n"
             "  inet.0: 3/5/5/0\n\nnetops@r1> \n")
    assert [n.peer for n in juniper_junos.parse_bgp_summary_text(junos).neighbors] == ["10.0.0.2"]
