"""The audit log: append-only, HMAC-chained SQLite records of everything netops did.

Each record is ``(seq, ts, actor, kind, payload, prev_hash, hash)`` with
``hash = HMAC-SHA256(key, prev_hash + canonical_json({seq, ts, actor, kind, payload}))`` and
``prev_hash`` the hash of record ``seq - 1`` (64 zeros for the first). The key lives outside
the database (``settings.audit.key_file``, default ``<home>/keys/audit.key``, 0600, created on
first use; see :mod:`netops.store.auditkey`), so someone who can rewrite the database file but
not read the key cannot forge a record or re-hash the chain after an edit.

Three things pin the end of the chain, so records cut off the end are noticed:

* the ``audit_head`` row, written in the same transaction as each record and carrying a key MAC
  (a missing or dropped head is tampering);
* the local head file beside the key (forward-only: catches a database replaced by an older copy);
* anchors exported with ``netops audit anchor`` to a file or syslog outside ``NETOPS_HOME``
  (:mod:`netops.store.anchor`): the only defence against someone who holds the key.

:meth:`AuditLog.verify` walks the chain and names the first record that was edited, deleted or
moved. Triggers that refuse UPDATE/DELETE are a seatbelt only; the chain is the proof.

Logs written before the chain was keyed are migrated on first open: their plain-SHA-256 prefix
is sealed by one keyed ``audit_keyed`` record that pins its last hash.

Appends happen in ``BEGIN IMMEDIATE`` transactions, so concurrent writers (threads or
processes) serialise and a crash (even ``kill -9``) leaves either the whole record or nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops.errors import AuditError, ConfigError, NotFoundError, TamperDetected
from netops.store.auditkey import Head, LocalHead, head_mac, key_id, load_key
from netops.store.db import Migration, connect, migrate

log = logging.getLogger("netops.audit")

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
    # The head is now written by append() with a key MAC (a trigger cannot compute one).
    Migration("0004_keyed_chain", """
