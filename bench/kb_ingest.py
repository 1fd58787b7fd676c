"""Ingestion throughput: ``KnowledgeBase.add`` vs the bare embedder on the same chunks.

The embedder handed to the knowledge base is wrapped so that it records exactly the texts the
index embeds (chunk text plus whatever prefix the index adds). The baseline then embeds those
same texts, in the same batches, with the bare ``embed_documents`` -- or, for an embedder that
takes chunks whole (``embed_passages``: MiniLM since index format 4, which embeds a long chunk
as several windows), the same (heading, text) batches through the bare ``embed_passages``, so
the ratio stays the index's overhead around the same embedding work. Both run in the same
process with the model already loaded and the index code warmed up (one untimed ``add`` of a
small RFC), interleaved over ``--rounds`` rounds (the order alternates; a fresh NETOPS_HOME
each time). Each round yields a paired ratio (its kb run over its bare run, seconds apart); the
reported ratio is the median of those, so one noisy run cannot decide it.

    python bench/kb_ingest.py [--json] [--rfcs 4271,4456,4760,5065,8200] [--rounds 5]

Target: KnowledgeBase chunks/s >= 0.8 x bare embedder chunks/s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import _common as c

TARGET_RATIO = 0.8


class RecordingEmbedder:
    """Forwards to a real embedder and remembers what was embedded and for how long."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self.batches: list[list[str]] = []
        self.seconds = 0.0

    def __getattr__(self, name):
        return getattr(self._inner, name)

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def dim(self) -> int:
        return self._inner.dim

    @property
    def fingerprint(self) -> str:
        return self._inner.fingerprint

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        t0 = time.perf_counter()
        out = self._inner.embed_documents(texts)
        self.seconds += time.perf_counter() - t0
        self.batches.append(list(texts))
        return out

    def embed_passages(self, passages: list[tuple[str, str]]) -> list[list[float]]:
        """What the index calls for chunks (index format 4): each batch is kept for the bare run."""
        t0 = time.perf_counter()
        out = self._inner.embed_passages(passages)
        self.seconds += time.perf_counter() - t0
        self.batches.append(list(passages))
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


def run_kb(paths: list[Path], inner) -> dict:
    rec = RecordingEmbedder(inner)
    with tempfile.TemporaryDirectory(prefix="netops-bench-ingest-") as tmp:
        settings = c.settings_for(Path(tmp) / "home")
        kb = c.open_kb(settings, rec)
        with c.Timer() as t:
            report = kb.add(paths)
        c.close(kb)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")
    return {"chunks": report.chunks, "seconds": t.seconds, "embed_seconds": rec.seconds,
            "batches": rec.batches}


