"""``netops ask``: one question to the assistant; streams the answer, shows tool calls, asks
for approval before any change. Without a model it answers offline and says so.

Exit codes: 0 answered · 1 the model failed or its stream broke off (a partial answer is
labelled) · 2 bad input · 5 a proposed change was refused (by you, the policy or the reviewer).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from netops.cli._common import console, emit_json, json_option, settings_from


def _approver(settings: Any, yes: bool, renderer: "_Renderer | None") -> Any:
    from netops.playbook.approval import CliApprover, DenyAll, PolicyApprover

    if yes:
        return PolicyApprover(settings)
    if sys.stdin.isatty() and renderer is not None:
        def confirm(question: str) -> bool:
            renderer.pause()
            return click.confirm(question, default=False, err=True)

        return CliApprover(settings.user, confirm)
    return DenyAll("no terminal to ask for approval (use --yes with an approval policy)")


class _Renderer:
    """Human output: progress lines on stderr, the answer as Markdown on stdout."""

    def __init__(self) -> None:
        self.err = console(stderr=True)
        self.out = console()
        self.live: Any = None
        self.text = ""
        self.notices: set[str] = set()

    def pause(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None

    def _update(self) -> None:
        if not self.out.is_terminal:
            return
        from rich.live import Live
        from rich.markdown import Markdown

        if self.live is None:
            self.live = Live(Markdown(self.text), console=self.out, refresh_per_second=12, transient=True)
            self.live.start()
        else:
            self.live.update(Markdown(self.text))

    def handle(self, ev: Any) -> None:
        from rich.markup import escape

        from netops.agent import events as E

        if isinstance(ev, E.ModeEvent):
            line = f"mode: {ev.mode}" + (f" ({ev.model})" if ev.model else "") + (f" - {ev.notice}" if ev.notice else "")
            if ev.notice:
                self.notices.add(ev.notice)
            click.secho(line, dim=True, err=True)  # unwrapped: an error message must stay one line
        elif isinstance(ev, E.TokenEvent):
            self.text += ev.text
            self._update()
        elif isinstance(ev, E.TurnResetEvent):
            self.text = ""
            self.pause()
        elif isinstance(ev, E.ToolStartEvent):
            self.pause()
            args = " ".join(f"{k}={v!r}" for k, v in ev.args.items())
            self.err.print(f"[cyan]> {escape(ev.tool)}[/cyan] {escape(args)}")
        elif isinstance(ev, E.ToolEndEvent):
            r = ev.record
            status = "[green]ok[/green]" if r.ok else f"[red]failed[/red] {escape(r.error or '')}"
            self.err.print(f"  {status} ({r.elapsed:.2f}s{', truncated' if r.truncated else ''})")
        elif isinstance(ev, E.PlanEvent):
            self.pause()
            colour = {"ok": "green", "warn": "yellow", "block": "red"}[ev.verdict.level]
            self.err.rule(f"proposed change: {ev.playbook}")
            self.err.print(escape(ev.summary))
            self.err.print(f"[{colour}]{escape(ev.verdict.summary())}[/{colour}]")
        elif isinstance(ev, E.ApprovalEvent):
            r = ev.record
            self.err.print(f"[bold]change {r.decision}[/bold]" + (f" by {escape(r.by)}" if r.by else "")
                           + (f": {escape(r.result)}" if r.result else ""))
        elif isinstance(ev, E.AnswerEvent):
            self.pause()
            self.final(ev.answer)

    def final(self, answer: Any) -> None:
        from rich.markdown import Markdown
        from rich.markup import escape

        self.out.print(Markdown(answer.text))
        if answer.citations:
            self.out.print("[dim]evidence: " + escape("; ".join(answer.citations)) + "[/dim]")
        self.err.print(f"[dim]answered in {answer.mode} mode{' by ' + answer.model if answer.model else ''}"
                       f", {answer.timings.get('total', 0):.0f} ms[/dim]")
        notice = answer.notice or ""
        for seen in self.notices:  # the mode line already said it; repeat only what is new
            notice = notice.replace(seen, "")
        notice = "; ".join(p.strip() for p in notice.split("; ") if p.strip())
        if notice:
            click.echo(f"note: {notice}", err=True)
        if answer.error:
            click.echo(f"error: {answer.error}", err=True)
            if answer.error_hint:
                click.echo(f"hint: {answer.error_hint}", err=True)


class _FirstUseKB:
    """Opens the knowledge base when an answer first needs it, indexing the defaults if empty.

    A device question ("bgp neighbours on r1") never touches the index, so it never waits for
    the one-time indexing of the default sources.
    """

    def __init__(self, ctx: click.Context, settings: Any) -> None:
        self._ctx, self._settings, self._kb = ctx, settings, None

    def __getattr__(self, name: str) -> Any:
        if self._kb is None:
            from netops.rag.kb import KnowledgeBase

            kb = self._ctx.with_resource(KnowledgeBase(self._settings))
            if kb.is_empty():
                from netops.cli.kb import progress_callback

                click.echo("note: the knowledge base is empty; indexing the default sources first "
                           "(runbooks, glossary, core RFCs). This happens once.", err=True)
                with progress_callback("indexing defaults") as cb:
                    kb.bootstrap(cb)
            self._kb = kb
        return getattr(self._kb, name)


@click.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--offline", is_flag=True, help="Do not use a model: intent router and retrieval only.")
@click.option("--model", "-m", default=None, help="Model to use (default: settings.model).")
@click.option("--yes", "-y", is_flag=True, help="Approve changes the approval policy allows (no prompt).")
@click.option("--continue", "-c", "continue_last", is_flag=True, help="Continue the last conversation.")
@json_option
def ask(question: tuple[str, ...], offline: bool, model: str | None, yes: bool, continue_last: bool,
        as_json: bool) -> int:
    """Ask a question or state an intent ("drain r2"); answers cite their evidence."""
    from netops.assistant import Assistant
    from netops.errors import InputError
    text = " ".join(question).strip()
    if not text:
        raise InputError("the question is empty", hint='netops ask "BGP neighbours on r1"')
    ctx = click.get_current_context()
    settings = settings_from(ctx)
    kb = _FirstUseKB(ctx, settings)
    renderer = None if as_json else _Renderer()
    assistant = Assistant(settings, model=model, kb=kb, approver=_approver(settings, yes, renderer))
    answer = None
    for ev in assistant.events(text, offline=offline, continue_last=continue_last):
        if renderer is not None:
            renderer.handle(ev)
        answer = getattr(ev, "answer", answer)
    assert answer is not None
    if as_json:
        emit_json(answer.to_dict())
    return answer.exit_code
