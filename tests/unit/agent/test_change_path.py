"""A change asked for in so many words is proposed through the one change path even when the
model never calls a tool; offline it is described with its commands; missing parts are asked for."""

from __future__ import annotations

import json

import pytest

from netops.agent import events as E
from netops.testing.ollama_server import say, tool_call

POLICY = "roles:\n  admin: {max_risk: high}\nusers: {}\ndefault_role: admin\n"


@pytest.fixture
def change_settings(agent_settings, vetted_playbooks):
    return agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})


def _drainable(fake_transport):
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}


def _describable(fake_transport):
    def show(command):
        wanted = [ln.strip()[12:] for h, lines in fake_transport.configs if h == "r1"
                  for ln in lines if ln.strip().startswith("description ")]
        return '{"eth-r2": {"description": "%s"}}' % (wanted[-1] if wanted else "link to r2")

    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"], "show_interface_eth_r2_json": show}


def test_a_model_that_never_calls_tools_still_gets_the_drain_proposed(scripted, make_assistant, change_settings,
                                                                       fake_transport):
    """The lead's symptom: SmolLM2 writes one sentence and calls nothing. The words propose the drain:
    plan shown before the request, the person says no, the denial is audited."""
    _drainable(fake_transport)
    scripted.push(say("Draining a router is a maintenance step."))
    assistant = make_assistant(change_settings, approver=None)
    events, order = [], []
    for ev in assistant.events("drain r2 for maintenance"):
        events.append(ev)
        order.append(type(ev).__name__)
        if isinstance(ev, E.ApprovalRequestEvent):
            assert ev.plan.playbook == "router-drain" and ev.plan.hosts == ["r2"]
            ev.respond(False, by="alice", reason="not now")
    answer = events[-1].answer
    assert order.index("PlanEvent") < order.index("ApprovalRequestEvent") < order.index("ApprovalEvent")
    start = next(e for e in events if isinstance(e, E.ToolStartEvent))
    assert start.tool == "playbook_run" and start.call_id.startswith("words-")
    (approval,) = answer.approvals
    assert (approval.decision, approval.by, approval.matched_by) == ("denied", "alice", "words")
    assert answer.exit_code == 5 and not fake_transport.configs
    assert "router-drain" in answer.text and "denied by alice" in answer.text
    assert "No evidence" not in answer.text                       # the plan read r2; it is not a claim
    doc = answer.to_dict()
    assert doc["change"]["matched_by"] == "words" and doc["change"]["playbook"] == "router-drain"
    assert doc["approvals"][0]["matched_by"] == "words"
    assert not [r for r in scripted.requests if r.tools]      # the agent model was never asked
    audit = assistant.session.audit
    plan = audit.list(kind="plan")[-1].payload
    assert plan["playbook"] == "router-drain" and plan["hosts"] == ["r2"] and plan["intent"] == "drain r2 for maintenance"
    denial = audit.list(kind="denial")[-1].payload
    assert denial["by"] == "alice" and "not now" in denial["reason"]


def test_the_worded_change_is_approved_and_applied_by_the_same_gate(scripted, make_assistant, change_settings,
                                                                    fake_transport, tmp_path):
    """--yes (a policy) covers it: the question itself asked for it, so the binding check passes."""
    from netops.playbook.approval import PolicyApprover

    _describable(fake_transport)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    settings = change_settings.model_copy(update={"policy_file": policy, "model_review": False})
    answer = make_assistant(settings, approver=PolicyApprover(settings)).ask(
        'set the description of eth-r2 on r1 to "core link"')
    (approval,) = answer.approvals
    assert approval.decision == "approved" and approval.matched_by == "words", approval.result
    assert approval.result == "applied and verified"
    assert fake_transport.configs and fake_transport.configs[0][0] == "r1"
    assert any("description core link" in ln for ln in fake_transport.configs[0][1])


def test_a_change_the_model_proposes_says_so(scripted, make_assistant, change_settings, fake_transport):
    _drainable(fake_transport)
    scripted.push(tool_call("playbook_run", playbook="router-drain", hosts=["r2"], params={}), say("Refused."))
    answer = make_assistant(change_settings).ask("r2 has a maintenance window tonight, get it ready for that")
    (approval,) = answer.approvals
    assert approval.matched_by == "model" and answer.change is None


def test_a_clarification_is_asked_in_agent_mode_without_the_model(scripted, make_assistant, change_settings,
                                                                   fake_transport):
    answer = make_assistant(change_settings, approver=None).ask("shut the BGP session on r1")
    assert "neighbor (ip" in answer.text and "shut down BGP neighbor 198.51.100.2 on r1" in answer.text
    assert answer.tool_calls == [] and answer.approvals == [] and not scripted.requests
    assert answer.change.kind == "clarify" and answer.change.missing == ["neighbor"]
    assert answer.exit_code == 0


@pytest.mark.parametrize("question", ["what happens if I drain r2?", "how do I take r2 out of rotation",
                                      "would it be safe to drain r2 now?"])
