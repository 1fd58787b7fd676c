"""Cisco NX-OS: getters from ``| json`` output, with text fallbacks.

NX-OS JSON mirrors its XML schema: tables are ``{"TABLE_x": {"ROW_x": ...}}`` where a table of
one row holds a dict and a longer one a list (:func:`rows` makes both a list), and numbers are
often strings. Interfaces come from ``show interface`` (state, counters, primary IPv4), ``show ip
interface vrf all`` (primary and secondary IPv4 of every VRF) and ``show ipv6 interface vrf all``
(IPv6 of every VRF), merged by name in :mod:`._addresses` (a device that refuses an extra command
or prints nothing keeps what ``show interface`` gave). BGP comes from ``show bgp all summary vrf
all`` (every address family and VRF in one document); OSPF from ``show ip ospf neighbors vrf
all``. A feature
that is not enabled makes its commands unknown (``% Invalid command``): for BGP/OSPF that is an
empty result with a note. When ``| json`` is refused, facts, interfaces and OSPF fall back to
ntc-templates (IPv4 and IPv6 addresses to netops' readers of the text) and BGP to the Cisco-style
table reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import (
    BgpNeighbor, BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop,
    OspfNeighbor, OspfNeighbors, RouteLookup, RunningConfig,
)
from netops.devices.parsers._flaps import with_text_flaps
from netops.devices.parsers import ParseError, af_name, load_json, most_specific, not_running_note, require, to_asn, to_int, worded_seconds
from netops.devices.parsers import _addresses, _bgp_table, _json_first
from netops.devices.parsers._json_first import json_or_text
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error, ntc

Read = Callable[[str], str]

_OSPF_STATES = {"FULL": "Full", "2WAY": "2-Way", "INIT": "Init", "DOWN": "Down", "EXSTART": "ExStart",
                "EXCHANGE": "Exchange", "LOADING": "Loading", "ATTEMPT": "Attempt"}
_PROTOCOLS = {"direct": "connected", "local": "local", "static": "static", "hsrp": "hsrp", "am": "adjacency",
              "bgp": "bgp", "ospf": "ospf", "isis": "isis", "eigrp": "eigrp", "rip": "rip"}


def rows(node: Any, table: str) -> list[dict[str, Any]]:
    """The rows of ``TABLE_<table>``: a list whether the device printed one row or many."""
    t = node.get(f"TABLE_{table}") if isinstance(node, dict) else None
    if isinstance(t, list):  # some releases wrap the table itself in a list
        out: list[dict[str, Any]] = []
        for part in t:
            out.extend(rows({f"TABLE_{table}": part}, table))
        return out
    r = t.get(f"ROW_{table}") if isinstance(t, dict) else None
    if isinstance(r, dict):
        return [r]
    return [x for x in r if isinstance(x, dict)] if isinstance(r, list) else []


def _doc(text: str, command: str) -> dict[str, Any]:
    said = device_error(text)
    if said:
        raise ParseError(f"{command!r} failed on the device: {said}")
    doc = load_json(text, command)
    if not isinstance(doc, dict):
        raise ParseError(f"{command!r} did not return a JSON object")
    return doc


def _feature_off(text: str) -> str | None:
    """The device's words when a protocol is off: its commands do not exist (feature not
    enabled) or ``Note:  process currently not running`` (enabled, no process configured)."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if "process currently not running" in first.lower() or "not running" in first.lower()[:60]:
        return " ".join(first.split())
    said = device_error(text)
    if said and ("invalid command" in said.lower() or "not enabled" in said.lower()
                 or "not running" in said.lower() or "not configured" in said.lower()):
        return said
    return None


def iso_seconds(value: Any) -> float | None:
    """NX-OS JSON durations: ``P14DT19H11M58S``, ``PT5M``; also ``1d02h``, ``6w3d``, ``00:01:02``."""
    if not isinstance(value, str) or not value:
        return None
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?",
                     value.strip())
    if m and any(m.groups()):
        y, mo, w, d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
        return y * 31536000 + mo * 2592000 + w * 604800 + d * 86400 + h * 3600 + mi * 60 + s
    return _bgp_table.duration_seconds(value)


