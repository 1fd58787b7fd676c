"""A conversation as Markdown: questions, answers, evidence, tool calls and approvals."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Entry:
    """One exchange as the chat showed it (what an export writes)."""

    role: str
    """``user``, ``assistant`` or ``command`` (a slash command and its result)."""
    text: str
    mode: str | None = None
    model: str | None = None
    citations: list[str] = field(default_factory=list)
    tool_calls: list[Any] = field(default_factory=list)
    approvals: list[Any] = field(default_factory=list)
    partial: bool = False
    check: str | None = None
    """The answer check's one-line summary, when the answer was checked."""
    cancelled: bool = False
    """The person stopped the answer (a partial one was not cut off)."""
    numbers: list[int] = field(default_factory=list)
    """The number of each citation, as the answer's text cites it (empty: 1, 2, 3 in order)."""
    unanswered: bool = False
    """A question of a resumed conversation that has no answer (netops stopped before answering)."""

    @classmethod
    def from_answer(cls, answer: Any) -> "Entry":
        """From a live :class:`~netops.assistant.Answer` or a resumed ``StoredAnswer``."""
        from netops.agent.transcript import check_summary
        from netops.tui.render import shown_text

        from netops.agent.numbering import numbered

        check = check_summary(getattr(answer, "check", None))
        listed = numbered(answer.evidence, getattr(answer, "numbers", None))
        return cls("command" if answer.mode == "command" else "assistant", shown_text(answer), answer.mode, answer.model,
                   [e.label for _, e in listed], list(answer.tool_calls), list(answer.approvals), bool(answer.partial),
                   check.get("summary") if check else None, bool(getattr(answer, "cancelled", False)),
                   [n for n, _ in listed])


def to_markdown(entries: list[Entry], *, title: str, conversation_id: str | None, exported_at: str) -> str:
    lines = [f"# {title}", "", f"_netops chat export · conversation {conversation_id or '(not stored)'} · "
             f"{exported_at}_", ""]
    for e in entries:
        if e.role == "user":
            lines += ["## Question", "", e.text, ""]
            if e.unanswered:
                from netops.store.history import UNANSWERED

                lines += [f"**No answer: {UNANSWERED}.**", ""]
            continue
        head = "## Command result" if e.role == "command" else "## Answer"
        who = "offline (no model)" if e.mode == "offline" else (f"agent ({e.model})" if e.model else (e.mode or ""))
        lines += [head + (f" — {who}" if who else ""), ""]
        if e.partial:
            why = "stopped before it finished (cancelled)" if e.cancelled else "it was cut off before it finished"
            lines += [f"**Partial answer: {why}.**", ""]
        elif e.cancelled and not e.text.strip():  # a cancelled change's outcome says so itself
            lines += ["**No answer: stopped before it arrived (cancelled).**", ""]
        lines += [e.text.rstrip(), ""]
        if e.tool_calls:
            lines += ["Tool calls:", ""]
            for c in e.tool_calls:
                args = json.dumps(c.args, default=str)
                status = "ok" if c.ok else f"failed: {c.error}"
                summary = (getattr(c, "summary", "") or "").splitlines()
                lines.append(f"- `{c.tool}` {args} — {status}, {c.elapsed:.2f} s"
                             + (f" — {summary[0][:160]}" if c.ok and summary else ""))
            lines.append("")
        if e.approvals:
            lines += ["Changes:", ""]
            for a in e.approvals:
                verified = {True: ", verified", False: ", NOT verified"}.get(getattr(a, "verified", None), "")
                review = f" (review: {a.review}{verified})" if getattr(a, "review", "") else verified
                lines.append(f"- {a.playbook} on {', '.join(a.targets)}: **{a.decision}**"
                             + (f" by {a.by}" if a.by else "") + (f" — {a.result}" if a.result else "") + review)
            lines.append("")
        if e.check:
            lines += [f"Answer check: {e.check}", ""]
        if e.role == "assistant":
            if e.citations:
                # "[n]" as the text cites it: a Markdown "3." list would be renumbered from 1
                numbers = e.numbers if len(e.numbers) == len(e.citations) else range(1, len(e.citations) + 1)
                lines += ["Evidence:", ""] + [f"- [{n}] {c}" for n, c in zip(numbers, e.citations)] + [""]
            else:
                lines += ["_No evidence: this answer cites nothing._", ""]
    return "\n".join(lines).rstrip() + "\n"
