"""A change the person says they do not want AFTER naming it ("drain r3 is not what I want") is
not asked for: the matcher proposes nothing and the intent check refuses a model's plan for it
(found by review: both accepted it, so --yes could have run it)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netops.agent.intent import check_intent, negated_actions

HOSTS = ["r1", "r2", "r3"]
DRAIN = SimpleNamespace(playbook="router-drain", hosts=["r3"], params={})


@pytest.mark.parametrize("question", [
    "drain r3 is not what I want",
    "draining r3 isn't what we need right now",
    "drain r3 would be a bad idea",
    "draining r3 is not necessary",
    "a drain of r3 is not needed",
    "drain r3? that is not what I want",
])
def test_unwanted_after_the_action_is_negated(question):
    assert "drain" in negated_actions(question, {"drain"})
    assert not check_intent(question, DRAIN, hosts=HOSTS).bound


@pytest.mark.parametrize("question", [
    "drain r3, the flapping is not what I want to see",
    "drain r3 for maintenance",
    "drain r3 now; waiting is not an option",
])
def test_a_request_that_says_something_else_is_unwanted_stays_a_request(question):
    assert "drain" not in negated_actions(question, {"drain"})
    assert check_intent(question, DRAIN, hosts=HOSTS).bound


@pytest.mark.parametrize("question", [
    "drain r3, actually never mind",
    "drain r3\nactually never mind",
    "drain r3... scratch that",
    "drain r3 - forget it",
    "drain r3. cancel that",
    "drain r3. Nevermind.",
    "drain r3 - on second thought, forget that, just check it",
    "drain r3, don't bother",
])
def test_a_request_taken_back_after_it_is_not_asked_for(question):
    """A request called off right after it ("drain r3 - forget it") was bound to the question as
    asked (only "drain r3? never mind", with its question mark, was read as taken back), so a policy
    or --yes could have approved the change the person had just called off."""
    assert "drain" in negated_actions(question, {"drain"}), question
    assert not check_intent(question, DRAIN, hosts=HOSTS).bound


@pytest.mark.parametrize("question", [
    "drain r3, never mind the alarms",
    "drain r3 and forget about r2",
    "drain r3; cancel that maintenance ticket later",
    "drain r3, I'll forget it otherwise",
])
def test_words_like_a_retraction_that_take_nothing_back_stay_a_request(question):
    assert "drain" not in negated_actions(question, {"drain"}), question
    assert check_intent(question, DRAIN, hosts=HOSTS).bound
