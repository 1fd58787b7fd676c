"""Fusion design aid: re-fuse the candidate pools ``kb_quality.py --dump DIR`` wrote for the
TUNING sets (``rfc``, ``passages``) with other fusion functions, without searching again.

    python bench/kb_quality.py --sets rfc,passages --reuse-index --dump /tmp/dump
    python bench/fusion_tune.py /tmp/dump              # RRF and score-sum variants
    python bench/fusion_tune.py /tmp/dump real         # netops' rank() under other Rankings
    python bench/fusion_tune.py /tmp/dump prior        # a document-level prior
    python bench/fusion_tune.py /tmp/dump sections     # a section's other passages added
    python bench/fusion_tune.py /tmp/dump children     # a parent yields to its subsection
    python bench/fusion_tune.py /tmp/dump share        # netops' zsum across lexical shares

Refuses check sets: a setting chosen on them would stop them being checks.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import _common as c

TUNING = ("rfc", "passages", "shortrfc")


def load(dump: Path) -> dict[str, list[dict]]:
    out = {}
    for p in sorted(dump.glob("*.jsonl")):
        if p.stem not in TUNING:
            raise SystemExit(f"{p.name}: not a tuning set; fusion is tuned on {', '.join(TUNING)} only")
        out[p.stem] = [json.loads(line) for line in p.read_text().splitlines() if line.strip()]
    return out


def collapse(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        if r["sec"] in seen:
            continue
        seen.add(r["sec"])
        out.append(r)
    return out


def score_of(order: list[str], gold: set[str]) -> int | None:
    for i, s in enumerate(order, 1):
        if s in gold:
            return i
    return None


def metrics(ranks: list) -> tuple[float, float, float]:
    n = len(ranks)
    return (sum(r == 1 for r in ranks) / n, sum(r is not None and r <= 5 for r in ranks) / n,
            sum(1 / r for r in ranks if r is not None) / n)


def run(fuse, data: dict[str, list[dict]], k: int = 10) -> dict[str, tuple]:
    res = {}
    for name, qs in data.items():
        ranks = []
        for q in qs:
            d, lx = collapse(q["dense"]), collapse(q["lexical"])
            gold = {r["sec"] for r in d + lx if r["gold"]}
            order = (fuse.whole(q) if hasattr(fuse, "whole") else fuse(d, lx))[:k]
            ranks.append(score_of(order, gold))
        res[name] = metrics(ranks)
    return res


class Real:
    """netops' own :func:`netops.rag.fusion.rank` with a given :class:`Ranking`, on the dump."""

    def __init__(self, use_full: bool = True, **kw) -> None:
        from netops.rag.fusion import Ranking

        self.ranking = Ranking(**kw)
        self.use_full = use_full

    def whole(self, q: dict) -> list[str]:
        from netops.rag.fusion import rank
        from netops.rag.types import Chunk

        made: dict[str, Chunk] = {}

        def chunk(r):
            if r["id"] not in made:
                src, _, ordinal = r["id"].rpartition("#")
                made[r["id"]] = Chunk(doc_id=r["doc"], source=src, ordinal=int(ordinal), text="",
                                      section=r["sec"])
            return made[r["id"]]

        dense = [(chunk(r), r["score"]) for r in q["dense"]]
        lexical = [(chunk(r), r["score"]) for r in q["lexical"]]
        full = (q["full"]["dense"], q["full"]["lexical"]) if self.use_full and "full" in q else None
        hits = rank(q["q"], dense, lexical, 10, self.ranking, mode="hybrid", full=full)
        return [h.chunk.section for h in hits]


# -- fusion functions over section-collapsed lists ([{sec, score}], best first) --------------

def only(which):
    return lambda d, lx: [r["sec"] for r in (d if which == "dense" else lx)]


def rrf(k=10, w_lex=1.5):
    def f(d, lx):
        s = {}
        for w, lst in ((1.0, d), (w_lex, lx)):
            for i, r in enumerate(lst, 1):
                s[r["sec"]] = s.get(r["sec"], 0.0) + w / (k + i)
        return sorted(s, key=lambda x: -s[x])
    return f


def _z(lst):
    xs = [r["score"] for r in lst]
    if not xs:
        return {}, 0.0
    m = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs)) or 1.0
    return {r["sec"]: (r["score"] - m) / sd for r in lst}, (min(xs) - m) / sd


