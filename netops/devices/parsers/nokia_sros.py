"""Nokia SR OS (7750/7450/7250 SR, 7705 SAR): getters from ``show`` text output.

The classic CLI and the MD-CLI print the same ``show`` tables, so one set of parsers serves
both; only the configuration differs (classic ``admin display-config``, MD-CLI ``admin show
configuration``: the getter tries the first, then the second). Error replies look like
``MINOR: CLI Command not allowed for this user.``, ``Error: Bad command.`` or, on the MD-CLI,
``MINOR: MGMT_CORE #2201: Unknown element``. Durations are ``00h02m19s``, ``01d15h32m``,
``0265d01h`` (more than 99 days) or ``142 days, 03:15:22.10`` (system up time).

Commands (every one policy-checked):

* facts: ``show system information`` (+ ``show chassis`` for the serial number; without the
  first, ``show version`` + ``show chassis``);
* interfaces: ``show router interface`` (Base router interfaces with IPv4 and IPv6 addresses,
  ``system`` included), ``show router ID interface`` for every VPRN ``show service
  service-using vprn`` lists (``vrf`` = the VPRN's name, else its id) + ``show port`` (physical
  ports: state and MTU) + ``show port description``;
* bgp: ``show router bgp summary`` (router id and AS; its peers when ``all`` is refused) and
  ``show router bgp summary all`` (every routing instance; the ``ServiceId`` column names the
  VPRN, ``Def. Inst`` the default instance);
  VPRNs are reported by service name (``show service service-using vprn``) when they have one;
* ospf: ``show router ospf neighbor``;
* route: ``show router route-table [ipv6] ADDRESS`` (longest match for an address); if that form
  is refused, the whole ``show router route-table [ipv6]`` with the longest match done here;
* config: ``admin display-config`` / ``admin show configuration``.

Output saved from a session (with the ``A:admin@pe1#`` prompt, the command and the MD-CLI ``[/]``
context line around it) reads like live output. Not read: VPRN OSPF (``show router SERVICE
ospf neighbor``).

Tested on output hand-written in the format of published captures (ntc-templates, NAPALM's
napalm-sros test data, Nokia lab guides); see ``tests/fixtures/devices/nokia_sros/README.md``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import (
    BgpNeighbor, BgpNeighbors, Facts, Interface, Interfaces, NextHop, OspfNeighbor, OspfNeighbors,
    RouteLookup, RunningConfig,
)
from netops.devices.parsers import ParseError, is_address, most_specific, not_running_note, require, to_asn, to_int
from netops.devices.parsers._addresses import ipv4, ipv6
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error as generic_device_error
from netops.errors import DeviceError

Read = Callable[[str], str]

# A trailing MD-CLI context line ("[/]", "[ex:/configure]") and prompt ("A:admin@pe1#", "*A:pe1#").
_PROMPT = re.compile(r"^\s*(?:\[[^\]\n]*\]|\*?[AB]:\S*[#>][^\n]*)\s*$")
_ERROR = re.compile(r"^\s*(?:(?:MINOR|MAJOR|CRITICAL):|Error:)\s*(?P<msg>.*\S)", re.I)
_NOT_RUNNING = re.compile(
    r"\b(?:BGP|OSPF|OSPFv2)\b[^\n]*?\b(?:is )?not (?:configured|enabled|running|active|operational)"
    r"|\binstance\b[^\n]*\bnot (?:configured|running)", re.I)


def _lines(text: str) -> list[str]:
    """The output without the MD-CLI context and prompt lines netmiko may leave at the end, and
    without a saved session's leading prompt with the command (``A:admin@pe1# show port``)."""
    lines = text.splitlines()
    while lines and (not lines[-1].strip() or _PROMPT.match(lines[-1])):
        lines.pop()
    start = 0
    while start < len(lines) and (not lines[start].strip() or _PROMPT.match(lines[start])):
        start += 1
    return lines[start:]


def device_error(text: str) -> str | None:
    """The device's error line when ``text`` is an error reply instead of a table (SR OS
    ``MINOR:``/``Error:`` lines, or another CLI's ``% ...``)."""
    for line in [ln for ln in _lines(text) if ln.strip()][:4]:  # an MD-CLI error echoes the command
        m = _ERROR.match(line)
        if m:
            return line.strip()
    return generic_device_error(text)


