"""The model server goes away while netops waits for its first word (fallback34).

``kill PID`` of a llama.cpp server is a SIGTERM: uvicorn refuses new connections at once but keeps
the request in progress open, with no word, until the model has read its prompt (trial34 waited
~25 s with only "answering…"). netops looks at the server while the model is silent: one that
refuses connections is gone, and the turn answers offline from the evidence already read, saying
so; one that is only slow is said to be waited for, once.
"""

from __future__ import annotations

import socket
import threading

import pytest

from netops.agent.events import AnswerEvent, StepEvent
from netops.model.base import refuses_connections
from netops.testing.ollama_server import say


def _answer(events):
    return next(ev.answer for ev in events if isinstance(ev, AnswerEvent))


def test_a_server_that_stops_taking_connections_mid_call_is_not_waited_for(scripted, make_assistant,
                                                                          agent_settings):
    release, finished = threading.Event(), threading.Event()

    def shutting_down(req):  # graceful shutdown: no new connections, this request held open
        scripted.stop_listening()
        release.wait(60)
        finished.set()
        return say("too late")

    scripted.push(shutting_down)
    # a deadline far off: without the look at the server, the answer would be the deadline's
    assistant = make_assistant(agent_settings.model_copy(update={"model_deadline": 60}))
    try:
        events = list(assistant.events("bgp neighbours on r1"))
        # answered while the dying server still held the request: it was not waited for
        assert not finished.is_set()
    finally:
        release.set()
    answer = _answer(events)
    assert answer.mode == "offline" and answer.model is None and answer.exit_code == 0, answer.text
    assert answer.error is None and not answer.partial
    assert f"the model server at {scripted.url} stopped taking connections" in answer.notice
    assert "answered offline from the evidence read" in answer.notice
    assert "198.51.100.2" in answer.text  # the state read before the model was asked
    assert answer.to_dict()["mode"] == "offline"


def test_a_silent_model_is_said_to_be_waited_for_once(scripted, make_assistant, agent_settings, monkeypatch):
    import netops.assistant as assistant_mod

    monkeypatch.setattr(assistant_mod, "SERVER_CHECK", 0.5)
    release = threading.Event()

    def slow(req):  # reading a long prompt: connections are taken, no word yet
        release.wait(60)
        return say("r1 has one BGP neighbour, 198.51.100.2 [1].")

    scripted.push(slow)
    steps, events = [], []
    for ev in make_assistant().events("bgp neighbours on r1"):
        events.append(ev)
        if isinstance(ev, StepEvent) and ev.step == "model":
            steps.append(ev.detail)
            release.set()  # the model starts answering once the wait has been said
    release.set()
    assert len(steps) == 1, steps
    assert steps[0].startswith(f"waiting for the model at {scripted.url} to start answering")
    answer = _answer(events)
    assert answer.mode == "agent" and answer.error is None, answer.text  # slow is not gone


def test_refused_is_proof_of_a_gone_server_and_nothing_else_is():
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert not refuses_connections(f"http://127.0.0.1:{port}/v1")  # accepted (even if never answered)
    assert refuses_connections(f"http://127.0.0.1:{port}/v1")  # nothing listens now
    assert not refuses_connections("not a url")


@pytest.mark.parametrize("url", ["http://", "http://127.0.0.1:notaport"])
def test_refuses_connections_never_raises(url):
    assert refuses_connections(url) is False


@pytest.mark.parametrize("kind", ["openai_base_url", "ollama_url"])
def test_the_probe_says_hung_and_gone_apart(agent_settings, kind):
    """A server stopped with SIGSTOP takes connections (the kernel does) and says nothing; a dead
    one refuses them. The line the person reads says which, not 'ReadTimeout: timed out'."""
    from netops.model.base import backend_for, model_problem

    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen()
        url = f"http://127.0.0.1:{hung.getsockname()[1]}" + ("/v1" if kind == "openai_base_url" else "")
        backend = backend_for(agent_settings.model_copy(update={kind: url}))
        said = model_problem(backend, "qwen2.5:7b-instruct", timeout=0.5)
        assert said == f"no model reachable at {url} (it took the connection but did not answer within 0.5 s: " \
                       "busy or hung)"
    said = model_problem(backend, "qwen2.5:7b-instruct", timeout=0.5)
    assert said == f"no model reachable at {url} (connection refused: no server is listening there)"


