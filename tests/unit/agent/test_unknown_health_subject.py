""""is pod1 healthy?" (pod1 is neither a device nor a group of the inventory) got "Yes, pod1 is
healthy" from the model (the user trial of 2026-12-03): a false health claim. A status or health
question about a name the inventory does not hold is answered by netops itself, with a model as
without one: "pod1 is not a device or group in the inventory (devices: ...; groups: ...)", nothing
read, the model not asked. Protocols, features and the network as a whole ("is bgp healthy?", "is
the network ok?") are not names; a group or a device of the inventory is read as before. "how is r1
doing?" and "status of r1" read r1's health now too (they matched nothing)."""

from __future__ import annotations

import pytest
from tests._phrasings import bench


UNKNOWN = [("is pod1 healthy?", "pod1"), ("how is dc2 doing?", "dc2"), ("is edge-west ok?", "edge-west"),
           ("status of fabric-a please", "fabric-a"), ("is Pod1 up?", "Pod1"), ("how's pod7 doing?", "pod7"),
           ("pod1 status", "pod1"), ("what's wrong with edge-west?", "edge-west")]
NOT_NAMES = ["is bgp healthy?", "is ospf ok?", "is the network healthy?", "is everything ok?",
             "is it ok to drain r1?", "is the lab healthy?", "is r2 healthy?", "how is bgp doing?",
             "is the mtu ok on r1?", "is r1 eth-r2 up?"]


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("unheld"))
    yield h
    h.close()


@pytest.mark.parametrize("question, name", UNKNOWN, ids=[q for q, _ in UNKNOWN])
def test_a_health_question_about_a_name_the_inventory_lacks_is_one_clear_line(harness, question, name):
    got = harness.ask(question)
    assert got["expect"] == "ask" and not got["other"], bench._short(got)
    assert f"{name} is not a device or group in the inventory (devices: r1, r2, r3; groups: lab)" in got["text"], \
        got["text"]


@pytest.mark.parametrize("question", NOT_NAMES)
def test_protocols_the_network_and_inventory_names_are_not_unknown(harness, question):
    got = harness.ask(question)
    assert "not a device or group" not in got["text"], got["text"]


@pytest.mark.parametrize("question, host", [("how is r1 doing?", "r1"), ("status of r2 please", "r2"),
                                            ("r3 status", "r3")])
def test_a_known_device_asked_that_way_has_its_health_read(harness, question, host):
    got = harness.ask(question)
    assert got["expect"] == "read" and {r["host"] for r in got["reads"]} == {host}, bench._short(got)
    assert {"interfaces", "bgp_neighbors"} <= {r["getter"] for r in got["reads"]}, bench._short(got)


def test_with_a_model_the_line_is_netops_own_and_the_model_is_not_asked(scripted, make_assistant):
    from netops.testing.ollama_server import say

    scripted.push(say("Yes, pod1 is healthy."))
    answer = make_assistant().ask("is pod1 healthy?")
    assert answer.text.startswith("pod1 is not a device or group in the inventory (devices: r1, r2, r3; groups: lab)"), \
        answer.text
    assert "Yes, pod1 is healthy" not in answer.text and not scripted.requests and not answer.tool_calls
    assert "the model was not asked" in (answer.notice or "")


@pytest.mark.parametrize("question", ["is the network healthy?", "is our fabric ok?"])
def test_the_network_as_a_whole_is_every_device_swept(harness, question):
    """(They went to the documents: "your documents do not cover this".)"""
    got = harness.ask(question)
    assert got["expect"] == "read" and {r["host"] for r in got["reads"]} == {"r1", "r2", "r3"}, bench._short(got)
    assert {"interfaces", "bgp_neighbors", "ospf_neighbors"} <= {r["getter"] for r in got["reads"]}, bench._short(got)
