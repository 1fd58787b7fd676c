"""``KnowledgeBase``: the one facade over the knowledge index (lexical + vectors + embedder).

    kb = KnowledgeBase(settings)              # embedder chosen per settings.kb.embedder
    report = kb.add([Path("runbooks/")])      # incremental by content hash
    hits = kb.search("BGP hold timer", top_k=5, mode="hybrid")

Consistency: a group of documents is embedded and its vectors written in one Chroma call, then
each document is committed to SQLite in its own transaction. If anything fails, Ctrl-C
included, the group's not-yet-committed documents are dropped from both stores, so lexical and
vector stores always hold the same documents. An interrupted ``add`` keeps every committed
document; running it again skips those (same hash) and indexes the rest.

Ranking (:class:`~netops.rag.fusion.Ranking`, measured in bench/README.md): both sides see each
chunk's heading (doc id, document title, section number and title) next to the raw passage --
a first line of the embedded text, a separately weighted FTS5 column; each candidate list is
collapsed to one chunk per section, the lists are fused by standardised scores (:mod:`~netops.rag.fusion`), and a document the
query names (``RFC 4271``) is ranked first. What gets indexed is versioned
(:data:`INDEX_FORMAT`): an index of another format asks to be rebuilt instead of mixing.

First answer fast: :meth:`KnowledgeBase.bootstrap` indexes the default sources lexically only
(seconds: chunking and SQLite FTS5) and records their documents as awaiting vectors; searches
answer from the lexical index meanwhile (each ``Hit.mode`` is ``lexical``), and
:meth:`KnowledgeBase.complete_vectors` -- in the foreground, or in a detached process started
by :meth:`KnowledgeBase.start_background_vectors` -- embeds them, group by group, resumably.
Once nothing awaits vectors, hybrid search is back.

Throughput: chunks are embedded in batches across documents (documents are grouped until about
:data:`GROUP_CHUNKS` chunks are pending), so small files do not mean small batches.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Literal

from netops.errors import (
    BackendUnavailable,
    ConfigError,
    IndexMismatchError,
    InputError,
    KnowledgeError,
    NotFoundError,
)
from netops.rag.embedders import Embedder, describe, embed_chunks, fingerprint_kind, make_embedder
from netops.rag.lexical import DocumentRecord, LexicalIndex
from netops.rag.fusion import Ranking, rank
from netops.rag.types import Chunk, DocumentInfo, Hit, IngestReport

if TYPE_CHECKING:
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    from netops.rag.vectors import ChromaVectors
    from netops.settings import Settings

Mode = Literal["hybrid", "dense", "lexical"]
When = Literal["now", "later"]
"""``vectors="later"``: index lexically now, embed later (:meth:`KnowledgeBase.complete_vectors`)."""
MODES: tuple[str, ...] = ("hybrid", "dense", "lexical")
ProgressFn = Callable[[int, int, str], None]
"""``on_progress(done, total, label)``: called after each file is settled."""

GROUP_CHUNKS = 256
NO_EMBEDDER = "none"
_DEFINITION = re.compile(
    r"\bstands?\s+for\b|\bdefine\b|\bdefinition\b|\bacronyms?\b|\babbreviat|\bexpand\b|\bmeaning\s+of\b"
    r"|\bspel(?:led|t)\s+out\b"
    r"|^\W*(?:what(?:'s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?)?[A-Za-z][\w-]{0,11}\W*$",
    re.IGNORECASE)


def definition_question(query: str) -> bool:
    """Does ``query`` ask what a term or acronym is ("what does ABR stand for?", "what is an
    ASBR?", "define LSA", "LSDB?"), the one kind of question the glossary itself answers?"""
    return bool(_DEFINITION.search(query.strip()))


INDEX_FORMAT = 5  # 5: roman-numeral sections and appendices, upper-case subsections of old RFCs
"""Bumped whenever what gets indexed changes (2: headings embedded with the passage and in
their own FTS5 column; 3: old-style RFC headings and appendix forms recognised, so those RFCs
chunk differently; 4: a chunk longer than the embedding model reads is embedded whole, as the
mean of its windows). An index of another format must be rebuilt, never mixed."""

__all__ = [
    "KnowledgeBase", "KBStats", "Ranking", "INDEX_FORMAT", "When", "merge_reports", "Consistency", "PullOutcome", "DocumentRecord", "MODES", "ProgressFn",
]


@dataclass(frozen=True)
class KBStats:
    """What ``netops kb stats`` shows."""

    docs: int
    chunks: int
    vectors: int | None
    """Vectors in Chroma; None when the index is lexical-only and Chroma was not opened."""
    embedder: str
    """The configured embedder (fingerprint or ``none (lexical-only)``)."""
    index_embedder: str | None
    """The fingerprint recorded by whoever built the index (None when empty)."""
    mode: str
    """``hybrid`` or ``lexical-only``."""
    db_bytes: int
    vector_bytes: int | None
    vector_location: str
    kinds: dict[str, int] = field(default_factory=dict)
    vectors_pending: int = 0
    """Documents indexed lexically whose vectors are not written yet."""


@dataclass(frozen=True)
class Consistency:
    """Whether the lexical registry and the vector store hold the same documents."""

    lexical_only: tuple[str, ...] = ()
    vector_only: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.lexical_only and not self.vector_only


@dataclass
class PullOutcome:
    """``kb pull``: what was fetched and, unless ``--no-index``, what indexing did."""

    fetched: dict[int, str] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    ingest: IngestReport | None = None


@dataclass
class _Pending:
    info: DocumentInfo
    chunks: list[Chunk]
    updated: bool


class KnowledgeBase:
    """The knowledge index of one ``Settings``: add, remove, list, stats, search, reset."""

    def __init__(self, settings: "Settings", embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.paths = settings.paths
        self.lexical = LexicalIndex(self.paths.kb_db)
        self._embedder = embedder
        self._embedder_resolved = embedder is not None
        self._embedder_made_here = False
        self._vectors: ChromaVectors | None = None
        self._vectors_checked = False
        self._glossary: dict[str, list[str]] | None = None
        self._glossary_paths: set[str] | None = None
        self.parallel_search = True
        """Hybrid search runs its lexical side on a worker thread while the query is embedded and
        the vectors are asked (SQLite and numpy release the GIL) -- the same hits (tested). With a
        free core it is much faster (idle, 10k chunks: hybrid p50 26-31 ms against 42-45 in
        sequence); on two vCPUs busy with other work it is no faster at p50 and sometimes slower
        (bench/README.md, kb_search). False runs the two sides one after the other."""
        self._worker: ThreadPoolExecutor | None = None
        self._worker_lock = threading.Lock()

    # parts -----------------------------------------------------------------------------
    @property
    def index_fingerprint(self) -> str | None:
        """Fingerprint of the embedder that built the index (``none`` = lexical-only)."""
        return self.lexical.get_meta("embedder")

    @property
    def embedder(self) -> Embedder | None:
        """The embedder in use; None means lexical-only. Resolved lazily (no model load)."""
        if not self._embedder_resolved:
            prefer = fingerprint_kind(self.index_fingerprint) if not self.is_empty(local=True) else None
            self._embedder = make_embedder(self.settings, prefer=prefer)
            self._embedder_resolved = True
            self._embedder_made_here = True
        return self._embedder

    @property
    def vectors(self) -> "ChromaVectors":
        if self._vectors is None:
            from netops.rag.vectors import ChromaVectors

            self._vectors = ChromaVectors(self.settings)
        return self._vectors

    @property
    def lexical_only(self) -> bool:
        return self.embedder is None

    def warm(self) -> None:
        """Load what the first search needs (the query encoder: MiniLM takes seconds the first
        time), so a caller can say so before it happens. A failure here is left for the
        search itself to report."""
        emb = self.embedder
        if emb is None:
            return
        try:
            emb.embed_query("warm up")
        except Exception:  # the search that follows reports it in its own words
            pass

    def close(self) -> None:
        with self._worker_lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown(wait=True)  # a search still on the worker finishes before the db closes
        self.lexical.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # embedder bookkeeping --------------------------------------------------------------
    def _current_fingerprint(self) -> str:
        return self.embedder.fingerprint if self.embedder is not None else NO_EMBEDDER

    def _mismatch(self, built: str, current: str) -> IndexMismatchError:
        kind = fingerprint_kind(built)
        return IndexMismatchError(
            f"the knowledge index was built with embedder {built}, but {current} is configured",
            hint=f"netops kb reset --yes and re-add, or set NETOPS_KB__EMBEDDER={kind} back",
        )

    def check_format(self) -> None:
        """Raise :class:`IndexMismatchError` when the index was written in another format."""
        self._check_format()

    def _check_format(self) -> None:
        """An index written in another format (see :data:`INDEX_FORMAT`) must be rebuilt."""
        if self.is_empty(local=True):
            return
        found = self.lexical.get_meta("format")
        if found is None or int(found) != INDEX_FORMAT:
            raise IndexMismatchError(
                f"the knowledge index is in format {found or 1}; this netops needs format {INDEX_FORMAT}",
                hint="rebuild it: netops kb reset --yes, then re-add your documents (netops kb init / kb add)",
            )

    def _check_for_write(self, *, vectors_now: bool = True) -> str:
        """Refuse to mix embedders or formats; claim an empty index for the current one."""
        self._check_format()
        current = self._current_fingerprint()
        built = self.index_fingerprint
        if built and built != current and not self.is_empty(local=True):
            raise self._mismatch(built, current)
        if current != NO_EMBEDDER and vectors_now:
            self.vectors.claim(current, index_format=INDEX_FORMAT)
        if built != current:
            dim = self.embedder.dim if self.embedder is not None else None
            self.lexical.set_meta(embedder=current, dim=dim)
        if self.lexical.get_meta("format") != str(INDEX_FORMAT):
            self.lexical.set_meta(format=INDEX_FORMAT)
        return current

    def _check_for_search(self) -> None:
        self._check_format()
        if self.embedder is None:
            return
        current = self.embedder.fingerprint
        built = self.index_fingerprint
        if built and built != current and not self.is_empty(local=True):
            raise self._mismatch(built, current)
        if not self._vectors_checked:
            remote = self.vectors.fingerprint()
            if remote and remote != current and self.vectors.count() > 0:
                raise self._mismatch(remote, current)
            if self.is_empty(local=True) and remote and self.vectors.index_format() != INDEX_FORMAT:
                # a shared index searched from a machine without the lexical database
                raise IndexMismatchError(
                    f"the shared vector index at {self.vectors.where} is in another format",
                    hint="rebuild it: netops kb reset --yes, then re-add your documents")
            self._vectors_checked = True

    # ingest ----------------------------------------------------------------------------
    def add(self, paths: Iterable[Path | str], on_progress: ProgressFn | None = None, *,
            origin: str | None = None, vectors: When = "now") -> IngestReport:
        """Index files and directories; unchanged files are skipped, changed ones replaced.

        A path that does not exist, or a file named explicitly whose type is not read, is bad
        input (nothing is written); a file that cannot be read is recorded in
        ``report.failed`` and the others continue. ``vectors="later"`` indexes lexically only
        and leaves the embedding to :meth:`complete_vectors`.
        """
        from netops.rag import loaders

        started = time.perf_counter()
        given = [Path(p).expanduser() for p in paths]
        if not given:
            raise InputError("nothing to add", hint="give files or directories, or --source NAME")
        missing = [str(p) for p in given if not p.exists()]
        if missing:
            raise InputError(f"no such file or directory: {missing[0]}",
                             hint="check the path (nothing was indexed)")
        # a file named explicitly must be one we read (a directory's other files are skipped)
        odd = next((p for p in given if p.is_file() and not loaders.is_supported(p)), None)
        if odd is not None:
            raise InputError(f"{loaders.unsupported_reason(odd, name=str(odd))}",
                             hint="convert it to one of those types (nothing was indexed)")
        report = IngestReport()
        files, problems = loaders.discover([p.resolve() for p in given])
        for source, reason in _problem_items(problems):
            report.failed[source] = reason
        later = vectors == "later" and self.embedder is not None
        self._check_for_write(vectors_now=not later)
        self._ingest(list(files), report, on_progress, origin, later)
        self._forget_deleted([p.resolve() for p in given if p.is_dir()], report)
        report.seconds = time.perf_counter() - started
        return report

    def _forget_deleted(self, folders: list[Path], report: IngestReport) -> None:
        """Drop the documents indexed from ``folders`` whose files are gone from disk.

        ``kb add runbooks/`` is how a team keeps its index in step with its folder: a runbook
        deleted (or renamed) there must stop answering questions, not linger as a stale
        passage that only ``kb remove`` of a path nobody remembers would clear.
        """
        if not folders:
            return
        roots = [str(f).rstrip("/") + "/" for f in folders]
        gone = [s for s in sorted(self.lexical.sources())
                if any(s.startswith(r) for r in roots) and not Path(s).exists()]
        if gone:
            removed, _ = self.remove(gone)
            report.removed.extend(removed)

    def _ingest(self, files: list[Path], report: IngestReport, on_progress: ProgressFn | None,
                origin: str | None, later: bool = False) -> None:
        from netops.errors import IngestError
        from netops.rag import loaders

        total = len(files)
        done = 0
        pending: list[_Pending] = []
        pending_chunks = 0
        max_bytes = int(self.settings.kb.max_file_mb * 1024 * 1024)

        def settle(label: str) -> None:
            nonlocal done
            done += 1
            if on_progress is not None:
                on_progress(done, total, label)

        def flush() -> None:
            nonlocal pending, pending_chunks
            batch, pending, pending_chunks = pending, [], 0
            self._commit_group(batch, report, origin, settle, later)

        for path in files:
            source = str(Path(path).resolve())
            try:
                digest = _sha256(Path(source))
            except OSError as exc:
                report.failed[source] = f"cannot read: {exc.strerror or exc}"
                settle(source)
                continue
            known = self.lexical.document(source)
            if known is not None and known.sha256 == digest and (origin is None or known.origin == origin):
                report.unchanged.append(source)
                settle(source)
                continue
            try:
                info, chunks = loaders.load_document(Path(source), max_bytes=max_bytes,
                                                     chunk_chars=self.settings.kb.chunk_chars)
            except IngestError as exc:
                report.failed[source] = exc.message
                settle(source)
                continue
            except (KnowledgeError, ConfigError):
                raise
            except Exception as exc:  # a loader bug must not sink the other files
                report.failed[source] = f"unexpected {type(exc).__name__}: {exc}"
                settle(source)
                continue
            if not chunks:
                report.failed[source] = "no text found"
                settle(source)
                continue
            info, chunks = _pin_source(info, chunks, source)
            if info.notes:
                report.notes[source] = "; ".join(info.notes)
            pending.append(_Pending(info, chunks, updated=known is not None))
            pending_chunks += len(chunks)
            if pending_chunks >= GROUP_CHUNKS:
                flush()
        flush()

    def _commit_group(self, group: list[_Pending], report: IngestReport, origin: str | None,
                      settle: Callable[[str], None], later: bool = False) -> None:
        """Embed a group in one go, write its vectors in one go, then commit document by document.

        If anything fails or is interrupted (Ctrl-C), every document of the group that is not
        yet committed to SQLite is dropped from both stores -- including the old version of an
        updated one, whose vectors are already gone -- so the stores always agree and a rerun
        re-adds exactly those.
        """
        if not group:
            return
        committed: set[str] = set()
        wrote_vectors = False
        try:
            if self.embedder is not None and later:
                if any(p.updated for p in group):  # the old version's vectors must not linger
                    self.vectors.delete([p.info.source for p in group if p.updated])
            elif self.embedder is not None:
                chunks = [c for p in group for c in p.chunks]
                vectors = embed_chunks(self.embedder, chunks)
                if len(vectors) != len(chunks):
                    raise KnowledgeError(f"embedder returned {len(vectors)} vectors for {len(chunks)} chunks")
                wrote_vectors = True
                self.vectors.replace({p.info.source: p.chunks for p in group}, vectors)
            for item in group:
                self.lexical.replace_document(item.info, item.chunks, origin=origin,
                                              vectors_pending=later)
                committed.add(item.info.source)
                (report.updated if item.updated else report.added).append(item.info.source)
                report.chunks += len(item.chunks)
                settle(item.info.source)
        except BaseException:
            pending = [p.info.source for p in group if p.info.source not in committed]
            try:
                if wrote_vectors and pending:
                    self.vectors.delete(pending)
                for source in pending:
                    if self.lexical.document(source) is not None and wrote_vectors:
                        self.lexical.delete_document(source)
            except Exception:  # the original error is the one worth reporting
                pass
            raise

    def add_source(self, name: str, on_progress: ProgressFn | None = None) -> IngestReport:
        """Index a registered knowledge source (its paths and RFC packs) by name."""
        from netops.plugins import knowledge_sources

        sources = knowledge_sources()
        if name not in sources.items:
            known = ", ".join(sorted(sources.items)) or "none"
            raise NotFoundError(f"no knowledge source named {name!r}", hint=f"known sources: {known}")
        return self._index_sources([sources.items[name]], on_progress)

    def bootstrap(self, on_progress: ProgressFn | None = None, *, vectors: When = "later",
                  background: bool | None = None) -> IngestReport:
        """Index every knowledge source registered with ``default=True`` (first use, ``kb init``).

        By default lexically first (seconds), so a first question is answered at once, and the
        vectors are then embedded by a detached process (:meth:`start_background_vectors`).
        ``background=None`` starts that process only when it can rebuild this embedder from
        the settings (an embedder handed in, like a test double, stays in the foreground:
        call :meth:`complete_vectors`). ``vectors="now"`` embeds before returning.
        """
        from netops.plugins import knowledge_sources

        defaults = [s for s in knowledge_sources().items.values() if s.default]
        report = self._index_sources(defaults, on_progress, vectors)
        self.lexical.set_meta(defaults_offered=int(time.time()))
        if vectors == "later" and (background or (background is None and self._embedder_from_settings())):
            self.start_background_vectors()
        return report

    def defaults_offered(self) -> bool:
        """Whether the default knowledge sources were indexed here once (:meth:`bootstrap`), so
        that a default document the user removed stays removed. An index with a document from a
        default source counts (an older netops bootstrapped it without saying so)."""
        if self.lexical.get_meta("defaults_offered") is not None:
            return True
        from netops.plugins import knowledge_sources

        defaults = {s.name for s in knowledge_sources().items.values() if s.default}
        return any(rec.origin in defaults for rec in self.lexical.documents())

    def _embedder_from_settings(self) -> bool:
        """Whether another process reading the same settings gets this very embedder."""
        emb = self.embedder
        return emb is not None and self._embedder_made_here and emb.name in ("minilm", "ollama")

    # vectors written later ---------------------------------------------------------------
    @property
    def vectors_pending(self) -> int:
        """How many documents are indexed lexically but not embedded yet."""
        return self.lexical.pending_count()

    def complete_vectors(self, on_progress: ProgressFn | None = None) -> IngestReport:
        """Embed every document still awaiting vectors; resumable, one process at a time.

        Documents are embedded in groups (:data:`GROUP_CHUNKS`); each group's vectors are
        written, then its documents are marked done, so an interrupted run loses at most one
        group. If another process holds the lock, returns at once with nothing done.
        """
        started = time.perf_counter()
        report = IngestReport()
        if self.embedder is None:
            return report
        with _VectorLock(self.paths.kb_db) as locked:
            if not locked:
                return report
            pending = self.lexical.pending_sources()
            if not pending:
                return report
            self._check_for_write()
            total, done = len(pending), 0
            group: dict[str, list[Chunk]] = {}
            size = 0

            def flush() -> None:
                nonlocal group, size, done
                if not group:
                    return
                chunks = [c for cs in group.values() for c in cs]
                vecs = embed_chunks(self.embedder, chunks)
                if len(vecs) != len(chunks):
                    raise KnowledgeError(f"embedder returned {len(vecs)} vectors for {len(chunks)} chunks")
                self.vectors.replace(group, vecs)
                self.lexical.vectors_written(list(group))
                for source, cs in group.items():
                    report.added.append(source)
                    report.chunks += len(cs)
                    done += 1
                    if on_progress is not None:
                        on_progress(done, total, source)
                group, size = {}, 0

            for source in pending:
                chunks = list(self.lexical.iter_chunks(source))
                group[source] = chunks
                size += len(chunks)
                if size >= GROUP_CHUNKS:
                    flush()
            flush()
        report.seconds = time.perf_counter() - started
        return report

    def start_background_vectors(self) -> "subprocess.Popen | None":
        """Embed the pending documents in a detached process (it outlives this one).

        Returns the process, or None when nothing is pending or there is no embedder. The
        process reads the same settings (``NETOPS_HOME`` and config) and writes its output to
        ``<home>/index/vectors.log``; a second one started meanwhile exits at once (lock).
        """
        import os
        import subprocess
        import sys

        if self.embedder is None or not self.vectors_pending:
            return None
        with _VectorLock(self.paths.kb_db, record=False) as free:
            if not free:
                return None  # one is at work already
        env = dict(os.environ, NETOPS_HOME=str(self.paths.home))
        log = self.paths.kb_db.with_name("vectors.log")
        with log.open("ab") as fh:
            return subprocess.Popen([sys.executable, "-m", "netops.rag.background"], env=env,
                                    stdin=subprocess.DEVNULL, stdout=fh, stderr=fh,
                                    start_new_session=True, close_fds=True)

    def _index_sources(self, sources: list, on_progress: ProgressFn | None,
                       vectors: When = "now") -> IngestReport:
        started = time.perf_counter()
        total = IngestReport()
        for src in sources:
            from netops.rag import loaders

            paths = []
            for p in src.paths:
                if not Path(p).exists():
                    total.failed[str(p)] = f"missing file of knowledge source {src.name}"
                elif Path(p).is_file() and not loaders.is_supported(Path(p)):
                    total.failed[str(p)] = loaders.unsupported_reason(Path(p))
                else:
                    paths.append(Path(p))
            for pack in src.rfc_packs:
                try:
                    outcome = self.pull_pack(str(pack), index=False)
                except (InputError, NotFoundError, BackendUnavailable, ConfigError) as exc:
                    # one unusable pack (bad manifest, mirror down) must not stop the others
                    total.failed[str(pack)] = exc.message
                    continue
                paths.extend(Path(p) for p in outcome.fetched.values())
                for num, reason in outcome.failed.items():
                    total.failed[f"RFC {num}"] = reason
            if paths:
                merge_reports(total, self.add(paths, on_progress, origin=src.name, vectors=vectors))
        total.seconds = time.perf_counter() - started
        return total

    def pull_rfcs(self, numbers: Iterable[int], *, mirror_url: str | None = None, index: bool = True,
                  on_progress: ProgressFn | None = None) -> PullOutcome:
        """Fetch RFCs (local Debian tree first, then the mirror) into the cache; index them."""
        from netops.rag import pull

        nums = sorted({int(n) for n in numbers})
        if not nums:
            raise InputError("no RFC numbers given", hint="e.g. netops kb pull rfc 4271 2328")
        self.paths.rfc_cache.mkdir(parents=True, exist_ok=True)
        got = pull.pull_rfcs(nums, dest=self.paths.rfc_cache, rfc_dir=self.settings.kb.rfc_dir,
                             mirror_url=mirror_url or self.settings.kb.rfc_mirror_url)
        outcome = PullOutcome(fetched={int(k): str(v) for k, v in got.fetched.items()},
                              failed={int(k): str(v) for k, v in got.failed.items()})
        mirror = mirror_url or self.settings.kb.rfc_mirror_url
        if not outcome.fetched and outcome.failed and all(
                r.startswith(("mirror unreachable", "mirror timed out")) for r in outcome.failed.values()):
            raise BackendUnavailable(
                f"RFC mirror {mirror} is unreachable (needed for RFC {', '.join(map(str, outcome.failed))})",
                hint="check the network or --mirror / NETOPS_KB__RFC_MIRROR_URL; "
                     "apt-get install doc-rfc-std gives offline copies")
        if index and outcome.fetched:
            outcome.ingest = self.add([Path(p) for p in outcome.fetched.values()], on_progress, origin="rfc")
        return outcome

    def pull_pack(self, name_or_path: str, *, mirror_url: str | None = None, index: bool = True,
                  on_progress: ProgressFn | None = None) -> PullOutcome:
        """Pull every RFC a pack manifest names (``core`` or a path to a YAML file)."""
        from netops.rag import pull

        pack = pull.load_pack(name_or_path, self.paths.knowledge_dir)
        return self.pull_rfcs(pack.rfcs, mirror_url=mirror_url, index=index, on_progress=on_progress)

    # registry --------------------------------------------------------------------------
    def remove(self, sources: Iterable[str]) -> tuple[list[str], list[str]]:
        """Forget documents by source path or doc_id: returns (removed, not_found)."""
        removed: list[str] = []
        missing: list[str] = []
        for key in sources:
            matches = self.lexical.find_sources(key)
            if not matches and Path(key).expanduser().exists():
                matches = self.lexical.find_sources(str(Path(key).expanduser().resolve()))
            if not matches:
                missing.append(key)
                continue
            for source in matches:
                if self.embedder is not None or self.paths.chroma_dir.exists() or self.settings.chroma_url:
                    self.vectors.delete([source])
                self.lexical.delete_document(source)
                removed.append(source)
        return removed, missing

    def list(self) -> list[DocumentRecord]:
        """Every indexed document."""
        return self.lexical.documents()

    def is_empty(self, *, local: bool = False) -> bool:
        """No documents indexed (a shared Chroma index counts too unless ``local``)."""
        docs, _ = self.lexical.counts()
        if docs or local or not self.settings.chroma_url:
            return docs == 0
        return self.vectors.count() == 0

    def stats(self) -> KBStats:
        docs, chunks = self.lexical.counts()
        kinds: dict[str, int] = {}
        for rec in self.lexical.documents():
            kinds[rec.kind] = kinds.get(rec.kind, 0) + 1
        open_vectors = self.embedder is not None or self.paths.chroma_dir.exists() or bool(self.settings.chroma_url)
        return KBStats(
            docs=docs,
            chunks=chunks,
            vectors=self.vectors.count() if open_vectors else None,
            embedder=describe(self.embedder),
            index_embedder=self.index_fingerprint,
            mode="lexical-only" if self.embedder is None else "hybrid",
            db_bytes=self.lexical.size_bytes(),
            vector_bytes=self.vectors.size_bytes() if open_vectors else None,
            vector_location=self.settings.chroma_url or str(self.paths.chroma_dir),
            kinds=kinds,
            vectors_pending=self.lexical.pending_count(),
        )

    def verify(self) -> Consistency:
        """Compare the documents the two stores hold (reads all vector metadata)."""
        lexical = self.lexical.sources()
        if self.index_fingerprint in (None, NO_EMBEDDER) and self.embedder is None:
            return Consistency()
        vectors = self.vectors.sources()
        lexical -= set(self.lexical.pending_sources())  # awaiting vectors, by design
        return Consistency(lexical_only=tuple(sorted(lexical - vectors)),
                           vector_only=tuple(sorted(vectors - lexical)))

    @staticmethod
    def wipe(settings: "Settings") -> None:
        """Delete the index without opening it (works when its files are damaged)."""
        from netops.rag.vectors import ChromaVectors

        db = settings.paths.kb_db
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            path.unlink(missing_ok=True)
        if settings.chroma_url or settings.paths.chroma_dir.exists():
            ChromaVectors(settings).reset()

    def reset(self) -> None:
        """Delete the whole index (documents, chunks, vectors, embedder record)."""
        self.lexical.clear()
        if self.settings.chroma_url or self.paths.chroma_dir.exists():
            self.vectors.reset()
        self._vectors_checked = False
        if self._embedder is None:
            self._embedder_resolved = False

    # search ----------------------------------------------------------------------------
    def glossary(self) -> dict[str, list[str]]:
        if self._glossary is None:
            from netops.plugins import glossary_files

            self._glossary = {}
            # netops' own glossary first; plugins' glossaries only add acronyms it lacks.
            for path in (self.paths.knowledge_dir / "glossary.md", *glossary_files()):
                if not Path(path).is_file():
                    continue
                try:
                    from netops.rag.glossary import load_glossary

                    entries = load_glossary(Path(path))
                except (ImportError, KnowledgeError, OSError):
                    continue
                for key, expansions in entries.items():
                    self._glossary.setdefault(key, expansions)
        return self._glossary

    def expand(self, query: str) -> str:
        """The query with glossary expansions (acronyms <-> spelled out) and the other spelling
        of British/American words (``neighbour`` <-> ``neighbor``) appended."""
        from netops.rag.spelling import expand_spelling

        glossary = self.glossary()
        if glossary:
            from netops.rag.glossary import expand_query

            query = expand_query(query, glossary)
        return expand_spelling(query)

    def search(self, query: str, top_k: int | None = None, mode: Mode = "hybrid", *,
               ranking: Ranking | None = None) -> list[Hit]:
        """Best passages for ``query``: dense, lexical (BM25) or both fused (:func:`~netops.rag.fusion.rank`).

        Passage text comes back with secrets redacted (:func:`netops.privacy.redact_text`): a
        team's runbook may hold a pasted configuration, and hits go to the model and the screen.
        """
        return redacted_hits(self._search(query, top_k, mode, ranking=ranking))

    def _search(self, query: str, top_k: int | None, mode: Mode, *, ranking: Ranking | None) -> list[Hit]:
        """:meth:`search` before redaction.

        At most one hit per section (its best chunk); hits from a document the query names
        (``RFC 4271``) come first. ``ranking`` overrides the tuned defaults (see
        :class:`~netops.rag.fusion.Ranking`). Lexical-only indexes answer ``hybrid`` with lexical hits
        (each ``Hit.mode`` says so).
        """
        query = (query or "").strip()
        if not query:
            raise InputError("the query is empty", hint="ask something, e.g. 'BGP hold timer'")
        if mode not in MODES:
            raise InputError(f"unknown search mode {mode!r}", hint="use hybrid, dense or lexical")
        k = top_k or self.settings.kb.top_k
        if k < 1:
            raise InputError("top-k must be at least 1")
        if mode == "dense" and self.embedder is None:
            raise ConfigError("dense search needs an embedder, but the knowledge base is lexical-only",
                              hint="set NETOPS_KB__EMBEDDER=minilm (or auto) and rebuild: netops kb reset --yes")
        if self.is_empty():
            return []  # nothing to find; and no reason to load an embedding model
        r = ranking or Ranking()
        pool = r.pool(k)
        if mode != "lexical" and self.embedder is not None and self.vectors_pending:
            if mode == "dense":
                raise KnowledgeError(
                    f"the dense index is still being built ({self.vectors_pending} documents to embed)",
                    hint="use --mode lexical or hybrid meanwhile, or finish it now: netops kb init")
            mode = "lexical"  # answer now from the complete lexical index; Hit.mode says so
        if mode == "lexical" or self.embedder is None:
            self._check_format()
            lexical = self.lexical.search(self.expand(query), pool, heading_weight=r.heading_weight)
            return self._glossary_last(query, rank(query, [], lexical, 2 * k, r, mode="lexical"), k)
        self._check_for_search()
        pending = None
        if mode == "hybrid" and self.parallel_search:
            self.glossary()  # loaded here, never by two threads at once
            pending = self._lexical_worker().submit(self._lexical_side, query, pool, r)
        try:
            dense_query = self.expand(query) if r.expand_dense else query
            qvec = self.embedder.embed_query(dense_query)
            dense = self.vectors.query(qvec, pool, lookup=self.lexical.chunks)
        except BaseException:
            if pending is not None:
                from concurrent.futures import wait

                wait([pending])  # the worker must be off the database before anyone closes it
            raise
        if mode == "dense":
            return self._glossary_last(query, rank(query, dense, [], 2 * k, r, mode="dense"), k)
        lexical_query, lexical = pending.result() if pending is not None else self._lexical_side(query, pool, r)
        full = None
        if r.fusion == "zsum" and r.full_scores:
            # both scores for every candidate: what the other side thinks of it, not a guess
            union = [c.chunk_id for c, _ in dense] + [c.chunk_id for c, _ in lexical]
            full = (self.vectors.similarities(qvec, union),
                    self.lexical.scores(lexical_query, union, heading_weight=r.heading_weight))
        return self._glossary_last(query, rank(query, dense, lexical, 2 * k, r, mode="hybrid", full=full), k)

    def _glossary_last(self, query: str, hits: list[Hit], k: int) -> list[Hit]:
        """The top ``k`` of ``hits`` (ranked to ``2 * k``, from the candidates of ``k``), the
        glossary's after every other document's, unless ``query`` asks what a term means. The
        glossary-expanded query spells out each acronym it uses, and the glossary is the one
        document that holds every acronym next to its expansion, so it matched first for questions
        it cannot answer ("how does an OSPF router decide which neighbours become adjacent?" cited
        the glossary's IGP list before RFC 2328 §10.4). Moved after the cut at ``k``, a glossary hit
        still took a place another document's next hit should have had: "what is the BDR for?" got
        the glossary's IGP list third, RFC 2328 §7.4 (The Backup Designated Router) fourth, cut."""
        hits = _distinct(hits)
        if not hits or definition_question(query):
            return hits[:k]
        glossaries = self._glossary_sources()

        def glossary(hit: Hit) -> bool:   # the configured glossaries, or any file named like one
            return hit.chunk.source in glossaries or Path(hit.chunk.source).name.lower() == "glossary.md"

        if not any(glossary(h) for h in hits):
            return hits[:k]
        return ([h for h in hits if not glossary(h)] + [h for h in hits if glossary(h)])[:k]

    def _glossary_sources(self) -> set[str]:
        """The glossary files' resolved paths (worked out once: every search asks)."""
        if self._glossary_paths is None:
            from netops.plugins import glossary_files

            out = set()
            for path in (self.paths.knowledge_dir / "glossary.md", *glossary_files()):
                try:
                    out.add(str(Path(path).expanduser().resolve()))
                except OSError:
                    continue
            self._glossary_paths = out
        return self._glossary_paths

    def _lexical_side(self, query: str, pool: int, r: Ranking) -> tuple[str, list[tuple[Chunk, float]]]:
        """The glossary-expanded query and its BM25 candidates."""
        lexical_query = self.expand(query)
        return lexical_query, self.lexical.search(lexical_query, pool, heading_weight=r.heading_weight)

    def _lexical_worker(self) -> "ThreadPoolExecutor":
        with self._worker_lock:
            if self._worker is None:
                from concurrent.futures import ThreadPoolExecutor

                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netops-kb-lexical")
            return self._worker


def _distinct(hits: list[Hit]) -> list[Hit]:
    """``hits`` without a passage whose text an earlier (better) hit already has.

    A team's folder holds copies (``runbook.md`` and ``runbook-copy.md``, the same wiki page
    exported twice, an RFC as ``.txt`` and ``.txt.gz``): each copy is a document of its own,
    but the same words twice filled the results with one answer and pushed the next one out."""
    seen: set[str] = set()
    out: list[Hit] = []
    for hit in hits:
        text = " ".join(hit.chunk.text.split()).casefold()
        if text in seen:
            continue
        seen.add(text)
        out.append(hit)
    return out


def redacted_chunk(chunk: Chunk) -> Chunk:
    """``chunk`` with its text through :func:`netops.privacy.redact_text` (the same object when
    nothing changes; the index's own chunks are never modified)."""
    from netops.privacy import redact_text

    text = redact_text(chunk.text) or chunk.text
    return chunk if text == chunk.text else dataclasses.replace(chunk, text=text)


def redacted_hits(hits: list[Hit]) -> list[Hit]:
    out = []
    for hit in hits:
        chunk = redacted_chunk(hit.chunk)
        out.append(hit if chunk is hit.chunk else dataclasses.replace(hit, chunk=chunk))
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _pin_source(info: DocumentInfo, chunks: list[Chunk], source: str) -> tuple[DocumentInfo, list[Chunk]]:
    """Key everything by the resolved path we hashed, whatever the loader reported."""
    if info.source != source:
        info = dataclasses.replace(info, source=source)
    if any(c.source != source for c in chunks):
        chunks = [dataclasses.replace(c, source=source) for c in chunks]
    return info, chunks


def _problem_items(problems) -> list[tuple[str, str]]:
    """``discover`` problems as (path, reason), whether a dict or a list of pairs/objects."""
    if not problems:
        return []
    if isinstance(problems, dict):
        return [(str(k), str(v)) for k, v in problems.items()]
    out = []
    for p in problems:
        if isinstance(p, tuple) and len(p) == 2:
            out.append((str(p[0]), str(p[1])))
        else:
            out.append((str(getattr(p, "path", getattr(p, "source", p))), str(getattr(p, "reason", p))))
    return out


def merge_reports(total: IngestReport, part: IngestReport) -> None:
    """Fold ``part`` into ``total``."""
    total.added += part.added
    total.updated += part.updated
    total.unchanged += part.unchanged
    total.failed.update(part.failed)
    total.removed += part.removed
    total.notes.update(part.notes)
    total.chunks += part.chunks
    total.seconds += part.seconds


class _VectorLock:
    """An exclusive, non-blocking ``flock`` next to the index: one vector writer at a time."""

    def __init__(self, db: Path, *, record: bool = True) -> None:
        self.path = db.with_name("vectors.lock")
        self.record = record
        self._fh = None

    def __enter__(self) -> bool:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._fh.close()
            self._fh = None
            return False
        if self.record:
            import os

            self._fh.truncate(0)  # who holds it, for whoever needs to stop it
            self._fh.write(f"{os.getpid()}\n")
            self._fh.flush()
        return True

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            if self.record:
                self._fh.truncate(0)
            self._fh.close()  # releases the lock
            self._fh = None
