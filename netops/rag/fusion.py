"""Reciprocal-rank fusion: merge ranked lists without comparing their scores.

``score(d) = sum over lists of 1 / (k + rank(d))`` with 1-based ranks and ``k = 60``
(Cormack, Clarke & Buettcher, SIGIR 2009). Documents missing from a list contribute nothing
for it. Ties keep the order of first appearance (dense list first), so results are stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Sequence

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
