"""Late-interaction rerank with the index's own embedder, measured on the TUNING sets only.

The dense side compares one mean-pooled vector per question with one per passage. This measures a
second stage that needs no new model: the same all-MiniLM-L6-v2 returns one vector per *token*,
and a passage is scored by the ColBERT-style MaxSim (for each question token, its best cosine
against the passage's tokens, averaged over the question's tokens). MiniLM was not trained for
this, so whether it pays is an open question; the bench answers it.

The top ``--depth`` of netops' hybrid ranking are re-ordered by
``(1 - a) * z(fused score) + a * z(maxsim)`` (z-scores within the candidate list), for each ``a``
in ``--alpha``; ``rrf`` fuses the two orders by reciprocal rank instead. The ``baseline`` row is
``kb_quality``'s hybrid figure for the same index. Token vectors of passages are computed on
demand and cached per run, and the per-question rerank time is reported (median ms).

    python bench/maxsim_rerank.py [--sets rfc,passages,shortrfc,rfc_oldstyle] [--depth 10,20] [--alpha 0.2,0.4]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import _common as c


def main() -> int:
    import numpy as np

    import kb_quality as kq
    from netops.rag.embedders import MiniLMEmbedder, _load_sentence_transformer
    from netops.rag.fusion import Ranking

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="rfc,passages,shortrfc,rfc_oldstyle")
    ap.add_argument("--depth", default="10,20")
    ap.add_argument("--alpha", default="0.2,0.4,0.6,1.0")
    ap.add_argument("--skip-stop", action="store_true", help="drop stop-word question tokens from MaxSim")
    args = ap.parse_args()
    emb = MiniLMEmbedder()
    model = _load_sentence_transformer(emb.model_dir)
    tok = model.tokenizer
    special = set(tok.all_special_ids)
    depths = [int(x) for x in args.depth.split(",")]
    alphas = [float(x) for x in args.alpha.split(",")]
    r = Ranking()
    cache: dict[str, np.ndarray] = {}

    def tokens(texts: list[str]) -> list[np.ndarray]:
        out = model.encode(texts, output_value="token_embeddings", convert_to_numpy=False,
                           show_progress_bar=False, batch_size=16)
        vecs = []
        for text, t in zip(texts, out):
            ids = tok(text, truncation=True, max_length=model.max_seq_length)["input_ids"]
            m = t.detach().cpu().numpy()[: len(ids)]
            keep = [i for i, x in enumerate(ids) if x not in special]
            m = m[keep] if keep else m
            vecs.append(m / np.linalg.norm(m, axis=1, keepdims=True))
        return vecs

    summary: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            if name not in kq.TUNING:
                raise SystemExit(f"{name}: tuning sets only ({', '.join(kq.TUNING)})")
            qs = kq.load_set(name, Path(tmp))
            kb, _, _ = kq.open_index(qs, c.make_minilm(), Path(tmp), reuse=True)
            deepest = max(depths)
            base, ms = [], []
            for it in qs.items:
                hits = kb.search(it.question, top_k=deepest, mode="hybrid")
                top10 = kb.search(it.question, top_k=10, mode="hybrid")
                t0 = time.perf_counter()
                need = [h.chunk for h in hits if h.chunk.chunk_id not in cache]
                if need:
                    for ch, v in zip(need, tokens([ch.text for ch in need])):
                        cache[ch.chunk_id] = v
                (qv,) = tokens([it.question])
                sims = [float(np.mean(np.max(qv @ cache[h.chunk.chunk_id].T, axis=1))) for h in hits]
                ms.append((time.perf_counter() - t0) * 1000)
                base.append((it, hits, sims, top10))

            def report(label, ranks):
                s = kq.summarize("hybrid", qs.items, ranks, [[]] * len(qs.items), 0.0)
                summary.setdefault(label, {})[name] = s.recall_at_1
                print(f"{name:12} {label:24} hybrid r@1 {s.recall_at_1:.3f} r@5 {s.recall_at_5:.3f} "
                      f"MRR {s.mrr:.3f}", flush=True)

            def z(xs):
                a = np.asarray(xs, dtype=np.float64)
                sd = a.std()
                return (a - a.mean()) / sd if sd > 0 else a * 0

            report("baseline", [kq.rank_of(b[3], b[0].labels) for b in base])
            print(f"{name:12} rerank time p50 {statistics.median(ms):.1f} ms (first pass, token vectors uncached)")
            for d in depths:
                for a in alphas:
                    ranks = []
                    for it, hits, sims, _ in base:
                        hs, ss = hits[:d], sims[:d]
                        score = (1 - a) * z([h.score for h in hs]) + a * z(ss)
                        order = [hs[i] for i in np.argsort(-score, kind="stable")]
                        ranks.append(kq.rank_of(order[:10], it.labels))
                    report(f"depth={d} a={a}", ranks)
                ranks = []
                for it, hits, sims, _ in base:
                    hs, ss = hits[:d], sims[:d]
                    by_sim = {id(h): i for i, h in enumerate(sorted(hs, key=lambda h: -ss[hs.index(h)]))}
                    score = [1 / (60 + i) + 1 / (60 + by_sim[id(h)]) for i, h in enumerate(hs)]
                    order = [hs[i] for i in np.argsort(-np.asarray(score), kind="stable")]
                    ranks.append(kq.rank_of(order[:10], it.labels))
                report(f"depth={d} rrf", ranks)
            c.close(kb)
    print("\nsummed r@1 change against baseline (points):")
    base_row = summary["baseline"]
    for label, per in summary.items():
        if label == "baseline":
            continue
        delta = {s: round((per[s] - base_row[s]) * 100) for s in per}
        print(f"  {label:24} " + "  ".join(f"{s} {d:+}" for s, d in delta.items()) + f"   total {sum(delta.values()):+}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
