"""Cisco IOS-XR getters on hand-written captures in the formats published as real XR output
(ntc-templates ``tests/cisco_xr``, genieparser ``iosxr/tests``; see the fixture README)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.parsers import ParseError, cisco_xr as xr
from netops.devices.service import DeviceService
from netops.devices.transport import command_slug
from netops.testing.transport import FakeTransport

XR = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "cisco_xr"
HOST = SimpleNamespace(name="pe1", platform="cisco_xr")
INVALID = "Tue Dec  1 22:14:05.318 UTC\n                  ^\n% Invalid input detected at '^' marker.\n"
ASDOT_65002_2048 = 65002 * 65536 + 2048

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  pe1: {hostname: 127.0.9.41, platform: cisco_xr}
  noproto: {hostname: 127.0.9.42, platform: cisco_xr}
"""


def read(host: str, slug: str) -> str:
    return (XR / host / f"{slug}.txt").read_text()


def device(host: str, overrides: dict[str, str] | None = None, sent: list[str] | None = None):
    """``read(command)`` over a fixture folder; a command without a file is refused as XR refuses it."""
    def run(command: str) -> str:
        if sent is not None:
            sent.append(command)
        if overrides and command in overrides:
            return overrides[command]
        f = XR / host / f"{command_slug(command)}.txt"
        return f.read_text() if f.exists() else INVALID
    return run


