"""Huawei VRP (VRP 5: S/AR/NE series of the V100-V300 releases; VRP 8: NE40E/NE8000/CE/CX V800+):
getters from ``display`` text output.

Errors are printed under a caret line: ``Error: Unrecognized command found at '^' position.``
(also ``Error: Wrong parameter ...``, ``Error: Incomplete command ...``); :func:`device_error`
finds them. A saved session's ``<PE1>display version`` echo line is dropped first. Durations are
``00:17:49``, ``1d02h``, ``0034h12m`` (VRP 8 BGP) or ``06h28m21s``.

Commands (every one policy-checked):

* facts: ``display version`` (release, model and uptime from ``HUAWEI X uptime is ...``), the host
  name from ``display current-configuration | include sysname`` (refused: the whole configuration,
  then a saved session's prompt, then the inventory name) and the serial from ``display esn`` (left
  out when refused);
* interfaces: ``display interface`` (state: ``current state : Administratively DOWN`` is admin
  down; MTU, description, MAC, counters, primary and ``Sub`` secondary IPv4 addresses) +
  ``display ipv6 interface`` (global and link-local IPv6), merged by name in :mod:`._addresses`;
  the brief tables (``display interface brief``, ``display ip interface brief``, ``display ipv6
  interface brief``) where the full forms are refused; each interface's VPN instance (``vrf``)
  from ``display ip vpn-instance interface``;
* bgp: ``display bgp peer`` (IPv4 unicast, public), ``display bgp ipv6 peer``, ``display bgp
  vpnv4 all peer`` (VPNv4 peers, then one ``VPN-Instance NAME, Router ID X:`` section per VPN
  instance: those peers are IPv4 unicast in that VRF), ``display bgp vpnv6 all peer`` (the same
  for IPv6) and ``display bgp evpn peer``; BGP not configured is a note;
* ospf: ``display ospf peer`` (every process; DR/BDR role from the neighbor's address), ``display
  ospf peer brief`` where that is refused (or prints nothing while the brief table lists peers);
* route: ``display ip routing-table ADDRESS`` / ``display ipv6 routing-table ADDRESS`` (a prefix
  ``A/L`` is sent as ``A L``); the longest match, ECMP rows, ``Summary Count : 0`` = not found;
  where the lookup form is refused, the whole table (longest match done here);
* config: ``display current-configuration``.

Tested on output hand-written in the format of published captures (ntc-templates
``tests/huawei_vrp``, Huawei configuration guides); see ``tests/fixtures/devices/huawei_vrp/README.md``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import (
    BgpNeighbor, BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop, OspfNeighbor,
    OspfNeighbors, RouteLookup, RunningConfig,
)
from netops.devices.parsers import ParseError, not_running_note, to_asn, to_int, worded_seconds
from netops.devices.parsers import _addresses
from netops.devices.parsers._bgp_table import admin_down, duration_seconds, is_peer, state_name
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error as generic_device_error

Read = Callable[[str], str]

_ECHO = re.compile(r"^\s*[<\[][^>\]\s]+[>\]]\s*\S")  # "<PE1>display version", "[~PE1]display bgp peer"
_PROMPT = re.compile(r"^\s*[<\[][^>\]\s]+[>\]]\s*$")  # a trailing "<PE1>" of a saved session
# VRP 8 with "timestamp enable" prints the time above each command's output
_STAMP = re.compile(r"^\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s*[+-]\d{2}:\d{2}(?: DST)?)?\s*$")
_ERROR = re.compile(r"^\s*Error:\s*(?P<msg>.*\S)", re.I)


def body(text: str) -> str:
    """``text`` without a saved session's prompt-and-command line, its trailing prompt, the
    timestamp line VRP 8 may print first (two reads of a configuration then compare equal) and
    leading blank lines."""
    lines = (text or "").splitlines()
    while lines and (not lines[-1].strip() or _PROMPT.match(lines[-1])):
        lines.pop()
    i = 0
    while i < len(lines) and (not lines[i].strip() or _ECHO.match(lines[i])):
        i += 1
    if i < len(lines) and _STAMP.match(lines[i]):
        i += 1
    return "\n".join(lines[i:]) + ("\n" if lines[i:] else "")


def device_error(text: str) -> str | None:
    """The device's ``Error: ...`` line (under its caret line) when ``text`` is an error reply,
    or another CLI's ``% ...``."""
    lines = [ln for ln in body(text).splitlines() if ln.strip()]
    for line in lines[:3]:
        if _ERROR.match(line):
            return line.strip()
    return generic_device_error("\n".join(lines))


def _failed(text: str, command: str) -> None:
    said = device_error(text)
    if said:
        raise ParseError(f"{command!r} failed on the device: {said}")




# -- facts ------------------------------------------------------------------------------------------

