"""netops's own audit log as evidence ("what changed on r2?"): a kind of its own, "audit", on every
surface that shows evidence. It was labelled a device read with no host (helper hist16)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from netops.agent.evidence import Evidence, kind_name, kind_title
from netops.agent.offline import audit_evidence
from netops.store.audit import AuditLog


def test_the_audit_log_is_named_as_itself_not_as_a_device():
    assert kind_name("audit") == "netops audit log" and kind_title("audit") == "netops audit log"
    assert (kind_name("device"), kind_name("spec")) == ("device", "spec")
    assert (kind_title("device"), kind_title("spec")) == ("Device evidence", "Cited passage")
    assert kind_name("somethingnew") == "somethingnew" and kind_title("somethingnew") == "Evidence"


def test_a_stored_answer_keeps_the_kind_and_an_older_row_is_read_as_the_audit_log():
    from netops.agent.transcript import answer_meta, stored_answer
    from netops.assistant import Answer
    from netops.store.history import HistoryMessage

    answer = Answer("what changed on r2?", "x", "offline", None, evidence=[audit_evidence(["r2"])])
    meta = json.loads(json.dumps(answer_meta(answer)))
    assert [(e["kind"], e["host"]) for e in meta["evidence"]] == [("audit", "r2")]
    assert [(e.kind, e.host) for e in stored_answer(HistoryMessage("assistant", "x", "t", meta)).evidence] == \
        [("audit", "r2")]
    # stored by trial16 as a device read with no host, and with only its citation before that
    old = {"evidence": [{"n": 1, "label": "netops audit log: changes on r2", "kind": "device", "host": None}]}
    assert [e.kind for e in stored_answer(HistoryMessage("assistant", "x", "t", old)).evidence] == ["audit"]
    older = {"citations": ["netops audit log: changes on r2"]}
    assert [e.kind for e in stored_answer(HistoryMessage("assistant", "x", "t", older)).evidence] == ["audit"]


def test_the_evidence_viewer_shows_the_audit_log_not_a_device_or_a_passage(tmp_path):
    from netops.tui.lookup import evidence_detail

    log = AuditLog(tmp_path / "audit.db")
    log.append("apply", {"host": "r2", "playbook": "ospf-cost", "ok": True}, actor="alice")
    session = SimpleNamespace(audit=log, kb=None)
    d = evidence_detail(session, audit_evidence(["r2"]))
    assert d.title == "netops audit log" and "covers: r2" in d.meta, d
    assert "ospf-cost by alice" in d.text, d.text
    kept = SimpleNamespace(evidence_text=lambda label: "r2: ospf-cost by alice (kept)")
    assert evidence_detail(session, audit_evidence(["r2"]), kept).text == "r2: ospf-cost by alice (kept)"
    # a kind the viewer does not know: shown as kept, not looked up as a passage
    d = evidence_detail(session, Evidence("future", "something new"), kept)  # type: ignore[arg-type]
    assert d.title == "Evidence" and "(kept)" in d.text, d


def test_the_citation_link_names_the_audit_log():
    from netops.tui.widgets.citations import CitationLink

    link = CitationLink(1, audit_evidence(["r2"]))
    shown = str(getattr(link, "content", None) or getattr(link, "renderable", ""))
    assert "(netops audit log)" in shown and "(device)" not in shown, shown
