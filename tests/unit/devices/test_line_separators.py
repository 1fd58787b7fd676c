"""adv34: a description that holds a Unicode line separator (U+2028/U+2029) or a lone control
character that str.splitlines() takes for a line break (CR, VT, FF, FS..RS, NEL) adds no line to
what a parser reads, nor to what the person and the model are shown.

Found: an IOS interface description ``uplink\\u2028GigabitEthernet9/9 is up, line protocol is up
\\u2028  Internet address is ...`` made ``state r3 interfaces`` list a GigabitEthernet9/9 that
does not exist, holding the real GigabitEthernet0/0's address (and 0/0 lost its address, MTU and
counters): ntc-templates, like every text parser here, splits lines with ``splitlines()``. A
device, a terminal and a file see one line there; netops now does too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "devices"
IOS = (FIXTURES / "cisco_ios" / "r3" / "show_interfaces.txt").read_text()
FRR = FIXTURES / "frr" / "r1"

# what a line break would start: a phantom interface that takes the next lines' address
PHANTOM = ("GigabitEthernet9/9 is up, line protocol is up {br}  Hardware is iGbE, address is 5254.0000.0001 "
           "(bia 5254.0000.0001){br}  Internet address is 10.66.66.1/24")
BREAKS = ["\u2028", "\u2029", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]


def _forged(br: str) -> str:
    line = re.search(r"^  Description: .*$", IOS, re.M).group(0)
    return IOS.replace(line, line + br + PHANTOM.format(br=br), 1)


@pytest.fixture
def ios_settings(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text("hosts:\n  r3: {hostname: 127.0.9.3, platform: cisco_ios}\n")
    return settings.model_copy(update={"inventory": inv})


def _interfaces(settings, text: str):
    outputs = {"show interfaces": text, "show ip interface": "", "show ipv6 interface": ""}
    with DeviceService(settings, transport_factory=FakeTransport(outputs={"r3": outputs})) as svc:
        got = svc.get("r3", "interfaces")["r3"]
        shown = svc.run("r3", "show interfaces")["r3"]
    assert got.ok, got.error
    return got.data, shown


@pytest.mark.parametrize("br", BREAKS, ids=[f"U+{ord(b):04X}" for b in BREAKS])
def test_a_line_break_in_a_description_adds_no_interface_and_moves_no_address(ios_settings, br):
    clean, _ = _interfaces(ios_settings, IOS)
    data, shown = _interfaces(ios_settings, _forged(br))
    names = [i.name for i in data.interfaces]
    assert "GigabitEthernet9/9" not in names, "a description added an interface"
    assert names == [i.name for i in clean.interfaces]
    g00 = {i.name: i for i in data.interfaces}["GigabitEthernet0/0"]
    was = {i.name: i for i in clean.interfaces}["GigabitEthernet0/0"]
    assert (g00.addresses, g00.mtu, g00.counters) == (was.addresses, was.mtu, was.counters)
    assert "GigabitEthernet9/9" in g00.description  # the description is kept, on its one line
    for text in (shown.output, json.dumps(shown.data.model_dump() if shown.data else None, ensure_ascii=False)):
        assert not any(b in text for b in BREAKS), "a line break reached what the person and the model see"
    phantom_line = [ln for ln in shown.output.splitlines() if ln.startswith("GigabitEthernet9/9")]
    assert not phantom_line, phantom_line


def test_frr_json_description_with_a_separator_stays_one_line_in_the_result(ios_settings, dev_settings):
    data = json.loads((FRR / "show_interface_json.txt").read_text())
    name = next(iter(data))
    data[name]["description"] = "uplink\u2028eth-r9 is up\u2029 and\u200b r\u200b3"
    fake = FakeTransport(outputs={"r1": {"show interface json": json.dumps(data, ensure_ascii=False)}})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        got = svc.get("r1", "interfaces")["r1"]
        shown = svc.run("r1", "show interface json")["r1"]
    assert got.ok, got.error
    desc = {i.name: i.description for i in got.data.interfaces}[name]
    assert desc == "uplink eth-r9 is up  and r3"
    assert "\u2028" not in shown.output and "\u200b" not in shown.output
    assert json.loads(shown.output)[name]["description"] == desc


def test_the_runners_snapshot_keeps_the_devices_bytes(dev_settings):
    cfg = (FRR / "show_running_config.txt").read_text() + "interface eth9\n description a\u2028b\u200bc\nexit\n"
    fake = FakeTransport(outputs={"r1": {"show running-config": cfg}})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        assert "a\u2028b\u200bc" in svc.running_config("r1", redacted=False)  # restored as it was
        assert "a bc" in svc.running_config("r1")