_VERSION = re.compile(r"^\s*VRP \(R\) software,\s*Version\s+(?P<vrp>\S+)\s*\((?P<inside>[^)]*)\)", re.M | re.I)
_UPTIME = re.compile(r"^\s*(?:HUAWEI|Huawei|Quidway)\s+(?P<model>.+?)\s+uptime is\s+(?P<uptime>.+?)\s*$", re.M)
_MODEL_SUFFIX = re.compile(r"(?:\s+Terabit)?\s+(?:Routing Switch|Router|Switch)$", re.I)
_RELEASE = re.compile(r"\bV\d{3}R\d{3}\S*")


@shaped("display version")
def parse_version(text: str, hostname: str | None = None) -> Facts:
    """``display version``: the release (``V800R011C00SPC200``, else the VRP version), the model
    (``HUAWEI NE40E-X2-M8A uptime is ...``, ``Huawei AR6280 Router uptime is ...``) and uptime.
    VRP does not name the host there: ``hostname`` comes from the ``sysname``."""
    text = body(text)
    _failed(text, "display version")
    version = _VERSION.search(text)
    if not version:
        raise ParseError("'display version' output not recognised as Huawei VRP (no 'VRP (R) software, Version')")
    release = _RELEASE.search(version.group("inside"))
    up = _UPTIME.search(text)
    model = _MODEL_SUFFIX.sub("", up.group("model").strip()) if up else None
    if not model:  # "(S5720 V200R011C10SPC500)": the product name before the release
        head = version.group("inside").split()
        model = head[0] if len(head) > 1 else None
    if not hostname:
        raise ParseError("'display version' does not name the host and no sysname was read")
    return Facts(hostname=hostname, vendor="Huawei", platform="huawei_vrp",
                 os_version=release.group(0) if release else version.group("vrp"), model=model,
                 uptime_seconds=worded_seconds(up.group("uptime")) if up else None)


_SYSNAME = re.compile(r"^\s*sysname\s+(?P<name>\S+)\s*$", re.M)
_ESN = re.compile(r"^\s*ESN of [^:]+:\s*(?P<esn>\S+)\s*$", re.M | re.I)


def parse_sysname(text: str) -> str | None:
    """The name in ``sysname NAME`` (``display current-configuration | include sysname``)."""
    m = _SYSNAME.search(body(text))
    return m.group("name") if m else None


def parse_esn(text: str) -> str | None:
    """The first ``ESN of master|slot N|device: X`` line of ``display esn``."""
    m = _ESN.search(body(text))
    return m.group("esn") if m else None


_PROMPT_NAME = re.compile(r"^\s*[<\[][~*]?(?P<name>[^>\]\s]+?)[>\]]")


def facts(host: Any, read: Read) -> Facts:
    """``display version`` + the ``sysname`` from ``display current-configuration | include
    sysname`` (where that filter is refused, from the whole configuration; else the prompt a
    saved session shows above the version, else the inventory name) + ``display esn`` (left
    out when refused)."""
    text = read("display version")
    named = read("display current-configuration | include sysname")
    if device_error(named):
        named = read("display current-configuration")
    hostname = None if device_error(named) else parse_sysname(named)
    if not hostname:
        prompt = _PROMPT_NAME.match((text or "").lstrip())
        hostname = prompt.group("name") if prompt else getattr(host, "name", None)
    out = parse_version(text, hostname)
    esn = read("display esn")
    if not device_error(esn):
        out.serial = parse_esn(esn)
    return out


# -- interfaces -------------------------------------------------------------------------------------

_IF_HEAD = re.compile(r"^\s*(?P<name>[A-Za-z0-9][\w./:-]*) current state\s*:\s*(?P<state>.+?)\s*$")  # 40GE0/0/1
_IF_PROTO = re.compile(r"^\s*Line protocol current state\s*:\s*(?P<proto>\S+)", re.I)
_IF_DESC = re.compile(r"^\s*Description\s*:\s?(?P<desc>.*?)\s*$")
_IF_MTU = re.compile(r"The Maximum Transmit Unit is (?P<mtu>\d+)", re.I)
# "negotiated, A/L" (PPP) and "allocated by DHCP, A/L": an address obtained and held now; an
# unnumbered interface ("unnumbered, using address of LoopBack0(A/L)") has none of its own
_IF_ADDR = re.compile(r"^\s*Internet Address is (?:[^,(\n]*,\s*)?(?P<addr>\d+\.\d+\.\d+\.\d+/\d+)", re.I)
_IF_MAC = re.compile(r"Hardware address is (?P<mac>[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4})")
_IF_IO = re.compile(r"^\s*(?P<dir>Input|Output)\s*:\s*(?P<a>\d+)\s+(?P<au>packets|bytes)\s*,\s*(?P<b>\d+)\s+"
                    r"(?P<bu>packets|bytes)", re.I)
_IF_TOTAL_ERR = re.compile(r"\bTotal Error\s*:\s*(?P<n>\d+)", re.I)  # alone or after "Discard: N,"
_IF_ERRORS = re.compile(r"^\s*(?P<n>\d+) errors\b")


def _state_up(text: str) -> bool:
    return text.strip().upper().startswith("UP")


