"""Agent tools: a typed :class:`Tool` (name, description, pydantic parameters, a function)
and the :class:`ToolResult` it returns. A failure is a result given back to the model, never
an exception that ends the conversation.

Plugins contribute tools through the ``register_tools`` hook with objects of this shape.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from netops.agent.budget import Budget, clip_args, estimate_tokens, truncate
from netops.agent.evidence import Evidence, neutralise, wrap_data

if TYPE_CHECKING:
    from netops.agent.events import Event
    from netops.agent.reviewer import Verdict
    from netops.cancel import CancelToken
    from netops.playbook.approval import Approval
    from netops.playbook.runner import Plan
    from netops.session import Session
    from netops.settings import Settings


@dataclass
class ToolResult:
    """What one tool call produced, for the model and for the person."""

    tool: str
    ok: bool
    content: str = ""
    """Text the model reads (already wrapped as data where it is untrusted)."""
    error: str | None = None
    data: Any = None
    """Typed payload for renderers and the reviewer (not sent to the model)."""
    evidence: list[Evidence] = field(default_factory=list)
    truncated: bool = False
    changed: bool = False
    """True only when a playbook actually applied a change."""
    summary: str | None = None
    """One line for a person (default: the first line of ``content``)."""
    numbered: bool = False
    """``content`` shows each piece of ``evidence`` under its number in the turn
    (:meth:`ToolContext.number`); otherwise the tool box says the numbers after it."""
    instruction: str | None = None
    """What the model is told to do next ("Tell the person; do not retry."): said to the model only,
    after ``error``; never part of the error a person sees, an export writes or the history stores
    (trial37: it reached a hand-over file pasted into a ticket)."""

    def for_model(self) -> str:
        if self.ok:
            return self.content + (f"\n{self.instruction}" if self.instruction else "")
        return f"ERROR: {self.error}" + (f" {self.instruction}" if self.instruction else "") + \
            (f"\n{self.content}" if self.content else "")


@dataclass
class ToolCallRecord:
    """One tool call as it happened (what ``--json`` reports under ``tool_calls``)."""

    tool: str
    args: dict[str, Any]
    ok: bool
    error: str | None = None
    elapsed: float = 0.0
    truncated: bool = False
    output_tokens: int = 0
    evidence: list[str] = field(default_factory=list)
    summary: str = ""
    """One line for a person: the error, or the first line of what the tool returned."""
    output: str = ""
    """What the model read (already within the output budget)."""
    cancelled: bool = False
    """The call failed because the question (or command) was cancelled while it ran."""
    numbers: dict[str, int] = field(default_factory=dict)
    """Evidence label -> the number the model was shown it by this turn (the answer's text and
    evidence list use the same one); empty when nothing numbered the turn."""

    def __post_init__(self) -> None:
        # a surface shows, exports and stores the arguments: a model's command line can carry a
        # secret ("show run | include key 7 K"); the call itself already ran with the real ones
        from netops.controls import printable
        from netops.devices.redact import redact_data

        self.args = redact_data(self.args)
        # the name is the model's (an unknown tool's may carry escape sequences) and the error
        # and summary quote it: every surface prints them
        self.tool = printable(str(self.tool))
        self.error = printable(self.error) if self.error else self.error
        self.summary = printable(self.summary) if self.summary else self.summary


@dataclass
class ApprovalRecord:
    """A change the agent proposed and what became of it."""

    playbook: str
    targets: list[str]
    params: dict[str, Any]
    review: str
    """Reviewer verdict level: ok, warn, block."""
    review_findings: list[str]
    decision: str
    """approved, denied, blocked (by the reviewer, or by ``intent``: the question did not ask for
    it; see :mod:`netops.agent.intent`), failed."""
    by: str | None = None
    result: str | None = None
    verified: bool | None = None
    matched_by: str = "model"
    """``model`` (the model called playbook_run) or ``words`` (:mod:`netops.agent.change_path`)."""
    reviewed_by: list[str] = field(default_factory=list)
    """Who reviewed the plan: ``rules`` (netops's own checks), ``model`` (the model's second opinion)."""
    ask: str | None = None
    """For a change refused because the question did not ask for it (``blocked`` by ``intent``): how
    the person would ask for it in their own words ("drain r3 for maintenance")."""
    audit_seq: int | None = None
    """The seq of the change's ``plan`` record in the audit log (its approval, apply and result
    records name it: ``netops audit show N``); None when no plan was recorded."""

    def __post_init__(self) -> None:
        # shown, exported and stored like a tool call's arguments: a secret parameter redacted
        from netops.devices.redact import redact_data

        self.params = redact_data(self.params)


@dataclass(frozen=True)
class Tool:
    """A capability the model may call."""

    name: str
    description: str
    params: type[BaseModel]
    run: Callable[["ToolContext", Any], ToolResult]
    changes_state: bool = False
    """Only playbook execution sets this; such tools go through the approval gate."""
    answers: "Callable[[str], dict[str, Any] | None] | None" = None
    """Optional: given a person's question, the arguments this tool answers it with, or None when it
    does not. How a question reaches the tool with no tool-calling model (offline, or a small model
    that calls no tool): netops runs it before the model speaks, on the same audited path, when its
    own router reads no device for the question (:mod:`netops.agent.plugin_route`)."""

    def openai_schema(self) -> dict[str, Any]:
        schema = self.params.model_json_schema()
        schema.pop("title", None)
        return {"type": "function", "function": {"name": self.name, "description": self.description,
                                                 "parameters": schema}}


@dataclass
class ToolContext:
    """Everything tools may use. Services come from ``session`` (or are injected directly)."""

    settings: "Settings"
    budget: Budget = field(default_factory=Budget)
    kb: Any = None
    devices: Any = None
    approver: Any = None
    reviewer: Any = None
    audit: Any = None
    catalogue: Any = None
    question: str = ""
    consent: str = ""
    """The person's own what-if ("what happens if I drain r2?") that this turn's go-ahead answers, right
    after netops's dry run of it (:mod:`netops.agent.consent`): a change's intent is checked on those words."""
    evidence: list[Evidence] = field(default_factory=list)
    observations: dict[str, Any] = field(default_factory=dict)
    """``"host:getter"`` -> typed device data seen this turn (the reviewer reads it)."""
    approvals: list[ApprovalRecord] = field(default_factory=list)
    on_event: "Callable[[Event], None] | None" = None
    session: "Session | None" = None
    cancel: "CancelToken | None" = None
    request_approval: "Callable[..., Approval] | None" = None
    """``(plan, summary, verdict, *, needs_person=None) -> Approval``: puts a plan to the consumer
    (an ApprovalRequestEvent) when no approver is injected."""
    derived: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)
    """Parameter values netops resolved from the person's words this turn ("from r1 to r2" -> r2's
    address on r1), keyed ``(playbook, target, parameter, value)``; see :mod:`netops.agent.peer_change`."""
    changing: int = 0
    """Changes in progress; while non-zero a cancel waits for their rollback."""
    numbering: Any = None
    """:class:`netops.agent.numbering.TurnSources` once the model speaks: the one numbering of
    every source it is shown this turn (None offline and for the reads made before it speaks)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get_kb(self) -> Any:
        if self.kb is None:
            if self.session is not None:
                return self.session.ensure_kb(progress=self.emit)
            from netops.rag.kb import KnowledgeBase

            self.kb = KnowledgeBase(self.settings)
        return self.kb

    def get_devices(self) -> Any:
        if self.devices is None:
            if self.session is not None:
                return self.session.devices
            from netops.devices.service import DeviceService

            self.devices = DeviceService(self.settings)
        return self.devices

    def get_audit(self) -> Any:
        if self.audit is None and self.session is not None:
            return self.session.audit
        return self.audit

    def number(self, evidence: Evidence, text: str = "", kind: str | None = None) -> int | None:
        """The number the model cites ``evidence`` by this turn (None when nothing numbers the
        turn: a tool then numbers its own output as before)."""
        return None if self.numbering is None else self.numbering.number(evidence, text, kind)

    def add_evidence(self, items: list[Evidence]) -> None:
        with self._lock:
            self.evidence.extend(items)

    def emit(self, event: "Event") -> None:
        if self.on_event is not None:
            self.on_event(event)


