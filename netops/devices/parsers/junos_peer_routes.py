"""Juniper Junos: the routes exchanged with one BGP peer (``bgp_advertised``, ``bgp_received``).

``bgp_advertised``  ``show route advertising-protocol bgp X`` (what the router sends X, after
                    export policy; ``Self`` where it sets itself as next hop)
``bgp_received``    ``show route receive-protocol bgp X`` (what X sent and the router keeps:
                    Junos keeps every received route by default; routes its import policy rejects
                    are hidden and left out of this list)

A VRF (routing instance) peer's routes are in that instance's table: ``... table CUST-A.inet.0``
(``CUST-A.inet6.0``). The text lists one block per table (``inet.0: 929 destinations, ...``), then
``Prefix  Nexthop  MED  Lclpref  AS path`` and one row per route; a long prefix (IPv6) sits on a
line of its own with the rest of its row on the next. MED and local preference are left-aligned
under their headings and may be blank, so the AS path is told from them by its column (measured
from the row's next hop, as the header places it). ``| display json`` / ``| display xml`` output
(``route-information``) is read too. Captures: ``tests/fixtures/devices/juniper_junos/peer-routes``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpPeerRoutes
from netops.devices.parsers import ParseError
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error

Read = Callable[[str], str]
ORIGINS = {"I": "IGP", "E": "EGP", "?": "incomplete"}
_TABLE = re.compile(r"^\s*(?P<table>[\w.:-]+\.\d+): \d+ destinations?, \d+ routes?")
_HEADER = re.compile(r"^(?P<lead>\s*)Prefix\s+Nexthop\s+MED\s+Lclpref\s+AS path\s*$")
_PROMPT = re.compile(r"^\s*\{(master|backup|primary|linecard)[^}]*\}\s*$")
_TAGS = ("*", "@", "+", "-", "#")


def table_name(family: str, vrf: str = "default") -> str:
    """``inet.0`` / ``inet6.0`` / ``CUST-A.inet.0``."""
    base = "inet6.0" if family == "ipv6" else "inet.0"
    return base if vrf in ("default", "master", "") else f"{vrf}.{base}"


def command(peer: str, what: str, family: str = "ipv4", vrf: str = "default") -> str:
    """``what``: ``advertised`` or ``received``. The default VRF reads every table (the command
    as engineers type it); a routing instance names its table."""
    verb = "advertising-protocol" if what == "advertised" else "receive-protocol"
    base = f"show route {verb} bgp {peer}"
    return base if vrf in ("default", "master", "") else f"{base} table {table_name(family, vrf)}"


def _is_prefix(token: str) -> bool:
    if "/" not in token:
        return False
    try:
        ipaddress.ip_network(token, strict=False)
    except ValueError:
        return False
    return True


def _path(tokens: list[str]) -> tuple[str, str | None]:
    """``["(65151", "65000)", "I"]`` -> ``("(65151 65000)", "IGP")``."""
    origin = tokens[-1] if tokens and tokens[-1] in ORIGINS else None
    path = tokens[:-1] if origin else tokens
    return " ".join(path), ORIGINS.get(origin or "", origin)


def _text_rows(text: str, table: str, what: str) -> list[BgpPath]:
    lines = [ln.expandtabs() for ln in text.splitlines()]
    if not any(_HEADER.match(ln) or _TABLE.match(ln) for ln in lines):
        first = next((ln.strip() for ln in lines if ln.strip()), "")[:80]
        raise ParseError(f"{what!r} output not recognised as Junos route output (it starts {first!r})")
    out: list[BgpPath] = []
    current: str | None = None  # the table of the block being read
    path_at: int | None = None  # the AS path column, measured from the next hop's column
    pending: tuple[str, str] | None = None  # (tag, prefix) of a prefix printed on its own line
    for raw in lines:
        if not raw.strip() or _PROMPT.match(raw):
            continue
        m = _TABLE.match(raw)
        if m:
            current, path_at, pending = m.group("table"), None, None
            continue
        m = _HEADER.match(raw)
        if m:
            current = current or table  # a capture that starts at the header
            path_at = raw.index("AS path") - raw.index("Nexthop")
            continue
        if current != table or path_at is None:
            continue
        spans = [(t.start(), t.group()) for t in re.finditer(r"\S+", raw)]
        tag = ""
        if spans[0][1] in _TAGS:
            tag = spans.pop(0)[1]
        if spans and _is_prefix(spans[0][1]):
            prefix = spans.pop(0)[1]
            if not spans:
                pending = (tag, prefix)
                continue
        elif pending is not None:
            tag, prefix = tag or pending[0], pending[1]
        else:
            raise ParseError(f"{what!r}: cannot read the row {raw.strip()[:80]!r}")
        pending = None
        if not spans:
            raise ParseError(f"{what!r}: no next hop in the row {raw.strip()[:80]!r}")
        hop_at, hop = spans.pop(0)
        rest = [tok for at, tok in spans if at - hop_at >= path_at - 2]
        out.append(_route(prefix, hop, *_path(rest), active=tag == "*"))
    return out


def _route(prefix: str, hop: str, as_path: str, origin: str | None, *, active: bool) -> BgpPath:
    return BgpPath(prefix=prefix, next_hop=None if hop.lower() == "self" else hop, as_path=as_path,
                   origin=origin, valid=True, best=active)


def _json_rows(text: str, table: str, what: str) -> list[BgpPath]:
    from netops.devices.parsers import juniper_junos as j

    info = j._doc(text, what, "route-information")
    out: list[BgpPath] = []
    for tab in j._items(info, "route-table"):
        if str(j._leaf(tab, "table-name") or table) != table:
            continue
        for rt in j._items(tab, "rt"):
            prefix = str(j._leaf(rt, "rt-destination"))
            if "/" not in prefix and j._leaf(rt, "rt-prefix-length") is not None:
                prefix = f"{prefix}/{j._leaf(rt, 'rt-prefix-length')}"
            for entry in j._items(rt, "rt-entry") or [{}]:
                hops = [j._leaf(nh, "to") for nh in j._items(entry, "nh")]
                as_path, origin = _path(str(j._leaf(entry, "as-path") or "").split())
                out.append(_route(prefix, str(next((h for h in hops if h), "Self")), as_path, origin,
                                  active=j._leaf(entry, "active-tag") == "*"))
    return out


@shaped("show route advertising-protocol bgp")
def parse(text: str, peer: str, direction: str = "advertised", family: str = "ipv4",
          vrf: str = "default") -> BgpPeerRoutes:
    """``show route advertising-protocol|receive-protocol bgp PEER`` (text, JSON or XML): the
    routes of the family's table in ``vrf``. Nothing at all (a peer with no routes, or none the
    router knows) is an empty list; an error message or another command's output is a ParseError."""
    what = command(peer, direction, family, vrf)
    out = BgpPeerRoutes(peer=peer, direction=direction, afi_safi=f"{family}-unicast")
    stripped = "\n".join(ln for ln in text.splitlines() if not _PROMPT.match(ln)).strip()
    if not stripped:
        return out
    said = device_error(stripped)
    if said:
        raise ParseError(f"{what!r} failed on the device: {said}")
    table = table_name(family, vrf)
    if stripped.startswith(("{", "<")):
        out.routes = _json_rows(stripped, table, what)
    else:
        out.routes = _text_rows(text, table, what)
    if direction == "received":
        for p in out.routes:
            p.peer = peer
    return out


def advertised(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    return parse(read(command(peer, "advertised", family, vrf)), peer, "advertised", family, vrf)


def received(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    out = parse(read(command(peer, "received", family, vrf)), peer, "received", family, vrf)
    out.note = ("Junos lists what the peer sent and the router keeps; routes its import policy rejected are "
                "hidden and not in this list")
    return out


PEER_GETTERS = {"bgp_advertised": advertised, "bgp_received": received}
