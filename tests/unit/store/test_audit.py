"""Audit log: the chain verifies, and every kind of tampering is found and named."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from netops.errors import TamperDetected
from netops.store.audit import AuditLog


@pytest.fixture
def log(tmp_path):
    with AuditLog(tmp_path / "audit.sqlite") as a:
        for i in range(1, 6):
            a.append("test", {"i": i, "text": f"record {i}"}, actor="alice")
        yield a


def raw(log: AuditLog) -> sqlite3.Connection:
    """What an attacker with file access does: drop the seatbelt triggers and edit."""
    log.close()
    conn = sqlite3.connect(log.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def test_append_list_get_and_verify(log):
    recs = log.list(limit=3)
    assert [r.seq for r in recs] == [3, 4, 5]
    assert log.get(2).payload == {"i": 2, "text": "record 2"}
    assert log.get(2).prev_hash == log.get(1).hash
    report = log.verify()
    assert report.ok and report.count == 5 and report.head_seq == 5
    assert log.list(kind="nope") == []


def test_triggers_refuse_update_and_delete(log):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("UPDATE audit SET actor='mallory' WHERE seq=2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("DELETE FROM audit WHERE seq=2")


def test_edit_detected(log):
    conn = raw(log)
    conn.execute("""UPDATE audit SET payload='{"i":3,"text":"nothing to see"}' WHERE seq=3""")
    conn.close()
    report = log.verify()
    assert not report.ok and report.first_bad_seq == 3
    with pytest.raises(TamperDetected, match="seq 3") as ei:
        log.verify_or_raise()
    assert ei.value.exit_code == 6


def test_edit_with_recomputed_plain_hash_is_caught_at_the_record(log):
    """Without the key an attacker can only compute the unkeyed hash: the record itself fails."""
    from netops.store.audit import record_hash

    conn = raw(log)
    r = conn.execute("SELECT seq, ts, actor, kind, prev_hash FROM audit WHERE seq=3").fetchone()
    payload = {"i": 3, "text": "forged"}
    h = record_hash(r[4], r[0], r[1], r[2], r[3], payload)
    conn.execute("UPDATE audit SET payload=?, hash=? WHERE seq=3", ('{"i":3,"text":"forged"}', h))
    conn.close()
    report = log.verify()
    assert report.first_bad_seq == 3 and "keyed hash" in report.problems[0].problem


def test_edit_with_the_key_breaks_the_next_link(log):
    from netops.store.audit import record_hash
    from netops.store.auditkey import load_key

    key = load_key(log.key_file, create=False)
    conn = raw(log)
    r = conn.execute("SELECT seq, ts, actor, kind, prev_hash FROM audit WHERE seq=3").fetchone()
    payload = {"i": 3, "text": "forged"}
    h = record_hash(r[4], r[0], r[1], r[2], r[3], payload, key)
    conn.execute("UPDATE audit SET payload=?, hash=? WHERE seq=3", ('{"i":3,"text":"forged"}', h))
    conn.close()
    assert log.verify().first_bad_seq == 4


def test_delete_detected(log):
    conn = raw(log)
    conn.execute("DELETE FROM audit WHERE seq=2")
    conn.close()
    report = log.verify()
    assert report.first_bad_seq == 2 and "deleted" in report.problems[0].problem


def test_tail_delete_detected(log):
    conn = raw(log)
    conn.execute("DELETE FROM audit WHERE seq=5")
    conn.close()
    report = log.verify()
    assert not report.ok and report.first_bad_seq == 5


def test_reorder_detected(log):
    conn = raw(log)
    conn.execute("UPDATE audit SET seq=100 WHERE seq=2")
    conn.execute("UPDATE audit SET seq=2 WHERE seq=3")
    conn.execute("UPDATE audit SET seq=3 WHERE seq=100")
    conn.close()
    report = log.verify()
    assert not report.ok and report.first_bad_seq == 2


def test_recorder_stores_digest_not_output(log):
    rec = log.recorder("bob")
    rec({"host": "r1", "command": "show running-config", "ok": True, "output": "secret config"})
    r = log.list(limit=1)[0]
    assert r.kind == "device_command" and r.actor == "bob"
    assert "output" not in r.payload and r.payload["output_digest"].startswith("sha256:")
    assert "secret" not in str(r.payload)


def test_concurrent_writers(tmp_path):
    import threading

    a = AuditLog(tmp_path / "a.sqlite")
    b = AuditLog(tmp_path / "a.sqlite")

    errors = []

    def write(log, n):
        try:
            for i in range(n):
                log.append("t", {"i": i}, actor="x")
        except Exception as exc:  # surfaced below: a thread's exception is otherwise lost
            errors.append(exc)

    ts = [threading.Thread(target=write, args=(log, 30)) for log in (a, b, a)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert errors == []
    assert a.verify().ok and a.verify().count == 90
    a.close()
    b.close()


WRITER = """
import sys
from netops.store.audit import AuditLog
log = AuditLog(sys.argv[1])
i = 0
while True:
    log.append("spam", {"i": i, "pad": "x" * 500}, actor="writer")
    i += 1
    if i == 20:
        print("ready", flush=True)
"""


def test_kill_9_mid_append_leaves_a_verifiable_log(tmp_path):
    path = tmp_path / "audit.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with AuditLog(path) as log:
        report = log.verify()
        assert report.ok, report.problems
        assert report.count >= 20
        log.append("after", {"ok": True}, actor="me")
        assert log.verify().ok
