"""Search latency in-process over >= 10k real RFC chunks, model loaded: p50/p95 per mode.

The corpus is every RFC in Debian's doc-rfc-std (standard, then draft-standard) until the
index holds ``--target-chunks``. Embedding 10k chunks takes minutes on 2 cores, so the built
index is cached under ``bench/.cache/`` keyed by the RFC file contents, the netops/rag sources
and the embedder; any change there rebuilds it. The baseline, measured on the same queries in
the same run, is the bare ``embed_query`` call every dense/hybrid search has to make. The rows
are timed interleaved, query by query; "hybrid, sides in sequence" is hybrid search with
``KnowledgeBase.parallel_search`` off (lexical side after the dense one, not on the worker thread).

    python bench/kb_search.py [--json] [--queries 200] [--target-chunks 10000] [--rebuild] [--build-budget 900]

Target: p50 <= 50 ms per mode.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

import _common as c

MODES = ("hybrid", "lexical", "dense")
BASELINE = "embed_query (baseline)"
SEQUENTIAL = "hybrid, sides in sequence"
TARGET_P50_MS = 50.0
BATCH_FILES = 16


# What decides the index content and format; search-side code (kb.py, fusion) may change freely.
INDEX_SOURCES = ("chunking.py", "loaders.py", "recognize.py", "types.py", "lexical.py", "vectors.py", "embedders.py")


def index_key(embedder, settings, candidates: list[Path]) -> str:
    import hashlib

    h = hashlib.sha256()
    for name in INDEX_SOURCES:
        p = c.REPO / "netops" / "rag" / name
        h.update(name.encode() + (p.read_bytes() if p.is_file() else b""))
    try:
        from netops.rag.kb import INDEX_FORMAT
    except ImportError:  # netops before index formats
        INDEX_FORMAT = 1
    stand_in = "stand-in " if isinstance(embedder, StandInVectors) else ""
    h.update(f"{stand_in}{embedder.fingerprint}|{settings.kb.chunk_chars}|{c.files_fingerprint(candidates)}"
             f"|format {INDEX_FORMAT}".encode())
    return h.hexdigest()[:16]


class StandInVectors:
    """MiniLM for queries, cheap deterministic unit vectors (same 384 dimensions) for passages.

    For ``--stand-in-vectors``: when embedding 10k passages is out of reach (a loaded machine
    manages a few passages a second), this builds an index whose *search cost* is the real
    one -- Chroma's HNSW over 10k 384-d vectors, FTS5 over the real chunks, the real fusion,
    the real MiniLM query encoder -- while its dense *results* are meaningless. Latency only;
    the figures are labelled so.
    """

    def __init__(self, real) -> None:
        self.real = real
        self.name = real.name

    @property
    def dim(self) -> int:
        return self.real.dim

    @property
    def fingerprint(self) -> str:
        return self.real.fingerprint  # the query side is the real model

    def embed_documents(self, texts):
        import hashlib

        import numpy as np

        out = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out.append((v / np.linalg.norm(v)).tolist())
        return out

    def embed_query(self, text):
        return self.real.embed_query(text)


def build_or_reuse(embedder, target_chunks: int, rebuild: bool, budget_s: float) -> tuple[Path, dict]:
    """A NETOPS_HOME holding >= target_chunks chunks, built within ``budget_s`` per run.

    The build is resumable: files already indexed are recorded in the manifest after every
    batch, so an interrupted or budget-limited build continues where it stopped next time.
    """
    candidates = c.all_rfc_files()
    probe = c.settings_for(c.CACHE / "probe")
    key = index_key(embedder, probe, candidates)
    root = c.CACHE / f"kb_search-{key}"
    manifest_path = root / "manifest.json"
    if rebuild and root.exists():
        shutil.rmtree(root)
    for stale in c.CACHE.glob("kb_search-*"):  # other keys: built by other code or content
        if stale != root:
            shutil.rmtree(stale, ignore_errors=True)
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {
        "key": key, "files": [], "chunks": 0, "build_seconds": 0.0}
    if manifest["chunks"] >= target_chunks:
        return root / "home", manifest
    root.mkdir(parents=True, exist_ok=True)
    settings = c.settings_for(root / "home")
    kb = c.open_kb(settings, embedder)
    done = set(manifest["files"])
    todo = [p for p in candidates if str(p) not in done]
    deadline = time.perf_counter() + budget_s
    for i in range(0, len(todo), BATCH_FILES):
        if time.perf_counter() > deadline:
            c.log(f"  build budget of {budget_s:.0f}s spent; rerun to continue")
            break
        batch = todo[i:i + BATCH_FILES]
        b0 = time.perf_counter()
        kb.add(batch)
        manifest["files"] += [str(p) for p in batch]
        manifest["chunks"] = kb.stats().chunks
        manifest["build_seconds"] = round(manifest["build_seconds"] + time.perf_counter() - b0, 1)
        manifest["built"] = time.strftime("%Y-%m-%d %H:%M")
        manifest_path.write_text(json.dumps(manifest, indent=1))
        c.log(f"  {manifest['chunks']} chunks from {len(manifest['files'])} RFCs "
              f"({manifest['build_seconds']:.0f}s of building so far)")
        if manifest["chunks"] >= target_chunks:
            break
    c.close(kb)
    return root / "home", manifest


def latencies(fns: dict, queries: list[str]) -> dict[str, list[float]]:
    """Milliseconds per query for each function, interleaved query by query (the order rotates),
    so a change in the machine's load during the run hits every row alike."""
    names = list(fns)
    out: dict[str, list[float]] = {n: [] for n in names}
    for i, q in enumerate(queries):
        turn = i % len(names)
        for name in names[turn:] + names[:turn]:
            t0 = time.perf_counter()
            fns[name](q)
            out[name].append(1000 * (time.perf_counter() - t0))
    return out


