"""A change's progress table at 80 columns: every step's name, the host and the outcome whole.
Seen in tmux at 80x24: the headers read "prech…  snaps…  postc…  rollb…  outco…"."""

from __future__ import annotations

import pytest

from tests.tui.test_widgets import One


async def _rendered(width: int) -> str:
    """The table as the widget lays it out in a terminal ``width`` columns wide."""
    from rich.console import Console

    from netops.agent.events import RunProgressEvent
    from netops.tui.widgets.progress import STEPS, RunProgress

    progress = RunProgress("router-drain", ["r3", "edge-router-12"])
    async with One(progress).run_test(size=(width, 12)) as pilot:
        for stage in STEPS[:-1]:
            progress.step(RunProgressEvent("router-drain", "r3", stage, True, ""))
        progress.step(RunProgressEvent("router-drain", "r3", "verified", True, "postchecks passed"))
        progress.step(RunProgressEvent("router-drain", "edge-router-12", "precheck", None, "reading the BGP summary"))
        await pilot.pause()
        console = Console(width=progress.content_region.width, record=True, color_system=None)
        console.print(progress.table)
        return console.export_text()


@pytest.mark.asyncio
@pytest.mark.parametrize("width", [80, 100, 140])
async def test_steps_host_and_outcome_are_whole(width):
    text = await _rendered(width)
    header = text.splitlines()[0]
    for name in ("host", "precheck", "snapshot", "apply", "postcheck", "rollback", "outcome"):
        assert name in header.split(), (width, text)
    assert "✓ verified" in text and "edge-router-12" in text and "…" not in header, (width, text)
    if width >= 100:
        assert "postchecks passed" in text  # room for the detail
