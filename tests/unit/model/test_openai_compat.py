"""The OpenAI-compatible backend against the scripted server's /v1 endpoints."""

from __future__ import annotations

import pytest

from netops.errors import ModelError
from netops.model.base import backend_for
from netops.model.openai_compat import OpenAICompatBackend
from netops.testing.ollama_server import Reply, say, text_tool_call, tool_call


@pytest.fixture
def oa_settings(settings, scripted):
    return settings.model_copy(update={"openai_base_url": f"{scripted.url}/v1",
                                       "kb": settings.kb.model_copy(update={"embedder": "none"})})


def test_backend_lists_and_refuses_pull(oa_settings):
    b = backend_for(oa_settings)
    assert isinstance(b, OpenAICompatBackend) and b.status().reachable
    assert [m.name for m in b.list_models()] == ["qwen2.5:7b-instruct"]
    with pytest.raises(ModelError):
        list(b.pull("x"))


def test_assistant_over_openai_compat_tool_calls_and_text_calls(oa_settings, scripted):
    from netops.assistant import Assistant

    scripted.push(tool_call("list_devices", targets="all"), text_tool_call("list_devices"), say("No inventory."))
    answer = Assistant(oa_settings).ask("which devices?")
    assert answer.mode == "agent" and answer.text.startswith("No inventory.")
    assert [c.tool for c in answer.tool_calls] == ["list_devices", "list_devices"]
    assert scripted.requests[1].path == "/v1/chat/completions"
    assert scripted.requests[1].messages[-1]["role"] == "tool"


def test_openai_compat_dropped_stream_is_partial(oa_settings, scripted):
    from netops.assistant import Assistant

    scripted.push(Reply(content="partial text that will break", drop_after=1))
    answer = Assistant(oa_settings).ask("hello?")
    assert answer.partial and answer.exit_code == 1


def test_streamed_usage_is_requested_and_reported(oa_settings, scripted):
    from langchain_core.messages import HumanMessage

    scripted.push(say("Three seconds [1]."))
    backend = backend_for(oa_settings)
    msg = backend.chat_model("qwen2.5:7b-instruct").invoke([HumanMessage("What is the lowest hold time? " * 10)])
    assert msg.content == "Three seconds [1]."
    assert msg.usage_metadata["input_tokens"] > 10 and msg.usage_metadata["output_tokens"] >= 1


def test_server_that_rejects_stream_options_is_asked_again(oa_settings, scripted):
    from langchain_core.messages import HumanMessage

    scripted.push(Reply(error="unknown field stream_options", status=422), say("fine"))
    backend = backend_for(oa_settings)
    msg = backend.chat_model("qwen2.5:7b-instruct").invoke([HumanMessage("hi")])
    assert msg.content == "fine" and msg.usage_metadata is None and backend._stream_options is False


def test_doctor_checks_for_an_openai_compatible_server(oa_settings, scripted):
    from netops.model.checks import model_checks

    scripted.push(say("OK"))
    rows = {c.name: c for c in model_checks(oa_settings)}
    assert rows["model"].ok and "served by" in rows["model"].detail
    assert rows["model chat"].ok and "usage reported" in rows["model chat"].detail
    assert rows["model context"].ok
    # the scripted server publishes no context size (as llama-cpp-python): said as a condition, not
    # an order to someone who may have started it right (trial32)
    assert rows["model context"].detail == ("context not reported by the server (netops needs 8192+ tokens: "
                                            "--n_ctx 8192 for llama.cpp)")


def test_doctor_names_the_served_models_when_the_alias_differs(oa_settings):
    from netops.model.checks import model_checks

    rows = model_checks(oa_settings.model_copy(update={"model": "smollm2"}))
    assert not rows[0].ok and "qwen2.5:7b-instruct" in rows[0].detail and "--model_alias smollm2" in rows[0].fix


def test_doctor_does_not_ask_for_ollama_when_an_openai_endpoint_is_configured(oa_settings):
    from netops.doctor import check_ollama

    row = check_ollama(oa_settings)
    assert row.ok and "not used" in row.detail


def test_doctor_fix_for_a_dead_llama_server_uses_the_configured_host_and_port(settings):
    """NETOPS_OPENAI_BASE_URL=http://127.0.0.1:8767/v1 with the server down: the suggested start
    command must listen where netops looks (it said --port 8000 whatever was configured)."""
    import socket

    from netops.model.checks import model_checks

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (c,) = model_checks(settings.model_copy(update={"openai_base_url": f"http://127.0.0.1:{port}/v1",
                                                   "model": "smollm2"}))
    assert not c.ok and "unreachable" in c.detail
    assert f"--host 127.0.0.1 --port {port}" in c.fix and "--port 8000" not in c.fix, c.fix
    assert "--model_alias smollm2" in c.fix


def test_doctor_with_a_base_url_whose_port_is_out_of_range_says_unreachable_not_crashed(settings):
    """NETOPS_OPENAI_BASE_URL=http://127.0.0.1:99999/v1 (a typo): the model row said 'check crashed:
    ValueError: Port out of range' once the fix line read the port from the URL; it is the doctor's
    own job to say what is wrong with the setting."""
    from netops.model.checks import model_checks

    (c,) = model_checks(settings.model_copy(update={"openai_base_url": "http://127.0.0.1:99999/v1",
                                                   "model": "smollm2"}))
    assert not c.ok and "unreachable" in c.detail
    assert "NETOPS_OPENAI_BASE_URL" in c.fix and "99999" in c.fix, c.fix


def test_a_model_the_openai_server_does_not_serve_names_what_it_serves_not_models_pull(oa_settings):
    """`netops ask --model nosuch` against llama.cpp said 'try `netops models pull nosuch`', which
    then fails there ('an OpenAI-compatible endpoint cannot pull models'): it names the served models."""
    from netops.model.base import model_problem

    problem = model_problem(backend_for(oa_settings), "nosuch")
    assert "models pull" not in problem and "qwen2.5:7b-instruct" in problem
