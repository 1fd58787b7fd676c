"""The getter contract every platform's parsers go through: the same getter returns the same
typed shape with the same meaning on frr, linux, cisco_ios, cisco_xr, cisco_nxos, arista_eos,
juniper_junos, nokia_sros and huawei_vrp.

* BGP lists every address family and VRF, ``vrf``/``afi_safi`` on each peer, in one spelling;
* an IPv4 session over an IPv6 link-local peer (RFC 5549) is ``ipv4-unicast``;
* AS numbers are asplain integers, whatever notation the device prints (asdot ``65002.2048``);
* a protocol that is not configured is an empty result with a note, never an error;
* interface addresses are ``addr/len`` in one spelling, IPv4 (primary, then secondaries) then IPv6
  (link-local ``/64``);
* state fields agree with each other (``established`` <-> ``state``, ``full`` <-> ``state``).

Each platform is a small "device": command -> output. Captured output is used where it was
found published (see the fixture READMEs); the rest is written after each platform's format.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from netops.devices import models

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"
ASDOT = 65002 * 65536 + 2048
PLATFORMS = ("frr", "linux", "cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "cisco_xr", "nokia_sros",
             "huawei_vrp")
AFI = re.compile(r"^(ipv4|ipv6|vpnv4|vpnv6|l2vpn)-(unicast|multicast|evpn|vpls|labeled-unicast|flowspec|mvpn)$")
UNKNOWN = "% Invalid input detected at '^' marker.\n"


def fx(path: str) -> str:
    return (FIX / path).read_text()


def getters(platform: str) -> dict[str, Callable[..., Any]]:
    return importlib.import_module(f"netops.devices.parsers.{platform}").GETTERS  # type: ignore[no-any-return]


def device(outputs: dict[str, str]) -> Callable[[str], str]:
    return lambda command: outputs.get(command, UNKNOWN)


HOST = SimpleNamespace(name="dut", platform="?")

# -- BGP: every family and VRF, asdot, IPv6, link-local ------------------------------------------

_FRR_VRF_ALL = json.dumps({
    "default": {
        "ipv4Unicast": {"routerId": "10.0.0.1", "as": 65001, "vrfName": "default", "peers": {
            "10.0.0.2": {"remoteAs": "65002.2048", "state": "Established", "peerUptimeMsec": 5000, "pfxRcd": 3},
            "fe80::1%eth1": {"remoteAs": 65003, "state": "Established", "peerUptimeMsec": 1000, "pfxRcd": 1}}},
        "ipv6Unicast": {"routerId": "10.0.0.1", "as": 65001, "vrfName": "default", "peers": {
            "2001:db8::2": {"remoteAs": 65002, "state": "Active"}}}},
    "CUST-A": {
        "ipv4Unicast": {"routerId": "10.9.0.1", "as": 65001, "vrfName": "CUST-A", "peers": {
            "192.168.1.2": {"remoteAs": 64512, "state": "Established", "peerUptimeMsec": 1000, "pfxRcd": 7}}}},
})
_FRR_DEFAULT = json.dumps(json.loads(_FRR_VRF_ALL)["default"])

_IOS_ALL = """\
For address family: IPv4 Unicast
BGP router identifier 10.0.0.1, local AS number 65001
BGP table version is 9, main routing table version 9

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
10.0.0.2        4   65002.2048    1520    1517        9    0    0 1d01h           3
10.0.0.6        4        65030       0       0        1    0    0 never    Idle (Admin)

For address family: IPv6 Unicast
BGP router identifier 10.0.0.1, local AS number 65001

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
2001:DB8:0:12::2
                4        65002     100     101        4    0    0 00:10:02        2

For address family: VPNv4 Unicast
BGP router identifier 10.0.0.1, local AS number 65001

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
10.255.0.9      4        65001     300     300       12    0    0 2w0d            5
192.168.1.2     4        64512      40      41       12    0    0 00:20:00        7
"""
_IOS_VRF = """\
  Name                             Default RD            Protocols   Interfaces
  CUST-A                           65001:10              ipv4        Gi0/2
  Mgmt-intf                        <not set>             ipv4,ipv6   Gi0