@shaped("display interface")
def parse_interfaces(text: str) -> Interfaces:
    """``display interface``: ``X current state : UP|DOWN|Administratively DOWN`` (with VRP 8's
    ``(ifindex: N)``), line protocol, description, MTU (``The Maximum Transmit Unit is``; a
    Layer-2 port's frame length is not an MTU), MAC, counters (``Input: N packets, N bytes`` and
    VRP 8's ``Input: N bytes, N packets``; ``Total Error``/``N errors``), the primary IPv4 address
    and ``Sub`` secondaries in the device's order (``unnumbered`` and ``Internet protocol
    processing : disabled`` interfaces have none of their own)."""
    text = body(text)
    _failed(text, "display interface")
    out = Interfaces()
    cur: Interface | None = None
    direction = ""
    for line in text.splitlines():
        head = _IF_HEAD.match(line)
        if head:
            state = head.group("state").split("(")[0].strip().lower()
            cur = Interface(name=head.group("name"), admin_up="administratively" not in state,
                            oper_up=False, counters=InterfaceCounters())
            cur.oper_up = cur.admin_up and _state_up(state)
            out.interfaces.append(cur)
            direction = ""
            continue
        if cur is None:
            continue
        counters = cur.counters
        assert counters is not None
        if m := _IF_PROTO.match(line):
            cur.oper_up = cur.oper_up and _state_up(m.group("proto"))
        elif m := _IF_DESC.match(line):
            cur.description = m.group("desc") or None
        elif m := _IF_ADDR.match(line):
            addr = _addresses.ipv4(m.group("addr"))
            if addr and addr not in cur.addresses:
                cur.addresses.append(addr)
        elif m := _IF_IO.match(line):
            direction = m.group("dir").lower()
            values = {m.group("au").lower(): int(m.group("a")), m.group("bu").lower(): int(m.group("b"))}
            if direction == "input":
                counters.rx_packets, counters.rx_bytes = values.get("packets"), values.get("bytes")
            else:
                counters.tx_packets, counters.tx_bytes = values.get("packets"), values.get("bytes")
        elif m := (_IF_TOTAL_ERR.search(line) or _IF_ERRORS.match(line)):
            if direction == "input" and counters.rx_errors is None:
                counters.rx_errors = int(m.group("n"))
            elif direction == "output" and counters.tx_errors is None:
                counters.tx_errors = int(m.group("n"))
        if m := _IF_MTU.search(line):
            cur.mtu = int(m.group("mtu"))
        if m := _IF_MAC.search(line):
            cur.mac = m.group("mac").lower()
    if text.strip() and not out.interfaces:
        raise ParseError("'display interface' output not recognised as Huawei VRP (no 'X current state : UP')")
    return out


_V6_HEAD = _IF_HEAD
_V6_PROTO = re.compile(r"^\s*IPv6 protocol current state\s*:\s*(?P<proto>\S+)", re.I)
_V6_LINK_LOCAL = re.compile(r"^\s*(?:IPv6 is \w+,\s*)?link-local address is (?P<addr>[0-9A-Fa-f:]+)", re.I)
_V6_GLOBAL = re.compile(r"^\s*(?P<addr>[0-9A-Fa-f:]+), subnet is [0-9A-Fa-f:]+/(?P<len>\d+)")
_V6_SECTION = re.compile(r"^\s*(?P<title>[A-Za-z][^:,]*\(es\)):\s*$")


@shaped("display ipv6 interface")
def parse_ipv6_interfaces(text: str) -> list[_addresses.Listed]:
    """``display ipv6 interface``: per interface its link-local address (VRP 8 ``link-local
    address is X``, VRP 5 ``IPv6 is enabled, link-local address is X``) and its ``Global unicast
    address(es)`` (``X, subnet is P/L``; tentative ones too: they are configured)."""
    text = body(text)
    _failed(text, "display ipv6 interface")
    out: list[_addresses.Listed] = []
    section = ""
    for line in text.splitlines():
        head = _V6_HEAD.match(line)
        if head:
            state = head.group("state").lower()
            out.append(_addresses.Listed(name=head.group("name"), admin_up="administratively" not in state,
                                         oper_up=_state_up(state)))
            section = ""
            continue
        if not out:
            continue
        if m := _V6_LINK_LOCAL.match(line):
            out[-1].link_local = _addresses.link_local(m.group("addr"))
        elif m := _V6_SECTION.match(line):
            section = m.group("title").strip().lower()
        elif (m := _V6_GLOBAL.match(line)) and section.startswith("global unicast"):
            addr = _addresses.ipv6(m.group("addr"), m.group("len"))
            if addr and addr not in out[-1].ipv6:
                out[-1].ipv6.append(addr)
    if text.strip() and not out:
        raise ParseError("'display ipv6 interface' output not recognised as Huawei VRP (no 'X current state')")
    return out


_BRIEF_ROW = re.compile(r"^\s*(?P<name>[A-Za-z0-9][\w./:-]*?)(?:\(\w+\))?\s+(?P<phy>[*^!]?(?:up|down)\S*)\s+"
                        r"(?P<proto>(?:up|down)\S*)(?:\s+(?P<rest>.*?))?\s*$", re.I)
