"""Cisco IOS / IOS-XE: getters from CLI text.

``show version``, ``show interfaces`` and ``show ip ospf neighbor`` go through ntc-templates.
``show interfaces`` prints only an interface's primary IPv4 address, so ``interfaces`` also reads
``show ip interface`` (secondary addresses) and ``show ipv6 interface`` (global, anycast and
link-local addresses), both every VRF and both with netops' own readers, and merges them in by
name (:mod:`._addresses`: a device that refuses either command or prints nothing keeps what
``show interfaces`` gave; output netops cannot read is left out with a ``note``).

The BGP summary goes through netops' reader of the Cisco-style table (:mod:`._bgp_table`: every
address family of ``show bgp all summary``, IPv6 peers, asdot AS numbers, which the ntc-templates
template does not cover) and ``show ip route ADDRESS`` through netops' own TextFSM template
(ntc-templates has none for a single-route lookup).

IOS summaries do not name the VRF of a PE-CE session: when a VPN family is present, the getter
lists the VRFs (``show vrf``) and reads each VRF's summary, so those peers carry their VRF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import (
    BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop, OspfNeighbor,
    OspfNeighbors, RouteLookup, RunningConfig,
)
from netops.devices.parsers._flaps import with_text_flaps
from netops.devices.parsers import ParseError, not_running_note, require, to_int, worded_seconds
from netops.devices.parsers import _addresses, _bgp_table
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error, ntc, template

Read = Callable[[str], str]
_BGP_OFF = ("bgp not active", "bgp is not running", "bgp not running")
_OSPF_OFF = ("no router process", "ospf not", "ospf is not", "ospf: no")


# The running software's line ("Cisco IOS Software, ... Version 15.2(4)M3, RELEASE SOFTWARE", IOS 11/12:
# "IOS (tm) 2500 Software (C2500-J-L), Version 11.2(5)P, ..."); the template can take a "ROM:" line's.
# A development build names its build tag after "Version" on the IOS XE line: a version starts with a digit.
_SOFTWARE = re.compile(r"^(?!ROM:|BOOTLDR:).*\bSoftware\b.*?, (?:Experimental )?Version (?P<version>\d+\.\d[^\s,]*)", re.M)
_RELEASE = re.compile(r"^\d+\.\d")  # 17.16.20240521:085046, 15.2(4)M3, 03.16.05.S; not a build name
# the hardware line of a box whose maker is not "cisco" (Allen-Bradley/Rockwell IE switches run IOS-XE)
_PROCESSOR = re.compile(r"^(?:[Cc]isco|[A-Z][\w-]*) (?P<model>[\w./-]+) \([^)]*\) processor", re.M)
_MODEL_NUMBER = re.compile(r"^\s*Model [Nn]umber\s*:\s*(?P<model>\S+)", re.M)


@shaped("show version")
def parse_version(text: str) -> Facts:
    require(text, r"\bIOS\b|\bSoftware\b.*, (?:Experimental )?Version \d", "show version", "IOS")
    rows = ntc("cisco_ios", "show version", text)
    if not rows:
        raise ParseError("'show version' output not recognised as IOS")
    r = rows[0]
    version = (r["version"] or "").split(",")[0].strip()
    running = _SOFTWARE.search(text)
    software = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("ROM:", "BOOTLDR:")))
    if running and (not version or version not in software or not _RELEASE.match(version)):
        version = running.group("version")
    model = (r["hardware"] or [None])[0]
    if not model:
        m = _PROCESSOR.search(text) or _MODEL_NUMBER.search(text)
        model = m.group("model") if m else None
    return Facts(hostname=r["hostname"], vendor="Cisco", platform="cisco_ios", os_version=version or None,
                 model=model, serial=(r["serial"] or [None])[0],
                 uptime_seconds=worded_seconds(r["uptime"]))


@shaped("show interfaces")
def parse_interfaces(text: str) -> Interfaces:
    out = Interfaces()
    for r in ntc("cisco_ios", "show interfaces", text):
        addr = f"{r['ip_address']}/{r['prefix_length']}" if r["ip_address"] and r["prefix_length"] else None
        out.interfaces.append(Interface(
            name=r["interface"],  # "is deleted": a removed sub-interface, not up in any sense
            admin_up=not any(w in r["link_status"].lower() for w in ("administratively", "deleted")),
            oper_up=r["protocol_status"].lower().startswith("up"), description=r["description"] or None,
            addresses=[addr] if addr else [], mtu=to_int(r["mtu"]), mac=r["mac_address"] or None,
            counters=InterfaceCounters(rx_packets=to_int(r["input_packets"]), tx_packets=to_int(r["output_packets"]),
                                       rx_errors=to_int(r["input_errors"]), tx_errors=to_int(r["output_errors"])),
        ))
    _add_skipped(out, text)
    with_text_flaps(out, text)
    if not out.interfaces:  # every IOS device has interfaces: none read is output we do not know
        require(text, r"^\S.* is .*(?:line protocol|up|down)", "show interfaces", "IOS")
    return out


# An interface head line without the "line protocol" clause ("pseudowire100006 is up"): the template
# has no row for it. Only a one-word name at the start of a line counts.
_BARE_HEAD = re.compile(r"^(?P<name>[A-Za-z][\w./:-]*) is (?P<state>up|down|administratively down)\s*$")
_MTU = re.compile(r"^\s+MTU (?P<mtu>\d+) bytes")


def _add_skipped(out: Interfaces, text: str) -> None:
    """Interfaces the template skipped, with what their head and MTU lines say."""
    known = {i.name for i in out.interfaces}
    current: Interface | None = None
    for line in text.splitlines():
        m = _BARE_HEAD.match(line)
        if m and m.group("name") not in known:
            state = m.group("state")
            current = Interface(name=m.group("name"), admin_up=state != "administratively down", oper_up=state == "up")
            out.interfaces.append(current)
            known.add(current.name)
            continue
        if line[:1].strip():
            current = None
        elif current is not None and current.mtu is None and (mtu := _MTU.match(line)):
            current.mtu = int(mtu.group("mtu"))
    order = {m.group(1): n for n, m in enumerate(re.finditer(r"^(\S+) is ", text, re.M))}
    out.interfaces.sort(key=lambda i: order.get(i.name, len(order)))  # the device's order


_HEAD = re.compile(r"^\s*(?P<name>[A-Za-z][\w./:-]*) is (?P<state>[^,]+), line protocol is (?P<proto>\S+)")
_IP_ADDRESS = re.compile(r"^\s*(?:Internet address is|Secondary address) (?P<addr>[\d.]+/\d+)\s*$")
_IP_VRF = re.compile(r'^\s+VPN Routing/Forwarding "(?P<vrf>[^"]+)"')


@shaped("show ip interface")
def parse_ip_interfaces(text: str) -> list[_addresses.Listed]:
    """``show ip interface``: every interface's primary (``Internet address is``) and secondary
    (``Secondary address``) IPv4 addresses in the device's order, and its VRF (``VPN
    Routing/Forwarding "X"``). An unnumbered interface (``Interface is unnumbered. Using address
    of Loopback0 (...)``), one whose address is still to be negotiated (DHCP, IPCP) and one with
    ``Internet protocol processing disabled`` have no address of their own."""
    said = device_error(text)
    if said:
        raise ParseError(f"'show ip interface' failed on the device: {said}")
    out: list[_addresses.Listed] = []
    for line in text.splitlines():
        head = _HEAD.match(line)
        if head:
            state = head.group("state").strip().lower()
            out.append(_addresses.Listed(name=head.group("name"), admin_up="administratively" not in state,
                                         oper_up=head.group("proto").lower().startswith("up")))
            continue
        if not out:
            continue
        m = _IP_ADDRESS.match(line)
        if m:
            addr = _addresses.ipv4(m.group("addr"))
            if addr and addr not in out[-1].ipv4:
                out[-1].ipv4.append(addr)
            continue
        vrf = _IP_VRF.match(line)
        if vrf:
            out[-1].vrf = vrf.group("vrf")
    if text.strip() and not out:
        raise ParseError("'show ip interface' output not recognised as IOS (no 'X is up, line protocol is up')")
    return out


_V6_LINK_LOCAL = re.compile(r"^\s*IPv6 is \w+, link-local address is (?P<addr>[0-9A-Fa-f:]+)", re.I)
_V6_GLOBAL = re.compile(r"^\s*(?P<addr>[0-9A-Fa-f:]+), subnet is [0-9A-Fa-f:]+/(?P<len>\d+)")
_V6_SECTION = re.compile(r"^\s*(?P<title>[A-Za-z][^:]*):\s*$")


@shaped("show ipv6 interface")
def parse_ipv6_interfaces(text: str) -> list[_addresses.Listed]:
    """``show ipv6 interface``: every IPv6-enabled interface (all VRFs), its global and anycast
    addresses (tentative ``[TEN]`` and duplicate ``[DUP]`` ones too: they are configured) and
    its link-local address; virtual (HSRP/VRRP) addresses are left out. No output: no IPv6."""
    said = device_error(text)
    if said:
        raise ParseError(f"'show ipv6 interface' failed on the device: {said}")
    out: list[_addresses.Listed] = []
    section = ""
    for line in text.splitlines():
        head = _HEAD.match(line)
        if head:
            state = head.group("state").strip().lower()
            out.append(_addresses.Listed(name=head.group("name"), admin_up="administratively" not in state,
                                         oper_up=head.group("proto").lower().startswith("up")))
            section = ""
            continue
        if not out:
            continue
        ll = _V6_LINK_LOCAL.match(line)
        if ll:
            out[-1].link_local = _addresses.link_local(ll.group("addr"))
            continue
        title = _V6_SECTION.match(line)
        if title:
            section = title.group("title").strip().lower()
            continue
        g = _V6_GLOBAL.match(line)
        if g and section == "global unicast address(es)":
            addr = _addresses.ipv6(g.group("addr"), g.group("len"))
            if addr:
                out[-1].ipv6.append(addr)
    if text.strip() and not out:
        raise ParseError("'show ipv6 interface' output not recognised as IOS (no 'X is up, line protocol is up')")
    return out


@shaped("show bgp all summary")
def parse_bgp_summary(text: str, *, vrf: str = "default", afi: str = "ipv4-unicast") -> BgpNeighbors:
    """``show ip bgp summary``, ``show bgp all summary`` (every ``For address family:`` section)
    or one VRF's summary (pass ``vrf``). ``% BGP not active`` is an empty result with a note."""
    said = device_error(text)
    if said:
        if any(m in said.lower() for m in _BGP_OFF):
            return BgpNeighbors(note=not_running_note("BGP", said))
        raise ParseError(f"'show bgp summary' failed on the device: {said}")
    return _bgp_table.parse(text, vrf=vrf, afi=afi, command="show bgp summary")