def not_running(text: str) -> str | None:
    """The device's words when the protocol is not configured in this router instance (an error
    line, or a short reply without the ``MINOR:`` prefix)."""
    said = device_error(text)
    if said and _NOT_RUNNING.search(said):
        return said
    lines = [ln.strip() for ln in _lines(text) if ln.strip()]
    if len(lines) <= 2 and lines and _NOT_RUNNING.search(lines[0]):
        return lines[0]
    return None


def _fail_on_error(text: str, command: str) -> None:
    said = device_error(text)
    if said:
        raise ParseError(f"{command!r} failed on the device: {said}")


def duration_seconds(value: str | None) -> float | None:
    """``00h02m19s``, ``01d15h32m``, ``0265d01h``, ``2d 03:04:05``, ``142 days, 03:15:22.10``,
    ``03:04:05``; anything else is ``None``."""
    if not value:
        return None
    text = value.strip().lower()
    m = re.fullmatch(r"(?:(\d+)\s*(?:d|days?),?\s*)?(\d+):(\d+):(\d+)(?:\.\d+)?", text)
    if m:
        d, h, mi, s = (int(x) if x else 0 for x in m.groups())
        return float(d * 86400 + h * 3600 + mi * 60 + s)
    parts = re.findall(r"(\d+)([wdhms])", text)
    if parts and "".join(n + u for n, u in parts) == text:
        units = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
        return float(sum(int(n) * units[u] for n, u in parts))
    return None


# -- facts ----------------------------------------------------------------------------------------

_FIELD = re.compile(r"^\s*(?P<key>[A-Za-z][\w ./()-]*?)\s*:\s?(?P<value>.*?)\s*$")


def _fields(text: str) -> dict[str, str]:
    """``Key   : value`` lines, the first of each key (lower case)."""
    out: dict[str, str] = {}
    for line in _lines(text):
        m = _FIELD.match(line)
        if m:
            out.setdefault(m.group("key").strip().lower(), m.group("value"))
    return out


def _os_version(raw: str | None) -> str | None:
    """``TiMOS-B-23.10.R1`` / ``B-23.10.R1`` / ``TiMOS-C-11.0.R6 cpm/hops ...`` -> ``23.10.R1``."""
    if not raw:
        return None
    m = re.search(r"(?:TiMOS-)?[A-Z]-(\d+\.\d+\.[A-Z]\d+\S*)", raw)
    return m.group(1) if m else raw.split()[0]


@shaped("show system information")
def parse_system_information(text: str, chassis: str | None = None) -> Facts:
    """``show system information``; ``show chassis`` (serial number, type) is optional."""
    _fail_on_error(text, "show system information")
    info = _fields(text)
    hostname = info.get("system name")
    if not hostname:
        raise ParseError("'show system information' has no 'System Name'")
    model = info.get("system type") or info.get("chassis type") or None
    serial = None
    if chassis and not device_error(chassis):
        hw = _fields(chassis)
        serial = hw.get("serial number") or None
        model = model or hw.get("type") or None
    return Facts(hostname=hostname.strip('"'), vendor="Nokia", platform="nokia_sros",
                 os_version=_os_version(info.get("system version")), model=model, serial=serial,
                 uptime_seconds=duration_seconds(re.sub(r"\s*\(hr:min:sec\)\s*$", "", info.get("system up time", ""))))


@shaped("show version")
def parse_version(version: str, chassis: str) -> Facts:
    """``show version`` (``TiMOS-B-22.10.R3 both/x86_64 Nokia 7750 SR ...``) with ``show chassis``
    (name, type, serial): the facts when ``show system information`` is not available."""
    hw = _fields(chassis)
    hostname = hw.get("name")
    if not hostname:
        raise ParseError("'show chassis' has no 'Name'")
    text = "" if device_error(version) else version
    return Facts(hostname=hostname.strip('"'), vendor="Nokia", platform="nokia_sros",
                 os_version=_os_version(text.strip()) if text.strip() else None,
                 model=hw.get("type") or None, serial=hw.get("serial number") or None)


# -- interfaces -----------------------------------------------------------------------------------

_RTR_IF = re.compile(r"^(?P<name>\S(?:.*?\S)?)\s+(?P<adm>Up|Down)\s+(?P<v4>Up|Down)/(?P<v6>Up|Down)\s+"
                     r"(?P<mode>\S+)\s+(?P<port>\S+)\s*$")