# -- facts ----------------------------------------------------------------------------------------

def _version_string(v: dict[str, Any]) -> str | None:
    raw = v.get("nxos_ver_str") or v.get("sys_ver_str") or v.get("kickstart_ver_str") or v.get("rr_sys_ver")
    return str(raw).split(" [")[0].strip() or None if raw else None


@shaped("show version | json")
def parse_version(version: str, hostname: str | None = None) -> Facts:
    """``show version | json`` (``show hostname | json`` is optional: ``host_name`` is in the version)."""
    v = _doc(version, "show version | json")
    name = v.get("host_name")
    if hostname and hostname.strip():
        h = _doc(hostname, "show hostname | json")
        name = name or h.get("hostname")
    if not name or not _version_string(v):
        raise ParseError("'show version | json' is not NX-OS output (no host_name / version)")
    parts = [to_int(v.get(k)) for k in ("kern_uptm_days", "kern_uptm_hrs", "kern_uptm_mins", "kern_uptm_secs")]
    uptime = None
    if any(p is not None for p in parts):
        d, h, m, s = (p or 0 for p in parts)
        uptime = float(d * 86400 + h * 3600 + m * 60 + s)
    return Facts(hostname=str(name), vendor="Cisco", platform="cisco_nxos", os_version=_version_string(v),
                 model=v.get("chassis_id") or None, serial=v.get("proc_board_id") or None, uptime_seconds=uptime)


@shaped("show version")
def parse_version_text(text: str) -> Facts:
    """Fallback: ``show version`` text through ntc-templates."""
    require(text, r"NX-OS|Nexus", "show version", "NX-OS")
    found = ntc("cisco_nxos", "show version", text)
    if not found:
        raise ParseError("'show version' output not recognised as NX-OS")
    r = found[0]
    return Facts(hostname=r["hostname"], vendor="Cisco", platform="cisco_nxos", os_version=r["os"] or None,
                 model=r["platform"] or None, serial=r["serial"] or None,
                 uptime_seconds=worded_seconds(r["uptime"]))


# -- interfaces -----------------------------------------------------------------------------------

def _mac(value: Any) -> str | None:
    return str(value) if value else None


@shaped("show interface | json")
def parse_interfaces(text: str) -> Interfaces:
    doc = _doc(text, "show interface | json")
    if "TABLE_interface" not in doc:
        raise ParseError("'show interface | json' has no TABLE_interface")
    out = Interfaces()
    for r in rows(doc, "interface"):
        name = r.get("interface")
        if not name:
            continue
        svi = "svi_admin_state" in r or r.get("type") == "svi"
        if svi:
            admin = str(r.get("svi_admin_state", "")).lower() == "up"
            oper = str(r.get("svi_line_proto", "")).lower() == "up"
            ip, mask = r.get("svi_ip_addr"), r.get("svi_ip_mask")
            mtu, mac, desc = r.get("svi_mtu"), r.get("svi_mac"), r.get("svi_desc")
            counters = InterfaceCounters(
                rx_packets=to_int(r.get("svi_ucast_pkts_in")), tx_packets=to_int(r.get("svi_ucast_pkts_out")),
                rx_bytes=to_int(r.get("svi_ucast_bytes_in")), tx_bytes=to_int(r.get("svi_ucast_bytes_out"))
            ) if "svi_ucast_pkts_in" in r else None
        else:
            state = str(r.get("state", "")).lower()
            admin_raw = r.get("admin_state")
            admin = str(admin_raw).lower() == "up" if admin_raw is not None else \
                "administratively" not in str(r.get("state_rsn_desc", "")).lower()
            oper = state == "up"
            ip, mask = r.get("eth_ip_addr"), r.get("eth_ip_mask")
            mtu, mac, desc = r.get("eth_mtu"), r.get("eth_hw_addr"), r.get("desc")
            has = any(k in r for k in ("eth_inpkts", "eth_outpkts", "loop_in_pkts", "loop_out_pkts"))
            counters = InterfaceCounters(
                rx_packets=to_int(r.get("eth_inpkts", r.get("loop_in_pkts"))),
                tx_packets=to_int(r.get("eth_outpkts", r.get("loop_out_pkts"))),
                rx_bytes=to_int(r.get("eth_inbytes", r.get("loop_in_bytes"))),
                tx_bytes=to_int(r.get("eth_outbytes", r.get("loop_out_bytes"))),
                rx_errors=to_int(r.get("eth_inerr", r.get("loop_in_errors"))),
                tx_errors=to_int(r.get("eth_outerr", r.get("loop_out_errors")))) if has else None
        out.interfaces.append(Interface(
            name=str(name), admin_up=admin, oper_up=oper, description=str(desc) if desc else None,
            addresses=[f"{ip}/{mask}"] if ip and mask not in (None, "") else [], mtu=to_int(mtu),
            mac=_mac(mac), counters=counters,
            # "eth_link_flapped": "1d00h" ("Last link flapped"); NX-OS counts no downs in this output
            last_flap=f"{r['eth_link_flapped']} ago" if str(r.get("eth_link_flapped") or "never").lower() != "never"
            else None))
    return out