# -- argument tolerance --------------------------------------------------------------------

def _coerce_value(value: Any, annotation: Any) -> Any:
    """Nudge what small models send towards the declared type (``5`` -> ``"5"``, ``"a,b"`` -> list)."""
    origin = get_origin(annotation)
    args = [a for a in get_args(annotation) if a is not type(None)]
    if origin is not None and origin not in (list, dict) and args:  # Optional[X] / X | None
        if len(args) == 1:
            return _coerce_value(value, args[0])
        if value is not None and any(get_origin(a) is list for a in args) and not isinstance(value, list):
            return _coerce_value(value, next(a for a in args if get_origin(a) is list))
        return value
    if annotation is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if annotation is str and isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return value[0]
    if origin is list and isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                return json.loads(s)
            except json.JSONDecodeError:
                pass
        return [p for p in (x.strip() for x in s.replace(";", ",").split(",")) if p]
    if origin is dict and isinstance(value, str):
        try:
            parsed = json.loads(value)
            return parsed if isinstance(parsed, dict) else value
        except json.JSONDecodeError:
            return value
    if annotation is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return value


def validate_args(tool: Tool, raw: Any) -> tuple[BaseModel | None, str | None]:
    """Coerce and validate arguments; return (params, None) or (None, one-paragraph error)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return None, f"arguments for {tool.name} are not a JSON object: {raw[:200]!r}"
    if isinstance(raw, dict) and set(raw) == {"_raw"}:  # what the model sent did not parse as an object
        raw = raw["_raw"]
        return None, f"arguments for {tool.name} are not a JSON object: {str(raw)[:200]!r}"
    if not isinstance(raw, dict):
        return None, f"arguments for {tool.name} must be an object, got {type(raw).__name__}"
    fields = tool.params.model_fields
    fixed = {k: _coerce_value(v, fields[k].annotation) if k in fields else v for k, v in raw.items()}
    try:
        return tool.params.model_validate(fixed), None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                             for e in exc.errors()[:5])
        expected = json.dumps(tool.openai_schema()["function"]["parameters"].get("properties", {}))
        return None, f"invalid arguments for {tool.name}: {problems}. Expected: {expected}"


# -- running -------------------------------------------------------------------------------

_WRAPPER = re.compile(r'^(<data source="[^"]*">|</data>|\[\d+\])$')
"""Lines of the model's data wrapping and numbering: not a summary for a person."""

