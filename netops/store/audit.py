"""The audit log: append-only, hash-chained SQLite records of everything netops did.

Each record is ``(seq, ts, actor, kind, payload, prev_hash, hash)`` with
``hash = sha256(prev_hash + canonical_json({seq, ts, actor, kind, payload}))`` and
``prev_hash`` the hash of record ``seq - 1`` (64 zeros for the first). :meth:`AuditLog.verify`
walks the chain and names the first record that was edited, deleted or moved. Triggers that
refuse UPDATE/DELETE are a seatbelt only; the chain is the proof. A small ``audit_head`` row
(kept by an insert trigger) lets verify notice records cut off the end of the log; whoever can
rewrite the file can rewrite that too, so publish :attr:`VerifyReport.head_hash` somewhere else
if you need that guarantee.

Appends happen in ``BEGIN IMMEDIATE`` transactions, so concurrent writers (threads or
processes) serialise and a crash (even ``kill -9``) leaves either the whole record or nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops.errors import AuditError, NotFoundError, TamperDetected
from netops.store.db import Migration, open_db

if TYPE_CHECKING:
    from netops.settings import Settings

GENESIS = "0" * 64

MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_audit", """
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_kind ON audit(kind, seq);
"""),
    Migration("0002_append_only_triggers", """
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""),
    Migration("0003_audit_head", """
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER audit_head_track AFTER INSERT ON audit
BEGIN INSERT OR REPLACE INTO audit_head(id, seq, hash) VALUES (1, NEW.seq, NEW.hash); END;
"""),
)

# Keys whose values are replaced by a digest when a device command is recorded.
_BULKY_KEYS = ("output", "stdout", "raw")


def to_jsonable(obj: Any) -> Any:
    """Plain JSON types for dataclasses, pydantic models, paths, datetimes, enums, sets."""
    if hasattr(obj, "model_dump"):
        return to_jsonable(obj.model_dump(mode="json"))
    if is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(asdict(obj))
    if hasattr(obj, "get_secret_value"):
        return "********"
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [to_jsonable(v) for v in obj]
        return sorted(items, key=repr) if isinstance(obj, (set, frozenset)) else items
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, Enum):
        return to_jsonable(obj.value)
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)


