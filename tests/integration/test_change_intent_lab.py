"""'drain r3 for maintenance' on the real FRR lab with a model that never calls a tool: the
person's words propose router-drain through the one change path; approved, r3 is drained and
verified and the audit log has it; 'undrain r3' brings it back. Without a terminal the same
request is denied and recorded; offline it is only described, with its commands."""

from __future__ import annotations

import json

import pytest

from netops.testing.ollama_server import ScriptedOllama, say

pytestmark = [pytest.mark.lab, pytest.mark.timeout(300)]

DRAINED = ("bgp graceful-shutdown", "max-metric router-lsa administrative")


@pytest.fixture
def lab_settings(lab_clean, lab_password_env, tmp_path, vetted_playbooks):
    return lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "playbooks_dir": vetted_playbooks, "model_review": False,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})


def _ask(settings, url, question, approver):
    from netops.session import Session

    with Session(settings.model_copy(update={"ollama_url": url}), actor="alice", surface="ask") as session:
        answer = session.assistant(approver=approver).ask(question)
        records = session.audit.list(limit=None)
        assert session.audit.verify().ok
    return answer, records


def test_drain_and_undrain_r3_from_the_words_alone(lab_clean, lab_settings):
    from netops.playbook.approval import AllowAll

    with ScriptedOllama([say("Draining is a maintenance step."), say("Undraining returns it.")]) as srv:
        answer, records = _ask(lab_settings, srv.url, "drain r3 for maintenance", AllowAll(by="alice"))
        (approval,) = answer.approvals
        assert (approval.playbook, approval.targets, approval.matched_by) == ("router-drain", ["r3"], "words")
        assert approval.decision == "approved" and approval.verified, approval
        config = lab_clean.lab.running_config("r3")
        assert all(line in config for line in DRAINED), config
        kinds = [r.kind for r in records]
        for kind in ("plan", "approval", "apply", "postcheck", "result"):
            assert kind in kinds, kind
        plan = next(r for r in records if r.kind == "plan")
        assert plan.payload["playbook"] == "router-drain" and plan.payload["hosts"] == ["r3"]
        assert plan.payload["intent"] == "drain r3 for maintenance"

        answer, records = _ask(lab_settings, srv.url, "undrain r3", AllowAll(by="alice"))
        (approval,) = answer.approvals
        assert approval.playbook == "router-undrain" and approval.decision == "approved" and approval.verified
        config = lab_clean.lab.running_config("r3")
        assert not any(line in config for line in DRAINED), config
        assert not [r for r in srv.requests if r.tools]      # the model was never asked to act


def test_cli_without_a_terminal_denies_and_offline_only_describes(lab_clean, lab_settings, monkeypatch, capsys):
    from netops.cli.main import main
    from netops.store.audit import AuditLog

    before = lab_clean.lab.running_config("r3")
    with ScriptedOllama([say("ok")]) as srv:
        for key, value in {"NETOPS_HOME": str(lab_settings.home), "NETOPS_OLLAMA_URL": srv.url,
                           "NETOPS_INVENTORY": str(lab_settings.inventory),
                           "NETOPS_KNOWN_HOSTS": str(lab_settings.known_hosts),
                           "NETOPS_PLAYBOOKS_DIR": str(lab_settings.playbooks_dir),
                           "NETOPS_MODEL_REVIEW": "false", "NETOPS_KB__EMBEDDER": "none"}.items():
            monkeypatch.setenv(key, value)
        code = main(["ask", "--json", "--yes", "drain r3 for maintenance"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 5, doc
    assert doc["change"]["matched_by"] == "words" and doc["approvals"][0]["decision"] == "denied"
    assert lab_clean.lab.running_config("r3") == before
    with AuditLog(lab_settings.paths.audit_db) as audit:
        denial = audit.list(kind="denial")[-1].payload
        assert denial["playbook"] == "router-drain" and denial["hosts"] == ["r3"]
        assert audit.verify().ok

    code = main(["ask", "--offline", "drain r3 for maintenance"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "netops playbook run router-drain --target r3 --dry-run" in out
    assert "bgp graceful-shutdown" in out                     # the dry run's rendered commands
    assert lab_clean.lab.running_config("r3") == before
