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


def score_mode(kb, questions: list[c.Question], mode: str, top_k: int) -> ModeScore:
    ranks: list[int | None] = []
    misses = []
    per_rfc: dict[int, list[bool]] = defaultdict(list)
    t0 = time.perf_counter()
    for q in questions:
        hits = kb.search(q.question, top_k=top_k, mode=mode)
        r = rank_of(hits, q.expected)
        ranks.append(r)
        per_rfc[q.rfc].append(r is not None and r <= 5)
        if r is None or r > 5:
            misses.append({
                "question": q.question,
                "expected": q.expected,
                "rank": r,
                "got": [h.chunk.citation for h in hits[:3]],
            })
    elapsed = time.perf_counter() - t0
    n = len(questions)
    return ModeScore(
        mode=mode,
        n=n,
        recall_at_1=sum(1 for r in ranks if r == 1) / n,
        recall_at_5=sum(1 for r in ranks if r is not None and r <= 5) / n,
        mrr=sum(1 / r for r in ranks if r is not None) / n,
        mean_query_ms=1000 * elapsed / n,
        misses=misses,
        per_rfc_recall_at_5={f"RFC {k}": sum(v) / len(v) for k, v in sorted(per_rfc.items())},
    )


def fusion_sweep(kb, questions: list[c.Question], top_k: int) -> list[dict]:
    """Re-fuse the same dense and lexical candidate lists with other RRF settings.

    Diagnostic only: it reproduces what ``KnowledgeBase.search(mode="hybrid")`` does (same
    candidate pools, same fusion function) with other ``k`` and lexical weights, to show
    whether the fusion parameters are what holds hybrid back.
    """
    from netops.rag.fusion import rrf

    pool = max(top_k * 4, 20)
    lists = []
    for q in questions:
        dense = kb.search(q.question, top_k=pool, mode="dense")
        lexical = kb.search(q.question, top_k=pool, mode="lexical")
        by_id = {h.chunk.chunk_id: h for h in dense + lexical}
        lists.append((q, [h.chunk.chunk_id for h in dense], [h.chunk.chunk_id for h in lexical], by_id))
    def section_of(hit) -> tuple[str, str]:
        return hit.chunk.doc_id, hit.chunk.section

    out = []
    settings = [(k, w, False) for k in (0, 10, 30, 60) for w in (1.0, 1.5, 2.0, 3.0)]
    # One passage per section: several chunks of one long section otherwise fill the top 5.
    settings += [(60, 1.0, True), (10, 1.0, True), (10, 2.0, True), (0, 2.0, True)]
    for k, w_lex, dedupe in settings:
        ranks = []
        for q, d_ids, l_ids, by_id in lists:
            fused = [by_id[f.key] for f in rrf([d_ids, l_ids], k=k, weights=[1.0, w_lex])]
            if dedupe:
                seen: set = set()
                fused = [h for h in fused if not (section_of(h) in seen or seen.add(section_of(h)))]
            fused = fused[:top_k]
            ranks.append(next((i for i, h in enumerate(fused, 1) if c.hit_matches(h, q.expected)), None))
        n = len(ranks)
        out.append({"rrf_k": k, "lexical_weight": w_lex, "one_per_section": dedupe,
                    "recall_at_1": sum(r == 1 for r in ranks) / n,
                    "recall_at_5": sum(1 for r in ranks if r is not None and r <= 5) / n,
                    "mrr": sum(1 / r for r in ranks if r is not None) / n})
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
    args = ap.parse_args()

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
        scores = {m: score_mode(kb, questions, m, args.top_k) for m in MODES}
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
        "glossary_terms": glossary_terms,
        "project_eval_hybrid_k5": cross,
        "fusion_sweep": sweep,
        "modes": {m: s for m, s in scores.items()},
        "targets": verdict,
    }
    if args.json:
        c.emit_json(doc)
        return 0

    print(f"kb_quality: {len(questions)} questions over {len(numbers)} RFCs, "
          f"{chunks} chunks (index built in {build.seconds:.1f}s), MRR@{args.top_k}")
    rows = [[s.mode, s.recall_at_1, s.recall_at_5, s.mrr, f"{s.mean_query_ms:.1f}"] for s in scores.values()]
    print(c.fmt_table(["mode", "recall@1", "recall@5", "MRR", "ms/query"], rows))
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
        print("\nfusion sweep (same candidate pools, RRF k x lexical weight):")
        print(c.fmt_table(["rrf_k", "w_lex", "1/section", "recall@1", "recall@5", "MRR"],
                          [[r["rrf_k"], r["lexical_weight"], "yes" if r["one_per_section"] else "no",
                            r["recall_at_1"], r["recall_at_5"], r["mrr"]]
                           for r in sweep]))
    print(f"\nhybrid misses (not in top 5): {len(h.misses)}")
    for m in h.misses:
        print(f"  - {m['question']}\n      want {m['expected']} (rank {m['rank']}); got {m['got']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
