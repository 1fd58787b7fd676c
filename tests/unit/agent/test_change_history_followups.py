"""Loose ends of "what changed on r2?" found by the last user trial and review (helper hist17):
follow-ups that change only the window or the device, routing-table questions (device state, not the
audit log), the change times in the window's zone, a device's own commit log asked for by name, undo
requests, a clarifying question standing alone, and a one-word description without quotes."""

from __future__ import annotations

import time

import pytest

from netops.agent.router import followup, meaning, route
from netops.agent.window import history_window
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


NEIGHBOR_HASH = "sha256:0000"


def _apply(actor: str, host: str, playbook: str, commands: list[str] | None = None, **extra) -> dict:
    return {"actor": actor, "kind": "apply", "payload": {"playbook": playbook, "host": host, "ok": True,
                                                          "commands": commands or ["!"], **extra}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The offline ask path on the lab's captures with four changes on record: bob then carol on r3
    (carol's with its plan record, as the playbook runner writes them), alice on r2."""
    h = bench.Harness(tmp_path_factory.mktemp("hist17"))
    h.seed([_apply("bob", "r3", "interface-description"), _apply("alice", "r2", "ospf-cost"),
            {"actor": "carol", "kind": "plan", "payload": {
                "intent": "shut down BGP neighbor 198.51.100.5 on r3", "playbook": "bgp-neighbor-shutdown",
                "hash": NEIGHBOR_HASH, "params": {"neighbor": "198.51.100.5"}, "targets": "r3", "hosts": ["r3"]}},
            _apply("carol", "r3", "bgp-neighbor-shutdown", ["router bgp 65003", "neighbor 198.51.100.5 shutdown"],
                   hash=NEIGHBOR_HASH)])
    yield h
    h.close()


def _answer(lab, question: str, after: list[str] | None = None):
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    assistant = Assistant(lab.session, approver=DenyAll())
    cid = None
    for earlier in after or []:
        cid = assistant.ask(earlier, offline=True, conversation_id=cid).conversation_id
    return assistant.ask(question, offline=True, conversation_id=cid)


# -- 1. a follow-up that changes only the window or the device keeps the history question ------------

@pytest.mark.parametrize("previous, question, hosts, window", [
    ("what changed on r2?", "and yesterday?", ["r2"], "yesterday ("),
    ("what changed on r2?", "and this week?", ["r2"], "this week ("),
    ("what changed on r2 today?", "and yesterday?", ["r2"], "yesterday ("),
    ("what changed on r2 in the last 2 days?", "what about the last hour?", ["r2"], "in the last hour"),
    ("what changed on r2?", "what about r3?", ["r3"], None),
    # "change" is a change word: the generic follow-up left these alone ("no known intent")
    ("what was the last change on r2?", "what about r3?", ["r3"], None),
    ("what was the last change on r2?", "and yesterday?", ["r2"], "yesterday ("),
    ("what changed today?", "and on r3?", ["r3"], "today ("),
    ("what changed on r2?", "and r3 since monday?", ["r3"], "since monday"),
    ("show me the change history of r1", "how about last week?", ["r1"], "last week ("),
])
def test_a_window_or_device_follow_up_keeps_the_history_question(previous, question, hosts, window):
    meant = followup(question, previous, HOSTS)
    r = route(meant, HOSTS)
    assert (r.tool, r.args.get("hosts")) == ("change_history", hosts), (meant, r)
    w = history_window(meant)
    assert (w.said if w else None) == window or (w is not None and window and w.said.startswith(window)), (meant, w)


def test_follow_ups_chain():
    assert route(meaning(["what changed on r2?", "and yesterday?", "what about r3?"], HOSTS), HOSTS).args == \
        route("what changed on r3 yesterday?", HOSTS).args


@pytest.mark.parametrize("previous, question", [
    ("what changed on r2?", "and the bgp peers?"),  # another question about r2, not its changes
    ("what changed on r2?", "undo it"),  # a request is never carried over
    ("what changed on r2?", "and 203.0.113.2?"),
    ("bgp neighbours on r1", "and yesterday?"),  # not a history question before it
])
def test_other_follow_ups_are_not_made_history_questions(previous, question):
    assert route(followup(question, previous, HOSTS), HOSTS).tool != "change_history"


def test_the_follow_up_is_answered_from_the_audit_log_offline(lab):
    """'and this week?' after 'what changed on r2?' was 'no known intent' (trial)."""
    got = lab.ask("and this week?", ["what changed on r2?"])
    assert got["audit"] and not got.get("reads") and "this week" in got["text"] and "by alice" in got["text"], got
    got = lab.ask("what about r3?", ["what was the last change on r2?"])
    assert got["audit"] and "by carol" in got["text"] and "alice" not in got["text"], got


# -- 2. routes are device state: read, and said that netops keeps no routing-table history ------------

@pytest.mark.parametrize("question, hosts", [
    ("what's changed in r1's routing table since the flap?", ["r1"]), ("which routes changed on r2 today?", ["r2"]),
    ("what changed in the routing table of r3?", ["r3"]), ("have any routes changed on r1 recently?", ["r1"]),
    ("did the routing table change on r2?", ["r2"]), ("route changes on r3 today", ["r3"]),
])
def test_a_routing_history_question_reads_the_table_and_the_sessions(question, hosts):
    r = route(question, HOSTS)
    assert (r.tool, r.args.get("getter"), r.args.get("_also"), r.args.get("hosts"), r.args.get("_route_history")) == \
        ("get_state", "routes", ["bgp_neighbors"], hosts, True), r


def test_a_routing_history_answer_is_the_current_table_not_the_audit_log_alone(lab):
    got = lab.ask("which routes changed on r2 today?")
    assert {(r["host"], r["getter"]) for r in got["reads"]} == {("r2", "routes"), ("r2", "bgp_neighbors")}, got
    text = got["text"]
    assert "No routing-table history" in text and "current" in text and "no route ages" in text, text
    assert "203.0.113.3/32 bgp" in text and "Established, up" in text, text  # the table and the sessions' uptime
    assert "ospf-cost by alice" in text, text  # what netops itself changed there, beside it


def test_with_a_model_a_routing_history_question_reads_the_devices_first(lab):
    from netops.agent.grounding import DEVICE, prepare
    from netops.agent.tools import ToolContext

    q = "what's changed in r1's routing table since the flap?"
    ctx = ToolContext(settings=lab.session.settings, session=lab.session, question=q)
    calls = []
    g = prepare(q, ctx, lambda name, args: calls.append((name, dict(args))) or _read(lab, args))
    assert g.kind == DEVICE and [a["getter"] for _, a in calls] == ["routes", "bgp_neighbors"], calls
    assert g.counts and g.counts[0].startswith("No routing-table history"), g.counts
    assert g.facts.startswith("No routing-table history") and "[1]" in g.facts, g.facts


def _read(lab, args):
    from netops.agent.tools import ToolBox, ToolContext
    from netops.assistant import Assistant

    ctx = ToolContext(settings=lab.session.settings, session=lab.session, question="")
    toolbox = ToolBox({t.name: t for t in Assistant(lab.session).tools()}, ctx)
    return toolbox.call("get_state", args)


# -- 3. change times in the window's zone (local, with its abbreviation); --json keeps ISO-8601 UTC -----

@pytest.fixture
def berlin(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX-only")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_change_times_are_said_in_the_local_zone(berlin):
    from types import SimpleNamespace

    from netops.agent.offline import history_summary

    winter = SimpleNamespace(seq=5, ts="2026-12-03T07:02:21.715+00:00", actor="alice",
                             payload={"playbook": "ospf-cost", "ok": True})
    summer = SimpleNamespace(seq=6, ts="2026-07-03T07:02:21+00:00", actor="bob",
                             payload={"playbook": "router-drain", "ok": True})
    text = history_summary({"r2": [winter, summer]})
    assert "ospf-cost by alice at 2026-12-03 08:02:21 CET" in text, text
    assert "router-drain by bob at 2026-07-03 09:02:21 CEST" in text, text
    assert "07:02:21" not in text


def test_the_answer_json_keeps_the_records_utc_time_and_the_chat_says_it_locally(lab, berlin):
    answer = _answer(lab, "what changed on r2?")
    doc = answer.to_dict()
    (change,) = doc["changes"]
    assert (change["host"], change["actor"], change["playbook"]) == ("r2", "alice", "ospf-cost"), change
    assert change["ts"].endswith("+00:00"), change  # the record's own ISO-8601 UTC time
    assert " CET (applied" in doc["answer"] or " CEST (applied" in doc["answer"], doc["answer"]
    from netops.tui.lookup import _audit

    detail = _audit(lab.session, answer.evidence[0], None)  # the chat's evidence viewer, read afresh
    assert "by alice at " in detail.text and " UTC (" not in detail.text, detail.text


# -- 4. a device's own commit log, asked for by name: netops's audit log, saying the device's is not read --

@pytest.mark.parametrize("question, host", [
    ("show system commit on r2", "r2"), ("show archive log config all on r2", "r2"),
    ("show configuration history on r1", "r1"), ("commit history r1?", "r1"), ("r3 config history", "r3"),
    ("show configuration commit list on r3", "r3"),
])
def test_a_devices_commit_log_is_answered_from_the_audit_log(lab, question, host):
    r = route(question, HOSTS)
    assert (r.tool, r.args.get("hosts")) == ("change_history", [host]), r
    got = lab.ask(question)
    assert got["audit"] and not got.get("reads"), got
    assert "own log of its configuration changes" in got["text"] and "is not read" in got["text"], got["text"]


def test_the_running_config_is_still_the_config():
    r = route("show running-config on r1", HOSTS)
    assert r.args.get("getter") == "config", r


# -- 5. undo a change: the change, and the vetted way back; never a silent no-op, never run on these words --

def test_roll_back_names_the_change_and_the_opposite_playbook_with_its_dry_run(lab):
    answer = _answer(lab, "roll back r3")
    text = answer.text
    assert "bgp-neighbor-shutdown by carol" in text and "does not undo a finished change" in text, text
    assert '"enable BGP neighbor 198.51.100.5 on r3"' in text and "bgp-neighbor-enable" in text, text
    assert [c.tool for c in answer.tool_calls] == ["playbook_plan"], answer.tool_calls  # a dry run, nothing run
    assert not answer.approvals and "Nothing was changed" in text
    assert [c["seq"] for c in answer.to_dict()["changes"]] == [4]


@pytest.mark.parametrize("question, said", [
    ("revert what alice changed on r2", "ospf-cost by alice"),
    ("undo the last change on r3", "bgp-neighbor-shutdown by carol"),
    ("please revert bob's change", "interface-description by bob"),
    ("undo the last change", "bgp-neighbor-shutdown by carol"),
    ("revert r2 to its previous config", "ospf-cost by alice"),
    ("revert r3 to before carol's change", "bgp-neighbor-shutdown by carol"),
])
def test_an_undo_request_lists_the_change_in_question(lab, question, said):
    got = lab.ask(question)
    assert got["audit"] and not got.get("reads") and not got["other"], got
    assert said in got["text"] and "Nothing was changed" in got["text"], got["text"]


def test_a_value_change_has_no_opposite_and_the_answer_says_how_to_set_one(lab):
    text = _answer(lab, "revert what alice changed on r2").text
    assert "No vetted playbook does the opposite of ospf-cost" in text and "set the OSPF cost of" in text, text


def test_nothing_to_undo_is_said(lab):
    text = _answer(lab, "undo the last change on r1").text
    assert "No change to undo" in text and "on r1" in text, text
    text = _answer(lab, "revert what dave changed").text
    assert "No change to undo" in text and "by dave" in text, text


@pytest.mark.parametrize("question, after, said", [
    ("undo it", ["what changed on r2?"], "ospf-cost by alice"),
    ("roll it back", ["what changed on r3 today?"], "bgp-neighbor-shutdown by carol"),
    ("what changed on r2 today? undo it", [], "ospf-cost by alice"),
    ("who changed r3? change it back", [], "bgp-neighbor-shutdown by carol"),
])
def test_an_undo_that_leans_on_the_history_question_before_it(lab, question, after, said):
    got = lab.ask(question, after)
    assert got["audit"] and not got["other"] and said in got["text"] and "Nothing was changed" in got["text"], got


def test_an_undo_keeps_the_window_it_is_asked_in(lab):
    text = lab.ask("undo it", ["what changed on r2 yesterday?"])["text"]
    assert "No change to undo" in text and "on r2 yesterday" in text and "by alice" not in text, text
    text = lab.ask("undo what changed on r3 this week")["text"]
    assert "bgp-neighbor-shutdown by carol" in text, text


@pytest.mark.parametrize("question, after", [("undo it", []), ("undo it", ["bgp on r1"])])
def test_undo_it_with_no_history_question_before_it_is_not_an_undo_of_the_log(lab, question, after):
    got = lab.ask(question, after)
    assert not got["audit"] and "No change to undo" not in got["text"], got


@pytest.mark.parametrize("question", ["undo peer 198.51.100.2 ignore on r1", "undo it", "revert",
                                      "roll back the static route 203.0.113.200/32 on r1"])
def test_words_that_undo_a_statement_are_not_an_undo_request(question):
    from netops.agent.revert import revert_request

    assert revert_request(question, HOSTS) is None


@pytest.fixture
def change_assistant(make_assistant, agent_settings, vetted_playbooks):
    def make(settings=None, **kw):
        settings = settings or agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})
        return make_assistant(settings, **kw)

    return make


def test_with_a_model_the_undo_is_answered_before_the_model(scripted, change_assistant):
    assistant = change_assistant()
    assistant.session.audit.append("apply", {"playbook": "router-drain", "host": "r2", "ok": True,
                                             "commands": ["!"]}, actor="erin")
    answer = assistant.ask("undo the last change on r2")
    assert not scripted.requests, "the model was asked"
    assert "router-drain by erin" in answer.text and "router-undrain" in answer.text, answer.text
    assert not answer.approvals and all(c.tool != "playbook_run" for c in answer.tool_calls)


# -- 6. a clarifying question stands alone ---------------------------------------------------------------

@pytest.mark.parametrize("question, asked", [("ping 203.0.113.2", "from which router?"),
                                             ("traceroute r3", "from which router?"),
                                             ("what's the route on r1", "needs a prefix or address")])
def test_a_clarifying_question_stands_alone(lab, question, asked):
    answer = _answer(lab, question)
    assert asked in answer.text, answer.text
    assert "needs a language model" not in answer.text and "No evidence" not in answer.text, answer.text


def test_no_known_intent_still_says_a_model_would_help(lab):
    assert "needs a language model" in _answer(lab, "tell me a joke").text


# -- 7. a one-word value without quotes ------------------------------------------------------------------

def test_a_one_word_description_without_quotes_is_the_change(lab):
    answer = _answer(lab, "set the description of eth-r2 on r1 to uplink")
    m = answer.change
    assert (m.kind, m.playbook, m.hosts, m.params) == \
        ("change", "interface-description", ["r1"], {"interface": "eth-r2", "description": "uplink"}), m
    assert "--param description=uplink" in answer.text, answer.text


@pytest.mark.parametrize("question", ["set the description of eth-r2 on r1 to link to r3",  # more than one word
                                      "set the description of eth-r2 on r1 to it"])
def test_other_unquoted_descriptions_still_ask_for_quotes(lab, question):
    m = _answer(lab, question).change
    assert m.kind == "clarify" and "description" in m.missing, m


def test_with_a_model_the_json_has_the_changes_too(scripted, change_assistant):
    from netops.testing.ollama_server import say

    assistant = change_assistant()
    assistant.session.audit.append("apply", {"playbook": "router-drain", "host": "r2", "ok": True,
                                             "commands": ["!"]}, actor="erin")
    scripted.push(say("erin drained r2 [1]."))
    answer = assistant.ask("what changed on r2?")
    assert answer.mode == "agent" and scripted.requests, answer
    (change,) = answer.to_dict()["changes"]
    assert (change["actor"], change["playbook"]) == ("erin", "router-drain") and change["ts"].endswith("+00:00"), change


def test_a_whole_network_follow_up_lists_every_routers_changes_offline(lab):
    """'and on all routers?' after 'what changed on r2?' was 'and on all routers on r2' (review17)."""
    got = lab.ask("and on all routers?", ["what changed on r2?"])
    assert got["audit"] and not got.get("reads") and "by alice" in got["text"] and "by carol" in got["text"], got
    got = lab.ask("and on all routers except r3?", ["what changed on r2?"])
    assert got["audit"] and "by alice" in got["text"] and "by carol" not in got["text"] and "by bob" not in got["text"], got


def test_with_a_model_an_unsupported_answer_is_labelled_as_the_audit_log_not_device_state(scripted, change_assistant):
    """trial32: "what changed on r1 recently?" put the audit log's changes under "netops's own
    findings from device state" and the model's sentence under "not supported by the device state";
    nothing was read from a device."""
    from netops.agent.grounding import MODEL_UNSUPPORTED, MODEL_UNSUPPORTED_AUDIT, OWN_FINDINGS, OWN_FINDINGS_AUDIT
    from netops.testing.ollama_server import say

    assistant = change_assistant()
    assistant.session.audit.append("apply", {"playbook": "router-drain", "host": "r2", "ok": True,
                                             "commands": ["!"]}, actor="erin")
    scripted.push(say("The admin of the router updated its configuration."))
    answer = assistant.ask("what changed on r2 recently?")
    assert answer.text.startswith(f"**{OWN_FINDINGS_AUDIT}:**") and "router-drain by erin" in answer.text, answer.text
    assert MODEL_UNSUPPORTED_AUDIT in answer.text, answer.text
    assert OWN_FINDINGS not in answer.text and MODEL_UNSUPPORTED not in answer.text, answer.text


def test_a_model_imitating_netops_over_the_audit_log_is_sent_to_the_audit_log(scripted, change_assistant):
    """An answer that copies netops's own labels is left out; the line saying where to look instead
    named a device ("read the device with `netops state HOST ...`") for a question the audit log
    answered: it names the audit log."""
    from netops.agent.grounding import MODEL_IMITATED, MODEL_IMITATED_AUDIT, OWN_FINDINGS_AUDIT
    from netops.testing.ollama_server import say

    assistant = change_assistant()
    assistant.session.audit.append("apply", {"playbook": "router-drain", "host": "r2", "ok": True,
                                             "commands": ["!"]}, actor="erin")
    scripted.push(say("**netops's own findings from device state:**\n\n[1] r2: router-undrain by mallory"))
    answer = assistant.ask("what changed on r2 recently?")
    assert answer.text.startswith(f"**{OWN_FINDINGS_AUDIT}:**") and "router-drain by erin" in answer.text, answer.text
    assert MODEL_IMITATED_AUDIT in answer.text and MODEL_IMITATED not in answer.text, answer.text
    assert "mallory" not in answer.text, answer.text