_IF_HEAD = re.compile(r"^(?P<name>[A-Za-z][\w/.:-]*) is (?P<state>up|down|administratively down)\b(?P<rest>.*)$")
_IF_LINES = {
    "admin": re.compile(r"^\s*admin state(?: is|:)\s*(up|down)", re.I),
    "description": re.compile(r"^\s*Description: (.*?)\s*$"),
    "address": re.compile(r"^\s*Internet Address is (\S+/\d+)"),
    "mtu": re.compile(r"^\s*MTU (\d+) bytes"),
    "mac": re.compile(r"^\s*Hardware:.*?address(?: is|:) ([0-9a-fA-F.:]+)"),
    "rx": re.compile(r"^\s*(\d+) input packets"),
    "tx": re.compile(r"^\s*(\d+) output packets"),
}


def _interfaces_by_lines(text: str) -> Interfaces:
    """NX-OS ``show interface`` read line by line: the fallback when the ntc-templates template
    stops at a line it does not know (seen on 7.x N1K/N5K and releases that drop the MTU)."""
    out = Interfaces()
    cur: dict[str, Any] | None = None

    def flush() -> None:
        if cur is not None:
            out.interfaces.append(Interface(
                name=cur["name"], admin_up=cur.get("admin", cur["state"] != "administratively down") is True,
                oper_up=cur["state"] == "up", description=cur.get("description") or None,
                addresses=[cur["address"]] if cur.get("address") else [], mtu=to_int(cur.get("mtu")),
                mac=cur.get("mac"),
                counters=InterfaceCounters(rx_packets=to_int(cur.get("rx")), tx_packets=to_int(cur.get("tx")))
                if "rx" in cur or "tx" in cur else None))

    for line in text.splitlines():
        head = _IF_HEAD.match(line)
        if head:
            flush()
            cur = {"name": head.group("name"), "state": head.group("state")}
            if "administratively down" in head.group("rest").lower():  # "Vlan1 is down (Administratively down)"
                cur["admin"] = False
            continue
        if cur is None:
            continue
        for key, rx in _IF_LINES.items():
            m = rx.match(line)
            if m and key not in cur:
                cur[key] = (m.group(1).lower() == "up") if key == "admin" else m.group(1)
    flush()
    return out


@shaped("show interface")
def parse_interfaces_text(text: str) -> Interfaces:
    """Fallback: ``show interface`` text through ntc-templates (line by line if the template fails)."""
    out = with_text_flaps(_interfaces_text(text), text)
    if not out.interfaces:  # every NX-OS switch has interfaces: none read is output we do not know
        require(text, r"^\S+ is (?:up|down)", "show interface", "NX-OS")
    return out


