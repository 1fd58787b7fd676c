"""Retrieval quality on every question set, each mode, one run: tuning sets and check sets.

For each set a fresh index is built in a temporary NETOPS_HOME over the set's corpus (real
all-MiniLM-L6-v2 embedder) and every question is asked in every mode against that one index:

* ``hybrid``, ``lexical``, ``dense``: ``KnowledgeBase.search`` exactly as netops answers;
* ``bm25``: a plain stdlib BM25 (k1 1.2, b 0.75, lower-cased words, no stemming, no headings,
  no glossary) over the same chunks' raw text, one hit per section -- the baseline to beat.

Scores are at section level (the deepest section, or for passages the passage file):
recall@1, recall@5 and MRR@k. Sets (each skipped with a note when its files are missing):

==================  ======  ===========================================================
set                 role    corpus
==================  ======  ===========================================================
``rfc``             tuning  the RFCs ``questions/rfc.jsonl`` names
``passages``        tuning  short passages cut from those RFCs' sections (bench/_passages.py)
``shortrfc``        tuning  the same sections cut into files of <= 500 characters
``rfc_oldstyle``    tuning  every RFC in ``questions/rfc_oldstyle.sources`` (old-style RFCs, appendices)
``rfc_distract``    tuning  ``rfc``'s questions over its RFCs plus 30 distractors (``questions/rfc_distract.sources``)
``rfc_check``       check   every RFC in ``questions/rfc_check.sources``
``rfc_check2``      check   every RFC in ``questions/rfc_check2.sources`` (a third set, written blind; no target)
``shortpassages``   check   ``corpora/shortpassages/`` with ``questions/shortpassages.jsonl``
==================  ======  ===========================================================

Ranking may be tuned on the tuning sets only; check-set figures are reported as measured.

    python bench/kb_quality.py [--json] [--sets rfc,passages,shortrfc,rfc_oldstyle,rfc_check,rfc_check2,shortpassages] [--top-k 10]
        [--dump DIR]   # also write each question's candidate pools (tuning sets only) for bench/fusion_tune.py

Targets: rfc_check hybrid recall@5 >= 0.95; shortpassages hybrid recall@1 >= lexical + 0.10;
hybrid beats lexical and dense (recall@5 and MRR no worse, one better) on every set.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import _common as c

MODES = ("hybrid", "lexical", "dense", "bm25")
TUNING = ("rfc", "passages", "shortrfc", "rfc_oldstyle", "rfc_distract")
ALL_SETS = ("rfc", "passages", "shortrfc", "rfc_oldstyle", "rfc_distract", "rfc_check", "rfc_check2", "shortpassages")
TEAM_SETS = {"teamdocs": "tuning", "teamdocs_check": "check"}
"""A team's own documents (runbooks, vendor how-tos, notes, policies: markdown, text, PDF) in
``bench/corpora/<name>/`` with ``questions/<name>.jsonl`` (answerable and not); for abstain_eval.py."""
CHECK_RFC_SETS = ("rfc_check", "rfc_check2")  # RFC check sets: never tuned on, reported as measured


@dataclass
class Item:
    question: str
    labels: tuple[str, ...]
    tags: tuple[str, ...] = ()


@dataclass
class QSet:
    name: str
    role: str
    items: list[Item]
    paths: list[Path]
    note: str = ""
    unanswerable: list[str] = field(default_factory=list)
    """Questions the set's own corpus does not answer (team-document sets)."""


@dataclass
class ModeScore:
    mode: str
    n: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    mean_query_ms: float
    misses: list[dict] = field(default_factory=list)


# -- sets -----------------------------------------------------------------------------------

def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rfc_paths(numbers) -> list[Path]:
    paths, missing = [], []
    for n in sorted(set(numbers)):
        p = c.rfc_file(n)
        (paths.append(p) if p else missing.append(n))
    if missing:
        raise SystemExit(f"RFCs not installed: {missing} (apt-get install doc-rfc-std)")
    return paths