_IP_BRIEF_ROW = re.compile(r"^\s*(?P<name>[A-Za-z0-9][\w./:-]*?)\s+(?P<addr>\d+\.\d+\.\d+\.\d+/\d+|unassigned)\s+"
                           r"(?P<phy>[*^!]?(?:up|down)\S*)\s+(?P<proto>(?:up|down)\S*)", re.I)
_V6_BRIEF_ADDR = re.compile(r"^\s*\[IPv6 Address(?:/Prefix Length)?\]\s+(?P<addr>[0-9A-Fa-f:]+)(?:/(?P<len>\d+))?", re.I)


def _brief_state(phy: str, proto: str) -> tuple[bool, bool]:
    """``(admin_up, oper_up)`` from a brief table: ``*down`` is administratively down; ``^down``
    standby, ``!down`` FIB overload; a protocol ``up(s)`` (spoofing) is up."""
    phy, proto = phy.lower(), proto.lower()
    admin = not phy.startswith("*")
    return admin, admin and phy.startswith("up") and proto.startswith("up")


@shaped("display interface brief")
def parse_interface_brief(text: str) -> Interfaces:
    """``display interface brief``: ``Interface PHY Protocol InUti OutUti inErrors outErrors``
    rows (Eth-Trunk members indented under their trunk; a ``(10G)`` after a name is the port's
    speed, not its name)."""
    text = body(text)
    _failed(text, "display interface brief")
    out = Interfaces()
    started = False
    for line in text.splitlines():
        if re.match(r"^\s*Interface\s+PHY\s+Protocol", line, re.I):
            started = True
            continue
        m = _BRIEF_ROW.match(line) if started else None
        if not m:
            continue
        admin, oper = _brief_state(m.group("phy"), m.group("proto"))
        errors = (m.group("rest") or "").split()
        counters = None
        if len(errors) >= 4 and errors[-1].isdigit() and errors[-2].isdigit():
            counters = InterfaceCounters(rx_errors=int(errors[-2]), tx_errors=int(errors[-1]))
        out.interfaces.append(Interface(name=m.group("name"), admin_up=admin, oper_up=oper, counters=counters))
    if not started:
        raise ParseError("'display interface brief' output not recognised as Huawei VRP (no 'Interface PHY Protocol')")
    return out


@shaped("display ip interface brief")
def parse_ip_interface_brief(text: str) -> list[_addresses.Listed]:
    """``display ip interface brief``: each interface's primary IPv4 address (``unassigned``:
    none; this table lists no secondary addresses)."""
    text = body(text)
    _failed(text, "display ip interface brief")
    out = []
    for line in text.splitlines():
        if m := _IP_BRIEF_ROW.match(line):
            admin, oper = _brief_state(m.group("phy"), m.group("proto"))
            addr = _addresses.ipv4(m.group("addr"))
            out.append(_addresses.Listed(name=m.group("name"), ipv4=[addr] if addr else [], admin_up=admin,
                                         oper_up=oper))
    if text.strip() and not out and "IP Address/Mask" not in text:
        raise ParseError("'display ip interface brief' output not recognised as Huawei VRP")
    return out


@shaped("display ipv6 interface brief")
def parse_ipv6_interface_brief(text: str) -> list[_addresses.Listed]:
    """``display ipv6 interface brief``: an ``Interface Physical Protocol [VPN]`` row, then one
    ``[IPv6 Address/Prefix Length] A/L`` line per address (VRP 5's ``[IPv6 Address] A`` has no
    length and is left out). No link-local addresses in this form."""
    text = body(text)
    _failed(text, "display ipv6 interface brief")
    out: list[_addresses.Listed] = []
    for line in text.splitlines():
        if m := _V6_BRIEF_ADDR.match(line):
            addr = _addresses.ipv6(m.group("addr"), m.group("len"))
            if out and addr and addr not in out[-1].ipv6:
                out[-1].ipv6.append(addr)
        elif (m := _BRIEF_ROW.match(line)) and not line.lower().lstrip().startswith("interface"):
            admin, oper = _brief_state(m.group("phy"), m.group("proto"))
            out.append(_addresses.Listed(name=m.group("name"), admin_up=admin, oper_up=oper))
    if text.strip() and not out and "Physical" not in text:
        raise ParseError("'display ipv6 interface brief' output not recognised as Huawei VRP")
    return out


def interfaces(host: Any, read: Read) -> Interfaces:
    """``display interface`` joined with ``display ipv6 interface`` (IPv6). Where ``display
    interface`` is refused: ``display interface brief`` (state, error counters) + ``display ip
    interface brief`` (primary IPv4); where ``display ipv6 interface`` is refused: ``display
    ipv6 interface brief``."""

    def plain(command: str) -> str:  # the error line first: a caret line above it must not hide it
        text = read(command)
        said = device_error(text)
        return f"{said}\n" if said else body(text)

    text = read("display interface")
    if device_error(text) or not body(text).strip():  # a device always lists NULL0: nothing means not read
        base = _addresses.with_addresses(parse_interface_brief(read("display interface brief")), plain,
                                          [("display ip interface brief", parse_ip_interface_brief)],
                                          what="IPv4 addresses")
    else:
        base = parse_interfaces(text)
    out = _addresses.with_addresses(base, plain, [("display ipv6 interface", parse_ipv6_interfaces),
                                                  ("display ipv6 interface brief", parse_ipv6_interface_brief)],
                                    what="IPv6 addresses")
    return _with_vpn_instances(out, plain("display ip vpn-instance interface"))


