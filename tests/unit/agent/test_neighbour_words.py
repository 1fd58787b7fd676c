"""Sessions, adjacencies and links named by what is at their ends (reported 2026-12-02 night, as
classes; the phrasings here are not those of ``data/state_phrasings_gaps2.yaml``). Each test failed
before its fix:

- a session named only by its peer's address ("is my session with X established?", no "bgp" or
  "peer") reads the BGP sessions of the routers that have X as a neighbour, like "the bgp peer at X";
- an OSPF neighbour named by its address (a link address, or a router id) reads the OSPF neighbours
  of the routers that face it, narrowed to it;
- the link between two routers shows each router's interface towards the other one, not all of them.
"""

from __future__ import annotations

import pytest

from netops.agent.device_refs import DeviceIndex
from netops.agent.router import route, route_named
from netops.devices.inventory import load_inventory
from tests.unit.agent.test_state_words import HOSTS, INVENTORY


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_PW", "x")
    path = tmp_path / "inventory.yaml"
    path.write_text(INVENTORY)
    return DeviceIndex.from_inventory(load_inventory(path))


def _peer_read(question, index):
    r, notes = route_named(question, HOSTS, index)
    return r.kind, r.args.get("getter"), r.args.get("hosts"), notes


# -- a session named by its peer's address ----------------------------------------------------

@pytest.mark.parametrize("question, host, peer", [("is my session with 198.51.100.6 established", "r2", "198.51.100.6"),
                                                  ("peering to 198.51.100.1 - what state?", "r2", "198.51.100.1"),
                                                  ("has the session towards 198.51.100.9 dropped?", "r3", "198.51.100.9")])
def test_a_session_named_by_its_peer_address_reads_that_bgp_session(index, question, host, peer):
    kind, getter, hosts, notes = _peer_read(question, index)
    assert (kind, getter, hosts) == ("tool", "bgp_neighbors", [host])
    assert route_named(question, HOSTS, index)[0].args["_peer_address"] == peer and notes


@pytest.mark.parametrize("question", ["is my session with 198.51.100.77 established",   # no router faces it
                                      "is my ssh session to 198.51.100.2 still open",   # not a routing session
                                      "what is a session in bgp",
                                      "reset the session with 198.51.100.2"])
def test_a_session_word_alone_reads_no_bgp_session_it_cannot_place(index, question):
    r, _ = route_named(question, HOSTS, index)
    assert not (r.kind == "tool" and r.args.get("getter") == "bgp_neighbors"), r


# -- an OSPF neighbour named by its address ----------------------------------------------------

@pytest.mark.parametrize("question, hosts, neighbour", [
    ("is the ospf neighbor 198.51.100.9 full", ["r3"], "198.51.100.9"),
    ("ospf adjacency towards 198.51.100.1 - stuck?", ["r2"], "198.51.100.1"),
    ("is ospf nbr 203.0.113.2 up", ["r1", "r3"], "203.0.113.2"),  # r2's router id: the routers facing r2
])
def test_an_ospf_neighbour_named_by_address_reads_the_routers_facing_it(index, question, hosts, neighbour):
    r, notes = route_named(question, HOSTS, index)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts")) == ("tool", "ospf_neighbors", hosts)
    assert r.args["_neighbour"] == neighbour and notes


def test_an_ospf_neighbour_no_router_faces_is_looked_for_on_every_router(index):
    r, notes = route_named("is the ospf neighbour at 10.77.0.1 up?", HOSTS, index)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts")) == ("tool", "ospf_neighbors", HOSTS)
    assert r.args["_neighbour"] == "10.77.0.1" and notes


@pytest.mark.parametrize("question", ["what does an ospf neighbour in ExStart wait for",
                                      "show the ospf neighbours of 198.51.100.2"])  # r2's own neighbours
def test_an_ospf_question_that_names_no_far_end_is_not_narrowed(index, question):
    r, _ = route_named(question, HOSTS, index)
    assert "_neighbour" not in r.args


def test_offline_answer_for_an_ospf_neighbour_shows_that_adjacency(make_assistant, agent_settings):
    agent_settings.inventory.write_text(INVENTORY)
    answer = make_assistant().ask("is the ospf neighbour 198.51.100.2 full?", offline=True)
    assert [(c.args.get("getter"), c.args.get("hosts")) for c in answer.tool_calls] == [("ospf_neighbors", ["r1"])]
    assert "203.0.113.2 via eth-r2" in answer.text and "203.0.113.3" not in answer.text  # r1's other neighbour left out


# -- the link between two routers ---------------------------------------------------------------

@pytest.mark.parametrize("question, facing", [
    ("what's the state of the link between r1 and r2", {"r1": ["eth-r2"], "r2": ["eth-r1"]}),
    ("r3-r2 link status", {"r3": ["eth-r2"], "r2": ["eth-r3"]}),
    ("which interface on r3 goes to r1", {"r3": ["eth-r1"]}),
])
def test_the_link_between_two_routers_is_their_facing_interfaces(index, question, facing):
    r, _ = route_named(question, HOSTS, index)
    assert (r.args.get("getter"), sorted(r.args.get("hosts"))) == ("interfaces", sorted(facing))
    assert r.args.get("_facing") == facing


