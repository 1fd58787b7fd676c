"""The worded-change matcher over operator phrasings it was not written against
(``data/intent_phrasings.yaml``; ``bench/intent_phrasings.py`` reports both halves).

Safety holds for every phrasing of both halves; the expected outcome is asserted for the tuning
half only (the check half stays a measurement)."""

from __future__ import annotations

import re
from types import SimpleNamespace
from pathlib import Path

import pytest
import yaml

from netops.agent.change_intent import PlaybookInfo, match_change
from netops.agent.intent import check_intent
from netops.playbook.spec import load_playbook

REPO = Path(__file__).resolve().parents[3]
CASES = yaml.safe_load((Path(__file__).parent / "data" / "intent_phrasings.yaml").read_text())["cases"]
# The blind set and the holdout (bench/intent_phrasings.py --data ...) are measured, not asserted;
# only the safety of every match is asserted for them too.
SAFETY_CASES = CASES + [c for f in ("intent_phrasings_blind.yaml", "intent_phrasings_holdout.yaml")
                        for c in yaml.safe_load((Path(__file__).parent / "data" / f).read_text())["cases"]]
HOSTS = ["r1", "r2", "r3"]
GROUPS = {"lab": ["r1", "r2", "r3"]}
DIRS = (REPO / "playbooks", REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks")
PLAYBOOKS = [PlaybookInfo.from_spec(pb.spec) for pb in
             (load_playbook(d) for base in DIRS for d in sorted(base.iterdir()) if (d / "playbook.yaml").exists())
             if not pb.spec.read_only or pb.spec.phrases]  # as change_intent.playbooks_from offers them
TUNING_MISSES: set[str] = {
    # a group stands for hosts the words do not name: a run names its devices (asked, not a miss to fix)
    "run the bgp-health playbook against lab",
}
"""Tuning phrasings the matcher still gets wrong (strict xfail: a fix must take them off)."""


def _match(text: str):
    return match_change(text, PLAYBOOKS, HOSTS, groups=GROUPS)


def _ids(cases):
    return [c["text"] for c in cases]


def _said(text: str) -> set[str]:
    """Hosts the words name, directly or through a group they name (read here, not by the matcher)."""
    said = {h for h in HOSTS if re.search(rf"(?<![\w-]){h}(?![\w-])", text, re.IGNORECASE)}
    for group, members in GROUPS.items():
        if re.search(rf"(?<![\w-]){group}(?![\w-])", text, re.IGNORECASE):
            said.update(members)
    return said


@pytest.mark.parametrize("case", SAFETY_CASES, ids=_ids(SAFETY_CASES))
def test_a_match_is_safe(case):
    m = _match(case["text"])
    if case["expect"] == "question":
        assert m.kind != "change", "a question, hypothetical or negated request was matched as a change"
    if m.would_be is not None:  # what a hypothetical would do: dry-run only, never bound to the words
        assert m.kind == "question" and not check_intent(case["text"], m.would_be, hosts=HOSTS).bound
        assert set(m.would_be.hosts) <= _said(case["text"])
        # the blind set's "excluded" also lists hosts only checked ("check bgp on r1 and if ... drain r2"):
        # a would-be that is no change (it asks which host) proposes nothing
        assert not m.would_be.is_change or not set(m.would_be.hosts) & set(case.get("excluded", []))
    for example in m.examples:  # a clarification never suggests a host the words ruled out
        assert not _said(example) & set(case.get("excluded", [])), example
    if m.kind != "change":
        return
    assert set(m.hosts) <= _said(case["text"]), f"names hosts the words do not: {m.hosts}"
    assert not set(m.hosts) & set(case.get("excluded", [])), f"names an excluded host: {m.hosts}"
    check = check_intent(case["text"], m, hosts=HOSTS)
    assert check.bound, check.summary()


TUNING = [c for c in CASES if c["split"] == "tuning"]


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="known miss"))
                                  if c["text"] in TUNING_MISSES else c for c in TUNING], ids=_ids(TUNING))
def test_tuning_phrasing_gets_its_expected_outcome(case):
    m = _match(case["text"])
    want = case["expect"]
    if want == "match":
        assert (m.kind, m.playbook, sorted(m.hosts), m.params) == (
            "change", case["playbook"], sorted(case["targets"]), dict(case.get("params") or {})), m.to_dict()
    elif want == "clarify":
        assert m.kind == "clarify" and m.code in case["reason"], m.to_dict()
        if "param" in case:
            assert case["param"] in m.missing + m.invalid, m.to_dict()
    else:
        assert m.kind in ("question", "none", "unmatched"), m.to_dict()


def test_every_tuning_miss_is_a_tuning_phrasing():
    assert TUNING_MISSES <= {c["text"] for c in TUNING}


