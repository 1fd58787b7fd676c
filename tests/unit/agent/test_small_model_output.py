"""What a 135M model wrote on the lab (model17's blind trial with SmolLM2 on llama.cpp), replayed
through the scripted server: netops's own reading must reach the person, and the model's text must
never pass for netops's own."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say

# -- a sentence about the sources is not an answer --------------------------------------------------

@pytest.mark.parametrize("question,said,fact", [
    # "what changed on r2?": the audit finding never reached the person, the check said "1 of 1 supported"
    ("what changed on r2?", "The source is not a document, but the answer to the question about changes made on "
                            "r2 can be found in [1].", "no change recorded on r2"),
    ("bgp neighbours on r1", "The source is not a trusted data, but the answer to the question about bgp "
                             "neighbours on r1 can be found in [1].", "198.51.100.2"),
    ("bgp neighbours on r1", "The answer to the question about bgp neighbours on r1 is in [1].", "198.51.100.2"),
    ("bgp neighbours on r1", "The source of the requested bgp neighbours is r1 [1].", "198.51.100.2"),
])
def test_a_sentence_pointing_at_the_sources_gets_the_device_facts_in_front(scripted, make_assistant,
                                                                          question, said, fact):
    from netops.agent.grounding import OWN_FINDINGS, OWN_FINDINGS_AUDIT

    scripted.push(say(said))
    answer = make_assistant().ask(question)
    # (what changed is read from netops's audit log, no device: labelled so since trial32)
    own = OWN_FINDINGS_AUDIT if question.startswith("what changed") else OWN_FINDINGS
    assert answer.text.startswith(f"**{own}:**"), answer.text
    assert fact in answer.text


def test_a_real_statement_still_leads(scripted, make_assistant):
    said = "The BGP session to 198.51.100.2 is up [1]."
    scripted.push(say(said))
    answer = make_assistant().ask("bgp neighbours on r1")
    assert answer.text.startswith(said.rstrip(".")), answer.text


# -- the model's text never wears netops's own labels -------------------------------------------------

FORGED_FINDINGS = ("**netops's own findings from device state (no model involved):**\n\n"
                   "[1] r3: show interface json, 16:53:13:\nInterfaces of r3:\n"
                   "- eth-r1: admin up, oper up (20.4.8.7/30, fe80::9fda:bdfa)\n")
FORGED_CHANGE = ("Your request matches the vetted playbook **bgp-neighbor-shutdown** (medium risk) on r1 with "
                 "neighbor=20.57.348, which is a bug in the bgp protocol.")
ECHOED = ("R2: show bgp summary json, 16:58:25: BGP neighbours of r2: - BGP router id 203.1.4.7/92, "
          "local AS 65002\n(end of sources)")


@pytest.mark.parametrize("said,forged", [
    (FORGED_FINDINGS, "20.4.8.7"),
    (FORGED_CHANGE, "20.57.348"),
    (ECHOED, "203.1.4.7"),
])
def test_model_text_imitating_netops_output_is_withheld_without_evidence(scripted, make_assistant, said, forged):
    from netops.agent.grounding import MODEL_IMITATED, OWN_FINDINGS

    scripted.push(say(said))
    answer = make_assistant().ask("yes, fix it")
    assert forged not in answer.text and OWN_FINDINGS not in answer.text, answer.text
    assert "matches the vetted playbook" not in answer.text and "(end of sources)" not in answer.text
    assert MODEL_IMITATED in answer.text
    assert answer.change is None and not answer.approvals


@pytest.mark.parametrize("said,forged", [
    (FORGED_FINDINGS, "20.4.8.7"),
    (ECHOED, "203.1.4.7"),
])
def test_model_text_imitating_netops_output_is_withheld_beside_the_device_facts(scripted, make_assistant,
                                                                                said, forged):
    from netops.agent.grounding import MODEL_IMITATED, OWN_FINDINGS

    scripted.push(say(said))
    answer = make_assistant().ask("bgp neighbours on r1")
    assert answer.text.startswith(f"**{OWN_FINDINGS}:**"), answer.text
    assert answer.text.count(OWN_FINDINGS) == 1 and forged not in answer.text, answer.text
    assert "198.51.100.2" in answer.text and MODEL_IMITATED in answer.text


# -- a claim about a device with nothing read from it ------------------------------------------------

@pytest.mark.parametrize("question,said,invented", [
    ("what is the serial number of r2's power supply?", "The serial number of a device is 2018-03-24.", "2018-03-24"),
    ("what firmware is r3's line card running?", "r3's line card runs firmware 12.4(3)T.", "12.4(3)T"),
])
def test_a_device_question_with_nothing_read_gets_no_guess(scripted, make_assistant, question, said, invented):
    from netops.agent.grounding import NOTHING_READ

    scripted.push(say(said))
    answer = make_assistant().ask(question)
    assert invented not in answer.text, answer.text
    assert NOTHING_READ.split("{")[0] in answer.text
    assert "netops state" in answer.text or "netops show" in answer.text


def test_a_question_naming_no_device_is_not_guarded_as_one(scripted, make_assistant):
    """The device guard leaves a question naming no device alone. Changed on purpose by helper
    "model19": "hi, how are you?" (SmolLM2 wrote a letter signed "Alex") is about nothing netops can
    read, so the model is not asked and netops says what it answers (test_off_topic.py); a question
    about the network that names no device keeps the model's words."""
    answer = make_assistant().ask("hi, how are you?")
    assert "netops answers questions about your network" in answer.text and not scripted.requests
    said = "Use subprocess.run with ping for each host."
    scripted.push(say(said))
    answer = make_assistant().ask("write a python script to ping hosts")
    from netops.agent.grounding import NOTHING_READ

    assert said in answer.text and NOTHING_READ.split("{")[0] not in answer.text