def load_set(name: str, work: Path) -> QSet | None:
    qdir = c.BENCH / "questions"
    if name == "rfc":
        qs = c.load_questions(qdir / "rfc.jsonl")
        return QSet(name, "tuning", [Item(q.question, (q.expected,)) for q in qs], _rfc_paths(q.rfc for q in qs))
    if name == "rfc_distract":
        qs = c.load_questions(qdir / "rfc.jsonl")
        sfile = qdir / "rfc_distract.sources"
        nums = [int(x.split("#")[0]) for x in sfile.read_text().splitlines() if x.split("#")[0].strip()]
        return QSet(name, "tuning", [Item(q.question, (q.expected,)) for q in qs],
                    _rfc_paths([*(q.rfc for q in qs), *nums]),
                    note=f"rfc.jsonl's questions over their RFCs and {len(nums)} distractor RFCs")
    if name in ("passages", "shortrfc"):
        import _passages

        qs = c.load_questions(qdir / "rfc.jsonl")
        dest = c.CACHE / f"{name}-tuning"
        gold = _passages.build(qs, dest, _passages.MAX_CHARS if name == "passages" else 500)
        items = [Item(q.question, gold[q.expected]) for q in qs if q.expected in gold]
        return QSet(name, "tuning", items, sorted(dest.glob("*.md")),
                    note=f"{len(items)} of {len(qs)} rfc.jsonl questions, gold = the section's passage files")
    if name in (*CHECK_RFC_SETS, "rfc_oldstyle"):
        qfile, sfile = qdir / f"{name}.jsonl", qdir / f"{name}.sources"
        if not qfile.is_file() or not sfile.is_file():
            return None
        nums = [int(x.split("#")[0]) for x in sfile.read_text().splitlines() if x.split("#")[0].strip()]
        items = [Item(d["question"], (d["expected"], *d.get("also", [])), tuple(d.get("tags", [])))
                 for d in _jsonl(qfile)]
        return QSet(name, "check" if name in CHECK_RFC_SETS else "tuning", items, _rfc_paths(nums))
    if name in TEAM_SETS:
        qfile, cdir = qdir / f"{name}.jsonl", c.BENCH / "corpora" / name
        if not qfile.is_file() or not cdir.is_dir():
            return None
        rows = _jsonl(qfile)
        items = [Item(d["question"], (d["expected"],)) for d in rows if d.get("answerable", True)]
        paths = sorted(p for p in cdir.iterdir() if p.is_file())
        return QSet(name, TEAM_SETS[name], items, paths, note="a team's own documents",
                    unanswerable=[d["question"] for d in rows if d.get("answerable", True) is False])
    if name == "shortpassages":
        qfile, cdir = qdir / "shortpassages.jsonl", c.BENCH / "corpora" / "shortpassages"
        if not qfile.is_file() or not cdir.is_dir():
            return None
        items = [Item(d["question"], (d["expected"], *d.get("also", []))) for d in _jsonl(qfile)]
        paths = sorted(p for p in cdir.rglob("*") if p.is_file() and p.suffix in {".md", ".txt"})
        return QSet(name, "check", items, paths)
    raise SystemExit(f"unknown set {name!r}; known: {', '.join(ALL_SETS)}")


# -- scoring --------------------------------------------------------------------------------

def rank_of(hits, labels) -> int | None:
    from netops.rag.eval import hit_matches

    for i, hit in enumerate(hits, 1):
        if hit_matches(hit, labels):
            return i
    return None


def summarize(mode: str, items: list[Item], ranks: list, hits_per_q: list, seconds: float) -> ModeScore:
    n = len(items)
    misses = [{"question": it.question, "expected": it.labels[0], "rank": r,
               "got": [h.chunk.citation for h in hits[:3]]}
              for it, r, hits in zip(items, ranks, hits_per_q) if r is None or r > 5]
    return ModeScore(mode=mode, n=n,
                     recall_at_1=sum(1 for r in ranks if r == 1) / n,
                     recall_at_5=sum(1 for r in ranks if r is not None and r <= 5) / n,
                     mrr=sum(1 / r for r in ranks if r is not None) / n,
                     mean_query_ms=1000 * seconds / n, misses=misses)


class PlainBM25:
    """Okapi BM25 over raw chunk text (the baseline), one hit per section."""

    def __init__(self, chunks, k1: float = 1.2, b: float = 0.75) -> None:
        self.chunks = chunks
        self.k1, self.b = k1, b
        self.tf = [Counter(self._words(ch.text)) for ch in chunks]
        self.len = [sum(t.values()) for t in self.tf]
        self.avg = sum(self.len) / max(len(self.len), 1)
        df: Counter = Counter()
        for t in self.tf:
            df.update(t.keys())
        n = len(chunks)
        self.idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(self.tf):
            for w in t:
                self.postings[w].append(i)

    @staticmethod
    def _words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    def search(self, query: str, k: int):
        from netops.rag.fusion import section_key
        from netops.rag.types import Hit

        scores: dict[int, float] = defaultdict(float)
        for w in set(self._words(query)):
            idf = self.idf.get(w)
            if idf is None:
                continue
            for i in self.postings[w]:
                f = self.tf[i][w]
                scores[i] += idf * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.len[i] / self.avg))
        seen, hits = set(), []
        for i in sorted(scores, key=lambda i: -scores[i]):
            key = section_key(self.chunks[i])
            if key in seen:
                continue
            seen.add(key)
            hits.append(Hit(chunk=self.chunks[i], score=scores[i], mode="bm25"))
            if len(hits) == k:
                break
        return hits


