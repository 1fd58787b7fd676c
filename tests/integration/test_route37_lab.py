"""On the real FRR lab (route37): r2 drained and undrained through the change path with approvals, then
the questions an engineer asks about it afterwards, answered offline from netops's audit log (and, for
"has r2 been undrained?", from r2's running configuration too); a change asked for on a condition reads
the condition and changes nothing; a what-if reads what uses the interface; an MTU mismatch made with
`ip link` is found on its link."""

from __future__ import annotations

import subprocess

import pytest

from netops.testing.ollama_server import ScriptedOllama, say

pytestmark = [pytest.mark.lab, pytest.mark.timeout(300)]

DRAINED = ("bgp graceful-shutdown", "max-metric router-lsa administrative")


@pytest.fixture
def lab_settings(lab_clean, lab_password_env, tmp_path, vetted_playbooks):
    return lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "playbooks_dir": vetted_playbooks, "model_review": False,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})


def _ask(settings, question, *, url=None, approver=None):
    from netops.session import Session

    update = {"ollama_url": url} if url else {}
    with Session(settings.model_copy(update=update), actor="alice", surface="ask") as session:
        answer = session.assistant(approver=approver).ask(question, offline=url is None)
        records = session.audit.list(limit=None)
    return answer, records


def test_past_drains_are_answered_from_the_audit_log_and_now_from_the_device(lab_clean, lab_settings):
    from netops.playbook.approval import AllowAll

    with ScriptedOllama([say("ok"), say("ok")]) as srv:
        answer, _ = _ask(lab_settings, "drain r2 for maintenance", url=srv.url, approver=AllowAll(by="dave"))
        assert answer.approvals and answer.approvals[0].decision == "approved", answer.text
        answer, _ = _ask(lab_settings, "undrain r2", url=srv.url, approver=AllowAll(by="erin"))
        assert answer.approvals and answer.approvals[0].verified, answer.text
    assert not any(line in lab_clean.lab.running_config("r2") for line in DRAINED)

    answer, _ = _ask(lab_settings, "was r2 drained today?")
    assert "router-drain by alice" in answer.text and "approved by dave" in answer.text, answer.text
    assert "undrain" not in answer.text.split("**Found:**")[1].split("\n\n")[0], answer.text
    assert not answer.tool_calls, answer.tool_calls  # the log alone, no device read

    answer, _ = _ask(lab_settings, "was r2 drained yesterday?")
    assert "no drain recorded on r2 yesterday" in answer.text and "1 later drain" in answer.text, answer.text

    answer, _ = _ask(lab_settings, "has r2 been undrained?")
    assert [(c.tool, c.args.get("getter")) for c in answer.tool_calls] == [("get_state", "config")], answer.tool_calls
    assert "not drained" in answer.text and "router-undrain by alice" in answer.text \
        and "approved by erin" in answer.text, answer.text


def test_a_conditional_request_reads_the_condition_and_changes_nothing(lab_clean, lab_settings):
    before = lab_clean.lab.running_config("r2")
    answer, records = _ask(lab_settings, "if r1 has a bgp session to r2, drain r2")
    assert {c.args.get("getter") for c in answer.tool_calls} == {"bgp_neighbors"}, answer.tool_calls
    assert "Established" in answer.text and '("drain r2")' in answer.text, answer.text
    assert not answer.approvals and not {"plan", "approval", "apply"} & {r.kind for r in records}
    assert lab_clean.lab.running_config("r2") == before


def test_a_what_if_reads_what_uses_the_interface_and_plans_nothing(lab_clean, lab_settings):
    answer, records = _ask(lab_settings, "what would break if r2 eth-r3 went down?")
    assert {c.args.get("getter") for c in answer.tool_calls} == {"interfaces", "bgp_neighbors", "ospf_neighbors"}
    assert "does not predict" in answer.text and "r2 eth-r3 is on a link with r3 eth-r2" in answer.text, answer.text
    assert "via eth-r3" in answer.text and "plan" not in {r.kind for r in records}, answer.text


def test_an_mtu_mismatch_is_found_on_its_link(lab_clean, lab_settings):
    ns = next(r.namespace for r in lab_clean.info.routers if r.name == "r3")
    subprocess.run(["ip", "-n", ns, "link", "set", "eth-r1", "mtu", "1400"], check=True)
    try:
        answer, _ = _ask(lab_settings, "mtu mismatch?")
    finally:
        subprocess.run(["ip", "-n", ns, "link", "set", "eth-r1", "mtu", "1500"], check=True)
    assert "**MTU mismatch** on 1 of 3 link(s) read: r1 eth-r3 1500 / r3 eth-r1 1400." in answer.text, answer.text
