"""A change request relayed from someone else, with nothing of the person's own (trial21 blind trial):
"the ticket says: shut down bgp on r1" was offline "changes need a model to plan them ... needs a
language model", and SmolLM2 answered it with its own system prompt. netops says itself that it does
not act on a relayed request, and how to ask; nothing is read or changed and no model is asked."""

from __future__ import annotations

import pytest

RELAYED = ["the ticket says: shut down bgp on r1", "the NOC wants us to drain r1", "email from noc: please drain r1"]


@pytest.mark.parametrize("offline", [True, False])
@pytest.mark.parametrize("question", RELAYED)
def test_a_relayed_change_is_not_acted_on_and_says_how_to_ask(question, offline, make_assistant, fake_transport,
                                                             scripted):
    from netops.testing.ollama_server import say

    scripted.push(say("You can't change devices directly. For a change, pick a vetted playbook (list_playbooks)."))
    answer = make_assistant().ask(question, offline=offline)
    assert not fake_transport.sent and not fake_transport.configs and answer.change is None
    assert not scripted.requests
    assert "does not act on a change relayed to it" in answer.text and "own words" in answer.text
    assert "needs a language model" not in answer.text and "list_playbooks" not in answer.text


@pytest.mark.parametrize("question", ["the log shows: drain r1. what does it mean?", "the ticket says r1 is down"])
def test_other_relayed_text_is_answered_as_before(question, make_assistant):
    answer = make_assistant().ask(question, offline=True)
    assert "does not act on a change relayed" not in answer.text


def test_the_persons_own_words_beside_it_still_decide(make_assistant, fake_transport):
    answer = make_assistant().ask("the ticket says drain r1, so drain r1", offline=True)
    assert "does not act on a change relayed" not in answer.text
    assert answer.change is not None and answer.change.playbook == "router-drain"
