"""Pseudo-relevance feedback for the dense side (Rocchio on query vectors). TUNING sets only.

The dense side is the weak half on short passages (dense-only recall@1 ~0.50 against lexical
~0.50-0.58), and the hybrid's first ranking is better than either half. Rocchio feedback moves
the query vector towards the vectors of the first ranking's top passages, then searches and
fuses again:

    q' = normalise(q + beta * mean(v_1 .. v_m))

where v_i are the stored vectors of the top ``m`` passages of the first hybrid ranking (or of
the lexical side alone: ``--source lexical``). Dense retrieval over the cached index's own
vectors (exact, numpy), the real lexical side, the real ``rank()``; ``beta 0`` must reproduce
kb_quality's hybrid figures. Cost in the product: one more nearest-neighbour query and a read
of m stored vectors.

    python bench/dense_prf.py [--sets rfc,passages,shortrfc] [--m 1,3,5] [--beta 0.25,0.5,1] [--source hybrid,lexical]

Refuses check sets.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import _common as c


def main() -> int:
    import numpy as np

    import kb_quality as kq
    from netops.rag.embedders import MiniLMEmbedder
    from netops.rag.fusion import Ranking, rank

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="rfc,passages,shortrfc")
    ap.add_argument("--m", default="1,3,5")
    ap.add_argument("--beta", default="0.25,0.5,1")
    ap.add_argument("--source", default="hybrid,lexical")
    ap.add_argument("--top-k", type=int, default=10)
    args = ap.parse_args()
    emb = MiniLMEmbedder()
    r = Ranking()
    k = args.top_k
    pool = r.pool(k)
    ms = [int(x) for x in args.m.split(",")]
    betas = [float(x) for x in args.beta.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            if name not in kq.TUNING:
                raise SystemExit(f"{name}: tuning sets only ({', '.join(kq.TUNING)})")
            qs = kq.load_set(name, Path(tmp))
            kb, _, _ = kq.open_index(qs, c.make_minilm(), Path(tmp), reuse=True)
            got = kb.vectors._open().get(include=["embeddings"])
            ids = list(got["ids"])
            mat = np.asarray(got["embeddings"], dtype=np.float32)
            mat /= np.linalg.norm(mat, axis=1, keepdims=True)
            row = {cid: i for i, cid in enumerate(ids)}
            chunks = kb.lexical.chunks(ids)

            def dense_side(qv):
                sims = mat @ (qv / np.linalg.norm(qv))
                order = np.argsort(-sims)[:pool]
                return [(chunks[ids[i]], float(sims[i])) for i in order], sims

            def hybrid(question, qv, lq, lexical):
                dense, sims = dense_side(qv)
                union = [ch.chunk_id for ch, _ in dense] + [ch.chunk_id for ch, _ in lexical]
                full = ({cid: float(sims[row[cid]]) for cid in union if cid in row},
                        kb.lexical.scores(lq, union, heading_weight=r.heading_weight))
                used = full if r.fusion == "zsum" and r.full_scores else None  # as KnowledgeBase.search
                return rank(question, dense, lexical, k, r, mode="hybrid", full=used), dense

            base = []
            for it in qs.items:
                qv = np.asarray(emb.embed_query(it.question), dtype=np.float32)
                lq, lexical = kb._lexical_side(it.question, pool, r)
                hits, dense = hybrid(it.question, qv, lq, lexical)
                base.append((it, qv, lq, lexical, hits, dense))

            def report(label, hyb, den=None):
                s = kq.summarize("hybrid", qs.items, hyb, [[]] * len(qs.items), 0.0)
                line = f"{name:9} {label:28} hybrid r@1 {s.recall_at_1:.3f} r@5 {s.recall_at_5:.3f} MRR {s.mrr:.3f}"
                if den is not None:
                    d = kq.summarize("dense", qs.items, den, [[]] * len(qs.items), 0.0)
                    line += f"   dense r@1 {d.recall_at_1:.3f} r@5 {d.recall_at_5:.3f} MRR {d.mrr:.3f}"
                print(line, flush=True)

            report("baseline", [kq.rank_of(b[4], b[0].labels) for b in base],
                   [kq.rank_of(rank(b[0].question, b[5], [], k, r, mode="dense"), b[0].labels) for b in base])
            for source in args.source.split(","):
                for m in ms:
                    for beta in betas:
                        hyb, den = [], []
                        for it, qv, lq, lexical, hits, _ in base:
                            if source == "hybrid":
                                fb = [h.chunk.chunk_id for h in hits[:m]]
                            else:
                                fb = [ch.chunk_id for ch, _ in lexical[:m]]
                            vecs = [mat[row[cid]] for cid in fb if cid in row]
                            q2 = qv / np.linalg.norm(qv)
                            if vecs:
                                q2 = q2 + beta * np.mean(vecs, axis=0)
                            h2, d2 = hybrid(it.question, q2, lq, lexical)
                            hyb.append(kq.rank_of(h2, it.labels))
                            den.append(kq.rank_of(rank(it.question, d2, [], k, r, mode="dense"), it.labels))
                        report(f"prf {source} m={m} beta={beta}", hyb, den)
            c.close(kb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
