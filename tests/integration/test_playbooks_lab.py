"""Vetted playbooks against the real FRR lab (3 routers, real OpenSSH, real vtysh).

Every change test checks the router itself with ``lab.vtysh`` and puts the router back to its
baseline configuration (byte-identical), which also exercises the snapshot-diff restore.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from netops.errors import ApprovalDenied, NotVetted, ParameterError
from netops.playbook.approval import AllowAll, DenyAll
from netops.playbook.runner import execute, plan

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(lab_clean, tmp_path):
    """Per-test home (audit log) on the shared lab; the shipped, vetted playbooks."""
    from netops.devices.service import DeviceService
    from netops.store.audit import AuditLog

    settings = lab_clean.settings.model_copy(update={"home": tmp_path / "home", "user": "lab-tester"})
    audit = AuditLog.from_settings(settings)
    devices = DeviceService(settings, recorder=audit.recorder("lab-tester"))
    yield settings, devices, audit, lab_clean
    devices.close()
    audit.close()


def _restore(lab, devices, router: str) -> None:
    """Put the router back to its baseline using the same diff restore the runner uses."""
    from netops.playbook import diff

    current = devices.running_config(router)
    if not diff.same_config(current, lab.baseline[router]):
        devices.configure(router, diff.restore_commands(current, lab.baseline[router]))
    assert lab.lab.running_config(router) == lab.baseline[router]


def _run(settings, devices, audit, name, target, params):
    p = plan(settings, name, target, params, devices=devices, audit=audit)
    assert p.ok, {h: [(c.name, c.summary) for c in hp.prechecks] for h, hp in p.host_plans.items()}
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert not report.failed, {h: (r.state, r.error) for h, r in report.hosts.items()}
    return p, report


def _json(lab, router, command):
    return json.loads(lab.lab.vtysh(router, command))


def test_bgp_neighbor_shutdown_then_enable(env):
    settings, devices, audit, lab = env
    _run(settings, devices, audit, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"})
    n = _json(lab, "r1", "show bgp neighbors 198.51.100.2 json")["198.51.100.2"]
    assert n["bgpState"] != "Established" and n.get("adminShutDown") is True
    _run(settings, devices, audit, "bgp-neighbor-enable", "r1", {"neighbor": "198.51.100.2"})
    assert _json(lab, "r1", "show bgp neighbors 198.51.100.2 json")["198.51.100.2"]["bgpState"] == "Established"
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert audit.verify().ok


def test_interface_description(env):
    settings, devices, audit, lab = env
    _run(settings, devices, audit, "interface-description", "r2", {"interface": "eth-r3", "description": "r3 via panel 7"})
    assert _json(lab, "r2", "show interface eth-r3 json")["eth-r3"]["description"] == "r3 via panel 7"
    _restore(lab, devices, "r2")


def test_static_route_add_then_remove(env):
    settings, devices, audit, lab = env
    params = {"prefix": "203.0.113.200/32", "nexthop": "198.51.100.2"}
    _run(settings, devices, audit, "static-route-add", "r1", params)
    routes = _json(lab, "r1", "show ip route 203.0.113.200/32 json")["203.0.113.200/32"]
    assert any(r["protocol"] == "static" for r in routes)
    _run(settings, devices, audit, "static-route-remove", "r1", params)
    assert _json(lab, "r1", "show ip route 203.0.113.200/32 json") == {}
    assert lab.lab.running_config("r1") == lab.baseline["r1"]


def test_ospf_cost(env):
    settings, devices, audit, lab = env
    _run(settings, devices, audit, "ospf-cost", "r3", {"interface": "eth-r1", "cost": "77"})
    assert _json(lab, "r3", "show ip ospf interface eth-r1 json")["interfaces"]["eth-r1"]["cost"] == 77
    _restore(lab, devices, "r3")


def test_router_drain_then_undrain(env):
    settings, devices, audit, lab = env
    _run(settings, devices, audit, "router-drain", "r2", {})
    running = lab.lab.running_config("r2")
    assert "bgp graceful-shutdown" in running and "max-metric router-lsa administrative" in running
    _run(settings, devices, audit, "router-undrain", "r2", {})
    assert lab.lab.running_config("r2") == lab.baseline["r2"]


def test_bgp_soft_clear_keeps_session(env):
    settings, devices, audit, lab = env
    before = _json(lab, "r1", "show bgp neighbors 198.51.100.10 json")["198.51.100.10"]["connectionsDropped"]
    _, report = _run(settings, devices, audit, "bgp-soft-clear", "r1", {"neighbor": "198.51.100.10"})
    assert report.hosts["r1"].applied == ["do clear bgp 198.51.100.10 soft"]
    after = _json(lab, "r1", "show bgp neighbors 198.51.100.10 json")["198.51.100.10"]
    assert after["bgpState"] == "Established" and after["connectionsDropped"] == before
    assert lab.lab.running_config("r1") == lab.baseline["r1"]


def test_bgp_health_read_only_report(env):
    settings, devices, audit, lab = env
    p = plan(settings, "bgp-health", "all", {}, devices=devices, audit=audit)
    report = execute(p, approver=DenyAll(), devices=devices, audit=audit)  # read-only: no approval needed
    assert all(r.state == "verified" for r in report.hosts.values())
    sessions = report.hosts["r1"].report["sessions"]
    assert set(sessions) == {"198.51.100.2", "198.51.100.10"}
    assert all(s["state"] == "Established" for s in sessions.values())
    assert report.hosts["r1"].report["not_established"] == 0


@pytest.fixture
def private(env, tmp_path):
    """A private, vetted copy of the playbooks that tests may break."""
    settings, devices, audit, lab = env
    pb_dir = tmp_path / "playbooks"
    shutil.copytree(REPO / "playbooks", pb_dir)
    settings = settings.model_copy(update={"playbooks_dir": pb_dir})
    return settings, devices, audit, lab, pb_dir


def _break_and_vet(settings, pb_dir, name, old, new):
    from netops.playbook.catalogue import Catalogue

    y = pb_dir / name / "playbook.yaml"
    assert old in y.read_text()
    y.write_text(y.read_text().replace(old, new))
    cat = Catalogue(settings)
    cat.lock_for(cat.get(name)).vet(cat.get(name), "lab-tester")


@pytest.mark.parametrize("name,params,old,new", [
    ("ospf-cost", {"interface": "eth-r2", "cost": "55"},
     "assert: 'interfaces.\"{{ interface }}\".cost == {{ cost }}'\n    within: 10s",
     "assert: 'interfaces.\"{{ interface }}\".cost == 99999'\n    within: 2s"),
    ("interface-description", {"interface": "eth-r2", "description": "will be undone"},
     "== {{ description | tojson }}'\n    within: 5s", "== nothing'\n    within: 1s"),
    ("router-drain", {}, "assert: lines contains 'bgp graceful-shutdown'\n    within: 5s",
     "assert: lines contains 'no such line'\n    within: 1s"),
])
def test_failing_postcheck_leaves_running_config_byte_identical(private, name, params, old, new):
    settings, devices, audit, lab, pb_dir = private
    _break_and_vet(settings, pb_dir, name, old, new)
    before = lab.lab.vtysh("r1", "show running-config")
    p = plan(settings, name, "r1", params, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    hr = report.hosts["r1"]
    assert report.failed and hr.state == "rolled_back", hr.error
    assert lab.lab.vtysh("r1", "show running-config") == before
    rb = audit.list(kind="rollback")[-1].payload
    assert rb["ok"] and rb["verified_equal_to_snapshot"]


def test_unvetted_and_edited_playbooks_refused(private):
    settings, devices, audit, lab, pb_dir = private
    (pb_dir / "playbooks.lock").unlink()
    with pytest.raises(NotVetted, match="never reviewed"):
        plan(settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices)
    shutil.copy(REPO / "playbooks" / "playbooks.lock", pb_dir / "playbooks.lock")
    with open(pb_dir / "bgp-neighbor-shutdown" / "frr.j2", "a") as fh:
        fh.write(" neighbor {{ neighbor }} description pwned\n")
    with pytest.raises(NotVetted, match="edited after review"):
        plan(settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices)
    assert lab.lab.running_config("r1") == lab.baseline["r1"]


def test_denied_approval_changes_nothing(env):
    settings, devices, audit, lab = env
    p = plan(settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices, audit=audit)
    with pytest.raises(ApprovalDenied):
        execute(p, approver=DenyAll("change freeze"), devices=devices, audit=audit)
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert audit.list(kind="denial")[-1].payload["reason"] == "change freeze"
    assert not audit.list(kind="apply")


@pytest.mark.parametrize("params", [
    {"neighbor": "198.51.100.2\nend\nrouter bgp 65001\nno neighbor 198.51.100.2 remote-as 65002"},
    {"neighbor": "198.51.100.2 remote-as 1"},
    {"neighbor": "{{ facts }}"},
    {"neighbor": "198.51.100.2; reload"},
    {"neighbor": "198.51.100.2 | bash"},
    {"neighbor": "do write erase"},
    {"neighbor": "198.51.100.2", "extra": "x"},
])
def test_injection_and_bad_parameters_refused_before_any_device_command(env, params):
    settings, devices, audit, lab = env
    with pytest.raises(ParameterError):
        plan(settings, "bgp-neighbor-shutdown", "r1", params, devices=devices, audit=audit)
    assert audit.list(kind="device_command") == []
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    devices.run("r1", "show version")  # the recorder is live: a command that is sent is recorded
    assert [r.payload["command"] for r in audit.list(kind="device_command")] == ["show version"]


def _cli(capsys, settings, monkeypatch, *args):
    from netops.cli.main import main

    for k, v in {"NETOPS_HOME": settings.home, "NETOPS_INVENTORY": settings.inventory,
                 "NETOPS_KNOWN_HOSTS": settings.known_hosts, "NETOPS_USER": "lab-tester",
                 "NETOPS_PLAYBOOKS_DIR": settings.playbooks_dir}.items():
        monkeypatch.setenv(k, str(v))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_run_refused_without_tty_or_policy_then_allowed_by_policy(env, capsys, monkeypatch):
    settings, devices, audit, lab = env
    args = ("playbook", "run", "interface-description", "-t", "r3", "-p", "interface=eth-r2",
            "-p", "description=cli test")
    code, out, err = _cli(capsys, settings, monkeypatch, *args)  # stdin is not a terminal under pytest
    assert code == 5 and "nothing was changed" in err
    code, out, err = _cli(capsys, settings, monkeypatch, *args, "--yes")
    assert code == 5 and "no approval policy" in err
    assert lab.lab.running_config("r3") == lab.baseline["r3"]
    settings.paths.policy_file.write_text("roles: {engineer: {max_risk: low}}\nusers: {lab-tester: engineer}\n")
    code, out, err = _cli(capsys, settings, monkeypatch, *args, "--yes", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["report"]["hosts"]["r3"]["state"] == "verified"
    assert "description cli test" in lab.lab.running_config("r3")
    code, out, _ = _cli(capsys, settings, monkeypatch, *args, "--dry-run", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["dry_run"] and doc["report"] is None
    assert doc["plan"]["host_plans"]["r3"]["diff_note"] == "no config change expected"
    _restore(lab, devices, "r3")


def test_audit_verify_catches_tampering_of_a_real_run(env, capsys, monkeypatch):
    settings, devices, audit, lab = env
    _run(settings, devices, audit, "bgp-soft-clear", "r2", {"neighbor": "198.51.100.1"})
    assert audit.verify().ok
    count = audit.verify().count
    audit.close()
    code, out, _ = _cli(capsys, settings, monkeypatch, "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["count"] == count
    db = settings.paths.audit_db
    pristine = db.with_name("pristine.sqlite")
    src = sqlite3.connect(db)
    dst = sqlite3.connect(pristine)
    src.backup(dst)  # a consistent copy, WAL included
    src.close()
    dst.close()

    def tamper(sql: str) -> dict:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        shutil.copy(pristine, db)
        conn = sqlite3.connect(db)
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        for stmt in sql.split(";"):
            if stmt.strip():
                conn.execute(stmt)
        conn.commit()
        conn.close()
        code, out, _ = _cli(capsys, settings, monkeypatch, "audit", "verify", "--json")
        assert code == 6
        return json.loads(out)

    approval = audit.list(kind="approval")[-1].seq
    audit.close()
    assert tamper(f"UPDATE audit SET payload=replace(payload, 'allow-all', 'alice') WHERE seq={approval}")["first_bad_seq"] == approval
    assert tamper("DELETE FROM audit WHERE seq=3")["first_bad_seq"] == 3
    assert tamper("UPDATE audit SET seq=-1 WHERE seq=4; UPDATE audit SET seq=4 WHERE seq=5; UPDATE audit SET seq=5 WHERE seq=-1")["first_bad_seq"] == 4
