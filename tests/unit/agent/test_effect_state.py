"""Yes/no questions about the state a change leaves (helper effect35, 2026-12-04; trial35 row 31): "is
neighbor 198.51.100.2 shut down on r1?", "is eth-r2 disabled on r1?" were read as questions about the
change (the playbook's description, "asks about a change rather than for one") or got "no known
intent". They read the device: the session list narrowed to the peer (Idle (Admin) when shut), or the
interface's admin / oper state. One predicate (``router.effect_state``) for every phrasing; the set
is ``data/state_phrasings_effect35.yaml`` (written during the fix: 9/21 before, 21/21 after)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.router import effect_state, route_named
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, peer", [
    ("is neighbor 198.51.100.2 shut down on r1?", "198.51.100.2"),
    ("is neighbor 198.51.100.2 still shut down on r1?", "198.51.100.2"),
    ("is the peer 198.51.100.2 admin down on r1?", "198.51.100.2"),
    ("is 198.51.100.2 shut on r1?", "198.51.100.2"),
    ("is the bgp neighbor 198.51.100.2 on r1 disabled?", "198.51.100.2"),
    ("is the session to 198.51.100.2 on r1 up?", "198.51.100.2"),
])
def test_a_peer_named_by_its_address_is_its_session_on_that_router(question, peer):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_peer_address")) == \
        ("tool", "bgp_neighbors", ["r1"], peer), r


@pytest.mark.parametrize("question, near, far", [
    ("is r3's BGP session to r1 shut?", "r3", "r1"),
    ("is r2's peer r1 shutdown?", "r2", "r1"),
    ("are the sessions to r2 shut on r1?", "r1", "r2"),
    ("is r1's bgp session with r3 admin down?", "r1", "r3"),
])
def test_a_peer_named_as_a_router_is_the_session_between_them_on_the_near_side(question, near, far):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_between")) == \
        ("tool", "bgp_neighbors", [near], [near, far]), r


@pytest.mark.parametrize("question, host, names", [
    ("is eth-r2 disabled on r1?", "r1", ["eth-r2"]),
    ("is eth-r2 on r1 shut down?", "r1", ["eth-r2"]),
    ("is interface eth-r1 on r3 still shutdown?", "r3", ["eth-r1"]),
    ("is r1 eth-r3 admin down?", "r1", ["eth-r3"]),
    ("is eth-r3 on r2 enabled?", "r2", ["eth-r3"]),
])
def test_an_interface_named_is_its_admin_and_oper_state(question, host, names):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_names"), r.args.get("_filter")) == \
        ("tool", "interfaces", [host], names, None), r


@pytest.mark.parametrize("question", [
    "shut down neighbor 198.51.100.2 on r1", "disable eth-r2 on r1", "please shut eth-r2 on r1",
    "what happens if I shut neighbor 198.51.100.2 on r1?", "is it safe to shut down neighbor 198.51.100.2 on r1?",
    "is neighbor 198.51.100.2 up on r1? if so shut it down", "is it ok to disable eth-r2 on r1?",
    "are we ok to shut eth-r2 on r1?",
])
def test_requests_and_questions_about_the_change_are_not_the_state_read(question):
    assert effect_state(question) is None
    r, _ = route_named(question, HOSTS)
    assert r.kind != "tool", r


@pytest.mark.parametrize("question", ["is bgp up on r1?", "is r1 up?", "is the lab up?", "why is a neighbor shut down?",
                                      "what does admin down mean for a bgp neighbor?", "is ospf nbr 203.0.113.2 up?",
                                      "are any interfaces down on r1?", "are all bgp sessions up on r2?"])
def test_no_peer_or_interface_asked_is_not_the_predicate(question):
    assert effect_state(question) is None


def test_the_effect35_set_misses_nothing_and_is_safe():
    res = bench.run(Path(__file__).parent / "data" / "state_phrasings_effect35.yaml")
    assert res["unsafe"] == 0 and res["read_failed"] == 0
    assert [r["text"] for r in res["results"] if not r["ok"]] == []


@pytest.mark.parametrize("question, getter", [("are any interfaces down on r1?", "interfaces"),
                                              ("are any bgp sessions down on r2?", "bgp_neighbors")])
def test_a_quantified_question_keeps_its_state_filter(question, getter):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("_filter")) == ("tool", getter, "down"), r
