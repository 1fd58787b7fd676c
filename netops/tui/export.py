"""A conversation as Markdown: questions, answers, evidence, tool calls and approvals; what a
day-shift engineer is handed (chat Ctrl+S, ``/export``): each question and answer with its time in
the machine's zone (named), each change with its approval, outcome and audit record, secrets
redacted, and none of the words netops says to the model."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def when_said(ts: str | None, *, day: bool = True) -> str:
    """An ISO time (a history message's, UTC) in the machine's local zone with the zone's name
    ("2026-12-05 00:31 AEST"; "00:31 AEST" without ``day``); "" when there is none."""
    if not ts:
        return ""
    try:
        at = datetime.fromisoformat(str(ts))
    except ValueError:
        return str(ts)
    local = (at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)).astimezone()
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or 'local'}" if day else f"{local:%H:%M} {local.tzname() or 'local'}"


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
    at: str | None = field(default_factory=_now)
    """When it was asked or answered (ISO, UTC): now for the live chat, the stored time when resumed."""

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
                   [n for n, _ in listed], at=getattr(answer, "created_at", None) or _now())


def _day_of(ts: str | None) -> str:
    return when_said(ts)[:10]


def to_markdown(entries: list[Entry], *, title: str, conversation_id: str | None, exported_at: str) -> str:
    """The conversation as Markdown. The texts are redacted as the chat shows them; a change's outcome
    and a call's error (device words) are redacted here (:func:`netops.devices.redact.redact`)."""
    from netops.agent.transcript import for_person
    from netops.devices.redact import redact

    zone = when_said(exported_at).partition(" ")[2].partition(" ")[2]
    lines = [f"# {title}", "", f"_netops chat export · conversation {conversation_id or '(not stored)'} · "
             f"exported {when_said(exported_at)} ({exported_at}) · times in {zone or 'UTC'}_", ""]
    day = _day_of(exported_at)
    for e in entries:
        # each question and answer says when: the time, and the day where it is not the export's
        at = when_said(e.at, day=_day_of(e.at) != day) if e.at else ""
        stamp = f" · {at}" if at else ""
        if e.role == "user":
            lines += [f"## Question{stamp}", "", e.text, ""]
            if e.unanswered:
                from netops.store.history import UNANSWERED

                lines += [f"**No answer: {UNANSWERED}.**", ""]
            continue
        head = "## Command result" if e.role == "command" else "## Answer"
        who = "offline (no model)" if e.mode == "offline" else (f"agent ({e.model})" if e.model else (e.mode or ""))
        lines += [head + (f" — {who}" if who else "") + stamp, ""]
        if e.partial:
            why = "stopped before it finished (cancelled)" if e.cancelled else "it was cut off before it finished"
            lines += [f"**Partial answer: {why}.**", ""]
        elif e.cancelled and not e.text.strip():  # a cancelled change's outcome says so itself
            lines += ["**No answer: stopped before it arrived (cancelled).**", ""]
        lines += [e.text.rstrip(), ""]
        if e.approvals:
            lines += ["Changes:", ""]
            for a in e.approvals:
                verified = {True: ", verified", False: ", NOT verified"}.get(getattr(a, "verified", None), "")
                review = f" (review: {a.review}{verified})" if getattr(a, "review", "") else verified
                seq = getattr(a, "audit_seq", None)
                lines.append(f"- {a.playbook} on {', '.join(a.targets)}: **{a.decision}**"
                             + (f" by {a.by}" if a.by else "") + (f" — {redact(a.result)}" if a.result else "") + review
                             + (f" — audit record {seq} (`netops audit show {seq}`)" if seq is not None else ""))
            lines.append("")
        if e.tool_calls:
            lines += ["Tool calls:", ""]
            for c in e.tool_calls:
                args = json.dumps(c.args, default=str)
                status = "ok" if c.ok else f"failed: {redact(for_person(c.error))}"
                summary = (getattr(c, "summary", "") or "").splitlines()
                lines.append(f"- `{c.tool}` {args} — {status}, {c.elapsed:.2f} s"
                             + (f" — {summary[0][:160]}" if c.ok and summary else ""))
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
