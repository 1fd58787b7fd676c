"""``netops plugins``."""

from __future__ import annotations

import click

from netops.cli._common import emit_json, json_option


@click.command()
@json_option
def plugins(as_json: bool) -> None:
    """List installed plugins and the hooks each implements."""
    from netops import plugins as registry

    rows = registry.list_plugins()
    sources = registry.knowledge_sources()
    if as_json:
        emit_json({
            "plugins": rows,
            "knowledge_sources": [
                {"name": n, "plugin": sources.owners[n], "description": s.description}
                for n, s in sources.items.items()
            ],
        })
        return
    for row in rows:
        version = f" {row['version']}" if row["version"] else ""
        click.echo(f"{row['name']} ({row['package']}{version}): {', '.join(row['hooks']) or 'no hooks'}")
    if sources.items:
        click.echo("\nknowledge sources:")
        for name, src in sources.items.items():
            click.echo(f"  {name:<20} {src.description}  [{sources.owners[name]}]")
