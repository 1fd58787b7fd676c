"""The scripted server speaks Ollama's protocol as the official clients expect."""

from __future__ import annotations

import httpx
import ollama
import pytest

from netops.testing.ollama_server import FakeModel, Reply, ScriptedOllama, say, text_tool_call, tool_call

MODEL = "qwen2.5:7b-instruct"


def test_ollama_client_admin_endpoints(scripted_pair):
    srv, client = scripted_pair
    assert [m.model for m in client.list().models] == [MODEL]
    show = client.show(MODEL)
    assert "tools" in show.capabilities and show.modelinfo["qwen2.context_length"] == 32768
    emb = client.embed(model=MODEL, input=["a", "b"]).embeddings
    assert len(emb) == 2 and emb[0] != emb[1] and abs(sum(x * x for x in emb[0]) - 1) < 1e-6
    steps = list(client.pull(MODEL, stream=True))
    assert steps[-1].status == "success" and any(s.total and s.completed == s.total for s in steps)
    assert httpx.get(f"{srv.url}/api/version").json()["version"]


def test_ollama_client_chat_stream_with_tool_call(scripted_pair):
    srv, client = scripted_pair
    srv.push(tool_call("kb_search", query="bgp"), say("hello world, a streamed answer"))
    parts = list(client.chat(model=MODEL, messages=[{"role": "user", "content": "x"}], stream=True))
    calls = [tc for p in parts for tc in (p.message.tool_calls or [])]
    assert calls[0].function.name == "kb_search" and calls[0].function.arguments == {"query": "bgp"}
    assert all(p.message.role == "assistant" for p in parts) and parts[-1].done
    text = "".join(p.message.content or "" for p in client.chat(model=MODEL, messages=[], stream=True))
    assert text == "hello world, a streamed answer"


def test_chat_ollama_tool_calls_and_tool_results_without_tool_name(scripted):
    from langchain_core.messages import HumanMessage, ToolMessage
    from langchain_core.tools import tool
    from langchain_ollama import ChatOllama

    @tool
    def kb_search(query: str) -> str:
        """search"""
        return query

    scripted.push(tool_call("kb_search", query="hold"), say("done"))
    llm = ChatOllama(model=MODEL, base_url=scripted.url).bind_tools([kb_search])
    first = llm.invoke([HumanMessage("q")])
    assert first.tool_calls[0]["args"] == {"query": "hold"}
    second = llm.invoke([HumanMessage("q"), first, ToolMessage("result", tool_call_id=first.tool_calls[0]["id"])])
    assert second.content == "done"
    sent = scripted.requests[1]
    assert sent.tool_results() == ["result"] and "kb_search" in sent.tool_names()


def test_text_tool_call_is_plain_content(scripted_pair):
    srv, client = scripted_pair
    srv.push(text_tool_call("show", hosts=["r1"]))
    r = client.chat(model=MODEL, messages=[], stream=False)
    assert r.message.content.startswith('{"name": "show"') and not r.message.tool_calls


def test_dropped_stream_is_a_protocol_error(scripted_pair):
    srv, client = scripted_pair
    srv.push(Reply(content="a" * 100, drop_after=2))
    with pytest.raises(httpx.RemoteProtocolError):
        list(client.chat(model=MODEL, messages=[], stream=True))


def test_unknown_model_exhausted_script_and_unknown_pull(scripted_pair):
    srv, client = scripted_pair
    with pytest.raises(ollama.ResponseError) as e:
        client.chat(model="nope", messages=[])
    assert e.value.status_code == 404
    with pytest.raises(ollama.ResponseError, match="script exhausted"):
        client.chat(model=MODEL, messages=[])
    with pytest.raises(ollama.ResponseError, match="does not exist"):
        list(client.pull("nope", stream=True))


def test_pull_makes_a_model_available():
    extra = FakeModel(name="llama3.1:8b", family="llama", capabilities=("completion",))
    with ScriptedOllama(pullable=[extra]) as srv:
        client = ollama.Client(host=srv.url)
        list(client.pull("llama3.1:8b", stream=True))
        assert "llama3.1:8b" in [m.model for m in client.list().models]


def test_openai_compatible_endpoint_streams_sse(scripted):
    scripted.push(say("hi there"))
    with httpx.stream("POST", f"{scripted.url}/v1/chat/completions",
                      json={"model": MODEL, "messages": [], "stream": True}) as r:
        lines = [ln for ln in r.iter_lines() if ln.startswith("data: ")]
    assert lines[-1] == "data: [DONE]" and '"content": "hi there"' in "".join(lines)
