""""What is r1 advertising?" with no peer named: the routes sent to (or taken from) every BGP peer
of the router, one read per established session, over FRR 8.4 output captured in the lab
(tests/fixtures/devices/frr/peer-routes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.agent.events import ToolStartEvent
from netops.agent.grounding import DEVICE, plan
from netops.agent.router import route
from netops.devices.transport import command_slug
from netops.testing.ollama_server import say, tool_call
from netops.testing.transport import FakeTransport

PEER = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "peer-routes"
HOSTS = ["r1", "r2", "r3"]


def captured(state: str) -> dict[str, str]:
    return {f.stem: f.read_text() for f in (PEER / state).glob("*.txt")}


def advertised(state: str, peer: str) -> list[str]:
    """What the capture itself lists (read without netops's parser)."""
    doc = json.loads(captured(state)[command_slug(f"show bgp ipv4 unicast neighbors {peer} advertised-routes json")])
    return list(doc["advertisedRoutes"])


@pytest.fixture
def fake_transport():
    return FakeTransport(outputs={"r1": captured("r1"), "r2": captured("r2-shut"), "r3": captured("r3")})


@pytest.mark.parametrize("question, getter, host", [
    ("what is r3 advertising?", "bgp_advertised", "r3"),
    ("what does r1 announce?", "bgp_advertised", "r1"),
    ("which prefixes does r1 advertise?", "bgp_advertised", "r1"),
    ("which routes does r2 advertise to its neighbours?", "bgp_advertised", "r2"),
    ("what is r3 advertising to all its peers?", "bgp_advertised", "r3"),
    ("is r3 advertising 10.0.0.0/8 to anyone?", "bgp_advertised", "r3"),
    ("is r1 sending 203.0.113.1/32 to any peer?", "bgp_advertised", "r1"),
    ("which prefixes is r2 announcing to its bgp peers", "bgp_advertised", "r2"),
    ("what does r2 learn from its peers?", "bgp_received", "r2"),
    ("which routes is r3 accepting from its neighbors?", "bgp_received", "r3"),
])
def test_no_peer_named_reads_every_peer(question, getter, host):
    r = route(question, HOSTS)
    assert (r.kind, r.tool, r.intent) == ("tool", "get_state", getter), (question, r)
    assert r.args["hosts"] == [host] and r.args["peer"] == "all", (question, r)
    kind, args = plan(r)
    assert kind == DEVICE and args["peer"] == "all"


@pytest.mark.parametrize("question", [
    "advertise 203.0.113.0/24 from r1",            # a request, not a question
    "what does r3 advertise in ospf?",             # OSPF's LSAs, not BGP's routes
    "which LSAs is r2 advertising?",
    "is r1 sending traffic?",
    "what routes does r1 have",
    "how many prefixes does r1 receive from its peers",   # the neighbour summary counts them
    "what is r1 advertising to r9?",               # a peer named, not in the inventory: not every peer
    "which routes does r2 learn from core7?",
    "what is r1 advertising to its bgp peer r9?",
])
def test_other_advertising_questions_do_not_read_bgp_peers(question):
    r = route(question, HOSTS)
    assert not (r.args.get("getter") in ("bgp_advertised", "bgp_received") and r.args.get("peer") == "all"), \
        (question, r)


def test_offline_answer_lists_what_r1_advertises_to_each_peer(make_assistant, fake_transport):
    answer = make_assistant().ask("what is r1 advertising?", offline=True)
    assert answer.mode == "offline" and "intent: bgp_advertised on r1" in answer.text, answer.text
    for peer, name in (("198.51.100.2", "r2"), ("198.51.100.10", "r3")):
        expected = advertised("r1", peer)
        assert f"routes advertised to {name} ({peer}), ipv4-unicast: {len(expected)} prefixes" in answer.text
        assert all(f"- {p}" in answer.text for p in expected)
    sent = [c for h, c in fake_transport.sent if h == "r1"]
    assert "show bgp ipv4 unicast neighbors 198.51.100.2 advertised-routes json" in sent
    assert "show bgp ipv4 unicast neighbors 198.51.100.10 advertised-routes json" in sent
    assert all(c.startswith("show ") for _, c in fake_transport.sent)


def test_a_prefix_named_is_answered_across_the_peers(make_assistant, fake_transport):
    answer = make_assistant().ask("is r1 advertising 203.0.113.128/25 to anyone?", offline=True)
    assert "203.0.113.128/25: advertised to 2 of 2 peers: r2 (198.51.100.2), r3 (198.51.100.10)" in answer.text, \
        answer.text
    answer = make_assistant().ask("is r1 advertising 10.0.0.0/8 to anyone?", offline=True)
    assert "10.0.0.0/8: not advertised to any of its 2 peers" in answer.text, answer.text


def test_a_session_that_is_down_is_said_and_not_read(make_assistant, fake_transport):
    answer = make_assistant().ask("what is r2 advertising?", offline=True)
    assert "the BGP session with 198.51.100.1 is Idle (Admin) (shut down by configuration)" in answer.text, \
        answer.text
    # the capture holds no advertised-routes for r3: that one read fails, and says so, the rest stands
    assert "could not read the routes advertised to r3 (198.51.100.6)" in answer.text, answer.text
    sent = [c for h, c in fake_transport.sent if h == "r2"]
    assert "show bgp ipv4 unicast neighbors 198.51.100.1 advertised-routes json" not in sent
    assert "show bgp ipv4 unicast neighbors 198.51.100.6 advertised-routes json" in sent


def test_the_model_gets_every_peer_read_first(scripted, make_assistant, fake_transport):
    scripted.push(say("r1 advertises four prefixes to each peer."))
    events = list(make_assistant().events("what is r1 advertising?"))
    assert [e.tool for e in events if isinstance(e, ToolStartEvent)] == ["get_state"]
    sent = scripted.requests[0].messages[-1]["content"]
    assert "BGP routes advertised to each peer of r1" in sent
    assert "198.51.100.2" in sent and "198.51.100.10" in sent


def test_the_model_may_ask_for_every_peer(scripted, make_assistant, fake_transport):
    scripted.push(tool_call("get_state", hosts=["r1"], getter="bgp_advertised", peer="all"), say("done"))
    answer = make_assistant().ask("please look at r1")
    call = next(c for c in answer.tool_calls if c.tool == "get_state")
    assert call.ok, call.error
    result = scripted.requests[1].tool_results()[0]
    assert '"peer": "198.51.100.2"' in result and '"peer": "198.51.100.10"' in result


def test_the_getter_takes_all_and_still_refuses_no_peer(agent_settings, fake_transport):
    from netops.devices.service import DeviceService
    from netops.errors import InputError

    svc = DeviceService(agent_settings, transport_factory=fake_transport)
    r = svc.get("r1", "bgp_advertised", peer="all")["r1"]
    assert r.ok, r.error
    assert [p.peer for p in r.data.peers] == ["198.51.100.2", "198.51.100.10"]
    assert all(p.direction == "advertised" and p.routes for p in r.data.peers)
    with pytest.raises(InputError, match="needs a peer"):
        svc.get("r1", "bgp_advertised")


def test_the_prefix_asked_about_reaches_the_model_before_the_lists(scripted, make_assistant, fake_transport):
    scripted.push(say("No."))
    list(make_assistant().events("is r1 advertising 10.0.0.0/8 to anyone?"))
    sent = scripted.requests[0].messages[-1]["content"]
    assert "10.0.0.0/8: not advertised to any of its 2 peers" in sent
    assert sent.index("10.0.0.0/8: not advertised") < sent.index("routes advertised to r2")


def test_a_long_source_is_cut_between_lines_and_says_so():
    from netops.agent.grounding import clip_lines

    text = "\n".join(f"- 203.0.113.{i}/32: next hop 198.51.100.2, AS path 65002, origin IGP" for i in range(60))
    cut = clip_lines(text, 700)
    assert len(cut) <= 700
    kept, tail = cut.rsplit("\n\n", 1)
    assert all(line in text.splitlines() for line in kept.splitlines())  # whole lines only
    assert tail == f"… ({60 - len(kept.splitlines())} more lines not shown)"
    assert clip_lines("short", 700) == "short"


def test_a_device_with_many_peers_is_read_for_the_first_few_and_says_so(agent_settings, fake_transport, monkeypatch):
    from netops.devices import peer_routes
    from netops.devices.service import DeviceService

    monkeypatch.setattr(peer_routes, "MAX_PEERS", 1)
    svc = DeviceService(agent_settings, transport_factory=fake_transport)
    r = svc.get("r1", "bgp_advertised", peer="all")["r1"]
    assert [p.peer for p in r.data.peers] == ["198.51.100.2"]
    assert r.data.note == "r1 has 2 BGP sessions; the first 1 (IPv4 sessions first, by address) were read: name a peer to read another"
    sent = [c for h, c in fake_transport.sent if h == "r1"]
    assert not any("198.51.100.10 advertised-routes" in c for c in sent)


def test_a_dual_stack_peer_whose_other_family_failed_still_counts_where_it_was_read(agent_settings):
    """r2 carries ipv4 and ipv6 unicast on one session; its ipv6 read fails. The ipv4 prefix r1
    sends r2 is still said to go to r2 (it said 'to 1 of 3 peers: r3'), and peers are counted
    once each, not once per family."""
    from netops.devices import peer_routes
    from netops.devices.service import DeviceService

    outputs = captured("r1")
    key = command_slug("show bgp summary json")  # the default VRF's families
    doc = json.loads(outputs[key])
    v6 = json.loads(json.dumps(doc["ipv4Unicast"]))
    v6["peers"] = {"198.51.100.2": v6["peers"]["198.51.100.2"]}
    doc["ipv6Unicast"] = v6
    outputs[key] = json.dumps(doc)
    outputs.pop(command_slug("show bgp ipv6 unicast neighbors 198.51.100.2 advertised-routes json"), None)
    svc = DeviceService(agent_settings, transport_factory=FakeTransport(outputs={"r1": outputs}))
    r = svc.get("r1", "bgp_advertised", peer="all")["r1"]
    assert r.ok, r.error
    assert [(p.peer, p.afi_safi) for p in r.data.peers] == [
        ("198.51.100.2", "ipv4-unicast"), ("198.51.100.10", "ipv4-unicast"), ("198.51.100.2", "ipv6-unicast")]
    assert "could not read" in (r.data.peers[2].note or "")
    said = peer_routes.describe(r.data, ["203.0.113.128/25"])
    assert said.splitlines()[0] == \
        "203.0.113.128/25: advertised to 2 of 2 peers: r2 (198.51.100.2), r3 (198.51.100.10)", said


@pytest.mark.parametrize("question, name", [
    ("what is r9 advertising?", "r9"),
    ("which prefixes does r9 advertise?", "r9"),
    ("what does r9 announce to r1?", "r9"),
    ("is core-sw1 sending 10.0.0.0/8 to anyone?", "core-sw1"),
    ("routes advertised by r9", "r9"),
])
def test_an_unknown_router_asked_about_is_named(question, name):
    r = route(question, HOSTS)
    assert r.kind == "unknown" and f"no device named '{name}' in the inventory" in r.reason, (question, r)


@pytest.mark.parametrize("question", [
    "what is the advertised window in TCP?",
    "what does OSPFv2 advertise in a router LSA?",
    "is ipv6 advertised by default?",
])
def test_no_device_is_made_up_from_other_words(question):
    r = route(question, HOSTS)
    assert not r.reason.startswith("no device named"), (question, r)


def test_bgp_not_running_is_said_as_the_device_says_it(agent_settings):
    from netops.devices.service import DeviceService

    off = FakeTransport(outputs={"r1": {"show bgp summary json": "% BGP instance not found\n",
                                        "show bgp vrf all summary json": "% BGP instance not found\n"}})
    r = DeviceService(agent_settings, transport_factory=off).get("r1", "bgp_advertised", peer="all")["r1"]
    assert r.ok and r.data.peers == [] and "BGP" in r.data.note and "not" in r.data.note, r.data
    assert "has no BGP peers" not in r.data.note


def test_a_peer_from_device_output_that_is_no_address_never_goes_into_a_command(agent_settings):
    from netops.devices.service import DeviceService

    summary = json.loads(captured("r1")[command_slug("show bgp summary json")])
    peers = summary["ipv4Unicast"]["peers"]
    peers["198.51.100.2 advertised-routes json; show run"] = peers.pop("198.51.100.10")
    text = json.dumps(summary)
    fake = FakeTransport(outputs={"r1": {**captured("r1"), command_slug("show bgp summary json"): text,
                                         "show bgp summary json": text}})
    r = DeviceService(agent_settings, transport_factory=fake).get("r1", "bgp_advertised", peer="all")["r1"]
    assert r.ok and [p.peer for p in r.data.peers] == ["198.51.100.2"], r.data
    assert "not read: 198.51.100.2 advertised-routes json; show run" in r.data.note
    assert not any("show run" in c for _, c in fake.sent)


@pytest.mark.parametrize("question, prefix", [
    ("does r1 advertise a default route?", "0.0.0.0/0"),
    ("is r2 sending the default route to its peers?", "0.0.0.0/0"),
    ("does r1 advertise a default route for ipv6?", "::/0"),
])
def test_a_default_route_asked_about_is_looked_for(question, prefix):
    r = route(question, HOSTS)
    assert r.args.get("peer") == "all" and r.args.get("_prefixes") == [prefix], (question, r)


def test_an_elliptical_question_naming_a_document_still_follows_the_one_before():
    from netops.agent.grounding import knowledge_query

    assert knowledge_query("and what does RFC 4271 say?", "what is the bgp hold timer?") == \
        "what is the bgp hold timer? and what does RFC 4271 say?"
    assert knowledge_query("what does RFC 4271 say the hold timer must be?", "what is r2 advertising?") == \
        "what does RFC 4271 say the hold timer must be?"


def test_two_peers_named_are_both_answered(make_assistant, fake_transport):
    r = route("what is r1 advertising to r2 and r3?", HOSTS)
    assert r.args["peer"] == "all" and r.args["_peers"] == ["r2", "r3"], r
    answer = make_assistant().ask("what is r1 advertising to r2 and r3?", offline=True)
    assert "routes advertised to r2 (198.51.100.2)" in answer.text and "routes advertised to r3 (198.51.100.10)" \
        in answer.text, answer.text


def test_of_two_peers_named_one_the_router_lacks_is_said(agent_settings, fake_transport):
    from netops.devices.peer_routes import describe
    from netops.devices.service import DeviceService

    data = DeviceService(agent_settings, transport_factory=fake_transport).get(
        "r3", "bgp_advertised", peer="all")["r3"].data
    text = describe(data, peers=["r1", "198.51.100.77"])
    assert "routes advertised to r1 (198.51.100.9)" in text and "routes advertised to r2" not in text, text
    assert text.startswith("no BGP session of this router answers to 198.51.100.77 (its peers: r2 (198.51.100.5), "
                           "r1 (198.51.100.9))"), text


def test_the_lines_left_out_are_counted_without_blank_ones():
    from netops.agent.grounding import clip_lines

    blocks = ["\n".join(f"- 203.0.113.{b * 10 + i}/32: next hop 198.51.100.2" for i in range(5)) for b in range(6)]
    text = "\n\n".join(blocks)
    cut = clip_lines(text, 300)
    kept = [line for line in cut.rsplit("\n\n…", 1)[0].splitlines() if line.strip()]
    assert cut.endswith(f"… ({30 - len(kept)} more lines not shown)"), cut
