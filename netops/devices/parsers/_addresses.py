"""Interface addresses read from extra commands: one spelling for every platform, and the
merge into ``Interfaces``.

``show interface(s)`` gives state, counters and (on Cisco) only the *primary* IPv4 address.
The other addresses come from further commands, each parsed by its platform module into
:class:`Listed` rows and joined to the interfaces by name (:func:`merge`; ``Gi0/1`` and
``GigabitEthernet0/1`` are one interface):

* IPv4 secondaries: ``show ip interface`` (IOS/IOS-XE), ``show ip interface vrf all`` (NX-OS);
* IPv6: ``show ipv6 interface ...`` (IOS/IOS-XE, NX-OS, Arista EOS).

Spelling, the same as the FRR, Linux and Junos getters: ``addr/len``; IPv6 lower case and
compressed (RFC 5952: ``2001:db8::1/64``). A link-local address carries the length the device
states (EOS: subnet ``fe80::/64``); IOS and NX-OS print it bare, and it is then ``/64``, the
link-local prefix of RFC 4291 section 2.5.6 and what the Linux kernel (FRR) and Junos print.

Per interface: the primary IPv4 address, the secondary ones in the device's order, then IPv6
global (and anycast) addresses in the device's order, then the link-local one; no address
twice. Left out: virtual (HSRP/VRRP) addresses, which are not the interface's own, and the
borrowed address of an *unnumbered* interface (``ip unnumbered Loopback0``), which belongs to
(and is listed on) the interface it is borrowed from. An address still to be negotiated
(``ip address dhcp`` before a lease, PPP ``negotiated``) is no address yet.
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
class Listed:
    """One interface's addresses as an extra command (``show ip interface``, ``show ipv6
    interface``) lists them; every address already spelled by :func:`ipv4` / :func:`ipv6`."""

    name: str
    ipv4: list[str] = field(default_factory=list)
    """Primary first, then the secondary addresses in the device's order."""
    ipv6: list[str] = field(default_factory=list)
    """Global/anycast addresses."""
    link_local: str | None = None
    admin_up: bool | None = None
    oper_up: bool | None = None
    vrf: str | None = None
    """The VRF the output names (``None`` or ``default``: the default table, or not stated);
    :func:`merge` carries a named one into :attr:`~netops.devices.models.Interface.vrf`."""

    def all(self) -> list[str]:
        return [*self.ipv4, *self.ipv6, *([self.link_local] if self.link_local else [])]


def ipv4(addr: str, length: int | str | None = None) -> str | None:
    """``10.0.0.1`` + ``24`` (or ``10.0.0.1/24``) -> ``10.0.0.1/24``; ``None`` for anything that
    is not a usable IPv4 address with a length (``0.0.0.0``, ``unassigned``, no length)."""
    text = (addr or "").strip()
    if "/" in text:
        text, _, length = text.partition("/")
    if length is None or not str(length).strip().isdigit():
        return None
    try:
        iface = ipaddress.IPv4Interface(f"{text}/{int(length)}")
    except ValueError:
        return None
    if iface.ip.is_unspecified:
        return None
    return str(iface)


def ipv6(addr: str, length: int | str | None) -> str | None:
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
    return ipv6(addr, LINK_LOCAL_LENGTH if length in (None, "") else length)


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


def _family(addr: str) -> int:
    return 6 if ":" in addr else 4


def merge(base: Interfaces, listed: list[Listed]) -> Interfaces:
    """``base`` with every address of ``listed`` added to the interface of the same name: IPv4
    before IPv6, each family in the order first seen (``base``'s, then ``listed``'s), no
    duplicates. An interface only ``listed`` has is added with the state that output gives
    (down when it gives none)."""
    out = base.model_copy(deep=True)
    index = {name_key(i.name): i for i in out.interfaces}
    for row in listed:
        found = index.get(name_key(row.name))
        if found is None:
            found = Interface(name=row.name, admin_up=bool(row.admin_up), oper_up=bool(row.oper_up))
            out.interfaces.append(found)
            index[name_key(row.name)] = found
        if row.vrf and row.vrf.lower() != "default" and found.vrf is None:
            found.vrf = row.vrf
        found.addresses = sorted(dict.fromkeys([*found.addresses, *row.all()]), key=_family)
    return out


Parse = Callable[[str], "list[Listed]"]
_NOT_HERE = ("ipv6 not enabled", "ipv6 is not enabled", "ipv6 is disabled", "no ipv6 configured",
             "ipv6 not supported", "ipv6 is not supported")


def _refused(text: str) -> bool:
    """The device said the command does not apply here (unknown command, no IPv6)."""
    first = text.strip().splitlines()[0].strip().lower()
    return device_error(text) is not None or any(m in first for m in _NOT_HERE)


def with_addresses(base: Interfaces, read: Callable[[str], str], tries: Sequence[tuple[str, Parse]],
                   *, what: str) -> Interfaces:
    """``base`` plus the addresses the first command of ``tries`` the device accepts lists
    (``[("show ipv6 interface vrf all | json", parse_json), ("show ipv6 interface vrf all",
    parse_text)]``: the text form when ``| json`` is refused). ``what`` names those addresses
    in a note (``"IPv6 addresses"``).

    The extra read never fails the getter: a device that refuses every command (``% Invalid
    input``; ``% No IPv6 configured interfaces``; ``IPv6 not enabled``) or prints nothing adds
    no addresses and ``base`` stands; output netops cannot parse leaves those addresses out and
    says so in ``note`` (after any note ``base`` has). Errors raised by ``read`` itself
    (transport, timeout, truncated output, policy) are not caught: they fail the getter."""
    for command, parse in tries:
        text = read(command)
        if not text.strip():
            return base
        if _refused(text):
            continue
        try:
            return merge(base, parse(text))
        except ParseError as exc:
            out = base.model_copy()
            said = f"{what} not included: {str(exc).strip()}"
            out.note = f"{base.note}; {said}" if base.note else said
            return out
    return base
