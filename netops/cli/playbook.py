"""``netops playbook``: list, show, lint, vet, and run (plan -> approve -> apply -> verify)."""

from __future__ import annotations

import sys

import click

from netops.cli._common import EXIT_PARTIAL, confirm_within, emit_json, json_option, settings_from


class _PlaybookGroup(click.Group):
    """Words people type for a plan or an apply name the real command (`plan` is `run --dry-run`)."""

    MEANT = {
        "plan": "a plan is `netops playbook run NAME -t TARGET --dry-run` (it changes nothing)",
        "dry-run": "a plan is `netops playbook run NAME -t TARGET --dry-run` (it changes nothing)",
        "apply": "`netops playbook run NAME -t TARGET` plans, asks for approval, then applies",
        "rollback": "a failed run rolls back by itself; `netops playbook recover` restores what a killed run left",
    }

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            meant = self.MEANT.get(click.utils.make_str(args[0]).lower()) if args else None
            if meant is None:
                raise
            raise click.UsageError(f"no command {args[0]!r}: {meant}", ctx) from None


@click.group(cls=_PlaybookGroup)
def playbook() -> None:
    """Vetted playbooks: reviewed, hash-pinned changes with prechecks, approval and rollback."""


@playbook.command("list")
@json_option
def list_cmd(as_json: bool) -> None:
    """List playbooks with their risk and vetting state."""
    from netops.playbook.catalogue import Catalogue

    entries = Catalogue(settings_from()).list()
    if as_json:
        emit_json({"playbooks": entries})
        return
    if not entries:
        click.echo("no playbooks found")
        return
    for e in entries:
        if e.error:
            click.echo(f"{e.name:<24} INVALID  {e.error}")
            continue
        kind = "read-only" if e.read_only else f"{e.risk} risk"
        origin = "" if e.source == "netops" else f"[{e.source}] "
        click.echo(f"{e.name:<24} v{e.version:<3} {kind:<12} {e.vetting:<15} {origin}{e.description}")


@playbook.command()
@click.argument("name")
@json_option
def show(name: str, as_json: bool) -> None:
    """Show one playbook: parameters, checks, templates, hash and who vetted it."""
    from netops.playbook.catalogue import Catalogue

    cat = Catalogue(settings_from())
    pb = cat.get(name)
    status = cat.lock_for(pb).status(pb)
    files = {f.name: f.read_text(encoding="utf-8") for f in pb.files() if f.name != "playbook.yaml"}
    if as_json:
        emit_json({"name": pb.name, "path": str(pb.path), "hash": pb.hash, "vetting": status.state,
                   "lock": status.entry, "spec": pb.spec.model_dump(mode="json", by_alias=True), "templates": files})
        return
    s = pb.spec
    click.echo(f"{s.name} v{s.version}  ({'read-only' if s.read_only else s.risk + ' risk'}; owner {s.owner})")
    click.echo(f"  {s.description}")
    click.echo(f"  path: {pb.path}\n  hash: {pb.hash}")
    who = f" by {status.entry.reviewer} at {status.entry.vetted_at}" if status.entry else ""
    click.echo(f"  vetting: {status.state}{who}")
    click.echo(f"  platforms: {', '.join(s.platforms)}")
    for line in _reviewed(s):
        click.echo(f"  {line}")
    if s.parameters:
        click.echo("  parameters:")
        for n, p in s.parameters.items():
            click.echo(f"    {n} ({p.type}): {p.description}  e.g. {p.example}")
    for label, checks in (("prechecks", s.prechecks), ("postchecks", s.postchecks)):
        if checks:
            click.echo(f"  {label}:")
            for c in checks:
                wait = f" (within {c.within:g}s)" if c.within else ""
                click.echo(f"    - {c.name}{wait}: {c.command}")
                for a in c.expect:
                    click.echo(f"        assert {a}")
                for fact, cap in c.capture.items():  # what the templates and the rollback use
                    click.echo(f"        learns {fact} ({cap.type}) from {cap.query}")
    for r in s.report:
        click.echo(f"  reports {r.name}: {r.command} -> {r.query}" + (f" (each: {r.each})" if r.each else ""))
    for fname, text in files.items():
        click.echo(f"  --- {fname}")
        for line in text.rstrip().splitlines():
            click.echo(f"    {line}")