"""
_IOS_VRF_SUMMARY = """\
BGP router identifier 192.168.1.1, local AS number 65001

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
192.168.1.2     4        64512      40      41       12    0    0 00:20:00        7
"""

_EOS_V6 = json.dumps({"vrfs": {"default": {"routerId": "10.0.0.1", "asn": "65001", "peers": {
    "2001:db8::2": {"asn": "65002", "peerState": "Established", "upDownTime": 1.0, "prefixReceived": 2}}},
    "CUST-A": {"routerId": "10.9.0.1", "asn": "65001", "peers": {
        "2001:db8:9::2": {"asn": "64512", "peerState": "Idle", "upDownTime": 1.0}}}}})


def _junos_peer(address: str, asn: str, ribs: list[str]) -> dict[str, Any]:
    leaf = lambda v: [{"data": v}]  # noqa: E731
    return {"peer-address": leaf(address), "peer-as": leaf(asn), "peer-state": leaf("Established"),
            "elapsed-time": [{"data": "1:02:03", "attributes": {"junos:seconds": "3723"}}],
            "bgp-rib": [{"name": leaf(r), "received-prefix-count": leaf("4")} for r in ribs]}


_JUNOS_BGP = json.dumps({"bgp-information": [{"bgp-peer": [
    _junos_peer("10.0.0.2+179", "65002.2048", ["inet.0"]),
    _junos_peer("2001:db8::2+179", "65002", ["inet6.0"]),
    _junos_peer("192.168.1.2", "64512", ["CUST-A.inet.0"]),
    _junos_peer("fe80::1%ge-0/0/1.0", "65003", ["inet.0"]),
]}]}) + "\n\n{master:0}\n"

_NXOS_BGP = json.dumps({"TABLE_vrf": {"ROW_vrf": [
    {"vrf-name-out": "default", "vrf-router-id": "10.0.0.1", "vrf-local-as": "65001",
     "TABLE_af": {"ROW_af": [
         {"af-id": "1", "TABLE_saf": {"ROW_saf": {"af-name": "IPv4 Unicast", "TABLE_neighbor": {"ROW_neighbor": [
             {"neighborid": "10.0.0.2", "neighboras": "65002.2048", "time": "1d02h", "state": "Established",
              "prefixreceived": "3"},
             {"neighborid": "fe80::1%Eth1/1", "neighboras": "65003", "time": "00:10:00", "state": "Established",
              "prefixreceived": "1"}]}}}},
         {"af-id": "2", "TABLE_saf": {"ROW_saf": {"af-name": "IPv6 Unicast", "TABLE_neighbor": {"ROW_neighbor": {
             "neighborid": "2001:db8::2", "neighboras": "65002", "time": "00:01:00", "state": "Idle"}}}}}]}},
    {"vrf-name-out": "CUST-A", "vrf-router-id": "10.9.0.1", "vrf-local-as": "65001",
     "TABLE_af": {"ROW_af": {"af-id": "1", "TABLE_saf": {"ROW_saf": {"af-name": "IPv4 Unicast",
         "TABLE_neighbor": {"ROW_neighbor": {"neighborid": "192.168.1.2", "neighboras": "64512", "time": "5w0d",
                                             "state": "Established", "prefixreceived": "7"}}}}}}},
]}})

_SROS_BGP = """\
===============================================================================
BGP Summary
===============================================================================
Legend : D - Dynamic Neighbor
===============================================================================
Neighbor
Description
ServiceId          AS PktRcvd InQ  Up/Down   State|Rcv/Act/Sent (Addr Family)
                      PktSent OutQ