def test_interfaces_of_two_routers_are_not_a_link(index):
    r, _ = route_named("interfaces on r1 and r3", HOSTS, index)
    assert r.args.get("hosts") == ["r1", "r3"] and not r.args.get("_facing")


def test_without_the_inventory_s_addresses_a_link_shows_every_interface():
    r = route("the link between r1 and r2", HOSTS)
    assert r.args.get("hosts") == ["r1", "r2"] and not r.args.get("_facing")


def test_offline_answer_for_a_link_shows_the_facing_interfaces_only(make_assistant, agent_settings):
    agent_settings.inventory.write_text(INVENTORY)
    answer = make_assistant().ask("show me the link between r1 and r3", offline=True)
    assert [c.args.get("hosts") for c in answer.tool_calls] == [["r1", "r3"]]
    assert answer.text.count("- eth-r3:") == 1 and answer.text.count("- eth-r1:") == 1
    assert "- eth-r2:" not in answer.text and "- lo:" not in answer.text


def test_the_model_is_given_the_facing_interfaces_only(scripted, make_assistant, agent_settings):
    from netops.testing.ollama_server import say

    agent_settings.inventory.write_text(INVENTORY)
    scripted.push(say("eth-r3 on r1 and eth-r1 on r3 are up [1][2]."))
    make_assistant().ask("is the link between r1 and r3 up?")
    sent = scripted.requests[0].messages[-1]["content"]
    assert "- eth-r3:" in sent and "- eth-r1:" in sent and "- eth-r2:" not in sent, sent


# -- what is at the other end of one interface (lead, stop 36; "no known intent" before) -----------

@pytest.mark.parametrize("question, host, name, far", [
    ("who is connected to r1 eth-r2", "r1", "eth-r2", "r2 eth-r1"),
    ("what is on the other end of eth-r2 on r1?", "r1", "eth-r2", "r2 eth-r1"),
    ("where does eth-r2 on r1 go?", "r1", "eth-r2", "r2 eth-r1"),
    ("which router is behind r1 eth-r3", "r1", "eth-r3", "r3 eth-r1"),
    ("what is eth-r1 on r3 connected to?", "r3", "eth-r1", "r1 eth-r3")])
def test_the_far_end_of_an_interface_is_that_interface_read_and_the_inventorys_link(index, question, host, name, far):
    r, notes = route_named(question, HOSTS, index)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_names")) == ("tool", "interfaces", [host], [name])
    assert notes and notes[0].startswith(f"{host} {name} is on a link with {far} ") and "no LLDP" in notes[0], notes


def test_the_interface_of_one_router_towards_another(index):
    r, _ = route_named("which port on r3 goes to r1", HOSTS, index)
    assert (r.kind, r.args.get("hosts"), r.args.get("_names")) == ("tool", ["r3"], ["eth-r1"])


@pytest.mark.parametrize("question", ["shut the interface on r1 eth-r2 connected to r2", "what is connected in ospf?",
                                      "what does it mean when an interface is connected?",
                                      "who is connected to r1 eth-r9"])  # no such link in the inventory
def test_no_far_end_read_for_a_change_a_knowledge_question_or_an_unplaced_link(index, question):
    r, notes = route_named(question, HOSTS, index)
    assert not (r.kind == "tool" and notes and "is on a link with" in notes[0]), (r, notes)


def test_offline_the_far_end_is_said_over_the_interface_read(make_assistant, agent_settings):
    agent_settings.inventory.write_text(INVENTORY)
    answer = make_assistant().ask("who is connected to r1 eth-r2?", offline=True)
    assert [c.args.get("hosts") for c in answer.tool_calls] == [["r1"]]
    assert "r1 eth-r2 is on a link with r2 eth-r1" in answer.text.split("\n\n", 1)[0], answer.text
    assert "- eth-r2:" in answer.text and "- eth-r3:" not in answer.text, answer.text


def test_with_a_model_the_far_end_is_said_too(scripted, make_assistant, agent_settings):
    from netops.testing.ollama_server import say

    agent_settings.inventory.write_text(INVENTORY)
    scripted.push(say("eth-r2 on r1 is up [1]."))
    answer = make_assistant().ask("who is connected to r1 eth-r2?")
    assert "r1 eth-r2 is on a link with r2 eth-r1" in (answer.text + " " + (answer.notice or "")), (answer.text, answer.notice)


@pytest.mark.parametrize("question", ["eth-r2 on r1 goes down every hour, why?", "is eth-r2 on r1 up?",
                                      "why does eth-r2 on r1 go down?"])
def test_an_interface_that_goes_down_is_not_asked_where_it_goes(index, question):
    r, notes = route_named(question, HOSTS, index)
    assert not any("is on a link with" in n for n in notes), (r, notes)


def test_the_far_end_comes_before_the_embedders_nearest_example(index):
    """On lab 88 'who is connected to r1 eth-r2?' read r1's BGP sessions: the semantic matcher's
    nearest example ("connected" to a peer) answered before the far end was looked for."""
    class Nearest:
        def best(self, _text):
            return "bgp_neighbors", 0.99

    r, notes = route_named("who is connected to r1 eth-r2?", HOSTS, index, matcher=lambda: Nearest())
    assert (r.args.get("getter"), r.args.get("_names")) == ("interfaces", ["eth-r2"]) and notes, (r, notes)
