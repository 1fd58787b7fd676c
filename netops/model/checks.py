"""Doctor checks for the model: reachable, present, tool-capable, enough context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netops.errors import NetopsError

if TYPE_CHECKING:
    from netops.settings import Settings

MIN_CONTEXT = 8192
"""System prompt + tool schemas + evidence budget + history fit in 8k tokens (see agent.budget)."""


def model_checks(settings: "Settings") -> list[Any]:
    """``Check`` rows for ``netops doctor`` (advice, not essential: offline mode still works)."""
    from netops.doctor import Check
    from netops.model.base import backend_for

    backend = backend_for(settings)
    name = settings.model
    status = backend.status(timeout=1.5)
    if not status.reachable:
        return [Check("model", False, f"{backend.kind} at {backend.url} unreachable; offline mode only",
                      "ollama serve, then ollama pull " + name, essential=False)]
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
