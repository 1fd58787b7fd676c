"""``netops plugin new NAME``: scaffold a plugin package."""

from __future__ import annotations

from pathlib import Path

import click

from netops.cli._common import emit_json, json_option


@click.group()
def plugin() -> None:
    """Write netops plugins (see `netops plugins` for the installed ones)."""


@plugin.command()
@click.argument("name")
@click.option("--dir", "dest", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where to create the NAME directory.")
@json_option
def new(name: str, dest: Path, as_json: bool) -> None:
    """Scaffold a plugin package: pyproject with the entry point, a playbook skeleton with its
    template and lock, a runbook, contract tests and a README. It installs and passes its
    tests as generated:

        netops plugin new acme-dc && pip install -e ./acme-dc && (cd acme-dc && pytest)
    """
    from netops.scaffold import new_plugin

    made = new_plugin(name, dest)
    if as_json:
        emit_json({"name": made.name, "package": made.package, "module": made.module, "path": str(made.path),
                   "playbook": made.playbook, "files": [str(f) for f in made.files]})
        return
    click.echo(f"created {made.path} ({made.package}, entry point {made.name!r}, {len(made.files)} files)")
    click.echo(f"next:  pip install -e {made.path} && (cd {made.path} && pytest)")
    click.echo(f"then:  review {made.playbook}, netops playbook vet --plugin {made.name} --reviewer YOU")
