"""Issue 16's two product bugs, pinned from outside:

* rendered commands (and rollback lines restored from the snapshot) reach the audit log only redacted;
* rollback verification compares the *unredacted* configs in memory, so a secret that the change
  altered and the rollback did not put back is a failed rollback, not "restored".
"""

from __future__ import annotations

import json

from netops.playbook import diff as cfgdiff
from netops.playbook.approval import AllowAll
from netops.playbook.runner import execute, plan

OLD, NEW = "OldS3cretBgp", "NewS3cretBgp"
PLAYBOOK = """name: bgp-password-test
version: 1
description: test only - set a BGP neighbor password
owner: tests
risk: low
read_only: false
platforms: [frr]
parameters:
  neighbor: {type: ip, description: neighbor, example: 198.51.100.2}
targets: {platform: frr, max_hosts: 1}
prechecks:
  - name: neighbor exists
    command: show bgp neighbors {{ neighbor }} json
    assert: '"{{ neighbor }}" exists'
change:
  frr: frr.j2
postchecks:
  - name: impossible
    command: show bgp neighbors {{ neighbor }} json
    assert: '"{{ neighbor }}".remoteAs == 1'
    within: 0.2s
    interval: 0.1s
rollback: snapshot
"""


def _add_playbook(cat, pb_dir, template: str):
    d = pb_dir / "bgp-password-test"
    d.mkdir()
    (d / "playbook.yaml").write_text(PLAYBOOK)
    (d / "frr.j2").write_text(template)
    cat.lock_for(cat.get("bgp-password-test")).vet(cat.get("bgp-password-test"), "unit-reviewer")


def _with_old_secret(sim):
    r = sim.routers["r1"]
    r.tree = cfgdiff.apply_lines(r.tree, ["router bgp 65001", f"neighbor 198.51.100.2 password {OLD}", "exit"])
    assert OLD in r.running()
    return r.running()


def _audit_bytes(audit) -> bytes:
    audit.close()
    return b"".join(p.read_bytes() for p in audit.path.parent.glob(audit.path.name + "*"))


def test_changed_secret_is_restored_and_verified_unredacted(pb_settings, vetted, pb_dir, devices, sim, audit):
    _add_playbook(vetted, pb_dir, "router bgp 65001\nneighbor {{ neighbor }} password " + NEW + "\nexit\n")
    before = _with_old_secret(sim)
    p = plan(pb_settings, "bgp-password-test", "r1", {"neighbor": "198.51.100.2"}, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    hr = report.hosts["r1"]
    # The router really had NEW after the apply; rollback must put OLD back, byte for byte.
    assert any(NEW in ln for cfg in sim.routers["r1"].configs for ln in cfg)
    assert hr.state == "rolled_back", hr.error
    assert sim.routers["r1"].running() == before
    rb = audit.list(kind="rollback")[-1].payload
    assert rb["verified_equal_to_snapshot"] is True
    # ... and neither secret is anywhere in the report or the audit database file.
    dumped = json.dumps(report.to_dict()) + json.dumps(p.to_dict()["host_plans"]["r1"]["diff"] or "")
    for s in (OLD, NEW):
        i = dumped.find(s)
        assert i < 0, dumped[max(0, i - 300):i + 50]
    raw = _audit_bytes(audit)
    assert OLD.encode() not in raw and NEW.encode() not in raw
    assert b"<redacted>" in raw  # the commands were recorded, redacted


def test_rollback_that_cannot_restore_a_secret_is_a_failed_rollback(pb_settings, vetted, pb_dir, devices, sim, audit,
                                                                    monkeypatch):
    _add_playbook(vetted, pb_dir, "router bgp 65001\nneighbor {{ neighbor }} password " + NEW + "\nexit\n")
    _with_old_secret(sim)
    router = sim.routers["r1"]
    real = router.configure
    calls = []

    def device(lines):
        calls.append(lines)
        if len(calls) == 1:  # the change: like FRR, a new password replaces the old one in place
            return real(["router bgp 65001", f"no neighbor 198.51.100.2 password {OLD}", *lines[1:]])
        return real([ln for ln in lines if OLD not in ln and NEW not in ln])  # secret lines ignored

    monkeypatch.setattr(router, "configure", device)
    p = plan(pb_settings, "bgp-password-test", "r1", {"neighbor": "198.51.100.2"}, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert NEW in router.running() and OLD not in router.running()  # redacted, the two configs look equal
    assert report.hosts["r1"].state == "rollback_failed", report.hosts["r1"].error
    assert OLD not in (report.hosts["r1"].error or "") and NEW not in (report.hosts["r1"].error or "")
    assert audit.list(kind="rollback")[-1].payload["verified_equal_to_snapshot"] is False


def test_configure_records_redacted_commands(devices, sim, audit):
    devices.configure("r1", ["router bgp 65001", f" neighbor 198.51.100.2 password {NEW}", "exit"])
    rec = audit.list(kind="device_command")[-1]
    assert NEW not in json.dumps(rec.payload) and "password <redacted>" in rec.payload["command"]
    assert NEW.encode() not in _audit_bytes(audit)


def test_description_with_password_words_does_not_break_checks_or_trigger_rollback(
        pb_settings, vetted, devices, sim, audit):
    """A legitimate description that says "password X": JSON stays JSON, the postcheck that
    compares it sees it unchanged, the change verifies."""
    desc = "reset password portal X, secret Y"
    p = plan(pb_settings, "interface-description", "r1", {"interface": "eth-r2", "description": desc},
             devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert report.hosts["r1"].state == "verified", report.hosts["r1"].error
    assert json.loads(devices.run("r1", "show interface eth-r2 json")["r1"].output)["eth-r2"]["description"] == desc
