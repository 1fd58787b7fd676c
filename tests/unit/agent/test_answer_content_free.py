"""A model sentence whose only content is a device name, the question's own words or a citation
("The answer is: r1 [1].", "It is r1.") states nothing the device state can back (check21: SmolLM2
on the lab). The check found the question's words (or r1) in r1's output and called it supported,
so on a device question netops's own findings were hidden behind the model's empty answer. Such a
sentence is now not checked (no claim) on the device path and the findings lead; a real claim
("r1's session with 198.51.100.2 is Established [1].") stays supported and leads as before."""

from __future__ import annotations

import pytest

from netops.agent.answer_check import NOT_CHECKED, SUPPORTED, check_answer
from netops.agent.grounding import OWN_FINDINGS, says_nothing, _content_free_unchecked
from netops.testing.ollama_server import say
from tests.unit.agent.test_answer_check_adversarial import device

QUESTION = "how long has the bgp session on r1 been up?"
R1 = device(1, "r1", "show bgp summary json",
            "BGP neighbours of r1:\n- 198.51.100.2 AS65002 (r2): Established, up 30s, hold time 90 seconds\n"
            "- 198.51.100.10 AS65003 (r3): Established, up 30s")

NAMES_ONLY = ["The answer is: r1 [1].", "It is r1.", "r1 [1].", "The BGP session on r1 [1]."]
# a pointer at the sources (points_at_sources) and a bare yes (no claim) were not counted supported before
EMPTY = NAMES_ONLY + ["The answer can be found in r1 [1].", "Yes [1]."]
REAL = ["r1's session with 198.51.100.2 is Established [1].", "The hold time is 90 seconds [1].",
        "r1 peers with 198.51.100.2 [1].", "r1 peers with 198.51.100.10 in AS65003 [1]."]


@pytest.mark.parametrize("sentence", NAMES_ONLY)
def test_a_device_name_or_the_questions_words_say_nothing(sentence):
    assert says_nothing(sentence, QUESTION, ["r1"])


@pytest.mark.parametrize("sentence", REAL + ["It is 198.51.100.2.", "The session to r3 is down.",
                                             "r1 does not have a session with r2."])
def test_a_value_an_address_or_a_state_is_a_claim(sentence):
    assert not says_nothing(sentence, QUESTION, ["r1"])


def test_another_device_than_the_ones_read_is_a_claim():
    # "who is r1's peer?" "The peer is r2.": r2 was not read, and r2 is the answer
    assert not says_nothing("The peer is r2.", "who is r1's peer?", ["r1"])
    assert says_nothing("The peer is r2.", "who is r1's peer?", ["r1", "r2"])


@pytest.mark.parametrize("sentence", EMPTY)
def test_the_check_does_not_count_it_supported_on_the_device_path(sentence):
    report = check_answer(sentence, [R1], question=QUESTION)
    _content_free_unchecked(report, QUESTION, ["r1"])
    assert not any(s.status == SUPPORTED for s in report.sentences), report.to_dict()


@pytest.mark.parametrize("sentence", REAL)
def test_a_real_claim_stays_supported(sentence):
    report = check_answer(sentence, [R1], question=QUESTION)
    assert not _content_free_unchecked(report, QUESTION, ["r1"])
    assert [s.status for s in report.sentences] == [SUPPORTED], report.to_dict()


def test_the_remark_is_said_and_an_added_citation_is_taken_back():
    report = check_answer("It is r1.", [R1], question=QUESTION)
    assert report.sentences[0].status == SUPPORTED and report.added_citations == 1  # before: 1 of 1 supported
    assert _content_free_unchecked(report, QUESTION, ["r1"])
    (s,) = report.sentences
    assert s.status == NOT_CHECKED and s.supported_by == [] and s.cited == [] and report.added_citations == 0
    assert "states nothing" in s.reasons[0]


@pytest.mark.parametrize("said", ["The answer is: r1 [1].", "It is r1.", "r1 [1]."])
def test_netops_findings_lead_over_a_content_free_answer(scripted, make_assistant, said):
    scripted.push(say(said))
    answer = make_assistant().ask(QUESTION)
    assert answer.text.startswith(f"**{OWN_FINDINGS}:**"), answer.text
    assert "198.51.100.2" in answer.text and "Established" in answer.text
    assert said.split(" [")[0].rstrip(".") in answer.text  # the model's text follows, as written
    assert answer.to_dict()["check"]["supported"] == 0


def test_a_real_claim_still_leads(scripted, make_assistant):
    said = "r1's session with 198.51.100.2 is Established [1]."
    scripted.push(say(said))
    answer = make_assistant().ask(QUESTION)
    assert answer.text.startswith(said.rstrip(".")), answer.text
    assert answer.to_dict()["check"]["supported"] == 1
