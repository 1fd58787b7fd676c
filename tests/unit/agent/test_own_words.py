"""A change runs only when the person's own words asked for it (netops.agent.intent).

A change the model proposes for a question that asked for none is refused before anyone is asked,
however willing the person at the prompt: no approval request, nothing sent to a device, a
``denial`` by ``intent`` in the audit log, and one line in the answer saying how to ask for it.
A change the person asked for still reaches the prompt; a reviewer warning alone still needs a
person (a policy's yes, ``--yes``, is refused) but a person may approve it.
"""

from __future__ import annotations

import json
import re
import sys
from types import SimpleNamespace

import pytest

from netops.agent.events import ApprovalRequestEvent
from netops.agent.intent import check_intent
from netops.testing.approvers import YesMan
from netops.testing.ollama_server import say, tool_call

HOSTS = ["r1", "r2", "r3"]
DRAIN_R3 = {"playbook": "router-drain", "hosts": ["r3"], "params": {}}
DRAIN_R2 = {"playbook": "router-drain", "hosts": ["r2"], "params": {}}
SHUT_R2 = {"playbook": "bgp-neighbor-shutdown", "hosts": ["r2"], "params": {"neighbor": "198.51.100.1"}}
# (a read question, the change a model proposes for it, the line netops tells the person to say)
READS = [
    ("is r3 healthy?", DRAIN_R3, "drain r3 for maintenance"),
    ("why is r2 not learning 203.0.113.0/24?", DRAIN_R2, "drain r2 for maintenance"),
    ("why is the BGP session on r2 flapping?", SHUT_R2, "shut down BGP neighbor 198.51.100.1 on r2"),
]




@pytest.fixture
def lab_like(fake_transport):
    """r2 and r3 answer the drain's prechecks; r2 has an Established neighbour 198.51.100.1.
    Both take the drain as FRR does (max-metric and graceful-shutdown show once pushed, go on
    rollback), so a run the person approved verifies at once, not after its 10 s postcheck."""
    def drained(host):
        on = False
        for h, lines in fake_transport.configs:
            for line in lines if h == host else ():
                if line.strip().endswith("max-metric router-lsa administrative"):
                    on = not line.strip().startswith("no ")
        return on

    def ospf(host, router_id):
        return lambda _: json.dumps({"routerId": router_id, "areas": {"0.0.0.0": {
            "indefiniteActiveAdmin": drained(host)}}})

    def running(host, base):
        return lambda _: re.sub(r"(?m)^(router bgp \d+)$", r"\1\n bgp graceful-shutdown", base, count=1) \
            if drained(host) else base

    fake_transport.outputs["r3"] = {**fake_transport.outputs.get("r3", fake_transport.outputs["r2"])}
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"], "show_bgp_neighbors_198_51_100_1_json":
                                    '{"198.51.100.1": {"remoteAs": 65001, "bgpState": "Established"}}'}
    for host, rid in (("r2", "203.0.113.2"), ("r3", "203.0.113.3")):
        out = fake_transport.outputs[host]
        out["show_ip_ospf_json"] = ospf(host, rid)
        out["show_running_config"] = running(host, out["show_running_config"])
    return fake_transport


