"""Arista EOS: the routes exchanged with one BGP peer (``bgp_advertised``, ``bgp_received``).

=============== =========================================================================
advertised      ``show ip bgp neighbors X advertised-routes | json``
accepted        ``show ip bgp neighbors X routes | json`` (after inbound policy)
before policy   ``show ip bgp neighbors X received-routes | json`` (EOS keeps what a peer
                sent by default)
=============== =========================================================================

IPv6 reads ``show ipv6 bgp neighbors X ...``; a VRF peer appends ``vrf NAME``. The JSON is the
BGP table's (``vrfs`` -> VRF -> ``bgpRouteEntries`` -> prefix -> ``bgpRoutePaths``, the origin
code at the end of ``asPathEntry.asPath``), the shape of ``show ip bgp | json`` captured in
``tests/fixtures/devices/arista_eos/peer-routes``. Where a device refuses ``| json`` the text
table is read: ``Network  Next Hop  Metric  [AIGP]  LocPref  Weight  Path``, every value
column printed (``-`` when unset), the status (``* >``) in front of the network.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpPeerRoutes
from netops.devices.parsers import ParseError, load_json, not_running_note
from netops.devices.parsers._shape import shaped
from netops.devices.parsers._textfsm import device_error
from netops.errors import NotFoundError

Read = Callable[[str], str]
ORIGINS = {"i": "IGP", "e": "EGP", "?": "incomplete", "igp": "IGP", "egp": "EGP", "incomplete": "incomplete"}
_VRF = re.compile(r"^\s*BGP routing table information for VRF (?P<vrf>\S+)")
_HEADER = re.compile(r"^\s*Network\s+Next Hop\s+(?P<cols>Metric\s+(?:AIGP\s+)?LocPref\s+Weight)\s+Path\s*$")
_STATUS = re.compile(r"^[\s*>#sSEecbLq%u]*$")
_PROMPT = re.compile(r"^\s*\S+[#>]\s*$")  # a saved session's closing prompt (leaf1#)
_NO_JSON = ("unconverted command", "% invalid input", "not supported in json")


def command(peer: str, family: str, what: str, vrf: str = "default") -> str:
    """``what``: ``advertised-routes``, ``routes`` or ``received-routes``."""
    base = f"show {'ipv6' if family == 'ipv6' else 'ip'} bgp neighbors {peer} {what}"
    return base if vrf in ("default", "") else f"{base} vrf {vrf}"


def _net(token: str) -> bool:
    try:
        ipaddress.ip_network(token, strict=False)
    except ValueError:
        return False
    return "/" in token


def _split_path(text: str) -> tuple[str, str | None]:
    """``65101 65001 i`` -> (``65101 65001``, IGP); what follows the origin (``Or-ID: ...``) is dropped."""
    tokens = text.split()
    for i, tok in enumerate(tokens):
        if tok in ("i", "e", "?"):
            return " ".join(tokens[:i]), ORIGINS[tok]
    return " ".join(tokens), None


def _json_rows(doc: dict[str, Any], vrf: str, what: str) -> list[BgpPath]:
    vrfs = doc.get("vrfs")
    if not isinstance(vrfs, dict):
        raise ParseError(f"{what!r} output has no 'vrfs' object")
    body = vrfs.get(vrf)
    if body is None:
        return []
    out = []
    for prefix, entry in (body.get("bgpRouteEntries") or {}).items():
        for path in entry.get("bgpRoutePaths") or []:
            as_path, origin = _split_path(str((path.get("asPathEntry") or {}).get("asPath") or ""))
            detail = path.get("routeDetail") or {}
            origin = origin or ORIGINS.get(str(detail.get("origin") or "").lower())
            kind = path.get("routeType") or {}
            out.append(BgpPath(prefix=prefix, next_hop=path.get("nextHop") or None, as_path=as_path,
                               origin=origin, valid=bool(kind.get("valid", True)),
                               best=bool(kind.get("active", False))))
    return out


def _text_rows(text: str, vrf: str, what: str) -> list[BgpPath]:
    lines = text.splitlines()
    if not any(_HEADER.match(ln) or _VRF.match(ln) for ln in lines):
        first = next((ln.strip() for ln in lines if ln.strip()), "")[:80]
        raise ParseError(f"{what!r} output not recognised as an EOS BGP table (it starts {first!r})")
    out: list[BgpPath] = []
    current = "default"
    values = None  # how many value columns (Metric, [AIGP], LocPref, Weight) sit before the path
    pending: tuple[str, str] | None = None
    for raw in lines:
        m = _VRF.match(raw)
        if m:
            current, values, pending = m.group("vrf").rstrip(","), None, None
            continue
        m = _HEADER.match(raw)
        if m:
            values = len(m.group("cols").split())
            continue
        if values is None or current != vrf or not raw.strip() or _PROMPT.match(raw):
            continue
        tokens = raw.split()
        at = next((i for i, t in enumerate(tokens) if _net(t)), None)
        status = ""
        if at is not None and _STATUS.match(" ".join(tokens[:at])):
            status, net = " ".join(tokens[:at]), tokens[at]
            tokens = tokens[at + 1:]
            if not tokens:  # a long network: its next hop and values follow on the next line
                pending = (status, net)
                continue
        elif pending is not None:
            status, net = pending
        else:  # under the heading every line is a row: a VPN table ("RD: ..."), or a cut or garbled one
            raise ParseError(f"{what!r}: cannot read the row {raw.strip()[:80]!r}")
        pending = None
        if len(tokens) < values + 1:
            raise ParseError(f"{what!r}: short row {raw.strip()[:80]!r}")
        hop = tokens[0]
        as_path, origin = _split_path(" ".join(tokens[1 + values:]))
        out.append(BgpPath(prefix=net, next_hop=None if hop == "-" else hop, as_path=as_path, origin=origin,
                           valid="*" in status, best=">" in status))
    return out


@shaped("show ip bgp neighbors advertised-routes")
def parse(text: str, peer: str, what: str = "advertised-routes", family: str = "ipv4",
          vrf: str = "default") -> list[BgpPath] | None:
    """The table of ``what`` (JSON or text) in ``vrf``; ``None`` when BGP is not running."""
    cmd = command(peer, family, what, vrf)
    stripped = text.strip()
    if not stripped:
        return []
    said = device_error(stripped)
    if said:
        low = said.lower()
        if "not running" in low or "bgp inactive" in low or "is disabled" in low:
            return None
        if "neighbor" in low and ("not found" in low or "no such" in low or "does not exist" in low):
            raise NotFoundError(f"no BGP peer {peer} in {family} unicast (the router says: {said})",
                                hint="'netops state HOST bgp' lists the peers")
        raise ParseError(f"{cmd!r} failed on the device: {said}")
    if stripped.startswith("{"):
        doc = load_json(stripped, cmd)
        if "errors" in doc:
            raise ParseError(f"{cmd!r} failed on the device: {'; '.join(map(str, doc['errors']))}")
        return _json_rows(doc, vrf, cmd)
    return _text_rows(text, vrf, cmd)


def _read(read: Read, peer: str, family: str, what: str, vrf: str) -> list[BgpPath] | None:
    cmd = command(peer, family, what, vrf)
    text = read(f"{cmd} | json")
    if any(m in text.strip().lower() for m in _NO_JSON):
        text = read(cmd)
    return parse(text, peer, what, family, vrf)


def advertised(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="advertised", afi_safi=f"{family}-unicast")
    rows = _read(read, peer, family, "advertised-routes", vrf)
    if rows is None:
        out.note = not_running_note("BGP")
    else:
        out.routes = rows
    return out


def received(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="received", afi_safi=f"{family}-unicast")
    rows = _read(read, peer, family, "routes", vrf)
    if rows is None:
        out.note = not_running_note("BGP")
        return out
    out.routes = rows
    out.before_policy = _read(read, peer, family, "received-routes", vrf) or []
    for p in out.routes + out.before_policy:
        p.peer = peer
    return out


PEER_GETTERS = {"bgp_advertised": advertised, "bgp_received": received}
