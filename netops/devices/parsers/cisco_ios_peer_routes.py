"""Cisco IOS / IOS-XE: the routes exchanged with one BGP peer (``bgp_advertised``, ``bgp_received``).

``bgp_advertised``  ``show ip bgp neighbors X advertised-routes`` (IPv6: ``show bgp ipv6 unicast
                    neighbors X advertised-routes``)
``bgp_received``    ``... neighbors X routes`` (accepted after inbound policy) and ``... neighbors
                    X received-routes`` (before policy; only with ``neighbor X soft-reconfiguration
                    inbound``, else ``% Inbound soft reconfiguration not enabled on X``)

All three print the BGP table (:mod:`netops.devices.parsers._bgp_rib_text`). A peer the router
does not have: ``% No such neighbor or address family``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpPeerRoutes
from netops.devices.parsers import not_running_note
from netops.devices.parsers._bgp_rib_text import parse_table
from netops.devices.parsers._textfsm import device_error
from netops.devices.peer_routes import not_kept
from netops.errors import DeviceError, NotFoundError

Read = Callable[[str], str]


def command(peer: str, family: str, what: str) -> str:
    base = "show ip bgp" if family == "ipv4" else "show bgp ipv6 unicast"
    return f"{base} neighbors {peer} {what}"


def _rows(text: str, peer: str, family: str, what: str) -> list[BgpPath] | None:
    """The table's rows; ``None`` when the router keeps no pre-policy copy or runs no BGP."""
    said = device_error(text)
    if said:
        low = said.lower()
        if "soft reconfig" in low:
            return None
        if "no such neighbor" in low or "not a bgp neighbor" in low:
            raise NotFoundError(f"no BGP peer {peer} in {family} unicast (the router says: {said})",
                                hint="'netops state HOST bgp' lists the peers")
        if "bgp not active" in low or "not running" in low:
            return None
        raise DeviceError(f"{command(peer, family, what)!r} failed: {said}")
    return parse_table(text, command(peer, family, what))


def advertised(host: Any, read: Read, *, peer: str, family: str) -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="advertised", afi_safi=f"{family}-unicast")
    rows = _rows(read(command(peer, family, "advertised-routes")), peer, family, "advertised-routes")
    if rows is None:
        out.note = not_running_note("BGP")
    else:
        out.routes = rows
    return out


def received(host: Any, read: Read, *, peer: str, family: str) -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="received", afi_safi=f"{family}-unicast")
    rows = _rows(read(command(peer, family, "routes")), peer, family, "routes")
    if rows is None:
        out.note = not_running_note("BGP")
        return out
    out.routes = rows
    for p in rows:
        p.peer = peer
    before = _rows(read(command(peer, family, "received-routes")), peer, family, "received-routes")
    if before is None:
        out.note = not_kept(peer)
    else:
        out.before_policy = before
        for p in before:
            p.peer = peer
    return out


PEER_GETTERS = {"bgp_advertised": advertised, "bgp_received": received}
