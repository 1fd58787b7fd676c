"""The approval-policy file and the rendered-command policy: exact outcomes, exact messages."""

from __future__ import annotations

import time as _time
from datetime import datetime, time, timezone

import pytest

from netops.errors import ConfigError
from netops.playbook.policy import Window, check_command_problem, command_problems, load_policy


def test_a_missing_file_is_an_empty_policy(tmp_path):
    p = load_policy(tmp_path / "nope.yaml")
    assert p.source is None and p.roles == {} and p.users == {}
    f = tmp_path / "p.yaml"
    f.write_text("roles: {op: {max_risk: low}}\nusers: {josé: op}\n", encoding="utf-8")
    p = load_policy(f)
    assert p.source == str(f) and p.role_of("josé") == "op"
    f.write_text("")
    assert load_policy(f).source == str(f)


def test_invalid_yaml_is_one_line_with_the_line_number(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("roles:\n  op: {max_risk: low\nusers: {}\n")
    with pytest.raises(ConfigError) as ei:
        load_policy(f)
    msg = ei.value.message
    assert msg == f"approval policy {f}:3: invalid YAML: expected ',' or '}}', but got ':'"
    assert ei.value.hint == "fix the YAML syntax at that line"


def test_invalid_yaml_without_a_mark_uses_the_first_line(tmp_path, monkeypatch):
    import yaml

    def boom(text):
        raise yaml.YAMLError("first line\nsecond line")

    monkeypatch.setattr(yaml, "safe_load", boom)
    f = tmp_path / "p.yaml"
    f.write_text("x: 1\n")
    with pytest.raises(ConfigError) as ei:
        load_policy(f)
    assert ei.value.message == f"approval policy {f}: invalid YAML: first line"


def test_an_unreadable_file(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_bytes(b"roles: \xff\xfe\n")
    with pytest.raises(ConfigError) as ei:
        load_policy(f)
    assert ei.value.message.startswith(f"approval policy {f} is unreadable: ")
    assert ei.value.hint == "fix the file"


def test_a_schema_error_names_the_field(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("roles:\n  op: {max_risk: extreme}\n")
    with pytest.raises(ConfigError) as ei:
        load_policy(f)
    assert ei.value.message.startswith(f"approval policy {f}: roles.op.max_risk: ")
    assert ei.value.hint == "see 'Approval policy' in playbooks/README.md for the format"


def test_a_window_of_no_length_contains_nothing():
    w = Window(start=time(9), end=time(9))
    for hh in (0, 8, 9, 10, 23):
        assert not w.contains(datetime(2026, 11, 30, hh, tzinfo=timezone.utc))


def test_windows_are_utc_whatever_the_local_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    _time.tzset()
    try:
        w = Window(start=time(9), end=time(17))
        assert w.contains(datetime(2026, 11, 30, 9, tzinfo=timezone.utc))
        assert not w.contains(datetime(2026, 11, 30, 17, tzinfo=timezone.utc))
        assert not w.contains(datetime(2026, 11, 30, 1, tzinfo=timezone.utc))  # 10:00 in Tokyo
    finally:
        monkeypatch.undo()
        _time.tzset()


def test_rendered_command_problems_each_line_its_reason():
    lines = ["interface eth0", "description ok\x07", "reload", "do show run", "exit"]
    assert command_problems(lines) == [
        "'description ok\\x07': control character",
        "'reload': reload",
        "'do show run': 'do' escapes configuration mode",
    ]
    assert command_problems(["write memory", "ip route 0.0.0.0/0 192.0.2.1 | x"]) == [
        "'write memory': write (erase/memory/terminal)",
        "'ip route 0.0.0.0/0 192.0.2.1 | x': shell metacharacter",
    ]
    assert command_problems(["router bgp 65001", "neighbor 198.51.100.2 shutdown", "exit"]) == []


def test_exec_mode_allows_only_the_listed_operational_commands():
    assert command_problems(["clear ip bgp 198.51.100.2 soft"], mode="exec") == []
    assert command_problems(["clear bgp ipv4 unicast 198.51.100.2 soft in"], mode="exec") == []
    assert command_problems(["clear ip bgp *", "clear ip bgp 198.51.100.2 soft", "reload"], mode="exec") == [
        "'clear ip bgp *': not an allowed operational command",
        "'reload': not an allowed operational command",
    ]
    assert command_problems(["clear ip bgp 198.51.100.2 soft\x00"], mode="exec") == [
        "'clear ip bgp 198.51.100.2 soft\\x00': control character"]


def test_check_commands_are_plain_show():
    assert check_command_problem("show bgp summary json") is None
    assert check_command_problem("SHOW bgp summary json") is None
    assert check_command_problem("  Show ip route  ") is None
    assert check_command_problem("configure terminal") == "'configure terminal': checks may only run 'show ...' commands"
    assert check_command_problem("show") == "'show': checks may only run 'show ...' commands"
    for bad in ("show run | include x", "show run; reload", "show `id`", "show $(id)", "show run\x00"):
        assert check_command_problem(bad) == (
            f"{bad.strip()!r}: pipes, separators and control characters are not allowed in checks"), bad
