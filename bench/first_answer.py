"""First answer on an empty NETOPS_HOME: the README's first command, end to end, timed.

Runs ``netops ask "What is the lowest hold time a BGP speaker may accept?"`` in a new process
against a fresh, empty ``NETOPS_HOME`` (no model reachable: ``NETOPS_OLLAMA_URL`` points at a
closed local port, as on a fresh machine without Ollama), and reports

* seconds until the process has printed its cited answer and exited;
* which search mode answered (the answer's notice) and the citations it gave;
* seconds until the dense index, embedded by the detached background process the first use
  starts, is complete (the index then answers hybrid), polled through the library.

    python bench/first_answer.py [--json] [--runs 1] [--no-wait-vectors]

Target: the cited answer within 20 s.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import _common as c
from startup import netops_argv

QUESTION = "What is the lowest hold time a BGP speaker may accept?"
TARGET_S = 20.0


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(wait_vectors: bool, budget: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="netops-bench-first-") as tmp:
        home = Path(tmp) / "home"
        env = dict(os.environ, NETOPS_HOME=str(home), NETOPS_OLLAMA_URL=f"http://127.0.0.1:{closed_port()}",
                   XDG_CONFIG_HOME=str(Path(tmp) / "config"))
        t0 = time.perf_counter()
        proc = subprocess.run([*netops_argv(), "ask", QUESTION, "--json"], env=env, capture_output=True,
                              text=True, timeout=600)
        answered = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"netops ask exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        doc = json.loads(proc.stdout)
        out = {"answer_seconds": round(answered, 2), "mode": doc.get("mode"), "notice": doc.get("notice"),
               "citations": doc.get("citations") or [e.get("citation") for e in doc.get("evidence", [])
                                                      if isinstance(e, dict)]}
        lock = home / "index" / "vectors.lock"
        if wait_vectors:
            from netops.rag.lexical import LexicalIndex

            deadline = t0 + budget
            pending = None
            while time.perf_counter() < deadline:
                idx = LexicalIndex(home / "index" / "kb.sqlite")
                pending = idx.pending_count()
                idx.close()
                if pending == 0:
                    break
                time.sleep(2)
            out["vectors_complete_seconds"] = round(time.perf_counter() - t0, 1) if pending == 0 else None
        _stop_background(lock)
        return out


def _stop_background(lock: Path) -> None:
    """The background embedder writes its pid into the lock file: end it before the temporary
    home goes away (it is ours: started by the run above)."""
    pid = 0
    for _ in range(120):  # the process may still be starting (imports) before it takes the lock
        try:
            pid = int(lock.read_text().strip() or 0)
        except (OSError, ValueError):
            pid = 0
        if pid or (lock.exists() and not _vectors_pending(lock.parent)):
            break
        time.sleep(1)
    if pid > 0:
        try:
            os.kill(pid, signal.SIGTERM)
            time.sleep(1)
        except ProcessLookupError:
            pass


def _vectors_pending(index_dir: Path) -> bool:
    from netops.rag.lexical import LexicalIndex

    idx = LexicalIndex(index_dir / "kb.sqlite")
    try:
        return idx.pending_count() > 0
    finally:
        idx.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-wait-vectors", action="store_true", help="do not wait for the dense index")
    ap.add_argument("--vector-budget", type=float, default=900.0, help="seconds to wait for the dense index")
    args = ap.parse_args()
    runs = [one_run(not args.no_wait_vectors, args.vector_budget) for _ in range(args.runs)]
    best = c.median([r["answer_seconds"] for r in runs])
    doc = {"bench": "first_answer", "date": time.strftime("%Y-%m-%d %H:%M"), "question": QUESTION,
           "runs": runs, "median_answer_seconds": best, "target_seconds": TARGET_S,
           "targets": {f"answer_within_{TARGET_S:g}s": best <= TARGET_S}}
    if args.json:
        c.emit_json(doc)
        return 0
    for r in runs:
        print(f"answered in {r['answer_seconds']:.1f}s ({r['mode']} mode); citations: {', '.join(r['citations'] or [])}")
        print(f"  notice: {r['notice']}")
        if "vectors_complete_seconds" in r:
            print(f"  dense index complete after {r['vectors_complete_seconds']} s" if r["vectors_complete_seconds"]
                  else "  dense index not complete within the budget")
    print(f"target: cited answer within {TARGET_S:g}s: {'PASS' if best <= TARGET_S else 'FAIL'} (median {best:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
