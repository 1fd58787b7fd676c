"""Cisco IOS-XR: the routes exchanged with one BGP peer (``bgp_advertised``, ``bgp_received``).

=============== ===============================================================================
advertised      ``show bgp ipv4 unicast neighbors X advertised-routes``
accepted        ``show bgp ipv4 unicast neighbors X routes`` (after inbound policy)
before policy   ``show bgp ipv4 unicast neighbors X received routes`` (XR spells it with a blank;
                kept only with ``soft-reconfiguration inbound [always]``)
=============== ===============================================================================

A VRF peer: ``show bgp vrf NAME ipv4 unicast neighbors X ...``; IPv6 likewise with ``ipv6``.

``advertised-routes`` prints its own table, ``Network  Next Hop  From  AS Path``, with the origin
code glued to the AS path (``65108.65108?``, ``3222 65401i``) and ``From`` the peer the route was
learned from (``Local``: this router). ``routes`` and ``received routes`` print the BGP table
(:mod:`._bgp_rib_text`). Both may carry XR's timestamp line, ``BGP instance`` / ``Address
Family:`` / ``VRF:`` section lines, ``Route Distinguisher:`` lines and a closing ``Processed N
prefixes, M paths``. Captures: ``tests/fixtures/devices/cisco_xr/peer-routes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpPeerRoutes
from netops.devices.parsers import ParseError, af_name, not_running_note
from netops.devices.parsers._bgp_rib_text import parse_table
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error
from netops.devices.parsers.cisco_peer_routes import _NO_COPY
from netops.devices.peer_routes import not_kept
from netops.errors import NotFoundError

Read = Callable[[str], str]
ORIGINS = {"i": "IGP", "e": "EGP", "?": "incomplete"}
_AF = re.compile(r"^\s*Address Family:\s*(?P<af>.+?)\s*$")
_ADV_HEADER = re.compile(r"^\s*Network\s+Next Hop\s+From\s+AS Path\s*$")
_TABLE_HEADER = re.compile(r"^\s*Network\s+Next Hop\s+Metric\s+LocPrf\s+Weight\s+Path\s*$")
_SKIP = re.compile(r"^\s*(Route Distinguisher|Processed \d+ prefix|VRF:|BGP instance|[-=]{3,}|"
                   r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d+ [\d:.]+ \S+\s*$|\S+[#>]\s*$)", re.I)
_NO_PEER = re.compile(r"no such neighbor|neighbor not found|not a bgp neighbor|invalid neighbor", re.I)
_OFF = re.compile(r"bgp instance .* not active|bgp not active|not running|no bgp", re.I)


def command(peer: str, family: str, what: str, vrf: str = "default") -> str:
    """``what``: ``advertised-routes``, ``routes`` or ``received routes``."""
    scope = "" if vrf in ("default", "") else f"vrf {vrf} "
    return f"show bgp {scope}{family} unicast neighbors {peer} {what}"


def _family_lines(text: str, family: str) -> list[str]:
    """The lines of the ``family`` unicast section (all of them when there are no sections)."""
    lines = text.splitlines()
    if not any(_AF.match(ln) for ln in lines):
        return lines
    keep, out = False, []
    for ln in lines:
        m = _AF.match(ln)
        if m:
            keep = af_name(m.group("af")) == f"{family}-unicast"
        elif keep:
            out.append(ln)
    return out


def _said(text: str, cmd: str, peer: str, family: str) -> str | None:
    """``None`` for a table; ``"off"`` (BGP not running) or ``"no-copy"`` (no soft
    reconfiguration); an unknown peer is NotFoundError and any other refusal a ParseError."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not _SKIP.match(ln)]
    said = next((ln for ln in lines if ln.startswith("%")), None) or device_error("\n".join(lines))
    if said is None:
        return None
    if _NO_COPY.search(said) or "soft" in said.lower():
        return "no-copy"
    if _NO_PEER.search(said):
        raise NotFoundError(f"no BGP peer {peer} in {family} unicast (the router says: {said})",
                            hint="'netops state HOST bgp' lists the peers")
    if _OFF.search(said):
        return "off"
    raise ParseError(f"{cmd!r} failed on the device: {said}")


