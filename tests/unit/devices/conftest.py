"""Shared helpers for device-layer unit tests: a small inventory and a service over a fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "devices"

INVENTORY = """\
defaults:
  username: netops
  password_env: LAB_PW
  port: 22
groups:
  lab:
    platform: frr
    data: {site: lab}
  core:
    groups: [lab]
    data: {role: core}
  edge:
    platform: cisco_ios
hosts:
  r1: {hostname: 127.0.1.1, groups: [core]}
  r2: {hostname: 127.0.1.2, groups: [core]}
  r3: {hostname: 127.0.1.3, groups: [lab]}
  sw1: {hostname: 127.0.9.1, groups: [edge], port: 2222}
"""


@pytest.fixture
def inventory_file(tmp_path) -> Path:
    p = tmp_path / "inventory.yaml"
    p.write_text(INVENTORY)
    return p


@pytest.fixture
def dev_settings(settings, inventory_file):
    return settings.model_copy(update={"inventory": inventory_file})


@pytest.fixture
def fake() -> FakeTransport:
    return FakeTransport.from_dir(FIXTURES / "frr") if (FIXTURES / "frr").is_dir() else FakeTransport()


@pytest.fixture
def service(dev_settings, fake):
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        yield svc
