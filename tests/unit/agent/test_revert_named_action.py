"""An undo that names the change by what it did ("undo the drain on r3", "reverse the drain on r3").

trial32 (SmolLM2 on llama.cpp, the lab): "undo the last change on r3" took the undo path (the change
from the audit log, the request for router-undrain and its dry run), but "undo the drain on r3" and
"reverse the drain on r3" were no undo request ("drain" is not a word about a change) and, the drain
being called off by "undo", no change request either: the model answered them ("The drain of the R3 is
actually a drain that can be used to remove water from it"). A drain undone since (r3 undrained) was
offered an undrain whose prechecks fail."""

from __future__ import annotations

import pytest

from netops.agent.revert import revert_request
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


def _apply(actor: str, host: str, playbook: str) -> dict:
    return {"actor": actor, "kind": "apply", "payload": {"playbook": playbook, "host": host, "ok": True,
                                                          "commands": ["!"]}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """On record: bob drained r3 and undrained it; alice drained r2, then set an OSPF cost on r2
    (the newest change on r2 is not the drain)."""
    h = bench.Harness(tmp_path_factory.mktemp("trial32"))
    h.seed([
        {"actor": "bob", "kind": "plan", "payload": {"intent": "drain r3", "playbook": "router-drain",
                                                     "params": {}, "targets": "r3", "hosts": ["r3"]}},
        _apply("bob", "r3", "router-drain"),
        {"actor": "alice", "kind": "plan", "payload": {"intent": "drain r2", "playbook": "router-drain",
                                                       "params": {}, "targets": "r2", "hosts": ["r2"]}},
        _apply("alice", "r2", "router-drain"),
        _apply("bob", "r3", "router-undrain"),
        _apply("alice", "r2", "ospf-cost"),
    ])
    yield h
    h.close()


def _answer(lab, question: str):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    return Assistant(lab.session, approver=DenyAll()).ask(question, offline=True)


@pytest.mark.parametrize("question", ["undo the drain on r3", "reverse the drain on r3", "roll back the drain of r3",
                                      "revert r3's drain", "please undo the drain on r3"])
def test_the_words_name_an_undo_of_that_action(question):
    req = revert_request(question, HOSTS)
    assert req is not None and req.hosts == ["r3"] and req.action == "drain", req


@pytest.mark.parametrize("question", ["undo the drain and the shutdown on r3", "undo the drain policy on r3",
                                      "undo peer 198.51.100.2 ignore on r1"])
def test_other_words_are_still_no_undo_request(question):
    assert revert_request(question, HOSTS) is None


@pytest.mark.parametrize("question", ["undo the drain on r2", "reverse the drain on r2"])
def test_the_newest_change_of_that_action_is_the_one_undone(lab, question):
    answer = _answer(lab, question)
    text = answer.text
    assert "router-drain by alice" in text and "ospf-cost" not in text, text  # not r2's newest change
    assert answer.change is not None and answer.change.playbook == "router-undrain", answer.change
    assert answer.change.hosts == ["r2"] and answer.change.examples, answer.change


def test_a_drain_undone_since_is_said_and_no_undo_is_offered(lab):
    answer = _answer(lab, "undo the drain on r3")
    text = answer.text
    assert "router-drain by bob" in text and "**Already undone:** r3: router-undrain by bob" in text, text
    assert "nothing was changed" in text and "ask for it" not in text, text
    assert answer.change is None and not answer.tool_calls, (answer.change, answer.tool_calls)


def test_no_change_of_that_action_is_said(lab):
    text = _answer(lab, "undo the drain on r1").text
    assert "**No change to undo:** the audit log holds no drain (a change made by router-drain) on r1" in text, text