DROP TRIGGER IF EXISTS audit_head_track;
ALTER TABLE audit_head ADD COLUMN mac TEXT;
CREATE TABLE audit_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
"""),
)
SEAL_KIND = "audit_keyed"
GAP_KIND = "audit_gap"
"""Written by netops itself, before its next record, when the log lost records it once had."""

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


def record_hash(prev_hash: str, seq: int, ts: str, actor: str, kind: str, payload: Any,
                key: bytes | None = None) -> str:
    """HMAC-SHA256 with ``key``; plain SHA-256 (the pre-key format) when ``key`` is None."""
    body = (prev_hash + canonical({"seq": seq, "ts": ts, "actor": actor, "kind": kind, "payload": payload}))
    if key is None:
        return hashlib.sha256(body.encode("utf-8")).hexdigest()
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


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
    recorded: bool = False
    """A loss netops found and put on record itself (an ``audit_gap`` record): the chain around it
    is intact, so its head may still be anchored."""


@dataclass
class VerifyReport:
    """Outcome of walking the chain. ``ok`` only when every link, hash, head and anchor checks out."""

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    problems: list[Problem] = field(default_factory=list)
    anchors_checked: int = 0
    key_id: str | None = None

    @property
    def first_bad_seq(self) -> int | None:
        return self.problems[0].seq if self.problems else None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "count": self.count, "head_seq": self.head_seq, "head_hash": self.head_hash,
                "first_bad_seq": self.first_bad_seq, "anchors_checked": self.anchors_checked,
                "key_id": self.key_id,
                "problems": [{"seq": p.seq, "problem": p.problem, **({"recorded": True} if p.recorded else {})}
                             for p in self.problems]}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _visible_in(value: Any) -> Any:
    """``value`` with every string's control characters written out (``\\x1b``): the log keeps
    what a model sent as it was, and ``netops audit`` never prints an escape sequence raw."""
    from netops.controls import visible

    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {k: _visible_in(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_visible_in(v) for v in value]
    return value


class AuditLog:
    """The keyed, hash-chained audit log in one SQLite file (``settings.paths.audit_db``).

    ``key_file`` defaults to ``keys/audit.key`` beside the database.
    """

    def __init__(self, path: Path, *, key_file: Path | None = None) -> None:
        self.path = Path(path)
        self.key_file = Path(key_file) if key_file else self.path.parent / "keys" / "audit.key"
        self.local_head = LocalHead(self.key_file, self.path)
        self._conn: sqlite3.Connection | None = None
        self._key: bytes | None = None
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls, settings: "Settings") -> "AuditLog":
        return cls(settings.paths.audit_db, key_file=settings.paths.audit_key)

    # connection -------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        with self._lock:
            if self._conn is None:
                conn = connect(self.path)
                try:
                    applied = migrate(conn, MIGRATIONS)
                except sqlite3.Error as exc:
                    conn.close()
                    raise ConfigError(f"cannot migrate database {self.path}: {exc}",
                                      hint="move the file aside; netops will create a new one") from exc
                self._conn = conn
                if "0004_keyed_chain" in applied:
                    self._seal_legacy()
            return self._conn

    def _seal_legacy(self) -> None:
        """Pin a pre-key (plain SHA-256) chain with one keyed record, once, at migration.

        The legacy prefix is the leading run of records whose plain hash checks out (another
        process may already have appended a keyed record after the migration committed)."""
        legacy, last_hash, prev = 0, GENESIS, GENESIS
        for row in self._conn.execute("SELECT seq, ts, actor, kind, payload, prev_hash, hash FROM audit ORDER BY seq"):
            try:
                body = json.loads(row["payload"])
            except ValueError:
                break
            if row["prev_hash"] != prev or row["hash"] != record_hash(
                    prev, row["seq"], row["ts"], row["actor"], row["kind"], body):
                break
            legacy, last_hash, prev = row["seq"], row["hash"], row["hash"]
        if legacy == 0:
            return
        self.append(SEAL_KIND, {"legacy_records": legacy, "legacy_head_hash": last_hash,
                                "note": "records up to legacy_records were chained before the key existed"},
                    actor="netops")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "AuditLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def key_id(self) -> str | None:
        """Fingerprint of the audit key (None while no key exists)."""
        key = self._key or load_key(self.key_file, create=False)
        return key_id(key) if key else None

    def _meta(self, k: str) -> str | None:
        try:
            row = self.conn.execute("SELECT v FROM audit_meta WHERE k = ?", (k,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def _write_key(self) -> bytes:
        """The key for appending: created only for a log that has never been keyed."""
        if self._key is None:
            known = self._meta("key_id")
            key = load_key(self.key_file, create=known is None)
            if key is None:
                raise AuditError(f"the audit key {self.key_file} is missing; this log was keyed with {known}",
                                 hint="restore the key file from backup (a new key would break the chain)")
            if known is not None and known != key_id(key):
                raise AuditError(f"the audit key {self.key_file} (id {key_id(key)}) is not the key of this log ({known})",
                                 hint="point NETOPS_AUDIT__KEY_FILE at this log's key")
            self._key = key
        return self._key

    # writing ----------------------------------------------------------------------------
    def append(self, kind: str, payload: Mapping[str, Any] | None = None, *, actor: str) -> AuditRecord:
        """Append one record and return it (with its seq and hash)."""
        if not kind or not actor:
            raise AuditError("an audit record needs a kind and an actor")
        from netops.controls import visible
        from netops.privacy import redact_text_in

        # who acted is a name on one line (USER, NETOPS_USER, the config's user: free text): its
        # control characters written out, its line breaks a space (adv36: an actor holding ESC]0;
        # and a newline set the terminal's title and forged a record line in `netops audit list`)
        actor = visible(" ".join(str(actor).split())) or "unknown"

        # The log keeps no secret a person typed or a model wrote (an intent, a reason, a
        # parameter); device output and commands arrive redacted by the device rules already
        body = _visible_in(redact_text_in(to_jsonable(dict(payload or {}))))
        text = canonical(body)
        with self._lock:
            conn = self.conn
            key = self._write_key()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT OR IGNORE INTO audit_meta(k, v) VALUES ('key_id', ?)", (key_id(key),))
                row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row["seq"] + 1, row["hash"]) if row else (1, GENESIS)
                lost = self._lost_since_head(conn, key, seq - 1)
                if lost is not None:  # on record before anything goes on top of it (see _lost_since_head)
                    gap = canonical(lost[1])
                    ts = _now()
                    prev = record_hash(prev, seq, ts, "netops", GAP_KIND, lost[1], key)
                    conn.execute(
                        "INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                        (seq, ts, "netops", GAP_KIND, gap, row["hash"] if row else GENESIS, prev))
                    seq += 1
                ts = _now()
                h = record_hash(prev, seq, ts, actor, kind, body, key)
                conn.execute(
                    "INSERT INTO audit(seq, ts, actor, kind, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                    (seq, ts, actor, kind, text, prev, h),
                )
                conn.execute("INSERT OR REPLACE INTO audit_head(id, seq, hash, mac) VALUES (1, ?, ?, ?)",
                             (seq, h, head_mac(key, seq, h)))
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise AuditError(f"cannot append to the audit log {self.path}: {exc}",
                                 hint="check the disk and NETOPS_HOME permissions") from exc
        try:  # after COMMIT: a crash in between leaves the file behind the log, never ahead
            self.local_head.advance(key, seq, h, replacing=lost[0] if lost is not None else None)
        except OSError as exc:
            log.warning("cannot update the audit head file %s: %s", self.local_head.path, exc)
        return AuditRecord(seq, ts, actor, kind, body, prev, h)

    def _lost_since_head(self, conn: sqlite3.Connection, key: bytes, last_seq: int) -> tuple[Head, dict[str, Any]] | None:
        """The local head file remembers a record this log no longer has (the log was cut short:
        a power cut tore its last write, or it was replaced by an older copy or a new file): the
        head and the payload of the ``audit_gap`` record that says so. Appending on top without it
        would let the head file move past the hole, and ``verify`` would pass a log that lost records."""
        try:
            claim = self.local_head.read(key)
        except AuditError:
            return None  # unreadable or forged: verify reports the file itself
        if claim is None or claim.seq <= 0:
            return None
        if claim.seq > last_seq:
            return claim, {"lost_from": last_seq + 1, "lost_to": claim.seq, "lost_head_hash": claim.hash,
                           "found_by": "local head file", "what": "cut_short"}
        have = conn.execute("SELECT hash FROM audit WHERE seq = ?", (claim.seq,)).fetchone()
        if have is not None and have[0] == claim.hash:
            return None
        return claim, {"lost_from": claim.seq, "lost_to": claim.seq, "lost_head_hash": claim.hash,
                       "found_by": "local head file", "what": "rewritten"}

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
            rows = self._read(sql, args)
        return [self._row(r) for r in reversed(rows)]

    def _read(self, sql: str, args: Any = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise TamperDetected(f"the audit database {self.path} is damaged: {exc}",
                                 hint="keep a copy for investigation; netops audit verify") from exc

    def get(self, seq: int) -> AuditRecord:
        with self._lock:
            rows = self._read("SELECT * FROM audit WHERE seq = ?", (int(seq),))
        if not rows:
            raise NotFoundError(f"no audit record with seq {seq}", hint="netops audit list")
        return self._row(rows[0])

    def of_plan(self, plan_seq: int) -> list[AuditRecord]:
        """The records that name ``plan_seq`` as their plan (its ``approval`` or ``denial``, its run's
        ``result``), oldest first: how the run of that plan was decided and how it ended."""
        with self._lock:
            rows = self._read("SELECT * FROM audit WHERE json_extract(payload, '$.plan_seq') = ? ORDER BY seq",
                              (int(plan_seq),))
        return [self._row(r) for r in rows]

    def last_change(self, host: str) -> AuditRecord | None:
        """The newest ``apply`` record on ``host`` (a playbook's configuration sent to it), or None."""
        return next(iter(self.changes(host, 1)), None)

    def changes(self, host: str, limit: int = 5, *, since: datetime | None = None,
                until: datetime | None = None) -> list[AuditRecord]:
        """The newest ``limit`` ``apply`` records on ``host`` (the changes netops sent to it), newest
        first; with ``since`` / ``until`` (aware datetimes), only those in the window.

        A record is in the window when its stamp is, or when its place in the log is: after the
        first record (of any kind) stamped at or after ``since`` and before the first stamped at or
        after ``until``. Records are appended in order, so a change written after the clock was set
        back (an NTP step, a VM restored) still counts as after the ones before it, though its stamp
        is older, and "what changed in the last hour?" does not skip it; a record stamped in the
        future by a clock that was ahead cannot hide the changes stamped correctly after it.

        Only records stamped up to now mark where a window starts or ends in the log: one stamped after
        now (a clock that was ahead) is not when anything happened, and as the window's first record it
        brought in every record after it, days old ("what changed in the last hour?" listed yesterday's
        changes). Such a record is itself still in an open window by its stamp (the clock may be behind
        now instead), and the answers say its stamp is after now (:func:`netops.agent.offline.local_time`)."""
        sql = "SELECT * FROM audit WHERE kind = 'apply' AND json_extract(payload, '$.host') = ?"
        args: list[Any] = [host]
        if since is not None or until is not None:
            # ts is UTC ISO 8601 ("2026-12-03T07:02:21.715123+00:00"): a bound in the same form, to
            # the microsecond and without the offset, compares as the times do
            lo = since.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") if since is not None else ""
            hi = until.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") if until is not None else "~"
            now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
            first = "COALESCE((SELECT MIN(seq) FROM audit WHERE ts >= ? AND ts <= ?), 1 << 62)"
            sql += f" AND ((ts >= ? AND ts < ?) OR (seq >= {first} AND seq < {first}))"
            args += [lo, hi, lo, now, hi, now]
        with self._lock:
            rows = self._read(sql + " ORDER BY seq DESC LIMIT ?", (*args, int(limit)))
        return [self._row(r) for r in rows]

    def kinds(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._read("SELECT DISTINCT kind FROM audit ORDER BY kind")]

    # verifying --------------------------------------------------------------------------
    def verify(self, anchors: Sequence[Head] = ()) -> VerifyReport:
        """Walk the whole chain; check the head row, the local head file and ``anchors``.

        Every record that does not check out is a :class:`Problem`; so is a missing or forged
        head, a missing key, and a record an anchor remembers that is gone or different.
        """
        problems: list[Problem] = []
        with self._lock:
            try:
                conn = self.conn
            except ConfigError as exc:  # not a database any more (replaced, truncated, garbage)
                if exc.message.startswith("cannot open database") and \
                        isinstance(exc.__cause__, (OSError, sqlite3.OperationalError)):
                    raise  # cannot be opened at all (read-only home, permissions): a setting, not tampering
                return VerifyReport(False, 0, 0, GENESIS, [Problem(0, f"the audit database cannot be read: {exc.message}")])
            try:
                rows = conn.execute(
                    "SELECT seq, ts, actor, kind, payload, prev_hash, hash FROM audit ORDER BY seq").fetchall()
            except sqlite3.Error as exc:
                return VerifyReport(False, 0, 0, GENESIS, [Problem(0, f"the audit table is unreadable ({exc})")])
            try:
                head = self.conn.execute("SELECT seq, hash, mac FROM audit_head WHERE id = 1").fetchone()
            except sqlite3.Error as exc:
                head, head_error = None, f"the audit_head table is gone ({exc})"
            else:
                head_error = None
            known_kid = self._meta("key_id")
        try:
            key = load_key(self.key_file, create=False)
        except AuditError as exc:
            key = None
            problems.append(Problem(0, exc.message))
        kid = key_id(key) if key else None
        last_seq = rows[-1]["seq"] if rows else 0
        last_hash = rows[-1]["hash"] if rows else GENESIS

        if rows and key is None and not problems:
            problems.append(Problem(0, f"the audit key {self.key_file} is missing: the chain cannot be verified"))
        elif key is not None and known_kid is not None and known_kid != kid:
            problems.append(Problem(0, f"the log was written with audit key {known_kid}, not {kid} ({self.key_file})"))
        if key is not None:
            problems += self._walk(rows, key)
            problems += self._check_head(head, head_error, key, last_seq, last_hash, rows)
        by_seq = {r["seq"]: r["hash"] for r in rows}
        claims = list(anchors)
        if key is not None:
            try:
                local = self.local_head.read(key)
            except AuditError as exc:
                problems.append(Problem(last_seq, exc.message))
            else:
                if local is not None:
                    claims.insert(0, local)
                elif rows and known_kid is not None:
                    problems.append(Problem(last_seq, f"the local head file {self.local_head.path} is missing (deleted)"))
        for claim in claims:
            p = _check_claim(claim, by_seq, last_seq)
            if p is not None:
                problems.append(p)
            elif claim.key_id and kid and claim.key_id != kid:
                problems.append(Problem(claim.seq, f"the audit key was replaced since {claim.source} "
                                                   f"(key {claim.key_id} then, {kid} now)"))
        problems.sort(key=lambda p: p.seq)
        return VerifyReport(not problems, len(rows), last_seq, last_hash, problems,
                            anchors_checked=len(anchors), key_id=kid)

    @staticmethod
    def _walk(rows: Sequence[sqlite3.Row], key: bytes) -> list[Problem]:
        legacy_upto = _legacy_prefix(rows, key)
        problems: list[Problem] = []
        prev, expected = GENESIS, 1
        for row in rows:
            seq = row["seq"]
            if seq != expected:
                missing = f"{expected}" if seq == expected + 1 else f"{expected}..{seq - 1}"
                problems.append(Problem(expected, f"record(s) {missing} deleted (seq jumps to {seq})"))
            try:
                payload = json.loads(row["payload"])
            except ValueError:
                problems.append(Problem(seq, "payload is not valid JSON (edited)"))
                payload = None
            if payload is not None:
                k = None if seq <= legacy_upto else key
                want = record_hash(row["prev_hash"], seq, row["ts"], row["actor"], row["kind"], payload, k)
                if not hmac.compare_digest(row["hash"], want):
                    problems.append(Problem(seq, "contents do not match the record's keyed hash (edited, moved or forged)"))
                elif row["kind"] == GAP_KIND and isinstance(payload, dict):  # the loss stays on record
                    problems.append(_gap_problem(seq, payload))
            if row["prev_hash"] != prev and seq == expected:
                problems.append(Problem(seq, f"does not chain to record {seq - 1} (reordered, or a neighbour was edited)"))
            prev = row["hash"]
            expected = seq + 1
        return problems

    @staticmethod
    def _check_head(head: Any, head_error: str | None, key: bytes, last_seq: int, last_hash: str,
                    rows: Sequence[sqlite3.Row]) -> list[Problem]:
        if head is None:
            if rows:
                return [Problem(last_seq, (head_error or "the head record is missing")
                                + ": records may have been cut off the end")]
            return []
        if not head["mac"] or not hmac.compare_digest(head["mac"], head_mac(key, head["seq"], head["hash"])):
            return [Problem(min(head["seq"], last_seq) or 1, "the head record does not carry a valid key MAC (forged)")]
        if head["seq"] > last_seq:
            return [Problem(last_seq + 1, f"records {last_seq + 1}..{head['seq']} deleted from the end")]
        if head["seq"] < last_seq:
            return [Problem(head["seq"] + 1, f"records {head['seq'] + 1}..{last_seq} were added outside netops")]
        if head["hash"] != last_hash:
            return [Problem(last_seq, "the last record differs from the recorded head (edited)")]
        return []

    def head(self) -> Head:
        """The current head (verify first: anchoring an unverified head proves nothing)."""
        rows = self._read("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        return Head(rows[0]["seq"], rows[0]["hash"], str(self.path)) if rows else Head(0, GENESIS, str(self.path))

    def verify_or_raise(self, anchors: Sequence[Head] = (), *, recorded_losses: bool = False) -> VerifyReport:
        """``verify``, raising :class:`TamperDetected` on the first problem (with ``recorded_losses``,
        losses netops itself put on record do not count: ``audit anchor`` may pin such a chain)."""
        report = self.verify(anchors)
        if not report.ok and not (recorded_losses and all(p.recorded for p in report.problems)):
            p = report.problems[0]
            more = f" (+{len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
            raise TamperDetected(f"audit log does not verify: seq {p.seq}: {p.problem}{more}",
                                 hint="the audit database was modified outside netops; keep a copy for investigation")
        return report


def _gap_problem(seq: int, payload: dict[str, Any]) -> Problem:
    """What an ``audit_gap`` record says, as verify reports it (every time: a lost record stays lost)."""
    lo, hi = payload.get("lost_from"), payload.get("lost_to")
    at = lo if isinstance(lo, int) else seq
    if payload.get("what") == "rewritten":
        return Problem(at, f"record {lo} differs from the one this log once had (per the local head file): the "
                           f"log was replaced or rewritten; netops found it at its next write and recorded it "
                           f"at seq {seq}", recorded=True)
    which = f"record {lo} is" if lo == hi else f"records {lo}..{hi} are"
    return Problem(at, f"{which} lost (per the local head file): a write torn by a crash or power cut, or the "
                       f"log cut short, replaced by an older copy or started anew; netops found it at its next "
                       f"write and recorded it at seq {seq}", recorded=True)


def _legacy_prefix(rows: Sequence[sqlite3.Row], key: bytes) -> int:
    """How many leading records predate the key, per the first valid keyed seal (0: none)."""
    for row in rows:
        if row["kind"] != SEAL_KIND:
            continue
        try:
            payload = json.loads(row["payload"])
        except ValueError:
            continue
        want = record_hash(row["prev_hash"], row["seq"], row["ts"], row["actor"], row["kind"], payload, key)
        if hmac.compare_digest(row["hash"], want) and isinstance(payload.get("legacy_records"), int):
            return int(payload["legacy_records"])
    return 0


def _check_claim(claim: Head, by_seq: dict[int, str], last_seq: int) -> Problem | None:
    if claim.seq <= 0:
        return None
    have = by_seq.get(claim.seq)
    if have is None and claim.seq > last_seq:
        which = f"record {claim.seq} is" if claim.seq == last_seq + 1 else f"records {last_seq + 1}..{claim.seq} are"
        return Problem(last_seq + 1, f"{which} missing: the log was cut short "
                                     f"or replaced by an older copy (per {claim.source})")
    if have is None:
        return Problem(claim.seq, f"record {claim.seq} is missing (per {claim.source})")
    if have != claim.hash:
        return Problem(claim.seq, f"record {claim.seq} differs from {claim.source} (the chain was rewritten)")
    return None
