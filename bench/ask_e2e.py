"""`netops ask --json` end to end (a subprocess, as a person runs it) with the scripted model.

Baseline: the same interpreter importing what `ask` imports (netops CLI, assistant, agent,
langchain + langchain_ollama, knowledge base) and exiting. Figure = ask wall time - baseline,
target <= 1.5 s. The scripted answer makes one kb_search call over a lexical index holding
RFC 4271, then answers; prompt tokens per answer come from the answer's own `tokens`.

    python bench/ask_e2e.py [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TARGET_S = 1.5
IMPORTS = ("import netops.cli.main, netops.cli.ask, netops.assistant, netops.agent.graph, netops.rag.kb, "
           "langchain.agents, langchain_ollama, ollama")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from netops.testing.ollama_server import ScriptedOllama, say, tool_call

    rfc = next(Path("/usr/share/doc/RFC").rglob("rfc4271.txt.gz"))
    with tempfile.TemporaryDirectory() as tmp, ScriptedOllama() as srv:
        env = {**os.environ, "NETOPS_HOME": f"{tmp}/home", "XDG_CONFIG_HOME": f"{tmp}/xdg",
               "NETOPS_OLLAMA_URL": srv.url, "NETOPS_KB__EMBEDDER": "none", "HF_HUB_OFFLINE": "1",
               "ORT_DISABLE_TELEMETRY": "1", "ANONYMIZED_TELEMETRY": "False"}
        src = Path(tmp) / "rfc4271.txt"
        src.write_bytes(gzip.decompress(rfc.read_bytes()))
        subprocess.run([sys.executable, "-m", "netops", "kb", "add", str(src)], env=env, check=True,
                       capture_output=True)

        def run(args: list[str]) -> tuple[float, str]:
            t = time.perf_counter()
            p = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
            return time.perf_counter() - t, p.stdout

        base = []
        for _ in range(a.rounds):
            base.append(run(["-c", IMPORTS])[0])
        asks, docs = [], []
        for _ in range(a.rounds):
            srv.push(tool_call("kb_search", query="BGP hold timer"),
                     say("The hold time is negotiated in the OPEN message (RFC 4271 §4.2)."))
            t, out = run(["-m", "netops", "ask", "--json", "what is the BGP hold timer?"])
            asks.append(t)
            docs.append(json.loads(out))
    b, s = statistics.median(base), statistics.median(asks)
    tokens = docs[-1]["tokens"]
    result = {"import_baseline_s": round(b, 3), "ask_wall_s": round(s, 3), "beyond_import_s": round(s - b, 3),
              "target_s": TARGET_S, "pass": (s - b) <= TARGET_S, "in_process_total_ms": docs[-1]["timings"]["total"],
              "prompt_tokens_max_call": tokens["prompt_max"], "prompt_tokens_answer": tokens["prompt_total"],
              "model_calls": tokens["model_calls"], "mode": docs[-1]["mode"]}
    if a.json:
        print(json.dumps(result, indent=2))
        return
    print(f"import baseline        {b:.3f} s")
    print(f"netops ask --json      {s:.3f} s  (in-process total {result['in_process_total_ms']:.0f} ms)")
    print(f"beyond import          {s - b:.3f} s  target <= {TARGET_S} s: {'PASS' if result['pass'] else 'FAIL'}")
    print(f"prompt tokens: largest call {tokens['prompt_max']}, whole answer {tokens['prompt_total']} "
          f"over {tokens['model_calls']} model calls (mode {result['mode']})")


if __name__ == "__main__":
    main()
