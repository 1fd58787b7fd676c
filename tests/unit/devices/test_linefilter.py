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
    assert local_filters("show run | include x | count") is None
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
