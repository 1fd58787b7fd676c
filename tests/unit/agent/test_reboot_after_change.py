""""did r2 reboot after the bgp change?" is a question: r2's facts (its uptime) are read, as for "did
r2 reboot?", and when the audit log holds a change netops made on r2 the answer says when it was, so
the engineer can compare the two. It went to the change matcher offline ("no vetted playbook does
this") and to the model with one (the user trial of 2026-12-03): the change word after "after"
names a moment, not a request."""

from __future__ import annotations

import pytest
from tests._phrasings import bench


READS = [
    ("did r2 reboot after the bgp change?", ["r2"]),
    ("did r1 go down after the ospf cost change", ["r1"]),
    ("has r3 restarted since the bgp change on r1?", ["r3"]),
    ("was r1 reloaded after the change to its bgp config?", ["r1"]),
]
GUARDS = [
    ("reboot r2 after the bgp change", ("change", "ask")),       # a request, its moment after it
    ("did r2's bgp session reset after the change?", ("read",)),  # the session, not the device
]


@pytest.fixture
def harness(tmp_path):
    h = bench.Harness(tmp_path)
    yield h
    h.close()


@pytest.mark.parametrize("question, hosts", READS, ids=[q for q, _ in READS])
def test_a_reboot_after_a_change_reads_the_device_facts(harness, question, hosts):
    got = harness.ask(question)
    assert got["expect"] == "read", bench._short(got)
    assert {r["getter"] for r in got["reads"]} == {"facts"}, bench._short(got)
    assert {r["host"] for r in got["reads"]} == set(hosts), bench._short(got)
    assert "no vetted playbook" not in got["text"] and not got["other"]
    assert "no change on " in got["text"], got["text"]        # an empty audit log, said


@pytest.mark.parametrize("question, kinds", GUARDS, ids=[q for q, _ in GUARDS])
def test_a_request_or_a_session_question_is_not_a_device_reboot(harness, question, kinds):
    got = harness.ask(question)
    assert got["expect"] in kinds and "facts" not in {r["getter"] for r in got.get("reads", [])}, bench._short(got)


def test_the_last_change_the_audit_log_holds_on_the_device_is_said_with_its_time(harness):
    audit = harness.session.audit
    audit.append("apply", {"host": "r1", "playbook": "ospf-cost", "ok": True, "commands": []}, actor="alice")
    rec = audit.append("apply", {"host": "r2", "playbook": "bgp-soft-clear", "ok": True, "commands": []}, actor="bob")
    got = harness.ask("did r2 reboot after the bgp change?")
    found = [ln for ln in got["text"].splitlines() if ln.startswith("**Found:**")]
    assert found and "cannot tell" in found[0], got["text"]
    assert f"the last change netops recorded on r2 was bgp-soft-clear at {rec.ts[:19].replace('T', ' ')}" in found[0]
    assert "ospf-cost" not in found[0]                             # r1's change is not r2's


def test_with_a_model_the_facts_and_the_change_time_come_first(scripted, make_assistant):
    from netops.testing.ollama_server import say

    scripted.push(say("r2 runs FRRouting 8.4.4 [1]."))
    assistant = make_assistant()
    rec = assistant.session.audit.append("apply", {"host": "r2", "playbook": "router-drain", "ok": True}, actor="bob")
    answer = assistant.ask("did r2 reboot after the bgp change?")
    assert answer.mode == "agent" and answer.change is None, answer.text
    reads = [(c.args.get("getter"), c.args.get("hosts")) for c in answer.tool_calls if c.tool == "get_state"]
    assert reads == [("facts", ["r2"])], answer.tool_calls
    assert f"router-drain at {rec.ts[:19].replace('T', ' ')}" in answer.text, answer.text
