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
    "show running-config | include secret 5 .1.abcd | count",
    "show running-config | section community Adv3",
    "show running-config | count community Adv3",
    "show running-config | include community | count Adv3",
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
        local_filters("show running-config | section community Adv3 | no-more")
    assert "Adv3" not in info.value.message and "| section" in info.value.message
    assert local_filters("show version | utility wc -l") is None
