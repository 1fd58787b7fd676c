"""Health, group and BGP questions as an engineer types them (helper "trial15", 2026-12-03; blind set
state_phrasings_trial15.yaml):

- "is everything in r1 ok?", "r1 ok?", "all good on r3?", "is r2 in good shape?", "check everything on
  r1" read nothing: they are the health read of that device, as "is r1 healthy?" is;
- "is everything in group lab ok?", "sanity check the lab please" read nothing: the group's sweep, as
  "is the lab healthy?";
- "show bgp on the lab routers", "bgp summary for all lab routers" asked which device: the group's
  devices are read, and the answer says the group was read as them;
- "is everything in group pod2 ok?" went to the documents: a group the inventory lacks is one line.
"""

from __future__ import annotations

import pytest

from netops.agent.device_refs import DeviceIndex
from netops.agent.router import HEALTH_GETTERS, SWEEP_GETTERS, UNKNOWN_DEVICE, route, route_named
from tests._phrasings import bench


HOSTS = ["r1", "r2", "r3"]
INDEX = DeviceIndex(list(HOSTS), groups={"lab": list(HOSTS)})


def _read(r):
    return [r.args.get("getter"), *r.args.get("_also", [])]


@pytest.mark.parametrize("question, host", [
    ("is everything in r1 ok?", "r1"), ("r1 ok?", "r1"), ("all good on r3?", "r3"), ("is r2 in good shape?", "r2"),
    ("check everything on r1", "r1"), ("is it all fine with r2?", "r2"), ("sanity check r3", "r3")])
def test_everything_ok_on_a_device_is_its_health(question, host):
    r = route(question, HOSTS)
    assert (r.kind, r.intent, r.args.get("hosts")) == ("tool", "health", [host]), r
    assert _read(r) == list(HEALTH_GETTERS)


@pytest.mark.parametrize("question, getter", [("is everything ok with bgp on r1?", "bgp_neighbors"),
                                              ("is r1's bgp ok?", "bgp_neighbors"),
                                              ("r1 interfaces ok?", "interfaces")])
def test_a_protocol_named_is_still_that_protocol(question, getter):
    r = route(question, HOSTS)
    assert r.kind == "tool" and r.args.get("getter") == getter and r.args.get("hosts") == ["r1"], r


@pytest.mark.parametrize("question", ["is everything in group lab ok?", "is everything in the lab ok?",
                                      "sanity check the lab please", "are all routers in the lab group fine?",
                                      "is all well with the lab routers?"])
def test_everything_ok_in_the_group_is_its_sweep(question):
    r, _ = route_named(question, HOSTS, INDEX)
    assert r.kind == "tool" and r.args.get("hosts") == HOSTS and _read(r) == list(SWEEP_GETTERS), r


@pytest.mark.parametrize("question, getter", [
    ("show bgp on the lab routers", "bgp_neighbors"), ("bgp summary for all lab routers", "bgp_neighbors"),
    ("sh bgp sum on group lab", "bgp_neighbors"), ("ospf neighbors for the lab group", "ospf_neighbors"),
    ("uptime of the lab routers", "facts")])
def test_a_read_of_the_group_reads_its_devices_and_says_so(question, getter):
    r, notes = route_named(question, HOSTS, INDEX)
    assert r.kind == "tool" and r.args.get("getter") == getter and r.args.get("hosts") == HOSTS, r
    assert notes == ["lab read as r1, r2, r3 (the inventory group lab)"]


@pytest.mark.parametrize("question", ["how do I set up a bgp lab?", "lab bgp", "what is a bgp lab?"])
def test_the_group_word_outside_a_devices_place_reads_nothing(question):
    assert route_named(question, HOSTS, INDEX)[0].kind != "tool"


@pytest.mark.parametrize("question", ["is everything in group pod2 ok?", "show bgp on group pod2",
                                      "any problems in the pod2 group?"])
def test_a_group_the_inventory_lacks_is_one_line(question):
    r, _ = route_named(question, HOSTS, INDEX)
    assert r.kind == "unknown" and r.reason.startswith(UNKNOWN_DEVICE) and "'pod2'" in r.reason, r


def test_a_bgp_peer_group_is_no_inventory_group():
    r, _ = route_named("show bgp peer group SPINES on r1", HOSTS, INDEX)
    assert r.kind == "tool" and r.args.get("hosts") == ["r1"], r


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("group-ok"))
    yield h
    h.close()


def test_offline_the_answer_names_the_group_read(harness):
    got = harness.ask("bgp summary for all lab routers")
    assert {(r["host"], r["getter"]) for r in got["reads"]} == {(h, "bgp_neighbors") for h in HOSTS}, bench._short(got)
    assert "lab read as r1, r2, r3" in got["text"], got["text"][:300]


def test_a_group_health_question_after_a_change_is_a_read_not_a_refusal(harness):
    # "the change" names a moment: as "is r1 ok after the change?" reads r1, the group is read
    got = harness.ask("is the lab ok after the change?")
    assert got["expect"] == "read", bench._short(got)
    assert {r["host"] for r in got["reads"]} == set(HOSTS), bench._short(got)


@pytest.mark.parametrize("question", ["is r2 healthy?", "is everything in r2 ok?"])
def test_with_a_model_a_devices_health_is_read_before_the_model_speaks(scripted, make_assistant, question):
    # SmolLM2 calls no tool: "is r2 healthy?" was answered "No, it is not. R2 is a product of the
    # 1980s ..." under "No evidence", where "is the lab healthy?" had netops's findings first
    from netops.agent.grounding import OWN_FINDINGS
    from netops.testing.ollama_server import say

    scripted.push(say("No, it is not."))
    answer = make_assistant().ask(question)
    assert [(c.args.get("getter"), c.ok) for c in answer.tool_calls] == [
        ("facts", True), ("interfaces", True), ("bgp_neighbors", True), ("ospf_neighbors", True)]
    assert OWN_FINDINGS in answer.text and "No evidence" not in answer.text, answer.text
