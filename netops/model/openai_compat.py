"""An OpenAI-compatible endpoint (llama.cpp's server, vLLM, Ollama's ``/v1``) over httpx.

We speak the chat-completions API ourselves instead of adding langchain-openai: it would pull
in the ``openai`` SDK and ``tiktoken`` (which downloads BPE files at runtime, a problem offline)
for the few requests we need: ``GET /models`` and streamed ``POST /chat/completions``.

llama.cpp (``python -m llama_cpp.server`` from llama-cpp-python, or the C++ ``llama-server``)
is a first-class local backend through this path:

- streamed usage: every request asks for ``stream_options: {"include_usage": true}`` so the
  prompt tokens of each answer are reported (the C++ ``llama-server``, vLLM and Ollama send
  them); a server that rejects the option is asked again without it. llama-cpp-python's server
  ignores the option: then the prompt and the answer are counted by the server's own tokenizer
  (``/extras/tokenize/count``) after the stream, and a server with neither reports no counts;
- model listing: ``/v1/models`` gives the ``--model_alias`` (``meta`` sizes when the C++ server
  reports them); :meth:`OpenAICompatBackend.server_info` tells llama.cpp apart and reads its
  context size where it is published (``/props``);
- tool calls: with a GGUF's own chat template llama.cpp returns ``auto`` tool calls as text
  content; the agent turns JSON printed as text into real calls (:mod:`netops.agent.textcalls`);
- answers are capped at :data:`MAX_TOKENS` (llama.cpp's default is "until the context is full",
  which a small model reaches by repeating itself).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from netops.errors import ModelError, ModelProtocolError, ModelUnavailable, NotFoundError
from netops.model.base import EndpointStatus, ModelInfo, PullProgress, tls_context

MAX_TOKENS = 1024
"""Completion tokens per model call."""

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from netops.settings import Settings


def _translate(exc: Exception, url: str) -> Exception:
    import httpx

    from netops.errors import NetopsError
    from netops.model.base import unusable_answer

    if isinstance(exc, NetopsError):  # raised on purpose inside the stream (e.g. the answer-length cap)
        return exc
    unusable = unusable_answer(exc, url)
    if unusable is not None:
        return unusable
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
    return ModelError(f"model call failed: {type(exc).__name__}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]


class OpenAICompatBackend:
    """Models and chat at ``settings.openai_base_url`` (e.g. ``http://127.0.0.1:8000/v1``)."""

    kind = "openai"

    def __init__(self, settings: "Settings", *, timeout: float = 120.0) -> None:
        self.url = (settings.openai_base_url or "").rstrip("/")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        self._headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.timeout = timeout
        self._http: Any = None
        self._stream_options = True
        """Send ``stream_options``; turned off for a server that rejects it."""
        self._tokenize: bool | None = None
        """Whether the server counts tokens (``/extras/tokenize/count``, llama-cpp-python)."""

    @property
    def http(self) -> Any:
        if self._http is None:
            import httpx

            from netops.model.abort import transport

            # its connections can be shut from another thread (a cancel, the deadline)
            self._http = httpx.Client(headers=self._headers, timeout=self.timeout, transport=transport(tls_context()))
        return self._http

    def _models(self, timeout: float | None = None) -> list[dict[str, Any]]:
        r = self.http.get(f"{self.url}/models", timeout=timeout or self.timeout)
        r.raise_for_status()
        return [m for m in r.json().get("data", []) if isinstance(m, dict) and m.get("id")]

    def _model_ids(self, timeout: float | None = None) -> list[str]:
        return [m["id"] for m in self._models(timeout)]

    def server_info(self, timeout: float = 2.0) -> dict[str, Any]:
        """What kind of server this is: ``{"server": "llama.cpp"|"ollama"|"openai-compatible",
        "n_ctx": int|None, "stream_options": bool|None}`` (never raises)."""
        info: dict[str, Any] = {"server": "openai-compatible", "n_ctx": None}
        root = self.url[:-3] if self.url.endswith("/v1") else self.url
        try:
            owners = {str(m.get("owned_by", "")) for m in self._models(timeout)}
        except Exception:
            return info
        if "llamacpp" in owners or "me" in owners:  # C++ llama-server / llama-cpp-python
            info["server"] = "llama.cpp"
        elif "library" in owners or "ollama" in owners:
            info["server"] = "ollama"
        try:
            r = self.http.get(f"{root}/props", timeout=timeout)
            if r.status_code == 200:
                props = r.json()
                info["server"] = "llama.cpp"
                n_ctx = (props.get("default_generation_settings") or {}).get("n_ctx") or props.get("n_ctx")
                info["n_ctx"] = int(n_ctx) if n_ctx else None
        except Exception:  # llama-cpp-python has no /props; that is fine
            pass
        return info

    def status(self, timeout: float = 2.0) -> EndpointStatus:
        try:
            ids = self._model_ids(timeout)
        except Exception as exc:
            return EndpointStatus(self.url, self.kind, False, error=f"{type(exc).__name__}: {exc}")
        return EndpointStatus(self.url, self.kind, True, models=ids)

    def list_models(self) -> list[ModelInfo]:
        """The endpoint's models; the API reports no size, family or capabilities."""
        try:
            return [_info(m) for m in self._models()]
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


def _info(m: dict[str, Any]) -> ModelInfo:
    meta = m.get("meta") if isinstance(m.get("meta"), dict) else {}
    params = meta.get("n_params")
    return ModelInfo(name=m["id"], size=meta.get("size") if isinstance(meta.get("size"), int) else None,
                     family=m.get("owned_by") or None,
                     parameter_size=f"{params / 1e6:.0f}M" if isinstance(params, (int, float)) and params else None,
                     context_length=meta.get("n_ctx_train") if isinstance(meta.get("n_ctx_train"), int) else None)


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


def _counted_usage(backend: OpenAICompatBackend, model: str, messages: list[dict[str, Any]],
                   streamed: list[str]) -> dict[str, int] | None:
    """Token counts from the server's own tokenizer when the stream carried no usage.

    llama-cpp-python's server ignores ``stream_options`` but offers ``/extras/tokenize/count``;
    the prompt is counted as ChatML (the template SmolLM2 and most small models use), so the
    figure is the server's count of what it was sent, give or take a few template tokens."""
    if backend._tokenize is False:
        return None
    root = backend.url[:-3] if backend.url.endswith("/v1") else backend.url
    prompt = "".join(f"<|im_start|>{m['role']}\n{m.get('content') or ''}<|im_end|>\n" for m in messages)
    prompt += "<|im_start|>assistant\n"
    try:
        counts = []
        for text in (prompt, "".join(streamed)):
            r = backend.http.post(f"{root}/extras/tokenize/count", json={"model": model, "input": text}, timeout=10)
            if r.status_code != 200:
                backend._tokenize = False
                return None
            counts.append(int(r.json()["count"]))
    except Exception:  # counting is a nicety; never fail an answer over it
        return None
    backend._tokenize = True
    return {"prompt_tokens": counts[0], "completion_tokens": counts[1], "total_tokens": sum(counts)}


def _events(backend: OpenAICompatBackend, body: dict[str, Any]) -> Iterator[dict[str, Any] | None]:
    """The JSON objects of one streamed completion; ``None`` for ``[DONE]``. A server that
    rejects ``stream_options`` (HTTP 400/422 naming it) is asked again without it, once."""
    for attempt in (0, 1):
        with backend.http.stream("POST", f"{backend.url}/chat/completions", json=body) as r:
            if r.status_code >= 400:
                r.read()
                if (attempt == 0 and "stream_options" in body and r.status_code in (400, 422)
                        and "stream_options" in r.text):
                    backend._stream_options = False
                    body = {k: v for k, v in body.items() if k != "stream_options"}
                    continue
                r.raise_for_status()
            for line in r.iter_lines():
                if not line.startswith("data: "):
                    continue
                data = line[6:].strip()
                if data == "[DONE]":
                    yield None
                    return
                yield json.loads(data)
            return


def make_chat_model(backend: OpenAICompatBackend, name: str, temperature: float) -> "BaseChatModel":
    """A LangChain chat model over the backend's HTTP client (streaming, tool calls)."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from langchain_core.utils.function_calling import convert_to_openai_tool

    class OpenAICompatChat(BaseChatModel):
        model_name: str
        temperature: float = 0.0
        max_tokens: int = MAX_TOKENS

        @property
        def _llm_type(self) -> str:
            return "netops-openai-compat"

        def bind_tools(self, tools: Any, **kw: Any) -> Any:
            return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kw)

        def _stream(self, messages: list[Any], stop: Any = None, run_manager: Any = None,
                    **kw: Any) -> Iterator[ChatGenerationChunk]:
            body: dict[str, Any] = {"model": self.model_name, "messages": _to_openai(messages), "stream": True,
                                    "temperature": self.temperature, "max_tokens": self.max_tokens}
            if kw.get("tools"):
                body["tools"] = kw["tools"]
            if backend._stream_options:
                body["stream_options"] = {"include_usage": True}
            calls: dict[int, dict[str, Any]] = {}
            usage: dict[str, Any] = {}
            reason = ""
            streamed: list[str] = []
            finished = False
            try:
                for obj in _events(backend, body):
                    if obj is None:
                        finished = True
                        break
                    if isinstance(obj.get("usage"), dict):
                        usage = obj["usage"]
                    choice = (obj.get("choices") or [{}])[0]
                    delta = choice.get("delta") or {}
                    for tc in delta.get("tool_calls") or []:
                        slot = calls.setdefault(tc.get("index", 0), {"id": None, "name": "", "args": ""})
                        slot["id"] = tc.get("id") or slot["id"]
                        fn = tc.get("function") or {}
                        slot["name"] += fn.get("name") or ""
                        slot["args"] += fn.get("arguments") or ""
                    if delta.get("content"):
                        streamed.append(delta["content"])
                        chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta["content"]))
                        if run_manager:
                            run_manager.on_llm_new_token(delta["content"], chunk=chunk)
                        yield chunk
                    if choice.get("finish_reason"):
                        finished = True
                        reason = str(choice["finish_reason"])
            except Exception as exc:
                raise _translate(exc, backend.url) from exc
            tool_calls = []
            for slot in calls.values():
                try:
                    args = json.loads(slot["args"] or "{}")
                except (ValueError, RecursionError):  # not JSON, or a number Python will not read
                    args = {"_raw": slot["args"]}
                tool_calls.append({"name": slot["name"], "args": args if isinstance(args, dict) else {"_raw": args},
                                   "id": slot["id"] or f"call-{uuid.uuid4().hex[:8]}", "type": "tool_call"})
            meta = {"done": finished, "model_name": self.model_name}
            if reason:  # as Ollama names it: "length" is an answer the server cut at max_tokens
                meta["done_reason"] = "length" if reason == "length" else reason
            usage_metadata = None
            if not usage and finished:
                usage = _counted_usage(backend, self.model_name, body["messages"], streamed)
                if usage:
                    meta["usage_source"] = "tokenizer"
            if usage:
                p, c = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
                usage_metadata = {"input_tokens": p, "output_tokens": c,
                                  "total_tokens": int(usage.get("total_tokens") or p + c)}
            yield ChatGenerationChunk(message=AIMessageChunk(
                content="", tool_calls=tool_calls, response_metadata=meta, usage_metadata=usage_metadata))

        def _generate(self, messages: list[Any], stop: Any = None, run_manager: Any = None,
                      **kw: Any) -> ChatResult:
            total = None
            for chunk in self._stream(messages, stop, run_manager, **kw):
                total = chunk if total is None else total + chunk
            assert total is not None
            msg = total.message
            from langchain_core.messages import AIMessage

            return ChatResult(generations=[ChatGeneration(message=AIMessage(
                content=msg.content, tool_calls=msg.tool_calls, response_metadata=msg.response_metadata,
                usage_metadata=msg.usage_metadata))])

    return OpenAICompatChat(model_name=name, temperature=temperature)
