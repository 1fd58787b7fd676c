"""The dense side of the knowledge index: ChromaDB, written through llama-index's ``ChromaVectorStore``.

Embedded (``chromadb.PersistentClient`` under ``settings.paths.chroma_dir``) by default, or a
shared server (``chromadb.HttpClient``) when ``settings.chroma_url`` is set. Vectors are always
precomputed by our embedder; the collection has no embedding function, so Chroma never tries to
fetch its default ONNX model. Each node carries the chunk's citation metadata and text, so a
shared index is searchable from a machine that lacks the lexical database.

Every chromadb/httpx error is translated here: an unreachable server becomes
:class:`BackendUnavailable`, anything else :class:`KnowledgeError`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping
from urllib.parse import urlparse

from netops.errors import BackendUnavailable, ConfigError, IndexMismatchError, KnowledgeError, NetopsError
from netops.rag.types import Chunk

if TYPE_CHECKING:
    from netops.settings import Settings

COLLECTION = "netops-kb"
META_FINGERPRINT = "netops_embedder"
META_FORMAT = "netops_index_format"
_HEADING_SEP = " > "


def _quiet_env() -> None:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _llama_settings() -> None:
    """llama-index must never reach for OpenAI: give it the MockLLM that ``Settings.llm = None``
    would. Not through that setter: it imports langchain_core (~0.7 s) only for an isinstance
    check, and prints."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core.llms.mock import MockLLM

    if getattr(LlamaSettings, "_llm", None) is None:
        LlamaSettings._llm = MockLLM()


