"""'shut down the bgp session from r1 to r2' on the real FRR lab, with a model that never calls a
tool: r2 is resolved to r1's neighbour address for it (read on r1 through the audited service), the
plan and audit say so, the person approves, the session goes admin down and is verified; 'bring the
bgp session from r1 to r2 back up' enables it again. Offline the same words describe the dry run."""

from __future__ import annotations

import pytest

from netops.testing.ollama_server import ScriptedOllama, say

pytestmark = [pytest.mark.lab, pytest.mark.timeout(300)]


@pytest.fixture
def lab_settings(lab_clean, lab_password_env, tmp_path, vetted_playbooks):
    return lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "playbooks_dir": vetted_playbooks, "model_review": False,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})


def _ask(settings, url, question, approver=None, offline=False):
    from netops.session import Session

    with Session(settings.model_copy(update={"ollama_url": url}), actor="alice", surface="ask") as session:
        answer = session.assistant(approver=approver).ask(question, offline=offline)
        records = session.audit.list(limit=None)
        assert session.audit.verify().ok
    return answer, records


def _r2_on_r1(lab) -> str:
    """r1's neighbour whose description is r2, as vtysh shows it (not through netops)."""
    peers = lab.vtysh_json("r1", "show bgp summary json")["ipv4Unicast"]["peers"]
    (addr,) = [a for a, p in peers.items() if p.get("desc") == "r2"]
    return addr


def test_shut_r1s_session_to_r2_by_name_and_bring_it_back(lab_clean, lab_settings):
    from netops.playbook.approval import AllowAll

    lab = lab_clean.lab
    addr = _r2_on_r1(lab)
    before = lab.running_config("r1")
    with ScriptedOllama([say("ok"), say("ok"), say("ok")]) as srv:
        answer, _ = _ask(lab_settings, srv.url, "shut down the bgp session from r1 to r2", offline=True)
        assert f"{addr} (r2" in answer.text and f"--param neighbor={addr}" in answer.text
        assert lab.running_config("r1") == before                      # offline changes nothing

        answer, records = _ask(lab_settings, srv.url, "shut down the bgp session from r1 to r2", AllowAll(by="alice"))
        (approval,) = answer.approvals
        assert (approval.playbook, approval.targets, approval.params) == ("bgp-neighbor-shutdown", ["r1"],
                                                                          {"neighbor": addr})
        assert approval.decision == "approved" and approval.verified, approval
        assert f"neighbor {addr} shutdown" in lab.running_config("r1")
        state = lab.vtysh_json("r1", f"show bgp neighbors {addr} json")[addr]
        assert state.get("adminShutDown") is True and state["bgpState"] != "Established"
        plan = next(r for r in records if r.kind == "plan").payload
        assert plan["derived"]["neighbor"]["host"] == "r2" and plan["derived"]["neighbor"]["address"] == addr
        assert "description" in plan["derived"]["neighbor"]["how"]
        assert any(r.kind == "device_command" and r.payload.get("host") == "r1"
                   and r.payload.get("command") == "show bgp summary json" for r in records)

        answer, _ = _ask(lab_settings, srv.url, "bring the bgp session from r1 to r2 back up", AllowAll(by="alice"))
        (approval,) = answer.approvals
        assert approval.playbook == "bgp-neighbor-enable" and approval.params == {"neighbor": addr}
        assert approval.decision == "approved" and approval.verified, approval
        assert f"neighbor {addr} shutdown" not in lab.running_config("r1")
        assert not [r for r in srv.requests if r.tools]                # the model was never asked to act