def _mm(lst):
    xs = [r["score"] for r in lst]
    if not xs:
        return {}, 0.0
    lo, hi = min(xs), max(xs)
    span = (hi - lo) or 1.0
    return {r["sec"]: (r["score"] - lo) / span for r in lst}, 0.0


def comb(alpha=0.5, norm="z", adaptive=None):
    """alpha = lexical weight; adaptive: None | 'gap' | 'top'"""
    nf = _z if norm == "z" else _mm

    def conf(lst, zs):
        if len(lst) < 2:
            return 1.0
        if adaptive == "gap":
            a, b = zs[lst[0]["sec"]], zs[lst[1]["sec"]]
            return max(a - b, 1e-3)
        if adaptive == "top":
            return max(zs[lst[0]["sec"]], 1e-3)
        return 1.0

    def f(d, lx):
        zd, fd = nf(d)
        zl, fl = nf(lx)
        a = alpha
        if adaptive:
            cl, cd = conf(lx, zl), conf(d, zd)
            a = alpha * cl / (alpha * cl + (1 - alpha) * cd)
        secs = list(dict.fromkeys([r["sec"] for r in lx] + [r["sec"] for r in d]))
        s = {x: a * zl.get(x, fl) + (1 - a) * zd.get(x, fd) for x in secs}
        return sorted(secs, key=lambda x: -s[x])
    return f


def docprior(base, beta=0.3, src="both"):
    """Add beta * (sum of positive z-scores of the document's candidates) to each section."""
    def f(d, lx):
        order = base(d, lx)
        zd, _ = _z(d)
        zl, _ = _z(lx)
        doc_of = {r["sec"]: r["doc"] for r in d + lx}
        ev = {}
        for zs, lst in ((zl, lx), (zd, d)):
            if src != "both" and (lst is lx) != (src == "lexical"):
                continue
            for r in lst:
                ev[r["doc"]] = ev.get(r["doc"], 0.0) + max(zs[r["sec"]], 0.0)
        pos = {x: i for i, x in enumerate(order)}
        # base order as a score: reciprocal rank, so the prior can move near-ties only
        s = {x: 1.0 / (10 + pos[x]) + beta * ev.get(doc_of[x], 0.0) / 100 for x in order}
        return sorted(order, key=lambda x: -s[x])
    return f


class SectionEvidence:
    """zsum (a, adaptive by top z) over section scores that add the section's other passages:
    ``best + lam * sum(other passages of the section in the pool)`` per side (``how="sum"``), or
    ``best + lam * second best`` (``how="second"``); ``lam=0`` is netops' zsum."""

    def __init__(self, alpha: float = 0.6, lam: float = 0.3, how: str = "sum", side: str = "both") -> None:
        self.alpha, self.lam, self.how, self.side = alpha, lam, how, side

    def _sections(self, rows: list[dict], use: bool) -> list[dict]:
        per: dict[str, list[float]] = {}
        for r in rows:
            per.setdefault(r["sec"], []).append(r["score"])
        out = []
        for sec, scores in per.items():
            scores.sort(reverse=True)
            extra = 0.0
            if use and len(scores) > 1:
                extra = sum(scores[1:]) if self.how == "sum" else scores[1]
            out.append({"sec": sec, "score": scores[0] + self.lam * extra})
        return sorted(out, key=lambda r: -r["score"])

    def whole(self, q: dict) -> list[str]:
        d = self._sections(q["dense"], self.side in ("both", "dense"))
        lx = self._sections(q["lexical"], self.side in ("both", "lexical"))
        return comb(self.alpha, "z", "top")(d, lx)


def _number(sec: str) -> tuple[str, str]:
    """(document, section number) of a dumped section key: the RFC number, or the number after
    ``clause`` in a generic heading (``RFC 4271 clause 6.5``)."""
    import ast
    import re

    try:
        key = ast.literal_eval(sec)
    except (ValueError, SyntaxError):
        return sec, ""
    if not isinstance(key, tuple):
        return sec, ""
    source, number, title = key[0], key[1], key[2]
    if not number:
        m = re.search(r"\bclause\s+([A-Z]?\d+(?:\.\d+)*)\b", title)
        number = m.group(1) if m else ""
        source = re.sub(r"-[^/]*$", "", source)  # passages: one file per clause, same document
    return source, number


