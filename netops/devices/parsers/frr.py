"""FRRouting: getters from vtysh JSON output (``show ... json``) and ``show version``."""

from __future__ import annotations

import json

import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import (
    BgpNeighbor, BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop,
    OspfNeighbor, OspfNeighbors, RouteLookup, RunningConfig,
)
from netops.devices.parsers import ParseError, is_address, load_json, most_specific, not_running_note, to_asn, to_int
from netops.devices.parsers._bgp_table import admin_down, state_name
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error

Read = Callable[[str], str]

_VERSION = re.compile(r"FRRouting (?P<version>\S+) \((?P<hostname>[^)]*)\)(?: on (?P<os>[^\r\n]+?))?\.?\r?$", re.M)
_AFI = {"ipv4Unicast": "ipv4-unicast", "ipv6Unicast": "ipv6-unicast", "l2VpnEvpn": "l2vpn-evpn",
        "ipv4Multicast": "ipv4-multicast", "ipv6Multicast": "ipv6-multicast", "ipv4Vpn": "vpnv4-unicast",
        "ipv6Vpn": "vpnv6-unicast", "ipv4LabeledUnicast": "ipv4-labeled-unicast",
        "ipv6LabeledUnicast": "ipv6-labeled-unicast", "ipv4Flowspec": "ipv4-flowspec",
        "ipv6Flowspec": "ipv6-flowspec"}
_OFF = ("instance not found", "not enabled", "is not running", "not running", "no bgp", "no ospf")


@shaped("show version")
def parse_version(text: str) -> Facts:
    m = _VERSION.search(text)
    if not m:
        raise ParseError(f"'show version' output is not FRRouting's: {text.strip()[:80]!r}")
    return Facts(hostname=m.group("hostname"), vendor="FRRouting", platform="frr",
                 os_version=m.group("version"), model=(m.group("os") or "").strip() or None)


def parse_uptime(text: str) -> float | None:
    """Seconds from zebra's ``show zebra ...`` style ``HH:MM:SS`` or ``XdYYhZZm`` uptimes."""
    return uptime_seconds(text.strip()) if text.strip() else None


def uptime_seconds(value: str | None) -> float | None:
    """FRR uptimes: ``00:01:02``, ``1d02h03m``, ``2w3d04h``."""
    if not value:
        return None
    value = value.strip()
    m = re.fullmatch(r"(\d+):(\d+):(\d+)", value)
    if m:
        h, mi, s = map(int, m.groups())
        return float(h * 3600 + mi * 60 + s)
    units = {"y": 31536000, "w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([ywdhms])", value)
    if parts and "".join(n + u for n, u in parts) == value:
        return float(sum(int(n) * units[u] for n, u in parts))
    return None


def _off(text: str) -> str | None:
    said = device_error(text)
    return said if said and any(m in said.lower() for m in _OFF) else None


_AFI_KEYS = {v: k for k, v in _AFI.items()}


@shaped("show bgp summary json")
def parse_bgp_summary(text: str, *, afi: str = "ipv4-unicast") -> BgpNeighbors:
    """``show bgp summary json`` (families of the default VRF) or ``show bgp vrf all summary json``
    (VRF name -> families). ``{}`` / ``% BGP instance not found``: not configured (a note).
    A command naming the family and SAFI (``show bgp ipv4 unicast summary json``, ``show bgp
    ipv6 unicast summary json``; FRR 8.4 in our lab) prints that family's document bare
    (``peers`` at the top, no family key): it is read as ``afi``."""
    said = _off(text)
    if said:
        return BgpNeighbors(note=not_running_note("BGP", said))
    doc = load_json(text, "show bgp summary json")
    if not isinstance(doc, dict):
        raise ParseError("'show bgp summary json' is not a JSON object")
    if not doc:
        return BgpNeighbors(note=not_running_note("BGP"))
    if isinstance(doc.get("peers"), dict):
        doc = {_AFI_KEYS.get(afi, afi): doc}
    by_family = any(isinstance(v, dict) and "peers" in v for v in doc.values())
    vrfs = {"default": doc} if by_family else doc
    out = BgpNeighbors()
    default_seen = False
    for vrf_name, families in vrfs.items():
        if not isinstance(families, dict):
            continue
        for afi_key, afi in families.items():
            if not isinstance(afi, dict) or "peers" not in afi:
                continue
            if not default_seen:  # the default VRF's identity wins; else the first listed
                out.router_id = afi.get("routerId") or out.router_id
                out.local_as = to_asn(afi.get("as")) or out.local_as
                default_seen = vrf_name == "default"
            for peer, p in (afi.get("peers") or {}).items():
                raw = str(p.get("state", "Unknown"))
                # FRR 8.4 prints "Idle (Admin)" in "state"; others print "Idle" and give the reason
                # in a field of its own ("peerState": "OK", "Admin", "PfxCt", "Policy")
                why = str(p.get("peerState") or "")
                if why and why != "OK" and "(" not in raw:
                    raw = f"{raw} ({why})"
                state = state_name(raw)
                up = state == "Established"
                # When down, FRR's peerUptime is the time since the session dropped: not an uptime,
                # but how long it has been down ("never" for one never up: no msec then, or 0)
                ms = p.get("peerUptimeMsec")
                down_for = ms / 1000.0 if not up and isinstance(ms, (int, float)) and ms > 0 \
                    and str(p.get("peerUptime", "")).lower() != "never" else None
                out.neighbors.append(BgpNeighbor(
                    peer=peer,
                    remote_as=to_asn(p.get("remoteAs")),
                    state=state,
                    established=up,
                    admin_down=why == "Admin" or admin_down(raw),
                    raw_state=raw,
                    uptime=p.get("peerUptime") if up else None,
                    uptime_seconds=(p["peerUptimeMsec"] / 1000.0) if up and isinstance(p.get("peerUptimeMsec"), (int, float)) else None,
                    down_seconds=down_for,
                    # older FRR releases print only prefixReceivedCount
                    prefixes_received=to_int(p.get("pfxRcd", p.get("prefixReceivedCount"))) if up else None,
                    description=p.get("desc") or None,
                    hostname=p.get("hostname") or None,
                    vrf=afi.get("vrfName") or vrf_name,
                    afi_safi=_AFI.get(afi_key, afi_key),
                ))
    return out


