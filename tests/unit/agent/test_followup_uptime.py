""""ospf neighbours on r3", then "how long has that been up?": a follow-up about the state or age of
what was just read, leaning on it with "that"/"it"/"they", reads the same thing again (helper
"model19", 2026-12-03; finding 7 of the SmolLM2 blind trial: it went to the documents and
abstained). The OSPF neighbour list now carries each adjacency's uptime where the device gives it
(FRR's upTime), so the answer has the number."""

from __future__ import annotations

import pytest

from netops.agent.router import followup

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, previous", [
    ("how long has that been up?", "ospf neighbours on r3"),
    ("how long have they been up?", "bgp neighbours on r1"),
    ("since when is it up?", "bgp neighbours on r2"),
    ("is that stable?", "ospf neighbours on r2"),
])
def test_a_follow_up_about_what_was_read_reads_it_again(question, previous):
    assert followup(question, previous, HOSTS) == previous


@pytest.mark.parametrize("question, previous", [
    ("how long has that been up?", "what is the hold timer?"),   # nothing device-shaped before
    ("how long has that been up?", "drain r3"),                  # never carries a change over
    ("how long is that?", "ospf neighbours on r3"),              # no state asked
    ("how long has that been up?", "what changed on r2?"),       # a history question is not a read
])
def test_other_questions_are_left_as_asked(question, previous):
    assert followup(question, previous, HOSTS) == question


def test_frr_ospf_neighbours_carry_their_uptime():
    from pathlib import Path

    from netops.devices.parsers.frr import parse_ospf_neighbors

    text = (Path(__file__).resolve().parents[2] / "fixtures/devices/frr/r3/show_ip_ospf_neighbor_json.txt").read_text()
    n = parse_ospf_neighbors(text).neighbors[0]
    assert n.uptime_seconds == pytest.approx(30.556)


def test_offline_the_follow_up_answers_with_the_adjacency_uptime(make_assistant):
    make_assistant().ask("ospf neighbours on r3", offline=True)
    answer = make_assistant().ask("how long has that been up?", offline=True, continue_last=True)
    assert "intent: ospf_neighbors on r3" in answer.text, answer.text
    assert "Full, up 30s" in answer.text, answer.text
    assert "documents do not cover" not in answer.text


def test_with_a_model_the_follow_up_reads_r3_first(scripted, make_assistant):
    from netops.testing.ollama_server import say

    scripted.push(say("r3 has two OSPF neighbours [1]."), say("They have been up for 30 seconds [1]."))
    make_assistant().ask("ospf neighbours on r3")
    answer = make_assistant().ask("how long has that been up?", continue_last=True)
    assert answer.grounding is not None and answer.grounding.grounded, answer.text
    assert [s.label.split(":")[0] for s in answer.grounding.sources] == ["r3"]
    assert "up 30s" in answer.grounding.sources[0].text
