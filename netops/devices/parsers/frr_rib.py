"""FRRouting: the routing-table and BGP-table reads behind a route diagnosis.

``routes``      ``show ip route P longer-prefixes json``: every route at P or inside it, from
                every protocol, chosen or not (zebra keeps the losers too).
``bgp_routes``  ``show bgp ipv4 unicast P longer-prefixes json``: the BGP table's paths at P
                or inside it, with the peer each came from (and its host name when the peer
                sent FRR's hostname capability).
``bgp_inbound``  ``show bgp neighbors json``: each peer's inbound/outbound policy; for peers
                with soft-reconfiguration inbound also ``show bgp ipv4 unicast neighbors X
                received-routes json`` (what they sent before policy), kept at or inside P.

Both are typed getters (``DeviceService.get(host, "routes", prefix=...)``) that a platform
offers through ``RIB_GETTERS``; a platform without them reports the getter as unsupported.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import (BgpInbound, BgpPath, BgpPeerPolicy, BgpRoutes, NextHop, PrefixListMatch, RibRoute,
                                   RouteMapMatch,
                                   RouteSet)
from netops.devices.parsers import ParseError, load_json, not_running_note, to_int
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error
from netops.errors import Cancelled, DeviceError

Read = Callable[[str], str]


def _family(prefix: str) -> str:
    return "ipv6" if ipaddress.ip_network(prefix, strict=False).version == 6 else "ipv4"


def as_path(entry: dict[str, Any]) -> str:
    """A path's AS path: ``path`` since FRR 8, ``aspath`` before (Cumulus Linux 4.x); a detail
    view's ``{"string": ...}``."""
    value = entry.get("path", entry.get("aspath", ""))
    return str(value.get("string", "") if isinstance(value, dict) else value)


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
                                   active=bool(nh.get("active", False)),
                               discard=bool(nh.get("blackhole") or nh.get("unreachable") or nh.get("reject"))) for nh in r.get("nexthops", [])],
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
                as_path=as_path(p), origin=p.get("origin"),
                valid=bool(p.get("valid", False)), best=bool(p.get("bestpath", False)),
                reason=p.get("selectionReason"),
            ))
    return out


def routes(host: Any, read: Read, *, prefix: str) -> RouteSet:
    return parse_routes(read(routes_command(prefix)), prefix)


def bgp_routes(host: Any, read: Read, *, prefix: str) -> BgpRoutes:
    return parse_bgp_routes(read(bgp_command(prefix)), prefix)


_POLICY_KINDS = (("PrefixFilterList", "prefix-list"), ("NetworkFilterList", "distribute-list"),
                 ("AsPathFilterList", "filter-list"), ("FilterList", "filter-list"), ("RouteMap", "route-map"),
                 ("routeMap", "route-map"))


def _policy(key: str, value: Any) -> tuple[str, str] | None:
    """``("in", "prefix-list NAME")`` for FRR's per-family policy keys
    (``incomingUpdatePrefixFilterList``, ``routeMapForOutgoingAdvertisements``, ...)."""
    low = key.lower()
    direction = "in" if ("incoming" in low or low.startswith("inbound")) else (
        "out" if ("outgoing" in low or low.startswith("outbound")) else None)
    if direction is None or not isinstance(value, str) or not value:
        return None
    kind = next((k for marker, k in _POLICY_KINDS if marker in key), key)
    return direction, f"{kind} {value}"


@shaped("show bgp neighbors json")
def parse_peer_policies(text: str, family: str) -> list[BgpPeerPolicy]:
    """Per peer, the policies of ``family`` (``ipv4`` or ``ipv6``) unicast."""
    if device_error(text):
        return []
    doc = load_json(text, "show bgp neighbors json")
    key = f"{family}Unicast"
    out = []
    for peer, n in (doc or {}).items():
        if not isinstance(n, dict):
            continue
        af = (n.get("addressFamilyInfo") or {}).get(key)
        if not isinstance(af, dict):
            continue
        pol = BgpPeerPolicy(peer=peer, peer_name=n.get("hostname") or n.get("nbrDesc") or None,
                            afi_safi=f"{family}-unicast", soft_reconfig_inbound=bool(af.get("inboundSoftConfigPermit")),
                            accepted_prefixes=to_int(af.get("acceptedPrefixCounter")))
        for k, v in af.items():
            found = _policy(k, v)
            if found:
                (pol.inbound if found[0] == "in" else pol.outbound).append(found[1])
        out.append(pol)
    return out


