"""``netops chat`` responsiveness: cold start, typing while an answer streams, the end of a
stream, scrolling a long conversation, and memory with a 10k-chunk index open.

    python bench/tui.py [--json] [--starts 5] [--tokens 2000] [--rate 200] [--messages 300] [--chunks 10000]
                        [--start-only]

* cold start: ``python -m netops chat --offline`` in a real terminal (tmux, 120x40), from
  process launch to the first frame and to a focused input (Textual's Ready event; the
  child records the time there, and again when the Settings the app builds after its first
  frame are in, then quits). Target <= 0.6 s to the first frame.
* keystroke echo: the scripted Ollama server (its own process) streams a ``--tokens`` answer at ``--rate``
  tokens/s (4 characters per token); meanwhile a key is pressed every 50 ms and timed from
  the key event to the next screen update showing it in the input. Target p95 <= 50 ms.
* stream end: from the library yielding the last token to the answer fully rendered
  (Markdown flushed, citations mounted). Target <= 0.5 s.
* scroll: a stored conversation of ``--messages`` messages resumed; scrolled up and down a
  page at a time and 3 lines at a time (a mouse wheel step), each step timed until the next
  frame is composed. Target p95 <= 50 ms.
* RSS: the same process after a ``/kb`` search on a ``--chunks`` index (hash embedder, so the
  Chroma store holds real vectors without loading a model), cached under bench/.cache.
  Target <= 400 MiB.

Headless parts run the real app with Textual's test driver at 120x40. Wall-clock figures
depend on what else the machine runs (the load average is printed with them); the CPU time the
same work took (process CPU for the start, the UI thread's CPU for the rest) is printed too:
it is what the work costs when the app has a core to itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import _common as c

SIZE = (120, 40)
TARGETS = {"start_first_frame_s": 0.6, "start_focused_s": 0.6, "keystroke_p95_ms": 50.0,
           "stream_end_s": 0.5, "scroll_p95_ms": 50.0, "rss_mib": 400.0}


def _env(home: Path) -> dict[str, str]:
    # .pyc files are written and reused, as for an installed netops (pip compiles them)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(NETOPS_HOME=str(home), NETOPS_OLLAMA_URL="http://127.0.0.1:9", NETOPS_KB__EMBEDDER="none",
               XDG_CONFIG_HOME=str(home / "xdg"), PYTHONPATH=str(c.REPO), TERM="xterm-256color")
    return env


# -- cold start ---------------------------------------------------------------------------
CHILD = r"""
import json, sys, time
out, t0 = sys.argv[1], float(sys.argv[2])
import netops.tui.app as tui
seen = {}
def on_ready(self):
    from netops.tui.widgets.prompt import PromptInput
    now, cpu = time.time(), time.process_time()
    focused = isinstance(self.focused, PromptInput)
    seen.update(first_frame=now - t0, focused=(now if focused else time.time()) - t0, cpu=cpu)
    if not hasattr(tui.ChatApp, "_settings_loaded"):  # an older netops: Settings came before the frame
        done(self, now, cpu)
def done(self, now, cpu):
    seen.update(settings_ready=now - t0, settings_cpu=cpu)
    def later():
        with open(out, "w") as f:
            json.dump(seen, f)
        self.exit()
    self.call_later(later)
tui.ChatApp.on_ready = on_ready
if hasattr(tui.ChatApp, "_settings_loaded"):
    loaded = tui.ChatApp._settings_loaded
    def settings_loaded(self, runs):  # Settings are built in a worker after the first frame
        loaded(self, runs)
        done(self, time.time(), time.process_time())
    tui.ChatApp._settings_loaded = settings_loaded
