"""The assistant: the library API behind ``netops ask`` and ``netops chat``.

::

    with Session(settings) as session:
        assistant = Assistant(session)                        # or session.assistant()
        answer = assistant.ask("BGP neighbours on r1")         # -> Answer
        token = CancelToken()
        for event in assistant.events("drain r2", cancel=token):   # streamed variant
            if isinstance(event, ApprovalRequestEvent):
                event.respond(True, by="alice")                 # the consumer answers
            ...

With a model reachable the question goes to the tool-calling agent (:mod:`netops.agent.graph`);
without one (or with ``offline=True``) the offline router answers what it can and says which
mode answered. Every answer lists its evidence; an answer without any says so.

The work runs in one worker thread per question; :meth:`Assistant.events` hands its events to
the consumer in order (see :mod:`netops.agent.events` for the delivery guarantees). Cancelling
the token stops the model at its next token (the partial answer is kept and marked) and a
playbook run before its next step, rolling back what it changed; the answer then has exit 130.
"""

from __future__ import annotations

import os
import queue
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops.agent.budget import Budget, estimate_tokens, fit_question
from netops.agent.events import (
    AnswerEvent,
    ApprovalRequestEvent,
    Event,
    ModeEvent,
    RecoveryEvent,
    StepEvent,
    TokenEvent,
    ToolEndEvent,
    ToolStartEvent,
    TurnResetEvent,
)
from netops.agent.evidence import Evidence, dedupe
from netops.agent.tools import ApprovalRecord, Tool, ToolBox, ToolCallRecord, ToolContext
from netops.cancel import CancelToken
from netops.errors import Cancelled, ConfigError, ModelError, ModelProtocolError, NetopsError

if TYPE_CHECKING:
    from netops.model.base import ModelBackend
    from netops.playbook.approval import Approval
    from netops.session import Session
    from netops.settings import Settings

EXIT_NOT_FOUND = 4
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
    cancelled: bool = False
    """The person cancelled (``error`` says so; ``exit_code`` is 130)."""
    grounding: Any = None
    """:class:`netops.agent.grounding.Grounding`: the numbered sources gathered before the model spoke."""
    check: Any = None
    """:class:`netops.agent.answer_check.CheckReport`: per-sentence support of a grounded answer."""
    abstained: bool = False
    """The documents do not cover the question, so no model was asked to answer it."""
    change: Any = None
    """:class:`netops.agent.change_intent.ChangeMatch` when the question's own words asked for a change."""
    refused: bool = False
    """The words asked for a change no vetted playbook does, and netops said so (nothing was
    changed, no model asked): ``exit_code`` is 5, as for a change refused at approval."""
    not_found: bool = False
    """The question is about a device or name the inventory does not hold, and the answer is the
    line that says so (nothing was read): ``exit_code`` is 4, as ``netops state r9`` exits."""
    changes: list[dict[str, Any]] = field(default_factory=list)
    """The audit log's changes a "what changed?" answer lists (host, seq, actor, playbook, ok, and
    ``ts``: the record's ISO-8601 UTC time; the text says it in the local zone)."""
    asks: bool = False
    """The answer is a question back to the person ("from which router?", "which device?"): it stands
    alone, with no line that a model is needed or that no evidence backs it."""
    numbers: dict[str, int] = field(default_factory=dict)
    """Evidence label -> the number the text cites it by: the turn's one numbering (the tool
    cards and the answer check use it too); empty when nothing numbered the turn (offline)."""

    @property
    def citations(self) -> list[str]:
        return [e.label for e in self.evidence]

    def numbered(self) -> list[tuple[int, Evidence]]:
        """The evidence list with the number each entry has in the text (every surface shows
        these): see :func:`netops.agent.numbering.numbered`."""
        from netops.agent.numbering import numbered

        return numbered(self.evidence, self.numbers)

    @property
    def grounded(self) -> bool:
        return bool(self.evidence)

    @property
    def exit_code(self) -> int:
        """0 answered; the error's code when it failed or broke off; 5 when a change was refused (at
        approval, or as one no vetted playbook does); 4
        when the question named only devices the inventory does not have."""
        if self.error:
            return self.error_exit or 1
        if self.refused or any(a.decision in ("denied", "blocked") for a in self.approvals):
            return EXIT_REFUSED
        return EXIT_NOT_FOUND if self.not_found else 0

    def _tool_data(self, e: Evidence) -> dict[str, Any]:
        """For a plugin tool netops ran for the question (evidence kind ``tool``): what it returned,
        as data (``--json`` had it only as a Markdown block inside the answer)."""
        if e.kind != "tool":
            return {}
        from netops.agent.plugin_route import call_of

        call = call_of(self.tool_calls, e.command or "")
        return {"data": _tool_output_data(str(call.output))} if call is not None else {}

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {
            "question": self.question,
            "answer": self.text,
            "citations": self.citations,
            "evidence": [{"n": n, **asdict(e), **self._tool_data(e)} for n, e in self.numbered()],
            "grounded": self.grounded,
            "tool_calls": [{k: v for k, v in asdict(c).items() if k != "output"} for c in self.tool_calls],
            "approvals": [asdict(a) for a in self.approvals],
            "mode": self.mode,
            "model": self.model,
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
            "tokens": self.tokens,
            "notice": self.notice,
            "partial": self.partial,
            "error": self.error,
            "cancelled": self.cancelled,
            "conversation_id": self.conversation_id,
            "abstained": self.abstained,
            "grounding": self.grounding.to_dict() if self.grounding is not None else None,
            "check": self.check.to_dict() if self.check is not None else None,
            "refused": self.refused,
            "not_found": self.not_found,
            "change": self.change.to_dict() if self.change is not None else None,
            "changes": list(self.changes),
        }


def _tool_output_data(output: str) -> Any:
    """A plugin tool's output as data for ``--json``: its JSON parsed (redacted, cleaned), else its text."""
    import json

    from netops.agent import plugin_route
    from netops.privacy import redact_text_in

    text = plugin_route.shown(output, pretty=False)
    try:
        return redact_text_in(json.loads(text))
    except ValueError:
        return text


_DONE = object()
CANCEL_GRACE = 1.0
"""Seconds a cancelled model call gets to notice; after that the answer goes out without it.
A change in progress is always waited for (its rollback must finish)."""


class _Channel:
    """Events from the worker thread to the consumer, in order.

    ``emit(event, wait=True)`` returns once the consumer has taken the event and asked for the
    next one (or the consumer is gone); tokens are sent without waiting.
    """

    def __init__(self) -> None:
        self._q: queue.Queue[tuple[Any, threading.Event | None]] = queue.Queue()
        self.closed = threading.Event()

    def emit(self, event: Event, *, wait: bool = True) -> None:
        if self.closed.is_set():
            return
        ack = threading.Event() if wait else None
        self._q.put((event, ack))
        if ack is None:
            return
        while not ack.wait(0.1):
            if self.closed.is_set():
                return

    def finish(self) -> None:
        self._q.put((_DONE, None))

    def get(self, timeout: float) -> tuple[Any, threading.Event | None]:
        return self._q.get(timeout=timeout)

    def close(self) -> None:
        self.closed.set()
        while True:
            try:
                _, ack = self._q.get_nowait()
            except queue.Empty:
                return
            if ack is not None:
                ack.set()


