"""The SQLite side of the knowledge index: document registry, chunks, FTS5 BM25, metadata.

One file (``settings.paths.kb_db``) holds

* ``documents``: one row per ingested file (source, sha256, doc_id, title, kind, version,
  n_chunks, added_at, origin) -- the registry that makes re-indexing incremental;
* ``chunks``: every passage with what a citation needs;
* ``chunks_fts``: an FTS5 index over the chunks (porter stemming over unicode61, which keeps
  numbers such as ``4271`` as tokens), kept in step by triggers;
* ``meta``: which embedder built the index (fingerprint, dim);
* ``pending_vectors``: documents indexed lexically whose vectors are not written yet (a
  lexical-first bootstrap answers at once and embeds them later).

Every document is written in one transaction (:meth:`LexicalIndex.replace_document`).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from netops.errors import ConfigError, KnowledgeError
from netops.rag.chunking import index_heading
from netops.rag.types import Chunk, DocumentInfo

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    version TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    n_chunks INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    origin TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    ordinal INTEGER NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    section_title TEXT NOT NULL DEFAULT '',
    heading_path TEXT NOT NULL DEFAULT '',
    page INTEGER,
    text TEXT NOT NULL,
    heading TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc);
CREATE INDEX IF NOT EXISTS chunks_doc_ordinal ON chunks(doc, ordinal);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, heading, content='chunks', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS pending_vectors (source TEXT PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text, heading)
    VALUES ('delete', old.id, old.text, old.heading);
END;
"""

HEADING_SEP = " > "
HEADING_WEIGHT = 0.5
"""Default BM25 weight of the heading column (the passage weighs 1.0)."""

# Words that match nearly every passage; dropping them keeps BM25 fast and focused.
STOPWORDS = frozenset("""
a an and are as at be by can could do does did for from how i if in into is it its me my of
on or should so than that the their then there these this to was what when where which who
why will with would you your about explain tell show describe please between
""".split())

_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
"""A term :meth:`LexicalIndex.term_counts` counts: a word, or words joined by hyphens (``o-ru``,
``gtp-u``, ``lls-c3``: counted as the phrase the index holds them as)."""
_ALNUM = re.compile(r"^([a-z]+)(\d+)$")


