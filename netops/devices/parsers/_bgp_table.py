"""The Cisco-style BGP summary table that IOS, IOS-XE, IOS-XR, EOS and NX-OS print as text:

    For address family: IPv4 Unicast                      (IOS ``show bgp all summary``)
    BGP summary information for VRF RED, address family IPv4 Unicast     (NX-OS, EOS)
    BGP router identifier 10.0.0.1, local AS number 65001.10
    Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
    10.0.0.2        4        65020    1520    1517        9    0    0 1d01h           4
    2001:DB8::2                                           (a long neighbor wraps onto its own line)
                    4        65030       0       0        1    0    0 never    Idle (Admin)

The columns are read from the header (EOS splits ``State``/``PfxRcd`` and may lead with a
``Description``; IOS-XR prints ``Spk`` where the others print ``V``, and ``St/PfxRcd``), AS
numbers in asdot become asplain, and each peer carries the VRF and address family of the section
it was listed in.
"""

from __future__ import annotations

import ipaddress
import re

from netops.devices.models import BgpNeighbor, BgpNeighbors
from netops.devices.parsers import ParseError, af_name, not_running_note, to_asn

_ROUTER = re.compile(r"router identifier (?P<rid>[0-9a-fA-F.:]+), local AS number (?P<asn>[\d.]+)", re.I)
_VRF = re.compile(r"BGP summary information for VRF (?P<vrf>[^\s,]+)(?:, address family (?P<af>.+?))?\s*$", re.I)
_FAMILY = re.compile(r"^\s*For address family: (?P<af>.+?)\s*$", re.I)
_HEADER = re.compile(r"^\s*(?:Description\s+)?Neighbor\s+(?:V|Spk)\s+AS\s+", re.I)
_ASN = re.compile(r"^\d+(?:\.\d+)?$")
_ADMIN = re.compile(r"\(\s*admin\s*\)", re.I)
_DISABLED = re.compile(r"^\s*BGP is disabled for VRF \S+", re.I)  # EOS: "... (Missing Router ID)"
_STATES = {"estab": "Established", "established": "Established", "idle": "Idle", "active": "Active",
           "connect": "Connect", "opensent": "OpenSent", "openconfirm": "OpenConfirm"}


def is_peer(token: str) -> bool:
    """An IPv4/IPv6 address, possibly with a ``%scope`` (``fe80::1%Et1``, RFC 5549 peers)."""
    try:
        ipaddress.ip_address(token.split("%")[0])
    except ValueError:
        return False
    return True


def duration_seconds(value: str | None) -> float | None:
    """Cisco/Arista uptimes: ``00:01:02``, ``1d01h``, ``5w0d``, ``1y2w``, ``01:02``; ``never`` is None."""
    if not value:
        return None
    value = value.strip().lower()
    m = re.fullmatch(r"(?:(\d+):)?(\d+):(\d+)", value)
    if m:
        h, mi, s = (int(x) if x else 0 for x in m.groups())
        return float(h * 3600 + mi * 60 + s)
    units = {"y": 31536000, "w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([ywdhms])", value)
    if parts and "".join(n + u for n, u in parts) == value:
        return float(sum(int(n) * units[u] for n, u in parts))
    return None


def admin_down(raw: str | None) -> bool:
    """Whether a printed state says the configuration shuts the peer: the ``(Admin)`` qualifier of
    IOS, IOS-XR, EOS, FRR and VRP (``Idle (Admin)``, ``Idle(Admin)``) and NX-OS (``Shut (Admin)``).
    Other qualifiers (``Idle (PfxCt)``: max-prefix) are down for another reason."""
    return bool(raw) and bool(_ADMIN.search(raw or ""))


def state_name(raw: str) -> str:
    """``Estab`` -> ``Established``; ``Idle(Admin)`` / ``Idle (Admin)`` -> ``Idle``."""
    word = raw.split("(")[0].strip()
    return _STATES.get(word.lower(), word or "Unknown")


def recognised(text: str) -> bool:
    """Whether ``text`` holds anything of a BGP summary: a section line, the router identity, the
    table header or EOS's ``BGP is disabled for VRF X``."""
    return any(_VRF.search(line) or _FAMILY.match(line) or _ROUTER.search(line) or _HEADER.match(line)
               or _DISABLED.match(line) for line in text.splitlines())


