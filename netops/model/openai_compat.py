"""An OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama's ``/v1``) over httpx.

We speak the chat-completions API ourselves instead of adding langchain-openai: it would pull
in the ``openai`` SDK and ``tiktoken`` (which downloads BPE files at runtime, a problem offline)
for the few requests we need: ``GET /models`` and streamed ``POST /chat/completions``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from netops.errors import ModelError, ModelProtocolError, ModelUnavailable, NotFoundError
from netops.model.base import EndpointStatus, ModelInfo, PullProgress

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from netops.settings import Settings


def _translate(exc: Exception, url: str) -> Exception:
    import httpx

    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
        return ModelUnavailable(f"no OpenAI-compatible endpoint at {url}",
                                hint="start the server or fix NETOPS_OPENAI_BASE_URL")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.ReadTimeout)):
        return ModelProtocolError(f"the model stream from {url} broke off: {exc}",
                                  hint="the answer is incomplete; check the server and ask again")
    if isinstance(exc, httpx.HTTPStatusError):
        if exc.response.status_code == 404:
            return NotFoundError(f"{url}: {exc.response.text[:200]}", hint="check the model name")
        return ModelError(f"{url} answered HTTP {exc.response.status_code}: {exc.response.text[:200]}")
    return ModelError(f"model call failed: {type(exc).__name__}: {exc}")


class OpenAICompatBackend:
    """Models and chat at ``settings.openai_base_url`` (e.g. ``http://127.0.0.1:8000/v1``)."""

    kind = "openai"

    def __init__(self, settings: "Settings", *, timeout: float = 120.0) -> None:
        self.url = (settings.openai_base_url or "").rstrip("/")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        self._headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.timeout = timeout
        self._http: Any = None

    @property
    def http(self) -> Any:
        if self._http is None:
            import httpx

            self._http = httpx.Client(headers=self._headers, timeout=self.timeout)
        return self._http

    def _model_ids(self, timeout: float | None = None) -> list[str]:
        r = self.http.get(f"{self.url}/models", timeout=timeout or self.timeout)
        r.raise_for_status()
        return [m["id"] for m in r.json().get("data", [])]

    def status(self, timeout: float = 2.0) -> EndpointStatus:
        try:
            ids = self._model_ids(timeout)
        except Exception as exc:
            return EndpointStatus(self.url, self.kind, False, error=f"{type(exc).__name__}: {exc}")
        return EndpointStatus(self.url, self.kind, True, models=ids)

    def list_models(self) -> list[ModelInfo]:
        """The endpoint's models; the API reports no size, family or capabilities."""
        try:
            return [ModelInfo(name=i) for i in self._model_ids()]
        except Exception as exc:
            raise _translate(exc, self.url) from exc

    def show(self, name: str) -> ModelInfo:
        for m in self.list_models():
            if m.name == name:
                return m
        raise NotFoundError(f"{name} is not served at {self.url}", hint="netops models list")

    def pull(self, name: str) -> Iterator[PullProgress]:
        raise ModelError("an OpenAI-compatible endpoint cannot pull models",
                         hint="load the model in the server itself (vLLM/llama.cpp), or use Ollama")

    def chat_model(self, name: str, *, temperature: float = 0.0) -> "BaseChatModel":
        return make_chat_model(self, name, temperature)


def _to_openai(messages: list[Any]) -> list[dict[str, Any]]:
    out = []
    for m in messages:
        role = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}.get(m.type, "user")
        item: dict[str, Any] = {"role": role, "content": m.content if isinstance(m.content, str) else str(m.content)}
        if m.type == "ai" and getattr(m, "tool_calls", None):
            item["tool_calls"] = [{"id": tc["id"], "type": "function",
                                   "function": {"name": tc["name"], "arguments": json.dumps(tc["args"])}}
                                  for tc in m.tool_calls]
        if m.type == "tool":
            item["tool_call_id"] = m.tool_call_id
        out.append(item)
    return out


def make_chat_model(backend: OpenAICompatBackend, name: str, temperature: float) -> "BaseChatModel":
    """A LangChain chat model over the backend's HTTP client (streaming, tool calls)."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from langchain_core.utils.function_calling import convert_to_openai_tool

    class OpenAICompatChat(BaseChatModel):
        model_name: str
        temperature: float = 0.0

        @property
        def _llm_type(self) -> str:
            return "netops-openai-compat"

        def bind_tools(self, tools: Any, **kw: Any) -> Any:
            return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kw)

        def _stream(self, messages: list[Any], stop: Any = None, run_manager: Any = None,
                    **kw: Any) -> Iterator[ChatGenerationChunk]:
            body: dict[str, Any] = {"model": self.model_name, "messages": _to_openai(messages), "stream": True,
                                    "temperature": self.temperature}
            if kw.get("tools"):
                body["tools"] = kw["tools"]
            calls: dict[int, dict[str, Any]] = {}
            finished = False
            try:
                with backend.http.stream("POST", f"{backend.url}/chat/completions", json=body) as r:
                    if r.status_code >= 400:
                        r.read()
                        r.raise_for_status()
                    for line in r.iter_lines():
                        if not line.startswith("data: "):
                            continue
                        data = line[6:].strip()
                        if data == "[DONE]":
                            finished = True
                            break
                        choice = (json.loads(data).get("choices") or [{}])[0]
                        delta = choice.get("delta") or {}
                        for tc in delta.get("tool_calls") or []:
                            slot = calls.setdefault(tc.get("index", 0), {"id": None, "name": "", "args": ""})
                            slot["id"] = tc.get("id") or slot["id"]
                            fn = tc.get("function") or {}
                            slot["name"] += fn.get("name") or ""
                            slot["args"] += fn.get("arguments") or ""
                        if delta.get("content"):
                            chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta["content"]))
                            if run_manager:
                                run_manager.on_llm_new_token(delta["content"], chunk=chunk)
                            yield chunk
                        if choice.get("finish_reason"):
                            finished = True
            except Exception as exc:
                raise _translate(exc, backend.url) from exc
            tool_calls = []
            for slot in calls.values():
                try:
                    args = json.loads(slot["args"] or "{}")
                except json.JSONDecodeError:
                    args = {"_raw": slot["args"]}
                tool_calls.append({"name": slot["name"], "args": args if isinstance(args, dict) else {"_raw": args},
                                   "id": slot["id"] or f"call-{uuid.uuid4().hex[:8]}", "type": "tool_call"})
            yield ChatGenerationChunk(message=AIMessageChunk(
                content="", tool_calls=tool_calls, response_metadata={"done": finished, "model_name": self.model_name}))

        def _generate(self, messages: list[Any], stop: Any = None, run_manager: Any = None,
                      **kw: Any) -> ChatResult:
            total = None
            for chunk in self._stream(messages, stop, run_manager, **kw):
                total = chunk if total is None else total + chunk
            assert total is not None
            msg = total.message
            from langchain_core.messages import AIMessage

            return ChatResult(generations=[ChatGeneration(message=AIMessage(
                content=msg.content, tool_calls=msg.tool_calls, response_metadata=msg.response_metadata))])

    return OpenAICompatChat(model_name=name, temperature=temperature)
