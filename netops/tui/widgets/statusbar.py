"""The top line: what answers (agent with model, or offline), the conversation, what runs."""

from __future__ import annotations

from rich.markup import escape
from textual.widgets import Static


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { dock: top; height: 1; background: $primary 30%; color: $text; padding: 0 1; }
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
        mode = f"agent · {self.model or '…'}" if self.mode == "agent" else "offline (no model)"
        conv = f"conversation {self.conversation}" if self.conversation else "new conversation"
        # what runs comes before the conversation id: a narrow terminal cuts the end of the line
        act = f"{self.activity} · " if self.activity else ""
        self.update(f"[b]netops chat[/b] · {escape(mode)} · {escape(act)}{escape(conv)}")

    def on_mount(self) -> None:
        self.set()
