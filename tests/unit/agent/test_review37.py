"""review37: route37's "has r3 been undrained?" and what-if answers, with a model.

Offline both said what they rest on; with a model (the grounding's sources) "has r3 been undrained?"
gave the drain state and not the audit log's records, and "would r2 be converged if I shut eth-r1?"
dropped its "netops does not predict this" line (route37's log, "Left")."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say


def _drain_then_undrain(session, host: str) -> None:
    for actor, playbook in (("dave", "router-drain"), ("erin", "router-undrain")):
        session.audit.append("apply", {"playbook": playbook, "host": host, "ok": True, "commands": ["!"]}, actor=actor)


def test_has_it_been_undrained_with_a_model_says_the_record_beside_the_state(scripted, make_assistant):
    a = make_assistant()
    _drain_then_undrain(a.session, "r3")
    scripted.push(say("r3 is not drained [1]."))
    answer = a.ask("has r3 been undrained?")
    assert "router-undrain by erin" in answer.text, answer.text
    assert answer.text.index("not drained") < answer.text.index("router-undrain by erin"), answer.text
    assert [c["playbook"] for c in answer.changes] == ["router-undrain"], answer.changes  # --json, as offline
    assert any(e.kind == "audit" for e in answer.evidence), answer.evidence
    assert any(e.kind != "audit" for e in answer.evidence), answer.evidence  # the device's read stays


def test_the_record_is_a_source_the_model_is_given(scripted, make_assistant):
    a = make_assistant()
    _drain_then_undrain(a.session, "r3")
    scripted.push(say("r3 was undrained by erin [2]."))
    answer = a.ask("has r3 been undrained?")
    prompt = "\n".join(str(m.get("content", "")) for m in scripted.requests[-1].messages)
    assert "router-undrain by erin" in prompt, prompt
    assert answer.text.startswith("r3 was undrained by erin [2]."), answer.text
    assert [s.status for s in answer.check.sentences] == ["supported"], answer.check


def test_a_what_if_with_a_model_says_first_that_nothing_is_predicted(scripted, make_assistant):
    scripted.push(say("Yes, r2 would be converged [1]."))
    answer = make_assistant().ask("would r2 be converged if I shut eth-r1?")
    assert answer.text.startswith("**netops does not predict this:**"), answer.text
    assert not answer.approvals


def test_which_routes_changed_with_a_model_says_what_netops_changed(scripted, make_assistant):
    """The offline answer says the audit log's changes beside the current table; with a model it did not."""
    a = make_assistant()
    a.session.audit.append("apply", {"playbook": "bgp-neighbor-shutdown", "host": "r2", "ok": True, "commands": ["!"]},
                           actor="erin")
    scripted.push(say("r2 has a BGP session to r1 [2]."))
    answer = a.ask("which routes changed on r2 today?")
    assert "bgp-neighbor-shutdown by erin" in answer.text and "No routing-table history" in answer.text, answer.text


def test_a_device_sentence_citing_nothing_is_not_judged_by_the_records_alone(scripted, make_assistant):
    """Beside a device read, a sentence that cites nothing is not the records' to judge: eth-r1 is
    no name the audit log must hold."""
    a = make_assistant()
    _drain_then_undrain(a.session, "r3")
    scripted.push(say("r3 is not drained and eth-r1 is in its configuration."))
    answer = a.ask("has r3 been undrained?")
    assert "contradicted" not in str([s.status for s in answer.check.sentences]), answer.check.sentences


def _approved_undrain(session, host: str) -> None:
    plan = session.audit.append("plan", {"intent": f"undrain {host}", "playbook": "router-undrain", "hash": "sha256:1",
                                         "params": {}, "hosts": [host]}, actor="carol").seq
    session.audit.append("approval", {"plan_seq": plan, "by": "alice"}, actor="carol")
    session.audit.append("apply", {"playbook": "router-undrain", "host": host, "ok": True, "commands": ["!"],
                                   "hash": "sha256:1"}, actor="carol")
    session.audit.append("result", {"plan_seq": plan, "hosts": {host: {"state": "verified"}}}, actor="carol")


def test_netops_own_record_of_an_approval_is_no_claim_of_the_model(scripted, make_assistant):
    """Lab 88 with SmolLM2: under 'has r3 been undrained?' the record's own 'approved by root' was read as
    the answer claiming an approval: 'netops made no change and recorded no approval'. It did record one;
    and netops's own record is no claim of the answer's at all."""
    a = make_assistant()
    _approved_undrain(a.session, "r3")
    for said in ("r3 is not drained [1].", "[1] r3: show running-config\nFound: r3 is not drained."):
        scripted.push(say(said))
        answer = a.ask("has r3 been undrained?")
        assert "approved by alice" in answer.text, answer.text
        assert "the answer says" not in answer.text and "recorded no approval" not in answer.text, answer.text


def test_the_models_own_claim_of_an_approval_is_said_against_the_records(scripted, make_assistant):
    a = make_assistant()
    _approved_undrain(a.session, "r3")
    scripted.push(say("r3 is not drained [1]. Undrain complete, post-checks passed."))
    answer = a.ask("has r3 been undrained?")
    assert "the changes and approvals it recorded are its audit log's records above" in answer.text, answer.text


# -- routing: this stop's new shapes, against the documents' own phrasings ---------------------------------

from netops.agent.router import route  # noqa: E402

HOSTS = ["r1", "r2", "r3"]
SWEEP = ["bgp_neighbors", "ospf_neighbors"]


@pytest.mark.parametrize("question", [
    "what is the state of the network layer reachability information?",  # BGP's NLRI: was spec at fe4ef72
    "give me a summary of the backbone area", "report on the backbone area design", "handover notes template"])
