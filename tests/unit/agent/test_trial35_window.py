"""What an ISP NOC engineer typed in a maintenance window (helper trial35, 2026-12-04; the set is
``data/state_phrasings_trial35.yaml``, written during the trial): the network's health asked with no
device named ("is everything healthy?", "all good?", "network status") is every device's sweep, as
"what's down?" was, and a drained router put back "the way one guesses" ("put r3 back", "bring r3
back") is router-undrain. 8/21 of the set failed before (no known intent, or RFC passages)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from netops.agent.intent import phrases_said
from netops.agent.router import route_named

REPO = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("bench_state_phrasings_trial35", REPO / "bench" / "state_phrasings.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
HOSTS = ["r1", "r2", "r3"]


def test_the_trial35_set_misses_nothing_and_is_safe():
    res = bench.run(Path(__file__).parent / "data" / "state_phrasings_trial35.yaml")
    assert res["unsafe"] == 0 and res["read_failed"] == 0
    assert [r["text"] for r in res["results"] if not r["ok"]] == []


@pytest.mark.parametrize("question", ["is everything healthy?", "everything fine?", "status?", "is our network ok?",
                                      "how is the fleet doing?", "all ok?", "quick health check"])
def test_the_network_as_a_whole_is_every_devices_sweep(question):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.intent, r.args.get("hosts"), r.args.get("getter"), r.args.get("_also")) == \
        ("tool", "health", HOSTS, "interfaces", ["bgp_neighbors", "ospf_neighbors"]), r
    assert r.args.get("_filter") == "down" and r.args.get("_fleet") is True


@pytest.mark.parametrize("question", ["ok", "ok thanks", "tell me everything about BGP", "is everything drained?",
                                      "explain everything about ospf", "how does the network converge?"])
def test_other_words_about_everything_or_the_network_are_not_the_sweep(question):
    r, _ = route_named(question, HOSTS)
    assert not (r.kind == "tool" and r.intent == "health"), r


def test_a_named_device_keeps_its_own_health_read():
    r, _ = route_named("is everything ok on r2?", HOSTS)
    assert r.args.get("hosts") == ["r2"]


@pytest.mark.parametrize("question", ["put r3 back", "bring r3 back", "bring r3 back now", "put r3 back, then "
                                      "check bgp", "bring the router r3 back please"])
def test_a_router_put_back_is_back_in_service(question):
    assert "back-in-service" in phrases_said(question) and "bring-back" not in phrases_said(question)


@pytest.mark.parametrize("question", ["bring neighbor 198.51.100.2 on r1 back", "bring the session to r2 on r1 back"])
def test_a_peer_brought_back_is_still_enabled(question):
    assert phrases_said(question) == {"bring-back"}
