"""Inventory: Nornir layout, inheritance, selection, strict loading, credentials."""

from __future__ import annotations

import json

import pytest

from netops.cli.main import main
from netops.devices.inventory import load_inventory
from netops.errors import AuthError, InventoryError, NotFoundError


def write(tmp_path, text, name="inv.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_inheritance_and_defaults(inventory_file):
    inv = load_inventory(inventory_file)
    r1 = inv.host("r1")
    assert (r1.platform, r1.port, r1.username) == ("frr", 22, "netops")
    assert r1.all_groups == ("core", "lab") and r1.data == {"site": "lab", "role": "core"}
    assert inv.host("sw1").platform == "cisco_ios" and inv.host("sw1").port == 2222


@pytest.mark.parametrize("targets,expected", [
    ("all", ["r1", "r2", "r3", "sw1"]), ("r2,r1", ["r1", "r2"]), ("core", ["r1", "r2"]),
    ("lab", ["r1", "r2", "r3"]), ("platform=cisco_ios", ["sw1"]), ("group=core", ["r1", "r2"]),
    ("role=core", ["r1", "r2"]), (["r3", "edge"], ["r3", "sw1"]), ("r1 r1", ["r1"]),
])
def test_select(inventory_file, targets, expected):
    assert [h.name for h in load_inventory(inventory_file).select(targets)] == expected


def test_select_unknown_is_not_found(inventory_file):
    with pytest.raises(NotFoundError, match="nope"):
        load_inventory(inventory_file).select("r1,nope")


def test_a_host_or_group_in_other_capitals_is_that_host(inventory_file):
    """trial32: `netops show R2 ...` said "no host or group matches 'R2'" while `netops ask "bgp
    neighbours on R2"` read r2: router host names are not case-sensitive."""
    inv = load_inventory(inventory_file)
    assert [h.name for h in inv.select("R2,SW1")] == ["r2", "sw1"]
    assert [h.name for h in inv.select("CORE")] == ["r1", "r2"]


def test_a_name_that_folds_to_two_hosts_matches_neither(tmp_path):
    p = write(tmp_path, "hosts:\n  ab: {hostname: a, platform: frr}\n  AB: {hostname: b, platform: frr}\n")
    inv = load_inventory(p)
    assert [h.name for h in inv.select("AB")] == ["AB"]  # the exact name still wins
    with pytest.raises(NotFoundError, match="no host or group matches 'Ab'"):
        inv.select("Ab")


def test_a_typo_in_a_host_name_is_answered_with_the_nearest_name(inventory_file):
    with pytest.raises(NotFoundError, match=r"no host or group matches 'rr2'; did you mean 'r2'\?"):
        load_inventory(inventory_file).select("rr2")
    with pytest.raises(NotFoundError) as exc:
        load_inventory(inventory_file).select("zz9")
    assert "did you mean" not in str(exc.value)


def test_duplicate_host_is_refused_with_line(tmp_path):
    p = write(tmp_path, "hosts:\n  r1: {hostname: a, platform: frr}\n  r1: {hostname: b, platform: frr}\n")
    with pytest.raises(InventoryError, match=r"inv.yaml:3: duplicate key 'r1'"):
        load_inventory(p)


def test_malformed_yaml_names_file_and_line(tmp_path):
    p = write(tmp_path, "hosts:\n  r1:\n    hostname: [unclosed\n  r2: {}\n")
    with pytest.raises(InventoryError, match=r"inv.yaml:\d+: invalid YAML"):
        load_inventory(p)


def test_unknown_platform_lists_the_known_ones(tmp_path):
    p = write(tmp_path, "hosts:\n  r1: {platform: vyos}\n")
    with pytest.raises(InventoryError, match="unknown platform 'vyos'.*cisco_ios.*frr"):
        load_inventory(p)


def test_missing_file_has_hint(tmp_path):
    with pytest.raises(InventoryError) as exc:
        load_inventory(tmp_path / "absent.yaml")
    assert "netops lab up" in exc.value.hint


def test_missing_default_inventory_points_at_a_lab_with_its_own_id(tmp_path):
    """After 'netops lab up --id 8' the home's default inventory does not exist (only lab 1 writes
    it); the hint said 'run netops lab up' although a lab was up: it names that lab's inventory."""
    lab = tmp_path / "lab" / "8"
    lab.mkdir(parents=True)
    (lab / "inventory.yaml").write_text("hosts: {}\n")
    with pytest.raises(InventoryError) as exc:
        load_inventory(tmp_path / "inventory.yaml")
    assert f"export NETOPS_INVENTORY={lab / 'inventory.yaml'}" in exc.value.hint


def test_unknown_key_and_unknown_group(tmp_path):
    with pytest.raises(InventoryError, match="unknown key.*hostnmae"):
        load_inventory(write(tmp_path, "hosts:\n  r1: {hostnmae: x, platform: frr}\n"))
    with pytest.raises(InventoryError, match="unknown group 'core'"):
        load_inventory(write(tmp_path, "hosts:\n  r1: {platform: frr, groups: [core]}\n"))


def test_plaintext_password_refused_unless_allowed(tmp_path, caplog):
    text = "hosts:\n  r1: {platform: frr, password: hunter2}\n"
    with pytest.raises(InventoryError, match="plain-text password"):
        load_inventory(write(tmp_path, text))
    inv = load_inventory(write(tmp_path, "options: {allow_plaintext_password: true}\n" + text))
    assert inv.warnings and "hunter2" not in repr(inv.host("r1"))
    assert inv.host("r1").credentials.password_value() == "hunter2"
    assert "plain-text password" in caplog.text


def test_password_env(tmp_path, monkeypatch):
    inv = load_inventory(write(tmp_path, "hosts:\n  r1: {platform: frr, password_env: LAB_PW}\n"))
    creds = inv.host("r1").credentials
    monkeypatch.delenv("LAB_PW", raising=False)
    with pytest.raises(AuthError, match="LAB_PW"):
        creds.password_value()
    assert creds.password_value(required=False) is None
    monkeypatch.setenv("LAB_PW", "s3cret")
    assert creds.password_value() == "s3cret"
    assert creds.describe()["password"] == "env:LAB_PW"


def test_nornir_directory_layout(tmp_path):
    d = tmp_path / "nornir"
    d.mkdir()
    (d / "hosts.yaml").write_text("r1:\n  hostname: 10.0.0.1\n  groups: [g]\n")
    (d / "groups.yaml").write_text("g:\n  platform: frr\n")
    (d / "defaults.yaml").write_text("username: ops\n")
    h = load_inventory(d).host("r1")
    assert (h.hostname, h.platform, h.username) == ("10.0.0.1", "frr", "ops")


def test_devices_list_json_masks_secrets(tmp_path, monkeypatch, capsys):
    p = write(tmp_path, "options: {allow_plaintext_password: true}\nhosts:\n"
                        "  a: {platform: frr, password: hunter2}\n  b: {platform: frr, password_env: LAB_PW}\n")
    monkeypatch.setenv("NETOPS_INVENTORY", str(p))
    assert main(["devices", "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out
    hosts = {h["name"]: h for h in json.loads(out)["hosts"]}
    assert hosts["a"]["password"] == "********" and hosts["b"]["password"] == "env:LAB_PW"


def test_show_refused_exits_5_and_sends_nothing(inventory_file, monkeypatch, capsys):
    monkeypatch.setenv("NETOPS_INVENTORY", str(inventory_file))
    assert main(["show", "r1", "configure terminal"]) == 5
    err = capsys.readouterr().err
    assert err.startswith("error: refused 'configure terminal'")


def test_state_unknown_getter_is_bad_input(inventory_file, monkeypatch, capsys):
    monkeypatch.setenv("NETOPS_INVENTORY", str(inventory_file))
    assert main(["state", "r1", "mpls"]) == 2
    assert "unknown getter" in capsys.readouterr().err


def test_an_inventory_with_no_hosts_says_so(tmp_path, capsys):
    """An inventory left with no hosts (emptied, cut short inside its header comment) said
    "no host or group matches 'all'; hosts: none; groups: none" and doctor called it ok: both
    now say the file holds no hosts."""
    from netops.doctor import check_devices
    from netops.settings import Settings

    p = write(tmp_path, "# netops lab 8: written by `netops lab up`\n")
    with pytest.raises(NotFoundError) as exc:
        load_inventory(p).select("all")
    assert f"the inventory {p} holds no hosts" in exc.value.message and "hosts:" in exc.value.hint
    (check,) = check_devices(Settings(home=tmp_path / "home", inventory=p))
    assert not check.ok and "no hosts" in check.detail


def test_trust_of_a_name_the_inventory_does_not_hold_says_so(tmp_path, monkeypatch, capsys):
    """'devices trust r9' (a typo; the inventory has r1) and 'devices trust all' looked the word
    up in DNS and said only 'cannot connect to r9:22: Name or service not known'; the hint now
    says it is not an inventory host and names those that are."""
    inv = write(tmp_path, "hosts:\n  r1: {hostname: 127.0.0.1, port: 1, platform: frr}\n")
    monkeypatch.setenv("NETOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NETOPS_INVENTORY", str(inv))
    for name in ("r9.invalid", "all"):
        assert main(["devices", "trust", name]) != 0
        err = capsys.readouterr().err
        assert f"{name!r} is not a host in the inventory (hosts: r1)" in err, err
