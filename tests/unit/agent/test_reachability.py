""""ping r3 from r1", "can r1 reach r3?", "traceroute from r1 to 203.0.113.3": netops sends no
probes on the routed path, so the honest answer is the source's route to the target (a device
named by its inventory loopback or router id), said to come from the routing table. These
questions were answered with both routers' BGP neighbours."""

from __future__ import annotations

import pytest

from netops.agent.device_refs import DeviceIndex
from netops.agent.router import route_named

HOSTS = ["r1", "r2", "r3", "sw1"]
INDEX = DeviceIndex(list(HOSTS), addresses={"203.0.113.1": ("r1", "loopback"), "203.0.113.2": ("r2", "router id"),
                                            "203.0.113.3": ("r3", "loopback")})


@pytest.mark.parametrize("question, src, prefix, target", [
    ("ping r3 from r1", "r1", "203.0.113.3", "r3"),
    ("can r1 reach r3?", "r1", "203.0.113.3", "r3"),
    ("can r1 ping r2's loopback", "r1", "203.0.113.2", "r2"),
    ("is r3 reachable from r2?", "r2", "203.0.113.3", "r3"),
    ("traceroute from r1 to r3", "r1", "203.0.113.3", "r3"),
    ("trace the path from r3 to r1", "r3", "203.0.113.1", "r1"),
    ("ping 198.51.100.6 from r1", "r1", "198.51.100.6", "198.51.100.6"),
    ("can r2 get to 10.9.9.9?", "r2", "10.9.9.9", "10.9.9.9"),
    # helper trial16: the passive, a typo, IOS's "source", "X to Y" and an arrow after the verb
    ("can r3's loopback be reached from r1?", "r1", "203.0.113.3", "r3"),
    ("is r2 reachble from r3", "r3", "203.0.113.2", "r2"),
    ("ping 203.0.113.2 source r3", "r3", "203.0.113.2", "r2's router id"),
    ("trace r1 to r3", "r1", "203.0.113.3", "r3"),
    ("traceroute r3 to 203.0.113.1", "r3", "203.0.113.1", "r1's loopback"),
    ("r1 -> r2 lo reachable?", "r1", "203.0.113.2", "r2"),
])
def test_a_reachability_question_is_the_sources_route_to_the_target(question, src, prefix, target):
    r, _ = route_named(question, HOSTS, INDEX)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("prefix")) == \
        ("tool", "route", [src], prefix), r
    assert r.args["_reach"]["target"] == target


def test_a_target_with_no_address_in_the_inventory_says_which_address_is_missing():
    r, _ = route_named("ping sw1 from r1", HOSTS, INDEX)
    assert r.kind == "unknown" and "sw1" in r.reason and "loopback" in r.reason, r


@pytest.mark.parametrize("question", ["how do I ping from a vrf on FRR?", "what does ping measure?",
                                      "r2 cant get to 203.0.113.3, why", "why can't r1 reach r3?",
                                      "r1 is unable to ping r3",
                                      "is r1 up?", "show me the route to 203.0.113.3 on r1"])
def test_other_questions_are_not_reachability(question):
    r, _ = route_named(question, HOSTS, INDEX)
    assert "_reach" not in r.args, r


def test_the_answer_says_it_comes_from_the_routing_table():
    from netops.agent.offline import _summarise
    from netops.devices.models import RouteLookup

    found = RouteLookup(query="203.0.113.3", found=True, prefix="203.0.113.3/32", protocol="bgp")
    body = _summarise("route", found, {"_reach": {"verb": "ping", "target": "r3", "address": "203.0.113.3"}})
    assert "r3 (203.0.113.3)" in body and "routing table" in body and "no ping was sent" in body, body
    none = RouteLookup(query="203.0.113.3", found=False)
    body = _summarise("route", none, {"_reach": {"verb": "ping", "target": "r3", "address": "203.0.113.3"}})
    assert "no route" in body and "cannot reach" in body, body