@pytest.fixture
def svc(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    fake = FakeTransport.from_dir(XR)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


# -- the timestamp line ----------------------------------------------------------------------------

def test_the_timestamp_line_is_dropped_and_an_error_under_it_is_found():
    assert xr.body("Tue Dec  1 22:14:05.318 UTC\nhostname PE1\n") == "hostname PE1\n"
    assert xr.body("\n\nMon Jan  2 16:12:20.544 EDT\n\n% Network not in table\n").strip() == "% Network not in table"
    assert xr.body("hostname PE1\n") == "hostname PE1\n"  # nothing to drop
    saved = "RP/0/RSP0/CPU0:pe1#show bgp all all summary\nTue Dec  1 22:14:05.318 UTC\n% BGP instance 'default' not active\n"
    assert xr.body(saved) == "% BGP instance 'default' not active\n"  # a saved session: prompt and echo
    assert "not active" in xr.parse_bgp_summary(saved).note
    assert xr.body("show version\nCisco IOS XR Software, Version 7.5.2\n").startswith("Cisco IOS XR")
    with pytest.raises(ParseError, match="Invalid input"):
        xr.parse_interfaces(INVALID)


# -- facts -----------------------------------------------------------------------------------------

def test_facts_64_bit_names_the_host_from_the_running_config_and_the_chassis_from_the_inventory():
    sent: list[str] = []
    f = xr.GETTERS["facts"](HOST, device("pe1", sent=sent))
    assert (f.hostname, f.vendor, f.platform, f.os_version) == ("PE1-XR", "Cisco", "cisco_xr", "7.5.2")
    assert (f.model, f.serial) == ("ASR-9906", "FOX2311P0AB")
    assert f.uptime_seconds == 12 * 604800 + 3 * 86400 + 7 * 3600 + 41 * 60
    assert sent == ["show version", "show running-config hostname", "show inventory"]


def test_facts_classic_32_bit_names_the_host_in_show_version():
    sent: list[str] = []
    f = xr.GETTERS["facts"](HOST, device("asr9k-classic", sent=sent))
    assert (f.hostname, f.os_version) == ("agg-pe2", "5.3.4")  # "[Default]" is not part of the version
    assert (f.model, f.serial) == ("ASR-9006-AC-V2", "FOX1825GR4M")  # the chassis entry, not the first
    assert f.uptime_seconds == 31536000 + 14 * 604800 + 2 * 86400 + 3 * 3600 + 5 * 60
    assert "show running-config hostname" not in sent


def test_facts_of_a_device_without_a_configured_hostname_use_the_inventory_name():
    f = xr.GETTERS["facts"](HOST, device("pe1", {"show running-config hostname": "Tue Dec  1 22:14:05.902 UTC\n"}))
    assert f.hostname == "pe1" and f.os_version == "7.5.2"


def test_facts_without_inventory_keep_the_model_of_show_version():
    f = xr.GETTERS["facts"](HOST, device("asr9k-classic", {"show inventory": INVALID}))
    assert (f.model, f.serial) == ("ASR9K Series", None)


@pytest.mark.parametrize("line, seconds", [
    ("System uptime is 23 hours 3 minutes", 23 * 3600 + 3 * 60),  # XR7: no commas
    ("System uptime is 1 minute", 60),
    ("PE1 uptime is 5 days, 25 minutes", 5 * 86400 + 25 * 60),
])
def test_uptime_spellings(line, seconds):
    text = f"Cisco IOS XR Software, Version 7.9.2 LNT\n{line}\n"
    assert xr.parse_version(text, "h").uptime_seconds == seconds


def test_version_of_xr7_with_a_nested_cpu_name():
    text = ("Cisco IOS XR Software, Version 7.9.2 LNT\n"
            "cisco 8000 (Intel(R) Xeon(R) CPU D-1530 @ 2.41GHz)\n"
            "cisco 8202-32FH-M (Intel(R) Xeon(R) CPU D-1530 @ 2.41GHz) processor with 64GB of memory\n"
            "gemini uptime is 1 week, 1 day, 17 hours, 47 minutes\n")
    f = xr.parse_version(text)
    assert (f.hostname, f.os_version, f.model) == ("gemini", "7.9.2", "8202-32FH-M")


def test_version_that_is_not_xr_or_names_no_host():
    with pytest.raises(ParseError, match="not recognised as IOS-XR"):
        xr.parse_version("Cisco IOS Software, IOSv Software, Version 15.9(3)M2\n")
    with pytest.raises(ParseError, match="does not name the host"):
        xr.parse_version("Cisco IOS XR Software, Version 6.5.1\nSystem uptime is 1 minute\n")


# -- interfaces ------------------------------------------------------------------------------------

def test_interfaces_state_counters_and_every_address():
    sent: list[str] = []
    i = xr.GETTERS["interfaces"](HOST, device("pe1", sent=sent))
    assert sent == ["show interfaces", "show ipv4 vrf all interface", "show ipv6 vrf all interface"]
    assert i.note is None
    be10 = i.by_name("Bundle-Ether10")
    assert be10.admin_up and be10.oper_up and be10.mtu == 9216 and be10.mac == "008a.96a4.1b0c"
    assert be10.description == "to P1-XR Be10"
    assert be10.addresses == ["10.0.12.1/30", "10.0.12.129/30", "10.0.12.65/30",  # secondaries in device order
                              "2001:db8:12::1/64", "fe80::28a:96ff:fea4:1b0c/64"]
    c = be10.counters
    assert (c.rx_packets, c.tx_packets, c.rx_bytes, c.tx_bytes, c.rx_errors, c.tx_errors) == (
        48812345, 50190023, 9124578110, 9955012873, 3, 0)
    sub = i.by_name("Bundle-Ether20.100")  # a VRF sub-interface: "with route-tag" after addresses
    assert sub.addresses == ["192.168.1.1/30", "2001:db8:9:1::1/64", "2001:db8:9:100::1/64",
                             "fe80::28a:96ff:fea4:1b0d/64"]
    l2 = i.by_name("Bundle-Ether20.200")  # L2 sub-interface: the short counter layout
    assert l2.admin_up and not l2.oper_up and l2.addresses == []
    assert (l2.counters.rx_errors, l2.counters.tx_errors) == (7, 2)
    shut = i.by_name("GigabitEthernet0/0/0/2")
    assert not shut.admin_up and not shut.oper_up
    assert shut.addresses == ["2001:db8:2::1/64", "fe80::28a:96ff:fea4:1b12/64"]  # tentative: configured
    down = i.by_name("TenGigE0/0/0/3")
    assert down.admin_up and not down.oper_up and down.addresses[:2] == ["10.0.13.1/31", "2001:db8:13::/127"]
    lo = i.by_name("Loopback0")
    assert lo.addresses == ["10.255.0.1/32", "2001:db8:ff::1/128", "fe80::3c8e:9bff:fe11:2d07/64"]
    assert lo.counters.rx_packets is None  # "Input/output data rate is disabled."
    assert i.by_name("Null0").addresses == [] and i.by_name("Bundle-Ether20").addresses == []
    assert i.by_name("MgmtEth0/RSP0/CPU0/0").addresses == ["172.16.100.11/24"]  # IPv6 disabled there
    assert len(i.interfaces) == 9  # the address commands add no interface of their own here


def test_interfaces_when_the_address_commands_are_refused_or_empty():
    refused = xr.GETTERS["interfaces"](HOST, device("pe1", {"show ipv4 vrf all interface": INVALID,
                                                            "show ipv6 vrf all interface": INVALID}))
    assert refused.note is None
    assert refused.by_name("Bundle-Ether10").addresses == ["10.0.12.1/30"]  # the primary of show interfaces
    empty = xr.GETTERS["interfaces"](HOST, device("pe1", {"show ipv6 vrf all interface": "Tue Dec  1 22:14:08.170 UTC\n"}))
    assert empty.by_name("Bundle-Ether10").addresses == ["10.0.12.1/30", "10.0.12.129/30", "10.0.12.65/30"]
    garbled = xr.GETTERS["interfaces"](HOST, device("pe1", {"show ipv6 vrf all interface": "garbage\n"}))
    assert "IPv6 addresses not included" in garbled.note


def test_ipv4_unnumbered_and_disabled_interfaces_have_no_address_of_their_own():
    text = ("tunnel-te10 is Up, ipv4 protocol is Up\n"
            "  Vrf is default (vrfid 0x60000000)\n"
            "  Interface is unnumbered.  Using address of Loopback0 (10.255.0.1/32)\n"
            "  MTU is 1500 (1500 is available to IP)\n"
            "MgmtEth0/RP0/CPU0/0 is Shutdown, ipv4 protocol is Down\n"
            "  Vrf is MGMT (vrfid 0x60000001)\n"
            "  Internet protocol processing disabled\n")
    rows = xr.parse_ipv4_interfaces(text)
    assert [(r.name, r.ipv4, r.admin_up, r.oper_up, r.vrf) for r in rows] == [
        ("tunnel-te10", [], True, True, None), ("MgmtEth0/RP0/CPU0/0", [], False, False, "MGMT")]


def test_ipv6_rows_carry_their_vrf_and_skip_disabled_interfaces():
    rows = {r.name: r for r in xr.parse_ipv6_interfaces(read("pe1", "show_ipv6_vrf_all_interface"))}
    assert rows["Bundle-Ether20.100"].vrf == "CUST-A" and rows["Bundle-Ether10"].vrf is None
    assert rows["Null0"].all() == [] and rows["MgmtEth0/RSP0/CPU0/0"].all() == []
    assert rows["Bundle-Ether20.100"].ipv6 == ["2001:db8:9:1::1/64", "2001:db8:9:100::1/64"]  # lower case


def test_interfaces_output_that_is_not_xr():
    with pytest.raises(ParseError, match="not recognised as IOS-XR"):
        xr.parse_interfaces("interface Gi0/0/0/0\n shutdown\n")


# -- BGP -------------------------------------------------------------------------------------------

def test_bgp_every_family_of_the_default_vrf_and_every_vrf():
    sent: list[str] = []
    b = xr.GETTERS["bgp_neighbors"](HOST, device("pe1", sent=sent))
    assert sent == ["show bgp all all summary", "show bgp vrf all ipv4 unicast summary",
                    "show bgp vrf all ipv6 unicast summary", "show bgp instance all all all summary"]
    assert (b.router_id, b.local_as, b.note) == ("10.255.0.1", 65000, None)
    rows = {(n.vrf, n.afi_safi, n.peer): n for n in b.neighbors}
    assert len(rows) == len(b.neighbors) == 10
    asdot = rows[("default", "ipv4-unicast", "10.0.0.2")]
    assert asdot.remote_as == ASDOT_65002_2048 and asdot.established and asdot.prefixes_received == 3
    assert asdot.uptime == "1d01h" and asdot.uptime_seconds == 86400 + 3600
    rr = rows[("default", "ipv4-unicast", "10.255.0.2")]
    assert rr.prefixes_received == 1520 and rr.uptime_seconds == 12 * 604800 + 3 * 86400
    for peer, state in [("10.255.0.9", "Idle"), ("198.51.100.6", "Active"), ("203.0.113.9", "Idle")]:
        n = rows[("default", "ipv4-unicast", peer)]
        assert n.state == state and not n.established
        assert n.prefixes_received is None and n.uptime is None and n.uptime_seconds is None
    v6 = rows[("default", "ipv6-unicast", "2001:db8:12::2")]
    assert v6.established and v6.prefixes_received == 2 and v6.uptime_seconds == 23 * 3600 + 47 * 60 + 59
    wrapped = rows[("default", "ipv6-unicast", "2001:db8:ffff:1000::2")]  # the row wraps after the peer
    assert wrapped.remote_as == 4200000001 and wrapped.state == "Idle"
    assert rows[("default", "vpnv4-unicast", "10.255.0.2")].prefixes_received == 12
    ce4, ce6 = rows[("CUST-A", "ipv4-unicast", "192.168.1.2")], rows[("CUST-A", "ipv6-unicast", "2001:db8:9:1::2")]
    assert (ce4.remote_as, ce4.prefixes_received, ce6.prefixes_received) == (64512, 7, 4)
    assert "CUST-B" not in {n.vrf for n in b.neighbors}  # a VRF without peers lists none


def test_bgp_not_active_is_an_empty_result_with_a_note_and_no_vrf_reads():
    sent: list[str] = []
    b = xr.GETTERS["bgp_neighbors"](HOST, device("noproto", sent=sent))
    assert b.neighbors == [] and "BGP instance 'default' not active" in b.note
    assert sent == ["show bgp all all summary", "show bgp instance all all all summary"]  # no named one either


def test_bgp_without_vrfs_keeps_the_default_vrf():
    b = xr.GETTERS["bgp_neighbors"](HOST, device("pe1", {
        "show bgp vrf all ipv4 unicast summary": "Tue Dec  1 22:14:09.871 UTC\n",
        "show bgp vrf all ipv6 unicast summary": INVALID}))
    assert {n.vrf for n in b.neighbors} == {"default"} and len(b.neighbors) == 8


def test_bgp_release_without_all_all_reads_each_unicast_family():
    v4 = ("Wed Dec  2 00:59:02.310 UTC\nBGP router identifier 10.1.1.1, local AS number 1.10\n\n"
          "Neighbor        Spk    AS MsgRcvd MsgSent   TblVer  InQ OutQ  Up/Down  St/PfxRcd\n"
          "10.1.1.2          0 65002.2048      20      21        5    0    0 00:10:00          4\n")
    v6 = ("BGP router identifier 10.1.1.1, local AS number 1.10\n\n"
          "Neighbor        Spk    AS MsgRcvd MsgSent   TblVer  InQ OutQ  Up/Down  St/PfxRcd\n"
          "2001:db8::2       0 65003       0       0        0    0    0 00:00:00 Active\n")
    sent: list[str] = []
    b = xr.GETTERS["bgp_neighbors"](HOST, device("none", {
        "show bgp ipv4 unicast summary": v4, "show bgp ipv6 unicast summary": v6}, sent=sent))
    assert sent[:3] == ["show bgp all all summary", "show bgp ipv4 unicast summary", "show bgp ipv6 unicast summary"]
    assert b.local_as == 65546 and b.by_peer("10.1.1.2").remote_as == ASDOT_65002_2048
    assert b.by_peer("10.1.1.2").uptime_seconds == 600
    assert b.by_peer("2001:db8::2").afi_safi == "ipv6-unicast" and b.by_peer("2001:db8::2").state == "Active"


def test_bgp_summary_alone_and_its_not_active_answer():
    summary = read("pe1", "show_bgp_all_all_summary").split("Address Family: IPv6 Unicast")[0]
    sent: list[str] = []
    b = xr.GETTERS["bgp_neighbors"](HOST, device("none", {"show bgp summary": summary}, sent=sent))
    assert sent[:4] == ["show bgp all all summary", "show bgp ipv4 unicast summary", "show bgp summary",
                        "show bgp ipv6 unicast summary"]
    assert len(b.neighbors) == 5 and {n.afi_safi for n in b.neighbors} == {"ipv4-unicast"}
    off = "\n% BGP instance 'default' not active\n"
    sent.clear()
    b = xr.GETTERS["bgp_neighbors"](HOST, device("none", {"show bgp ipv4 unicast summary": off}, sent=sent))
    assert b.neighbors == [] and "not active" in b.note
    assert sent == ["show bgp all all summary", "show bgp ipv4 unicast summary", "show bgp instance all all all summary"]


def test_bgp_unexpected_error_is_a_parse_error():
    with pytest.raises(ParseError, match="failed on the device"):
        xr.parse_bgp_summary("% Permission denied for the role\n")


# -- OSPF ------------------------------------------------------------------------------------------

def test_ospf_every_process_and_vrf_with_states_and_roles():
    sent: list[str] = []
    o = xr.GETTERS["ospf_neighbors"](HOST, device("pe1", sent=sent))
    assert sent == ["show ospf vrf all-inclusive neighbor"]
    got = [(n.neighbor_id, n.state, n.full, n.role, n.interface, n.vrf) for n in o.neighbors]
    assert got == [
        ("10.255.0.2", "Full", True, None, "Bundle-Ether10", "default"),  # "FULL/  -": point-to-point
        ("10.255.0.3", "Full", True, "DR", "TenGigE0/0/0/4", "default"),
        ("10.255.0.4", "Full", True, "BDR", "TenGigE0/0/0/4", "default"),
        ("10.255.0.5", "2-Way", False, "DROther", "TenGigE0/0/0/4", "default"),
        ("10.255.0.6", "Init", False, None, "TenGigE0/0/0/6.16", "default"),
        ("10.255.0.7", "ExStart", False, None, "Bundle-Ether17", "default"),
        ("192.168.1.2", "Full", True, "DR", "Bundle-Ether20.100", "CUST-A"),  # OSPF 100, VRF CUST-A
    ]
    n = o.by_id("10.255.0.7")
    assert (n.priority, n.dead_time_seconds, n.address) == (0, 38.0, "10.0.17.7")


def test_ospf_vrf_named_per_section_not_carried_into_the_next():
    """A VRF section followed by the default process again (the order all-inclusive prints is not
    promised): each row takes the VRF of the section it is under."""
    rows = ("Neighbor ID     Pri   State           Dead Time   Address         Interface\n"
            "{0}      1     FULL/  -        00:00:36    {0}       GigabitEthernet0/0/0/{1}\n")
    text = ("Neighbors for OSPF 7, VRF RED\n\n" + rows.format("10.9.9.1", 1)
            + "\nNeighbors for OSPF 1\n\n" + rows.format("10.9.9.2", 2))
    assert [(n.neighbor_id, n.vrf) for n in xr.parse_ospf_neighbors(text).neighbors] == [
        ("10.9.9.1", "RED"), ("10.9.9.2", "default")]


def test_ospf_classic_loading_state():
    o = xr.GETTERS["ospf_neighbors"](HOST, device("asr9k-classic"))
    assert [n.state for n in o.neighbors] == ["Full", "Full", "Loading"]
    assert o.by_id("172.20.9.1").interface == "GigabitEthernet0/0/1/0.901"


def test_ospf_interface_names_printed_with_a_space():
    text = ("Neighbors for OSPF\n\nNeighbor ID     Pri  State         Dead Time  Address           Interface\n"
            "192.168.199.137 1    FULL/DR       0:00:31    172.31.80.37      GigabitEthernet 0/3/0/2\n"
            "  Neighbor is up for 18:45:22\n")
    n = xr.parse_ospf_neighbors(text).neighbors[0]
    assert n.interface == "GigabitEthernet0/3/0/2" and n.dead_time_seconds == 31 and n.role == "DR"


def test_ospf_not_configured_and_release_without_all_inclusive():
    o = xr.GETTERS["ospf_neighbors"](HOST, device("noproto"))
    assert o.neighbors == [] and "OSPF may not be configured" in o.note
    sent: list[str] = []
    text = read("pe1", "show_ospf_vrf_all_inclusive_neighbor")
    o = xr.GETTERS["ospf_neighbors"](HOST, device("none", {"show ospf neighbor": text}, sent=sent))
    assert sent == ["show ospf vrf all-inclusive neighbor", "show ospf neighbor"] and len(o.neighbors) == 7
    running_none = "\n* Indicates MADJ interface\n\nNeighbors for OSPF 1\n\nTotal neighbor count: 0\n"
    assert xr.parse_ospf_neighbors(running_none).model_dump() == {"neighbors": [], "note": None}
    with pytest.raises(ParseError, match="not recognised as IOS-XR"):
        xr.parse_ospf_neighbors("something else entirely\n")


# -- route -----------------------------------------------------------------------------------------

def test_route_ipv4_protected_path_and_its_lfa_backup():
    sent: list[str] = []
    r = xr.GETTERS["route"](HOST, device("pe1", sent=sent), prefix="10.30.1.1")
    assert sent == ["show route ipv4 10.30.1.1"]
    assert (r.found, r.prefix, r.protocol, r.distance, r.metric, r.uptime) == (
        True, "10.30.0.0/16", "isis", 115, 20, "3d03h")
    assert [(h.address, h.interface, h.active) for h in r.next_hops] == [
        ("10.0.12.2", "Bundle-Ether10", True), ("10.0.14.3", "TenGigE0/0/0/4", False)]


def test_route_ipv6_recursive_bgp():
    r = xr.GETTERS["route"](HOST, device("pe1"), prefix="2001:db8:30::1")
    assert (r.found, r.prefix, r.protocol, r.distance) == (True, "2001:db8:30::/48", "bgp", 200)
    assert [(h.address, h.interface) for h in r.next_hops] == [("2001:db8:ff::2", None)]


def test_route_connected_and_not_in_table():
    text = ("Routing entry for 10.23.90.0/24\n  Known via \"connected\", distance 0, metric 0 (connected)\n"
            "  Installed Oct  4 15:47:45.390 for 3w4d\n  Routing Descriptor Blocks\n"
            "    directly connected, via GigabitEthernet0/0/0/1.90\n      Route metric is 0\n")
    r = xr.parse_route(text, "10.23.90.1")
    assert (r.protocol, r.next_hops[0].address, r.next_hops[0].interface) == (
        "connected", None, "GigabitEthernet0/0/0/1.90")
    missing = xr.GETTERS["route"](HOST, device("noproto"), prefix="10.30.1.1")
    assert missing.found is False and missing.prefix is None
    with pytest.raises(ParseError, match="failed on the device"):
        xr.GETTERS["route"](HOST, device("noproto"), prefix="10.99.0.1")


# -- config and the service ------------------------------------------------------------------------

def test_every_command_the_getters_send_passes_the_read_only_policy():
    from netops.devices.policy import check_command

    sent: list[str] = []
    for name, fn in xr.GETTERS.items():
        kw = {"prefix": "2001:db8:30::1"} if name == "route" else {}
        for host in ("pe1", "none"):  # "none" refuses the rest: the fallbacks are sent too
            try:
                fn(HOST, device(host, {"show bgp ipv4 unicast summary": "\n"}, sent=sent), **kw)
            except ParseError:
                pass
    assert {"show ospf neighbor", "show bgp ipv6 unicast summary", "show route ipv6 2001:db8:30::1"} <= set(sent)
    for command in set(sent):
        d = check_command(command, "cisco_xr")
        assert d.allowed and d.command == command, (command, d.reason)


def test_config_without_the_timestamp_line():
    c = xr.GETTERS["config"](HOST, device("pe1"))
    assert c.text.startswith("Building configuration...\n!! IOS XR Configuration 7.5.2")


def test_getters_through_the_service_are_policy_checked_and_redacted(svc):
    for getter, kw in [("facts", {}), ("interfaces", {}), ("bgp", {}), ("ospf", {}),
                       ("route", {"prefix": "10.30.1.1"}), ("config", {})]:
        r = svc.get("pe1", getter, **kw)["pe1"]
        assert r.ok, (getter, r.error)
    config = svc.get("pe1", "config")["pe1"].data.text
    assert " secret 10 <redacted>" in config and "13061E010803XR" not in config and "HsrpXrPlain" not in config
    off = svc.get("noproto", "bgp")["noproto"].data
    assert off.neighbors == [] and "not active" in off.note
    sent = set(svc.fake.commands_for("pe1"))
    assert {"show bgp all all summary", "show ospf vrf all-inclusive neighbor", "show route ipv4 10.30.1.1",
            "show ipv6 vrf all interface", "show running-config hostname"} <= sent


# -- named BGP instances (router bgp N instance NAME) ------------------------------------------------

def test_bgp_named_instances_only_are_read_when_the_default_instance_is_not_active():
    """Before: "% BGP instance 'default' not active" ended the getter with "BGP not running" on a
    router whose BGP runs in named instances only."""
    sent: list[str] = []
    b = xr.GETTERS["bgp_neighbors"](HOST, device("instances", sent=sent))
    assert sent == ["show bgp all all summary", "show bgp instance all all all summary",
                    "show bgp instance all vrf all ipv4 unicast summary",
                    "show bgp instance all vrf all ipv6 unicast summary"]
    assert b.note is None and (b.router_id, b.local_as) == ("10.255.0.7", 4200000100)
    rows = {(n.instance, n.vrf, n.afi_safi, n.peer): n for n in b.neighbors}
    assert len(rows) == len(b.neighbors) == 6
    rr = rows[("CORE", "default", "ipv4-unicast", "10.255.0.8")]
    assert rr.established and rr.prefixes_received == 310 and rr.uptime_seconds == 31536000 + 2 * 604800
    shut = rows[("CORE", "default", "ipv4-unicast", "10.255.0.9")]
    assert (shut.state, shut.admin_down, shut.established, shut.uptime) == ("Idle", True, False, None)
    assert rows[("CORE", "default", "ipv4-unicast", "192.0.2.14")].state == "Connect"
    v6 = rows[("CORE", "default", "ipv6-unicast", "2001:db8:255::8")]  # wrapped row
    assert v6.remote_as == 4200000100 and v6.prefixes_received == 42
    peering = rows[("PEERING", "default", "ipv4-unicast", "203.0.113.1")]
    assert peering.remote_as == 64496 and peering.uptime_seconds == 10 * 604800 + 3 * 86400
    ce = rows[("CORE", "CUST-Z", "ipv4-unicast", "172.16.5.2")]
    assert ce.remote_as == 64512 * 65536 + 10 and ce.prefixes_received == 6


def test_bgp_named_instance_next_to_the_default_one_adds_only_its_own_peers():
    default = read("pe1", "show_bgp_all_all_summary")
    core = read("instances", "show_bgp_instance_all_all_all_summary").split("BGP instance 2:")[0]
    both = "BGP instance 0: 'default'\n=========================\n\n" + default + "\n" + core
    b = xr.GETTERS["bgp_neighbors"](HOST, device("pe1", {"show bgp instance all all all summary": both}))
    assert (b.router_id, b.local_as) == ("10.255.0.1", 65000)  # the default instance's identity
    assert len(b.neighbors) == 10 + 4
    assert {n.instance for n in b.neighbors} == {None, "CORE"}
    assert sum(1 for n in b.neighbors if n.peer == "10.255.0.9") == 2  # the same address in each instance
    assert all(n.instance is None for n in b.neighbors if n.vrf == "CUST-A")


def test_bgp_instance_sections_name_the_instance_in_the_parser():
    b = xr.parse_bgp_summary(read("instances", "show_bgp_instance_all_all_all_summary"))
    assert {(n.instance, n.peer) for n in b.neighbors} >= {("CORE", "10.255.0.8"), ("PEERING", "203.0.113.1")}
    assert xr.parse_bgp_summary(read("pe1", "show_bgp_all_all_summary")).neighbors[0].instance is None
