"""A model that sends nothing: when the answer goes out at the deadline (or on a cancel), the
worker's HTTP call is ended there too (its connection shut), not left waiting for the read
timeout. Otherwise every silent model leaves a thread and a connection behind for minutes, and
the reviewer's second opinion holds a change's approval until the HTTP timeout.
Scripted Ollama server (Ollama and OpenAI-compatible routes); small deadlines."""

from __future__ import annotations

import threading
import time

import pytest

from netops.agent.budget import Budget
from netops.cancel import CancelToken
from netops.testing.ollama_server import Reply, say

SILENT = 30.0
"""The scripted model's silence: far longer than any deadline here, far shorter than the HTTP timeout."""


def _answer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "netops-answer" and t.is_alive()]


def _wait_gone(seconds: float) -> list[threading.Thread]:
    end = time.monotonic() + seconds
    while _answer_threads() and time.monotonic() < end:
        time.sleep(0.05)
    return _answer_threads()


def _settings(agent_settings, scripted, backend):
    if backend == "openai":
        return agent_settings.model_copy(update={"openai_base_url": scripted.url + "/v1"})
    return agent_settings


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_a_silent_model_releases_its_worker_at_the_deadline(backend, scripted, make_assistant, agent_settings):
    assert not _wait_gone(SILENT), "a thread of an earlier test is still waiting"
    scripted.push(say("Warm."), Reply(latency=SILENT, content="too late"), say("The second answer."))
    assistant = make_assistant(_settings(agent_settings, scripted, backend), budget=Budget(model_seconds=1.0))
    assistant.ask("ok, warm up")                                 # the first question imports the model stack
    started = time.monotonic()
    first = assistant.ask("hello there")
    assert time.monotonic() - started < 6
    assert first.error and "1-second deadline" in first.error
    left = _wait_gone(3.0)
    assert not left, f"the worker still waits on the silent model ({backend})"
    started = time.monotonic()
    second = assistant.ask("and now?")
    assert time.monotonic() - started < 6
    assert second.error is None and "The second answer." in second.text


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_a_cancel_releases_a_worker_waiting_on_a_silent_model(backend, scripted, make_assistant, agent_settings):
    assert not _wait_gone(SILENT), "a thread of an earlier test is still waiting"
    scripted.push(say("Warm."), Reply(latency=SILENT, content="too late"))
    assistant = make_assistant(_settings(agent_settings, scripted, backend))
    assistant.ask("ok, warm up")
    token = CancelToken()
    threading.Timer(1.0, token.cancel, args=("cancelled by the user",)).start()
    answer = assistant.ask("hello there", cancel=token)
    assert answer.cancelled and answer.exit_code == 130
    assert not _wait_gone(3.0), f"the worker still waits on the silent model ({backend})"


def test_a_silent_second_opinion_is_ended_at_the_deadline(scripted, make_assistant, agent_settings,
                                                          vetted_playbooks, fake_transport):
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}
    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": True,
                                                 "model_deadline": 1.5})
    scripted.review = Reply(latency=SILENT, content='{"verdict": "ok", "findings": []}')
    started = time.monotonic()
    answer = make_assistant(settings).ask("drain r2")           # DenyAll: nothing is applied anyway
    assert time.monotonic() - started < 8, "the approval waited for the silent reviewer's HTTP timeout"
    (approval,) = answer.approvals
    assert approval.review == "warn" and approval.decision == "denied"
    assert any("1.5-second deadline" in f for f in approval.review_findings), approval.review_findings
    assert not fake_transport.configs
