"""``netops ask``: one question to the assistant; streams the answer, shows tool calls, asks
for approval before any change. Without a model it answers offline and says so.

Thin: a renderer of :mod:`netops.agent.events` and a prompt for each
:class:`~netops.agent.events.ApprovalRequestEvent` (``--yes``: the approval policy decides;
no terminal: denied). Ctrl-C cancels through a :class:`~netops.cancel.CancelToken`: the model
stops, a change in progress stops before its next step and is rolled back.

Exit codes: 0 answered · 1 the model failed or its stream broke off (a partial answer is
labelled) · 2 bad input · 4 no such conversation, or the question names only devices the
inventory does not hold · 5 a proposed change was refused (by you,
the policy or the reviewer), or no vetted playbook does the change asked for · 130 cancelled
(Ctrl-C; 143 SIGTERM, 129 SIGHUP).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from netops.cli._common import CtrlCCancels, console, emit_json, json_option, print_markdown, settings_from


class _Renderer:
    """Human output: progress lines on stderr, the answer as Markdown on stdout.

    With ``quiet`` (``--json``) only what must reach a person anyway (indexing notices) is
    printed, on stderr.
    """

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.err = console(stderr=True)
        self.out = console()
        self.live: Any = None
        self.text = ""
        self.notices: set[str] = set()
        self.index_bar: Any = None

    def pause(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None

    def index(self, ev: Any) -> None:
        """Knowledge-base bootstrap: a notice, then a progress bar on stderr."""
        if ev.stage == "start":
            click.echo(f"note: {ev.detail}", err=True)
            from netops.cli._common import progress

            self.index_bar = progress()
            self.index_bar.start()
            self.index_task = self.index_bar.add_task("indexing defaults", total=None)
        elif ev.stage == "file" and self.index_bar is not None:
            self.index_bar.update(self.index_task, completed=ev.done, total=ev.total,
                                  description=f"indexing defaults {ev.detail.rsplit('/', 1)[-1][:40]}")
        elif ev.stage == "done" and self.index_bar is not None:
            self.index_bar.stop()
            self.index_bar = None

    def cancelling(self, changing: bool) -> None:
        self.pause()
        click.echo("cancelling: " + ("stopping the change and rolling back what it changed (wait)"
                                     if changing else "stopping the answer"), err=True)

    def _update(self) -> None:
        if not self.out.is_terminal:
            return
        from rich.live import Live

        from netops.cli._common import markdown

        if self.live is None:
            self.live = Live(markdown(self.text), console=self.out, refresh_per_second=12, transient=True)
            self.live.start()
        else:
            self.live.update(markdown(self.text))

    def handle(self, ev: Any) -> None:
        from rich.markup import escape

        from netops.agent import events as E

        if isinstance(ev, E.IndexProgressEvent):
            self.index(ev)
            return
        if isinstance(ev, E.RecoveryEvent):  # as every command's start says them, even with --json
            for line in ev.lines:
                click.echo(line, err=True)
            return
        if isinstance(ev, E.StepEvent):  # a wait of seconds: said even with --json (on stderr)
            click.secho(f"note: {ev.detail}…", dim=True, err=True)
            return
        if self.quiet:
            return
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
        elif isinstance(ev, E.RunProgressEvent):
            self.pause()
            mark = {True: "[green]ok[/green] ", False: "[red]FAILED[/red] "}.get(ev.ok, "")
            self.err.print(f"  [{escape(ev.host)}] {mark}{escape(ev.stage)}"
                           + (f": {escape(ev.detail.splitlines()[0])}" if ev.detail else ""))
        elif isinstance(ev, E.ApprovalEvent):
            r = ev.record
            self.err.print(f"[bold]change {r.decision}[/bold]" + (f" by {escape(r.by)}" if r.by else "")
                           + (f": {escape(r.result)}" if r.result else ""))
        elif isinstance(ev, E.AnswerEvent):
            self.pause()
            self.final(ev.answer)

    def final(self, answer: Any) -> None:
        from rich.markup import escape

        # At a terminal the answer is rendered; piped, it is its own text, not padded to the
        # terminal's width or re-wrapped, so a file or grep gets exactly what was said.
        plain = not self.out.is_terminal
        if plain:
            click.echo(answer.text.rstrip())
        else:
            print_markdown(self.out, answer.text)
        lines = []
        if answer.citations:
            lines.append("evidence: " + "; ".join(answer.citations))
        if getattr(answer, "check", None) is not None or getattr(answer, "numbers", None):
            # each [n] of the text under the number the library gave it (the tool output and the
            # answer check use the same one), not its place in the evidence line above
            from netops.agent.numbering import marks_outside_code

            cited = {int(m.group(1)) for m in marks_outside_code(answer.text)}
            lines += [f"[{n}] {e.label}" for n, e in answer.numbered() if n in cited]
        for line in lines:
            if plain:
                click.echo(line)
            else:
                self.out.print(f"[dim]{escape(line)}[/dim]")
        if getattr(answer, "check", None) is not None:
            colour = "yellow" if answer.check.unsupported or answer.check.removed_citations \
                or answer.check.moved_citations else "dim"
            self.err.print(f"[{colour}]answer check: {escape(answer.check.summary())}[/{colour}]")
        how = f"{answer.mode} mode{' by ' + answer.model if answer.model else ''}"
        ms = f"{answer.timings.get('total', 0):.0f} ms"
        self.err.print(f"[dim]cancelled after {ms} ({how})[/dim]" if getattr(answer, "cancelled", False)
                       else f"[dim]answered in {how}, {ms}[/dim]")
        notice = answer.notice or ""
        for seen in self.notices:  # the mode line already said it; repeat only what is new
            notice = notice.replace(seen, "")
        parts = [p.strip() for p in notice.split("; ") if p.strip()]
        from netops.assistant import HISTORY_UNSAVED

        warnings = [p for p in parts if p.startswith(HISTORY_UNSAVED)]
        notice = "; ".join(p for p in parts if p not in warnings)
        if notice:
            click.echo(f"note: {notice}", err=True)
        for line in warnings:  # the answer stands; what did not happen to it is a warning of its own
            click.echo(f"warning: {line}", err=True)
        if answer.error and not (getattr(answer, "cancelled", False) and answer.error in answer.text):
            # (a cancel's label over the partial text already says it, and 'cancelled after' above)
            click.echo(f"error: {answer.error}", err=True)
            if answer.error_hint:
                click.echo(f"hint: {answer.error_hint}", err=True)


class _Approvals:
    """Answers approval requests: a yes/no prompt at a terminal, the policy with ``--yes``,
    otherwise no (and says why; the denial is recorded in the audit log)."""

    def __init__(self, settings: Any, yes: bool, renderer: _Renderer, interactive: bool) -> None:
        self.settings, self.yes, self.renderer, self.interactive = settings, yes, renderer, interactive
        self.prompting = False

    def answer(self, req: Any) -> None:
        from netops.cli._common import confirm_within
        from netops.playbook.approval import PolicyApprover, expired_reason, prompt_reason

        needs_person = getattr(req, "needs_person", None)
        if self.yes and not needs_person:
            decision = PolicyApprover(self.settings).approve(req.plan)
            req.respond(decision.approved, by=decision.by, reason=decision.reason, by_policy=True)
            return
        if not self.interactive:
            # why a person must approve, without the reviewer's findings again: the plan above printed
            # them, and the reason is repeated on the tool card and in the outcome (trial32: four times)
            short = needs_person.split(":", 1)[0] if needs_person else None
            why = (f"--yes does not cover this change ({short}) and there is no terminal to ask"
                   if self.yes else
                   f"no terminal to ask for approval, and only a person at a terminal may approve this change "
                   f"({short}): ask again at a terminal" if needs_person else
                   "no terminal to ask for approval (use --yes with an approval policy)")
            req.respond(False, by=self.settings.user, reason=why)
            return
        self.renderer.pause()
        if self.yes and needs_person:
            click.echo(f"--yes does not cover this change: {needs_person}", err=True)
        hosts = ", ".join(req.plan.hosts)
        self.prompting = True
        answer: bool | None
        try:
            # the library expires the plan after approval_timeout; the prompt gives up then too
            # (it waited for a key, the answer and the exit held up behind it)
            answer = confirm_within(f"Apply {req.plan.playbook} ({req.plan.risk} risk) to {hosts}?",
                                    self.settings.approval_timeout)
        except TimeoutError:
            if not req.answered:  # the prompt's clock ran out a moment before the library's
                req.respond(False, by="nobody", reason=expired_reason(self.settings.approval_timeout, req.plan.hosts))
            answer = None
        except (EOFError, KeyboardInterrupt, click.exceptions.Abort):
            answer = None
        finally:
            self.prompting = False
        if req.answered:  # the plan expired (or was cancelled) while the prompt waited
            click.echo(f"too late: {req.approval.reason}; nothing was changed", err=True)
            return
        req.respond(bool(answer), by=self.settings.user, reason=prompt_reason(answer))


@click.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--offline", is_flag=True, help="Do not use a model: intent router and retrieval only.")
@click.option("--model", "-m", default=None, help="Model to use (default: settings.model).")
@click.option("--yes", "-y", is_flag=True, help="Approve changes the approval policy allows (no prompt).")
@click.option("--continue", "-c", "continue_last", is_flag=True,
              help="Continue the newest `netops ask` conversation (not a chat's); another: --conversation ID.")
@click.option("--conversation", "conversation_id", default=None, metavar="ID",
              help="Continue conversation ID (see `netops conversations list`).")
@json_option
def ask(question: tuple[str, ...], offline: bool, model: str | None, yes: bool, continue_last: bool,
        conversation_id: str | None, as_json: bool) -> int:
    """Ask a question or state an intent ("drain r2"); answers cite their evidence."""
    from netops.agent.events import AnswerEvent, ApprovalEvent, ApprovalRequestEvent, PlanEvent
    from netops.cancel import CancelToken
    from netops.errors import InputError
    from netops.session import Session

    text = " ".join(question).strip()
    if not text:
        raise InputError("the question is empty", hint='netops ask "BGP neighbours on r1"')
    if conversation_id and continue_last:
        raise InputError("give --continue or --conversation, not both")
    settings = settings_from(click.get_current_context())
    renderer = _Renderer(quiet=as_json)
    approvals = _Approvals(settings, yes, renderer, interactive=sys.stdin.isatty() and not as_json)
    token = CancelToken()
    answer = None
    changing = [False]

    def notice(first: bool) -> None:
        if first:
            renderer.cancelling(changing[0])
        else:
            click.echo("still cancelling; a change is rolled back before netops exits", err=True)

    with Session(settings, surface="ask") as session, \
            CtrlCCancels(token, prompting=lambda: approvals.prompting, notice=notice):
        assistant = session.assistant(model=model)
        for ev in assistant.events(text, offline=offline, continue_last=continue_last,
                                   conversation_id=conversation_id, cancel=token):
            renderer.handle(ev)
            if isinstance(ev, PlanEvent):
                changing[0] = True
            elif isinstance(ev, ApprovalEvent):
                changing[0] = False
            elif isinstance(ev, ApprovalRequestEvent):
                approvals.answer(ev)
            elif isinstance(ev, AnswerEvent):
                answer = ev.answer
    assert answer is not None
    if as_json:
        emit_json(answer.to_dict())
    return answer.exit_code