def _reviewed(s) -> list[str]:
    """What a reviewer vetting a playbook needs beyond its checks and templates (plugin36: ``show``
    did not say how a change is undone): which targets it takes, how the change is sent, how it is
    rolled back, and which words ask for it and which it refuses."""
    from netops.agent.change_intent import PlaybookInfo

    t = s.targets
    hosts = (f"exactly {t.min_hosts}" if t.max_hosts == t.min_hosts else
             f"{t.min_hosts} to {t.max_hosts}" if t.max_hosts else f"{t.min_hosts} or more")
    out = [f"targets: {hosts} host{'' if hosts.endswith(' 1') else 's'} per run"
           + (f", platform {t.platform}" if t.platform else "") + (f", group {t.group}" if t.group else "")]
    if s.change is not None:
        out.append("change: " + ("configuration lines (config mode)" if s.change.mode == "config"
                                 else "allow-listed operational commands (exec)")
                   + ": " + ", ".join(f"{p} {f}" for p, f in s.change.templates.items()))
    if s.rollback is not None:
        # the runner: the rollback template (if any), then a config diff back to the snapshot
        out.append("rollback: " + ("snapshot (the pre-change configuration restored by a config diff)"
                                   if s.rollback.snapshot_only else
                                   ", ".join(f"{p} {f}" for p, f in s.rollback.templates.items())
                                   + ", then the pre-change configuration restored by a config diff")
                   + "; by itself when the apply or a postcheck fails or the run is cancelled")
    elif s.read_only:
        out.append("rollback: none (read-only: changes nothing)")
    out.append("asked for in words by: " + (", ".join(f'"{p}"' for p in s.phrases) if s.phrases else
                                            "its name's action word" if PlaybookInfo.from_spec(s).actions else
                                            "nothing (no phrases; only by name)"))
    if s.not_for:
        out.append("refuses (not_for): " + ", ".join(f'"{p}"' for p in s.not_for))
    if not s.read_only or s.phrases:
        out.append("example request: " + PlaybookInfo.from_spec(s).phrasing({}))
    return out


@playbook.command()
@click.argument("name", required=False)
@click.option("--plugin", "plugin", metavar="PLUGIN", help="Lint the playbooks PLUGIN contributes.")
@json_option
@click.pass_context
def lint(ctx: click.Context, name: str | None, plugin: str | None, as_json: bool) -> None:
    """Lint one playbook (or all, or a plugin's): schema, templates, deny list, rollback."""
    from netops.playbook.catalogue import Catalogue
    from netops.playbook.lint import lint_playbook

    cat = Catalogue(settings_from())
    names = [name] if name else cat.plugin_playbooks(plugin) if plugin else cat.names()
    paths = [cat.path_of(n) for n in names]
    reports = [lint_playbook(p) for p in paths]
    if as_json:
        emit_json({"ok": all(r.ok for r in reports), "playbooks": reports})
    else:
        for r in reports:
            click.echo(f"{r.name}: {'ok' if r.ok else 'FAILED'}")
            for p in r.problems:
                click.echo(f"  - {p}")
    if not all(r.ok for r in reports):
        ctx.exit(2)


@playbook.command()
@click.argument("name", required=False)
@click.option("--reviewer", required=True, help="Who reviewed this exact content.")
@click.option("--plugin", "plugin", metavar="PLUGIN",
              help="Vet the playbooks PLUGIN contributes (all of them, or NAME), in the plugin's own lock.")
@json_option
def vet(name: str | None, reviewer: str, plugin: str | None, as_json: bool) -> None:
    """Record a playbook's current content hash as reviewed (in its directory's playbooks.lock).

    With --plugin, every playbook of that plugin (see `netops plugins`) is linted and re-vetted;
    until then an edited plugin playbook is refused exactly like an edited built-in one.
    """
    from netops.errors import InputError, NotFoundError
    from netops.playbook.catalogue import Catalogue
    from netops.store.audit import AuditLog

    settings = settings_from()
    cat = Catalogue(settings)
    if plugin is not None:
        names = cat.plugin_playbooks(plugin)
        if name is not None and name not in names:
            raise NotFoundError(f"plugin {plugin!r} has no playbook {name!r}", hint=f"its playbooks: {', '.join(names)}")
        names = [name] if name else names
    elif name is None:
        raise InputError("name the playbook to vet, or --plugin PLUGIN", hint="netops playbook list")
    else:
        names = [name]
    done = []
    with AuditLog.from_settings(settings) as audit:
        for n in names:
            pb, entry, lock = cat.vet(n, reviewer, audit=audit, actor=settings.user)
            done.append({"name": pb.name, "lock": str(lock.path), **entry.__dict__})
            if not as_json:
                click.echo(f"vetted {pb.name} {pb.hash} by {entry.reviewer} at {entry.vetted_at} ({lock.path})")
    if as_json:
        emit_json(done[0] if plugin is None else {"plugin": plugin, "vetted": done})


