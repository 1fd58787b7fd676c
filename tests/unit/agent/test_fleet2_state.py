"""Fleet-wide questions with no device AND no protocol, quantifier or prefix (the leftovers of
test_fleet_state.py): neighbours with no protocol are BGP's and OSPF's, an open "is anything
down?" is a health sweep of every device, "is bgp up?" reads every device's sessions, and "any
routers missing the default route?" looks 0.0.0.0/0 up everywhere. Phrasings NOT in
``data/state_phrasings_fleet2.yaml``; the knowledge and change guards passed before the fix, the
rest failed."""

from __future__ import annotations

import pytest

from netops.agent.router import UNKNOWN_DEVICE, route

HOSTS = ["r1", "r2", "r3"]


def _read(question, hosts=HOSTS):
    r = route(question, hosts)
    return r.kind, r.args.get("getter"), r.args.get("_also"), r.args.get("hosts")


@pytest.mark.parametrize("question", ["what neighbours are down right now?", "any neighbors not established?",
                                      "are the neighbours all up?"])
def test_neighbours_with_no_protocol_are_bgp_and_ospf_on_every_device(question):
    assert _read(question) == ("tool", "bgp_neighbors", ["ospf_neighbors"], HOSTS)
    assert route(question, HOSTS).args.get("_fleet") is True


def test_neighbours_with_no_protocol_on_a_named_device_read_only_it():
    assert _read("are any neighbours down on r3?") == ("tool", "bgp_neighbors", ["ospf_neighbors"], ["r3"])


@pytest.mark.parametrize("question", ["whats down", "is anything failing?", "is something broken?",
                                      "are there any issues?", "anything wrong right now?",
                                      "is everything ok on the network?"])
def test_an_open_health_question_sweeps_every_device(question):
    r = route(question, HOSTS)
    assert _read(question) == ("tool", "interfaces", ["bgp_neighbors", "ospf_neighbors"], HOSTS)
    assert r.args.get("_filter") == "down" and r.args.get("_fleet") is True


@pytest.mark.parametrize("question, getter", [("is ospf working?", "ospf_neighbors"), ("ebgp ok", "bgp_neighbors"),
                                              ("is bgp stable?", "bgp_neighbors"), ("ospf up?", "ospf_neighbors"),
                                              # said as a statement of trouble at 3 a.m.: these searched the RFCs
                                              ("bgp is down", "bgp_neighbors"), ("ospf went down", "ospf_neighbors"),
                                              ("bgp keeps flapping", "bgp_neighbors"),
                                              ("bgp seems to be broken", "bgp_neighbors")])
def test_a_protocol_asked_about_as_a_whole_reads_every_device(question, getter):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_fleet")) == ("tool", getter, HOSTS, True)


@pytest.mark.parametrize("question", ["which devices lack a default route?", "do all routers have a default gateway?",
                                      "any box without a default route"])
def test_the_default_route_over_the_fleet(question):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("prefix")) == \
        ("tool", "route", HOSTS, "0.0.0.0/0")
    assert r.args.get("_fleet") is True


@pytest.mark.parametrize("question", ["why do neighbours go down?", "what does it mean when bgp is down?",
                                      "bgp is established when the OPEN is accepted?",
                                      "what's a default gateway for?", "how do I tell if ospf is up?",
                                      "what's up?"])
def test_knowledge_and_small_talk_read_no_device(question):
    assert route(question, HOSTS).kind != "tool"


@pytest.mark.parametrize("question", ["clear the neighbours that are down", "restart bgp if it is down"])
def test_a_change_word_is_not_read(question):
    assert route(question, HOSTS).kind != "tool"


def test_an_unknown_or_unnamed_device_is_not_the_fleet():
    r = route("is bgp up on r7?", HOSTS)
    assert r.kind == "unknown" and r.reason.startswith(UNKNOWN_DEVICE)
    r = route("any neighbours down on r7?", HOSTS)  # nothing read; the device line (since fleetchg)
    assert r.kind == "unknown" and r.reason.startswith(f"{UNKNOWN_DEVICE} 'r7'")
    assert route("is ospf ok on the router?", HOSTS).kind != "tool"


def test_offline_sweep_reads_each_getter_on_every_device_with_a_count_each(make_assistant):
    answer = make_assistant().ask("is anything down?", offline=True)
    assert [(c.args.get("getter"), c.args.get("hosts")) for c in answer.tool_calls] == \
        [("interfaces", HOSTS), ("bgp_neighbors", HOSTS), ("ospf_neighbors", HOSTS)]
    text = answer.text
    assert "every inventory device (r1, r2, r3)" in text and "read: interfaces, bgp_neighbors, ospf_neighbors" in text
    assert "interfaces on r1, r2, r3 is down" in text
    assert "none of the 6 BGP sessions on r1, r2, r3 is down" in text
    assert "all 6 OSPF neighbours listed on r1, r2, r3 are Full" in text


def test_offline_default_route_names_the_devices_without_it(make_assistant):
    text = make_assistant().ask("are any routers missing the default route?", offline=True).text
    assert "**Found:** 0.0.0.0/0: a route on no device; no route on r1, r2, r3." in text


def test_with_a_model_the_sweep_is_read_before_it_speaks(scripted, make_assistant):
    """Over the fleet every getter of the sweep is read up front (one getter would ground the model
    on a part as if it were the whole), each getter's count with its last device."""
    from netops.testing.ollama_server import say

    scripted.push(say("Nothing is down [1]."))
    answer = make_assistant().ask("is anything down?")
    assert answer.grounding.kind == "device"
    sources = answer.grounding.sources
    assert [s.n for s in sources] == list(range(1, 10))
    assert [s.evidence.host for s in sources] == HOSTS * 3
    texts = [s.text for s in sources]
    assert texts[0].startswith("Interfaces of r1") and texts[3].startswith("BGP neighbours") \
        and texts[6].startswith("OSPF neighbours")
    assert "Found: none of the 6 BGP sessions" in texts[5] and "Found: all 6 OSPF neighbours" in texts[8]
