"""Sentence-level dense vectors: does scoring a chunk by its best sentence help? TUNING sets only.

all-MiniLM-L6-v2 was trained mostly on sentence and question pairs; the index stores one vector
per chunk (its windows averaged since index format 4), in which the one sentence that answers a
question is diluted by the rest. This embeds every chunk of the cached tuning indexes
(``kb_quality.py --reuse-index``) again as *units* -- its sentences, or windows of two
consecutive sentences -- each headed by the chunk's heading line as the index does today
(:func:`~netops.rag.chunking.index_heading`), and builds the dense side's chunk score from them:

* ``max``: the best unit's cosine (MaxSim over the chunk's units);
* ``top2``: the mean of the two best units' cosines (a chunk of one unit: that one);
* ``chunk+LAMmax``: today's chunk cosine + LAM x the best unit's cosine.

Everything else is netops' own: the stored chunk vectors (exact numpy search; ``baseline`` is
them alone and must reproduce ``kb_quality``'s hybrid and dense figures), the lexical side
(``KnowledgeBase._lexical_side``) and the fusion (:func:`netops.rag.fusion.rank`, default
``Ranking``). Only the dense scores change. Units: the text cut at blank lines and list items
(a line starting ``-``, ``o``, ``*``, ``1.``, ``1)``), each piece's whitespace flattened and split
after ``.!?`` before an upper-case letter, digit, quote or bracket; a unit of fewer than 6 words joins the next
(the last joins the one before); one of more than 60 words is cut into equal pieces of at most 60;
a chunk with no text left keeps its whole text as one unit.

Pre-registered (written before any result was seen; 10 settings, ``baseline`` not counted):
units ``sent`` and ``win2`` x scores ``max``, ``top2``, ``chunk+0.5max``, ``chunk+1max``,
``chunk+2max``. A setting is ADOPTABLE only if on EVERY tuning set its hybrid recall@1 and MRR
are >= the baseline's and its recall@5 is at most one question lower, and its hybrid recall@1
summed over the sets gains >= 3 questions. Of several, the one with the largest summed recall@1
gain, then summed MRR, then ``sent`` before ``win2`` (fewer vectors). Only that one setting runs,
once, on the check sets (``--check SETTING``: figures only, nothing per question).
Amended 22:17 UTC, still before any result: the ``win2`` half of the grid was not run (on the
shared 2-core machine the ``sent`` units of ``rfc`` alone embedded at ~8 units/s, and ``win2`` costs
about 1.4 times as much); the rule applies to the five ``sent`` settings.

Also, in the same run: units per chunk, the seconds to embed every unit, and passages/s of the
sentence embedding against today's chunk embedding (``embed_chunks``) on the same 128 chunks
of ``--speed-sets`` (two interleaved rounds after a warm-up).

    python bench/dense_sentences.py [--json] [--sets rfc,passages,shortrfc,rfc_oldstyle] [--units sent,win2]
    python bench/dense_sentences.py --check SETTING     # e.g. --check sent/max, once

Unit vectors are cached in ``bench/.cache`` (keyed by the index and this file's unit rules).
Refuses check sets except through ``--check``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import tempfile
import time
from pathlib import Path

import _common as c
import kb_quality as kq

UNITS = ("sent", "win2")
SCORES = ("max", "top2", "chunk+0.5max", "chunk+1max", "chunk+2max")
MIN_WORDS = 6
MAX_WORDS = 60
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
_BLOCK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-o*]|\d+[.)])\s)")  # paragraphs and list items
UNIT_RULES = f"v1 {_SPLIT.pattern} {_BLOCK.pattern} {MIN_WORDS} {MAX_WORDS}"


def settings() -> list[str]:
    return ["baseline"] + [f"{u}/{s}" for u in UNITS for s in SCORES]


def sentences(text: str) -> list[str]:
    """The chunk's text as sentences of MIN_WORDS..MAX_WORDS words (see the module docstring)."""
    pieces = [s for block in _BLOCK.split(text) for s in _SPLIT.split(" ".join(block.split())) if s]
    if not pieces:
        return []
    out: list[str] = []
    carry = ""
    for s in pieces:
        s = f"{carry} {s}".strip() if carry else s
        if len(s.split()) < MIN_WORDS:
            carry = s
            continue
        carry = ""
        out.append(s)
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    cut: list[str] = []
    for s in out:
        words = s.split()
        if len(words) <= MAX_WORDS:
            cut.append(s)
            continue
        n = -(-len(words) // MAX_WORDS)
        size = -(-len(words) // n)
        cut += [" ".join(words[i:i + size]) for i in range(0, len(words), size)]
    return cut


def units(chunk, kind: str) -> list[str]:
    """The texts embedded for ``chunk``: each unit under the chunk's heading line."""
    from netops.rag.chunking import index_heading

    sents = sentences(chunk.text) or [chunk.text]
    if kind == "win2" and len(sents) > 1:
        sents = [f"{a} {b}" for a, b in zip(sents, sents[1:])]
    heading = index_heading(chunk)
    return [f"{heading}\n{s}" if heading else s for s in sents]


def embed_units(emb, chunks, kind: str, cache_key: str, tag: str):
    """(unit vectors, owner row per unit, seconds to embed), cached in bench/.cache."""
    import numpy as np

    path = c.CACHE / f"dense_sentences-{tag}-{cache_key}-{kind}.npz"
    if path.is_file():
        got = np.load(path)
        return got["vecs"], got["owner"], float(got["seconds"])
    texts, owner = [], []
    for i, ch in enumerate(chunks):
        for u in units(ch, kind):
            texts.append(u)
            owner.append(i)
    t0 = time.perf_counter()
    parts: list = []
    for i in range(0, len(texts), 512):
        parts += emb.embed_documents(texts[i:i + 512])
        c.log(f"  [{tag}] {kind}: {min(i + 512, len(texts))}/{len(texts)} units "
              f"{time.perf_counter() - t0:.0f} s")
    secs = time.perf_counter() - t0
    vecs = np.asarray(parts, dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, vecs=vecs, owner=np.asarray(owner), seconds=secs)
    return vecs, np.asarray(owner), secs


def chunk_scores(score: str, chunk_sims, unit_sims, owner, n_chunks: int):
    """The dense side's score of every chunk under ``score``."""
    import numpy as np

    best = np.full(n_chunks, -np.inf, dtype=np.float32)
    np.maximum.at(best, owner, unit_sims)
    if score == "max":
        return best
    if score.startswith("chunk+"):
        lam = float(score[len("chunk+"):-len("max")])
        return chunk_sims + lam * best
    if score == "top2":
        order = np.lexsort((-unit_sims, owner))  # by chunk, best unit first
        o, s = owner[order], unit_sims[order]
        first = np.r_[True, o[1:] != o[:-1]]
        second = np.r_[False, first[:-1]] & ~first
        out = best.copy()
        out[o[second]] = (s[np.flatnonzero(second) - 1] + s[second]) / 2
        return out
    raise ValueError(score)


def throughput(emb, chunks, kind: str, n: int = 128) -> dict:
    """Passages/s of today's chunk embedding and of the unit embedding on the same chunks."""
    from netops.rag.embedders import embed_chunks

    sample = random.Random(0).sample(chunks, min(n, len(chunks)))
    texts = [u for ch in sample for u in units(ch, kind)]
    embed_chunks(emb, sample[:8])  # warm-up
    emb.embed_documents(texts[:8])
    t = {"chunk": [], "units": []}
    for rnd in range(2):
        for which in (("chunk", "units") if rnd == 0 else ("units", "chunk")):
            t0 = time.perf_counter()
            embed_chunks(emb, sample) if which == "chunk" else emb.embed_documents(texts)
            t[which].append(time.perf_counter() - t0)
    chunk_s, unit_s = min(t["chunk"]), min(t["units"])
    return {"chunks": len(sample), "units": len(texts), "chunk_embedding_passages_per_s": len(sample) / chunk_s,
            "unit_embedding_passages_per_s": len(sample) / unit_s, "units_per_s": len(texts) / unit_s}


def evaluate(name: str, emb, top_k: int, tmp: Path, wanted: list[str], check: bool, speed: bool) -> dict:
    import numpy as np

    from netops.rag.fusion import Ranking, rank

    qs = kq.load_set(name, tmp)
    if qs is None:
        raise SystemExit(f"{name}: files missing")
    embedder = c.make_minilm()
    kb, _, _ = kq.open_index(qs, embedder, tmp, reuse=True)
    key = hashlib.sha256(f"{kq._index_key(qs, embedder)}|{UNIT_RULES}".encode()).hexdigest()[:16]
    got = kb.vectors._open().get(include=["embeddings"])
    ids = list(got["ids"])
    mat = np.asarray(got["embeddings"], dtype=np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    by_id = kb.lexical.chunks(ids)
    chunks = [by_id[cid] for cid in ids]
    r = Ranking()
    k = top_k
    pool = r.pool(k)
    c.log(f"[{name}] {len(chunks)} chunks, {len(qs.items)} questions")
    kinds = sorted({s.split("/")[0] for s in wanted if s != "baseline"}, key=UNITS.index)
    unit_data = {kind: embed_units(emb, chunks, kind, key, name) for kind in kinds}
    qvecs = np.asarray([emb.embed_query(it.question) for it in qs.items], dtype=np.float32)
    lex = [kb._lexical_side(it.question, pool, r) for it in qs.items]
    ranks: dict[str, dict[str, list]] = {}
    ranks["lexical"] = {"hybrid": [kq.rank_of(rank(it.question, [], lx, k, r, mode="lexical"), it.labels)
                                   for it, (_, lx) in zip(qs.items, lex)]}
    for setting in wanted:
        ranks[setting] = {"hybrid": [], "dense": []}
        for it, qv, (_, lexical) in zip(qs.items, qvecs, lex):
            sims = mat @ qv
            if setting != "baseline":
                kind, score = setting.split("/")
                vecs, owner, _ = unit_data[kind]
                sims = chunk_scores(score, sims, vecs @ qv, owner, len(chunks))
            order = np.argsort(-sims, kind="stable")[:pool]
            dense = [(chunks[i], float(sims[i])) for i in order]
            ranks[setting]["hybrid"].append(kq.rank_of(rank(it.question, dense, lexical, k, r, mode="hybrid"),
                                                       it.labels))
            ranks[setting]["dense"].append(kq.rank_of(rank(it.question, dense, [], k, r, mode="dense"), it.labels))
    rows = {}
    for setting, by_mode in ranks.items():
        rows[setting] = {}
        for mode, rk in by_mode.items():
            s = kq.summarize(mode, qs.items, rk, [[]] * len(qs.items), 0.0)
            rows[setting][mode] = {"r1": s.recall_at_1, "r5": s.recall_at_5, "mrr": s.mrr,
                                   "n1": sum(1 for x in rk if x == 1),
                                   "n5": sum(1 for x in rk if x is not None and x <= 5)}
    cost = {kind: {"units": len(unit_data[kind][1]), "units_per_chunk": len(unit_data[kind][1]) / len(chunks),
                   "embed_seconds": unit_data[kind][2]} for kind in kinds}
    speed = {kind: throughput(emb, chunks, kind) for kind in kinds} if speed and not check else {}
    c.close(kb)
    return {"set": name, "role": qs.role, "questions": len(qs.items), "chunks": len(chunks),
            "rows": rows, "cost": cost, "throughput": speed}


def verdicts(results: list[dict], wanted: list[str]) -> dict:
    """The pre-registered rule, per setting (see the module docstring)."""
    out = {}
    for setting in wanted:
        if setting == "baseline":
            continue
        ok, gain, mrr = True, 0, 0.0
        for res in results:
            b, s = res["rows"]["baseline"]["hybrid"], res["rows"][setting]["hybrid"]
            ok &= s["n1"] >= b["n1"] and s["mrr"] >= b["mrr"] - 1e-12 and s["n5"] >= b["n5"] - 1
            gain += s["n1"] - b["n1"]
            mrr += s["mrr"] - b["mrr"]
        out[setting] = {"every_set_ok": ok, "r1_gain_questions": gain, "mrr_gain_sum": mrr,
                        "adoptable": ok and gain >= 3}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument("--sets", default=",".join(kq.TUNING))
    ap.add_argument("--units", default=",".join(UNITS))
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--speed-sets", default="rfc", help="sets whose chunks time the two embeddings")
    ap.add_argument("--check", default=None, metavar="SETTING",
                    help="run only SETTING (and the baseline) on the check sets (rfc_check, shortpassages), once")
    args = ap.parse_args()
    from netops.rag.embedders import MiniLMEmbedder

    emb = MiniLMEmbedder()
    if args.check:
        if args.check not in settings() or args.check == "baseline":
            raise SystemExit(f"unknown setting {args.check!r}; known: {', '.join(settings()[1:])}")
        names, wanted = ["rfc_check", "shortpassages"], ["baseline", args.check]
    else:
        names = [s for s in args.sets.split(",") if s]
        for n in names:
            if n not in kq.TUNING:
                raise SystemExit(f"{n}: tuning sets only ({', '.join(kq.TUNING)}); the check sets run through --check")
        kinds = [u for u in args.units.split(",") if u]
        wanted = ["baseline"] + [s for s in settings()[1:] if s.split("/")[0] in kinds]
    results = []
    with tempfile.TemporaryDirectory(prefix="netops-bench-sentences-") as tmp:
        for n in names:
            results.append(evaluate(n, emb, args.top_k, Path(tmp), wanted, check=bool(args.check),
                                    speed=n in args.speed_sets.split(",")))
    doc = {"bench": "dense_sentences", "date": time.strftime("%Y-%m-%d %H:%M"), "top_k": args.top_k,
           "check": args.check, "unit_rules": UNIT_RULES, "sets": results}
    if not args.check:
        doc["verdicts"] = verdicts(results, wanted)
    if args.json:
        c.emit_json(doc)
        return 0
    print(f"dense_sentences ({doc['date']}, top {args.top_k}, MRR@{args.top_k}, section level"
          f"{', CHECK sets, one setting' if args.check else ''})")
    table = []
    for res in results:
        first = True
        for setting, row in res["rows"].items():
            h, d = row["hybrid"], row.get("dense")
            table.append([f"{res['set']} (n={res['questions']}, {res['chunks']} chunks)" if first else "", setting,
                          h["r1"], h["r5"], h["mrr"], f"{h['n1']}/{h['n5']}",
                          *((d["r1"], d["r5"], d["mrr"]) if d else ("", "", ""))])
            first = False
    print(c.fmt_table(["set", "setting", "hyb r@1", "hyb r@5", "hyb MRR", "n@1/n@5", "dense r@1", "dense r@5",
                       "dense MRR"], table))
    for res in results:
        for kind, cost in res["cost"].items():
            line = (f"  {res['set']} {kind}: {cost['units']} unit vectors ({cost['units_per_chunk']:.1f} per chunk), "
                    f"embedded in {cost['embed_seconds']:.0f} s")
            sp = res["throughput"].get(kind)
            if sp:
                line += (f"; same {sp['chunks']} chunks: today's chunk embedding "
                         f"{sp['chunk_embedding_passages_per_s']:.1f} passages/s, units "
                         f"{sp['unit_embedding_passages_per_s']:.1f} passages/s ({sp['units_per_s']:.0f} units/s)")
            print(line)
    if args.check:
        for res in results:
            b, s, lx = res["rows"]["baseline"]["hybrid"], res["rows"][args.check]["hybrid"], res["rows"]["lexical"]["hybrid"]
            if res["set"] == "rfc_check":
                print(f"  rfc_check hybrid recall@5 >= 0.95: baseline {b['r5']:.3f}, {args.check} {s['r5']:.3f} "
                      f"{'PASS' if s['r5'] >= 0.95 else 'FAIL'}")
            else:
                print(f"  shortpassages hybrid recall@1 >= lexical ({lx['r1']:.3f}) + 0.10: baseline {b['r1']:.3f}, "
                      f"{args.check} {s['r1']:.3f} {'PASS' if s['r1'] >= lx['r1'] + 0.10 - 1e-12 else 'FAIL'}")
    else:
        print("pre-registered rule (every set: hybrid r@1 and MRR >= baseline, r@5 at most one question lower; "
              "summed r@1 gain >= 3 questions):")
        for setting, v in doc["verdicts"].items():
            print(f"  {setting:14} every set ok: {'yes' if v['every_set_ok'] else 'no ':3}  r@1 gain "
                  f"{v['r1_gain_questions']:+d} questions  MRR gain sum {v['mrr_gain_sum']:+.3f}  "
                  f"{'ADOPTABLE' if v['adoptable'] else '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
