"""Secondary IPv4 addresses in the ``interfaces`` getter (Cisco IOS/IOS-XE, NX-OS, Arista EOS).

Cisco's ``show interface(s)`` prints only the primary address: IOS/IOS-XE also read ``show ip
interface`` and NX-OS ``show ip interface vrf all | json`` (the text form when ``| json`` is
refused); EOS has them in ``show interfaces | json``. Per interface: primary, secondaries in the
device's order, then IPv6. The captures are written after real device output (see the fixture
READMEs for the public captures each format follows).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.parsers import ParseError, _addresses, arista_eos, cisco_ios


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


# -- Cisco IOS / IOS-XE: 'show ip interface' ------------------------------------------------------

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"
IOS_COMMANDS = ("show interfaces", "show ip interface", "show ipv6 interface")


def fx(path: str) -> str:
    return (FIX / path).read_text()


def ios_device(folder: str, **replace: str):
    outputs = {c: fx(f"cisco_ios/{folder}/{c.replace(' ', '_')}.txt") for c in IOS_COMMANDS
               if (FIX / "cisco_ios" / folder / f"{c.replace(' ', '_')}.txt").exists()}
    outputs.update({k.replace("_", " "): v for k, v in replace.items()})
    return device(outputs)


def test_ios_parse_primary_secondaries_vrf_and_interfaces_without_an_address_of_their_own():
    rows = {r.name: r for r in cisco_ios.parse_ip_interfaces(fx("cisco_ios/r3/show_ip_interface.txt"))}
    assert {n: r.ipv4 for n, r in rows.items()} == {
        "GigabitEthernet0/0": ["10.1.13.3/24", "10.9.9.1/24", "10.9.8.1/25", "172.16.33.1/30"],  # device order
        "GigabitEthernet0/1": ["192.168.10.1/24", "192.168.11.1/24"],
        "GigabitEthernet0/2": [],                  # unnumbered: Loopback0's 10.255.0.3 is not its own
        "GigabitEthernet0/3": ["198.51.100.23/24"],  # ip address dhcp, leased
        "GigabitEthernet0/4": ["10.44.0.1/24", "10.44.1.1/24", "10.44.2.1/24"],  # shut: still configured
        "GigabitEthernet0/5": [],                  # Internet protocol processing disabled
        "GigabitEthernet0/6": [],                  # ip address dhcp, no lease yet: "will be negotiated"
        "Serial0/1/0": ["203.0.113.9/32"],         # ip address negotiated (IPCP)
        "Loopback0": ["10.255.0.3/32"],
    }
    vrfs = {n: r.vrf for n, r in rows.items() if r.vrf}
    assert vrfs == {"GigabitEthernet0/1": "CUST-A", "GigabitEthernet0/4": "CUST-B"}
    g4 = rows["GigabitEthernet0/4"]
    assert (g4.admin_up, g4.oper_up) == (False, False) and rows["GigabitEthernet0/0"].oper_up


def test_ios_getter_primary_then_secondaries_then_ipv6():
    read = ios_device("r3")
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    assert read.sent == list(IOS_COMMANDS)
    assert {i.name: i.addresses for i in out.interfaces} == {
        "GigabitEthernet0/0": ["10.1.13.3/24", "10.9.9.1/24", "10.9.8.1/25", "172.16.33.1/30",
                               "2001:db8:13::3/64", "fe80::5054:ff:fe13:300/64"],
        "GigabitEthernet0/1": ["192.168.10.1/24", "192.168.11.1/24", "2001:db8:10::1/64", "fe80::1/64"],
        "GigabitEthernet0/2": [],
        "GigabitEthernet0/3": ["198.51.100.23/24"],
        "GigabitEthernet0/4": ["10.44.0.1/24", "10.44.1.1/24", "10.44.2.1/24"],
        "GigabitEthernet0/5": [],
        "GigabitEthernet0/6": [],
        "Serial0/1/0": ["203.0.113.9/32"],
        "Loopback0": ["10.255.0.3/32"],
    }
    g0 = out.by_name("GigabitEthernet0/0")  # the 'show interfaces' side is intact
    assert g0.counters.rx_errors == 2 and g0.description.startswith("uplink to core1") and g0.mtu == 1500
    g4 = out.by_name("GigabitEthernet0/4")
    assert not g4.admin_up and not g4.oper_up and out.note is None


@pytest.mark.parametrize("answer", [
    "                      ^\n% Invalid input detected at '^' marker.\n\n",
    "% Ambiguous command:  \"show ip interface\"\n",
    "",
])
def test_ios_show_ip_interface_refused_or_empty_keeps_the_primary_and_still_reads_ipv6(answer):
    read = ios_device("r3", show_ip_interface=answer)
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    assert read.sent == list(IOS_COMMANDS)
    assert out.by_name("GigabitEthernet0/0").addresses == ["10.1.13.3/24", "2001:db8:13::3/64",
                                                           "fe80::5054:ff:fe13:300/64"]
    assert out.by_name("GigabitEthernet0/4").addresses == ["10.44.0.1/24"] and out.note is None


def test_ios_show_ip_interface_not_understood_is_a_note_and_ipv6_still_merges():
    read = ios_device("r3", show_ip_interface="Interface  IP-Address  OK? Method Status  Protocol\n")
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    assert out.by_name("GigabitEthernet0/1").addresses == ["192.168.10.1/24", "2001:db8:10::1/64", "fe80::1/64"]
    assert out.note and out.note.startswith("secondary IPv4 addresses not included") and "show ip interface" in out.note
    with pytest.raises(ParseError):
        cisco_ios.parse_ip_interfaces("Interface  IP-Address  OK? Method Status  Protocol\n")


def test_ios_both_extra_reads_not_understood_give_both_notes():
    read = ios_device("r3", show_ip_interface="garbage\n", show_ipv6_interface="garbage too\n")
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    assert [i.addresses for i in out.interfaces][:2] == [["10.1.13.3/24"], ["192.168.10.1/24"]]
    first, second = out.note.split("; ", 1)
    assert first.startswith("secondary IPv4 addresses not included")
    assert second.startswith("IPv6 addresses not included")


def _service(settings, tmp_path, platform: str, replies: dict):
    from netops.devices.service import DeviceService
    from netops.testing.transport import FakeTransport

    inv = tmp_path / "inventory.yaml"
    inv.write_text(f"defaults: {{username: netops, password_env: LAB_PW}}\n"
                   f"hosts:\n  dut: {{hostname: 127.0.9.41, platform: {platform}}}\n")
    fake = FakeTransport(outputs={"dut": replies})
    return DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake), fake


def test_service_ios_sends_show_ip_interface_through_the_policy_and_reports_secondaries(settings, tmp_path):
    svc, fake = _service(settings, tmp_path, "cisco_ios",
                         {c: fx(f"cisco_ios/r3/{c.replace(' ', '_')}.txt") for c in IOS_COMMANDS})
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.ok, r.error
    assert fake.commands_for("dut") == list(IOS_COMMANDS)
    assert r.data.by_name("GigabitEthernet0/1").addresses[:2] == ["192.168.10.1/24", "192.168.11.1/24"]


def test_service_transport_error_on_show_ip_interface_fails_the_getter(settings, tmp_path):
    from netops.errors import CommandTimeout

    svc, fake = _service(settings, tmp_path, "cisco_ios", {
        "show interfaces": fx("cisco_ios/r3/show_interfaces.txt"),
        "show ip interface": CommandTimeout("dut: 'show ip interface' did not finish within 30s")})
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.failed and r.error_type == "CommandTimeout"
    assert fake.commands_for("dut") == ["show interfaces", "show ip interface"]


# -- Cisco NX-OS: 'show ip interface vrf all | json', text when '| json' is refused --------------

NXOS_COMMANDS = ("show interface | json", "show interface", "show ip interface vrf all | json",
                 "show ip interface vrf all", "show ipv6 interface vrf all | json", "show ipv6 interface vrf all")
NXOS_INVALID = "% Invalid command at '^' marker.\n"


def nxos_device(folder: str, **replace: str):
    from netops.devices.transport import command_slug

    outputs = {c: (FIX / "cisco_nxos" / folder / f"{command_slug(c)}.txt").read_text() for c in NXOS_COMMANDS
               if (FIX / "cisco_nxos" / folder / f"{command_slug(c)}.txt").exists()}
    for slug, text in replace.items():
        outputs[next(c for c in NXOS_COMMANDS if command_slug(c) == slug)] = text
    return device(outputs, default=NXOS_INVALID)


def _nxos_row(name: str, prefix: str | None = None, masklen: int | None = None,
              secondaries: list[tuple[str, int]] | None = None, **extra: str) -> dict:
    """A ROW_intf in the shape of published 'show ip interface | json' captures (NAPALM
    test_get_interfaces_ip): prefix/subnet/masklen, TABLE_secondary_address with prefix1/masklen1."""
    row: dict = {"intf-name": name, "proto-state": "up", "link-state": "up", "admin-state": "up", "iod": "5"}
    if prefix:
        row.update({"prefix": prefix, "subnet": prefix, "masklen": str(masklen)})
    row.update({"num-addr": str(int(bool(prefix)) + len(secondaries or [])), "ip-disabled": "FALSE"})
    if secondaries:
        sec = [{"prefix1": a, "subnet1": a, "masklen1": str(m)} for a, m in secondaries]
        row["TABLE_secondary_address"] = {"ROW_secondary_address": sec[0] if len(sec) == 1 else sec}
    row.update(extra)
    return row


def test_nxos_json_primary_then_secondaries_every_vrf():
    from netops.devices.parsers import cisco_nxos

    read = nxos_device("leaf")
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), read)
    assert read.sent == ["show interface | json", "show ip interface vrf all | json",
                         "show ipv6 interface vrf all | json"]
    by = {i.name: i for i in out.interfaces}
    assert by["Vlan120"].addresses == ["192.168.0.10/24", "192.168.1.10/24", "192.168.2.10/25",  # two ROWs: a list
                                       "2001:db8:120::10/64", "2001:db8:121::10/64", "2001:db8:122::1/128",
                                       "fe80::200:ff:fe00:78/64"]
    assert by["Vlan198"].addresses == ["192.168.0.11/24", "172.16.198.1/30",  # VRF CUST-A, admin down; one ROW: a dict
                                       "2001:db8:198::11/64", "fe80::198/64"]
    assert by["Vlan199"].addresses == ["192.168.0.11/24", "fe80::200:ff:fe00:c7/64"]  # same primary, VRF CUST-B
    assert by["mgmt0"].addresses == ["10.0.0.31/24", "2001:db8:ffff::31/64", "fe80::5054:ff:fe9e:1a01/64"]
    assert not by["Vlan198"].admin_up and by["mgmt0"].admin_up and out.note is None


def test_nxos_json_vrf_of_each_row_from_the_table_vrf_beside_it():
    from netops.devices.parsers import cisco_nxos

    rows = cisco_nxos.parse_ip_interfaces(fx("cisco_nxos/leaf/show_ip_interface_vrf_all_json.txt"))
    assert [(r.name, r.vrf) for r in rows] == [("Vlan120", "default"), ("Vlan198", "CUST-A"), ("Vlan199", "CUST-B"),
                                               ("mgmt0", "management")]
    one = json.dumps({"TABLE_vrf": {"ROW_vrf": {"vrf-name-out": "CUST-A"}},  # one interface: dicts, not lists
                      "TABLE_intf": {"ROW_intf": _nxos_row("Vlan10", "10.1.1.1", 24, [("10.1.2.1", 24)])}})
    (row,) = cisco_nxos.parse_ip_interfaces(one)
    assert (row.name, row.ipv4, row.vrf) == ("Vlan10", ["10.1.1.1/24", "10.1.2.1/24"], "CUST-A")
    uneven = json.dumps({"TABLE_vrf": [{"ROW_vrf": {"vrf-name-out": "CUST-A"}}],
                         "TABLE_intf": [{"ROW_intf": _nxos_row("Vlan10", "10.1.1.1", 24)},
                                        {"ROW_intf": _nxos_row("Vlan11", "10.1.3.1", 24)}]})
    assert [r.vrf for r in cisco_nxos.parse_ip_interfaces(uneven)] == [None, None]  # cannot pair them: not guessed


def test_nxos_json_unnumbered_and_ip_disabled_have_no_address_of_their_own():
    from netops.devices.parsers import cisco_nxos

    doc = json.dumps({"TABLE_intf": [
        {"ROW_intf": _nxos_row("loopback0", "10.255.0.5", 32)},
        {"ROW_intf": _nxos_row("Ethernet1/5", **{"unnum-intf": "loopback0"})},
        {"ROW_intf": _nxos_row("Ethernet1/6", "10.255.0.5", 32, **{"unnum-intf": "loopback0"})},  # borrowed
        {"ROW_intf": _nxos_row("Ethernet1/7", "10.7.0.1", 24, [("10.7.1.1", 24)], **{"ip-disabled": "TRUE"})},
        {"ROW_intf": _nxos_row("Ethernet1/8", "0.0.0.0", 0)},
    ]})
    rows = cisco_nxos.parse_ip_interfaces(doc)
    assert {r.name: r.ipv4 for r in rows} == {"loopback0": ["10.255.0.5/32"], "Ethernet1/5": [], "Ethernet1/6": [],
                                             "Ethernet1/7": [], "Ethernet1/8": []}


def test_nxos_text_fallback_when_json_is_refused_every_vrf():
    from netops.devices.parsers import cisco_nxos

    read = nxos_device("text6")
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), read)
    assert read.sent == list(NXOS_COMMANDS)
    by = {i.name: i.addresses for i in out.interfaces}
    assert by["Ethernet2/1"] == ["10.10.10.10/24", "10.10.11.10/24", "10.10.12.10/25", "2001:db8:10:10::10/64",
                                 "2001:db8:10:11::10/64", "2001:db8:10:12::1/64", "fe80::5054:ff:fe6a:2101/64"]
    assert by["Ethernet2/2"] == ["10.100.100.1/24", "10.100.101.1/24", "2001:db8:100:100::1/64", "fe80::1/64"]
    assert by["mgmt0"] == ["10.0.0.71/24", "fe80::5054:ff:fe6a:2100/64"]  # VRF management
    assert by["loopback0"] == ["1.1.2.225/32", "2001:db8:ff::225/128", "fe80::5054:ff:fe6a:2100/64"]
    assert by["loopback55"] == ["1.1.1.37/24"] and by["Vlan1"] == []
    assert by["Ethernet2/3"] == []  # unnumbered: listed by 'show ip interface' only, no address of its own
    assert out.note is None


def test_nxos_text_vrf_sections_unnumbered_lookalikes_and_primary_first():
    from netops.devices.parsers import cisco_nxos

    rows = cisco_nxos.parse_ip_interfaces_text(fx("cisco_nxos/text6/show_ip_interface_vrf_all.txt"))
    assert [(r.name, r.vrf) for r in rows] == [
        ("Ethernet2/1", "default"), ("loopback0", "default"), ("Ethernet2/3", "default"),
        ("mgmt0", "management"), ("Ethernet2/2", "CUST-A"), ("loopback55", "CUST-A")]
    # "Unnumbered interfaces of loopback0: ..." and the "  Ethernet2/3:" under it are not interfaces
    assert rows[1].ipv4 == ["1.1.2.225/32"] and rows[2].ipv4 == []
    text = ("Vlan5, Interface status: protocol-down/link-down/admin-down, iod: 9,\n"
            "  IP address: 10.5.1.1, IP subnet: 10.5.1.0/24 secondary route-preference: 0, tag: 0\n"
            "  IP address: 10.5.0.1, IP subnet: 10.5.0.0/24 route-preference: 0, tag: 0\n"
            "  IP address: 10.5.2.1, IP subnet: 10.5.2.0/25 secondary route-preference: 0, tag: 0\n")
    (row,) = cisco_nxos.parse_ip_interfaces_text(text)
    assert row.ipv4 == ["10.5.0.1/24", "10.5.1.1/24", "10.5.2.1/25"]  # primary first, then the device's order
    assert (row.admin_up, row.oper_up, row.vrf) == (False, False, None)


@pytest.mark.parametrize("json_answer, text_answer", [
    ("", None),                                    # no IPv4 interface: nothing printed
    ("{}", None),
    ('{"TABLE_vrf": {"ROW_vrf": {"vrf-name-out": "default"}}}', None),
    (NXOS_INVALID, NXOS_INVALID),                  # refused in both forms
    (NXOS_INVALID, ""),
])
def test_nxos_without_show_ip_interface_keeps_the_primary(json_answer, text_answer):
    from netops.devices.parsers import cisco_nxos

    replace = {"show_ip_interface_vrf_all_json": json_answer}
    if text_answer is not None:
        replace["show_ip_interface_vrf_all"] = text_answer
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), nxos_device("leaf", **replace))
    assert out.by_name("Vlan120").addresses[:2] == ["192.168.0.10/24", "2001:db8:120::10/64"]
    assert out.by_name("Vlan198").addresses[0] == "192.168.0.11/24" and out.note is None


@pytest.mark.parametrize("json_answer, text_answer, said", [
    ('{"TABLE_intf": {"ROW_intf": ', None, "did not return JSON"),
    ('{"TABLE_intf": {}}', None, "has no ROW_intf"),
    (NXOS_INVALID, "Interface  IP Address  Interface Status\nVlan120  192.168.0.10  protocol-up\n", "not recognised"),
])
def test_nxos_unreadable_show_ip_interface_is_a_note_and_ipv6_still_merges(json_answer, text_answer, said):
    from netops.devices.parsers import cisco_nxos

    replace = {"show_ip_interface_vrf_all_json": json_answer}
    if text_answer is not None:
        replace["show_ip_interface_vrf_all"] = text_answer
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), nxos_device("leaf", **replace))
    assert out.by_name("Vlan120").addresses[:2] == ["192.168.0.10/24", "2001:db8:120::10/64"]
    assert out.note and out.note.startswith("secondary IPv4 addresses not included") and said in out.note


def test_service_nxos_every_command_passes_the_policy_and_a_timeout_fails_the_getter(settings, tmp_path):
    from netops.devices.transport import command_slug
    from netops.errors import CommandTimeout

    folder = FIX / "cisco_nxos" / "text6"
    replies = {c: (folder / f"{command_slug(c)}.txt").read_text() for c in NXOS_COMMANDS}
    svc, fake = _service(settings, tmp_path, "cisco_nxos", replies)
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.ok, r.error
    assert fake.commands_for("dut") == list(NXOS_COMMANDS)
    assert r.data.by_name("Ethernet2/2").addresses[:2] == ["10.100.100.1/24", "10.100.101.1/24"]
    replies["show ip interface vrf all"] = CommandTimeout("dut: 'show ip interface vrf all' did not finish within 30s")
    svc, _ = _service(settings, tmp_path, "cisco_nxos", replies)
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.failed and r.error_type == "CommandTimeout"
