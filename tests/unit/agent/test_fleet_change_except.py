"""A fleet-worded change with an exclusion ("restart whatever is down except on r3") reads what the
same words without the exclusion read, minus the excluded device, says it left that device out,
and refuses with the per-target requests like the form without "except". It read nothing (the
user trial of 2026-12-03). Phrasings other than the brief's, with several ways of excluding; the
guards (no exclusion, an exclusion the fleetchg set already had) passed before."""

from __future__ import annotations

import re

import pytest
from tests._phrasings import bench


REFUSAL = "does not change devices it picked itself"
SWEEP = {"interfaces", "bgp_neighbors", "ospf_neighbors"}
# (question, getters read, hosts read, the excluded device)
EXCEPT = [
    ("restart whatever is down except on r3", SWEEP, {"r1", "r2"}, "r3"),
    ("reset whatever is broken, but not on r2", SWEEP, {"r1", "r3"}, "r2"),
    ("restart anything that's down apart from r1", SWEEP, {"r2", "r3"}, "r1"),
    ("fix whatever is broken everywhere except r3", SWEEP, {"r1", "r2"}, "r3"),
    ("clear every bgp session that is down except on r1", {"bgp_neighbors"}, {"r2", "r3"}, "r1"),
    ("bring up the interfaces that are down, excluding r2", {"interfaces"}, {"r1", "r3"}, "r2"),
]
GUARDS = [
    ("restart whatever is down", SWEEP, {"r1", "r2", "r3"}),
    ("bounce the interfaces that are down except on r3", {"interfaces"}, {"r1", "r2"}),
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("fleet-except"))
    yield h
    h.close()


@pytest.mark.parametrize("question, getters, hosts, excluded", EXCEPT, ids=[q for q, *_ in EXCEPT])
def test_a_fleet_change_with_an_exclusion_reads_the_rest_and_refuses(harness, question, getters, hosts, excluded):
    got = harness.ask(question)
    assert got["expect"] == "change" and not got["other"], bench._short(got)
    assert {r["host"] for r in got["reads"]} == hosts, bench._short(got)
    assert {r["getter"] for r in got["reads"]} == getters, bench._short(got)
    assert REFUSAL in got["text"], got["text"]
    assert re.search(rf"\b(but|left out|excluding|excluded)\W+{excluded}\b|{excluded}\W+(left out|excluded)",
                     got["text"]), got["text"]


@pytest.mark.parametrize("question, getters, hosts", GUARDS, ids=[q for q, *_ in GUARDS])
def test_without_a_new_exclusion_the_reads_are_as_before(harness, question, getters, hosts):
    got = harness.ask(question)
    assert got["expect"] == "change" and REFUSAL in got["text"], bench._short(got)
    assert {r["host"] for r in got["reads"]} == hosts and {r["getter"] for r in got["reads"]} == getters


def test_excluding_every_device_reads_nothing(harness):
    got = harness.ask("restart whatever is down except on r1, r2 and r3")
    assert not got.get("reads") and not got["other"], bench._short(got)


def test_with_a_model_the_same_reads_and_refusal_and_no_model_call(scripted, make_assistant):
    answer = make_assistant().ask("restart whatever is down except on r3")
    assert answer.mode == "agent" and scripted.requests == []
    hosts = {h for c in answer.tool_calls if c.tool == "get_state" for h in (c.args.get("hosts") or [])}
    assert hosts == {"r1", "r2"}, answer.tool_calls
    assert REFUSAL in answer.text and "but r3" in answer.text, answer.text
    assert not [c for c in answer.tool_calls if c.tool in ("playbook_run", "playbook_plan")]
