""""Which prefixes does r1 advertise to r2?": the question shapes, the offline answer, the read
before the model speaks and the model's own get_state call, over FRR 8.4 output captured in the
lab (tests/fixtures/devices/frr/peer-routes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.agent.events import ToolStartEvent
from netops.agent.grounding import DEVICE, OWN_FINDINGS, plan
from netops.agent.router import route
from netops.devices.transport import command_slug
from netops.testing.ollama_server import say, tool_call
from netops.testing.transport import FakeTransport

PEER = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "peer-routes"
HOSTS = ["r1", "r2", "r3"]


def captured(state: str) -> dict[str, str]:
    return {f.stem: f.read_text() for f in (PEER / state).glob("*.txt")}


def advertised_by_r1_to_r2() -> list[str]:
    """What the capture itself lists (read without netops's parser)."""
    doc = json.loads(captured("r1")[command_slug("show bgp ipv4 unicast neighbors 198.51.100.2 advertised-routes json")])
    return list(doc["advertisedRoutes"])


@pytest.fixture
def fake_transport():
    return FakeTransport(outputs={"r1": captured("r1"), "r2": captured("r2-softreconf"), "r3": captured("r3")})


@pytest.mark.parametrize("question, getter, host, peer", [
    ("which prefixes does r1 advertise to r2", "bgp_advertised", "r1", "r2"),
    ("Which prefixes does r1 advertise to r2?", "bgp_advertised", "r1", "r2"),
    ("what is r1 sending r2?", "bgp_advertised", "r1", "r2"),
    ("what does r3 announce to r1", "bgp_advertised", "r3", "r1"),
    ("routes r2 receives from r3", "bgp_received", "r2", "r3"),
    ("what routes is r2 getting from r3?", "bgp_received", "r2", "r3"),
    ("which prefixes does r2 learn from r3", "bgp_received", "r2", "r3"),
    ("show me the routes advertised by r1 to r2", "bgp_advertised", "r1", "r2"),
    ("list the prefixes received by r2 from r3", "bgp_received", "r2", "r3"),
    ("r1 isn't sending r2 anything, why?", "bgp_advertised", "r1", "r2"),
    ("what does r1 send to 198.51.100.2", "bgp_advertised", "r1", "198.51.100.2"),
    ("how many prefixes does r1 receive from r3", "bgp_received", "r1", "r3"),
    ("why isn't r1 advertising anything to r2?", "bgp_advertised", "r1", "r2"),
])
def test_peer_route_questions_go_to_the_peer_getters(question, getter, host, peer):
    r = route(question, HOSTS)
    assert (r.kind, r.tool, r.intent) == ("tool", "get_state", getter), (question, r)
    assert r.args["hosts"] == [host] and r.args["getter"] == getter and r.args["peer"] == peer
    # the read done before a model speaks is the same one
    kind, args = plan(r)
    assert kind == DEVICE and args["getter"] == getter and args["peer"] == peer


def test_a_prefix_in_the_question_is_kept_to_answer_about_it():
    r = route("does r1 advertise 203.0.113.0/24 to r2?", HOSTS)
    assert r.args["getter"] == "bgp_advertised" and r.args["peer"] == "r2" and r.args["_prefixes"] == ["203.0.113.0/24"]


@pytest.mark.parametrize("question, tool, getter", [
    ("what routes does r1 have", None, None),                                # the routing table, not a peer's
    ("bgp neighbours on r1", "get_state", "bgp_neighbors"),
    ("how many prefixes does r1 receive from its peers", None, None),
    # (who sends r2 a prefix: r2's routes from every peer, test_peer_routes_between)
    ("where does r2 learn 203.0.113.3/32 from, r3 or r1?", "diagnose_route", None),
    ("advertise 203.0.113.0/24 from r1 to r2", None, None),                  # a request, not a question
    ("how does r1 get to 203.0.113.3", None, None),
    ("can r1 send traffic to r2?", None, None),
])
def test_other_questions_keep_their_route(question, tool, getter):
    r = route(question, HOSTS)
    assert r.args.get("getter") not in ("bgp_advertised", "bgp_received"), (question, r)
    if tool:
        assert r.tool == tool, (question, r)
    if getter:
        assert r.args["getter"] == getter, (question, r)


def test_offline_answer_lists_what_r1_advertises_to_r2(make_assistant, fake_transport):
    answer = make_assistant().ask("which prefixes does r1 advertise to r2?", offline=True)
    assert answer.mode == "offline" and "intent: bgp_advertised on r1" in answer.text
    expected = advertised_by_r1_to_r2()
    assert f"routes advertised to r2 (198.51.100.2), ipv4-unicast: {len(expected)} prefixes" in answer.text
    for prefix in expected:
        assert f"- {prefix}" in answer.text
    assert "- 203.0.113.128/25: next hop 0.0.0.0 (this router), AS path 65003, origin IGP" in answer.text
    assert "- 203.0.113.1/32: next hop 0.0.0.0 (this router), AS path empty (originated in this AS)" in answer.text
    assert any(c.startswith("r1: show bgp summary json") and "advertised-routes json" in c for c in answer.citations)
    assert [c.tool for c in answer.tool_calls] == ["get_state"]
    assert all(c.startswith("show ") for _, c in fake_transport.sent)


def test_offline_received_answer_shows_what_policy_dropped(make_assistant):
    answer = make_assistant().ask("routes r2 receives from r3", offline=True)
    assert "routes accepted from r3 (198.51.100.6), ipv4-unicast: 3 prefixes" in answer.text
    assert "sent by the peer before inbound policy: 4 prefixes; not accepted: 203.0.113.2/32" in answer.text


def test_offline_answer_about_a_named_prefix(make_assistant):
    answer = make_assistant().ask("does r1 advertise 203.0.113.0/24 to r2?", offline=True)
    inside = sorted(p for p in advertised_by_r1_to_r2() if p != "203.0.113.0/24")
    assert "203.0.113.0/24: not advertised to 198.51.100.2 as such; inside it: " in answer.text
    assert all(p in answer.text.split("inside it: ")[1] for p in inside)


def test_the_model_gets_the_routes_read_first_and_netops_keeps_its_facts(scripted, make_assistant):
    scripted.push(say("r1 advertises nothing to r2 because the session is down."))
    events = list(make_assistant().events("which prefixes does r1 advertise to r2?"))
    assert [e.tool for e in events if isinstance(e, ToolStartEvent)] == ["get_state"]
    sent = scripted.requests[0].messages[-1]["content"]
    assert "BGP routes advertised to one peer of r1" in sent
    assert all(p in sent for p in advertised_by_r1_to_r2())
    answer = events[-1].answer
    assert answer.text.startswith(f"**{OWN_FINDINGS}:**") and "203.0.113.128/25" in answer.text


def test_the_model_can_ask_for_the_routes_itself(scripted, make_assistant):
    scripted.push(tool_call("get_state", hosts=["r2"], getter="bgp_received", peer="r3"),
                  say("r2 accepted three prefixes from r3."))
    answer = make_assistant().ask("please look at r2")
    result = scripted.requests[1].tool_results()[0]
    assert '"direction": "received"' in result and '"peer": "198.51.100.6"' in result
    assert any(c.tool == "get_state" and c.ok for c in answer.tool_calls)


def test_the_model_must_name_the_peer(scripted, make_assistant):
    scripted.push(tool_call("get_state", hosts=["r1"], getter="bgp_advertised"), say("done"))
    answer = make_assistant().ask("please look at r1")
    call = next(c for c in answer.tool_calls if c.tool == "get_state")
    assert not call.ok and "needs peer" in call.error


def test_the_chat_state_command_takes_a_peer():
    from netops.tui.commands import tool_call_for

    assert tool_call_for("/state", ["r1", "advertised", "r2"]) == (
        "get_state", {"hosts": ["r1"], "getter": "bgp_advertised", "peer": "r2"})
    assert tool_call_for("/state", ["r2", "bgp_received", "198.51.100.6"])[1]["peer"] == "198.51.100.6"
    assert tool_call_for("/state", ["r2", "route", "203.0.113.1"])[1] == {
        "hosts": ["r2"], "getter": "route", "prefix": "203.0.113.1"}


@pytest.mark.parametrize("question, getter, vrf", [
    ("which prefixes does r1 advertise to r2 in vrf CUST-A?", "bgp_advertised", "CUST-A"),
    ("what routes does r2 receive from r3 in the CUST-A vrf", "bgp_received", "CUST-A"),
    ("routes r2 receives from r3, vrf: blue", "bgp_received", "blue"),
    ("bgp neighbours of r1 in vrf CUST-A", "bgp_neighbors", "CUST-A"),
    ("which prefixes does r1 advertise to r2", "bgp_advertised", None),
    ("which vrf is r1 advertising to r2 in", "bgp_advertised", None),  # asks which; names none
])
def test_a_worded_vrf_goes_with_the_read(question, getter, vrf):
    r = route(question, HOSTS)
    assert r.args["getter"] == getter, (question, r)
    assert r.args.get("vrf") == vrf
    if vrf:
        kind, args = plan(r)
        assert kind == DEVICE and args["vrf"] == vrf


def test_the_chat_state_command_takes_a_vrf():
    from netops.tui.commands import tool_call_for

    assert tool_call_for("/state", ["r1", "advertised", "r2", "vrf", "CUST-A"]) == (
        "get_state", {"hosts": ["r1"], "getter": "bgp_advertised", "peer": "r2", "vrf": "CUST-A"})
    assert tool_call_for("/state", ["r1", "bgp", "--vrf", "CUST-A"])[1] == {
        "hosts": ["r1"], "getter": "bgp_neighbors", "vrf": "CUST-A"}


def test_offline_answer_in_a_vrf_reads_the_vrf(make_assistant, fake_transport):
    answer = make_assistant().ask("which prefixes does r1 advertise to 198.51.100.2 in vrf CUST-A?", offline=True)
    sent = [c for h, c in fake_transport.sent if h == "r1"]
    assert "show bgp vrf CUST-A ipv4 unicast neighbors 198.51.100.2 advertised-routes json" in sent
    assert not any(c == "show bgp ipv4 unicast neighbors 198.51.100.2 advertised-routes json" for c in sent)
    call = next(c for c in answer.tool_calls if c.tool == "get_state")
    assert call.args.get("vrf") == "CUST-A"


def test_the_model_can_ask_for_a_vrf(scripted, make_assistant, fake_transport):
    scripted.push(tool_call("get_state", hosts=["r1"], getter="bgp_neighbors", vrf="CUST-A"), say("none there."))
    make_assistant().ask("please look at r1")
    result = scripted.requests[1].tool_results()[0]
    assert "no BGP sessions in VRF CUST-A" in result
