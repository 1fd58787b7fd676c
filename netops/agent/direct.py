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
    recovered = session.recover_unfinished()  # as before a question: never read a half-changed device
    if recovered and on_event is not None:
        from netops.agent.events import RecoveryEvent

        on_event(RecoveryEvent(recovered))
    found = tools if tools is not None else session.assistant().tools()
    ctx = ToolContext(settings=session.settings, session=session, question=question or name,
                      on_event=on_event, cancel=cancel)
    box = ToolBox({t.name: t for t in found}, ctx)
    result = box.call(name, args)
    return result, box.calls[-1]


def command_answer(result: ToolResult, record: ToolCallRecord, shown: str) -> Any:
    """A command the person ran, as an answer: what the chat shows and history stores (mode
    ``command``; its evidence is the tool's; never partial, a cancel says so in ``shown``)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        text=shown, mode="command", model=None, citations=[e.label for e in result.evidence], partial=False,
        cancelled=bool(record.cancelled), notice=None, error=None if result.ok else result.error, check=None,
        evidence=list(result.evidence), tool_calls=[record], approvals=[])


def record_command(session: Any, conversation_id: str | None, command: str, answer: Any) -> str | None:
    """Keep a command the person ran and its :func:`command_answer` in the conversation history,
    so a resumed conversation or an export holds it like an answer (device output redacted as
    in any stored answer). A new conversation is opened when ``conversation_id`` is None;
    returns the conversation's id (None when history is off)."""
    from netops.agent.transcript import answer_meta

    history = session.history
    if history is None:
        return None
    cid = conversation_id or history.new_conversation(command)
    surface = getattr(session, "surface", None)
    history.append(cid, "user", command, {"surface": surface} if surface else None)
    history.append(cid, "assistant", answer.text, answer_meta(answer))
    return cid