@pytest.fixture
def session(make_session, agent_settings, vetted_playbooks):
    return make_session(agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": False}))


def _events(assistant, question, respond=True, **kw):
    """Every event of one question; any approval request is answered yes, interactively."""
    events = []
    for ev in assistant.events(question, **kw):
        if isinstance(ev, ApprovalRequestEvent):
            ev.respond(respond, by="alice", reason="approved at the prompt" if respond else "declined")
        events.append(ev)
    return events, events[-1].answer


def _assert_refused_by_intent(session, answer, events, args, ask, lab_like):
    assert not [e for e in events if isinstance(e, ApprovalRequestEvent)], "nobody may be asked"
    (record,) = answer.approvals
    assert (record.playbook, record.targets) == (args["playbook"], args["hosts"])
    assert (record.decision, record.by) == ("blocked", "intent"), record
    assert record.ask == ask
    assert not lab_like.configs                                    # nothing reached a device
    denial = session.audit.list(kind="denial")[-1].payload
    assert (denial["by"], denial["decision"], denial["playbook"]) == ("intent", "blocked", args["playbook"])
    assert denial["intent_reasons"] and "does not follow from your question" in denial["reason"]
    assert all(r in denial["reason"] for r in denial["intent_reasons"])   # why: the intent summary
    assert not session.audit.list(kind="approval") and not session.audit.list(kind="apply")
    assert session.audit.verify().ok
    lines = [ln for ln in answer.text.splitlines() if f'To make this change, ask for it: "{ask}"' in ln]
    assert len(lines) == 1, answer.text
    # the line is netops' own voice passing on the model's idea: it says where the idea came from
    assert "the model proposed it" in lines[0] and "can carry instructions" in lines[0], lines[0]
    assert answer.exit_code == 5


@pytest.mark.parametrize("question,args,ask", READS)
def test_a_read_question_never_puts_the_models_change_to_a_person(scripted, session, lab_like, question, args, ask):
    """Through the event stream (the CLI and the chat answer requests from it): no request at all."""
    scripted.push(tool_call("playbook_run", **args), say("Done, as you approved."))
    events, answer = _events(session.assistant(approver=None), question)
    _assert_refused_by_intent(session, answer, events, args, ask, lab_like)


@pytest.mark.parametrize("question,args,ask", READS)
def test_an_injected_interactive_approver_is_never_asked(scripted, session, lab_like, question, args, ask):
    person = YesMan()
    scripted.push(tool_call("playbook_run", **args), say("Done."))
    events, answer = _events(session.assistant(approver=person), question)
    assert not person.asked
    _assert_refused_by_intent(session, answer, events, args, ask, lab_like)


@pytest.mark.parametrize("question,args,ask", READS)
def test_the_line_it_suggests_is_one_the_intent_check_binds(question, args, ask):
    """Said as told, the suggestion asks for exactly the change that was refused."""
    plan = SimpleNamespace(**args)
    assert not check_intent(question, plan, hosts=HOSTS).bound
    assert check_intent(ask, plan, hosts=HOSTS).bound, check_intent(ask, plan, hosts=HOSTS).reasons


def test_a_change_the_person_asked_for_still_reaches_the_prompt_and_runs(scripted, session, lab_like):
    """Regression guard: the person's words, a yes at the prompt; the reviewer warned (a high-risk
    drain), which a person may approve."""
    scripted.push(say("unused"))
    events, answer = _events(session.assistant(approver=None), "drain r3 for maintenance")
    (req,) = [e for e in events if isinstance(e, ApprovalRequestEvent)]
    assert req.verdict.level == "warn" and req.needs_person.startswith("the reviewer warned")
    (record,) = answer.approvals
    assert record.decision == "approved" and record.by == "alice" and record.matched_by == "words"
    assert lab_like.configs and {h for h, _ in lab_like.configs} == {"r3"}


def test_a_reviewer_warning_alone_still_refuses_a_policy_yes(scripted, session, lab_like):
    """Intent bound, verdict warn: the request says a person is needed; a policy's yes is refused."""
    scripted.push(say("unused"))
    seen = []
    for ev in session.assistant(approver=None).events("drain r3 for maintenance"):
        if isinstance(ev, ApprovalRequestEvent):
            seen.append(ev)
            ev.respond(True, by="policy", reason="--yes", by_policy=True)
        last = ev
    assert len(seen) == 1 and seen[0].needs_person and "reviewer warned" in seen[0].needs_person
    assert last.answer.approvals[0].decision == "denied"
    assert "non-interactive approval cannot cover" in last.answer.approvals[0].result
    assert not lab_like.configs


# -- follow-ups in a conversation: a bare "yes" is no request ----------------------------------

def _no_change(session, answer, events, lab_like):
    assert not [e for e in events if isinstance(e, ApprovalRequestEvent)], "nobody may be asked"
    assert not lab_like.configs and not session.audit.list(kind="approval") and not session.audit.list(kind="apply")


@pytest.mark.parametrize("yes", ["yes", "do it", "go ahead", "yes please, go ahead and do it"])
def test_yes_to_the_models_suggestion_is_not_the_persons_request(scripted, session, lab_like, yes):
    assistant = session.assistant(approver=None)
    scripted.push(say("r3 looks unwell. Shall I drain r3 for you?"))
    _, first = _events(assistant, "is r3 healthy?")
    scripted.push(tool_call("playbook_run", **DRAIN_R3), say("Drained r3."))
    events, answer = _events(assistant, yes, conversation_id=first.conversation_id)
    if yes == "yes":  # no go-ahead words: the model answers, and its change is refused by intent
        _assert_refused_by_intent(session, answer, events, DRAIN_R3, "drain r3 for maintenance", lab_like)
        return
    # trial37: a go-ahead after the model's text is netops's to answer: no change is taken from a model's words
    _no_change(session, answer, events, lab_like)
    assert not answer.approvals and answer.mode == "agent"
    assert "is not a request for a change here: the answer before it was the model's text" in answer.text, answer.text
    assert "the model was not asked" in answer.notice


@pytest.mark.parametrize("yes", ["ok go ahead", "yes, do it", "go ahead", "Go ahead please.", "proceed"])
def test_a_go_ahead_right_after_netops_own_dry_run_proposes_that_change_for_approval(scripted, session, lab_like,
                                                                                     yes):
    """trial37 (the lead's decision): netops answered "what happens if I drain r3?" with the vetted playbook's
    dry run; "ok go ahead" right after it is the person's words for that change. It is proposed: the plan,
    the reviewer and the approval request as always (never skipped); the audit's intent says both."""
    assistant = session.assistant(approver=None)
    events, first = _events(assistant, "what happens if I drain r3?")
    assert not first.approvals and not [e for e in events if isinstance(e, ApprovalRequestEvent)]
    assert '"drain r3 for maintenance"' in first.text                  # netops' own suggestion
    before = len(scripted.requests)
    events, answer = _events(assistant, yes, conversation_id=first.conversation_id, respond=False)
    asked = [e for e in events if isinstance(e, ApprovalRequestEvent)]
    assert len(asked) == 1 and asked[0].plan.playbook == "router-drain" and asked[0].plan.hosts == ["r3"]
    assert answer.approvals[-1].decision == "denied" and not lab_like.configs  # the person said no: nothing sent
    assert len(scripted.requests) == before, "the model was not asked to pick the change"
    assert 'You went ahead with the change netops dry-ran for "what happens if I drain r3?"' in answer.text
    plan = session.audit.list(kind="plan")[-1].payload
    assert plan["intent"] == f"{yes} (a go-ahead after the dry run of: what happens if I drain r3?)"
    events, answer = _events(assistant, yes, conversation_id=first.conversation_id)
    assert not [e for e in events if isinstance(e, ApprovalRequestEvent)], "the go-ahead answers the dry run only"
    assert not lab_like.configs


def test_approved_after_the_go_ahead_the_change_runs(scripted, session, lab_like):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?")
    events, answer = _events(assistant, "yes, do it", conversation_id=first.conversation_id)
    assert [e for e in events if isinstance(e, ApprovalRequestEvent)]
    assert answer.approvals[-1].decision == "approved" and lab_like.configs
    assert "verified" in answer.approvals[-1].result, answer.approvals[-1].result


@pytest.mark.parametrize("yes,said", [
    ("ok go ahead if r2 is healthy", "it says more than a go-ahead"),        # a condition
    ("go ahead on r2 instead", "it says more than a go-ahead"),              # another target
])
def test_a_go_ahead_with_more_in_it_is_not_the_dry_runs_change(scripted, session, lab_like, yes, said):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?")
    before = len(scripted.requests)
    events, answer = _events(assistant, yes, conversation_id=first.conversation_id)
    _no_change(session, answer, events, lab_like)
    assert said in answer.text and '(as in "drain r3 for maintenance")' in answer.text, answer.text
    assert len(scripted.requests) == before


def test_a_go_ahead_after_a_dry_run_that_failed(scripted, session, lab_like):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I undrain r3?")  # r3 is not drained: the prechecks fail
    assert "dry run failed" in first.text.lower(), first.text
    events, answer = _events(assistant, "ok go ahead", conversation_id=first.conversation_id)
    _no_change(session, answer, events, lab_like)
    assert "the dry run of router-undrain on r3 before it did not pass" in answer.text, answer.text


def test_a_go_ahead_after_two_what_ifs_does_not_pick_one(scripted, session, lab_like):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?")
    _events(assistant, "what happens if I drain r2?", conversation_id=first.conversation_id)
    events, answer = _events(assistant, "go ahead", conversation_id=first.conversation_id)
    _no_change(session, answer, events, lab_like)
    assert "two dry runs came just before it" in answer.text and "which one is not said" in answer.text


def test_a_go_ahead_with_nothing_before_it(scripted, session, lab_like):
    events, answer = _events(session.assistant(approver=None), "ok go ahead")
    _no_change(session, answer, events, lab_like)
    assert "there is no answer before it in this conversation" in answer.text
    assert 'ask for it in your own words, naming the change and the device' in answer.text


def test_a_go_ahead_pasted_inside_a_description_is_a_description(scripted, session, lab_like):
    """The words are the description's value, not the person's consent to anything."""
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?")
    scripted.push(say("Done."))
    events, answer = _events(assistant, "set the description of eth-r2 on r3 to 'ok go ahead'",
                             conversation_id=first.conversation_id, respond=False)
    for e in events:
        if isinstance(e, ApprovalRequestEvent):
            assert e.plan.playbook == "interface-description", e.plan.playbook
    assert all(a.playbook != "router-drain" for a in answer.approvals)
    assert not lab_like.configs


def test_a_go_ahead_offline_runs_nothing_and_gives_the_command(session, lab_like):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "what happens if I drain r3?", offline=True)
    events, answer = _events(assistant, "ok go ahead", conversation_id=first.conversation_id, offline=True)
    _no_change(session, answer, events, lab_like)
    assert "netops is offline" in answer.text and "netops playbook run router-drain --target r3" in answer.text


