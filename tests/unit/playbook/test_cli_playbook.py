"""CLI shells for playbooks and audit (no devices needed for these paths)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from netops.cli.main import main


@pytest.fixture
def env(pb_settings, monkeypatch):
    monkeypatch.setenv("NETOPS_PLAYBOOKS_DIR", str(pb_settings.playbooks_dir))
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setenv("NETOPS_USER", "tester")
    return pb_settings


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_show_lint_json(env, capsys):
    code, out, _ = run(capsys, "playbook", "list", "--json")
    assert code == 0
    names = {p["name"]: p for p in json.loads(out)["playbooks"]}
    assert names["ospf-cost"]["vetting"] == "never_reviewed"
    code, out, _ = run(capsys, "playbook", "show", "ospf-cost", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["hash"].startswith("sha256:") and "frr.j2" in doc["templates"]
    code, out, _ = run(capsys, "playbook", "lint", "--json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_lint_failure_exit_2_and_vet_refuses(env, capsys):
    f = env.playbooks_dir / "ospf-cost" / "frr.j2"
    f.write_text(f.read_text() + "end\n")
    code, out, _ = run(capsys, "playbook", "lint", "ospf-cost")
    assert code == 2 and "'end'" in out
    code, _, err = run(capsys, "playbook", "vet", "ospf-cost", "--reviewer", "alice")
    assert code == 2 and "does not lint" in err
    assert not (env.playbooks_dir / "playbooks.lock").exists()


def test_vet_then_run_refusals(env, capsys):
    code, _, err = run(capsys, "playbook", "run", "ospf-cost", "-t", "r1", "-p", "interface=eth-r2", "-p", "cost=5")
    assert code == 5 and "never reviewed" in err and "Traceback" not in err
    code, out, _ = run(capsys, "playbook", "vet", "ospf-cost", "--reviewer", "alice", "--json")
    assert code == 0 and json.loads(out)["reviewer"] == "alice"
    code, _, err = run(capsys, "playbook", "run", "ospf-cost", "-t", "r1", "-p", "interface=eth-r2", "-p", "cost=70000")
    assert code == 2 and "out of range 1..65535" in err
    code, _, err = run(capsys, "playbook", "run", "ospf-cost", "-t", "r1", "-p", "interface=eth-r2\nend", "-p", "cost=5")
    assert code == 2 and "newlines" in err
    code, _, err = run(capsys, "playbook", "run", "nope", "-t", "r1")
    assert code == 4


def test_audit_cli_list_show_verify_and_tamper(env, capsys):
    from netops.store.audit import AuditLog

    with AuditLog.from_settings(env) as log:
        for i in range(3):
            log.append("note", {"i": i}, actor="tester")
    code, out, _ = run(capsys, "audit", "list", "--json")
    assert code == 0 and [r["seq"] for r in json.loads(out)["records"]] == [1, 2, 3]
    code, out, _ = run(capsys, "audit", "show", "2", "--json")
    assert json.loads(out)["payload"] == {"i": 1}
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0 and "ok: 3 records" in out
    conn = sqlite3.connect(env.paths.audit_db)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor='mallory' WHERE seq=2")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "audit", "verify", "--json")
    assert code == 6 and json.loads(out)["first_bad_seq"] == 2
    code, _, err = run(capsys, "audit", "verify")
    assert code == 6 and "seq 2" in err
    code, _, _ = run(capsys, "audit", "show", "99")
    assert code == 4


def test_show_says_what_a_reviewer_needs(env, capsys):
    # plugin36: `show` did not say how a change is undone, which targets it takes, nor how it is asked for
    code, out, _ = run(capsys, "playbook", "show", "interface-description")
    assert code == 0
    assert "  rollback: snapshot (the pre-change configuration restored by a config diff); by itself when " \
           "the apply or a postcheck fails or the run is cancelled" in out, out
    assert "  targets: exactly 1 host per run, platform frr" in out
    assert "  change: configuration lines (config mode): frr frr.j2" in out
    assert "  example request: set the description of eth-r2 on HOST to " in out
    code, out, _ = run(capsys, "playbook", "show", "ospf-cost")
    assert "  rollback: frr rollback-frr.j2, then the pre-change configuration restored by a config diff;" in out, out
    code, out, _ = run(capsys, "playbook", "show", "bgp-health")
    assert '  rollback: none (read-only: changes nothing)' in out and '  asked for in words by: "bgp health"' in out
    assert "  reports sessions: show bgp summary json -> ipv4Unicast.peers" in out, out