def _interfaces_text(text: str) -> Interfaces:
    try:
        rows_ = ntc("cisco_nxos", "show interface", text)
    except ParseError:
        if device_error(text):
            raise
        return _interfaces_by_lines(text)
    # The template's admin_state is unreliable ("u" for "Admin State: up", "up, autostate enabled"
    # for an SVI) and it skips some rows: the line reader decides the admin state and adds them.
    by_lines = {i.name: i for i in _interfaces_by_lines(text).interfaces}
    out = Interfaces()
    for r in rows_:
        link = r["link_status"].lower()
        admin_state = r["admin_state"].lower()
        read = by_lines.pop(r["interface"], None)
        out.interfaces.append(Interface(
            name=r["interface"],
            admin_up=read.admin_up if read else admin_state == "up" if admin_state else "admin" not in link,
            oper_up=link == "up", description=r["description"] or None,
            addresses=[f"{r['ip_address']}/{r['prefix_length']}"] if r["ip_address"] and r["prefix_length"] else [],
            mtu=to_int(r["mtu"]), mac=r["mac_address"] or None,
            counters=InterfaceCounters(rx_packets=to_int(r["input_packets"]), tx_packets=to_int(r["output_packets"]),
                                       rx_errors=to_int(r["input_errors"]), tx_errors=to_int(r["output_errors"]))))
    out.interfaces.extend(by_lines.values())
    return out


# -- IPv4 addresses (primary and secondary) -------------------------------------------------------

def _vrf_names(doc: dict[str, Any], count: int) -> list[str | None]:
    """The VRF of each ``TABLE_intf`` row when the VRFs come as a separate ``TABLE_vrf`` list,
    one entry per interface row in the same order (7.x and N9K releases); ``None`` otherwise."""
    vrfs = [str(v.get("vrf-name-out")) if v.get("vrf-name-out") else None for v in rows(doc, "vrf")]
    return vrfs if len(vrfs) == count else [None] * count


def _ip_row(r: dict[str, Any], vrf: str | None) -> _addresses.Listed:
    """One ``ROW_intf``: the primary in ``prefix``/``masklen``, the secondaries in
    ``TABLE_secondary_address`` rows as ``prefix1``/``masklen1`` (every row uses the suffix 1).
    An unnumbered interface (``unnum-intf``) has no address of its own."""
    vrf = r.get("vrf-name-out") or vrf
    row = _addresses.Listed(name=str(r["intf-name"]), vrf=str(vrf) if vrf else None)
    if str(r.get("ip-disabled", "")).upper() != "TRUE" and not r.get("unnum-intf"):
        found = [_addresses.ipv4(str(r.get("prefix") or ""), r.get("masklen"))]
        found += [_addresses.ipv4(str(x.get("prefix1") or ""), x.get("masklen1"))
                  for x in rows(r, "secondary_address")]
        row.ipv4 = list(dict.fromkeys(a for a in found if a))
    if r.get("admin-state") is not None:
        row.admin_up = str(r["admin-state"]).lower() == "up"
    if r.get("proto-state") is not None:
        row.oper_up = str(r["proto-state"]).lower() == "up"
    return row


@shaped("show ip interface vrf all | json")
def parse_ip_interfaces(text: str) -> list[_addresses.Listed]:
    """``show ip interface vrf all | json``: every IPv4 interface of every VRF, its primary and
    secondary addresses (the secondaries in the device's order)."""
    if not text.strip():
        return []
    doc = _doc(text, "show ip interface vrf all | json")
    found = [r for r in rows(doc, "intf") if r.get("intf-name")]
    if not found and (set(doc) - {"TABLE_vrf"} or "TABLE_intf" in doc):  # only VRFs listed: no interface
        raise ParseError("'show ip interface vrf all | json' has no ROW_intf")
    return [_ip_row(r, vrf) for r, vrf in zip(found, _vrf_names(doc, len(found)))]


_IPT_HEAD = re.compile(
    r"^\s*(?P<name>[A-Za-z][\w/.:-]*), Interface status: (?P<proto>[^/\s]+)/(?P<link>[^/\s]+)/(?P<admin>[^,\s]+)")
_IPT_VRF = re.compile(r'^\s*IP Interface Status for VRF "(?P<vrf>[^"]+)"')
_IPT_ADDR = re.compile(r"^\s*IP address: (?P<addr>[\d.]+), IP subnet: [\d.]+/(?P<len>\d+)(?P<rest>.*)$")


