"""Conversation history in SQLite (``settings.paths.history_db``): conversations and messages.

Only what a person saw is kept (questions, answers, mode, citations), not raw device output;
a question is stored when it is asked and its answer when it is complete, so a netops killed
mid-answer leaves the question, read back as unanswered (:attr:`HistoryMessage.unanswered`);
``netops ask --continue`` (or ``--conversation ID``) feeds the last few messages back to the
model. Messages are full-text searchable (SQLite FTS5) for ``netops conversations list --query``.

No secret is stored: every title, message and string in a message's meta goes through
:func:`netops.privacy.redact_text` on the way in. A database written before that (or under an
older :data:`netops.privacy.REDACTION_VERSION`) is rewritten once when it is opened
(:meth:`History.redact_all`): changed rows are updated, the FTS index is rebuilt from them, and
the file is vacuumed and its WAL truncated, so the old text is gone from the file's free pages,
the index's segments and the log as well, not only from the rows. ``netops conversations
redact`` runs the same pass on demand and reports it. Deleting a conversation likewise leaves
none of its text behind (``secure_delete``, the index merged, the WAL truncated).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.errors import ConfigError, InputError, NotFoundError

BUSY_TIMEOUT_S = 5.0
"""How long a history write waits for another program's write to end (history writes take
milliseconds; the answer waits on it, so a holder that stays gets a notice, not a long hang)."""

# Ordered migrations; index+1 is recorded in PRAGMA user_version. Never edit a shipped one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        title TEXT NOT NULL,
        model TEXT
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content TEXT NOT NULL,
        created_at TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    """,
    """
    CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='id');
    INSERT INTO messages_fts(rowid, content) SELECT id, content FROM messages;
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
    BEGIN INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content); END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
    BEGIN INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content); END;
    """,
    """
    CREATE TABLE history_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages
    BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END;
    """,
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass(frozen=True)
class RedactionReport:
    """What :meth:`History.redact_all` rewrote."""

    messages: int
    """Messages read."""
    messages_changed: int
    titles_changed: int
    version: int
    """The :data:`netops.privacy.REDACTION_VERSION` the database is now redacted to."""

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


UNANSWERED = "netops stopped before answering"
"""What every surface says under a question that has no answer in the history: netops was killed
(or the terminal closed) while it answered, as a question is stored when it is asked and its
answer when the answer is complete."""


@dataclass(frozen=True)
class HistoryMessage:
    role: str
    content: str
    created_at: str
    meta: dict[str, Any] = field(default_factory=dict)
    unanswered: bool = False
    """A question with no answer after it (:data:`UNANSWERED`): netops stopped while it answered
    (killed, the terminal closed), or it is still answering it in another process."""


@dataclass(frozen=True)
class Conversation:
    """One conversation; ``messages`` is filled only by :meth:`History.conversation`."""

    id: str
    title: str
    started_at: str
    updated_at: str
    model: str | None
    message_count: int = 0
    messages: tuple[HistoryMessage, ...] = ()
    match: str | None = None
    """With a search: a short excerpt of the message that matched, each matched word between
    ``MATCH_OPEN`` and ``MATCH_CLOSE`` (None when only the title matched, or with no search)."""

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        out = asdict(self)
        if self.match is not None:  # plain text in JSON; the markers are for a screen to style
            out["match"] = self.match.replace(MATCH_OPEN, "").replace(MATCH_CLOSE, "")
        return out


_COLUMNS = ("c.id, c.title, c.started_at, c.updated_at, c.model, "
            "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id)")


def _locked(method: Any) -> Any:
    """One statement sequence at a time: a Session shares its History between the answering
    worker and the surface's thread (one sqlite3 connection must not be used concurrently)."""

    @functools.wraps(method)
    def wrapper(self: "History", *args: Any, **kw: Any) -> Any:
        with self._lock:
            return method(self, *args, **kw)

    return wrapper


def _redaction_version() -> int:
    from netops.privacy import REDACTION_VERSION

    return REDACTION_VERSION


