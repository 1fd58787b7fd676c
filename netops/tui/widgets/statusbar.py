"""The top line: what answers (agent with model, or offline), the conversation, what runs."""

from __future__ import annotations

from rich.markup import escape
from textual import events
from textual.widgets import Static


class StatusBar(Static):
    """One row. When it is too narrow for everything, the title goes first, then the
    conversation, then the model's name; what runs stays (cut with an ellipsis only when even
    it does not fit)."""

    DEFAULT_CSS = """
    StatusBar {
        dock: top; height: 1; background: $primary 30%; color: $text; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__("")
        self.mode = "agent"
        self.model = ""
        self.conversation = ""
        self.activity = ""

    def set(self, **values: str) -> None:
        for k, v in values.items():
            setattr(self, k, v or "")
        self.update(self.line(self.content_region.width if self.is_mounted else 0))

    def line(self, width: int) -> str:
        """The status as markup, the fullest version whose text fits ``width`` (0: any)."""
        mode = f"agent · {self.model or '…'}" if self.mode == "agent" else "offline (no model)"
        short = "agent" if self.mode == "agent" else "offline"
        conv = f"conversation {self.conversation}" if self.conversation else "new conversation"
        act = [self.activity] if self.activity else []
        versions = [["netops chat", mode, *act, conv], [mode, *act, conv], [mode, *act], [short, *act]]
        if act:
            versions.append(act)
        for parts in versions:
            if not width or len(" · ".join(parts)) <= width:
                break
        text = " · ".join(escape(p) for p in parts)
        return text.replace("netops chat", "[b]netops chat[/b]", 1) if parts[0] == "netops chat" else text

    def on_mount(self) -> None:
        self.set()

    def on_resize(self, event: events.Resize) -> None:
        self.set()
