"""Linux hosts: getters from iproute2 JSON (``ip -j ...``), ``hostname``/``uname``/os-release,
and FRR's ``vtysh -c '... json'`` for BGP, OSPF and the routing configuration.

A Linux host has no BGP/OSPF of its own: those getters (and ``config``) need FRRouting on the
host and a login in the ``frrvty`` group; without it they fail with a clear reason. The iproute2
fixtures were captured from a real Linux namespace (iproute2 6.1); the vtysh ones are FRR 8.4
output from our lab.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from collections.abc import Callable
from typing import Any

from netops.devices.getters import GetterUnsupported
from netops.devices.models import (
    BgpInbound, BgpPeerRoutes, BgpRoutes, RouteSet,
    BgpNeighbors, Facts, Interface, InterfaceCounters, Interfaces, NextHop, OspfNeighbors,
    RouteLookup, RunningConfig,
)
from netops.devices.parsers import ParseError, frr, frr_peer_routes, frr_rib, load_json, to_int
from netops.devices.parsers._shape import shaped

Read = Callable[[str], str]

_NO_VTYSH = ("command not found", "no such file", "permission denied", "failed to connect",
             "exiting: failed", "not authorized")


def _array(text: str, command: str) -> list[dict[str, Any]]:
    doc = load_json(text, command) if text.strip() else []
    if not isinstance(doc, list):
        raise ParseError(f"{command!r} did not return a JSON array")
    return [d for d in doc if isinstance(d, dict)]


@shaped("uname -a")
def parse_facts(hostname: str, uname: str, os_release: str, uptime: str) -> Facts:
    """``hostname``, ``uname -a``, ``cat /etc/os-release`` and ``uptime``."""
    name = hostname.strip().splitlines()[0].strip() if hostname.strip() else ""
    bits = uname.split()
    if not name or " " in name or len(bits) < 3 or bits[0] != "Linux":
        raise ParseError(f"'hostname'/'uname -a' output is not a Linux host's: {uname.strip()[:80]!r}")
    release = dict(_os_release(os_release))
    distro = release.get("PRETTY_NAME") or " ".join(filter(None, [release.get("NAME"), release.get("VERSION")]))
    kernel = f"Linux {bits[2]}"
    return Facts(hostname=name, vendor="Linux", platform="linux",
                 os_version=f"{distro}; {kernel}" if distro else kernel,
                 model=bits[-2] if bits[-1] == "GNU/Linux" else None,  # machine: x86_64, aarch64
                 uptime_seconds=uptime_seconds(uptime))


def _os_release(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.startswith("#"):
            try:
                value = " ".join(shlex.split(value))
            except ValueError:
                value = value.strip().strip("\"'")
            out.append((key.strip(), value))
    return out


def uptime_seconds(text: str) -> float | None:
    """From ``uptime``: `` 10:15:01 up 12 days,  3:04,  2 users, ...`` (minute resolution)."""
    m = re.search(r"\bup\s+(.*?),\s+\d+\s+users?\b", text) or re.search(r"\bup\s+(.*?),\s+load average", text)
    if not m:
        return None
    total = 0
    for part in m.group(1).split(","):
        part = part.strip()
        if (hm := re.fullmatch(r"(\d+):(\d+)", part)):
            total += int(hm.group(1)) * 3600 + int(hm.group(2)) * 60
        elif (d := re.fullmatch(r"(\d+) days?", part)):
            total += int(d.group(1)) * 86400
        elif (mi := re.fullmatch(r"(\d+) min", part)):
            total += int(mi.group(1)) * 60
        elif (h := re.fullmatch(r"(\d+) hrs?", part)):
            total += int(h.group(1)) * 3600
        else:
            return None
    return float(total)


@shaped("ip -j addr")
def parse_interfaces(addr: str, link: str) -> Interfaces:
    """``ip -j addr`` (addresses) joined with ``ip -j -s link`` (counters, alias)."""
    stats = {lk["ifname"]: lk for lk in _array(link, "ip -j -s link")}
    out = Interfaces()
    for i in _array(addr, "ip -j addr"):
        if not i:  # iproute2 4.x prints {} for an interface a family filter leaves out
            continue
        name = i["ifname"]
        flags = i.get("flags") or []
        oper = str(i.get("operstate", "")).upper()
        # Loopback and dummy devices report UNKNOWN: the carrier flag says whether they pass traffic.
        oper_up = oper == "UP" or (oper == "UNKNOWN" and "LOWER_UP" in flags)
        s = (stats.get(name) or {}).get("stats64") or (stats.get(name) or {}).get("stats") or {}
        rx, tx = s.get("rx") or {}, s.get("tx") or {}
        counters = None
        if rx or tx:
            counters = InterfaceCounters(rx_packets=to_int(rx.get("packets")), tx_packets=to_int(tx.get("packets")),
                                         rx_bytes=to_int(rx.get("bytes")), tx_bytes=to_int(tx.get("bytes")),
                                         rx_errors=to_int(rx.get("errors")), tx_errors=to_int(tx.get("errors")))
        out.interfaces.append(Interface(
            name=name, admin_up="UP" in flags, oper_up=oper_up,
            description=(stats.get(name) or {}).get("ifalias") or i.get("ifalias") or None,
            addresses=[f"{a['local']}/{a['prefixlen']}" for a in i.get("addr_info") or [] if "local" in a],
            mtu=to_int(i.get("mtu")),
            mac=i.get("address") if i.get("link_type") == "ether" else None,
            counters=counters))
    return out


def _network(dst: str, v6: bool) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    if dst == "default":
        return ipaddress.ip_network("::/0" if v6 else "0.0.0.0/0")
    return ipaddress.ip_network(dst, strict=False)


# Route types that drop what they match: printed with no gateway (IPv6: "dev lo", not a path)
_DROPS = ("blackhole", "unreachable", "prohibit")
# iproute2 before 5.0 printed a route's type as a bare string, which is not JSON:
# [{"blackhole","dst":"192.0.2.0/24","flags":[]}] (fixed upstream by "ip route: print route type in JSON output")
_BARE_TYPE = re.compile(r'([{,]\s*)"(unicast|local|broadcast|multicast|anycast|unreachable|blackhole|prohibit|'
                        r'throw|nat|xresolve)"(\s*[,}])')


@shaped("ip -j route show match")
def parse_route(text: str, query: str) -> RouteLookup:
    """``ip -j route show match QUERY``: every route covering the query; the longest prefix
    (then the lowest metric) is the one the kernel uses. A blackhole / unreachable / prohibit
    route has one discard next hop."""
    v6 = ":" in query
    if '"type"' not in text:  # a release that names the key prints no bare type
        text = _BARE_TYPE.sub(r'\1"type":"\2"\3', text)
    routes = [r for r in _array(text, f"ip -j route show match {query}") if "dst" in r]
    if not routes:
        return RouteLookup(query=query, found=False)
    best = max(routes, key=lambda r: (_network(r["dst"], v6).prefixlen, -(to_int(r.get("metric")) or 0)))
    protocol = best.get("protocol")
    if protocol == "kernel" and (best.get("scope") == "link" or not (best.get("gateway") or best.get("nexthops"))):
        protocol = "connected"
    hops = [NextHop(address=nh.get("gateway"), interface=nh.get("dev"), active="dead" not in (nh.get("flags") or []))
            for nh in best.get("nexthops") or []]
    if best.get("type") in _DROPS:
        hops = [NextHop(interface=best["type"], discard=True)]  # "discard (unreachable)", as Junos' "Reject"
    elif not hops and (best.get("gateway") or best.get("dev")):
        hops = [NextHop(address=best.get("gateway"), interface=best.get("dev"))]
    return RouteLookup(query=query, found=True, prefix=str(_network(best["dst"], v6)), protocol=protocol,
                       metric=to_int(best.get("metric")), next_hops=hops)


def _vtysh(read: Read, command: str) -> str:
    """Run one FRR show command through vtysh; a host without FRR is :class:`GetterUnsupported`."""
    text = read(f"vtysh -c '{command}'")
    head = text.strip().splitlines()[0].lower() if text.strip() else ""
    if any(marker in head for marker in _NO_VTYSH) or head.startswith("% unknown command"):
        raise GetterUnsupported(
            f"{command!r} needs FRRouting's vtysh on this Linux host: {text.strip().splitlines()[0][:100]}",
            hint="install FRR and put the login in the 'frrvty' group, or use 'netops show' with ip/ss commands")
    return text


def facts(host: Any, read: Read) -> Facts:
    return parse_facts(read("hostname"), read("uname -a"), read("cat /etc/os-release"), read("uptime"))


def interfaces(host: Any, read: Read) -> Interfaces:
    return parse_interfaces(read("ip -j addr"), read("ip -j -s link"))


def bgp_neighbors(host: Any, read: Read) -> BgpNeighbors:
    return frr.with_vrfs(frr.parse_bgp_summary(_vtysh(read, "show bgp summary json")),
                         read("vtysh -c 'show bgp vrf all summary json'"))


def ospf_neighbors(host: Any, read: Read) -> OspfNeighbors:
    return frr.parse_ospf_neighbors(_vtysh(read, "show ip ospf neighbor json"))


def route(host: Any, read: Read, *, prefix: str) -> RouteLookup:
    family = "ip -6 -j" if ":" in prefix else "ip -j"
    return parse_route(read(f"{family} route show match {prefix}"), prefix)


def config(host: Any, read: Read) -> RunningConfig:
    """The routing configuration (FRR's running config): a Linux host has no other."""
    return RunningConfig(text=_vtysh(read, "show running-config"))


GETTERS = {
    "facts": facts, "interfaces": interfaces, "bgp_neighbors": bgp_neighbors,
    "ospf_neighbors": ospf_neighbors, "route": route, "config": config,
}


def routes(host: Any, read: Read, *, prefix: str) -> RouteSet:
    """FRR's routing table at and inside ``prefix`` (``vtysh -c 'show ip route P longer-prefixes json'``)."""
    return frr_rib.parse_routes(_vtysh(read, frr_rib.routes_command(prefix)), prefix)


def bgp_routes(host: Any, read: Read, *, prefix: str) -> BgpRoutes:
    return frr_rib.parse_bgp_routes(_vtysh(read, frr_rib.bgp_command(prefix)), prefix)


def bgp_inbound(host: Any, read: Read, *, prefix: str) -> BgpInbound:
    return frr_rib.bgp_inbound(host, lambda command: _vtysh(read, command), prefix=prefix)


RIB_GETTERS = {"routes": routes, "bgp_routes": bgp_routes, "bgp_inbound": bgp_inbound}


def bgp_advertised(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    """What FRR sends ``peer`` (``vtysh -c 'show bgp ipv4 unicast neighbors X advertised-routes json'``)."""
    return frr_peer_routes.advertised(host, lambda command: _vtysh(read, command), peer=peer, family=family,
                                      vrf=vrf)


def bgp_received(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    return frr_peer_routes.received(host, lambda command: _vtysh(read, command), peer=peer, family=family,
                                    vrf=vrf)


PEER_GETTERS = {"bgp_advertised": bgp_advertised, "bgp_received": bgp_received}
