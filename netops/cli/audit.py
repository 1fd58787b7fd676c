"""``netops audit``: read and verify the hash-chained audit log."""

from __future__ import annotations

import click

from netops.cli._common import emit_json, json_option, settings_from


@click.group()
def audit() -> None:
    """The tamper-evident audit log of plans, approvals, changes and device commands."""


def _log():
    from netops.store.audit import AuditLog

    return AuditLog.from_settings(settings_from())


@audit.command("list")
@click.option("--limit", type=click.IntRange(1, 100000), default=50, show_default=True)
@click.option("--kind", default=None, help="Only records of this kind (plan, approval, apply, device_command, ...).")
@json_option
def list_cmd(limit: int, kind: str | None, as_json: bool) -> None:
    """The newest records, oldest first."""
    with _log() as log:
        records = log.list(limit=limit, kind=kind)
    if as_json:
        emit_json({"records": [r.to_dict() for r in records]})
        return
    if not records:
        click.echo("no audit records")
    for r in records:
        summary = ", ".join(f"{k}={v}" for k, v in r.payload.items()
                            if k in ("playbook", "host", "command", "ok", "reason", "hosts") and v is not None)
        click.echo(f"{r.seq:>6}  {r.ts[:19]}Z  {r.actor:<12} {r.kind:<15} {summary[:100]}")


@audit.command()
@click.argument("seq", type=int)
@json_option
def show(seq: int, as_json: bool) -> None:
    """One record in full."""
    from netops.cli._common import to_json

    with _log() as log:
        r = log.get(seq)
    if as_json:
        emit_json(r.to_dict())
        return
    click.echo(f"seq {r.seq}  {r.ts}  actor {r.actor}  kind {r.kind}")
    click.echo(f"prev_hash {r.prev_hash}\nhash      {r.hash}")
    click.echo(to_json(r.payload))


@audit.command()
@json_option
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Walk the hash chain; exit 6 naming the first edited, deleted or moved record."""
    with _log() as log:
        report = log.verify()
    if as_json:
        emit_json(report.to_dict())
    elif report.ok:
        click.echo(f"ok: {report.count} records, head seq {report.head_seq} hash {report.head_hash}")
    else:
        for p in report.problems:
            click.echo(f"TAMPERED seq {p.seq}: {p.problem}", err=True)
    if not report.ok:
        if not as_json:
            p = report.problems[0]
            click.echo(f"error: audit log does not verify (first problem at seq {p.seq})", err=True)
        ctx.exit(6)