@shaped("show ip ospf neighbor")
def parse_ospf_neighbors(text: str) -> OspfNeighbors:
    said = device_error(text)
    if said and any(m in said.lower() for m in _OSPF_OFF):
        return OspfNeighbors(note=not_running_note("OSPF", said))
    if not text.strip():  # IOS prints nothing at all when no OSPF process runs
        return OspfNeighbors(note="the device listed no OSPF neighbors (OSPF may not be configured)")
    require(text, r"^\s*Neighbor ID\s+Pri\s+State", "show ip ospf neighbor", "IOS")
    out = OspfNeighbors()
    for r in ntc("cisco_ios", "show ip ospf neighbor", text):
        state, _, role = r["state"].partition("/")
        role = role.strip()
        h, m, s = (r["dead_time"].split(":") + ["", "", ""])[:3]
        state = state.strip().upper()
        out.neighbors.append(OspfNeighbor(
            neighbor_id=r["neighbor_id"], address=r["ip_address"] or None, interface=r["interface"] or None,
            state={"2WAY": "2-Way", "EXSTART": "ExStart"}.get(state, state.capitalize()), full=state == "FULL",
            role={"DR": "DR", "BDR": "BDR", "DROTHER": "DROther"}.get(role.upper()), priority=to_int(r["priority"]),
            dead_time_seconds=float(int(h) * 3600 + int(m) * 60 + int(s)) if s.isdigit() else None))
    return out


