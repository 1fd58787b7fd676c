"""Find the indexed passages behind a citation label (what an evidence viewer shows).

``RFC 4271 §10 (BGP Timers)`` names a document and a section; the passages are read back
from the lexical registry, in document order, so the reader sees the cited text itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netops.rag.types import Chunk

if TYPE_CHECKING:
    from netops.rag.kb import KnowledgeBase


def passages_for(kb: "KnowledgeBase", citation: str, limit: int = 12) -> list[Chunk]:
    """The chunks whose citation is ``citation`` (at most ``limit``; empty when none match),
    their text redacted as search results are.

    Documents are narrowed by their id (the label's prefix) before any chunk is read.
    """
    from netops.rag.kb import redacted_chunk

    return [redacted_chunk(c) for c in _passages(kb, citation, limit)]


def _passages(kb: "KnowledgeBase", citation: str, limit: int) -> list[Chunk]:
    citation = citation.strip()
    docs = [d for d in kb.list() if citation == d.doc_id or citation.startswith(d.doc_id + " ")]
    docs.sort(key=lambda d: len(d.doc_id), reverse=True)
    found: list[Chunk] = []
    for doc in docs:
        for chunk in kb.lexical.iter_chunks(doc.source):
            if chunk.citation == citation:
                found.append(chunk)
                if len(found) >= limit:
                    return found
        if found:
            return found
    return found
