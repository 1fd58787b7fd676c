"""Write-ahead journal and recover, over the FRR simulator (the lab tests kill real processes)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from netops.playbook import diff as cfgdiff
from netops.playbook.approval import AllowAll
from netops.playbook.journal import Journal, journal_dir, unfinished, unfinished_quick
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
    # the start tries to put r1 back first; the device does not answer there: one line says so
    (line,) = [ln for ln in err.splitlines() if "r1" in ln]
    assert line.startswith("warning: bgp-neighbor-shutdown on r1 was interrupted") and j.run_id in line
    assert "could NOT be rolled back" in line and "playbook recover" in line
    # recover through the CLI needs the simulator as transport: patch the session's device factory
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", sim)
    code = main(["playbook", "recover", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert sim.routers["r1"].running() == before
    assert main(["playbook", "list", "--json"]) == 0
    assert "r1" not in capsys.readouterr().err


def test_the_start_of_any_command_rolls_back_and_says_so_in_one_line(pb_settings, sim, capsys, monkeypatch):
    from netops.cli.main import main
    from netops.devices import transport

    before, j = _crashed_run(pb_settings, sim)
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setattr(transport, "ssh_transport", sim)
    assert main(["playbook", "list", "--json"]) == 0
    err = capsys.readouterr().err
    assert sim.routers["r1"].running() == before
    assert err.splitlines() == [f"recovered: bgp-neighbor-shutdown on r1 was interrupted while the change was "
                                f"being sent; r1 was rolled back to its pre-change config (verified) (run {j.run_id})"]
    assert unfinished_quick(pb_settings.paths.home) == []
    assert main(["playbook", "list", "--json"]) == 0
    assert capsys.readouterr().err == ""                                 # told once


def test_a_secret_in_the_snapshot_stays_out_of_the_audit_log(pb_settings, devices, sim, audit):
    r = sim.routers["r1"]
    r.tree = cfgdiff.apply_lines(r.tree, ["router bgp 65001", "neighbor 198.51.100.2 password JournalS3cret", "exit"])
    _crashed_run(pb_settings, sim)
    recover(pb_settings, devices, audit)
    audit.close()
    raw = b"".join(p.read_bytes() for p in audit.path.parent.glob(audit.path.name + "*"))
    assert b"JournalS3cret" not in raw


def test_journal_writes_are_durable_file_and_directory(pb_settings, monkeypatch):
    """Write-ahead means on disk: the header is fsynced with the directory holding its rename,
    each appended step is fsynced before the step goes ahead."""
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
    assert synced == [False, True, False], synced


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


def _three_step_journal(home):
    j = Journal.start(home, playbook="router-drain", hash="h", actor="t", plan_seq=None, targets=["r1"])
    j.snapshot("r1", "frr", "hostname r1\nrouter bgp 65001\n neighbor 198.51.100.2 password S3cret\nexit\n")
    j.stage("r1", "applying")
    return j


def test_a_journal_cut_at_every_byte_of_its_last_record_still_reads(pb_settings):
    """A power cut mid-append tears only the last record; that step was never acknowledged,
    so the journal reads as it stood before it, and the snapshot is still there to restore."""
    j = _three_step_journal(pb_settings.paths.home)
    raw = j.path.read_bytes()
    last = raw.rstrip(b"\n").rfind(b"\n") + 1
    assert last > 0
    for cut in range(last, len(raw)):
        j.path.write_bytes(raw[:cut])
        back = Journal.load(j.path)
        assert back.host("r1")["state"] == "snapshot", cut
        assert back.host("r1")["snapshot"] == j.host("r1")["snapshot"], cut
        assert back.pending_hosts() == ["r1"], cut
    j.path.write_bytes(raw)
    assert Journal.load(j.path).host("r1")["state"] == "applying"


def test_a_journal_cut_inside_the_snapshot_record_means_nothing_was_sent(pb_settings):
    j = _three_step_journal(pb_settings.paths.home)
    raw = j.path.read_bytes()
    first, second = raw.find(b"\n") + 1, raw.find(b"\n", raw.find(b"\n") + 1) + 1
    for cut in range(first, second):
        j.path.write_bytes(raw[:cut])
        assert Journal.load(j.path).pending_hosts() == [], cut   # no snapshot on disk: no change went out


def test_a_torn_record_followed_by_a_whole_one_is_damage(pb_settings):
    import pytest

    from netops.errors import JournalError

    j = _three_step_journal(pb_settings.paths.home)
    lines = j.path.read_bytes().split(b"\n")
    j.path.write_bytes(b"\n".join([lines[0], lines[1][:40], lines[2], b""]))
    with pytest.raises(JournalError) as err:
        Journal.load(j.path)
    assert "r1" in err.value.hint


def test_a_failed_append_leaves_no_torn_line(pb_settings, monkeypatch):
    """A full disk refuses half-way: the step is cut off again, so later steps still append."""
    import errno

    import pytest

    j = _three_step_journal(pb_settings.paths.home)
    size = j.path.stat().st_size
    real = os.write
    calls = []

    def short(fd, data):
        if not calls:
            calls.append(1)
            return real(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", short)
    with pytest.raises(OSError):
        j.stage("r1", "applied")
    monkeypatch.setattr(os, "write", real)
    assert j.path.stat().st_size == size and j.host("r1")["state"] == "applying"
    j.stage("r1", "rolled_back")
    assert Journal.load(j.path).host("r1")["state"] == "rolled_back"


def test_sweep_removes_lock_files_of_finished_runs_only_when_free(pb_settings):
    import fcntl

    from netops.playbook.journal import journal_dir, sweep

    home = pb_settings.paths.home
    done = _three_step_journal(home)
    with done.exclusive():
        pass
    running = _three_step_journal(home)
    with running.exclusive():
        pass
    done.path.unlink()  # a run that finished without clearing its lock (an older netops)
    d = journal_dir(home)
    held_run = "20260101T000000-aaaaaa"
    held = d / f".{held_run}.lock"
    fd = os.open(held, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a restorer holds it right now
    try:
        removed = sweep(home)
    finally:
        os.close(fd)
    assert removed == [f".{done.run_id}.lock"]
    assert (d / f".{running.run_id}.lock").exists() and held.exists()
    assert sweep(home) == [f".{held_run}.lock"]   # free now
    running.finish()
    assert sorted(os.listdir(d)) == []


def test_finish_and_recover_leave_no_lock_file(pb_settings, devices, sim, audit):
    from netops.playbook.journal import journal_dir

    _, j = _crashed_run(pb_settings, sim)
    recover(pb_settings, devices, audit)
    assert [n for n in os.listdir(journal_dir(pb_settings.paths.home)) if n != "notices"] == []


def test_sweep_keeps_recent_guard_logs_and_live_runs_files(pb_settings):
    import time

    from netops.playbook.journal import GUARD_LOG_KEEP_S, TEMP_KEEP_S, journal_dir, sweep

    home = pb_settings.paths.home
    live = _three_step_journal(home)
    d = journal_dir(home)
    old_log = d / ".20260101T000000-bbbbbb.1-1.r1.guard.log"
    new_log = d / ".20260101T000001-cccccc.1-1.r1.guard.log"
    live_log = d / f".{live.path.stem}.r1.guard.log"
    tmp = d / ".20260101T000002-dddddd.1-1.json.abc123"
    for p in (old_log, new_log, live_log, tmp):
        p.write_text("x")
    long_ago = time.time() - GUARD_LOG_KEEP_S - 10
    os.utime(old_log, (long_ago, long_ago))
    os.utime(live_log, (long_ago, long_ago))
    assert sorted(sweep(home)) == [old_log.name]
    assert sorted(sweep(home, now=time.time() + TEMP_KEEP_S + 1)) == [tmp.name]
    assert new_log.exists() and live_log.exists() and live.path.exists()


def test_a_guard_with_nothing_to_do_leaves_no_log(pb_settings):
    import time

    from netops.playbook.guard import spawn_guard
    from netops.playbook.journal import journal_dir

    j = _three_step_journal(pb_settings.paths.home)
    spawn_guard(j.path, "r1", deadline=60)
    time.sleep(0.5)
    j.stage("r1", "rolled_back")
    j.finish()
    d = journal_dir(pb_settings.paths.home)
    deadline = time.monotonic() + 10
    while any(n.endswith(".guard.log") for n in os.listdir(d)) or _guard_running(j.path):
        assert time.monotonic() < deadline, os.listdir(d)
        time.sleep(0.1)
    assert os.listdir(d) == []


def _guard_running(journal) -> bool:
    from pathlib import Path

    for p in Path("/proc").iterdir():
        try:
            if p.name.isdigit() and str(journal).encode() in (p / "cmdline").read_bytes():
                return True
        except OSError:
            pass
    return False


def test_a_header_cut_short_closes_as_unchanged_when_the_audit_log_shows_nothing_was_sent(pb_settings, devices,
                                                                                        audit):
    """Killed after the approval (header only), then the header is cut at every byte: no device
    was touched (no snapshot on record), so the run is closed as unchanged and said so; it is
    not left as a damaged journal that blocks the host."""
    from netops.playbook.hostlock import require_recovered
    from netops.playbook.journal import damaged

    home = pb_settings.paths.home
    j = Journal.start(home, playbook="router-drain", hash="h", actor="t", plan_seq=None, targets=["r1"])
    dead = j.path.with_name(f"{j.run_id}.{_dead_pid()}-1.json")
    os.replace(j.path, dead)
    raw = dead.read_bytes()
    for cut in range(0, len(raw) - 1, 7):
        dead.write_bytes(raw[:cut])
        lines = []
        recover(pb_settings, devices, audit, on_host=lambda r: lines.append(r.line))
        assert len(lines) == 1 and "unchanged" in lines[0] and j.run_id in lines[0], (cut, lines)
        assert not dead.exists() and damaged(home) == []
        require_recovered(home, ["r1"])  # not blocked
    assert audit.verify().ok


def test_a_header_cut_short_after_a_snapshot_on_record_stays_damaged(pb_settings, devices, audit):
    import pytest

    from netops.errors import JournalError

    home = pb_settings.paths.home
    j = Journal.start(home, playbook="router-drain", hash="h", actor="t", plan_seq=None, targets=["r1"])
    audit.append("snapshot", {"host": "r1", "journal": j.run_id}, actor="t")
    dead = j.path.with_name(f"{j.run_id}.{_dead_pid()}-1.json")
    os.replace(j.path, dead)
    dead.write_bytes(dead.read_bytes()[:30])
    with pytest.raises(JournalError):
        recover(pb_settings, devices, audit)
    assert dead.with_name(dead.name + ".damaged").exists()


def test_a_damaged_audit_log_does_not_stop_the_restore_and_the_line_says_so(pb_settings, sim, audit,
                                                                            monkeypatch):
    from netops.devices import transport
    from netops.playbook.recover import at_start

    before, j = _crashed_run(pb_settings, sim)
    audit.append("plan", {"x": 1}, actor="t")
    audit.close()
    raw = audit.path.read_bytes()
    audit.path.write_bytes(raw[: len(raw) // 3])  # the disk lost the tail of the database
    monkeypatch.setattr(transport, "ssh_transport", sim)
    lines = at_start(pb_settings)
    assert sim.routers["r1"].running() == before
    assert len(lines) == 1 and "rolled back" in lines[0] and "NOT in the audit log" in lines[0], lines
    assert unfinished(pb_settings.paths.home) == []


def test_a_journal_cut_behind_an_acknowledged_snapshot_is_damage_not_unchanged(pb_settings, devices, sim, audit):
    """Cut deeper than its last record (the disk lost more than a write in flight): the journal
    reads as if r1 was never snapshotted, but the audit log has r1's snapshot of this run, so
    r1 may be changed: reported as damaged and refused, never closed as unchanged."""
    import pytest

    from netops.errors import DeviceBusy, JournalError
    from netops.playbook.hostlock import require_recovered

    import json

    j = _three_step_journal(pb_settings.paths.home)
    audit.append("snapshot", {"host": "r1", "journal": j.run_id}, actor="t")
    head, rest = j.path.read_bytes().split(b"\n", 1)
    dead = _dead_pid()
    head = json.dumps(dict(json.loads(head), pid=dead, pid_start=1)).encode() + b"\n"  # its owner is gone
    j.path.unlink()
    j.path = j.path.with_name(f"{j.run_id}.{dead}-1.json")
    j.path.write_bytes(head + rest[:20])  # inside the snapshot record
    with pytest.raises(JournalError) as err:
        recover(pb_settings, devices, audit)
    assert "r1" in err.value.message and "unreadable" in err.value.message
    with pytest.raises(DeviceBusy):
        require_recovered(pb_settings.paths.home, ["r1"])
    rec = [r.payload for r in audit.list(kind="recover", limit=None)]
    assert len(rec) == 1 and rec[0]["ok"] is False


def test_a_guard_that_failed_and_the_start_that_retries_make_one_line(pb_settings, sim, capsys, monkeypatch):
    """A guard that could not put a host back leaves its line for the next start; that start
    retries the same run and says how it stands now: one line, not the guard's and its own."""
    from netops.cli.main import main
    from netops.playbook.journal import journal_dir
    from netops.playbook.recover import write_notice

    _, j = _crashed_run(pb_settings, sim)
    write_notice(journal_dir(pb_settings.paths.home), j.run_id,
                 [f"warning: bgp-neighbor-shutdown on r1 was interrupted while the change was being sent; r1 could "
                  f"NOT be rolled back (r1: the device closed the session) and may still be changed: run `netops "
                  f"playbook recover` once it answers (run {j.run_id})"])
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    assert main(["playbook", "list", "--json"]) == 0
    lines = [ln for ln in capsys.readouterr().err.splitlines() if "r1" in ln]
    assert len(lines) == 1 and "could NOT be rolled back" in lines[0] and j.run_id in lines[0], lines


def test_a_journal_that_cannot_be_opened_stops_the_run_before_the_question_with_a_denial(
        pb_settings, vetted, devices, sim, audit):
    """No write-ahead journal, no change: the person is not asked, nothing is sent, and the plan
    ends on record (a denial naming why), not as a plan without an end."""
    import pytest

    from netops.errors import PlaybookError

    journal_dir(pb_settings.paths.home).parent.mkdir(parents=True, exist_ok=True)
    journal_dir(pb_settings.paths.home).write_text("not a directory")  # cannot hold a journal
    asked = []

    class Approver:
        def approve(self, p):
            asked.append(p)
            return AllowAll().approve(p)

    before = sim.routers["r1"].running()
    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    with pytest.raises(PlaybookError, match="cannot write the run journal"):
        execute(p, approver=Approver(), devices=devices, audit=audit)
    assert asked == [] and sim.routers["r1"].running() == before
    (denial,) = [r.payload for r in audit.list(kind="denial", limit=None)]
    assert denial["plan_seq"] == p.audit_seq and "cannot write the run journal" in denial["reason"]