class ChromaVectors:
    """Chunk vectors in one Chroma collection, keyed by ``chunk_id`` (``source#ordinal``)."""

    def __init__(self, settings: "Settings", *, collection: str = COLLECTION) -> None:
        self.url = settings.chroma_url
        self.path: Path = settings.paths.chroma_dir
        self.collection_name = collection
        self._store = None
        self._collection = None
        self._client = None

    @property
    def remote(self) -> bool:
        return bool(self.url)

    @property
    def where(self) -> str:
        return self.url or str(self.path)

    # errors ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except NetopsError:
            raise
        except Exception as exc:  # chromadb raises ValueError, httpx errors, its own types
            if self.remote and _looks_unreachable(exc):
                raise BackendUnavailable(
                    f"Chroma server at {self.url} is unreachable ({action})",
                    hint="start it (chroma run --path DIR) or unset NETOPS_CHROMA_URL",
                ) from exc
            raise KnowledgeError(
                f"vector index {action} failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                hint="netops kb reset --yes rebuilds the index",
            ) from exc

    # opening ---------------------------------------------------------------------------
    def _open(self):
        """The Chroma collection (chromadb only: reads never import llama-index)."""
        if self._collection is not None:
            return self._collection
        _quiet_env()
        with self._guard("open"):
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if self.remote:
                host, port, ssl = _parse_url(self.url or "")
                client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(self.path), settings=chroma_settings)
            collection = client.get_or_create_collection(
                self.collection_name,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._client = client
            self._collection = collection
        return self._collection

    def _writer(self):
        """llama-index's ``ChromaVectorStore`` over the collection: ingestion writes go through it."""
        if self._store is None:
            collection = self._open()
            with self._guard("open"):
                from llama_index.vector_stores.chroma import ChromaVectorStore

                _llama_settings()
                self._store = ChromaVectorStore(chroma_collection=collection)
        return self._store

    # metadata --------------------------------------------------------------------------
    def fingerprint(self) -> str | None:
        """Which embedder wrote these vectors (recorded on the collection)."""
        self._open()
        with self._guard("read metadata"):
            return (self._collection.metadata or {}).get(META_FINGERPRINT)

    def index_format(self) -> int | None:
        """The index format recorded on the collection (None: written before formats existed)."""
        self._open()
        with self._guard("read metadata"):
            value = (self._collection.metadata or {}).get(META_FORMAT)
        return int(value) if value is not None else None

    def claim(self, fingerprint: str, *, index_format: int | None = None) -> None:
        """Record ``fingerprint`` (and the index format) on the collection; refuse when it holds
        vectors of another embedder."""
        current = self.fingerprint()
        if current == fingerprint and (index_format is None or self.index_format() == index_format):
            return
        if current and self.count() > 0:
            raise IndexMismatchError(
                f"the vector index at {self.where} was built with {current}, not {fingerprint}",
                hint="netops kb reset --yes (rebuild), or set NETOPS_KB__EMBEDDER back to "
                     f"{current.split(':', 1)[0]}",
            )
        with self._guard("write metadata"):
            meta = dict(self._collection.metadata or {})
            meta[META_FINGERPRINT] = fingerprint
            if index_format is not None:
                meta[META_FORMAT] = index_format
            self._collection.modify(metadata=meta)

    # data ------------------------------------------------------------------------------
    def count(self) -> int:
        self._open()
        with self._guard("count"):
            return int(self._collection.count())

    def replace(self, chunks_by_source: dict[str, list[Chunk]], embeddings: list[list[float]]) -> None:
        """Drop the vectors of every listed source, then add these (in the dict's chunk order).

        One delete and one add for a whole group of documents: each Chroma write costs a fixed
        ~30 ms (its own commit), so per-document writes would dominate small files.
        """
        store = self._writer()
        chunks = [c for cs in chunks_by_source.values() for c in cs]
        nodes = [_node(c, e) for c, e in zip(chunks, embeddings, strict=True)]
        with self._guard("write"):
            self._delete_where(list(chunks_by_source))
            step = self._max_batch()
            for i in range(0, len(nodes), step):
                store.add(nodes[i:i + step])

    def _max_batch(self) -> int:
        """Chroma refuses bigger writes (5461 records embedded; the server says its own)."""
        try:
            return max(1, int(self._client.get_max_batch_size()))
        except Exception:  # older servers lack the call; a conservative default
            return 1000

    def delete(self, sources: str | list[str]) -> None:
        """Drop every vector of these sources."""
        self._open()
        with self._guard("delete"):
            self._delete_where([sources] if isinstance(sources, str) else list(sources))

    def _delete_where(self, sources: list[str]) -> None:
        if not sources:
            return
        # llama-index stores the node's ref_doc_id (our source) as "document_id"
        where = {"document_id": sources[0]} if len(sources) == 1 else {"document_id": {"$in": sources}}
        self._collection.delete(where=where)

    def sources(self) -> set[str]:
        """Every source that has vectors (reads all metadata: for checks, not hot paths)."""
        self._open()
        with self._guard("read"):
            got = self._collection.get(include=["metadatas"])
        return {m.get("document_id") or m.get("source", "") for m in got.get("metadatas") or []}

    def query(self, embedding: list[float], limit: int, *,
              lookup: Callable[[list[str]], Mapping[str, Chunk]] | None = None) -> list[tuple[Chunk, float]]:
        """Nearest ``limit`` chunks with cosine similarity (higher is better).

        Asks chromadb directly: llama-index's store adds ~1 s of imports to a cold search and
        nothing the answer needs (the node JSON it wrote is read back here). ``lookup`` (chunk
        ids -> chunks, the lexical registry's :meth:`~netops.rag.lexical.LexicalIndex.chunks`)
        lets a local index ask Chroma for ids and distances only: reading 30 records' metadata
        and text back from Chroma took most of a dense query (measured 7.6 ms of which the
        nearest-neighbour search was 2.3), and the registry holds the same chunks. Ids the
        lookup does not know are read from Chroma as before.
        """
        collection = self._open()
        if lookup is None or self.remote:  # a shared index: its records are the only truth here
            with self._guard("query"):
                got = collection.query(query_embeddings=[embedding], n_results=limit,
                                       include=["metadatas", "documents", "distances"])
            metas = (got.get("metadatas") or [[]])[0] or []
            docs = (got.get("documents") or [[]])[0] or []
            dists = (got.get("distances") or [[]])[0] or []
            return [(_chunk_from_record(m or {}, d), 1.0 - float(dist))
                    for m, d, dist in zip(metas, docs, dists, strict=False)]
        with self._guard("query"):
            got = collection.query(query_embeddings=[embedding], n_results=limit, include=["distances"])
        ids = (got.get("ids") or [[]])[0] or []
        dists = (got.get("distances") or [[]])[0] or []
        known = dict(lookup(list(ids)))
        missing = [i for i in ids if i not in known]
        if missing:
            with self._guard("read"):
                extra = collection.get(ids=missing, include=["metadatas", "documents"])
            for i, m, d in zip(extra.get("ids") or [], extra.get("metadatas") or [], extra.get("documents") or [],
                               strict=False):
                known[i] = _chunk_from_record(m or {}, d)
        return [(known[i], 1.0 - float(dist)) for i, dist in zip(ids, dists, strict=False) if i in known]

    def similarities(self, embedding: list[float], chunk_ids: list[str]) -> dict[str, float]:
        """Cosine similarity of ``embedding`` to each of these chunks' stored vectors (missing
        chunks are left out): the dense score of candidates the lexical side found."""
        import numpy as np

        ids = list(dict.fromkeys(chunk_ids))
        if not ids:
            return {}
        collection = self._open()
        with self._guard("read"):
            got = collection.get(ids=ids, include=["embeddings"])
        vecs = got.get("embeddings")
        if vecs is None or len(vecs) == 0:
            return {}
        m = np.asarray(vecs, dtype=np.float32)
        q = np.asarray(embedding, dtype=np.float32)
        norms = np.linalg.norm(m, axis=1) * max(float(np.linalg.norm(q)), 1e-12)
        sims = (m @ q) / np.maximum(norms, 1e-12)
        return {cid: float(s) for cid, s in zip(got["ids"], sims)}

    def reset(self) -> None:
        """Delete the collection (recreated empty on next use); a local index that cannot be
        opened or cleared (damaged files) is removed from disk instead."""
        try:
            self._open()
            with self._guard("reset"):
                self._client.delete_collection(self.collection_name)
        except KnowledgeError:
            if self.remote:
                raise
            self._wipe_local()
        self._store = self._collection = self._client = None

    def _wipe_local(self) -> None:
        import shutil

        from chromadb.api.shared_system_client import SharedSystemClient

        # chromadb caches one client system per path in the process; drop it with the files
        SharedSystemClient.clear_system_cache()
        shutil.rmtree(self.path, ignore_errors=True)

    def size_bytes(self) -> int | None:
        if self.remote or not self.path.exists():
            return None if self.remote else 0
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def _parse_url(url: str) -> tuple[str, int, bool]:
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if not parsed.hostname:
        raise ConfigError(f"NETOPS_CHROMA_URL {url!r} has no host", hint="e.g. http://127.0.0.1:8000")
    ssl = parsed.scheme == "https"
    return parsed.hostname, parsed.port or (443 if ssl else 8000), ssl


def _looks_unreachable(exc: BaseException) -> bool:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        name = type(exc).__name__
        text = str(exc).lower()
        if isinstance(exc, (ConnectionError, TimeoutError)) or name in {
            "ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError", "ReadError",
            "WriteError", "PoolTimeout", "NetworkError",
        }:
            return True
        if "could not connect" in text or "connection refused" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _node(chunk: Chunk, embedding: list[float]):
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    return TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        embedding=embedding,
        metadata={
            "doc_id": chunk.doc_id,
            "source": chunk.source,
            "ordinal": chunk.ordinal,
            "section": chunk.section,
            "section_title": chunk.section_title,
            "heading_path": _HEADING_SEP.join(chunk.heading_path),
            "page": chunk.page if chunk.page is not None else -1,
            "title": chunk.title,
        },
        # ref_doc_id == source lets ChromaVectorStore.delete(ref_doc_id=source) drop a document
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.source)},
    )


def _chunk_from_record(meta: dict, document: str | None) -> Chunk:
    """A chunk from one Chroma record as llama-index wrote it.

    llama-index overwrites the flat ``doc_id`` key with the node's ref_doc_id (our source), so
    our own metadata is taken from the node JSON it keeps in ``_node_content``.
    """
    import json

    own = meta
    text = document
    raw = meta.get("_node_content")
    if isinstance(raw, str):
        try:
            node = json.loads(raw)
            own = node.get("metadata") or meta
            text = text or node.get("text")
        except ValueError:
            pass
    page = own.get("page")
    path = own.get("heading_path") or ""
    return Chunk(
        doc_id=str(own.get("doc_id", "")),
        source=str(own.get("source", "")),
        ordinal=int(own.get("ordinal", 0)),
        text=text or "",
        section=str(own.get("section", "")),
        section_title=str(own.get("section_title", "")),
        heading_path=tuple(path.split(_HEADING_SEP)) if path else (),
        page=int(page) if isinstance(page, int) and page >= 0 else None,
        title=str(own.get("title", "")),
    )
