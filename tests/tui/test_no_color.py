"""NO_COLOR in a real terminal: Textual turns every colour to grey, so what the chat says with
colour alone must still read. tmux shows the approval modal of a high-risk plan with a failed
precheck, a removed line and a reviewer's block; capture-pane -e gives each cell's colours."""

from __future__ import annotations

import re

import pytest

from tests.tui.terminal import TmuxChat, needs_tmux

pytestmark = needs_tmux

_MODAL = """
import dataclasses
from netops.agent.reviewer import Verdict
from netops.settings import load_settings
from netops.tui.screens.approval import ApprovalScreen
from tests.tui.demo import DemoChat, plan

class Shown(DemoChat):
    async def on_mount(self):
        await super().on_mount()
        p, _ = plan()
        p.risk = 'high'
        hp = p.host_plans['r1']
        hp.prechecks[1] = dataclasses.replace(hp.prechecks[1], ok=False)
        self.push_screen(ApprovalScreen(p, Verdict('block', ['r1 has no other BGP neighbour'], ['rules'])))

Shown(load_settings()).run()
"""


_ERROR = """
from netops.settings import load_settings
from netops.tui.widgets.answer import AnswerView
from tests.tui.demo import DemoChat

class Shown(DemoChat):
    async def on_mount(self):
        await super().on_mount()
        await self.query(AnswerView).last().note('the model server closed the connection', 'error')
        await self.query(AnswerView).last().note('cancelled with Escape', 'warning')
        self.conversation.scroll_end(animate=False)

Shown(load_settings()).run()
"""


def _grey(n: int) -> int:
    """Luminance (0-255) of a 256-colour index."""
    if n >= 232:
        return 8 + 10 * (n - 232)
    if n >= 16:
        r, g, b = ((n - 16) // 36, (n - 16) // 6 % 6, (n - 16) % 6)
        r, g, b = (0 if c == 0 else 55 + 40 * c for c in (r, g, b))
        return int(0.299 * r + 0.587 * g + 0.114 * b)
    basic = [0, 128, 0, 128, 0, 128, 0, 192, 128, 255, 0, 255, 0, 255, 0, 255]  # red-ish channel only
    return basic[n]


def cells(pane: str) -> list[list[tuple[str, int, int]]]:
    """Each row of a ``capture-pane -e`` screen as (character, foreground, background) lumas;
    reverse video is applied, the default colours read as light on dark."""
    rows = []
    for line in pane.splitlines():
        fg, bg, rev, row = 230, 20, False, []
        for esc, ch in re.findall(r"(\x1b\[[0-9;]*m)|(.)", line):
            if ch:
                row.append((ch, bg, fg) if rev else (ch, fg, bg))
                continue
            codes = [int(c) if c else 0 for c in esc[2:-1].split(";")]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                    if c == 38:
                        fg = _grey(codes[i + 2])
                    else:
                        bg = _grey(codes[i + 2])
                    i += 3
                    continue
                if c == 0:
                    fg, bg, rev = 230, 20, False
                elif c == 7:
                    rev = True
                elif c == 27:
                    rev = False
                elif c == 39:
                    fg = 230
                elif c == 49:
                    bg = 20
                i += 1
        rows.append(row)
    return rows


def contrast_of(rows: list[list[tuple[str, int, int]]], text: str) -> int:
    """The lowest foreground/background difference over the letters of ``text`` on screen."""
    for row in rows:
        line = "".join(c for c, _, _ in row)
        at = line.find(text)
        if at >= 0:
            return min(abs(fg - bg) for c, fg, bg in row[at:at + len(text)] if not c.isspace())
    raise AssertionError(f"{text!r} is not on screen")


def test_the_approval_reads_without_colour(tmp_path):
    """Under NO_COLOR 'risk: high' was grey 237 on grey 235 (Rich's red turned to grey), as were
    the FAILED precheck, the removed diff line and 'reviewer: BLOCKED': the words that decide an
    approval were nearly invisible. They must stand out as much as the modal's body text."""
    script = tmp_path / "modal.py"
    script.write_text(_MODAL)
    with TmuxChat(tmp_path, size=(110, 40), env={"NO_COLOR": "1", "NETOPS_HOME": str(tmp_path / "home")},
                  program=(str(script),)) as chat:
        chat.wait(lambda p: "reviewer: BLOCKED" in p and "Deny" in p, what="the approval modal")
        pane = chat.pane(escapes=True)
    rows = cells(pane)
    body = contrast_of(rows, "commands:")
    assert body >= 120, f"the body text itself is faint ({body}): the measure is wrong"
    for words in ("risk: high", "FAILED", "- neighbor 198.51.100.2 timers", "+ neighbor 198.51.100.2 shutdown",
                  "reviewer: BLOCKED"):
        seen = contrast_of(rows, words)
        assert seen >= body // 2, f"{words!r}: contrast {seen} under NO_COLOR (body text {body})"


def test_errors_warnings_and_citations_read_without_colour(tmp_path):
    """An answer's error line was $error turned grey: contrast 68 against 198 for the text around
    it in tmux (the 'error:' word said it, but faintly). Errors, warnings and citations read
    at least half as well as the answer's text, and say what they are in words."""
    script = tmp_path / "error.py"
    script.write_text(_ERROR)
    with TmuxChat(tmp_path, size=(110, 40), env={"NO_COLOR": "1", "NETOPS_HOME": str(tmp_path / "home")},
                  program=(str(script),)) as chat:
        chat.wait(lambda p: "server closed" in p, what="the error line")
        pane = chat.pane(escapes=True)
    rows = cells(pane)
    body = contrast_of(rows, "RFC 4271 says")
    assert body >= 120, f"the body text itself is faint ({body}): the measure is wrong"
    for words in ("error: the model server closed", "! cancelled with Escape", "[1] r1: show bgp summary json",
                  "[2] RFC 4271"):
        seen = contrast_of(rows, words)
        assert seen >= body // 2, f"{words!r}: contrast {seen} under NO_COLOR (body text {body})"
