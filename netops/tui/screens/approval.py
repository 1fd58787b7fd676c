"""The approval modal: the whole plan, the coloured diff and the reviewer's verdict, with
explicit keys. Nothing is pre-selected that approves: Enter on the default focus denies,
Escape denies, and a reviewer block cannot be approved from here.

The modal can open while the person is typing their next question, so a letter decides only
when it comes after a pause (:attr:`ApprovalScreen.APPROVE_AFTER`): keys typed ahead for the
prompt ("and then ...") neither approve nor deny. Escape denies at once.

A letter decides only on its own: it takes effect :attr:`ApprovalScreen.SETTLE` seconds later, or at
once with Enter ("y" Enter), and another key in between makes it the start of a word ("abort",
"yes do it", "nope"): nothing is decided and the modal says so (before, "abort" approved and the
rest of the word went into the prompt). A letter that is no answer ("ok") is said to be none."""

from __future__ import annotations

import time
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from netops.tui.render import plan_renderable
from netops.tui.widgets.footer import KeyFooter


class ApprovalScreen(ModalScreen[bool]):
    """Dismisses with True only on an explicit approve (``a``/``y`` or the Approve button)."""

    AUTO_FOCUS = "#deny"
    """The screen's first focus goes straight to Deny (the default, the scrollable plan, would
    hold it for a moment before on_mount moves it)."""

    DEFAULT_CSS = """
    ApprovalScreen { align: center middle; }
    ApprovalScreen > Vertical {
        width: 90%; max-width: 120; height: 90%;
        border: thick $warning; background: $panel; padding: 0 1;
    }
    ApprovalScreen .approval-title { text-style: bold; color: $warning; padding: 0 0 1 0; }
    ApprovalScreen VerticalScroll { height: 1fr; }
    ApprovalScreen .approval-keys { color: $text-muted; padding: 1 0 0 0; }
    ApprovalScreen Horizontal { height: auto; align-horizontal: right; }
    ApprovalScreen Button { margin: 0 1; }
    ApprovalScreen.-compact > Vertical { width: 100%; height: 100%; max-width: 100%; padding: 0; }
    ApprovalScreen.-compact .approval-title { padding: 0; }
    ApprovalScreen.-compact .approval-keys { padding: 0; }
    ApprovalScreen.-compact VerticalScroll { min-height: 2; }
    """
    BINDINGS = [
        Binding("a,y", "approve", "Approve", id="approval.approve", key_display="a/y"),
        Binding("d,n,escape", "deny", "Deny", id="approval.deny", key_display="d/n/esc"),
        # read the whole plan without moving the focus off Deny (Tab would walk to Approve)
        Binding("down", "scroll_plan('down')", "Scroll", show=False),
        Binding("up", "scroll_plan('up')", "Scroll", show=False),
        Binding("pagedown", "scroll_plan('page_down')", "Page", show=False),
        Binding("pageup", "scroll_plan('page_up')", "Page", show=False),
        Binding("home", "scroll_plan('home')", "Top", show=False),
        Binding("end", "scroll_plan('end')", "End", show=False),
    ]

    COMPACT_BELOW = (60, 20)
    """Columns, rows below which the modal takes the whole screen with one-row buttons and a
    short key line: at 40x12 the padded layout left the buttons and the commands out of sight."""

    APPROVE_AFTER = 1.0
    """Seconds of quiet (since the modal opened and since the key before) a deciding key needs."""
    SETTLE = 0.5
    """Seconds a deciding letter waits for the next key: none (or Enter) and it decides; another
    key and it was the first letter of a word typed into the modal, and decides nothing."""
    _LETTERS = {"a": True, "y": True, "d": False, "n": False}
    clock = staticmethod(time.monotonic)
    """Where the screen reads the time for that (a test puts a clock it moves itself here)."""
    _DECIDING = frozenset({"a", "y", "d", "n", "enter", "space"})
    _READING = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})
    """The keys that scroll the plan: reading it, not typing ahead, so they start no burst (PageDown
    and then n 0.7 s later was held back as typed ahead, with the plan open for 9 s). One that arrives
    while keys are held back (as the plan opens) is typed ahead with them, and extends the burst."""

    def __init__(self, plan: Any, verdict: Any = None, summary: str = "") -> None:
        super().__init__()
        self._busy_until = self.clock() + self.APPROVE_AFTER
        """A deciding key before this is typed ahead, not a decision."""
        self._held = False
        """This burst's held keys were said (once a burst)."""
        self._opening = True
        """The burst under way is the one that came as the plan opened (said so), not a later one."""
        self.plan = plan
        self.verdict = verdict
        self.summary = summary
        self.blocked = getattr(verdict, "level", "ok") == "block"
        self._pending: tuple[str, bool] | None = None
        """A letter pressed and what it decides, waiting :attr:`SETTLE` for the next key."""
        self._pending_timer: Any = None
        self._said_no_answer = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Approve this change?  Nothing has been changed yet.", classes="approval-title")
            with VerticalScroll(id="approval-body"):
                body = (plan_renderable(self.plan, self.verdict, color=not self.app.no_color)
                        if self.plan is not None else self.summary)
                yield Static(body, id="approval-plan")
            yield Static(self._keys(compact=False), classes="approval-keys")
            with Horizontal():
                yield Button("Deny (d)", id="deny", variant="default")
                yield Button("Approve (a)", id="approve", variant="warning", disabled=self.blocked)
        yield KeyFooter()  # its own keys (the chat's footer under it said "esc Cancel")

    def _keys(self, *, compact: bool) -> str:
        if self.blocked:
            return ("BLOCKED by the reviewer: cannot be approved.  [b]d[/b]/[b]n[/b]/[b]Esc[/b] close" if compact else
                    "The reviewer BLOCKED this change; it cannot be approved here.   [b]d[/b] / [b]n[/b] / [b]Esc[/b] close")
        if compact:
            return "[b]a[/b]/[b]y[/b] approve  [b]d[/b]/[b]n[/b]/[b]Esc[/b] deny  [b]↑↓[/b] scroll"
        return ("[b]a[/b] / [b]y[/b] approve (applies, post-checks, rolls back on failure)   "
                "[b]d[/b] / [b]n[/b] / [b]Esc[/b] deny   [b]↑↓ PgUp PgDn[/b] scroll")

    def on_mount(self) -> None:
        self._busy_until = self.clock() + self.APPROVE_AFTER
        self._fit(self.app.size.width, self.app.size.height)
        for deny in self.query("#deny"):
            deny.focus()

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """A small terminal gets the compact layout (whole screen, one-row buttons, short keys)."""
        compact = width < self.COMPACT_BELOW[0] or height < self.COMPACT_BELOW[1]
        self.set_class(compact, "-compact")
        for button in self.query(Button):
            button.compact = compact
        for keys in self.query(".approval-keys"):
            keys.update(self._keys(compact=compact))  # type: ignore[attr-defined]

    def on_key(self, event: Any) -> None:
        """Runs before the key's binding: a key in a burst holds deciding keys back, and is
        itself held back if it would decide. Escape and the scroll keys start no burst (a scroll key
        in a burst extends it)."""
        now = self.clock()
        if self._pending is not None and self._after_letter(event):
            return
        typed_ahead = now < self._busy_until
        if event.key != "escape" and (typed_ahead or event.key not in self._READING):
            if not typed_ahead:  # a new burst, long after the plan opened
                self._opening, self._held = False, False
            self._busy_until = max(self._busy_until, now + self.APPROVE_AFTER)
        if typed_ahead and event.key in self._DECIDING:
            event.stop()
            event.prevent_default()
            if not self._held:
                self._held = True
                self.notify("Keys arrived as the plan opened: nothing decided. Read the plan, then press a/y or d/n."
                            if self._opening else
                            "Keys arrived in a quick burst (typed ahead?): nothing decided. Pause, then press a/y "
                            "or d/n.", severity="warning", timeout=6)
            return
        if event.key in self._LETTERS and not (self.blocked and self._LETTERS[event.key]):
            # a letter decides once it stands alone (SETTLE), not as a word's first letter
            event.stop()
            event.prevent_default()
            self._pending = (event.key, self._LETTERS[event.key])
            self._pending_timer = self.set_timer(self.SETTLE, self._settle)
        elif event.is_printable and event.key not in self._DECIDING and not self._said_no_answer and not typed_ahead:
            self._said_no_answer = True
            self.notify(f"'{event.character}' is not an answer here: a or y approves, d, n or Esc denies.",
                        severity="warning", timeout=6)

    def _after_letter(self, event: Any) -> bool:
        """The key after a pending letter: Enter confirms it; Escape denies (its binding runs); any
        other key makes the letter the start of a word, and nothing is decided. True: handled."""
        letter, approve = self._pending  # type: ignore[misc]
        self._forget()
        if event.key == "escape":
            return False
        event.stop()
        event.prevent_default()
        if event.key == "enter":
            self._decide(approve)
            return True
        self._busy_until = max(self._busy_until, self.clock() + self.APPROVE_AFTER)
        self._held, self._opening = True, False  # said here; the rest of the word is held back unsaid
        typed = letter + (event.character if event.is_printable and event.character else "")
        self.notify(f"'{typed}…' looks like a word typed into the approval: nothing decided. Press a or y on its "
                    "own to approve, d, n or Esc to deny.", severity="warning", timeout=8)
        return True

    def on_paste(self, event: Any) -> None:
        """Pasted text (a terminal's bracketed paste: one event, no keys) decides nothing, and a
        letter pending before it was the start of what came after it: nothing is decided (review35:
        "y" then a paste approved once SETTLE ran out)."""
        event.stop()
        self.hold()
        self.notify("Text pasted into the approval: nothing decided. Press a or y on its own to approve, d, n or "
                    "Esc to deny.", severity="warning", timeout=8)

    def hold(self) -> None:
        """Forget a letter still waiting to settle, and hold deciding keys back a moment: what came
        after the letter (a paste, Ctrl+Z to the shell) shows it was not an answer on its own."""
        self._forget()
        self._busy_until = max(self._busy_until, self.clock() + self.APPROVE_AFTER)

    def _forget(self) -> None:
        """No letter waiting to settle any more (its timer stopped)."""
        self._pending = None
        if self._pending_timer is not None:
            self._pending_timer.stop()

    def _settle(self) -> None:
        if self._pending is not None and self.is_current:  # (not if the plan was answered elsewhere meanwhile)
            _, approve = self._pending
            self._pending = None
            self._decide(approve)

    def _decide(self, approve: bool) -> None:
        if approve:
            self.action_approve()
        else:
            self.action_deny()

    def action_scroll_plan(self, where: str) -> None:
        body = self.query_one("#approval-body", VerticalScroll)
        getattr(body, f"scroll_{where}")(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A blocked plan offers no approve key (the footer leaves it out)."""
        return not (action == "approve" and self.blocked)

    def action_approve(self) -> None:
        if not self.blocked:
            self.dismiss(True)

    def action_deny(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "approve":
            self.action_approve()
        else:
            self.action_deny()
