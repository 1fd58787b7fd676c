"""The model server goes away: where the seconds go before the person hears about it.

Runs the library (as `netops ask` and the chat do) against the real SmolLM2 llama.cpp server and
times each event of a turn when the server is: up; killed before the question (connection
refused); stopped with SIGSTOP before the question (hung: the probe times out); killed or stopped
after the probe (the model call finds out). Needs NETOPS_HOME with a knowledge base and, for device
questions, `netops lab up`. Prints one timeline per case (seconds from the question).

    NETOPS_HOME=... python bench/model_gone.py ["question"]
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import _common  # noqa: F401  (offline env, repo on sys.path)

from netops.session import Session
from netops.settings import load_settings
from netops.testing.llama_server import LlamaServer


def describe(ev: object) -> str:
    name = type(ev).__name__
    if name == "ModeEvent":
        return f"mode {ev.mode} {ev.notice or ''}".strip()
    if name == "StepEvent":
        return f"step {ev.step}: {ev.detail}"
    if name == "ToolStartEvent":
        return f"tool {ev.tool} start"
    if name == "ToolEndEvent":
        return f"tool end"
    if name == "AnswerEvent":
        a = ev.answer
        return (f"answer mode={a.mode} error={a.error!r} notice={(a.notice or '')[:160]!r} "
                f"timings={ {k: round(v) for k, v in a.timings.items()} }")
    if name == "TokenEvent":
        return "token"
    return name


def run(srv: LlamaServer, question: str, when: str, what: str) -> None:
    """``when``: "before" (the question), "mode" (at the agent's ModeEvent, after the probe);
    ``what``: "kill" or "stop"."""
    settings = load_settings(openai_base_url=srv.base_url, model=srv.alias)
    with Session(settings) as session:
        session.warm(srv.alias)
        a = session.assistant(model=srv.alias)
        if when == "before":
            act(srv, what)
        t0 = time.perf_counter()
        seen_token = False
        print(f"\n== {what} {when} ==")
        for ev in a.events(question):
            dt = time.perf_counter() - t0
            name = type(ev).__name__
            if name == "TokenEvent":
                if seen_token:
                    continue
                seen_token = True
            print(f"  {dt:6.2f}s  {describe(ev)}", flush=True)
            if when == "mode" and name == "ModeEvent":
                act(srv, what)
            if when == "model" and name == "ModeEvent":  # while the model reads its prompt
                threading.Timer(3.0, act, (srv, what)).start()


def act(srv: LlamaServer, what: str) -> None:
    if srv.proc is None or srv.proc.poll() is not None:
        return
    print(f"  ({what})", flush=True)
    if what == "term":  # what `kill PID` sends: uvicorn shuts down gracefully
        srv.proc.terminate()
    elif what == "kill":
        srv.proc.kill()
        srv.proc.wait()
    elif what == "stop":
        os.killpg(srv.proc.pid, signal.SIGSTOP)


def main() -> None:
    question = sys.argv[1] if len(sys.argv) > 1 else "is bgp up on r1?"
    cases = [("none", "before"), ("kill", "before"), ("stop", "before"), ("kill", "mode"), ("stop", "mode"),
             ("kill", "model"), ("term", "model"), ("stop", "model")]
    only = os.environ.get("CASES")
    for what, when in cases:
        if only and f"{what}-{when}" not in only.split(","):
            continue
        srv = LlamaServer().start()
        try:
            run(srv, question, when, what)
        finally:
            if srv.proc and srv.proc.poll() is None:
                os.killpg(srv.proc.pid, signal.SIGCONT)
            srv.stop()


if __name__ == "__main__":
    main()