@shaped("show bgp neighbors advertised-routes")
def parse_advertised(text: str, peer: str, family: str = "ipv4", vrf: str = "default") -> BgpPeerRoutes:
    cmd = command(peer, family, "advertised-routes", vrf)
    out = BgpPeerRoutes(peer=peer, direction="advertised", afi_safi=f"{family}-unicast")
    said = _said(text, cmd, peer, family)
    if said == "off":
        out.note = not_running_note("BGP")
        return out
    if said is not None:
        raise ParseError(f"{cmd!r}: unexpected reply {text.strip()[:80]!r}")
    lines = _family_lines(text, family)
    if text.strip() and not any(_ADV_HEADER.match(ln) for ln in text.splitlines()) \
            and not any(_AF.match(ln) for ln in text.splitlines()):
        if all(_SKIP.match(ln) or not ln.strip() for ln in text.splitlines()):
            return out  # a timestamp and nothing else: nothing advertised
        first = next(ln.strip() for ln in text.splitlines() if ln.strip())[:80]
        raise ParseError(f"{cmd!r} output not recognised as IOS-XR advertised routes (it starts {first!r})")
    seen = False
    pending: str | None = None
    for raw in lines:
        if _ADV_HEADER.match(raw):
            seen = True
            continue
        if not seen or not raw.strip() or _SKIP.match(raw):
            continue
        tokens = raw.split()
        if "/" in tokens[0] and not raw[:1].isspace():
            net = tokens.pop(0)
            if not tokens:  # a long network: the rest of its row is on the next line
                pending = net
                continue
        elif pending is not None:
            net = pending
        else:
            raise ParseError(f"{cmd!r}: cannot read the row {raw.strip()[:80]!r}")
        pending = None
        if len(tokens) < 3:
            raise ParseError(f"{cmd!r}: short row {raw.strip()[:80]!r}")
        hop, _source, *path = tokens
        origin = None
        if path and path[-1][-1:] in ORIGINS:
            last = path.pop()
            origin = ORIGINS[last[-1]]
            if last[:-1]:
                path.append(last[:-1])
        out.routes.append(BgpPath(prefix=net, next_hop=hop, as_path=" ".join(path), origin=origin))
    return out


@shaped("show bgp neighbors routes")
def parse_table_of(text: str, peer: str, family: str = "ipv4", what: str = "routes",
                   vrf: str = "default") -> list[BgpPath] | None:
    """The BGP table of ``routes`` / ``received routes``; ``None`` when BGP is not running or (for
    ``received routes``) the router keeps no pre-policy copy."""
    cmd = command(peer, family, what, vrf)
    if _said(text, cmd, peer, family) is not None:
        return None
    lines = [ln for ln in _family_lines(text, family) if not _SKIP.match(ln)]
    if text.strip() and not any(_TABLE_HEADER.match(ln) for ln in text.splitlines()):
        if all(_SKIP.match(ln) or not ln.strip() for ln in text.splitlines()) or any(
                _AF.match(ln) for ln in text.splitlines()):
            return []
        first = next(ln.strip() for ln in text.splitlines() if ln.strip())[:80]
        raise ParseError(f"{cmd!r} output not recognised as an IOS-XR BGP table (it starts {first!r})")
    start = next((i for i, ln in enumerate(lines) if _TABLE_HEADER.match(ln)), None)
    paths = parse_table("\n".join(lines[start:] if start is not None else []), cmd, family)
    for p in paths:
        p.peer = peer
    return paths


def advertised(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    return parse_advertised(read(command(peer, family, "advertised-routes", vrf)), peer, family, vrf)


def received(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="received", afi_safi=f"{family}-unicast")
    rows = parse_table_of(read(command(peer, family, "routes", vrf)), peer, family, "routes", vrf)
    if rows is None:
        out.note = not_running_note("BGP")
        return out
    out.routes = rows
    out.before_policy = parse_table_of(read(command(peer, family, "received routes", vrf)), peer, family,
                                       "received routes", vrf)
    if out.before_policy is None:
        out.note = not_kept(peer)
    return out


PEER_GETTERS = {"bgp_advertised": advertised, "bgp_received": received}
