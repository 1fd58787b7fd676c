"""The question box: multi-line, Enter sends, Shift+Enter / Ctrl+J add a line, Up/Down walk
the history, slash commands complete with Tab or Right. PageUp/PageDown, Ctrl+Home/Ctrl+End (and Home/End
in an empty box) are asked of the conversation (:class:`PromptInput.ScrollRequested`), Ctrl+D on an empty box
asks to leave (:class:`PromptInput.EndOfInput`), as in a shell."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import events
from textual.message import Message
from textual.widgets import TextArea


class PromptInput(TextArea):
    """A :class:`TextArea` that sends on Enter and keeps a history of what was sent."""

    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        min-height: 3;
        max-height: 12;
        border: tall $accent 40%;
        padding: 0 1;
    }
    PromptInput:focus { border: tall $accent; }
    """

    class Submitted(Message):
        """The person pressed Enter on non-empty text."""

        def __init__(self, prompt: "PromptInput", text: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.text = text

        @property
        def control(self) -> "PromptInput":
            return self.prompt

    class ScrollRequested(Message):
        """A page key in the box: ``where`` is ``page_up``, ``page_down``, ``home`` or ``end``
        (the box is a few lines; the conversation above it is what a person pages through)."""

        def __init__(self, where: str) -> None:
            super().__init__()
            self.where = where

    class Redacted(Message):
        """Secrets were taken out of pasted text (``count`` of them)."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class EndOfInput(Message):
        """Ctrl+D on an empty box."""

    _PAGE_KEYS = {"pageup": "page_up", "pagedown": "page_down", "ctrl+home": "home", "ctrl+end": "end"}

    def __init__(self, commands: Sequence[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                         highlight_cursor_line=False, compact=True,
                         placeholder="Ask about specs or devices, or type / for commands  (Enter sends, "
                                     "Shift+Enter new line)")
        self.commands = sorted(commands)
        self.sent: list[str] = []
        self._browse: int | None = None
        self._draft = ""
        self.on_typed: Callable[[], None] | None = None
        """Called after each key the box handled (the app lets a streamed answer wait for its echo)."""

    # -- completion ------------------------------------------------------------------------
    def matches(self) -> list[str]:
        """Slash commands the current text could be the start of."""
        text = self.text
        if not text.startswith("/") or " " in text or "\n" in text:
            return []
        return [c for c in self.commands if c.startswith(text)]

    def update_suggestion(self) -> None:
        found = self.matches()
        self.suggestion = found[0][len(self.text):] if len(found) >= 1 and self.cursor_at_end_of_text else ""

    # -- keys ------------------------------------------------------------------------------
    async def _on_key(self, event: events.Key) -> None:
        key = event.key
        if key == "enter":
            event.stop()
            event.prevent_default()
            self._submit()
            return
        if key in ("shift+enter", "ctrl+j", "newline"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if key in self._PAGE_KEYS or (key in ("home", "end") and not self.text):
            # an empty box has no cursor to move: Home/End go to the conversation's top/end
            event.stop()
            event.prevent_default()
            self.post_message(self.ScrollRequested(self._PAGE_KEYS.get(key, key)))
            return
        if key == "ctrl+d" and not self.text:
            event.stop()
            event.prevent_default()
            self.post_message(self.EndOfInput())
            return
        if key == "tab" and self.suggestion:
            event.stop()
            event.prevent_default()
            self.insert(self.suggestion + " ")
            return
        if key == "up" and self.cursor_location[0] == 0 and self.sent:
            event.stop()
            event.prevent_default()
            self._walk(-1)
            return
        if key == "down" and self._browse is not None and self.cursor_location[0] == self.document.line_count - 1:
            event.stop()
            event.prevent_default()
            self._walk(+1)
            return
        await super()._on_key(event)
        if self.on_typed is not None:
            self.on_typed()

    # -- paste -----------------------------------------------------------------------------
    async def _on_paste(self, event: events.Paste) -> None:
        """A paste (a terminal's bracketed paste) goes in with its secrets redacted: a pasted
        configuration's keys never show on screen, in the history Up recalls, or anywhere the
        question goes next. Typed text is left alone (the library redacts what it stores)."""
        event.stop()
        event.prevent_default()
        self._paste(event.text)

    def action_paste(self) -> None:
        self._paste(self.app.clipboard)

    def _paste(self, text: str) -> None:
        if self.read_only or not text:
            return
        from netops.privacy import redact_text

        clean = redact_text(text) or ""
        if result := self._replace_via_keyboard(clean, *self.selection):
            self.move_cursor(result.end_location)
            self.focus()
        if clean != text:
            self.post_message(self.Redacted(clean.count("<redacted>") - text.count("<redacted>")))

    def _walk(self, step: int) -> None:
        if self._browse is None:
            self._draft = self.text
            self._browse = len(self.sent)
        self._browse = max(0, self._browse + step)
        if self._browse >= len(self.sent):
            self._browse = None
            self.load_text(self._draft)
        else:
            self.load_text(self.sent[self._browse])
        self.move_cursor(self.document.end)

    def _submit(self) -> None:
        text = self.text.strip()
        if not text:
            return
        if not self.sent or self.sent[-1] != text:
            self.sent.append(text)
        self._browse = None
        self.load_text("")
        self.post_message(self.Submitted(self, text))