def test_go_ahead_after_a_no_at_the_prompt_does_not_reopen_it(scripted, session, lab_like):
    assistant = session.assistant(approver=None)
    _, first = _events(assistant, "drain r3 for maintenance", respond=False)
    assert first.approvals[0].decision == "denied"
    scripted.push(tool_call("playbook_run", **DRAIN_R3), say("Drained r3."))
    events, answer = _events(assistant, "go ahead", conversation_id=first.conversation_id)
    _no_change(session, answer, events, lab_like)
    assert "the answer before it was not netops's dry run of one vetted change" in answer.text, answer.text


# -- netops ask at a terminal ------------------------------------------------------------------

def _cli_env(monkeypatch, scripted, settings, fake_transport):
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", fake_transport)
    for key, value in {"NETOPS_OLLAMA_URL": scripted.url, "NETOPS_INVENTORY": str(settings.inventory),
                       "NETOPS_MODEL_REVIEW": "false", "NETOPS_PLAYBOOKS_DIR": str(settings.playbooks_dir),
                       "NETOPS_KB__EMBEDDER": "none"}.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def terminal_yes(monkeypatch):
    """`netops ask` at a terminal where the person answers yes to every prompt it shows."""
    import click

    prompts = []

    def confirm(text, *a, **kw):
        prompts.append(text)
        return True

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(click, "confirm", confirm)
    return prompts


