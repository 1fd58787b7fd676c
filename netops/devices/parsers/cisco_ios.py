"""Cisco IOS: getters from CLI text via ntc-templates, plus netops' own TextFSM template for
``show ip route ADDRESS`` (ntc-templates has none for a single-route lookup).

Tested on carefully written realistic output only (no IOS device in our lab).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from netops.devices.models import (
    BgpNeighbor, BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop,
    OspfNeighbor, OspfNeighbors, RouteLookup, RunningConfig,
)
from netops.devices.parsers import ParseError, to_int

Read = Callable[[str], str]
TEMPLATES = Path(__file__).resolve().parent / "templates"
_UNITS = {"years": 31536000, "year": 31536000, "weeks": 604800, "week": 604800, "days": 86400,
          "day": 86400, "hours": 3600, "hour": 3600, "minutes": 60, "minute": 60}


def ntc(command: str, text: str) -> list[dict[str, Any]]:
    """Parse with ntc-templates; an error message from the device is a :class:`ParseError`."""
    from ntc_templates.parse import parse_output

    if text.lstrip().startswith("%"):
        raise ParseError(f"{command!r} failed on the device: {text.strip().splitlines()[0]}")
    try:
        return parse_output(platform="cisco_ios", command=command, data=text)
    except Exception as exc:  # textfsm raises its own exception types
        raise ParseError(f"cannot parse {command!r} output: {exc}") from exc


def _textfsm(template: str, text: str) -> list[dict[str, str]]:
    import textfsm

    with (TEMPLATES / template).open(encoding="utf-8") as fh:
        fsm = textfsm.TextFSM(fh)
    rows = fsm.ParseText(text)
    return [dict(zip([h.lower() for h in fsm.header], row)) for row in rows]


def uptime_seconds(text: str) -> float | None:
    total = 0
    found = False
    for part in text.split(","):
        bits = part.split()
        if len(bits) == 2 and bits[1] in _UNITS and bits[0].isdigit():
            total += int(bits[0]) * _UNITS[bits[1]]
            found = True
    return float(total) if found else None


def parse_version(text: str) -> Facts:
    rows = ntc("show version", text)
    if not rows:
        raise ParseError("'show version' output not recognised as IOS")
    r = rows[0]
    return Facts(hostname=r["hostname"], vendor="Cisco", platform="cisco_ios", os_version=r.get("version") or None,
                 model=(r.get("hardware") or [None])[0], serial=(r.get("serial") or [None])[0],
                 uptime_seconds=uptime_seconds(r.get("uptime", "")))


def parse_interfaces(text: str) -> Interfaces:
    out = Interfaces()
    for r in ntc("show interfaces", text):
        addr = f"{r['ip_address']}/{r['prefix_length']}" if r.get("ip_address") else None
        out.interfaces.append(Interface(
            name=r["interface"], admin_up="administratively" not in r.get("link_status", ""),
            oper_up=r.get("protocol_status", "").startswith("up"), description=r.get("description") or None,
            addresses=[addr] if addr else [], mtu=to_int(r.get("mtu")), mac=r.get("mac_address") or None,
            counters=InterfaceCounters(rx_packets=to_int(r.get("input_packets")), tx_packets=to_int(r.get("output_packets")),
                                       rx_errors=to_int(r.get("input_errors")), tx_errors=to_int(r.get("output_errors"))),
        ))
    return out


def parse_bgp_summary(text: str) -> BgpNeighbors:
    rows = ntc("show ip bgp summary", text)
    out = BgpNeighbors(router_id=rows[0]["router_id"] if rows else None,
                       local_as=to_int(rows[0]["local_as"]) if rows else None)
    for r in rows:
        sp = r["state_or_prefixes_received"]
        up = sp.isdigit()
        out.neighbors.append(BgpNeighbor(
            peer=r["bgp_neighbor"], remote_as=to_int(r["neighbor_as"]), state="Established" if up else sp,
            established=up, uptime=r["up_down"] if up else None, prefixes_received=int(sp) if up else None))
    return out


def parse_ospf_neighbors(text: str) -> OspfNeighbors:
    out = OspfNeighbors()
    for r in ntc("show ip ospf neighbor", text):
        state, _, role = r["state"].partition("/")
        role = role.strip()
        dead = r.get("dead_time", "")
        h, m, s = (dead.split(":") + ["", "", ""])[:3]
        out.neighbors.append(OspfNeighbor(
            neighbor_id=r["neighbor_id"], address=r.get("ip_address") or None, interface=r.get("interface") or None,
            state=state.capitalize() if state != "2WAY" else "2-Way", full=state == "FULL",
            role=role if role and role != "-" else None, priority=to_int(r.get("priority")),
            dead_time_seconds=float(int(h) * 3600 + int(m) * 60 + int(s)) if s.isdigit() else None))
    return out


def parse_route(text: str, query: str) -> RouteLookup:
    rows = _textfsm("cisco_ios_show_ip_route_lookup.textfsm", text)
    if not rows or not rows[0].get("prefix"):
        return RouteLookup(query=query, found=False)
    first = rows[0]
    best = [r for r in rows if r["best"]] or rows
    return RouteLookup(query=query, found=True, prefix=first["prefix"], protocol=first["protocol"].split()[0],
                       distance=to_int(first["distance"]), metric=to_int(first["metric"]),
                       next_hops=[NextHop(address=None if r["nexthop"] == "directly connected" else r["nexthop"],
                                          interface=r["interface"] or None, active=bool(r["best"]))
                                  for r in rows if r["nexthop"]] or [],
                       uptime=best[0].get("age") or None)


GETTERS = {
    "facts": lambda host, read: parse_version(read("show version")),
    "interfaces": lambda host, read: parse_interfaces(read("show interfaces")),
    "bgp_neighbors": lambda host, read: parse_bgp_summary(read("show ip bgp summary")),
    "ospf_neighbors": lambda host, read: parse_ospf_neighbors(read("show ip ospf neighbor")),
    "route": lambda host, read, prefix: parse_route(read(f"show ip route {prefix.split('/')[0]}"), prefix),
    "config": lambda host, read: RunningConfig(text=read("show running-config")),
}
