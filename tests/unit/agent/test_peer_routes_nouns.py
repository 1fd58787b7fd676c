"""Peer routes asked as nouns or CLI words ("r2 advertised-routes to r3", "adj-rib-in on r1 from
r2") read the peer getters, and a route announcement asked for ("announce r2's loopback to r1")
is a change, not a read. The blind peers set (state_phrasings_peers.yaml) found both classes:
the noun forms read the whole routing table of both routers, the announcement read interfaces.
These phrasings were written for this test, apart from that set."""

from __future__ import annotations

import pytest

from netops.agent.router import route

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, getter, host, peer", [
    ("r2 advertised-routes to r3", "bgp_advertised", "r2", "r3"),
    ("show advertised routes r2 -> r1", "bgp_advertised", "r2", "r1"),
    ("advertised prefixes of r3 towards r1", "bgp_advertised", "r3", "r1"),
    ("adj-rib-out r3 to r2", "bgp_advertised", "r3", "r2"),
    ("received routes on r2 from r3", "bgp_received", "r2", "r3"),
    ("r1 rx routes from r2", "bgp_received", "r1", "r2"),
    ("adj-rib-in of r2 from r1", "bgp_received", "r2", "r1"),
    ("r1 received-routes from 198.51.100.2", "bgp_received", "r1", "198.51.100.2"),
    ("learned routes r3 from r2?", "bgp_received", "r3", "r2"),
])
def test_noun_forms_read_the_peer_getters(question, getter, host, peer):
    r = route(question, HOSTS)
    assert (r.kind, r.intent) == ("tool", getter), (question, r)
    assert r.args["hosts"] == [host] and r.args["peer"] == peer, (question, r)


@pytest.mark.parametrize("question", [
    "announce r2's loopback to r1",
    "advertise 10.0.0.0/8 from r1 to r3",
    "please originate 203.0.113.0/24 on r3",
    "stop advertising 203.0.113.128/25 to r2 on r3",
    "withdraw 203.0.113.3/32 from r3",
])
def test_an_announcement_asked_for_is_a_change(question):
    r = route(question, HOSTS)
    assert r.kind == "change", (question, r)


@pytest.mark.parametrize("question, kind", [
    ("what routes does r1 have", "tool"),          # the routing table
    ("what does r2 advertise to r3?", "tool"),     # a question, as before
    ("how does BGP announce a withdrawn route?", "spec"),
])
def test_questions_stay_questions(question, kind):
    r = route(question, HOSTS)
    assert r.kind == kind, (question, r)


@pytest.mark.parametrize("question, hosts, peer", [
    ("what are r1 and r3 advertising to r2?", ["r1", "r3"], "r2"),
    ("which prefixes do r2 and r3 send r1?", ["r2", "r3"], "r1"),
    ("what is r1 advertising to r2?", ["r1"], "r2"),
])
def test_two_speakers_and_one_peer_read_both(question, hosts, peer):
    r = route(question, HOSTS)
    assert r.args.get("hosts") == hosts and r.args.get("peer") == peer, (question, r)


@pytest.mark.parametrize("question, host, peer", [
    ("routes sent to r3 by r2", "r2", "r3"),
    ("is 203.0.113.3/32 advertised to r2 by r1?", "r1", "r2"),
])
def test_the_speaker_after_by_comes_last(question, host, peer):
    r = route(question, HOSTS)
    assert r.args.get("hosts") == [host] and r.args.get("peer") == peer, (question, r)


def test_ospf_words_keep_it_off_the_bgp_getters():
    r = route("how many LSAs does r2 send to r3?", HOSTS)
    assert r.args.get("getter") not in ("bgp_advertised", "bgp_received"), r
