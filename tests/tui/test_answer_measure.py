"""At 250+ columns an answer's prose ran the whole width of the terminal: lines of 240 characters
are hard to read. Prose is wrapped at a readable measure (``render.MEASURE``); tables and code
(device output) still take the width they need."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from netops.tui.render import MEASURE
from tests.tui.demo import DemoChat

pytestmark = pytest.mark.asyncio

PROSE = "r1 has one BGP neighbour, 198.51.100.2, established for three days and carrying three prefixes. " * 5
ROW = "| 198.51.100.2 | 65002 | Established | 3 | " + "transit-to-the-upstream-provider-" * 5 + " |"
TEXT = (f"{PROSE}\n\n| peer | AS | state | prefixes | description |\n|---|---|---|---|---|\n{ROW}\n\n"
        "- " + "the session has been up since the last maintenance window and nothing changed " * 3 + "\n\n"
        "```\n" + "show bgp summary json " * 10 + "\n```\n")


class WideAnswer(DemoChat):
    async def on_mount(self) -> None:  # type: ignore[override]
        from netops.assistant import Answer
        from netops.tui.widgets.answer import AnswerView

        await self._append(AnswerView(settled=Answer(question="bgp on r1?", text=TEXT, mode="offline")))


def _lines(widget) -> list[str]:
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))]


@pytest.mark.parametrize("width", [260, 320])
async def test_prose_keeps_a_readable_measure_and_tables_the_width(settings, width):
    app = WideAnswer(settings)
    async with app.run_test(size=(width, 60)) as pilot:
        await pilot.pause()
        body = app.query_one(".answer-body")
        assert body.size.width > 2 * MEASURE
        lines = _lines(body)
        prose = [ln for ln in lines if "BGP neighbour" in ln or "maintenance" in ln or "since the last" in ln]
        assert prose and max(len(ln) for ln in prose) <= MEASURE + 2, max(len(ln) for ln in prose)
        assert sum("BGP neighbour" in ln for ln in lines) >= 4  # wrapped, not cut: every sentence is there
        row = next(ln for ln in lines if "Established" in ln)
        assert len(row) > MEASURE + 40 and "transit-to-the-upstream-provider-" * 5 in row.replace(" ", "")
        code = next(ln for ln in lines if "show bgp summary json" in ln)
        assert code.count("show bgp summary json") == 10  # device output on one line, as the device wrote it


async def test_a_narrow_terminal_still_uses_its_whole_width(settings):
    app = WideAnswer(settings)
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        body = app.query_one(".answer-body")
        prose = [ln for ln in _lines(body) if "BGP neighbour" in ln]
        assert max(len(ln) for ln in prose) >= body.size.width - 8