def run_bare(batches: list[list], inner) -> dict:
    n = sum(len(b) for b in batches)
    with c.Timer() as t:
        for b in batches:
            if b and isinstance(b[0], tuple):  # (heading, text) pairs: the embed_passages path
                inner.embed_passages(b)
            else:
                inner.embed_documents(b)
    return {"chunks": n, "seconds": t.seconds}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument("--rfcs", default="4271,4456,4760,5065,8200", help="comma-separated RFC numbers")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    numbers = [int(x) for x in args.rfcs.split(",") if x.strip()]
    paths = [c.rfc_file(n) for n in numbers]
    if any(p is None for p in paths):
        raise SystemExit(f"RFCs not installed among {numbers} (apt-get install doc-rfc-std)")

    inner = c.make_minilm()
    inner.embed_documents(["load the model", "before anything is timed"])
    warm = c.rfc_file(4456) or paths[0]
    run_kb([warm], inner)  # imports (chromadb, llama-index) and first-use costs, untimed
    # the texts the index embeds (passage plus heading line): the baseline embeds exactly these
    batches = run_kb(paths, inner)["batches"]
    kb_runs, bare_runs, ratios = [], [], []
    for r in range(args.rounds):
        order = ("kb", "bare") if r % 2 == 0 else ("bare", "kb")
        got = {}
        for which in order:
            if which == "kb":
                got["kb"] = run = run_kb(paths, inner)
                kb_runs.append(run)
                c.log(f"round {r + 1}: KnowledgeBase.add {run['chunks']} chunks in {run['seconds']:.1f}s")
            else:
                got["bare"] = run = run_bare(batches, inner)
                bare_runs.append(run)
                c.log(f"round {r + 1}: bare embedder {run['chunks']} chunks in {run['seconds']:.1f}s")
        ratios.append((got["kb"]["chunks"] / got["kb"]["seconds"]) / (got["bare"]["chunks"] / got["bare"]["seconds"]))

    kb_med = c.median([x["seconds"] for x in kb_runs])
    bare_med = c.median([x["seconds"] for x in bare_runs])
    chunks = kb_runs[0]["chunks"]
    embedded = bare_runs[0]["chunks"]
    kb_rate = chunks / kb_med
    bare_rate = embedded / bare_med
    ratio = c.median(ratios)
    embed_med = c.median([x["embed_seconds"] for x in kb_runs])
    overhead = c.median([x["seconds"] - x["embed_seconds"] for x in kb_runs])
    # Same-run share of KnowledgeBase.add spent inside the embedder: robust to a busy machine
    embed_share = c.median([x["embed_seconds"] / x["seconds"] for x in kb_runs])
    spread = max(r["seconds"] for r in bare_runs) / min(r["seconds"] for r in bare_runs)
    kb_mid = {"chunks": chunks, "seconds": kb_med, "embed_seconds": embed_med}
    bare_mid = {"chunks": embedded, "seconds": bare_med}
    doc = {
        "bench": "kb_ingest",
        "date": time.strftime("%Y-%m-%d"),
        "rfcs": numbers,
        "chunks": kb_mid["chunks"],
        "embedded_texts": bare_mid["chunks"],
        "rounds": args.rounds,
        "kb_chunks_per_s": round(kb_rate, 2),
        "bare_chunks_per_s": round(bare_rate, 2),
        "ratio": round(ratio, 3),
        "round_ratios": [round(x, 3) for x in ratios],
        "kb_seconds": round(kb_mid["seconds"], 2),
        "kb_seconds_in_embedder": round(kb_mid["embed_seconds"], 2),
        "kb_seconds_outside_embedder": round(overhead, 2),
        "bare_seconds": round(bare_mid["seconds"], 2),
        "embed_share_of_kb_add": round(embed_share, 3),
        "bare_run_spread": round(spread, 2),
        "targets": {f"ratio_ge_{TARGET_RATIO}": ratio >= TARGET_RATIO},
    }
    if args.json:
        c.emit_json(doc)
        return 0
    print(f"kb_ingest: RFC {', '.join(map(str, numbers))}: {kb_mid['chunks']} chunks, "
          f"median of {args.rounds} interleaved rounds")
    print(c.fmt_table(["path", "seconds", "chunks/s"], [
        ["KnowledgeBase.add", kb_mid["seconds"], kb_rate],
        ["  of which in the embedder", kb_mid["embed_seconds"], ""],
        ["  of which elsewhere (load, chunk, store)", overhead, ""],
        ["bare embedder, same batches (baseline)", bare_mid["seconds"], bare_rate],
    ]))
    print(f"paired ratios per round: {', '.join(f'{x:.2f}' for x in ratios)}")
    print(f"ratio KnowledgeBase / bare (median of rounds) = {ratio:.2f} (target >= {TARGET_RATIO}): "
          f"{'PASS' if ratio >= TARGET_RATIO else 'FAIL'}")
    print(f"share of KnowledgeBase.add spent in the embedder = {embed_share:.2f} "
          f"(1.00 = no overhead); bare runs varied {spread:.2f}x between rounds"
          + (" -- the machine is busy, trust the share more than the wall ratio" if spread > 1.2 else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