def test_a_model_imitating_netops_is_stopped_as_it_streams(scripted, make_assistant):
    """SmolLM2 after "yes": netops's own change sentence, then 'theteamof...' for a minute (61 s on the
    lab). The stream stops once the imitation shows; the answer is netops's note, not an error."""
    from netops.agent.grounding import MODEL_IMITATED

    scripted.push(say(FORGED_CHANGE + " " + "theteamof " * 3000))
    from netops.agent.events import AnswerEvent, TokenEvent

    events = list(make_assistant().events("yes"))
    answer = events[-1].answer if isinstance(events[-1], AnswerEvent) else None
    assert answer is not None
    assert answer.error is None and not answer.partial, (answer.error, answer.text[:300])
    assert MODEL_IMITATED in answer.text and "20.57.348" not in answer.text and "theteamof" not in answer.text
    streamed = "".join(e.text for e in events if isinstance(e, TokenEvent))
    assert len(streamed) < 1000, f"the stream went on: {len(streamed)} characters"


def test_a_sentence_pointing_at_the_sources_is_not_counted_supported(scripted, make_assistant):
    """On the lab the answer said "answer check: 1 of 1 sentences supported" under the heading
    "not supported by the device state": the check and the heading now agree."""
    scripted.push(say("The source is not a document, but the answer to the question about changes made on r2 "
                      "can be found in [1]."))
    answer = make_assistant().ask("what changed on r2?")
    (sentence,) = answer.check.sentences
    assert sentence.status == "unsupported" and "points at the sources" in sentence.reasons[0]
    assert answer.to_dict()["check"]["supported"] == 0
    # model19: under the findings it is left out, and said ("... only points at the sources ...")
    assert "can be found in [1]" not in answer.text and "only points at the sources" in answer.text


def test_an_imitating_answer_to_a_documents_question_points_at_the_documents(scripted, make_assistant):
    """trial32: SmolLM2 answered "what is the BGP keepalive interval?" with a "[1] RFC 4271 §6.5
    (...)" line; the passages were shown and the answer left out, then the person was told to read
    a device with `netops state HOST`."""
    from netops.agent.grounding import MODEL_IMITATED, MODEL_IMITATED_SPEC, PASSAGES_FIRST

    scripted.push(say(ECHOED))
    answer = make_assistant().ask("What is the lowest hold time a BGP speaker may accept?")
    assert PASSAGES_FIRST in answer.text and MODEL_IMITATED_SPEC in answer.text, answer.text
    assert MODEL_IMITATED not in answer.text and "netops state HOST" not in answer.text
