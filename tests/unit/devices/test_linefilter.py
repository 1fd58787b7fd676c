"""adv17: a model's ``| include`` runs on the redacted output, so it cannot probe a secret."""

from __future__ import annotations

import pytest

from netops.devices.linefilter import apply_filters, local_filters
from netops.devices.service import DeviceService
from netops.errors import PolicyViolation
from netops.testing.transport import FakeTransport

CONFIG = "router bgp 65001\n neighbor 198.51.100.2 remote-as 65002\n neighbor 198.51.100.2 password Adv3Zq9\n"


def test_line_filters_run_in_order():
    head, filters = local_filters("show run | include neighbor | exclude remote-as")
    assert head == "show run"
    assert apply_filters(CONFIG, filters) == " neighbor 198.51.100.2 password Adv3Zq9"
    _, begin = local_filters("show run | begin neighbor")
    assert apply_filters(CONFIG, begin).splitlines()[0] == " neighbor 198.51.100.2 remote-as 65002"


def test_other_pipes_are_left_to_the_device():
    assert local_filters("show run") is None
    assert local_filters("show run | count") is None
    assert local_filters("show interfaces | last 10") is None
    assert local_filters("show configuration | display set") is None


@pytest.mark.parametrize("pattern", ["(a+)+$", "a**", "(xy)*z", "(a){2,}b", r"(a)\1"])
def test_patterns_a_backtracking_matcher_can_hang_on_are_refused(pattern):
    with pytest.raises(PolicyViolation):
        local_filters(f"show run | include {pattern}")


def test_a_guess_at_a_secret_reads_the_same_right_or_wrong(dev_settings):
    fake = FakeTransport(default={"show running-config": CONFIG})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        right = svc.run("r1", "show running-config | include password Adv3", filter_here=True)["r1"]
        wrong = svc.run("r1", "show running-config | include password Zq9x", filter_here=True)["r1"]
        plain = svc.run("r1", "show running-config | include password", filter_here=True)["r1"]
    assert right.ok and wrong.ok
    assert right.output.strip() == wrong.output.strip() == ""
    assert "198.51.100.2 password <redacted>" in plain.output and "Adv3Zq9" not in plain.output
    assert all(cmd == "show running-config" for cmd in fake.commands_for("r1"))


def test_a_refused_pattern_is_a_failed_read_not_a_crash(dev_settings):
    fake = FakeTransport(default={"show running-config": CONFIG})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        r = svc.run("r1", "show running-config | include (a+)+b", filter_here=True)["r1"]
    assert r.failed and r.error_type == "PolicyViolation" and "repeats a group" in (r.error or "")
    assert fake.commands_for("r1") == []


IOS_CONFIG = "hostname sw1\nusername admin secret 5 $1$abcd$Adv3Zq9xyz\nsnmp-server community Adv3Comm RO\n"


@pytest.mark.parametrize("command", [
    "show running-config | find community Adv3",
    "show running-config | utility egrep Adv3",
    "show running-config | match Adv3 invert-match",
    "show running-config | include community | last 5",
])
def test_a_model_pattern_in_a_pipe_netops_cannot_run_itself_is_refused(dev_settings, command):
    """The device would count or cut sections on the raw config: the same oracle by another pipe."""
    fake = FakeTransport(default={"show running-config": IOS_CONFIG})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        r = svc.run("sw1", command, filter_here=True)["sw1"]
    assert r.failed and r.error_type == "PolicyViolation", (r.ok, r.output, r.error)
    assert fake.commands_for("sw1") == []


def test_pipes_without_a_pattern_still_go_to_the_device(dev_settings):
    fake = FakeTransport(default={"show running-config | count": "Number of lines which match regexp = 3\n"})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        r = svc.run("sw1", "show running-config | count", filter_here=True)["sw1"]
    assert r.ok and fake.commands_for("sw1") == ["show running-config | count"]


def test_the_refusal_does_not_quote_the_pattern():
    with pytest.raises(PolicyViolation) as info:
        local_filters("show running-config | find community Adv3 | no-more")
    assert "Adv3" not in info.value.message and "| find" in info.value.message
    assert local_filters("show version | utility wc -l") is None


BGP_CONFIG = ("hostname r1\nrouter bgp 65001\n neighbor 198.51.100.2 remote-as 65002\n"
              " neighbor 198.51.100.2 password Adv3Zq9\n address-family ipv4 unicast\n"
              "  network 203.0.113.1/32\n exit-address-family\nexit\n!\nline vty\n exec-timeout 0 0\n")