class _Turn:
    """The text the model has streamed in its current turn (cleared when it was a tool call)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._lock = threading.Lock()
        self.complete = False
        """The model's last turn has ended: a cancel from here on cuts only the answer check."""

    def add(self, text: str) -> None:
        with self._lock:
            self._parts.append(text)

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()

    @property
    def text(self) -> str:
        with self._lock:
            return "".join(self._parts)


class AnswerTooLong(ModelProtocolError):
    """The model streamed more text than ``Budget.answer_chars``; the stream was cut there."""


class AnswerCutByServer(AnswerTooLong):
    """The model server ended the answer at its own output limit (``done_reason: length``)."""


class ModelImitating(ModelProtocolError):
    """The model's streamed text imitates netops's own output (:func:`netops.agent.grounding.imitates_netops`):
    the stream is stopped there, and the turn ends as an answer (which the check then leaves out)."""


class AnswerTimedOut(ModelProtocolError):
    """The model took longer than its deadline (``model_deadline``) to answer; it was stopped there."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the model took longer than the {seconds:g}-second deadline for an answer; it was "
                         "stopped there",
                         hint="raise NETOPS_MODEL_DEADLINE (the model_deadline setting) for a slow model, or "
                              "check the model server (it may be stuck)")
        self.seconds = seconds


class _ModelClock:
    """Wall-clock time the model spends on one question: its turns, not tool runs or approvals."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._spent = 0.0
        self._since: float | None = None
        self._heard: float | None = None
        self._spoke = False
        self._lock = threading.Lock()
        self.server_gone: str | None = None
        """Why the model's call was ended by :class:`_ServerWatch` (its server stopped taking
        connections), None otherwise."""

    def start(self) -> None:
        with self._lock:
            if self._since is None:
                self._since = self._heard = time.monotonic()
                self._spoke = False

    def heard(self) -> None:
        """A word from the model (a token)."""
        with self._lock:
            self._heard = time.monotonic()
            self._spoke = True

    def spoke(self) -> bool:
        """Whether the model's call in progress has sent a word yet."""
        with self._lock:
            return self._since is not None and self._spoke

    def silent(self) -> float:
        """Seconds since the model's call started or last sent a word; 0 when no call is running."""
        with self._lock:
            return time.monotonic() - self._heard if self._since is not None and self._heard is not None else 0.0

    def stop(self) -> None:
        with self._lock:
            if self._since is not None:
                self._spent += time.monotonic() - self._since
                self._since = None

    def elapsed(self) -> float:
        with self._lock:
            return self._spent + (time.monotonic() - self._since if self._since is not None else 0.0)

    def expired(self) -> bool:
        return self.elapsed() > self.limit


SERVER_CHECK = 3.0
"""Seconds of silence from the model (no word since its call started or since its last word)
after which :class:`_ServerWatch` looks at its server, and between two looks."""

MODEL_STALL = 60.0
"""Seconds without a word, once the model's call has begun to answer, after which it is given up
as stalled. Before its first word a model may be silent far longer (reading a long prompt on a
CPU: 54 s for ~1200 tokens of SmolLM2 on 2 cores), so there only proof ends the wait early."""


class _ServerWatch:
    """While the model says nothing, look every :data:`SERVER_CHECK` seconds at its server. The call
    is ended, and the turn answered offline from the evidence read (or partly answered, if words
    came), when the server is proven unable to answer:

    - it refuses connections: gone or shutting down (``kill PID`` of a llama.cpp server: uvicorn
      refuses new connections at once but keeps the call in progress open, with no word, until
      the model has read its prompt: trial34 waited ~25 s with only "answering…");
    - its process on this machine is suspended (SIGSTOP, Ctrl+Z): the kernel still takes its
      connections, so only the process's state tells it from a busy one (papercuts35: 120 s);
    - it began to answer and then sent nothing for :data:`MODEL_STALL` seconds (stalled).

    A server that takes connections and runs (busy reading a prompt, or hung where netops cannot
    see it) is waited for up to the model's deadline, and the wait is said once (a ``model`` step)."""

    def __init__(self, url: str, clock: _ModelClock, scope: Any, emit: Any) -> None:
        self.url, self.clock, self.scope, self.emit = url, clock, scope, emit
        self._done = threading.Event()
        self._said = False
        self._pid: int | None = None
        self._found = False
        self._thread = threading.Thread(target=self._run, name="netops-model-watch", daemon=True)

    def __enter__(self) -> "_ServerWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._done.set()

    def _unable(self, silent: float) -> str | None:
        """Why the model's server cannot answer (proof, not a guess), or None."""
        from netops.model.base import listener_pid, refuses_connections, suspended

        if refuses_connections(self.url):
            return f"the model server at {self.url} stopped taking connections (it was stopped or is shutting down)"
        if not self._found:  # whose the port is, once: the scan of /proc is tens of milliseconds
            self._found, self._pid = True, listener_pid(self.url)
        if self._pid is not None and suspended(self._pid):
            return (f"the model server at {self.url} is suspended (process {self._pid} was stopped, e.g. by "
                    "SIGSTOP or Ctrl+Z; `kill -CONT` resumes it)")
        if self.clock.spoke() and silent >= MODEL_STALL:
            return f"the model at {self.url} stalled: no word for {silent:.0f} s in the middle of its answer"
        return None

    def _run(self) -> None:
        looked = 0.0
        while not self._done.wait(0.25):
            silent = self.clock.silent()
            if silent < SERVER_CHECK or time.monotonic() - looked < SERVER_CHECK:
                continue
            why = self._unable(silent)
            if self._done.is_set():
                return
            if why:
                self.clock.server_gone = why
                self.scope.abort()
                return
            looked = time.monotonic()
            if not self._said:
                self._said = True
                waiting = "to go on with its answer (no word for" if self.clock.spoke() \
                    else "to start answering (no word after"
                self.emit(StepEvent("model", f"waiting for the model at {self.url} {waiting} {silent:.0f} s; "
                                             f"it is stopped at {self.clock.limit:g} s)"))


