"""The tool-calling agent: LangChain's ``create_agent`` (LangGraph) plus one middleware that
makes it tolerate local models.

Why ``create_agent`` and not a hand loop: measured with the scripted server at zero latency,
``create_agent`` costs ~2.5 ms more per tool-calling turn than a bare ``bind_tools`` loop
(see ``bench/agent_overhead.py``), far inside the 30 ms budget, and its middleware hooks give
us every seam we need:

- ``wrap_model_call``: count turns (stop after ``Budget.max_model_calls``), turn tool calls
  printed as JSON text into real ``tool_calls``, detect a stream that ended without ``done``.
- ``wrap_tool_call``: run every call through :class:`netops.agent.tools.ToolBox` (unknown
  tools, argument coercion/validation, repeat limit, output budget, evidence) and never let a
  tool exception end the conversation.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netops.agent.events import ToolEndEvent, ToolStartEvent, TurnResetEvent
from netops.agent.textcalls import parse_text_tool_calls
from netops.agent.tools import ToolBox
from netops.errors import ModelProtocolError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from netops.cancel import CancelToken


@dataclass
class RunStats:
    """Counters for one question (reported under ``timings`` and ``tokens``)."""

    model_calls: int = 0
    model_seconds: float = 0.0
    tool_seconds: float = 0.0
    prompt_tokens: int = 0
    """Prompt tokens of the largest single model call (what must fit the context window)."""
    prompt_tokens_total: int = 0
    completion_tokens: int = 0
    text_tool_calls: int = 0
    stopped_by_limit: bool = False
    tool_calls_dropped: int = 0
    """Tool calls the model asked for beyond ``Budget.max_tool_calls`` (never run)."""
    cut_at_output_limit: bool = False
    """The model server ended the answer at its output limit (``done_reason: length``: Ollama's
    ``num_predict``, an OpenAI server's ``max_tokens``): the text stops mid-thought, not at its end."""
    extra: dict[str, Any] = field(default_factory=dict)


def _has_nonfinite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_has_nonfinite(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nonfinite(v) for v in value)
    return False


def _finite(value: Any) -> Any:
    """A model's arguments with NaN and the infinities (which Python's JSON reads from a model's
    ``NaN``/``Infinity`` but no JSON can carry) as the words the model wrote: the tool refuses
    them as bad values, and the next request, history and ``--json`` stay valid JSON (a NaN ended
    the turn with "Out of range float values are not JSON compliant" and broke ``ask --json``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _middleware(toolbox: ToolBox, stats: RunStats, emit: Callable[[Any], None], require_done: bool,
                cancel: "CancelToken | None" = None) -> Any:
    from langchain.agents.middleware import AgentMiddleware, ModelResponse
    from langchain_core.messages import AIMessage, ToolMessage

    budget = toolbox.ctx.budget
    state_changing = {n for n, t in toolbox.tools.items() if getattr(t, "changes_state", False)}

    def _within_budget(calls: list[Any]) -> list[Any]:
        """At most the calls the budget has left, plus one that the toolbox refuses (so the model
        reads why); a flood of calls in one message never becomes a flood of events and records.
        Arguments come back JSON-safe (:func:`_finite`)."""
        left = max(budget.max_tool_calls - toolbox.taken, 0) + 1
        if len(calls) > left:
            stats.tool_calls_dropped += len(calls) - left
            calls = calls[:left]
        return [{**c, "args": _finite(c.get("args"))} if _has_nonfinite(c.get("args")) else c for c in calls]

    class NetopsMiddleware(AgentMiddleware):
        def wrap_model_call(self, request: Any, handler: Callable[[Any], Any]) -> Any:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if stats.model_calls >= budget.max_model_calls:
                stats.stopped_by_limit = True
                return ModelResponse(result=[AIMessage(content=_stopped(budget.max_model_calls, toolbox))])
            stats.model_calls += 1
            started = time.perf_counter()
            response = handler(request)
            stats.model_seconds += time.perf_counter() - started
            msg = response.result[-1] if response.result else None
            if not isinstance(msg, AIMessage):
                return response
            meta = msg.response_metadata or {}
            if require_done and meta.get("done") is not True:
                raise ModelProtocolError("the model stream ended without its final message",
                                         hint="the answer is incomplete; check the model server and ask again")
            stats.cut_at_output_limit = meta.get("done_reason") == "length" and not msg.tool_calls
            usage = msg.usage_metadata or {}
            stats.prompt_tokens = max(stats.prompt_tokens, int(usage.get("input_tokens") or 0))
            stats.prompt_tokens_total += int(usage.get("input_tokens") or 0)
            stats.completion_tokens += int(usage.get("output_tokens") or 0)
            if not msg.tool_calls and isinstance(msg.content, str) and msg.content.strip():
                calls = parse_text_tool_calls(msg.content, refuse=state_changing, known=toolbox.tools)
                if calls:
                    stats.text_tool_calls += len(calls)
                    emit(TurnResetEvent())
                    fixed = AIMessage(
                        content="",
                        tool_calls=_within_budget(
                            [{"name": c["name"], "args": c["args"], "id": f"text-{uuid.uuid4().hex[:10]}",
                              "type": "tool_call"} for c in calls]),
                        response_metadata=msg.response_metadata,
                        usage_metadata=msg.usage_metadata,
                        id=msg.id,
                    )
                    return ModelResponse(result=[*response.result[:-1], fixed])
            if msg.tool_calls:
                emit(TurnResetEvent())
                kept = _within_budget(list(msg.tool_calls))
                if kept != list(msg.tool_calls):
                    trimmed = msg.model_copy(update={"tool_calls": kept, "invalid_tool_calls": []})
                    return ModelResponse(result=[*response.result[:-1], trimmed])
            return response

        def wrap_tool_call(self, request: Any, handler: Callable[[Any], Any]) -> Any:
            call = request.tool_call
            if cancel is not None:
                cancel.raise_if_cancelled()
            call_id = str(call.get("id") or uuid.uuid4().hex[:10])
            emit(ToolStartEvent(call["name"], dict(call.get("args") or {}), call_id))
            started = time.perf_counter()
            result = toolbox.call(call["name"], call.get("args") or {})
            stats.tool_seconds += time.perf_counter() - started
            emit(ToolEndEvent(toolbox.calls[-1], call_id))
            return ToolMessage(content=result.for_model(), tool_call_id=call["id"], name=call["name"],
                               status="success" if result.ok else "error")

    return NetopsMiddleware()


def _stopped(turns: int, toolbox: ToolBox) -> str:
    """The answer when the model used up its turns: what was called and what each call returned."""
    import json

    lines = [f"I stopped after {turns} model turns without reaching a final answer."]
    if toolbox.calls:
        lines += ["", "The tool calls made so far and what each returned:"]
        for c in toolbox.calls:
            args = json.dumps(c.args, default=str)
            lines.append(f"- {c.tool} {args[:120]}: " + ("ok" if c.ok else "failed")
                         + (f" - {c.summary}" if c.summary else ""))
    else:
        lines.append("No tool returned anything.")
    return "\n".join(lines)


def build_agent(chat_model: "BaseChatModel", toolbox: ToolBox, system_prompt: str, stats: RunStats,
                emit: Callable[[Any], None], cancel: "CancelToken | None" = None) -> Any:
    """A compiled LangGraph agent over ``toolbox``'s tools."""
    from langchain.agents import create_agent
    from langchain_core.tools import StructuredTool

    def _never(**_: Any) -> str:  # execution always goes through the middleware
        raise RuntimeError("tools run through NetopsMiddleware")

    # Ollama (native and our OpenAI-compatible client) mark the last stream line with done=True;
    # without it the answer was cut off even if the HTTP body ended cleanly.
    require_done = getattr(chat_model, "_llm_type", "") in ("chat-ollama", "netops-openai-compat")
    lc_tools = [
        StructuredTool.from_function(func=_never, name=t.name, description=t.description, args_schema=t.params)
        for t in toolbox.tools.values()
    ]
    return create_agent(chat_model, tools=lc_tools, system_prompt=system_prompt,
                        middleware=[_middleware(toolbox, stats, emit, require_done, cancel)])
