"""Redaction at the service layer: parsers see raw output, results are redacted by field after
parsing; a secret-looking description neither breaks JSON nor changes; only the runner reads an
unredacted config."""

from __future__ import annotations

import json
from pathlib import Path

from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

FRR = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "r1"
TRICKY = 'uplink "password X" secret Y, neighbor 1.1.1.1 password Z'


def _interfaces_with(description: str) -> str:
    data = json.loads((FRR / "show_interface_json.txt").read_text())
    name = next(iter(data))
    data[name]["description"] = description
    return json.dumps(data, indent=2)


def test_getter_parses_raw_json_and_keeps_free_text(dev_settings):
    fake = FakeTransport(outputs={"r1": {"show interface json": _interfaces_with(TRICKY)}})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        r = svc.get("r1", "interfaces")["r1"]
        out = svc.run("r1", "show interface json")["r1"]
    assert r.ok, r.error
    assert TRICKY in [i.description for i in r.data.interfaces]
    assert json.loads(out.output)  # still JSON for checks


def test_config_getter_redacts_after_parsing_and_runner_view_is_raw(dev_settings):
    cfg = (FRR / "show_running_config.txt").read_text() + "router bgp 65001\n neighbor 10.0.0.9 password RawS3cret\nexit\n"
    fake = FakeTransport(outputs={"r1": {"show running-config": cfg}})
    records = []
    with DeviceService(dev_settings, transport_factory=fake, recorder=records.append) as svc:
        r = svc.get("r1", "config")["r1"]
        assert "RawS3cret" not in r.data.text and "RawS3cret" not in r.output and r.data.redacted
        assert "RawS3cret" not in svc.running_config("r1")
        assert "RawS3cret" in svc.running_config("r1", redacted=False)
    assert "RawS3cret" not in json.dumps(records)


def test_json_password_field_in_command_output(dev_settings):
    fake = FakeTransport(outputs={"r1": {"show bgp summary json": json.dumps(
        {"ipv4Unicast": {"peers": {"10.0.0.2": {"state": "Established", "password": "PeerPw1"}}}})}})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        out = svc.run("r1", "show bgp summary json")["r1"].output
    assert "PeerPw1" not in out and json.loads(out)["ipv4Unicast"]["peers"]["10.0.0.2"]["state"] == "Established"
