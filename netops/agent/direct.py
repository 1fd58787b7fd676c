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