def _token_handler(turn: _Turn, send: Any, cancel: CancelToken, limit: int | None = None,
                   clock: _ModelClock | None = None, kind: str | None = None) -> Any:
    """A LangChain callback: streams the agent model's tokens and stops the call when cancelled,
    when the model has streamed more than ``limit`` characters in all, or when it is past its
    deadline (``clock``) (raising inside the model's stream ends the HTTP response there), or when it
    imitates netops's own output as the answer check sees it for the question's grounding ``kind``."""
    from langchain_core.callbacks import BaseCallbackHandler

    from netops.agent.grounding import imitates_netops
    from netops.privacy import RedactingStream

    class TokenHandler(BaseCallbackHandler):
        raise_error = True

        def __init__(self) -> None:
            self.model_runs: set[Any] = set()
            self.streamed = 0
            self.screen = RedactingStream()
            self.tail = ""

        def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: Any,
                                metadata: dict[str, Any] | None = None, **kw: Any) -> None:
            if (metadata or {}).get("langgraph_node") == "model":  # not the reviewer's own call
                self.model_runs.add(run_id)
                self.screen.reset()
                self.tail = ""
                if clock is not None:
                    clock.start()

        def on_llm_end(self, response: Any, *, run_id: Any, **kw: Any) -> None:
            if run_id in self.model_runs:
                if clock is not None:
                    clock.stop()
                self.show(None)  # what was held back

        def on_llm_error(self, error: BaseException, *, run_id: Any, **kw: Any) -> None:
            if run_id in self.model_runs and clock is not None:
                clock.stop()

        def show(self, token: str | None) -> None:
            """The surface gets the turn redacted as it streams (``turn`` keeps it as written,
            for a partial answer, which is redacted with the final one)."""
            restart, text = self.screen.feed(token) if token is not None else self.screen.flush()
            if restart:
                raw = turn.text
                send(TurnResetEvent())  # clears ``turn`` too: put the raw text back
                turn.add(raw)
            if text:
                send(TokenEvent(text))

        def on_llm_new_token(self, token: str, *, run_id: Any, **kw: Any) -> None:
            from netops.model.base import printable

            cancel.raise_if_cancelled()
            token = printable(token)  # no escape sequence of the model's reaches a terminal
            if run_id in self.model_runs and clock is not None:
                clock.heard()
                if clock.expired():
                    raise AnswerTimedOut(clock.limit)
            if token and run_id in self.model_runs:
                if limit is not None and self.streamed + len(token) > limit:
                    token = token[: max(limit - self.streamed, 0)]
                    if token:
                        turn.add(token)
                        self.show(token)
                    raise AnswerTooLong(f"the model's answer was longer than {limit} characters; it was cut there",
                                        hint="ask a narrower question, or check the model (it may be looping)")
                self.streamed += len(token)
                turn.add(token)
                self.show(token)
                self.tail = (self.tail + token)[-400:]  # the longest imitation looked for is < 200 characters
                if imitates_netops(self.tail, kind):  # it will not be shown: no need to wait for the rest
                    raise ModelImitating("the model's answer imitated netops's own output; its stream was stopped")

    return TokenHandler()



HISTORY_UNSAVED = "history is not saved"
"""How the part of an answer's notice starts that says history could not take the turn (the CLI
prints it as its own warning line)."""


def _unsaved(path: Any, exc: BaseException, *, continued: bool = False) -> str:
    """The one line an answer carries when history cannot take it: what is wrong and how to fix it.
    Only a damaged file is to be moved aside: a full disk, a read-only NETOPS_HOME or another
    program holding the file keep a sound history that moving would only lose from view."""
    what = (getattr(exc, "message", None) or f"history database {path}: {exc}").replace("; ", ", ")
    head = f"{HISTORY_UNSAVED}{' and the conversation was not continued' if continued else ''} ({what}): "
    where = Path(path).resolve().parent
    if _disk_full(path, what):
        return head + f"the disk holding it ({where}) is full: free space there (the history is kept)"
    if "database is locked" in what or "database table is locked" in what:
        return head + ("another program holds the history database in a write (a second netops, "
                       "an sqlite3 shell, a backup): the history is kept; try again once it lets go")
    if _not_writable(path, what):
        return head + (f"{where} is read-only or not writable by this user: the history is kept; "
                       "make it writable or point NETOPS_HOME elsewhere")
    if "newer netops" in what:
        return head + "upgrade netops to go on with it (the history is kept)"
    return (head + f"move the file aside (mv {path} {path}.damaged) and netops starts a new history, "
            "as `netops conversations list` will then show")


def _not_writable(path: Any, what: str) -> bool:
    """SQLite says "readonly database" or "unable to open database file": the filesystem (a
    read-only mount) or the permissions of the file or its directory decide."""
    if "readonly database" in what or "Read-only file system" in what or "Permission denied" in what:
        return True
    target = Path(path)
    for p in (target, target.resolve().parent):
        try:
            if os.statvfs(p).f_flag & os.ST_RDONLY:
                return True
        except OSError:
            continue
        if not os.access(p, os.W_OK):
            return True
    return False