def _with_vpn_instances(out: Interfaces, text: str) -> Interfaces:
    """``out`` with each interface's VPN instance (``vrf``) from ``display ip vpn-instance
    interface``; a refused or unreadable listing leaves ``vrf`` unset (unreadable: with a note)."""
    if device_error(text) or not text.strip():
        return out
    try:
        vpn = {_addresses.name_key(k): v for k, v in parse_vpn_instance_interfaces(text).items()}
    except ParseError as exc:
        said = f"VPN instances not read: {exc}"
        return out.model_copy(update={"note": f"{out.note}; {said}" if out.note else said})
    for i in out.interfaces:
        i.vrf = vpn.get(_addresses.name_key(i.name), i.vrf)
    return out


_VPN_INSTANCE = re.compile(r"^\s*VPN-Instance Name and ID\s*:\s*(?P<name>[^,]+?)\s*,\s*\d+", re.I)
_VPN_LIST = re.compile(r"^\s*Interface list\s*:\s*(?P<rest>.*)$", re.I)


@shaped("display ip vpn-instance interface")
def parse_vpn_instance_interfaces(text: str) -> dict[str, str]:
    """``display ip vpn-instance interface``: interface -> VPN instance (``Interface list : A,``
    with the rest of the list on the following indented lines). ``Info: ...`` (none configured)
    is an empty map."""
    text = body(text)
    if text.strip().lower().startswith("info:"):
        return {}
    _failed(text, "display ip vpn-instance interface")
    if text.strip() and not re.search(r"VPN-Instances? configured|VPN-Instance Name and ID", text, re.I):
        raise ParseError(f"'display ip vpn-instance interface' output not recognised: {text.strip()[:80]!r}")
    out: dict[str, str] = {}
    name: str | None = None
    listing = False
    for line in text.splitlines():
        m = _VPN_INSTANCE.match(line)
        if m:
            name, listing = m.group("name"), False
            continue
        m = _VPN_LIST.match(line)
        if m and name:
            listing, line = True, m.group("rest")
        elif not (listing and line[:1].isspace() and line.strip() and ":" not in line):
            listing = False
            continue
        for part in line.split(","):
            if part.strip() and name:
                out[part.strip()] = name
    return out


# -- BGP --------------------------------------------------------------------------------------------

_BGP_RID = re.compile(r"^\s*BGP local router ID\s*:\s*(?P<rid>\S+)", re.I | re.M)
_BGP_AS = re.compile(r"^\s*Local AS number\s*:\s*(?P<asn>[\d.]+)", re.I | re.M)
_BGP_HEADER = re.compile(r"^\s*Peer\s+V\s+AS\s+MsgRcvd\s+MsgSent\s+OutQ\s+Up/Down\s+State\s+PrefRcv", re.I | re.M)
_BGP_VPN = re.compile(r"^\s*VPN-Instance\s+(?P<vrf>[^,\s]+)\s*,\s*Router ID\s+\S+?:?\s*$", re.I)
_BGP_ROW = re.compile(r"^\s*\*?(?P<peer>[0-9A-Fa-f.:]+)\s+(?P<v>\d)\s+(?P<asn>\d+(?:\.\d+)?)\s+(?P<rcvd>\d+)\s+"
                      r"(?P<sent>\d+)\s+(?P<outq>\d+)\s+(?P<updown>\S+)\s+(?P<state>No neg|[A-Za-z][\w-]*(?:\(\w+\))?)"
                      r"(?:\s+(?P<pref>\d+))?\s*$")
_BGP_OFF = re.compile(r"BGP (?:is )?not (?:configured|running|enabled|started)|instance .*not|"
                      r"no BGP|does not exist", re.I)


def _bgp_note(text: str) -> str | None:
    """A note when the device says BGP is not configured (``Info: ...``, ``Error: ...``) or
    prints nothing at all."""
    lines = [ln.strip() for ln in body(text).splitlines() if ln.strip()]
    if not lines:
        return "the device listed no BGP peers and no BGP router (BGP may not be configured)"
    said = device_error(text) or (lines[0] if len(lines) <= 2 else None)
    if said and _BGP_OFF.search(said):
        return not_running_note("BGP", said)
    return None


