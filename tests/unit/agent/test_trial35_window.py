"""What an ISP NOC engineer typed in a maintenance window (helper trial35, 2026-12-04; the set is
``data/state_phrasings_trial35.yaml``, written during the trial): the network's health asked with no
device named ("is everything healthy?", "all good?", "network status") is every device's sweep, as
"what's down?" was, and a drained router put back "the way one guesses" ("put r3 back", "bring r3
back") is router-undrain. 8/21 of the set failed before (no known intent, or RFC passages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.intent import phrases_said
from netops.agent.router import route_named
from tests._phrasings import bench

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


@pytest.mark.parametrize("text, said", [
    ("router bgp 65003\n bgp graceful-shutdown\n!\nrouter ospf\n max-metric router-lsa administrative\n",
     "- drained: BGP graceful-shutdown and OSPF max-metric are on"),
    ("router bgp 65003\n bgp graceful-shutdown\n!\nrouter ospf\n network 198.51.100.4/30 area 0\n",
     "- partly drained: BGP graceful-shutdown is on, OSPF max-metric is not"),
    ("router bgp 65003\n neighbor 198.51.100.5 remote-as 65002\n", "- not drained: neither `bgp graceful-shutdown` nor"),
])
def test_the_drain_state_is_read_from_the_running_configuration(text, said):
    """trial35: "is r3 drained?" read r3's BGP summary, whose sessions stay Established on a drained
    router: nothing on screen said whether it was drained. What router-drain sets is in the
    configuration."""
    from netops.agent.offline import drain_state

    assert drain_state(text).startswith(said), drain_state(text)


@pytest.mark.parametrize("question, hosts", [("is r3 drained?", ["r3"]), ("is r2 still in maintenance mode?", ["r2"]),
                                             ("is traffic off r1?", ["r1"]), ("which routers are drained?", HOSTS),
                                             ("is anything drained?", HOSTS), ("is max-metric set on r3?", ["r3"]),
                                             ("is bgp graceful-shutdown configured on r1?", ["r1"])])
def test_is_it_drained_reads_the_configuration(question, hosts):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_drain")) == ("tool", "config", hosts, True)


@pytest.mark.parametrize("question", ["drain r3", "what happens when r3 is drained?", "why is r3 drained?",
                                      "how do I check if r3 is drained?", "set max-metric on r3",
                                      "configure graceful-shutdown on r3"])
def test_drain_words_that_ask_no_state_are_not_the_drain_read(question):
    r, _ = route_named(question, HOSTS)
    assert not r.args.get("_drain"), r


@pytest.mark.parametrize("question", ["start maintenance on r3", "begin the maintenance of r3", "put r3 in maintenance mode"])
def test_maintenance_started_on_a_router_is_a_drain(question):
    """trial35: "start maintenance on r3" had no intent, although "end maintenance on r3" undrains r3."""
    assert "into-maintenance" in phrases_said(question)


@pytest.mark.parametrize("question", ["is r3 in maintenance?", "when does maintenance start on r3?",
                                      "put the session to r2 on r1 in maintenance"])
def test_maintenance_words_that_ask_for_no_drain(question):
    assert "into-maintenance" not in phrases_said(question)
