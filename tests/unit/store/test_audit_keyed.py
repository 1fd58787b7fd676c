"""The keyed audit chain: key handling, head, local head file, anchors, migration, 8 writers."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from netops.store.anchor import anchor_line, read_anchors, write_file
from netops.store.audit import GENESIS, AuditLog, record_hash
from netops.store.auditkey import head_mac, load_key


def _fill(log: AuditLog, n: int = 5) -> None:
    for i in range(1, n + 1):
        log.append("test", {"i": i}, actor="alice")


@pytest.fixture
def log(tmp_path):
    with AuditLog(tmp_path / "audit.sqlite") as a:
        _fill(a)
        yield a


def attacker(log: AuditLog) -> sqlite3.Connection:
    log.close()
    conn = sqlite3.connect(log.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def rewrite_with_key(log: AuditLog, from_seq: int, new_text: str) -> None:
    """What someone holding the key can do: edit a record and re-key everything after it."""
    key = load_key(log.key_file, create=False)
    conn = attacker(log)
    rows = conn.execute("SELECT seq, ts, actor, kind, payload, prev_hash FROM audit WHERE seq >= ? ORDER BY seq",
                        (from_seq,)).fetchall()
    prev = conn.execute("SELECT hash FROM audit WHERE seq = ?", (from_seq - 1,)).fetchone()
    prev = prev[0] if prev else GENESIS
    for seq, ts, actor, kind, payload, _ in rows:
        body = json.loads(payload)
        if seq == from_seq:
            body["text"] = new_text
        h = record_hash(prev, seq, ts, actor, kind, body, key)
        conn.execute("UPDATE audit SET payload=?, prev_hash=?, hash=? WHERE seq=?",
                     (json.dumps(body, sort_keys=True, separators=(",", ":")), prev, h, seq))
        prev = h
    last = rows[-1][0]
    conn.execute("UPDATE audit_head SET seq=?, hash=?, mac=?", (last, prev, head_mac(key, last, prev)))
    conn.close()
    log.local_head.path.unlink()
    log.local_head.advance(key, last, prev)


def test_key_created_on_first_use_private_and_outside_the_database(tmp_path):
    db = tmp_path / "audit.sqlite"
    with AuditLog(db) as log:
        assert not log.key_file.exists()
        log.append("x", {}, actor="a")
        mode = stat.S_IMODE(log.key_file.stat().st_mode)
        assert mode == 0o600, oct(mode)
        assert stat.S_IMODE(log.key_file.parent.stat().st_mode) == 0o700
        key = log.key_file.read_text().strip()
        assert len(bytes.fromhex(key)) == 32
    assert key.encode() not in db.read_bytes()


def test_key_location_comes_from_settings(tmp_path, monkeypatch):
    from netops.settings import load_settings

    keyfile = tmp_path / "elsewhere" / "netops.key"
    monkeypatch.setenv("NETOPS_AUDIT__KEY_FILE", str(keyfile))
    with AuditLog.from_settings(load_settings()) as log:
        log.append("x", {}, actor="a")
        assert log.key_file == keyfile and keyfile.exists()
        assert log.verify().ok


def test_forging_without_the_key_is_detected_even_when_the_whole_chain_is_rehashed(log):
    conn = attacker(log)
    prev = GENESIS
    for seq, ts, actor, kind, payload in conn.execute(
            "SELECT seq, ts, actor, kind, payload FROM audit ORDER BY seq").fetchall():
        h = record_hash(prev, seq, ts, actor, kind, json.loads(payload))  # the best guess: unkeyed
        conn.execute("UPDATE audit SET prev_hash=?, hash=? WHERE seq=?", (prev, h, seq))
        prev = h
    conn.execute("UPDATE audit_head SET hash=?", (prev,))
    conn.close()
    report = log.verify()
    assert not report.ok and report.first_bad_seq == 1


def test_someone_with_the_key_is_caught_by_an_anchor_taken_before(log, tmp_path):
    anchors = tmp_path / "outside" / "anchors.jsonl"
    head = log.head()
    write_file(anchors, anchor_line(log.path, head.seq, head.hash, log.key_id))
    rewrite_with_key(log, 3, "nothing happened")
    assert log.verify().ok  # the key holder fools everything local ...
    report = log.verify(read_anchors(anchors))  # ... but not an anchor they cannot reach
    assert not report.ok and report.first_bad_seq == 5 and "rewritten" in report.problems[0].problem


def test_truncation_of_the_last_records_and_the_head_is_detected(log):
    conn = attacker(log)
    conn.execute("DELETE FROM audit WHERE seq >= 4")
    conn.execute("DELETE FROM audit_head")
    conn.close()
    report = log.verify()
    assert not report.ok
    assert any("head record is missing" in p.problem for p in report.problems)
    assert any("4..5" in p.problem for p in report.problems)  # the local head file remembers 5


def test_truncation_with_a_replayed_old_head_row_is_detected(log):
    conn = attacker(log)
    old = conn.execute("SELECT seq, hash FROM audit WHERE seq=3").fetchone()
    conn.execute("DELETE FROM audit WHERE seq >= 4")
    # A head row for seq 3 with a valid MAC existed once; replaying it passes the MAC check.
    key = load_key(log.key_file, create=False)
    conn.execute("UPDATE audit_head SET seq=?, hash=?, mac=?", (old[0], old[1], head_mac(key, *old)))
    conn.close()
    report = log.verify()
    assert not report.ok and report.first_bad_seq == 4 and "older copy" in report.problems[0].problem


def test_forged_head_without_the_key_is_detected(log):
    conn = attacker(log)
    conn.execute("DELETE FROM audit WHERE seq = 5")
    row = conn.execute("SELECT seq, hash FROM audit WHERE seq=4").fetchone()
    conn.execute("UPDATE audit_head SET seq=?, hash=?, mac=?", (row[0], row[1], "0" * 64))
    conn.close()
    assert any("MAC" in p.problem for p in log.verify().problems)


def test_dropped_head_table_is_tampering_not_a_crash(log, capsys):
    conn = attacker(log)
    conn.execute("DROP TABLE audit_head")
    conn.close()
    report = log.verify()
    assert not report.ok and "audit_head table is gone" in report.problems[0].problem


def test_restored_old_copy_is_detected(log, tmp_path):
    log.close()
    copy = tmp_path / "copy.sqlite"
    shutil.copy(log.path, copy)
    with AuditLog(log.path) as again:
        _fill(again, 2)
    for suffix in ("-wal", "-shm"):
        Path(str(log.path) + suffix).unlink(missing_ok=True)
    shutil.copy(copy, log.path)
    with AuditLog(log.path) as again:
        report = again.verify()
    assert not report.ok and "older copy" in report.problems[0].problem


def test_deleted_database_is_detected(log):
    log.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(log.path) + suffix).unlink(missing_ok=True)
    with AuditLog(log.path) as fresh:
        report = fresh.verify()
    assert not report.ok and "1..5" in report.problems[0].problem


def test_missing_or_wrong_key_fails_verification(log, tmp_path):
    log.close()
    saved = log.key_file.read_text()
    log.key_file.unlink()
    with AuditLog(log.path) as again:
        assert not again.verify().ok
        assert "key" in again.verify().problems[0].problem
        from netops.errors import AuditError

        with pytest.raises(AuditError, match="missing"):
            again.append("x", {}, actor="a")  # never silently start a new key
    fd = os.open(log.key_file, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, (os.urandom(32).hex() + "\n").encode())
    os.close(fd)
    with AuditLog(log.path) as again:
        report = again.verify()
        assert not report.ok and "written with audit key" in report.problems[0].problem
    log.key_file.write_text(saved)
    with AuditLog(log.path) as again:
        assert again.verify().ok


def test_world_readable_key_is_refused(log):
    os.chmod(log.key_file, 0o644)
    from netops.errors import AuditError

    with pytest.raises(AuditError, match="readable by others") as ei:
        load_key(log.key_file, create=False)
    assert "chmod 600" in ei.value.hint
    assert not log.verify().ok


def _legacy_db(path: Path, n: int) -> None:
    """A log as the previous netops wrote it: migrations 1-3, unkeyed chain, trigger-kept head."""
    from netops.store.audit import MIGRATIONS, canonical
    from netops.store.db import connect, migrate

    conn = connect(path)
    migrate(conn, MIGRATIONS[:3])
    prev = GENESIS
    for seq in range(1, n + 1):
        body = {"i": seq}
        ts = f"2026-01-01T00:00:0{seq}+00:00"
        h = record_hash(prev, seq, ts, "old", "legacy", body)
        conn.execute("INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                     (seq, ts, "old", "legacy", canonical(body), prev, h))
        prev = h
    conn.close()


def test_legacy_log_is_migrated_and_sealed(tmp_path):
    db = tmp_path / "audit.sqlite"
    _legacy_db(db, 3)
    with AuditLog(db) as log:
        report = log.verify()
        assert report.ok, report.problems
        seal = log.get(4)
        assert seal.kind == "audit_keyed" and seal.payload["legacy_records"] == 3
        log.append("new", {}, actor="a")
        assert log.verify().ok and log.verify().count == 5
    # The legacy prefix is pinned by the keyed seal: rewriting it (even re-hashed) is caught.
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    prev = GENESIS
    for seq in (1, 2, 3):
        ts, = conn.execute("SELECT ts FROM audit WHERE seq=?", (seq,)).fetchone()
        body = {"i": seq * 100}
        h = record_hash(prev, seq, ts, "old", "legacy", body)
        conn.execute("UPDATE audit SET payload=?, prev_hash=?, hash=? WHERE seq=?", (json.dumps(body), prev, h, seq))
        prev = h
    conn.close()
    with AuditLog(db) as log:
        report = log.verify()
        assert not report.ok and report.first_bad_seq == 4


def test_anchor_files_and_syslog_lines_read_back(tmp_path):
    f = tmp_path / "mixed.log"
    h = "ab" * 32
    f.write_text("Dec  1 15:00:00 host netops: netops-audit-anchor db=/x seq=7 hash=" + h + " key_id=k\n"
                 "unrelated line\n" + anchor_line(Path("/x"), 9, "cd" * 32, "k") + "\n")
    heads = read_anchors(f)
    assert [(a.seq, a.hash) for a in heads] == [(7, h), (9, "cd" * 32)]


WRITER = """
import sys
from netops.store.audit import AuditLog
log = AuditLog(sys.argv[1])
sys.stdin.readline()            # start together
for i in range(int(sys.argv[3])):
    log.append("w", {"writer": int(sys.argv[2]), "i": i}, actor="w" + sys.argv[2])
