"""One answer as it happens: mode, streamed Markdown, tool cards, the plan, approval and
per-host progress of a change, then the evidence. Holds no logic beyond rendering events."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual.containers import Vertical
from textual.widgets import Static

from netops.tui.render import AnswerMarkdown, MarkdownBlockStream, markdown_blocks, mode_line, plan_renderable, shown_text
from netops.tui.widgets.citations import CitationList
from netops.tui.widgets.message import Notice
from netops.tui.widgets.progress import RunProgress
from netops.tui.widgets.toolcard import ToolCard


PARTIAL = "PARTIAL ANSWER: the answer was cut off before it finished"
STOPPED = "PARTIAL ANSWER: stopped before it finished (cancelled)"


def partial_line(answer: Any) -> str:
    """The line under a partial answer: one the person stopped is not one that broke off. A
    cancel is said here only, with how it was stopped (the status line and the text do not)."""
    if not getattr(answer, "cancelled", False):
        return PARTIAL
    how = getattr(answer, "error", None)
    if not getattr(answer, "partial", False):
        return f"Stopped before an answer arrived ({how or 'cancelled'})"
    return f"{STOPPED[:-len(' (cancelled)')]} ({how})" if how else STOPPED


def _marked(answer: Any) -> bool:
    """A partial answer, or a cancel with nothing to show: a cancelled turn whose text is whole
    (a change's outcome, "cancelled: nothing was changed") says so itself; a line under it saying
    "Stopped before an answer arrived" contradicted it."""
    if getattr(answer, "partial", False):
        return True
    return bool(getattr(answer, "cancelled", False)) and not shown_text(answer).strip()


def approval_line(record: Any) -> str:
    """``change approved by alice: verified on r1`` (an ApprovalRecord, live or stored)."""
    return (f"change {record.playbook} on {', '.join(record.targets)} {record.decision}"
            + (f" by {record.by}" if record.by else "") + (f": {record.result}" if record.result else ""))


def check_line(answer: Any) -> str:
    """``answer check: 3 of 4 sentences supported, 1 unsupported`` or "" when not checked."""
    check = getattr(answer, "check", None)
    if check is None:
        return ""
    summary = check.get("summary") if isinstance(check, dict) else check.summary()
    return f"answer check: {summary}" if summary else ""


def _settled_body(text: str) -> Static:
    """A complete answer's text as one widget, drawn as the streamed one was (block by block)."""
    return Static(AnswerMarkdown([source for _, source in markdown_blocks(text)]), classes="answer-body")


class AnswerView(Vertical):
    """The assistant's side of one exchange, filled in event by event."""

    DEFAULT_CSS = """
    AnswerView { height: auto; margin: 0 0 1 0; padding: 0 0 0 1; }
    AnswerView > .answer-head { color: $text-muted; padding: 0 1; }
    AnswerView > .answer-partial { color: $warning; text-style: bold; padding: 0 1; }
    AnswerView > .answer-body { margin: 0 0 1 0; padding: 0 1; height: auto; }
    AnswerView > .plan { margin: 0 0 0 2; padding: 0 1; border: round $warning 70%; height: auto; }
    """

    def __init__(self, *, head: str = "netops", settled: Any = None) -> None:
        """``settled``: an answer that is already complete (from history): composed at once as
        one lightweight block instead of being streamed."""
        super().__init__()
        self._head = Static(f"[b]netops[/b]  {escape(head)}", classes="answer-head")
        self._settled = settled
        self._mode_notice: str | None = None
        self.mode: str | None = None
        self.model: str | None = None
        self.text = ""
        self.answer: Any = None
        self.cards: dict[str, ToolCard] = {}
        self.progress: RunProgress | None = None
        self._md: Any = None  # the streamed text's widget: one Static per finished block, then the growing one
        self._stream: MarkdownBlockStream | None = None
        self._tail: Static | None = None
        self._drawn = 0  # blocks of the streamed text drawn for good
        self._streamed: list[str] = []

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._head
        if self._settled is not None:
            answer, self._settled = self._settled, None
            self.text = shown_text(answer)
            for n, record in enumerate(getattr(answer, "tool_calls", []) or []):
                card = ToolCard(record.tool, record.args, f"stored-{n}")
                card.finish(record)
                self.cards[card.call_id] = card
                yield card
            for a in getattr(answer, "approvals", []) or []:
                yield Notice(approval_line(a), "info" if a.decision == "approved" else "warning")
            if self.text.strip():
                yield _settled_body(self.text)
            if _marked(answer):
                yield Static(partial_line(answer), classes="answer-partial")
            check = check_line(answer)
            if check:
                yield Notice(check)
            if self.text.strip() or getattr(answer, "evidence", None) or not getattr(answer, "cancelled", False):
                yield CitationList(list(getattr(answer, "evidence", []) or []), answer)
            self.answer = answer

    async def settle(self) -> None:
        """Swap the streamed text's widgets (one per block) for one static block drawn the same
        way: a long conversation stays cheap to lay out and scroll."""
        if self.answer is None or self._stream is not None or self._md is None:
            return
        md, self._md = self._md, None
        await self.mount(_settled_body(self.text), after=md)
        await md.remove()

    # -- header ----------------------------------------------------------------------------
    def set_mode(self, mode: str, model: str | None, notice: str | None = None) -> None:
        self.mode, self.model, self._mode_notice = mode, model, notice
        self._head.update(f"[b]netops[/b]  {escape(mode_line(mode, model, notice))}")

    # -- streamed text ---------------------------------------------------------------------
    async def _ensure_stream(self) -> None:
        if self._stream is None:
            self._md = Vertical(classes="answer-body")
            self._tail = Static("")
            self._stream, self._drawn = MarkdownBlockStream(), 0
            await self.mount(self._md)
            await self._md.mount(self._tail)

    async def write(self, text: str) -> None:
        """Append streamed answer text: Rich Markdown, as the answer is drawn once complete and
        when resumed; a finished block is drawn once, only the growing one again."""
        await self._ensure_stream()
        self._streamed.append(text)
        await self._draw(text)

    async def _draw(self, text: str) -> None:
        assert self._stream is not None and self._md is not None and self._tail is not None
        done = self._stream.feed(text)
        if done:
            blocks = [Static(AnswerMarkdown([source], first=self._drawn + n == 0)) for n, source in enumerate(done)]
            self._drawn += len(done)
            await self._md.mount_all(blocks, before=self._tail)
        self._tail.update(AnswerMarkdown(self._stream.tail, first=self._drawn == 0))

    async def stop_stream(self) -> None:
        self._stream = None  # every write was drawn at once: nothing is pending

    async def reset_turn(self) -> None:
        """The text streamed so far was a tool call: drop it."""
        await self.stop_stream()
        if self._md is not None:
            await self._md.remove()
        self._md = None
        self._streamed.clear()

    # -- tools, plans, changes -------------------------------------------------------------
    async def tool_started(self, tool: str, args: dict[str, Any], call_id: str = "") -> ToolCard:
        await self.stop_stream()
        self._md = None
        self._streamed.clear()
        card = ToolCard(tool, args, call_id)
        self.cards[call_id or f"#{len(self.cards)}"] = card
        await self.mount(card)
        return card

    def tool_finished(self, record: Any, call_id: str = "") -> ToolCard | None:
        card = self.cards.get(call_id) if call_id else None
        if card is None:  # no id: the oldest card still running with this tool's name
            card = next((c for c in self.cards.values() if c.record is None and c.tool == record.tool), None)
        if card is not None:
            card.finish(record)
        return card

    async def show_plan(self, plan: Any, verdict: Any, summary: str = "") -> None:
        await self.stop_stream()
        self._md = None
        body = plan_renderable(plan, verdict, color=not self.app.no_color) if plan is not None else summary
        card = Static(body, classes="plan")
        card.border_title = "proposed change"
        await self.mount(card)

    async def run_progress(self, event: Any) -> RunProgress:
        if self.progress is None:
            self.progress = RunProgress(event.playbook)
            await self.mount(self.progress)
        self.progress.step(event)
        return self.progress

    async def note(self, text: str, level: str = "info") -> None:
        await self.mount(Notice(text, level))

    # -- the end ---------------------------------------------------------------------------
    async def finish(self, answer: Any) -> None:
        """The final answer: make the text exact, mark a partial answer, list the evidence."""
        streamed = "".join(self._streamed)
        final = shown_text(answer)
        if self._stream is not None and final.startswith(streamed):
            if final != streamed:
                await self._draw(final[len(streamed):])
            await self.stop_stream()
        else:
            await self.stop_stream()
            body = _settled_body(final)
            if self._md is None:
                await self.mount(body)
            else:
                await self.mount(body, after=self._md)
                await self._md.remove()
            self._md = None
        self.text = final
        for card in self.cards.values():
            # a read made before the model spoke got its number after its card was drawn
            if card.record is not None and getattr(card.record, "numbers", None):
                card.finish(card.record)
        mode, model = getattr(answer, "mode", None), getattr(answer, "model", None)
        if mode and (self.mode is None or (mode == "offline" and self.mode != "offline")):
            # begun as the agent, answered offline (the model server went away mid-turn): the head
            # says what answered, not what was asked to
            self.set_mode(mode, model)
        if _marked(answer):
            await self.mount(Static(partial_line(answer), classes="answer-partial"))
        notice = "; ".join(p for p in (getattr(answer, "notice", None) or "").split("; ")
                           if p and p not in (self._mode_notice or ""))
        if notice:
            await self.mount(Notice(f"note: {notice}"))
        check = check_line(answer)
        if check:
            await self.mount(Notice(check))
        evidence = list(getattr(answer, "evidence", []) or [])
        # a listing is no claim, nor is a cancel before a word arrived
        if evidence or (getattr(answer, "mode", None) != "command" and (final.strip() or not getattr(answer, "cancelled", False))):
            await self.mount(CitationList(evidence, answer))
        self.answer = answer  # last: tests and the export treat a set answer as fully shown
