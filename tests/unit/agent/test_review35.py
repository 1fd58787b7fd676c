"""What review35 found in this stop's changes (2026-12-04).

followup35 made "who approved the drain?", "did the drain work?" and "when was r3 drained and by
whom?" history questions (netops's audit log answers them). Its words were wider than a change of
netops's: "by whom", "who ran", "who did", "who signed off" and "when was ... approved" with no
change in them sent questions about the documents (an RFC, a runbook, a team's change policy) to
the audit log, where they had been a documents search: "by whom is the OSPF DR elected?" was
answered with what netops changed on r1, r2 and r3."""

from __future__ import annotations

import pytest

from netops.agent.router import change_history, route_named

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question", [
    "by whom is the OSPF DR elected?",
    "when was BGP graceful shutdown approved as an RFC?",
    "when were 4-byte AS numbers approved?",
    "by whom must an emergency change be approved?",
    "who approved the change freeze policy?",
    "who ran the first BGP implementation?",
    "was the maintenance window policy approved?",
    "who signed off on the 5G core runbook?",
    "who did the OSPF work at the IETF?",
    "who made the change management process?",
    "who took over the chair of the IDR working group?", "who put the RFC 4271 text out?",
])
def test_a_question_about_the_documents_is_not_the_audit_log(question):
    assert not change_history(question, named=False), question
    r, _ = route_named(question, HOSTS)
    assert not (r.kind == "tool" and r.tool == "change_history"), r


@pytest.mark.parametrize("question", [
    "who approved the drain?", "who approved the last change?", "who ran the undrain on r3?",
    "who made the change on r2 yesterday?", "by whom was r3 drained?", "when was r3 drained and by whom?",
    "who drained r3?", "when was the drain approved?", "who signed off the drain?",
    "was the drain on r3 rolled back?", "did the drain work?", "when was the undrain applied?",
    "who put r3 back?", "who brought r2 back into service?", "who took r3 out of service?",
])
def test_a_question_about_a_change_netops_made_still_is(question):
    assert change_history(question, named=False), question
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.tool) == ("tool", "change_history"), r
