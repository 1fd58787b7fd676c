"""Token budgets: how much tool output, evidence and history a turn may carry.

Local 7-8B models usually run with an 8k context window in Ollama by default (``num_ctx``);
we keep system prompt + tool schemas + evidence + history well inside it. Tokens are
estimated at ~4 characters each, which is close enough for English and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


@dataclass(frozen=True)
class Budget:
    """Limits for one ``ask``."""

    tool_output_tokens: int = 1200
    """One tool result is cut to this many tokens (the model is told it was cut)."""
    max_model_calls: int = 8
    """Model turns per question before we stop and answer with what we have."""
    max_identical_calls: int = 2
    """The same tool with the same arguments more than this many times is refused."""
    history_messages: int = 6
    """Earlier user/assistant messages carried into a continued conversation."""
    num_ctx: int = 8192
    """Context window requested from Ollama."""


def truncate(text: str, max_tokens: int) -> tuple[str, bool]:
    """Cut ``text`` to about ``max_tokens``, keeping the head and a little of the tail."""
    limit = max_tokens * CHARS_PER_TOKEN
    if len(text) <= limit:
        return text, False
    head = int(limit * 0.8)
    tail = limit - head
    cut = len(text) - head - tail
    return (f"{text[:head]}\n[... {cut} characters cut to fit the {max_tokens}-token tool-output budget ...]\n"
            f"{text[-tail:]}"), True
