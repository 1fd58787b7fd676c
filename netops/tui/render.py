"""Rich renderables shared by widgets and screens: plans, diffs, verdicts, answers' headers."""

from __future__ import annotations

import re

from typing import Any

from rich.console import Group
from rich.text import Text

VERDICT_STYLE = {"ok": "green", "warn": "yellow", "block": "bold red"}
MONO = {"bold red": "bold reverse", "red": "bold", "yellow": "bold", "green": "", "cyan": ""}
"""The same emphasis without colour (NO_COLOR): Textual greys every colour by its luminance, and
Rich's red became grey 237 on the modal's grey 235 ('risk: high' nearly invisible)."""


def styled(style: str, color: bool) -> str:
    """``style``, or its colourless stand-in when colour is off."""
    return style if color else MONO.get(style, style)


def diff_text(diff: str, *, color: bool = True) -> Text:
    """A unified diff, coloured by line (+ green, - red, @@ cyan); readable without colour too."""
    out = Text()
    for line in diff.splitlines():
        style = ""
        if line.startswith("+") and not line.startswith("+++"):
            style = styled("green", color)
        elif line.startswith("-") and not line.startswith("---"):
            style = styled("red", color)
        elif line.startswith("@@"):
            style = styled("cyan", color)
        elif line.startswith(("+++", "---")):
            style = "bold"
        out.append(line + "\n", style=style)
    out.rstrip()
    return out


def verdict_text(verdict: Any, *, color: bool = True) -> Text:
    level = getattr(verdict, "level", "ok")
    findings = list(getattr(verdict, "findings", []) or [])
    head = {"ok": "reviewer: no objections", "warn": "reviewer: WARNING", "block": "reviewer: BLOCKED"}.get(
        level, f"reviewer: {level}")
    text = Text(head, style=styled(VERDICT_STYLE.get(level, ""), color))
    for f in findings:
        text.append(f"\n  - {f}")
    return text


def plan_renderable(plan: Any, verdict: Any = None, *, color: bool = True) -> Group:
    """Everything a person needs to decide: playbook and version, risk, targets, per-host
    prechecks, rendered commands, predicted diff, and the reviewer's verdict. ``color`` False
    (NO_COLOR): emphasis by bold and reverse video only."""
    parts: list[Any] = []
    head = Text()
    head.append(f"{plan.playbook} v{plan.version}", style="bold")
    head.append(f"   risk: {plan.risk}", style=styled({"high": "bold red", "medium": "yellow"}.get(plan.risk, "green"),
                                                         color))
    head.append(f"   targets: {', '.join(plan.hosts)}")
    parts.append(head)
    if getattr(plan, "description", ""):
        parts.append(Text(plan.description, style="dim"))
    from netops.devices.redact import redact_data, redact_lines

    if plan.params:  # a screen shows no secret: the parameters and commands come redacted
        parts.append(Text("parameters: " + ", ".join(f"{k}={v}" for k, v in redact_data(plan.params).items())))
    for host, hp in plan.host_plans.items():
        parts.append(Text(f"\n{host} ({hp.platform})", style="bold underline"))
        if hp.error:
            parts.append(Text(f"  error: {hp.error}", style=styled("red", color)))
        for c in hp.prechecks:
            parts.append(Text(f"  precheck {c.name}: " + ("ok" if c.ok else "FAILED"),
                              style=styled("green" if c.ok else "bold red", color)))
        if hp.commands:
            parts.append(Text("  commands:", style="bold"))
            parts.append(Text("\n".join(f"    {cmd}" for cmd in redact_lines(hp.commands, hp.platform))))
        if hp.diff:
            parts.append(Text("  predicted running-config diff:", style="bold"))
            parts.append(diff_text(hp.diff, color=color))
        elif hp.diff_note:
            parts.append(Text(f"  diff: {hp.diff_note}", style="dim"))
    checks = getattr(plan, "verification", None) or []
    if checks:  # what "post-checks" in the approve line will check
        parts.append(Text("\nverified after the change by (a failure rolls the host back):", style="bold"))
        parts.append(Text("\n".join(f"  postcheck {c}" for c in checks)))
    for w in getattr(plan, "warnings", None) or []:  # a steady post-check that fails already
        parts.append(Text(f"warning: {w}", style=styled("yellow", color)))
    if verdict is not None:
        parts.append(Text(""))
        parts.append(verdict_text(verdict, color=color))
    return Group(*parts)


def mode_line(mode: str, model: str | None, notice: str | None = None) -> str:
    """``agent · qwen2.5:7b-instruct`` or ``offline (no model)``, plus the notice."""
    if mode == "command":
        return "command" + (f" · {notice}" if notice else "")
    text = f"agent · {model}" if mode == "agent" else "offline (no language model)"
    return text + (f" · {notice}" if notice else "")