from netops.cli.main import main
sys.exit(main(["chat", "--offline"]))
"""


def cold_start(runs: int) -> dict:
    if shutil.which("tmux") is None:
        return {"skipped": "tmux not installed"}
    firsts, focused, cpus, ready, ready_cpus = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        script = Path(tmp) / "child.py"
        script.write_text(CHILD)
        env = _env(home)
        for i in range(runs + 1):  # the first run warms the OS file cache and writes .pyc files
            out = Path(tmp) / f"start{i}.json"
            name = f"netops-bench-{uuid.uuid4().hex[:8]}"
            t0 = time.time()
            subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]),
                            "env", *(f"{k}={v}" for k, v in env.items()), sys.executable, str(script), str(out),
                            repr(t0)], check=True)
            deadline = time.time() + 60
            while not out.exists() and time.time() < deadline:
                time.sleep(0.02)
            subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
            time.sleep(0.3)  # let the tmux server exit before the next launch starts a new one
            if not out.exists():
                return {"error": "the chat did not start within 60 s"}
            data = json.loads(out.read_text())
            if i:
                firsts.append(data["first_frame"])
                focused.append(data["focused"])
                cpus.append(data["cpu"])
                ready.append(data["settings_ready"])
                ready_cpus.append(data["settings_cpu"])
    return {"first_frame_s": round(c.median(firsts), 3), "focused_s": round(c.median(focused), 3),
            "first_frame_cpu_s": round(c.median(cpus), 3),
            "settings_ready_s": round(c.median(ready), 3), "settings_ready_cpu_s": round(c.median(ready_cpus), 3),
            "first_frame_runs": [round(x, 3) for x in firsts], "runs": runs}


# -- streaming: keystrokes and the end of the stream --------------------------------------
SERVER = r"""
import json, sys
from netops.testing.ollama_server import ScriptedOllama, say
text, rate, turns = json.loads(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
with ScriptedOllama([say(text, piece_chars=4, piece_delay=1 / rate) for _ in range(turns)]) as srv:
    print(srv.url, flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def _model_server(text: str, rate: float, turns: int = 1):  # noqa: ANN202
    """The scripted Ollama server in its own process, as a real model server would be (in this
    process its streaming thread would compete with the app for the interpreter); it answers
    ``turns`` questions."""
    proc = subprocess.Popen([sys.executable, "-c", SERVER, json.dumps(text), str(rate), str(turns)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(c.REPO)})
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)

async def streaming(tokens: int, rate: float) -> dict:
    from netops.settings import load_settings
    from netops.tui.app import ChatApp
    from netops.tui.widgets.answer import AnswerView
    from netops.tui.widgets.prompt import PromptInput
    from textual import events

    words = [f"w{n % 1000:03d}" for n in range(tokens)]  # "w123" = 4 characters = 1 token
    body = ""
    for n, w in enumerate(words):
        body += w + ("\n\n" if n % 60 == 59 else " ")
    text = body[:tokens * 4]
    last_token = [0.0]
    last_token_cpu = [0.0]
    with tempfile.TemporaryDirectory() as tmp, _model_server(text, rate) as url:
        os.environ["NETOPS_HOME"] = str(Path(tmp) / "home")
        settings = load_settings(ollama_url=url, model_review=False)
        app = ChatApp(settings)
        original = app.__class__.session.fget  # type: ignore[attr-defined]

        class _Timed:
            """Times the library's last token as it is yielded (in the producer thread)."""

            def __init__(self, assistant):  # noqa: ANN001
                self.assistant = assistant

            def events(self, *a, **kw):  # noqa: ANN002, ANN003
                for ev in self.assistant.events(*a, **kw):
                    if type(ev).__name__ == "TokenEvent":
                        last_token[0] = time.perf_counter()
                    yield ev

        echo: list[float] = []
        echo_cpu: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            session = original(app)
            session_assistant = session.assistant
            session.assistant = lambda **kw: _Timed(session_assistant(**kw))  # type: ignore[method-assign]
            original_write = AnswerView.write

            async def write(view_self, text):  # noqa: ANN001, ANN202 - UI-thread CPU at the last write
                last_token_cpu[0] = time.thread_time()
                await original_write(view_self, text)

            AnswerView.write = write  # type: ignore[method-assign]
            prompt = app.query_one(PromptInput)
            prompt.focus()
            prompt.insert("stream please")
            await pilot.press("enter")
            while not app.query(AnswerView) or not app.query_one(AnswerView)._streamed:
                await asyncio.sleep(0.01)
            view = app.query_one(AnswerView)
            stream_started = time.perf_counter()
            while view.answer is None:
                before = prompt.text
                t0, c0 = time.perf_counter(), time.thread_time()
                app.post_message(events.Key("x", "x"))
                while prompt.text == before:
                    await asyncio.sleep(0.001)
                # echoed once the screen has composed a frame after the change
                frame = asyncio.get_running_loop().create_future()
                app.screen.call_after_refresh(lambda f=frame: f.done() or f.set_result(None))
                await frame
                echo.append((time.perf_counter() - t0) * 1000)
                echo_cpu.append((time.thread_time() - c0) * 1000)
                await asyncio.sleep(0.05)
            end = time.perf_counter()
            end_cpu = (time.thread_time() - last_token_cpu[0]) if last_token_cpu[0] else None
            stream_seconds = last_token[0] - stream_started
            done_after_last = end - last_token[0]
            streamed = len(view.text)
    return {"keystroke_p50_ms": round(c.median(echo), 1), "keystroke_p95_ms": round(c.pct(echo, 95), 1),
            "keystroke_cpu_p95_ms": round(c.pct(echo_cpu, 95), 1),
            "keystrokes": len(echo), "stream_end_s": round(done_after_last, 3),
            "stream_end_ui_cpu_s": None if end_cpu is None else round(end_cpu, 3),
            "stream_seconds": round(stream_seconds, 2), "chars": streamed, "tokens": tokens, "rate": rate}


# -- the first question in a real terminal ------------------------------------------------
FIRST_Q = "what is the minimum BGP hold time?"
FIRST_TEXT = "\n\n".join(f"Paragraph {n} says the hold timer is kept per session." for n in range(1, 400))
FIRST_SIZE = (80, 24)


def _first_home(root: Path, source: Path | None) -> Path:
    """A NETOPS_HOME whose index holds the default sources (as after a first use; lexical,
    embedder none), or a copy of ``source`` (a real home: its index, its embedder)."""
    home = root / "home"
    if source is not None:
        shutil.copytree(source, home, ignore=shutil.ignore_patterns("lab", "exports", "*.sock"))
        return home
    env = {**_env(home), "NETOPS_KB__EMBEDDER": "none"}
    subprocess.run([sys.executable, "-m", "netops", "kb", "search", "hold time"], env=env, check=True,
                   capture_output=True, timeout=300)  # the first use indexes the default sources
    return home


def _pane(name: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout


def _until(name: str, predicate, timeout: float) -> float | None:  # noqa: ANN001
    """Seconds until ``predicate(pane)`` holds (the pane polled every 10 ms), None at ``timeout``."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if predicate(_pane(name)):
            return time.perf_counter() - t0
        time.sleep(0.01)
    return None


def first_question(runs: int, pause: float, home_from: Path | None, embedder: str | None) -> dict:
    """``netops chat`` in tmux at 80x24 against the scripted Ollama server (its own process, the
    first piece of the answer 40 ms after the request): the question is sent ``pause`` seconds
    after the chat has drawn its first screen (0: at once, as the terminal tests do; a person
    takes a few seconds to type it). Timed on the screen: Enter to the answer's first words,
    then (after five paragraphs) Escape to the cancelled answer's line."""
    if shutil.which("tmux") is None:
        return {"skipped": "tmux not installed"}
    first, esc = [], []
    with tempfile.TemporaryDirectory() as tmp, _model_server(FIRST_TEXT, 200.0, runs + 1) as url:
        base = _first_home(Path(tmp) / "base", home_from)
        for i in range(runs + 1):  # the first run writes .pyc files and warms the OS file cache
            home = Path(tmp) / f"run{i}"
            shutil.copytree(base, home)
            env = {**_env(home), "NETOPS_OLLAMA_URL": url, "NETOPS_MODEL_REVIEW": "false"}
            if embedder:
                env["NETOPS_KB__EMBEDDER"] = embedder
            else:  # the copied home's own (its index says which embedder built it)
                env.pop("NETOPS_KB__EMBEDDER", None)
            for key in ("NETOPS_OPENAI_BASE_URL", "NETOPS_MODEL"):
                env.pop(key, None)
            name = f"netops-bench-{uuid.uuid4().hex[:8]}"
            subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(FIRST_SIZE[0]), "-y",
                            str(FIRST_SIZE[1]), "env", *(f"{k}={v}" for k, v in env.items()), sys.executable,
                            "-m", "netops", "chat"], check=True)
            try:
                if _until(name, lambda p: "new conversation" in p, 60) is None:
                    return {"error": "the chat did not start within 60 s"}
                time.sleep(pause)
                subprocess.run(["tmux", "send-keys", "-t", name, "-l", FIRST_Q], check=True)
                subprocess.run(["tmux", "send-keys", "-t", name, "Enter"], check=True)
                to_first = _until(name, lambda p: "Paragraph 1 " in p, 60)
                _until(name, lambda p: any(int(n) >= 5 for n in re.findall(r"Paragraph (\d+) ", p)), 30)
                subprocess.run(["tmux", "send-keys", "-t", name, "Escape"], check=True)
                to_stop = _until(name, lambda p: "with Escape" in p, 30)
            finally:
                subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
            if to_first is None or to_stop is None:
                return {"error": f"run {i}: first words {to_first}, stop {to_stop}"}
            if i:
                first.append(to_first)
                esc.append(to_stop)
    return {"first_words_s": round(c.median(first), 2), "escape_s": round(c.median(esc), 2),
            "first_words_runs": [round(x, 2) for x in first], "escape_runs": [round(x, 2) for x in esc],
            "pause_s": pause, "runs": runs, "home": str(home_from) if home_from else "default sources, lexical"}