@shaped("display bgp peer")
def parse_bgp_peers(text: str, *, afi: str = "ipv4-unicast") -> BgpNeighbors:
    """``display bgp [ipv6|vpnv4 all] peer``: router id, local AS (asdot -> asplain) and one entry
    per peer row (``Peer V AS MsgRcvd MsgSent OutQ Up/Down State PrefRcv``). Rows under ``Peer
    of IPv4-family for vpn instance`` / ``VPN-Instance NAME, Router ID X:`` belong to that VPN
    instance and are IPv4 (``ipv6-unicast`` for VPNv6) unicast there; rows before them are
    ``afi``."""
    text = body(text)
    note = _bgp_note(text)
    if note:
        return BgpNeighbors(note=note)
    _failed(text, "display bgp peer")
    out = BgpNeighbors()
    if m := _BGP_RID.search(text):
        out.router_id = m.group("rid")
    if m := _BGP_AS.search(text):
        out.local_as = to_asn(m.group("asn"))
    if out.router_id is None and not _BGP_HEADER.search(text):
        raise ParseError("'display bgp peer' output not recognised as Huawei VRP (no 'BGP local router ID')")
    vrf, family = "default", afi
    vpn_family = {"vpnv6-unicast": "ipv6-unicast", "l2vpn-evpn": "l2vpn-evpn"}.get(afi, "ipv4-unicast")
    for line in text.splitlines():
        if m := _BGP_VPN.match(line):
            vrf, family = m.group("vrf"), vpn_family
            continue
        m = _BGP_ROW.match(line)
        if not m or not is_peer(m.group("peer")):
            continue
        state = state_name(m.group("state"))
        up = state == "Established"
        updown = m.group("updown")
        out.neighbors.append(BgpNeighbor(
            peer=m.group("peer").lower() if ":" in m.group("peer") else m.group("peer"),
            remote_as=to_asn(m.group("asn")), state=state, established=up,
            admin_down=admin_down(m.group("state")), raw_state=m.group("state"),
            uptime=updown if up else None, uptime_seconds=duration_seconds(updown) if up else None,
            prefixes_received=to_int(m.group("pref")) if up else None, vrf=vrf, afi_safi=family))
    return out


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    """``display bgp peer`` (IPv4 unicast), then ``display bgp ipv6 peer``, ``display bgp vpnv4
    all peer`` / ``display bgp vpnv6 all peer`` (VPN peers and every VPN instance's peers) and
    ``display bgp evpn peer``; an extra family the device refuses (no IPv6/VPN licence, an
    S-series switch) or leaves empty is left out."""
    out = parse_bgp_peers(read("display bgp peer"))
    if out.note:
        return out
    for command, afi in (("display bgp ipv6 peer", "ipv6-unicast"), ("display bgp vpnv4 all peer", "vpnv4-unicast"),
                         ("display bgp vpnv6 all peer", "vpnv6-unicast"), ("display bgp evpn peer", "l2vpn-evpn")):
        text = read(command)
        if device_error(text) or not body(text).strip():
            continue
        more = parse_bgp_peers(text, afi=afi)
        out.neighbors += more.neighbors
    return out


# -- OSPF -------------------------------------------------------------------------------------------

_OSPF_PROC = re.compile(r"^\s*OSPF Process\s+\d+\s+with Router ID\s+\S+", re.M | re.I)
_OSPF_AREA = re.compile(r"^\s*Area\s+(?P<area>\S+)\s+interface\s+(?P<ip>[\d.]+)\s*\((?P<iface>[^)]+)\)'s neighbors",
                        re.I)
_OSPF_RID = re.compile(r"^\s*Router ID\s*:\s*(?P<rid>[\d.]+)\s+Address\s*:\s*(?P<addr>[\d.]+)", re.I)
_OSPF_STATE = re.compile(r"^\s*State\s*:\s*(?P<state>[\w-]+).*?Priority\s*:\s*(?P<pri>\d+)", re.I)
_OSPF_DR = re.compile(r"^\s*DR\s*:\s*(?P<dr>[\d.]+|None)\s+BDR\s*:\s*(?P<bdr>[\d.]+|None)", re.I)
_OSPF_UP = re.compile(r"^\s*Neighbor is up for\s+(?P<up>\S+)\s*$", re.I)
_OSPF_DEAD = re.compile(r"^\s*Dead timer due in\s+(?P<dead>\d+)\s*sec", re.I)
_OSPF_BRIEF = re.compile(r"^\s*(?P<area>\d+\.\d+\.\d+\.\d+)\s+(?P<iface>\S+)\s+(?P<rid>\d+\.\d+\.\d+\.\d+)\s+"
                         r"(?P<state>[\w-]+)\s*$")
_OSPF_STATES = {"full": "Full", "2-way": "2-Way", "twoway": "2-Way", "init": "Init", "down": "Down",
                "exstart": "ExStart", "exchange": "Exchange", "loading": "Loading", "attempt": "Attempt"}
_OSPF_OFF = re.compile(r"OSPF (?:is )?not|no OSPF|process does not exist|not (?:configured|enabled)", re.I)


def _ospf_state(raw: str) -> str:
    return _OSPF_STATES.get(raw.lower(), raw.capitalize())