def _render_plan(p, *, err: bool = False) -> None:
    from netops.devices.redact import redact_data, redact_lines

    def echo(line: str = "") -> None:
        click.echo(line, err=err)

    echo(f"playbook {p.playbook} v{p.version}  risk: {p.risk}  hash: {p.hash[:19]}...  (vetted by {p.reviewer})")
    if p.params:  # the screen shows no secret: parameters and commands come redacted (as in the audit log)
        echo("parameters: " + ", ".join(f"{k}={v}" for k, v in redact_data(p.params).items()))
    echo(f"targets: {', '.join(p.hosts)}")
    for host, hp in p.host_plans.items():
        echo(f"\n== {host} ({hp.platform})")
        for c in hp.prechecks:
            echo(f"  precheck {'PASS' if c.ok else 'FAIL'}  {c.name}" + ("" if c.ok else f": {c.summary}"))
        if hp.error:
            echo(f"  problem: {hp.error}")
        if hp.commands:
            echo("  commands:")
            for line in redact_lines(hp.commands, hp.platform):
                echo(f"    {line}")
            if hp.rollback is not None:
                echo("  rollback: " + " / ".join(redact_lines(hp.rollback, hp.platform)))
            else:
                echo("  rollback: restore the pre-change snapshot")
        if hp.diff:
            echo("  diff:")
            for line in hp.diff.rstrip().splitlines():
                echo(f"    {line}")
        elif hp.diff_note:
            echo(f"  diff: {hp.diff_note}")
        if hp.report:
            from netops.cli._common import to_json

            echo("  report:")
            for line in to_json(hp.report).splitlines():
                echo(f"    {line}")
    checks = getattr(p, "verification", None) or []
    if checks:
        echo("\nverified after the change by (a failure rolls the host back):")
        for c in checks:
            echo(f"  postcheck {c}")
    for w in getattr(p, "warnings", None) or []:
        echo(f"warning: {w}")


def _render_report(r) -> None:
    from netops.playbook.runner import state_words

    click.echo("")
    for host, hr in r.hosts.items():
        line = f"{host}: {state_words(hr.state)}"
        if hr.error:
            line += f" ({hr.error.splitlines()[0]})"
        click.echo(line)
        if hr.report:
            from netops.cli._common import to_json

            for ln in to_json(hr.report).splitlines():
                click.echo(f"    {ln}")
    if r.audit_error:
        click.echo(f"error: the audit log could not be written ({r.audit_error}); the run stopped and put back "
                   "what it had changed (hosts above): this run is NOT fully on record", err=True)
    elif r.interrupted:
        click.echo("interrupted: hosts above show where each one was left")


@playbook.command()
@click.argument("name")
@click.option("--target", "-t", "targets", multiple=True, required=True, help="Host, group or filter (repeatable).")
@click.option("--param", "-p", "params", multiple=True, help="NAME=VALUE (repeatable).")
@click.option("--dry-run", is_flag=True, help="Plan only: show targets, commands, prechecks, diff; change nothing.")
@click.option("--yes", is_flag=True, help="Approve without a prompt, where the approval policy allows it.")
@click.option("--batch", type=click.IntRange(1, 100), default=1, show_default=True,
              help="Hosts per batch after the one-host canary.")
