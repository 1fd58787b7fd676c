"""'is r1 receiving 203.0.113.3/32 from r3?' was the one unsafe case of the ``peers`` state phrasing set
(helper papercuts36, 2026-12-04): the route diagnosis claimed it (a prefix and "receiving") and read r2
and r3 as well as r1, ten reads where the question asks what one peer sends r1. A yes/no question that
names the peer is the peer's received routes on r1, narrowed to the prefix; a question why a route is
missing ("why is r1 not getting P from r3?") is still the diagnosis, and so is one with no peer."""

from __future__ import annotations

import pytest

from netops.agent.router import route_named
from tests._phrasings import bench, data

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, peer", [
    ("is r1 receiving 203.0.113.3/32 from r3?", "r3"),
    ("is r1 getting 203.0.113.3/32 from r3?", "r3"),
    ("is r1 learning 203.0.113.3/32 from 198.51.100.10?", "198.51.100.10"),
    ("is r1 receiving 203.0.113.3/32 from the router r3?", "r3"),
])
def test_a_prefix_from_a_named_peer_is_that_peers_received_routes(question, peer):
    r, _ = route_named(question, HOSTS)
    assert (r.tool, r.args.get("hosts"), r.args.get("getter"), r.args.get("peer"), r.args.get("_prefixes")) == \
        ("get_state", ["r1"], "bgp_received", peer, ["203.0.113.3/32"]), r


def test_the_case_two_route_tests_kept_as_a_diagnosis_is_the_peers_read_too():
    """test_peer_routes_intent / test_peer_routes_between listed "is r2 receiving 203.0.113.0/24 from r3?"
    among the questions that keep the diagnosis; the blind peers set expects r3's routes to r2, and the
    diagnosis read r1 as well, which the words do not name. Moved here."""
    r, _ = route_named("is r2 receiving 203.0.113.0/24 from r3?", HOSTS)
    assert (r.tool, r.args.get("hosts"), r.args.get("getter"), r.args.get("peer"), r.args.get("_prefixes")) == \
        ("get_state", ["r2"], "bgp_received", "r3", ["203.0.113.0/24"]), r


@pytest.mark.parametrize("question", ["is r1 learning 203.0.113.3/32?", "why is r1 not getting 203.0.113.3/32 from r3?",
                                      "r1 isnt getting 203.0.113.3/32 from r3, whats going on",
                                      "is r1 seeing 203.0.113.3/32 from r3?"])
def test_a_missing_route_or_no_peer_is_still_the_diagnosis(question):
    r, _ = route_named(question, HOSTS)
    assert (r.tool, r.args.get("host")) == ("diagnose_route", "r1"), r


def test_the_peers_set_has_no_unsafe_case():
    res = bench.run(data("peers"))
    assert res["unsafe"] == 0, [r["text"] for r in res["results"] if r.get("safety") == "UNSAFE"]