def _ospf_note(text: str) -> str | None:
    lines = [ln.strip() for ln in body(text).splitlines() if ln.strip()]
    if not lines:
        return "the device listed no OSPF process (OSPF may not be configured)"
    said = device_error(text) or (lines[0] if len(lines) <= 2 else None)
    if said and _OSPF_OFF.search(said):
        return not_running_note("OSPF", said)
    return None


@shaped("display ospf peer")
def parse_ospf_peers(text: str) -> OspfNeighbors:
    """``display ospf peer``: every process's ``Area A interface IP(IF)'s neighbors`` blocks;
    ``Router ID``/``Address``, ``State``/``Priority``, ``DR``/``BDR`` (the neighbor's role: DR
    when its address is the DR, BDR when it is the BDR, none on point-to-point links where both
    are 0.0.0.0) and the dead timer."""
    text = body(text)
    note = _ospf_note(text)
    if note:
        return OspfNeighbors(note=note)
    _failed(text, "display ospf peer")
    if not _OSPF_PROC.search(text):
        raise ParseError("'display ospf peer' output not recognised as Huawei VRP (no 'OSPF Process N')")
    out = OspfNeighbors()
    iface: str | None = None
    cur: OspfNeighbor | None = None
    for line in text.splitlines():
        if m := _OSPF_AREA.match(line):
            iface, cur = m.group("iface").strip(), None
        elif m := _OSPF_RID.match(line):
            cur = OspfNeighbor(neighbor_id=m.group("rid"), address=m.group("addr"), interface=iface,
                               state="Down", full=False)
            out.neighbors.append(cur)
        elif cur is None:
            continue
        elif m := _OSPF_STATE.match(line):
            cur.state = _ospf_state(m.group("state"))
            cur.full = cur.state == "Full"
            cur.priority = int(m.group("pri"))
        elif m := _OSPF_DR.match(line):
            dr, bdr = m.group("dr"), m.group("bdr")
            if dr not in ("0.0.0.0", "None") or bdr not in ("0.0.0.0", "None"):
                cur.role = "DR" if cur.address == dr else "BDR" if cur.address == bdr else "DROther"
        elif m := _OSPF_DEAD.match(line):
            cur.dead_time_seconds = float(m.group("dead"))
        elif m := _OSPF_UP.match(line):  # "Neighbor is up for 0034h12m" (or 00:47:04)
            cur.uptime_seconds = duration_seconds(m.group("up"))
    return out


@shaped("display ospf peer brief")
def parse_ospf_brief(text: str) -> OspfNeighbors:
    """``display ospf peer brief``: ``Area Id  Interface  Neighbor id  State`` rows (no address,
    priority, role or dead time in this form)."""
    text = body(text)
    note = _ospf_note(text)
    if note:
        return OspfNeighbors(note=note)
    _failed(text, "display ospf peer brief")
    out = OspfNeighbors()
    for line in text.splitlines():
        if m := _OSPF_BRIEF.match(line):
            state = _ospf_state(m.group("state"))
            out.neighbors.append(OspfNeighbor(neighbor_id=m.group("rid"), interface=m.group("iface"), state=state,
                                              full=state == "Full"))
    return out


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    """``display ospf peer``; ``display ospf peer brief`` where that is refused, or where it
    printed nothing and the brief table lists neighbors."""
    text = read("display ospf peer")
    if device_error(text) and not _ospf_note(text):  # a release or user level without the full form
        return parse_ospf_brief(read("display ospf peer brief"))
    if not body(text).strip():
        brief = read("display ospf peer brief")
        if not device_error(brief) and body(brief).strip():
            return parse_ospf_brief(brief)
    return parse_ospf_peers(text)


# -- route ------------------------------------------------------------------------------------------

_V4_ROW = re.compile(r"^\s*(?P<prefix>\d+\.\d+\.\d+\.\d+/\d+)?\s+(?P<proto>[A-Za-z][\w-]*)\s+(?P<pre>\d+)\s+"
                     r"(?P<cost>\d+)\s+(?P<flags>[A-Za-z]*)\s+(?P<nh>\d+\.\d+\.\d+\.\d+)\s+(?P<iface>\S+)\s*$")
_V4_HEADER = re.compile(r"^\s*Destination/Mask\s+Proto\s+Pre\s+Cost", re.I | re.M)
_COUNT = re.compile(r"^\s*(?:Summary Count|Destinations)\s*:\s*(?P<n>\d+)", re.I | re.M)
_V6_FIELD = re.compile(r"(?P<key>[A-Za-z][A-Za-z ]*?)\s*:\s*(?P<value>\S+)")
_PROTOCOLS = {"direct": "connected", "static": "static", "ospf": "ospf", "o_ase": "ospf", "o_nssa": "ospf",
              "o_ia": "ospf", "ospfv3": "ospf", "ibgp": "bgp", "ebgp": "bgp", "bgp": "bgp", "isis": "isis",
              "isis-l1": "isis", "isis-l2": "isis", "rip": "rip", "ripng": "rip", "unr": "unr"}


def _protocol(raw: str) -> str:
    return _PROTOCOLS.get(raw.lower(), raw.lower())