def _disk_full(path: Any, what: str) -> bool:
    """SQLite says "database or disk is full", or only "disk I/O error" (a WAL it cannot grow):
    the filesystem holding the file decides."""
    if "disk is full" in what or "No space left" in what:
        return True
    try:
        st = os.statvfs(Path(path).resolve().parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 256 * 1024


class Assistant:
    """Answers questions from specs and live device state; proposes changes for approval.

    ``session`` (a :class:`netops.session.Session`) provides the knowledge base, the audited
    device service, the audit log, the playbook catalogue and history; a bare ``Settings`` gets
    a private session. ``approver``: who decides on a change; None puts each change to the
    consumer of :meth:`events` as an :class:`ApprovalRequestEvent` (:meth:`ask` denies those).
    ``backend`` (model endpoint), ``reviewer``, ``tools`` (default: built-ins + plugin tools)
    and ``budget`` are injectable.
    """

    def __init__(
        self,
        session: "Session | Settings",
        *,
        model: str | None = None,
        approver: Any = None,
        backend: "ModelBackend | None" = None,
        reviewer: Any = None,
        tools: list[Tool] | None = None,
        budget: Budget | None = None,
        history: bool = True,
    ) -> None:
        from netops.session import Session

        self._owns_session = not isinstance(session, Session)
        if self._owns_session:
            session = Session(session)
        self.session = session
        self.approver = approver
        self._backend = backend
        self.model = model or session.settings.model
        self.reviewer = reviewer
        self._tools = tools
        self.budget = budget or Budget()
        self.use_history = history

    @property
    def settings(self) -> "Settings":
        return self.session.settings

    def close(self) -> None:
        """Close the session this assistant made for itself (one passed in is the caller's)."""
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> "Assistant":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        # Built-ins and plugins register through the same hook; a plugin tool that changes
        # state was refused at load, and plugin tools see the devices read-only.
        from netops.plugins import agent_tools

        return agent_tools()

    def _context(self, question: str, channel: _Channel, turn: _Turn, cancel: CancelToken) -> ToolContext:
        def emit(event: Event) -> None:
            if isinstance(event, TurnResetEvent):
                turn.clear()
            channel.emit(event, wait=not isinstance(event, TokenEvent))

        def request_approval(plan: Any, summary: str, verdict: Any, *, needs_person: str | None = None) -> "Approval":
            from netops.playbook.approval import expired_reason

            req = ApprovalRequestEvent(plan, summary, verdict, needs_person=needs_person)
            channel.emit(req, wait=False)
            # a plan left open holds its hosts' change locks: it expires rather than block every
            # other change of those hosts for as long as a window stays open
            expires = time.monotonic() + self.settings.approval_timeout
            while not req.wait(0.1):
                if cancel.cancelled:
                    req.respond(False, by=self.session.actor, reason=f"{cancel.reason or 'cancelled'} before approval")
                elif channel.closed.is_set():
                    req.respond(False, by=self.session.actor, reason="nobody answered the approval request")
                elif time.monotonic() >= expires:
                    req.respond(False, by="nobody", reason=expired_reason(self.settings.approval_timeout, plan.hosts))
            assert req.approval is not None
            return req.approval

        return ToolContext(settings=self.settings, budget=self.budget, approver=self.approver,
                           reviewer=self.reviewer, question=question, on_event=emit, session=self.session,
                           cancel=cancel, request_approval=request_approval)

    # -- public API ------------------------------------------------------------------------
    def ask(self, question: str, *, offline: bool = False, conversation_id: str | None = None,
            continue_last: bool = False, cancel: CancelToken | None = None) -> Answer:
        """Answer one question (blocking). A change is approved only by an injected approver.

        See :meth:`events` for the streamed variant."""
        answer = None
        for ev in self.events(question, offline=offline, conversation_id=conversation_id,
                              continue_last=continue_last, cancel=cancel):
            if isinstance(ev, ApprovalRequestEvent):
                ev.respond(False, by="nobody", reason="no approver configured (Assistant.ask answers no request)")
            if isinstance(ev, AnswerEvent):
                answer = ev.answer
        assert answer is not None
        return answer

    def events(self, question: str, *, offline: bool = False, conversation_id: str | None = None,
               continue_last: bool = False, cancel: CancelToken | None = None) -> Iterator[Event]:
        """Answer ``question``, yielding events (mode, tokens, tool calls, plans, approval
        requests, run and index progress, answer last).

        ``conversation_id`` continues that conversation (``continue_last`` the newest one);
        otherwise a new one starts. ``cancel`` stops the work (see the module docstring).
        Closing the generator early cancels and still waits for a change to roll back.
        """
        question = (question or "").strip()
        if not question:
            from netops.errors import InputError

            raise InputError("the question is empty", hint='ask something, e.g. netops ask "BGP neighbours on r1"')
        # Secrets pasted into a question (a config block, a token) go no further: not to the
        # model, the retrieval, the reviewer, the audit log's intent, history or the answer.
        # Before the cut, so a cut cannot leave half a key block that no longer matches.
        question, hidden = _redact_question(question)
        # a session open for hours: what another netops crashed in the meantime is put back (and
        # said) before this turn reads or changes a device
        recovered = self.session.recover_unfinished()
        if recovered:
            yield RecoveryEvent(recovered)
        question, cut = fit_question(question, self.budget)
        cut = "; ".join(x for x in (cut, hidden) if x) or None
        token = cancel or CancelToken()
        started = time.perf_counter()
        cid, prior, unsaved = self._open_history(question, conversation_id, continue_last)
        notice = None
        probe_ms = 0.0
        if not offline:
            t = time.perf_counter()
            reason = self._model_problem()
            probe_ms = (time.perf_counter() - t) * 1000
            if reason:
                offline, notice = True, f"{reason}; answering offline"
        if self.use_history and unsaved is None:
            try:
                if cid is None:  # a new conversation records the model that answers it
                    cid = self.session.history.new_conversation(question, None if offline else self.model)
                # the question is kept now, its answer once complete: a netops killed mid-answer (or
                # a closed terminal) left the conversation's title and lost the question
                surface = getattr(self.session, "surface", None)  # which --continue finds it (chat, ask)
                self.session.history.append(cid, "user", question, {"surface": surface} if surface else None)
            except sqlite3.Error as exc:
                unsaved, cid = _unsaved(self.settings.paths.history_db, exc), None
        yield ModeEvent("offline", None, "; ".join(x for x in (cut, notice) if x), cid) if offline \
            else ModeEvent("agent", self.model, cut, cid)
        channel, turn = _Channel(), _Turn()
        ctx = self._context(question, channel, turn, token)
        toolbox = ToolBox({t.name: t for t in self.tools()}, ctx)
        from netops.agent.graph import RunStats

        stats = RunStats()
        result: dict[str, Any] = {}
        clock = _ModelClock(self.budget.model_seconds or self.settings.model_deadline)

        def work() -> None:
            _signals_to_main_thread()
            try:
                from netops.agent import audit_question, pasted, raw_command, relayed
                from netops.agent.intent import own_words
                from netops.agent.offline import LABEL
                from netops.agent.router import bad_addresses
                from netops.errors import InputError

                def said_here(text: str, notice: str, *, refused: bool = False, asks: bool = False) -> Answer:
                    """An answer netops gives itself, before any read or model (the model is not asked)."""
                    return Answer(question=question, text=f"{LABEL}.\n\n{text}" if offline else text,
                                  mode="offline" if offline else "agent", model=None if offline else self.model,
                                  asks=asks, refused=refused,
                                  notice=notice + ("" if offline else "; the model was not asked"))

                hosts = _hosts_of(ctx)
                if (said := pasted.answer(question)) is not None:
                    # pasted configuration is data the person shows: no device read, no change, no model
                    text, refused = said
                    result["answer"] = said_here(text, "pasted configuration: nothing was read or changed",
                                                 refused=refused, asks=not refused)
                elif (said := raw_command.answer(question, hosts)) is not None:
                    # "run 'configure terminal' on r1": netops sends reads only, whoever asks; said here,
                    # not left to a model (SmolLM2 answered "I can run 'configure terminal' on r1")
                    result["answer"] = said_here(said, "a command that is not a read: nothing was sent", refused=True)
                elif (said := relayed.answer(question)) is not None:
                    # "the ticket says: shut down bgp on r1": someone else's request, not acted on (SmolLM2
                    # answered it with its own system prompt)
                    result["answer"] = said_here(said, "a relayed change request: nothing was read or changed",
                                                 asks=True)
                elif bad := bad_addresses(own_words(question)):
                    # "why is r2 not learning 999.0.113.0/24?": bad input, one clear line (as `netops state`
                    # says it), nothing read, no model (SmolLM2 told a story about a file of that name)
                    result["answer"] = said_here(
                        f"{bad[0]!r} is not an IP address or prefix (each of the four numbers is 0-255, an IPv4 "
                        "prefix length 0-32): nothing was read. Ask again with the address you meant.",
                        "an address that is not one: nothing was read", asks=True)
                    result["answer"].error = f"{bad[0]!r} is not an IP address or prefix"
                    result["answer"].error_exit = InputError.exit_code
                elif (said := audit_question.answer(question, ctx, hosts)) is not None:
                    # "show me the audit log", "is the audit log intact?": netops's own log, read here
                    result["answer"] = said_here(said, "answered from netops's audit log", asks=True)
                elif offline:
                    from netops.agent.change_path import describe_offline
                    from netops.agent.offline import answer_offline

                    from netops.agent.consent import consent_answer

                    previous = [m.content for m in prior if m.role == "user"]
                    result["answer"] = consent_answer(question, prior, ctx, toolbox, mode="offline", model=None) or \
                        describe_offline(question, ctx, toolbox, previous) or \
                        answer_offline(question, ctx, toolbox, previous=previous)
                else:
                    from netops.model.abort import abortable

                    # a cancel (or the deadline, which cancels) shuts the model's connection: a
                    # model that sends nothing does not hold this thread until the HTTP timeout
                    with abortable(token) as scope, _ServerWatch(self.backend.url, clock, scope, ctx.emit):
                        result["answer"] = self._run_agent(question, prior, ctx, toolbox, stats, turn, token, clock)
            except BaseException as exc:  # handed to the consumer's thread below
                result["error"] = exc
            finally:
                channel.finish()

        worker = threading.Thread(target=work, name="netops-answer", daemon=True)
        worker.start()
        cancelled_at: float | None = None
        timed_out = False
        try:
            while True:
                try:
                    ev, ack = channel.get(0.05)
                except queue.Empty:
                    if token.cancelled:
                        cancelled_at = cancelled_at or time.monotonic()
                        if not ctx.changing and time.monotonic() - cancelled_at > CANCEL_GRACE:
                            break  # a stalled model call: answer without waiting for it
                    elif not ctx.changing and clock.elapsed() > clock.limit + CANCEL_GRACE:
                        # past the deadline and no token to stop at (a model that sends nothing);
                        # the cancel shuts its connection, and what the worker makes of that is not the answer
                        timed_out = True
                        token.cancel(f"the model took longer than its {clock.limit:g}-second deadline")
                        break
                    continue
                if ev is _DONE:
                    break
                yield ev
                if ack is not None:
                    ack.set()
        finally:
            if worker.is_alive():
                token.cancel(token.reason or "the consumer stopped listening")
                if ctx.changing:
                    # nobody takes events any more: the rollback's progress must not wait for a
                    # consumer, then the change is waited for (never left half-applied)
                    channel.close()
                    worker.join()
            channel.close()
        # past the deadline, whatever the worker made of its shut connection is not the answer
        got = {} if timed_out else dict(result)
        if "error" in got and not isinstance(got["error"], NetopsError):
            raise got["error"]
        answer = got.get("answer")
        if answer is None:
            error = got.get("error") or (AnswerTimedOut(clock.limit) if timed_out
                                            else Cancelled(token.reason or "cancelled"))
            if turn.complete and isinstance(error, Cancelled) and turn.text.strip():
                # every word had arrived; only the check was cut short: the whole answer, unchecked
                answer = self._agent_answer(question, ctx, toolbox, stats, turn.text, "", None)
                answer.text = (f"{answer.text.rstrip()}\n\n_Not checked against its sources: {error.message} "
                               "during the answer check._")
                answer.cancelled, answer.error, answer.error_exit = True, error.message, error.exit_code
            else:
                answer = self._agent_answer(question, ctx, toolbox, stats, "", turn.text, error)
            if offline:
                answer.mode, answer.model = "offline", None
        if offline:
            answer.notice = "; ".join(x for x in (notice, answer.notice) if x) or None
        if cut:
            answer.notice = "; ".join(x for x in (cut, answer.notice) if x)
        yield from self._finish(answer, started, probe_ms, cid, question, unsaved)

    # -- internals -------------------------------------------------------------------------
    def _model_problem(self) -> str | None:
        """Why the model cannot be used right now (None when it can)."""
        from netops.model.base import model_problem

        return model_problem(self.backend, self.model)

    def _open_history(self, question: str, conversation_id: str | None,
                      continue_last: bool) -> tuple[str | None, list[Any], str | None]:
        """The conversation this turn goes on (None: a new one, made once the mode is known), its
        last messages, and why the turn is not saved (None when it is). History that cannot be
        opened or read (a damaged file, one from a newer netops) does not stop the answer: it is
        given without history, and its notice says so and how to fix it; nothing is written to
        the file."""
        if not self.use_history:
            return None, [], None
        path = self.settings.paths.history_db
        try:
            history = self.session.history
            cid = conversation_id
            if cid is not None:
                cid = history.conversation(cid, with_messages=False).id  # a start of it too; NotFoundError for none
            elif continue_last:  # the newest conversation of this surface: the chat's --continue is the chat's
                cid = history.last_conversation(getattr(self.session, "surface", None))
            prior = history.messages(cid, last=self.budget.history_messages) if cid else []
        except (ConfigError, sqlite3.Error) as exc:
            return None, [], _unsaved(path, exc, continued=bool(conversation_id or continue_last))
        return cid, prior, None

    def _finish(self, answer: Answer, started: float, probe_ms: float, cid: str | None,
                question: str, unsaved: str | None = None) -> Iterator[Event]:
        from netops.agent.prompts import NO_EVIDENCE
        from netops.privacy import redact_text

        answer.evidence = dedupe(answer.evidence)
        # What the model wrote is shown, printed as JSON and stored: a secret it wrote is not
        answer.text = redact_text(answer.text) or ""
        answer.notice, answer.error = redact_text(answer.notice), redact_text(answer.error)
        if answer.check is not None:  # the check quotes the answer sentence by sentence
            answer.check.text = redact_text(answer.check.text) or ""
            for sentence in answer.check.sentences:
                sentence.text = redact_text(sentence.text) or ""
        # a worded change's answer is its plan and outcome (prechecks read the devices), not a claim
        if not answer.grounded and not answer.error and not answer.abstained and answer.change is None \
                and not answer.asks and NO_EVIDENCE not in answer.text:
            answer.text = f"{answer.text.rstrip()}\n\n_{NO_EVIDENCE}_"
        answer.timings["total"] = (time.perf_counter() - started) * 1000
        answer.timings["probe"] = probe_ms
        answer.conversation_id = cid
        if cid is not None:
            history = self.session.history
            from netops.agent.transcript import answer_meta

            try:  # the question was stored when it was asked
                history.append(cid, "assistant", answer.text, answer_meta(answer))
            except sqlite3.Error as exc:  # the answer stands; the file is left for the person to look at
                unsaved = _unsaved(self.settings.paths.history_db, exc)
                answer.conversation_id = None
        if unsaved:
            answer.notice = "; ".join(x for x in (answer.notice, unsaved) if x)
        yield AnswerEvent(answer)

    def _run_agent(self, question: str, prior: list[Any], ctx: ToolContext, toolbox: ToolBox, stats: Any,
                   turn: _Turn, cancel: CancelToken, clock: _ModelClock | None = None) -> Answer:
        from langchain_core.messages import AIMessage, HumanMessage

        from netops.agent import grounding
        from netops.agent.graph import build_agent
        from netops.agent.prompts import SYSTEM
        from netops.model.ollama import translate

        from netops.agent.change_path import propose

        if ctx.reviewer is None and self.settings.model_review:
            ctx.reviewer = _model_reviewer(self.backend.chat_model(self.model),
                                           self.budget.model_seconds or self.settings.model_deadline)
        worded = propose(question, ctx, toolbox, model=self.model,  # a change asked for in so many words
                         previous=[m.content for m in prior if m.role == "user"], prior=prior)
        if worded is not None:
            return worded
        from netops.agent.router import change_followup

        if prior and (said := change_followup(question, [m.content for m in prior if m.role == "user"],
                                              _hosts_of(ctx))) is not None:
            # "what about r2?" after "drain r1 from bgp": no change carried over, no read guessed
            return Answer(question=question, text=said, mode="agent", model=self.model, tool_calls=list(toolbox.calls),
                          asks=True, notice="a follow-up naming only a device, after a change request; the model was "
                                            "not asked")
        previous = next((m.content for m in reversed(prior) if m.role == "user"), "")
        g = grounding.prepare(question, ctx, lambda name, args: _prefetch(toolbox, name, args, ctx.emit),
                              previous=previous, earlier=[m.content for m in prior if m.role == "user"],
                              tools=list(toolbox.tools.values()))
        if g.unknown_device:
            from netops.agent.offline import _no_hosts_note, inventory_hosts

            has_inventory = ctx.devices is not None or self.settings.paths.inventory.exists()
            missing = _no_hosts_note(self.settings, inventory_hosts(ctx.get_devices()) if has_inventory else [],
                                     g.unknown_device)  # with no usable inventory, where it was looked for
            from netops.agent.router import UNKNOWN_DEVICE

            said = g.unknown_device  # "No device named 'r9' ...", but "pod1 is not ..." keeps the name as written
            return Answer(question=question, text=(f"{said[0].upper()}{said[1:]}" if said.startswith(UNKNOWN_DEVICE)
                                                   else said) + ".",
                          mode="agent", model=self.model, tool_calls=list(toolbox.calls), grounding=g, not_found=True,
                          notice="; ".join(x for x in ("the question names a device the inventory does not have; "
                                                       "the model was not asked", missing) if x))
        if g.untyped:
            # "arp table r1", "cpu on r1", "packet loss between r2 and r3": no typed read holds it, so
            # the command that does, for the device's platform; a model given nothing could only invent it
            return Answer(question=question, text=f"{g.untyped}.", mode="agent", model=self.model,
                          tool_calls=list(toolbox.calls), grounding=g, asks=True,
                          notice="no typed read answers this: nothing was read; the model was not asked")
        if g.kind == grounding.NONE and _off_topic(question, ctx, previous):
            # about nothing netops can read: what netops answers, not the model's invention (SmolLM2 gave
            # the weather in Paris as "a mix of sunny and cloudy", and answered "hi" with a letter)
            from netops.agent.offtopic import off_topic_line

            return Answer(question=question, text=off_topic_line(_hosts_of(ctx)), mode="agent", model=self.model,
                          tool_calls=list(toolbox.calls), grounding=g, abstained=True,
                          notice="the question is about nothing netops can read (no device, network or document "
                                 "topic); the model was not asked")
        if g.abstain:
            return Answer(question=question, text=g.abstention(), mode="agent", model=self.model,
                          tool_calls=list(toolbox.calls), grounding=g, abstained=True,
                          notice="the documents do not cover this question; the model was not asked")
        from netops.agent import pasted

        if g.unreadable and not pasted.split(question)[0]:
            # no state and nothing else to talk about; with configuration pasted under the question
            # the model still has the person's own text to explain (the failed reads are its sources)
            return Answer(question=question, text=g.unreadable_text(), mode="agent", model=self.model,
                          tool_calls=list(toolbox.calls), grounding=g,
                          notice="no device could be read; the model was not asked")
        if g.grounded:
            SYSTEM = grounding.SYSTEM  # noqa: N806 - the grounded variant of the same prompt
        from netops.agent.numbering import TurnSources

        # one numbering for the turn: the sources above are [1]..[k], what the model's own calls
        # show it is numbered on from there (a source seen again keeps its number)
        ctx.numbering = TurnSources(g.sources if g.grounded else ())
        for call in toolbox.calls:  # the reads made first: their cards say the numbers given above
            call.numbers = {label: n for label in call.evidence if (n := ctx.numbering.of(label))}
        chat_model = self.backend.chat_model(self.model)
        if hasattr(chat_model, "num_ctx"):
            chat_model.num_ctx = self.budget.num_ctx
        agent = build_agent(chat_model, toolbox, SYSTEM, stats, ctx.emit, cancel)
        # a question netops stopped before answering is left out: the next question is not read as
        # an answer to it, and no made-up reply stands in for one (it is still among `earlier`)
        messages: list[Any] = [HumanMessage(m.content) if m.role == "user" else AIMessage(m.content) for m in prior
                               if not getattr(m, "unanswered", False)]
        messages.append(HumanMessage(g.user_message(question)))
        final_text = ""
        error: NetopsError | None = None
        handler = _token_handler(turn, ctx.emit, cancel, self.budget.answer_chars, clock, g.kind)
        config = {"recursion_limit": 4 * self.budget.max_model_calls + 8, "callbacks": [handler]}
        try:
            for payload in agent.stream({"messages": messages}, config=config, stream_mode="values"):
                last = payload["messages"][-1] if payload.get("messages") else None
                if isinstance(last, AIMessage) and not last.tool_calls:
                    from netops.model.base import printable

                    final_text = printable(last.content if isinstance(last.content, str) else str(last.content))
        except ModelImitating:
            final_text = turn.text  # an answer, left out by grounding.finish; not an error of the model server
        except NetopsError as exc:
            # a cancel shuts the model's connection: the error that makes is the cancel's
            error = Cancelled(cancel.reason or "cancelled") if cancel.cancelled and isinstance(exc, ModelError) \
                and not isinstance(exc, (AnswerTooLong, AnswerTimedOut)) else exc
        except Exception as exc:  # model/HTTP errors from inside the graph: translate at this boundary
            if cancel.cancelled:
                error = Cancelled(cancel.reason or "cancelled")
            else:
                translated = translate(exc, self.backend.url, self.model)
                if not isinstance(translated, NetopsError):
                    raise
                error = translated
        if error is not None and clock is not None and clock.server_gone and not cancel.cancelled:
            from netops.errors import ModelUnavailable

            error = ModelUnavailable(clock.server_gone, hint="start the model server again; /online in the chat "
                                                             "tries it again")
        if error is not None and _model_gone(error, turn, ctx) and (g.grounded or self._server_gone(error)):
            # the server died before a word: the offline answer, from the evidence already read (or
            # what the offline router reads, as with no model at all), not "No answer" as if netops
            # knew nothing. A server still taking connections that broke one answer, with nothing
            # read, is a broken model: that is said as an error.
            from netops.agent.offline import answer_offline

            ctx.numbering = None  # answered as offline: its reads number their output as offline
            answer = answer_offline(question, ctx, toolbox, previous=[m.content for m in prior if m.role == "user"])
            answer.mode, answer.model = "offline", None
            answer.notice = "; ".join(x for x in (
                f"the model stopped answering ({error.message}); answered offline"
                + (" from the evidence read" if g.grounded else ""), answer.notice) if x)
            return answer
        answer = self._agent_answer(question, ctx, toolbox, stats, final_text, turn.text, error)
        answer.grounding = g
        answer.changes = list((g.findings or {}).get("changes") or [])  # "what changed?": the log's, as data
        answer.tokens["sources"] = g.source_tokens()
        if g.grounded and not answer.error and answer.text.strip():
            turn.complete = True
            # sentence by sentence against the sources: seconds for a long answer, nothing else arriving
            ctx.emit(StepEvent("check", "checking the answer against its sources"))
        grounding.finish(answer, g, question, ctx.get_kb() if g.kind == grounding.KNOWLEDGE else None,
                         seen=ctx.numbering.sources)
        if g.notice:  # what the evidence read first was ("could not read device state first: ...", a plugin's tool)
            answer.notice = "; ".join(x for x in (answer.notice, g.notice) if x)
        if g.typed and answer.text.strip() and not _ran_as_typed(toolbox, g.typed):
            # "show ip ospf database on r2": what was read is only its nearest typed read, said first
            answer.text = f"**Not the command you typed:** {g.typed}.\n\n{answer.text}"
        if g.unread and answer.text.strip():  # "what is broken on r2, r7?": r7 is said, never dropped
            answer.text = f"**Not read:** {g.unread}.\n\n{answer.text}"
        if not answer.text.strip() and answer.error is None:  # nothing said, and nothing of ours to say
            empty = ModelProtocolError("the model's answer was empty", hint="ask again, or try another model")
            answer.text = f"**No answer:** {empty.message}"
            answer.error, answer.error_hint, answer.error_exit = empty.message, empty.hint, empty.exit_code
        history = grounding.records_shown(g, answer.text)  # the audit log's records are netops's words, not a claim
        _mark_unbacked(answer, toolbox, history=history, said=grounding.without_records(g, answer.text) if history else None)
        _no_guess_about_devices(answer, question, ctx, toolbox)
        _how_to_ask(answer)
        return answer

    def _server_gone(self, error: NetopsError) -> bool:
        """Whether the model's server is gone, not merely broken: it could not be reached, or it
        refuses connections now (a killed server resets the call in progress, then refuses)."""
        from netops.errors import ModelUnavailable
        from netops.model.base import refuses_connections

        return isinstance(error, ModelUnavailable) or refuses_connections(self.backend.url)

    def _agent_answer(self, question: str, ctx: ToolContext, toolbox: ToolBox, stats: Any, final_text: str,
                      streamed: str, error: BaseException | None) -> Answer:
        from netops.agent.prompts import SYSTEM

        err = error if isinstance(error, NetopsError) else (NetopsError(str(error)) if error else None)
        limit = self.budget.answer_chars
        if err is None and len(final_text) > limit:  # a long answer that did not come as tokens
            err, streamed = AnswerTooLong(f"the model's answer was longer than {limit} characters; it was cut "
                                          "there"), final_text[:limit]
        elif err is None and final_text.strip() and getattr(stats, "cut_at_output_limit", False):
            # the server stopped the model at its output limit: the text ends mid-thought (a missing
            # "unless...", a half list) and may not stand as a whole answer
            err, streamed = AnswerCutByServer(
                "the model server stopped the answer at its output limit; it ends there",
                hint="ask for a shorter answer (Ollama's num_predict or the server's max_tokens ended this one)"), final_text
        cancelled = isinstance(err, Cancelled)
        partial = err is not None and bool(streamed)
        text = final_text
        if err is not None:
            if cancelled:
                label = "PARTIAL ANSWER (cancelled)" if partial else "Cancelled"
            elif isinstance(err, AnswerCutByServer):
                label = "PARTIAL ANSWER (cut at the model's output limit)"
            elif isinstance(err, AnswerTooLong):
                label = "PARTIAL ANSWER (cut at the length limit)"
            elif isinstance(err, AnswerTimedOut):
                label = f"{'PARTIAL ANSWER' if partial else 'No answer'} (stopped at the {err.seconds:g}-second deadline)"
            else:
                label = "PARTIAL ANSWER (the model stream broke off)" if partial else "No answer"
            text = f"**{label}:** {err.message}\n\n{streamed}".rstrip()
        answer = Answer(
            question=question, text=text, mode="agent", model=self.model, evidence=list(ctx.evidence),
            tool_calls=list(toolbox.calls), approvals=list(ctx.approvals), partial=partial,
            error=err.message if err else None, error_hint=getattr(err, "hint", None),
            error_exit=err.exit_code if err else 0, cancelled=cancelled,
            notice="; ".join(n for n in (
                "stopped at the model-turn limit" if stats.stopped_by_limit else "",
                f"the model asked for {stats.tool_calls_dropped} more tool calls than the budget of "
                f"{self.budget.max_tool_calls} allows; they were not run" if stats.tool_calls_dropped else "",
            ) if n) or None,
        )
        answer.timings.update(model=stats.model_seconds * 1000, tools=stats.tool_seconds * 1000)
        answer.tokens = {"prompt_max": stats.prompt_tokens, "prompt_total": stats.prompt_tokens_total,
                         "completion": stats.completion_tokens, "model_calls": stats.model_calls,
                         "text_tool_calls": stats.text_tool_calls,
                         "system_prompt": estimate_tokens(SYSTEM)}
        return answer


def _model_gone(error: NetopsError, turn: _Turn, ctx: ToolContext) -> bool:
    """The model server went away (refused, hung up, stream ended early) before the answer's
    first word and before any change was asked for: nothing of the model's to show."""
    from netops.errors import ModelUnavailable

    return (isinstance(error, (ModelUnavailable, ModelProtocolError))
            and not isinstance(error, (AnswerTooLong, AnswerTimedOut))
            and not turn.text.strip() and not ctx.approvals)


def _no_guess_about_devices(answer: Answer, question: str, ctx: ToolContext, toolbox: ToolBox) -> None:
    """A question that names devices of the inventory, answered with nothing read from any device or
    document (no source, no tool call): what the model said about them is a guess (SmolLM2 on the lab:
    "what is the serial number of r2's power supply?" -> "The serial number of a device is 2018-03-24.").
    It is left out, said, and the person is told how to read the device."""
    import re

    from netops.agent.grounding import NOTHING_READ
    from netops.agent.offline import inventory_hosts

    if answer.evidence or toolbox.calls or answer.error or answer.change is not None or answer.approvals \
            or answer.asks or not answer.text.strip() or "_netops: " in answer.text or "\n" in question.strip():
        # (a text already marked by netops, a tool call written as text, is left as marked; a question
        # of several lines pasted its own configuration or output, which the model may quote)
        return
    try:
        known = inventory_hosts(ctx.get_devices())
    except Exception:  # no usable inventory: no device can be named
        return
    named = [h for h in known if re.search(rf"(?<![\w.-]){re.escape(h)}(?![\w-])", question, re.IGNORECASE)]
    if not named:
        return
    # a value: a word with a digit in it that the question did not say ("2018-03-24", "12.4(3)T",
    # "20.4.8.7/30"); an explanation of what draining does, or a greeting, carries none
    asked = {w.lower() for w in re.findall(r"[\w./:()-]+", question)} | {h.lower() for h in known}
    values = [w for w in re.findall(r"[\w./:()-]*\d[\w./:()-]*", re.sub(r"\[\d+\]", " ", answer.text))
              if w.strip("./:()-").lower() not in asked and w.lower() not in asked]
    if not values:
        return
    first = named[0]
    answer.text = NOTHING_READ.format(hosts=", ".join(named),
                                      how=f'`netops state {first} facts` or `netops show {first} "show ..."`.')
    answer.notice = "; ".join(x for x in (answer.notice, "nothing was read from the devices the question names; "
                                          "the model's unbacked answer was left out") if x)


def _hosts_of(ctx: ToolContext) -> list[str]:
    from netops.agent.offline import inventory_hosts

    try:
        return inventory_hosts(ctx.get_devices()) if ctx.devices is not None or ctx.settings.paths.inventory.exists() else []
    except Exception:  # no usable inventory: no device can be named
        return []


def _off_topic(question: str, ctx: ToolContext, previous: str = "") -> bool:
    """A question about nothing netops can read: no device, address, networking, operations or
    document word (:func:`netops.agent.offtopic.about_the_network`), not pasted text, and leaning on
    nothing ("and now?", "say that more simply" are the model's, with or without an earlier turn)."""
    from netops.agent.offline import _domain
    from netops.agent.offtopic import about_the_network, follows_on, replies
    from netops.agent.router import _ELLIPSIS, _LEANS

    if "\n" in question.strip() or _LEANS.search(question) or _ELLIPSIS.match(question) or replies(question) \
            or follows_on(question, previous):  # "why?", "give me an example" after an answer
        return False
    return not about_the_network(question, _hosts_of(ctx), _domain(ctx.settings))


def _ran_as_typed(toolbox: ToolBox, typed: str) -> bool:
    """Whether the model sent the command ``typed`` names (its first `...`) itself, and it ran."""
    m = re.search(r"`([^`]+)`", typed)
    want = " ".join(m.group(1).lower().split()) if m else ""
    return bool(want) and any(c.ok and c.tool == "show" and " ".join(str(c.args.get("command", "")).lower().split()) == want
                              for c in toolbox.calls)


def _mark_unbacked(answer: Answer, toolbox: ToolBox, *, history: bool = False, said: str | None = None) -> None:
    """Say so, in the answer and its notice, when the model claims a change or an approval that
    nothing recorded, or wrote a tool call as text that was not run (``history``: the audit log's
    records are shown in the answer, :func:`netops.agent.claims.unbacked`; ``said``: the answer's
    text without them, where a claim is looked for)."""
    from netops.agent.claims import unbacked

    # a checked answer has its code blocks marked line by line already
    outputs = [c.output for c in toolbox.calls if c.ok] if answer.check is None else None
    notes = unbacked(answer.text if said is None else said, approvals=answer.approvals, tool_names=toolbox.tools, outputs=outputs,
                     history=history)
    if notes:
        answer.text = answer.text.rstrip() + "\n\n" + "\n".join(f"_netops: {n}._" for n in notes)
        answer.notice = "; ".join(x for x in (answer.notice, *notes) if x)


def _how_to_ask(answer: Answer) -> None:
    """One line per change refused because the question did not ask for it: how to ask for it in
    the person's own words (whatever the model made of the refusal)."""
    from netops.agent.change_tools import ask_line

    for a in answer.approvals:
        if a.decision == "blocked" and a.by == "intent" and a.ask and ask_line(a.ask) not in answer.text:
            answer.text = (answer.text.rstrip() + "\n\n" + f"_netops: {a.playbook} on {', '.join(a.targets)} was not "
                           f"run and nobody was asked to approve it: your question did not ask for it. "
                           f"{ask_line(a.ask)} - only if you want it yourself: the model proposed it, and device "
                           f"output or documents it read can carry instructions._").lstrip()


def _redact_question(question: str) -> tuple[str, str | None]:
    """The question with secrets pasted into it (a configuration) redacted, and a notice; the
    model, history, audit and every surface get only this version."""
    from netops.privacy import redact_text

    clean = redact_text(question) or question
    if clean == question:
        return question, None
    return clean, "secrets pasted into the question were redacted before the model or any record saw them"


def _signals_to_main_thread() -> None:
    """Block Ctrl-C/SIGTERM/SIGHUP in this worker and every thread it starts (SSH, HTTP, the
    runner's pool). The kernel hands a process signal to any thread that does not block it; one
    delivered to a worker never interrupts a main thread that waits in ``input()`` (the approval
    prompt), so Ctrl-C there was lost now and then."""
    import signal

    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


def _prefetch(toolbox: ToolBox, name: str, args: dict[str, Any], emit: Any) -> Any:
    """A read-only call made before the model speaks, shown to the surface like any other."""
    import uuid

    call_id = f"first-{uuid.uuid4().hex[:8]}"
    emit(ToolStartEvent(name, dict(args), call_id))
    result = toolbox.call(name, args)
    emit(ToolEndEvent(toolbox.calls[-1], call_id))
    return result


REVIEW_TOKENS = 256
"""Output cap of the model reviewer: a verdict is a short JSON object. Uncapped, SmolLM2 on
llama.cpp rambled for minutes before the approval prompt of a two-second drain appeared."""


def _model_reviewer(chat_model: Any, deadline: float | None = None) -> Any:
    """The second opinion in agent mode: the same local model, its own prompt, no tools, a
    short answer (a copy: the agent's own model keeps its limits)."""
    from netops.agent.reviewer import review_with_model

    fields = getattr(type(chat_model), "model_fields", {})
    cap = next((f for f in ("num_predict", "max_tokens") if f in fields), None)
    if cap is not None:
        chat_model = chat_model.model_copy(update={cap: REVIEW_TOKENS})

    def review(plan: Any, plan_text: str, question: str, evidence: str) -> Any:
        return review_with_model(chat_model, plan_text, question, evidence, deadline=deadline)

    return review
