"""Cisco IOS / IOS-XE and NX-OS: the routes exchanged with one BGP peer (``bgp_advertised``,
``bgp_received``), from the BGP table text (:mod:`netops.devices.parsers._bgp_rib_text`).

=============== ==================================================== =====================================
                IOS / IOS-XE                                         NX-OS
=============== ==================================================== =====================================
advertised      ``show ip bgp neighbors X advertised-routes``         ``show bgp ipv4 unicast neighbors X
                (IPv6: ``show bgp ipv6 unicast neighbors X ...``)     advertised-routes`` (ipv6 likewise)
accepted        ``... neighbors X routes``                            ``... neighbors X routes``
before policy   ``... neighbors X received-routes``                   ``... neighbors X received-routes``
=============== ==================================================== =====================================

The pre-policy table exists only with ``neighbor X soft-reconfiguration inbound``; without it IOS
says ``% Inbound soft reconfiguration not enabled on X`` and NX-OS ``Inbound soft reconfiguration
for IPv4 Unicast not performed on X``: a note, not an error. A peer the router does not have
(IOS ``% No such neighbor or address family``, NX-OS ``Can't find neighbor X``) is
:class:`~netops.errors.NotFoundError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpPeerRoutes
from netops.devices.parsers import not_running_note
from netops.devices.parsers._bgp_rib_text import parse_table
from netops.devices.parsers._shape import unframed
from netops.devices.parsers._textfsm import device_error
from netops.devices.peer_routes import not_kept
from netops.errors import DeviceError, NotFoundError

Read = Callable[[str], str]
Command = Callable[[str, str, str, str], str]
_NO_COPY = re.compile(r"inbound soft reconfiguration (not enabled|for .* not performed)", re.I)
_NO_PEER = re.compile(r"no such neighbor|not a bgp neighbor|can't find neighbor", re.I)


def ios_command(peer: str, family: str, what: str, vrf: str = "default") -> str:
    """A VRF peer: ``show bgp vpnv4 unicast vrf NAME neighbors X ...`` (``vpnv6`` for IPv6)."""
    if vrf != "default":
        return f"show bgp vpn{family[-2:]} unicast vrf {vrf} neighbors {peer} {what}"
    base = "show ip bgp" if family == "ipv4" else "show bgp ipv6 unicast"
    return f"{base} neighbors {peer} {what}"


def nxos_command(peer: str, family: str, what: str, vrf: str = "default") -> str:
    scope = "" if vrf == "default" else f"vrf {vrf} "
    return f"show bgp {scope}{family} unicast neighbors {peer} {what}"


def _rows(text: str, command: str, peer: str, family: str) -> list[BgpPath] | None:
    """The table's rows; ``None`` when the router keeps no pre-policy copy or runs no BGP."""
    text = unframed(text)  # a saved session: the device's answer is under the command echo
    if _NO_COPY.search(text) and "Network" not in text:
        return None
    said = device_error(text) or next((ln.strip() for ln in text.splitlines() if _NO_PEER.search(ln)), None)
    if said:
        low = said.lower()
        if _NO_COPY.search(said):
            return None
        if _NO_PEER.search(said):
            raise NotFoundError(f"no BGP peer {peer} in {family} unicast (the router says: {said})",
                                hint="'netops state HOST bgp' lists the peers")
        if "bgp not active" in low or "not running" in low:
            return None
        raise DeviceError(f"{command!r} failed: {said}")
    return parse_table(text, command, family)


def getters(command: Command) -> dict[str, Callable[..., BgpPeerRoutes]]:
    """``PEER_GETTERS`` for a platform that spells its reads with ``command``."""

    def advertised(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
        out = BgpPeerRoutes(peer=peer, direction="advertised", afi_safi=f"{family}-unicast")
        cmd = command(peer, family, "advertised-routes", vrf)
        rows = _rows(read(cmd), cmd, peer, family)
        if rows is None:
            out.note = not_running_note("BGP")
        else:
            out.routes = rows
        return out

    def received(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
        out = BgpPeerRoutes(peer=peer, direction="received", afi_safi=f"{family}-unicast")
        cmd = command(peer, family, "routes", vrf)
        rows = _rows(read(cmd), cmd, peer, family)
        if rows is None:
            out.note = not_running_note("BGP")
            return out
        out.routes = rows
        cmd = command(peer, family, "received-routes", vrf)
        before = _rows(read(cmd), cmd, peer, family)
        if before is None:
            out.note = not_kept(peer)
        else:
            out.before_policy = before
        for p in out.routes + (before or []):
            p.peer = peer
        return out

    return {"bgp_advertised": advertised, "bgp_received": received}
