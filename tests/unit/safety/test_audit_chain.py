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
