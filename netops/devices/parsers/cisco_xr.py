"""Cisco IOS-XR (classic 32-bit, 64-bit eXR, XR7): getters from CLI text.

Every XR command prints a timestamp line first (``Tue Mar 21 09:08:19.039 EDT``); :func:`body`
drops it (and a saved session's prompt and command echo) before anything is read, so an error
(``% Invalid input``) is found on its first line. The readers are netops' own: the ntc-templates
ones for XR read no host name or serial from ``show version``, miss the sub-interface counter
layout, and record an OSPF neighbor only at its ``Neighbor is up for`` line (a neighbor in INIT
has none, and its row is lost).

* facts: ``show version`` (classic XR names the host on its ``<host> uptime is`` line; eXR and
  XR7 print ``System uptime is``: the host name then comes from ``show running-config
  hostname``), the chassis serial and PID from ``show inventory`` (``Rack 0`` / chassis entry).
* interfaces: ``show interfaces`` (state, counters, primary IPv4), ``show ipv4 vrf all
  interface`` (primary and secondary IPv4 of every VRF) and ``show ipv6 vrf all interface``
  (IPv6 of every VRF), merged by name in :mod:`._addresses`.
* bgp: ``show bgp all all summary`` (the default VRF, every ``Address Family:`` section) and
  ``show bgp vrf all ipv4|ipv6 unicast summary`` (one ``VRF: NAME`` section per VRF); then
  ``show bgp instance all all all summary`` for named instances (``BGP instance N: 'NAME'``
  sections; their sessions carry ``instance``) and, when there is one, ``show bgp instance all
  vrf all ipv4|ipv6 unicast summary`` for their VRFs. XR's table
  has ``Spk`` where IOS has ``V`` and one ``St/PfxRcd`` column; rows go through :mod:`._bgp_table`.
  ``% BGP instance 'default' not active`` is an empty result with a note.
* ospf: ``show ospf vrf all-inclusive neighbor`` (``Neighbors for OSPF 1[, VRF X]`` sections;
  ``vrf all`` would leave out the default VRF), ``show ospf neighbor`` where that is refused.
* route: ``show route ipv4|ipv6 QUERY``; ``% Network not in table`` is not found.
* config: ``show running-config`` (the timestamp line left out, so two reads compare equal).
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
from netops.devices.parsers import ParseError, af_name, not_running_note, to_int, worded_seconds
from netops.devices.parsers import _addresses, _bgp_table
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error

Read = Callable[[str], str]

_STAMP = re.compile(r"^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                    r"\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\s+\S+\s*$")
_ECHO = re.compile(r"^\s*(?:\S+[#>])?\s*(?:show|sh)\s+\S")  # "RP/0/RSP0/CPU0:pe1#show version"


def body(text: str) -> str:
    """``text`` without what comes before the output proper: blank lines, XR's timestamp line
    and, in a saved session, the prompt and command echoed above it."""
    lines = (text or "").splitlines()
    i = 0
    while i < len(lines) and (not lines[i].strip() or _ECHO.match(lines[i])):
        i += 1
    if i < len(lines) and _STAMP.match(lines[i]):
        i += 1
    return "\n".join(lines[i:]) + ("\n" if lines[i:] else "")


def _failed(text: str, command: str) -> None:
    said = device_error(text)
    if said:
        raise ParseError(f"{command!r} failed on the device: {said}")


# -- facts -----------------------------------------------------------------------------------------

_VERSION = re.compile(r"^\s*Cisco IOS XR Software,\s+Version\s+(?P<version>[^\s\[,]+)", re.M)
_UPTIME = re.compile(r"^\s*(?P<host>\S+)\s+uptime is\s+(?P<uptime>.+?)\s*$", re.M)
# "cisco ASR9K Series (Intel 686 F6M14S4) processor with ..."; XR7 LNT: "cisco N540X-6Z18G-SYS-A processor with 8GB"
_MODEL = re.compile(r"^\s*cisco\s+(?P<model>.+?)\s*(?:\(.*\)\s*)?processor\b", re.M | re.I)


@shaped("show version")
def parse_version(text: str, hostname: str | None = None) -> Facts:
    """``show version``; ``hostname`` is used when the output does not name the host (eXR/XR7
    ``System uptime is ...``)."""
    text = body(text)
    _failed(text, "show version")
    version = _VERSION.search(text)
    if not version:
        raise ParseError("'show version' output not recognised as IOS-XR (no 'Cisco IOS XR Software, Version')")
    up = _UPTIME.search(text)
    named = up.group("host") if up and up.group("host") != "System" else None
    model = _MODEL.search(text)
    host = named or hostname
    if not host:
        raise ParseError("'show version' does not name the host and no host name was read")
    return Facts(hostname=host, vendor="Cisco", platform="cisco_xr", os_version=version.group("version"),
                 model=model.group("model").strip() if model else None,
                 uptime_seconds=worded_seconds(up.group("uptime")) if up else None)


_HOSTNAME = re.compile(r"^\s*hostname\s+(?P<name>\S+)\s*$", re.M)


def parse_hostname(text: str) -> str | None:
    """The name in ``show running-config hostname`` (``hostname PE1``)."""
    m = _HOSTNAME.search(body(text))
    return m.group("name") if m else None


_INV_NAME = re.compile(r'^\s*NAME:\s*"?(?P<name>[^",]+?)"?\s*,?\s+DESCR:', re.I)
_INV_PID = re.compile(r"^\s*PID:\s*(?P<pid>[^\s,]*)\s*,?\s+VID:\s*[^\s,]*\s*,?\s*SN:\s*(?P<sn>[^\s,]*)", re.I)


def parse_chassis(text: str) -> tuple[str | None, str | None]:
    """``(PID, serial)`` of the chassis in ``show inventory``: the ``Rack 0`` or ``chassis`` entry,
    else the first one; ``(None, None)`` when there is none."""
    entries: list[tuple[str, str, str]] = []
    name = None
    for line in body(text).splitlines():
        m = _INV_NAME.match(line)
        if m:
            name = m.group("name").strip()
            continue
        p = _INV_PID.match(line)
        if p and name is not None:
            entries.append((name, p.group("pid"), p.group("sn")))
            name = None
    if not entries:
        return None, None
    chassis = next((e for e in entries if e[0].lower() == "rack 0" or "chassis" in e[0].lower()), entries[0])
    return chassis[1] or None, chassis[2] or None


def facts(host: Any, read: Read) -> Facts:
    """``show version``; the configured host name when it names none (eXR/XR7; a device with no
    ``hostname`` configured is called by its inventory name); the chassis from ``show inventory``
    (left out when that command is refused)."""
    text = read("show version")
    named = _UPTIME.search(body(text))
    hostname = None
    if not named or named.group("host") == "System":
        hostname = parse_hostname(read("show running-config hostname")) or getattr(host, "name", None)
    out = parse_version(text, hostname)
    inventory = read("show inventory")
    if not device_error(body(inventory)):
        pid, serial = parse_chassis(inventory)
        out.serial = serial
        out.model = pid or out.model
    return out


# -- interfaces ------------------------------------------------------------------------------------

_IF_HEAD = re.compile(r"^\s*(?P<name>[A-Za-z][\w./:-]*) is (?P<state>[^,]+), line protocol is (?P<proto>.+?)\s*$")
_IF_DESC = re.compile(r"^\s*Description:\s*(?P<desc>.*?)\s*$")
_IF_ADDR = re.compile(r"^\s*Internet address is (?P<addr>\S+)")
_IF_MTU = re.compile(r"^\s*MTU (?P<mtu>\d+) bytes")
_IF_MAC = re.compile(r"^\s*Hardware is .*?, address is (?P<mac>[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4})")
_IF_IN = re.compile(r"^\s*(?P<packets>\d+) packets input, (?P<bytes>\d+) bytes")
_IF_OUT = re.compile(r"^\s*(?P<packets>\d+) packets output, (?P<bytes>\d+) bytes")
_IF_IN_ERR = re.compile(r"^\s*(?P<n>\d+) input errors\b|\b(?P<m>\d+) input errors\s*$")
_IF_OUT_ERR = re.compile(r"^\s*(?P<n>\d+) output errors\b|\b(?P<m>\d+) output errors\s*$")


def _count(m: re.Match[str]) -> int:
    return int(m.group("n") or m.group("m"))


@shaped("show interfaces")
def parse_interfaces(text: str) -> Interfaces:
    """``show interfaces``: state (``administratively down`` = admin down), description, MTU,
    MAC, packet/byte/error counters (the main-interface and the sub-interface layouts) and
    the primary IPv4 address (``Internet address is Unknown``: none)."""
    text = body(text)
    _failed(text, "show interfaces")
    out = Interfaces()
    cur: Interface | None = None
    for line in text.splitlines():
        head = _IF_HEAD.match(line)
        if head:
            state, proto = head.group("state").strip().lower(), head.group("proto").strip().lower()
            cur = Interface(name=head.group("name"), admin_up="administratively" not in state,
                            oper_up=proto.startswith("up"), counters=InterfaceCounters())
            out.interfaces.append(cur)
            continue
        if cur is None:
            continue
        counters = cur.counters
        assert counters is not None
        if m := _IF_DESC.match(line):
            cur.description = m.group("desc") or None
        elif m := _IF_ADDR.match(line):
            addr = _addresses.ipv4(m.group("addr"))
            if addr:
                cur.addresses = [addr]
        elif m := _IF_MTU.match(line):
            cur.mtu = int(m.group("mtu"))
        elif m := _IF_MAC.match(line):
            cur.mac = m.group("mac").lower()
        elif m := _IF_IN.match(line):
            counters.rx_packets, counters.rx_bytes = int(m.group("packets")), int(m.group("bytes"))
        elif m := _IF_OUT.match(line):
            counters.tx_packets, counters.tx_bytes = int(m.group("packets")), int(m.group("bytes"))
        else:
            if m := _IF_IN_ERR.search(line):
                counters.rx_errors = _count(m)
            if m := _IF_OUT_ERR.search(line):
                counters.tx_errors = _count(m)
    if text.strip() and not out.interfaces:
        raise ParseError("'show interfaces' output not recognised as IOS-XR (no 'X is up, line protocol is up')")
    return with_text_flaps(out, text)


_L3_HEAD = re.compile(r"^\s*(?P<name>[A-Za-z][\w./:-]*) is (?P<state>[\w -]+?), ipv[46] protocol is (?P<proto>[\w -]+?)"
                      r"(?:, Vrfid is (?P<vrf>\S+)(?: \([^)]*\))?)?\s*$")
_L3_VRF = re.compile(r"^\s*Vrf is (?P<vrf>\S+)")
_V4_ADDR = re.compile(r"^\s*(?:Internet address is|Secondary address) (?P<addr>[\d.]+/\d+)\b")
_V6_LINK_LOCAL = re.compile(r"^\s*IPv6 is \w+, link-local address is (?P<addr>[0-9A-Fa-f:]+)", re.I)
_V6_GLOBAL = re.compile(r"^\s*(?P<addr>[0-9A-Fa-f:]+), subnet is [0-9A-Fa-f:]+/(?P<len>\d+)")
_V6_SECTION = re.compile(r"^\s*(?P<title>[A-Za-z][^:,]*):\s*$")


def _l3_row(head: re.Match[str]) -> _addresses.Listed:
    vrf = head.group("vrf")
    return _addresses.Listed(name=head.group("name"), admin_up=head.group("state").strip().lower() != "shutdown",
                             oper_up=head.group("proto").strip().lower() == "up",
                             vrf=None if vrf in (None, "default") else vrf)


@shaped("show ipv4 vrf all interface")
def parse_ipv4_interfaces(text: str) -> list[_addresses.Listed]:
    """``show ipv4 vrf all interface``: every interface's primary (``Internet address is``) and
    secondary (``Secondary address``) IPv4 addresses in the device's order and its VRF. An
    unnumbered interface (``Interface is unnumbered. Using address of Loopback0``) and one with
    ``Internet protocol processing disabled`` have no address of their own."""
    text = body(text)
    _failed(text, "show ipv4 vrf all interface")
    out: list[_addresses.Listed] = []
    for line in text.splitlines():
        head = _L3_HEAD.match(line)
        if head:
            out.append(_l3_row(head))
            continue
        if not out:
            continue
        if m := _V4_ADDR.match(line):
            addr = _addresses.ipv4(m.group("addr"))
            if addr and addr not in out[-1].ipv4:
                out[-1].ipv4.append(addr)
        elif m := _L3_VRF.match(line):
            out[-1].vrf = None if m.group("vrf") == "default" else m.group("vrf")
    if text.strip() and not out:
        raise ParseError("'show ipv4 vrf all interface' output not recognised as IOS-XR "
                         "(no 'X is Up, ipv4 protocol is Up')")
    return out


@shaped("show ipv6 vrf all interface")
def parse_ipv6_interfaces(text: str) -> list[_addresses.Listed]:
    """``show ipv6 vrf all interface``: every interface's global unicast addresses (tentative
    ones too: they are configured) and its link-local address; ``link-local address
    unassigned`` (IPv6 disabled) is none."""
    text = body(text)
    _failed(text, "show ipv6 vrf all interface")
    out: list[_addresses.Listed] = []
    section = ""
    for line in text.splitlines():
        head = _L3_HEAD.match(line)
        if head:
            out.append(_l3_row(head))
            section = ""
            continue
        if not out:
            continue
        if m := _V6_LINK_LOCAL.match(line):
            out[-1].link_local = _addresses.link_local(m.group("addr"))
        elif m := _V6_SECTION.match(line):
            section = m.group("title").strip().lower()
        elif (m := _V6_GLOBAL.match(line)) and section == "global unicast address(es)":
            addr = _addresses.ipv6(m.group("addr"), m.group("len"))
            if addr and addr not in out[-1].ipv6:
                out[-1].ipv6.append(addr)
    if text.strip() and not out:
        raise ParseError("'show ipv6 vrf all interface' output not recognised as IOS-XR "
                         "(no 'X is Up, ipv6 protocol is Up')")
    return out


def _reader(read: Read) -> Read:
    # with_addresses looks for the device's error on the first line: give it the output without
    # the timestamp line (an XR device that refuses the command then keeps the primary addresses).
    return lambda command: body(read(command))


def interfaces(host: Any, read: Read) -> Interfaces:
    """``show interfaces`` joined with ``show ipv4 vrf all interface`` (secondary IPv4) and
    ``show ipv6 vrf all interface`` (IPv6)."""
    plain = _reader(read)
    out = _addresses.with_addresses(parse_interfaces(read("show interfaces")), plain,
                                    [("show ipv4 vrf all interface", parse_ipv4_interfaces)],
                                    what="secondary IPv4 addresses")
    return _addresses.with_addresses(out, plain, [("show ipv6 vrf all interface", parse_ipv6_interfaces)],
                                     what="IPv6 addresses")


# -- BGP -------------------------------------------------------------------------------------------

_AF_SECTION = re.compile(r"^\s*Address Family:\s*(?P<af>.+?)\s*$", re.I)
_VRF_SECTION = re.compile(r"^\s*VRF:\s*(?P<vrf>\S+)\s*$")
_INSTANCE_SECTION = re.compile(r"^\s*BGP instance \d+:\s*'(?P<name>[^']+)'\s*$")
_BGP_OFF = ("not active", "bgp is not running", "bgp not running", "bgp instance")


def _sections(text: str, vrf: str, afi: str) -> list[tuple[str | None, str, str, str]]:
    """``(instance, vrf, afi, text)`` per ``BGP instance N: 'NAME'`` / ``Address Family:`` /
    ``VRF:`` section (one section when none); the instance is ``None`` for ``'default'``. A new
    instance starts again at the VRF and family the command asked for."""
    out: list[tuple[str | None, str, str, str]] = []
    instance: str | None = None
    cur_vrf, cur_afi, lines = vrf, afi, []
    for line in text.splitlines():
        af = _AF_SECTION.match(line)
        vr = _VRF_SECTION.match(line)
        ins = _INSTANCE_SECTION.match(line)
        if af or vr or ins:
            if lines:
                out.append((instance, cur_vrf, cur_afi, "\n".join(lines)))
            lines = []
            if ins:
                instance = None if ins.group("name") == "default" else ins.group("name")
                cur_vrf, cur_afi = vrf, afi
            elif af:
                cur_afi = af_name(af.group("af"))
            else:
                cur_vrf = vr.group("vrf")  # type: ignore[union-attr]
            continue
        lines.append(line)
    if lines:
        out.append((instance, cur_vrf, cur_afi, "\n".join(lines)))
    return out


@shaped("show bgp all all summary")
def parse_bgp_summary(text: str, *, vrf: str = "default", afi: str = "ipv4-unicast") -> BgpNeighbors:
    """``show bgp all all summary`` (``Address Family:`` sections), ``show bgp vrf all ipv4
    unicast summary`` (``VRF:`` sections, each in ``afi``) or one plain summary (``vrf``/``afi``).
    ``% BGP instance 'default' not active`` is an empty result with a note."""
    text = body(text)
    said = device_error(text)
    if said:
        if any(m in said.lower() for m in _BGP_OFF):
            return BgpNeighbors(note=not_running_note("BGP", said))
        raise ParseError(f"'show bgp summary' failed on the device: {said}")
    if text.strip() and not _bgp_table.recognised(text):
        _bgp_table.parse(text, command="show bgp summary")  # raises: nothing of a summary in it
    out = BgpNeighbors()
    for instance, sec_vrf, sec_afi, part in _sections(text, vrf, afi):
        got = _bgp_table.parse(part, vrf=sec_vrf, afi=sec_afi)
        if got.router_id and (out.router_id is None or (sec_vrf == "default" and out.local_as is None)):
            out.router_id, out.local_as = got.router_id, got.local_as
        for n in got.neighbors:
            n.instance = instance
        out.neighbors.extend(got.neighbors)
    return out


def _bgp_off(text: str) -> bool:
    said = device_error(body(text))
    return bool(said) and any(m in said.lower() for m in _BGP_OFF)


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    """``show bgp all all summary`` and the VRFs' IPv4/IPv6 unicast summaries; where ``all all``
    is refused, ``show bgp ipv4 unicast summary`` (or ``show bgp summary``) and ``show bgp ipv6
    unicast summary``."""
    text = read("show bgp all all summary")
    if device_error(body(text)) and not _bgp_off(text):  # a release (or capture) without "all all"
        v4 = read("show bgp ipv4 unicast summary")
        if device_error(body(v4)) and not _bgp_off(v4):
            v4 = read("show bgp summary")
        out = parse_bgp_summary(v4)
        v6 = read("show bgp ipv6 unicast summary") if not out.note else ""
        if body(v6).strip() and not device_error(body(v6)):
            out.neighbors += parse_bgp_summary(v6, afi="ipv6-unicast").neighbors
    else:
        out = parse_bgp_summary(text)
    if not out.note:
        for family in ("ipv4", "ipv6"):
            part = read(f"show bgp vrf all {family} unicast summary")
            if not body(part).strip() or device_error(body(part)):
                continue  # no VRF with this family (or a release without it): the default VRF stands
            vrfs = parse_bgp_summary(part, afi=f"{family}-unicast")
            out.neighbors += [n for n in vrfs.neighbors if n.vrf != "default"]
    named = _named_instances(read)
    if named.neighbors or named.router_id:
        if out.note:  # the default instance is not active; named ones are
            out = BgpNeighbors(router_id=named.router_id, local_as=named.local_as)
        out.neighbors += named.neighbors
    return out


def _named_instances(read: Read) -> BgpNeighbors:
    """The sessions of named instances (``router bgp N instance NAME``), which ``show bgp all all
    summary`` leaves out: ``show bgp instance all all all summary`` and, when it lists a named
    instance, their VRFs' IPv4/IPv6 unicast summaries. Empty where the release has no such command."""
    text = read("show bgp instance all all all summary")
    if not body(text).strip() or device_error(body(text)):
        return BgpNeighbors()
    every = parse_bgp_summary(text)
    out = BgpNeighbors(neighbors=[n for n in every.neighbors if n.instance is not None])
    sections = [(ins, part) for ins, _, _, part in _sections(body(text), "default", "ipv4-unicast") if ins]
    if not sections:
        return BgpNeighbors()
    for _, part in sections:  # the first named instance's identity
        got = _bgp_table.parse(part)
        if got.router_id:
            out.router_id, out.local_as = got.router_id, got.local_as
            break
    for family in ("ipv4", "ipv6"):
        part = read(f"show bgp instance all vrf all {family} unicast summary")
        if not body(part).strip() or device_error(body(part)):
            continue
        vrfs = parse_bgp_summary(part, afi=f"{family}-unicast")
        out.neighbors += [n for n in vrfs.neighbors if n.instance is not None and n.vrf != "default"]
    return out


