"""Retrieval-only answers: the best passages with their citations, no language model.

The assistant layer reuses :func:`retrieval_answer` as its offline fallback.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from netops.markdown import headings_as_sentences, plain_labels
from netops.rag.types import Chunk, Hit

if TYPE_CHECKING:
    from collections.abc import Callable

    from netops.rag.kb import KnowledgeBase

LABEL = "retrieval-only answer (no language model used)"
SNIPPET_CHARS = 600


@dataclass
class Answer:
    """An answer with the evidence it rests on."""

    question: str
    text: str
    citations: list[str]
    hits: list[Hit]
    mode: str = "retrieval"
    model: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    """Milliseconds per phase (``retrieve``, ``total``)."""
    notice: str | None = None
    """Something the reader should know (lexical-only index, nothing found)."""

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "citations": self.citations,
            "hits": [h.to_dict() for h in self.hits],
            "mode": self.mode,
            "model": self.model,
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
            "notice": self.notice,
        }


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Collapse whitespace and cut at a word boundary near ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def retrieval_answer(kb: "KnowledgeBase", question: str, top_k: int = 3, *,
                     prefer: Callable[[Chunk], bool] | None = None) -> Answer:
    """Answer ``question`` with the ``top_k`` best passages, each with its citation; with ``prefer``,
    the passages it accepts (among twice as many found) come first."""
    started = time.perf_counter()
    hits = kb.search(question, top_k=top_k * 2 if prefer else top_k)
    if prefer is not None:
        hits = sorted(hits, key=lambda h: not prefer(h.chunk))[:top_k]
    retrieved = time.perf_counter()
    citations: list[str] = []
    for h in hits:
        if h.chunk.citation not in citations:
            citations.append(h.chunk.citation)
    notice = "the knowledge base is lexical-only (no embedder)" if kb.lexical_only else None
    if hits and not kb.lexical_only and all(h.mode == "lexical" for h in hits):
        pending = kb.vectors_pending
        notice = ("answered by lexical search (BM25): the dense index is still being built "
                  f"({pending} documents to embed); hybrid search follows when it is done") if pending else None
    if not hits:
        text = f"{LABEL}: nothing in the knowledge base matches this question."
        notice = "no passages found; add documents with `netops kb add` or `netops kb pull`"
    else:
        parts = [f"{LABEL}. The most relevant passages:"]
        for i, h in enumerate(hits, start=1):
            # flattened: its headings as sentences (a first chunk's "# Title" made the whole passage one
            # heading), and a copy of netops's own labels ("**Found:** ...") as the document's words
            parts.append(f"[{i}] {h.chunk.citation}\n{snippet(plain_labels(headings_as_sentences(h.chunk.text)))}")
        text = "\n\n".join(parts)
    done = time.perf_counter()
    return Answer(
        question=question,
        text=text,
        citations=citations,
        hits=hits,
        timings={"retrieve": (retrieved - started) * 1000, "total": (done - started) * 1000},
        notice=notice,
    )