def beats(a: ModeScore, b: ModeScore) -> bool:
    """``a`` is no worse on recall@5 and MRR, and strictly better on at least one."""
    return a.recall_at_5 >= b.recall_at_5 and a.mrr >= b.mrr and (a.recall_at_5, a.mrr) != (b.recall_at_5, b.mrr)


def _index_key(qs: QSet, embedder) -> str:
    """What decides an index's content: the files, the index-shaping sources, the embedder."""
    import hashlib

    from kb_search import INDEX_SOURCES
    from netops.rag.kb import INDEX_FORMAT

    h = hashlib.sha256()
    for name in INDEX_SOURCES:
        p = c.REPO / "netops" / "rag" / name
        h.update(name.encode() + (p.read_bytes() if p.is_file() else b""))
    h.update(f"{embedder.fingerprint}|format {INDEX_FORMAT}|{c.files_fingerprint(qs.paths)}".encode())
    return h.hexdigest()[:16]


def open_index(qs: QSet, embedder, tmp: Path, reuse: bool):
    """A KnowledgeBase over the set's corpus: built fresh, or reused from bench/.cache when
    ``reuse`` and nothing that shapes the index changed (ranking code may change freely)."""
    import shutil

    if reuse:
        root = c.CACHE / f"kb_quality-{qs.name}-{_index_key(qs, embedder)}"
        for stale in c.CACHE.glob(f"kb_quality-{qs.name}-*"):
            if stale != root:
                shutil.rmtree(stale, ignore_errors=True)
        done = root / "built.json"
        if done.is_file():
            kb = c.open_kb(c.settings_for(root / "home"), embedder)
            return kb, json.loads(done.read_text())["seconds"], True
        shutil.rmtree(root, ignore_errors=True)
        home = root / "home"
    else:
        home = tmp / f"home-{qs.name}"
    kb = c.open_kb(c.settings_for(home), embedder)
    c.log(f"[{qs.name}] indexing {len(qs.paths)} files with {embedder.fingerprint} ...")
    with c.Timer() as build:
        report = kb.add(qs.paths)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")
    if reuse:
        (home.parent / "built.json").write_text(json.dumps({"seconds": round(build.seconds, 1)}))
    return kb, build.seconds, False


def run_set(qs: QSet, embedder, top_k: int, tmp: Path, dump: Path | None, reuse: bool = False) -> dict:
    kb, build_seconds, cached = open_index(qs, embedder, tmp, reuse)
    chunks = [ch for rec in kb.list() for ch in kb.lexical.iter_chunks(rec.source)]
    c.log(f"[{qs.name}] {len(chunks)} chunks ({'cached index' if cached else f'built in {build_seconds:.1f}s'}); "
          f"{len(qs.items)} questions")
    kb.search("warm up", top_k=1, mode="dense")
    bm25 = PlainBM25(chunks)
    scores: dict[str, ModeScore] = {}
    ranks_by_mode: dict[str, list] = {}
    for mode in MODES:
        ranks, hits_per_q = [], []
        t0 = time.perf_counter()
        for it in qs.items:
            hits = bm25.search(it.question, top_k) if mode == "bm25" else kb.search(it.question, top_k=top_k, mode=mode)
            ranks.append(rank_of(hits, it.labels))
            hits_per_q.append(hits)
        scores[mode] = summarize(mode, qs.items, ranks, hits_per_q, time.perf_counter() - t0)
        ranks_by_mode[mode] = ranks
    if dump is not None and qs.role == "tuning":
        _dump_candidates(kb, qs, dump / f"{qs.name}.jsonl", top_k)
    c.close(kb)
    by_tag: dict[str, list[int]] = {}
    for it, r in zip(qs.items, ranks_by_mode["hybrid"]):
        for tag in it.tags:
            by_tag.setdefault(tag, [0, 0])
            by_tag[tag][0] += r is not None and r <= 5
            by_tag[tag][1] += 1
    return {"set": qs.name, "role": qs.role, "questions": len(qs.items), "files": len(qs.paths),
            "hybrid_recall_at_5_by_tag": {t: f"{a}/{n}" for t, (a, n) in sorted(by_tag.items())},
            "chunks": len(chunks), "build_seconds": round(build_seconds, 1), "cached_index": cached, "note": qs.note,
            "modes": scores, "ranks": ranks_by_mode}


def candidate_row(ch, score: float, labels) -> dict:
    """One candidate as the dumps hold it (``fusion_tune.py`` reads them)."""
    from netops.rag.eval import hit_matches
    from netops.rag.fusion import section_key
    from netops.rag.types import Hit

    return {"id": ch.chunk_id, "sec": repr(section_key(ch)), "doc": ch.doc_id, "score": score,
            "gold": hit_matches(Hit(chunk=ch, score=score), labels)}