_RTR_ADDR = re.compile(r"^\s+(?P<addr>[0-9A-Fa-f.:]+/\d+)\s+(?P<state>\S+)\s*$")


@shaped("show router interface")
def parse_router_interfaces(text: str) -> Interfaces:
    """IP interfaces of the Base router: state and every IPv4/IPv6 address (``system`` included).
    Operationally up when IPv4 or IPv6 is up (an IPv4-only interface reports IPv6 ``Down``)."""
    _fail_on_error(text, "show router interface")
    out = Interfaces()
    current: Interface | None = None
    seen_header = False
    for line in _lines(text):
        if line.startswith("Interface-Name"):
            seen_header = True
            continue
        m = _RTR_IF.match(line)
        if m and not line.startswith(" "):
            current = Interface(name=m.group("name"), admin_up=m.group("adm") == "Up",
                                oper_up=m.group("adm") == "Up" and "Up" in (m.group("v4"), m.group("v6")))
            out.interfaces.append(current)
            continue
        a = _RTR_ADDR.match(line)
        if a and current is not None:
            addr = a.group("addr")
            spelled = ipv6(addr, None) if ":" in addr else ipv4(addr)
            if spelled and spelled not in current.addresses:
                current.addresses.append(spelled)
    if not seen_header and not out.interfaces:
        raise ParseError(f"'show router interface' output not recognised: {text.strip()[:80]!r}")
    for i in out.interfaces:  # IPv4 first, each family in the device's order
        i.addresses.sort(key=lambda a: ":" in a)
    return out


_PORT_ID = r"[\w-]+(?:[/.][\w-]+)+"  # 1/1/1, 1/1/c1/1, esat-1/1/1, pxc-1.a (port cross-connect)
_PORT = re.compile(rf"^(?P<port>{_PORT_ID})\s+(?P<adm>Up|Down)\s+(?:(?:Yes|No)\s+)?"
                   r"(?P<state>Link Up|Link Dn|Up|Down|Ghost)\b(?:\s+(?P<cfg>\d+)\s+(?P<mtu>\d+))?")


@shaped("show port")
def parse_ports(text: str) -> Interfaces:
    """Physical ports of every slot, MDA and satellite: admin state, operational state (``Up``
    only: ``Link Up`` is a connector whose breakout port carries the traffic) and MTU."""
    _fail_on_error(text, "show port")
    out = Interfaces()
    pending: str | None = None
    for line in _lines(text):
        if pending is not None and line[:1].isspace():  # a long port id wraps its row
            line, pending = f"{pending} {line.strip()}", None
        m = _PORT.match(line)
        if m:
            out.interfaces.append(Interface(
                name=m.group("port"), admin_up=m.group("adm") == "Up",
                oper_up=m.group("adm") == "Up" and m.group("state") == "Up", mtu=to_int(m.group("mtu"))))
            pending = None
        elif re.fullmatch(_PORT_ID, line.strip()) and not line[:1].isspace():
            pending = line.strip()
    if not out.interfaces:  # no port row: an empty table has its header, anything else is not "show port"
        require(text, r"^Port\s+Admin\s+Link", "show port", "SR OS")
    return out


_DESCR = re.compile(rf"^(?P<port>{_PORT_ID})(?:\s+(?P<descr>\S.*?))?\s*$")


def parse_port_descriptions(text: str) -> dict[str, str]:
    """``show port description``: port -> description (a long port id puts its description on
    the next line; a long description continues on indented lines)."""
    if device_error(text):
        return {}
    out: dict[str, str] = {}
    port: str | None = None
    in_table = False
    for line in _lines(text):
        if line.startswith("Port Id"):
            in_table = True
            continue
        if not in_table or not line.strip() or set(line.strip()) <= {"-", "="}:
            continue
        m = _DESCR.match(line)
        if m:
            port = m.group("port")
            if m.group("descr"):
                out[port] = m.group("descr")
        elif port is not None and line[:1].isspace():
            out[port] = f"{out[port]} {line.strip()}" if port in out else line.strip()
    return out


# -- BGP ------------------------------------------------------------------------------------------

