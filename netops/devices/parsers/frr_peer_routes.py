"""FRRouting: the routes exchanged with one BGP peer (``bgp_advertised``, ``bgp_received``).

``bgp_advertised``  ``show bgp ipv4 unicast neighbors X advertised-routes json``
                    (``advertisedRoutes``: what bgpd sends X, after outbound policy)
``bgp_received``    ``show bgp ipv4 unicast neighbors X routes json`` (the paths from X that
                    bgpd accepted, after inbound policy) and ``... received-routes json``
                    (what X sent before inbound policy; only kept with ``neighbor X
                    soft-reconfiguration inbound``, else ``{"warning": "Inbound soft
                    reconfiguration not enabled"}``)

Shapes as FRR 8.4 prints them (captured from netops' lab, ``tests/fixtures/devices/frr/peer-routes``).
A peer the router does not have is ``{"warning": "No such neighbor in this view/vrf"}`` (or
``... or address family``): a :class:`~netops.errors.NotFoundError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpPeerRoutes
from netops.devices.parsers import ParseError, load_json, not_running_note
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error
from netops.devices.parsers.frr_rib import as_path, parse_bgp_routes
from netops.devices.peer_routes import not_kept
from netops.errors import DeviceError, NotFoundError

Read = Callable[[str], str]
ORIGINS = {"i": "IGP", "e": "EGP", "?": "incomplete"}


def command(peer: str, family: str, what: str, vrf: str = "default") -> str:
    """``what``: ``advertised-routes``, ``received-routes`` or ``routes``; a VRF peer's reads name the VRF."""
    scope = "" if vrf == "default" else f"vrf {vrf} "
    return f"show bgp {scope}{family} unicast neighbors {peer} {what} json"


def _doc(text: str, peer: str, family: str, what: str) -> dict[str, Any] | None:
    """The JSON document, or ``None`` when BGP is not running; a missing peer is NotFoundError."""
    said = device_error(text)
    if said:
        low = said.lower()
        if any(m in low for m in ("not found", "not running", "no bgp", "not enabled")) and "soft" not in low:
            return None
        if "no such neighbor" in low:
            raise NotFoundError(f"no BGP peer {peer} in {family} unicast: {said}")
        if "soft reconfig" in low:
            return {"warning": said}
        raise DeviceError(f"{command(peer, family, what)!r} failed: {said}")
    doc = load_json(text, command(peer, family, what))
    if not isinstance(doc, dict):
        raise ParseError(f"{command(peer, family, what)!r} is not a JSON object")
    warning = str(doc.get("warning") or "")
    if "no such neighbor" in warning.lower():
        raise NotFoundError(f"no BGP peer {peer} in {family} unicast (the router says: {warning})",
                            hint="'netops state HOST bgp' lists the peers")
    return doc if doc else None


def _table(rows: Any) -> list[BgpPath]:
    """``advertisedRoutes`` / ``receivedRoutes``: ``{prefix: {network, nextHop, path, ...}}``."""
    out = []
    for prefix, r in (rows or {}).items():
        if not isinstance(r, dict):
            continue
        status = r.get("appliedStatusSymbols") or {}
        code = r.get("bgpOriginCode")
        out.append(BgpPath(prefix=r.get("network") or prefix, next_hop=r.get("nextHop"),
                           as_path=as_path(r), origin=ORIGINS.get(code, code),
                           valid=bool(status.get("*", True)), best=bool(status.get(">", False))))
    return out


@shaped("show bgp neighbors advertised-routes json")
def parse_advertised(text: str, peer: str, family: str = "ipv4") -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="advertised", afi_safi=f"{family}-unicast")
    doc = _doc(text, peer, family, "advertised-routes")
    if doc is None:
        out.note = not_running_note("BGP")
        return out
    if "advertisedRoutes" not in doc:
        raise ParseError(f"{command(peer, family, 'advertised-routes')!r} has no advertisedRoutes: {text[:80]!r}")
    out.routes = _table(doc["advertisedRoutes"])
    return out


@shaped("show bgp neighbors received-routes json")
def parse_before_policy(text: str, peer: str, family: str = "ipv4") -> list[BgpPath] | None:
    """What ``peer`` sent before inbound policy; ``None`` when the router keeps no copy."""
    doc = _doc(text, peer, family, "received-routes")
    if doc is None or "receivedRoutes" not in doc:
        return None
    paths = _table(doc["receivedRoutes"])
    for p in paths:
        p.peer = peer
    return paths


@shaped("show bgp neighbors routes json")
def parse_accepted(text: str, peer: str, family: str = "ipv4") -> BgpPeerRoutes:
    """The paths from ``peer`` the router kept (its BGP table, filtered to that peer)."""
    out = BgpPeerRoutes(peer=peer, direction="received", afi_safi=f"{family}-unicast")
    doc = _doc(text, peer, family, "routes")
    if doc is None:
        out.note = not_running_note("BGP")
        return out
    if "routes" not in doc:
        raise ParseError(f"{command(peer, family, 'routes')!r} has no routes: {text[:80]!r}")
    out.routes = [p for p in parse_bgp_routes(text, peer).paths if p.peer in (None, peer)]
    for p in out.routes:
        p.peer = peer
        p.origin = ORIGINS.get(p.origin or "", p.origin)
    return out


def advertised(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    return parse_advertised(read(command(peer, family, "advertised-routes", vrf)), peer, family)


def received(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    out = parse_accepted(read(command(peer, family, "routes", vrf)), peer, family)
    if out.note:
        return out
    out.before_policy = parse_before_policy(read(command(peer, family, "received-routes", vrf)), peer, family)
    if out.before_policy is None:
        out.note = not_kept(peer)
    return out


PEER_GETTERS = {"bgp_advertised": advertised, "bgp_received": received}
