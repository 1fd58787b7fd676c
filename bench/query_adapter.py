"""A linear query adapter for MiniLM, learnt from the default corpus itself (no questions).

MiniLM embeds a question and a passage with the same encoder, yet the two read differently.
This trains a 384x384 map ``W`` (identity at the start) applied to *query* vectors only,
``q' = normalise(W q)``, from pairs cut out of the shipped default RFC corpus (the
``rfc-core`` knowledge source, exactly as ``KnowledgeBase.bootstrap`` indexes it):

* ``title``: a section's title -> that section's first chunk;
* ``sentence``: one sentence of a chunk (6-40 words) -> its chunk;
* ``ict``: the same sentence -> the chunk *without* it, re-embedded (inverse cloze task);
* ``qtitle``: the title in a generic wh-form (:data:`TEMPLATES`) -> the section's first chunk.

Passage targets are the stored vectors of that index; every other chunk of it is a negative
(full softmax, temperature ``tau``), with ``lam * ||W - I||^2`` keeping ``W`` near identity.
``ridge`` is the closed-form least squares ``W q ~ p`` with the same penalty instead.
No question file is read for training.

Each ``W`` is then judged on the tuning sets' cached ``kb_quality`` indexes: exact numpy
dense search over the index's own vectors, netops' real lexical side and ``rank()``; ``W = I``
reproduces ``kb_quality``. ``--check`` also runs the check sets, for a final report only
(figures, never misses).

    python bench/query_adapter.py [--sets rfc,passages,shortrfc] [--check] [--save W.npy] [--load W.npy]
        [--kinds title,sentence+ict+title,qtitle] [--per-chunk 2] [--lam 0.01,0.1] [--tau 0.05]
        [--epochs 20] [--seeds 0,1,2] [--ridge 1,10] [--shift 0.5,1] [--shares 0.5,0.6]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

import _common as c

CORPUS = "query_adapter-corpus"
TEMPLATES = ("What is {}?", "How does {} work?", "What does the spec say about {}?",
             "When is {} used?", "Explain {}.", "What are the rules for {}?")
"""Generic wh-forms put around a section title (``qtitle`` pairs and the ``shift`` variant):
no question set is read."""
_SENT = re.compile(r"(?<=[.;:!?])\s+(?=[A-Z(\"'])")


def corpus_kb():
    """The shipped default corpus, built once (vectors now) under bench/.cache."""
    home = c.CACHE / CORPUS / "home"
    kb = c.open_kb(c.settings_for(home), c.make_minilm())
    done = home.parent / "built.json"
    if not done.is_file():
        c.log("building the default corpus index (rfc-core + runbooks) ...")
        t0 = time.perf_counter()
        kb.bootstrap(vectors="now", background=False)
        done.write_text(json.dumps({"seconds": round(time.perf_counter() - t0, 1)}))
    return kb


def stored(kb):
    """(ids, L2-normalised matrix, chunk by id) of an index's own vectors."""
    import numpy as np

    got = kb.vectors._open().get(include=["embeddings"])
    ids = list(got["ids"])
    mat = np.asarray(got["embeddings"], dtype=np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    return ids, mat, kb.lexical.chunks(ids)


def sentences(text: str) -> list[str]:
    out = []
    for s in _SENT.split(" ".join(text.split())):
        n = len(s.split())
        if 6 <= n <= 40 and sum(ch.isalpha() for ch in s) > 0.6 * len(s):
            out.append(s)
    return out


def training_pairs(kb, kinds: set[str], per_chunk: int, seed: int):
    """Query texts, the row of their target chunk, and (for ``ict``) the target text."""
    from netops.rag.chunking import index_heading

    ids, mat, chunks = stored(kb)
    row = {cid: i for i, cid in enumerate(ids)}
    rng = random.Random(seed)
    queries, targets, ict = [], [], []
    seen_sections = set()
    for cid in ids:
        ch = chunks[cid]
        if not ch.doc_id.startswith("RFC"):
            continue  # the RFC corpus only (runbooks and the glossary are tiny and not RFC prose)
        key = (ch.doc_id, ch.section)
        if ch.section_title and key not in seen_sections:
            seen_sections.add(key)
            if "title" in kinds:
                queries.append(ch.section_title)
                targets.append(row[cid])
                ict.append(None)
            if "qtitle" in kinds:
                queries.append(rng.choice(TEMPLATES).format(ch.section_title.lower()))
                targets.append(row[cid])
                ict.append(None)
        sents = sentences(ch.text)
        rng.shuffle(sents)
        for s in sents[:per_chunk]:
            if "sentence" in kinds:
                queries.append(s)
                targets.append(row[cid])
                ict.append(None)
            if "ict" in kinds:
                rest = " ".join(ch.text.split()).replace(s, " ").strip()
                if len(rest.split()) >= 10:
                    queries.append(s)
                    targets.append(row[cid])
                    ict.append((index_heading(ch), rest))
    return ids, mat, queries, targets, ict


def train(Q, P, targets, T, *, lam: float, tau: float, epochs: int, lr: float = 2e-3, seed: int = 0):
    """Contrastive: softmax over every stored chunk; the positive is ``T`` when given."""
    import numpy as np
    import torch

    torch.manual_seed(seed)
    q = torch.from_numpy(Q)
    p = torch.from_numpy(P)
    t = torch.from_numpy(np.asarray(targets))
    tv = torch.from_numpy(T) if T is not None else None
    d = Q.shape[1]
    W = torch.nn.Parameter(torch.eye(d))
    eye = torch.eye(d)
    opt = torch.optim.Adam([W], lr=lr)
    n = len(targets)
    for _ in range(epochs):
        perm = torch.randperm(n)
        for b in range(0, n, 256):
            idx = perm[b:b + 256]
            qa = torch.nn.functional.normalize(q[idx] @ W.T, dim=1)
            logits = qa @ p.T / tau
            if tv is not None:
                pos = (qa * tv[idx]).sum(1) / tau
                logits = logits.scatter(1, t[idx][:, None], pos[:, None])
            loss = torch.nn.functional.cross_entropy(logits, t[idx]) + lam * ((W - eye) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return W.detach().numpy().astype(np.float32)


def ridge(Q, Y, lam: float):
    """argmin ||Q W^T - Y||^2 + lam ||W - I||^2."""
    import numpy as np

    d = Q.shape[1]
    A = Q.T @ Q + lam * np.eye(d, dtype=np.float32)
    B = Q.T @ Y + lam * np.eye(d, dtype=np.float32)
    return np.linalg.solve(A, B).T.astype(np.float32)


class SetEval:
    """One cached kb_quality index with each question's query vector and lexical side."""

    def __init__(self, name: str, tmp: Path, emb) -> None:
        import numpy as np

        import kb_quality as kq
        from netops.rag.fusion import Ranking

        self.name = name
        self.qs = kq.load_set(name, tmp)
        self.kb, _, _ = kq.open_index(self.qs, c.make_minilm(), tmp, reuse=True)
        self.ids, self.mat, self.chunks = stored(self.kb)
        self.r = Ranking()
        self.k = 10
        self.pool = self.r.pool(self.k)
        self.Q = np.asarray([emb.embed_query(it.question) for it in self.qs.items], dtype=np.float32)
        self.lex = [self.kb._lexical_side(it.question, self.pool, self.r)[1] for it in self.qs.items]

    def score(self, W=None, b=None, share: float | None = None) -> dict:
        import numpy as np

        import kb_quality as kq
        from netops.rag.fusion import rank

        from dataclasses import replace

        r = self.r if share is None else replace(self.r, lexical_share=share)
        Q = self.Q if W is None else self.Q @ W.T
        if b is not None:
            Q = Q + b
        Q = Q / np.linalg.norm(Q, axis=1, keepdims=True)
        sims = Q @ self.mat.T
        out = {"hybrid": [], "dense": [], "lexical": []}
        for i, it in enumerate(self.qs.items):
            out["lexical"].append(kq.rank_of(rank(it.question, [], self.lex[i], self.k, self.r, mode="lexical"), it.labels))
            order = np.argsort(-sims[i], kind="stable")[:self.pool]
            dense = [(self.chunks[self.ids[j]], float(sims[i, j])) for j in order]
            out["hybrid"].append(kq.rank_of(rank(it.question, dense, self.lex[i], self.k, r, mode="hybrid"), it.labels))
            out["dense"].append(kq.rank_of(rank(it.question, dense, [], self.k, self.r, mode="dense"), it.labels))
        n = len(self.qs.items)
        res = {}
        for mode, ranks in out.items():
            res[mode] = (sum(r == 1 for r in ranks if r) / n, sum(1 for r in ranks if r and r <= 5) / n,
                         sum(1 / r for r in ranks if r) / n)
        return res


def main() -> int:
    import numpy as np

    import kb_quality as kq

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(kq.TUNING))
    ap.add_argument("--check", action="store_true", help="also report the check sets (figures only)")
    ap.add_argument("--kinds", default="title,sentence", help="pair kinds, '+'-joined alternatives separated by ','")
    ap.add_argument("--per-chunk", type=int, default=2)
    ap.add_argument("--lam", default="0.001,0.01,0.1")
    ap.add_argument("--tau", default="0.05")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seeds", default="0", help="training seeds (pair sampling and batches)")
    ap.add_argument("--ridge", default="", help="ridge penalties to try as well")
    ap.add_argument("--shift", default="", help="betas for the question-form shift q - beta*d")
    ap.add_argument("--shares", default="", help="also fuse each adapter at these lexical shares")
    ap.add_argument("--save", type=Path, default=None, help="save the last W trained here")
    ap.add_argument("--load", type=Path, default=None, help="evaluate this W only")
    args = ap.parse_args()
    names = [s for s in args.sets.split(",") if s]
    for s in names:
        if s not in kq.TUNING:
            raise SystemExit(f"{s}: tuning sets only here; --check adds the check sets for a report")
    if args.check:
        names += ["rfc_check", "shortpassages"]
    emb = c.make_minilm()

    variants: list[tuple[str, object]] = []
    if args.load:
        variants.append((f"load {args.load.name}", np.load(args.load)))
    else:
        kb = corpus_kb()
        for kinds in [k for k in args.kinds.split("+") if k]:
            ks = set(kinds.split(","))
            for seed in [int(x) for x in args.seeds.split(",")]:
                ids, P, queries, targets, ict = training_pairs(kb, ks, args.per_chunk, seed=seed)
                c.log(f"[{kinds} seed {seed}] {len(queries)} pairs over {len(ids)} chunks; embedding ...")
                Q = np.asarray(emb.embed_documents(queries), dtype=np.float32)
                T = None
                if any(x is not None for x in ict):
                    need = [i for i, x in enumerate(ict) if x is not None]
                    vecs = np.asarray(emb.embed_passages([ict[i] for i in need]), dtype=np.float32)
                    T = P[np.asarray(targets)].copy()
                    T[need] = vecs
                for lam in [float(x) for x in args.lam.split(",") if x]:
                    for tau in [float(x) for x in args.tau.split(",") if x]:
                        t0 = time.perf_counter()
                        W = train(Q, P, targets, T, lam=lam, tau=tau, epochs=args.epochs, seed=seed)
                        c.log(f"  trained lam={lam} tau={tau} in {time.perf_counter() - t0:.1f}s, "
                              f"||W-I||={np.linalg.norm(W - np.eye(W.shape[0])):.3f}")
                        variants.append((f"{kinds} lam={lam} tau={tau} s{seed}", W))
                for lam in [float(x) for x in args.ridge.split(",") if x]:
                    Y = P[np.asarray(targets)] if T is None else T
                    variants.append((f"{kinds} ridge lam={lam} s{seed}", ridge(Q, Y, lam)))
        if args.shift:
            ids, P, titles, _, _ = training_pairs(kb, {"title"}, 0, seed=0)
            plain = np.asarray(emb.embed_documents(titles), dtype=np.float32)
            d = np.zeros(plain.shape[1], dtype=np.float32)
            for tpl in TEMPLATES:
                asked = np.asarray(emb.embed_documents([tpl.format(t.lower()) for t in titles]), dtype=np.float32)
                d += (asked - plain).mean(0) / len(TEMPLATES)
            c.log(f"question-form shift over {len(titles)} titles x {len(TEMPLATES)} forms: |d| = {np.linalg.norm(d):.3f}")
            for beta in [float(x) for x in args.shift.split(",") if x]:
                variants.append((f"shift beta={beta}", (None, -beta * d)))
        c.close(kb)
        if args.save:
            np.save(args.save, variants[-1][1])

    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            ev = SetEval(name, Path(tmp), emb)
            base = ev.score(None)
            rows = [("identity (current)", base)] + [
                (label, ev.score(*W) if isinstance(W, tuple) else ev.score(W)) for label, W in variants]
            for sh in [float(x) for x in args.shares.split(",") if x]:
                rows += [(f"share {sh} identity", ev.score(None, None, sh))]
                rows += [(f"share {sh} {label}", ev.score(*W, sh) if isinstance(W, tuple) else ev.score(W, None, sh))
                         for label, W in variants]
            for label, res in rows:
                h, d, x = res["hybrid"], res["dense"], res["lexical"]
                print(f"{name:13} {label:40} hybrid {h[0]:.3f} / {h[1]:.3f} / {h[2]:.3f}   "
                      f"dense {d[0]:.3f} / {d[1]:.3f} / {d[2]:.3f}   lexical {x[0]:.3f} / {x[1]:.3f} / {x[2]:.3f}",
                      flush=True)
            c.close(ev.kb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
