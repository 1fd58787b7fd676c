"""The audit log's serialisation, digests, errors and the legacy seal, pinned exactly."""

from __future__ import annotations

import enum
import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from netops.errors import AuditError, NotFoundError
from netops.store.audit import GENESIS, AuditLog, canonical, digest, record_hash, to_jsonable


class Colour(enum.Enum):
    RED = "red"


@dataclass
class Point:
    x: int
    when: datetime


class Model(BaseModel):
    when: datetime
    path: Path


WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def test_to_jsonable_every_shape():
    assert to_jsonable(Model(when=WHEN, path=Path("/x"))) == {"when": "2026-01-02T03:04:05Z", "path": "/x"}
    assert to_jsonable(Point(1, WHEN)) == {"x": 1, "when": "2026-01-02T03:04:05+00:00"}
    assert to_jsonable(Point) == str(Point)  # a dataclass *type* is not an instance
    assert to_jsonable(SecretStr("hunter2")) == "********"
    assert to_jsonable({1: (1, 2), "s": {3, 1, 2}, "f": frozenset({"b", "a"})}) == {
        "1": [1, 2], "s": [1, 2, 3], "f": ["a", "b"]}
    assert to_jsonable({"b", "a", "c"}) == ["a", "b", "c"]
    assert to_jsonable([WHEN.date()]) == ["2026-01-02"]
    assert to_jsonable(Colour.RED) == "red"
    assert to_jsonable(None) is None and to_jsonable(True) is True and to_jsonable(1.5) == 1.5
    assert to_jsonable(Path("/y")) == "/y"
    assert to_jsonable(b"x") == "b'x'"


def test_digest_and_canonical():
    assert digest("é") == "sha256:" + hashlib.sha256("é".encode("utf-8")).hexdigest()
    assert digest(b"\xff") == "sha256:" + hashlib.sha256(b"\xff").hexdigest()
    assert canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'


def test_records_carry_utc_timestamps_and_missing_records_are_not_found(tmp_path):
    with AuditLog(tmp_path / "a.sqlite") as log:
        rec = log.append("k", {"x": 1}, actor="a")
        assert rec.ts.endswith("+00:00") and "." in rec.ts
        assert log.get(1) == rec
        with pytest.raises(NotFoundError) as ei:
            log.get(2)
        assert ei.value.message == "no audit record with seq 2" and ei.value.hint == "netops audit list"


def test_a_keyed_log_without_its_key_refuses_to_append(tmp_path):
    db = tmp_path / "a.sqlite"
    with AuditLog(db) as log:
        log.append("k", {}, actor="a")
        key_file = log.key_file
    key_file.unlink()
    with AuditLog(db) as log:
        with pytest.raises(AuditError) as ei:
            log.append("k", {}, actor="a")
    assert ei.value.message.startswith(f"the audit key {key_file} is missing; this log was keyed with ")
    assert ei.value.hint == "restore the key file from backup (a new key would break the chain)"


def test_a_log_with_another_key_refuses_to_append(tmp_path):
    db = tmp_path / "a.sqlite"
    with AuditLog(db) as log:
        log.append("k", {}, actor="a")
    other = tmp_path / "other.key"
    with AuditLog(tmp_path / "b.sqlite", key_file=other) as log2:
        log2.append("k", {}, actor="a")
    with AuditLog(db, key_file=other) as log:
        with pytest.raises(AuditError) as ei:
            log.append("k", {}, actor="a")
    assert "is not the key of this log" in ei.value.message
    assert ei.value.hint == "point NETOPS_AUDIT__KEY_FILE at this log's key"


