"""The assistant: the library API behind ``netops ask`` and ``netops chat``.

::

    assistant = Assistant(settings, approver=DenyAll())
    answer = assistant.ask("BGP neighbours on r1")          # -> Answer
    for event in assistant.events("drain r2"):              # streamed variant
        ...

With a model reachable the question goes to the tool-calling agent (:mod:`netops.agent.graph`);
without one (or with ``offline=True``) the offline router answers what it can and says which
mode answered. Every answer lists its evidence; an answer without any says so.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netops.agent.budget import Budget, estimate_tokens
from netops.agent.events import AnswerEvent, ModeEvent, TokenEvent, TurnResetEvent
from netops.agent.evidence import Evidence, dedupe
from netops.agent.tools import ApprovalRecord, Tool, ToolBox, ToolCallRecord, ToolContext
from netops.errors import NetopsError

if TYPE_CHECKING:
    from netops.model.base import ModelBackend
    from netops.settings import Settings

EXIT_REFUSED = 5


@dataclass
class Answer:
    """One answer, with everything that backs it."""

    question: str
    text: str
    mode: str
    """``agent`` (a model answered) or ``offline`` (router / retrieval, no model)."""
    model: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    approvals: list[ApprovalRecord] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    """Milliseconds: ``total``, ``model``, ``tools``, ``probe``."""
    tokens: dict[str, int] = field(default_factory=dict)
    notice: str | None = None
    partial: bool = False
    """The model stream broke off: ``text`` is what arrived before it did."""
    error: str | None = None
    error_hint: str | None = None
    error_exit: int = 0
    conversation_id: str | None = None

    @property
    def citations(self) -> list[str]:
        return [e.label for e in self.evidence]

    @property
    def grounded(self) -> bool:
        return bool(self.evidence)

    @property
    def exit_code(self) -> int:
        """0 answered; the error's code when it failed or broke off; 5 when a change was refused."""
        if self.error:
            return self.error_exit or 1
        if any(a.decision in ("denied", "blocked") for a in self.approvals):
            return EXIT_REFUSED
        return 0

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {
            "question": self.question,
            "answer": self.text,
            "citations": self.citations,
            "evidence": [asdict(e) for e in self.evidence],
            "grounded": self.grounded,
            "tool_calls": [asdict(c) for c in self.tool_calls],
            "approvals": [asdict(a) for a in self.approvals],
            "mode": self.mode,
            "model": self.model,
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
            "tokens": self.tokens,
            "notice": self.notice,
            "partial": self.partial,
            "error": self.error,
            "conversation_id": self.conversation_id,
        }


