"""The evidence viewer: the cited passage (document, section, heading, page and its text), the
device output (host, command, time), or netops' parse of it (a getter's result, as JSON), titled
by which it is. ``c`` copies it, Escape closes."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from netops.tui.widgets.footer import KeyFooter


class EvidenceScreen(ModalScreen[None]):
    """Shows one piece of evidence; the text is looked up in a worker (never blocks)."""

    DEFAULT_CSS = """
    EvidenceScreen { align: center middle; }
    EvidenceScreen > Vertical {
        width: 90%; max-width: 120; height: 85%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    EvidenceScreen .evidence-title { text-style: bold; }
    EvidenceScreen .evidence-meta { color: $text-muted; padding: 0 0 1 0; }
    EvidenceScreen TextArea { height: 1fr; scrollbar-size-vertical: 1; }
    EvidenceScreen .evidence-keys { color: $text-muted; }
    EvidenceScreen.-narrow > Vertical { width: 100%; max-width: 100%; height: 100%; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="evidence.close", key_display="esc"),
        Binding("c", "copy", "Copy", id="evidence.copy"),
    ]

    NARROW_BELOW = 90
    """Columns below which the viewer takes the whole screen: RFC text is wrapped at 72 columns,
    and at 80 the framed box (about 62 wide) broke every line of a passage in two."""

    def __init__(self, evidence: Any, lookup: Any) -> None:
        """``lookup(evidence) -> (title, meta lines, text)`` (a :class:`netops.tui.lookup.Detail`),
        called in a thread worker; the title says what the text is."""
        super().__init__()
        self.evidence = evidence
        self._lookup = lookup
        self.text = ""

    def compose(self) -> ComposeResult:
        from netops.agent.evidence import kind_title

        kind = getattr(self.evidence, "kind", "spec")
        with Vertical():
            # a device's evidence is its output or netops' parse of it: said once the lookup knows
            yield Static(f"{kind_title(kind)}: "
                         f"{escape(self.evidence.label)}", id="evidence-title", classes="evidence-title")
            yield Static("looking it up...", id="evidence-meta", classes="evidence-meta")
            # compact: no frame (two columns the text needs at 80)
            yield TextArea("", id="evidence-text", read_only=True, soft_wrap=True, show_line_numbers=False,
                           compact=True)
            yield Static("[b]c[/b] copy   [b]Esc[/b] close", classes="evidence-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < self.NARROW_BELOW, "-narrow")
        self._load()

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < self.NARROW_BELOW, "-narrow")

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        try:
            title, meta, text = self._lookup(self.evidence)
        except Exception as exc:  # a missing index or device log is shown, not raised
            title, meta, text = "", [f"cannot show this evidence: {getattr(exc, 'message', None) or exc}"], ""
        self.app.call_from_thread(self._show, title, meta, text)

    def _show(self, title: str, meta: list[str], text: str) -> None:
        self.text = text
        if title:
            self.query_one("#evidence-title", Static).update(f"{escape(title)}: {escape(self.evidence.label)}")
        self.query_one("#evidence-meta", Static).update(escape("\n".join(meta)))
        area = self.query_one("#evidence-text", TextArea)
        area.load_text(text)
        area.focus()

    def action_copy(self) -> None:
        if self.text:
            self.app.copy_to_clipboard(self.text)
            # OSC 52 is silent when the terminal ignores it (tmux does unless set-clipboard is on)
            self.notify(f"copied {len(self.text)} characters to the clipboard (OSC 52); if nothing "
                        "arrives there, select the text with the mouse (Shift+drag in most terminals)")

    def action_close(self) -> None:
        self.dismiss(None)