@shaped("show bgp neighbors received-routes json")
def parse_received(text: str, peer: str, query: str) -> list[BgpPath]:
    """What ``peer`` sent before inbound policy, kept at or inside ``query``."""
    if device_error(text):
        return []
    doc = load_json(text, "received-routes json")
    if not isinstance(doc, dict) or "receivedRoutes" not in doc:
        return []  # {"warning": "Inbound soft reconfiguration not enabled"}
    net = ipaddress.ip_network(query, strict=False)
    out = []
    for prefix, r in (doc.get("receivedRoutes") or {}).items():
        try:
            n = ipaddress.ip_network(r.get("network") or prefix, strict=False)
        except ValueError:
            continue
        if n.version != net.version or not n.subnet_of(net):
            continue
        out.append(BgpPath(prefix=str(n), peer=peer, next_hop=r.get("nextHop"), as_path=as_path(r),
                           origin=r.get("bgpOriginCode"), valid=bool((r.get("appliedStatusSymbols") or {}).get("*")),
                           best=False))
    return out


def bgp_inbound(host: Any, read: Read, *, prefix: str) -> BgpInbound:
    fam = _family(prefix)
    text = read("show bgp neighbors json")
    said = device_error(text)
    if said and any(m in said.lower() for m in ("not found", "not running", "no bgp")):
        return BgpInbound(query=prefix, note=not_running_note("BGP", said))
    out = BgpInbound(query=prefix, peers=parse_peer_policies(text, fam))
    unread = []
    for p in out.peers:
        if p.soft_reconfig_inbound:
            try:  # a peer's whole Adj-RIB-In can be larger than netops reads: keep the policies then
                text = read(received_command(p.peer, prefix))
            except Cancelled:
                raise
            except DeviceError as exc:
                unread.append(f"{p.peer}: {exc}")
                continue
            for path in parse_received(text, p.peer, prefix):
                path.peer_name = p.peer_name
                out.received.append(path)
    if unread:
        out.note = "what these peers sent before policy could not be read: " + "; ".join(unread)
    lists = [rule.split(" ", 1)[1] for p in out.peers for rule in p.inbound if rule.startswith("prefix-list ")]
    failed = []
    for name in dict.fromkeys(lists):
        try:
            text = read(prefix_list_command(name, prefix))
            out.prefix_lists.append(prefix_list_match(parse_prefix_list(text, name), name, prefix))
        except Cancelled:
            raise
        except (DeviceError, ParseError) as exc:  # the policies and paths read are still good
            failed.append(f"prefix-list {name}: {exc}")
    maps = [rule.split(" ", 1)[1] for p in out.peers for rule in p.inbound if rule.startswith("route-map ")]
    for name in dict.fromkeys(maps):  # trial36: r1's route-map FROM-R3 dropped r3's prefix, and was only named
        try:
            out.route_maps.append(route_map_match(parse_route_map(read(f"show route-map {name} json"), name), name,
                                                  prefix, lambda pl: parse_prefix_list(read(prefix_list_command(pl, prefix)), pl)))
        except Cancelled:
            raise
        except (DeviceError, ParseError, ValueError) as exc:
            failed.append(f"route-map {name}: {exc}")
    if failed:
        out.note = "; ".join(x for x in (out.note, "could not read " + "; ".join(failed)) if x)
    return out


def _docs(text: str) -> list[Any]:
    """Every JSON document vtysh printed, one per daemon (``{"ZEBRA": ...}{"OSPF": ...}{"BGP": ...}``)."""
    decoder, docs, at, text = json.JSONDecoder(), [], 0, text.strip()
    while at < len(text):
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)
        while at < len(text) and text[at].isspace():
            at += 1
    return docs


@shaped("show route-map json")
def parse_route_map(text: str, name: str) -> list[dict[str, Any]] | None:
    """The rules of route-map ``name`` as bgpd holds it (``sequenceNumber``, ``type``, ``matchClauses``),
    or None when it is not defined."""
    said = device_error(text)
    if said:
        if "can't find" in said.lower() or "cannot find" in said.lower() or "not found" in said.lower():
            return None
        raise ParseError(f"'show route-map {name} json': {said}")
    docs = [d for d in _docs(text) if isinstance(d, dict)]
    bgp = next((d["BGP"] for d in docs if isinstance(d.get("BGP"), dict)), None)
    found = bgp.get(name) if bgp is not None else next((v[name] for d in docs for v in d.values()
                                                        if isinstance(v, dict) and name in v), None)
    return list(found.get("rules") or []) if isinstance(found, dict) else None


_MATCH_PREFIX_LIST = re.compile(r"^ipv?6?\s+address\s+prefix-list\s+(\S+)$")


