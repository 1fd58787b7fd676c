"""Reciprocal-rank fusion, and how a search turns candidate lists into hits (:func:`rank`).

RRF merges ranked lists without comparing their scores:

``score(d) = sum over lists of 1 / (k + rank(d))`` with 1-based ranks and ``k = 60``
(Cormack, Clarke & Buettcher, SIGIR 2009). Documents missing from a list contribute nothing
for it. Ties keep the order of first appearance (dense list first), so results are stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Hashable, Iterable, Sequence

if TYPE_CHECKING:
    from netops.rag.types import Chunk, Hit

RRF_K = 60


@dataclass(frozen=True)
class Fused:
    """One fused item: its key, fused score and its 1-based rank in each input (None if absent)."""

    key: Hashable
    score: float
    ranks: tuple[int | None, ...]


def rrf(rankings: Sequence[Sequence[Hashable]], *, k: int = RRF_K,
        weights: Sequence[float] | None = None) -> list[Fused]:
    """Fuse ranked key lists (best first) into one list, best first."""
    if k < 0:
        raise ValueError("k must be >= 0")
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[Hashable, float] = {}
    ranks: dict[Hashable, list[int | None]] = {}
    for i, ranking in enumerate(rankings):
        seen: set[Hashable] = set()
        for rank, key in enumerate(ranking, start=1):
            if key in seen:  # a duplicate within one list counts once, at its best rank
                continue
            seen.add(key)
            if key not in scores:
                scores[key] = 0.0
                ranks[key] = [None] * len(rankings)
            scores[key] += weights[i] / (k + rank)
            ranks[key][i] = rank
    order = {key: n for n, key in enumerate(scores)}
    fused = sorted(scores, key=lambda key: (-scores[key], order[key]))
    return [Fused(key, scores[key], tuple(ranks[key])) for key in fused]


# Ranking a search: per-list section collapse, weighted RRF, named-document boost -------------

@dataclass(frozen=True)
class Ranking:
    """How :meth:`KnowledgeBase.search` turns candidate lists into hits (defaults are tuned on
    the odd-numbered lines of bench/questions/rfc.jsonl and checked on the even ones; see
    bench/README.md)."""

    rrf_k: int = 10
    """RRF constant: small k lets the first few ranks of each list dominate."""
    lexical_weight: float = 1.5
    """Weight of the BM25 list against the dense list (1.0)."""
    heading_weight: float = 0.5
    """BM25 weight of the heading column (doc id, section number and title) vs the passage."""
    one_per_section: bool = True
    """Collapse each list to one chunk per section before fusing and taking the top k."""
    boost_named_docs: bool = True
    """Put hits from a document the query names (``RFC 4271``, ``TS 23.501``) first."""
    expand_dense: bool = False
    """Also embed the glossary-expanded query (the lexical side always uses it)."""
    pool_factor: int = 6
    min_pool: int = 30

    def pool(self, k: int) -> int:
        """Candidates fetched per side for ``k`` results (collapsing needs headroom)."""
        return max(k * self.pool_factor, self.min_pool)


_RFC_NAMED = re.compile(r"\bRFC[\s-]?0*(\d{1,5})\b", re.IGNORECASE)


def named_documents(query: str, doc_ids: Iterable[str]) -> set[str]:
    """The doc ids among ``doc_ids`` that ``query`` names (``RFC 4271``, ``rfc4271``, ``TS 23.501``)."""
    rfcs = {f"RFC {int(n)}" for n in _RFC_NAMED.findall(query)}
    flat = " ".join(query.split()).casefold()
    named = set()
    for doc_id in doc_ids:
        if doc_id in rfcs:
            named.add(doc_id)
        elif doc_id and not doc_id.upper().startswith("RFC ") and len(doc_id) >= 4 \
                and re.search(rf"(?<![\w.]){re.escape(doc_id.casefold())}(?![\w])", flat):
            named.add(doc_id)
    return named


def section_key(chunk: "Chunk") -> Hashable:
    """A chunk's section: (source, number, title, heading path); the chunk itself when it has none."""
    if not (chunk.section or chunk.section_title or chunk.heading_path):
        return chunk.chunk_id
    return (chunk.source, chunk.section, chunk.section_title, chunk.heading_path)


def rank(query: str, dense: Sequence[tuple["Chunk", float]], lexical: Sequence[tuple["Chunk", float]],
         k: int, ranking: Ranking, *, mode: str) -> list["Hit"]:
    """Fuse dense and lexical candidates (best first) into the top ``k`` hits for ``query``.

    Each list is collapsed to its best chunk per section first, so one long section cannot
    fill the results and a section's rank reflects its best passage. The section shown is
    represented by its best chunk under chunk-level fusion.
    """
    from netops.rag.types import Hit

    key = section_key if ranking.one_per_section else (lambda c: c.chunk_id)
    chunks: dict[str, Chunk] = {c.chunk_id: c for c, _ in dense}
    chunks.update({c.chunk_id: c for c, _ in lexical})  # registry metadata wins when both exist
    lists = [[c.chunk_id for c, _ in dense], [c.chunk_id for c, _ in lexical]]
    weights = [1.0, ranking.lexical_weight]
    # the best chunk of each section under chunk-level fusion represents it
    best: dict[Hashable, str] = {}
    for f in rrf(lists, k=ranking.rrf_k, weights=weights):
        best.setdefault(key(chunks[f.key]), f.key)
    # dedupe before fusing: ranks must count sections, not the chunks collapsed into them
    section_lists = [list(dict.fromkeys(key(chunks[cid]) for cid in ids)) for ids in lists]
    fused = rrf(section_lists, k=ranking.rrf_k, weights=weights)
    if ranking.boost_named_docs:
        named = named_documents(query, {c.doc_id for c in chunks.values()})
        if named:
            fused = sorted(fused, key=lambda f: chunks[best[f.key]].doc_id not in named)  # stable
    return [Hit(chunk=chunks[best[f.key]], score=f.score, dense_rank=f.ranks[0], lexical_rank=f.ranks[1],
                mode=mode) for f in fused[:k]]
