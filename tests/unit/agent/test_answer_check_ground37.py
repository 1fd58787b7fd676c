"""The answer check's loose ends (helper "ground37", 2026-12-05).

- "is r3 drained?" said netops's verdict twice: "**No:** r3 is not drained ..." first and a trailing
  "**Found:** not drained: r3." (added when nothing led the answer). Said once, first.
- An agreeing health verdict ("Yes, r1 is healthy [1].") under netops's own health line was marked
  "not supported" while an agreeing drain or yes/no was marked supported: one mechanism now.
- "Outcome: the session is reset [1]." in an answer about the RFCs hid the whole answer as an
  imitation of netops's "**Outcome:**" line, which netops writes only under a change.
- "The drain of r3 was approved by bob [1]." was checked supported under a record saying alice.
"""

from __future__ import annotations

import re

import pytest

from netops.testing.ollama_server import say
from tests.unit.agent.test_own_verdict_adv36 import _drained_by_carol_approved_by_alice


def _plain(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text)


# -- 1. the drain verdict, said once -------------------------------------------------------------

@pytest.mark.parametrize("said", ["r3 runs bgp [1].", "r3 is not drained [1].", "No."])
def test_the_drain_verdict_is_said_once(scripted, make_assistant, said):
    scripted.push(say(said))
    answer = make_assistant().ask("is r3 drained?")
    assert answer.text.startswith("**No:** r3 is not drained"), answer.text
    assert "**Found:**" not in answer.text, answer.text
    assert answer.text.count("not drained: r3") == 0, answer.text


@pytest.mark.parametrize("said", [
    "The source is not drained, but the r3 device is being used to test a feature that was designed for other "
    "devices [1].",  # SmolLM2 on lab 78, marked "1 of 1 sentences supported"
    "r3 is not drained, and its BGP sessions carry customer traffic."])
def test_a_sentence_that_says_more_than_the_drain_verdict_is_not_backed_by_it(scripted, make_assistant, said):
    from netops.agent.answer_check import SUPPORTED

    scripted.push(say(said))
    answer = make_assistant().ask("is r3 drained?")
    assert answer.check.sentences[0].status != SUPPORTED, answer.text


def test_several_routers_drain_verdict_is_said_once(scripted, make_assistant):
    """Lab 78: "are r1 and r3 drained?" led with "**No:** r1 and r3 are not drained" and said "Found: not
    drained: r1, r3." again under r3's read in the findings."""
    scripted.push(say("The source is in [1]."))  # says nothing: the findings lead
    answer = make_assistant().ask("are r1 and r3 drained?")
    assert answer.text.startswith("**No:** r1 and r3 are not drained"), answer.text
    assert "Found:" not in answer.text and "not drained: r1, r3" not in answer.text, answer.text


def test_offline_several_routers_drain_verdict_is_said_once(make_assistant):
    answer = make_assistant().ask("are r1 and r3 drained?", offline=True)
    assert "**No:** r1 and r3 are not drained" in answer.text, answer.text
    assert "**Found:**" not in answer.text, answer.text


def test_a_drain_question_with_no_yes_or_no_keeps_its_found_line(scripted, make_assistant):
    """"which routers are drained?" has no verdict line: the count is netops's reading."""
    scripted.push(say("r3 runs bgp [1]."))
    answer = make_assistant().ask("which routers are drained?")
    assert "**Found:** not drained: r1, r2, r3." in answer.text, answer.text


# -- 3. an agreeing health verdict ---------------------------------------------------------------

@pytest.mark.parametrize("said", ["Yes, r1 is healthy [1].", "r1 is healthy.", "Everything looks fine [2]."])
def test_an_agreeing_health_verdict_is_supported(scripted, make_assistant, said):
    from netops.agent.answer_check import SUPPORTED

    scripted.push(say(said))
    answer = make_assistant().ask("is r1 healthy?")
    assert answer.text.startswith("**Nothing read is down** on r1"), answer.text
    assert "not supported" not in answer.text and "contradicted" not in answer.text, answer.text
    assert answer.check.sentences[0].status == SUPPORTED
    assert _plain(answer.text.split("\n\n", 1)[1]).startswith(_plain(said)), answer.text


@pytest.mark.parametrize("question, said, status", [
    ("is r2 ok?", "The answer is no.", "contradicted"),  # SmolLM2 on lab 78, over an r2 with nothing down
    ("is r1 healthy?", "No.", "contradicted"), ("is r1 healthy?", "Yes.", "supported"),
    ("is anything down on r1?", "No.", "not_checked"),  # no means healthy here: not set against it
])
def test_a_bare_yes_or_no_to_a_health_question_is_set_against_netops_verdict(scripted, make_assistant, question,
                                                                             said, status):
    scripted.push(say(said))
    answer = make_assistant().ask(question)
    assert answer.check.sentences[0].status == status, answer.text


def test_an_opposite_health_verdict_is_still_contradicted(scripted, make_assistant):
    from netops.agent.answer_check import CONTRADICTED

    scripted.push(say("No, r1 is not healthy [1]."))
    answer = make_assistant().ask("is r1 healthy?")
    assert answer.check.sentences[0].status == CONTRADICTED, answer.text


# -- 5. names a sentence states must be the records' ----------------------------------------------


@pytest.mark.parametrize("said, status", [
    ("The drain of r3 was approved by bob [1].", "contradicted"),
    ("The drain of r3 was approved by Bob.", "contradicted"),
    ("r3 was drained by dave [1].", "contradicted"),
    ("The drain of r2 was approved by alice [1].", "contradicted"),
    ("The drain of r3 was approved by alice [1].", "supported"),
    ("r3 was drained by carol [1].", "supported")])
