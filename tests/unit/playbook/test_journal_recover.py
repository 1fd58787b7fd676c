"""Write-ahead journal and recover, over the FRR simulator (the lab tests kill real processes)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from netops.playbook import diff as cfgdiff
from netops.playbook.approval import AllowAll
from netops.playbook.journal import Journal, unfinished, unfinished_quick
from netops.playbook.recover import recover
from netops.playbook.runner import execute, plan

NEI = {"neighbor": "198.51.100.2"}


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _crashed_run(pb_settings, sim, state="applying"):
    """What kill -9 between apply and postcheck leaves: a changed router and a journal."""
    before = sim.routers["r1"].running()
    j = Journal.start(pb_settings.paths.home, playbook="bgp-neighbor-shutdown", hash="h", actor="tester",
                      plan_seq=None)
    j.snapshot("r1", "frr", before)
    j.stage("r1", state)
    sim.routers["r1"].configure(["router bgp 65001", "neighbor 198.51.100.2 shutdown", "exit"])
    j.data["pid"] = _dead_pid()  # the owner is gone
    j._write()
    dead = j.path.with_name(f"{j.run_id}.{j.data['pid']}.json")
    os.replace(j.path, dead)
    return before, Journal.load(dead)


def test_journal_is_private_written_ahead_and_removed_at_the_end(pb_settings, vetted, devices, sim, audit,
                                                                 monkeypatch):
    seen = {}
    real = sim.routers["r1"].configure

    def configure(lines):  # at the moment the change is sent, the journal already holds the snapshot
        (j,) = unfinished(pb_settings.paths.home, include_live=True)
        seen["state"] = j.host("r1")["state"]
        seen["snapshot"] = j.host("r1").get("snapshot")
        seen["mode"] = stat.S_IMODE(j.path.stat().st_mode)
        seen["dir"] = stat.S_IMODE(j.path.parent.stat().st_mode)
        return real(lines)

    monkeypatch.setattr(sim.routers["r1"], "configure", configure)
    before = sim.routers["r1"].running()
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    report = execute(p, approver=AllowAll(), devices=devices, audit=audit)
    assert report.hosts["r1"].state == "verified"
    assert seen == {"state": "applying", "snapshot": before, "mode": 0o600, "dir": 0o700}
    assert unfinished(pb_settings.paths.home, include_live=True) == []   # gone after the result
    kinds = [r.kind for r in audit.list(limit=None)]
    assert kinds.index("apply_start") < kinds.index("apply")             # intent to apply is on record first


def test_recover_restores_byte_for_byte_and_records(pb_settings, devices, sim, audit):
    before, j = _crashed_run(pb_settings, sim)
    assert sim.routers["r1"].running() != before
    assert unfinished_quick(pb_settings.paths.home) == [j.run_id]
    done = recover(pb_settings, devices, audit)
    assert [(r.host, r.ok) for r in done] == [("r1", True)]
    assert sim.routers["r1"].running() == before
    rec = audit.list(kind="recover")[-1].payload
    assert rec["verified_equal_to_snapshot"] is True and rec["stage_at_crash"] == "applying"
    assert audit.list(kind="result")[-1].payload["recovered_by"] == "recover"
    assert unfinished_quick(pb_settings.paths.home) == []
    assert audit.verify().ok


def test_recover_leaves_a_live_run_alone(pb_settings, devices, sim, audit):
    j = Journal.start(pb_settings.paths.home, playbook="x", hash="h", actor="t", plan_seq=None)
    j.snapshot("r1", "frr", "whatever")
    j.stage("r1", "applying")
    assert recover(pb_settings, devices, audit) == []       # our own pid: still running
    assert unfinished_quick(pb_settings.paths.home) == []
    j.finish()


def test_every_command_warns_while_a_run_is_unfinished_and_recover_clears_it(pb_settings, sim, capsys,
                                                                              monkeypatch):
    from netops.cli.main import main

    before, j = _crashed_run(pb_settings, sim)
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    assert main(["audit", "verify", "--json"]) in (0, 6)
    err = capsys.readouterr().err
    assert "stopped before they finished" in err and j.run_id in err and "playbook recover" in err
    # recover through the CLI needs the simulator as transport: patch the session's device factory
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", sim)
    code = main(["playbook", "recover", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert sim.routers["r1"].running() == before
    assert main(["playbook", "list", "--json"]) == 0
    assert "stopped before they finished" not in capsys.readouterr().err


def test_a_secret_in_the_snapshot_stays_out_of_the_audit_log(pb_settings, devices, sim, audit):
    r = sim.routers["r1"]
    r.tree = cfgdiff.apply_lines(r.tree, ["router bgp 65001", "neighbor 198.51.100.2 password JournalS3cret", "exit"])
    _crashed_run(pb_settings, sim)
    recover(pb_settings, devices, audit)
    audit.close()
    raw = b"".join(p.read_bytes() for p in audit.path.parent.glob(audit.path.name + "*"))
    assert b"JournalS3cret" not in raw


def test_journal_writes_are_durable_file_and_directory(pb_settings, monkeypatch):
    """Write-ahead means on disk: the file is fsynced, and so is the directory holding the rename."""
    import stat as st

    synced = []
    real = os.fsync

    def fsync(fd):
        synced.append(st.S_ISDIR(os.fstat(fd).st_mode))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    j = Journal.start(pb_settings.paths.home, playbook="x", hash="h", actor="t", plan_seq=None)
    j.snapshot("r1", "frr", "hostname r1\n")
    j.finish()
    assert synced.count(False) == 2 and synced.count(True) == 2, synced


def test_a_recovery_on_record_is_found_however_busy_the_audit_log(pb_settings, devices, sim, audit):
    """A recovery that restored r1 and recorded it, then died before updating the journal, must
    not be recorded twice -- also when hundreds of other records came after it."""
    before, j = _crashed_run(pb_settings, sim)
    sim.routers["r1"].configure(["router bgp 65001", "no neighbor 198.51.100.2 shutdown", "exit"])
    assert sim.routers["r1"].running() == before
    audit.append("recover", {"run_id": j.run_id, "host": "r1", "ok": True}, actor="tester")
    for n in range(600):
        audit.append("recover", {"run_id": f"other-{n}", "host": "r2", "ok": True}, actor="tester")
        audit.append("result", {"run_id": f"other-{n}", "ok": True}, actor="tester")
    recover(pb_settings, devices, audit)
    mine = [r for r in audit.list(kind="recover", limit=None) if r.payload.get("run_id") == j.run_id]
    assert len(mine) == 1
    assert sim.routers["r1"].running() == before
