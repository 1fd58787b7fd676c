"""A name shaped like the inventory's own names ("r9" beside r1, r2, r3; "edge-sw12" beside
edge-sw1 and edge-sw2) is a device the inventory lacks, wherever it stands in the question:
"is r9 up?", "show r9 interfaces", "r9 bgp?" said "no known intent matched", "which device?
The question names none" or searched the documents."""

from __future__ import annotations

import pytest

from netops.agent.router import UNKNOWN_DEVICE, route

LAB = ["r1", "r2", "r3"]
CAMPUS = ["edge-sw1", "edge-sw2", "core-rtr1"]


@pytest.mark.parametrize("question, hosts, name", [
    ("is r9 up?", LAB, "r9"),
    ("is r9 reachable?", LAB, "r9"),
    ("show r9 interfaces", LAB, "r9"),
    ("r9 bgp?", LAB, "r9"),
    ("check r9", LAB, "r9"),
    ("how is r9 doing?", LAB, "r9"),
    ("is edge-sw12 healthy?", CAMPUS, "edge-sw12"),
    ("ospf state of core-rtr4?", CAMPUS, "core-rtr4"),
])
def test_a_name_like_the_inventorys_is_an_unknown_device(question, hosts, name):
    r = route(question, hosts)
    assert r.kind == "unknown" and r.reason.startswith(f"{UNKNOWN_DEVICE} '{name}'"), (question, r)


@pytest.mark.parametrize("question, hosts", [
    ("what does RFC 4271 say the hold timer must be?", LAB),
    ("what is an l2vpn?", LAB),
    ("how does OSPFv2 elect a DR?", LAB),
    ("what is the difference between ipv4 and ipv6 headers?", LAB),
    ("is r1 up?", LAB),
    ("what is 802.1q?", CAMPUS),
])
def test_other_words_are_not_taken_for_devices(question, hosts):
    r = route(question, hosts)
    assert not r.reason.startswith(UNKNOWN_DEVICE), (question, r)


@pytest.mark.parametrize("question", [
    "which bgp peers are down except on r1, r2 and r3?",
    "is ospf up everywhere but r1, r2 and r3?",
])
def test_every_device_left_out_is_said_not_searched(question):
    from netops.agent.router import ALL_LEFT_OUT

    r = route(question, LAB)
    assert r.kind == "unknown" and r.reason.startswith(ALL_LEFT_OUT), (question, r)
