"""A blackhole route (the static route that anchors an aggregate a router originates) was shown
as "directly via ?"; it is a discard next hop on every platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.models import NextHop
from netops.devices.parsers import frr

CAPTURE = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "lab-r3-aggregate"


def test_frr_blackhole_static_is_a_discard_next_hop():
    r = frr.parse_route((CAPTURE / "show_ip_route_203_0_113_128_25_json.txt").read_text(), "203.0.113.128/25")
    assert (r.found, r.prefix, r.protocol) == (True, "203.0.113.128/25", "static")
    assert [h.discard for h in r.next_hops] == [True]
    assert r.next_hops[0].describe() == "discard (blackhole)"


@pytest.mark.parametrize("interface", ["Null0", "null0", "Discard", "reject", "black-hole"])
def test_null_interfaces_of_other_platforms_discard(interface):
    hop = NextHop(interface=interface)
    assert hop.discard and hop.describe() == f"discard ({interface})"


def test_an_ordinary_next_hop_is_not_a_discard():
    hop = NextHop(address="198.51.100.2", interface="eth-r2")
    assert not hop.discard and hop.describe() == "198.51.100.2 via eth-r2"
    assert NextHop(interface="lo").describe() == "directly via lo"
