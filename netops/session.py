"""The library session: the parts every surface shares, built once from ``Settings``.

::

    with Session(settings) as session:                    # closes SSH pool, DBs, KB
        assistant = session.assistant()                    # Assistant(session)
        for event in assistant.events("bgp neighbours on r1", cancel=token):
            ...
        session.devices.run("r1", "show bgp summary")      # audited, pooled
        session.conversations(query="hold timer")

``netops ask``, ``show``, ``state``, ``playbook run``, the agent's tools and ``netops chat`` take
their knowledge base, device service (always with the audit recorder), audit log, playbook
catalogue and history from here; none of them wires audit or approval itself. Every part is
built on first use, so a device question never opens the index and a spec question never
opens SSH. The SSH pool lives as long as the session: a second question reuses the
connections of the first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netops.agent.events import IndexProgressEvent, StepEvent
    from netops.assistant import Assistant
    from netops.devices.service import DeviceService
    from netops.devices.transport import TransportFactory
    from netops.playbook.catalogue import Catalogue
    from netops.rag.kb import KnowledgeBase
    from netops.settings import Settings
    from netops.store.audit import AuditLog
    from netops.store.history import Conversation, History

IndexProgress = Callable[["IndexProgressEvent | StepEvent"], None]

BOOTSTRAP_NOTICE = ("the knowledge base is empty; indexing the default sources first "
                    "(runbooks, glossary, core RFCs): lexical search in seconds, the dense index "
                    "is embedded in the background. This happens once.")
DEFAULTS_NOTICE = ("the default sources (runbooks, glossary, core RFCs) are not indexed yet; indexing them "
                   "beside your documents: lexical search in seconds, the dense index is embedded in the "
                   "background. This happens once.")


class Session:
    """Owns the knowledge base, devices (with audit), audit log, catalogue and history.

    ``actor`` is who the audit log names (default ``settings.user``); ``surface`` (``ask``,
    ``show``, ``chat``...) is recorded with every device command. ``transport_factory``,
    ``kb`` and ``devices`` are seams for tests; an injected ``devices`` without a recorder gets
    this session's.
    """

    def __init__(self, settings: "Settings", *, actor: str | None = None, surface: str | None = None,
                 transport_factory: "TransportFactory | None" = None, kb: "KnowledgeBase | None" = None,
                 devices: "DeviceService | None" = None) -> None:
        self.settings = settings
        self.actor = actor or settings.user
        self.surface = surface
        self._transport_factory = transport_factory
        self._kb = kb
        self._own_kb = kb is None  # a knowledge base handed in is filled by whoever made it
        self._kb_ready = False
        self._devices = devices
        self._audit: AuditLog | None = None
        self._catalogue: Catalogue | None = None
        self._history: History | None = None
        self._lock = threading.RLock()
        self._kb_lock = threading.Lock()
        self._closed = False
        self._recovery_told: set[Any] = set()
        """What :meth:`recover_unfinished` has said: (run id, host, outcome), or the line."""
        if devices is not None and getattr(devices, "recorder", None) is None:
            devices.recorder = self._recorder()

    # -- parts -----------------------------------------------------------------------------
    @property
    def audit(self) -> "AuditLog":
        """The hash-chained audit log (``settings.paths.audit_db``)."""
        with self._lock:
            if self._audit is None:
                from netops.store.audit import AuditLog

                self._audit = AuditLog.from_settings(self.settings)
            return self._audit

    def _recorder(self) -> Callable[[dict[str, Any]], None]:
        record = self.audit.recorder(self.actor)
        surface = self.surface

        def recorder(event: dict[str, Any]) -> None:
            record({**event, "surface": surface} if surface else event)

        return recorder

    @property
    def devices(self) -> "DeviceService":
        """Device service with this session's audit recorder; its SSH pool lives until close()."""
        with self._lock:
            if self._devices is None:
                from netops.devices.service import DeviceService

                self._devices = DeviceService(self.settings, transport_factory=self._transport_factory,
                                              recorder=self._recorder())
            return self._devices

    @property
    def kb(self) -> "KnowledgeBase":
        """The knowledge base, opened on first use (not bootstrapped: see :meth:`ensure_kb`)."""
        with self._lock:
            if self._kb is None:
                from netops.rag.kb import KnowledgeBase

                self._kb = KnowledgeBase(self.settings)
            return self._kb

    def ensure_kb(self, progress: IndexProgress | None = None) -> "KnowledgeBase":
        """The knowledge base, indexing the default sources first if it is empty (once).

        Reports :class:`~netops.agent.events.IndexProgressEvent` through ``progress``: ``start``
        (with the reason), ``file`` per settled file, ``done``; then a
        :class:`~netops.agent.events.StepEvent` (``retrieval``) while the retrieval model loads. The bootstrap is lexical first
        (seconds); the vectors are embedded by a detached background process, which a later
        session restarts if it was stopped before it finished.
        """
        if not self._kb_lock.acquire(blocking=False):  # warm() is loading it: said, then waited for
            if progress is not None and not self._kb_ready:
                from netops.agent.events import StepEvent

                progress(StepEvent("retrieval", "loading the knowledge base (first question)"))
            self._kb_lock.acquire()
        try:
            return self._ensure_kb(progress)
        finally:
            self._kb_lock.release()

    def _needs_indexing(self, kb: "KnowledgeBase") -> bool:
        # a first step of `netops kb add runbook.md` must not cost the user the defaults for
        # good; a shared (Chroma server) index is the team's to fill
        return kb.is_empty() or (self._own_kb and not self.settings.chroma_url and not kb.defaults_offered())

    def _ensure_kb(self, progress: IndexProgress | None) -> "KnowledgeBase":
        """:meth:`ensure_kb`'s work; the caller holds ``_kb_lock``."""
        kb = self.kb
        if self._kb_ready:
            return kb
        empty = kb.is_empty()
        if self._needs_indexing(kb):
            from netops.agent.events import IndexProgressEvent

            def emit(ev: IndexProgressEvent) -> None:
                if progress is not None:
                    progress(ev)

            emit(IndexProgressEvent("start", 0, None, BOOTSTRAP_NOTICE if empty else DEFAULTS_NOTICE))
            done_count = [0]

            def on_file(done: int, total: int, name: str) -> None:
                done_count[0] = done
                emit(IndexProgressEvent("file", done, total, name))

            kb.bootstrap(on_file)
            emit(IndexProgressEvent("done", done_count[0], done_count[0],
                                    "default sources indexed (lexical); vectors follow in the background"
                                    if kb.vectors_pending else "default sources indexed"))
        elif kb.vectors_pending and kb._embedder_from_settings():
            kb.start_background_vectors()  # an earlier one was stopped: carry on (no-op if running)
        if progress is not None:
            from netops.agent.events import StepEvent

            # the first search of a session loads the query encoder: seconds with nothing
            # else to show, so it is announced and done here, not inside the search
            progress(StepEvent("retrieval", "loading the retrieval model (first question)"
                               if kb.embedder is not None else "loading the knowledge index"))
        kb.warm()
        self._kb_ready = True
        return kb

    def warm(self, model: str | None = None) -> None:
        """Do ahead what a first question waits for, for a surface to run in a background thread
        while the person types it (``netops chat`` does at start): the answer path's modules
        (privacy filters, router, grounding, answer check, the agent and, given ``model``, its
        model client) and the knowledge base opened with its retrieval model loaded. It never
        indexes: a knowledge base that needs indexing first is left to the question, which
        shows the progress. A question that comes meanwhile waits for what is under way instead
        of doing it again. Never raises (the question reports what fails)."""
        import importlib
        import logging

        try:
            for name in ("netops.privacy", "netops.devices.redact", "netops.agent.router", "netops.agent.offline",
                         "netops.agent.grounding", "netops.agent.answer_check", "netops.assistant"):
                importlib.import_module(name)
            if model:
                from netops.model.base import backend_for

                backend_for(self.settings).chat_model(model)  # imports the client (LangChain's), no request
                importlib.import_module("langchain.agents")  # the agent graph
            with self._kb_lock:
                if not self._kb_ready and not self._needs_indexing(self.kb):
                    self._ensure_kb(None)
        except Exception:
            logging.getLogger("netops.session").debug("warming up failed", exc_info=True)

    @property
    def catalogue(self) -> "Catalogue":
        with self._lock:
            if self._catalogue is None:
                from netops.playbook.catalogue import Catalogue

                self._catalogue = Catalogue(self.settings)
            return self._catalogue

    @property
    def history(self) -> "History":
        with self._lock:
            if self._history is None:
                from netops.store.history import History

                self._history = History(self.settings.paths.history_db)
            return self._history

    # -- assistant and conversations --------------------------------------------------------
    def assistant(self, *, model: str | None = None, approver: Any = None, **kw: Any) -> "Assistant":
        """An :class:`~netops.assistant.Assistant` over this session (see its docstring)."""
        from netops.assistant import Assistant

        return Assistant(self, model=model, approver=approver, **kw)

    def conversations(self, limit: int = 50, query: str | None = None) -> list["Conversation"]:
        """Conversations, newest first; ``query`` is full-text search over their messages."""
        return self.history.conversations(limit=limit, query=query)

    def conversation(self, cid: str) -> "Conversation":
        """One conversation with its messages (:class:`NotFoundError` if there is none)."""
        return self.history.conversation(cid)

    def new_conversation(self, title: str, model: str | None = None) -> str:
        """Start an empty conversation; returns its id (pass it as ``conversation_id``)."""
        return self.history.new_conversation(title, model)

    def delete_conversation(self, cid: str) -> str:
        """Delete a conversation (its id or a unique start of it); its full id."""
        return self.history.delete_conversation(cid)

    def recover_unfinished(self) -> list[str]:
        """Put back what a crashed run of another netops process left changed, and say so in one
        line per host (:func:`netops.playbook.recover.at_start`, which every start runs; it also
        hands over what a router-side guard restored while nobody watched). A session kept open
        for hours (the chat, a plugin's service) runs it again before each question and command,
        so nothing reads or changes a half-changed device and the person hears of the crash at
        the next turn. A host that cannot be put back yet is tried at every call and told once
        per session until its outcome changes. One ``listdir`` when there is nothing; a failure
        is a warning line."""
        from netops.playbook.recover import check_unfinished

        try:
            found = check_unfinished(self.settings)
        except Exception as exc:  # never keep a question from being answered; say it instead
            found = [(None, f"warning: could not check for unfinished changes ({exc}): run `netops playbook recover`")]
        out = []
        with self._lock:
            for key, line in found:
                if (key or line) not in self._recovery_told:
                    self._recovery_told.add(key or line)
                    out.append(line)
        return out

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        """Close the SSH pool, the knowledge base and the databases (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            parts = [self._devices, self._kb, self._history, self._audit]
        for part in parts:
            if part is None:
                continue
            try:
                part.close()
            except Exception:  # closing one part must not leave the others open
                import logging

                logging.getLogger("netops.session").debug("closing %r failed", part, exc_info=True)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