@shaped("show ip route")
def parse_route(text: str, query: str) -> RouteLookup:
    if not text.strip() or "not in table" in text.lower():
        return RouteLookup(query=query, found=False)
    said = device_error(text)
    if said:
        raise ParseError(f"'show ip route {query}' failed on the device: {said}")
    rows = template("cisco_ios_show_ip_route_lookup.textfsm", text)
    if not rows or not rows[0]["prefix"]:
        return RouteLookup(query=query, found=False)
    first = rows[0]
    best = [r for r in rows if r["best"]] or rows
    return RouteLookup(query=query, found=True, prefix=first["prefix"],
                       protocol=first["protocol"].split()[0] if first["protocol"] else None,
                       distance=to_int(first["distance"]), metric=to_int(first["metric"]),
                       next_hops=[NextHop(address=None if r["nexthop"] == "directly connected" else r["nexthop"],
                                          interface=r["interface"] or None, active=bool(r["best"]))
                                  for r in rows if r["nexthop"]],
                       uptime=best[0]["age"] or None)


_VRF_ROW = re.compile(r"^\s{0,4}(?P<name>\S+)\s+(?P<rd><not set>|\d+:\d+|[\d.]+:\d+)\s+(?P<rest>.*)$")


def parse_vrfs(text: str) -> list[str]:
    """VRF names from ``show vrf`` (IOS-XE) or ``show ip vrf`` (IOS)."""
    if device_error(text):
        return []
    names = []
    for line in text.splitlines():
        m = _VRF_ROW.match(line)
        if m and m.group("name").lower() not in ("name", "mgmt-intf", "mgmt-vrf") and "Default RD" not in line:
            names.append(m.group("name"))
    return list(dict.fromkeys(names))


