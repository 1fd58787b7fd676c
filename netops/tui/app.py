"""``netops chat``: the Textual app. It holds no business logic: questions go to
:meth:`Assistant.events` in a thread, events are rendered as they arrive, an approval
request is answered by a modal, Escape / Ctrl+C cancel through the :class:`CancelToken`,
and slash commands call the agent's own tools (same policy, audit and approval gate).
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from netops.tui.commands import BY_NAME, COMMANDS, SlashProvider, parse, tool_call_for
from netops.tui.export import Entry, to_markdown
from netops.tui.render import mode_line
from netops.tui.widgets.answer import AnswerView
from netops.tui.widgets.citations import CitationLink
from netops.tui.widgets.conversation import Conversation
from netops.tui.widgets.footer import PALETTE, KeyFooter
from netops.tui.widgets.message import Notice, UserMessage
from netops.tui.widgets.prompt import PromptInput
from netops.tui.widgets.sidepanel import SidePanel
from netops.tui.widgets.statusbar import StatusBar

_END = object()
STREAM_INTERVAL = 0.08
"""Seconds of streamed tokens gathered into one Markdown append (~12 appends a second)."""
TYPING_INTERVAL = 0.16
"""The same while the person is typing: half as many re-layouts competing with their keys."""
TYPING_WINDOW = 0.6
"""Seconds after a key during which the person counts as typing."""
KEY_HOLD = 0.2
"""Longest a streamed append waits for the frame that shows the last key (input goes first)."""
QUIT_AGAIN = 2.0


def shell_can_resume() -> bool:
    """A shell with job control started this process: it runs in a process group of its own,
    not the terminal session's, and that shell's ``fg`` resumes it after Ctrl+Z. Started by
    ``tmux new 'netops chat'``, ``sh -c`` or a terminal's command option, the process group is
    the session's: a stopped chat there stayed stopped, the pane frozen with nothing to wake it
    (trial34)."""
    import os

    try:
        return os.getpgrp() != os.getsid(0)
    except (AttributeError, OSError):  # not a POSIX process model: leave it to Textual
        return True
"""Seconds within which a second Ctrl+C on an empty box quits."""
RECOVERY_POLL = 15.0
"""Seconds between two checks, while the chat is idle, for runs another netops left unfinished
(a crash, a power cut) or that a router-side guard put back: a chat open all day says so within
this, not at its next start. Every question and command checks first anyway (the library)."""


FOOTER_DROP_FIRST = ("copy_answer", "export", "new_conversation", "conversations", PALETTE, "help", "cancel",
                     "quit")
"""The footer's keys in the order they leave it as the terminal narrows: Quit, Cancel and Help
stay longest (F1 lists every key)."""

CHAT_PROMPT = "in netops chat"
"""Where the chat's approval window is, in the recorded reason (:func:`netops.playbook.approval.prompt_reason`)."""


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def one_line(exc: BaseException) -> str:
    """An error as one line (netops errors carry their own message and hint)."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    hint = getattr(exc, "hint", None)
    text = message.splitlines()[0] if message else type(exc).__name__
    if not hasattr(exc, "exit_code"):
        text = f"unexpected {type(exc).__name__}: {text}"
    return text + (f" (hint: {hint})" if hint else "")


class ChatApp(App[None]):
    """The chat. ``session`` is a :class:`netops.session.Session` (built from ``settings`` on
    first use when not given); the app closes a session it built."""

    TITLE = "netops chat"
    CSS = """
    #welcome { color: $text-muted; padding: 1 1; }
    .startup-warning { color: $warning; padding: 0 1 1 1; }
    #hints { height: auto; color: $text-muted; padding: 0 2; display: none; }
    #hints.-show { display: block; }
    /* NO_COLOR: Textual greys every colour; $error became faint grey on grey */
    ChatApp.-no-color Notice.-error { color: $text; text-style: bold; }
    """
    COMMANDS = App.COMMANDS | {SlashProvider}
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="chat.cancel"),
        Binding("ctrl+c", "interrupt", "Stop", id="chat.interrupt", priority=True, show=False),
        Binding("f1", "help", "Help", id="chat.help"),
        # off the footer (F1, the palette and /panel name it): at 80 columns the footer has room
        # for the keys a person must find without help, and '^s Export' was cut off
        Binding("f2", "side_panel", "Panel", id="chat.side_panel", show=False),
        Binding("ctrl+n", "new_conversation", "New", id="chat.new"),
        Binding("ctrl+r", "conversations", "History", id="chat.conversations"),
        Binding("ctrl+s", "export", "Export", id="chat.export"),
        Binding("ctrl+o", "copy_answer", "Copy", id="chat.copy"),
        Binding("ctrl+l", "focus_prompt", "Input", id="chat.focus_input", show=False),
        Binding("ctrl+q", "quit", "Quit", id="chat.quit", priority=True),
        # a terminal's suspend ("fg" brings it back), not the question box's undo: Ctrl+Z did nothing
        # visible and the "fg" typed after it was sent as a question
        Binding("ctrl+z", "suspend_process", "Suspend (fg resumes)", id="chat.suspend", priority=True, show=False),
    ]

    ESC_AFTER_DIALOG = 1.0
    """Seconds after Esc closed a dialog (help, a citation, an approval, the palette...) in which Esc
    is taken as one more press of the key that closed it, not as "stop the answer": a person
    pressing Esc once more than the dialog needed lost the answer streaming behind it (trial32).
    The next Esc stops it; Ctrl+C always does, and so does Esc while a change is being applied."""

    def __init__(self, settings: Any, *, session: Any = None, model: str | None = None, offline: bool = False,
                 conversation_id: str | None = None, continue_last: bool = False) -> None:
        """``settings``: a :class:`~netops.settings.Settings`, or a callable that builds one; the
        callable runs in a worker after the first frame (building Settings imports pydantic,
        ~0.2 s, which the first frame does not need). Until it returns, :attr:`settings` waits
        for it; if it raises, the app exits and :attr:`startup_error` holds the error."""
        super().__init__()
        self._settings_factory = settings if callable(settings) else None
        self._settings = None if self._settings_factory else settings
        self._settings_ready = threading.Event()
        self.startup_error: BaseException | None = None
        self._session = session
        self._owns_session = session is None
        self._session_lock = threading.Lock()
        self._model_arg = model
        self.model = model or (self._settings.model if self._settings is not None else "")
        self.offline = offline
        self.conversation_id = conversation_id
        self.continue_last = continue_last and not conversation_id
        self.written: str | None = None
        """The conversation this run last stored an answer or a command in (the newest one)."""
        self.entries: list[Entry] = []
        self.last_export: Path | None = None
        """The file this chat last exported to (the one file /save may write again)."""
        self.cancel_token: Any = None
        self.busy = False
        self.change_running = False
        self._approval: Any = None
        self._slash_tokens: list[Any] = []
        """Cancel tokens of the slash commands running now (Esc cancels them)."""
        self._told_offline = False
        self._step_shown = False
        """The status line shows a StepEvent's detail (the first token replaces it)."""
        self._quit_pending = False
        self.exit_note: str | None = None
        self._turn: threading.Thread | None = None
        """The thread of the answer under way (a change's rollback may outlive the screen)."""
        """What became of a change the chat was closed in the middle of: said on the terminal after it
        closes (the chat's own card is gone by then; before, only "conversation ... kept" was said)."""
        self._interrupt_at: float | None = None
        """When a Ctrl+C with nothing to stop said that another one quits."""
        """Ctrl+Q came during a change: close once it is rolled back."""
        self._dialog_closed_at: float | None = None
        """When a dialog last closed with Esc (an Esc just after it closes it, not the answer)."""
        self._last_key = ""
        """The last key the app saw (which key closed a dialog)."""
        self.model_checked = False
        """The start-up probe of the model endpoint has finished."""
        self._key_at = float("-inf")
        self._held_keys: list[events.Key] | None = []
        """Keys that came before the prompt had focus (start-up only; None once given to it)."""
        self._key_drawn: asyncio.Event | None = None
        """Clear from a key until the frame showing it is drawn (streamed appends wait for it)."""
        if self._settings is not None:
            self._settings_ready.set()
            self._apply_chat_settings()

    @property
    def settings(self) -> Any:
        """The Settings (waits for the start-up worker when it is still building them)."""
        self._settings_ready.wait()
        return self._settings

    def _apply_chat_settings(self) -> None:
        chat = getattr(self._settings, "chat", None)
        if chat is not None and chat.theme:
            self.theme = chat.theme if chat.theme in self.available_themes else self.theme
        if chat is not None and chat.keys:
            self.set_keymap(dict(chat.keys))
            self._free_bound_keys()
            for welcome in (self.query("#welcome") if self._screen_stack else ()):  # mounted before the settings
                if "Ask about" in str(welcome.render()):
                    welcome.update(self.welcome_text())

    def _free_bound_keys(self) -> None:
        """A key bound to a chat action is the chat's, not the box's: the README's
        "chat.cancel" = "ctrl+x" was the box's Cut, so nothing cancelled an answer. (Before the
        first frame there is no box yet: on_mount does it.)"""
        for prompt in (self.query(PromptInput) if self._screen_stack else ()):
            prompt.give_up_keys(key.strip() for binding_id, keys in self._keymap.items()
                                if binding_id.startswith("chat.") for key in keys.split(","))

    @property
    def cancel_key(self) -> str:
        """The key that cancels, as the status line and notices name it ("Esc", or the one in
        [chat.keys]): they said "Esc cancels" after Esc had been rebound."""
        return self.key_name("chat.cancel")

    def key_name(self, binding_id: str) -> str:
        """A chat binding's key as a person reads it ("Esc", "Ctrl+X", "F1"): its own, or the
        one [chat.keys] gives it (help and the welcome line said Esc and F1 after a rebinding)."""
        default = next((b.key for b in self.BINDINGS if isinstance(b, Binding) and b.id == binding_id), "")
        keys = self._keymap.get(binding_id, default).split(",")
        names = {"escape": "Esc", "ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "super": "Super"}
        return "+".join(names.get(part, part.upper() if len(part) == 1 else part.capitalize())
                        for part in keys[0].strip().split("+"))

    def welcome_text(self) -> str:
        return (f"Ask about specs or your devices. [b]/[/b] lists commands, [b]{self.key_name('chat.help')}[/b] help, "
                "[b]Ctrl+P[/b] palette.")

    # -- parts -----------------------------------------------------------------------------
    @property
    def session(self) -> Any:
        """The library session, built on first use (in a worker thread, never at start-up)."""
        # the settings first, outside the lock: start-up stores its session under this lock
        # before it says the settings are ready, so waiting for them inside it never ends
        if self._session is not None:
            return self._session
        settings = self.settings
        with self._session_lock:
            if self._session is None:
                from netops.session import Session

                self._session = Session(settings, actor=settings.user, surface="chat")
            return self._session

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with Conversation(id="conversation"):
            yield Static(self.welcome_text(), id="welcome")
        yield Static("", id="hints")
        yield PromptInput([c.name for c in COMMANDS], id="prompt")
        # below 80 columns the lesser keys leave the footer whole (F1 lists them all)
        yield KeyFooter(drop_first=FOOTER_DROP_FIRST)

    def on_mount(self) -> None:
        self.set_class(self.no_color, "-no-color")
        self._status()
        self._key_drawn = asyncio.Event()
        self._key_drawn.set()
        prompt = self.query_one(PromptInput)
        prompt.on_typed = self._typed
        self._free_bound_keys()
        prompt.focus()
        self.call_after_refresh(self._release_held_keys)
        self._fit_prompt(self.size.height)
        if self._settings_factory is None:
            self._settings_loaded([])
        self._take_signals()

    def _take_signals(self) -> None:
        """SIGTERM (``kill``, ``timeout``, a shutdown) and SIGHUP (the terminal closed) close the
        chat as Ctrl+Q does: during a change, the change is cancelled and rolled back first, then
        the chat closes; otherwise at once. Without this the process died where it stood: the
        terminal was left in the chat's screen with the mouse captured, and a change was left to the
        next start's recovery. A SIGINT sent by another program (``kill -INT``, ``timeout -s INT``;
        Ctrl+C in the chat is a key, not this signal) closed it with exit 0: now the same, exit 130.
        (The main thread only: tests drive the app in other threads too.)"""
        import signal

        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, self._signalled, sig)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
        # SIGHUP as a plain handler, not the loop's: it must run before Textual's SIGCONT handler,
        # which the same hangup triggers (Python runs pending handlers lowest signal first; the loop
        # would call ours only later), so the dead terminal is /dev/null before anything writes to it
        # again (netops/tui/hangup.py).
        def hung_up(signum: int, _frame: object) -> None:
            from netops.tui.hangup import detach_if_hung_up

            detach_if_hung_up()
            loop.call_soon_threadsafe(self._signalled, signum)

        try:
            self._hup_before = signal.signal(signal.SIGHUP, hung_up)
        except (ValueError, OSError):
            self._hup_before = None

    def _give_back_signals(self) -> None:
        import signal

        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        before = getattr(self, "_hup_before", None)
        if before is not None:
            signal.signal(signal.SIGHUP, before)
            self._hup_before = None

    def _signalled(self, signum: int) -> None:
        from netops.cancel import signal_received

        signal_received(signum)  # the exit code says which (143 SIGTERM, 129 SIGHUP, 130 SIGINT)
        self.call_later(self.action_quit)

    def still_running(self) -> bool:
        """The answer under way when the chat closed has not ended (a change's rollback)."""
        return self._turn is not None and self._turn.is_alive()

    def finish_background(self) -> None:
        """After the chat closed: wait for the answer that was under way, a change's rollback above
        all (a second Ctrl+Q or SIGTERM closes the screen at once; the rollback goes on), then close
        the session if the chat opened it. ``netops chat`` calls it once the terminal is given back."""
        turn = self._turn
        if turn is not None and turn.is_alive():
            turn.join()
        self._close_session()

    async def _release_held_keys(self) -> None:
        held, self._held_keys = self._held_keys, None
        for event in held or ():
            await self.on_event(event)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_prompt(event.size.height)

    def _fit_prompt(self, height: int) -> None:
        """The box grows with its text up to 12 rows, never past a third of the screen: a long
        paste on a small terminal must leave the conversation in sight (the box scrolls)."""
        for prompt in self.screen_stack[0].query(PromptInput) if self.screen_stack else ():
            prompt.styles.max_height = max(3, min(PromptInput.MAX_ROWS, height // 3))

    # -- input before output -----------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._held_keys is not None and len(self.screen_stack) <= 1:
            # typed in the moment after `netops chat` (the terminal keeps them): until the first
            # frame after start-up the prompt may not have focus (Textual's auto-focus gives it to
            # the conversation, which drops them); held, in order, and dispatched after that frame
            self._held_keys.append(event)
            return
        if isinstance(event, events.Key) and self._key_drawn is not None and isinstance(self.focused, PromptInput):
            # only the prompt reports back when it has handled a key (a key for a binding or
            # another widget would hold appends for KEY_HOLD for nothing)
            self._key_at = asyncio.get_running_loop().time()
            self._key_drawn.clear()
        if isinstance(event, events.Key):
            self._last_key = event.key
        await super().on_event(event)

    def _typed(self) -> None:
        """The prompt has handled a key: once a frame shows it, streamed appends may go on."""
        drawn = self._key_drawn
        if drawn is not None:
            self.screen.call_after_refresh(drawn.set)

    async def _input_first(self) -> float:
        """Wait (at most KEY_HOLD) until the last key is on screen, so an append's re-layout
        never sits between a key and its echo; returns the gathering interval to use next."""
        loop = asyncio.get_running_loop()
        drawn = self._key_drawn
        if drawn is not None and not drawn.is_set():
            try:
                await asyncio.wait_for(drawn.wait(), KEY_HOLD)
            except asyncio.TimeoutError:
                drawn.set()
        typing = loop.time() - self._key_at < TYPING_WINDOW
        return TYPING_INTERVAL if typing else STREAM_INTERVAL

    @on(events.Ready)
    def _first_frame(self) -> None:
        if self._settings_factory is not None and not self._settings_ready.is_set():
            self._build_settings()

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def _build_settings(self) -> None:
        """Settings (and the unfinished-change check every command makes) after the first frame."""
        try:
            settings = self._settings_factory()
            from netops.session import Session

            with self._session_lock:  # built here, not through .session (which waits for settings)
                if self._session is None:
                    self._session = Session(settings, actor=settings.user, surface="chat")
                session = self._session
            # what a crashed netops left changed is put back first, and said (one line per host);
            # the same session tells later crashes once each (never raises)
            recovered = session.recover_unfinished()
            if self.conversation_id:  # `chat --conversation ID`: an unknown id ends here, as in `ask`
                self._check_conversation(settings, self.conversation_id)
        except BaseException as exc:  # a broken config: leave the chat, the CLI prints one line
            self.startup_error = exc
            self._settings_ready.set()
            self.call_from_thread(self.exit, return_code=getattr(exc, "exit_code", 2))
            return
        self._settings = settings
        self._settings_ready.set()
        self.call_from_thread(self._settings_loaded, recovered)

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def _probe_model(self, previous: tuple[str, bool] | None = None) -> None:
        """Which mode answers, known before the first question: no model reachable at start
        means offline now (said once; /online tries again), not an "agent" line that is not so.
        ``previous``: the model and offline flag before ``/model NAME``; a server that answers
        but has no NAME gets them back (a mistyped name put the chat offline, and /online then
        tried the mistyped name again)."""
        model, missing = self.model, False
        try:
            from netops.model.base import backend_for, model_problem

            backend = backend_for(self.settings)
            problem = model_problem(backend, model)
            missing = bool(problem) and previous is not None and backend.status(timeout=1.5).reachable
        except Exception:  # a probe that fails is the first question's to find out
            problem = None
        self.model_checked = True
        if problem and missing:
            self.call_from_thread(self._model_refused, model, problem, previous)
        elif problem and not self.busy:
            self.call_from_thread(self._fall_back_offline, problem)

    def _model_refused(self, model: str, problem: str, previous: tuple[str, bool]) -> None:
        """``/model NAME`` that the server does not have: the chat keeps what it had."""
        if self.model != model:  # another /model since: that one is being checked
            return
        self.model, self.offline = previous
        self._status()
        self.notify(f"{problem}; still {'offline' if self.offline else f'using {self.model}'}",
                    severity="warning", timeout=8)

    @staticmethod
    def _check_conversation(settings: Any, cid: str) -> None:
        from netops.errors import NotFoundError
        from netops.store.history import History

        if not settings.paths.history_db.exists():
            raise NotFoundError(f"no conversation {cid!r}", hint="netops conversations list")
        with History(settings.paths.history_db) as history:
            history.conversation(cid, with_messages=False)

    def _settings_loaded(self, recovered: list[str]) -> None:
        settings = self._settings
        if self._settings_factory is not None:
            self.model = self._model_arg or settings.model
            self._apply_chat_settings()
            self._status()
        if recovered:
            self._tell_recovered(recovered)
            welcome = self.conversation.query("#welcome")
            self.conversation.mount(Static("\n".join(recovered), markup=False, classes="startup-warning"),
                                    after=welcome.first() if welcome else None)
        self.set_interval(getattr(settings.chat, "recovery_poll", None) or RECOVERY_POLL, self._poll_recovery)
        if not self.offline:
            self._probe_model()
        # the first question's own wait (modules, the model client, the index and its retrieval
        # model: seconds) spent while the person types it; a plain daemon thread, so that
        # quitting at once never waits for an import to finish
        session = self._session
        if session is not None:
            threading.Thread(target=self._warm, args=(session, None if self.offline else self.model),
                             name="netops-chat-warm", daemon=True).start()
        if getattr(getattr(settings, "chat", None), "side_panel", False):
            self.action_side_panel()
        if self.conversation_id:
            self._load_conversation(self.conversation_id)
        elif self.continue_last:
            self._load_conversation(None)

    @staticmethod
    def _warm(session: Any, model: str | None) -> None:
        from netops.tui.render import markdown_blocks

        markdown_blocks("")  # the first answer's parser (markdown-it and rich.markdown: ~0.1 s to import)
        import rich.markdown  # noqa: F401

        session.warm(model)

    def _tell_recovered(self, lines: list[str]) -> None:
        """The toast for recovery lines; the lines themselves stay in the conversation (the same
        line twice on one screen reads as two events)."""
        warn = any(not line.startswith("recovered:") for line in lines)
        self.notify("a change interrupted earlier needs your attention: see the conversation" if warn else
                    "a change interrupted earlier was put back: see the conversation",
                    severity="warning" if warn else "information", timeout=30)

    def _poll_recovery(self) -> None:
        """Idle only: a question or command checks for itself (the library) before it starts."""
        if not (self.busy or self._slash_tokens or self._approval is not None or self.startup_error):
            self._check_recovery()

    @work(thread=True, exclusive=True, group="recovery", exit_on_error=False)
    def _check_recovery(self) -> None:
        lines = self.session.recover_unfinished()  # the library: restores, records, tells each once
        if lines:
            self.call_from_thread(self._recovered_meanwhile, lines)

    async def _recovered_meanwhile(self, lines: list[str], view: AnswerView | None = None) -> None:
        """Recovery lines that came after start-up: in the answer they came with, or at the end."""
        self._tell_recovered(lines)
        if view is not None:
            for line in lines:
                await view.note(line, "warning")  # a device was put back: never muted
        else:
            await self._append(Static("\n".join(lines), markup=False, classes="startup-warning"))

    async def on_unmount(self) -> None:
        self._give_back_signals()
        if self.cancel_token is not None:
            self.cancel_token.cancel("the chat was closed")
        for token in list(self._slash_tokens):
            token.cancel("the chat was closed")
        if self._approval is not None:
            self._approval.respond(False, by=self.settings.user, reason="the chat was closed")
        if self._turn is not None and self._turn.is_alive():
            return  # a change's rollback still uses the session: closed after it (finish_background)
        self._close_session()

    def _close_session(self) -> None:
        if self._owns_session and self._session is not None:
            try:
                self._session.close()
            except Exception:
                pass

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """A notification, always as plain text (``markup`` is ignored; screens and widgets come here
        too): its words are often another's (a model server's error, a model name, a conversation's
        title), and one unbalanced "[/]" in them was a MarkupError that ended the chat when drawn."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _status(self, activity: str = "") -> None:
        """The status line; while a cancel is under way, what runs reads as being cancelled (the
        turn's or the command's own end puts the line back, so nothing says it after)."""
        activity = activity.replace("Esc cancels", f"{self.cancel_key} cancels")
        if (activity == "cancelling" or "cancels" in activity) and self._cancelling():  # no offer to cancel again
            activity = "cancelling: changed hosts are rolled back…" if self.change_running else "cancelling…"
        self.query_one(StatusBar).set(mode="offline" if self.offline else "agent", model=self.model,
                                      conversation=self.conversation_id or "", activity=activity)

    @property
    def conversation(self) -> Conversation:
        return self.query_one("#conversation", Conversation)

    async def _append(self, *widgets: Any) -> None:
        view = self.conversation
        await view.mount_all(widgets)
        view.anchor()

    # -- input -----------------------------------------------------------------------------
    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        self.query_one("#hints", Static).remove_class("-show")
        from netops.tui.commands import is_command

        if is_command(event.text):
            self.run_slash(event.text)
        else:
            await self.ask(event.text)

    @on(PromptInput.ScrollRequested)
    def _page(self, event: PromptInput.ScrollRequested) -> None:
        getattr(self.conversation, f"scroll_{event.where}")(animate=False)

    @on(PromptInput.Redacted)
    def _paste_redacted(self, event: PromptInput.Redacted) -> None:
        self.notify(f"{event.count} secret(s) in the pasted text replaced by <redacted>; they are not shown, "
                    "stored or sent to the model", timeout=6)

    @on(PromptInput.EndOfInput)
    def _end_of_input(self) -> None:
        """Ctrl+D on an empty box leaves, as in a shell; never by accident in the middle of work."""
        if self.busy or self._slash_tokens:
            self.notify(f"still working: {self.cancel_key} cancels it, Ctrl+Q quits anyway", severity="warning")
            return
        self.exit()

    @on(PromptInput.Changed)
    def _changed(self, event: PromptInput.Changed) -> None:
        prompt = event.text_area
        hints = self.query_one("#hints", Static)
        found = prompt.matches() if isinstance(prompt, PromptInput) else []
        if found:
            # a few with their usage; more by name only, every one of them ('/' listed six of 17)
            # (escaped: "[vrf NAME]" in /state's usage was read as markup and left out)
            from rich.markup import escape

            few = len(found) <= 6
            shown = "   ".join(BY_NAME[c].usage for c in found) if few else "  ".join(found)
            hints.update(escape(shown) + ("   [dim](Tab completes)[/]" if few else
                                          "   [dim](Tab completes; F1 shows how each is used)[/]"))
            hints.add_class("-show")
        else:
            hints.remove_class("-show")

    def on_key(self, event: events.Key) -> None:
        """Typing while a citation or card has the focus goes to the prompt, the box's editing keys
        (:attr:`PromptInput.EDIT_KEYS`) too, when what has the focus does not use them. The box consumes
        every key typed into it, so a character that gets here was typed elsewhere: keys that
        came in one burst were all queued at the citation before the focus moved, and with the
        focus moved at once (``focus()`` waits for them) they reach the box, a Space or the
        Enter included (the citation's own Space/Enter reopened the evidence viewer)."""
        if self.screen is not self.screen_stack[0] or event.key in self.screen.active_bindings:
            return
        prompt = self.query_one(PromptInput)
        if event.is_printable and event.character:
            event.stop()
            if self.focused is not prompt:
                self.screen.set_focus(prompt)
            prompt.insert(event.character)
        elif event.key in PromptInput.EDIT_KEYS and self.focused is not prompt:
            # trial34: after a Tab with nothing to complete (the focus went to the conversation),
            # letters still reached the box but Backspace, Ctrl+U, Ctrl+A... were lost
            event.stop()
            self.screen.set_focus(prompt)
            prompt.post_message(events.Key(event.key, event.character))
        elif event.key == "enter" and self.focused is prompt and prompt.text.strip():
            event.stop()  # the Enter of such a burst: what the person typed is sent
            prompt.submit()

    def prefill(self, text: str) -> None:
        prompt = self.query_one(PromptInput)
        prompt.load_text(text)
        prompt.move_cursor(prompt.document.end)
        prompt.focus()

    # -- questions -------------------------------------------------------------------------
    async def ask(self, question: str) -> None:
        if self.busy:
            # the box emptied on Enter: the question goes back, to send when the answer is done
            self.notify(f"still answering: {self.cancel_key} cancels it; your question stays in the box", severity="warning")
            prompt = self.query_one(PromptInput)
            prompt.unsend(question)  # in the history it made the first Up show the box's own text
            if not prompt.text:
                self.prefill(question)
            return
        for done in self.conversation.query(AnswerView):
            await done.settle()
        view = AnswerView(head="offline" if self.offline else f"agent · {self.model}")
        shown = UserMessage(question)  # redacted as the library stores and sends it
        self.entries.append(Entry("user", shown.text))
        await self._append(shown, view)
        self.busy = True
        self._run_turn(question, view)

    @work(exclusive=True, group="turn", exit_on_error=False)
    async def _run_turn(self, question: str, view: AnswerView) -> None:
        from netops.cancel import CancelToken

        token = CancelToken()
        self.cancel_token = token
        self._status("answering… (Esc cancels)")
        queue: asyncio.Queue[Any] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        offline, cid, cont = self.offline, self.conversation_id, self.continue_last
        self.continue_last = False

        def post(item: Any) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the chat has closed (its loop with it): nobody to show it to, but
                pass  # the events go on being drawn, so a change's rollback runs to its end and is recorded

        def produce() -> None:
            try:
                assistant = self.session.assistant(model=self.model)
                for ev in assistant.events(question, offline=offline, conversation_id=cid,
                                           continue_last=cont, cancel=token):
                    post(ev)
            except BaseException as exc:  # shown as one line; the conversation goes on
                post(_Failure(exc))
            finally:
                post(_END)

        try:
            self._turn = threading.Thread(target=produce, name="netops-chat-turn", daemon=True)
            self._turn.start()
            interval = STREAM_INTERVAL
            while True:
                ev = await queue.get()
                if ev is _END:
                    break
                if type(ev).__name__ == "TokenEvent":
                    # Tokens are gathered for up to STREAM_INTERVAL and written as one fragment:
                    # every Markdown append costs a layout and a frame, keys must get their turn.
                    parts, pending = [ev.text], None
                    deadline = loop.time() + interval
                    while pending is None:
                        left = deadline - loop.time()
                        if left <= 0:
                            break
                        try:
                            nxt = await asyncio.wait_for(queue.get(), left)
                        except asyncio.TimeoutError:
                            break
                        if type(nxt).__name__ == "TokenEvent":
                            parts.append(nxt.text)
                        else:
                            pending = nxt
                    interval = await self._input_first()
                    if self._step_shown:  # the slow step is over: the answer is arriving
                        self._step_shown = False
                        self._status("answering… (Esc cancels)")
                    await view.write("".join(parts))
                    if pending is None:
                        continue
                    if pending is _END:
                        break
                    ev = pending
                await self._render(view, ev)
        except asyncio.CancelledError:
            token.cancel("the chat was closed")
            raise
        except Exception as exc:  # never lose an error silently: one line, the chat goes on
            token.cancel("the chat failed to show the answer")
            await view.note(one_line(exc), "error")
        finally:
            await view.stop_stream()
            self.busy = False
            self.change_running = False
            self._step_shown = False
            self.cancel_token = None
            self._status()
            if self._quit_pending:  # Ctrl+Q during a change: the rollback has finished
                self.exit()

    async def _render(self, view: AnswerView, ev: Any) -> None:
        """Render one event. Dispatch on the class name: the event module is the contract."""
        if ev is _END:
            return
        name = type(ev).__name__
        try:
            if name == "RecoveryEvent":  # put back by the library before this turn read anything
                await self._recovered_meanwhile(ev.lines, view)
            elif name == "ModeEvent":
                view.set_mode(ev.mode, ev.model, ev.notice)
                if ev.mode == "offline" and not self.offline and ev.notice:
                    self._fall_back_offline(ev.notice)
                if getattr(ev, "conversation_id", None) and not self.conversation_id:
                    # a new conversation exists from here on: the header names it while the first
                    # answer streams, not only once it has finished
                    self.conversation_id = ev.conversation_id
                    self.query_one(StatusBar).set(conversation=ev.conversation_id)
            elif name == "TurnResetEvent":
                await view.reset_turn()
            elif name == "ToolStartEvent":
                await view.tool_started(ev.tool, ev.args, getattr(ev, "call_id", ""))
            elif name == "ToolEndEvent":
                view.tool_finished(ev.record, getattr(ev, "call_id", ""))
            elif name == "PlanEvent":
                await view.show_plan(ev.plan, ev.verdict, ev.summary)
            elif name == "ApprovalRequestEvent":
                await self._ask_approval(ev)
            elif name == "ApprovalEvent":
                r = ev.record
                level = "info" if r.decision == "approved" else "warning"
                await view.note(f"change {r.decision}" + (f" by {r.by}" if r.by else "")
                                + (f": {r.result}" if r.result else ""), level)
            elif name == "RunProgressEvent":
                self.change_running = ev.stage not in ("verified", "failed", "rolled_back", "rollback_failed",
                                                       "skipped", "cancelled")
                # a host in a final state has nothing left for Ctrl+C to roll back: no offer
                self._status(f"changing {ev.host}: {ev.stage} (Ctrl+C cancels and rolls back)"
                             if self.change_running else f"change on {ev.host}: {ev.stage}")
                await view.run_progress(ev)
            elif name == "IndexProgressEvent":
                total = f"/{ev.total}" if ev.total else ""
                self._status("answering… (Esc cancels)" if ev.stage == "done"
                             else f"indexing the knowledge base (first use): {ev.stage} {ev.done}{total}")
            elif name == "StepEvent":
                self._step_shown = True
                self._status(f"{ev.detail}… (Esc cancels)")
            elif name == "AnswerEvent":
                await self._answered(view, ev.answer)
            elif isinstance(ev, _Failure):
                await view.note(one_line(ev.exc), "error")
                if view.answer is None:
                    self.entries.append(Entry("assistant", f"error: {one_line(ev.exc)}"))
        except Exception as exc:  # a rendering bug must not end the conversation
            await view.note(f"could not show {name}: {one_line(exc)}", "error")

    async def _answered(self, view: AnswerView, answer: Any) -> None:
        began = view.mode  # the ModeEvent's: "agent" when the model was to answer
        await view.finish(answer)
        self.entries.append(Entry.from_answer(answer))
        if self._quit_pending and answer.approvals:  # Ctrl+Q during the change: say how it ended
            r = answer.approvals[-1]
            self.exit_note = (f"the change {r.playbook} on {', '.join(r.targets)} was stopped as the chat closed: "
                              f"{r.result or r.decision}" + ("" if r.result else " (netops audit list has the record)"))
        if answer.conversation_id:
            self.conversation_id = self.written = answer.conversation_id
        if answer.error and not getattr(answer, "cancelled", False):
            # a cancel the person asked for is no failure, and the line under the answer says it
            await view.note(answer.error + (f" (hint: {answer.error_hint})" if answer.error_hint else ""), "error")
            if getattr(answer, "error_exit", 0) == 3:
                self._fall_back_offline(answer.error)
        elif getattr(answer, "mode", None) == "offline" and not self.offline and began == "agent":
            # the model server went away mid-turn and the evidence read was answered offline: the
            # status line says offline from here, and why, once (/online tries the model again)
            self._fall_back_offline((answer.notice or "the model stopped answering").split("; ")[0])
        self.conversation.anchor()

    def _fall_back_offline(self, why: str) -> None:
        """The model went away: say so once, answer offline from the next question on."""
        self.offline = True
        self._status()
        if not self._told_offline:
            self._told_offline = True
            self.notify(f"{why}. Next questions are answered offline; /online tries the model again.",
                        severity="warning", timeout=8)

    async def _ask_approval(self, request: Any) -> None:
        from netops.playbook.approval import prompt_reason
        from netops.tui.screens.approval import ApprovalScreen

        self._approval = request
        self._status("waiting for your approval")
        screen = ApprovalScreen(request.plan, request.verdict, request.summary)

        def answered_elsewhere() -> None:
            """The library answered first (the plan expired, or a cancel): the window goes, and
            says why, rather than wait for a key that no longer decides anything."""
            if request.answered and self.screen is screen:
                screen.dismiss(False)
                reason = getattr(request.approval, "reason", "") or "answered"
                self.notify(f"Not applied: {reason}", severity="warning", timeout=15)

        watch = self.set_interval(0.5, answered_elsewhere)
        try:
            approved = await self.push_screen_wait(screen)
        finally:
            watch.stop()
            self._approval = None
        request.respond(bool(approved), by=self.settings.user, reason=prompt_reason(bool(approved), where=CHAT_PROMPT))
        approved = approved and request.approval is not None and request.approval.approved
        self.change_running = bool(approved)
        self._status("applying the change (Ctrl+C cancels and rolls back)" if approved else "")

    async def action_quit(self) -> None:
        """Ctrl+Q. During a change it cancels first and the chat closes when the changed hosts
        are rolled back, in sight (a second Ctrl+Q closes at once; the library still finishes
        the rollback before the process ends)."""
        if self.change_running and self._quit_pending:  # the second Ctrl+Q: closed before the end was seen
            self.exit_note = ("the chat closed while a change was being cancelled: netops finishes the rollback "
                              "before it exits; `netops audit list` has how it ended")
        if self.change_running and not self._quit_pending:
            self._quit_pending = True
            if self.cancel_token is not None and not self.cancel_token.cancelled:
                self.cancel_token.cancel("the chat was closed during the change")
            self.notify("Cancelling the change: changed hosts are rolled back, then the chat closes. "
                        "Ctrl+Q again closes now.", severity="warning", timeout=30)
            self._status("rolling back before closing")
            return
        self.exit()

    # -- cancel ----------------------------------------------------------------------------
    def _cancelling(self) -> bool:
        """A cancel was asked for and what it stops has not ended yet."""
        token = self.cancel_token
        return (token is not None and token.cancelled) or any(t.cancelled for t in list(self._slash_tokens))

    def pop_screen(self) -> Any:
        """Every dialog closes through here (``dismiss``, the palette): closed with Esc, noted for
        :meth:`action_cancel` (an Esc just after "a" approved a change still stops it at once)."""
        self._dialog_closed_at = time.monotonic() if self._last_key == "escape" else None
        return super().pop_screen()

    def _closing_press(self) -> bool:
        """This Esc came just after a dialog closed: one press more than closing it needed
        (once; the one after it cancels)."""
        closed, self._dialog_closed_at = self._dialog_closed_at, None
        return closed is not None and time.monotonic() - closed < self.ESC_AFTER_DIALOG

    def action_cancel(self) -> None:
        """Escape: stop the streaming answer (the partial text stays). Said in the status line,
        not a toast: a toast outlived the cancel by seconds; the line is put back when it ends.
        An Esc just after a dialog closed does not stop it (:attr:`ESC_AFTER_DIALOG`), unless a
        change is being applied: stopping one (it is rolled back) is never put off by a key."""
        running = (self.cancel_token is not None and not self.cancel_token.cancelled) or bool(self._slash_tokens)
        if running and self._closing_press() and not self.change_running:
            self._status(f"the window is closed; {self.cancel_key} again stops the answer")
            return
        key = self.cancel_key
        how = f"cancelled with {'Escape' if key == 'Esc' else key}"  # the key in use, as [chat.keys] set it
        if self.cancel_token is not None and not self.cancel_token.cancelled:
            self.cancel_token.cancel(how)
            self._status("cancelling")
        elif self._slash_tokens:
            for token in list(self._slash_tokens):
                token.cancel(how)
            self._status("cancelling")

    def action_suspend_process(self) -> None:
        """Ctrl+Z: to the shell, only where a shell can bring the chat back (``fg``). A letter typed
        into an approval just before it decides nothing (review35: after ``fg`` it approved)."""
        hold = getattr(self.screen, "hold", None)
        if type(self.screen).__name__ == "ApprovalScreen" and callable(hold):
            hold()
        if not shell_can_resume():
            self.notify("not suspended: no shell here to bring netops back with fg (it was not started "
                        "from an interactive shell); Ctrl+Q quits", severity="warning", timeout=5)
            return
        super().action_suspend_process()

    async def action_interrupt(self) -> None:
        """Ctrl+C: cancel a change (the library rolls back), an answer or a command; else copy
        the selection, clear the box, or (twice on an empty box) quit."""
        if isinstance(self.screen, Screen) and type(self.screen).__name__ == "ApprovalScreen":
            request = self._approval
            if request is not None:  # answered first, as a cancel (the request keeps its first answer)
                from netops.playbook.approval import prompt_reason

                request.respond(False, by=self.settings.user, reason=prompt_reason(None, where=CHAT_PROMPT))
            self.screen.dismiss(False)
        if self.cancel_token is not None and not self.cancel_token.cancelled:
            self.cancel_token.cancel("interrupted with Ctrl+C")
            self._status("cancelling")
            return
        if self._slash_tokens:
            for token in list(self._slash_tokens):
                token.cancel("interrupted with Ctrl+C")
            self._status("cancelling")
            return
        focused = self.focused
        selected = getattr(focused, "selected_text", "")
        if selected:
            self.copy_to_clipboard(selected)
            self.notify("copied")
            return
        # nothing to stop: as in a shell, Ctrl+C drops the line being typed; on an empty line a
        # second Ctrl+C (within QUIT_AGAIN seconds) leaves, the first says so
        if isinstance(focused, PromptInput) and focused.text:
            focused.cut_all()
            self._interrupt_at = None
            # not Ctrl+Z, the box's undo: the chat binds it to suspend (trial34: the hint named it,
            # and pressing it stopped the whole chat with the text still gone)
            self.notify("cleared the box (Ctrl+Y puts it back)", timeout=3)
            return
        now = asyncio.get_running_loop().time()
        if self._interrupt_at is not None and now - self._interrupt_at <= QUIT_AGAIN:
            await self.action_quit()
            return
        self._interrupt_at = now
        self.notify("Ctrl+C again quits (so do Ctrl+D on an empty box, Ctrl+Q, /quit)", timeout=QUIT_AGAIN)

    # -- evidence --------------------------------------------------------------------------
    @on(CitationLink.Selected)
    def _open_evidence(self, event: CitationLink.Selected) -> None:
        from netops.tui.lookup import evidence_detail
        from netops.tui.screens.evidence import EvidenceScreen

        answer = event.link.answer
        self.push_screen(EvidenceScreen(event.evidence, lambda ev: evidence_detail(self.session, ev, answer)))

    # -- slash commands --------------------------------------------------------------------
    def run_slash(self, text: str) -> None:
        cmd, words, rest = parse(text)
        if cmd is None:
            self._slash_error(text, f"unknown command {text.split()[0]}; /help lists them")
            return
        local = {
            "/help": self.action_help, "/new": self.action_new_conversation, "/history": self.action_conversations,
            "/panel": self.action_side_panel, "/quit": self.action_quit,
        }
        if cmd.name in local:
            # call_next awaits the async ones (/new, /quit): called bare, they never ran
            self.call_next(local[cmd.name])
        elif cmd.name == "/offline":
            self.offline = True
            self._status()
            self.notify("offline: answers come from the intent router and retrieval")
        elif cmd.name == "/online":
            self.offline = False
            self._told_offline = False
            self._status()
            self.notify(f"using the model {self.model}")
            self._probe_model()  # still not there: said now, not at the next question
        elif cmd.name == "/model":
            if not words:
                self.notify(f"model: {self.model} (usage: /model <name>)")
            elif len(words) > 1:
                self._slash_error(text, f"usage: {cmd.usage} (one model name)")
            else:
                previous = (self.model, self.offline)
                self.model, self.offline, self._told_offline = words[0], False, False
                self._status()
                self.notify(f"model: {self.model}")
                self._probe_model(previous)  # a model the endpoint lacks is said now, and not used
        elif cmd.name == "/export":
            self.action_export(self._path_arg(words, rest) or None)
        elif cmd.name == "/save":
            if not rest:
                self._slash_error(text, f"usage: {cmd.usage} (writes this conversation as Markdown)")
            else:
                self.action_export(self._path_arg(words, rest))
        elif cmd.name == "/copy":
            self._copy(words)
        else:
            self._tool_command(cmd.name, words, text)

    @staticmethod
    def _path_arg(words: list[str], rest: str) -> str:
        """A file name as a shell reads it (``"my notes.md"``, ``my\\ notes.md``); unquoted
        words with spaces between them are taken whole."""
        return words[0] if len(words) == 1 else rest

    def _slash_error(self, text: str, message: str) -> None:
        """A command that cannot run: one line in the conversation (with its hint; a toast went
        after 5 s, before the person had acted on it), and the text goes back into an empty box
        to be fixed (it was taken out when Enter was pressed)."""
        self.call_later(self._append, Notice(message, "error"))
        prompt = self.query_one(PromptInput)
        if not prompt.text:
            self.prefill(text)

    def _tool_command(self, name: str, words: list[str], text: str) -> None:
        """Turn a slash command into a tool call (validated by the tool like a model's call)."""
        as_json = name == "/state" and "--json" in words  # the typed JSON, not the summary
        try:
            tool, args = tool_call_for(name, [w for w in words if w != "--json"] if as_json else words)
        except Exception as exc:
            self._slash_error(text, one_line(exc))
            return
        view = AnswerView(head=f"command · {tool}")
        self.entries.append(Entry("user", UserMessage(text).text))
        self.call_after_refresh(self._append_and_run, text, view, tool, args, as_json)

    async def _append_and_run(self, text: str, view: AnswerView, tool: str, args: dict[str, Any],
                              as_json: bool = False) -> None:
        await self._append(UserMessage(text), view)
        card = await view.tool_started(tool, args)
        self._run_tool(view, card, tool, args, text, as_json)

    @work(thread=True, exit_on_error=False, group="slash")
    def _run_tool(self, view: AnswerView, card: Any, tool: str, args: dict[str, Any], text: str,
                  as_json: bool = False) -> None:
        from netops.agent.direct import run_tool

        def progress(ev: Any) -> None:  # the first /kb may index the default sources first
            if type(ev).__name__ == "RecoveryEvent":  # put back before the command ran
                self.call_from_thread(self._recovered_meanwhile, ev.lines, view)
            elif type(ev).__name__ == "IndexProgressEvent":
                total = f"/{ev.total}" if ev.total else ""
                self.call_from_thread(self._status, f"indexing the knowledge base (first use) {ev.done}{total}")
            elif type(ev).__name__ == "StepEvent":
                self.call_from_thread(self._status, f"{ev.detail}… (Esc cancels)")

        from netops.cancel import CancelToken

        from netops.tui.results import result_markdown

        token = CancelToken()  # Esc cancels it: device reads return at once, their sessions closed
        self._slash_tokens.append(token)
        self.call_from_thread(self._status, f"running {text.split()[0]}… (Esc cancels)")
        try:
            result, record = run_tool(self.session, tool, args, question=text, on_event=progress, cancel=token)
        except Exception as exc:
            self.call_from_thread(self._slash_failed, view, exc)
            return
        finally:
            self._slash_tokens.remove(token)
        shown = result_markdown(result, args, as_json=as_json)
        self.call_from_thread(self._slash_done, view, card, result, record, shown)
        self._keep_command(text, result, record, shown)

    def _keep_command(self, text: str, result: Any, record: Any, shown: str) -> None:
        """Store the command and what it showed in this conversation (a resume or an export has
        it); a history that cannot be written costs a notice, never the result on screen."""
        from netops.agent.direct import command_answer, record_command

        try:
            cid = self.conversation_id
            if cid is None and self.continue_last:  # `chat --continue`: the command continues it too
                cid = self.session.history.last_conversation()
            cid = record_command(self.session, cid, text, command_answer(result, record, shown))
        except Exception as exc:
            self.call_from_thread(self.notify, f"not kept in history: {one_line(exc)}", severity="warning")
            return
        self.call_from_thread(self._kept_in, cid)

    def kept_conversation(self) -> str | None:
        """The conversation this chat was in, if it is still stored (deleted from the list, Ctrl+R then
        Delete twice, it is not): what the terminal names on quitting."""
        cid, settings = self.conversation_id, self._settings
        if not cid or settings is None:
            return None
        try:  # read afresh: the chat's session is closed once it has quit
            from netops.store.history import History

            if not settings.paths.history_db.exists():
                return None
            with History(settings.paths.history_db) as history:
                history.conversation(cid, with_messages=False)
        except Exception:  # deleted, or the store cannot say: not said to be kept
            return None
        return cid

    def _kept_in(self, cid: str | None) -> None:
        self.written = cid or self.written
        if cid is not None and self.conversation_id is None:
            self.conversation_id, self.continue_last = cid, False
            self._status()

    async def _slash_failed(self, view: AnswerView, exc: Exception) -> None:
        self._status()
        await view.note(one_line(exc), "error")
        self.entries.append(Entry("command", f"error: {one_line(exc)}"))

    async def _slash_done(self, view: AnswerView, card: Any, result: Any, record: Any, text: str) -> None:
        from netops.agent.direct import command_answer

        self._status()
        card.finish(record)
        if result.tool == "playbook_plan" and result.data is not None:
            await view.show_plan(result.data, None)
        shown = command_answer(result, record, text)
        await view.finish(shown)
        self.entries.append(Entry.from_answer(shown))
        self.conversation.anchor()

    # -- actions ---------------------------------------------------------------------------
    def action_focus_prompt(self) -> None:
        self.query_one(PromptInput).focus()

    def action_help(self) -> None:
        from netops.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.help_markdown()))

    def help_markdown(self) -> str:
        cancel, interrupt, quit_ = (self.key_name(f"chat.{n}") for n in ("cancel", "interrupt", "quit"))
        keys = ["| key | action | binding id |", "|---|---|---|"]
        for b in self.BINDINGS:
            if isinstance(b, Binding) and b.id:
                keys.append(f"| `{self._keymap.get(b.id, b.key)}` | {b.description} | `{b.id}` |")

        def cell(text: str) -> str:  # a '|' in a usage ends the table cell unless escaped
            return text.replace("|", "\\|")

        cmds = ["| command | what it does |", "|---|---|"] + [f"| `{cell(c.usage)}` | {cell(c.help)} |"
                                                            for c in COMMANDS]
        return "\n".join([
            "# netops chat", "",
            "Ask in plain language. Answers cite their evidence (select a citation to read it). "
            "Changes are only proposed: you see the plan and the diff, then approve or deny.", "",
            "**Enter** sends, **Shift+Enter** / **Ctrl+J** adds a line, **Up/Down** walk your history, "
            "**Tab** completes a slash command, **PgUp/PgDn** scroll the conversation (**Ctrl+Home/Ctrl+End**, or "
            "**Home/End** when the box is empty: its top and end), **Ctrl+P** opens the command palette, "
            f"**{quit_}** (or **Ctrl+D** on an empty box, or **{interrupt}** twice) quits. **{cancel}** stops an answer "
            "(the partial text stays) or a running `/show` / `/state` (the device command is abandoned); "
            f"**{interrupt}** during a change cancels it and the library rolls back changed hosts. "
            "In the approval window **a**/**y** approve and **d**/**n**/**Esc** deny (keys typed as it opens "
            "decide nothing).", "",
            "The box edits like a shell line: **Ctrl+A/E** line start/end, **Ctrl+B/F** and **Alt+B/F** a "
            "character or word back/forward, **Ctrl+K/U/W**, **Alt+D**, **Alt+Backspace** cut, **Ctrl+Y** "
            f"puts back what they cut; **{interrupt}** with nothing running clears the box (**Ctrl+Y** puts it back).",
            "",
            "## Keys", "", *keys, "",
            "Override keys in the config file: `[chat.keys]` then `\"chat.side_panel\" = \"f3\"`. "
            "Theme: `[chat] theme = \"nord\"` (Ctrl+P → Theme lists them). `NO_COLOR=1` turns colour off.", "",
            "## Commands", "", *cmds, "",
        ])

    def action_side_panel(self) -> None:
        existing = self.query(SidePanel)
        if existing:
            existing.first().remove()
            return
        panel = SidePanel(self.session_or_builder(), id="side")
        self.mount(panel, before=self.query_one("#conversation"))
        panel.refresh_all()

    def session_or_builder(self) -> Any:
        """The session, or a stand-in that builds it on first attribute use (in the worker)."""
        app = self

        class _Lazy:
            def __getattr__(self, name: str) -> Any:
                return getattr(app.session, name)

        return _Lazy()

    async def action_new_conversation(self) -> None:
        if self.busy:
            self.notify(f"still answering: {self.cancel_key} cancels it first", severity="warning")
            return
        self.conversation_id = None
        self.entries.clear()
        await self.conversation.remove_children()
        await self.conversation.mount(Static("New conversation.", id="welcome"))
        self._status()

    def action_conversations(self) -> None:
        from netops.tui.screens.conversations import ConversationsScreen

        def chosen(cid: str | None) -> None:
            if cid:
                self._load_conversation(cid)

        self.push_screen(ConversationsScreen(self.session_or_builder()), chosen)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_conversation(self, cid: str | None) -> None:
        """Show a stored conversation; the next question continues it."""
        resumed = cid is None
        try:
            if cid is None:  # `chat --continue`: the newest conversation of the chat, not a `netops ask`'s
                cid = self.session.history.last_conversation("chat")
                if cid is None:
                    self.call_from_thread(self._append, Notice(
                        "--continue: no earlier chat conversation to continue; this is a new one "
                        "(Ctrl+R lists every stored conversation)"))
                    return
            conv = self.session.conversation(cid)
            import netops.agent.transcript  # noqa: F401 - imported here, not on the event loop
        except Exception as exc:
            self.call_from_thread(self.notify, one_line(exc), severity="error")
            return
        self.call_from_thread(self._show_conversation, conv, resumed)

    async def _show_conversation(self, conv: Any, resumed: bool = False) -> None:
        self.conversation_id = conv.id
        self.continue_last = False
        self.entries.clear()
        await self.conversation.remove_children()
        widgets: list[Any] = [Notice(f"conversation {conv.id}: {conv.title}")]
        if resumed:  # say which one --continue chose, and how to choose another
            widgets.append(Notice(f"--continue resumed the newest chat conversation (last used {conv.updated_at[:16].replace('T', ' ')} UTC); "
                                  "Ctrl+R lists the others, netops chat --conversation ID opens one"))
        from netops.agent.transcript import stored_answer

        for m in getattr(conv, "messages", []) or []:
            if m.role == "user":
                widgets.append(UserMessage(m.content))
                self.entries.append(Entry("user", m.content, unanswered=m.unanswered, at=m.created_at))
                if m.unanswered:  # killed mid-answer (or the terminal closed): said, not a blank
                    from netops.store.history import UNANSWERED

                    widgets.append(Notice(UNANSWERED, "warning"))
            else:
                stored = stored_answer(m)
                widgets.append(AnswerView(head=mode_line(stored.mode or "offline", stored.model), settled=stored))
                self.entries.append(Entry.from_answer(stored))
        await self._append(*widgets)
        self.query_one(PromptInput).remember([e.text for e in self.entries if e.role == "user"])
        self._status()

    def action_export(self, path: str | None = None) -> None:
        when = datetime.now(timezone.utc)
        name = f"conversation-{self.conversation_id or when.strftime('%Y%m%d-%H%M%S')}.md"
        target = Path(path).expanduser() if path else self.settings.paths.home / "exports" / name
        if target.is_dir():  # "/save ~/notes": into that directory, as cp would
            target = target / name
        title = next((e.text for e in self.entries if e.role == "user"), "netops conversation")
        text = to_markdown(self.entries, title=title[:80], conversation_id=self.conversation_id,
                           exported_at=when.isoformat(timespec="seconds"))
        # a file that is there is never overwritten, except this chat's own last export (saved again):
        # "/save /etc/passwd", run as root, replaced the system's user list with the conversation (trial32)
        mine = self.last_export is not None and target.resolve() == self.last_export.resolve()
        try:
            if not path:  # netops's own exports directory is made; a person's is not: a typo'd
                target.parent.mkdir(parents=True, exist_ok=True)  # "/save notse/x.md" made a tree
            with target.open("w" if mine else "x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:  # said in the conversation (a toast goes after 5 s)
            self.call_later(self._append, Notice(f"not saved: {target} already exists, and netops does not "
                                                 "overwrite a file; name a new one", "error"))
            return
        except (FileNotFoundError, NotADirectoryError):
            self.call_later(self._append, Notice(f"not saved: no directory {target.parent} (netops does not "
                                                 "create one); create it, or name a file in one that exists",
                                                 "error"))
            return
        except OSError as exc:
            self.notify(f"cannot export to {target}: {exc.strerror or exc}", severity="error")
            return
        self.last_export = target
        self.notify(f"exported to {target}")

    def action_copy_answer(self) -> None:
        self._copy([])

    def _copy(self, words: list[str]) -> None:
        answers = [e for e in self.entries if e.role in ("assistant", "command")]
        if not answers:
            self.notify("no answer to copy yet")
            return
        text = answers[-1].text
        if words and words[0] == "code":
            blocks = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
            n = int(words[1]) if len(words) > 1 and words[1].isdigit() else 1
            if not blocks or n < 1 or n > len(blocks):
                self.notify(f"the last answer has {len(blocks)} code block(s)", severity="warning")
                return
            text = blocks[n - 1]
        self.copy_to_clipboard(text)
        # OSC 52 is silent when the terminal ignores it (tmux does unless set-clipboard is on)
        self.notify(f"copied {len(text)} characters to the clipboard (OSC 52); if nothing arrives there, "
                    "/save FILE writes the conversation to a file")

    # -- palette ---------------------------------------------------------------------------
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from netops.tui.commands import palette_screen

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(palette_screen())

    def get_system_commands(self, screen: Screen) -> Any:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Export conversation", "Write this conversation to Markdown", self.action_export)
        yield SystemCommand("Conversations", "List, search, resume or delete conversations",
                            self.action_conversations)
        yield SystemCommand("Side panel", "Devices, lab and index", self.action_side_panel)

