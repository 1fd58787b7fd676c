"""Chat tests: the real app headless (Pilot), real SQLite and index, the scripted model."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("textual")

# the shared FRR lab (skips with the reason when not root or the lab packages are missing)
from tests.integration.conftest import lab, lab_clean, lab_password_env  # noqa: E402,F401

SIZE = (110, 40)


async def wait_until(pilot: Any, predicate: Callable[[], Any], timeout: float = 60.0, what: str = "") -> Any:
    """Let the app run until ``predicate()`` is truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        await pilot.pause(0.05)


async def type_and_send(pilot: Any, text: str) -> None:
    """Type into the prompt as a person would (paste-like insert for speed) and press Enter."""
    from netops.tui.widgets.prompt import PromptInput

    prompt = pilot.app.query_one(PromptInput)
    prompt.focus()
    prompt.insert(text)
    await pilot.press("enter")


def errors_said(app: Any) -> list[str]:
    """The error lines in the conversation (a slash command that cannot run says why there)."""
    from netops.tui.widgets.message import Notice

    return [n.text for n in app.conversation.query(Notice) if n.level == "error"]


def answers(app: Any) -> list[Any]:
    from netops.tui.widgets.answer import AnswerView

    return list(app.query(AnswerView))


def finished(app: Any) -> list[Any]:
    return [a for a in answers(app) if a.answer is not None]


@pytest.fixture
def chat_settings(settings, small_defaults):
    """Settings with the two-document default index (bootstrapped on first use, hash embedder);
    the offline router's embedding half is off (``embedder=none``), so no model loads."""
    return settings.model_copy(update={"kb": settings.kb.model_copy(update={"embedder": "none"})})
