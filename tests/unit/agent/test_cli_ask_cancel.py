"""Ctrl-C in `netops ask` (a real SIGINT to a real process): the model stream stops, the partial
answer is printed and labelled, the exit code is 130, the conversation keeps the partial text."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from netops.testing.ollama_server import Reply, ScriptedOllama

REPO = Path(__file__).resolve().parents[3]


TEXT = "The hold timer is negotiated in the OPEN message and the smaller value wins. " * 30


def _ask_streaming(srv: ScriptedOllama, agent_settings, tmp_path) -> tuple[subprocess.Popen, dict]:
    """`netops ask` in a real process against ``srv``, returned once some of the answer has
    streamed (with the environment it ran in)."""
    env = {**os.environ, "NETOPS_OLLAMA_URL": srv.url, "NETOPS_KB__EMBEDDER": "none",
           "NETOPS_INVENTORY": str(agent_settings.inventory), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "netops", "ask", "hold timer?"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not srv.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # some tokens have streamed
    return proc, env


def test_ctrl_c_stops_the_stream_and_keeps_the_partial_answer(agent_settings, tmp_path):
    with ScriptedOllama([Reply(content=TEXT, piece_chars=8, piece_delay=0.05)]) as srv:
        proc, env = _ask_streaming(srv, agent_settings, tmp_path)
        sent_at = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent_at
    assert proc.returncode == 130, err
    assert took < 10, took  # the full stream would take ~14 s more
    assert "cancelling: stopping the answer" in err and "Traceback" not in err
    assert "answered in" not in err and "cancelled after" in err  # it said 'answered in agent mode'
    # said once: the label over the partial text says who cancelled; no 'error:' line repeats it
    assert (out + err).count("cancelled by the user") == 1, (out, err)
    assert "PARTIAL ANSWER (cancelled)" in out and "The hold timer is negotiated" in out
    assert srv.hangups == 1
    listed = subprocess.run([sys.executable, "-m", "netops", "conversations", "list", "--json"], env=env,
                            capture_output=True, text=True, check=True)
    (conv,) = json.loads(listed.stdout)["conversations"]
    shown = subprocess.run([sys.executable, "-m", "netops", "conversations", "show", conv["id"], "--json"], env=env,
                           capture_output=True, text=True, check=True)
    assistant_msg = json.loads(shown.stdout)["messages"][1]
    assert assistant_msg["meta"]["partial"] and assistant_msg["meta"]["cancelled"]
    assert assistant_msg["content"].startswith("**PARTIAL ANSWER (cancelled):**")


def test_sigterm_mid_answer_exits_128_plus_the_signal(agent_settings, tmp_path):
    """`kill PID` (or `timeout`) of `netops ask` mid-answer is an interruption like Ctrl-C (the
    partial answer kept and labelled) and exits 143, the shell's 128 + SIGTERM; not 130, which
    a script reads as Ctrl-C (papercuts35)."""
    with ScriptedOllama([Reply(content=TEXT, piece_chars=8, piece_delay=0.05)]) as srv:
        proc, _ = _ask_streaming(srv, agent_settings, tmp_path)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, (proc.returncode, err)
    assert "terminated by SIGTERM" in out + err and "Traceback" not in err
    assert "PARTIAL ANSWER" in out