def fts_query(text: str) -> str | None:
    """Free text -> a safe FTS5 OR-query of quoted terms (None when nothing is searchable).

    ``RFC4271`` also searches ``rfc`` and ``4271``, matching how documents are tokenised.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    kept = [w for w in words if w not in STOPWORDS] or words
    terms: list[str] = []
    for w in kept:
        parts = [w]
        m = _ALNUM.match(w)
        if m:
            parts += [m.group(1), m.group(2)]
        for p in parts:
            if p not in terms:
                terms.append(p)
    if not terms:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


@dataclass(frozen=True)
class DocumentRecord:
    """One row of the registry (``netops kb list``)."""

    source: str
    doc_id: str
    title: str
    kind: str
    version: str | None
    sha256: str
    size: int
    n_chunks: int
    added_at: str
    origin: str | None = None
    """The knowledge source (``--source NAME``) it came from, if any."""


class LexicalIndex:
    """SQLite registry + FTS5 index. Safe to share between threads (one lock)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        unwritable = "check that NETOPS_HOME and the index directory in it are writable"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the knowledge index directory {self.path.parent}: {exc}",
                              hint=unwritable) from exc
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.OperationalError as exc:
            # Cannot open or write (read-only mount, permissions, a directory in its place): the
            # index may be fine, so 'kb reset' would be the wrong advice.
            raise ConfigError(f"cannot open the knowledge index {self.path}: {exc}",
                              hint=f"{unwritable} (and that no other program holds the file)") from exc
        except sqlite3.DatabaseError as exc:
            raise KnowledgeError(
                f"knowledge index database {self.path} is unusable: {exc}",
                hint="netops kb reset --yes rebuilds it",
            ) from exc

    # housekeeping ----------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise KnowledgeError(
                f"knowledge index {self.path} was written by a newer netops (schema {version})",
                hint="upgrade netops, or netops kb reset --yes",
            )
        if version < SCHEMA_VERSION:
            self._db.executescript(_SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION};")
        else:
            # Added without a schema bump (older netops still opens the file and keeps the index
            # up to date): chunk lookups by (document, ordinal) -- a dense search hydrates its
            # candidates from here -- took ~3.5 ms per 30 ids scanning a document's chunks.
            self._db.execute("CREATE INDEX IF NOT EXISTS chunks_doc_ordinal ON chunks(doc, ordinal)")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _tx(self):
        return _Transaction(self._db, self._lock)

    # meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values: str | int | None) -> None:
        with self._tx() as db:
            for key, value in values.items():
                if value is None:
                    db.execute("DELETE FROM meta WHERE key=?", (key,))
                else:
                    db.execute("INSERT INTO meta(key, value) VALUES(?, ?) "
                               "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, str(value)))

    # registry --------------------------------------------------------------------------
    def document(self, source: str) -> DocumentRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM documents WHERE source=?", (source,)).fetchone()
        return _record(row) if row else None

    def documents(self) -> list[DocumentRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM documents ORDER BY doc_id, source").fetchall()
        return [_record(r) for r in rows]

    def sources(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT source FROM documents")}

    def find_sources(self, key: str) -> list[str]:
        """Sources whose path or doc_id equals ``key`` (case-insensitive doc_id)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT source FROM documents WHERE source=? OR lower(doc_id)=lower(?)", (key, key)
            ).fetchall()
        return [r[0] for r in rows]

    def counts(self) -> tuple[int, int]:
        """(documents, chunks)."""
        with self._lock:
            docs = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
            chunks = self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return docs, chunks

    def replace_document(self, info: DocumentInfo, chunks: list[Chunk], *, origin: str | None = None,
                         before_commit=None, vectors_pending: bool = False) -> None:
        """Replace everything known about ``info.source`` in one transaction.

        ``before_commit`` runs inside the transaction (the vector upsert): if it raises, the
        registry is left exactly as it was.
        """
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._tx() as db:
            self._delete(db, info.source)
            cur = db.execute(
                "INSERT INTO documents(source, sha256, doc_id, title, kind, version, size, n_chunks,"
                " added_at, origin) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (info.source, info.sha256, info.doc_id, info.title, info.kind, info.version,
                 info.size, len(chunks), now, origin),
            )
            doc_row = cur.lastrowid
            db.executemany(
                "INSERT INTO chunks(doc, ordinal, section, section_title, heading_path, page, text,"
                " heading) VALUES (?,?,?,?,?,?,?,?)",
                [(doc_row, c.ordinal, c.section, c.section_title, HEADING_SEP.join(c.heading_path),
                  c.page, c.text, index_heading(c)) for c in chunks],
            )
            if vectors_pending:
                db.execute("INSERT OR IGNORE INTO pending_vectors(source) VALUES (?)", (info.source,))
            if before_commit is not None:
                before_commit()

    def delete_document(self, source: str) -> bool:
        with self._tx() as db:
            return self._delete(db, source)

    @staticmethod
    def _delete(db: sqlite3.Connection, source: str) -> bool:
        row = db.execute("SELECT id FROM documents WHERE source=?", (source,)).fetchone()
        if row is None:
            return False
        db.execute("DELETE FROM chunks WHERE doc=?", (row[0],))
        db.execute("DELETE FROM documents WHERE id=?", (row[0],))
        db.execute("DELETE FROM pending_vectors WHERE source=?", (source,))
        return True

    # vectors written later ---------------------------------------------------------------
    def pending_sources(self) -> list[str]:
        """Documents whose vectors are not written yet, in indexing order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT p.source FROM pending_vectors p JOIN documents d ON d.source = p.source ORDER BY d.id"
            ).fetchall()
        return [r[0] for r in rows]

    def pending_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM pending_vectors").fetchone()[0])

    def vectors_written(self, sources: Iterable[str]) -> None:
        """Mark these documents' vectors as written."""
        with self._tx() as db:
            db.executemany("DELETE FROM pending_vectors WHERE source=?", [(s,) for s in sources])

    def clear(self) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM documents")
            db.execute("DELETE FROM meta")
            db.execute("DELETE FROM pending_vectors")
            db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')")

    # search ----------------------------------------------------------------------------
    def search(self, query: str, limit: int, *, heading_weight: float = HEADING_WEIGHT) -> list[tuple[Chunk, float]]:
        """BM25 top ``limit``: (chunk, score) with higher scores better.

        The passage and its heading (:func:`~netops.rag.chunking.index_heading`) are separate
        FTS5 columns; ``heading_weight`` is the heading's BM25 weight relative to the passage.
        """
        match = fts_query(query)
        if match is None:
            return []
        sql = (
            "SELECT c.*, d.doc_id, d.title, d.source, f.score FROM ("
            "  SELECT rowid, -bm25(chunks_fts, 1.0, ?) AS score FROM chunks_fts"
            "  WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts, 1.0, ?) LIMIT ?"
            ") AS f JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.doc "
            "ORDER BY f.score DESC"
        )
        w = float(heading_weight)
        with self._lock:
            try:
                rows = self._db.execute(sql, (w, match, w, limit)).fetchall()
            except sqlite3.OperationalError as exc:
                raise KnowledgeError(f"lexical search failed: {exc}",
                                     hint="netops kb reset --yes rebuilds the index") from exc
        return [(_chunk(r), float(r["score"])) for r in rows]

    def term_counts(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(chunks in the index, chunks containing each term): document frequencies, stemmed
        the way the index is, for weighting a question's words by how rare they are."""
        counts: dict[str, int] = {}
        with self._lock:
            total = int(self._db.execute("SELECT count(*) FROM chunks").fetchone()[0])
            for term in terms:
                if not _TERM.fullmatch(term):  # a hyphenated word was skipped: "unknown to the index" (trial34)
                    continue
                try:
                    row = self._db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
                                           ('"' + term + '"',)).fetchone()
                except sqlite3.OperationalError:
                    continue
                counts[term] = int(row[0])
        return total, counts

    def scores(self, query: str, chunk_ids: Iterable[str], *,
               heading_weight: float = HEADING_WEIGHT) -> dict[str, float]:
        """BM25 scores of these chunks (``source#ordinal``) for ``query``; 0.0 when no term matches.

        The same scoring as :meth:`search`, for candidates the other side found: fusion can then
        compare both scores of every candidate instead of guessing the missing one.
        """
        ids = list(dict.fromkeys(chunk_ids))
        out = {cid: 0.0 for cid in ids}
        match = fts_query(query)
        if match is None or not ids:
            return out
        rowids: dict[int, str] = {}
        with self._lock:
            for cid in ids:
                source, _, ordinal = cid.rpartition("#")
                row = self._db.execute(
                    "SELECT c.id FROM chunks c JOIN documents d ON d.id=c.doc WHERE d.source=? AND c.ordinal=?",
                    (source, int(ordinal or -1))).fetchone()
                if row is not None:
                    rowids[row[0]] = cid
            if not rowids:
                return out
            marks = ",".join("?" * len(rowids))
            w = float(heading_weight)
            try:
                rows = self._db.execute(
                    f"SELECT rowid, -bm25(chunks_fts, 1.0, ?) FROM chunks_fts WHERE chunks_fts MATCH ? "
                    f"AND rowid IN ({marks})", (w, match, *rowids)).fetchall()
            except sqlite3.OperationalError as exc:
                raise KnowledgeError(f"lexical search failed: {exc}",
                                     hint="netops kb reset --yes rebuilds the index") from exc
        for rowid, score in rows:
            out[rowids[rowid]] = float(score)
        return out

    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        """Look chunks up by ``source#ordinal`` (one query per 400 ids: a dense search hydrates
        its candidates here)."""
        keys: dict[tuple[str, int], str] = {}
        for cid in chunk_ids:
            source, _, ordinal = cid.rpartition("#")
            try:
                keys[(source, int(ordinal))] = cid
            except ValueError:
                continue  # not a chunk id: nothing to find
        out: dict[str, Chunk] = {}
        pairs = list(keys)
        with self._lock:
            for i in range(0, len(pairs), 400):  # SQLite's variable limit is 999 on old builds
                batch = pairs[i:i + 400]
                rows = self._db.execute(
                    f"WITH want(source, ordinal) AS (VALUES {','.join(['(?,?)'] * len(batch))}) "
                    "SELECT c.*, d.doc_id, d.title, d.source FROM want CROSS JOIN documents d ON d.source = want.source"
                    " JOIN chunks c ON c.doc = d.id AND c.ordinal = want.ordinal",
                    [x for pair in batch for x in pair]).fetchall()
                for row in rows:
                    out[keys[(row["source"], row["ordinal"])]] = _chunk(row)
        return out

    def iter_chunks(self, source: str) -> Iterator[Chunk]:
        with self._lock:
            rows = self._db.execute(
                "SELECT c.*, d.doc_id, d.title, d.source FROM chunks c JOIN documents d ON d.id=c.doc"
                " WHERE d.source=? ORDER BY c.ordinal", (source,)
            ).fetchall()
        for r in rows:
            yield _chunk(r)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on any exception, Ctrl-C included)."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self.db = db
        self.lock = lock

    def __enter__(self) -> sqlite3.Connection:
        self.lock.acquire()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.lock.release()
            raise
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.lock.release()


def _chunk(row: sqlite3.Row) -> Chunk:
    path = row["heading_path"]
    return Chunk(
        doc_id=row["doc_id"],
        source=row["source"],
        ordinal=row["ordinal"],
        text=row["text"],
        section=row["section"],
        section_title=row["section_title"],
        heading_path=tuple(path.split(HEADING_SEP)) if path else (),
        page=row["page"],
        title=row["title"],
    )


def _record(row: sqlite3.Row) -> DocumentRecord:
    return DocumentRecord(
        source=row["source"], doc_id=row["doc_id"], title=row["title"], kind=row["kind"],
        version=row["version"], sha256=row["sha256"], size=row["size"], n_chunks=row["n_chunks"],
        added_at=row["added_at"], origin=row["origin"],
    )
