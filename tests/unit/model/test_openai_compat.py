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
