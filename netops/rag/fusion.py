"""How a search turns its dense and lexical candidates into hits (:func:`rank`).

Hybrid search fuses the two lists by **standardised scores** (``fusion="zsum"``, the default):

* each list is collapsed to its best chunk per section;
* each side's section scores (cosine, BM25) become z-scores over the candidates, so a
  passage that stands out from the rest counts for a lot and a flat list counts for little;
  a candidate the other side did not return gets that side's real score when the caller
  passes it (``full``: :meth:`LexicalIndex.scores`, :meth:`ChromaVectors.similarities`),
  otherwise the lowest z-score of that side;
* the fused score is ``a * z_lexical + (1 - a) * z_dense`` with ``a`` set *per query*: starting
  from ``lexical_share``, each side's weight is scaled by how far its own best candidate
  stands out (its top z-score). A query whose words single out one passage is decided by BM25;
  a paraphrase that matches no rare word is decided by the embedding.

Why not reciprocal-rank fusion (still available, ``fusion="rrf"``: ``sum of w / (k + rank)``,
Cormack, Clarke & Buettcher, SIGIR 2009): ranks throw away *how sure* each side is. On short
passages, where the dense side is much weaker, RRF let a middling dense rank overturn a
clear BM25 winner and scored below lexical alone; the z-score sum keeps it
(bench/README.md). Ties keep the order of first appearance (lexical list first).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Hashable, Iterable, Mapping, Sequence

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
    the tuning sets only -- bench/questions/rfc.jsonl and short passages cut from the same RFCs
    -- and reported on independent check sets; see bench/README.md)."""

    fusion: str = "zsum"
    """``zsum`` (standardised score sum, query-adaptive) or ``rrf`` (weighted reciprocal rank)."""
    lexical_share: float = 0.6
    """zsum: the lexical side's share ``a`` of the fused score before per-query adaptation."""
    adaptive: bool = True
    """zsum: scale each side's share by how far its best candidate stands out (top z-score)."""
    full_scores: bool = False
    """zsum: look up each side's score of the candidates only the other side returned (measured:
    no better on the tuning sets than the lowest z-score stand-in, and two extra lookups)."""
    rrf_k: int = 10
    """RRF constant: small k lets the first few ranks of each list dominate."""
    lexical_weight: float = 1.5
    """RRF: weight of the BM25 list against the dense list (1.0)."""
    heading_weight: float = 0.5
    """BM25 weight of the heading column (doc id, section number and title) vs the passage."""
    one_per_section: bool = True
    """Collapse each list to one chunk per section before fusing and taking the top k."""
    boost_named_docs: bool = True
    """Put hits from a document the query names (``RFC 4271``, ``TS 23.501``) first."""
    boost_identifiers: bool = True
    """Put sections holding every protocol identifier the query spells (``RouterDeadInterval``,
    ``HoldTime``, ``ExStart``: see :func:`identifiers`) before those that hold none of them."""
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


_SPEC_NAMED = re.compile(r"\b(TS|TR)[\s-]?(\d{2}\.\d{3})\b", re.IGNORECASE)


def absent_documents(query: str, doc_ids: Iterable[str]) -> list[str]:
    """The documents ``query`` names by number (``RFC 793``, ``TS 23.502``) that are not among
    ``doc_ids``, in the order named."""
    held = set(doc_ids)
    named = [(m.start(), f"RFC {int(m.group(1))}") for m in _RFC_NAMED.finditer(query)]
    named += [(m.start(), f"{m.group(1).upper()} {m.group(2)}") for m in _SPEC_NAMED.finditer(query)]
    return [d for d in dict.fromkeys(d for _, d in sorted(named)) if d not in held]


_IDENTIFIER = re.compile(r"(?<![\w-])(?=[A-Za-z]*[a-z][A-Z])(?=(?:[^A-Z\W]*[A-Z]){2})(?=(?:[^a-z\W]*[a-z]){3})"
                         r"[A-Za-z]+(?![\w-])")


