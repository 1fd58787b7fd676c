"""Does netops say "your documents do not cover this" when, and only when, they do not?

For each set's corpus (the same cached indexes as ``kb_quality.py --reuse-index``), every
answerable question of the set and every unanswerable question of ``--unanswerable`` files is put
through :func:`netops.agent.grounding.from_knowledge`, exactly as ``netops ask`` grounds a knowledge
question, and the verdict is counted:

* answerable: **refused** (judged not covered: the user gets no answer, the model is not asked),
  and among the answered, whether a gold passage was among the sources given;
* unanswerable: **abstained** (right) or answered (the model would have been given passages that
  do not hold the answer).

    python bench/abstain_eval.py [--sets rfc,passages,shortrfc] [--unanswerable questions/abstain_tuning.jsonl,...]
        [--json] [--signals FILE]   # FILE: every question's raw signals as JSON lines, to study a rule

Tuning: ``abstain_tuning.jsonl`` (unanswerable, written for this) with the tuning sets' answerable
questions; ``grounding.jsonl``'s unanswerable questions; check: ``rfc_check_unanswerable.jsonl``,
``shortpassages`` and ``rfc_check`` answerable questions, reported as measured.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import _common as c
import kb_quality as q

# unanswerable questions that a set's corpus does answer (RIPv2 is in rfc.jsonl's RFCs)
RFC_CORPORA = ("rfc", "rfc_distract")
"""Sets whose corpus is whole RFCs, where ``--paraphrased``'s document-level golds apply."""
GOLD_BY_CITATION = (*RFC_CORPORA, "rfc_oldstyle", "rfc_check", "rfc_check2")
"""Sets whose golds are citations a source's label starts with (a passage set's are file ids)."""
GOLD_BY_FILE = ("teamdocs", "teamdocs_check")
"""Sets whose golds are file names (a team's documents): the source's label starts with the file name."""
ANSWERED_BY = {"Which metric value means infinity in RIP version 2?": {"rfc", "passages", "shortrfc", "rfc_distract"}}


def _unanswerable(files: list[str]) -> list[str]:
    out = []
    for f in files:
        p = Path(f) if Path(f).is_absolute() else c.BENCH / f
        for line in p.read_text().splitlines():
            if line.strip():
                d = json.loads(line)
                if d.get("answerable", True) is False:
                    out.append(d["question"])
    return out


def _paraphrased(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Answerable questions worded away from their RFC's words, gold = the document (``RFC 2131``)."""
    return [(d["question"], (d["rfc"],)) for d in map(json.loads, filter(str.strip, path.read_text().splitlines()))]


def _sims(kb, question: str) -> list[float]:
    """The question's similarity to every passage the grounding searched (as ``assess`` computes it)."""
    from netops.agent.abstain import subject
    from netops.agent.answer_check import _cos
    from netops.agent.grounding import GroundingBudget, section_text, trim

    b = GroundingBudget()
    about = subject(question)
    asked = [about] + ([x] if (x := kb.expand(about)) != about else [])
    vectors = [kb.embedder.embed_query(a) for a in asked]
    out = []
    for h in kb.search(about, top_k=b.search_k):
        focus = f"{h.chunk.citation}: {trim(section_text(kb, h.chunk), question, b.passage_tokens)}"
        pv = kb.embedder.embed_query(focus[:1200])
        out.append(round(max(_cos(v, pv) for v in vectors), 3))
    return out


def run(set_name: str, unanswerable: list[str], tmp: Path, signals, paraphrased=()) -> dict:
    from netops.agent.grounding import from_knowledge

    qs = q.load_set(set_name, tmp)
    if qs is None:
        return {"set": set_name, "skipped": "files missing"}
    kb, _, _ = q.open_index(qs, c.make_minilm(), tmp, True)
    counts = {"answerable": 0, "refused": 0, "answered_gold": 0, "unanswerable": 0, "abstained": 0}
    try:
        items = [(it.question, it.labels, "set") for it in qs.items] + \
                ([(qq, lab, "paraphrased") for qq, lab in paraphrased] if set_name in RFC_CORPORA else []) + \
                [(u, None, "unanswerable") for u in
                 (qs.unanswerable if set_name in GOLD_BY_FILE else unanswerable)
                 if set_name not in ANSWERED_BY.get(u, ())]
        for question, labels, kind in items:
            g = from_knowledge(question, kb)
            cov = g.coverage
            covered = bool(cov and cov.covered)
            if labels is None:
                counts["unanswerable"] += 1
                counts["abstained"] += not covered
            else:
                counts["answerable"] += 1
                counts["refused"] += not covered
                gold = any(lab == s.label or s.label.startswith(lab + " ") or s.label.split(" (")[0] == lab
                           or s.label.split(" ")[0] == lab
                           for s in g.sources for lab in labels)
                if set_name in GOLD_BY_FILE:
                    gold = any(s.label.split(" ")[0] == Path(lab).stem for s in g.sources for lab in labels)
                if set_name in GOLD_BY_CITATION or set_name in GOLD_BY_FILE:
                    counts["answered_gold"] += covered and gold
                else:
                    counts["answered_gold"] = "-"
                if kind == "paraphrased":
                    counts["paraphrased"] = counts.get("paraphrased", 0) + 1
                    counts["paraphrased_refused"] = counts.get("paraphrased_refused", 0) + (not covered)
            if signals is not None:
                signals.write(json.dumps({"set": set_name, "kind": kind, "question": question, "answerable": labels is not None,
                                          "sims": _sims(kb, question),
                                          **(cov.to_dict() if cov else {}), "shares": [round(x, 3) for x in (cov.shares if cov else [])]}) + "\n")
    finally:
        c.close(kb)
    return {"set": set_name, **counts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="rfc,passages,shortrfc")
    ap.add_argument("--unanswerable", default="questions/abstain_tuning.jsonl,questions/grounding.jsonl")
    ap.add_argument("--paraphrased", default="questions/abstain_paraphrased.jsonl",
                    help="answerable questions worded away from their RFC's words, asked over the RFC corpora too")
    ap.add_argument("--signals", type=Path)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    unanswerable = _unanswerable([x for x in a.unanswerable.split(",") if x])
    sig = a.signals.open("w") if a.signals else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="abstain-") as tmp:
        for name in [x for x in a.sets.split(",") if x]:
            rows.append(run(name, unanswerable, Path(tmp), sig,
                            _paraphrased(c.BENCH / a.paraphrased) if a.paraphrased else ()))
            c.log(json.dumps(rows[-1]))
    if sig:
        sig.close()
    if a.json:
        c.emit_json({"sets": rows})
        return
    print(c.fmt_table(["set", "answerable", "refused", "of them paraphrased", "answered with gold", "unanswerable", "abstained"],
                      [[r["set"], r.get("answerable", "-"), r.get("refused", "-"),
                        f"{r['paraphrased_refused']}/{r['paraphrased']}" if "paraphrased" in r else "-", r.get("answered_gold", "-"),
                        r.get("unanswerable", "-"), r.get("abstained", "-")] for r in rows]))


if __name__ == "__main__":
    main()
