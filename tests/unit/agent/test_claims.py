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
