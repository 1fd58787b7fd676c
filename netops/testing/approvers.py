"""Approvers for tests: people at a prompt, played by code."""

from __future__ import annotations

from typing import Any

from netops.playbook.approval import Approval


class YesMan:
    """A person at an interactive prompt who says yes to whatever is shown (and remembers it)."""

    def __init__(self) -> None:
        self.asked: list[Any] = []

    def approve(self, plan: Any) -> Approval:
        self.asked.append(plan)
        return Approval(True, "alice", "approved at the prompt", interactive=True)