class Assistant:
    """Answers questions from specs and live device state; proposes changes for approval.

    Everything is injectable (tests pass fakes; the CLI passes nothing): ``backend`` (model
    endpoint), ``kb``, ``devices``, ``approver`` (deny-all when None), ``reviewer``,
    ``tools`` (default: built-ins + plugin tools), ``budget``.
    """

    def __init__(
        self,
        settings: "Settings",
        *,
        approver: Any = None,
        backend: "ModelBackend | None" = None,
        model: str | None = None,
        kb: Any = None,
        devices: Any = None,
        reviewer: Any = None,
        audit: Any = None,
        tools: list[Tool] | None = None,
        budget: Budget | None = None,
        history: bool = True,
    ) -> None:
        self.settings = settings
        self.approver = approver
        self._backend = backend
        self.model = model or settings.model
        self.kb = kb
        self.devices = devices
        self.reviewer = reviewer
        self.audit = audit
        self._tools = tools
        self.budget = budget or Budget()
        self.use_history = history

    # -- parts -----------------------------------------------------------------------------
    @property
    def backend(self) -> "ModelBackend":
        if self._backend is None:
            from netops.model.base import backend_for

            self._backend = backend_for(self.settings)
        return self._backend

    def tools(self) -> list[Tool]:
        if self._tools is not None:
            return list(self._tools)
        from netops.agent.builtin_tools import read_tools
        from netops.agent.change_tools import change_tools

        found = [*read_tools(), *change_tools()]
        from netops.plugins import tools as plugin_tools

        for name, tool in plugin_tools().items.items():
            if name not in {t.name for t in found} and not getattr(tool, "changes_state", False):
                found.append(tool)
        return found

    def _context(self, question: str, emit: Any) -> ToolContext:
        ctx = ToolContext(settings=self.settings, budget=self.budget, kb=self.kb, devices=self.devices,
                          approver=self.approver, reviewer=self.reviewer, audit=self.audit,
                          question=question, on_event=emit)
        return ctx

    # -- public API ------------------------------------------------------------------------
    def ask(self, question: str, *, offline: bool = False, continue_last: bool = False) -> Answer:
        """Answer one question (blocking). See :meth:`events` for the streamed variant."""
        answer = None
        for ev in self.events(question, offline=offline, continue_last=continue_last):
            if isinstance(ev, AnswerEvent):
                answer = ev.answer
        assert answer is not None
        return answer

    def events(self, question: str, *, offline: bool = False, continue_last: bool = False) -> Iterator[Any]:
        """Answer ``question``, yielding events (mode, tokens, tool calls, plans, approvals, answer)."""
        question = (question or "").strip()
        if not question:
            from netops.errors import InputError

            raise InputError("the question is empty", hint='ask something, e.g. netops ask "BGP neighbours on r1"')
        started = time.perf_counter()
        history, cid, prior = self._open_history(question, continue_last)
        notice = None
        probe_ms = 0.0
        if not offline:
            t = time.perf_counter()
            reason = self._model_problem()
            probe_ms = (time.perf_counter() - t) * 1000
            if reason:
                offline, notice = True, f"{reason}; answering offline"
        if offline:
            yield ModeEvent("offline", None, notice)
            from netops.agent.offline import answer_offline

            answer = answer_offline(self, question)
            answer.notice = "; ".join(x for x in (notice, answer.notice) if x) or None
            yield from self._finish(answer, started, probe_ms, history, cid, question)
            return
        yield ModeEvent("agent", self.model, None)
        answer = yield from self._run_agent(question, prior)
        yield from self._finish(answer, started, probe_ms, history, cid, question)

    # -- internals -------------------------------------------------------------------------
    def _model_problem(self) -> str | None:
        """Why the model cannot be used right now (None when it can)."""
        status = self.backend.status(timeout=1.5)
        if not status.reachable:
            return f"no model reachable at {status.url} ({status.error})"
        if status.models and self.model not in status.models and f"{self.model}:latest" not in status.models:
            return f"model {self.model} is not available at {status.url} (try `netops models pull {self.model}`)"
        return None

    def _open_history(self, question: str, continue_last: bool) -> tuple[Any, str | None, list[Any]]:
        if not self.use_history:
            return None, None, []
        from netops.store.history import History

        history = History(self.settings.paths.history_db)
        cid = history.last_conversation() if continue_last else None
        prior = history.messages(cid, last=self.budget.history_messages) if cid else []
        if cid is None:
            cid = history.new_conversation(question, self.model)
        return history, cid, prior

    def _finish(self, answer: Answer, started: float, probe_ms: float, history: Any, cid: str | None,
                question: str) -> Iterator[Any]:
        from netops.agent.prompts import NO_EVIDENCE

        answer.evidence = dedupe(answer.evidence)
        if not answer.grounded and not answer.error and NO_EVIDENCE not in answer.text:
            answer.text = f"{answer.text.rstrip()}\n\n_{NO_EVIDENCE}_"
        answer.timings["total"] = (time.perf_counter() - started) * 1000
        answer.timings["probe"] = probe_ms
        answer.conversation_id = cid
        if history is not None:
            try:
                history.append(cid, "user", question)
                history.append(cid, "assistant", answer.text, {"mode": answer.mode, "citations": answer.citations,
                                                               "partial": answer.partial})
            finally:
                history.close()
        yield AnswerEvent(answer)

    def _run_agent(self, question: str, prior: list[Any]) -> Iterator[Any]:
        from langchain_core.messages import AIMessage, HumanMessage

        from netops.agent.graph import RunStats, build_agent
        from netops.agent.prompts import SYSTEM
        from netops.model.ollama import translate

        pending: deque[Any] = deque()
        ctx = self._context(question, pending.append)
        toolbox = ToolBox({t.name: t for t in self.tools()}, ctx)
        stats = RunStats()
        chat_model = self.backend.chat_model(self.model)
        if hasattr(chat_model, "num_ctx"):
            chat_model.num_ctx = self.budget.num_ctx
        if ctx.reviewer is None and self.settings.model_review:
            ctx.reviewer = _model_reviewer(self.backend.chat_model(self.model))
        agent = build_agent(chat_model, toolbox, SYSTEM, stats, pending.append)
        messages: list[Any] = [HumanMessage(m.content) if m.role == "user" else AIMessage(m.content) for m in prior]
        messages.append(HumanMessage(question))
        turn_text: list[str] = []
        final_text = ""
        error: NetopsError | None = None
        config = {"recursion_limit": 4 * self.budget.max_model_calls + 8}
        try:
            for mode, payload in agent.stream({"messages": messages}, config=config, stream_mode=["messages", "values"]):
                while pending:
                    ev = pending.popleft()
                    if isinstance(ev, TurnResetEvent):
                        turn_text.clear()
                    yield ev
                if mode == "messages":
                    chunk, meta = payload
                    if meta.get("langgraph_node") == "model" and isinstance(chunk.content, str) and chunk.content:
                        turn_text.append(chunk.content)
                        yield TokenEvent(chunk.content)
                elif mode == "values":
                    last = payload["messages"][-1] if payload.get("messages") else None
                    if isinstance(last, AIMessage) and not last.tool_calls:
                        final_text = last.content if isinstance(last.content, str) else str(last.content)
        except NetopsError as exc:
            error = exc
        except Exception as exc:  # model/HTTP errors from inside the graph: translate at this boundary
            translated = translate(exc, self.backend.url, self.model)
            if not isinstance(translated, NetopsError):
                raise
            error = translated
        while pending:
            yield pending.popleft()
        partial = error is not None and bool(turn_text)
        text = final_text
        if error is not None:
            text = "".join(turn_text)
            label = "PARTIAL ANSWER (the model stream broke off)" if partial else "No answer"
            text = f"**{label}:** {error.message}\n\n{text}".rstrip()
        answer = Answer(
            question=question, text=text, mode="agent", model=self.model, evidence=list(ctx.evidence),
            tool_calls=list(toolbox.calls), approvals=list(ctx.approvals), partial=partial,
            error=error.message if error else None, error_hint=getattr(error, "hint", None),
            error_exit=error.exit_code if error else 0,
            notice="stopped at the model-turn limit" if stats.stopped_by_limit else None,
        )
        answer.timings.update(model=stats.model_seconds * 1000, tools=stats.tool_seconds * 1000)
        answer.tokens = {"prompt_max": stats.prompt_tokens, "prompt_total": stats.prompt_tokens_total,
                         "completion": stats.completion_tokens, "model_calls": stats.model_calls,
                         "text_tool_calls": stats.text_tool_calls,
                         "system_prompt": estimate_tokens(SYSTEM)}
        return answer


def _model_reviewer(chat_model: Any) -> Any:
    """The second opinion in agent mode: the same local model, its own prompt, no tools."""
    from netops.agent.reviewer import review_with_model

    def review(plan: Any, plan_text: str, question: str, evidence: str) -> Any:
        return review_with_model(chat_model, plan_text, question, evidence)

    return review
