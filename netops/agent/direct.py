"""Run one agent tool directly, as a person asked for it (``/show r1 ...`` in the chat).

The call goes through the same :class:`~netops.agent.tools.ToolBox` the model uses, on the
session's parts: the same read-only command policy, argument validation, audit recorder and
evidence. Nothing here bypasses a check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from netops.agent.tools import ToolBox, ToolCallRecord, ToolContext, ToolResult


def run_tool(session: Any, name: str, args: dict[str, Any], *, question: str = "",
             on_event: Callable[[Any], None] | None = None, cancel: Any = None,
             tools: list[Any] | None = None) -> tuple[ToolResult, ToolCallRecord]:
    """Call tool ``name`` with ``args``; returns its result and the call record.

    Unknown tools and bad arguments come back as a failed result (as they would to the model).
    No approver is given: a state-changing tool called this way is denied by the gate.
    """
    found = tools if tools is not None else session.assistant().tools()
    ctx = ToolContext(settings=session.settings, session=session, question=question or name,
                      on_event=on_event, cancel=cancel)
    box = ToolBox({t.name: t for t in found}, ctx)
    result = box.call(name, args)
    return result, box.calls[-1]


def record_command(session: Any, conversation_id: str | None, command: str, shown: str,
                   result: ToolResult, record: ToolCallRecord) -> str | None:
    """Keep a command the person ran, and what it showed them, in the conversation history,
    so a resumed conversation or an export holds it like an answer (mode ``command``; device
    output redacted as in any stored answer). A new conversation is opened when
    ``conversation_id`` is None; returns the conversation's id (None when history is off)."""
    from types import SimpleNamespace

    from netops.agent.transcript import answer_meta

    history = session.history
    if history is None:
        return None
    cid = conversation_id or history.new_conversation(command)
    cancelled = bool(record.cancelled)
    stored = SimpleNamespace(
        mode="command", model=None, citations=[e.label for e in result.evidence], partial=cancelled,
        cancelled=cancelled, tool_calls=[record], approvals=[], evidence=list(result.evidence), check=None,
        notice=None, error=None if result.ok else result.error)
    history.append(cid, "user", command)
    history.append(cid, "assistant", shown, answer_meta(stored))
    return cid
