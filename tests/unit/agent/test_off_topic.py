"""A question about nothing netops can read gets a plain line of what netops answers, not the
model's invention (the model is not asked: nothing it said could be backed, and SmolLM2 took 52 s
on the lab to write the letter that was then left out) (helper "model19", 2026-12-03; findings 3 and 6 of the SmolLM2 blind trial:
"what's the weather in Paris tomorrow?" -> "a mix of sunny and cloudy", "hi, how are you?" -> a
letter signed "Alex"). Only when the question names no device, no network or document topic, leans
on nothing said before, and the model read nothing: network questions the router does not know
("how does ecmp hashing work?", "what is NAT?") still get the model's answer, as before."""

from __future__ import annotations

import pytest

from netops.agent.offtopic import about_the_network
from netops.testing.ollama_server import say

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question", ["what's the weather in Paris tomorrow?", "hi, how are you?",
                                      "who won the world cup?", "what is the capital of France?",
                                      "recommend a laptop", "tell me a joke", "what can you do?"])
def test_not_about_the_network(question):
    assert not about_the_network(question, HOSTS)


@pytest.mark.parametrize("question", ["how does ecmp hashing work?", "what is NAT?", "how does DNS work?",
                                      "how do I troubleshoot packet loss?", "write a python script to ping hosts",
                                      "what is a firewall?", "summarise our network", "is r2 ok?",
                                      "what does our runbook say about maintenance windows?",
                                      "what is the hold time?", "why is the session flapping?",
                                      "is everything fine?", "what's wrong?",
                                      # test_privacy_sinks's question (it failed with the first word list)
                                      "what is the password recovery procedure, and is enable secret better "
                                      "than enable password?",
                                      # (scanned from the repo's tests: a site, a playbook, an AS, a standard)
                                      "how is dc2 doing?", "what does bgp-soft-clear do?",
                                      "is AS 65001 a private AS number?", "what is 802.1q?", "is r9 reachable?"])
def test_about_the_network(question):
    assert about_the_network(question, HOSTS)


@pytest.mark.parametrize("question, invented", [
    ("what's the weather in Paris tomorrow?", "The weather in Paris tomorrow is expected to be a mix of sunny and cloudy."),
    ("hi, how are you?", "Dear friend, I am doing well. I hope you enjoyed the game. Best regards, Alex"),
])
def test_the_model_invention_is_replaced_by_what_netops_answers(scripted, make_assistant, question, invented):
    scripted.push(say(invented))
    answer = make_assistant().ask(question)
    assert not scripted.requests, "the model was asked"  # nothing it could say would be backed
    assert invented[:30] not in answer.text and "Alex" not in answer.text, answer.text
    assert "netops answers questions about your network" in answer.text
    assert "bgp neighbours on r1" in answer.text  # examples with the inventory's own names
    assert "the model was not asked" in (answer.notice or "") and answer.abstained
    assert "No evidence" not in answer.text  # a line of netops's, not an unbacked claim


def test_a_network_question_still_gets_the_model_answer(scripted, make_assistant):
    said = "Use subprocess.run([\"ping\", \"-c\", \"1\", host]) for each host in a loop."
    scripted.push(say(said))
    answer = make_assistant().ask("write a python script to ping hosts")
    assert said in answer.text and "netops answers questions" not in answer.text


# "ok, do it" with nothing before it is netops's to answer since trial37 (a go-ahead asks for no change
# there, and netops says what it would need: tests/unit/agent/test_own_words.py), never the off-topic line
@pytest.mark.parametrize("question", ["yes", "and now?", "continue?"])
def test_a_reply_or_an_ellipsis_is_left_to_the_model(scripted, make_assistant, question):
    scripted.push(say("Nothing to do."))
    answer = make_assistant().ask(question)
    assert scripted.requests and "netops answers questions" not in answer.text, answer.text


def test_a_follow_up_in_a_conversation_is_left_to_the_model(scripted, make_assistant):
    """'can you say that more simply?' leans on the answer before; it is not off topic."""
    scripted.push(say("r1 has two peers [1]."), say("Both of r1's BGP sessions are up."))
    make_assistant().ask("bgp neighbours on r1")
    answer = make_assistant().ask("can you say that more simply?", continue_last=True)
    assert "netops answers questions" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    # networking questions outside the word list, which got "nothing netops can read" and no model answer
    "what is RPKI?", "what is a TTL?", "how does PoE work?", "what is a /30 used for?", "what is graceful restart?",
    "what is a jumbo frame?", "explain the difference between a hub and a repeater", "what is a bogon?",
    "what is a martian address?", "what is a looking glass server?", "how does IGMP snooping work?",
    "what is SLAAC?", "what does a TAP do?",
])
def test_networking_jargon_outside_the_list_is_about_the_network(question):
    """An acronym (two capitals or more), a prefix length, or a networking word the first list lacked."""
    assert about_the_network(question, HOSTS)


@pytest.mark.parametrize("question", ["what's on TV tonight?", "who is the US president?", "is the FAQ of the EU AI act out?"])
def test_everyday_capitals_do_not_make_a_question_about_the_network(question):
    assert not about_the_network(question, HOSTS)


@pytest.mark.parametrize("question", [
    # review20: engineers' questions in lower case the router does not route, each got the off-topic line
    "how do i calculate an optical power budget in dbm", "why is my ntp not syncing",
    "why is my clock drifting on the box", "what is bufferbloat", "what is a loop guard",
    "what is split horizon", "what causes a duplex mismatch", "what is hairpinning",
    "what are the tradeoffs of cut-through vs store and forward", "what does ttl exceeded mean",
    "what is a wavelength in dwdm", "how does microsegmentation work", "whats ntp stratum",
    "what is a patch panel", "how do i read a show tech", "what's a good naming convention for the boxes",
    "what is a northbound api", "how do i harden the management plane", "what does rpki invalid mean",
    "what is a tier 1 carrier", "why might a laser be dirty", "what does the amber led mean",
    "what is a bpdu", "what's the diff between tcam and cam", "what mss should i clamp to",
    "why is the asic dropping", "what is a data plane vs control plane",
])
def test_lower_case_networking_questions_are_about_the_network(question):
    assert about_the_network(question, HOSTS)


@pytest.mark.parametrize("question", ["why?", "give me an example", "are you sure?", "what should I do next",
                                      "explain more", "in simpler terms please", "how come"])
def test_a_conversational_follow_up_after_an_answer_is_left_to_the_model(scripted, make_assistant, question):
    """review20: after "what is BGP?", "give me an example" or "are you sure?" got the off-topic line
    (they name nothing of the network and lean on no 'it' or 'that')."""
    scripted.push(say("BGP is the routing protocol between autonomous systems."), say("For example, AS 65001 and AS 65002."))
    make_assistant().ask("what is BGP?")
    answer = make_assistant().ask(question, continue_last=True)
    assert "netops answers questions" not in answer.text, answer.text


def test_an_off_topic_question_in_a_conversation_is_still_off_topic(scripted, make_assistant):
    scripted.push(say("BGP is the routing protocol between autonomous systems."), say("Sunny."))
    make_assistant().ask("what is BGP?")
    answer = make_assistant().ask("what's the weather in Paris tomorrow?", continue_last=True)
    assert "netops answers questions" in answer.text, answer.text