def _killed(scripted):
    """A turn: the server dies before its first word (killed: the call is reset, nothing listens)."""
    from netops.testing.ollama_server import Reply

    def dying(req):
        scripted.stop_listening()
        return Reply(hangup=True)

    return dying


def test_a_server_killed_before_a_word_with_nothing_read_answers_offline(scripted, make_assistant):
    """Nothing was read before the model was asked ("hello there"): the answer is the one netops
    gives with no model, labelled offline with why, exit 0; not '**No answer**' as if netops knew nothing."""
    scripted.push(_killed(scripted))
    answer = make_assistant().ask("hello there")
    assert answer.mode == "offline" and answer.model is None and answer.exit_code == 0, answer.text
    assert answer.error is None and not answer.partial and "No answer" not in answer.text
    assert answer.text.startswith("offline answer (no language model used)")
    assert "the model stopped answering (" in answer.notice and "answered offline" in answer.notice
    assert "from the evidence read" not in answer.notice  # nothing was read before the model


def test_a_server_gone_between_the_probe_and_the_call_answers_offline(scripted, make_assistant):
    """Refused at the model call itself (it answered the probe a moment before): exit 0 offline, not 3."""
    assistant = make_assistant()
    probe, url = assistant._model_problem, scripted.url

    def probe_then_die():
        said = probe()  # the real probe, answered by the live server
        scripted.stop()
        return said

    assistant._model_problem = probe_then_die
    answer = assistant.ask("hello there")
    assert answer.mode == "offline" and answer.exit_code == 0 and answer.error is None, answer.text
    assert f"the model stopped answering (no model endpoint at {url})" in answer.notice


def test_a_live_server_that_breaks_one_call_with_nothing_read_is_an_error(scripted, make_assistant):
    """Still taking connections, it hung up on one call: a broken model, not a gone one (said, exit 1)."""
    from netops.testing.ollama_server import Reply

    scripted.push(Reply(hangup=True))
    answer = make_assistant().ask("hello there")
    assert answer.mode == "agent" and answer.exit_code == 1 and "broke off" in answer.error


SERVE = """
import sys
from netops.testing.ollama_server import ScriptedOllama, say
srv = ScriptedOllama([say("r1 has one BGP neighbour, 198.51.100.2 [1].")]).start()
print(srv.url, flush=True)
sys.stdin.read()
"""


def test_a_suspended_model_server_is_not_waited_for(make_assistant, agent_settings):
    """SIGSTOP (or Ctrl+Z) of the model server after the probe: the kernel still takes its connections,
    so it looks busy, but its process is stopped and will say nothing. Found at the first look (3 s),
    answered offline from the evidence read and said why, instead of waiting out the deadline."""
    import os
    import signal
    import subprocess
    import sys

    from netops.agent.events import ModeEvent

    proc = subprocess.Popen([sys.executable, "-c", SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assistant = make_assistant(agent_settings.model_copy(update={"ollama_url": url, "model_deadline": 60}))
        events = []
        for ev in assistant.events("bgp neighbours on r1"):
            events.append(ev)
            if isinstance(ev, ModeEvent):  # the probe found it up; stopped before the model is asked
                assert ev.mode == "agent"
                os.kill(proc.pid, signal.SIGSTOP)
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        proc.kill()
        proc.wait()
    answer = _answer(events)
    assert answer.mode == "offline" and answer.exit_code == 0 and answer.error is None, answer.text
    assert f"the model server at {url} is suspended (process {proc.pid} was stopped" in answer.notice
    assert "198.51.100.2" in answer.text


def test_a_model_that_stalls_mid_answer_is_given_up(scripted, make_assistant, agent_settings, monkeypatch):
    """Words came, then nothing (a hung server mid-answer): given up after MODEL_STALL seconds of
    silence, the words so far shown as a partial answer that says why, not the whole deadline."""
    import netops.assistant as assistant_mod
    from netops.testing.ollama_server import Reply

    monkeypatch.setattr(assistant_mod, "SERVER_CHECK", 0.5)
    monkeypatch.setattr(assistant_mod, "MODEL_STALL", 1.0)
    scripted.push(Reply(content="r1 has one BGP neighbour, 198.51.100.2 [1].", piece_chars=12, piece_delay=60))
    events = list(make_assistant(agent_settings.model_copy(update={"model_deadline": 60}))
                  .events("bgp neighbours on r1"))
    answer = _answer(events)
    assert answer.partial and answer.exit_code != 0, answer.text
    assert f"the model at {scripted.url} stalled: no word for" in answer.error
    assert "deadline" not in answer.text
