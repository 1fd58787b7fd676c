"""The worded-change matcher reads a playbook's manifest ``phrases`` (bgp-health and the peering
plugin's ixp-peer-* have no action word in their names and were never matched), and the binding
check (intent.check_intent) accepts a plan for a phrase the person said, and no other."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.agent.change_intent import PlaybookInfo, match_change
from netops.agent.intent import check_intent, phrase_said
from netops.playbook.spec import load_playbook

REPO = Path(__file__).resolve().parents[3]
HOSTS = ["r1", "r2", "r3"]
GROUPS = {"lab": ["r1", "r2", "r3"]}
DIRS = (REPO / "playbooks", REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks")
SPECS = [load_playbook(d).spec for base in DIRS for d in sorted(base.iterdir()) if (d / "playbook.yaml").exists()]
PLAYBOOKS = [PlaybookInfo.from_spec(s) for s in SPECS if not s.read_only or s.phrases]


def _match(text: str):
    return match_change(text, PLAYBOOKS, HOSTS, groups=GROUPS)


def _plan(m):
    pb = next(p for p in PLAYBOOKS if p.name == m.playbook)
    spec = next(s for s in SPECS if s.name == m.playbook)
    return SimpleNamespace(playbook=m.playbook, hosts=m.hosts, params=m.params, phrases=pb.phrases,
                           not_for=pb.not_for, read_only=spec.read_only)


@pytest.mark.parametrize("text,playbook,hosts,params", [
    ("run the bgp health check on r3", "bgp-health", ["r3"], {}),
    ("bgp-health report for r1 and r2", "bgp-health", ["r1", "r2"], {}),
    ("raise the prefix limit for 198.51.100.6 on r2 to 800", "ixp-peer-prefix-limit", ["r2"],
     {"neighbor": "198.51.100.6", "max_prefixes": 800}),
    ("bump the max-prefix of neighbor 198.51.100.9 on r3 to 1200", "ixp-peer-prefix-limit", ["r3"],
     {"neighbor": "198.51.100.9", "max_prefixes": 1200}),
    ("start ixp peer maintenance for 198.51.100.254 on r2, local as 65002", "ixp-peer-maintenance", ["r2"],
     {"local_as": 65002, "neighbor": "198.51.100.254", "action": "start"}),
    ("end the peer maintenance towards 198.51.100.254 on r2, local as 65002", "ixp-peer-maintenance", ["r2"],
     {"local_as": 65002, "neighbor": "198.51.100.254", "action": "end"}),
])
def test_a_phrase_from_the_manifest_matches_its_playbook(text, playbook, hosts, params):
    m = _match(text)
    assert (m.kind, m.playbook, m.hosts, m.params) == ("change", playbook, hosts, params), m.to_dict()
    check = check_intent(text, _plan(m), hosts=HOSTS)
    assert check.bound, check.summary()


@pytest.mark.parametrize("text", [
    "what is the prefix limit for 198.51.100.6 on r2?", "don't raise the prefix limit of 198.51.100.6 on r2",
    "is the bgp health check on r3 slow?", "would a bgp health run on r1 load the router?",
    "the log says: raise the prefix limit for 198.51.100.6 on r2 to 900. why?",
])
def test_a_phrase_in_a_question_negation_or_pasted_text_is_no_request(text):
    m = _match(text)
    assert m.kind != "change", m.to_dict()


def test_an_enum_default_is_never_taken_for_the_person():
    """'finish the ixp peer maintenance' must not run the default (action: start), the opposite."""
    m = _match("finish the ixp peer maintenance for 198.51.100.254 on r1, local as 65001")
    assert (m.kind, m.code) == ("clarify", "parameter") and "action" in m.missing, m.to_dict()


def test_binding_needs_the_phrase_said():
    plan = SimpleNamespace(playbook="ixp-peer-prefix-limit", hosts=["r2"],
                           params={"neighbor": "198.51.100.6", "max_prefixes": 800},
                           phrases=["prefix limit", "max-prefix"])
    assert check_intent("raise the prefix limit of 198.51.100.6 on r2 to 800", plan, hosts=HOSTS).bound
    assert not check_intent("check 198.51.100.6 on r2, 800 routes", plan, hosts=HOSTS).bound
    assert not check_intent("raise the prefix limit of 198.51.100.6 on r2 to 800", SimpleNamespace(
        playbook=plan.playbook, hosts=plan.hosts, params=plan.params), hosts=HOSTS).bound  # no phrases known


@pytest.mark.parametrize("text,phrase,said", [
    ("bgp-health on r1", "bgp health", True), ("bgp health on r1", "bgp-health", True),
    ("raise the prefix limits", "prefix limit", True), ("limit the prefix", "prefix limit", False),
    ("peer 198.51.100.2 on r1 into maintenance", "peer maintenance", True),
    ("peer 198.51.100.2 on r1 is done. maintenance is tomorrow", "peer maintenance", False),
])
def test_phrase_said_reads_words_in_order_within_a_clause(text, phrase, said):
    assert phrase_said(text, phrase) is said


def test_the_change_path_offers_a_read_only_playbook_only_when_it_has_phrases():
    from netops.agent.change_intent import playbooks_from

    read = [(SimpleNamespace(name=s.name, vetting="vetted", read_only=s.read_only), SimpleNamespace(spec=s))
            for s in SPECS]
    catalogue = SimpleNamespace(read=lambda shared=False: read)
    names = [p.name for p in playbooks_from(catalogue)]
    assert "bgp-health" in names
    assert all(not s.read_only or s.phrases for s in SPECS if s.name in names)


@pytest.mark.parametrize("text", ["lower the prefix limit of 198.51.100.6 on r2 to 10",
                                  "reduce the max-prefix for 198.51.100.9 on r3 to 50"])
def test_what_a_playbook_says_it_does_not_do_is_never_proposed(text):
    """ixp-peer-prefix-limit only raises a limit (its manifest's ``not_for``); 'lower the prefix
    limit' was proposed as a run of it."""
    m = _match(text)
    assert m.kind == "unmatched" and "ixp-peer-prefix-limit" in m.reason, m.to_dict()
    plan = SimpleNamespace(playbook="ixp-peer-prefix-limit", hosts=[text.split(" on ")[1][:2]],
                           params={}, phrases=["prefix limit", "max-prefix"], not_for=["lower prefix limit",
                                                                                        "reduce max-prefix"])
    assert not check_intent(text, plan, hosts=HOSTS).bound


def test_a_clarification_says_which_phrase_named_the_playbook():
    m = _match("plan the turn-up of a new peer on r1")
    assert (m.kind, m.playbook, m.code, m.phrase) == ("clarify", "ixp-peer-turn-up", "parameter", "turn-up"), m.to_dict()
    assert _match("drain r1").phrase == ""


PREFIX_LIMIT = next(s for s in SPECS if s.name == "ixp-peer-prefix-limit")


@pytest.mark.parametrize("text", [
    "show the prefix limit for 198.51.100.6 on r2, 800 max",
    "check the prefix limit for 198.51.100.6 on r2 against 800",
    "r2 hit the prefix limit for 198.51.100.6 at 800",
    "the prefix limit for 198.51.100.6 on r2 is 800",
    "the prefix limit for 198.51.100.6 on r2 was set to 800",
])
def test_a_phrase_names_a_change_but_does_not_ask_for_it(text):
    """A manifest phrase is a noun ("prefix limit"): words that only name it, to read it or tell of
    it, ask for no change. They were proposed as ixp-peer-prefix-limit and bound by check_intent
    (so a non-interactive policy could approve raising a limit nobody asked to raise)."""
    m = _match(text)
    assert m.kind != "change", m.to_dict()
    plan = SimpleNamespace(playbook=PREFIX_LIMIT.name, hosts=["r2"], read_only=PREFIX_LIMIT.read_only,
                           params={"neighbor": "198.51.100.6", "max_prefixes": 800},
                           phrases=list(PREFIX_LIMIT.phrases), not_for=list(PREFIX_LIMIT.not_for))
    assert not check_intent(text, plan, hosts=HOSTS).bound


@pytest.mark.parametrize("text", [
    "I want the prefix limit for 198.51.100.6 on r2 raised to 800",
    "the prefix limit for 198.51.100.6 on r2 needs to be increased to 800",
    "please set the max-prefix of 198.51.100.6 on r2 to 800",
])
def test_a_phrase_with_a_verb_that_asks_is_still_a_change(text):
    m = _match(text)
    assert (m.kind, m.playbook, m.params) == ("change", "ixp-peer-prefix-limit",
                                              {"neighbor": "198.51.100.6", "max_prefixes": 800}), m.to_dict()
    assert check_intent(text, _plan(m), hosts=HOSTS).bound


def test_a_phrase_does_not_stand_in_for_the_action_word_of_a_name():
    """A plugin playbook whose name has an action word ("drain") and whose manifest adds a phrase:
    saying the phrase skipped the action-word check, so words that only name it were bound."""
    plan = SimpleNamespace(playbook="ixp-peer-drain", hosts=["r2"], params={"neighbor": "198.51.100.6"},
                           phrases=["peer maintenance"], not_for=[], read_only=False)
    assert not check_intent("show the peer maintenance of 198.51.100.6 on r2", plan, hosts=HOSTS).bound
    assert check_intent("start the peer maintenance of 198.51.100.6 on r2", plan, hosts=HOSTS).bound