def test_a_hypothetical_change_is_answered_with_its_dry_run_and_never_asks_approval(
        scripted, make_assistant, change_settings, fake_transport, question):
    """'what happens if I drain r2' went to the model (which may call playbook_run); it is answered with
    the playbook's dry run, and no approval is requested, whatever the approver."""
    _drainable(fake_transport)
    scripted.push(say("Sure, draining now."), tool_call("playbook_run", playbook="router-drain", hosts=["r2"]))
    assistant = make_assistant(change_settings, approver=None)
    events = list(assistant.events(question))
    answer = events[-1].answer
    assert [c.tool for c in answer.tool_calls] == ["playbook_plan"] and answer.tool_calls[0].ok
    assert not [e for e in events if isinstance(e, (E.ApprovalRequestEvent, E.PlanEvent))] and not answer.approvals
    assert "router-drain" in answer.text and "nothing was changed" in answer.text
    assert "+ " in answer.text                                    # the dry run's commands are shown
    assert "netops playbook run router-drain --target r2 --dry-run" in answer.text
    assert answer.change.kind == "question" and answer.change.code == "hypothetical"
    assert not scripted.requests and not fake_transport.configs  # the model was never asked


@pytest.mark.parametrize("question", ["who drained r2", "did the drain on r2 work?", "who approved the drain?"])
def test_a_question_about_a_done_change_is_answered_from_the_audit_log(scripted, make_assistant, change_settings,
                                                                      fake_transport, question):
    """followup35: a change already made, asked about in its own words, is the audit log's (who, when,
    approved by whom, how it ended), never the change's dry run or a plan."""
    scripted.push(say("Draining moves traffic away from r2."))
    answer = make_assistant(change_settings, approver=None).ask(question)
    assert "findings from its audit log" in answer.text, answer.text
    assert not [c for c in answer.tool_calls if c.tool in ("playbook_run", "playbook_plan")] and not answer.approvals


@pytest.mark.parametrize("question", ["is r2 drained?", "don't drain r2"])
def test_a_question_about_a_done_change_or_a_refusal_goes_to_the_model(scripted, make_assistant, change_settings,
                                                                       fake_transport, question):
    scripted.push(say("Draining moves traffic away from r2."))
    answer = make_assistant(change_settings, approver=None).ask(question)
    assert "moves traffic away" in answer.text
    assert not [c for c in answer.tool_calls if c.tool in ("playbook_run", "playbook_plan")] and not answer.approvals


def test_a_hypothetical_offline_shows_the_same_dry_run(make_assistant, change_settings, fake_transport):
    _drainable(fake_transport)
    answer = make_assistant(change_settings, approver=None).ask("what would draining r2 do?", offline=True)
    assert [c.tool for c in answer.tool_calls] == ["playbook_plan"] and not answer.approvals
    assert "+ " in answer.text and "nothing was changed" in answer.text and answer.mode == "offline"


def test_without_change_tools_the_words_propose_nothing(scripted, make_assistant, change_settings, fake_transport):
    from netops.agent.builtin_tools import read_tools

    scripted.push(say("I cannot change devices here."))
    answer = make_assistant(change_settings, tools=read_tools()).ask("drain r2")
    assert "cannot change" in answer.text and not answer.approvals and answer.change is None


def test_offline_describes_the_plan_and_the_commands_and_changes_nothing(make_assistant, change_settings,
                                                                         fake_transport):
    _drainable(fake_transport)
    assistant = make_assistant(change_settings, approver=None)
    events = list(assistant.events("drain r2 for maintenance", offline=True))
    answer = events[-1].answer
    assert not [e for e in events if isinstance(e, (E.ApprovalRequestEvent, E.PlanEvent))]
    assert answer.mode == "offline" and "changes need a model" not in answer.text
    assert "netops playbook run router-drain --target r2 --dry-run" in answer.text
    assert "netops playbook run router-drain --target r2\n" in answer.text
    assert "high risk" in answer.text and "+ " in answer.text      # the dry run's commands
    assert [c.tool for c in answer.tool_calls] == ["playbook_plan"]
    assert not fake_transport.configs and not answer.approvals and answer.exit_code == 0
    assert answer.to_dict()["change"]["matched_by"] == "words"
    assert assistant.session.audit.list(kind="plan")[-1].payload["playbook"] == "router-drain"


def test_offline_clarification_and_question(make_assistant, change_settings, fake_transport):
    a = make_assistant(change_settings, approver=None)
    clar = a.ask("add a static route via 198.51.100.2 on r1", offline=True)
    assert "prefix (prefix4" in clar.text and "For example" in clar.text and not clar.tool_calls
    q = a.ask("what happens if I drain r2?", offline=True)
    assert "asks about a change" in q.text and "router-drain --target r2 --dry-run" in q.text
    assert "graceful-shutdown" in q.text                         # what the playbook does, from its spec
    assert [c.tool for c in q.tool_calls] == ["playbook_plan"] and not fake_transport.configs  # its dry run only


