"""``netops audit``: read and verify the hash-chained audit log."""

from __future__ import annotations

import click

from netops.cli._common import emit_json, json_option, settings_from


@click.group()
def audit() -> None:
    """The tamper-evident audit log of plans, approvals, changes and device commands."""


def _said(text: str) -> str:
    """A record's actor or kind on one line, control characters written out (a record written
    before the log kept them so, or by another program)."""
    from netops.controls import visible

    return visible(" ".join(str(text).split()))


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
        kinds = log.kinds() if kind and not records else []
    if as_json:
        emit_json({"records": [r.to_dict() for r in records]})
        return
    if not records and kind:  # a typo in --kind looked like an empty log
        click.echo(f"no audit records of kind {kind!r}" + (f" (kinds in this log: {', '.join(kinds)})" if kinds else ""))
    elif not records:
        click.echo("no audit records")
    for r in records:
        summary = ", ".join(f"{k}={v}" for k, v in r.payload.items()
                            if k in ("playbook", "host", "command", "ok", "reason", "hosts") and v is not None)
        summary = " / ".join(part.strip() for part in summary.splitlines() if part.strip())  # one line per record
        click.echo(f"{r.seq:>6}  {r.ts[:19]}Z  {_said(r.actor):<12} {_said(r.kind):<15} {summary[:100]}")


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
    click.echo(f"seq {r.seq}  {r.ts}  actor {_said(r.actor)}  kind {_said(r.kind)}")
    click.echo(f"prev_hash {r.prev_hash}\nhash      {r.hash}")
    click.echo(to_json(r.payload))


def _anchors(paths: tuple[str, ...], settings) -> list:
    from pathlib import Path

    from netops.errors import InputError
    from netops.store.anchor import read_anchors

    out = []
    for f in paths:  # asked for by name: a file with no anchor in it must not pass as checked
        if not Path(f).expanduser().is_file():
            raise InputError(f"no anchor file {f}", hint="write one with 'netops audit anchor --to FILE'")
        found = read_anchors(f)
        if not found:
            raise InputError(f"{f} holds no netops audit anchor (nothing to check against)",
                             hint="give the file 'netops audit anchor --to FILE' wrote, or a syslog file with its lines")
        out.extend(found)
    default = settings.paths.audit_anchor_file
    if default is not None and default.exists() and str(default) not in paths:
        out.extend(read_anchors(default))
    return out


@audit.command()
@click.option("--anchor", "anchors", multiple=True, type=click.Path(dir_okay=False),
              help="An anchor file (from 'audit anchor', or a syslog file); repeatable. "
                   "The configured audit.anchor_file is always read.")
@json_option
@click.pass_context
def verify(ctx: click.Context, anchors: tuple[str, ...], as_json: bool) -> None:
    """Walk the keyed chain, check the head and anchors; exit 6 naming the first problem."""
    settings = settings_from()
    heads = _anchors(anchors, settings)
    with _log() as log:
        report = log.verify(heads)
    if as_json:
        emit_json(report.to_dict())
    elif report.ok:
        click.echo(f"ok: {report.count} records, head seq {report.head_seq} hash {report.head_hash}, "
                   f"{report.anchors_checked} anchor(s) checked")
        if not report.anchors_checked:
            click.echo("note: no anchors checked; 'netops audit anchor --to FILE' outside NETOPS_HOME "
                       "protects against someone holding the key", err=True)
    else:
        for p in report.problems:
            click.echo(f"TAMPERED seq {p.seq}: {p.problem}", err=True)
    if not report.ok:
        if not as_json:
            p = report.problems[0]
            click.echo(f"error: audit log does not verify (first problem at seq {p.seq})", err=True)
        ctx.exit(6)


@audit.command()
@click.option("--to", "to", type=click.Path(dir_okay=False), default=None,
              help="Append the anchor to this file (default: the configured audit.anchor_file).")
@click.option("--syslog", "use_syslog", is_flag=True, help="Send the anchor to the local syslog (auth.notice).")
@json_option
def anchor(to: str | None, use_syslog: bool, as_json: bool) -> None:
    """Export the verified head of the chain to a file or syslog outside NETOPS_HOME.

    A later 'audit verify --anchor FILE' proves the log was not cut short, replaced by an
    older copy or rewritten since, even by someone holding the audit key.
    """
    from pathlib import Path

    from netops.errors import InputError
    from netops.store import anchor as anchors

    settings = settings_from()
    dest = Path(to).expanduser() if to else settings.paths.audit_anchor_file
    if dest is None and not use_syslog:
        raise InputError("nowhere to write the anchor",
                         hint="give --to FILE (outside NETOPS_HOME) or --syslog, or set NETOPS_AUDIT__ANCHOR_FILE")
    with _log() as log:
        report = log.verify_or_raise(_anchors((), settings), recorded_losses=True)
        head = log.head()
        kid = log.key_id or ""
    out: dict = {"seq": head.seq, "hash": head.hash, "key_id": kid, "written": []}
    if dest is not None:
        anchors.write_file(dest, anchors.anchor_line(log.path, head.seq, head.hash, kid))
        out["written"].append(str(dest))
        home = settings.paths.home.resolve()
        if dest.resolve().is_relative_to(home):
            out["warning"] = f"{dest} is inside NETOPS_HOME: whoever can rewrite the log can rewrite this anchor"
    if use_syslog:
        out["syslog"] = anchors.write_syslog(log.path, head.seq, head.hash, kid)
        out["written"].append("syslog")
    if as_json:
        emit_json(out)
        return
    click.echo(f"anchored seq {head.seq} hash {head.hash} ({report.count} records) -> {', '.join(out['written'])}")
    if "warning" in out:
        click.echo(f"warning: {out['warning']}", err=True)
    if report.problems:  # only losses netops put on record (anything else raised above)
        click.echo(f"note: this log has {len(report.problems)} recorded loss(es), first at seq "
                   f"{report.problems[0].seq}: see 'netops audit verify'", err=True)