_BGP_ID = re.compile(r"BGP Router ID\s*:\s*(?P<rid>[0-9a-fA-F.:]+)\s+AS\s*:\s*(?P<asn>[\d.]+)")
_PEER = re.compile(r'^(?P<peer>[0-9a-fA-F.:]*[.:][0-9a-fA-F.:]*)(?:-"?(?P<ifname>[^"\s]+)"?)?(?:\s*\(D\))?\s*$')
# [ServiceId] AS PktRcvd InQ Up/Down State|Rcv/Act/Sent (Family); "summary family X" prints
# AS PktRcvd PktSent InQ OutQ Up/Down Recv/Actv/Sent (no family)
_ROW = re.compile(r"^(?:(?P<svc>\S.*?)\s+|\s+)(?P<asn>\d+(?:\.\d+)?)\*?(?:\s+\d+\*?){2,4}\s+"
                  r"(?P<updown>\d+[wdhms:][\dwdhms:]*|never)\s+(?P<rest>\S.*?)\s*$")
_FAMILY_HEADER = re.compile(r"^BGP (?P<fam>\S+) Summary\s*$")
_MORE = re.compile(r"^\s+(?:\d+\*?\s+\d+\*?\s*)?(?P<counts>\d+/\d+/\d+)\s+\((?P<fam>[^)]+)\)\s*$")
_COUNTS = re.compile(r"^(?P<rcv>\d+)/(?P<act>\d+)/(?P<sent>\d+)(?:\s+\((?P<fam>[^)]+)\))?$")
_FAMILIES = {
    "ipv4": "ipv4-unicast", "ipv6": "ipv6-unicast", "vpnipv4": "vpnv4-unicast", "vpnipv6": "vpnv6-unicast",
    "evpn": "l2vpn-evpn", "l2vpn": "l2vpn-vpls", "lblipv4": "ipv4-labeled-unicast",
    "lblipv6": "ipv6-labeled-unicast", "mcipv4": "ipv4-multicast", "mcipv6": "ipv6-multicast",
    "flowipv4": "ipv4-flowspec", "flowipv6": "ipv6-flowspec", "mvpnipv4": "ipv4-mvpn", "mvpnipv6": "ipv6-mvpn",
    "mcvpnipv4": "vpnv4-multicast", "mcvpnipv6": "vpnv6-multicast", "routetgt": "rtarget",
    "mdtsafi": "ipv4-mdt", "bgpls": "link-state", "srplcyipv4": "ipv4-sr-policy", "srplcyipv6": "ipv6-sr-policy",
}
_STATES = {"active": "Active", "connect": "Connect", "idle": "Idle", "opensent": "OpenSent",
           "openconfirm": "OpenConfirm", "established": "Established"}


