"""Juniper Junos: getters from ``| display json`` output.

Junos JSON mirrors its XML: every element is a list of objects and every leaf is
``[{"data": "value", "attributes": {...}}]``; an empty element is ``[{"data": [null]}]``.
Durations carry exact seconds in a ``junos:seconds`` attribute. ``| display xml`` (NETCONF)
replies are read too, converted to that shape (:func:`xml_as_json`). Routers without JSON support
(before 14.2) answer with a syntax error; for them the BGP and OSPF getters fall back to the
text output (OSPF through ntc-templates; BGP through our own line parser, see
:func:`parse_bgp_summary_text`). ``router_id``/``local_as`` are not in ``show bgp summary``
and stay ``None``.

Tested on captures from vMX 25.4, vQFX 17.4 and NAPALM's published NETCONF replies, plus output
written after Juniper's documented shapes (``tests/fixtures/devices/juniper_junos/README.md``).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import (
    BgpNeighbor, BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop,
    OspfNeighbor, OspfNeighbors, RouteLookup, RunningConfig,
)
from netops.devices.parsers import ParseError, most_specific, not_running_note, load_json, require, to_asn, to_int
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import ntc

Read = Callable[[str], str]

_PROMPT_LINE = re.compile(r"^\{(master|backup|primary|linecard)[^}]*\}\s*$", re.M)
_OSPF_STATES = {"2way": "2-Way", "exstart": "ExStart"}
_PROTOCOLS = {"direct": "connected", "local": "local", "static": "static", "bgp": "bgp", "ospf": "ospf",
              "ospf3": "ospf", "isis": "isis", "aggregate": "aggregate"}


# -- Junos JSON access ----------------------------------------------------------------------------

def _items(node: Any, key: str) -> list[dict[str, Any]]:
    value = node.get(key) if isinstance(node, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _leaf(node: Any, key: str) -> Any:
    items = _items(node, key)
    if not items:
        return None
    data = items[0].get("data")
    return None if isinstance(data, list) else data  # [null]: an empty element


def _has(node: Any, key: str) -> bool:
    return bool(_items(node, key))


def _seconds(node: Any, key: str) -> float | None:
    items = _items(node, key)
    attrs = items[0].get("attributes") or {} if items else {}
    seconds = to_int(attrs.get("junos:seconds"))
    return float(seconds) if seconds is not None else duration_seconds(_leaf(node, key))


def duration_seconds(value: str | None) -> float | None:
    """Junos durations: ``44``, ``3:08:44``, ``6d 3:08:44``, ``1w2d 3:08:44``, ``3w6d 05:18``, and
    the units-only form older releases print in a BGP summary (``6w3d17h``, ``9w5d6h``)."""
    if not value:
        return None
    units = re.fullmatch(r"\s*(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?\s*", value)
    if units and any(units.groups()) and re.search(r"[hms]\s*$", value):
        w, d, h, mi, s = (int(x) if x else 0 for x in units.groups())
        return float(w * 604800 + d * 86400 + h * 3600 + mi * 60 + s)
    m = re.fullmatch(r"\s*(?:(\d+)w)?(?:(\d+)d)?\s*(?:(\d+):)?(\d+)(?::(\d+))?\s*", value)
    if not m:
        return None
    w, d, a, b, c = (int(x) if x else 0 for x in m.groups())
    if m.group(5) is not None:  # h:mm:ss
        h, mi, s = a, b, c
    elif m.group(3) is not None:  # "3w6d 05:18" is hh:mm; "3:08" alone is mm:ss
        h, mi, s = (a, b, 0) if (m.group(1) or m.group(2)) else (0, a, b)
    else:
        h, mi, s = 0, 0, b
    return float(w * 604800 + d * 86400 + h * 3600 + mi * 60 + s)


def xml_as_json(text: str) -> dict[str, Any]:
    """A ``| display xml`` (or NETCONF RPC) reply in the shape of ``| display json``:
    ``{"tag": [{"data": ..., "attributes": {"junos:seconds": ...}}]}``, namespaces dropped."""
    import xml.etree.ElementTree as ET  # expat >= 2.4 refuses entity expansion bombs

    def local(name: str) -> str:
        return name.rsplit("}", 1)[-1]

    def attrs(el: ET.Element) -> dict[str, str]:
        return {("junos:" if k.startswith("{http://xml.juniper.net/junos") or k in ("seconds", "format", "style")
                 else "") + local(k): v for k, v in el.attrib.items()}

    def node(el: ET.Element) -> dict[str, Any]:
        children = list(el)
        if not children:
            text_ = (el.text or "").strip()
            out: dict[str, Any] = {"data": text_ if text_ else [None]}
        else:
            out = {}
            for child in children:
                out.setdefault(local(child.tag), []).append(node(child))
        if el.attrib:
            out["attributes"] = attrs(el)
        return out

    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ParseError(f"Junos XML output is not well-formed: {exc}") from exc
    return {local(root.tag): [node(root)]}


def _xml_part(text: str) -> str | None:
    """The XML reply in ``text``: all of it when it starts with ``<``; saved from a session (the
    ``user@host> show ... | display xml`` echo above it, the prompt below), from its first to its
    last element line. None when ``text`` is not XML."""
    if text.startswith("<"):
        return text
    lines = text.splitlines()
    tags = [i for i, line in enumerate(lines) if line.lstrip().startswith("<")]
    if not tags or ("rpc-reply" not in text and not lines[0].rstrip().endswith("display xml")):
        return None
    return "\n".join(lines[tags[0]:tags[-1] + 1])


def _doc(text: str, command: str, root: str | tuple[str, ...]) -> dict[str, Any]:
    """The first ``root`` element of a ``| display json`` document (searching multi-RE results;
    several roots: the first one present); a ``| display xml`` / NETCONF reply is read too."""
    stripped = _PROMPT_LINE.sub("", text).strip()
    low = stripped.lower()
    if low.startswith("error:") or "syntax error" in low or low.startswith("unknown command"):
        lines = [ln.strip() for ln in stripped.splitlines() if ln.strip()]
        line = next((ln for ln in lines if "error" in ln.lower()), lines[0])
        raise ParseError(f"{command!r} failed on the device: {line}")
    xml = _xml_part(stripped)
    doc = xml_as_json(xml) if xml else load_json(stripped, command)
    roots = (root,) if isinstance(root, str) else root
    found = next((hit for r in roots if (hit := _find(doc, r)) is not None), None)
    if found is None:
        raise ParseError(f"{command!r} output has no {roots[0]!r} element")
    return found


def _find(node: Any, key: str) -> dict[str, Any] | None:
    if isinstance(node, dict):
        if key in node:
            items = _items(node, key)
            return items[0] if items else {}
        for value in node.values():
            hit = _find(value, key)
            if hit is not None:
                return hit
    elif isinstance(node, list):
        for value in node:
            hit = _find(value, key)
            if hit is not None:
                return hit
    return None


def _no_json(text: str) -> bool:
    return "syntax error" in text.lower()


_NOT_RUNNING = re.compile(r"(?:OSPF3?|BGP|RIP|IS-IS|LDP)\b[\w -]*?\bis not running|instance is not running", re.I)


def not_running(text: str) -> str | None:
    """The device's words when a protocol is not configured (``OSPF instance is not running``,
    ``BGP is not running``), printed as text or as ``{"output": [{"data": "..."}]}``."""
    stripped = _PROMPT_LINE.sub("", text).strip()
    if len(stripped) > 400 or not _NOT_RUNNING.search(stripped):
        return None
    if stripped.startswith("<"):
        m = re.search(r"<output>\s*([^<]*?is not running)\s*</output>", stripped)
        return m.group(1) if m else None
    try:
        doc = json.loads(stripped)
    except ValueError:
        return stripped.splitlines()[0].strip()
    if isinstance(doc, dict) and set(doc) <= {"output", "attributes"}:
        return str(_leaf(doc, "output") or stripped).strip()
    return None


# -- parsers --------------------------------------------------------------------------------------

@shaped("show version | display json")
def parse_version(version: str, hardware: str | None = None, uptime: str | None = None) -> Facts:
    """``show version``; ``show chassis hardware`` (serial) and ``show system uptime`` are optional."""
    sw = _doc(version, "show version | display json", "software-information")
    hostname = _leaf(sw, "host-name")
    if not hostname:
        raise ParseError("'show version | display json' has no host-name")
    os_version = _leaf(sw, "junos-version")
    if not os_version:  # before 15.1 the version is only in the package comments: "... [12.3R12.4]"
        for pkg in _items(sw, "package-information"):
            m = re.search(r"\[([^\]]+)\]", _leaf(pkg, "comment") or "")
            if m:
                os_version = m.group(1)
                break
    serial = None
    if hardware:
        chassis = _items(_doc(hardware, "show chassis hardware | display json", "chassis-inventory"), "chassis")
        serial = _leaf(chassis[0], "serial-number") if chassis else None
    up = None
    if uptime:
        info = _doc(uptime, "show system uptime | display json", "system-uptime-information")
        booted = _items(info, "system-booted-time")
        up = _seconds(booted[0], "time-length") if booted else None
    return Facts(hostname=hostname, vendor="Juniper", platform="juniper_junos", os_version=os_version,
                 model=_leaf(sw, "product-model"), serial=serial, uptime_seconds=up)


@shaped("show interfaces | display json")
def _flapped(said: Any) -> str | None:
    said = str(said or "").strip()
    return said if said and not said.lower().startswith("never") else None


def parse_interfaces(text: str) -> Interfaces:
    """Physical interfaces (``ge-0/0/0``) and their logical units (``ge-0/0/0.0``, with addresses)."""
    info = _doc(text, "show interfaces | display json", "interface-information")
    out = Interfaces()
    for phy in _items(info, "physical-interface"):
        admin = str(_leaf(phy, "admin-status")).lower() == "up"
        oper = str(_leaf(phy, "oper-status")).lower() == "up"
        out.interfaces.append(Interface(
            name=_leaf(phy, "name"), admin_up=admin, oper_up=oper,
            description=_leaf(phy, "description") or None, mtu=to_int(_leaf(phy, "mtu")),
            mac=_leaf(phy, "current-physical-address") or None,
            # "Last flapped: 2024-05-13 09:04:12 UTC (3w6d 05:16 ago)" ("Never"); Junos counts no downs here
            last_flap=_flapped(_leaf(phy, "interface-flapped"))))
        for unit in _items(phy, "logical-interface"):
            flags = (_items(unit, "if-config-flags") or [{}])[0]
            addresses, mtu = [], None
            for fam in _items(unit, "address-family"):
                if _leaf(fam, "address-family-name") == "inet":
                    mtu = to_int(_leaf(fam, "mtu"))
                for a in _items(fam, "interface-address"):
                    address = _with_length(_leaf(a, "ifa-local"), _leaf(a, "ifa-destination"))
                    if address:
                        addresses.append(address)
            stats = (_items(unit, "traffic-statistics") or [{}])[0]
            counters = None
            if stats:
                counters = InterfaceCounters(rx_packets=to_int(_leaf(stats, "input-packets")),
                                             tx_packets=to_int(_leaf(stats, "output-packets")))
            # Like "show interfaces terse": a unit is up unless it or its device is down (the
            # "Up" flag is absent on loopback units that are up).
            unit_admin = _status(unit, "admin-status", admin and not _has(flags, "iff-down"))
            unit_oper = _status(unit, "oper-status", oper and unit_admin and not _has(flags, "iff-down"))
            out.interfaces.append(Interface(
                name=_leaf(unit, "name"), admin_up=unit_admin,
                oper_up=unit_oper, description=_leaf(unit, "description") or None,
                addresses=addresses, mtu=mtu, counters=counters))
    return out


def _status(node: Any, key: str, default: bool) -> bool:
    value = _leaf(node, key)
    return str(value).lower() == "up" if value is not None else default


def _with_length(local: Any, destination: Any) -> str | None:
    """``10.0.0.1`` + ``10.0.0/30`` -> ``10.0.0.1/30``. Routing-engine families (``tnp`` on em0,
    em1, fxp0, bme0) carry non-IP locals such as ``0x4``: those are not addresses (``None``)."""
    if not isinstance(local, str) or not local.strip():
        return None
    local = local.strip()
    if "/" in local:  # terse style: "fe80::1/64"
        try:
            return str(ipaddress.ip_interface(local))
        except ValueError:
            return None
    try:
        ip = ipaddress.ip_address(local)
    except ValueError:
        return None
    length = destination.split("/")[1] if isinstance(destination, str) and "/" in destination else ""
    return f"{ip}/{length}" if length.isdigit() else f"{ip}/{ip.max_prefixlen}"


_RIB_FAMILIES = {
    "inet": "ipv4-unicast", "inet6": "ipv6-unicast", "l3vpn": "vpnv4-unicast", "l3vpn-inet6": "vpnv6-unicast",
    "evpn": "l2vpn-evpn", "l2vpn": "l2vpn-vpls", "inetflow": "ipv4-flowspec", "inet6flow": "ipv6-flowspec",
    "rtarget": "rtarget", "mvpn": "ipv4-mvpn", "mvpn-inet6": "ipv6-mvpn", "inetmdt": "ipv4-mdt",
    "l2vpn-inet6": "l2vpn", "inet3": "ipv4-labeled-unicast",
}


def _rib_afi(rib: str) -> tuple[str, str]:
    """``inet.0`` -> (default, ipv4-unicast); ``CUST-A.inet6.0`` -> (CUST-A, ipv6-unicast);
    ``bgp.l3vpn.0`` (the global VPN table) -> (default, vpnv4-unicast); ``inet.2`` -> multicast."""
    parts = rib.split(".")
    table = parts.pop() if len(parts) > 1 and parts[-1].isdigit() else "0"
    family = parts.pop() if parts else rib
    instance = ".".join(parts)
    vrf = "default" if instance in ("", "bgp", "master") else instance
    afi = _RIB_FAMILIES.get(family, family)
    if table == "2" and family in ("inet", "inet6"):
        afi = afi.replace("unicast", "multicast")
    return vrf, afi


@shaped("show bgp summary | display json")
def parse_bgp_summary(text: str) -> BgpNeighbors:
    """One neighbor per peer and RIB it exchanges routes in (a down peer: one entry)."""
    if not_running(text):
        return BgpNeighbors(note=not_running_note("BGP", not_running(text)))
    info = _doc(text, "show bgp summary | display json", "bgp-information")
    out = BgpNeighbors()
    for p in _items(info, "bgp-peer"):
        address = _leaf(p, "peer-address")
        if not isinstance(address, str):
            raise ParseError("'show bgp summary | display json' has a bgp-peer without a peer-address")
        peer = address.split("+")[0]  # "10.0.0.1+179": the TCP port of an open session
        state = str(_leaf(p, "peer-state") or "Unknown")
        up = state == "Established"
        seconds = _seconds(p, "elapsed-time") if up else None
        ribs = _items(p, "bgp-rib") if up else []
        # admin_down stays None: a Junos summary does not say why a peer is Idle
        common = dict(peer=peer, remote_as=to_asn(_leaf(p, "peer-as")), state=state, established=up, raw_state=state,
                      uptime=_leaf(p, "elapsed-time") if up else None, uptime_seconds=seconds,
                      description=_leaf(p, "description") or None)
        if not ribs:
            out.neighbors.append(BgpNeighbor(**common, afi_safi="ipv6-unicast" if ":" in peer else "ipv4-unicast"))
        for rib in ribs:
            vrf, afi = _rib_afi(str(_leaf(rib, "name")))
            out.neighbors.append(BgpNeighbor(**common, vrf=vrf, afi_safi=afi,
                                             prefixes_received=to_int(_leaf(rib, "received-prefix-count"))))
    return out


# Last Up/Dwn: "2:28:13", "1d 3:04:12", "3w6d 05:18", or (older releases) "6w3d17h"
_TEXT_PEER = re.compile(
    r"^(?P<peer>[0-9a-f.:]+)(?:\+\d+)?\s+(?P<asn>\d+(?:\.\d+)?)\s+\d+\s+\d+\s+\d+\s+\d+\s+"
    r"(?P<updown>(?:\d+w)?(?:\d+d)?\s?\d+(?::\d+){0,2}|(?:\d+[wdhms])+)\s+(?P<rest>\S.*)$", re.I)
# Active/Received/Accepted/Damped; releases before Accepted print Active/Received/Damped
_TEXT_RIB = re.compile(r"^\s+(?P<rib>\S+): (?P<act>\d+)/(?P<rcv>\d+)/\d+")
_TEXT_COUNTS = re.compile(r"^(\d+)/(\d+)/\d+(?:/\d+)?$")
_TEXT_TABLE = re.compile(r"^(?P<rib>[A-Za-z][\w.-]*\.\d+)(?:\s+\d+\s+\d+|\s*$)")  # a long name: counts below


@shaped("show bgp summary")
def parse_bgp_summary_text(text: str) -> BgpNeighbors:
    """Fallback for routers without JSON: ``show bgp summary`` text. (ntc-templates' Junos
    template stops at the RIB totals table every real summary starts with, so we parse it.)"""
    if not_running(text):
        return BgpNeighbors(note=not_running_note("BGP", not_running(text)))
    if "syntax error" in text.lower() or text.strip().lower().startswith("error:"):
        raise ParseError(f"'show bgp summary' failed on the device: {text.strip().splitlines()[-1].strip()}")
    # the peer table's header, or (no peer configured) the "Groups: 0 Peers: 0" line
    require(text, r"^Peer\s+AS\s+InPkt\s+OutPkt|^Groups:\s*\d+\s+Peers:\s*\d+", "show bgp summary", "Junos")
    out = BgpNeighbors()
    current: dict[str, Any] | None = None
    listed = False  # whether the Established peer in `current` has had a RIB line yet

    def unlisted() -> None:  # an Established peer without any RIB line is still a session
        if current is not None and not listed:
            out.neighbors.append(BgpNeighbor(**current, afi_safi="ipv6-unicast" if ":" in current["peer"] else "ipv4-unicast"))

    tables: list[str] = []  # the RIBs of the "Table  Tot Paths ..." section, in order
    for line in text.splitlines():
        t = _TEXT_TABLE.match(line)
        if t and current is None and not out.neighbors and not _TEXT_PEER.match(line):
            tables.append(t.group("rib"))
            continue
        m = _TEXT_PEER.match(line)
        if m:
            unlisted()
            rest = m.group("rest").split()
            state = "Established" if rest[0] in ("Establ", "Established") or _TEXT_COUNTS.match(rest[0]) else rest[0]
            up = state == "Established"
            current, listed = dict(peer=m.group("peer"), remote_as=to_asn(m.group("asn")), state=state, established=up,
                                   raw_state=None if _TEXT_COUNTS.match(rest[0]) else rest[0],
                                   uptime=m.group("updown") if up else None,
                                   uptime_seconds=duration_seconds(m.group("updown")) if up else None), False
            inline = [_TEXT_COUNTS.match(w) for w in rest]
            if inline and all(inline):  # the counts printed on the peer's line, one per RIB of the table section
                for i, counts in enumerate(inline[:max(1, len(tables))]):
                    vrf, afi = _rib_afi(tables[i] if tables else "inet.0")
                    out.neighbors.append(BgpNeighbor(**current, vrf=vrf, afi_safi=afi,
                                                     prefixes_received=int(counts.group(2))))
                current = None
            elif not up:
                out.neighbors.append(BgpNeighbor(**current, afi_safi="ipv6-unicast" if ":" in current["peer"] else "ipv4-unicast"))
                current = None
            continue
        r = _TEXT_RIB.match(line)
        if r and current is not None:
            vrf, afi = _rib_afi(r.group("rib"))
            out.neighbors.append(BgpNeighbor(**current, vrf=vrf, afi_safi=afi, prefixes_received=int(r.group("rcv"))))
            listed = True
    unlisted()
    if not out.neighbors and "Peer" not in text:
        raise ParseError(f"'show bgp summary' output not recognised: {text.strip()[:80]!r}")
    return out


def _ospf_state(raw: str) -> str:
    return _OSPF_STATES.get(raw.lower(), raw)


_OSPF_ALL = "show ospf neighbor instance all"


def _ospf_neighbor(n: dict[str, Any], vrf: str | None) -> OspfNeighbor:
    state = _ospf_state(str(_leaf(n, "ospf-neighbor-state") or "Unknown"))
    dead = to_int(_leaf(n, "activity-timer"))
    return OspfNeighbor(
        neighbor_id=_leaf(n, "neighbor-id"), address=_leaf(n, "neighbor-address"),
        interface=_leaf(n, "interface-name"), state=state, full=state == "Full",
        priority=to_int(_leaf(n, "neighbor-priority")),
        dead_time_seconds=float(dead) if dead is not None else None, vrf=vrf)


def _instance(name: str) -> str:
    return "default" if name in ("master", "") else name


@shaped(f"{_OSPF_ALL} | display json")
def parse_ospf_neighbors(text: str) -> OspfNeighbors:
    """Every routing instance's adjacencies (``instance all``: one ``ospf-instance-neighbor`` per
    instance, named); the master instance's alone when the reply is the plain command's."""
    if not_running(text):
        return OspfNeighbors(note=not_running_note("OSPF", not_running(text)))
    info = _doc(text, f"{_OSPF_ALL} | display json", ("ospf-neighbor-information-all", "ospf-neighbor-information"))
    out = OspfNeighbors()
    for inst in _items(info, "ospf-instance-neighbor"):
        vrf = _instance(str(_leaf(inst, "ospf-instance-name") or ""))
        out.neighbors.extend(_ospf_neighbor(n, vrf) for n in _items(inst, "ospf-neighbor"))
    out.neighbors.extend(_ospf_neighbor(n, None) for n in _items(info, "ospf-neighbor"))
    return out


_TEXT_INSTANCE = re.compile(r"^\s*Instance:\s*(\S+)\s*$", re.M)


@shaped(_OSPF_ALL)
def parse_ospf_neighbors_text(text: str) -> OspfNeighbors:
    """Fallback: ``show ospf neighbor instance all`` text (an ``Instance: NAME`` line above each
    instance's table), or the plain command's one table, through ntc-templates."""
    if not_running(text):
        return OspfNeighbors(note=not_running_note("OSPF", not_running(text)))
    require(text, r"^\s*Address\s+Interface\s+State\s+ID\s+Pri", "show ospf neighbor", "Junos")
    out = OspfNeighbors()
    marks = list(_TEXT_INSTANCE.finditer(text))
    parts = [(_instance(m.group(1)), text[m.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)])
             for i, m in enumerate(marks)] if marks else [(None, text)]
    for vrf, part in parts:
        if not re.search(r"^\s*Address\s+Interface\s+State\s+ID\s+Pri", part, re.M):
            continue  # an instance with no adjacency prints its name only
        for r in ntc("juniper_junos", "show ospf neighbor", part):
            state = _ospf_state(r["state"])
            out.neighbors.append(OspfNeighbor(
                neighbor_id=r["neighbor_id"], address=r["ip_address"] or None, interface=r["interface"] or None,
                state=state, full=state == "Full", priority=to_int(r["priority"]),
                dead_time_seconds=float(r["dead_time"]) if r["dead_time"].isdigit() else None, vrf=vrf))
    return out


@shaped("show route | display json")
def parse_route(text: str, query: str) -> RouteLookup:
    if not _PROMPT_LINE.sub("", text).strip():  # Junos prints nothing when no route matches
        return RouteLookup(query=query, found=False)
    info = _doc(text, f"show route {query} | display json", "route-information")
    # The getter asks for inet.0 / inet6.0; a reply that holds other tables too (mpls.0 labels,
    # bgp.l3vpn.0, a VRF's) answers from that one. Junos lists the routes inside a prefix too:
    # the answer is the most specific route that covers the query.
    tables = _items(info, "route-table")
    main = [t for t in tables if _leaf(t, "table-name") in ("inet.0", "inet6.0")]
    listed = {str(_leaf(rt, "rt-destination")): rt for t in main or tables for rt in _items(t, "rt")}
    prefix = most_specific(listed, query)
    if prefix is None:
        return RouteLookup(query=query, found=False)
    rt = listed[prefix]
    entries = _items(rt, "rt-entry")
    entry = next((e for e in entries if _leaf(e, "active-tag") in ("*", "@") or _has(e, "current-active")),
                 entries[0] if entries else {})
    protocol = str(_leaf(entry, "protocol-name") or "")
    hops = []
    for nh in _items(entry, "nh"):
        iface = _leaf(nh, "via") or _leaf(nh, "nh-local-interface")
        hops.append(NextHop(address=_leaf(nh, "to"), interface=iface,
                            active=_has(nh, "selected-next-hop") or len(_items(entry, "nh")) == 1))
    return RouteLookup(query=query, found=True, prefix=prefix,
                       protocol=_PROTOCOLS.get(protocol.lower(), protocol.lower() or None),
                       distance=to_int(_leaf(entry, "preference")), metric=to_int(_leaf(entry, "metric")),
                       uptime=_leaf(entry, "age"), next_hops=hops)


# -- getters --------------------------------------------------------------------------------------

def facts(host: Any, read: Read) -> Facts:
    return parse_version(read("show version | display json"), read("show chassis hardware | display json"),
                         read("show system uptime | display json"))


def interfaces(host: Any, read: Read) -> Interfaces:
    return parse_interfaces(read("show interfaces | display json"))


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    text = read("show bgp summary | display json")
    return parse_bgp_summary_text(read("show bgp summary")) if _no_json(text) else parse_bgp_summary(text)


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    """Every routing instance's adjacencies (a VRF's OSPF too, as NX-OS and IOS-XR read them)."""
    text = read(f"{_OSPF_ALL} | display json")
    return parse_ospf_neighbors_text(read(_OSPF_ALL)) if _no_json(text) else parse_ospf_neighbors(text)


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    table = "inet6.0" if ":" in prefix else "inet.0"
    return parse_route(read(f"show route {prefix} table {table} | display json"), prefix)


def config(host: Any, read: Read) -> RunningConfig:
    return RunningConfig(text=read("show configuration"))


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}


from netops.devices.parsers.junos_peer_routes import PEER_GETTERS  # noqa: E402,F401  (bgp_advertised, bgp_received)
