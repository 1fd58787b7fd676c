"""Events an :class:`netops.assistant.Assistant` streams while it answers.

The event stream is the one channel between the library and a surface (``netops ask``,
``netops chat``, a plugin). Every event derives from :class:`Event` and names itself with
``kind``. Order guarantees:

* a :class:`PlanEvent` is delivered (the consumer has taken it and asked for the next event)
  before anyone is asked to approve that plan;
* a :class:`RunProgressEvent` is delivered before the runner goes on, so cancelling when one
  arrives stops the run at that stage;
* the last event is always one :class:`AnswerEvent`.

When the assistant has no injected approver it puts each change to the consumer as an
:class:`ApprovalRequestEvent` and waits for :meth:`ApprovalRequestEvent.respond` (or the cancel
token, which denies).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from netops.agent.reviewer import Verdict
    from netops.agent.tools import ApprovalRecord, ToolCallRecord
    from netops.assistant import Answer
    from netops.playbook.approval import Approval
    from netops.playbook.runner import Plan

RUN_STAGES = ("precheck", "snapshot", "apply", "postcheck", "rollback", "verified", "failed", "rolled_back",
              "rollback_failed", "skipped", "cancelled")
"""``RunProgressEvent.stage`` values: steps as they start, then one final state per host."""


@dataclass
class Event:
    """Base of every event."""

    kind: ClassVar[str] = "event"


@dataclass
class ModeEvent(Event):
    kind: ClassVar[str] = "mode"
    mode: str
    """``agent`` (a model answers) or ``offline`` (intent router + retrieval)."""
    model: str | None = None
    notice: str | None = None
    conversation_id: str | None = None
    """The conversation this turn is written to (a new one exists from here on), if any."""


@dataclass
class TokenEvent(Event):
    kind: ClassVar[str] = "token"
    text: str


@dataclass
class TurnResetEvent(Event):
    """The text streamed so far was a tool call, not answer text: clear it."""

    kind: ClassVar[str] = "turn_reset"


@dataclass
class ToolStartEvent(Event):
    kind: ClassVar[str] = "tool_start"
    tool: str
    args: dict[str, Any]
    call_id: str = ""

    def __post_init__(self) -> None:
        # shown on screen before the call runs (the call gets the real arguments, not these)
        from netops.agent.budget import clip_args
        from netops.devices.redact import redact_data

        from netops.controls import printable

        self.tool = printable(str(self.tool))[:80]  # a model's made-up name may carry escape sequences
        self.args = redact_data(clip_args(self.args))


@dataclass
class ToolEndEvent(Event):
    kind: ClassVar[str] = "tool_end"
    record: "ToolCallRecord"
    call_id: str = ""


@dataclass
class PlanEvent(Event):
    """A change is proposed: the plan and the reviewer's verdict, before approval."""

    kind: ClassVar[str] = "plan"
    playbook: str
    summary: str
    verdict: "Verdict"
    plan: "Plan | None" = None


@dataclass
class ApprovalRequestEvent(Event):
    """The library asks the consumer to approve ``plan``; answer with :meth:`respond`.

    The change waits until it is answered (from any thread) or the cancel token fires (which
    denies). Never produced for a reviewer *block*, nor for a change the person's question did not
    ask for (refused first: :mod:`netops.agent.intent`).
    """

    kind: ClassVar[str] = "approval_request"
    plan: "Plan"
    summary: str
    verdict: "Verdict"
    _answered: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    approval: "Approval | None" = field(default=None, compare=False)
    """The answer once given."""
    needs_person: str | None = None
    """Why only a person at an interactive prompt may approve this (the reviewer warned); None: a
    policy may (``--yes``). A change the question did not ask for never reaches a request."""

    def respond(self, approved: bool, by: str | None = None, reason: str | None = None, *,
                by_policy: bool = False) -> None:
        """Approve or deny (first answer wins). ``by_policy=True`` when no person decided
        (``--yes``): the library then refuses the change if :attr:`needs_person` is set."""
        from netops.playbook.approval import Approval

        with self._lock:
            if self._answered.is_set():
                return
            self.approval = Approval(bool(approved), by or "unknown",
                                     reason or ("approved" if approved else "denied"), interactive=not by_policy)
            self._answered.set()

    @property
    def answered(self) -> bool:
        return self._answered.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until answered or ``timeout``; True when answered."""
        return self._answered.wait(timeout)


@dataclass
class ApprovalEvent(Event):
    """What became of a proposed change: approved, denied, blocked (by the reviewer), failed."""

    kind: ClassVar[str] = "approval"
    record: "ApprovalRecord"


@dataclass
class RunProgressEvent(Event):
    """One host's progress through a playbook run (see :data:`RUN_STAGES`)."""

    kind: ClassVar[str] = "run_progress"
    playbook: str
    host: str
    stage: str
    ok: bool | None = None
    detail: str = ""


@dataclass
class IndexProgressEvent(Event):
    """Knowledge-base indexing progress (the first-use bootstrap of the default sources).

    ``stage``: ``start`` (``detail`` says why), ``file`` (one more file settled), ``done``.
    """

    kind: ClassVar[str] = "index_progress"
    stage: str
    done: int = 0
    total: int | None = None
    detail: str = ""


@dataclass
class StepEvent(Event):
    """A slow step with no count to show, as it starts (the first question of a session loads
    the retrieval model: seconds in which nothing else arrives).

    ``step``: ``retrieval`` (the knowledge base's first use). ``detail``: the line to show.
    It holds until the next event.
    """

    kind: ClassVar[str] = "step"
    step: str
    detail: str = ""


@dataclass
class RecoveryEvent(Event):
    """What a crashed run of another netops process (or a router-side guard) left, put back
    before this turn read or changed anything: one line per host, as every start says them
    (:meth:`netops.session.Session.recover_unfinished`). Comes first, before the mode."""

    kind: ClassVar[str] = "recovery"
    lines: list[str] = field(default_factory=list)

    @property
    def warning(self) -> bool:
        """A line needs the person (a host could not be put back, a journal is damaged)."""
        return any(not line.startswith("recovered:") for line in self.lines)


@dataclass
class AnswerEvent(Event):
    kind: ClassVar[str] = "answer"
    answer: "Answer"
    extra: dict[str, Any] = field(default_factory=dict)


__all__ = ["Event", "ModeEvent", "TokenEvent", "TurnResetEvent", "ToolStartEvent", "ToolEndEvent", "PlanEvent",
           "ApprovalRequestEvent", "ApprovalEvent", "RunProgressEvent", "IndexProgressEvent", "StepEvent", "RecoveryEvent",
           "AnswerEvent", "RUN_STAGES"]
