"""The question box: multi-line, Enter sends, Shift+Enter / Ctrl+J add a line, Up/Down walk
the history, slash commands complete with Tab or Right. The editing keys of a shell line
(readline / emacs): Ctrl+A/E, Ctrl+B/F, Alt+B/F, Ctrl+K/U/W, Alt+D, Alt+Backspace, and Ctrl+Y
puts back what the last of those kills took out (redo when nothing was killed). PageUp/PageDown, Ctrl+Home/Ctrl+End (and Home/End
in an empty box) are asked of the conversation (:class:`PromptInput.ScrollRequested`), Ctrl+D on an empty box
asks to leave (:class:`PromptInput.EndOfInput`), as in a shell."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


class PromptInput(TextArea):
    """A :class:`TextArea` that sends on Enter and keeps a history of what was sent."""

    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        min-height: 3;
        max-height: 12;  /* MAX_ROWS; the app lowers it on a small screen */
        border: tall $accent 40%;
        padding: 0 1;
    }
    PromptInput:focus { border: tall $accent; }
    """

    MAX_ROWS = 12
    """Most rows the box grows to (with its border) before it scrolls."""

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
    BINDINGS = [
        Binding("ctrl+b", "cursor_left", "Left", show=False),
        Binding("ctrl+f", "cursor_right", "Right", show=False),
        Binding("alt+d", "delete_word_right", "Delete word right", show=False),
        Binding("ctrl+y", "yank", "Yank", show=False),
    ]
    """Readline keys Textual's TextArea lacks (Alt+D arrived as a typed 'd')."""
    _KILL_KEYS = frozenset({"ctrl+k", "ctrl+u", "ctrl+w", "ctrl+backspace", "alt+backspace", "alt+d"})
    EDIT_KEYS = _KILL_KEYS | frozenset({"backspace", "delete", "alt+delete", "ctrl+a", "ctrl+e", "ctrl+b", "ctrl+f",
                                        "ctrl+y"})
    """Keys that edit the text: typed while something else has the focus (Tab moved it to a
    citation), they are the box's, as a typed letter is (the chat sends them here)."""

    def __init__(self, commands: Sequence[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                         highlight_cursor_line=False, compact=True,
                         placeholder="Ask about specs or devices, or type / for commands  (Enter sends, "
                                     "Shift+Enter new line)")
        self.commands = sorted(commands)
        self.sent: list[str] = []
        self._added = False  # whether the last Enter added its text to ``sent``
        self._browse: int | None = None
        self._draft = ""
        self.on_typed: Callable[[], None] | None = None
        """Called after each key the box handled (the app lets a streamed answer wait for its echo)."""
        self.killed = ""
        """What the last kill (Ctrl+K/U/W, Alt+D, Alt+Backspace) took out: Ctrl+Y puts it back."""
        self._killing = False
        """The previous key was a kill too: the next one adds to :attr:`killed`, as in readline."""

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
        if key not in self._KILL_KEYS:
            self._killing = False
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
        action = self._key_actions().get(key) if key not in self._given_up else None
        if action is not None:
            # the box's own keys run here, in the order they came: left to the app (where Textual
            # runs a widget's bindings once the key has bubbled up to it), keys that arrive
            # together ran out of order - in 'abc', Ctrl+A, 'X' the X was typed before Ctrl+A moved
            event.stop()
            event.prevent_default()
            await self.run_action(action)
        elif key.startswith("alt+") and event.is_printable and event.character:
            # A terminal sends Alt+letter as ESC + letter, and Esc followed at once by a letter (a
            # quick typist, a script's send-keys) arrives the same way. An Alt+letter means nothing
            # here, so it is the latter: Esc (stop the answer) and the letter typed. Typing only the
            # letter lost the Esc; dropping it lost the letter too.
            event.stop()
            event.prevent_default()
            self.app.simulate_key("escape")
            if result := self._replace_via_keyboard(event.character, *self.selection):
                self.move_cursor(result.end_location)
        else:
            await super()._on_key(event)
        if self.on_typed is not None:
            self.on_typed()

    _given_up: frozenset[str] = frozenset()

    def give_up_keys(self, keys: Iterable[str]) -> None:
        """Keys the person bound to a chat action ([chat.keys]): they reach the chat's binding,
        not the box's own use of them (Ctrl+X, Cut here, was the README's cancel key and
        cancelled nothing; the footer did not show it either)."""
        self._given_up = frozenset(keys)
        bindings = self._bindings.copy()  # this box's own map: the class's is shared
        for key in self._given_up:
            bindings.key_to_bindings.pop(key, None)
        self._bindings = bindings
        self.app.refresh_bindings()

    @classmethod
    @functools.cache
    def _key_actions(cls) -> dict[str, str]:
        """Key -> action of the box's bindings (TextArea's and the readline ones above)."""
        found: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for binding in vars(klass).get("BINDINGS", ()):
                if isinstance(binding, Binding):
                    for key in binding.key.split(","):
                        found[key.strip()] = binding.action
        return found

    # -- kill and yank (readline) -----------------------------------------------------------
    def _kill(self, before: str, left: bool) -> None:
        """Keep what a deletion took out of ``before`` (consecutive kills add up)."""
        after = self.text
        if after == before:
            return
        head = 0
        while head < len(after) and after[head] == before[head]:
            head += 1
        tail = 0
        while tail < len(after) - head and after[-1 - tail] == before[-1 - tail]:
            tail += 1
        gone = before[head:len(before) - tail]
        if self._killing:
            self.killed = gone + self.killed if left else self.killed + gone
        else:
            self.killed = gone
        self._killing = True

    def action_delete_word_left(self) -> None:
        before = self.text
        super().action_delete_word_left()
        self._kill(before, left=True)

    def action_delete_word_right(self) -> None:
        before = self.text
        super().action_delete_word_right()
        self._kill(before, left=False)

    def action_delete_to_start_of_line(self) -> None:
        before = self.text
        super().action_delete_to_start_of_line()
        self._kill(before, left=True)

    async def action_delete_to_end_of_line_or_delete_line(self) -> None:
        before = self.text
        await super().action_delete_to_end_of_line_or_delete_line()
        self._kill(before, left=False)

    def cut_all(self) -> None:
        """Clear the box as a kill of its whole text (Ctrl+C with nothing running): Ctrl+Y puts
        it back, as after Ctrl+U."""
        self.killed, self._killing = self.text, False
        self.clear()

    def action_yank(self) -> None:
        """Ctrl+Y: put back the last killed text at the cursor (redo when nothing was killed)."""
        if not self.killed:
            self.redo()
            return
        self._killing = False
        if result := self._replace_via_keyboard(self.killed, *self.selection):
            self.move_cursor(result.end_location)

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

    def remember(self, earlier: Sequence[str]) -> None:
        """Questions asked before this run (a resumed conversation's), oldest first: Up recalls
        them after the ones typed here (after --continue, Up recalled nothing)."""
        merged: list[str] = []
        for text in [*earlier, *self.sent]:
            if text.strip() and (not merged or merged[-1] != text):
                merged.append(text)
        self.sent, self._browse = merged, None

    def unsend(self, text: str) -> None:
        """The last Enter's ``text`` was not sent (an answer was still running): out of the
        history again, if that Enter put it there."""
        if self._added and self.sent and self.sent[-1] == text:
            self.sent.pop()
        self._added = False

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

    def submit(self) -> None:
        """Send what is in the box, as Enter does."""
        self._submit()

    def _submit(self) -> None:
        text = self.text.strip()
        if not text:
            return
        self._added = not self.sent or self.sent[-1] != text
        if self._added:
            self.sent.append(text)
        self._browse = None
        self.load_text("")
        self.post_message(self.Submitted(self, text))
