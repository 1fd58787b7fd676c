"""Retrieval evaluation: recall@1, recall@k and MRR over a JSONL question set.

Each line is ``{"question": "...", "expected": "...", "also": [...]}`` (``also`` optional: other
labels that count as correct). A hit answers an item when a label equals the hit's ``doc_id`` or
its citation (with or without the section title, ``RFC 4271 §10 (BGP Timers)`` /
``RFC 4271 §10``), names an unnumbered section by its title (``RFC 768 §Fields``), names an
appendix with or without the word (``§Appendix E`` = ``§E``), or is a substring of its
``source`` path.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from netops.errors import InputError
from netops.rag.types import Hit, format_citation

if TYPE_CHECKING:
    from netops.rag.kb import KnowledgeBase, Mode


@dataclass(frozen=True)
class EvalItem:
    question: str
    expected: str
    also: tuple[str, ...] = ()
    """Other labels that count as correct (another spelling, or a second answering section)."""

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.expected, *self.also)


@dataclass(frozen=True)
class EvalMiss:
    """An item whose expected answer was not in the top k."""

    question: str
    expected: str
    got: list[str]
    """Citations of the top hits that came back instead."""


@dataclass
class EvalReport:
    n: int
    recall_at_1: float
    recall_at_k: float
    mrr: float
    """Mean reciprocal rank within the top k (0 for a miss)."""
    top_k: int
    mode: str
    misses: list[EvalMiss] = field(default_factory=list)
    seconds: float = 0.0


def load_items(path: Path) -> list[EvalItem]:
    """Read a JSONL question set; a bad line is an :class:`InputError` naming its number."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    items: list[EvalItem] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})",
                             hint='each line must be {"question": "...", "expected": "..."}') from exc
        if (not isinstance(obj, dict) or not isinstance(obj.get("question"), str)
                or not isinstance(obj.get("expected"), str) or not obj["question"].strip()
                or not obj["expected"].strip()):
            raise InputError(f'{path}:{lineno}: needs non-empty string fields "question" and "expected"',
                             hint='each line must be {"question": "...", "expected": "..."}')
        also = obj.get("also") or []
        if isinstance(also, str):
            also = [also]
        items.append(EvalItem(obj["question"].strip(), obj["expected"].strip(),
                              tuple(str(a).strip() for a in also if str(a).strip())))
    if not items:
        raise InputError(f"{path} holds no questions")
    return items


def _norm_label(label: str) -> str:
    label = " ".join(label.split()).casefold()
    return label.replace("§appendix ", "§")


def hit_matches(hit: Hit, expected: str | Iterable[str]) -> bool:
    """Whether ``hit`` answers an item labelled ``expected`` (one label or several)."""
    if not isinstance(expected, str):
        return any(hit_matches(hit, e) for e in expected)
    c = hit.chunk
    want = _norm_label(expected)
    candidates = [c.doc_id, c.citation, format_citation(c.doc_id, c.section, "", c.page),
                  format_citation(c.doc_id, c.section, c.section_title, None)]
    if c.section:
        candidates.append(f"{c.doc_id} §{c.section}")
    elif c.section_title:
        candidates.append(f"{c.doc_id} §{c.section_title}")
    if any(_norm_label(x) == want for x in candidates):
        return True
    return expected in c.source


def evaluate(kb: "KnowledgeBase", items: Iterable[EvalItem], top_k: int = 5,
             mode: "Mode" = "hybrid") -> EvalReport:
    """Ask every question and score where the expected passage ranked."""
    items = list(items)
    if not items:
        raise InputError("no questions to evaluate")
    started = time.perf_counter()
    at1 = atk = 0
    rr = 0.0
    misses: list[EvalMiss] = []
    for item in items:
        hits = kb.search(item.question, top_k=top_k, mode=mode)
        rank = next((i for i, h in enumerate(hits, start=1) if hit_matches(h, item.labels)), None)
        if rank is None:
            misses.append(EvalMiss(item.question, item.expected, [h.chunk.citation for h in hits[:3]]))
            continue
        atk += 1
        at1 += rank == 1
        rr += 1.0 / rank
    n = len(items)
    return EvalReport(n=n, recall_at_1=at1 / n, recall_at_k=atk / n, mrr=rr / n, top_k=top_k, mode=mode,
                      misses=misses, seconds=time.perf_counter() - started)