@click.option("--intent", default=None, help="Why (recorded in the audit log).")
@json_option
@click.pass_context
def run(ctx: click.Context, name: str, targets: tuple[str, ...], params: tuple[str, ...], dry_run: bool,
        yes: bool, batch: int, intent: str | None, as_json: bool) -> None:
    """Plan, approve and apply a vetted playbook, with postchecks and automatic rollback."""
    from netops.cancel import CancelToken
    from netops.cli._common import CtrlCCancels
    from netops.playbook.approval import CliApprover, DenyAll, PolicyApprover
    from netops.playbook.params import parse_kv
    from netops.playbook.runner import execute, plan, state_words
    from netops.session import Session

    settings = settings_from()
    values = parse_kv(params)
    target = ",".join(targets)
    if yes:
        from netops.playbook.policy import load_policy

        load_policy(settings.paths.policy_file)  # a broken policy fails before anything is planned or recorded
    with Session(settings, surface="playbook run") as session:
        audit, devices = session.audit, session.devices
        p = plan(settings, name, target, values, devices=devices, audit=audit, intent=intent,
                 catalogue=session.catalogue)
        if not as_json:
            _render_plan(p)
        if dry_run or not p.ok:
            if as_json:
                emit_json({"plan": p.to_dict(), "dry_run": dry_run, "report": None})
            elif not p.ok:
                click.echo("\nprechecks failed: nothing will be changed", err=True)
            ctx.exit(0 if p.ok else 1)
        prompting = [False]

        def confirm(question: str) -> bool:
            prompting[0] = True
            try:
                # the plan holds its hosts' change locks while this waits: it expires, as in `ask`
                return confirm_within(question, settings.approval_timeout)
            except (click.exceptions.Abort, KeyboardInterrupt):  # not approved, either way
                if token.cancelled:  # Ctrl-C (it cancelled the token): recorded as a cancel, as `ask` does
                    raise KeyboardInterrupt from None
                return False  # end of input: the default, no
            finally:
                prompting[0] = False

        if yes:
            approver = PolicyApprover(settings)
        elif sys.stdin.isatty() and not p.read_only:
            if as_json or not sys.stdout.isatty():
                # the plan went to a pipe, a file or JSON after the run (`playbook run ... | head -3`
                # showed three lines, then asked): the person approves what they see, where they answer
                click.echo("the plan you are asked to approve (standard output is not a terminal):", err=True)
                _render_plan(p, err=True)
                click.echo("", err=True)
            approver = CliApprover(settings.user, confirm, timeout=settings.approval_timeout)
        elif p.read_only:
            approver = PolicyApprover(settings)  # not consulted for read-only playbooks
        else:  # nobody to ask: the runner records the "no" like any other
            approver = DenyAll("not interactive and --yes not given", by=settings.user)

        def on_event(ev) -> None:
            if not as_json:
                click.echo(f"  [{ev.host}] {state_words(ev.state)}: {ev.message}", err=True)

        def notice(first: bool) -> None:
            click.echo("interrupted: stopping before the next step; every changed host is rolled back"
                       if first else "still rolling back; netops exits when every host is restored", err=True)

        token = CancelToken()
        with CtrlCCancels(token, prompting=lambda: prompting[0], notice=notice):
            report = execute(p, approver=approver, devices=devices, audit=audit, on_event=on_event, batch=batch,
                             cancel=token)
    if as_json:
        emit_json({"plan": p.to_dict(), "dry_run": False, "report": report.to_dict()})
    else:
        _render_report(report)
    if report.interrupted and not report.audit_error:
        ctx.exit(130)
    if report.failed:
        ok = sum(1 for h in report.hosts.values() if h.state == "verified")
        ctx.exit(EXIT_PARTIAL if ok else 1)


@playbook.command()
@json_option
@click.pass_context
def recover(ctx: click.Context, as_json: bool) -> None:
    """Restore hosts a crashed or killed run left changed, from its journalled snapshots.

    Finds runs whose netops process is gone without a result, puts each host back to its
    pre-change running config, verifies it byte for byte and records it in the audit log.
    """
    from netops.playbook.journal import damaged, unfinished
    from netops.playbook.recover import recover as do_recover
    from netops.session import Session

    settings = settings_from()
    pending = unfinished(settings.paths.home)
    if not pending and not damaged(settings.paths.home):
        if as_json:
            emit_json({"runs": 0, "hosts": []})
        else:
            click.echo("nothing to recover: no unfinished runs")
        return

    def show(r) -> None:
        if not as_json:
            click.echo(r.line)

    from netops.playbook.recover import take_notices

    for line in take_notices(settings.paths.home):  # what a guard did meanwhile
        if not as_json and not any(f"(run {j.run_id})" in line for j in pending):  # said again below
            click.echo(line)
    with Session(settings, surface="playbook recover") as session:
        done = do_recover(settings, session.devices, session.audit, on_host=show)
    if as_json:
        emit_json({"runs": len(pending), "hosts": [r.to_dict() for r in done]})
    elif all(r.ok for r in done):
        click.echo(f"recovered {len(pending)} run(s): every host equals its snapshot again")
    if not all(r.ok for r in done):
        if not as_json:
            click.echo("error: some hosts could not be restored; see above and `netops audit list --kind recover`",
                       err=True)
        ctx.exit(1)