# -- OSPF ------------------------------------------------------------------------------------------

_OSPF_SECTION = re.compile(r"^\s*Neighbors for OSPF\b(?P<rest>.*)$", re.M)
_OSPF_VRF = re.compile(r",\s*VRF\s+(\S+)")
_OSPF_ROW = re.compile(
    r"^\s*(?P<id>\d+\.\d+\.\d+\.\d+)\s+(?P<pri>\d+)\s+(?P<state>[A-Za-z0-9-]+)(?:/\s*(?P<role>\S+))?\s+"
    r"(?P<dead>\d+:\d+:\d+|-)\s+(?P<addr>\d+\.\d+\.\d+\.\d+)\s+(?P<iface>\S.*?)\s*$", re.M)
_OSPF_STATES = {"FULL": "Full", "2WAY": "2-Way", "INIT": "Init", "DOWN": "Down", "EXSTART": "ExStart",
                "EXCHANGE": "Exchange", "LOADING": "Loading", "ATTEMPT": "Attempt"}
_ROLES = {"DR": "DR", "BDR": "BDR", "DROTHER": "DROther"}
_OSPF_UP = re.compile(r"^\s+Neighbor is up for\s+(\S+)\s*$")
_OSPF_OFF = ("ospf not", "ospf is not", "no ospf", "not configured", "not active")


