"""State and negation contradictions in the answer check, measured on a data file of answer
sentences written from their sources (tests/fixtures/answer_check/polarity.yaml): each
contradicting sentence must be marked contradicted, each faithful paraphrase must not be."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from netops.agent.answer_check import CONTRADICTED, SUPPORTED, check_answer
from netops.testing.ollama_server import say

DATA = yaml.safe_load((Path(__file__).resolve().parents[2] / "fixtures" / "answer_check" / "polarity.yaml")
                      .read_text(encoding="utf-8"))


@dataclass
class _Source:
    n: int
    label: str
    text: str
    kind: str = "spec"


def _verdict(case: dict) -> tuple[str, list[str]]:
    src = DATA["sources"][case["source"]]
    report = check_answer(case["a"], [_Source(1, src["label"], src["text"], src["kind"])], question=case["q"])
    claims = [s for s in report.sentences if s.status != "not_checked"]
    status = CONTRADICTED if any(s.status == CONTRADICTED for s in claims) else \
        SUPPORTED if claims and all(s.status == SUPPORTED for s in claims) else "unsupported"
    return status, [r for s in claims for r in s.reasons]


def _ids(cases):
    return [f"{c['expect'][:6]}-{c['source']}-{c['a'][:40]}" for c in cases]


ALL = DATA["cases"] + DATA["heldout"]
CONTRA = [c for c in ALL if c["expect"] == "contradicted"]
FAITHFUL = [c for c in ALL if c["expect"] == "faithful"]


def _known(cases):
    """A case the check is known to miss stays visible: it must keep failing (strict xfail)."""
    return [pytest.param(c, marks=pytest.mark.xfail(reason=c["known_miss"], strict=True)) if c.get("known_miss")
            else c for c in cases]


def test_the_data_file_has_enough_of_both():
    assert len(CONTRA) >= 20 and len(FAITHFUL) >= 20


def test_accuracy_on_the_data_file():
    acc = accuracy()
    assert acc["contradictions caught"] >= 0.9 and acc["faithful not flagged"] == 1.0, acc


@pytest.mark.parametrize("case", _known(CONTRA), ids=_ids(CONTRA))
def test_a_contradicting_sentence_is_marked_contradicted(case):
    status, reasons = _verdict(case)
    assert status == CONTRADICTED, reasons


@pytest.mark.parametrize("case", _known(FAITHFUL), ids=_ids(FAITHFUL))
def test_a_faithful_paraphrase_is_not_marked_contradicted(case):
    status, reasons = _verdict(case)
    assert status != CONTRADICTED, reasons


@pytest.mark.parametrize("said", [
    "Active BGP sessions on r1: 198.51.100.2 and 198.51.100.10 [1].",    # a capital, not the BGP state
    "Connect retries are not needed for 198.51.100.2 [1].",
    "The session to 198.51.100.10 was set up last week [1].",             # set up: not "up"
    "r1 accepts up to 3 prefixes from 198.51.100.10 [1].",                # up to: a limit
])
def test_words_that_only_look_like_states_are_not_contradictions(said):
    status, reasons = _verdict({"source": "bgp_mixed", "a": said, "q": "bgp neighbours on r1"})
    assert status != CONTRADICTED, reasons


def accuracy() -> dict[str, float]:
    """Share of each kind judged right (``python -m tests.unit.agent.test_answer_polarity``)."""
    contra = [_verdict(c)[0] == CONTRADICTED for c in CONTRA]
    faithful = [_verdict(c)[0] for c in FAITHFUL]
    return {"contradictions caught": sum(contra) / len(contra),
            "faithful not flagged": sum(v != CONTRADICTED for v in faithful) / len(faithful),
            "faithful supported": sum(v == SUPPORTED for v in faithful) / len(faithful),
            "n_contradicting": len(contra), "n_faithful": len(faithful)}


if __name__ == "__main__":
    print(accuracy())
    for c in ALL:
        print(f"{c['expect']:>12} -> {_verdict(c)[0]:<12} {c['a']}  {_verdict(c)[1][:2]}")


# -- through the assistant: device state read first, the model's answer checked against it ------

@pytest.mark.parametrize("question,said", [
    ("bgp neighbours on r1", "The BGP session to 198.51.100.2 is down [1]."),
    ("ospf neighbours on r1", "The OSPF adjacency is not formed [1]."),
    ("ospf neighbours on r1", "OSPF neighbour 203.0.113.3 is down [1]."),
    ("interfaces on r1", "eth-r2 is down [1]."),
])
def test_a_model_saying_the_opposite_of_the_device_state_is_contradicted(scripted, make_assistant, question, said):
    from netops.agent.grounding import MODEL_UNSUPPORTED, OWN_FINDINGS

    scripted.push(say(said))
    answer = make_assistant().ask(question)
    (sentence,) = [s for s in answer.check.sentences if s.status != "not_checked"]
    assert sentence.status == CONTRADICTED and sentence.contradicted_by == [1], sentence
    assert "says the opposite" in sentence.reasons[0]
    # the device facts lead; the model's sentence is left out (model19: it was shown, marked, as the
    # last paragraph), and one line says so
    assert answer.text.startswith(f"**{OWN_FINDINGS}:**") and MODEL_UNSUPPORTED not in answer.text
    assert said not in answer.text and "1 sentence of the model's answer left out (1 contradicted" in answer.text
    assert answer.to_dict()["check"]["contradicted"] == 1


@pytest.mark.parametrize("said", [
    "The source is not able to answer the question about bgp neighbours on r1 [1].",  # SmolLM2, seen on the lab
    "I am unable to determine the BGP neighbours of r1 from the output [1].",
    "I'm not able to tell which neighbours r1 has.",
])
def test_a_model_that_declines_on_a_device_question_gets_the_device_facts_in_front(scripted, make_assistant, said):
    """Naming the question's words back ("bgp neighbours on r1") supports nothing: the person gets
    netops's own reading of the state, then the model's words."""
    from netops.agent.grounding import OWN_FINDINGS

    scripted.push(say(said))
    answer = make_assistant().ask("bgp neighbours on r1")
    assert not [s for s in answer.check.sentences if s.status == "supported"], answer.check.sentences
    assert answer.text.startswith(f"**{OWN_FINDINGS}:**"), answer.text
    assert "198.51.100.2" in answer.text


@pytest.mark.parametrize("question,said", [
    ("bgp neighbours on r1", "The BGP session to 198.51.100.2 is up [1]."),
    ("ospf neighbours on r1", "Both OSPF adjacencies on r1 are Full [1]."),
    ("interfaces on r1", "eth-r2 is not down [1]."),
])
def test_a_model_saying_what_the_device_state_says_is_supported(scripted, make_assistant, question, said):
    scripted.push(say(said))
    answer = make_assistant().ask(question)
    assert [s.status for s in answer.check.sentences if s.status != "not_checked"] == [SUPPORTED]
    assert answer.text.startswith(said.rstrip(".")) and "⚠" not in answer.text