def _ospf_uptime(n: dict) -> float | None:
    """An OSPF neighbour's ``upTimeInMsec`` (or its ``upTime`` text, "30.556s", "1h02m03s") in seconds."""
    ms = n.get("upTimeInMsec")
    if isinstance(ms, (int, float)) and not isinstance(ms, bool):
        return ms / 1000.0
    text = str(n.get("upTime") or "").strip()
    m = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?", text)
    if not text or m is None:
        return None
    d, h, mi, sec = (float(x) if x else 0.0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + sec


@shaped("show ip ospf neighbor json")
def parse_ospf_neighbors(text: str) -> OspfNeighbors:
    said = _off(text)
    if said:
        return OspfNeighbors(note=not_running_note("OSPF", said))
    doc = load_json(text, "show ip ospf neighbor json")
    if not isinstance(doc, dict):
        raise ParseError("'show ip ospf neighbor json' is not a JSON object")
    # FRR prints {} when OSPF is not configured; Cumulus' FRR prints the neighbours' map itself,
    # without the "neighbors" key ({"10.0.0.2": [{...}]})
    neighbors = doc["neighbors"] if "neighbors" in doc else \
        {k: v for k, v in doc.items() if isinstance(v, list) and is_address(k)}
    if "neighbors" not in doc and not neighbors:
        return OspfNeighbors(note=not_running_note("OSPF"))
    out = OspfNeighbors()
    for nid, entries in (neighbors or {}).items():
        for n in entries if isinstance(entries, list) else [entries]:
            # a saved capture can keep the escape of "Full\/DR" as a backslash
            raw_state = str(n.get("nbrState") or n.get("state") or "Unknown").replace("\\", "")
            state, _, role = raw_state.partition("/")
            iface = n.get("ifaceName")
            out.neighbors.append(OspfNeighbor(
                neighbor_id=nid,
                address=n.get("ifaceAddress") or n.get("address"),
                interface=iface.split(":")[0] if isinstance(iface, str) else None,
                state=state,
                full=state == "Full",
                # "Full/-": no DR election on point-to-point links, whatever "role" says.
                role=role if role and role != "-" else None,
                dead_time_seconds=(n["deadTimeMsecs"] / 1000.0) if isinstance(n.get("deadTimeMsecs"), (int, float)) else None,
                priority=to_int(n.get("nbrPriority", n.get("priority"))),
                uptime_seconds=_ospf_uptime(n),
            ))
    return out


@shaped("show interface json")
def parse_interfaces(text: str) -> Interfaces:
    doc = load_json(text, "show interface json")
    out = Interfaces()
    for name, i in doc.items():
        if not isinstance(i, dict):
            continue
        counters = None
        if any(k in i for k in ("inputPackets", "outputPackets")):
            counters = InterfaceCounters(
                rx_packets=to_int(i.get("inputPackets")), tx_packets=to_int(i.get("outputPackets")),
                rx_bytes=to_int(i.get("inputBytes")), tx_bytes=to_int(i.get("outputBytes")),
                rx_errors=to_int(i.get("inputErrors")), tx_errors=to_int(i.get("outputErrors")),
            )
        out.interfaces.append(Interface(
            name=name,
            admin_up=str(i.get("administrativeStatus", "")).lower() == "up",
            oper_up=str(i.get("operationalStatus", "")).lower() == "up",
            description=i.get("description") or None,
            addresses=[a["address"] for a in i.get("ipAddresses", []) if isinstance(a, dict) and "address" in a],
            mtu=to_int(i.get("mtu")),
            mac=i.get("hardwareAddress") or None,
            counters=counters,
            vrf=i["vrfName"] if i.get("vrfName") and str(i["vrfName"]).lower() != "default" else None,
        ))
    return out


@shaped("show ip route json")
def parse_route(text: str, query: str) -> RouteLookup:
    if text.strip().startswith("%"):
        line = text.strip().splitlines()[0]
        if "not in table" in line.lower():  # "% Network not in table": no route
            return RouteLookup(query=query, found=False)
        # "% Unknown command: ...", "% VRF mgmt not found": no answer, never "no route"
        raise ParseError(f"'show ip route {query} json' failed on the device: {line}")
    doc = load_json(text, f"show ip route {query} json")
    if not isinstance(doc, dict):
        raise ParseError(f"'show ip route {query} json' is not a JSON object")
    # FRR answers with the longest match; a document that holds more (the whole table) answers
    # with the most specific route that covers the query
    prefix = most_specific(doc, query)
    if prefix is not None:
        entries = doc[prefix]
        routes = entries if isinstance(entries, list) else [entries]
        best: dict[str, Any] | None = next((r for r in routes if r.get("selected")), None) or (routes[0] if routes else None)
        if best is None:
            return RouteLookup(query=query, found=False)
        return RouteLookup(
            query=query, found=True, prefix=best.get("prefix", prefix), protocol=best.get("protocol"),
            distance=to_int(best.get("distance")), metric=to_int(best.get("metric")),
            uptime=best.get("uptime"),
            next_hops=[NextHop(address=nh.get("ip"), interface=nh.get("interfaceName"),
                               active=bool(nh.get("active", False)),
                               discard=bool(nh.get("blackhole") or nh.get("unreachable") or nh.get("reject")))
                       for nh in best.get("nexthops", [])],
        )
    return RouteLookup(query=query, found=False)


def _family(query: str) -> str:
    return "ipv6" if ":" in query else "ip"


def facts(host: Any, read: Read) -> Facts:
    return parse_version(read("show version"))


def interfaces(host: Any, read: Read) -> Interfaces:
    return parse_interfaces(read("show interface json"))


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    out = with_vrfs(parse_bgp_summary(read("show bgp summary json")), read("show bgp vrf all summary json"))
    if any(not n.established and not n.admin_down and n.vrf == "default" for n in out.neighbors):
        # a session down: why, from the peer's own record (trial36: r2's session to r3 was "Idle" and
        # nothing said the far end's OPEN carried the wrong AS); read only when one is down
        try:
            detail = read("show bgp neighbors json")
        except Exception:  # a router that refuses it keeps the summary's view
            return out
        with_last_errors(out, detail)
    return out


_SENT = {"BGP Notification send": "sent by this router", "BGP Notification received": "received from the peer"}


def with_last_errors(out: BgpNeighbors, text: str) -> BgpNeighbors:
    """Each down default-VRF peer's :attr:`~BgpNeighbor.last_error` from ``show bgp neighbors json``
    (``lastNotificationReason`` with who sent it, else ``lastResetDueTo``); unchanged when the output
    is an error or not JSON."""
    if device_error(text):
        return out
    try:
        doc = json.loads(text)
    except ValueError:
        return out
    if not isinstance(doc, dict):
        return out
    for n in out.neighbors:
        peer = doc.get(n.peer)
        if n.established or n.vrf != "default" or not isinstance(peer, dict):
            continue
        due = str(peer.get("lastResetDueTo") or "").strip()
        why = str(peer.get("lastNotificationReason") or "").strip()
        if why and due in _SENT:
            n.last_error = f"{why} ({_SENT[due]})"
        elif due and due.lower() not in ("no reason", "unknown"):
            n.last_error = due
    return out


def with_vrfs(default: BgpNeighbors, vrf_all: str) -> BgpNeighbors:
    """The default VRF's summary plus the peers of every other VRF (from ``show bgp vrf all
    summary json``; a router that refuses it keeps the default VRF's view)."""
    if device_error(vrf_all):
        return default
    try:
        every = parse_bgp_summary(vrf_all)
    except ParseError:
        return default
    default.neighbors.extend(n for n in every.neighbors if n.vrf != "default")
    if default.neighbors:
        default.note = None
    return default


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    return parse_ospf_neighbors(read("show ip ospf neighbor json"))


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    return parse_route(read(f"show {_family(prefix)} route {prefix} json"), prefix)


def config(host: Any, read: Read) -> RunningConfig:
    return RunningConfig(text=read("show running-config"))


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}

from netops.devices.parsers.frr_rib import RIB_GETTERS  # noqa: E402,F401  (routes, bgp_routes)
from netops.devices.parsers.frr_peer_routes import PEER_GETTERS  # noqa: E402,F401  (bgp_advertised, bgp_received)
