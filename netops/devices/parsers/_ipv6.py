"""IPv6 interface addresses: one spelling for every platform, and the merge into ``Interfaces``.

Cisco IOS/IOS-XE, NX-OS and Arista EOS list IPv6 addresses in a second command (``show ipv6
interface ...``), next to the ``show interfaces`` that gives IPv4, state and counters. Each
platform module parses its own output into :class:`V6Interface` rows; :func:`merge` joins them
to the IPv4 interfaces by name (``Gi0/1`` and ``GigabitEthernet0/1`` are one interface).

Spelling, the same as the FRR, Linux and Junos getters: ``addr/len``, lower case, compressed
(RFC 5952: ``2001:db8::1/64``). A link-local address carries the length the device states
(EOS: subnet ``fe80::/64``); IOS and NX-OS print it bare, and it is then ``/64``, the
link-local prefix of RFC 4291 section 2.5.6 and what the Linux kernel (FRR) and Junos print.
Per interface: IPv4 first (as ``show interfaces`` lists them), then IPv6 global (and
anycast) addresses in the device's order, then the link-local one; no address twice.
Virtual (HSRP/VRRP) addresses are not the interface's own and are left out, as for IPv4.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from netops.devices.models import Interface, Interfaces
from netops.devices.parsers import ParseError
from netops.devices.parsers._textfsm import device_error

LINK_LOCAL_LENGTH = 64


@dataclass
class V6Interface:
    """One interface's IPv6 addresses as a ``show ipv6 interface`` lists them."""

    name: str
    addresses: list[str] = field(default_factory=list)
    """Global/anycast addresses, ``addr/len`` (already normalised by :func:`address`)."""
    link_local: str | None = None
    admin_up: bool | None = None
    oper_up: bool | None = None

    def all(self) -> list[str]:
        return [*self.addresses, *([self.link_local] if self.link_local else [])]


def address(addr: str, length: int | str | None) -> str | None:
    """``2001:DB8::1`` + ``64`` -> ``2001:db8::1/64``; ``None`` for anything that is not a
    usable IPv6 address with a length (``::``, ``[none]``, a missing length)."""
    text = (addr or "").strip().split("%")[0]
    if "/" in text:
        text, _, length = text.partition("/")
    if length is None or not str(length).strip().isdigit():
        return None
    try:
        iface = ipaddress.IPv6Interface(f"{text}/{int(length)}")
    except ValueError:
        return None
    if iface.ip.is_unspecified:
        return None
    return str(iface)


def link_local(addr: str, length: int | str | None = None) -> str | None:
    """A link-local address in the common spelling (``/64`` unless the device states a length)."""
    return address(addr, LINK_LOCAL_LENGTH if length in (None, "") else length)


_ALIASES = {
    # abbreviation (lower case) -> the full lower-case name Cisco/Arista print in "show interfaces"
    "gi": "gigabitethernet", "gig": "gigabitethernet",
    "fa": "fastethernet", "te": "tengigabitethernet", "tengig": "tengigabitethernet",
    "tw": "twogigabitethernet", "twe": "twentyfivegige", "fi": "fivegigabitethernet",
    "fo": "fortygigabitethernet", "hu": "hundredgige", "fou": "fourhundredgige",
    "et": "ethernet", "eth": "ethernet", "lo": "loopback", "vl": "vlan", "po": "port-channel",
    "tu": "tunnel", "ma": "management", "mgmt": "mgmt", "se": "serial", "bd": "bdi",
    "nv": "nve", "vi": "virtual-access",
}
_NAME = re.compile(r"^(?P<kind>[A-Za-z][A-Za-z-]*?)-?(?P<rest>\d.*)?$")


def name_key(name: str) -> str:
    """One key for every spelling of an interface name: ``Gi0/1``, ``GigabitEthernet0/1`` and
    ``gigabitethernet 0/1`` give the same key; ``Et1`` and ``Ethernet1``; ``Po10``,
    ``Port-Channel10`` and ``port-channel10``."""
    compact = "".join(name.split())
    m = _NAME.match(compact)
    if not m:
        return compact.lower()
    kind = m.group("kind").lower()
    kind = _ALIASES.get(kind, kind)
    return f"{kind}{m.group('rest') or ''}"


def merge(v4: Interfaces, v6: list[V6Interface]) -> Interfaces:
    """``v4`` with every IPv6 address of ``v6`` added to the interface of the same name
    (IPv4 first, no duplicates). An interface only ``v6`` lists is added with the state that
    output gives (down when it gives none)."""
    out = v4.model_copy(deep=True)
    index = {name_key(i.name): i for i in out.interfaces}
    for row in v6:
        found = index.get(name_key(row.name))
        if found is None:
            found = Interface(name=row.name, admin_up=bool(row.admin_up), oper_up=bool(row.oper_up))
            out.interfaces.append(found)
            index[name_key(row.name)] = found
        found.addresses = list(dict.fromkeys([*found.addresses, *row.all()]))
    return out


Parse = Callable[[str], "list[V6Interface]"]
_NO_IPV6 = ("ipv6 not enabled", "ipv6 is not enabled", "ipv6 is disabled", "no ipv6 configured",
            "ipv6 not supported", "ipv6 is not supported")


def _refused(text: str) -> bool:
    """The device said there is no IPv6 here (or does not know the command)."""
    first = text.strip().splitlines()[0].strip().lower()
    return device_error(text) is not None or any(m in first for m in _NO_IPV6)


def with_ipv6(v4: Interfaces, read: Callable[[str], str], tries: Sequence[tuple[str, Parse]]) -> Interfaces:
    """``v4`` plus the IPv6 addresses the first command of ``tries`` the device accepts lists
    (``[("show ipv6 interface vrf all | json", parse_json), ("show ipv6 interface vrf all",
    parse_text)]``: the text form when ``| json`` is refused).

    The IPv6 read never fails the getter: a device that refuses every command (``% Invalid
    input``: no IPv6 in its image; ``% No IPv6 configured interfaces``; ``IPv6 not enabled``) or
    prints nothing has no IPv6 addresses and the IPv4 result stands; output netops cannot parse
    leaves the IPv6 addresses out and says so in ``note``. Errors raised by ``read`` itself
    (transport, timeout, truncated output, policy) are not caught: they fail the getter as before."""
    for command, parse in tries:
        text = read(command)
        if not text.strip():
            return v4
        if _refused(text):
            continue
        try:
            return merge(v4, parse(text))
        except ParseError as exc:
            out = v4.model_copy()
            out.note = f"IPv6 addresses not included: {str(exc).strip()}"
            return out
    return v4
