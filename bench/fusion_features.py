"""Query-adaptive fusion share from a feature known at query time. TUNING sets only.

The z-score fusion (``netops.rag.fusion``) starts every query at the same lexical share
(0.6) and only then scales it by each side's top z-score. This asks whether a second signal,
available before fusing, should move the starting share:

* ``lex_margin``: (s1 - s2) / s1 of the lexical side's two best *section* scores (BM25): a
  clear lexical winner;
* ``dense_margin``: the same for the dense side's cosine scores;
* ``overlap``: how many of the five best sections the two sides share, / 5.

Each policy is ``share = lo if feature < t else hi``, with ``t`` one of the feature's
quartiles over the ``rfc`` questions (fixed numbers then used on every set), ``lo``/``hi``
from a small grid; ``lo = hi = 0.6`` is the current setting and reproduces ``kb_quality``.
Dense search is exact numpy over each cached index's own vectors (as ``query_adapter.py``),
the lexical side and ``rank()`` are netops' own.

    python bench/fusion_features.py [--sets rfc,passages,shortrfc] [--top 15]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import _common as c

SHARES = (0.4, 0.5, 0.6, 0.7, 0.8)


def section_scores(lst):
    from netops.rag.fusion import section_key

    best: dict = {}
    for ch, s in lst:
        k = section_key(ch)
        if k not in best:
            best[k] = s
    return best


def features(dense, lexical) -> dict[str, float]:
    d, lx = section_scores(dense), section_scores(lexical)
    dv, lv = list(d.values()), list(lx.values())

    def margin(v):
        return (v[0] - v[1]) / v[0] if len(v) >= 2 and v[0] > 0 else 0.0

    return {"lex_margin": margin(lv), "dense_margin": margin(dv),
            "overlap": len(set(list(d)[:5]) & set(list(lx)[:5])) / 5}


def main() -> int:
    import numpy as np

    import kb_quality as kq
    from netops.rag.fusion import Ranking, rank
    from query_adapter import SetEval

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(kq.TUNING))
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    names = [s for s in args.sets.split(",") if s]
    for s in names:
        if s not in kq.TUNING:
            raise SystemExit(f"{s}: tuning sets only ({', '.join(kq.TUNING)})")
    emb = c.make_minilm()
    data = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            ev = SetEval(name, Path(tmp), emb)
            Q = ev.Q / np.linalg.norm(ev.Q, axis=1, keepdims=True)
            sims = Q @ ev.mat.T
            rows = []
            for i, it in enumerate(ev.qs.items):
                order = np.argsort(-sims[i], kind="stable")[:ev.pool]
                dense = [(ev.chunks[ev.ids[j]], float(sims[i, j])) for j in order]
                rows.append((it, dense, ev.lex[i], features(dense, ev.lex[i])))
            data[name] = (ev, rows)
            c.close(ev.kb)

    ref = data.get("rfc", next(iter(data.values())))[1]
    cuts = {f: [float(np.quantile([r[3][f] for r in ref], q)) for q in (0.25, 0.5, 0.75)]
            for f in ("lex_margin", "dense_margin", "overlap")}
    memo: dict = {}

    def ranks_for(name, share_of):
        ev, rows = data[name]
        out = []
        for it, dense, lex, feat in rows:
            share = share_of(feat)
            key = (name, it.question, share)
            if key not in memo:
                memo[key] = kq.rank_of(rank(it.question, dense, lex, ev.k, Ranking(lexical_share=share),
                                            mode="hybrid"), it.labels)
            out.append(memo[key])
        return out

    def metrics(ranks):
        n = len(ranks)
        return (sum(r == 1 for r in ranks if r) / n, sum(1 for r in ranks if r and r <= 5) / n,
                sum(1 / r for r in ranks if r) / n)

    results = []
    base = {n: metrics(ranks_for(n, lambda f: 0.6)) for n in data}
    for feat, ts in cuts.items():
        for t in ts:
            for lo, hi in itertools.product(SHARES, SHARES):
                if lo == hi:
                    continue
                res = {n: metrics(ranks_for(n, lambda f, feat=feat, t=t, lo=lo, hi=hi: lo if f[feat] < t else hi))
                       for n in data}
                results.append((f"{feat} < {t:.3f} ? {lo} : {hi}", res))
    for s in SHARES:
        if s != 0.6:
            results.append((f"fixed {s}", {n: metrics(ranks_for(n, lambda f, s=s: s)) for n in data}))

    def line(label, res):
        return f"{label:38} " + "  ".join(f"{n} {m[0]:.3f}/{m[1]:.3f}/{m[2]:.3f}" for n, m in res.items())

    print(line("current (0.6)", base))
    results.sort(key=lambda x: -sum(m[0] + m[2] for m in x[1].values()))
    for label, res in results[:args.top]:
        print(line(label, res))
    print(f"({len(results)} policies; sorted by summed r@1 + MRR over {', '.join(data)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