def test_cli_ask_without_a_terminal_denies_the_worded_change_and_says_how_it_was_matched(
        monkeypatch, scripted, change_settings, fake_transport, capsys):
    from netops.cli.main import main
    from netops.devices import transport

    _drainable(fake_transport)
    monkeypatch.setattr(transport, "ssh_transport", fake_transport)
    for key, value in {"NETOPS_OLLAMA_URL": scripted.url, "NETOPS_INVENTORY": str(change_settings.inventory),
                       "NETOPS_MODEL_REVIEW": "false", "NETOPS_PLAYBOOKS_DIR": str(change_settings.playbooks_dir),
                       "NETOPS_KB__EMBEDDER": "none"}.items():
        monkeypatch.setenv(key, value)
    scripted.push(say("ok"))
    code = main(["ask", "--json", "drain r2 for maintenance"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 5, doc
    assert doc["change"]["matched_by"] == "words" and doc["approvals"][0]["matched_by"] == "words"
    assert doc["approvals"][0]["decision"] == "denied" and "no terminal" in doc["approvals"][0]["result"]
    assert not fake_transport.configs
    code = main(["ask", "--offline", "drain r2 for maintenance"])
    out, _ = capsys.readouterr()
    assert code == 0 and "netops playbook run router-drain --target r2 --dry-run" in out


def test_the_model_reviewer_answers_briefly_and_the_agent_model_keeps_its_limit(scripted, make_assistant,
                                                                                change_settings, fake_transport):
    """Uncapped, the real small model reviewed a drain for minutes before the prompt appeared."""
    from netops.assistant import REVIEW_TOKENS

    _drainable(fake_transport)
    scripted.push(say("Draining moves traffic away from r2."))
    a = make_assistant(change_settings, approver=None)
    a.ask("drain r2 for maintenance")
    (review,) = scripted.review_requests
    assert review.options.get("num_predict") == REVIEW_TOKENS
    a.ask("is r2 drained?")
    agent_calls = [r for r in scripted.requests if r.tools]
    assert agent_calls and all(r.options.get("num_predict") != REVIEW_TOKENS for r in agent_calls)


def test_a_group_the_inventory_defines_counts_as_its_hosts(scripted, make_assistant, change_settings, fake_transport):
    """'drain lab, not r1' names the inventory group lab (r1-r3) less r1: router-drain takes one device.
    The example phrasing never suggests the excluded host."""
    answer = make_assistant(change_settings, approver=None).ask("drain lab, not r1")
    assert answer.change.kind == "clarify" and answer.change.code == "too-many-targets", answer.change.to_dict()
    assert "r1" not in answer.change.hosts and not answer.tool_calls and not scripted.requests
    assert "r1" not in " ".join(answer.change.examples)


def test_the_notice_says_the_model_reviewed_a_plan_it_did_not_pick(scripted, make_assistant, change_settings,
                                                                   fake_transport):
    """model17: 'drain r3' with SmolLM2 said 'matched from your words; the model was not asked' after
    the model reviewer had been asked (for about 20 s). The model did not pick the change; it did
    review the plan, and the notice now says both. With the model reviewer off, it was not asked."""
    _drainable(fake_transport)
    scripted.push(say("Draining moves traffic away from r2."))
    answer = make_assistant(change_settings, approver=None).ask("drain r2 for maintenance")
    assert scripted.review_requests, "the model reviewer was not asked"
    (approval,) = answer.approvals
    assert "model" in approval.reviewed_by and "rules" in approval.reviewed_by, approval
    assert "the model reviewed the plan" in (answer.notice or "") and "not asked" not in (answer.notice or "")
    quiet = make_assistant(change_settings.model_copy(update={"model_review": False}), approver=None)
    plain = quiet.ask("drain r2 for maintenance")
    assert "model" not in plain.approvals[0].reviewed_by and "the model was not asked" in (plain.notice or "")


def test_a_worded_change_that_failed_says_why(scripted, make_assistant, change_settings, fake_transport, tmp_path):
    """chat19 trial: a worded change approved and then the router's bgpd stopped: the answer said
    "Outcome: approved by root: failed: r1." and "Nothing was changed." and no more; why it failed
    (which check, on which host, rolled back or not) was only in the run table's last column, cut
    at the screen's edge, and nowhere in the history or an export. A verified run shows its run
    report; a failed one shows it too."""
    from netops.playbook.approval import PolicyApprover

    # r1's interface never shows the new description: the post-check fails and the run rolls back
    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"],
                                    "show_interface_eth_r2_json": '{"eth-r2": {"description": "link to r2"}}'}
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    settings = change_settings.model_copy(update={"policy_file": policy, "model_review": False})
    answer = make_assistant(settings, approver=PolicyApprover(settings)).ask(
        'set the description of eth-r2 on r1 to "core link"')
    (approval,) = answer.approvals
    assert approval.decision == "approved" and approval.result.startswith("failed"), approval.result
    assert "Run report" in answer.text and "description is set" in answer.text, answer.text
    assert "roll" in answer.text.split("Run report", 1)[1], answer.text
