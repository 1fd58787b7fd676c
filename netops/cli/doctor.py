"""``netops doctor``: every check with how to fix it; exit 1 if an essential one fails."""

from __future__ import annotations

import click

from netops.cli._common import console, emit_json, json_option, settings_from


@click.command()
@json_option
def doctor(as_json: bool) -> int:
    """Check state dir, knowledge index, embedder, Ollama, RFC sources, Chroma and lab tools."""
    from netops.doctor import run_checks
    from netops.environment import current_environment

    report = run_checks(settings_from())
    if as_json:
        emit_json({"ok": report.ok, "environment": current_environment(), "checks": report.checks})
        return 0 if report.ok else 1
    from rich.markup import escape

    con = console()
    for c in report.checks:
        mark = "[green]ok[/green]  " if c.ok else ("[red]FAIL[/red]" if c.essential else "[yellow]warn[/yellow]")
        con.print(f"{mark} [bold]{escape(c.name)}[/bold]: {escape(c.detail)}")
        if not c.ok and c.fix:
            con.print(f"      fix: {escape(c.fix)}")
    con.print("all essential checks passed" if report.ok else "[red]some essential checks failed[/red]")
    return 0 if report.ok else 1