@shaped("show ip interface vrf all")
def parse_ip_interfaces_text(text: str) -> list[_addresses.Listed]:
    """Fallback: ``show ip interface vrf all`` text (``IP Interface Status for VRF "X"`` sections;
    ``IP address: A, IP subnet: N/len [secondary]`` lines, the primary first; an unnumbered
    interface prints ``IP unnumbered interface (loopback0)`` and no address of its own)."""
    out: list[_addresses.Listed] = []
    vrf: str | None = None
    secondary: list[str] = []

    def close() -> None:
        if out:
            out[-1].ipv4 = list(dict.fromkeys([*out[-1].ipv4, *secondary]))
        secondary.clear()

    for line in text.splitlines():
        v = _IPT_VRF.match(line)
        if v:
            close()
            vrf = v.group("vrf")
            continue
        head = _IPT_HEAD.match(line)
        if head:
            close()
            out.append(_addresses.Listed(name=head.group("name"), vrf=vrf,
                                         admin_up=head.group("admin").lower() == "admin-up",
                                         oper_up=head.group("proto").lower() == "protocol-up"))
            continue
        a = _IPT_ADDR.match(line)
        if a and out:
            addr = _addresses.ipv4(a.group("addr"), a.group("len"))
            if addr:
                (secondary if "secondary" in a.group("rest") else out[-1].ipv4).append(addr)
    close()
    if not out and not _IPT_VRF.search(text):
        raise ParseError("'show ip interface vrf all' output not recognised as NX-OS")
    return out


# -- IPv6 addresses -------------------------------------------------------------------------------

def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value in (None, "") else [value]


def _v6_row(r: dict[str, Any]) -> _addresses.Listed:
    """One ``ROW_intf``: ``addr`` is one address or a list (the link-local one when the
    interface has no other), ``TABLE_addr`` lists them on newer releases, ``linklocal-addr``
    is bare. ``prefix`` is the subnet (or the first address) and adds nothing."""
    row = _addresses.Listed(name=str(r["intf-name"]))
    raw = [*_as_list(r.get("addr")), *(a.get("addr") for a in rows(r, "addr"))]
    for value in raw:
        if isinstance(value, str) and "/" in value:
            addr = _addresses.ipv6(value, None)
            if addr and not addr.startswith("fe80:"):
                row.ipv6.append(addr)
    ll = r.get("linklocal-addr")
    row.link_local = _addresses.link_local(str(ll)) if ll else None
    row.ipv6 = list(dict.fromkeys(row.ipv6))
    if r.get("admin-state") is not None:
        row.admin_up = str(r["admin-state"]).lower() == "up"
    if r.get("proto-state") is not None:
        row.oper_up = str(r["proto-state"]).lower() == "up"
    return row


@shaped("show ipv6 interface vrf all | json")
def parse_ipv6_interfaces(text: str) -> list[_addresses.Listed]:
    """``show ipv6 interface vrf all | json``: every IPv6 interface of every VRF, in one
    ``TABLE_intf`` (``vrf-name-out`` in each row on N9K releases, a ``TABLE_vrf`` beside it on
    older ones)."""
    if not text.strip():
        return []
    doc = _doc(text, "show ipv6 interface vrf all | json")
    found = rows(doc, "intf")
    if not found and (set(doc) - {"TABLE_vrf"} or "TABLE_intf" in doc):  # only VRFs listed: no interface
        raise ParseError("'show ipv6 interface vrf all | json' has no ROW_intf")
    return [_v6_row(r) for r in found if r.get("intf-name")]


_V6T_HEAD = re.compile(
    r"^(?P<name>[A-Za-z][\w/.:-]*), Interface status: (?P<proto>[^/\s]+)/(?P<link>[^/\s]+)/(?P<admin>[^,\s]+)")
_V6T_KEY = re.compile(r"^\s+(?P<key>[A-Za-z][^:]*):\s*(?P<value>.*?)\s*$")
_V6T_ADDR = re.compile(r"^\s*(?P<addr>[0-9A-Fa-f:]+/\d+)(?:\s+\[[^\]]*\])*\s*$")
_V6T_LINK_LOCAL = re.compile(r"^(?P<addr>[0-9A-Fa-f:]+)")
_V6T_LISTS = ("ipv6 address", "anycast configured addresses")