@pytest.mark.parametrize("command", [
    "show running-config | section community Adv3",
    "show running-config | section password Adv3",
    "show running-config | count password Adv3",
    "show running-config | include password | count Adv3",
    "show running-config | include secret 5 .1.abcd | count",
])
def test_section_and_count_run_here_so_a_guess_reads_the_same_right_or_wrong(dev_settings, command):
    """'| section X' and a counted filter were refused outright (adv17); they are common IOS/FRR
    idioms, so netops now runs them itself on the redacted output: the device gets the bare
    command, and a right guess at a secret reads exactly like a wrong one."""
    fake = FakeTransport(default={"show running-config": BGP_CONFIG + IOS_CONFIG})
    wrong = command.replace("Adv3", "Qx7w").replace(".1.abcd", ".1.zzzz")
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        right_r = svc.run("sw1", command, filter_here=True)["sw1"]
        wrong_r = svc.run("sw1", wrong, filter_here=True)["sw1"]
    assert right_r.ok and wrong_r.ok, (right_r.error, wrong_r.error)
    assert right_r.output == wrong_r.output, (right_r.output, wrong_r.output)
    assert fake.commands_for("sw1") == ["show running-config", "show running-config"]


def test_a_section_is_the_matching_line_and_what_is_indented_under_it():
    head, filters = local_filters("show running-config | section router bgp | no-more")
    assert head == "show running-config"
    got = apply_filters(BGP_CONFIG, filters).splitlines()
    assert got[0] == "router bgp 65001" and got[-1] == " exit-address-family", got
    assert "  network 203.0.113.1/32" in got and "exit" not in got and "line vty" not in got, got
    _, both = local_filters("show running-config | section neighbor")
    assert apply_filters(BGP_CONFIG, both).splitlines() == [
        " neighbor 198.51.100.2 remote-as 65002", " neighbor 198.51.100.2 password Adv3Zq9"]


def test_count_after_a_filter_counts_the_lines_it_kept():
    _, filters = local_filters("show running-config | include neighbor | count")
    assert apply_filters(BGP_CONFIG, filters) == "Number of lines which match regexp = 2"
    _, pattern = local_filters("show running-config | count network")
    assert apply_filters(BGP_CONFIG, pattern) == "Number of lines which match regexp = 1"
    assert local_filters("show running-config | count | no-more") is None


def test_a_quoted_pattern_keeps_its_alternation():
    """Junos ``| match "a|b"`` was split at the quoted ``|`` and refused (adv17 leftover)."""
    head, filters = local_filters('show configuration | match "remote-as|password" | except 198.51.100.9')
    assert head == "show configuration"
    assert apply_filters(CONFIG, filters).splitlines() == [" neighbor 198.51.100.2 remote-as 65002",
                                                          " neighbor 198.51.100.2 password Adv3Zq9"]


def test_a_filter_on_output_cut_at_the_cap_says_it_saw_only_the_first_part(dev_settings):
    """A model's '| include' ran on the output netops kept (the first max_output_bytes):
    lines past the cap were not matched, and the result read as if it were the whole (adv17)."""
    big = "".join(f"interface eth{i}\n description link {i}\n" for i in range(400))
    settings = dev_settings.model_copy(update={"ssh": dev_settings.ssh.model_copy(update={"max_output_bytes": 1024})})
    fake = FakeTransport(default={"show running-config": big})
    with DeviceService(settings, transport_factory=fake) as svc:
        r = svc.run("r1", "show running-config | include description", filter_here=True)["r1"]
    assert r.ok and r.truncated
    assert " description link 1\n" in r.output and "description link 399" not in r.output
    assert "cut at 1024 bytes" in r.output and "the filter saw only" in r.output, r.output


def test_the_local_filters_split_a_quoted_pipe_as_the_policy_did():
    # IOS-like CLIs: the policy checked 'include "a' and 'exclude b"' as two pipes; Junos: one pattern
    from netops.devices.platforms import get_platform
    command = 'show run | include "a | exclude b"'
    _, ios = local_filters(command, quoted=get_platform("cisco_ios").quoted_pipes)
    assert [kind for kind, _ in ios] == ["in", "out"]
    _, junos = local_filters('show run | match "a|b"', quoted=get_platform("juniper_junos").quoted_pipes)
    assert len(junos) == 1


@pytest.mark.parametrize("command", ["show ip bgp summary | include Idle", "show ip bgp summary | exclude BGP"])
def test_the_devices_error_is_not_filtered_away(dev_settings, command):
    """review33: a model's "show ip bgp summary | include Idle" on a router whose BGP is not
    running: our filter dropped "% BGP not active" and the model read an empty answer, as "no
    session down". The device's error line is not output for the filter: it stays, whatever the
    pattern (so it says nothing about a guess at a secret either)."""
    config = "hostname sw1\n!\nrouter bgp 65001\n!\nend\n"  # BGP should run: the reply is a device error
    fake = FakeTransport(default={"show ip bgp summary": "% BGP not active\n", "show running-config": config})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        r = svc.run("sw1", command, filter_here=True)["sw1"]
    assert r.ok and r.device_error and "% BGP not active" in r.device_error, r.error
    assert r.output.strip() == "% BGP not active", r.output
