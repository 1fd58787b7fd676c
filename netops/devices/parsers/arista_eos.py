"""Arista EOS: getters from eAPI-shaped CLI JSON (``show ... | json``).

EOS renders every getter's command as JSON, so that is the primary path; interfaces read
``show interfaces`` (state, counters, IPv4) and ``show ipv6 interface`` (IPv6 addresses of every
VRF, merged in by :mod:`._addresses`; ``No IPv6 configured interfaces`` or a refusal means none); BGP
reads one summary per family (IPv4, IPv6, EVPN), each over every VRF. When a device refuses
``| json`` (very old EOS, or an "unconverted" command) BGP falls back to the text table
(:mod:`._bgp_table`) and OSPF to ntc-templates; interfaces have no text fallback.

EOS reports times as epoch timestamps (``upDownTime``: last state change; ``inactivity``:
when the dead timer expires), so the parsers take ``now`` (epoch seconds) for the relative
values. Tested on captured cEOS/vEOS output (batfish lab-validation, NAPALM) and output
written after Arista's eAPI shapes (``tests/fixtures/devices/arista_eos/README.md``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from netops.devices.models import (
    BgpNeighbor, BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop,
    OspfNeighbor, OspfNeighbors, RouteLookup, RunningConfig,
)
from netops.devices.parsers import ParseError, load_json, most_specific, not_running_note, require, to_asn, to_int
from netops.devices.parsers import _addresses, _bgp_table, _json_first
from netops.devices.parsers._flaps import carrier_downs
from netops.devices.parsers._json_first import json_or_text
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import ntc

Read = Callable[[str], str]

_NO_JSON_MARKERS = ("unconverted command", "% invalid input")
_OSPF_STATES = {"full": "Full", "2ways": "2-Way", "2way": "2-Way", "init": "Init", "down": "Down",
                "attempt": "Attempt", "exchstart": "ExStart", "exstart": "ExStart",
                "exchange": "Exchange", "loading": "Loading"}
_PROTOCOLS = {"connected": "connected", "static": "static", "ebgp": "bgp", "ibgp": "bgp", "bgp": "bgp",
              "ospf": "ospf", "isis": "isis", "rip": "rip", "aggregate": "aggregate", "kernel": "kernel"}


def _doc(text: str, command: str) -> dict[str, Any]:
    stripped = text.strip()
    if stripped.startswith("%"):
        raise ParseError(f"{command!r} failed on the device: {stripped.splitlines()[0]}")
    doc = load_json(text, command)
    if not isinstance(doc, dict):
        raise ParseError(f"{command!r} did not return a JSON object")
    if "errors" in doc:  # eAPI-style error document
        raise ParseError(f"{command!r} failed on the device: {'; '.join(map(str, doc['errors']))}")
    return doc


def _no_json(text: str) -> bool:
    low = text.strip().lower()
    return any(m in low for m in _NO_JSON_MARKERS)


def _elapsed(since: Any, now: float) -> float | None:
    return max(0.0, now - float(since)) if isinstance(since, (int, float)) and since > 0 else None


def _hms(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    s = int(seconds)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{d}d{h:02d}h{m:02d}m" if d else f"{h:02d}:{m:02d}:{s:02d}"


@shaped("show version | json")
def parse_version(version: str, hostname: str, *, now: float | None = None) -> Facts:
    """``show version | json`` plus ``show hostname | json``. EOS before 4.20 has no ``uptime``,
    only ``bootupTimestamp`` (epoch): the uptime is then ``now`` minus that."""
    v = _doc(version, "show version | json")
    h = _doc(hostname, "show hostname | json")
    if "version" not in v or "hostname" not in h:
        raise ParseError("'show version | json' / 'show hostname | json' are not EOS output")
    uptime = v.get("uptime")
    if not isinstance(uptime, (int, float)) or isinstance(uptime, bool):
        uptime = _elapsed(v.get("bootupTimestamp"), time.time() if now is None else now)
    return Facts(hostname=h["hostname"], vendor="Arista", platform="arista_eos", os_version=v["version"],
                 model=v.get("modelName") or None, serial=v.get("serialNumber") or None,
                 uptime_seconds=float(uptime) if uptime is not None else None)


@shaped("show interfaces | json")
def parse_interfaces(text: str) -> Interfaces:
    doc = _doc(text, "show interfaces | json")
    if not isinstance(doc.get("interfaces"), dict):
        raise ParseError("'show interfaces | json' has no 'interfaces' object")
    out = Interfaces()
    for name, i in doc["interfaces"].items():
        if not isinstance(i, dict):
            continue
        addresses = []
        for a in i.get("interfaceAddress") or []:
            primary = a.get("primaryIp") or {}
            # An unnumbered interface ("unnumberedIntf") has primary 0.0.0.0: no address of its own.
            secondaries = a.get("secondaryIpsOrderedList")  # the device's order; the dict's is by key
            if not isinstance(secondaries, list):
                secondaries = list((a.get("secondaryIps") or {}).values())
            for entry in [primary, *secondaries]:
                addr = _addresses.ipv4(str(entry.get("address") or ""), entry.get("maskLen"))
                if addr and addr not in addresses:
                    addresses.append(addr)
        c = i.get("interfaceCounters")
        counters = None
        if isinstance(c, dict):
            counters = InterfaceCounters(
                rx_packets=_sum(c, "inUcastPkts", "inMulticastPkts", "inBroadcastPkts"),
                tx_packets=_sum(c, "outUcastPkts", "outMulticastPkts", "outBroadcastPkts"),
                rx_bytes=to_int(c.get("inOctets")), tx_bytes=to_int(c.get("outOctets")),
                rx_errors=to_int(c.get("totalInErrors")), tx_errors=to_int(c.get("totalOutErrors")))
        out.interfaces.append(Interface(
            name=i.get("name", name),
            admin_up=i.get("interfaceStatus") != "disabled",
            oper_up=i.get("lineProtocolStatus") == "up",
            description=i.get("description") or None,
            addresses=addresses,
            mtu=to_int(i.get("mtu")),
            mac=i.get("physicalAddress") or None,
            counters=counters,
            # "N link status changes since last clear" (downs and ups: halved, rounded up) and when the
            # last one was
            link_downs=carrier_downs(n) if (n := to_int((c or {}).get("linkStatusChanges"))) is not None else None,
            last_flap=time.strftime("%Y/%m/%d %H:%M:%S UTC", time.gmtime(float(i["lastStatusChangeTimestamp"])))
            if n and isinstance(i.get("lastStatusChangeTimestamp"), (int, float)) else None,
        ))
    return out


_V6_NONE = ("no ipv6 configured interfaces", "invalid input", "unconverted command", "not supported")


def _v6_entry(entry: Any) -> str | None:
    """``{"address": "2001:db8::1", "subnet": "2001:db8::1/64"}`` -> ``2001:db8::1/64`` (the
    subnet may keep the host bits; only its length is used)."""
    if not isinstance(entry, dict) or not entry.get("address"):
        return None
    length = str(entry.get("subnet") or "").rpartition("/")[2]
    return _addresses.ipv6(str(entry["address"]), length or None)


@shaped("show ipv6 interface | json")
def parse_ipv6_interfaces(text: str) -> list[_addresses.Listed]:
    """``show ipv6 interface | json``: every IPv6 interface (all VRFs, ``vrf`` in each), its
    ``addresses`` and its ``linkLocal`` (whose subnet, ``fe80::/64``, gives the length; a
    loopback has none). EOS answers ``No IPv6 configured interfaces`` when there are none."""
    if not text.strip():
        return []
    doc = load_json(text, "show ipv6 interface | json")
    if isinstance(doc, dict) and "errors" in doc:
        said = "; ".join(map(str, doc["errors"] or []))
        if any(m in said.lower() for m in _V6_NONE):
            return []
        raise ParseError(f"'show ipv6 interface | json' failed on the device: {said}")
    if not isinstance(doc, dict) or not isinstance(doc.get("interfaces"), dict):
        raise ParseError("'show ipv6 interface | json' has no 'interfaces' object")
    out = []
    for name, i in doc["interfaces"].items():
        if not isinstance(i, dict):
            continue
        row = _addresses.Listed(name=str(i.get("name") or name), vrf=str(i["vrf"]) if i.get("vrf") else None)
        for entry in i.get("addresses") or []:
            addr = _v6_entry(entry)
            if addr and addr not in row.ipv6:
                row.ipv6.append(addr)
        ll = i.get("linkLocal")
        if isinstance(ll, dict) and ll.get("address"):
            row.link_local = _addresses.link_local(str(ll["address"]), str(ll.get("subnet") or "").rpartition("/")[2])
        if "lineProtocolStatus" in i:
            row.oper_up = i["lineProtocolStatus"] == "up"
        if "interfaceStatus" in i:
            row.admin_up = i["interfaceStatus"] != "disabled"
        out.append(row)
    return out


def _sum(d: dict[str, Any], *keys: str) -> int | None:
    values = [to_int(d.get(k)) for k in keys]
    return sum(v for v in values if v is not None) if any(v is not None for v in values) else None


def _bgp_family(peers: dict[str, Any]) -> str:
    """The family of a summary that does not say (``show ip bgp summary`` or ``show ipv6 ...``):
    IPv4 peers or only link-local ones (RFC 5549 unnumbered, ``fe80::1%Et1``) mean IPv4 unicast."""
    addresses = [p.split("%")[0] for p in peers]
    if any(":" not in a for a in addresses):
        return "ipv4-unicast"
    if any(not a.lower().startswith("fe80:") for a in addresses):
        return "ipv6-unicast"
    return "ipv4-unicast"


_INACTIVE = ("bgp inactive", "bgp is not configured", "bgp is not running")


@shaped("show ip bgp summary | json")
def parse_bgp_summary(text: str, *, now: float | None = None, afi: str | None = None) -> BgpNeighbors:
    """``show ip|ipv6 bgp summary [vrf all] | json`` (or ``show bgp evpn summary | json``).

    ``afi`` is the family the command lists; without it, it is inferred from the peers (see
    :func:`_bgp_family`). AS numbers in asdot (``65002.2048``) come back asplain."""
    now = time.time() if now is None else now
    low = text.strip().lower().lstrip("% ")
    if any(low.startswith(m) for m in _INACTIVE):
        return BgpNeighbors(note=not_running_note("BGP", text.strip().splitlines()[0]))
    doc = _doc(text, "show ip bgp summary | json")
    if not isinstance(doc.get("vrfs"), dict):
        raise ParseError("'show ip bgp summary | json' has no 'vrfs' object")
    if doc["vrfs"] and not any(isinstance(v, dict) and ("peers" in v or "routerId" in v or "asn" in v)
                               for v in doc["vrfs"].values()):
        raise ParseError("'show ip bgp summary | json' output not recognised: no VRF has 'peers', 'routerId' or 'asn'")
    out = BgpNeighbors()
    if not doc["vrfs"]:
        out.note = not_running_note("BGP")
    family = afi or _bgp_family({p: 1 for v in doc["vrfs"].values() if isinstance(v, dict)
                                 for p in (v.get("peers") or {})})
    for vrf_name, vrf in doc["vrfs"].items():
        if not isinstance(vrf, dict):
            continue
        if vrf_name == "default" or out.router_id is None:
            out.router_id = vrf.get("routerId") or out.router_id
            out.local_as = to_asn(vrf.get("asn")) or out.local_as
        for peer, p in (vrf.get("peers") or {}).items():
            state = _bgp_table.state_name(str(p.get("peerState", "Unknown")))
            up = state == "Established"
            why = str(p.get("peerStateIdleReason") or "")  # "Admin", "NoInterface", ...
            raw = f"{p.get('peerState', 'Unknown')}" + (f" ({why})" if why else "")
            # upDownTime is the last state change: an uptime only while Established.
            seconds = _elapsed(p.get("upDownTime"), now) if up else None
            out.neighbors.append(BgpNeighbor(
                peer=peer, remote_as=to_asn(p.get("asn")), state=state, established=up,
                admin_down=why == "Admin" or _bgp_table.admin_down(raw), raw_state=raw,
                uptime=_hms(seconds), uptime_seconds=seconds,
                prefixes_received=to_int(p.get("prefixReceived")) if up else None,
                description=p.get("description") or None, vrf=vrf_name, afi_safi=family))
    return out


@shaped("show ip bgp summary")
def parse_bgp_summary_text(text: str, *, afi: str = "ipv4-unicast") -> BgpNeighbors:
    """Fallback: ``show ip bgp summary [vrf all]`` text (the Cisco-style table, every VRF)."""
    low = text.strip().lower().lstrip("% ")
    if any(low.startswith(m) for m in _INACTIVE):
        return BgpNeighbors(note=not_running_note("BGP", text.strip().splitlines()[0]))
    if text.lstrip().startswith("%"):
        raise ParseError(f"'show ip bgp summary' failed on the device: {text.strip().splitlines()[0]}")
    return _bgp_table.parse(text, afi=afi, command="show ip bgp summary")


@shaped("show ip ospf neighbor | json")
def parse_ospf_neighbors(text: str, *, now: float | None = None) -> OspfNeighbors:
    now = time.time() if now is None else now
    doc = _doc(text, "show ip ospf neighbor | json")
    if not isinstance(doc.get("vrfs"), dict):
        raise ParseError("'show ip ospf neighbor | json' has no 'vrfs' object")
    if doc["vrfs"] and not any(isinstance(v, dict) and "instList" in v for v in doc["vrfs"].values()):
        raise ParseError("'show ip ospf neighbor | json' output not recognised: no VRF has 'instList'")
    out = OspfNeighbors()
    if not doc["vrfs"]:
        out.note = not_running_note("OSPF")
    for vrf_name, vrf in doc["vrfs"].items():
        for inst in (vrf.get("instList") or {}).values():
            for n in inst.get("ospfNeighborEntries") or []:
                raw = str(n.get("adjacencyState", "unknown"))
                state = _OSPF_STATES.get(raw.lower(), raw.capitalize())
                dead = n.get("inactivity")
                out.neighbors.append(OspfNeighbor(
                    neighbor_id=n["routerId"], address=n.get("interfaceAddress"),
                    interface=n.get("interfaceName"), state=state, full=state == "Full",
                    role=_role(n.get("drState")), priority=to_int(n.get("priority")), vrf=str(vrf_name),
                    dead_time_seconds=max(0.0, float(dead) - now) if isinstance(dead, (int, float)) else None))
    return out


def _role(value: Any) -> str | None:
    if not value or str(value).lower() in ("p2p", "-", "none", "ptp"):
        return None
    return {"drother": "DROther"}.get(str(value).lower(), str(value))


@shaped("show ip ospf neighbor")
def parse_ospf_neighbors_text(text: str) -> OspfNeighbors:
    """Fallback: ``show ip ospf neighbor`` text through ntc-templates."""
    out = OspfNeighbors()
    if not text.strip():
        return OspfNeighbors(note=not_running_note("OSPF"))
    require(text, r"^\s*Neighbor ID\s", "show ip ospf neighbor", "EOS")
    for r in ntc("arista_eos", "show ip ospf neighbor", text):
        raw, _, role = r["state"].partition("/")
        state = _OSPF_STATES.get(raw.lower(), raw.capitalize())
        h, m, s = (r["dead_time"].split(":") + ["", "", ""])[:3]
        out.neighbors.append(OspfNeighbor(
            neighbor_id=r["neighbor_id"], address=r["ip_address"] or None, interface=r["interface"] or None,
            state=state, full=state == "Full", role=_role(role), priority=to_int(r["priority"]),
            dead_time_seconds=float(int(h) * 3600 + int(m) * 60 + int(s)) if s.isdigit() else None))
    return out


@shaped("show ip route | json")
def parse_route(text: str, query: str) -> RouteLookup:
    doc = _doc(text, f"show ip route {query} | json")
    if not isinstance(doc.get("vrfs"), dict):
        raise ParseError("'show ip route | json' has no 'vrfs' object")
    routes = (doc["vrfs"].get("default") or {}).get("routes") or {}
    # EOS returns the longest match; a reply that lists more (a whole table) answers with the
    # most specific route that covers the query
    prefix = most_specific(routes, query)
    if prefix is None:
        return RouteLookup(query=query, found=False)
    r = routes[prefix]
    kind = str(r.get("routeType", ""))
    protocol = _PROTOCOLS.get(kind.lower()) or ("ospf" if kind.lower().startswith("ospf") else kind or None)
    return RouteLookup(
        query=query, found=True, prefix=prefix, protocol=protocol,
        distance=to_int(r.get("preference")), metric=to_int(r.get("metric")),
        next_hops=[NextHop(address=v.get("nexthopAddr") or None, interface=v.get("interface") or None)
                   for v in r.get("vias") or []])


def facts(host: Any, read: Read) -> Facts:
    return parse_version(read("show version | json"), read("show hostname | json"), now=time.time())


def interfaces(host: Any, read: Read) -> Interfaces:
    """``show interfaces | json`` (state, counters, IPv4) joined with ``show ipv6 interface | json``."""
    return _addresses.with_addresses(parse_interfaces(read("show interfaces | json")), read,
                                     [("show ipv6 interface | json", parse_ipv6_interfaces)], what="IPv6 addresses")


BGP_FAMILIES = (
    ("show ip bgp summary vrf all", "ipv4-unicast"),
    ("show ipv6 bgp summary vrf all", "ipv6-unicast"),
    ("show bgp evpn summary", "l2vpn-evpn"),
)
"""One summary per address family, every VRF in each (EOS has no single all-families summary)."""


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    now = time.time()
    (first, afi), *others = BGP_FAMILIES
    text = read(f"{first} | json")
    # Very old EOS refuses "| json" here: the IPv4 table as text (the other families need JSON).
    out = parse_bgp_summary_text(read(first), afi=afi) if _no_json(text) else \
        parse_bgp_summary(text, now=now, afi=afi)
    for command, afi in others:
        text = read(f"{command} | json")
        if _no_json(text) or text.strip().startswith("%"):
            continue  # a family this device does not run or cannot show (e.g. no EVPN)
        part = parse_bgp_summary(text, now=now, afi=afi)
        out.neighbors.extend(part.neighbors)
        out.router_id = out.router_id or part.router_id
        out.local_as = out.local_as or part.local_as
    if out.neighbors:
        out.note = None
    return out


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    return json_or_text(read, "show ip ospf neighbor", parse_ospf_neighbors, parse_ospf_neighbors_text,
                        refused=_no_json)


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    return _json_first.route(read, prefix, parse_route)


def config(host: Any, read: Read) -> RunningConfig:
    return _json_first.running_config(read)


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}


from netops.devices.parsers.eos_peer_routes import PEER_GETTERS  # noqa: E402,F401  (bgp_advertised, bgp_received)