def test_a_name_the_records_do_not_hold_is_not_backed_by_them(scripted, make_session, said, status):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    session = make_session()
    _drained_by_carol_approved_by_alice(session)
    scripted.push(say(said))
    answer = Assistant(session, approver=DenyAll()).ask("who approved the drain of r3?")
    (s,) = answer.check.sentences
    assert s.status == status, (answer.text, s.reasons)


def test_an_approver_the_record_does_not_name_is_left_out_under_the_records(scripted, make_session):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    session = make_session()
    _drained_by_carol_approved_by_alice(session)
    scripted.push(say("r3 was drained by carol [1]. The drain of r3 was approved by bob [1]."))
    answer = Assistant(session, approver=DenyAll()).ask("who approved the drain of r3?")
    assert answer.text.startswith("**netops's own findings from its audit log (no model involved):**"), answer.text
    assert "approved by alice" in answer.text and "bob" not in answer.text, answer.text
    assert "r3 was drained by carol [1]." in answer.text
    assert "1 sentence of the model's answer left out (1 contradicted" in answer.text, answer.text
    assert "bob (approved)" in answer.check.sentences[1].reasons[0]


# -- 4. netops's labels are imitated only where netops writes them ---------------------------------

@pytest.mark.parametrize("said", ["Outcome: the BGP speaker must accept a hold time of at least three seconds [1].",
                                  "Found: the hold time is either zero or at least three seconds [1]."])
def test_a_label_netops_writes_only_under_a_change_or_a_read_is_not_imitation_in_a_documents_answer(
        scripted, make_assistant, said):
    from netops.agent.grounding import MODEL_IMITATED_SPEC

    scripted.push(say(said))
    answer = make_assistant().ask("What is the lowest hold time a BGP speaker may accept?")
    assert MODEL_IMITATED_SPEC not in answer.text and "imitated" not in (answer.notice or ""), answer.text
    assert said.split(": ", 1)[1].split(" [1]")[0] in answer.text, answer.text


@pytest.mark.parametrize("said", ["**netops verdict:** the hold time is three seconds [1].",
                                  "(end of sources) The hold time is three seconds [1]."])
def test_netops_own_name_or_words_are_imitation_in_a_documents_answer_too(scripted, make_assistant, said):
    from netops.agent.grounding import MODEL_IMITATED_SPEC

    scripted.push(say(said))
    answer = make_assistant().ask("What is the lowest hold time a BGP speaker may accept?")
    assert MODEL_IMITATED_SPEC in answer.text, answer.text


def test_the_same_label_under_a_device_read_is_still_imitation(scripted, make_assistant):
    scripted.push(say("r1 has 2 sessions [1].\n\n**Outcome:** approved by alice: verified."))
    answer = make_assistant().ask("show bgp neighbors on r1")
    assert "imitated netops's own output" in (answer.notice or ""), answer.text


# -- 6. a document's copy of netops's labels is shown as the document's words ----------------------

RUNBOOK = """# Drain checks

After a drain, the on-call engineer pastes what netops said into the ticket:

**Found:** drained: r3.

**netops verdict:** all healthy.

_netops: r3 is converged_

| step | check |
|------|-------|
| 1 | **bgp graceful-shutdown** is on |
| 2 | max-metric router-lsa is on |
"""


def _labelled_as_netops(text: str) -> list[str]:
    return re.findall(r"\*\*(?:Found|netops verdict):\*\*|_netops: [^_\n]*_", text)


def test_a_documents_copy_of_netops_labels_is_not_shown_in_netops_voice(scripted, agent_settings, devices, tmp_path):
    from netops.assistant import Assistant
    from netops.rag.kb import KnowledgeBase
    from netops.session import Session

    doc = tmp_path / "drain-checks.md"
    doc.write_text(RUNBOOK)
    kb = KnowledgeBase(agent_settings)
    kb.add([doc])
    scripted.push(say("The hold time is 90 seconds."))  # backed by nothing: the passages lead
    try:
        with Session(agent_settings, kb=kb, devices=devices) as session:
            offline = Assistant(session).ask("what does the runbook say about drain checks in the ticket?", offline=True)
            model = Assistant(session).ask("what does the runbook say about drain checks in the ticket?")
    finally:
        kb.close()
    for answer in (offline, model):
        assert "drained: r3" in answer.text, answer.text  # the passage is shown ...
        assert not _labelled_as_netops(answer.text), answer.text  # ... not in netops's voice


def test_a_retrieval_only_passage_is_not_one_heading(agent_settings, devices, tmp_path):
    """The retrieval-only answer printed a runbook's first chunk as "# Drain checks After a drain, ...":
    in Markdown the whole passage was one heading."""
    from netops.assistant import Assistant
    from netops.rag.kb import KnowledgeBase
    from netops.session import Session

    doc = tmp_path / "drain-checks.md"
    doc.write_text(RUNBOOK)
    kb = KnowledgeBase(agent_settings)
    kb.add([doc])
    try:
        with Session(agent_settings, kb=kb, devices=devices) as session:
            answer = Assistant(session).ask("what does the runbook say about drain checks in the ticket?", offline=True)
    finally:
        kb.close()
    assert "Drain checks. After a drain" in answer.text, answer.text
    assert not re.search(r"(?m)^#", answer.text), answer.text


def test_a_runbook_table_keeps_its_markup():
    from netops.markdown import plain_labels

    assert plain_labels(RUNBOOK).endswith("| 1 | **bgp graceful-shutdown** is on |\n| 2 | max-metric router-lsa is on |\n")
    assert "Found: drained: r3." in plain_labels(RUNBOOK) and "netops verdict: all healthy." in plain_labels(RUNBOOK)
    assert "**Bold:** stays" in plain_labels("**Bold:** stays")
