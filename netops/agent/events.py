"""Events an :class:`netops.assistant.Assistant` streams while it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ModeEvent:
    mode: str
    """``agent`` (a model answers) or ``offline`` (intent router + retrieval)."""
    model: str | None = None
    notice: str | None = None


@dataclass
class TokenEvent:
    text: str


@dataclass
class TurnResetEvent:
    """The text streamed so far was a tool call, not answer text: clear it."""


@dataclass
class ToolStartEvent:
    tool: str
    args: dict[str, Any]


@dataclass
class ToolEndEvent:
    record: Any
    """:class:`netops.agent.tools.ToolCallRecord`."""


@dataclass
class PlanEvent:
    """A change is proposed: the plan and the reviewer's verdict, before approval."""

    playbook: str
    summary: str
    verdict: Any
    plan: Any = None


@dataclass
class ApprovalEvent:
    record: Any
    """:class:`netops.agent.tools.ApprovalRecord`."""


@dataclass
class AnswerEvent:
    answer: Any
    extra: dict[str, Any] = field(default_factory=dict)
