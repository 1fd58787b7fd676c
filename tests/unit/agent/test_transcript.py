"""What history keeps of an answer: tool calls, approvals, evidence (with device output) and the
answer check, redacted; read back for a resumed chat, an export and ``conversations show``."""

from __future__ import annotations

import json
import sqlite3

import pytest

from netops.testing.ollama_server import say, tool_call

SECRET = "$1$abcdefgh$0123456789abcdefghijkl"


@pytest.fixture
def change_assistant(make_assistant, agent_settings, vetted_playbooks):
    def make(**kw):
        settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})
        return make_assistant(settings, **kw)

    return make


def test_tool_calls_approvals_and_device_output_are_stored_and_read_back(scripted, change_assistant,
                                                                           fake_transport, agent_settings):
    from netops.agent.transcript import stored_answer

    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}
    drain = {"playbook": "router-drain", "hosts": ["r2"], "params": {}}
    scripted.push(tool_call("show", hosts=["r1"], command="show bgp summary json"),
                  tool_call("kb_search", query=f"what is enable secret 5 {SECRET}"),
                  tool_call("playbook_run", **drain), say("r1 has two peers; the drain of r2 was refused."))
    assistant = change_assistant()
    # left to the model: a condition in it (a plain "apply maintenance to r2 ..." is refused by netops
    # itself, no vetted playbook "applies maintenance": test_unvetted_change)
    answer = assistant.ask("apply maintenance to r2 if it is safe, after checking the BGP peers of r1")
    assert answer.approvals and answer.approvals[0].decision == "blocked"   # "apply maintenance" is no drain

    conv = assistant.session.conversation(answer.conversation_id)
    stored = stored_answer(conv.messages[-1])
    assert [(c.tool, c.ok) for c in stored.tool_calls] == [(c.tool, c.ok) for c in answer.tool_calls]
    live_show = next(c for c in answer.tool_calls if c.tool == "show")
    show = next(c for c in stored.tool_calls if c.tool == "show")
    assert show.args == {"hosts": ["r1"], "command": "show bgp summary json"}
    assert show.summary == live_show.summary and show.summary
    lines = len(fake_transport.outputs["r1"]["show_bgp_summary_json"].splitlines())
    assert show.summary == f"r1 read ({lines} lines)"    # per host, not the model's data wrapper
    assert show.elapsed == live_show.elapsed and show.evidence == live_show.evidence
    (approval,) = stored.approvals
    assert (approval.playbook, approval.targets, approval.decision) == ("router-drain", ["r2"], "blocked")
    assert approval.review == answer.approvals[0].review and approval.by == answer.approvals[0].by
    assert approval.ask == answer.approvals[0].ask == "drain r2 for maintenance"

    device = [e for e in stored.evidence if e.kind == "device"]
    assert device and device[0].host == "r1" and device[0].command == "show bgp summary json" and device[0].at
    kept = stored.evidence_text(device[0].label)
    assert '"routerId":"203.0.113.1"' in kept and "<data" not in kept  # this host's output, unwrapped
    assert stored.citations == answer.citations

    kb_call = next(c for c in stored.tool_calls if c.tool == "kb_search")
    assert SECRET not in json.dumps(kb_call.args) and "<redacted>" in kb_call.args["query"]
    raw = sqlite3.connect(agent_settings.paths.history_db).execute("SELECT group_concat(meta) FROM messages").fetchone()[0]
    assert SECRET not in raw


def test_rows_from_before_keep_working():
    """An assistant row with only mode, citations and partial (written by earlier netops)."""
    from netops.agent.transcript import stored_answer
    from netops.store.history import HistoryMessage

    old = HistoryMessage("assistant", "Hold time is 3 s.", "2026-11-30T10:00:00",
                         {"mode": "offline", "citations": ["RFC 4271 §4.2 (OPEN Message Format)",
                                                           "r1: show bgp summary json, 12:03:04"], "partial": True})
    stored = stored_answer(old)
    assert [(e.kind, e.label) for e in stored.evidence] == [
        ("spec", "RFC 4271 §4.2 (OPEN Message Format)"), ("device", "r1: show bgp summary json, 12:03:04")]
    assert stored.partial and stored.mode == "offline" and stored.tool_calls == [] and stored.approvals == []
    assert stored.check is None and stored.evidence_text("r1: show bgp summary json, 12:03:04") is None
    assert stored_answer(HistoryMessage("assistant", "x", "t")).evidence == []


def test_answer_check_summary_is_stored(make_session):
    """A grounded answer's check: the summary a person reads, and the counts."""
    from netops.agent.answer_check import check_answer
    from netops.agent.evidence import spec_evidence
    from netops.agent.transcript import answer_meta, stored_answer
    from netops.assistant import Answer
    from netops.store.history import HistoryMessage

    class Src:
        n, label = 1, "RFC 4271 §4.2 (OPEN Message Format)"
        text = "Hold Time MUST be either zero or at least three seconds."

    report = check_answer("The hold time must be zero or at least 3 seconds [1]. It is 10 seconds [1].", [Src()],
                          question="minimum hold time")
    answer = Answer("minimum hold time", report.text, "agent", "smollm2", evidence=[spec_evidence(Src.label)],
                    check=report)
    meta = json.loads(json.dumps(answer_meta(answer)))
    assert meta["check"]["summary"] == report.summary() and meta["check"]["checked"] == report.checked
    assert meta["evidence"] == [{"n": 1, "label": Src.label, "kind": "spec", "host": None, "command": None, "at": None,
                                 "ref": Src.label}]
    stored = stored_answer(HistoryMessage("assistant", answer.text, "t", meta))
    assert stored.check["summary"] == report.summary() and stored.model == "smollm2"


def test_conversations_show_lists_what_the_answer_did(scripted, agent_settings, monkeypatch, capsys):
    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_OLLAMA_URL", scripted.url)
    monkeypatch.setenv("NETOPS_INVENTORY", str(agent_settings.inventory))
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", "/nonexistent")
    scripted.push(tool_call("list_devices"), say("Three routers: r1, r2, r3."))
    assert main(["ask", "--json", "which routers do we have"]) == 0
    cid = json.loads(capsys.readouterr().out)["conversation_id"]
    assert main(["conversations", "show", cid, "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)["messages"][1]["meta"]
    (call,) = meta["tool_calls"]
    assert call["tool"] == "list_devices" and call["ok"] and '"r1"' in call["summary"]
    assert set(meta) >= {"mode", "model", "citations", "evidence", "approvals", "tool_calls"}
    assert main(["conversations", "show", cid]) == 0
    assert "tool list_devices" in capsys.readouterr().out
