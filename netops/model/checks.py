"""Doctor checks for the model: reachable, present, tool-capable, enough context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netops.errors import NetopsError

if TYPE_CHECKING:
    from netops.settings import Settings

MIN_CONTEXT = 8192
"""System prompt + tool schemas + evidence budget + history fit in 8k tokens (see agent.budget)."""


def _listen_args(url: str) -> str:
    """``--host H --port P`` for a server that answers at ``url`` (where netops will look)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # "http://127.0.0.1:99999/v1": the setting itself is wrong
        return "--port 8000"
    return f"--host {parts.hostname or '127.0.0.1'} --port {port}"


def _bad_port(url: str) -> str:
    """A note when ``url``'s port is no port ("http://127.0.0.1:99999/v1"), else nothing."""
    from urllib.parse import urlsplit

    try:
        urlsplit(url).port
    except ValueError:
        return f"; and set NETOPS_OPENAI_BASE_URL to where it listens ({url!r} has no valid port)"
    return ""


def model_checks(settings: "Settings") -> list[Any]:
    """``Check`` rows for ``netops doctor`` (advice, not essential: offline mode still works)."""
    from netops.doctor import Check
    from netops.model.base import backend_for

    backend = backend_for(settings)
    name = settings.model
    status = backend.status(timeout=1.5)
    if not status.reachable:
        fix = ("start the server, e.g. python -m llama_cpp.server --model MODEL.gguf --model_alias "
               f"{name} {_listen_args(backend.url)} --n_ctx 8192 (README: llama.cpp)" + _bad_port(backend.url)
               if backend.kind == "openai"
               else "ollama serve, then ollama pull " + name)
        return [Check("model", False, f"{backend.kind} at {backend.url} unreachable; offline mode only",
                      fix, essential=False)]
    if backend.kind == "openai":
        return _openai_checks(backend, name, status)
    try:
        info = backend.show(name)
    except NetopsError as exc:
        return [Check("model", False, f"{name} not present at {backend.url} ({exc.message})",
                      f"netops models pull {name}", essential=False)]
    rows = [Check("model", True, f"{name} present ({info.parameter_size or '?'} {info.quantization or ''})".rstrip(),
                  essential=False)]
    if info.capabilities and not info.supports_tools:
        rows.append(Check("model tools", False, f"{name} does not support tool calling",
                          "use a tool-capable model, e.g. qwen2.5:7b-instruct or llama3.1:8b", essential=False))
    else:
        rows.append(Check("model tools", True, "tool calling supported" if info.capabilities else
                          "capabilities not reported (assumed)", essential=False))
    ctx = info.context_length
    if ctx is not None and ctx < MIN_CONTEXT:
        rows.append(Check("model context", False, f"context length {ctx} < {MIN_CONTEXT} tokens",
                          "pick a model with at least an 8k context", essential=False))
    else:
        rows.append(Check("model context", True, f"context length {ctx or 'unknown'}", essential=False))
    return rows


def _openai_checks(backend: Any, name: str, status: Any) -> list[Any]:
    """An OpenAI-compatible server (llama.cpp, vLLM, Ollama's /v1): served names, one tiny
    streamed completion (does it work, does it report usage), context size where published."""
    from netops.doctor import Check

    info = backend.server_info()
    kind = info["server"]
    if name not in status.models:
        served = ", ".join(status.models) or "none"
        return [Check("model", False, f"{name} is not served by the {kind} server at {backend.url} (serves: {served})",
                      f"set NETOPS_MODEL to one of them, or start the server with --model_alias {name}",
                      essential=False)]
    rows = [Check("model", True, f"{name} served by {kind} at {backend.url}", essential=False)]
    rows.append(_chat_probe(backend, name))
    n_ctx = info.get("n_ctx")
    if n_ctx is not None and n_ctx < MIN_CONTEXT:
        rows.append(Check("model context", False, f"context {n_ctx} < {MIN_CONTEXT} tokens",
                          "restart the server with --n_ctx 8192", essential=False))
    else:
        # llama-cpp-python publishes no context size: the advice is a condition, not an order
        # (trial32: it told someone who had started the server with --n_ctx 8192 to do so)
        rows.append(Check("model context", True, f"context {n_ctx or 'not reported by the server'}"
                          + ("" if n_ctx else f" (netops needs {MIN_CONTEXT}+ tokens: --n_ctx 8192 for llama.cpp)"),
                          essential=False))
    return rows


def _chat_probe(backend: Any, name: str) -> Any:
    """Ask for two tokens, streamed, and see whether usage comes back."""
    import time

    from langchain_core.messages import HumanMessage

    from netops.doctor import Check

    chat = backend.chat_model(name)
    chat.max_tokens = 2
    started = time.perf_counter()
    try:
        msg = chat.invoke([HumanMessage("Say OK.")])
    except NetopsError as exc:
        return Check("model chat", False, f"a 2-token completion failed: {exc.message}", exc.hint, essential=False)
    ms = (time.perf_counter() - started) * 1000
    usage = msg.usage_metadata or {}
    if usage.get("input_tokens"):
        return Check("model chat", True, f"streamed completion in {ms:.0f} ms; usage reported "
                     f"({usage['input_tokens']} prompt tokens)", essential=False)
    return Check("model chat", True, f"streamed completion in {ms:.0f} ms; the server reports no token usage "
                 "(answers will show no prompt-token counts)", essential=False)
