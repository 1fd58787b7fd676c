"""Secondary IPv4 addresses in the ``interfaces`` getter (Cisco IOS/IOS-XE, NX-OS, Arista EOS).

Cisco's ``show interface(s)`` prints only the primary address: IOS/IOS-XE also read ``show ip
interface`` and NX-OS ``show ip interface vrf all | json`` (the text form when ``| json`` is
refused); EOS has them in ``show interfaces | json``. Per interface: primary, secondaries in the
device's order, then IPv6. The captures are written after real device output (see the fixture
READMEs for the public captures each format follows).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from netops.devices.parsers import _addresses, arista_eos


def device(outputs: dict[str, str], default: str = "% Invalid input detected at '^' marker.\n"):
    """A read() over a command -> output table that records what was sent."""
    sent: list[str] = []

    def read(command: str) -> str:
        sent.append(command)
        return outputs.get(command, default)

    read.sent = sent  # type: ignore[attr-defined]
    return read


def host(platform: str) -> SimpleNamespace:
    return SimpleNamespace(name="dut", platform=platform)


# -- spelling -------------------------------------------------------------------------------------

@pytest.mark.parametrize("addr, length, expected", [
    ("10.0.0.1", 24, "10.0.0.1/24"), ("10.0.0.1", "30", "10.0.0.1/30"), ("10.0.0.1/32", None, "10.0.0.1/32"),
    (" 192.168.1.3 ", "24", "192.168.1.3/24"),
    ("0.0.0.0", 0, None), ("0.0.0.0", 24, None), ("unassigned", 24, None), ("10.0.0.1", None, None),
    ("10.0.0.1", "", None), ("10.0.0.1", 33, None), ("2001:db8::1", 64, None),
])
def test_ipv4_spelling(addr, length, expected):
    assert _addresses.ipv4(addr, length) == expected


def test_merge_puts_secondaries_after_the_primary_and_before_ipv6():
    from netops.devices.models import Interface, Interfaces

    base = Interfaces(interfaces=[Interface(name="GigabitEthernet0/1", admin_up=True, oper_up=True,
                                            addresses=["10.0.0.1/24", "2001:db8::1/64", "fe80::1/64"])])
    listed = [_addresses.Listed(name="Gi0/1", ipv4=["10.0.0.1/24", "10.9.9.1/24", "10.8.8.1/24"])]
    out = _addresses.merge(base, listed)
    assert out.by_name("GigabitEthernet0/1").addresses == [
        "10.0.0.1/24", "10.9.9.1/24", "10.8.8.1/24", "2001:db8::1/64", "fe80::1/64"]


# -- Arista EOS: secondaries come in 'show interfaces | json' ------------------------------------

def _eos_interface(name: str, primary: tuple[str, int], secondaries: list[tuple[str, int]] | None,
                   *, ordered: bool = True, unnumbered: str | None = None) -> dict:
    entry: dict = {"primaryIp": {"address": primary[0], "maskLen": primary[1]},
                   "virtualIp": {"address": "0.0.0.0", "maskLen": 0}, "virtualSecondaryIps": {},
                   "broadcastAddress": "255.255.255.255", "dhcp": False}
    # EOS keys secondaryIps by address (sorted); the ordered list keeps the configured order.
    entry["secondaryIps"] = {a: {"address": a, "maskLen": m} for a, m in sorted(secondaries or [])}
    if ordered:
        entry["secondaryIpsOrderedList"] = [{"address": a, "maskLen": m} for a, m in secondaries or []]
    if unnumbered:
        entry["unnumberedIntf"] = unnumbered
    return {"name": name, "forwardingModel": "routed", "lineProtocolStatus": "up", "interfaceStatus": "connected",
            "hardware": "ethernet", "interfaceAddress": [entry], "mtu": 1500}


def _eos_doc(*interfaces: dict) -> str:
    return json.dumps({"interfaces": {i["name"]: i for i in interfaces}})


def test_eos_secondaries_in_the_configured_order_and_unnumbered_has_none():
    doc = _eos_doc(
        _eos_interface("Vlan10", ("10.10.0.1", 24), [("10.30.0.1", 24), ("10.20.0.1", 25)]),
        _eos_interface("Ethernet3", ("0.0.0.0", 0), [], unnumbered="Loopback0"),
        _eos_interface("Ethernet4", ("10.4.0.1", 31), [("10.44.0.1", 24), ("10.40.0.1", 24)], ordered=False),
    )
    read = device({"show interfaces | json": doc, "show ipv6 interface | json": "% No IPv6 configured interfaces\n"})
    out = arista_eos.GETTERS["interfaces"](host("arista_eos"), read)
    assert {i.name: i.addresses for i in out.interfaces} == {
        "Vlan10": ["10.10.0.1/24", "10.30.0.1/24", "10.20.0.1/25"],   # not the dict's sorted order
        "Ethernet3": [],                                               # unnumbered: Loopback0's address is not its own
        "Ethernet4": ["10.4.0.1/31", "10.40.0.1/24", "10.44.0.1/24"],  # old EOS: no ordered list, the dict's order
    }
    assert out.note is None