def identifiers(query: str) -> list[str]:
    """The identifiers ``query`` spells the way specifications name their constants, timers and
    states: a word with a lower-case letter before a capital, two capitals and three lower-case
    letters at least (``RouterDeadInterval``, ``HoldTime``, ``ExStart``, ``MaxAge``), not a
    prefixed acronym (``eBGP``, ``iBGP``) nor a version (``OSPFv2``, ``IPv6``)."""
    return list(dict.fromkeys(m.group(0) for m in _IDENTIFIER.finditer(query)))


def _spelt_first(query: str, order: list, chunks: Iterable["Chunk"], key: Callable[["Chunk"], Hashable]) -> list:
    """``order`` (section keys) with the sections whose candidate passages spell every identifier of
    ``query`` first, each part in its order; unchanged when the query spells none or no section
    holds them all. "the default RouterDeadInterval": a section that spells it answers before one
    that is only near it in meaning."""
    idents = identifiers(query)
    if not idents:
        return order
    texts: dict[Hashable, list[str]] = {}
    for c in chunks:
        texts.setdefault(key(c), []).append(f"{c.section_title}\n{c.text}")
    # spelt as one word or as its words ("HoldTimer", "Hold Timer", "hold-timer"): prose says it both ways
    # ("HoldTimer_Expires", RFC 4271's event, holds it too)
    words = [re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", i) for i in idents]
    spelt = [re.compile(r"(?<![A-Za-z0-9])" + r"[\s_-]*".join(map(re.escape, w)) + r"(?![A-Za-z0-9])", re.IGNORECASE)
             for w in words]
    holds = {x: all(p.search("\n".join(texts.get(x, ()))) for p in spelt) for x in order}
    return sorted(order, key=lambda x: not holds[x]) if any(holds.values()) else order


def section_key(chunk: "Chunk") -> Hashable:
    """A chunk's section: (source, number, title, heading path); the chunk itself when it has none."""
    if not (chunk.section or chunk.section_title or chunk.heading_path):
        return chunk.chunk_id
    return (chunk.source, chunk.section, chunk.section_title, chunk.heading_path)


def rank(query: str, dense: Sequence[tuple["Chunk", float]], lexical: Sequence[tuple["Chunk", float]],
         k: int, ranking: Ranking, *, mode: str,
         full: tuple[Mapping[str, float], Mapping[str, float]] | None = None) -> list["Hit"]:
    """Fuse dense and lexical candidates (best first) into the top ``k`` hits for ``query``.

    Each list is collapsed to its best chunk per section first, so one long section cannot
    fill the results and a section's rank reflects its best passage. ``full`` optionally
    gives (dense, lexical) scores by chunk id for candidates either side found (see the
    module docstring).
    """
    if ranking.fusion == "zsum" and _sections(dense, ranking) >= MIN_ZSUM and _sections(lexical, ranking) >= MIN_ZSUM:
        return _zsum(query, dense, lexical, k, ranking, mode=mode, full=full)
    return _rrf_rank(query, dense, lexical, k, ranking, mode=mode)


MIN_ZSUM = 3
"""Fewest sections per side for z-scores to mean anything: with one or two candidates (a tiny
index, a query only one passage matches) their spread says nothing, so ranks are fused."""


def _sections(lst: Sequence[tuple["Chunk", float]], ranking: Ranking) -> int:
    key = section_key if ranking.one_per_section else (lambda c: c.chunk_id)
    return len({key(c) for c, _ in lst})


def _zsum(query: str, dense: Sequence[tuple["Chunk", float]], lexical: Sequence[tuple["Chunk", float]],
          k: int, ranking: Ranking, *, mode: str,
          full: tuple[Mapping[str, float], Mapping[str, float]] | None) -> list["Hit"]:
    from netops.rag.types import Hit

    key = section_key if ranking.one_per_section else (lambda c: c.chunk_id)
    chunks: dict[str, Chunk] = {c.chunk_id: c for c, _ in dense}
    chunks.update({c.chunk_id: c for c, _ in lexical})
    sides = []  # per side: {section: (score, chunk id)}, section order, z by section, floor z
    for i, lst in enumerate((dense, lexical)):
        scores = {c.chunk_id: s for c, s in lst}
        if full is not None:
            for cid, s in full[i].items():
                if cid in chunks:
                    scores[cid] = max(s, scores.get(cid, s))
        best: dict[Hashable, tuple[float, str]] = {}
        for cid, s in scores.items():
            sec = key(chunks[cid])
            if sec not in best or s > best[sec][0]:
                best[sec] = (s, cid)
        order = [key(c) for c, _ in lst]
        sides.append((best, list(dict.fromkeys(order)), *_standardise({x: v[0] for x, v in best.items()})))
    (d_best, d_order, zd, d_floor), (l_best, l_order, zl, l_floor) = sides
    share = ranking.lexical_share
    if ranking.adaptive:
        cl = max(zl.get(l_order[0], 0.0), 1e-3) if l_order else 1e-3
        cd = max(zd.get(d_order[0], 0.0), 1e-3) if d_order else 1e-3
        share = share * cl / (share * cl + (1 - share) * cd)
    secs = list(dict.fromkeys(l_order + d_order))
    fused = {x: share * zl.get(x, l_floor) + (1 - share) * zd.get(x, d_floor) for x in secs}
    order = sorted(secs, key=lambda x: -fused[x])  # stable: lexical first on ties
    if ranking.boost_identifiers:  # (first, so a document the query names stays before both)
        order = _spelt_first(query, order, chunks.values(), key)
    if ranking.boost_named_docs:
        named = named_documents(query, {c.doc_id for c in chunks.values()})
        if named:
            order = sorted(order, key=lambda x: _doc_of(x, l_best, d_best, chunks) not in named)
    d_rank = {x: i for i, x in enumerate(d_order, 1)}
    l_rank = {x: i for i, x in enumerate(l_order, 1)}
    hits = []
    for x in order[:k]:
        cid = _representative(x, l_best, d_best, zl, zd, share)
        hits.append(Hit(chunk=chunks[cid], score=fused[x], dense_rank=d_rank.get(x),
                        lexical_rank=l_rank.get(x), mode=mode))
    return hits


def _standardise(scores: Mapping[Hashable, float]) -> tuple[dict[Hashable, float], float]:
    """z-scores, and the lowest one (what a candidate the side did not return is worth)."""
    if not scores:
        return {}, 0.0
    vals = list(scores.values())
    mean = sum(vals) / len(vals)
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals)) or 1.0
    z = {x: (v - mean) / sd for x, v in scores.items()}
    return z, min(z.values())


