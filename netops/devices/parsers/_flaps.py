"""How often a link went down and when it last did, from a ``show interfaces`` text (IOS, IOS-XR,
NX-OS): the device's own counters, which tell a link that flapped between two reads (netops keeps
no history of its own)."""

from __future__ import annotations

import re

from netops.devices.models import Interfaces

_HEAD = re.compile(r"^(?P<name>[A-Za-z][\w./:-]*) is ", re.M)
_CARRIER = re.compile(r"^\s*(?P<n>\d+) carrier transitions?\b", re.M)
_FLAPPED = re.compile(r"^\s*Last link flapped (?P<when>\S.*?)\s*$", re.M)


def carrier_downs(transitions: int) -> int:
    """Carrier transitions count each change, down and up: a flap is two (the downs, rounded up)."""
    return (transitions + 1) // 2


def with_text_flaps(out: Interfaces, text: str) -> Interfaces:
    """Each interface's :attr:`~netops.devices.models.Interface.link_downs` (``N carrier
    transitions``) and :attr:`~netops.devices.models.Interface.last_flap` (``Last link flapped
    1d00h``; not ``never``) from its block of ``text``, where the fields are still unset."""
    heads = list(_HEAD.finditer(text))
    for m, nxt in zip(heads, [*heads[1:], None]):
        iface = out.by_name(m["name"])
        if iface is None:
            continue
        block = text[m.end():nxt.start() if nxt else len(text)]
        if iface.link_downs is None and (c := _CARRIER.search(block)):
            iface.link_downs = carrier_downs(int(c["n"]))
        if iface.last_flap is None and (f := _FLAPPED.search(block)) and f["when"].lower() != "never":
            iface.last_flap = f["when"] + " ago"
    return out