def summary(ms: list[float]) -> dict:
    return {"p50_ms": round(c.median(ms), 2), "p95_ms": round(c.pct(ms, 95), 2),
            "mean_ms": round(sum(ms) / len(ms), 2), "n": len(ms)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument("--queries", type=int, default=200, help="timed queries per mode")
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("--target-chunks", type=int, default=10_000)
    ap.add_argument("--rebuild", action="store_true", help="ignore the cached index")
    ap.add_argument("--build-budget", type=float, default=900.0,
                    help="seconds of index building per run (the build resumes next run)")
    ap.add_argument("--stand-in-vectors", action="store_true",
                    help="latency only: cheap passage vectors, real query encoder (see StandInVectors)")
    args = ap.parse_args()

    embedder = c.make_minilm()
    if args.stand_in_vectors:
        embedder = StandInVectors(embedder)
    embedder.embed_query("load the model before anything is timed")
    home, manifest = build_or_reuse(embedder, args.target_chunks, args.rebuild, args.build_budget)
    c.log(f"index: {manifest['chunks']} chunks from {len(manifest['files'])} RFCs at {home}")

    texts = [q.question for q in c.load_questions()]
    # Every timed query is distinct, so a query-embedding cache cannot flatter a mode.
    queries = [texts[i % len(texts)] + ("" if i < len(texts) else f" (take {i // len(texts)})")
               for i in range(args.queries)]
    settings = c.settings_for(home)
    with c.Timer() as open_t:
        kb = c.open_kb(settings, embedder)
    for mode in MODES:  # warm every backend (SQLite pages, Chroma segments) on unrelated queries
        for q in ("bgp hold timer", "ospf area border router", "ipv6 fragment header"):
            kb.search(q, top_k=args.top_k, mode=mode)

    def sequential(q: str):  # hybrid with both sides one after the other
        kb.parallel_search = False
        try:
            return kb.search(q, top_k=args.top_k, mode="hybrid")
        finally:
            kb.parallel_search = True

    timed = {BASELINE: embedder.embed_query}
    timed.update({m: (lambda q, m=m: kb.search(q, top_k=args.top_k, mode=m)) for m in MODES})
    if hasattr(kb, "parallel_search"):
        timed[SEQUENTIAL] = sequential
    load_before = os.getloadavg()
    results = {name: summary(ms) for name, ms in latencies(timed, queries).items()}
    load_after = os.getloadavg()
    c.close(kb)

    base = results[BASELINE]["p50_ms"]
    for mode in [m for m in results if m != BASELINE]:
        results[mode]["p50_vs_embed"] = round(results[mode]["p50_ms"] / base, 2) if base else None
    verdict = {f"{m}_p50_le_{TARGET_P50_MS:g}ms": results[m]["p50_ms"] <= TARGET_P50_MS for m in MODES}
    verdict["corpus_ge_target_chunks"] = manifest["chunks"] >= args.target_chunks
    doc = {"bench": "kb_search", "date": time.strftime("%Y-%m-%d"), "chunks": manifest["chunks"],
           "passage_vectors": "stand-in (latency only)" if args.stand_in_vectors else "real",
           "rfcs": len(manifest["files"]), "top_k": args.top_k, "open_seconds": round(open_t.seconds, 3),
           "index_build_seconds": manifest.get("build_seconds"), "latency": results, "targets": verdict,
           "time_utc": time.strftime("%H:%M", time.gmtime()),
           "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]}}
    if args.json:
        c.emit_json(doc)
        return 0
    if manifest["chunks"] < args.target_chunks:
        print(f"NOTE: the index is still short of {args.target_chunks} chunks; rerun to continue building")
    if args.stand_in_vectors:
        print("passage vectors: stand-in (latency only; dense results are meaningless)")
    print(f"kb_search: {manifest['chunks']} chunks from {len(manifest['files'])} RFCs, top_k={args.top_k}, "
          f"{args.queries} queries per mode (KnowledgeBase opened in {open_t.seconds * 1000:.0f} ms)")
    rows = [[name, r["p50_ms"], r["p95_ms"], r["mean_ms"], r.get("p50_vs_embed", "1.00")]
            for name, r in results.items()]
    print(c.fmt_table(["mode", "p50 ms", "p95 ms", "mean ms", "p50 / embed"], rows))
    print("targets: " + ", ".join(f"{k}={'PASS' if v else 'FAIL'}" for k, v in verdict.items()))
    print(f"load average (1/5/15 min) before {doc['load_average']['before']}, after {doc['load_average']['after']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
