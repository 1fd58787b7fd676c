"""Conversation history in SQLite (``settings.paths.history_db``): conversations and messages.

Only what a person saw is kept (questions, answers, mode, citations), not raw device output;
``netops ask --continue`` feeds the last few messages back to the model.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.errors import ConfigError, NotFoundError

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
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass(frozen=True)
class HistoryMessage:
    role: str
    content: str
    created_at: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    started_at: str
    updated_at: str
    model: str | None


class History:
    """The history database. Open with ``History(path)``; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise ConfigError(f"cannot open history database {self.path}: {exc}",
                              hint="check NETOPS_HOME is writable, or move the file aside") from exc

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise ConfigError(f"history database {self.path} is from a newer netops (schema {version})",
                              hint="upgrade netops or move the file aside")
        for n, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._conn:
                self._conn.executescript(f"BEGIN; {sql}; PRAGMA user_version = {n}; COMMIT;")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def new_conversation(self, title: str, model: str | None = None) -> str:
        cid = uuid.uuid4().hex[:12]
        now = _now()
        with self._conn:
            self._conn.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)", (cid, now, now, title[:200], model))
        return cid

    def last_conversation(self) -> str | None:
        row = self._conn.execute("SELECT id FROM conversations ORDER BY updated_at DESC, rowid DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def conversation(self, cid: str) -> Conversation:
        row = self._conn.execute("SELECT id, title, started_at, updated_at, model FROM conversations WHERE id=?",
                                 (cid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no conversation {cid!r}")
        return Conversation(*row)

    def conversations(self, limit: int = 20) -> list[Conversation]:
        rows = self._conn.execute("SELECT id, title, started_at, updated_at, model FROM conversations "
                                  "ORDER BY updated_at DESC LIMIT ?", (limit,)).fetchall()
        return [Conversation(*r) for r in rows]

    def append(self, cid: str, role: str, content: str, meta: dict[str, Any] | None = None) -> None:
        now = _now()
        with self._conn:
            self._conn.execute("INSERT INTO messages(conversation_id, role, content, created_at, meta) "
                               "VALUES (?, ?, ?, ?, ?)", (cid, role, content, now, json.dumps(meta or {}, default=str)))
            self._conn.execute("UPDATE conversations SET updated_at=? WHERE id=?", (now, cid))

    def messages(self, cid: str, last: int | None = None) -> list[HistoryMessage]:
        rows = self._conn.execute("SELECT role, content, created_at, meta FROM messages WHERE conversation_id=? "
                                  "ORDER BY id", (cid,)).fetchall()
        out = [HistoryMessage(r[0], r[1], r[2], json.loads(r[3])) for r in rows]
        return out[-last:] if last else out
