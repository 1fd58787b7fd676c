"""Retrieval quality on the RFC question set: hybrid vs lexical-only vs dense-only, same run.

Builds a fresh index in a temporary NETOPS_HOME over the RFCs the questions use (real
all-MiniLM-L6-v2 embedder), asks every question in every mode against that one index and
prints recall@1, recall@5 and MRR@k per mode, the hybrid misses, and per-RFC recall@5.

    python bench/kb_quality.py [--json] [--top-k 10] [--questions bench/questions/rfc.jsonl]

Targets: hybrid recall@5 >= 0.9, and hybrid beats both single modes on recall@5 and MRR.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import _common as c

MODES = ("hybrid", "lexical", "dense")


@dataclass
class ModeScore:
    mode: str
    n: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    mean_query_ms: float
    misses: list[dict] = field(default_factory=list)
    per_rfc_recall_at_5: dict[str, float] = field(default_factory=dict)


def rank_of(hits, expected: str) -> int | None:
    for i, hit in enumerate(hits, 1):
        if c.hit_matches(hit, expected):
            return i
    return None


def question_ranks(kb, questions: list[c.Question], mode: str, top_k: int, **kw) -> tuple[list, list, float]:
    """Rank of the gold per question (None = not in the top k), the hits, and seconds taken."""
    ranks, hits_per_q = [], []
    t0 = time.perf_counter()
    for q in questions:
        hits = kb.search(q.question, top_k=top_k, mode=mode, **kw)
        ranks.append(rank_of(hits, q.expected))
        hits_per_q.append(hits)
    return ranks, hits_per_q, time.perf_counter() - t0


def summarize(mode: str, questions: list[c.Question], ranks: list, hits_per_q: list,
              seconds: float) -> ModeScore:
    misses = []
    per_rfc: dict[int, list[bool]] = defaultdict(list)
    for q, r, hits in zip(questions, ranks, hits_per_q):
        per_rfc[q.rfc].append(r is not None and r <= 5)
        if r is None or r > 5:
            misses.append({"question": q.question, "expected": q.expected, "rank": r,
                           "got": [h.chunk.citation for h in hits[:3]]})
    n = len(questions)
    return ModeScore(
        mode=mode,
        n=n,
        recall_at_1=sum(1 for r in ranks if r == 1) / n,
        recall_at_5=sum(1 for r in ranks if r is not None and r <= 5) / n,
        mrr=sum(1 / r for r in ranks if r is not None) / n,
        mean_query_ms=1000 * seconds / n,
        misses=misses,
        per_rfc_recall_at_5={f"RFC {k}": sum(v) / len(v) for k, v in sorted(per_rfc.items())},
    )


def halves(n: int) -> dict[str, list[int]]:
    """Question indexes of the odd-numbered lines (tuning half), even-numbered (check), all."""
    return {"odd": list(range(0, n, 2)), "even": list(range(1, n, 2)), "all": list(range(n))}


def score_mode(kb, questions: list[c.Question], mode: str, top_k: int) -> dict[str, ModeScore]:
    """Scores for ``mode`` on the whole set and on each half (same searches)."""
    ranks, hits, seconds = question_ranks(kb, questions, mode, top_k)
    out = {}
    for name, idx in halves(len(questions)).items():
        out[name] = summarize(mode, [questions[i] for i in idx], [ranks[i] for i in idx],
                              [hits[i] for i in idx], seconds * len(idx) / len(questions))
    return out


def fusion_sweep(kb, questions: list[c.Question], top_k: int) -> list[dict]:
    """Re-rank the same candidate pools with other ranking settings, scored per half.

    Tuning aid: candidates are fetched once per heading weight / dense expansion setting (with
    ``mode`` dense and lexical at the pool size), then :func:`netops.rag.fusion.rank` fuses
    them as ``KnowledgeBase.search`` would, with each RRF k, lexical weight, section collapse
    and boost. Choose on the odd half, confirm on the even half.
    """
    import dataclasses

    from netops.rag.fusion import Ranking, rank

    base = Ranking()
    pool = base.pool(top_k)
    idx = halves(len(questions))
    out = []
    for hw in (0.5, 1.0, 2.0):
        for expand_dense in (False, True):
            cand = []
            for q in questions:
                dense_q = kb.expand(q.question) if expand_dense else q.question
                dense = kb.vectors.query(kb.embedder.embed_query(dense_q), pool)
                lexical = kb.lexical.search(kb.expand(q.question), pool, heading_weight=hw)
                cand.append((dense, lexical))
            for k in (0, 10, 30, 60):
                for w in (1.0, 1.5, 2.0, 3.0):
                    for collapse in (False, True):
                        r = dataclasses.replace(base, rrf_k=k, lexical_weight=w, heading_weight=hw,
                                                one_per_section=collapse, expand_dense=expand_dense)
                        ranks = [rank_of(rank(q.question, d, lx, top_k, r, mode="hybrid"), q.expected)
                                 for q, (d, lx) in zip(questions, cand)]
                        row = {"heading_weight": hw, "expand_dense": expand_dense, "rrf_k": k,
                               "lexical_weight": w, "one_per_section": collapse}
                        for name, ids in idx.items():
                            rs = [ranks[i] for i in ids]
                            row[f"{name}_recall_at_5"] = sum(1 for x in rs if x is not None and x <= 5) / len(rs)
                            row[f"{name}_mrr"] = sum(1 / x for x in rs if x is not None) / len(rs)
                        out.append(row)
    return out


def project_eval(kb, questions: list[c.Question]) -> dict | None:
    """Cross-check with the project's own ``netops.rag.eval.evaluate`` (hybrid, k=5)."""
    try:
        from netops.rag.eval import EvalItem, evaluate
    except ImportError:
        return None
    rep = evaluate(kb, [EvalItem(q.question, q.expected) for q in questions], top_k=5, mode="hybrid")
    return {"recall_at_1": rep.recall_at_1, "recall_at_5": rep.recall_at_k, "mrr_at_5": rep.mrr}


