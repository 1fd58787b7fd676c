"""A read command the person typed for one device that none of netops's typed reads covers is not
answered by the nearest one in silence: "show ip ospf database on r2" was answered with r2's OSPF
neighbours, "show ip protocols on r1" with r1's interfaces, as if that were what was asked. The
answer now says the read is only the nearest and how to send the command as typed (`netops show`,
through the read-only policy). The offline path still runs nothing but typed reads."""

from __future__ import annotations

import pytest

from netops.agent.router import TYPED_NOT_READ, route
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, host, command", [
    ("show ip ospf database on r2", "r2", "show ip ospf database"),
    ("show ip protocols on r1", "r1", "show ip protocols"),
    ("r3# sh ip ospf interface", "r3", "sh ip ospf interface"),
    ("r1: show ip ospf neighbor detail", "r1", "show ip ospf neighbor detail"),
    ("show bgp ipv4 unicast 203.0.113.3/32 on r1", "r1", "show bgp ipv4 unicast 203.0.113.3/32"),
])
def test_a_typed_command_no_typed_read_covers_is_said_to_be_read_only_nearly(question, host, command):
    r = route(question, HOSTS)
    said = r.typed if r.kind == "tool" else r.reason  # no typed read near it at all: nothing read, said
    assert said and said.startswith(TYPED_NOT_READ) and f'netops show {host} "{command}"' in said, r


@pytest.mark.parametrize("question", [
    "sh ip bgp sum on r1", "show bgp summary on r2", "show ip ospf neighbor on r2", "show interfaces on r3",
    "show run on r1", "show running-config on r2", "show version on r1", "show ip route 203.0.113.3 on r1",
    "show running-config interface eth-r1 on r2",
    "show me the bgp peers on r1",  # English, not a command
])
def test_a_typed_command_a_typed_read_covers_says_nothing_more(question):
    r = route(question, HOSTS)
    assert r.kind == "tool" and r.tool == "get_state" and r.typed is None, r


@pytest.mark.parametrize("question", [
    "show ip ospf database on r9",          # not in the inventory
    "show running-config > /tmp/x on r1",   # never a hint to send a redirect
    "shut down bgp on r1",                  # a change
])
def test_no_hint_where_it_does_not_belong(question):
    r = route(question, HOSTS)
    assert not r.typed and TYPED_NOT_READ not in r.reason, r


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("typed"))
    yield h
    h.close()


def test_offline_the_answer_says_it_is_the_nearest_read_and_runs_nothing_raw(harness):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    assistant = Assistant(harness.session, approver=DenyAll())
    harness.log.clear()
    answer = assistant.ask("show ip ospf database on r2", offline=True)
    assert not [e for e in harness.log if e[0] in ("run", "configure")], harness.log
    assert [(e[1], e[2]) for e in harness.log if e[0] == "get"] == [("r2", "ospf_neighbors")], harness.log
    assert "**Not the command you typed:**" in answer.text and 'netops show r2 "show ip ospf database"' in answer.text
    plain = assistant.ask("sh ip bgp sum on r1", offline=True)
    assert "Not the command you typed" not in plain.text, plain.text


def test_with_a_model_the_answer_also_says_the_read_was_only_the_nearest(scripted, make_assistant):
    """The note was offline only: with a model, r2's OSPF neighbours were read for "show ip ospf
    database on r2" and the answer did not say that this was not the command typed."""
    from netops.testing.ollama_server import say

    scripted.push(say("r2 has one OSPF neighbour [1]."))
    answer = make_assistant().ask("show ip ospf database on r2")
    assert answer.text.startswith("**Not the command you typed:**"), answer.text
    assert 'netops show r2 "show ip ospf database"' in answer.text


def test_with_a_model_that_ran_the_command_as_typed_there_is_no_note(scripted, make_assistant):
    from netops.testing.ollama_server import say, tool_call

    scripted.push(tool_call("show", hosts=["r2"], command="show ip ospf database"),
                  say("r2's OSPF database [1]."))
    answer = make_assistant().ask("show ip ospf database on r2")
    assert [c.tool for c in answer.tool_calls if c.ok] and "Not the command you typed" not in answer.text, answer.text