class ChildFirst:
    """zsum (a 0.6, adaptive), then a section directly above one of its own subsections (same
    document, its number a prefix) yields its place when their fused scores are within ``gap``."""

    def __init__(self, gap: float) -> None:
        self.gap = gap

    def whole(self, q: dict) -> list[str]:
        d, lx = collapse(q["dense"]), collapse(q["lexical"])
        zd, fd = _z(d)
        zl, fl = _z(lx)
        cl = max(zl[lx[0]["sec"]], 1e-3) if lx else 1e-3
        cd = max(zd[d[0]["sec"]], 1e-3) if d else 1e-3
        a = 0.6 * cl / (0.6 * cl + 0.4 * cd)
        secs = list(dict.fromkeys([r["sec"] for r in lx] + [r["sec"] for r in d]))
        sc = {x: a * zl.get(x, fl) + (1 - a) * zd.get(x, fd) for x in secs}
        order = sorted(secs, key=lambda x: -sc[x])
        for i in range(len(order) - 1):
            (pd, pn), (cd_, cn) = _number(order[i]), _number(order[i + 1])
            if pn and cn and pd == cd_ and cn.startswith(pn + ".") and sc[order[i]] - sc[order[i + 1]] < self.gap:
                order[i], order[i + 1] = order[i + 1], order[i]
        return order


def main() -> int:
    data = load(Path(sys.argv[1]))
    variants = {"lexical": only("lexical"), "dense": only("dense"), "rrf k10 w1.5 (format 2)": rrf()}
    for k in (10, 30, 60):
        for w in (1.0, 1.5, 2.0, 3.0):
            variants[f"rrf k{k} w{w}"] = rrf(k, w)
    for norm in ("z", "mm"):
        for a in (0.4, 0.5, 0.6, 0.7, 0.8):
            for ad in (None, "gap", "top"):
                variants[f"comb {norm} a{a} {ad or ''}"] = comb(a, norm, ad)
    if len(sys.argv) > 2 and sys.argv[2] == "real":
        variants = {"lexical": only("lexical"), "dense": only("dense"),
                    "rrf k10 w1.5 (format 2)": Real(fusion="rrf")}
        for full in (False, True):
            for a in (0.5, 0.6, 0.7):
                for ad in (False, True):
                    variants[f"zsum a{a} adaptive={ad} full={full}"] = Real(full, lexical_share=a, adaptive=ad)
    if len(sys.argv) > 2 and sys.argv[2] == "prior":
        variants = {"rrf k10 w1.5": rrf(), "comb z a0.6": comb(0.6)}
        for base_name in list(variants):
            for beta in (0.5, 1, 2, 4):
                for src in ("both", "lexical"):
                    variants[f"{base_name} +prior {beta} {src}"] = docprior(variants[base_name], beta, src)
    if len(sys.argv) > 2 and sys.argv[2] == "sections":
        variants = {"lexical": only("lexical"), "dense": only("dense"),
                    "netops zsum a0.6 adaptive": Real(False)}
        for how in ("sum", "second"):
            for lam in (0.1, 0.2, 0.3, 0.5):
                for side in ("both", "lexical", "dense"):
                    variants[f"section evidence {how} lam{lam} {side}"] = SectionEvidence(0.6, lam, how, side)
    if len(sys.argv) > 2 and sys.argv[2] == "children":
        variants = {"netops zsum a0.6 adaptive": Real(False), "child-first gap 0": ChildFirst(0.0)}
        for gap in (0.05, 0.1, 0.2, 0.3, 0.5, 1.0):
            variants[f"child-first gap {gap}"] = ChildFirst(gap)
    if len(sys.argv) > 2 and sys.argv[2] == "share":
        variants = {"lexical": only("lexical"), "dense": only("dense")}
        for a in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8):
            for ad in (True, False):
                variants[f"zsum a{a} adaptive={ad}"] = Real(False, lexical_share=a, adaptive=ad)
    rows = []
    for name, f in variants.items():
        res = run(f, data)
        rows.append([name] + [x for s in data for x in res[s]])
    heads = ["variant"] + [f"{s} {m}" for s in data for m in ("r@1", "r@5", "MRR")]
    print(c.fmt_table(heads, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
