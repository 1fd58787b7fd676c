"""F1: keys (with the binding ids the config file can override) and slash commands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from netops.tui.widgets.footer import KeyFooter


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 90%; max-width: 110; height: 90%; border: thick $accent; background: $panel; }
    """
    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="help.close", key_display="esc")]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(), VerticalScroll():
            yield Markdown(self.markdown)
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
