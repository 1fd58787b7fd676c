"""Agent overhead per tool-calling turn, with a zero-latency scripted model.

Compares, on the same scripted Ollama server (real HTTP, real clients):
  raw      one streamed /api/chat request with httpx (the floor: transport + JSON)
  bare     a hand loop over ChatOllama.bind_tools (what we would write without create_agent)
  agent    Assistant.ask (create_agent + NetopsMiddleware + ToolBox), history off
Overhead per turn = (agent time - requests x raw) / tool-calling turns. Target <= 30 ms.
Also prints the prompt size an answer costs (system prompt + tool schemas + evidence).

    python bench/agent_overhead.py [--turns 4] [--rounds 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 30.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=4, help="tool-calling turns per answer")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    import tempfile

    import httpx
    from pydantic import BaseModel

    from netops.agent.budget import estimate_tokens
    from netops.agent.prompts import SYSTEM
    from netops.agent.tools import Tool, ToolResult
    from netops.assistant import Assistant
    from netops.settings import Settings
    from netops.testing.ollama_server import ScriptedOllama, say, tool_call

    class NoArgs(BaseModel):
        n: int = 0

    noop = Tool("noop", "does nothing", NoArgs, lambda ctx, p: ToolResult("noop", True, content=f"<data>{p.n}</data>"))
    per_answer = [*(tool_call("noop", n=i) for i in range(a.turns)), say("done")]
    model = "qwen2.5:7b-instruct"
    with tempfile.TemporaryDirectory() as home, ScriptedOllama() as srv:
        settings = Settings(home=Path(home), ollama_url=srv.url)
        client = httpx.Client()
        body = {"model": model, "messages": [{"role": "user", "content": "q"}]}

        def raw_once() -> None:
            srv.push(say("done"))
            with client.stream("POST", f"{srv.url}/api/chat", json=body) as r:
                for line in r.iter_lines():
                    json.loads(line)

        for _ in range(5):
            raw_once()
        raw = []
        for _ in range(a.rounds * 3):
            t = time.perf_counter()
            raw_once()
            raw.append(time.perf_counter() - t)
        raw_ms = statistics.median(raw) * 1000

        from langchain_core.messages import HumanMessage, ToolMessage
        from langchain_core.tools import StructuredTool
        from langchain_ollama import ChatOllama

        lc = StructuredTool.from_function(func=lambda n=0: str(n), name="noop", description="noop", args_schema=NoArgs)
        llm = ChatOllama(model=model, base_url=srv.url).bind_tools([lc])

        def bare_once() -> None:
            srv.push(*per_answer)
            msgs = [HumanMessage("q")]
            while True:
                msg = None
                for ch in llm.stream(msgs):
                    msg = ch if msg is None else msg + ch
                if not msg.tool_calls:
                    return
                msgs.append(msg)
                msgs += [ToolMessage(lc.invoke(tc["args"]), tool_call_id=tc["id"]) for tc in msg.tool_calls]

        assistant = Assistant(settings, tools=[noop], history=False)

        def agent_once() -> None:
            srv.push(*per_answer)
            ans = assistant.ask("q")
            assert ans.exit_code == 0 and len(ans.tool_calls) == a.turns, ans.text

        def timed(fn) -> float:
            fn()
            fn()
            xs = []
            for _ in range(a.rounds):
                t = time.perf_counter()
                fn()
                xs.append(time.perf_counter() - t)
            return statistics.median(xs) * 1000

        bare_ms = timed(bare_once)
        agent_ms = timed(agent_once)
        requests = a.turns + 1
        # the assistant also probes /api/version + /api/tags once per question
        overhead = (agent_ms - requests * raw_ms) / a.turns
        bare_over = (bare_ms - requests * raw_ms) / a.turns

        from netops.agent.builtin_tools import read_tools
        from netops.agent.change_tools import change_tools

        schemas = json.dumps([t.openai_schema() for t in [*read_tools(), *change_tools()]])
    out = {
        "turns_per_answer": a.turns, "raw_request_ms": round(raw_ms, 2), "bare_loop_answer_ms": round(bare_ms, 2),
        "agent_answer_ms": round(agent_ms, 2), "bare_overhead_per_turn_ms": round(bare_over, 2),
        "agent_overhead_per_turn_ms": round(overhead, 2), "target_ms": TARGET_MS,
        "pass": overhead <= TARGET_MS,
        "prompt_tokens": {"system": estimate_tokens(SYSTEM), "tool_schemas": estimate_tokens(schemas),
                          "tool_output_budget_each": 1200, "num_ctx": 8192},
    }
    if a.json:
        print(json.dumps(out, indent=2))
        return
    print(f"raw /api/chat request      {raw_ms:7.2f} ms (floor)")
    print(f"bare bind_tools loop       {bare_ms:7.2f} ms per {a.turns}-turn answer ({bare_over:.2f} ms/turn over floor)")
    print(f"Assistant (create_agent)   {agent_ms:7.2f} ms per {a.turns}-turn answer ({overhead:.2f} ms/turn over floor)")
    print(f"target <= {TARGET_MS:.0f} ms/turn: {'PASS' if out['pass'] else 'FAIL'}")
    p = out["prompt_tokens"]
    print(f"prompt: system {p['system']} tok + tool schemas {p['tool_schemas']} tok; each tool result <= "
          f"{p['tool_output_budget_each']} tok; num_ctx {p['num_ctx']}")


if __name__ == "__main__":
    main()
