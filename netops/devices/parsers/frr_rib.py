"""FRRouting: the routing-table and BGP-table reads behind a route diagnosis.

``routes``      ``show ip route P longer-prefixes json``: every route at P or inside it, from
                every protocol, chosen or not (zebra keeps the losers too).
``bgp_routes``  ``show bgp ipv4 unicast P longer-prefixes json``: the BGP table's paths at P
                or inside it, with the peer each came from (and its host name when the peer
                sent FRR's hostname capability).

Both are typed getters (``DeviceService.get(host, "routes", prefix=...)``) that a platform
offers through ``RIB_GETTERS``; a platform without them reports the getter as unsupported.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpRoutes, NextHop, RibRoute, RouteSet
from netops.devices.parsers import ParseError, load_json, not_running_note, to_int
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error

Read = Callable[[str], str]


def _family(prefix: str) -> str:
    return "ipv6" if ipaddress.ip_network(prefix, strict=False).version == 6 else "ipv4"


def routes_command(prefix: str) -> str:
    return f"show {'ipv6' if _family(prefix) == 'ipv6' else 'ip'} route {prefix} longer-prefixes json"


def bgp_command(prefix: str) -> str:
    return f"show bgp {_family(prefix)} unicast {prefix} longer-prefixes json"


@shaped("show ip route longer-prefixes json")
def parse_routes(text: str, query: str) -> RouteSet:
    """Zebra's ``{prefix: [route, ...]}``; ``{}`` or ``% Network not in table`` is an empty set."""
    if device_error(text):
        return RouteSet(query=query)
    doc = load_json(text, f"show ip route {query} longer-prefixes json")
    if not isinstance(doc, dict):
        raise ParseError("'show ip route ... longer-prefixes json' is not a JSON object")
    out = RouteSet(query=query)
    for prefix, entries in doc.items():
        for r in entries if isinstance(entries, list) else [entries]:
            out.routes.append(RibRoute(
                prefix=r.get("prefix", prefix), protocol=r.get("protocol"),
                selected=bool(r.get("selected", False)),
                installed=bool(r.get("installed", False)) if r.get("selected") else None,
                distance=to_int(r.get("distance")), metric=to_int(r.get("metric")),
                next_hops=[NextHop(address=nh.get("ip"), interface=nh.get("interfaceName"),
                                   active=bool(nh.get("active", False))) for nh in r.get("nexthops", [])],
            ))
    return out


@shaped("show bgp longer-prefixes json")
def parse_bgp_routes(text: str, query: str) -> BgpRoutes:
    """bgpd's ``{"routes": {prefix: [path, ...]}, ...}``; ``% BGP instance not found``: a note."""
    said = device_error(text)
    if said:
        low = said.lower()
        if "not found" in low or "not running" in low or "not enabled" in low or "no bgp" in low:
            return BgpRoutes(query=query, note=not_running_note("BGP", said))
        return BgpRoutes(query=query)  # "% Network not in table"
    doc = load_json(text, f"show bgp {query} longer-prefixes json")
    if not isinstance(doc, dict):
        raise ParseError("'show bgp ... longer-prefixes json' is not a JSON object")
    if not doc:
        return BgpRoutes(query=query, note=not_running_note("BGP"))
    out = BgpRoutes(query=query)
    for prefix, paths in (doc.get("routes") or {}).items():
        for p in paths if isinstance(paths, list) else [paths]:
            hops = p.get("nexthops") or []
            peer = p.get("peerId")
            local = peer in (None, "", "(unspec)")
            out.paths.append(BgpPath(
                prefix=p.get("network") or prefix,
                peer=None if local else str(peer),
                peer_name=None if local else next((h.get("hostname") for h in hops if h.get("hostname")), None),
                next_hop=next((h.get("ip") for h in hops if h.get("ip")), None),
                as_path=str(p.get("path", "")), origin=p.get("origin"),
                valid=bool(p.get("valid", False)), best=bool(p.get("bestpath", False)),
                reason=p.get("selectionReason"),
            ))
    return out


def routes(host: Any, read: Read, *, prefix: str) -> RouteSet:
    return parse_routes(read(routes_command(prefix)), prefix)


def bgp_routes(host: Any, read: Read, *, prefix: str) -> BgpRoutes:
    return parse_bgp_routes(read(bgp_command(prefix)), prefix)


RIB_GETTERS = {"routes": routes, "bgp_routes": bgp_routes}