IDX6 = DeviceIndex(list(HOSTS), addresses={"203.0.113.1": ("r1", "loopback"), "2001:db8::3": ("r3", "loopback"),
                                           "203.0.113.3": ("r3", "loopback")})


@pytest.mark.parametrize("question, src, prefix", [
    ("can r1 reach the loopback on r3?", "r1", "203.0.113.3"),   # the subject is the source, not "on r3"
    ("can r1 reach r3?", "r1", "203.0.113.3"),                    # IPv4 unless the words say IPv6
    ("can r1 reach r3 over ipv6?", "r1", "2001:db8::3"),
    ("ping 10.9.9.9 on r1", "r1", "10.9.9.9"),
])
def test_review_cases_pick_the_right_source_and_family(question, src, prefix):
    r, _ = route_named(question, HOSTS, IDX6)
    assert (r.args.get("hosts"), r.args.get("prefix")) == ([src], prefix), r


def test_a_vrf_is_not_looked_up_in_the_global_table():
    r, _ = route_named("can r1 reach 10.9.9.9 in vrf mgmt?", HOSTS, INDEX)
    assert r.kind == "unknown" and "VRF (mgmt)" in r.reason, r


@pytest.mark.parametrize("question", ["make r3 reachable from r1", "fix r1 so it can reach r3",
                                      "configure r1 to reach 10.9.9.9 via r2"])
def test_a_request_to_make_something_reachable_is_not_a_lookup(question):
    r, _ = route_named(question, HOSTS, INDEX)
    assert "_reach" not in r.args, r


@pytest.mark.parametrize("question", ["show the bgp neighbors on r1 in group EXT",
                                      "show bgp summary on r1 for neighbor group transit"])
def test_a_bgp_peer_group_beside_a_named_device_is_not_an_inventory_group(question):
    r, _ = route_named(question, HOSTS, DeviceIndex(list(HOSTS), groups={"lab": list(HOSTS)}))
    assert (r.kind, r.args.get("hosts"), r.args.get("getter")) == ("tool", ["r1"], "bgp_neighbors"), r


@pytest.mark.parametrize("question", ["ping 203.0.113.2", "traceroute r3", "trace 10.9.9.9"])
def test_a_probe_with_no_source_asks_for_one(question):
    """netops sends no probe from itself: which router's table to read is the question (a
    knowledge-base search for 'ping 203.0.113.2' before, helper trial16)."""
    r, _ = route_named(question, HOSTS, INDEX)
    assert r.kind == "unknown" and "from which router" in r.reason, r


@pytest.mark.parametrize("previous, question, src, prefix", [
    ("can r1 reach r2's loopback?", "and from r3?", "r3", "203.0.113.2"),
    ("ping 10.9.9.9 from r2", "what about from r1?", "r1", "10.9.9.9"),
    ("can r1 reach r3?", "same from r2", "r2", "203.0.113.3"),
])
def test_a_follow_up_from_another_router_keeps_the_target(previous, question, src, prefix):
    """"and from r3?" after "can r1 reach r2's loopback?" put r3 in both places ("can r3 reach r3's
    loopback?") and read r3's interfaces (helper trial16)."""
    from netops.agent.router import followup

    r, _ = route_named(followup(question, previous, HOSTS), HOSTS, INDEX)
    assert (r.kind, r.args.get("hosts"), r.args.get("prefix")) == ("tool", [src], prefix), r


@pytest.mark.parametrize("question, host, peer", [
    ("can r1 reach the routes learned from r2", "r1", "r2"),
    ("can r1 reach the prefixes it received from r3?", "r1", "r3"),
])
def test_routes_learned_from_a_peer_are_not_a_probe_from_that_peer(question, host, peer):
    """review16: "from r2" named where the routes came from, and r2's route to r1 was read (the
    wrong router); the routes r1 received from r2 are r1's to read."""
    r, _ = route_named(question, HOSTS, INDEX)
    assert "_reach" not in r.args and r.args.get("hosts") == [host] and r.args.get("peer") == peer, r
