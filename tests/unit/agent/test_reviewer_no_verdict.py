"""A model reviewer that gives no verdict is "not reviewed by the model", not a warning (helper
"model19", 2026-12-03; finding 9 of the SmolLM2 blind trial, /work/coord/model17-findings.md).

SmolLM2 never answers the reviewer with the JSON verdict asked for; that became a WARNING, and
``--yes`` does not cover a warned change, so ``--yes`` could never apply anything with this model
(even the low-risk interface description), while the no-terminal message said "use --yes with an
approval policy". Now prose with no verdict counts as no second opinion, as with no model reviewer
(said in one line); a verdict of warn or block still stops ``--yes``, prose that reads as an
objection still warns, and a change the person's own words did not ask for is refused before
anyone (a policy included) is asked."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from netops.agent.reviewer import review_with_model
from netops.testing.ollama_server import say, tool_call

POLICY = "roles:\n  admin: {max_risk: high}\nusers: {}\ndefault_role: admin\n"
ASK = 'set the description of eth-r2 on r1 to "core link"'
PROSE = "The plan sets the description of eth-r2 on r1 to core link, as the request asks."


@pytest.fixture
def change_settings(agent_settings, vetted_playbooks):
    return agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})


def _describable(fake_transport):
    def show(command):
        wanted = [ln.strip()[12:] for h, lines in fake_transport.configs if h == "r1"
                  for ln in lines if ln.strip().startswith("description ")]
        return '{"eth-r2": {"description": "%s"}}' % (wanted[-1] if wanted else "link to r2")

    fake_transport.outputs["r1"] = {**fake_transport.outputs["r1"], "show_interface_eth_r2_json": show}


def _policy_assistant(make_assistant, change_settings, tmp_path):
    from netops.playbook.approval import PolicyApprover

    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    settings = change_settings.model_copy(update={"policy_file": policy, "model_review": True})
    return make_assistant(settings, approver=PolicyApprover(settings))


@pytest.mark.parametrize("deadline", [None, 30.0])
def test_prose_with_no_verdict_is_no_second_opinion(deadline):
    v = review_with_model(FakeListChatModel(responses=[PROSE]), "interface-description on r1", ASK, "",
                          deadline=deadline)
    assert v.level == "ok" and "model" in v.by, v
    (note,) = v.findings
    assert "no verdict" in note and "not reviewed by the model" in note, note
    assert "objected" not in v.summary() and "WARNING" not in v.summary()


def test_prose_with_no_verdict_is_no_second_opinion_even_echoing_the_prompt():
    """SmolLM2 on lab 8 (model19's re-check): "The plan is to drain a router ... the host and object."."""
    for reply in ["The plan acts on the host and object the person asked about, r1 and its eth-r2.",
                  "The plan is to create a new interface eth-r3 that will allow the host and object to communicate.",
                  'Reply: {"verdict": "ok" | "warn" | "block", "findings": ["short reason"]} The plan sets a description.',
                  # what a plan does, told in prose, is no objection (review20)
                  "The plan concerns eth-r2 on r1 and sets core link instead of link to r2.",
                  "The drain moves traffic away from r1 without disruption, then takes it down for maintenance."]:
        v = review_with_model(FakeListChatModel(responses=[reply]), "interface-description on r1", ASK, "")
        assert v.level == "ok", (reply, v)


@pytest.mark.parametrize("reply", ["Do not apply this change: it would take r1's uplink down.",
                                   "I would block this plan, the description is wrong.",
                                   "Warning: this is risky.",
                                   # review20: objections in other words were "not reviewed", --yes applied
                                   "This plan should not be applied: it takes down r1's only uplink.",
                                   "The change must not be run on r1.",
                                   "It shouldn't be approved.",
                                   "I recommend against applying this change.",
                                   "This is not what the person asked for.",
                                   "The plan does not match the request: it changes r2, the request names r1.",
                                   "Don't go ahead with this.",
                                   "Not safe to apply.",
                                   "Caution: this will cause an outage on r1."])
def test_prose_that_reads_as_an_objection_still_warns(reply):
    """(and prose that only repeats the prompt's "the host and object the person asked about" does not:
    test_prose_with_no_verdict_is_no_second_opinion_even_echoing_the_prompt)"""
    v = review_with_model(FakeListChatModel(responses=[reply]), "interface-description on r1", ASK, "")
    assert v.level == "warn" and any("objection" in f for f in v.findings), v


def test_yes_applies_a_change_the_words_asked_for_when_the_model_reviewer_gives_no_verdict(
        scripted, make_assistant, change_settings, fake_transport, tmp_path):
    _describable(fake_transport)
    scripted.review = say(PROSE)
    answer = _policy_assistant(make_assistant, change_settings, tmp_path).ask(ASK)
    assert scripted.review_requests, "the model reviewer was not asked"
    (approval,) = answer.approvals
    assert approval.decision == "approved" and approval.result == "applied and verified", approval
    assert approval.review == "ok" and "model" in approval.reviewed_by
    assert any("not reviewed by the model" in f for f in approval.review_findings), approval.review_findings
    assert fake_transport.configs and any("description core link" in ln for ln in fake_transport.configs[0][1])
    # the note says what happened: the model was asked to review and gave no verdict
    assert "gave no verdict" in (answer.notice or "") and "not asked" not in (answer.notice or ""), answer.notice


@pytest.mark.parametrize("verdict", ['{"verdict": "warn", "findings": ["eth-r2 is the only uplink"]}',
                                     '{"verdict": "block", "findings": ["wrong interface"]}'])
def test_a_reviewer_verdict_of_warn_or_block_still_stops_yes(scripted, make_assistant, change_settings,
                                                             fake_transport, tmp_path, verdict):
    _describable(fake_transport)
    scripted.review = say(verdict)
    answer = _policy_assistant(make_assistant, change_settings, tmp_path).ask(ASK)
    (approval,) = answer.approvals
    assert approval.decision in ("denied", "blocked") and not fake_transport.configs, approval


def test_a_change_the_words_did_not_ask_for_is_still_refused_before_the_policy(
        scripted, make_assistant, change_settings, fake_transport, tmp_path):
    """The model proposes the change (the question asked for none): refused by intent, the silent
    reviewer notwithstanding; the policy is never asked."""
    _describable(fake_transport)
    scripted.review = say(PROSE)
    scripted.push(tool_call("playbook_run", playbook="interface-description", hosts=["r1"],
                            params={"interface": "eth-r2", "description": "core link"}), say("Done."))
    answer = _policy_assistant(make_assistant, change_settings, tmp_path).ask("r1's eth-r2 looks odd, tidy it up")
    (approval,) = answer.approvals
    assert (approval.decision, approval.by) == ("blocked", "intent") and not fake_transport.configs, approval


def test_no_terminal_and_a_warned_change_does_not_point_at_yes(settings):
    """The no-terminal message said "use --yes with an approval policy" for a change --yes could not
    cover (the reviewer warned): circular. It now says that only a person at a terminal may approve it."""
    from netops.cli.ask import _Approvals

    got = {}
    req = NS(plan=NS(hosts=["r3"], playbook="router-drain", risk="high"), needs_person="the reviewer warned: x",
             respond=lambda ok, **kw: got.update(ok=ok, **kw))
    _Approvals(settings, False, None, False).answer(req)
    assert got["ok"] is False and "--yes" not in got["reason"] and "terminal" in got["reason"], got
    # the findings were printed with the plan; the reason names why a person must approve, once (trial32)
    assert "(the reviewer warned)" in got["reason"] and ": x" not in got["reason"], got
    plain = NS(plan=req.plan, needs_person=None, respond=lambda ok, **kw: got.update(ok=ok, **kw))
    _Approvals(settings, False, None, False).answer(plain)
    assert "use --yes with an approval policy" in got["reason"]