def test_a_phrase_that_qualifies_another_noun_is_no_network_report(question):
    r = route(question, HOSTS)
    assert r.args.get("_also") != SWEEP and r.tool != "change_history", r


@pytest.mark.parametrize("question", ["state of the network right now?", "give me a network status report please",
                                      "what's the state of our network", "handover notes please", "network status report"])
def test_a_network_report_is_still_the_sweep(question):
    assert route(question, HOSTS).args.get("_also") == SWEEP


@pytest.mark.parametrize("question", ["who enabled graceful restart by default in FRR?",
                                      "has anyone shut down a BGP session with a Cease notification?"])
def test_a_playbooks_verb_in_the_past_naming_no_device_and_no_time_is_not_the_audit_log(question):
    assert route(question, HOSTS).tool != "change_history"


@pytest.mark.parametrize("question", ["were any routers drained yesterday?", "who drained a router today?",
                                      "has anyone drained anything in the lab?", "did anyone undrain r3?",
                                      "who shut eth-r1 on r2?"])
def test_a_past_change_with_a_device_or_a_time_stays_the_audit_log(question):
    assert route(question, HOSTS).tool == "change_history"


# -- a condition of time leading a request: the condition read, the request said for the right router -------

from netops.agent.conditional import asked as conditional_asked  # noqa: E402


@pytest.mark.parametrize("question, condition, change", [
    ("once r3 is drained, undrain r1", "r3 is drained", "undrain r1"),
    ("after r2 is undrained, drain r3", "r2 is undrained", "drain r3"),
    ("as soon as r2 has all sessions up, undrain r3", "r2 has all sessions up", "undrain r3")])
def test_a_condition_of_time_is_a_condition(question, condition, change):
    c = conditional_asked(question, HOSTS)
    assert c is not None and (c.condition, c.request) == (condition, change), c


@pytest.mark.parametrize("question", ["after the drain of r3, what's down?", "when did we drain r3?",
                                      "once drained, how long does r3 keep its routes?", "when was r3 drained?",
                                      "after a drain, how long until traffic moves?"])
def test_a_time_that_is_no_state_is_no_condition(question):
    c = conditional_asked(question, HOSTS)
    assert c is None or c.request is None or "drain" not in (c.request or ""), c


def test_offline_once_it_is_drained_reads_the_condition_and_names_the_right_router(tmp_path):
    """It was the change matcher's: 'router-undrain ... names 2 (r3, r1) ... For example: "undrain r3"' -
    the condition's router offered as the change to ask for."""
    from tests._phrasings import bench

    h = bench.Harness(tmp_path)
    try:
        got = h.ask("once r3 is drained, undrain r1")
    finally:
        h.close()
    assert not got.get("change") and [(x["host"], x["getter"]) for x in got["reads"]] == [("r3", "config")], got
    assert '("undrain r1")' in got["text"] and '"undrain r3"' not in got["text"], got["text"]


@pytest.mark.parametrize("question", ["is it ok to use private AS numbers on the internet?",
                                      "is it really ok to use private AS numbers on the internet?"])
def test_whether_one_may_do_something_is_no_health_sweep(question):
    """Every device's interfaces, BGP and OSPF were read for it (this stop's 'still/now/really' widened it)."""
    from netops.agent.router import route_named

    assert route_named(question, HOSTS)[0].args.get("_also") != SWEEP


@pytest.mark.parametrize("question", ["is r2 really ok?", "is everything still ok?", "is r2 still ok?"])
def test_whether_a_device_is_ok_is_still_its_health(question):
    from netops.agent.router import route_named

    assert route_named(question, HOSTS)[0].intent == "health"


def _tamper(session, sql: str) -> None:
    import sqlite3

    conn = sqlite3.connect(session.audit.path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("question", ["has r3 been undrained?", "which routes changed on r3 today?"])
def test_with_a_model_an_edited_log_is_said_first(scripted, make_assistant, question):
    """adv37 says it first offline; with a model the records followed the model's answer, the warning inside them."""
    a = make_assistant()
    _drain_then_undrain(a.session, "r3")
    _tamper(a.session, "UPDATE audit SET actor = 'mallory' WHERE json_extract(payload, '$.playbook') = 'router-undrain'")
    scripted.push(say("r3 was undrained by mallory [2]."))
    answer = a.ask(question)
    assert answer.text.startswith("**The audit log does not verify**"), answer.text
    assert answer.text.count("The audit log does not verify") == 1, answer.text


# -- a question asked after a change the person says they made -------------------------------------------

def test_a_change_said_done_is_not_offered_back_to_ask_for(tmp_path):
    """'after I drained r3, is anything down?' answered 'a question asked around a change you will make'
    and 'yours to ask for in its own words when you are ready ("drain r3")'."""
    from tests._phrasings import bench

    h = bench.Harness(tmp_path)
    try:
        done, ahead = h.ask("after I drained r3, is anything down?"), h.ask("before I drain r3, is anything down?")
    finally:
        h.close()
    assert not done.get("change") and done["reads"] and "a change you say you made" in done["text"], done["text"]
    assert "when you are ready" not in done["text"] and "audit" in done["text"], done["text"]
    assert "a change you will make" in ahead["text"] and '("drain r3")' in ahead["text"], ahead["text"]


@pytest.mark.parametrize("question, made", [("after I drained r3, is anything down?", True),
                                            ("once we've drained r3, is r2 ok?", False),
                                            ("after I have drained r3, is anything down?", False),
                                            ("before I drain r3, is anything down?", False)])
def test_said_done_or_to_come(question, made):
    from netops.agent.conditional import own_change

    c = own_change(question, HOSTS)
    assert c is not None and c.made is made, c
