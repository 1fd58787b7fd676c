"""What trial35 left (helper followup35, 2026-12-04; the set is ``data/state_phrasings_followup35.yaml``).

A question about a change already made, worded around the change ("did the drain work?", "who
approved the drain?", "when was r3 drained and by whom?") got the drain's dry run, as if it asked
what a drain would do: the change matcher read "drain" in a question as a hypothetical. It is a
history question: netops's audit log answers who made the change, when, who approved it and how
its run ended. Nothing of it may become a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.router import change_history, route_named
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


def test_the_followup35_set_misses_nothing_and_is_safe():
    res = bench.run(Path(__file__).parent / "data" / "state_phrasings_followup35.yaml")
    assert res["unsafe"] == 0 and res["read_failed"] == 0
    assert [r["text"] for r in res["results"] if not r["ok"]] == []


@pytest.mark.parametrize("question", ["did the drain work?", "who approved the drain?", "did the drain on r3 succeed?",
                                      "when was r3 drained and by whom?", "who drained r3?", "was the drain rolled back?",
                                      "did the last change on r2 go through?", "was alice's drain approved?",
                                      "has the undrain of r3 completed?", "when was the drain?"])
def test_a_question_about_a_change_made_is_the_history_read(question):
    assert change_history(question, named=False), question
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.tool) == ("tool", "change_history"), r


@pytest.mark.parametrize("question", ["drain r3", "what would draining r3 do?", "did the bgp session on r1 fail?",
                                      "did r2 reboot?", "who is r1's bgp neighbour?", "did the drain work? then undrain r3",
                                      "is r3 drained?", "why did the ospf adjacency fail?"])
def test_other_words_are_not_the_history_read(question):
    r, _ = route_named(question, HOSTS)
    assert not (r.kind == "tool" and r.tool == "change_history"), r


def test_the_answer_names_the_approver_and_how_the_run_ended(tmp_path):
    """A change's line in "what changed?" says who approved it and its run's end state (a rolled-back
    run is said so), from the records of its plan."""
    h = bench.Harness(tmp_path)
    try:
        seed = bench.audit_seed(Path(__file__).parent / "data" / "state_phrasings_followup35.yaml")
        rolled = [dict(r, payload={**r["payload"], "hosts": {"r3": {"state": "rolled_back", "error": "post-check"}}})
                  if r["kind"] == "result" else r for r in seed]
        h.seed(rolled)
        got = h.ask("did the drain on r3 work?")
        assert "approved by bob; rolled back (a post-check failed)" in got["text"], got["text"]
        assert got["expect"] == "ask" and got["audit"] and not got["other"]
    finally:
        h.close()


# --- "show run | include X" (trial35 #27): the whole configuration was shown, the include ignored

@pytest.mark.parametrize("question, host, pipe", [
    ("show run | include max-metric on r3", "r3", "| include max-metric"),
    ("show running-config | include bgp on r1", "r1", "| include bgp"),
    ("r2: show run | i ospf", "r2", "| i ospf"),
    ("show run | begin router ospf on r3?", "r3", "| begin router ospf"),
])
def test_a_configuration_read_keeps_its_line_filter(question, host, pipe):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_pipe")) == ("tool", "config", [host], pipe), r
    assert not r.args.get("_section")  # "| include bgp" is every line with bgp, not the router bgp block


CONFIG = "frr version 8.4.4\n!\nrouter bgp 65003\n bgp router-id 203.0.113.3\n bgp graceful-shutdown\n!\n" \
         "router ospf\n ospf router-id 203.0.113.3\n max-metric router-lsa administrative\n!\n"


def test_the_include_keeps_only_its_lines():
    from netops.agent.offline import piped_config

    said = piped_config(CONFIG, "| include max-metric")
    assert " max-metric router-lsa administrative" in said and "router bgp" not in said
    assert "router-id" in piped_config(CONFIG, "| include bgp") and "max-metric" not in piped_config(CONFIG, "| i bgp")
    assert piped_config(CONFIG, "| include zzz") == "- no line of the running configuration matches `| include zzz`"


def test_a_pattern_netops_does_not_run_is_one_line_and_shows_nothing():
    from netops.agent.offline import piped_config

    said = piped_config(CONFIG, "| include .*a+b+c+d")
    assert said.startswith("- the filter `| include .*a+b+c+d` was not run:") and "router" not in said


def test_the_offline_answer_shows_the_filtered_lines(tmp_path):
    h = bench.Harness(tmp_path)
    try:
        got = h.ask("show run | include router on r3")
    finally:
        h.close()
    assert [(r["host"], r["getter"]) for r in got["reads"]] == [("r3", "config")]
    assert "router bgp 65003" in got["text"] and "frr version" not in got["text"], got["text"]