@pytest.mark.parametrize("text,code", [("undrain the lab group", "too-many-targets"),
                                       ("undrain lab except r1 and r2", "target"),
                                       ("undrain every router except r2", "too-many-targets")])
def test_a_group_or_everything_but_is_never_a_change(text, code):
    m = _match(text)
    assert (m.kind, m.code) == ("clarify", code), m.to_dict()


@pytest.mark.parametrize("text", [
    "I don't want r3 drained", "don't take r3 out of rotation", "never put r2 into maintenance mode",
    "do not move traffic off r1", "we shouldn't have r1 removed from service", "r3 drained? no, keep it",
    "I do not want the static route 203.0.113.128/25 via 198.51.100.2 removed from r3",
    "r2 must not be admin down on 198.51.100.6",
    "I don't want r3 taken out of service", "r3 doesn't need to go out of service",
    "don't set peer 198.51.100.6 on r2 admin down", "don't put r3 back into service",
    "drain r3 or not?", "undrain r1, or not", "drain r3 yes or no?",
    # a change called off is not a request for it
    "don't end maintenance on r3", "when does maintenance end on r3?", "end maintenance on the session to r2",
    "cancel the drain of r3", "abort the drain on r3", "undo the drain on r3", "roll back the drain of r2",
    "hold off on draining r3", "call off the r3 drain", "postpone the drain of r1", "r3 drain can wait",
    "skip the drain of r3", "forget the drain on r3", "please cancel the static route 203.0.113.128/25 via "
    "198.51.100.2 on r3 that I asked you to add",
])
def test_a_negated_phrase_or_participle_is_never_a_change(text):
    assert _match(text).kind != "change", _match(text).to_dict()


@pytest.mark.parametrize("text,playbook", [
    ("I'd like r2 taken out of service", "router-drain"), ("r1 should be undrained", "router-undrain"),
    ("please get the traffic off r3", "router-drain"), ("return r2 back to production", "router-undrain"),
    ("please do a soft clear of 198.51.100.2 on r1", "bgp-soft-clear"),
    # trial32: these went to the model, which answered about something else
    ("end maintenance on r3", "router-undrain"), ("finish the maintenance of r3", "router-undrain"),
    ("please complete the maintenance on router r3", "router-undrain"),
])
def test_requests_in_other_words_are_bound_changes(text, playbook):
    m = _match(text)
    assert (m.kind, m.playbook) == ("change", playbook), m.to_dict()
    assert check_intent(text, m, hosts=HOSTS).bound


@pytest.mark.parametrize("text", ["drain r3 and r9", "drain r3, r4", "undrain r2 and R7 please",
                                  "shut down neighbor 198.51.100.2 on r1 and r12"])
def test_a_name_shaped_like_a_host_but_not_in_the_inventory_is_asked_about(text):
    """The person asked for a host netops does not know as well: proposing the known one alone drops
    part of the request without a word."""
    m = _match(text)
    assert (m.kind, m.code) == ("clarify", "unknown-host"), m.to_dict()


@pytest.mark.parametrize("text", [
    "I drained r3 yesterday", "r3 was drained by alice at 02:00", "r3 has been drained since Monday",
    "the static route 203.0.113.128/25 via 198.51.100.2 was removed from r3",
    "neighbor 198.51.100.2 on r1 was disabled during the outage", "r2 is draining right now",
])
def test_a_change_told_as_done_is_not_a_request(text):
    """A verb form reads as a request only after words that ask for it ('I want r3 drained')."""
    m = _match(text)
    assert m.kind != "change", m.to_dict()
    assert not check_intent(text, SimpleNamespace(playbook=m.playbook or "router-drain", hosts=["r3"], params={}),
                            hosts=HOSTS).bound


@pytest.mark.parametrize("text", [
    "r3 is back in service", "r3 returned to service at 05:00", "neighbor 198.51.100.6 on r2 is admin down",
    "r3 went out of service at 02:00", "r3 is coming out of service tonight, the vendor says",
])
def test_a_state_told_in_a_phrase_is_not_a_request(text):
    m = _match(text)
    assert m.kind != "change", m.to_dict()


@pytest.mark.parametrize("text,playbook", [
    ("please admin down peer 198.51.100.6 on r2", "bgp-neighbor-shutdown"),
    ("set peer 198.51.100.6 on r2 admin down", "bgp-neighbor-shutdown"),
    ("bring r3 back in service", "router-undrain"), ("r1 has to go out of service", "router-drain"),
    ("put r3 back into rotation but keep r1 drained", "router-undrain"),
])
def test_a_phrase_said_as_a_request_is_one(text, playbook):
    m = _match(text)
    assert (m.kind, m.playbook) == ("change", playbook), m.to_dict()
