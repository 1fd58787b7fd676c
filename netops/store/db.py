"""SQLite plumbing shared by netops stores: WAL connections and ordered, named migrations.

A store declares its schema as a tuple of :class:`Migration` (name + SQL). :func:`open_db`
applies the ones not yet recorded in ``_migrations``, in order, each in its own transaction,
so an old database is brought forward and a new one is built the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from netops.errors import ConfigError


@dataclass(frozen=True)
class Migration:
    """One schema step. ``name`` is recorded once applied and must never change."""

    name: str
    sql: str


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating parents) a connection in WAL mode with autocommit off by default.

    ``isolation_level=None`` leaves transactions to the caller (``BEGIN IMMEDIATE`` ...),
    which is what an append-only log needs to serialise writers across processes.
    """
    path = Path(path)
    if read_only_mount(path):  # a read-only copy (a forensic mount, a snapshot) is still read
        wal = Path(f"{path}-wal")
        # immutable ignores a WAL: with one left behind (a killed writer), read-only mode must read it
        mode = "mode=ro" if wal.exists() and wal.stat().st_size else "immutable=1"
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=30.0,
                                   isolation_level=None, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open database {path}: {exc}",
                              hint="check NETOPS_HOME is writable") from exc
        conn.row_factory = sqlite3.Row
        return conn
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
        _ensure_wal(conn)
        # NORMAL is durable against a process crash in WAL mode (not against power loss).
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except (sqlite3.Error, OSError) as exc:
        raise ConfigError(f"cannot open database {path}: {exc}",
                          hint="check NETOPS_HOME is writable") from exc
    conn.row_factory = sqlite3.Row
    return conn


def read_only_mount(path: Path) -> bool:
    """Is ``path`` an existing file on a filesystem mounted read-only? Nothing can write it there,
    so SQLite may read it as immutable (WAL mode otherwise needs to create its ``-shm`` file)."""
    import os

    try:
        return path.is_file() and bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _ensure_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL once (it is persistent). The switch needs an exclusive lock and can
    report SQLITE_BUSY without waiting when another process is opening the file, so retry."""
    import time

    for attempt in range(50):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == 49:
                raise
            time.sleep(0.05)


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations ("
                 " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)")
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY id")]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> list[str]:
    """Apply pending migrations in order; return the names applied now.

    Refuses a database whose recorded history is not a prefix of ``migrations`` (it was
    written by a different or newer netops).
    """
    done = applied_migrations(conn)
    names = [m.name for m in migrations]
    if done != names[: len(done)]:
        raise ConfigError(
            f"database schema history {done} does not match this netops ({names})",
            hint="the database was written by another netops version; move it aside",
        )
    new: list[str] = []
    for m in migrations[len(done):]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the lock: another process may have migrated meanwhile.
            if conn.execute("SELECT 1 FROM _migrations WHERE name=?", (m.name,)).fetchone():
                conn.execute("COMMIT")
                continue
            for stmt in _statements(m.sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO _migrations(name, applied_at) VALUES (?, datetime('now'))", (m.name,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        new.append(m.name)
    return new


def _statements(sql: str) -> list[str]:
    """Split a migration into complete statements (triggers contain inner semicolons)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def open_db(path: Path, migrations: Sequence[Migration]) -> sqlite3.Connection:
    """Connect and bring the schema up to date."""
    conn = connect(path)
    try:
        migrate(conn, migrations)
    except sqlite3.Error as exc:
        conn.close()
        raise ConfigError(f"cannot migrate database {path}: {exc}",
                          hint="move the file aside; netops will create a new one") from exc
    return conn