def _doc_of(sec, l_best, d_best, chunks) -> str:
    return chunks[(l_best.get(sec) or d_best[sec])[1]].doc_id


def _representative(sec, l_best, d_best, zl, zd, share) -> str:
    """The chunk shown for a section: the one the side with more say in it returned."""
    if sec in l_best and sec in d_best:
        return l_best[sec][1] if share * zl.get(sec, 0.0) >= (1 - share) * zd.get(sec, 0.0) else d_best[sec][1]
    return (l_best.get(sec) or d_best[sec])[1]


def _rrf_rank(query: str, dense: Sequence[tuple["Chunk", float]], lexical: Sequence[tuple["Chunk", float]],
              k: int, ranking: Ranking, *, mode: str) -> list["Hit"]:
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
    if ranking.boost_identifiers:  # (first, so a document the query names stays before both)
        place = {x: i for i, x in enumerate(_spelt_first(query, [f.key for f in fused], chunks.values(), key))}
        fused = sorted(fused, key=lambda f: place[f.key])
    if ranking.boost_named_docs:
        named = named_documents(query, {c.doc_id for c in chunks.values()})
        if named:
            fused = sorted(fused, key=lambda f: chunks[best[f.key]].doc_id not in named)  # stable
    return [Hit(chunk=chunks[best[f.key]], score=f.score, dense_rank=f.ranks[0], lexical_rank=f.ranks[1],
                mode=mode) for f in fused[:k]]