@shaped("show ipv6 interface vrf all")
def parse_ipv6_interfaces_text(text: str) -> list[_addresses.Listed]:
    """Fallback: ``show ipv6 interface vrf all`` text (``IPv6 Interface Status for VRF "X"``
    sections; ``IPv6 address:`` and ``Anycast configured addresses:`` lists; the link-local
    address bare, ``0::`` when there is none)."""
    out: list[_addresses.Listed] = []
    listing = False
    for line in text.splitlines():
        head = _V6T_HEAD.match(line)
        if head:
            out.append(_addresses.Listed(name=head.group("name"), admin_up=head.group("admin").lower() == "admin-up",
                                         oper_up=head.group("proto").lower() == "protocol-up"))
            listing = False
            continue
        if not out:
            continue
        a = _V6T_ADDR.match(line)
        if a:
            if listing:
                addr = _addresses.ipv6(a.group("addr"), None)
                if addr and addr not in out[-1].ipv6:
                    out[-1].ipv6.append(addr)
            continue
        k = _V6T_KEY.match(line)
        if not k:
            continue
        key, value = k.group("key").strip().lower(), k.group("value")
        listing = key in _V6T_LISTS
        if listing and value:  # "IPv6 address: 2001:db8::1/64 [VALID]" on one line
            inline = _V6T_ADDR.match(value)
            addr = _addresses.ipv6(inline.group("addr"), None) if inline else None
            if addr and addr not in out[-1].ipv6:
                out[-1].ipv6.append(addr)
        elif key == "ipv6 link-local address":
            ll = _V6T_LINK_LOCAL.match(value)
            out[-1].link_local = _addresses.link_local(ll.group("addr")) if ll else None
    if not out and not re.search(r"IPv6 Interface Status for VRF", text):
        raise ParseError("'show ipv6 interface vrf all' output not recognised as NX-OS")
    return out


# -- BGP ------------------------------------------------------------------------------------------

def _neighbor_address(n: dict[str, Any]) -> str | None:
    for key in ("neighborid", "ipv6neighborid", "neighbor-id", "neighbor"):
        if n.get(key):
            return str(n[key])
    return None


@shaped("show bgp all summary vrf all | json")
def parse_bgp_summary(text: str) -> BgpNeighbors:
    """``show bgp all summary vrf all | json`` (also ``show ip bgp summary [vrf all] | json``):
    one entry per peer, VRF and address family."""
    said = _feature_off(text)
    if said:
        return BgpNeighbors(note=not_running_note("BGP", said))
    if not text.strip():
        return BgpNeighbors(note=not_running_note("BGP"))
    doc = _doc(text, "show bgp all summary vrf all | json")
    if "TABLE_vrf" not in doc:
        raise ParseError("'show bgp all summary vrf all | json' has no TABLE_vrf")
    vrfs = rows(doc, "vrf")
    if vrfs and not any("TABLE_af" in v or "vrf-router-id" in v or "vrf-local-as" in v for v in vrfs):
        raise ParseError("'show bgp all summary vrf all | json' output not recognised: "
                         "no VRF row has TABLE_af, vrf-router-id or vrf-local-as")
    out = BgpNeighbors()
    default_seen = False
    for vrf in rows(doc, "vrf"):
        name = str(vrf.get("vrf-name-out") or "default")
        if not default_seen and (vrf.get("vrf-router-id") or vrf.get("vrf-local-as")):
            out.router_id = vrf.get("vrf-router-id") or out.router_id
            out.local_as = to_asn(vrf.get("vrf-local-as")) or out.local_as
            default_seen = name == "default"
        for af in rows(vrf, "af"):
            for saf in rows(af, "saf"):
                afi = af_name(str(saf.get("af-name") or "IPv4 Unicast"))
                for n in rows(saf, "neighbor"):
                    peer = _neighbor_address(n)
                    if peer is None:
                        continue
                    raw_state = str(n.get("state") or "Unknown")
                    state = _bgp_table.state_name(raw_state)
                    up = state == "Established"
                    uptime = str(n.get("time")) if up and n.get("time") else None
                    out.neighbors.append(BgpNeighbor(
                        peer=peer, remote_as=to_asn(n.get("neighboras")), state=state, established=up,
                        admin_down=_bgp_table.admin_down(raw_state), raw_state=raw_state,
                        uptime=uptime, uptime_seconds=iso_seconds(uptime) if uptime else None,
                        prefixes_received=to_int(n.get("prefixreceived")) if up else None,
                        vrf=name, afi_safi=afi))
    return out