@dataclass
class ToolBox:
    """The tools of one conversation, with the guards every call goes through."""

    tools: dict[str, Tool]
    ctx: ToolContext
    calls: list[ToolCallRecord] = field(default_factory=list)
    _seen: dict[str, int] = field(default_factory=dict)
    _taken: int = 0

    @property
    def taken(self) -> int:
        """Calls made so far (each counts against ``Budget.max_tool_calls``)."""
        return self._taken

    def call(self, name: str, raw_args: Any) -> ToolResult:
        """Run one call: unknown tool, bad arguments, repeats and overlong output become data."""
        started = time.perf_counter()
        args_dict = raw_args if isinstance(raw_args, dict) else {"_raw": raw_args}
        budget = self.ctx.budget
        key = f"{name}:{json.dumps(args_dict, sort_keys=True, default=str)}"
        oversized = len(key) - len(name) - 1 > budget.tool_args_chars
        with self.ctx._lock:
            self._taken += 1
            over_budget = self._taken > budget.max_tool_calls
        tool = self.tools.get(name)
        if over_budget:
            result = ToolResult(name, False, error=(
                f"the tool-call budget of {budget.max_tool_calls} calls for this question is used up; "
                "this call did not run"), instruction="Answer from the results you have.")
        elif tool is None:
            result = ToolResult(name, False, error=f"unknown tool {name[:80]!r}; valid tools: {', '.join(sorted(self.tools))}")
        elif oversized:
            result = ToolResult(name, False, error=(
                f"the arguments for {name} are {len(key) - len(name) - 1} characters, more than the "
                f"{budget.tool_args_chars} allowed; this call did not run"))
        else:
            with self.ctx._lock:
                self._seen[key] = self._seen.get(key, 0) + 1
                repeats = self._seen[key]
            params, err = validate_args(tool, raw_args)
            if repeats > budget.max_identical_calls:
                result = ToolResult(name, False, error=(
                    f"{name} was already called {repeats - 1} times with these arguments; this call did not run"),
                    instruction="Do not repeat it; answer from the results you have.")
            elif err is not None:
                result = ToolResult(name, False, error=err)
            else:
                try:
                    result = tool.run(self.ctx, params)
                except Exception as exc:  # a tool bug or a backend error is data for the model
                    from netops.errors import NetopsError

                    message = getattr(exc, "message", None) or str(exc)
                    hint = getattr(exc, "hint", None)
                    # netops's own errors say what is wrong in words (the card and the chat show it:
                    # "Failed: NotFoundError: no host ..." named a Python class); anything else is a
                    # bug, named by its class
                    said = message if isinstance(exc, NetopsError) else f"{type(exc).__name__}: {message}"
                    result = ToolResult(name, False, error=said + (f" (hint: {hint})" if hint else ""))
        text, cut = truncate(result.content, self.ctx.budget.tool_output_tokens)
        if cut:
            result.content, result.truncated = text, True
        if self.ctx.numbering is not None and result.evidence and not result.numbered:
            # a tool that does not number its own output (a plugin's, the route diagnosis): the
            # numbers of what it read, after it, so the model cites it as the check knows it
            names = [f"[{self.ctx.number(e, result.content)}] {' '.join(neutralise(e.label).split())}"
                     for e in result.evidence]
            result.content = (result.content.rstrip() + "\n" if result.content.strip() else "") + \
                "(cite as: " + "; ".join(names) + ")"
            result.numbered = True
        self.ctx.add_evidence(result.evidence)
        for_model = result.for_model()
        first = next((ln.strip() for ln in (result.content or "").splitlines()
                      if ln.strip() and not _WRAPPER.match(ln.strip())), "")
        record = ToolCallRecord(
            tool=name[:80], args=clip_args(args_dict), ok=result.ok, error=result.error,
            elapsed=round(time.perf_counter() - started, 4), truncated=result.truncated,
            output_tokens=estimate_tokens(for_model), evidence=[e.label for e in result.evidence],
            summary=(result.error or result.summary or first)[:200], output=for_model,
            cancelled=not result.ok and self.ctx.cancel is not None and self.ctx.cancel.cancelled,
            numbers={e.label: n for e in result.evidence
                     if (n := self.ctx.numbering.of(e.label) if self.ctx.numbering is not None else None)},
        )
        with self.ctx._lock:
            self.calls.append(record)
        return result


def data_block(source: str, text: str) -> str:
    """Untrusted text as the model sees it (re-exported for tool authors)."""
    return wrap_data(source, text)
