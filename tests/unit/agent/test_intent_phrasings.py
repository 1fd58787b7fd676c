"""The worded-change matcher over operator phrasings it was not written against
(``data/intent_phrasings.yaml``; ``bench/intent_phrasings.py`` reports both halves).

Safety holds for every phrasing of both halves; the expected outcome is asserted for the tuning
half only (the check half stays a measurement)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from netops.agent.change_intent import PlaybookInfo, match_change
from netops.agent.intent import check_intent
from netops.playbook.spec import load_playbook

REPO = Path(__file__).resolve().parents[3]
CASES = yaml.safe_load((Path(__file__).parent / "data" / "intent_phrasings.yaml").read_text())["cases"]
HOSTS = ["r1", "r2", "r3"]
GROUPS = {"lab": ["r1", "r2", "r3"]}
DIRS = (REPO / "playbooks", REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks")
PLAYBOOKS = [PlaybookInfo.from_spec(pb.spec) for pb in
             (load_playbook(d) for base in DIRS for d in sorted(base.iterdir()) if (d / "playbook.yaml").exists())
             if not pb.spec.read_only]
TUNING_MISSES: set[str] = {
    'I want r3 drained',
    'take r3 out of rotation',
    "I'd like r1 drained before the maintenance window tonight",
    'get traffic off r2',
    'r3 should be drained now',
    'r1 is going into a maintenance window, can you move traffic away from it',
    'r2 maintenance is done, bring it back into rotation',
    'I want r3 undrained',
    'run a bgp health check on r1',
    'run the bgp-health playbook against lab',
    'admin down peer 198.51.100.6 on r2',
    'do a route refresh towards neighbor 198.51.100.2 on r1',
    'I need a static route for 203.0.113.128/25 via 198.51.100.2 on r3',
    'I want the static route 203.0.113.128/25 via 198.51.100.2 removed from r3',
    'start ixp peer maintenance towards 198.51.100.254 on r1, local as 65001',
    'raise the prefix limit of peer 198.51.100.2 on r1 to 500',
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


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_a_match_is_safe(case):
    m = _match(case["text"])
    if case["expect"] == "question":
        assert m.kind != "change", "a question, hypothetical or negated request was matched as a change"
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
