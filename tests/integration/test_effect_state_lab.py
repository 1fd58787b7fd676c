"""On the real FRR lab (helper effect35): a BGP neighbour and an interface shut with vtysh, then the
yes/no questions an on-call engineer asks about the state a change leaves ("is neighbor 198.51.100.2
shut down on r1?", "is eth-r3 disabled on r1?"). The answer is the device's state, as vtysh shows it
(Idle, admin down: shut by configuration; interface admin down), never the playbook's description or a proposal; the audit log has reads
only. Before: "this asks about a change rather than for one" and the shutdown playbook's dry-run line,
or "no known intent"."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.lab, pytest.mark.timeout(300)]


@pytest.fixture
def lab_settings(lab_clean, lab_password_env, tmp_path, vetted_playbooks):
    return lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "playbooks_dir": vetted_playbooks, "model_review": False,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})


def _ask(settings, question):
    from netops.session import Session

    with Session(settings, actor="alice", surface="ask") as session:
        answer = session.assistant().ask(question, offline=True)
        kinds = {r.kind for r in session.audit.list(limit=None)}
    return answer, kinds


def _peer(lab, router, address):
    return lab.vtysh_json(router, "show bgp ipv4 unicast summary json").get("peers", {}).get(address, {})


def test_a_shut_neighbour_and_a_shut_interface_are_read_from_the_device(lab_clean, lab_settings):
    lab = lab_clean.lab
    lab.vtysh("r1", "configure terminal", "router bgp 65001", "neighbor 198.51.100.2 shutdown")
    lab.vtysh("r1", "configure terminal", "interface eth-r3", "shutdown")
    shut = _peer(lab, "r1", "198.51.100.2")
    assert shut.get("state") != "Established" and "Admin" in str(shut), shut  # as vtysh shows it
    eth_r3 = lab.vtysh_json("r1", "show interface eth-r3 json")["eth-r3"]
    assert eth_r3["administrativeStatus"] == "down", eth_r3

    for question in ("is neighbor 198.51.100.2 shut down on r1?", "is r1's bgp session to r2 shut?"):
        answer, kinds = _ask(lab_settings, question)
        rows = [ln for ln in answer.text.splitlines() if ln.startswith("- ")]
        assert len(rows) == 1 and rows[0].startswith("- 198.51.100.2 ") and ": Idle" in rows[0] \
            and "admin down: shut by configuration" in rows[0], answer.text
        assert "asks about a change" not in answer.text and not answer.approvals and "plan" not in kinds

    # the session to r3 is down (its link is shut) but not shut itself: said as the device has it
    answer, _ = _ask(lab_settings, "is neighbor 198.51.100.10 shut down on r1?")
    other = _peer(lab, "r1", "198.51.100.10")
    assert "Admin" not in str(other), other
    (row,) = [ln for ln in answer.text.splitlines() if ln.startswith("- ")]
    assert row.startswith("- 198.51.100.10 ") and "admin down" not in row, answer.text
    assert ("Established" in row) == (other.get("state") == "Established"), (row, other)

    for question in ("is eth-r3 disabled on r1?", "is r1's interface to r3 up?"):
        answer, kinds = _ask(lab_settings, question)
        rows = [ln for ln in answer.text.splitlines() if ln.startswith("- ")]
        assert rows and rows[0].startswith("- eth-r3: admin down, oper down"), answer.text
        assert not answer.approvals and "plan" not in kinds
    answer, _ = _ask(lab_settings, "is eth-r2 disabled on r1?")
    assert "- eth-r2: admin up, oper up" in answer.text, answer.text