def test_netops_ask_at_a_terminal_never_prompts_for_the_models_change(monkeypatch, scripted, session, lab_like,
                                                                       terminal_yes, capsys):
    from netops.cli.main import main

    _cli_env(monkeypatch, scripted, session.settings, lab_like)
    scripted.push(tool_call("playbook_run", **DRAIN_R3), say("Drained r3 as approved."))
    code = main(["ask", "is r3 healthy?"])
    out = capsys.readouterr()
    assert code == 5 and not terminal_yes, (terminal_yes, out.err)
    assert not lab_like.configs
    assert 'To make this change, ask for it: "drain r3 for maintenance"' in out.out
    assert "change blocked by intent" in out.err


def test_netops_ask_at_a_terminal_still_prompts_for_the_persons_change(monkeypatch, scripted, session, lab_like,
                                                                        terminal_yes, capsys):
    from netops.cli.main import main

    _cli_env(monkeypatch, scripted, session.settings, lab_like)
    scripted.push(say("unused"))
    code = main(["ask", "drain r3 for maintenance"])
    out = capsys.readouterr()
    assert terminal_yes == ["Apply router-drain (high risk) to r3?"], out.err
    assert code == 0 and lab_like.configs, out.err


def test_netops_ask_json_records_the_refusal(monkeypatch, scripted, session, lab_like, capsys):
    from netops.cli.main import main

    _cli_env(monkeypatch, scripted, session.settings, lab_like)
    scripted.push(tool_call("playbook_run", **DRAIN_R3), say("Done."))
    code = main(["ask", "--json", "--yes", "is r3 healthy?"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 5
    (a,) = doc["approvals"]
    assert (a["decision"], a["by"], a["ask"]) == ("blocked", "intent", "drain r3 for maintenance")
    assert not lab_like.configs