@shaped("display ip routing-table")
def parse_route(text: str, query: str) -> RouteLookup:
    """``display ip routing-table X``: the route rows under ``Destination/Mask Proto Pre Cost
    Flags NextHop Interface`` (an ECMP path is a row with no destination); the most specific
    destination that covers ``query`` is the answer. ``Summary Count : 0`` (or no row) is not
    found."""
    text = body(text)
    _failed(text, f"display ip routing-table {query}")
    if not _V4_HEADER.search(text):
        count = _COUNT.search(text)
        if count and count.group("n") == "0" or not text.strip() or "Route Flags" in text:
            return RouteLookup(query=query, found=False)
        raise ParseError(f"'display ip routing-table {query}' output not recognised as Huawei VRP")
    routes: list[tuple[ipaddress.IPv4Network, str, int, int, list[NextHop]]] = []
    for line in text.splitlines():
        m = _V4_ROW.match(line)
        if not m:
            continue
        hop = NextHop(address=m.group("nh"), interface=m.group("iface"))
        if m.group("prefix"):
            net = ipaddress.IPv4Network(m.group("prefix"), strict=False)
            routes.append((net, _protocol(m.group("proto")), int(m.group("pre")), int(m.group("cost")), [hop]))
        elif routes:
            routes[-1][4].append(hop)
    target = ipaddress.ip_network(query, strict=False)
    covering = [r for r in routes if target.version == 4 and target.subnet_of(r[0])]  # type: ignore[arg-type]
    if not covering:
        return RouteLookup(query=query, found=False)
    net, proto, pre, cost, hops = max(covering, key=lambda r: r[0].prefixlen)
    for hop in hops:  # a connected route's next hop is the router's own address
        if proto == "connected" and hop.address and ipaddress.ip_address(hop.address) in net:
            hop.address = None
    return RouteLookup(query=query, found=True, prefix=str(net), protocol=proto, distance=pre, metric=cost,
                       next_hops=hops)


@shaped("display ipv6 routing-table")
def parse_route6(text: str, query: str) -> RouteLookup:
    """``display ipv6 routing-table X``: one ``Destination : P  PrefixLength : L`` block per route
    (``NextHop``, ``Preference``, ``Cost``, ``Protocol``, ``Interface``); the most specific one
    that covers ``query`` is the answer, its blocks with the same prefix are its ECMP paths."""
    text = body(text)
    _failed(text, f"display ipv6 routing-table {query}")
    blocks: list[dict[str, str]] = []
    for line in text.splitlines():
        fields = {m.group("key").strip().lower(): m.group("value") for m in _V6_FIELD.finditer(line)}
        if "destination" in fields:
            blocks.append({})
        if blocks:
            blocks[-1].update(fields)
    target = ipaddress.ip_network(query, strict=False)
    routes = []
    for b in blocks:
        try:
            net = ipaddress.IPv6Network(f"{b['destination']}/{b['prefixlength']}", strict=False)
        except (KeyError, ValueError):
            continue
        if target.version == 6 and target.subnet_of(net):  # type: ignore[arg-type]
            routes.append((net, b))
    if not routes:
        # no route covers the query: a lookup's "Summary Count : 0", or a whole table (the getter's
        # fallback) without one; text that is neither is not an answer
        count = _COUNT.search(text)
        if blocks or count or not text.strip() or re.search(r"^\s*Routing Table\s*:", text, re.M):
            return RouteLookup(query=query, found=False)
        raise ParseError(f"'display ipv6 routing-table {query}' output not recognised as Huawei VRP")
    best = max(n.prefixlen for n, _ in routes)
    chosen = [b for n, b in routes if n.prefixlen == best]
    first = chosen[0]
    proto = _protocol(first.get("protocol", ""))
    hops = []
    for b in chosen:
        nh = b.get("nexthop")
        addr = str(ipaddress.ip_address(nh)) if nh and nh != "::" and proto != "connected" else None
        hops.append(NextHop(address=addr, interface=b.get("interface")))
    net = next(n for n, _ in routes if n.prefixlen == best)
    return RouteLookup(query=query, found=True, prefix=str(net), protocol=proto or None,
                       distance=to_int(first.get("preference")), metric=to_int(first.get("cost")), next_hops=hops)


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    """``display ip[v6] routing-table ADDRESS`` (``A/L`` is sent as ``A L``, VRP's form); where
    that form is refused, the whole ``display ip[v6] routing-table`` with the longest match
    done here."""
    address, _, length = prefix.partition("/")
    target = f"{address} {length}" if length else address
    table, parse = ("display ipv6 routing-table", parse_route6) if ":" in prefix else \
        ("display ip routing-table", parse_route)
    text = read(f"{table} {target}")
    if device_error(text) or not body(text).strip():  # a lookup prints its header even when nothing matches
        text = read(table)
    return parse(text, prefix)


def config(host: Any, read: Read) -> RunningConfig:
    text = body(read("display current-configuration"))
    _failed(text, "display current-configuration")
    return RunningConfig(text=text)


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}