def _legacy_db(path: Path, rows: list) -> list[str]:
    from netops.store.audit import MIGRATIONS
    from netops.store.db import connect, migrate

    conn = connect(path)
    migrate(conn, MIGRATIONS[:3])
    prev, hashes = GENESIS, []
    for seq, payload in enumerate(rows, 1):
        ts = f"2026-01-01T00:00:0{seq}+00:00"
        if isinstance(payload, str):  # stored as given (broken)
            text, h = payload, "0" * 64
        else:
            text, h = canonical(payload), record_hash(prev, seq, ts, "old", "legacy", payload)
        conn.execute("INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                     (seq, ts, "old", "legacy", text, prev, h))
        prev = h
        hashes.append(h)
    conn.close()
    return hashes


def test_the_legacy_seal_pins_exactly_the_valid_prefix(tmp_path):
    db = tmp_path / "a.sqlite"
    hashes = _legacy_db(db, [{"i": 1}, {"i": 2}, {"i": 3}])
    with AuditLog(db) as log:
        seal = log.get(4)
    assert seal.kind == "audit_keyed" and seal.actor == "netops"
    assert seal.payload == {"legacy_records": 3, "legacy_head_hash": hashes[2],
                            "note": "records up to legacy_records were chained before the key existed"}


@pytest.mark.parametrize("rows,prefix", [
    ([{"i": 1}, "not json", {"i": 3}], 1),
    ([{"i": 1}, {"i": 2}, "{\"i\": 3}"], 2),
])
def test_the_legacy_prefix_stops_at_the_first_bad_record(tmp_path, rows, prefix):
    db = tmp_path / "a.sqlite"
    hashes = _legacy_db(db, rows)
    with AuditLog(db) as log:
        seal = log.get(len(rows) + 1)
    assert seal.kind == "audit_keyed" and seal.payload["legacy_records"] == prefix and seal.payload["legacy_head_hash"] == hashes[prefix - 1]


def test_an_empty_or_unkeyed_start_is_not_sealed(tmp_path):
    db = tmp_path / "a.sqlite"
    _legacy_db(db, [])
    with AuditLog(db) as log:
        assert log.list(limit=None) == []
    db2 = tmp_path / "b.sqlite"
    _legacy_db(db2, ["broken"])
    with AuditLog(db2) as log:
        log.kinds()  # opens and migrates
    conn = sqlite3.connect(db2)
    assert conn.execute("SELECT kind FROM audit ORDER BY seq").fetchall() == [("legacy",)]
    conn.close()


def test_a_record_needs_both_a_kind_and_an_actor(tmp_path):
    with AuditLog(tmp_path / "a.sqlite") as log:
        for kind, actor in [("", "a"), ("k", ""), ("", "")]:
            with pytest.raises(AuditError) as ei:
                log.append(kind, {}, actor=actor)
            assert ei.value.message == "an audit record needs a kind and an actor"
        assert log.list(limit=None) == []


def test_the_device_recorder_keeps_digests_not_output(tmp_path):
    with AuditLog(tmp_path / "a.sqlite") as log:
        log.recorder("alice")({"host": "r1", "command": "show version", "ok": True, "output": "héllo",
                               "stdout": "", "raw": None, "data": {"version": "8.4"}})
        (rec,) = log.list(limit=None)
    assert (rec.kind, rec.actor) == ("device_command", "alice")
    assert rec.payload == {
        "host": "r1", "command": "show version", "ok": True,
        "output_digest": "sha256:" + hashlib.sha256("héllo".encode("utf-8")).hexdigest(), "output_bytes": 6,
        "stdout_digest": "sha256:" + hashlib.sha256(b"").hexdigest(), "stdout_bytes": 0}


def test_head_of_an_empty_and_of_a_written_log(tmp_path):
    from netops.store.auditkey import Head

    db = tmp_path / "a.sqlite"
    with AuditLog(db) as log:
        assert log.head() == Head(0, "0" * 64, str(db))
        log.append("k", {"i": 1}, actor="a")
        second = log.append("k", {"i": 2}, actor="a")
        assert log.head() == Head(2, second.hash, str(db))


def test_record_and_report_dicts(tmp_path):
    db = tmp_path / "a.sqlite"
    with AuditLog(db) as log:
        rec = log.append("k", {"i": 1}, actor="a")
        assert rec.to_dict() == {"seq": 1, "ts": rec.ts, "actor": "a", "kind": "k", "payload": {"i": 1},
                                 "prev_hash": "0" * 64, "hash": rec.hash}
        assert log.verify().to_dict() == {"ok": True, "count": 1, "head_seq": 1, "head_hash": rec.hash,
                                          "first_bad_seq": None, "anchors_checked": 0, "key_id": log.key_id,
                                          "problems": []}
    _edit_payloads(db, [1])
    with AuditLog(db) as log:
        d = log.verify().to_dict()
    assert d["ok"] is False and d["first_bad_seq"] == 1
    assert d["problems"] == [{"seq": 1, "problem": "contents do not match the record's keyed hash "
                                                   "(edited, moved or forged)"}]


def _edit_payloads(db: Path, seqs: list[int]) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_no_update")
    for seq in seqs:
        conn.execute("UPDATE audit SET payload = ? WHERE seq = ?", ('{"i":99}', seq))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("edited,suffix", [([2], ""), ([1, 3], " (+1 more)"), ([1, 2, 3], " (+2 more)")])
def test_verify_or_raise_names_the_first_problem_and_counts_the_rest(tmp_path, edited, suffix):
    from netops.errors import TamperDetected

    db = tmp_path / "a.sqlite"
    with AuditLog(db) as log:
        for i in range(3):
            log.append("k", {"i": i}, actor="a")
        assert log.verify_or_raise().ok
    _edit_payloads(db, edited)
    with AuditLog(db) as log:
        with pytest.raises(TamperDetected) as ei:
            log.verify_or_raise()
    assert ei.value.message == (f"audit log does not verify: seq {edited[0]}: contents do not match the record's "
                                f"keyed hash (edited, moved or forged){suffix}")
    assert ei.value.hint == "the audit database was modified outside netops; keep a copy for investigation"


def test_sets_are_sorted_by_their_repr_and_lists_keep_their_order():
    assert to_jsonable({10, 9}) == [10, 9]          # "10" < "9"
    assert to_jsonable(frozenset({1, "a"})) == ["a", 1]  # "'a'" < "1"; mixed types sort too
    assert to_jsonable([2, 1, 3]) == [2, 1, 3] and to_jsonable((2, 1)) == [2, 1]


def test_list_returns_the_newest_fifty_by_default(tmp_path):
    with AuditLog(tmp_path / "a.sqlite") as log:
        for i in range(51):
            log.append("k" if i % 2 else "j", {"i": i}, actor="a")
        assert [r.seq for r in log.list()] == list(range(2, 52))
        assert [r.seq for r in log.list(limit=3, kind="k")] == [46, 48, 50]
        assert [r.payload["i"] for r in log.list(limit=2)] == [49, 50]
        assert len(log.list(limit=None, kind="j")) == 26


def test_a_failed_append_is_an_audit_error_and_the_log_stays_usable(tmp_path):
    db = tmp_path / "a.sqlite"
    with AuditLog(db) as log:
        log.append("k", {"i": 1}, actor="a")
        conn = sqlite3.connect(db)
        conn.execute("CREATE TRIGGER full BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk is full'); END")
        conn.commit()
        with pytest.raises(AuditError) as ei:
            log.append("k", {"i": 2}, actor="a")
        assert ei.value.message == f"cannot append to the audit log {db}: disk is full"
        assert ei.value.hint == "check the disk and NETOPS_HOME permissions"
        conn.execute("DROP TRIGGER full")
        conn.commit()
        conn.close()
        assert log.append("k", {"i": 3}, actor="a").seq == 2   # the failed transaction was rolled back
        assert log.verify().ok


def test_a_head_file_that_cannot_be_written_is_a_warning_not_a_failure(tmp_path, caplog):
    import logging

    with AuditLog(tmp_path / "a.sqlite") as log:
        log.append("k", {}, actor="a")
        head_file = log.local_head.path
        head_file.unlink()
        head_file.mkdir()  # the head file cannot be read or replaced
        with caplog.at_level(logging.WARNING, logger="netops.audit"):
            rec = log.append("k", {}, actor="a")
    assert rec.seq == 2
    (msg,) = [r.getMessage() for r in caplog.records if r.name == "netops.audit"]
    assert msg.startswith(f"cannot update the audit head file {head_file}: ") and "Is a directory" in msg


def test_a_damaged_database_is_reported_as_tampering(tmp_path):
    from netops.errors import TamperDetected

    db = tmp_path / "a.sqlite"
    with AuditLog(db) as log:
        log.append("k", {}, actor="a")
        conn = sqlite3.connect(db)
        conn.execute("ALTER TABLE audit RENAME TO gone")
        conn.commit()
        conn.close()
        with pytest.raises(TamperDetected) as ei:
            log.list()
    assert ei.value.message == f"the audit database {db} is damaged: no such table: audit"
    assert ei.value.hint == "keep a copy for investigation; netops audit verify"


def _raw(db: Path, *sql: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()


def _five(db: Path) -> list:
    with AuditLog(db) as log:
        return [log.append("k", {"i": i}, actor="a") for i in range(5)]


@pytest.mark.parametrize("sql,problems", [
    (["DELETE FROM audit WHERE seq = 2"],
     [(2, "record(s) 2 deleted (seq jumps to 3)")]),
    (["DELETE FROM audit WHERE seq IN (2, 3)"],
     [(2, "record(s) 2..3 deleted (seq jumps to 4)")]),
    (["UPDATE audit SET payload = '{not json' WHERE seq = 3"],
     [(3, "payload is not valid JSON (edited)")]),
    (["UPDATE audit SET prev_hash = '" + "1" * 64 + "' WHERE seq = 4"],
     [(4, "contents do not match the record's keyed hash (edited, moved or forged)"),
      (4, "does not chain to record 3 (reordered, or a neighbour was edited)")]),
    (["DELETE FROM audit_head"],
     [(5, "the head record is missing: records may have been cut off the end")]),
    (["UPDATE audit_head SET mac = 'ab'"],
     [(5, "the head record does not carry a valid key MAC (forged)")]),
    (["DELETE FROM audit", "UPDATE audit_head SET mac = 'ab'"],
     [(1, "the head record does not carry a valid key MAC (forged)"),
      (1, "records 1..5 are missing: the log was cut short or replaced by an older copy (per local head file {head})")]),
    (["DELETE FROM audit WHERE seq > 3"],
     [(4, "records 4..5 deleted from the end"),
      (4, "records 4..5 are missing: the log was cut short or replaced by an older copy (per local head file {head})")]),
    (["UPDATE audit SET hash = '" + "e" * 64 + "' WHERE seq = 5"],
     [(5, "contents do not match the record's keyed hash (edited, moved or forged)"),
      (5, "the last record differs from the recorded head (edited)"),
      (5, "record 5 differs from local head file {head} (the chain was rewritten)")]),
    (["INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) "
      "SELECT 6, ts, actor, kind, payload, hash, hash FROM audit WHERE seq = 5"],
     [(6, "contents do not match the record's keyed hash (edited, moved or forged)"),
      (6, "records 6..6 were added outside netops")]),
])
def test_verify_names_each_kind_of_tampering_exactly(tmp_path, sql, problems):
    db = tmp_path / "a.sqlite"
    _five(db)
    _raw(db, *sql)
    with AuditLog(db) as log:
        report = log.verify()
    head = tmp_path / "keys" / "a.sqlite.head"
    problems = [(seq, text.format(head=head)) for seq, text in problems]
    assert [(p.seq, p.problem) for p in report.problems] == problems
    assert report.ok is False and report.first_bad_seq == problems[0][0]


def _problems(report) -> list:
    return [(p.seq, p.problem) for p in report.problems]


def test_verify_checks_anchors_the_head_file_and_the_key_exactly(tmp_path):
    from netops.store.auditkey import Head

    db = tmp_path / "a.sqlite"
    recs = _five(db)
    keys = tmp_path / "keys"
    head_file, key_file = keys / "a.sqlite.head", keys / "audit.key"
    with AuditLog(db) as log:
        kid = log.key_id
        report = log.verify([Head(3, "f" * 64, "anchor A"), Head(9, recs[4].hash, "anchor B"),
                             Head(0, "x", "anchor C"), Head(2, recs[1].hash, "anchor D", key_id="oldkey")])
    assert (report.ok, report.count, report.head_seq, report.head_hash, report.anchors_checked, report.key_id) == (
        False, 5, 5, recs[4].hash, 4, kid)
    assert _problems(report) == [
        (2, f"the audit key was replaced since anchor D (key oldkey then, {kid} now)"),
        (3, "record 3 differs from anchor A (the chain was rewritten)"),
        (6, "records 6..9 are missing: the log was cut short or replaced by an older copy (per anchor B)")]

    _raw(db, "DELETE FROM audit WHERE seq = 3")
    deleted = (3, "record(s) 3 deleted (seq jumps to 4)")
    with AuditLog(db) as log:
        assert _problems(log.verify([Head(3, recs[2].hash, "anchor E")])) == [
            deleted, (3, "record 3 is missing (per anchor E)")]
    text = head_file.read_text()
    head_file.unlink()
    with AuditLog(db) as log:
        assert _problems(log.verify()) == [deleted, (5, f"the local head file {head_file} is missing (deleted)")]
    head_file.write_text(text.replace('"mac": "', '"mac": "00'))
    with AuditLog(db) as log:
        assert _problems(log.verify()) == [
            deleted, (5, f"local head file {head_file} does not carry a valid key MAC (forged)")]

    key_file.rename(tmp_path / "moved.key")
    with AuditLog(db) as log:
        report = log.verify()
    assert _problems(report) == [(0, f"the audit key {key_file} is missing: the chain cannot be verified")]
    assert report.key_id is None and report.count == 4
    other = tmp_path / "o" / "other.key"
    with AuditLog(tmp_path / "b.sqlite", key_file=other) as log2:
        log2.append("k", {}, actor="a")
        other_kid = log2.key_id
    with AuditLog(db, key_file=other) as log:
        first = _problems(log.verify())[0]
    assert first == (0, f"the log was written with audit key {kid}, not {other_kid} ({other})")

    (tmp_path / "moved.key").rename(key_file)
    _raw(db, "ALTER TABLE audit RENAME TO gone")
    with AuditLog(db) as log:
        report = log.verify()
    assert (report.ok, report.count, report.head_seq, report.head_hash) == (False, 0, 0, "0" * 64)
    assert _problems(report) == [(0, "the audit table is unreadable (no such table: audit)")]
    db.write_bytes(b"garbage" * 100)
    with AuditLog(db) as log:
        report = log.verify()
    assert (report.ok, report.count, report.head_seq, report.head_hash) == (False, 0, 0, "0" * 64)
    assert _problems(report) == [
        (0, f"the audit database cannot be read: cannot open database {db}: file is not a database")]


def test_record_hash_is_over_the_previous_hash_and_the_canonical_record():
    import hmac

    body = ("0" * 64 + '{"actor":"a","kind":"k","payload":{"b":[1,2],"x":"é"},"seq":1,"ts":"t"}').encode("utf-8")
    payload = {"x": "é", "b": [1, 2]}
    assert record_hash("0" * 64, 1, "t", "a", "k", payload) == hashlib.sha256(body).hexdigest()
    assert record_hash("0" * 64, 1, "t", "a", "k", payload, b"secret") == hmac.new(
        b"secret", body, hashlib.sha256).hexdigest()
    with pytest.raises(ValueError):
        canonical({"x": float("nan")})


def test_key_and_head_files_sit_beside_the_database_unless_told(tmp_path):
    log = AuditLog(tmp_path / "d" / "a.sqlite")
    assert log.key_file == tmp_path / "d" / "keys" / "audit.key"
    assert log.local_head.path == tmp_path / "d" / "keys" / "a.sqlite.head"
    assert log.key_id is None  # no key until the first record
    log2 = AuditLog(tmp_path / "a.sqlite", key_file=tmp_path / "k" / "my.key")
    assert log2.key_file == tmp_path / "k" / "my.key" and log2.local_head.path == tmp_path / "k" / "a.sqlite.head"
    rec = log2.append("k", {}, actor="a")
    log2.close()
    log2.close()  # twice is fine
    assert log2.get(1) == rec  # and it opens again on use
    log2.close()


def test_verify_edge_cases_exactly(tmp_path):
    from netops.store.auditkey import Head

    db = tmp_path / "a.sqlite"
    recs = _five(db)
    key_file, head_file = tmp_path / "keys" / "audit.key", tmp_path / "keys" / "a.sqlite.head"
    with AuditLog(db) as log:  # an anchor at record 1 is checked like any other
        assert _problems(log.verify([Head(1, "f" * 64, "anchor one")])) == [
            (1, "record 1 differs from anchor one (the chain was rewritten)")]
    key_file.chmod(0o644)
    with AuditLog(db) as log:
        report = log.verify()
    assert _problems(report) == [(0, f"the audit key {key_file} is readable by others")] and report.key_id is None
    key_file.chmod(0o600)

    _raw(db, "DELETE FROM audit WHERE seq > 3")  # cut off the end: the head row, the head file and an anchor say so
    missing = "records 4..5 are missing: the log was cut short or replaced by an older copy (per {})"
    with AuditLog(db) as log:
        assert _problems(log.verify([Head(5, recs[4].hash, "anchor Z")])) == [
            (4, "records 4..5 deleted from the end"), (4, missing.format(f"local head file {head_file}")),
            (4, missing.format("anchor Z"))]
    _raw(db, "DELETE FROM audit")
    head_file.unlink()
    with AuditLog(db) as log:  # nothing left to pin with a head file: the head row speaks
        assert _problems(log.verify()) == [(1, "records 1..5 deleted from the end")]


def test_a_forged_seal_does_not_turn_keyed_records_into_legacy_ones(tmp_path):
    db = tmp_path / "a.sqlite"
    _five(db)
    payload = canonical({"legacy_records": 3, "legacy_head_hash": "0" * 64, "note": "forged"})
    _raw(db, "INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) "
             f"SELECT 6, ts, 'netops', 'audit_keyed', '{payload}', hash, '{'0' * 64}' FROM audit WHERE seq = 5")
    with AuditLog(db) as log:
        assert _problems(log.verify()) == [
            (6, "contents do not match the record's keyed hash (edited, moved or forged)"),
            (6, "records 6..6 were added outside netops")]


def test_a_broken_seal_before_the_real_one_is_skipped(tmp_path):
    db = tmp_path / "a.sqlite"
    _legacy_db(db, [{"i": 1}])
    _raw(db, "INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) "
             f"SELECT 2, ts, 'old', 'audit_keyed', 'not json', hash, '{'0' * 64}' FROM audit WHERE seq = 1")
    with AuditLog(db) as log:
        seal = log.get(3)
        assert seal.kind == "audit_keyed" and seal.payload["legacy_records"] == 1
        assert _problems(log.verify()) == [(2, "payload is not valid JSON (edited)")]