_VPN_FAMILIES = {"vpnv4-unicast": ("vpnv4", "ipv4-unicast"), "vpnv6-unicast": ("vpnv6", "ipv6-unicast")}


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    text = read("show bgp all summary")
    said = device_error(text)
    if said and not any(m in said.lower() for m in _BGP_OFF):  # IOS before 15: no "show bgp all"
        text = read("show ip bgp summary")
    out = parse_bgp_summary(text)
    vpn = {n.afi_safi for n in out.neighbors} & set(_VPN_FAMILIES)
    if not vpn:
        return out
    vrf_peers: set[str] = set()
    for vrf in parse_vrfs(read("show vrf")):
        for family in sorted(vpn):
            keyword, afi = _VPN_FAMILIES[family]
            part = read(f"show bgp {keyword} unicast vrf {vrf} summary")
            if device_error(part):
                continue
            for n in parse_bgp_summary(part, vrf=vrf, afi=afi).neighbors:
                n.vrf, n.afi_safi = vrf, afi  # a per-VRF summary names its family "VPNv4 Unicast"
                out.neighbors.append(n)
                vrf_peers.add(n.peer)
    # The VPN family's own section lists the VRF (PE-CE) peers again, without their VRF.
    out.neighbors = [n for n in out.neighbors if not (n.afi_safi in vpn and n.vrf == "default" and n.peer in vrf_peers)]
    return out


_V6_ENTRY = re.compile(r"^Routing entry for (?P<prefix>[0-9A-Fa-f:]+/\d+)", re.M)
_V6_KNOWN = re.compile(r'Known via "(?P<proto>[^"]+)", distance (?P<distance>\d+), metric (?P<metric>\d+)')
_V6_PATH = re.compile(r"^\s+(?:(?P<addr>[0-9A-Fa-f:]+(?:%\S+)?), (?P<iface>\S+)|directly connected via (?P<conn>\S+))\s*$")
_V6_AGE = re.compile(r"^\s+Last updated (?P<age>\S+) ago")


@shaped("show ipv6 route")
def parse_route_v6(text: str, query: str) -> RouteLookup:
    """``show ipv6 route ADDRESS``: the entry, its protocol and its routing paths."""
    m = _V6_ENTRY.search(text)
    if not m or "not found" in text.lower()[:80]:
        if device_error(text) and "not found" not in text.lower():
            raise ParseError(f"'show ipv6 route {query}' failed on the device: {device_error(text)}")
        return RouteLookup(query=query, found=False)
    known = _V6_KNOWN.search(text)
    hops: list[NextHop] = []
    age = None
    for line in text[m.end():].splitlines():
        p = _V6_PATH.match(line)
        if p and "Known via" not in line:
            hops.append(NextHop(address=p.group("addr"), interface=p.group("iface") or p.group("conn")))
        a = _V6_AGE.match(line)
        if a and age is None:
            age = a.group("age")
    return RouteLookup(query=query, found=True, prefix=m.group("prefix"),
                       protocol=known.group("proto").split()[0] if known else None,
                       distance=to_int(known.group("distance")) if known else None,
                       metric=to_int(known.group("metric")) if known else None, next_hops=hops, uptime=age)


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    address = prefix.split("/")[0]
    if ":" in address:
        return parse_route_v6(read(f"show ipv6 route {address}"), prefix)
    return parse_route(read(f"show ip route {address}"), prefix)


def interfaces(host: Any, read: Read) -> Interfaces:
    """``show interfaces`` (state, counters, primary IPv4) joined with ``show ip interface``
    (secondary IPv4) and ``show ipv6 interface`` (IPv6)."""
    out = _addresses.with_addresses(parse_interfaces(read("show interfaces")), read,
                                    [("show ip interface", parse_ip_interfaces)], what="secondary IPv4 addresses")
    return _addresses.with_addresses(out, read, [("show ipv6 interface", parse_ipv6_interfaces)],
                                     what="IPv6 addresses")


GETTERS = {
    "facts": lambda host, read: parse_version(read("show version")),
    "interfaces": interfaces,
    "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": lambda host, read: parse_ospf_neighbors(read("show ip ospf neighbor")),
    "route": route,
    "config": lambda host, read: RunningConfig(text=read("show running-config")),
}

from netops.devices.parsers.cisco_peer_routes import getters as _peer_getters, ios_command  # noqa: E402

PEER_GETTERS = _peer_getters(ios_command)
