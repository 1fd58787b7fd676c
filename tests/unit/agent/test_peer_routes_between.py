"""Routes between two routers, and who sends a router a prefix (the user trial of 2026-12-03):
"what routes go from r1 to r3?" read r1's and r3's default route; it asks what r1 advertises to r3.
"what's r1 telling r2 about?" matched nothing. "who is sending P to r1?" matched nothing and "which
peer gives r1 P?" read r1's session list: each asks which of r1's peers sends it P, which r1's
routes received from every peer (``peer="all"``) answer, the prefix picked from them. A route
lookup ("the route from r1 to 203.0.113.3") and a question with no receiver ("who advertises P?",
the route diagnosis) keep their reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.grounding import DEVICE, plan
from netops.agent.router import route
from netops.testing.transport import FakeTransport

PEER = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "peer-routes"
HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, getter, host, peer", [
    ("what routes go from r1 to r3?", "bgp_advertised", "r1", "r3"),
    ("which routes flow from r2 to r1", "bgp_advertised", "r2", "r1"),
    ("what prefixes pass from r3 to r2?", "bgp_advertised", "r3", "r2"),
    ("what's r1 telling r2 about?", "bgp_advertised", "r1", "r2"),
    ("what is r3 passing on to r2?", "bgp_advertised", "r3", "r2"),
    ("what is r1 giving r3?", "bgp_advertised", "r1", "r3"),
    ("what is r1 sending r3?", "bgp_advertised", "r1", "r3"),
])
def test_routes_from_one_router_to_another_are_what_it_advertises(question, getter, host, peer):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("peer")) == \
        ("tool", getter, [host], peer), (question, r)


@pytest.mark.parametrize("question, host, prefix", [
    ("who is sending 203.0.113.0/24 to r1?", "r1", "203.0.113.0/24"),
    ("which peer gives r1 203.0.113.0/24?", "r1", "203.0.113.0/24"),
    ("who's advertising 203.0.113.128/25 to r2?", "r2", "203.0.113.128/25"),
    ("which neighbor is r1 learning 203.0.113.3/32 from?", "r1", "203.0.113.3/32"),
    ("which peer does r2 get 203.0.113.1/32 from", "r2", "203.0.113.1/32"),
    ("who advertises 203.0.113.0/24 to r2?", "r2", "203.0.113.0/24"),
    ("which peer sends r2 203.0.113.0/24?", "r2", "203.0.113.0/24"),
])
def test_who_sends_a_router_a_prefix_reads_what_it_receives_from_every_peer(question, host, prefix):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("peer")) == \
        ("tool", "bgp_received", [host], "all"), (question, r)
    assert r.args.get("_prefixes") == [prefix]
    kind, args = plan(r)  # the read before a model speaks is the same
    assert kind == DEVICE and args["getter"] == "bgp_received" and args["peer"] == "all"


@pytest.mark.parametrize("question, tool, getter", [
    ("what is the route from r1 to 203.0.113.3?", "get_state", "route"),
    ("show the routing table on r2", "get_state", "routes"),
    ("who advertises 203.0.113.0/24?", "get_state", "route"),          # no receiver: every router's route
    ("where does r2 learn 203.0.113.3/32 from, r3 or r1?", "diagnose_route", None),
    ("can r1 send traffic to r3?", None, None),
    ("how does traffic go from r1 to r3?", None, None),
    ("advertise 203.0.113.0/24 from r1 to r2", None, None),             # a request
])
def test_other_route_questions_keep_their_read(question, tool, getter):
    r = route(question, HOSTS)
    assert r.args.get("getter") not in ("bgp_advertised", "bgp_received"), (question, r)
    if tool:
        assert r.tool == tool, (question, r)
    if getter:
        assert r.args.get("getter") == getter, (question, r)


@pytest.fixture
def fake_transport():
    def captured(state):
        return {f.stem: f.read_text() for f in (PEER / state).glob("*.txt")}

    return FakeTransport(outputs={"r1": captured("r1"), "r2": captured("r2-softreconf"), "r3": captured("r3")})


def test_offline_who_sends_r2_a_prefix_names_the_peers_that_do(make_assistant):
    answer = make_assistant().ask("who is sending 203.0.113.128/25 to r2?", offline=True)
    assert "intent: bgp_received on r2" in answer.text, answer.text
    assert "203.0.113.128/25" in answer.text
    assert [c.args.get("peer") for c in answer.tool_calls if c.tool == "get_state"] == ["all"]
