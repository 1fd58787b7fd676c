"""A success claim is backed only by an approved change whose run succeeded."""

from __future__ import annotations

import pytest

from netops.agent.claims import unbacked
from netops.agent.tools import ApprovalRecord


def _record(decision: str, result: str | None, verified: bool | None) -> ApprovalRecord:
    return ApprovalRecord(playbook="router-drain", targets=["r3"], params={}, review="ok", review_findings=[],
                          decision=decision, by="alice", result=result, verified=verified)


@pytest.mark.parametrize("result,verified", [
    ("failed: r3", False),
    ("cancelled: rolled back r3", False),
    ("cancelled: nothing was changed", False),
    ("cancelled: nothing was changed", True),
    (None, None),
])
def test_an_approved_run_that_did_not_succeed_does_not_back_a_claim(result, verified):
    notes = unbacked("I have drained r3.", approvals=[_record("approved", result, verified)], tool_names=[])
    assert len(notes) == 1 and "I have drained" in notes[0], notes
    assert "did not succeed" in notes[0]


@pytest.mark.parametrize("result,verified", [("applied and verified", True), ("applied", False)])
def test_an_approved_run_that_succeeded_backs_a_claim(result, verified):
    assert unbacked("I have drained r3.", approvals=[_record("approved", result, verified)], tool_names=[]) == []


def test_a_denied_change_backs_nothing():
    notes = unbacked("I have drained r3.", approvals=[_record("denied", "denied by alice", None)], tool_names=[])
    assert notes and "recorded no approval" in notes[0]


@pytest.mark.parametrize("text", [
    "r3 has been drained.",
    "The neighbor was shut down.",
    "OSPF cost is now 100 on eth1.",
    "The BGP session to 198.51.100.2 has been cleared.",
    "✅ APPROVED — router-drain executed on r3, all post-checks passed.",
    "Graceful shutdown was applied to r2.",
    "The static route 198.51.100.128/25 was removed from r1.",
    "r2 is now drained and out of service.",
    "The interface description has been updated.",
    "eth1's cost was set to 100.",
    "Traffic is now shifted away: r3 was successfully drained.",
    "r3 has now been taken out of service.",
])
def test_a_passive_change_claim_with_no_run_is_flagged(text):
    notes = unbacked(text, approvals=[], tool_names=[])
    assert len(notes) == 1 and "made no change" in notes[0], (text, notes)


@pytest.mark.parametrize("text", [
    "r3 has been drained.",
    "OSPF cost is now 100 on eth1.",
])
def test_a_passive_claim_after_a_denied_or_failed_run_is_flagged(text):
    for rec in (_record("denied", "denied by alice", None), _record("approved", "failed: r3", False)):
        assert unbacked(text, approvals=[rec], tool_names=[]), (text, rec)


@pytest.mark.parametrize("text", [
    "The BGP session to 198.51.100.2 is Established with 3 prefixes received.",
    "The OSPF cost of eth-r1 is 10.",
    "Neighbor 198.51.100.2 is administratively shut down (Idle (Admin)).",
    "The session was reset 3 days ago because the hold timer expired.",
    "BFD is enabled on both interfaces.",
    "The neighbor is configured with remote-as 65002.",
    "To drain r3, run the router-drain playbook; it has to be approved at the prompt.",
    "Nothing has been changed.",
    "No change was applied.",
    "The route was learned from 198.51.100.2 via BGP.",
])
def test_statements_of_state_or_advice_are_not_change_claims(text):
    assert unbacked(text, approvals=[], tool_names=[]) == [], text


def test_a_passive_claim_is_backed_by_a_successful_run():
    ok = _record("approved", "applied and verified", True)
    assert unbacked("r3 has been drained.", approvals=[ok], tool_names=[]) == []


FAKE_BLOCK = ("```show bgp summary\nNeighbor        V   AS   MsgRcvd MsgSent  Up/Down State/PfxRcd\n"
              "198.51.100.2    4 65002     9999    9999  5d02h         Idle\n"
              "198.51.100.6    4 65003     9999    9999  5d02h          850\n```\n")


def test_an_output_block_no_tool_returned_is_noted():
    notes = unbacked("r1 now:\n\n" + FAKE_BLOCK, approvals=[], tool_names=[], outputs=[])
    assert notes == ["2 lines of device output in the answer's code blocks are not what any tool returned"]


def test_an_output_block_a_tool_returned_is_not_noted():
    from pathlib import Path

    real = (Path(__file__).parents[2] / "fixtures/devices/frr/r1/show_bgp_summary.txt").read_text()
    rows = "\n".join(ln for ln in real.splitlines() if ln.startswith("198.51"))
    text = f"r1 now:\n\n```\n{rows}\n```\n"
    assert unbacked(text, approvals=[], tool_names=[], outputs=[real]) == []
    # one state changed: that line is no tool's output
    edited = text.replace("00:00:31            3", "00:00:31         Idle", 1)
    assert unbacked(edited, approvals=[], tool_names=[], outputs=[real]) == [
        "1 line of device output in the answer's code blocks is not what any tool returned"]


def test_a_configuration_example_is_not_output():
    text = "Configure:\n\n```\nrouter bgp 65001\n neighbor 198.51.100.2 remote-as 65002\n```\n"
    assert unbacked(text, approvals=[], tool_names=[], outputs=[]) == []


def test_a_tool_call_printed_as_a_python_dict_is_noted():
    text = "{'name': 'playbook_run', 'arguments': {'playbook': 'router-drain', 'hosts': ['r3']}}"
    assert unbacked(text, approvals=[], tool_names=["playbook_run", "show"]) == [
        "the answer contains a call to playbook_run written as text; it was not run and changed nothing"]


def test_a_claim_after_the_answer_checks_mark_is_still_a_claim():
    """The check marks the sentence before ('... *(⚠ not supported by the sources)*'); its 'not'
    hid 'I have drained r3' that follows (seen with a health read before the model spoke)."""
    from netops.agent.claims import _claim

    text = ("Approval was given (ticket CHG-1234). *(⚠ not supported by the sources)* I have drained r3 and it is "
            "out of service. *(⚠ not supported by the sources)*")
    assert _claim(text) is not None
    assert _claim("Nothing was changed. *(⚠ not supported by the sources)* No change was made to r3.") is None


# adv17: a claim with its subject left out, or a label with no verb, is still a claim

@pytest.mark.parametrize("text", [
    "✅ Drained r2 successfully. Traffic has moved to r1 and r3.",
    "Drained r2.",
    "Shut down neighbor 198.51.100.2 on r1.",
    "- Applied the change to r1",
    "Done: applied it.",
    "Executed router-drain on r3.",
    "Change applied: the description of eth-r2 on r1 is now 'uplink'.",
    "Rollback complete.",
])
def test_a_claim_without_a_subject_or_verb_is_named(text):
    notes = unbacked(text, approvals=[], tool_names=[])
    assert len(notes) == 1 and "netops made no change" in notes[0], notes


@pytest.mark.parametrize("text", [
    "Cleared counters show 0 errors.", "Applied policies: none.", "Restarted 3 days ago by the peer.",
    "Executed commands: show version", "Drain complete? Not yet.", "Shut down interfaces: eth0",
    "Drained routers: none", "Isolated 2 hosts were found.", "Prechecks passed.",
    "Once the change is applied, check BGP.",
])
def test_state_words_and_questions_are_not_claims(text):
    assert unbacked(text, approvals=[], tool_names=[]) == []