@shaped("show bgp all summary vrf all")
def parse_bgp_summary_text(text: str) -> BgpNeighbors:
    """Fallback: the text summary (``BGP summary information for VRF X, address family Y`` sections)."""
    said = _feature_off(text)
    if said:
        return BgpNeighbors(note=not_running_note("BGP", said))
    return _bgp_table.parse(text, command="show bgp all summary vrf all")


# -- OSPF -----------------------------------------------------------------------------------------

def _role(value: Any) -> str | None:
    v = str(value or "").strip().upper()
    return {"DR": "DR", "BDR": "BDR", "DROTHER": "DROther"}.get(v)


@shaped("show ip ospf neighbors vrf all | json")
def parse_ospf_neighbors(text: str) -> OspfNeighbors:
    said = _feature_off(text)
    if said:
        return OspfNeighbors(note=not_running_note("OSPF", said))
    if not text.strip():  # feature on, no process: NX-OS prints nothing
        return OspfNeighbors(note=not_running_note("OSPF"))
    doc = _doc(text, "show ip ospf neighbors vrf all | json")
    if "TABLE_ctx" not in doc:
        raise ParseError("'show ip ospf neighbors | json' has no TABLE_ctx")
    out = OspfNeighbors()
    for ctx in rows(doc, "ctx"):
        vrf = str(ctx.get("cname") or "").strip() or None  # the context (VRF) name: "default", "TENANT-A"
        for n in rows(ctx, "nbr"):
            raw = str(n.get("state") or "Unknown").upper()
            state = _OSPF_STATES.get(raw, raw.capitalize())
            out.neighbors.append(OspfNeighbor(
                neighbor_id=str(n["rid"]), address=n.get("addr") or None, interface=n.get("intf") or None,
                state=state, full=state == "Full", role=_role(n.get("drstate")),
                priority=to_int(n.get("priority")), vrf=vrf,
                uptime_seconds=iso_seconds(n.get("uptime")) if n.get("uptime") else None))  # "P14DT19H11M58S"
    return out


_OSPF_CONTEXT = re.compile(r"^\s*OSPF Process ID \S+ VRF (?P<vrf>\S+)\s*$", re.M)


@shaped("show ip ospf neighbors vrf all")
def parse_ospf_neighbors_text(text: str) -> OspfNeighbors:
    """Fallback: the text table through ntc-templates, one ``OSPF Process ID P VRF X`` section at
    a time so that each neighbor carries its VRF."""
    said = _feature_off(text)
    if said:
        return OspfNeighbors(note=not_running_note("OSPF", said))
    require(text, r"^\s*Neighbor ID\s+Pri\s+State|Total number of neighbors", "show ip ospf neighbors", "NX-OS")
    out = OspfNeighbors()
    heads = list(_OSPF_CONTEXT.finditer(text))
    if heads:  # the template reads a section's rows; the section's header names the VRF
        sections = [(m.group("vrf"), text[m.start():heads[i + 1].start() if i + 1 < len(heads) else len(text)])
                    for i, m in enumerate(heads)]
    else:
        sections = [(None, text)]
    for vrf, part in sections:
        for r in ntc("cisco_nxos", "show ip ospf neighbor", part):
            raw, _, role = r["state"].partition("/")
            state = _OSPF_STATES.get(raw.strip().upper(), raw.strip().capitalize())
            out.neighbors.append(OspfNeighbor(
                neighbor_id=r["neighbor_id"], address=r["ip_address"] or None, interface=r["interface"] or None,
                state=state, full=state == "Full", role=_role(role), vrf=vrf,
                uptime_seconds=_bgp_table.duration_seconds(r.get("uptime"))))  # "Up Time": 23:04:24, 1d02h
    return out


