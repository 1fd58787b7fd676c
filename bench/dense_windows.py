"""Does the dense side lose what MiniLM never reads? Measured on the TUNING sets only.

all-MiniLM-L6-v2 reads at most 256 word pieces; an RFC chunk (about 1,600 characters plus its
heading line) is longer than that about two times in three, and the tail is simply not embedded.
This re-embeds the cached tuning indexes' chunks in numpy, under several ways of covering the
whole chunk, and runs netops' own hybrid search path on them (the real lexical side, the real
``rank()``), so each variant's hybrid figure is what the product would give:

* ``first``: today -- heading line + passage, truncated at 256 pieces (must reproduce kb_quality);
* ``maxp``: the chunk cut into windows of at most 256 pieces, each with the heading line; a
  chunk's similarity is its best window's (MaxP, Dai & Callan, SIGIR 2019);
* ``mean``: the windows' vectors averaged into one;
* ``wmean2`` / ``wmean3``: the same with the first window (the chunk's opening) counted 2 / 3
  times -- ``wmean2`` is what ``MiniLMEmbedder.embed_passages`` does since index format 4
  (windows from ``netops.rag.embedders.passage_windows``).

    python bench/dense_windows.py [--sets rfc,passages] [--variants first,wmean2,wmean3,mean,maxp] [--dump DIR] [--overlap 32]

Refuses check sets.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import _common as c


def main() -> int:
    import numpy as np
    from tokenizers import Tokenizer

    import kb_quality as kq
    from netops.rag.chunking import embed_text, index_heading
    from netops.rag.embedders import MiniLMEmbedder, minilm_model_dir, passage_windows
    import json

    from netops.rag.fusion import Ranking, rank

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="rfc,passages")
    ap.add_argument("--variants", default="first,wmean2,wmean3,mean,maxp")
    ap.add_argument("--overlap", type=int, default=32)
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--dump", type=Path, default=None,
                    help="write each variant's candidate pools as DIR/VARIANT/SET.jsonl (fusion_tune.py format)")
    args = ap.parse_args()
    tok = Tokenizer.from_file(str(minilm_model_dir() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    emb = MiniLMEmbedder()
    r = Ranking()
    k = args.top_k
    pool = r.pool(k)
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            if name not in kq.TUNING:
                raise SystemExit(f"{name}: tuning sets only ({', '.join(kq.TUNING)})")
            qs = kq.load_set(name, Path(tmp))
            kb, _, _ = kq.open_index(qs, c.make_minilm(), Path(tmp), reuse=True)
            chunks = [ch for rec in kb.list() for ch in kb.lexical.iter_chunks(rec.source)]
            qvecs = np.asarray([emb.embed_query(it.question) for it in qs.items], dtype=np.float32)
            lex = [kb._lexical_side(it.question, pool, r) for it in qs.items]
            cache: dict[str, tuple] = {}

            def embedded(kind: str):
                """(vectors, owner chunk index, seconds) of the truncated texts or of the windows."""
                if kind not in cache:
                    t0 = time.perf_counter()
                    if kind == "first":
                        texts, owner = [embed_text(ch) for ch in chunks], list(range(len(chunks)))
                    else:
                        texts, owner = [], []
                        for i, ch in enumerate(chunks):
                            for w in passage_windows(tok, index_heading(ch), ch.text, limit=256,
                                                     overlap=args.overlap):
                                texts.append(w)
                                owner.append(i)
                    parts = []
                    for i in range(0, len(texts), 256):
                        parts += emb.embed_documents(texts[i:i + 256])
                        print(f"  {name} {kind}: {min(i + 256, len(texts))}/{len(texts)} "
                              f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
                    cache[kind] = (np.asarray(parts, dtype=np.float32), np.asarray(owner),
                                   time.perf_counter() - t0)
                return cache[kind]

            for variant in args.variants.split(","):
                m, owner_a, secs = embedded("first" if variant == "first" else "windows")
                n_vectors = len(owner_a)
                if variant in ("mean", "wmean2", "wmean3"):
                    weight = np.ones(len(owner_a), dtype=np.float32)
                    if variant != "mean":  # a chunk's first window (its opening) counts more
                        firsts = np.r_[True, owner_a[1:] != owner_a[:-1]]
                        weight[firsts] = float(variant[-1])
                    agg = np.zeros((len(chunks), m.shape[1]), dtype=np.float32)
                    np.add.at(agg, owner_a, m * weight[:, None])
                    agg /= np.linalg.norm(agg, axis=1, keepdims=True)
                    m, owner_a = agg, np.arange(len(chunks))
                by_id = {ch.chunk_id: i for i, ch in enumerate(chunks)}
                ranks_h, ranks_d = [], []
                fh = None
                if args.dump is not None:
                    (args.dump / variant).mkdir(parents=True, exist_ok=True)
                    fh = (args.dump / variant / f"{name}.jsonl").open("w", encoding="utf-8")
                for it, qv, (lq, lexical) in zip(qs.items, qvecs, lex):
                    sims = np.full(len(chunks), -1.0, dtype=np.float32)
                    np.maximum.at(sims, owner_a, m @ qv)
                    order = np.argsort(-sims)[:pool]
                    dense = [(chunks[i], float(sims[i])) for i in order]
                    union = [ch.chunk_id for ch, _ in dense] + [ch.chunk_id for ch, _ in lexical]
                    full = ({cid: float(sims[by_id[cid]]) for cid in union if cid in by_id},
                            kb.lexical.scores(lq, union, heading_weight=r.heading_weight))
                    used = full if r.fusion == "zsum" and r.full_scores else None  # as KnowledgeBase.search
                    ranks_h.append(kq.rank_of(rank(it.question, dense, lexical, k, r, mode="hybrid", full=used),
                                              it.labels))
                    ranks_d.append(kq.rank_of(rank(it.question, dense, [], k, r, mode="dense"), it.labels))
                    if fh is not None:
                        def row(ch, sc, it=it):
                            return kq.candidate_row(ch, sc, it.labels)
                        fh.write(json.dumps({"q": it.question, "dense": [row(ch, sc) for ch, sc in dense],
                                             "lexical": [row(ch, sc) for ch, sc in lexical],
                                             "full": {"dense": full[0], "lexical": full[1]}}) + "\n")
                if fh is not None:
                    fh.close()
                for mode, ranks in (("hybrid", ranks_h), ("dense", ranks_d)):
                    s = kq.summarize(mode, qs.items, ranks, [[]] * len(qs.items), 0.0)
                    print(f"{name:9} {variant:6} {mode:7} r@1 {s.recall_at_1:.3f} r@5 {s.recall_at_5:.3f} "
                          f"MRR {s.mrr:.3f}   ({n_vectors} vectors, {secs:.0f} s)", flush=True)
            c.close(kb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
