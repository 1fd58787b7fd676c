"""A device named in a list beside devices the inventory has ("what is broken on r2, r7?") is never
dropped in silence: the answer says it is not in the inventory, lists the known devices, and still
answers for the ones it has (or reads nothing and says so). It was dropped: the question was
answered for r2 alone (the user trial of 2026-12-03). Lists joined by a comma, "and", "or", a slash;
the unknown one first, last or in the middle. The guards (every name known) passed before."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say
from tests._phrasings import bench


# (question, the known hosts named, the unknown one)
LISTS = [
    ("what is broken on r2, r7?", ["r2"], "r7"),
    ("is anything down on r2 and r7?", ["r2"], "r7"),
    ("show the bgp neighbors on r9,r1", ["r1"], "r9"),
    ("interfaces on r3/r8 please", ["r3"], "r8"),
    ("are the ospf adjacencies full on r1, r5 and r2?", ["r1", "r2"], "r5"),
    ("any problems on r6 or r3", ["r3"], "r6"),
    ("check bgp on r2 & r11", ["r2"], "r11"),
]
GUARDS = [
    ("what is broken on r2, r3?", ["r2", "r3"]),
    ("show the bgp neighbors on r1,r3", ["r1", "r3"]),
    ("interfaces on r1/r2 please", ["r1", "r2"]),
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("unknown-in-list"))
    yield h
    h.close()


@pytest.mark.parametrize("question, known, unknown", LISTS, ids=[q for q, _, _ in LISTS])
def test_an_unknown_device_in_a_list_is_named_and_the_known_ones_listed(harness, question, known, unknown):
    got = harness.ask(question)
    assert f"'{unknown}'" in got["text"] and "r1, r2, r3" in got["text"], bench._short(got)
    assert "not in the inventory" in got["text"] or "no device named" in got["text"], got["text"]
    read = {r["host"] for r in got.get("reads", [])}
    # the known devices are answered for, or nothing is read at all (a clear refusal)
    assert read in (set(known), set()), bench._short(got)
    assert not got["other"]


@pytest.mark.parametrize("question, known, unknown", LISTS[:3], ids=[q for q, _, _ in LISTS[:3]])
def test_the_known_devices_are_still_answered(harness, question, known, unknown):
    got = harness.ask(question)
    assert got["expect"] == "read" and {r["host"] for r in got["reads"]} == set(known), bench._short(got)
    assert f"**{known[0]}**" in got["text"], got["text"]


@pytest.mark.parametrize("question, hosts", GUARDS, ids=[q for q, _ in GUARDS])
def test_a_list_of_known_devices_names_none_missing(harness, question, hosts):
    got = harness.ask(question)
    assert got["expect"] == "read" and {r["host"] for r in got["reads"]} == set(hosts), bench._short(got)
    assert "not in the inventory" not in got["text"] and "no device named" not in got["text"]


def test_with_a_model_the_unknown_device_is_still_named(scripted, make_assistant):
    """Agent mode: the model's answer about r2 comes with netops' own line about r7."""
    scripted.push(*[say("Nothing is down on r2 [1].")] * 4)
    answer = make_assistant().ask("what is broken on r2, r7?")
    assert answer.mode == "agent"
    assert "'r7'" in answer.text and "r1, r2, r3" in answer.text, answer.text
    hosts = {h for c in answer.tool_calls if c.tool == "get_state" for h in (c.args.get("hosts") or [])}
    assert hosts <= {"r2"}, answer.tool_calls
