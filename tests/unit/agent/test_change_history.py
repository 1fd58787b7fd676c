""""what changed on r2 recently?", "what was the last change on r3?": what netops's audit log
recorded, said with its limits. They were answered with 'show version', and the second (and
"change history of r1") was read as a request for a change."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netops.agent.offline import history_summary
from netops.agent.router import route

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, hosts", [
    ("what changed on r2 recently?", ["r2"]), ("recent changes on r2", ["r2"]),
    ("what was the last change on r3?", ["r3"]), ("who changed r1?", ["r1"]), ("change history of r1", ["r1"]),
    ("has anything changed on r3 today?", ["r3"]), ("when was r2 last changed?", ["r2"]),
    ("show me the change log for r3", ["r3"]), ("what changed in the network?", HOSTS),
])
def test_a_question_what_changed_reads_the_audit_log(question, hosts):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("_history"), r.args.get("_changes")) == \
        ("tool", "facts", hosts, True, True), r


@pytest.mark.parametrize("question", ["change the hold timer on r2 to 30", "revert the last change on r3"])
def test_requests_stay_requests(question):
    assert route(question, HOSTS).kind == "change"


def test_the_found_line_names_each_change_and_what_the_log_cannot_know():
    rec = SimpleNamespace(seq=139, ts="2026-12-03T07:02:21.715+00:00", payload={"playbook": "router-undrain", "ok": True})
    text = history_summary({"r3": rec, "r1": None})
    assert "r3: router-undrain at 2026-12-03 07:02:21 UTC (applied; `netops audit show 139`)" in text, text
    assert "no change recorded on r1" in text and "outside netops" in text
    assert "no audit log" in history_summary(None)


@pytest.mark.parametrize("question", ["what changed in bgp between rfc 1771 and rfc 4271?",
                                      "which attributes changed in RFC 4271?",
                                      "what has changed in OSPFv3 compared to OSPFv2?"])
def test_how_a_protocol_changed_is_not_the_audit_log(question):
    r = route(question, HOSTS)
    assert not r.args.get("_history") and r.kind == "spec", r


@pytest.mark.parametrize("question", ["reapply the last change on r2", "copy the recent changes on r1 to r2",
                                      "make the same change on r2 as the last change on r1",
                                      "drain r3 and show me what changed"])
def test_a_request_naming_an_earlier_change_is_not_a_history_read(question):
    assert not route(question, HOSTS).args.get("_history")


@pytest.mark.parametrize("question", ["what changed recently?", "anything changed in the lab today?"])
def test_the_networks_recent_changes_read_every_device(question):
    r = route(question, HOSTS)
    assert (r.args.get("_history"), r.args.get("hosts")) == (True, HOSTS), r