def _dump_candidates(kb, qs: QSet, path: Path, top_k: int) -> None:
    """Each question's dense and lexical candidate pools, with scores and gold flags."""
    from netops.rag.fusion import Ranking

    r = Ranking()
    pool = r.pool(top_k)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for it in qs.items:
            dense = kb.vectors.query(kb.embedder.embed_query(it.question), pool)
            lexical = kb.lexical.search(kb.expand(it.question), pool, heading_weight=r.heading_weight)

            def row(ch, s, it=it):
                return candidate_row(ch, s, it.labels)

            union = [ch.chunk_id for ch, _ in dense] + [ch.chunk_id for ch, _ in lexical]
            full = {"dense": kb.vectors.similarities(kb.embedder.embed_query(it.question), union),
                    "lexical": kb.lexical.scores(kb.expand(it.question), union, heading_weight=r.heading_weight)}
            fh.write(json.dumps({"q": it.question, "dense": [row(ch, s) for ch, s in dense],
                                 "lexical": [row(ch, s) for ch, s in lexical], "full": full}) + "\n")


# -- main -----------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument("--top-k", type=int, default=10, help="hits per query (MRR is @k)")
    ap.add_argument("--sets", default=",".join(ALL_SETS))
    ap.add_argument("--dump", type=Path, default=None, help="write tuning sets' candidate pools here")
    ap.add_argument("--misses", action="store_true", help="list hybrid misses of the tuning sets")
    ap.add_argument("--reuse-index", action="store_true",
                    help="keep built indexes in bench/.cache and reuse them while the corpus, the "
                         "index-shaping code and the embedder are unchanged")
    args = ap.parse_args()

    embedder = c.make_minilm()
    results, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="netops-bench-quality-") as tmp:
        for name in [s.strip() for s in args.sets.split(",") if s.strip()]:
            qs = load_set(name, Path(tmp))
            if qs is None:
                skipped.append(name)
                c.log(f"[{name}] files missing; skipped")
                continue
            results.append(run_set(qs, embedder, args.top_k, Path(tmp), args.dump, args.reuse_index))

    verdict = {}
    for res in results:
        m = res["modes"]
        verdict[f"{res['set']}: hybrid beats lexical"] = beats(m["hybrid"], m["lexical"])
        verdict[f"{res['set']}: hybrid beats dense"] = beats(m["hybrid"], m["dense"])
        if res["set"] == "rfc_check":
            verdict["rfc_check: hybrid recall@5 >= 0.95"] = m["hybrid"].recall_at_5 >= 0.95
        if res["set"] == "shortpassages":
            verdict["shortpassages: hybrid recall@1 >= lexical + 0.10"] = \
                m["hybrid"].recall_at_1 >= m["lexical"].recall_at_1 + 0.10
    doc = {"bench": "kb_quality", "date": time.strftime("%Y-%m-%d %H:%M"), "top_k": args.top_k,
           "embedder": embedder.fingerprint, "skipped": skipped,
           "sets": [{k: v for k, v in r.items() if k != "ranks"} for r in results], "targets": verdict}
    if args.json:
        c.emit_json(doc)
        return 0
    print(f"kb_quality ({doc['date']}, {embedder.fingerprint}, top {args.top_k}, MRR@{args.top_k}, section level)")
    rows = []
    for r in results:
        for mode in MODES:
            s = r["modes"][mode]
            rows.append([f"{r['set']} ({r['role']}, n={r['questions']}, {r['chunks']} chunks)" if mode == MODES[0] else "",
                         mode, s.recall_at_1, s.recall_at_5, s.mrr, f"{s.mean_query_ms:.1f}"])
    print(c.fmt_table(["set", "mode", "recall@1", "recall@5", "MRR", "ms/query"], rows))
    for r in results:
        if r["note"]:
            print(f"  {r['set']}: {r['note']}")
        if r["hybrid_recall_at_5_by_tag"]:
            print(f"  {r['set']}: hybrid recall@5 by tag: "
                  + ", ".join(f"{t} {v}" for t, v in r["hybrid_recall_at_5_by_tag"].items()))
    if skipped:
        print(f"skipped (files missing): {', '.join(skipped)}")
    print("targets: " + "; ".join(f"{k} {'PASS' if v else 'FAIL'}" for k, v in verdict.items()))
    if args.misses:
        for r in results:
            if r["role"] != "tuning":
                continue  # check-set misses are not for reading while tuning
            print(f"\n{r['set']} hybrid misses (not in top 5): {len(r['modes']['hybrid'].misses)}")
            for m in r["modes"]["hybrid"].misses:
                print(f"  - {m['question']}\n      want {m['expected']} (rank {m['rank']}); got {m['got']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