# -- route ----------------------------------------------------------------------------------------

@shaped("show ip route | json")
def parse_route(text: str, query: str) -> RouteLookup:
    if not text.strip() or "route not found" in text.lower()[:200] or "not in table" in text.lower()[:200]:
        return RouteLookup(query=query, found=False)
    doc = _doc(text, f"show ip route {query} | json")
    # the lookup asks the default VRF; a reply that holds other VRFs too (a saved "vrf all"
    # table) must not answer with a management or tenant VRF's route
    vrfs = rows(doc, "vrf")
    default = [v for v in vrfs if str(v.get("vrf-name-out") or "default") == "default"]
    listed = {str(p.get("ipprefix") or p.get("ipv6prefix")): p for vrf in (default or vrfs)
              for af in rows(vrf, "addrf") for p in rows(af, "prefix") if p.get("ipprefix") or p.get("ipv6prefix")}
    chosen_prefix = most_specific(listed, query)
    if chosen_prefix is None:
        return RouteLookup(query=query, found=False)
    p = listed[chosen_prefix]
    # Some releases split a path over two rows; a row without a next hop or interface is not one.
    paths = [x for x in rows(p, "path") if x.get("ipnexthop") or x.get("ipv6nexthop") or x.get("ifname")]
    marked = any("ubest" in x for x in paths)  # "ubest" is only on the best unicast paths

    def best_path(x: dict[str, Any]) -> bool:
        return str(x.get("ubest", "")).lower() == "true" if marked else True

    chosen = [x for x in paths if best_path(x)] or paths
    first = chosen[0] if chosen else {}
    kind = str(first.get("clientname") or "").split("-")[0].lower()
    return RouteLookup(
        query=query, found=True, prefix=str(p.get("ipprefix") or p.get("ipv6prefix")),
        protocol=_PROTOCOLS.get(kind, kind or None), distance=to_int(first.get("pref")),
        metric=to_int(first.get("metric")), uptime=first.get("uptime") or None,
        next_hops=[NextHop(address=x.get("ipnexthop") or x.get("ipv6nexthop") or None,
                           interface=x.get("ifname") or None, active=best_path(x)) for x in paths])


# -- getters --------------------------------------------------------------------------------------

# A refused "| json" (old release, or a command without JSON support) and a feature that is not
# enabled look alike ("% Invalid command"): the text command tells them apart.

def facts(host: Any, read: Read) -> Facts:
    return json_or_text(read, "show version", parse_version, parse_version_text, refused=device_error)


def interfaces(host: Any, read: Read) -> Interfaces:
    """``show interface`` (state, counters, primary IPv4) joined with ``show ip interface vrf
    all`` (secondary IPv4) and ``show ipv6 interface vrf all`` (IPv6); each ``| json`` first."""
    text = read("show interface | json")
    out = parse_interfaces_text(read("show interface")) if device_error(text) else parse_interfaces(text)
    out = _addresses.with_addresses(out, read, [("show ip interface vrf all | json", parse_ip_interfaces),
                                                ("show ip interface vrf all", parse_ip_interfaces_text)],
                                    what="secondary IPv4 addresses")
    return _addresses.with_addresses(out, read, [("show ipv6 interface vrf all | json", parse_ipv6_interfaces),
                                                 ("show ipv6 interface vrf all", parse_ipv6_interfaces_text)],
                                     what="IPv6 addresses")


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    return json_or_text(read, "show bgp all summary vrf all", parse_bgp_summary, parse_bgp_summary_text,
                        refused=device_error)


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    return json_or_text(read, "show ip ospf neighbors vrf all", parse_ospf_neighbors, parse_ospf_neighbors_text,
                        refused=device_error)


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    return _json_first.route(read, prefix, parse_route)


def config(host: Any, read: Read) -> RunningConfig:
    return _json_first.running_config(read)


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}

from netops.devices.parsers.cisco_peer_routes import getters as _peer_getters, nxos_command  # noqa: E402

PEER_GETTERS = _peer_getters(nxos_command)
"""``bgp_advertised`` / ``bgp_received`` from the table text (``show bgp ipv4 unicast neighbors X ...``)."""
