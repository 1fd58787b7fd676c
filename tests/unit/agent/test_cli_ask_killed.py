"""A netops killed mid-answer (SIGKILL: the terminal closed, the OOM killer) keeps the person's
question (tail33: it kept the conversation's title and lost the question, as history was written
at the end of a turn). The question is read back as unanswered ('netops stopped before
answering'), and a continued conversation does not hand it to the model as if it were answered.
A real process killed for real, real SQLite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from netops.store.history import UNANSWERED, History
from netops.testing.ollama_server import Reply, ScriptedOllama

REPO = Path(__file__).resolve().parents[3]
KILLED = "what is the minimum BGP hold time?"


def _wait(cond, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_killed_ask_keeps_the_question_as_unanswered_and_continues_sanely(agent_settings, tmp_path):
    slow = "The hold time is negotiated in the OPEN message and the smaller value wins. " * 30
    with ScriptedOllama([Reply(content=slow, piece_chars=8, piece_delay=0.05)]) as srv:
        env = {**os.environ, "NETOPS_OLLAMA_URL": srv.url, "NETOPS_KB__EMBEDDER": "none",
               "NETOPS_INVENTORY": str(agent_settings.inventory), "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen([sys.executable, "-m", "netops", "ask", KILLED], env=env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _wait(lambda: srv.requests)
            assert srv.requests, "the model was never asked"
            time.sleep(0.5)  # some tokens have streamed
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == -signal.SIGKILL

        with History(agent_settings.paths.history_db) as history:
            (conv,) = history.conversations()
            (msg,) = history.messages(conv.id)
        assert conv.title == KILLED
        assert (msg.role, msg.content, msg.unanswered) == ("user", KILLED, True)

        def netops(*args: str) -> str:
            return subprocess.run([sys.executable, "-m", "netops", *args], env=env, cwd=tmp_path,
                                  capture_output=True, text=True, check=True).stdout

        shown = netops("conversations", "show", conv.id)
        assert f"{KILLED}\n  ({UNANSWERED})" in shown, shown
        assert json.loads(netops("conversations", "show", conv.id, "--json"))["messages"][0]["unanswered"] is True

        # continued: the model is not shown the killed question followed by the next one as if
        # they were one exchange, nor an answer netops never gave
        srv.push(Reply(content="Keepalive is sent every third of the hold time."))
        netops("ask", "--continue", "and the keepalive interval?")
        sent = srv.requests[-1].messages
        assert not any(m.get("content") == KILLED for m in sent), sent
        assert [m["role"] for m in sent if m["role"] != "system"][:1] == ["user"], sent
        assert not any(m["role"] == "assistant" for m in sent), sent

    with History(agent_settings.paths.history_db) as history:
        msgs = history.messages(conv.id)
    assert [(m.role, m.unanswered) for m in msgs] == [("user", True), ("user", False), ("assistant", False)]
    assert msgs[1].content == "and the keepalive interval?" and "Keepalive" in msgs[2].content
