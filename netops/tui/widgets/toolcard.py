"""A tool call as a card: tool, arguments, duration, ok/failed and a one-line summary;
expanding it shows the (already redacted) output."""

from __future__ import annotations

import json
import re
from typing import Any

from textual.widgets import Collapsible, Static

_DATA_BLOCK = re.compile(r'(?:^\[(?P<n>\d+)\]\n)?<data source="(?P<source>[^"]*)">\n(?P<body>.*?)(?:\n</data>$|\Z)',
                         re.S | re.M)  # a block cut by the tool-output budget has no closing tag


def _indented(text: str) -> str:
    """JSON (a getter's parse, one line as the model read it) indented; any other text as it is."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(stripped), indent=2, ensure_ascii=False)
        except ValueError:
            pass
    return text


def readable_output(output: str) -> str:
    """What a tool returned as a person reads it: the model's ``<data source=...>`` wrapping (for
    the model: untrusted data) becomes a heading line with the source (and the number the answer
    cites it by), JSON is indented; device text stays as the device printed it."""
    if "<data source=" not in output:
        return _indented(output)

    def block(m: re.Match[str]) -> str:
        body = m["body"].removeprefix(f"cite as: {m['source']}\n")  # the model's cue: the heading says it
        return ("" if m.start() == 0 else "\n") + (f"[{m['n']}] " if m["n"] else "") + f"{m['source']}\n{_indented(body)}"

    return _DATA_BLOCK.sub(block, output)


def _args_text(args: dict[str, Any]) -> str:
    parts = []
    for k, v in args.items():
        shown = v if isinstance(v, str) else json.dumps(v, default=str)
        parts.append(f"{k}={shown}")
    text = " ".join(parts)
    return text if len(text) <= 90 else text[:87] + "..."


class ToolCard(Collapsible):
    """Starts as "running"; :meth:`finish` fills in the outcome from a ToolCallRecord."""

    DEFAULT_CSS = """
    ToolCard {
        margin: 0 0 0 2;
        padding: 0;
        border: none;
        border-left: wide $secondary 50%;
        background: $surface;
        height: auto;
    }
    ToolCard.-failed { border-left: wide $error; }
    ToolCard.-ok { border-left: wide $success 60%; }
    ToolCard.-cancelled { border-left: wide $warning; }
    ToolCard Contents { padding: 0 1 0 2; }
    ToolCard .tool-output { color: $text-muted; }
    """

    def __init__(self, tool: str, args: dict[str, Any], call_id: str = "") -> None:
        self.tool = tool
        self.args = dict(args)
        self.call_id = call_id
        self.record: Any = None
        self._body = Static("(running...)", classes="tool-output", markup=False)
        super().__init__(self._body, title="", collapsed=True)  # the title is set as text, below
        self.title = self._heading("…", "running")

    def _heading(self, mark: str, status: str) -> str:
        return f"{mark} {self.tool} {_args_text(self.args)} · {status}"

    def _watch_title(self, title: str) -> None:
        # literal text, never markup: the tool name and arguments are the model's and the status
        # quotes the device ("x[/]" was a MarkupError and the card was never shown; "[@click=...]"
        # put an action on it, "[#000 on #000]" hid text)
        from textual.content import Content

        self._title.label = Content(title)

    @property
    def ok(self) -> bool | None:
        return None if self.record is None else bool(self.record.ok)

    def finish(self, record: Any) -> None:
        """Show the outcome: duration, ok/failed, the summary; the body gets the output."""
        self.record = record
        ok = bool(record.ok)
        summary = getattr(record, "summary", None) or (record.error if not ok else "") or ""
        cancelled = not ok and bool(getattr(record, "cancelled", False))
        status = f"{'ok' if ok else 'cancelled' if cancelled else 'FAILED'} {record.elapsed:.2f}s"
        if summary and not cancelled:
            status += f" · {summary.splitlines()[0][:100]}"
        self.title = self._heading("✓" if ok else "⊘" if cancelled else "✗", status)
        self.add_class("-ok" if ok else "-cancelled" if cancelled else "-failed")
        output = getattr(record, "output", None)
        body = [f"arguments: {json.dumps(record.args, default=str)}"]
        if record.error:
            body.append(f"error: {record.error}")
        if getattr(record, "evidence", None):
            numbers = getattr(record, "numbers", None) or {}  # as the answer's text and evidence list cite them
            body.append("evidence: " + "; ".join(f"[{numbers[e]}] {e}" if e in numbers else e for e in record.evidence))
        if output:
            body.append(readable_output(str(output)))
        elif ok and getattr(record, "evidence", None):
            body.append("(output not kept with the card: open it from the answer's evidence)")
        elif ok:
            body.append("(no output kept)")
        self._body.update("\n".join(body))
