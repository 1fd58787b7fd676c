from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.unit.playbook.fakefrr import FrrSim

REPO = Path(__file__).resolve().parents[3]

INVENTORY = """
hosts:
  r1: {hostname: 127.0.0.1, platform: frr, groups: [lab]}
  r2: {hostname: 127.0.0.1, platform: frr, groups: [lab]}
  r3: {hostname: 127.0.0.1, platform: frr, groups: [lab]}
  sw1: {hostname: 127.0.0.1, platform: cisco_ios}
groups:
  lab: {}
defaults:
  username: tester
  port: 22
"""


@pytest.fixture
def pb_dir(tmp_path) -> Path:
    """A private copy of the shipped playbooks (so tests can edit and vet freely)."""
    dest = tmp_path / "playbooks"
    shutil.copytree(REPO / "playbooks", dest, ignore=shutil.ignore_patterns("playbooks.lock"))
    return dest


@pytest.fixture
def pb_settings(settings, tmp_path, pb_dir):
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    return settings.model_copy(update={"inventory": inv, "playbooks_dir": pb_dir})


@pytest.fixture
def vetted(pb_settings):
    from netops.playbook.catalogue import Catalogue

    cat = Catalogue(pb_settings)
    lock = cat.lock_for(cat.get(cat.names()[0]))
    for n in cat.names():
        lock.vet(cat.get(n), "unit-reviewer")
    return cat


@pytest.fixture
def sim() -> FrrSim:
    return FrrSim(["r1", "r2", "r3"])


@pytest.fixture
def audit(pb_settings):
    from netops.store.audit import AuditLog

    with AuditLog.from_settings(pb_settings) as log:
        yield log


@pytest.fixture
def devices(pb_settings, sim, audit):
    from netops.devices.service import DeviceService

    with DeviceService(pb_settings, transport_factory=sim, recorder=audit.recorder("tester")) as svc:
        yield svc