def family(name: str) -> str:
    """SR OS family names (``IPv4``, ``VpnIPv6``, ``Evpn``, ``Lbl-IPv4``, ...) in the shared spelling."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return _FAMILIES.get(key, key)


def _vrf(svc: str | None, default: str) -> str:
    svc = (svc or "").strip()
    if not svc or svc.lower().startswith("def."):
        return default
    return svc


@shaped("show router bgp summary")
def parse_bgp_summary(text: str, *, vrf: str = "default") -> BgpNeighbors:
    """``show router [SERVICE] bgp summary [all]``: one neighbor per peer and address family
    (``Rcv/Act/Sent (Family)`` lines; the received count is ``prefixes_received``); a peer that is
    not established is one entry with its state. With ``all`` the ``ServiceId`` column names the
    VPRN of each peer (``Def. Inst``: the default instance); otherwise every peer is in ``vrf``."""
    said = not_running(text)
    if said:
        return BgpNeighbors(note=not_running_note("BGP", said))
    _fail_on_error(text, "show router bgp summary")
    out = BgpNeighbors()
    m = _BGP_ID.search(text)
    if m:
        out.router_id, out.local_as = m.group("rid"), to_asn(m.group("asn"))
    lines = _lines(text)
    start = next((i for i, ln in enumerate(lines) if ln.strip() == "Neighbor"), None)
    if start is None:
        if "BGP" in text and ("Summary" in text or "Router ID" in text):
            return out  # no peers configured
        raise ParseError(f"'show router bgp summary' output not recognised: {text.strip()[:80]!r}")
    header = next((m for m in map(_FAMILY_HEADER.match, lines[:start]) if m), None)
    listed_family = family(header.group("fam")) if header else None
    peer: str | None = None
    common: dict[str, Any] | None = None
    description: list[str] = []
    for line in lines[start + 1:]:
        if not line.strip() or set(line.strip()) <= {"-", "="} or line.startswith("*"):
            continue
        p = _PEER.match(line)
        if p and _is_ip(p.group("peer")) and (not p.group("ifname") or ":" in p.group("peer")):
            peer, common, description = p.group("peer"), None, []
            if p.group("ifname"):  # an IPv6 link-local peer: fe80::1-"to-r2"
                peer = f"{peer}%{p.group('ifname')}"
            continue
        if peer is None:
            continue
        row = _ROW.match(line)
        if row and common is None:
            rest = row.group("rest")
            counts = _COUNTS.match(rest)
            up = counts is not None
            raw = None if up else rest.split()[0]
            state = "Established" if up else _STATES.get(raw.lower(), raw)
            # SR OS prints "Disabled" for a peer shut by configuration (shutdown / admin-state disable)
            common = dict(peer=peer, remote_as=to_asn(row.group("asn")), state=state, established=up,
                          admin_down=raw is not None and raw.lower() == "disabled", raw_state=raw,
                          uptime=row.group("updown") if up else None,
                          uptime_seconds=duration_seconds(row.group("updown")) if up else None,
                          description=" ".join(description) or None, vrf=_vrf(row.group("svc"), vrf))
            default_afi = listed_family or ("ipv6-unicast" if ":" in peer.split("%")[0] else "ipv4-unicast")
            if counts:
                afi = family(counts.group("fam")) if counts.group("fam") else default_afi
                out.neighbors.append(BgpNeighbor(**common, afi_safi=afi, prefixes_received=int(counts.group("rcv"))))
            else:
                out.neighbors.append(BgpNeighbor(**common, afi_safi=default_afi))
            continue
        more = _MORE.match(line)
        if more and common is not None and common["established"]:
            rcv = int(more.group("counts").split("/")[0])
            out.neighbors.append(BgpNeighbor(**common, afi_safi=family(more.group("fam")), prefixes_received=rcv))
            continue
        if common is None and not line[:1].isspace():
            description.append(line.strip())  # the Description line under the peer address
    return out


_SERVICE = re.compile(r"^(?P<id>\d+)\s+VPRN\s+\S+\s+\S+\s+\d+\s+(?P<name>\S.*?)\s*$", re.I)


_SERVICE_ROW = re.compile(r"^(?P<id>\d+)\s+VPRN\s+\S+\s+\S+\s+\d+(?:\s+(?P<name>\S.*?))?\s*$", re.I)


def parse_vprn_services(text: str) -> list[tuple[str, str | None]]:
    """``show service service-using vprn``: ``(service id, name or None)`` of every VPRN."""
    if device_error(text):
        return []
    return [(m.group("id"), m.group("name")) for m in map(_SERVICE_ROW.match, _lines(text)) if m]


def parse_vprn_names(text: str) -> dict[str, str]:
    """``show service service-using vprn``: service id -> service name (ids without a name left out)."""
    if device_error(text):
        return {}
    return {m.group("id"): m.group("name") for m in map(_SERVICE.match, _lines(text)) if m}


_is_ip = is_address


# -- OSPF -----------------------------------------------------------------------------------------

_OSPF_ROW = re.compile(r"^(?P<ifname>\S(?:.*?\S)?)\s+(?P<rid>\d+\.\d+\.\d+\.\d+)\s+(?P<state>[A-Za-z-]+)\s+"
                       r"(?P<pri>\d+)\s+(?P<retx>\d+)\s+(?P<ttl>\d+)\s*$")
_OSPF_STATES = {"full": "Full", "twoway": "2-Way", "2way": "2-Way", "2-way": "2-Way", "init": "Init",
                "down": "Down", "attempt": "Attempt", "exchstart": "ExStart", "exstart": "ExStart",
                "exchange": "Exchange", "loading": "Loading"}


@shaped("show router ospf neighbor")
def parse_ospf_neighbors(text: str) -> OspfNeighbors:
    """``show router ospf neighbor``: interface, router id, state, priority and the dead timer
    (``TTL``, seconds). The table has no neighbor address and no DR role (``None``)."""
    said = not_running(text)
    if said:
        return OspfNeighbors(note=not_running_note("OSPF", said))
    _fail_on_error(text, "show router ospf neighbor")
    if text.strip() and "Interface-Name" not in text and not re.search(r"No Neighbors Found|No\. of Neighbors", text):
        raise ParseError(f"'show router ospf neighbor' output not recognised: {text.strip()[:80]!r}")
    out = OspfNeighbors()
    for line in _lines(text):
        m = _OSPF_ROW.match(line)
        if not m or line.startswith("Interface-Name"):
            continue
        state = _OSPF_STATES.get(m.group("state").lower(), m.group("state"))
        out.neighbors.append(OspfNeighbor(
            neighbor_id=m.group("rid"), interface=m.group("ifname"), state=state, full=state == "Full",
            priority=int(m.group("pri")), dead_time_seconds=float(m.group("ttl"))))
    return out


# -- routes ---------------------------------------------------------------------------------------

_RT_ROW = re.compile(r"^(?P<prefix>[0-9A-Fa-f.:]+/\d+)(?:\s*\[[^\]]*\])?\s+(?P<type>\S+)\s+(?P<proto>\S+)\s+"
                     r"(?P<age>\S+)\s+(?P<pref>\d+)\s*$")
_RT_NH = re.compile(r"^\s+(?P<nh>\S.*?)\s+(?:[YN]\s+)?(?P<metric>\d+)\s*$")
_LINK_LOCAL_NH = re.compile(r'^(?P<addr>[0-9A-Fa-f:]+)-"?(?P<ifname>[^"]+)"?$')
_PROTOCOLS = {"local": "connected", "static": "static", "bgp": "bgp", "bgp_vpn": "bgp", "bgp_label": "bgp",
              "ospf": "ospf", "ospfv3": "ospf", "ospf3": "ospf", "isis": "isis", "rip": "rip", "host": "local",
              "aggregate": "aggregate", "vpn_leak": "bgp"}


def _next_hop(text: str) -> NextHop:
    """``10.0.0.2``, ``to-r2`` (a connected route's interface), ``fe80::1-"to-r2"`` (IPv6
    link-local via an interface), ``10.0.0.2 (tunneled:SR-ISIS)``, ``Black Hole``."""
    word = text.split(" (")[0].strip()
    ll = _LINK_LOCAL_NH.match(word)
    if ll and _is_ip(ll.group("addr")):
        return NextHop(address=str(ipaddress.ip_address(ll.group("addr"))), interface=ll.group("ifname"))
    if _is_ip(word):
        return NextHop(address=str(ipaddress.ip_address(word)))
    try:
        ipaddress.ip_network(word, strict=False)  # an SRv6 locator as the tunnelled next hop
        return NextHop(address=word)
    except ValueError:
        pass
    if word.lower() in ("black hole", "blackhole"):
        return NextHop()
    return NextHop(interface=word)


@shaped("show router route-table")
def parse_route(text: str, query: str) -> RouteLookup:
    """``show router route-table [ipv6] X``: the longest prefix listed (an address: the device's
    longest match); every next hop of it (ECMP rows repeat the prefix)."""
    _fail_on_error(text, f"show router route-table {query}")
    best: str | None = None
    rows: list[tuple[re.Match[str], list[NextHop], int | None]] = []
    for line in _lines(text):
        m = _RT_ROW.match(line)
        if m:
            rows.append((m, [], None))
            continue
        nh = _RT_NH.match(line)
        if nh and rows and not line.startswith(("Flags", "No. of")):
            row, hops, _ = rows[-1]
            hops.append(_next_hop(nh.group("nh")))
            rows[-1] = (row, hops, int(nh.group("metric")))
    if not rows and not ("Route Table" in text or "No. of Routes" in text or not text.strip()):
        raise ParseError(f"'show router route-table' output not recognised: {text.strip()[:80]!r}")
    best = most_specific([r[0].group("prefix") for r in rows], query)  # also a whole table: longest match
    if best is None:
        return RouteLookup(query=query, found=False)
    chosen = [r for r in rows if r[0].group("prefix") == best]
    first = chosen[0][0]
    hops = [h for _, hs, _ in chosen for h in hs]
    proto = first.group("proto").lower()
    return RouteLookup(query=query, found=True, prefix=str(ipaddress.ip_network(best, strict=False)),
                       protocol=_PROTOCOLS.get(proto, proto), distance=int(first.group("pref")),
                       metric=chosen[0][2], next_hops=hops, uptime=first.group("age"))


# -- getters --------------------------------------------------------------------------------------

def facts(host: Any, read: Read) -> Facts:
    info = read("show system information")
    chassis = read("show chassis")
    if device_error(info) and not device_error(chassis):  # no rights for it: "show version" + chassis
        return parse_version(read("show version"), chassis)
    return parse_system_information(info, chassis)


MAX_VPRNS = 64
"""VPRNs whose interfaces one ``interfaces`` call reads (one command each); the rest are noted."""


def interfaces(host: Any, read: Read) -> Interfaces:
    routed = _with_vprns(read, parse_router_interfaces(read("show router interface")))
    ports_text = read("show port")
    if device_error(ports_text):
        return routed
    ports = parse_ports(ports_text)
    descriptions = parse_port_descriptions(read("show port description"))
    for port in ports.interfaces:
        port.description = descriptions.get(port.name) or None
    return Interfaces(interfaces=[*ports.interfaces, *routed.interfaces], note=routed.note)


def _with_vprns(read: Read, base: Interfaces) -> Interfaces:
    """``base`` (the Base router) plus every VPRN's IP interfaces (``show router ID interface``),
    each with its VPRN's name (its service id when it has none) as ``vrf``. A refused or unreadable
    VPRN table ends the reading there, with a note."""
    out, notes = base.model_copy(deep=True), [base.note] if base.note else []
    try:
        services = parse_vprn_services(read("show service service-using vprn"))
    except DeviceError as exc:  # refused or timed out: the Base router still answers
        out.note = "; ".join([*notes, f"VPRN interfaces not read ('show service service-using vprn'): {exc}"])
        return out
    for sid, name in services[:MAX_VPRNS]:
        command = f"show router {sid} interface"
        try:
            got = parse_router_interfaces(read(command))
        except DeviceError as exc:  # unreadable (a ParseError), refused or timed out
            notes.append(f"VPRN interfaces not read from service {sid} on ({command!r}): {exc}")
            break
        for i in got.interfaces:
            i.vrf = name or sid
        out.interfaces.extend(got.interfaces)
    else:
        if len(services) > MAX_VPRNS:
            notes.append(f"VPRN interfaces read for the first {MAX_VPRNS} of {len(services)} VPRNs only")
    out.note = "; ".join(notes) or None
    return out


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    base = read("show router bgp summary")  # the Base router, headed by its router id and AS
    every = read("show router bgp summary all")  # every instance, VPRNs included, without that header
    if device_error(every) and not not_running(every):  # a release without "all": the Base router
        return _named_vprns(read, parse_bgp_summary(base))
    out = parse_bgp_summary(every)
    m = _BGP_ID.search(base)
    if m and not device_error(base):
        out.router_id, out.local_as = m.group("rid"), to_asn(m.group("asn"))
    return _named_vprns(read, out)


def _named_vprns(read: Read, out: BgpNeighbors) -> BgpNeighbors:
    if any(n.vrf.isdigit() for n in out.neighbors):  # VPRNs by service id: report them by name
        names = parse_vprn_names(read("show service service-using vprn"))
        for n in out.neighbors:
            n.vrf = names.get(n.vrf, n.vrf)
    return out


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    return parse_ospf_neighbors(read("show router ospf neighbor"))


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    net = ipaddress.ip_network(prefix, strict=False)
    target = str(net.network_address) if net.prefixlen == net.max_prefixlen else str(net)
    table = "show router route-table ipv6" if net.version == 6 else "show router route-table"
    text = read(f"{table} {target}")
    if device_error(text):  # the lookup form refused: the whole table, longest match done here
        whole = read(table)
        text = text if device_error(whole) else whole
    return parse_route(text, prefix)


def config(host: Any, read: Read) -> RunningConfig:
    text = read("admin display-config")
    if device_error(text):  # the MD-CLI
        text = read("admin show configuration")
        _fail_on_error(text, "admin show configuration")
    lines = _lines(text)
    if lines and lines[0].strip() in ("admin display-config", "admin show configuration"):
        lines = lines[1:]  # the command's echo
    return RunningConfig(text="\n".join(lines) + "\n")


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}


from netops.devices.parsers.sros_peer_routes import PEER_GETTERS  # noqa: E402,F401  (bgp_advertised, bgp_received)
