"""A request that reads as a change no vetted playbook does ("set mtu 9000 on r1 eth-r2") is answered
by netops itself with a model as without one: "no vetted playbook does this", the vetted changes it
can make instead, nothing changed and the model not asked. With a model it went to the model, which
printed junk under "No evidence" (the user trial of 2026-12-03). A question that only mentions a
change word ("what mtu is r2 eth-r3 set to?") or asks about one ("how do I change the mtu on r1?")
stays a question."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import say

REFUSAL = "no vetted playbook does this"

REQUESTS = ["set mtu 9000 on r1 eth-r2", "change the mtu of r2 eth-r3 to 1400", "enable bfd on r1 towards r2",
            "configure ntp server 198.51.100.200 on r3", "can you set the hostname of r3 to core3?",
            # a tuning verb first is a request too (they read r2's config and r1's interfaces)
            "bump the bgp keepalive timer on r2 to 10s", "please increase the mtu on r1 eth-r2 to 9000",
            "turn off lldp on r3"]
QUESTIONS = ["what is the mtu on r1?", "what mtu is r2 eth-r3 set to?", "how do I change the mtu on r1?",
             "has anyone changed the mtu on r3?", "why did the mtu increase on r1?", "did r2's keepalive timer get bumped?"]


@pytest.fixture
def change_settings(agent_settings, vetted_playbooks):
    return agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})


@pytest.mark.parametrize("question", REQUESTS)
def test_with_a_model_an_unvetted_change_gets_the_offline_refusal_and_no_model_call(
        scripted, make_assistant, change_settings, fake_transport, question):
    scripted.push(say("Sure, MTU set to 9000."))
    assistant = make_assistant(change_settings, approver=None)
    answer = assistant.ask(question)
    offline = assistant.ask(question, offline=True)
    assert REFUSAL in answer.text and "For example:" in answer.text, answer.text
    # the vetted changes nearest the words, a few, as examples whose values are placeholders (trialfix36)
    assert answer.change.examples and len(answer.change.examples) <= 3, answer.text
    assert all("<" in e or e.startswith(("drain r", "undrain r")) for e in answer.change.examples), answer.text
    # the same words and examples as offline, without the offline label
    assert offline.text.split("\n\n", 1)[1] == answer.text
    assert "MTU set" not in answer.text and "No evidence" not in answer.text
    assert answer.mode == "agent" and answer.change.kind == "unmatched"
    assert not scripted.requests and not fake_transport.configs and not answer.approvals
    assert answer.tool_calls == [] and "the model was not asked" in (answer.notice or "")
    # `netops ask` exits 5 (refused), offline and with a model: it exited 0, as if the change were done
    assert answer.refused and answer.exit_code == 5 and offline.refused and offline.exit_code == 5, \
        (answer.exit_code, offline.exit_code)


def test_in_a_chat_conversation_the_refusal_holds_after_a_question(scripted, make_assistant, change_settings,
                                                                    fake_transport):
    """The chat continues one conversation: a follow-up request is refused the same way."""
    scripted.push(say("r1 has three interfaces."), say("Done, the MTU is now 9000."))
    assistant = make_assistant(change_settings, approver=None)
    first = assistant.ask("what interfaces does r1 have?")
    asked = len(scripted.requests)
    answer = assistant.ask("set mtu 9000 on r1 eth-r2", conversation_id=first.conversation_id)
    assert REFUSAL in answer.text and "Done" not in answer.text
    assert len(scripted.requests) == asked and not fake_transport.configs


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_that_mentions_a_change_word_is_not_refused(scripted, make_assistant, change_settings,
                                                                fake_transport, question):
    scripted.push(say("The MTU of the interfaces on r1 is 1500 [1]."))
    answer = make_assistant(change_settings, approver=None).ask(question)
    assert REFUSAL not in answer.text, answer.text
    assert not fake_transport.configs and not answer.approvals
    assert not answer.refused and answer.exit_code == 0


@pytest.mark.parametrize("question, host, getter", [("what mtu is r2 eth-r3 set to?", "r2", "interfaces"),
                                                    ("what is the bgp hold time set to on r2?", "r2", "config")])
def test_offline_a_value_asked_with_set_to_is_read_not_refused(question, host, getter, tmp_path):
    """Offline it was the refusal ("no vetted playbook does this"): "set" there is the value's, not a request."""
    from tests._phrasings import bench

    h = bench.Harness(tmp_path)
    try:
        got = h.ask(question)
    finally:
        h.close()
    assert got["expect"] == "read" and REFUSAL not in got["text"], bench._short(got)
    assert {(r["host"], r["getter"]) for r in got["reads"]} == {(host, getter)}, bench._short(got)


def test_an_offline_dry_run_of_a_vetted_change_is_not_a_refusal(make_assistant, change_settings, fake_transport):
    """Offline, "drain r1 for maintenance" shows the dry run and how to run it: exit 0 as before."""
    answer = make_assistant(change_settings, approver=None).ask("drain r1 for maintenance", offline=True)
    assert REFUSAL not in answer.text and not answer.refused and answer.exit_code == 0, answer.text


@pytest.mark.parametrize("edit", ["edited", "never_reviewed"])
def test_words_that_ask_for_a_refused_playbook_are_told_which_and_why(make_assistant, agent_settings, vetted_playbooks,
                                                                       fake_transport, edit):
    """plugin36: a team edited its bgp-peer-description playbook after review (or never had it
    reviewed) and asked for it in words. The refused playbook was left out of the matching, so the
    words went to another playbook ("interface-description needs interface ...; takes no address")
    or to "no vetted playbook does this". Now the answer names the playbook, why it is refused and
    the command that re-vets it; nothing is proposed or changed (exit 5)."""
    from netops.playbook.lock import Lock
    from netops.playbook.spec import load_playbook

    from tests._captures import team_playbook

    d = team_playbook("acme-bgp-peer-description", vetted_playbooks)
    if edit == "edited":
        lock = Lock.for_dir(vetted_playbooks)
        lock.vet(load_playbook(d), "alice")
        lock.save()
        spec = d / "playbook.yaml"
        spec.write_text(spec.read_text().replace("within: 5s", "within: 6s"))
    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})
    for offline in (True, False):
        answer = make_assistant(settings, approver=None).ask(
            'set the description of bgp neighbor 198.51.100.2 on r1 to "CKT-1001 DOWN"', offline=offline)
        why = "it was edited after its review" if edit == "edited" else "it was never reviewed"
        assert "acme-bgp-peer-description, which netops refuses to run: " + why in answer.text, answer.text
        assert "netops playbook vet acme-bgp-peer-description --reviewer WHO" in answer.text
        assert "interface-description" not in answer.text
        assert answer.change.kind == "unmatched" and answer.change.code == "refused"
        assert answer.refused and answer.exit_code == 5 and not answer.approvals and not fake_transport.configs
    # a vetted playbook's words still reach it
    answer = make_assistant(settings, approver=None).ask('set the description of eth-r2 on r1 to "uplink"', offline=True)
    assert answer.change.kind == "change" and answer.change.playbook == "interface-description", answer.text


