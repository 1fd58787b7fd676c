"""Lab state records, the inventory it writes, and LabInfo's secrecy."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from netops.cli._common import to_json
from netops.errors import LabError
from netops.lab.builder import Lab
from netops.lab.inventory import render_inventory
from netops.lab.state import LabState, UserRecord


def test_state_round_trip_and_corruption(tmp_path):
    path = tmp_path / "lab" / "1" / "state.json"
    assert LabState.load(path) is None
    st = LabState(lab_id=1, lab_dir="/x", runtime_dir="/run/netops-lab/1", namespaces=["nl1-r1"],
                  user=UserRecord(name="netops", created=True), daemon_pids={"r1": {"zebra": 5}})
    st.save(path)
    assert LabState.load(path) == st
    path.write_text("{not json")
    with pytest.raises(LabError, match="unreadable"):
        LabState.load(path)


def test_info_paths_follow_home_and_password_stays_secret(settings):
    lab = Lab(settings, 4)
    info = lab.info(password="s3cret-pw")
    assert info.lab_dir == settings.paths.lab_dir / "4"
    assert info.inventory_path == settings.paths.lab_dir / "4" / "inventory.yaml"
    assert info.username == "netops4" and info.router("r2").ssh_host == "127.0.104.2"
    assert isinstance(info.password, SecretStr)
    assert "s3cret-pw" not in repr(info)
    assert "s3cret-pw" not in to_json(info)


def test_info_without_a_lab_is_a_clear_error(settings):
    with pytest.raises(LabError, match="not up"):
        Lab(settings, 2).info()


def test_inventory_has_no_secret_and_loads_with_the_device_layer(settings, tmp_path):
    from netops.devices.inventory import load_inventory

    info = Lab(settings, 1).info(password="s3cret-pw")
    text = render_inventory(info)
    assert "s3cret-pw" not in text
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    inv = load_inventory(path)
    r1 = inv.host("r1")
    assert (r1.hostname, r1.port, r1.platform, r1.username) == ("127.0.101.1", 22, "frr", "netops")
    assert r1.data["asn"] == 65001 and r1.data["loopback"] == "203.0.113.1"
    assert Path(r1.credentials.key_file) == info.key_file
    assert r1.credentials.password_env == "NETOPS_LAB_PASSWORD"
    assert [h.name for h in inv.select("lab")] == ["r1", "r2", "r3"]
