"""IPv6 addresses in the ``interfaces`` getter of Cisco IOS/IOS-XE, NX-OS and Arista EOS.

Those platforms list IPv6 in a second command (``show ipv6 interface ...``); the getter merges
it into the ``show interfaces`` result by interface name. The captures are written after real
device output (see the fixture READMEs for the public captures each format follows).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.models import Interface, Interfaces
from netops.devices.parsers import ParseError, _addresses, cisco_ios
from netops.devices.service import DeviceService
from netops.errors import CommandTimeout
from netops.testing.transport import FakeTransport

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"
INVALID = "                      ^\n% Invalid input detected at '^' marker.\n\n"


def fx(path: str) -> str:
    return (FIX / path).read_text()


def device(outputs: dict[str, str], default: str = INVALID):
    """A read() over a command -> output table that records what was sent."""
    sent: list[str] = []

    def read(command: str) -> str:
        sent.append(command)
        return outputs.get(command, default)

    read.sent = sent  # type: ignore[attr-defined]
    return read


def host(platform: str) -> SimpleNamespace:
    return SimpleNamespace(name="dut", platform=platform)


# -- spelling and merge ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, length, expected", [
    ("2001:DB8:0:0::1", 64, "2001:db8::1/64"),
    ("2001:db8::1/127", None, "2001:db8::1/127"),
    ("FE80::5054:FF:FE12:3401", "64", "fe80::5054:ff:fe12:3401/64"),
    ("fe80::1%Et1", 64, "fe80::1/64"),
    ("0::", 64, None), ("::", 128, None), ("[none]", 64, None), ("2001:db8::1", None, None),
    ("10.0.0.1", 24, None),
])
def test_address_spelling(raw, length, expected):
    assert _addresses.ipv6(raw, length) == expected


def test_link_local_is_64_unless_the_device_says_otherwise():
    assert _addresses.link_local("FE80::1") == "fe80::1/64"
    assert _addresses.link_local("fe80::1", "10") == "fe80::1/10"


@pytest.mark.parametrize("a, b", [
    ("Gi0/1", "GigabitEthernet0/1"), ("gigabitethernet 0/1", "GigabitEthernet0/1"),
    ("Te1/0/1", "TenGigabitEthernet1/0/1"), ("Et1", "Ethernet1"), ("Eth1/1", "Ethernet1/1"),
    ("Po10", "Port-Channel10"), ("port-channel10", "Port-channel10"), ("Lo0", "Loopback0"),
    ("Vl100", "Vlan100"), ("Ma1", "Management1"), ("Gi0/0.100", "GigabitEthernet0/0.100"),
])
def test_name_spellings_share_a_key(a, b):
    assert _addresses.name_key(a) == _addresses.name_key(b)


@pytest.mark.parametrize("a, b", [
    ("Gi0/1", "Gi0/10"), ("Gi0/1", "TenGigabitEthernet0/1"), ("Ethernet1", "Ethernet1/1"),
    ("Vlan1", "Loopback1"), ("Gi0/0.100", "Gi0/0"),
])
def test_different_interfaces_keep_different_keys(a, b):
    assert _addresses.name_key(a) != _addresses.name_key(b)


def test_merge_by_name_ipv4_first_no_duplicates_and_v6_only_interfaces_added():
    v4 = Interfaces(interfaces=[
        Interface(name="GigabitEthernet0/1", admin_up=True, oper_up=True, addresses=["10.0.0.1/30"], mtu=1500),
        Interface(name="GigabitEthernet0/2", admin_up=True, oper_up=False),
    ])
    v6 = [
        _addresses.Listed(name="Gi0/1", ipv6=["2001:db8::1/64", "2001:db8::1/64", "2001:db8:1::1/64"],
                          link_local="fe80::1/64"),
        _addresses.Listed(name="Tunnel0", ipv6=["2001:db8:99::1/64"], admin_up=True, oper_up=True),
    ]
    out = _addresses.merge(v4, v6)
    g1 = out.by_name("GigabitEthernet0/1")
    assert g1.addresses == ["10.0.0.1/30", "2001:db8::1/64", "2001:db8:1::1/64", "fe80::1/64"]
    assert g1.mtu == 1500 and out.by_name("GigabitEthernet0/2").addresses == []
    t0 = out.by_name("Tunnel0")
    assert t0.addresses == ["2001:db8:99::1/64"] and t0.admin_up and t0.oper_up
    assert [i.name for i in out.interfaces] == ["GigabitEthernet0/1", "GigabitEthernet0/2", "Tunnel0"]
    assert v4.by_name("GigabitEthernet0/1").addresses == ["10.0.0.1/30"]  # the input is not changed


# -- Cisco IOS / IOS-XE ---------------------------------------------------------------------------

def test_ios_parse_globals_anycast_eui_tentative_and_link_local():
    rows = {r.name: r for r in cisco_ios.parse_ipv6_interfaces(fx("cisco_ios/sw1/show_ipv6_interface.txt"))}
    g0, g1 = rows["GigabitEthernet0/0"], rows["GigabitEthernet0/1"]
    assert g0.ipv6 == ["2001:db8:20::2/64", "2001:db8:20:1:5054:ff:fe12:3401/64", "2001:db8:20:2::2/64"]
    assert g0.link_local == "fe80::5054:ff:fe12:3401/64"  # not the virtual (HSRP) fe80::5:73ff:fea0:14
    assert (g0.admin_up, g0.oper_up) == (True, True)
    assert g1.ipv6 == ["2001:db8:21::1/64"] and g1.link_local == "fe80::5054:ff:fe12:3402/64"
    assert (g1.admin_up, g1.oper_up) == (False, False)


def test_ios_getter_merges_ipv6_into_show_interfaces():
    read = device({c: fx(f"cisco_ios/sw1/{c.replace(' ', '_')}.txt")
                   for c in ("show interfaces", "show ipv6 interface")})
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    assert read.sent == ["show interfaces", "show ip interface", "show ipv6 interface"]  # 'show ip' refused here
    g0, g1 = out.interfaces
    assert g0.addresses == ["10.20.0.2/30", "2001:db8:20::2/64", "2001:db8:20:1:5054:ff:fe12:3401/64",
                            "2001:db8:20:2::2/64", "fe80::5054:ff:fe12:3401/64"]
    assert g0.counters.rx_errors == 3 and g0.description == "uplink to core1.fra1"  # IPv4 side intact
    assert g1.addresses == ["2001:db8:21::1/64", "fe80::5054:ff:fe12:3402/64"]
    assert out.note is None


def test_iosxe_vrf_interface_ipv6_only_unnumbered_and_loopback():
    read = device({c: fx(f"cisco_ios/xe-v6/{c.replace(' ', '_')}.txt")
                   for c in ("show interfaces", "show ipv6 interface")})
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    by = {i.name: i.addresses for i in out.interfaces}
    assert by == {
        "GigabitEthernet1": ["10.1.12.1/24", "2001:db8:12::1/64", "2001:db8:12:0:5054:ff:fe19:abba/64",
                             "fe80::5054:ff:fe19:abba/64"],
        "GigabitEthernet2": ["2001:db8:c0::1/64", "2001:db8:c1::1/127", "fe80::1/64"],  # VRF CUST-A, no IPv4
        "GigabitEthernet3": ["fe80::5054:ff:fe1e:4f2/64"],  # unnumbered: only its link-local
        "Loopback0": ["10.255.0.1/32", "2001:db8:ff::1/128", "fe80::21e:49ff:fe5d:cc00/64"],
    }


@pytest.mark.parametrize("answer", [
    INVALID,                                      # image without IPv6
    "% IPv6 not enabled\n",
    "IPv6 not enabled on this platform\n",
    "",                                           # IPv6 on no interface: IOS prints nothing
    "\n\n",
])
def test_ios_without_ipv6_still_returns_its_ipv4_interfaces(answer):
    read = device({"show interfaces": fx("cisco_ios/sw1/show_interfaces.txt"), "show ipv6 interface": answer})
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    assert [i.addresses for i in out.interfaces] == [["10.20.0.2/30"], []]
    assert out.note is None


def test_ios_ipv6_output_not_understood_is_a_note_not_a_failure():
    read = device({"show interfaces": fx("cisco_ios/sw1/show_interfaces.txt"),
                   "show ipv6 interface": "Interface  IPv6-Address  Status\nGi0/0  2001:db8::1  up\n"})
    out = cisco_ios.GETTERS["interfaces"](host("cisco_ios"), read)
    assert [i.addresses for i in out.interfaces] == [["10.20.0.2/30"], []]
    assert out.note and out.note.startswith("IPv6 addresses not included") and "show ipv6 interface" in out.note
    with pytest.raises(ParseError):
        cisco_ios.parse_ipv6_interfaces("Interface  IPv6-Address  Status\n")


def _service(settings, tmp_path, platform: str, replies: dict) -> tuple[DeviceService, FakeTransport]:
    inv = tmp_path / "inventory.yaml"
    inv.write_text(f"defaults: {{username: netops, password_env: LAB_PW}}\n"
                   f"hosts:\n  dut: {{hostname: 127.0.9.40, platform: {platform}}}\n")
    fake = FakeTransport(outputs={"dut": replies})
    return DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake), fake


def test_service_ios_interfaces_carry_ipv6(settings, tmp_path):
    svc, fake = _service(settings, tmp_path, "cisco_ios", {
        "show interfaces": fx("cisco_ios/sw1/show_interfaces.txt"),
        "show ipv6 interface": fx("cisco_ios/sw1/show_ipv6_interface.txt")})
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.ok and fake.commands_for("dut") == ["show interfaces", "show ip interface", "show ipv6 interface"]
    assert "fe80::5054:ff:fe12:3401/64" in r.data.by_name("GigabitEthernet0/0").addresses
    assert r.command == "show interfaces; show ip interface; show ipv6 interface"


def test_service_transport_error_on_the_ipv6_read_still_fails_the_getter(settings, tmp_path):
    svc, _ = _service(settings, tmp_path, "cisco_ios", {
        "show interfaces": fx("cisco_ios/sw1/show_interfaces.txt"),
        "show ipv6 interface": CommandTimeout("dut: 'show ipv6 interface' did not finish within 30s")})
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.failed and r.error_type == "CommandTimeout"


def test_a_note_reaches_the_offline_answer_and_the_cli_table():
    from io import StringIO

    from rich.console import Console

    from netops.agent.offline import _summarise
    from netops.cli.devices_render import render_state
    from netops.devices.results import HostResult

    data = Interfaces(interfaces=[Interface(name="Ethernet1", admin_up=True, oper_up=True, addresses=["10.0.0.1/31"])],
                      note="IPv6 addresses not included: 'show ipv6 interface | json' has no 'interfaces' object")
    assert _summarise("interfaces", data, {}).splitlines() == [
        "- Ethernet1: admin up, oper up (10.0.0.1/31)", f"- note: {data.note}"]
    buf = StringIO()
    render_state(Console(file=buf, width=200), "interfaces", {"dut": HostResult(host="dut", ok=True, data=data)})
    assert "IPv6 addresses not included" in buf.getvalue()


# -- Cisco NX-OS ----------------------------------------------------------------------------------

def nxos_device(folder: str, **over: str):
    from netops.devices.transport import command_slug

    commands = ("show interface | json", "show interface", "show ipv6 interface vrf all | json",
                "show ipv6 interface vrf all")
    outputs = {}
    for c in commands:
        f = FIX / "cisco_nxos" / folder / f"{command_slug(c)}.txt"
        if f.exists():
            outputs[c] = f.read_text()
    outputs.update({k.replace("_", " ").replace(" json", " | json"): v for k, v in over.items()})
    return device(outputs, default="% Invalid command at '^' marker.\n")


def test_nxos_json_every_vrf_several_globals_single_row_and_link_local_only():
    from netops.devices.parsers import cisco_nxos

    read = nxos_device("leaf")
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), read)
    assert read.sent == ["show interface | json", "show ip interface vrf all | json",  # refused here, and its text
                         "show ip interface vrf all", "show ipv6 interface vrf all | json"]
    by = {i.name: i for i in out.interfaces}
    assert by["Vlan120"].addresses == ["192.168.0.10/24", "2001:db8:120::10/64", "2001:db8:121::10/64",
                                       "2001:db8:122::1/128", "fe80::200:ff:fe00:78/64"]
    assert by["Vlan198"].addresses == ["192.168.0.11/24", "2001:db8:198::11/64", "fe80::198/64"]  # VRF CUST-A
    assert by["Vlan199"].addresses == ["192.168.0.11/24", "fe80::200:ff:fe00:c7/64"]  # VRF CUST-B: link-local only
    # mgmt0 (VRF management) is not in this device's 'show interface' capture: added from the IPv6 output
    assert by["mgmt0"].addresses == ["2001:db8:ffff::31/64", "fe80::5054:ff:fe9e:1a01/64"]
    assert by["mgmt0"].admin_up and by["mgmt0"].oper_up and out.note is None


def test_nxos_json_of_older_releases_table_vrf_beside_table_intf():
    from netops.devices.parsers import cisco_nxos

    rows = cisco_nxos.parse_ipv6_interfaces(fx("cisco_nxos/v6-7x/show_ipv6_interface_vrf_all_json.txt"))
    assert [(r.name, r.all(), r.admin_up, r.oper_up) for r in rows] == [
        ("Ethernet1/1", ["2001:db8:800:200c::2/64", "2001:db8:800:200d::2/64", "fe80::2ec2:60ff:fe4f:feb2/64"],
         True, False),
        ("Ethernet1/2", ["fe80::2ec2:60ff:fe4f:feb3/64"], False, False),  # "addr" is the link-local one
        ("Vlan1", ["2001:db8:1::1/64", "fe80::2ec2:60ff:fe4f:fe80/64"], True, False),  # one address, a string
    ]


def test_nxos_text_fallback_when_json_is_refused_every_vrf():
    from netops.devices.parsers import cisco_nxos

    read = nxos_device("text6")
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), read)
    assert read.sent == ["show interface | json", "show interface", "show ip interface vrf all | json",
                         "show ip interface vrf all", "show ipv6 interface vrf all | json", "show ipv6 interface vrf all"]
    by = {i.name: i.addresses for i in out.interfaces}
    assert by["Ethernet2/1"] == ["10.10.10.10/24", "2001:db8:10:10::10/64", "2001:db8:10:11::10/64",
                                 "2001:db8:10:12::1/64", "fe80::5054:ff:fe6a:2101/64"]  # anycast listed once
    assert by["loopback0"] == ["1.1.2.225/32", "2001:db8:ff::225/128", "fe80::5054:ff:fe6a:2100/64"]
    assert by["mgmt0"] == ["10.0.0.71/24", "fe80::5054:ff:fe6a:2100/64"]          # VRF management
    assert by["Ethernet2/2"] == ["10.100.100.1/24", "2001:db8:100:100::1/64", "fe80::1/64"]  # VRF CUST-A
    assert by["loopback55"] == ["1.1.1.37/24"]  # link-local "0::" is no address
    assert by["Vlan1"] == [] and out.note is None


@pytest.mark.parametrize("json_answer, text_answer", [
    ("", None),                                                         # no IPv6 interface: nothing printed
    ("{}", None),
    ("% Invalid command at '^' marker.\n", "% Invalid command at '^' marker.\n"),
    ("% Invalid command at '^' marker.\n", 'IPv6 Interface Status for VRF "default"\n\n'),
])
def test_nxos_without_ipv6_keeps_its_ipv4_interfaces(json_answer, text_answer):
    from netops.devices.parsers import cisco_nxos

    outputs = {"show interface | json": fx("cisco_nxos/nxosv/show_interface_json.txt"),
               "show ipv6 interface vrf all | json": json_answer}
    if text_answer is not None:
        outputs["show ipv6 interface vrf all"] = text_answer
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), device(outputs))
    assert {i.name: i.addresses for i in out.interfaces} == {"Ethernet1/1": [], "Ethernet1/2": []}
    assert out.note is None


def test_nxos_unreadable_ipv6_json_is_a_note():
    from netops.devices.parsers import cisco_nxos

    read = device({"show interface | json": fx("cisco_nxos/svi/show_interface_json.txt"),
                   "show ipv6 interface vrf all | json": '{"TABLE_intf": {"ROW_intf": '})
    out = cisco_nxos.GETTERS["interfaces"](host("cisco_nxos"), read)
    assert out.by_name("Vlan120").addresses == ["192.168.0.10/24"]
    assert out.note and "did not return JSON" in out.note
    with pytest.raises(ParseError):
        cisco_nxos.parse_ipv6_interfaces('{"TABLE_intf": {}}')
    with pytest.raises(ParseError):
        cisco_nxos.parse_ipv6_interfaces_text("Interface  IPv6 Address\nEth1/1  2001:db8::1\n")


# -- Arista EOS -----------------------------------------------------------------------------------

def eos_read(ipv6: str | None):
    outputs = {"show interfaces | json": fx("arista_eos/leaf1/show_interfaces_json.txt")}
    if ipv6 is not None:
        outputs["show ipv6 interface | json"] = ipv6
    return device(outputs)


def test_eos_json_globals_link_local_vrfs_and_an_ipv6_only_interface():
    from netops.devices.parsers import arista_eos

    read = eos_read(fx("arista_eos/leaf1/show_ipv6_interface_json.txt"))
    out = arista_eos.GETTERS["interfaces"](host("arista_eos"), read)
    assert read.sent == ["show interfaces | json", "show ipv6 interface | json"]
    assert {i.name: i.addresses for i in out.interfaces} == {
        "Ethernet1": ["10.0.1.1/31", "2001:db8:1::1/127", "2001:db8:1:ff::1/64", "fe80::5054:ff:fe00:1101/64"],
        "Ethernet2": ["10.0.1.3/31", "2001:db8:1::2/127", "fe80::5054:ff:fe00:1102/64"],
        "Ethernet48": ["2001:db8:48::1/64", "fe80::48/64"],                  # VRF CUST-A, shut, no IPv4
        "Loopback0": ["10.255.0.11/32", "2001:db8:ff::11/128"],             # a loopback has no link-local
        "Management1": ["192.168.200.11/24", "192.168.201.11/24", "fe80::5054:ff:fe00:11ff/64"],  # VRF MGMT
    }
    e48 = out.by_name("Ethernet48")
    assert not e48.admin_up and not e48.oper_up and out.note is None


@pytest.mark.parametrize("answer", [
    "% No IPv6 configured interfaces\n",
    '{\n    "errors": [\n        "No IPv6 configured interfaces"\n    ]\n}\n',
    "% Invalid input\n",
    "",
    None,  # the command is not known at all
])
def test_eos_without_ipv6_keeps_its_ipv4_interfaces(answer):
    from netops.devices.parsers import arista_eos

    out = arista_eos.GETTERS["interfaces"](host("arista_eos"), eos_read(answer))
    assert out.by_name("Ethernet1").addresses == ["10.0.1.1/31"] and out.note is None
    assert [i.name for i in out.interfaces] == ["Ethernet1", "Ethernet2", "Ethernet48", "Loopback0", "Management1"]


@pytest.mark.parametrize("answer, said", [
    ('{"errors": ["Internal error: ipv6 agent not responding"]}', "ipv6 agent not responding"),
    ('{"vrfs": {}}', "no 'interfaces' object"),
    ("Ethernet1 is up, line protocol is up (connected)\n", "did not return JSON"),
])
def test_eos_unreadable_ipv6_is_a_note(answer, said):
    from netops.devices.parsers import arista_eos

    out = arista_eos.GETTERS["interfaces"](host("arista_eos"), eos_read(answer))
    assert out.by_name("Ethernet1").addresses == ["10.0.1.1/31"]
    assert out.note and said in out.note


def test_service_eos_interfaces_carry_ipv6(settings, tmp_path):
    svc, fake = _service(settings, tmp_path, "arista_eos", {
        "show interfaces | json": fx("arista_eos/leaf1/show_interfaces_json.txt"),
        "show ipv6 interface | json": fx("arista_eos/leaf1/show_ipv6_interface_json.txt")})
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.ok and fake.commands_for("dut") == ["show interfaces | json", "show ipv6 interface | json"]
    assert r.data.by_name("Ethernet48").addresses == ["2001:db8:48::1/64", "fe80::48/64"]


def test_ios_reads_addresses_only_under_the_global_unicast_heading():
    # The heading and line format are IOS's; the "Virtual global" list is written here to pin the
    # rule (no capture of one was found): addresses under any other heading are not the interface's.
    text = ("Vlan10 is up, line protocol is up\n"
            "  IPv6 is enabled, link-local address is FE80::A:1\n"
            "  Virtual link-local address(es):\n"
            "    FE80::5:73FF:FEA0:A [OPT]\n"
            "  Global unicast address(es):\n"
            "    2001:DB8:A::2, subnet is 2001:DB8:A::/64 [DUP]\n"
            "  Virtual global unicast address(es):\n"
            "    2001:DB8:A::1, subnet is 2001:DB8:A::/64 [OPT]\n"
            "  Joined group address(es):\n"
            "    FF02::1\n")
    (row,) = cisco_ios.parse_ipv6_interfaces(text)
    assert row.all() == ["2001:db8:a::2/64", "fe80::a:1/64"]


def test_service_nxos_json_and_text_commands_pass_the_read_only_policy(settings, tmp_path):
    from netops.devices.transport import command_slug

    folder = FIX / "cisco_nxos" / "text6"
    svc, fake = _service(settings, tmp_path, "cisco_nxos",
                         {command_slug(c): (folder / f"{command_slug(c)}.txt").read_text()
                          for c in ("show interface | json", "show interface", "show ipv6 interface vrf all | json",
                                    "show ipv6 interface vrf all")})
    with svc:
        r = svc.get("dut", "interfaces")["dut"]
    assert r.ok, r.error
    assert fake.commands_for("dut") == ["show interface | json", "show interface", "show ip interface vrf all | json",
                                        "show ip interface vrf all", "show ipv6 interface vrf all | json",
                                        "show ipv6 interface vrf all"]
    assert r.data.by_name("Ethernet2/2").addresses == ["10.100.100.1/24", "2001:db8:100:100::1/64", "fe80::1/64"]
