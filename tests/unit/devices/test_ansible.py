"""Ansible inventory import (INI and YAML)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.cli.main import main
from netops.devices.ansible import convert
from netops.devices.inventory import load_inventory
from netops.errors import InventoryError

ANSIBLE = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "ansible"


def test_ini(tmp_path):
    res = convert(ANSIBLE / "hosts.ini")
    out = tmp_path / "inv.yaml"
    out.write_text(res.to_yaml())
    inv = load_inventory(out)
    assert sorted(inv.hosts) == ["acc-sw01", "acc-sw02", "bastion", "core1.fra1", "core2.fra1", "leaf1", "mx1"]
    sw = inv.host("acc-sw01")
    assert (sw.platform, sw.port, sw.hostname, sw.username) == ("cisco_ios", 2222, "10.20.1.11", "netops")
    assert sw.data["site"] == "fra1" and "fra1" in sw.all_groups
    assert inv.host("core1.fra1").data["bgp_asn"] == 65010
    assert inv.host("mx1").platform == "juniper_junos" and inv.host("leaf1").platform == "arista_eos"
    assert str(inv.host("bastion").credentials.key_file).endswith("bastion_ed25519")
    assert any("ansible_ssh_pass" in w for w in res.warnings)
    assert "hunter2" not in res.to_yaml()


def test_yaml(tmp_path):
    out = tmp_path / "inv.yaml"
    out.write_text(convert(ANSIBLE / "hosts.yml").to_yaml())
    inv = load_inventory(out)
    b = inv.host("border1")
    assert (b.platform, b.port, b.username, b.data) == ("frr", 2201, "netops", {"site": "dc1", "rack": "A1"})
    assert [h.name for h in inv.select("spines")] == ["spine1", "spine2"]
    assert [h.name for h in inv.select("dc1")] == ["spine1", "spine2", "border1"]


def test_unknown_network_os(tmp_path):
    p = tmp_path / "h.ini"
    p.write_text("[x]\nsw ansible_network_os=vyos\n")
    with pytest.raises(InventoryError, match="vyos"):
        convert(p)


def test_nxos_maps_to_cisco_nxos(tmp_path):
    p = tmp_path / "h.ini"
    p.write_text("[x]\nsw ansible_network_os=cisco.nxos.nxos ansible_host=127.0.9.31\n")
    assert "platform: cisco_nxos" in convert(p).to_yaml()


@pytest.mark.parametrize("network_os", ["iosxr", "cisco.iosxr.iosxr", "cisco_xr"])
def test_iosxr_maps_to_cisco_xr(tmp_path, network_os):
    p = tmp_path / "h.ini"
    p.write_text(f"[core]\npe1 ansible_network_os={network_os} ansible_host=127.0.9.32\n")
    inv = convert(p).inventory
    assert inv["hosts"]["pe1"]["platform"] == "cisco_xr"


@pytest.mark.parametrize("network_os", ["sros", "nokia.sros.classic", "nokia.sros.md", "nokia_sros"])
def test_sros_maps_to_nokia_sros(tmp_path, network_os):
    p = tmp_path / "h.ini"
    p.write_text(f"[x]\npe1 ansible_network_os={network_os} ansible_host=127.0.9.41\n")
    assert "platform: nokia_sros" in convert(p).to_yaml()


@pytest.mark.parametrize("network_os", ["ce", "community.network.ce", "huawei", "huawei_vrp", "huawei_vrpv8"])
def test_huawei_maps_to_huawei_vrp(tmp_path, network_os):
    p = tmp_path / "h.ini"
    p.write_text(f"[x]\npe1 ansible_network_os={network_os} ansible_host=127.0.9.51\n")
    assert convert(p).inventory["hosts"]["pe1"]["platform"] == "huawei_vrp"


def test_cli_import_writes_and_refuses_overwrite(tmp_path, capsys):
    out = tmp_path / "inv.yaml"
    assert main(["devices", "import", "ansible", str(ANSIBLE / "hosts.yml"), "--output", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == str(out)
    assert main(["devices", "import", "ansible", str(ANSIBLE / "hosts.yml"), "--output", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