def beats(a: ModeScore, b: ModeScore) -> bool:
    """``a`` is no worse on recall@5 and MRR, and strictly better on at least one."""
    return a.recall_at_5 >= b.recall_at_5 and a.mrr >= b.mrr and (a.recall_at_5, a.mrr) != (b.recall_at_5, b.mrr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument("--top-k", type=int, default=10, help="hits per query (MRR is @k)")
    ap.add_argument("--questions", type=Path, default=c.QUESTIONS)
    ap.add_argument("--sweep", action="store_true", help="also re-fuse with other RRF k / lexical weights")
    ap.add_argument("--plain-embeddings", action="store_true",
                    help="diagnostic: embed the raw passage only (no heading line), as index format 1 did")
    args = ap.parse_args()
    if args.plain_embeddings:
        import netops.rag.kb as kb_module

        kb_module.embed_text = lambda chunk: chunk.text

    questions = c.load_questions(args.questions)
    numbers = sorted({q.rfc for q in questions})
    paths = [c.rfc_file(n) for n in numbers]
    missing = [n for n, p in zip(numbers, paths) if p is None]
    if missing:
        raise SystemExit(f"RFCs not installed: {missing} (apt-get install doc-rfc-std)")

    with tempfile.TemporaryDirectory(prefix="netops-bench-quality-") as tmp:
        settings = c.settings_for(Path(tmp) / "home")
        embedder = c.make_minilm()
        kb = c.open_kb(settings, embedder)
        c.log(f"indexing {len(paths)} RFCs with {embedder.fingerprint} ...")
        with c.Timer() as build:
            report = kb.add(paths)
        failed = getattr(report, "failed", {})
        if failed:
            raise SystemExit(f"ingest failed: {failed}")
        chunks = getattr(report, "chunks", None)
        c.log(f"indexed {chunks} chunks in {build.seconds:.1f}s")
        # Warm the model once so the first mode does not pay for loading it.
        kb.search("warm up", top_k=1, mode="dense")
        by_half = {m: score_mode(kb, questions, m, args.top_k) for m in MODES}
        scores = {m: by_half[m]["all"] for m in MODES}
        cross = project_eval(kb, questions)
        sweep = fusion_sweep(kb, questions, args.top_k) if args.sweep else None
        glossary_terms = len(kb.glossary()) if hasattr(kb, "glossary") else None
        c.close(kb)

    h, lx, d = scores["hybrid"], scores["lexical"], scores["dense"]
    verdict = {
        "hybrid_recall_at_5_ge_0.9": h.recall_at_5 >= 0.9,
        "hybrid_beats_lexical": beats(h, lx),
        "hybrid_beats_dense": beats(h, d),
    }
    doc = {
        "bench": "kb_quality",
        "date": time.strftime("%Y-%m-%d"),
        "questions": len(questions),
        "rfcs": numbers,
        "chunks": chunks,
        "build_seconds": round(build.seconds, 2),
        "top_k": args.top_k,
        "plain_embeddings": args.plain_embeddings,
        "glossary_terms": glossary_terms,
        "project_eval_hybrid_k5": cross,
        "fusion_sweep": sweep,
        "modes": {m: s for m, s in scores.items()},
        "halves": {half: {m: {"recall_at_1": by_half[m][half].recall_at_1,
                              "recall_at_5": by_half[m][half].recall_at_5, "mrr": by_half[m][half].mrr,
                              "n": by_half[m][half].n} for m in MODES} for half in ("odd", "even")},
        "targets": verdict,
    }
    if args.json:
        c.emit_json(doc)
        return 0

    print(f"kb_quality: {len(questions)} questions over {len(numbers)} RFCs, "
          f"{chunks} chunks (index built in {build.seconds:.1f}s), MRR@{args.top_k}")
    rows = [[s.mode, s.recall_at_1, s.recall_at_5, s.mrr, f"{s.mean_query_ms:.1f}"] for s in scores.values()]
    print(c.fmt_table(["mode", "recall@1", "recall@5", "MRR", "ms/query"], rows))
    print("\nper half (odd lines = tuning, even lines = check):")
    print(c.fmt_table(["half", "mode", "n", "recall@1", "recall@5", "MRR"],
                      [[half, m, by_half[m][half].n, by_half[m][half].recall_at_1,
                        by_half[m][half].recall_at_5, by_half[m][half].mrr]
                       for half in ("odd", "even") for m in MODES]))
    if cross:
        print(f"netops.rag.eval.evaluate (hybrid, k=5): recall@1 {cross['recall_at_1']:.3f}, "
              f"recall@5 {cross['recall_at_5']:.3f}, MRR@5 {cross['mrr_at_5']:.3f}")
    print(f"glossary terms used for query expansion: {glossary_terms}")
    print(f"\nhybrid vs lexical: recall@5 {h.recall_at_5 - lx.recall_at_5:+.3f}, MRR {h.mrr - lx.mrr:+.3f}")
    print(f"hybrid vs dense:   recall@5 {h.recall_at_5 - d.recall_at_5:+.3f}, MRR {h.mrr - d.mrr:+.3f}")
    print("targets: " + ", ".join(f"{k}={'PASS' if v else 'FAIL'}" for k, v in verdict.items()))
    print("\nper-RFC recall@5 (hybrid / lexical / dense):")
    for rfc in h.per_rfc_recall_at_5:
        print(f"  {rfc:9} {h.per_rfc_recall_at_5[rfc]:.2f} / {lx.per_rfc_recall_at_5[rfc]:.2f} / "
              f"{d.per_rfc_recall_at_5[rfc]:.2f}")
    if sweep:
        print("\nranking sweep (same candidates; sorted by odd-half MRR):")
        top = sorted(sweep, key=lambda r: (r["odd_recall_at_5"], r["odd_mrr"]), reverse=True)
        print(c.fmt_table(["hw", "xdense", "rrf_k", "w_lex", "1/sec", "odd r@5", "odd MRR", "even r@5",
                           "even MRR", "all r@5", "all MRR"],
                          [[r["heading_weight"], "yes" if r["expand_dense"] else "no", r["rrf_k"],
                            r["lexical_weight"], "yes" if r["one_per_section"] else "no",
                            r["odd_recall_at_5"], r["odd_mrr"], r["even_recall_at_5"], r["even_mrr"],
                            r["all_recall_at_5"], r["all_mrr"]] for r in top[:25]]))
    print(f"\nhybrid misses (not in top 5): {len(h.misses)}")
    for m in h.misses:
        print(f"  - {m['question']}\n      want {m['expected']} (rank {m['rank']}); got {m['got']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
