"""Plain entries in the conversation: what the person asked, and one-line notices."""

from __future__ import annotations

from rich.markup import escape
from textual.widgets import Static


class UserMessage(Static):
    """A question (or slash command) as the person typed it, with its secrets redacted as the
    library redacts what it stores and sends (a typed ``neighbor X password Y`` too)."""

    DEFAULT_CSS = """
    UserMessage {
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: thick $accent;
        background: $boost;
        color: $text;
    }
    """

    def __init__(self, text: str) -> None:
        from netops.privacy import redact_text

        text = redact_text(text) or ""
        super().__init__(f"[b]you[/b]  {escape(text)}")
        self.text = text


class Notice(Static):
    """One line: a mode change, an error, a hint. ``level`` is info, warning or error."""

    DEFAULT_CSS = """
    Notice { padding: 0 1; color: $text-muted; }
    Notice.-warning { color: $warning; }
    Notice.-error { color: $error; }
    """

    PREFIX = {"info": "·", "warning": "!", "error": "error:"}

    def __init__(self, text: str, level: str = "info") -> None:
        super().__init__(f"{self.PREFIX.get(level, '·')} {escape(text)}", classes=f"-{level}")
        self.text = text
        self.level = level
