"""Live per-host progress of a change: precheck, snapshot, apply, postcheck, rollback, outcome."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

STEPS = ("precheck", "snapshot", "apply", "postcheck", "rollback")
OUTCOMES = {"verified": ("✓ verified", "green"), "failed": ("✗ failed", "red"),
            "rolled_back": ("↺ rolled back", "yellow"), "rollback_failed": ("✗ rollback FAILED", "bold red"),
            "skipped": ("- skipped", "dim"), "cancelled": ("■ cancelled", "yellow")}
# runner states that imply earlier steps are done
_IMPLIES = {"prechecked": ("precheck",), "applied": ("precheck", "snapshot", "apply")}


class RunProgress(Static):
    """A table, one row per host, updated from RunProgressEvents."""

    DEFAULT_CSS = """
    RunProgress { margin: 0 0 0 2; padding: 0 1; height: auto; border: round $secondary 60%; }
    """

    def __init__(self, playbook: str, hosts: list[str] | None = None) -> None:
        super().__init__("")
        self.playbook = playbook
        self.rows: dict[str, dict[str, str]] = {h: {} for h in hosts or []}
        self.outcome: dict[str, str] = {}
        self.details: dict[str, str] = {}
        self.border_title = f"change: {playbook}"

    def on_mount(self) -> None:
        self._render_table()

    def on_resize(self) -> None:
        self._render_table()  # whether the detail column fits depends on the width

    def step(self, event: Any) -> None:
        """Apply one RunProgressEvent (host, stage, ok, detail)."""
        host, stage = event.host, event.stage
        row = self.rows.setdefault(host, {})
        ok = getattr(event, "ok", None)
        if stage in STEPS:
            row[stage] = "running" if ok is None else ("ok" if ok else "failed")
        for done in _IMPLIES.get(stage, ()):
            row.setdefault(done, "ok")
            if row[done] == "running":
                row[done] = "ok"
        if stage in OUTCOMES:
            self.outcome[host] = stage
            for s, v in row.items():
                if v == "running":
                    row[s] = "ok" if stage == "verified" else "stopped"
            if stage in ("rolled_back", "rollback_failed"):
                row["rollback"] = "ok" if stage == "rolled_back" else "failed"
        if getattr(event, "detail", ""):
            self.details[host] = event.detail
        self._render_table()

    def _render_table(self) -> None:
        marks = {"ok": ("✓", "green"), "failed": ("✗", "red"), "running": ("…", "yellow"), "stopped": ("■", "yellow")}
        table = Table(box=None, pad_edge=False, expand=False, show_edge=False)
        table.add_column("host", style="bold", no_wrap=True, min_width=max([4, *map(len, self.rows)]))
        for s in STEPS:  # the step names whole (at 80 columns they were cut to "prech…"); detail gives way
            table.add_column(s, no_wrap=True, min_width=len(s))
        table.add_column("outcome", no_wrap=True, min_width=len("✓ verified"))
        # at 80 columns the step names, the hosts and the outcome need the room: the detail is
        # left out there (the run report under the answer says it in full)
        detail = not 0 < self.size.width < 90
        if detail:
            table.add_column("detail", style="dim", overflow="ellipsis", no_wrap=True, max_width=50)
        for host, row in self.rows.items():
            cells: list[Any] = [host]
            for s in STEPS:
                mark, colour = marks.get(row.get(s, ""), ("·", "dim"))
                cells.append(Text(mark, style=colour))
            label, colour = OUTCOMES.get(self.outcome.get(host, ""), ("running", "yellow"))
            cells.append(Text(label, style=colour))
            if detail:
                cells.append(self.details.get(host, ""))
            table.add_row(*cells)
        self.table = table
        self.update(table)

    @property
    def finished(self) -> bool:
        return bool(self.rows) and all(h in self.outcome for h in self.rows)