_CANCEL_HEAD = re.compile(r"\A\*\*(?:PARTIAL ANSWER \(cancelled\)|Cancelled):\*\*[^\n]*\n*")
"""The library's first line of a cancelled answer (``**PARTIAL ANSWER (cancelled):** reason``)."""


def shown_text(answer: Any) -> str:
    """The answer's text as the chat shows it: a cancelled one without the library's first line
    saying so (:func:`netops.tui.widgets.answer.partial_line` says it once, under the text that had
    arrived); one with no evidence without the library's closing line saying so (the evidence
    list under it, and the export, say it once)."""
    from netops.agent.prompts import NO_EVIDENCE

    text = getattr(answer, "text", "") or ""
    if not getattr(answer, "evidence", None):
        text = re.sub(rf"\n*_{re.escape(NO_EVIDENCE)}_\s*\Z", "", text)
    return _CANCEL_HEAD.sub("", text, count=1) if getattr(answer, "cancelled", False) else text


# -- an answer's Markdown ---------------------------------------------------------------------
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def markdown_blocks(text: str) -> list[tuple[int, str]]:
    """The top-level blocks of ``text`` (a paragraph, a list, a table, a fence...) as
    ``(character offset, source)``, parsed as they are drawn (:func:`netops.markdown.parser`)."""
    from netops.markdown import parser

    # lines as markdown-it counts them ('\r\n', a lone '\r' and '\n' each end one)
    pieces = _LINE_BREAK.split(text)
    starts = [0]
    for line, brk in zip(pieces[0::2], [*pieces[1::2], ""]):
        starts.append(starts[-1] + len(line) + len(brk))
    blocks = []
    for token in parser().parse(text):
        if token.level == 0 and token.nesting >= 0 and token.map:
            first, last = (min(n, len(starts) - 1) for n in token.map)
            blocks.append((starts[first], text[starts[first]:starts[last]].rstrip("\r\n")))
    return blocks


MEASURE = 100
"""Columns the answer's prose is wrapped at however wide the terminal: at 250 columns a paragraph
ran the whole width, hard to read. Tables and code (device output) still take the width they need."""

_WIDE = ("table_open", "fence", "code_block")


def _wide(block: str) -> bool:
    """Whether a block is a table or code (drawn at the full width), not prose."""
    from netops.markdown import parser

    return any(t.level == 0 and t.type in _WIDE for t in parser().parse(block))


class AnswerMarkdown:
    """Markdown blocks drawn one after another, a blank line apart: the same lines whether the
    blocks are drawn together (an answer that is complete or resumed) or one per widget (an
    answer arriving: a finished block is drawn once, only the last one again as text arrives).
    ``first``: the first block starts the answer (no blank line above it). Prose is wrapped at
    :data:`MEASURE` columns at most; tables and code take the whole width."""

    def __init__(self, blocks: list[str], *, first: bool = True) -> None:
        self.blocks = blocks
        self.first = first
        self.wide = [_wide(block) for block in blocks]

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment

        from netops.markdown import rich_markdown

        options = options.update(height=None)  # a block's own lines, not padded to the widget's height
        prose = options.update(width=min(options.max_width, MEASURE))
        for n, block in enumerate(self.blocks):
            lines = console.render_lines(rich_markdown(block, code_theme="ansi_dark", hyperlinks=False),
                                         options if self.wide[n] else prose, pad=False, new_lines=False)
            # Rich starts a list, a table or a quote with an empty line when it is drawn alone
            while lines and not any(seg.text for seg in lines[0]):
                lines.pop(0)
            while lines and not any(seg.text for seg in lines[-1]):
                lines.pop()
            if not lines:
                continue
            if n or not self.first:
                yield Segment.line()
            for line in lines:
                yield from line
                yield Segment.line()


class MarkdownBlockStream:
    """Streamed answer text cut into top-level blocks as it arrives: every block but the last
    is complete (what follows cannot change it); the last one grows."""

    def __init__(self) -> None:
        self.text = ""
        self._tail_at = 0

    def feed(self, fragment: str) -> list[str]:
        """Add text; return the blocks it completed (in order)."""
        self.text += fragment
        # complete lines only: a line still arriving may yet change what came before it ("3"
        # after a list starts a paragraph, "3. b" goes on with the list)
        blocks = markdown_blocks(self.text[self._tail_at:max(self.text.rfind("\n"), self.text.rfind("\r")) + 1])
        if len(blocks) < 2:
            return []
        self._tail_at += blocks[-1][0]
        return [source for _, source in blocks[:-1]]

    @property
    def tail(self) -> list[str]:
        """The block still growing (none before any text)."""
        return [source for _, source in markdown_blocks(self.text[self._tail_at:])]
