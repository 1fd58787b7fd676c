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


def test_an_opposite_health_verdict_is_still_contradicted(scripted, make_assistant):
    from netops.agent.answer_check import CONTRADICTED

    scripted.push(say("No, r1 is not healthy [1]."))
    answer = make_assistant().ask("is r1 healthy?")
    assert answer.check.sentences[0].status == CONTRADICTED, answer.text
