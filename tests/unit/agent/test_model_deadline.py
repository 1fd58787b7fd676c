"""A model that trickles (one token every few seconds, never reaching the length cap) or stalls
is stopped at a wall-clock deadline for its answer: the partial text is kept, labelled, and the
answer fails (exit 1), as other partial answers do. Scripted Ollama server; small deadlines."""

from __future__ import annotations

import threading
import time

from netops.agent import events as E
from netops.agent.budget import Budget
from netops.cancel import CancelToken
from netops.testing.ollama_server import Reply, ScriptedOllama, say, tool_call

TRICKLE = Reply(content="The hold time is " + "very " * 400 + "long.", piece_chars=5, piece_delay=0.4)


def test_a_trickling_model_is_stopped_at_the_deadline_with_its_partial_answer(scripted, make_assistant):
    scripted.push(TRICKLE)
    started = time.monotonic()
    events = list(make_assistant(budget=Budget(model_seconds=2.0)).events("hello there"))
    took = time.monotonic() - started
    answer = events[-1].answer
    assert took < 8, took                                  # not the ~80 s the trickle would take
    assert any(isinstance(e, E.TokenEvent) for e in events)
    assert answer.partial and answer.exit_code == 1 and not answer.cancelled
    assert "2-second deadline" in answer.error and "NETOPS_MODEL_DEADLINE" in answer.error_hint
    assert answer.text.startswith("**PARTIAL ANSWER (stopped at the 2-second deadline):**")
    assert "The hold time is very" in answer.text


def test_a_model_that_sends_nothing_is_stopped_at_the_deadline(scripted, make_assistant):
    scripted.push(Reply(latency=30, content="too late"))
    started = time.monotonic()
    answer = make_assistant(budget=Budget(model_seconds=1.0)).ask("hello there")
    assert time.monotonic() - started < 6
    assert answer.error and "1-second deadline" in answer.error and answer.exit_code == 1
    assert not answer.partial and not answer.cancelled
    assert answer.text.startswith("**No answer (stopped at the 1-second deadline):**")


def test_the_deadline_counts_model_time_not_tool_time(scripted, make_assistant, fake_transport):
    # device reads slower than the deadline do not use it up; the model's own turns do
    fake_transport.latency = 1.5
    scripted.push(tool_call("get_state", hosts=["r1"], getter="bgp_neighbors"), say("r1 peers with 198.51.100.2."))
    answer = make_assistant(budget=Budget(model_seconds=1.2)).ask("please look at the routers")
    assert answer.error is None, answer.error
    assert "198.51.100.2" in answer.text


def test_the_deadline_is_a_setting(scripted, make_assistant, agent_settings):
    scripted.push(TRICKLE)
    answer = make_assistant(agent_settings.model_copy(update={"model_deadline": 1.5})).ask("hello there")
    assert answer.partial and "1.5-second deadline" in answer.error


def test_cancel_still_wins_before_the_deadline(scripted, make_assistant):
    scripted.push(TRICKLE)
    token = CancelToken()
    threading.Timer(0.8, token.cancel, args=("cancelled by the user",)).start()
    answer = make_assistant(budget=Budget(model_seconds=30)).ask("hello there", cancel=token)
    assert answer.cancelled and answer.exit_code == 130


def test_ask_exits_1_with_one_error_line_at_the_deadline(agent_settings, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[3]
    with ScriptedOllama([TRICKLE]) as srv:
        env = {**os.environ, "NETOPS_OLLAMA_URL": srv.url, "NETOPS_KB__EMBEDDER": "none",
               "NETOPS_INVENTORY": str(agent_settings.inventory), "PYTHONPATH": str(repo),
               "NETOPS_MODEL_DEADLINE": "1.5"}
        done = subprocess.run([sys.executable, "-m", "netops", "ask", "hello there"], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "1.5-second deadline" in errors[0]
    assert "PARTIAL ANSWER (stopped at the 1.5-second deadline)" in done.stdout


def test_a_trickling_second_opinion_is_stopped_at_the_deadline_and_counts_as_a_warning(
        scripted, make_assistant, agent_settings, vetted_playbooks, fake_transport):
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}
    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": True,
                                                 "model_deadline": 1.5})
    scripted.review = Reply(content='{"verdict": "ok", "findings": ["' + "slow " * 300 + '"]}', piece_chars=3,
                            piece_delay=0.3)
    started = time.monotonic()
    answer = make_assistant(settings).ask("drain r2")           # DenyAll: nothing is applied anyway
    assert time.monotonic() - started < 12
    (approval,) = answer.approvals
    assert approval.review == "warn" and approval.decision == "denied"
    assert any("1.5-second deadline" in f for f in approval.review_findings), approval.review_findings
    assert not fake_transport.configs