def route_map_match(rules: list[dict[str, Any]] | None, name: str, prefix: str,
                    prefix_list: "Callable[[str], list[dict[str, Any]] | None]") -> RouteMapMatch:
    """``rules`` applied to ``prefix`` as the router applies a route-map: entries by sequence number, all
    match clauses of an entry must match (none: it matches everything), the first entry that matches
    decides, none matching denies. A clause other than ``ip address prefix-list`` stops the verdict
    (:attr:`RouteMapMatch.unknown`). ``prefix_list(name)`` reads a prefix-list's entries."""
    if rules is None:
        return RouteMapMatch(name=name)
    for r in sorted(rules, key=lambda r: to_int(r.get("sequenceNumber")) or 0):
        seq, kind = to_int(r.get("sequenceNumber")), str(r.get("type") or "").lower()
        why = []
        for clause in r.get("matchClauses") or []:
            m = _MATCH_PREFIX_LIST.match(str(clause).strip())
            if m is None:
                return RouteMapMatch(name=name, unknown=f"{kind} {seq}: match {clause}")
            pl = prefix_list_match(prefix_list(m.group(1)), m.group(1), prefix)
            if pl.action != "permit":
                break  # this entry does not match
            why.append(f"match {clause}: its entry '{pl.entry}'")
        else:
            said = f"{kind} {seq}" + (f" ({'; '.join(why)})" if why else " (no match clause: every route)")
            return RouteMapMatch(name=name, action=kind or None, entry=said)
    return RouteMapMatch(name=name, action="deny")


def received_command(peer: str, prefix: str) -> str:
    return f"show bgp {_family(prefix)} unicast neighbors {peer} received-routes json"


def prefix_list_command(name: str, prefix: str) -> str:
    return f"show {'ipv6' if _family(prefix) == 'ipv6' else 'ip'} prefix-list {name} json"


@shaped("show ip prefix-list json")
def parse_prefix_list(text: str, name: str) -> list[dict[str, Any]] | None:
    """The entries of prefix-list ``name`` as bgpd holds it, or None when it is not defined. vtysh
    prints one JSON document per daemon (``{"ZEBRA": {...}}{"OSPF": {...}}{"BGP": {...}}``)."""
    said = device_error(text)
    if said:  # FRR's text form for a list it does not have; anything else is no answer at all
        if "can't find" in said.lower() or "cannot find" in said.lower():
            return None
        raise ParseError(f"'show ip prefix-list {name} json': {said}")
    decoder, docs, at, text = json.JSONDecoder(), [], 0, text.strip()
    while at < len(text):
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)
        while at < len(text) and text[at].isspace():
            at += 1
    if not docs:  # FRR 8.4 prints nothing for a list it does not have
        return None
    held = [d for doc in docs if isinstance(doc, dict) for d in doc.values() if isinstance(d, dict) and name in d]
    bgp = next((doc["BGP"] for doc in docs if isinstance(doc, dict) and isinstance(doc.get("BGP"), dict)), None)
    found = bgp.get(name) if bgp is not None else (held[0].get(name) if held else None)
    if found is None:
        return None
    return list(found.get("entries") or [])


def prefix_list_match(entries: list[dict[str, Any]] | None, name: str, prefix: str) -> PrefixListMatch:
    """The first entry of ``entries`` that matches ``prefix`` (its network inside the entry's, its
    length the entry's, or within ``ge``/``le``), as a router applies a prefix-list."""
    if entries is None:
        return PrefixListMatch(name=name)
    net = ipaddress.ip_network(prefix, strict=False)
    for e in sorted(entries, key=lambda e: to_int(e.get("sequenceNumber")) or 0):
        try:
            ent = ipaddress.ip_network(str(e.get("prefix")), strict=False)
        except ValueError:
            continue
        ge, le = to_int(e.get("minimumPrefixLength")), to_int(e.get("maximumPrefixLength"))
        if ent.version != net.version or not net.subnet_of(ent):
            continue
        low = ge if ge is not None else ent.prefixlen
        high = le if le is not None else (net.max_prefixlen if ge is not None else ent.prefixlen)
        if low <= net.prefixlen <= high:
            seq, action = to_int(e.get("sequenceNumber")), str(e.get("type") or "").lower()
            said = " ".join(x for x in (f"seq {seq}" if seq is not None else "", action, str(ent),
                                        f"ge {ge}" if ge is not None else "", f"le {le}" if le is not None else "") if x)
            return PrefixListMatch(name=name, action=action, entry=said)
    return PrefixListMatch(name=name, action="deny")


RIB_GETTERS = {"routes": routes, "bgp_routes": bgp_routes, "bgp_inbound": bgp_inbound}
