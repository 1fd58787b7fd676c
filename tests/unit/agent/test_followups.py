""""bgp neighbours on r1", then "and on r2?": a short follow-up is completed from the person's
earlier questions (offline it was "no known intent matched"; with a model nothing was read
before it spoke). A follow-up can only become a read, never a change."""

from __future__ import annotations

import pytest

from netops.agent.router import followup, meaning

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, previous, meant", [
    ("and on r2?", "bgp neighbours on r1", "bgp neighbours on r2"),
    ("what about r3", "bgp neighbours on r1 and r2", "bgp neighbours on r3"),
    ("r2?", "is 203.0.113.3/32 in r1's table", "is 203.0.113.3/32 in r2's table"),
    ("and the ospf ones?", "bgp neighbours on r3", "and the ospf ones on r3"),
    ("and interfaces down?", "bgp on r1", "and interfaces down on r1"),
])
def test_a_short_follow_up_is_completed(question, previous, meant):
    assert followup(question, previous, HOSTS) == meant


@pytest.mark.parametrize("question, previous", [
    ("bgp neighbours on r2", "ospf on r1"),                       # whole on its own
    ("what is the hold timer?", "bgp on r1"),                      # a new question
    ("and on r2?", "drain r1"),                                    # never carries a change over
    ("and drain r2", "bgp on r1"),                                 # nor makes one
    ("and on r2?", "what is the hold timer?"),                     # nothing device-shaped before
    ("and on r2?", ""),
])
def test_other_questions_are_left_as_asked(question, previous):
    assert followup(question, previous, HOSTS) == question


def test_follow_ups_chain():
    assert meaning(["bgp neighbours on r1", "and on r2?", "and r3?"], HOSTS) == "bgp neighbours on r3"


def test_offline_follow_ups_read_the_devices_named(make_assistant):
    first = make_assistant().ask("bgp neighbours on r1", offline=True)
    second = make_assistant().ask("and on r2?", offline=True, continue_last=True)
    assert second.conversation_id == first.conversation_id
    assert "intent: bgp_neighbors on r2" in second.text and "198.51.100.1 AS65001" in second.text
    assert 'read as a follow-up of your previous question: "bgp neighbours on r2"' in (second.notice or "")
    third = make_assistant().ask("and r3?", offline=True, continue_last=True)
    assert "intent: bgp_neighbors on r3" in third.text
    fourth = make_assistant().ask("and the ospf ones?", offline=True, continue_last=True)
    assert "intent: ospf_neighbors on r3" in fourth.text


def test_a_follow_up_after_a_change_request_changes_nothing(make_assistant, fake_transport):
    make_assistant().ask("drain r1", offline=True)
    answer = make_assistant().ask("and on r2?", offline=True, continue_last=True)
    assert answer.change is None and not fake_transport.configs
    assert "intent:" not in answer.text


def test_with_a_model_the_follow_up_is_grounded_on_the_new_device(scripted, make_assistant):
    from netops.testing.ollama_server import say

    scripted.push(say("r1 has two peers [1]."), say("r2 has two peers [1]."))
    make_assistant().ask("bgp neighbours on r1")
    answer = make_assistant().ask("and on r2?", continue_last=True)
    assert answer.grounding is not None and answer.grounding.grounded
    assert [s.label.split(":")[0] for s in answer.grounding.sources] == ["r2"]


@pytest.mark.parametrize("question, previous, meant", [
    # the whole network in the device's place: the same read on every router (it was "and on all routers on r1")
    ("and on all routers?", "bgp on r1?", "bgp on all routers?"),
    ("what about everywhere?", "bgp neighbours on r1 and r2", "bgp neighbours on all routers"),
    ("and on every router except r3?", "is ospf up on r1?", "is ospf up on all routers except r3?"),
    ("same for all devices", "interfaces down on r2", "interfaces down on all routers"),
    # a history question the same, its window kept or put in place of the old one
    ("and on all routers?", "what changed on r2?", "what changed on all routers?"),
    ("and everywhere?", "what changed on r2 today?", "what changed on all routers today?"),
    ("and yesterday on all devices?", "what changed on r2 today?", "what changed on all routers yesterday?"),
])
def test_a_follow_up_naming_the_whole_network_reads_every_router(question, previous, meant):
    assert followup(question, previous, HOSTS) == meant


@pytest.mark.parametrize("question, previous", [
    ("and on all routers?", "drain r1"),                           # never carries a change over
    ("and undo it on all routers", "what changed on r2?"),         # nor an undo
    ("and the ospf neighbours on all routers?", "bgp on r1"),     # asks for something else: whole
    ("and on all routers?", "what is the hold timer?"),            # nothing device-shaped before
])
def test_a_whole_network_follow_up_never_makes_a_change_or_guesses(question, previous):
    assert followup(question, previous, HOSTS) == question or "drain" not in followup(question, previous, HOSTS)
    assert "r1" not in followup(question, previous, HOSTS) or "r1" in question


def test_offline_a_whole_network_follow_up_reads_every_router(make_assistant):
    make_assistant().ask("bgp neighbours on r1", offline=True)
    answer = make_assistant().ask("and on all routers?", offline=True, continue_last=True)
    assert "intent: bgp_neighbors on r1, r2, r3" in answer.text, answer.text


@pytest.mark.parametrize("previous", [
    "can r1 reach r3?", "is the link between r1 and r2 up?", "what does r1 advertise to r2?",
    "bgp on all routers except r3", "ping r3 from r1", "is r1 receiving 203.0.113.3/32 from r3?",
    "traceroute from r1 to 203.0.113.3", "compare bgp on r1 with ospf on r2",
])
def test_a_whole_network_follow_up_of_a_question_between_devices_is_not_garbled(previous):
    """review20: 'can r1 reach r3?' then 'and on all routers?' became 'can reach on all routers?'."""
    got = followup("and on all routers?", previous, HOSTS)
    assert got == "and on all routers?", got