log.close()
"""


def test_eight_writer_processes_lose_nothing_and_verify(tmp_path):
    """Eight real processes on a fresh log (so they also race to create the key)."""
    db = tmp_path / "audit.sqlite"
    n = 40
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(w), str(n)], stdin=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
             for w in range(8)]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with AuditLog(db) as log:
        report = log.verify()
        assert report.ok, report.problems
        assert report.count == 8 * n
        got = sorted((r.payload["writer"], r.payload["i"]) for r in log.list(limit=None))
        assert got == sorted((w, i) for w in range(8) for i in range(n))
        assert log.local_head.read(load_key(log.key_file, create=False)).seq == 8 * n


def test_replacing_the_key_and_rekeying_everything_is_caught_by_an_anchor(log, tmp_path):
    """No key, but write access to the key file: make a new key and re-key the whole log."""
    import secrets

    from netops.store.audit import canonical

    anchors = tmp_path / "outside.jsonl"
    head = log.head()
    write_file(anchors, anchor_line(log.path, head.seq, head.hash, log.key_id))
    log.close()
    os.chmod(log.key_file, 0o600)
    new = secrets.token_bytes(32)
    log.key_file.write_text(new.hex() + "\n")
    conn = attacker(log)
    prev = GENESIS
    for seq, ts, actor, kind, payload in conn.execute(
            "SELECT seq, ts, actor, kind, payload FROM audit ORDER BY seq").fetchall():
        h = record_hash(prev, seq, ts, actor, kind, json.loads(payload), new)
        conn.execute("UPDATE audit SET prev_hash=?, hash=?, payload=? WHERE seq=?",
                     (prev, h, canonical(json.loads(payload)), seq))
        prev = h
    from netops.store.auditkey import key_id

    conn.execute("UPDATE audit_head SET hash=?, mac=?", (prev, head_mac(new, 5, prev)))
    conn.execute("UPDATE audit_meta SET v=? WHERE k='key_id'", (key_id(new),))
    conn.close()
    log.local_head.path.unlink()
    log.local_head.advance(new, 5, prev)
    assert log.verify().ok  # locally consistent again ...
    report = log.verify(read_anchors(anchors))
    assert not report.ok and any("rewritten" in p.problem or "replaced" in p.problem for p in report.problems)


def test_legacy_log_migrated_by_eight_writers_at_once(tmp_path):
    db = tmp_path / "audit.sqlite"
    _legacy_db(db, 4)
    n = 15
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(w), str(n)], stdin=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
             for w in range(8)]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with AuditLog(db) as log:
        report = log.verify()
        assert report.ok, report.problems
        assert report.count == 4 + 1 + 8 * n
        assert len(log.list(kind="audit_keyed", limit=None)) == 1


def _killed_with_wal(home: Path, n: int) -> None:
    """``n`` records appended by a process that is then SIGKILLed (its WAL is never checkpointed)."""
    code = ("import os, signal, sys; from pathlib import Path; from netops.store.audit import AuditLog\n"
            "log = AuditLog(Path(sys.argv[1]) / 'audit.sqlite')\n"
            "for i in range(int(sys.argv[2])): log.append('test', {'i': i}, actor='alice')\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    subprocess.run([sys.executable, "-c", code, str(home), str(n)], check=False)
    assert Path(str(home / "audit.sqlite") + "-wal").stat().st_size > 0


@pytest.mark.parametrize("cut", ["torn WAL tail", "older copy"])
def test_a_lost_last_record_stays_reported_after_the_next_writes(tmp_path, cut):
    """crash34: the last write torn (a power cut with the WAL's last frame half on disk) or the log
    swapped for an older copy: verify named the lost record, but the next three records (any device
    read writes one) carried the head file past the hole, and verify then said ok: the loss was gone
    from the record. Now netops writes an ``audit_gap`` record first, and verify reports it always."""
    db = tmp_path / "audit.sqlite"
    if cut == "torn WAL tail":
        _killed_with_wal(tmp_path, 20)
        wal = Path(str(db) + "-wal")
        os.truncate(wal, wal.stat().st_size - 100)  # the last commit's last frame cut short
        last = 19
    else:
        with AuditLog(db) as log:
            _fill(log, 19)
        shutil.copy(db, tmp_path / "old.sqlite")
        with AuditLog(db) as log:
            _fill(log, 1)
        os.replace(tmp_path / "old.sqlite", db)
        last = 19
    with AuditLog(db) as log:
        before = log.verify()
        assert [(p.seq, p.problem.split(":")[0]) for p in before.problems] == [(20, "record 20 is missing")]
        for i in range(3):
            log.append("test", {"after": i}, actor="alice")
        after = log.verify()
        gap = log.get(last + 1)
    assert gap.kind == "audit_gap" and gap.actor == "netops"
    assert gap.payload["lost_from"] == 20 and gap.payload["lost_to"] == 20
    assert not after.ok and after.count == last + 4
    assert [p.seq for p in after.problems] == [20], after.problems
    assert after.problems[0].problem.startswith("record 20 is lost (per the local head file)")
    assert "recorded it at seq 20" in after.problems[0].problem
    with AuditLog(db) as log:  # the next writes add no second gap record
        log.append("test", {}, actor="alice")
        assert [r.kind for r in log.list(kind="audit_gap")] == ["audit_gap"]


@pytest.mark.parametrize("left", ["closed cleanly", "WAL left by a killed writer"])
def test_a_read_only_copy_of_the_log_is_read_and_verified(tmp_path, left):
    """crash34: NETOPS_HOME on a read-only mount (a forensic copy, a snapshot): `audit verify` and
    `audit list` said "cannot open database ...: unable to open database file" for an intact log
    (WAL mode needs its -shm file); now they read it; a write still fails in one line."""
    from netops.errors import AuditError

    ro = tmp_path / "ro"
    ro.mkdir()
    if left == "closed cleanly":
        with AuditLog(ro / "audit.sqlite") as log:
            _fill(log, 7)
    else:  # its records are only in the WAL: a reader that ignored it would see none
        _killed_with_wal(ro, 7)
    r = subprocess.run(["mount", "--bind", "-o", "ro", str(ro), str(ro)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot bind-mount read-only here (needs root): {r.stderr.strip()}")
    try:
        with AuditLog(ro / "audit.sqlite") as log:
            report = log.verify()
            assert report.ok and report.count == 7, report.problems
            assert [rec.seq for rec in log.list(limit=2)] == [6, 7]
            with pytest.raises(AuditError) as ei:
                log.append("test", {}, actor="alice")
            assert "readonly database" in ei.value.message
    finally:
        subprocess.run(["umount", "-l", str(ro)], capture_output=True)


def test_a_recorded_loss_fails_verify_but_the_head_can_still_be_anchored(tmp_path, monkeypatch):
    """After a recorded loss `audit verify` exits 6 for good, but `audit anchor` must still pin the
    chain (refusing it would leave the log unanchorable after one power cut)."""
    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_HOME", str(tmp_path))
    _killed_with_wal(tmp_path, 5)
    wal = Path(str(tmp_path / "audit.sqlite") + "-wal")
    os.truncate(wal, wal.stat().st_size - 100)
    with AuditLog(tmp_path / "audit.sqlite") as log:
        log.append("test", {}, actor="alice")
    assert main(["audit", "verify"]) == 6
    out = tmp_path.parent / f"{tmp_path.name}-anchor.jsonl"
    assert main(["audit", "anchor", "--to", str(out)]) == 0
    (anchor,) = read_anchors(out)
    assert anchor.seq == 6