def parse(text: str, *, vrf: str = "default", afi: str = "ipv4-unicast", command: str | None = None) -> BgpNeighbors:
    """Every peer row of every section of ``text``; ``vrf``/``afi`` apply until a section names its own.

    With ``command``, output that holds nothing of a summary (no section, identity or table header)
    is a :class:`ParseError` naming it, not an empty table; blank output stays an empty result. When
    every VRF says ``BGP is disabled`` (EOS without a router id), the result notes BGP is not running."""
    if command and text.strip() and not recognised(text):
        first = text.strip().splitlines()[0][:80]
        raise ParseError(f"{command!r} output not recognised as a BGP summary (it starts {first!r})")
    out = BgpNeighbors()
    disabled: list[str] = []
    columns: list[str] | None = None
    pending: list[str] | None = None
    cur_vrf, cur_afi = vrf, afi
    default_seen = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if _DISABLED.match(line):
            disabled.append(line.strip())
            continue
        m = _VRF.search(line)
        if m:
            cur_vrf = m.group("vrf")
            cur_afi = af_name(m.group("af")) if m.group("af") else afi
            columns = None
            continue
        m = _FAMILY.match(line)
        if m:
            cur_afi, columns = af_name(m.group("af")), None
            continue
        m = _ROUTER.search(line)
        if m:
            if not default_seen:  # the default VRF's identity wins; else the first one listed
                out.router_id, out.local_as = m.group("rid"), to_asn(m.group("asn"))
                default_seen = cur_vrf == "default"
            continue
        if _HEADER.match(line):
            words = line.split()
            columns = words[words.index("Neighbor") + 1:]
            continue
        if columns is None:
            continue
        tokens = line.split()
        if pending is not None:
            tokens, pending = [*pending, *tokens], None
        n = _row(tokens, columns, cur_vrf, cur_afi)
        if n is not None:
            out.neighbors.append(n)
        elif tokens and is_peer(tokens[0].lstrip("*")) and len(tokens) <= len(columns):
            pending = tokens  # a long neighbor or AS wraps the rest of the row onto the next line
    if disabled and not out.neighbors and out.router_id is None:
        out.note = not_running_note("BGP", "; ".join(disabled))
    return out


def _row(tokens: list[str], columns: list[str], vrf: str, afi: str) -> BgpNeighbor | None:
    tokens = [t.lstrip("*") if is_peer(t.lstrip("*")) else t for t in tokens]  # "*10.0.0.2": dynamic peer
    at = next((i for i, t in enumerate(tokens) if is_peer(t)), None)
    if at is None or len(tokens) < at + 3 or not tokens[at + 1].isdigit() or not _ASN.match(tokens[at + 2]):
        return None
    lower = [c.lower() for c in columns]
    updown_col = next((i for i, c in enumerate(lower) if c.startswith("up/down")), None)
    if updown_col is None:
        return None
    values = tokens[at + 1:]
    if len(values) <= updown_col:
        return None
    updown = values[updown_col]
    rest = values[updown_col + 1:]
    split_state = "state" in lower[updown_col + 1:] if updown_col + 1 < len(lower) else False
    prefixes: int | None = None
    raw: str | None = None
    if split_state:  # EOS: "State PfxRcd PfxAcc"
        raw = " ".join(rest[:2]) if len(rest) > 1 and rest[1].startswith("(") else (rest[0] if rest else None)
        state = state_name(rest[0]) if rest else "Unknown"
        if len(rest) > 1 and rest[1].isdigit():
            prefixes = int(rest[1])
    elif rest and rest[0].isdigit():  # "State/PfxRcd": a count means Established
        state, prefixes = "Established", int(rest[0])
    else:
        raw = " ".join(rest) or None
        state = state_name(" ".join(rest)) if rest else "Unknown"
    up = state == "Established"
    seconds = duration_seconds(updown) if up else None
    description = " ".join(tokens[:at]) or None
    return BgpNeighbor(
        peer=tokens[at], remote_as=to_asn(tokens[at + 2]), state=state, established=up,
        admin_down=admin_down(raw), raw_state=raw,
        uptime=updown if up else None, uptime_seconds=seconds,
        prefixes_received=prefixes if up else None, description=description, vrf=vrf, afi_safi=afi)
