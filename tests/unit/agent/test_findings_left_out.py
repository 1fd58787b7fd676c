"""A model sentence the device state contradicts is left out under netops's own findings (helper
"model19", 2026-12-03; finding 4 of the SmolLM2 blind trial, /work/coord/model17-findings.md).

On the lab, "is r1 healthy?" got netops's findings (every interface up, both sessions Established,
both adjacencies Full) and then, under "The model's answer", "R1 is not healthy due to faulty router
firmware" marked contradicted: a reader who skims to the last paragraph gets the opposite. When
netops's own findings answer the question (the model said nothing the device state backs), a
sentence the check marks contradicted, and a sentence that only points at the sources, are left
out of the shown answer, with one line saying how many and that the findings above are what netops
read. Never silently: the line is in the text, and ``--json`` keeps each sentence with its check."""

from __future__ import annotations

import json

import pytest

from netops.agent.answer_check import CONTRADICTED, UNSUPPORTED
from netops.agent.grounding import MODEL_UNSUPPORTED, OWN_FINDINGS
from netops.testing.ollama_server import say


def _left_out_line(text: str) -> str:
    (line,) = [x for x in text.splitlines() if "left out" in x]
    return line


def test_a_health_verdict_against_the_findings_is_left_out_and_said(scripted, make_assistant):
    said = "R1 is not healthy due to faulty router firmware."
    scripted.push(say(said))
    answer = make_assistant().ask("is r1 healthy?")
    # netops's own verdict first (trialfix36), then its findings in place of the model's words
    assert answer.text.startswith(f"**Nothing read is down** on r1: every interface up, every BGP session Established, "
                                  f"every OSPF adjacency Full.\n\n**{OWN_FINDINGS}:**"), answer.text
    assert "faulty router firmware" not in answer.text and MODEL_UNSUPPORTED not in answer.text, answer.text
    line = _left_out_line(answer.text)
    assert "1 sentence" in line and "contradicted" in line and "findings above are what netops read" in line
    assert answer.text.rstrip().endswith(line.strip())  # the last paragraph is netops's, not the model's
    # the check still has it (--json): status, reasons and the sentence as the model wrote it
    d = json.loads(json.dumps(answer.to_dict(), default=str))
    (s,) = d["check"]["sentences"]
    assert s["status"] == CONTRADICTED and "faulty router firmware" in s["text"]
    assert "faulty router firmware" not in d["answer"]


def test_a_state_the_device_contradicts_is_left_out_and_an_unsupported_one_still_shown(scripted, make_assistant):
    scripted.push(say("The BGP session to 198.51.100.2 is down [1]. It was configured by Alice last week."))
    answer = make_assistant().ask("bgp neighbours on r1")
    statuses = [s.status for s in answer.check.sentences if s.status != "not_checked"]
    assert statuses == [CONTRADICTED, UNSUPPORTED], answer.check.sentences
    assert "198.51.100.2 is down" not in answer.text, answer.text
    # what the check could not tell either way is still shown, marked, below the findings
    assert f"**{MODEL_UNSUPPORTED}:**" in answer.text and "configured by Alice" in answer.text
    assert "⚠ not supported" in answer.text
    line = _left_out_line(answer.text)
    assert "1 sentence" in line and "contradicted" in line


def test_a_sentence_that_only_points_at_the_sources_is_left_out(scripted, make_assistant):
    scripted.push(say("The source is not instructed to answer the question [1]."))
    answer = make_assistant().ask("ospf neighbours on r2")
    assert answer.text.startswith(f"**{OWN_FINDINGS}:**")
    assert "not instructed" not in answer.text and MODEL_UNSUPPORTED not in answer.text, answer.text
    line = _left_out_line(answer.text)
    assert "1 sentence" in line and "points at the sources" in line
    assert answer.check.sentences[0].status in (UNSUPPORTED, "not_checked")  # no claim either way


def test_the_chat_path_gets_the_same_answer(scripted, make_assistant):
    from netops.agent.events import AnswerEvent

    scripted.push(say("R1 is not healthy due to faulty router firmware."))
    events = list(make_assistant().events("is r1 healthy?"))
    answer = events[-1].answer if isinstance(events[-1], AnswerEvent) else None
    assert answer is not None and "faulty router firmware" not in answer.text
    assert "left out" in answer.text


def test_a_supported_answer_with_a_contradicted_sentence_is_left_as_checked(scripted, make_assistant):
    """The findings do not lead when the model said something the state backs: its answer is shown
    whole, each sentence marked (nothing is left out there)."""
    scripted.push(say("r1 has an Established session to 198.51.100.10 [1]. The BGP session to 198.51.100.2 is down [1]."))
    answer = make_assistant().ask("bgp neighbours on r1")
    assert not answer.text.startswith(f"**{OWN_FINDINGS}")
    assert "198.51.100.2 is down" in answer.text and "⚠ contradicted" in answer.text


# -- a bare yes or no against netops's own yes or no (seen on lab 8 in model19's re-check) -------------

def test_a_bare_no_against_a_route_that_is_there_is_contradicted_and_left_out(scripted, make_assistant):
    """SmolLM2: "The answer is no." to "is 203.0.113.3/32 in r2's table?" (it is). A bare yes or no
    is no claim the check can bind to a line, so it stayed, unmarked, as the last paragraph."""
    scripted.push(say("The answer is no."))
    answer = make_assistant().ask("is 203.0.113.3/32 in r2's table?")
    (s,) = answer.check.sentences
    assert s.status == CONTRADICTED and s.contradicted_by == [1] and "netops's own reading" in s.reasons[0]
    assert "The answer is no" not in answer.text and "1 contradicted by what netops read" in answer.text


@pytest.mark.parametrize("said", ["Yes.", "The answer is yes [1]."])
def test_a_bare_yes_that_agrees_is_left_as_it_was(scripted, make_assistant, said):
    scripted.push(say(said))
    answer = make_assistant().ask("is 203.0.113.3/32 in r2's table?")
    assert said.rstrip(".").split(" [")[0] in answer.text and "left out" not in answer.text


def test_a_bare_yes_about_a_route_that_is_not_there_is_contradicted(scripted, make_assistant):
    scripted.push(say("Yes, it is."))
    answer = make_assistant().ask("is 10.9.9.9 in r2's table?")
    assert answer.check.sentences[0].status == CONTRADICTED, answer.text
    assert "Yes, it is" not in answer.text


@pytest.mark.parametrize("question", ["is 203.0.113.3/32 missing from r2's table?", "is 203.0.113.3/32 absent on r2?",
                                      "does r2 lack a route to 203.0.113.3?", "is 203.0.113.3/32 not in r2's table?"])
def test_a_bare_no_to_a_question_asked_in_the_negative_is_not_set_against_the_route(scripted, make_assistant, question):
    """review20: asked whether the route is missing (it is there), the model's right "No." was marked
    contradicted and left out, as if the question had asked whether it is there."""
    scripted.push(say("No."))
    answer = make_assistant().ask(question)
    assert all(s.status != CONTRADICTED for s in answer.check.sentences), answer.check.sentences
    assert "No." in answer.text and "contradicted by what netops read" not in answer.text, answer.text
