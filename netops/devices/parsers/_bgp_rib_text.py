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
``l``/``e``/``i`` after the status, ``x e10.0.0.2/32`` with a blank between) and one section per
family (``Peer X routes for address family IPv4 Unicast:``; IOS ``show bgp all ...``: ``For address
family: IPv4 Unicast``); ``family`` picks the section. A VRF's table carries ``Route Distinguisher:``
lines, which are no rows; ``0.0.0.0`` without a mask is the default route.
"""

from __future__ import annotations

import ipaddress
import re

from netops.devices.models import BgpPath
from netops.devices.parsers import ParseError, is_address

_HEADER = re.compile(r"^\s*Network\s+Next Hop\s+Metric\s+LocPrf\s+Weight\s+Path\s*$")
_STATUS = re.compile(r"^[sdhirSmbfxactelI*>=|&]+$")
_GLUED = re.compile(r"^(?P<status>[sdhirSmbfxactelI*>=|&]+?)(?P<net>\d[\d.]*/\d+|[0-9a-fA-F]*:[0-9a-fA-F:.]*/\d+)$")
_SECTION = re.compile(r"^\s*(?:Peer \S+ routes for address family|For address family:) (?P<family>.+?):?\s*$", re.I)
# a status followed by path-type / additional-path letters glued to the network: NX-OS "x e10.0.0.0/8"
# (deleted, external), IOS "*b a10.0.0.0/8" (backup, additional path), "* i10.4.1.0/24"
_CODES_GLUED = re.compile(r"^(?P<codes>[a-zA-Z]{1,2})(?P<net>\d[\d.]*/\d+|[0-9a-fA-F]*:[0-9a-fA-F:.]*/\d+)$")
# lines of a VRF or VPN table that are no rows: "Route Distinguisher: 300:1 (default for vrf VRF1) VRF Router ID ..."
_TOTAL = re.compile(r"^\s*(?:Total number of prefixes|Processed) (\d+)(?: prefixes)?\b", re.M | re.I)
# NX-OS path type, IOS internal / additional-path marks ("* i", "*m a", "s ia": internal + additional)
_PATH_TYPE = re.compile(r"^[ierlIac]{1,2}$")
_NOT_A_ROW = re.compile(r"^\s*(Route Distinguisher:|Total number of prefixes|Processed \d+ prefixes|\S+[#>]\s*$)",
                        re.I)  # ... and the prompt a saved session ends with (r1#)
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
    if int(addr) == 0:  # the default route, printed as 0.0.0.0
        return "0.0.0.0/0"
    first = int(token.split(".")[0])
    return str(ipaddress.ip_network(f"{token}/{8 if first < 128 else 16 if first < 192 else 24}", strict=False))


_address = is_address


def _section(lines: list[str], family: str) -> list[str]:
    """The lines of the ``family`` section (``ipv4`` -> ``IPv4 Unicast``) when there are sections."""
    if not any(_SECTION.match(ln) for ln in lines):
        return lines
    out: list[str] = []
    keep = False
    for ln in lines:
        m = _SECTION.match(ln)
        if m:
            keep = m.group("family").strip().rstrip(":").lower() == f"{family} unicast"
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
        # nothing, or a family section with nothing under it (IOS "show bgp all": the routes are
        # in another family's section)
        if not "".join(lines).strip() or re.search(r"Total number of prefixes 0\b", text):
            return []
        raise ParseError(f"{what!r} output has no 'Network  Next Hop ... Path' heading: {text.strip()[:80]!r}")
    weight_end = lines[start].index("Weight") + len("Weight")
    # the status codes sit left of the Network heading (a capture quoted with a margin moves both)
    status_end = lines[start].index("Network")
    out: list[BgpPath] = []
    prefix: str | None = None
    status = ""
    for raw in lines[start + 1:]:
        tokens = [(m.end(), m.group()) for m in _TOKEN.finditer(raw)]
        if not tokens or _NOT_A_ROW.match(raw):
            continue
        lead = ""
        glued = _GLUED.match(tokens[0][1])
        if glued and raw.find(tokens[0][1]) < status_end:
            lead = glued.group("status")
            tokens[0] = (tokens[0][0], glued.group("net"))
        elif _STATUS.match(tokens[0][1]) and raw.find(tokens[0][1]) < status_end and len(tokens) > 1:
            lead = tokens.pop(0)[1]
            codes = _CODES_GLUED.match(tokens[0][1])
            if codes and _network(codes.group("net")):
                lead += codes.group("codes")
                tokens[0] = (tokens[0][0], codes.group("net"))
            elif len(tokens) > 1 and _PATH_TYPE.match(tokens[0][1]) and (
                    _address(tokens[1][1]) or ("/" in tokens[1][1] and _network(tokens[1][1]))):
                # "* e   10.10.1.1 ...": another path of the network above; "* i  10.0.0.0/32 ...": a network
                lead += tokens.pop(0)[1]
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
    counted = _TOTAL.search("\n".join(lines[start:]))  # IOS counts paths, IOS-XR prefixes
    if counted and int(counted.group(1)) not in (len(out), len({p.prefix for p in out})):
        raise ParseError(f"{what!r} lists {len({p.prefix for p in out})} of the {counted.group(1)} prefixes it counts "
                         "(output cut short?)")
    return out