# -- a long conversation, and memory with a big index -------------------------------------
ANSWER = """The BGP hold time is negotiated in the OPEN message: each side proposes one and the
smaller value wins. It is either **zero** or **at least three seconds** (RFC 4271 §4.2).

- keepalive: a third of the hold time
- lab timers: `timers bgp 3 9`

```
neighbor 198.51.100.2 timers 3 9
```
"""


def _conversation(settings, messages: int) -> str:  # noqa: ANN001
    from netops.store.history import History

    with History(settings.paths.history_db) as h:
        cid = h.new_conversation("bench: a long conversation")
        for n in range(messages // 2):
            h.append(cid, "user", f"question {n}: what is the BGP hold time on r{n % 3 + 1}?")
            h.append(cid, "assistant", f"Answer {n}. " + ANSWER,
                     {"mode": "offline", "citations": ["RFC 4271 §4.2 (OPEN Message Format)"]})
    return cid


def _index(chunks: int) -> Path:
    """A NETOPS_HOME whose index holds >= ``chunks`` RFC chunks (hash vectors), cached."""
    from netops.rag.kb import KnowledgeBase
    from netops.settings import Settings
    from netops.testing.embedders import HashEmbedder

    root = c.CACHE / f"tui-index-{chunks}"
    done = root / "done"
    if done.exists():
        return root / "home"
    shutil.rmtree(root, ignore_errors=True)
    settings = Settings(home=root / "home", kb={"embedder": "auto"})
    kb = KnowledgeBase(settings, embedder=HashEmbedder(dim=384))
    for i, path in enumerate(c.all_rfc_files()):
        kb.add([path])
        if i % 20 == 0:
            n = kb.stats().chunks
            c.log(f"  index: {n} chunks")
            if n >= chunks:
                break
    kb.close()
    done.write_text("ok")
    return root / "home"


async def long_conversation(messages: int, chunks: int) -> dict:
    import netops.rag.kb as kbmod
    from netops.settings import load_settings
    from netops.testing.embedders import HashEmbedder
    from netops.tui.app import ChatApp
    from netops.tui.widgets.answer import AnswerView

    home = _index(chunks) if chunks else Path(tempfile.mkdtemp()) / "home"
    kbmod.make_embedder = lambda settings, prefer=None: HashEmbedder(dim=384)  # same vectors as the index
    os.environ["NETOPS_HOME"] = str(home)
    settings = load_settings(ollama_url="http://127.0.0.1:9")
    cid = _conversation(settings, messages)
    app = ChatApp(settings, offline=True, conversation_id=cid)
    frames: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        t0 = time.perf_counter()
        while len([v for v in app.query(AnswerView) if v.answer is not None]) < messages // 2:
            await asyncio.sleep(0.05)
        load_s = time.perf_counter() - t0
        scroller = app.conversation
        scroller.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        page = scroller.scrollable_content_region.height
        steps = [-page] * 40 + [page] * 40 + [-3] * 30 + [3] * 30  # pages, then mouse-wheel steps
        frames_cpu: list[float] = []
        for dy in steps:
            t, tc = time.perf_counter(), time.thread_time()
            scroller.scroll_relative(y=dy, animate=False, immediate=True)
            frame = asyncio.get_running_loop().create_future()
            app.screen.call_after_refresh(lambda f=frame: f.done() or f.set_result(None))
            await frame
            frames.append((time.perf_counter() - t) * 1000)
            frames_cpu.append((time.thread_time() - tc) * 1000)
        rss_conv = _rss_mib()
        stats = None
        if chunks:
            app.query_one("PromptInput").insert("/kb hold timer negotiation")
            await pilot.press("enter")
            while len([v for v in app.query(AnswerView) if v.answer is not None]) < messages // 2 + 1:
                await asyncio.sleep(0.05)
            stats = app.session.kb.stats()
    return {"messages": messages, "load_s": round(load_s, 2), "scroll_p50_ms": round(c.median(frames), 1),
            "scroll_p95_ms": round(c.pct(frames, 95), 1), "scroll_cpu_p95_ms": round(c.pct(frames_cpu, 95), 1), "rss_conversation_mib": round(rss_conv, 1),
            "rss_mib": round(_rss_mib(), 1), "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "index_chunks": stats.chunks if stats else 0, "index_vectors": stats.vectors if stats else 0}


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=2000)
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--chunks", type=int, default=10_000)
    ap.add_argument("--start-only", action="store_true", help="measure the cold start only")
    ap.add_argument("--first-only", action="store_true", help="measure the first question only")
    ap.add_argument("--first-runs", type=int, default=5)
    ap.add_argument("--first-pause", type=float, action="append",
                    help="seconds between the chat's first screen and the question (repeatable; default 0 and 3)")
    ap.add_argument("--first-home", type=Path, help="a NETOPS_HOME to copy for the first question (its index)")
    ap.add_argument("--first-embedder", help="NETOPS_KB__EMBEDDER for the first question (default: none)")
    args = ap.parse_args()
    if args.first_only:
        firsts = {}
        for pause in args.first_pause or [0.0, 3.0]:
            c.log(f"first question in tmux, asked {pause:g} s after the chat's first screen...")
            firsts[f"pause_{pause:g}s"] = first_question(args.first_runs, pause, args.first_home,
                                                         args.first_embedder or ("none" if args.first_home is None else None))
            c.log(f"  {firsts[f'pause_{pause:g}s']}")
        c.emit_json({"first_question": firsts, "load_average_1m": round(os.getloadavg()[0], 2)})
        return 0
    c.log("cold start (tmux)...")
    start = cold_start(args.starts)
    c.log(f"  {start}")
    if args.start_only:
        c.emit_json({"start": start, "load_average_1m": round(os.getloadavg()[0], 2)})
        return 0
    c.log(f"streaming {args.tokens} tokens at {args.rate:.0f}/s while typing...")
    stream = asyncio.run(streaming(args.tokens, args.rate))
    c.log(f"  {stream}")
    c.log(f"a {args.messages}-message conversation, then /kb on a {args.chunks}-chunk index...")
    conv = asyncio.run(long_conversation(args.messages, args.chunks))
    c.log(f"  {conv}")
    load = os.getloadavg()[0]
    cpu = {"start_cpu_s": start.get("first_frame_cpu_s"), "keystroke_cpu_p95_ms": stream["keystroke_cpu_p95_ms"],
           "stream_end_ui_cpu_s": stream["stream_end_ui_cpu_s"], "scroll_cpu_p95_ms": conv["scroll_cpu_p95_ms"]}
    figures = {"start_first_frame_s": start.get("first_frame_s"), "start_focused_s": start.get("focused_s"),
               "keystroke_p95_ms": stream["keystroke_p95_ms"], "stream_end_s": stream["stream_end_s"],
               "scroll_p95_ms": conv["scroll_p95_ms"], "rss_mib": conv["rss_mib"]}
    verdict = {k: (None if v is None else v <= TARGETS[k]) for k, v in figures.items()}
    doc = {"figures": figures, "cpu_time": cpu, "targets": TARGETS, "pass": verdict, "start": start, "stream": stream,
           "conversation": conv, "load_average_1m": round(load, 2), "cpus": os.cpu_count()}
    if args.json:
        c.emit_json(doc)
        return 0
    rows = [[k, v, TARGETS[k], "PASS" if verdict[k] else ("-" if verdict[k] is None else "FAIL")]
            for k, v in figures.items()]
    print(c.fmt_table(["figure", "measured", "target", ""], rows))
    print(f"load average (1 min) {load:.1f} on {os.cpu_count()} CPUs")
    print("CPU time of the same work (what it costs on an idle core): "
          + ", ".join(f"{k} {v}" for k, v in cpu.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