-------------------------------------------------------------------------------
10.0.0.2
Def. Inst  4259973120    1520    0 01d01h00m 3/3/2 (IPv4)
                         1517    0           5/5/0 (VpnIPv4)
2001:db8::2
Def. Inst       65002       0    0 00h10m02s Active
                            0    0
192.168.1.2
100             64512      40    0 00h20m00s 7/7/1 (IPv4)
                           41    0
-------------------------------------------------------------------------------
"""
_SROS_VPRNS = """\
ServiceId    Type      Adm  Opr  CustomerId Service Name
-------------------------------------------------------------------------------
100          VPRN      Up   Up   1          CUST-A
"""

BGP = {
    "frr": {"show bgp summary json": _FRR_DEFAULT, "show bgp vrf all summary json": _FRR_VRF_ALL},
    "linux": {"vtysh -c 'show bgp summary json'": _FRR_DEFAULT,
              "vtysh -c 'show bgp vrf all summary json'": _FRR_VRF_ALL},
    "cisco_ios": {"show bgp all summary": _IOS_ALL, "show vrf": _IOS_VRF,
                  "show bgp vpnv4 unicast vrf CUST-A summary": _IOS_VRF_SUMMARY},
    "cisco_nxos": {"show bgp all summary vrf all | json": _NXOS_BGP},
    "arista_eos": {  # IPv4: captured (RFC 5549 peers, asdot); IPv6 + a VRF: written
        "show ip bgp summary vrf all | json": fx("arista_eos/unnumbered/show_ip_bgp_summary_vrf_all_json.txt"),
        "show ipv6 bgp summary vrf all | json": _EOS_V6},
    "juniper_junos": {"show bgp summary | display json": _JUNOS_BGP},
    "cisco_xr": {  # hand-written after published XR captures (see cisco_xr/README.md)
        "show bgp all all summary": fx("cisco_xr/pe1/show_bgp_all_all_summary.txt"),
        "show bgp vrf all ipv4 unicast summary": fx("cisco_xr/pe1/show_bgp_vrf_all_ipv4_unicast_summary.txt"),
        "show bgp vrf all ipv6 unicast summary": fx("cisco_xr/pe1/show_bgp_vrf_all_ipv6_unicast_summary.txt")},
    "nokia_sros": {"show router bgp summary all": _SROS_BGP, "show service service-using vprn": _SROS_VPRNS},
    "huawei_vrp": {  # hand-written after published VRP captures (see huawei_vrp/README.md)
        "display bgp peer": fx("huawei_vrp/pe1/display_bgp_peer.txt"),
        "display bgp ipv6 peer": fx("huawei_vrp/pe1/display_bgp_ipv6_peer.txt"),
        "display bgp vpnv4 all peer": fx("huawei_vrp/pe1/display_bgp_vpnv4_all_peer.txt")},
}
HAS_LINK_LOCAL = {"frr": "fe80::1%eth1", "linux": "fe80::1%eth1", "cisco_nxos": "fe80::1%Eth1/1",
                  "arista_eos": "fe80::a8c1:abff:fedc:fb58%Et1", "juniper_junos": "fe80::1%ge-0/0/1.0"}
ASDOT_PEER = {"arista_eos": "fe80::a8c1:abff:fedc:fb58%Et1"}  # the captured summary's peers are asdot


@pytest.mark.parametrize("platform", PLATFORMS)
def test_bgp_lists_every_family_and_vrf_with_the_same_meaning(platform):
    b = getters(platform)["bgp_neighbors"](HOST, device(BGP[platform]))
    assert type(b) is models.BgpNeighbors and b.note is None
    for n in b.neighbors:
        assert AFI.match(n.afi_safi), n.afi_safi
        assert n.vrf and n.established == (n.state == "Established")
        assert n.remote_as is None or isinstance(n.remote_as, int)
        assert not (n.admin_down and n.established)
        # every summary but Junos' says whether a down peer is shut by configuration
        assert (n.admin_down is None) == (platform == "juniper_junos"), (n.peer, n.admin_down)
        if not n.established:
            assert n.uptime is None and n.uptime_seconds is None and n.prefixes_received is None
        ipaddress.ip_address(n.peer.split("%")[0])
    assert {"ipv4-unicast", "ipv6-unicast"} <= {n.afi_safi for n in b.neighbors}
    assert "CUST-A" in {n.vrf for n in b.neighbors}
    v6 = [n for n in b.neighbors if n.afi_safi == "ipv6-unicast"]
    assert all(":" in n.peer for n in v6)
    asdot_peer = ASDOT_PEER.get(platform, "10.0.0.2")
    assert next(n for n in b.neighbors if n.peer.lower() == asdot_peer.lower()).remote_as in (
        ASDOT, 65001 * 65536 + 1026)
    if platform in HAS_LINK_LOCAL:
        ll = next(n for n in b.neighbors if n.peer == HAS_LINK_LOCAL[platform])
        assert ll.afi_safi == "ipv4-unicast"  # RFC 5549: IPv4 routes over an IPv6 link-local session
    vrf_peer = next(n for n in b.neighbors if n.peer == "192.168.1.2" or n.vrf == "CUST-A")
    assert vrf_peer.vrf == "CUST-A" and vrf_peer.afi_safi in ("ipv4-unicast", "ipv6-unicast")
    if platform == "cisco_ios":  # the VPNv4 section's copy of the PE-CE peer is not listed twice
        assert [n.vrf for n in b.neighbors if n.peer == "192.168.1.2"] == ["CUST-A"]
        assert b.by_peer("10.255.0.9").afi_safi == "vpnv4-unicast"
        assert b.by_peer("10.0.0.6").admin_down and b.by_peer("10.0.0.6").raw_state == "Idle (Admin)"


# -- a protocol that is not configured ------------------------------------------------------------

_JUNOS_OFF = '{\n    "output" : [\n    {\n        "data" : "%s is not running"\n    }\n    ]\n}\n'
OFF = {
    "frr": {"show bgp summary json": fx("frr/noproto/show_bgp_summary_json.txt"),
            "show bgp vrf all summary json": fx("frr/noproto/show_bgp_vrf_all_summary_json.txt"),
            "show ip ospf neighbor json": fx("frr/noproto/show_ip_ospf_neighbor_json.txt")},
    "linux": {"vtysh -c 'show bgp summary json'": fx("frr/noproto/show_bgp_summary_json.txt"),
              "vtysh -c 'show bgp vrf all summary json'": fx("frr/noproto/show_bgp_vrf_all_summary_json.txt"),
              "vtysh -c 'show ip ospf neighbor json'": fx("frr/noproto/show_ip_ospf_neighbor_json.txt")},
    "cisco_ios": {"show bgp all summary": "% BGP not active\n", "show ip ospf neighbor": ""},
    "cisco_nxos": {"show bgp all summary vrf all | json": "% Invalid command at '^' marker.\n",
                   "show bgp all summary vrf all": "% Invalid command at '^' marker.\n",
                   "show ip ospf neighbors vrf all | json": "% Invalid command at '^' marker.\n",
                   "show ip ospf neighbors vrf all": "% Invalid command at '^' marker.\n"},
    "arista_eos": {"show ip bgp summary vrf all | json": fx("arista_eos/nobgp/show_ip_bgp_summary_vrf_all_json.txt"),
                   "show ipv6 bgp summary vrf all | json": fx("arista_eos/nobgp/show_ipv6_bgp_summary_vrf_all_json.txt"),
                   "show bgp evpn summary | json": '{"vrfs": {}}',
                   "show ip ospf neighbor | json": '{"vrfs": {}}'},
    "juniper_junos": {"show bgp summary | display json": _JUNOS_OFF % "BGP",
                      "show ospf neighbor instance all | display json": fx("juniper_junos/vmx-r1/show_ospf_neighbor_display_json.txt")},
    "cisco_xr": {"show bgp all all summary": fx("cisco_xr/noproto/show_bgp_all_all_summary.txt"),
                 "show ospf vrf all-inclusive neighbor": fx("cisco_xr/noproto/show_ospf_vrf_all_inclusive_neighbor.txt")},
    "nokia_sros": {"show router bgp summary all": fx("nokia_sros/pe2/show_router_bgp_summary_all.txt"),
                   "show router ospf neighbor": "MINOR: CLI OSPF is not configured.\n"},
    "huawei_vrp": {"display bgp peer": fx("huawei_vrp/noproto/display_bgp_peer.txt"),
                   "display ospf peer": fx("huawei_vrp/noproto/display_ospf_peer.txt")},
}


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("getter, model", [("bgp_neighbors", models.BgpNeighbors),
                                           ("ospf_neighbors", models.OspfNeighbors)])
def test_protocol_not_configured_is_an_empty_result_with_a_note(platform, getter, model):
    result = getters(platform)[getter](HOST, device(OFF[platform]))
    assert type(result) is model and result.neighbors == [] and result.note


# -- every getter's shape on captured output ------------------------------------------------------

def _from_dir(folder: Path) -> Callable[[str], str]:
    from netops.devices.transport import command_slug

    def read(command: str) -> str:
        f = folder / f"{command_slug(command)}.txt"
        return f.read_text() if f.exists() else UNKNOWN
    return read


SHAPES = [
    ("frr", "frr/r1", "10.9.9.9"), ("cisco_ios", "cisco_ios/sw1", "10.30.0.0"),
    ("cisco_nxos", "cisco_nxos/leaf", "10.30.1.1"), ("arista_eos", "arista_eos/leaf1", "10.30.1.1"),
    ("juniper_junos", "juniper_junos/pe1", "10.30.1.1"), ("linux", "linux/srv1", "10.30.1.1"),
    ("cisco_xr", "cisco_xr/pe1", "10.30.1.1"),
    ("nokia_sros", "nokia_sros/pe1", "10.30.1.1"),
    ("huawei_vrp", "huawei_vrp/pe1", "10.30.1.1"),
]
MODELS = {"facts": models.Facts, "interfaces": models.Interfaces, "bgp_neighbors": models.BgpNeighbors,
          "ospf_neighbors": models.OspfNeighbors, "route": models.RouteLookup, "config": models.RunningConfig}


@pytest.mark.parametrize("platform, folder, prefix", SHAPES)
def test_every_getter_returns_its_model_with_consistent_fields(platform, folder, prefix):
    host = SimpleNamespace(name="dut", platform=platform)
    read = _from_dir(FIX / folder)
    impl = getters(platform)
    assert set(impl) == set(MODELS)
    for name, model in MODELS.items():
        kw = {"prefix": prefix} if name == "route" else {}
        result = impl[name](host, read, **kw)
        assert type(result) is model, (platform, name)
        if name == "facts":
            assert result.platform == platform and result.hostname
        elif name == "interfaces":
            for i in result.interfaces:
                for a in i.addresses:
                    ipaddress.ip_interface(a)
                assert not (i.oper_up and not i.admin_up), i.name
        elif name == "ospf_neighbors":
            for n in result.neighbors:
                assert n.full == (n.state == "Full") and ipaddress.ip_address(n.neighbor_id)
                assert n.role in (None, "DR", "BDR", "DROther")
        elif name == "route" and result.found:
            ipaddress.ip_network(result.prefix)
            assert ipaddress.ip_address(prefix) in ipaddress.ip_network(result.prefix)


# -- interface addresses: one spelling, IPv4 and IPv6 ---------------------------------------------

@pytest.mark.parametrize("platform, folder, prefix", SHAPES)
def test_interface_addresses_have_one_spelling_on_every_platform(platform, folder, prefix):
    """``addr/len``, compressed lower case, IPv4 before IPv6, link-local ``/64``, none twice;
    and every platform reports IPv6 (Cisco/Arista read it from a second command)."""
    result = getters(platform)["interfaces"](SimpleNamespace(name="dut", platform=platform), _from_dir(FIX / folder))
    v6 = []
    for i in result.interfaces:
        parsed = [ipaddress.ip_interface(a) for a in i.addresses]
        assert [str(p) for p in parsed] == i.addresses, i.name
        assert [p.version for p in parsed] == sorted(p.version for p in parsed), i.name
        assert len(set(i.addresses)) == len(i.addresses), i.name
        assert all(p.network.prefixlen == 64 for p in parsed if p.version == 6 and p.ip.is_link_local), i.name
        v6 += [p for p in parsed if p.version == 6]
    assert any(p.ip.is_link_local for p in v6), platform
    if platform != "frr":  # the FRR lab capture has link-local addresses only
        assert any(p.ip.is_global or p.ip in ipaddress.ip_network("2001:db8::/32") for p in v6), platform


# -- secondary IPv4 addresses ---------------------------------------------------------------------

SECONDARY = {  # platform -> (an interface, its IPv4 addresses: primary first, then secondaries in device order)
    "cisco_ios": ("GigabitEthernet0/0", ["10.20.0.2/30", "10.20.9.1/24", "10.20.8.1/25"]),   # 'show ip interface'
    "cisco_nxos": ("Vlan120", ["192.168.0.10/24", "192.168.1.10/24", "192.168.2.10/25"]),  # '... vrf all | json'
    "arista_eos": ("Management1", ["192.168.200.11/24", "192.168.201.11/24"]),             # 'show interfaces | json'
    "linux": ("lo", ["127.0.0.1/8", "203.0.113.10/32"]),                                   # 'ip -j addr'
    "cisco_xr": ("Bundle-Ether10", ["10.0.12.1/30", "10.0.12.129/30", "10.0.12.65/30"]),  # 'show ipv4 vrf all interface'
    "huawei_vrp": ("GigabitEthernet0/1/0", ["10.0.12.1/30", "10.0.112.1/24", "10.0.113.129/25"]),  # '... Sub'
}
# The frr/r1 and juniper_junos/pe1 captures have no interface with a second IPv4 address; those
# getters read every address from the one command they send (FRR "ipAddresses", Junos
# "interface-address"), so they have no primary-only gap to close.


@pytest.mark.parametrize("platform, folder, prefix", [s for s in SHAPES if s[0] in SECONDARY])
def test_secondary_ipv4_addresses_follow_the_primary_on_every_platform(platform, folder, prefix):
    result = getters(platform)["interfaces"](SimpleNamespace(name="dut", platform=platform), _from_dir(FIX / folder))
    name, expected = SECONDARY[platform]
    found = result.by_name(name)
    assert found is not None, name
    assert [a for a in found.addresses if ipaddress.ip_interface(a).version == 4] == expected
    assert result.note is None


@pytest.mark.parametrize("text,seconds", [
    ("3 weeks, 2 days, 4 hours, 17 minutes", 3 * 604800 + 2 * 86400 + 4 * 3600 + 17 * 60),  # IOS
    ("1 year, 1 week, 1 day, 1 hour, 1 minute", 31536000 + 604800 + 86400 + 3600 + 60),
    ("23 hours 3 minutes", 23 * 3600 + 3 * 60),  # XR7, no commas
    ("161 days, 0 hour, 20 minutes", 161 * 86400 + 20 * 60),  # VRP
    ("12 day(s), 3 hour(s), 4 minute(s), 5 second(s)", 12 * 86400 + 3 * 3600 + 4 * 60 + 5),  # NX-OS
    ("", None), (None, None), ("up a long time", None),
])
def test_worded_uptimes_read_the_same_on_every_platform(text, seconds):
    from netops.devices.parsers import worded_seconds

    assert worded_seconds(text) == seconds
