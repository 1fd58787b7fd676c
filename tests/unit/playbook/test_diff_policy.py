from __future__ import annotations

from datetime import datetime, timezone

import pytest

from netops.errors import ConfigError
from netops.playbook import diff
from netops.playbook.policy import command_problems, load_policy

RUNNING = """Building configuration...

Current configuration:
!
frr version 8.4.4
hostname r1
!
interface eth-r2
 description link to r2
 ip ospf cost 10
exit
!
router bgp 65001
 neighbor 198.51.100.2 remote-as 65002
 neighbor 198.51.100.2 description r2
 !
 address-family ipv4 unicast
  network 203.0.113.1/32
 exit-address-family
exit
!
router ospf
 network 198.51.100.0/30 area 0
exit
!
end
"""


def test_normalise_only_drops_headers():
    assert diff.normalise(RUNNING).startswith("!\nfrr version")
    assert diff.same_config(RUNNING, RUNNING.replace("Building configuration...\n\n", ""))
    assert not diff.same_config(RUNNING, RUNNING.replace("cost 10", "cost 11"))


def test_predict_shows_added_and_replaced_lines():
    d, note = diff.predict(RUNNING, ["interface eth-r2", "description new text", "exit", "ip route 203.0.113.9/32 198.51.100.2"])
    assert "- description link to r2\n+ description new text" in d
    assert "+ip route 203.0.113.9/32 198.51.100.2" in d
    d, note = diff.predict(RUNNING, ["router bgp 65001", "no neighbor 198.51.100.9 shutdown"])
    assert d is None and note.startswith("not computable")


def test_restore_commands_cover_nested_blocks():
    changed = diff.apply_lines(diff.parse(RUNNING), [
        "router bgp 65001", "neighbor 198.51.100.2 shutdown", "address-family ipv4 unicast",
        "network 203.0.113.77/32", "exit-address-family", "exit", "interface eth-r2", "description other",
        "ip ospf cost 50", "exit", "router ospf", "no network 198.51.100.0/30 area 0", "exit",
        "ip route 203.0.113.9/32 198.51.100.2"])
    current = diff.render_tree(changed)
    cmds = diff.restore_commands(current, RUNNING)
    assert "no description" in cmds and "description link to r2" in cmds
    assert "no neighbor 198.51.100.2 shutdown" in cmds
    assert cmds[cmds.index("no network 203.0.113.77/32") - 1] == "address-family ipv4 unicast"
    assert "network 198.51.100.0/30 area 0" in cmds
    restored = diff.apply_lines(diff.parse(current), cmds)
    assert sorted(diff.render_tree(restored).splitlines()) == sorted(diff.render_tree(diff.parse(RUNNING)).splitlines())


@pytest.mark.parametrize("line", ["end", "do write", "reload", "write erase", "delete flash:x", "format disk0:",
                                  "crypto key zeroize", "shell ls", "description x | y", "no router bgp 65001",
                                  "clear bgp *", "configure terminal", "username a password b"])
def test_deny_list(line):
    assert command_problems([line])


def test_exec_allow_list():
    assert not command_problems(["clear bgp 198.51.100.2 soft"], mode="exec")
    assert command_problems(["clear bgp *"], mode="exec")
    assert command_problems(["reload"], mode="exec")


POLICY = """
roles:
  operator: {max_risk: low}
  engineer:
    max_risk: medium
    windows: [{days: [sat], start: "22:00", end: "06:00"}]
users: {alice: engineer, bob: operator}
"""


def test_policy_roles_and_windows(tmp_path):
    f = tmp_path / "policy.yaml"
    f.write_text(POLICY)
    pol = load_policy(f)
    sat_23 = datetime(2026, 11, 28, 23, 0, tzinfo=timezone.utc)
    sun_03 = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)
    sun_07 = datetime(2026, 11, 29, 7, 0, tzinfo=timezone.utc)
    assert pol.auto_approve("alice", "medium", sat_23)[0]
    assert pol.auto_approve("alice", "medium", sun_03)[0]
    ok, why = pol.auto_approve("alice", "medium", sun_07)
    assert not ok and "window" in why
    assert not pol.auto_approve("alice", "high", sat_23)[0]
    assert pol.auto_approve("bob", "low", sun_07)[0]
    assert not pol.auto_approve("bob", "medium", sun_07)[0]
    assert not pol.auto_approve("eve", "low", sun_07)[0]


def test_bad_policy_is_config_error(tmp_path):
    f = tmp_path / "policy.yaml"
    f.write_text("roles: {x: {max_risk: extreme}}")
    with pytest.raises(ConfigError):
        load_policy(f)
    f.write_text("users: {a: ghost}")
    with pytest.raises(ConfigError, match="undefined role"):
        load_policy(f)