def _clean(text: str) -> str:
    from netops.privacy import redact_text

    return redact_text(text) or ""


def _clean_data(value: Any) -> Any:
    from netops.privacy import redact_text_in

    return redact_text_in(value)


MATCH_OPEN, MATCH_CLOSE = "\x02", "\x03"
"""Around each matched word in :attr:`Conversation.match` (control characters, which an excerpt
holds no others of, so a surface can style them without mistaking a message's own brackets for
them)."""


def _fts_query(text: str) -> str:
    """Free text as an FTS5 query: every word must occur (quoted, so no operator can break it)."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"' for w in words if w)


class History:
    """The history database. Open with ``History(path)``; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            self._check_intact()
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            # deleted and rewritten text is overwritten in the file, not left in free space
            self._conn.execute("PRAGMA secure_delete=ON")
            self._migrate()
            self.redaction_report: RedactionReport | None = None
            """What opening this database rewrote (None: it was redacted already)."""
            if self._redaction_version() < _redaction_version():
                self.redaction_report = self.redact_all()
        except (sqlite3.Error, OSError) as exc:
            conn = getattr(self, "_conn", None)
            if conn is not None:
                conn.close()
            damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
            locked = "locked" in str(exc)
            raise ConfigError(f"cannot open history database {self.path}: {exc}", hint=(
                f"the file is damaged and was left as it is: move it aside (mv {self.path} {self.path}.damaged) "
                "and netops starts a new history" if damaged else
                "another program holds it in a write; try again once it lets go (the history is kept)" if locked else
                "check NETOPS_HOME is writable (the history is kept)")) from exc

    def _check_intact(self) -> None:
        """A damaged file is refused before anything is written to it: a write could make it worse,
        and what is left in it is the person's to save (``PRAGMA quick_check`` only reads; a few
        milliseconds for thousands of conversations)."""
        row = self._conn.execute("PRAGMA quick_check(1)").fetchone()
        if row is not None and row[0] != "ok":
            found = str(row[0]).replace("*** in database main ***", "").strip().splitlines()
            raise sqlite3.DatabaseError(f"database disk image is malformed ({found[0] if found else row[0]})")

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise ConfigError(f"history database {self.path} is from a newer netops (schema {version})",
                              hint="upgrade netops or move the file aside")
        for n, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._conn:
                self._conn.executescript(f"BEGIN; {sql}; PRAGMA user_version = {n}; COMMIT;")

    def _redaction_version(self) -> int:
        row = self._conn.execute("SELECT v FROM history_meta WHERE k='redaction_version'").fetchone()
        return int(row[0]) if row else 0

    @_locked
    def redact_all(self) -> RedactionReport:
        """Redact every stored title, message and meta string with the current rules, then
        rebuild the search index and compact the file so no old text stays in it (its free
        pages, the index's segments, the WAL). Safe to repeat: a redacted row is unchanged."""
        version = _redaction_version()
        messages = changed = titles = 0
        with self._conn:
            for mid, content, meta in self._conn.execute("SELECT id, content, meta FROM messages").fetchall():
                messages += 1
                new_content = _clean(content)
                try:
                    new_meta = json.dumps(_clean_data(json.loads(meta or "{}")), default=str)
                except ValueError:
                    new_meta = "{}"  # unreadable meta is dropped rather than kept unredacted
                if new_content != content or new_meta != meta:
                    changed += 1
                    self._conn.execute("UPDATE messages SET content=?, meta=? WHERE id=?", (new_content, new_meta, mid))
            for cid, title in self._conn.execute("SELECT id, title FROM conversations").fetchall():
                new_title = _clean(title)[:200]
                if new_title != title:
                    titles += 1
                    self._conn.execute("UPDATE conversations SET title=? WHERE id=?", (new_title, cid))
            if changed or titles:
                self._conn.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
            self._conn.execute("INSERT OR REPLACE INTO history_meta(k, v) VALUES ('redaction_version', ?)",
                               (str(version),))
        if changed or titles:
            self._compact()
        return RedactionReport(messages, changed, titles, version)

    def _compact(self) -> None:
        """Drop free pages and old index segments from the file and empty the WAL (best effort:
        another process reading the database can keep the WAL from being truncated)."""
        try:
            self._conn.execute("VACUUM")
        except sqlite3.OperationalError:
            pass  # busy: secure_delete has already overwritten the old text in place
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @_locked
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_locked
    def new_conversation(self, title: str, model: str | None = None) -> str:
        """A new conversation (``title`` redacted, then cut to 200 characters); its id."""
        cid = uuid.uuid4().hex[:12]
        now = _now()
        with self._conn:
            self._conn.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                               (cid, now, now, _clean(title)[:200], model))
        return cid

    @_locked
    def last_conversation(self, surface: str | None = None) -> str | None:
        """The newest conversation; with ``surface`` ("chat", "ask") the newest one asked there: a
        question stored by a surface carries it in its meta (``{"surface": "chat"}``). Conversations
        stored before questions carried it (no question marked) count for every surface. trial37:
        `netops chat --continue` resumed a `netops ask` from another shell, not the night's chat."""
        if surface is None:
            row = self._conn.execute(
                "SELECT id FROM conversations ORDER BY updated_at DESC, rowid DESC LIMIT 1").fetchone()
            return row[0] if row else None
        row = self._conn.execute(
            "SELECT c.id FROM conversations c WHERE EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id "
            " AND m.role = 'user' AND json_extract(m.meta, '$.surface') = ?) OR NOT EXISTS (SELECT 1 FROM messages m "
            " WHERE m.conversation_id = c.id AND m.role = 'user' AND json_extract(m.meta, '$.surface') IS NOT NULL) "
            "ORDER BY c.updated_at DESC, c.rowid DESC LIMIT 1", (surface,)).fetchone()
        return row[0] if row else None

    @_locked
    def resolve(self, cid: str) -> str:
        """The id ``cid`` names: itself, or the one conversation whose id starts with it (at least
        4 characters, as a short commit hash does); :class:`NotFoundError` when none does,
        :class:`InputError` naming them when several do."""
        if self._conn.execute("SELECT 1 FROM conversations WHERE id=?", (cid,)).fetchone():
            return cid
        if len(cid) >= 4:
            ids = [r[0] for r in self._conn.execute(
                "SELECT id FROM conversations WHERE substr(id, 1, ?) = ? ORDER BY updated_at DESC LIMIT 6",
                (len(cid), cid))]
            if len(ids) == 1:
                return ids[0]
            if ids:
                more = ", ..." if len(ids) > 5 else ""
                raise InputError(f"{cid!r} starts more than one conversation: {', '.join(ids[:5])}{more}",
                                 hint="give more of the id (netops conversations list)")
        raise NotFoundError(f"no conversation {cid!r}", hint="netops conversations list")

    @_locked
    def conversation(self, cid: str, *, with_messages: bool = True) -> Conversation:
        """One conversation (with its messages), named by its id or a unique start of it
        (:meth:`resolve`); :class:`NotFoundError` if there is none."""
        cid = self.resolve(cid)
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM conversations c WHERE c.id=?", (cid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no conversation {cid!r}", hint="netops conversations list")
        msgs = tuple(self.messages(cid)) if with_messages else ()
        return Conversation(*row, messages=msgs)

    @_locked
    def conversations(self, limit: int = 20, query: str | None = None) -> list[Conversation]:
        """Newest first; ``query`` keeps those whose title or messages contain every word."""
        if query and _fts_query(query):
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM conversations c WHERE c.id IN ("
                " SELECT m.conversation_id FROM messages_fts f JOIN messages m ON m.id = f.rowid"
                " WHERE messages_fts MATCH ?) OR c.title LIKE ? "
                "ORDER BY c.updated_at DESC LIMIT ?", (_fts_query(query), f"%{query.strip()}%", limit)).fetchall()
            return self._with_matches([Conversation(*r) for r in rows], query)
        else:
            rows = self._conn.execute(f"SELECT {_COLUMNS} FROM conversations c "
                                      "ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?", (limit,)).fetchall()
        return [Conversation(*r) for r in rows]

    def _with_matches(self, found: list[Conversation], query: str) -> list[Conversation]:
        """Each found conversation with an excerpt of its newest message that holds every word
        (a list of titles alone did not say why a conversation was found)."""
        if not found:
            return found
        import secrets

        from netops.controls import printable

        marks = ",".join("?" * len(found))
        # marked with a tag no message holds, then the message's own control characters go (an ESC
        # sequence reached the terminal of 'conversations list'; a message's own \x02 read as a match)
        tag = secrets.token_hex(8)
        opened, closed = f"<{tag}>", f"</{tag}>"
        # the excerpt of each conversation's newest matching message only: an excerpt of every matching
        # message (to keep the last) took 11 times the search itself in a long history
        words = _fts_query(query)
        newest = {cid: rowid for cid, rowid in self._conn.execute(
            "SELECT m.conversation_id, max(f.rowid) FROM messages_fts f JOIN messages m ON m.id = f.rowid "
            f"WHERE messages_fts MATCH ? AND m.conversation_id IN ({marks}) GROUP BY m.conversation_id",
            (words, *(c.id for c in found)))}
        if not newest:
            return found
        texts = dict(self._conn.execute(
            "SELECT rowid, snippet(messages_fts, 0, ?, ?, '…', 10) FROM messages_fts WHERE messages_fts MATCH ? "
            f"AND rowid IN ({','.join('?' * len(newest))})", (opened, closed, words, *newest.values())).fetchall())
        best = {cid: " ".join(printable(texts[rowid]).split()).replace(opened, MATCH_OPEN).replace(closed, MATCH_CLOSE)
                for cid, rowid in newest.items() if rowid in texts}
        return [replace(c, match=best.get(c.id)) for c in found]

    @_locked
    def delete_conversation(self, cid: str) -> str:
        """Delete a conversation and its messages (its id or a unique start of it, :meth:`resolve`);
        its full id. :class:`NotFoundError` if there is none."""
        cid = self.resolve(cid)
        with self._conn:
            self._conn.execute("DELETE FROM messages WHERE conversation_id=?", (cid,))
            gone = self._conn.execute("DELETE FROM conversations WHERE id=?", (cid,)).rowcount
            # FTS5 records a delete as a marker; merging drops the deleted words from the index
            self._conn.execute("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')")
        if not gone:
            raise NotFoundError(f"no conversation {cid!r}", hint="netops conversations list")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return cid

    @_locked
    def append(self, cid: str, role: str, content: str, meta: dict[str, Any] | None = None) -> None:
        """Add a message; ``content`` and every string in ``meta`` are redacted first."""
        now = _now()
        meta_json = json.dumps(_clean_data(meta or {}), default=str)
        with self._conn:
            self._conn.execute("INSERT INTO messages(conversation_id, role, content, created_at, meta) "
                               "VALUES (?, ?, ?, ?, ?)", (cid, role, _clean(content), now, meta_json))
            self._conn.execute("UPDATE conversations SET updated_at=? WHERE id=?", (now, cid))

    @_locked
    def messages(self, cid: str, last: int | None = None) -> list[HistoryMessage]:
        rows = self._conn.execute("SELECT role, content, created_at, meta FROM messages WHERE conversation_id=? "
                                  "ORDER BY id", (cid,)).fetchall()
        # a question is stored when it is asked, its answer once complete: a question followed by
        # another question (or by nothing) was not answered
        out = [HistoryMessage(r[0], r[1], r[2], json.loads(r[3]),
                              unanswered=r[0] == "user" and (n + 1 == len(rows) or rows[n + 1][0] == "user"))
               for n, r in enumerate(rows)]
        return out[-last:] if last else out
