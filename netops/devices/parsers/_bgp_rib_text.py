"""The Cisco-style BGP table as IOS / IOS-XE print it for ``show ip bgp``, ``... neighbors X
advertised-routes``, ``... routes`` and ``... received-routes``::

         Network          Next Hop            Metric LocPrf Weight Path
     *>   10.2.20.0/25     10.100.0.4                             0 65515 65002 i
     *>  123.233.111.222/24                                                 (a long network wraps)
                           11.222.1.202         28416    350      0 65000 ?
     *                     10.0.0.6                               0 65003 i     (another path, same network)

Metric, LocPrf and Weight are right-aligned under their headings and may be blank; a wide value
(``4000000000``) still ends where its heading ends. Everything after the Weight column is the AS
path and the origin code.

NX-OS prints the same table with the status glued to the network (``*>i10.4.1.0/24``, path type
``l``/``e``/``i`` after the status) and one section per family (``Peer X routes for address
family IPv4 Unicast:``); ``family`` picks the section.
"""

from __future__ import annotations

import ipaddress
import re

from netops.devices.models import BgpPath
from netops.devices.parsers import ParseError

_HEADER = re.compile(r"^\s*Network\s+Next Hop\s+Metric\s+LocPrf\s+Weight\s+Path\s*$")
_STATUS = re.compile(r"^[sdhirSmbfxactelI*>=|&]+$")
_GLUED = re.compile(r"^(?P<status>[sdhirSmbfxactelI*>=|&]+?)(?P<net>\d[\d.]*/\d+|[0-9a-fA-F]*:[0-9a-fA-F:.]*/\d+)$")
_SECTION = re.compile(r"^Peer \S+ routes for address family (?P<family>.+?):\s*$", re.I)
_TOKEN = re.compile(r"\S+")
ORIGINS = {"i": "IGP", "e": "EGP", "?": "incomplete"}


def _network(token: str) -> str | None:
    """``10.0.0.0/8``; a classful network printed without its mask (``10.0.0.0``) gets its class's."""
    try:
        if "/" in token:  # as printed (a sanitised capture may keep host bits)
            return token if ipaddress.ip_network(token, strict=False) else None
        addr = ipaddress.ip_address(token)
    except ValueError:
        return None
    if addr.version != 4:
        return None
    first = int(token.split(".")[0])
    return str(ipaddress.ip_network(f"{token}/{8 if first < 128 else 16 if first < 192 else 24}", strict=False))


def _address(token: str) -> bool:
    try:
        ipaddress.ip_address(token)
    except ValueError:
        return False
    return True


def _section(lines: list[str], family: str) -> list[str]:
    """The lines of the ``family`` section (``ipv4`` -> ``IPv4 Unicast``) when there are sections."""
    if not any(_SECTION.match(ln) for ln in lines):
        return lines
    out: list[str] = []
    keep = False
    for ln in lines:
        m = _SECTION.match(ln)
        if m:
            keep = m.group("family").strip().lower() == f"{family} unicast"
        elif keep:
            out.append(ln)
    return out


def parse_table(text: str, what: str, family: str = "ipv4") -> list[BgpPath]:
    """Every row of the table under the ``Network ... Path`` heading; nothing at all (what IOS
    prints when the table is empty) is an empty list."""
    every = [ln.expandtabs() for ln in text.splitlines()]
    lines = _section(every, family)
    if not lines and every:  # sections, none of them the family's: nothing in that family
        return []
    start = next((i for i, ln in enumerate(lines) if _HEADER.match(ln)), None)
    if start is None:
        if not text.strip() or re.search(r"Total number of prefixes 0\b", text):
            return []
        raise ParseError(f"{what!r} output has no 'Network  Next Hop ... Path' heading: {text.strip()[:80]!r}")
    weight_end = lines[start].index("Weight") + len("Weight")
    out: list[BgpPath] = []
    prefix: str | None = None
    status = ""
    for raw in lines[start + 1:]:
        tokens = [(m.end(), m.group()) for m in _TOKEN.finditer(raw)]
        if not tokens or raw.lower().startswith("total number of prefixes"):
            continue
        lead = ""
        glued = _GLUED.match(tokens[0][1])
        if glued and raw.find(tokens[0][1]) < 5:
            lead = glued.group("status")
            tokens[0] = (tokens[0][0], glued.group("net"))
        elif _STATUS.match(tokens[0][1]) and raw.find(tokens[0][1]) < 5 and len(tokens) > 1:
            lead = tokens.pop(0)[1]
        if not tokens:
            continue
        net = _network(tokens[0][1]) if "/" in tokens[0][1] or (len(tokens) > 1 and _address(tokens[1][1])) else None
        if net is not None:
            prefix = net
            tokens.pop(0)
            status = lead
            if not tokens:  # a long network on its own line: its path follows on the next
                continue
        elif lead:
            status = lead
        if prefix is None or not _address(tokens[0][1]):
            raise ParseError(f"{what!r}: cannot read the row {raw.strip()[:80]!r}")
        hop = tokens.pop(0)[1]
        w = next((i for i, (end, tok) in enumerate(tokens) if tok.isdigit() and end >= weight_end - 2), None)
        path = [tok for _, tok in tokens[w + 1:]] if w is not None else []
        origin = path.pop() if path and path[-1] in ORIGINS else None
        out.append(BgpPath(prefix=prefix, next_hop=hop, as_path=" ".join(path),
                           origin=ORIGINS.get(origin or "", origin), valid="*" in status, best=">" in status))
    return out