def canonical(obj: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 kept."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return "sha256:" + hashlib.sha256(data).hexdigest()


def record_hash(prev_hash: str, seq: int, ts: str, actor: str, kind: str, payload: Any) -> str:
    body = canonical({"seq": seq, "ts": ts, "actor": actor, "kind": kind, "payload": payload})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditRecord:
    """One stored record."""

    seq: int
    ts: str
    actor: str
    kind: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    seq: int
    problem: str


@dataclass
class VerifyReport:
    """Outcome of walking the chain. ``ok`` only when every link and hash checks out."""

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def first_bad_seq(self) -> int | None:
        return self.problems[0].seq if self.problems else None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "count": self.count, "head_seq": self.head_seq, "head_hash": self.head_hash,
                "first_bad_seq": self.first_bad_seq, "problems": [asdict(p) for p in self.problems]}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class AuditLog:
    """The hash-chained audit log in one SQLite file (``settings.paths.audit_db``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls, settings: "Settings") -> "AuditLog":
        return cls(settings.paths.audit_db)

    # connection -------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        with self._lock:
            if self._conn is None:
                self._conn = open_db(self.path, MIGRATIONS)
            return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "AuditLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # writing ----------------------------------------------------------------------------
    def append(self, kind: str, payload: Mapping[str, Any] | None = None, *, actor: str) -> AuditRecord:
        """Append one record and return it (with its seq and hash)."""
        if not kind or not actor:
            raise AuditError("an audit record needs a kind and an actor")
        body = to_jsonable(dict(payload or {}))
        text = canonical(body)
        with self._lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row["seq"] + 1, row["hash"]) if row else (1, GENESIS)
                ts = _now()
                h = record_hash(prev, seq, ts, actor, kind, body)
                conn.execute(
                    "INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                    (seq, ts, actor, kind, text, prev, h),
                )
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise AuditError(f"cannot append to the audit log {self.path}: {exc}",
                                 hint="check the disk and NETOPS_HOME permissions") from exc
        return AuditRecord(seq, ts, actor, kind, body, prev, h)

    def recorder(self, actor: str) -> Callable[[Mapping[str, Any]], None]:
        """A callback for ``DeviceService(recorder=...)``: one ``device_command`` record per call.

        Raw output is not stored, only its sha256 and length (configs and output can be big
        and sensitive); everything else in the dict is kept.
        """

        def record(event: Mapping[str, Any]) -> None:
            payload = dict(to_jsonable(dict(event)))
            for key in _BULKY_KEYS:
                value = payload.pop(key, None)
                if isinstance(value, str):
                    payload[f"{key}_digest"] = digest(value)
                    payload[f"{key}_bytes"] = len(value.encode("utf-8"))
            payload.pop("data", None)
            self.append("device_command", payload, actor=actor)

        return record

    # reading ----------------------------------------------------------------------------
    @staticmethod
    def _row(row: sqlite3.Row) -> AuditRecord:
        return AuditRecord(row["seq"], row["ts"], row["actor"], row["kind"], json.loads(row["payload"]),
                           row["prev_hash"], row["hash"])

    def list(self, limit: int | None = 50, kind: str | None = None) -> list[AuditRecord]:
        """The newest ``limit`` records (optionally of one kind), oldest first."""
        sql = "SELECT * FROM audit"
        args: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            args.append(kind)
        sql += " ORDER BY seq DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        with self._lock:
            rows = self.conn.execute(sql, args).fetchall()
        return [self._row(r) for r in reversed(rows)]

    def get(self, seq: int) -> AuditRecord:
        with self._lock:
            row = self.conn.execute("SELECT * FROM audit WHERE seq = ?", (int(seq),)).fetchone()
        if row is None:
            raise NotFoundError(f"no audit record with seq {seq}", hint="netops audit list")
        return self._row(row)

    def kinds(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self.conn.execute("SELECT DISTINCT kind FROM audit ORDER BY kind")]

    # verifying --------------------------------------------------------------------------
    def verify(self) -> VerifyReport:
        """Walk the whole chain; report every record that does not check out."""
        problems: list[Problem] = []
        prev = GENESIS
        expected = 1
        count = 0
        with self._lock:
            rows = self.conn.execute(
                "SELECT seq, ts, actor, kind, payload, prev_hash, hash FROM audit ORDER BY seq").fetchall()
            head = self.conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        for row in rows:
            count += 1
            seq = row["seq"]
            if seq != expected:
                missing = f"{expected}" if seq == expected + 1 else f"{expected}..{seq - 1}"
                problems.append(Problem(expected, f"record(s) {missing} deleted (seq jumps to {seq})"))
            try:
                payload = json.loads(row["payload"])
            except ValueError:
                problems.append(Problem(seq, "payload is not valid JSON (edited)"))
                payload = None
            own_ok = payload is not None and row["hash"] == record_hash(
                row["prev_hash"], seq, row["ts"], row["actor"], row["kind"], payload)
            if payload is not None and not own_ok:
                problems.append(Problem(seq, "contents do not match the record's hash (edited or moved)"))
            if row["prev_hash"] != prev and seq == expected:
                problems.append(Problem(seq, f"does not chain to record {seq - 1} (reordered, or a neighbour was edited)"))
            prev = row["hash"]
            expected = seq + 1
        last_seq = rows[-1]["seq"] if rows else 0
        last_hash = rows[-1]["hash"] if rows else GENESIS
        if head is not None and (head["seq"] > last_seq):
            problems.append(Problem(last_seq + 1, f"records {last_seq + 1}..{head['seq']} deleted from the end"))
        elif head is not None and head["seq"] == last_seq and head["hash"] != last_hash:
            problems.append(Problem(last_seq, "the last record differs from the recorded head (edited)"))
        problems.sort(key=lambda p: p.seq)
        return VerifyReport(not problems, count, last_seq, last_hash, problems)

    def verify_or_raise(self) -> VerifyReport:
        report = self.verify()
        if not report.ok:
            p = report.problems[0]
            more = f" (+{len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
            raise TamperDetected(f"audit log does not verify: seq {p.seq}: {p.problem}{more}",
                                 hint="the audit database was modified outside netops; keep a copy for investigation")
        return report
