"""Two query-side ideas for the fusion, measured on the TUNING sets only (refuses check sets).

* ``rm3``: lexical pseudo-relevance feedback. After the first hybrid ranking, the ``n`` words
  most characteristic of its top ``m`` passages (term frequency in the feedback passages times
  the word's inverse document frequency in the index, the question's own words and stop words
  excluded) are appended to the lexical query, whose own words are repeated ``rep`` times so
  that they keep most of the weight (FTS5's BM25 has no per-term weight). The lexical side is
  searched again and fused with the unchanged dense side.
* ``views``: the dense query as the mean of the question's vector and the vector of its content
  words alone (question words and stop words dropped), weight ``w`` on the second view.

Dense retrieval runs exactly (numpy) over the cached index's own vectors, the lexical side and
``rank()`` are netops' own, so the ``baseline`` row reproduces ``kb_quality``'s hybrid figures.

    python bench/query_feedback.py [--sets rfc,passages,shortrfc,rfc_oldstyle] [--m 3,5] [--n 5,10] [--rep 1,2] [--w 0.5]
"""

from __future__ import annotations

import argparse
import math
import re
import tempfile
from collections import Counter
from pathlib import Path

import _common as c

STOP = frozenset("""a an the of to in on for and or is are was were be been being by with as at from that this
these those it its which what when where who whom why how does do did can could should would will shall may
might must not no than then there their they them if any each all some such into out over under about after
before between both only own same so too very just also i me my we our you your he she his her one two""".split())
QWORDS = frozenset("what when where who whom why how which does do did is are can could should would will".split())


def words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z0-9-]+", text.lower())


def main() -> int:
    import numpy as np

    import kb_quality as kq
    from netops.rag.embedders import MiniLMEmbedder
    from netops.rag.fusion import Ranking, rank

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="rfc,passages,shortrfc,rfc_oldstyle")
    ap.add_argument("--m", default="3,5")
    ap.add_argument("--n", default="5,10")
    ap.add_argument("--rep", default="1,2")
    ap.add_argument("--w", default="0.3,0.5")
    ap.add_argument("--top-k", type=int, default=10)
    args = ap.parse_args()
    emb = MiniLMEmbedder()
    r = Ranking()
    k = args.top_k
    pool = r.pool(k)
    summary: dict[str, dict[str, float]] = {}
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
            df = Counter()
            for ch in chunks.values():
                df.update(set(words(ch.text)))
            ndocs = len(chunks)

            def dense_side(qv):
                sims = mat @ (qv / np.linalg.norm(qv))
                order = np.argsort(-sims)[:pool]
                return [(chunks[ids[i]], float(sims[i])) for i in order], sims

            def fuse(question, dense, sims, lq, lexical):
                union = [ch.chunk_id for ch, _ in dense] + [ch.chunk_id for ch, _ in lexical]
                full = ({cid: float(sims[row[cid]]) for cid in union if cid in row},
                        kb.lexical.scores(lq, union, heading_weight=r.heading_weight))
                used = full if r.fusion == "zsum" and r.full_scores else None
                return rank(question, dense, lexical, k, r, mode="hybrid", full=used)

            base = []
            for it in qs.items:
                qv = np.asarray(emb.embed_query(it.question), dtype=np.float32)
                lq, lexical = kb._lexical_side(it.question, pool, r)
                dense, sims = dense_side(qv)
                hits = fuse(it.question, dense, sims, lq, lexical)
                base.append((it, qv, lq, lexical, dense, sims, hits))

            def report(label, ranks):
                s = kq.summarize("hybrid", qs.items, ranks, [[]] * len(qs.items), 0.0)
                summary.setdefault(label, {})[name] = s.recall_at_1
                print(f"{name:12} {label:24} hybrid r@1 {s.recall_at_1:.3f} r@5 {s.recall_at_5:.3f} "
                      f"MRR {s.mrr:.3f}", flush=True)

            report("baseline", [kq.rank_of(b[6], b[0].labels) for b in base])
            for m in [int(x) for x in args.m.split(",")]:
                for n in [int(x) for x in args.n.split(",")]:
                    for rep in [int(x) for x in args.rep.split(",")]:
                        ranks = []
                        for it, qv, lq, lexical, dense, sims, hits in base:
                            own = set(words(it.question))
                            tf = Counter()
                            for h in hits[:m]:
                                tf.update(w for w in words(h.chunk.text) if w not in STOP and w not in own)
                            scored = sorted(tf, key=lambda w: -tf[w] * math.log(ndocs / (1 + df[w])))
                            extra = " ".join(scored[:n])
                            q2 = " ".join([it.question] * rep) + " " + extra
                            lq2, lex2 = kb._lexical_side(q2, pool, r)
                            ranks.append(kq.rank_of(fuse(it.question, dense, sims, lq2, lex2), it.labels))
                        report(f"rm3 m={m} n={n} rep={rep}", ranks)
            for w in [float(x) for x in args.w.split(",")]:
                ranks = []
                for it, qv, lq, lexical, dense, sims, hits in base:
                    content = " ".join(x for x in words(it.question) if x not in STOP and x not in QWORDS)
                    v2 = np.asarray(emb.embed_query(content or it.question), dtype=np.float32)
                    q2 = qv / np.linalg.norm(qv) + w * v2 / np.linalg.norm(v2)
                    d2, s2 = dense_side(q2)
                    ranks.append(kq.rank_of(fuse(it.question, d2, s2, lq, lexical), it.labels))
                report(f"views w={w}", ranks)
            c.close(kb)
    print("\nsummed r@1 change against baseline (questions):")
    base_row = summary["baseline"]
    for label, per in summary.items():
        if label == "baseline":
            continue
        delta = {s: round((per[s] - base_row[s]) * 100) for s in per}
        print(f"  {label:24} " + "  ".join(f"{s} {d:+}%" for s, d in delta.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
