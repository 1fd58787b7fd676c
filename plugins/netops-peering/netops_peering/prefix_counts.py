"""FRR ``show bgp ipv4 unicast neighbors ADDR prefix-counts`` (text only; no JSON form in 8.4).

The core has no parser for it; the peering team reads it before raising a prefix limit
(how many prefixes the peer really sends, how many are valid and usable).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from netops.devices.parsers import ParseError

_HEADER = re.compile(r"^Prefix counts for (?P<neighbor>\S+), (?P<afi_safi>.+?)\s*$", re.M)
_TOTAL = re.compile(r"^PfxCt:\s*(?P<n>\d+)\s*$", re.M)
_COUNT = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z -]*?):\s*(?P<n>\d+)\s*$", re.M)


class PrefixCounts(BaseModel):
    """Prefix counters of one BGP neighbor in one address family."""

    neighbor: str
    afi_safi: str
    pfx_count: int
    """What the session counter says (compared against maximum-prefix)."""
    counts: dict[str, int]
    """From the RIB walk: adj_in, damped, removed, history, stale, valid, all_rib,
    pfxct_counted, pfxct_best_selected, useable."""


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")


def parse_prefix_counts(text: str) -> PrefixCounts:
    head = _HEADER.search(text or "")
    total = _TOTAL.search(text or "")
    if head is None or total is None:
        first = (text or "").strip().splitlines()[0][:120] if (text or "").strip() else "empty output"
        raise ParseError(f"not a prefix-counts output: {first}")
    walk = text[total.end():]
    counts = {_key(m["label"]): int(m["n"]) for m in _COUNT.finditer(walk)}
    if "valid" not in counts:
        raise ParseError("prefix-counts output has no RIB walk counters")
    return PrefixCounts(neighbor=head["neighbor"], afi_safi=head["afi_safi"], pfx_count=int(total["n"]),
                        counts=counts)