def _dead(value: str) -> float | None:
    h, m, s = (value.split(":") + ["", "", ""])[:3]
    return float(int(h) * 3600 + int(m) * 60 + int(s)) if s.isdigit() else None


@shaped("show ospf neighbor")
def parse_ospf_neighbors(text: str) -> OspfNeighbors:
    """``show ospf [vrf all-inclusive] neighbor``: every ``Neighbors for OSPF P[, VRF X]``
    section's rows (``FULL/DR``, ``FULL/  -`` on point-to-point links, ``INIT/DROTHER``). No
    output at all: no OSPF process runs."""
    text = body(text)
    said = device_error(text)
    if said:
        if any(m in said.lower() for m in _OSPF_OFF):
            return OspfNeighbors(note=not_running_note("OSPF", said))
        raise ParseError(f"'show ospf neighbor' failed on the device: {said}")
    if not _OSPF_SECTION.search(text) and not _OSPF_ROW.search(text):
        if text.strip() and "Neighbor ID" not in text and "MADJ" not in text:
            raise ParseError("'show ospf neighbor' output not recognised as IOS-XR (no 'Neighbors for OSPF')")
        return OspfNeighbors(note="the device listed no OSPF process (OSPF may not be configured)")
    out = OspfNeighbors()
    above: OspfNeighbor | None = None  # the row on the line right above (its uptime line follows it)
    vrf = "default"  # rows before any section header, and "Neighbors for OSPF 1" with no VRF named
    for line in text.splitlines():
        section = _OSPF_SECTION.match(line)
        if section:
            named = _OSPF_VRF.search(section.group("rest"))
            vrf = named.group(1) if named else "default"
            above = None
            continue
        m = _OSPF_ROW.match(line)
        if not m:
            up = _OSPF_UP.match(line)  # "    Neighbor is up for 12w3d" under its row (INIT has none)
            if up and above is not None and above.uptime_seconds is None:
                above.uptime_seconds = _bgp_table.duration_seconds(up.group(1))
            above = None  # under a row this parser did not read, the uptime is that row's: nobody's here
            continue
        state = m.group("state").upper()
        role = (m.group("role") or "").upper()
        out.neighbors.append(OspfNeighbor(
            neighbor_id=m.group("id"), address=m.group("addr"), interface="".join(m.group("iface").split()),
            state=_OSPF_STATES.get(state, state.capitalize()), full=state == "FULL", role=_ROLES.get(role),
            priority=int(m.group("pri")), dead_time_seconds=_dead(m.group("dead")), vrf=vrf))
        above = out.neighbors[-1]
    return out


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    text = read("show ospf vrf all-inclusive neighbor")
    said = device_error(body(text))
    if said and not any(m in said.lower() for m in _OSPF_OFF):  # a release without all-inclusive
        text = read("show ospf neighbor")
    return parse_ospf_neighbors(text)


