"""Nokia SR OS: the routes exchanged with one BGP peer (``bgp_advertised``, ``bgp_received``).

``bgp_advertised``  ``show router bgp neighbor X advertised-routes`` (IPv6: ``... neighbor X family
                    ipv6 advertised-routes``; a VPRN: ``show router NAME bgp neighbor X ...``)
``bgp_received``    ``show router bgp neighbor X received-routes`` (the peer's routes in the
                    RIB-In, each with its flags: ``u`` used, ``*`` valid, ``>`` best)

Both print the BGP route table of ``show router bgp routes``: a ``BGP IPv4 Routes`` (``IPv6``)
section, three lines per route (flag, network, local preference, MED; next hop, path id, IGP
cost / label; the AS path, ``No As-Path`` when empty, a long one on more lines), the origin code
the last letter of the flag (``u*>i``), then ``Routes : N``. Captures of that table:
``tests/fixtures/devices/nokia_sros/peer-routes`` (batfish lab-validation, real SR OS).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from netops.devices.models import BgpPath, BgpPeerRoutes
from netops.devices.parsers import ParseError, not_running_note
from netops.devices.parsers._shape import shaped

Read = Callable[[str], str]
ORIGINS = {"i": "IGP", "e": "EGP", "?": "incomplete"}
_SECTION = re.compile(r"^\s*BGP (?P<family>[\w-]+) Routes\s*$")
_FLAG = re.compile(r"^(?P<status>[ushd*lx>bpw]*)(?P<origin>[ie?])?$")
_RULE = re.compile(r"^\s*[-=]{10,}\s*$")
_COUNT = re.compile(r"^\s*Routes\s*:\s*(\d+)\s*$")


def command(peer: str, family: str, what: str, vrf: str = "default") -> str:
    """``what``: ``advertised-routes`` or ``received-routes``."""
    instance = "" if vrf in ("default", "Base") else f"{vrf} "
    fam = "family ipv6 " if family == "ipv6" else ""
    return f"show router {instance}bgp neighbor {peer} {fam}{what}"


def _net(token: str) -> bool:
    try:
        ipaddress.ip_network(token, strict=False)
    except ValueError:
        return False
    return "/" in token


@shaped("show router bgp neighbor advertised-routes")
def parse(text: str, peer: str, family: str = "ipv4", what: str = "advertised-routes",
          vrf: str = "default") -> list[BgpPath] | None:
    """The rows of the family's ``BGP ... Routes`` section; ``None`` when BGP is not running."""
    from netops.devices.parsers.nokia_sros import _lines, device_error, not_running

    cmd = command(peer, family, what, vrf)
    if not text.strip():
        return []
    if not_running(text):
        return None
    said = device_error(text)
    if said:
        low = said.lower()
        if "neighbor" in low or "peer" in low:
            from netops.errors import NotFoundError

            raise NotFoundError(f"no BGP peer {peer} (the router says: {said})",
                                hint="'netops state HOST bgp' lists the peers")
        raise ParseError(f"{cmd!r} failed on the device: {said}")
    lines = _lines(text)
    titles = [m.group("family").lower() for m in (_SECTION.match(ln) for ln in lines) if m]
    if not titles:
        first = next((ln.strip() for ln in lines if ln.strip()), "")[:80]
        raise ParseError(f"{cmd!r} output not recognised as an SR OS BGP route table (it starts {first!r})")
    if family not in titles:  # SR OS titles the asked family's table even when it is empty
        raise ParseError(f"{cmd!r} output has no BGP {family.upper().replace('V', 'v')} Routes table "
                         f"(it has: {', '.join(titles)})")
    out: list[BgpPath] = []
    keep = in_rows = False
    row: list[str] = []
    counted: int | None = None
    label_at: int | None = None

    def flush() -> None:
        nonlocal label_at
        if not row:
            return
        if len(row) < 2:
            raise ParseError(f"{cmd!r}: a route without its next-hop line {row[0].strip()[:60]!r}")
        head, hop_line, *path_lines = row
        tokens = head.split()
        flag = _FLAG.match(tokens[0]) if len(tokens) > 1 else None
        if flag is None or not _net(tokens[1]):
            raise ParseError(f"{cmd!r}: cannot read the row {head.strip()[:80]!r}")
        status = flag.group("status")
        # the As-Path heading's line may end in a Label column: only what is left of it is the path
        path = " ".join(" ".join(ln[:label_at] if label_at else ln for ln in path_lines).split())
        path = "" if path.lower() == "no as-path" else path
        hop = hop_line.split()[0]
        out.append(BgpPath(prefix=tokens[1], next_hop=hop, as_path=path, origin=ORIGINS.get(flag.group("origin") or ""),
                           valid="*" in status, best=">" in status))
        row.clear()

    for ln in lines:
        m = _SECTION.match(ln)
        if m:
            flush()
            keep, in_rows = m.group("family").lower() == family, False
            continue
        if not keep:
            continue
        c = _COUNT.match(ln)
        if c:
            flush()
            counted, keep = int(c.group(1)), False
            continue
        if _RULE.match(ln):
            flush()
            in_rows = True  # the rule under the heading (and the one closing the rows)
            continue
        if ln.strip().startswith("As-Path") and "Label" in ln:
            label_at = ln.index("Label")
        if not in_rows or not ln.strip() or ln.strip().startswith(("Flag ", "Nexthop", "As-Path")):
            continue
        if "no matching entries" in ln.lower():
            counted = 0
            continue
        if not ln[:1].isspace():  # a flag column: a new route
            flush()
        elif not row:
            raise ParseError(f"{cmd!r}: cannot read the row {ln.strip()[:80]!r}")
        row.append(ln)
    flush()
    if counted is None:  # SR OS ends the table with "Routes : N" (or "No Matching Entries Found.")
        raise ParseError(f"{cmd!r} output ends before the table's 'Routes :' count (output cut short?)")
    if counted != len(out):
        raise ParseError(f"{cmd!r} lists {len(out)} of the {counted} routes it counts (output cut short?)")
    return out


def advertised(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="advertised", afi_safi=f"{family}-unicast")
    rows = parse(read(command(peer, family, "advertised-routes", vrf)), peer, family, "advertised-routes", vrf)
    if rows is None:
        out.note = not_running_note("BGP")
    else:
        out.routes = rows
    return out


def received(host: Any, read: Read, *, peer: str, family: str, vrf: str = "default") -> BgpPeerRoutes:
    out = BgpPeerRoutes(peer=peer, direction="received", afi_safi=f"{family}-unicast")
    rows = parse(read(command(peer, family, "received-routes", vrf)), peer, family, "received-routes", vrf)
    if rows is None:
        out.note = not_running_note("BGP")
        return out
    out.routes = rows
    for p in rows:
        p.peer = peer
    out.note = ("SR OS lists every route the peer sent (its RIB-In) with the router's flags: valid (*), best (>); "
                "a route without them was not accepted or not chosen")
    return out


PEER_GETTERS = {"bgp_advertised": advertised, "bgp_received": received}
