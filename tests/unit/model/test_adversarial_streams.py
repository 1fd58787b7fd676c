"""Broken model servers, through both backends (Ollama's /api/chat and the OpenAI-compatible
/v1): every failure is one line, exits non-zero, keeps what streamed (marked partial) and never
runs a tool call that did not arrive whole."""

from __future__ import annotations

import pytest

from netops.agent.budget import Budget
from netops.testing.ollama_server import Reply, say


@pytest.fixture(params=["ollama", "openai"])
def endpoint(request, settings, scripted):
    kb = settings.kb.model_copy(update={"embedder": "none"})
    if request.param == "openai":
        return settings.model_copy(update={"openai_base_url": f"{scripted.url}/v1", "kb": kb})
    return settings.model_copy(update={"ollama_url": scripted.url, "kb": kb})


def _ask(settings, **kw):
    from netops.assistant import Assistant

    with Assistant(settings, **kw) as assistant:
        return assistant.ask("which devices?")


def _one_line_failure(answer):
    assert answer.error and answer.exit_code != 0
    assert "\n" not in answer.error and not answer.error.startswith("model call failed")


def test_a_corrupt_stream_line(endpoint, scripted):
    scripted.push(Reply(content="The devices are r1 and r2", bad_line=b'{"message": {"content": "x'))
    answer = _ask(endpoint)
    _one_line_failure(answer)
    assert "not JSON" in answer.error
    assert answer.partial and "r1 and r2" in answer.text


def test_a_connection_closed_before_any_answer(endpoint, scripted):
    scripted.push(Reply(hangup=True))
    answer = _ask(endpoint)
    _one_line_failure(answer)
    assert not answer.partial and not answer.tool_calls


def test_a_stream_cut_inside_a_tool_call_runs_nothing(endpoint, scripted):
    scripted.push(Reply(tool_calls=[{"name": "list_devices", "arguments": {}}], cut_tool_call=True))
    answer = _ask(endpoint)
    _one_line_failure(answer)
    assert not answer.tool_calls


@pytest.mark.parametrize("arguments", ["{not json", [1, 2]])
def test_tool_call_arguments_that_are_not_an_object_run_nothing(endpoint, scripted, arguments):
    scripted.push(Reply(tool_calls=[{"name": "list_devices", "arguments": arguments}]), say("fine"))
    answer = _ask(endpoint)
    assert not [c for c in answer.tool_calls if c.ok]
    if answer.error:
        _one_line_failure(answer)
    else:
        assert "not a JSON object" in answer.tool_calls[0].error


def test_an_enormous_answer_is_cut_with_its_own_label(endpoint, scripted):
    scripted.push(Reply(content="spam " * 50_000, piece_chars=2048))
    answer = _ask(endpoint, budget=Budget(answer_chars=10_000))
    _one_line_failure(answer)
    assert answer.partial and answer.text.startswith("**PARTIAL ANSWER (cut at the length limit):**")
    assert len(answer.text) < 12_000


def test_an_empty_answer_is_not_an_answer(endpoint, scripted):
    scripted.push(say(""))
    answer = _ask(endpoint)
    _one_line_failure(answer)
    assert "empty" in answer.error