# -- route -----------------------------------------------------------------------------------------

_ENTRY = re.compile(r"^\s*Routing entry for (?P<prefix>[0-9A-Fa-f.:]+/\d+)", re.M)
_KNOWN = re.compile(r'^\s*Known via "(?P<proto>[^"]+)", distance (?P<distance>\d+), metric (?P<metric>\d+)', re.M)
_INSTALLED = re.compile(r"^\s*Installed .+ for (?P<age>\S+)\s*$", re.M)
_PATH = re.compile(r"^\s*(?P<addr>[0-9A-Fa-f.:]+(?:%\S+)?), from [^,\s]+(?:, via (?P<iface>[^,\s]+))?(?P<rest>.*)$")
_CONNECTED = re.compile(r"^\s*directly connected, via (?P<iface>[^,\s]+)")


@shaped("show route")
def parse_route(text: str, query: str) -> RouteLookup:
    """``show route ipv4|ipv6 QUERY``: the entry, its protocol (``bgp 65000`` -> ``bgp``),
    distance, metric and paths (a ``Backup`` path, e.g. LFA, is not active)."""
    text = body(text)
    if not text.strip() or "not in table" in text.lower():
        return RouteLookup(query=query, found=False)
    _failed(text, f"show route {query}")
    entry = _ENTRY.search(text)
    if not entry:
        raise ParseError(f"'show route {query}' output not recognised as IOS-XR (no 'Routing entry for')")
    known = _KNOWN.search(text)
    installed = _INSTALLED.search(text)
    hops: list[NextHop] = []
    for line in text[entry.end():].splitlines():
        if m := _CONNECTED.match(line):
            hops.append(NextHop(interface=m.group("iface")))
        elif m := _PATH.match(line):
            hops.append(NextHop(address=m.group("addr"), interface=m.group("iface"),
                                active="backup" not in m.group("rest").lower()))
    return RouteLookup(query=query, found=True, prefix=entry.group("prefix").lower(),
                       protocol=known.group("proto").split()[0] if known else None,
                       distance=to_int(known.group("distance")) if known else None,
                       metric=to_int(known.group("metric")) if known else None,
                       next_hops=hops, uptime=installed.group("age") if installed else None)


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    family = "ipv6" if ":" in prefix else "ipv4"
    return parse_route(read(f"show route {family} {prefix}"), prefix)


def config(host: Any, read: Read) -> RunningConfig:
    return RunningConfig(text=body(read("show running-config")))


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}


from netops.devices.parsers.xr_peer_routes import PEER_GETTERS  # noqa: E402,F401  (bgp_advertised, bgp_received)
