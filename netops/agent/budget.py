"""Token budgets: how much tool output, evidence and history a turn may carry.

Local 7-8B models usually run with an 8k context window in Ollama by default (``num_ctx``);
we keep system prompt + tool schemas + evidence + history well inside it. Tokens are
estimated at ~4 characters each, which is close enough for English and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    max_tool_calls: int = 24
    """Tool calls per question (all turns together); a model that asks for more (say, hundreds
    in one message) gets the rest refused without them running."""
    tool_args_chars: int = 8000
    """Arguments of one tool call larger than this (as JSON) are refused, not run."""
    plugin_tool_seconds: float = 30.0
    """A plugin's tool that has not returned after this many seconds is given up on: the question
    goes on with a failed call that says so (its Python cannot be stopped and may still run)."""
    answer_chars: int = 32_000
    """The model's streamed text per question is cut here (a runaway or flooding model)."""
    model_seconds: float | None = None
    """Wall-clock seconds the model may take to answer one question (its turns together, not tool
    runs or approvals); None: the ``model_deadline`` setting (120 s by default)."""
    history_messages: int = 6
    """Earlier user/assistant messages carried into a continued conversation."""
    num_ctx: int = 8192
    """Context window requested from Ollama."""
    question_tokens: int = 2000
    """A longer question is cut to this many tokens (with a notice) so the system prompt,
    tools, evidence and history still fit in ``num_ctx``."""


SHOWN_ARGS_CHARS = 2000
"""Tool arguments larger than this (as JSON) are shown, stored and exported clipped."""


def clip_args(args: dict[str, Any], limit: int = SHOWN_ARGS_CHARS) -> dict[str, Any]:
    """``args`` as it is, or, when larger than ``limit`` as JSON, one clipped string saying how
    large it was (what a model sent can be any size; what surfaces show cannot)."""
    import json

    text = json.dumps(args, sort_keys=True, default=str)
    if len(text) <= limit:
        return args
    return {"_clipped": f"{text[:200]}... ({len(text)} characters)"}


def fit_question(question: str, budget: Budget) -> tuple[str, str | None]:
    """``(question, notice)``: the question cut to ``budget.question_tokens`` and why, or as it was."""
    tokens = estimate_tokens(question)
    if tokens <= budget.question_tokens:
        return question, None
    keep = question[: budget.question_tokens * CHARS_PER_TOKEN].rstrip()
    return keep, (f"the question was about {tokens} tokens, more than the {budget.question_tokens}-token "
                  f"budget of a {budget.num_ctx}-token context: only its first {len(keep)} characters were used")


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
