"""review35: a paste into the approval modal. A letter decides only on its own (after SETTLE with
nothing after it, or with Enter): keys after it make it a word and nothing is decided. Text that
came after it as a paste (a terminal's bracketed paste is one Paste event, not keys) was not seen:
"y" then a paste approved the change once SETTLE ran out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.asyncio


async def test_a_paste_after_a_letter_makes_it_no_answer(settings, monkeypatch):
    from textual import events

    from netops.tui.screens.approval import ApprovalScreen
    from tests.tui.demo import DemoChat, plan

    monkeypatch.setattr(ApprovalScreen, "APPROVE_AFTER", 0.2)
    monkeypatch.setattr(ApprovalScreen, "SETTLE", 1.0)
    decided: list[bool] = []
    app = DemoChat(settings)
    async with app.run_test(size=(110, 36)) as pilot:
        app.push_screen(ApprovalScreen(*plan()), decided.append)
        await pilot.pause(ApprovalScreen.APPROVE_AFTER + 0.3)  # the plan read
        modal = app.screen
        await pilot.press("y")
        modal.post_message(events.Paste("es do it"))
        await pilot.pause(ApprovalScreen.SETTLE + 0.5)
        assert app.screen is modal and decided == [], decided
        assert any("nothing decided" in n.message for n in app._notifications), \
            [n.message for n in app._notifications]


async def test_a_paste_alone_decides_nothing_and_says_so(settings, monkeypatch):
    from textual import events

    from netops.tui.screens.approval import ApprovalScreen
    from tests.tui.demo import DemoChat, plan

    monkeypatch.setattr(ApprovalScreen, "APPROVE_AFTER", 0.2)
    decided: list[bool] = []
    app = DemoChat(settings)
    async with app.run_test(size=(110, 36)) as pilot:
        app.push_screen(ApprovalScreen(*plan()), decided.append)
        await pilot.pause(ApprovalScreen.APPROVE_AFTER + 0.3)
        modal = app.screen
        modal.post_message(events.Paste("y"))
        await pilot.pause(ApprovalScreen.SETTLE + 0.3)
        assert app.screen is modal and decided == []
        assert any("paste" in n.message and "nothing decided" in n.message for n in app._notifications), \
            [n.message for n in app._notifications]


async def test_ctrl_z_after_a_letter_makes_it_no_answer(settings, monkeypatch):
    """review35: Ctrl+Z is a priority key the modal never sees; "y" then Ctrl+Z (to the shell, then
    ``fg``) approved once SETTLE ran out. The suspend forgets the pending letter first."""
    from netops.tui import app as app_module
    from netops.tui.screens.approval import ApprovalScreen
    from tests.tui.demo import DemoChat, plan

    monkeypatch.setattr(ApprovalScreen, "APPROVE_AFTER", 0.2)
    monkeypatch.setattr(ApprovalScreen, "SETTLE", 1.0)
    monkeypatch.setattr(app_module, "shell_can_resume", lambda: False)  # no real SIGTSTP to the test runner
    decided: list[bool] = []
    app = DemoChat(settings)
    async with app.run_test(size=(110, 36)) as pilot:
        app.push_screen(ApprovalScreen(*plan()), decided.append)
        await pilot.pause(ApprovalScreen.APPROVE_AFTER + 0.3)
        modal = app.screen
        await pilot.press("y", "ctrl+z")
        await pilot.pause(ApprovalScreen.SETTLE + 0.5)
        assert app.screen is modal and decided == [], decided
        await pilot.pause(ApprovalScreen.APPROVE_AFTER + 0.3)
        monkeypatch.setattr(ApprovalScreen, "SETTLE", 0.2)
        await pilot.press("n")  # the letter on its own still decides
        await pilot.pause(ApprovalScreen.SETTLE + 0.3)
        assert decided == [False]
