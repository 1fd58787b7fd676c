"""``netops plugins``: what is installed, where from, what it provides, and what went wrong."""

from __future__ import annotations

from typing import Any

import click

from netops.cli._common import emit_json, json_option, settings_from


def report(settings: Any) -> dict[str, Any]:
    """Every plugin with its version, origin, contributions and playbook vetting; problems."""
    from netops import plugins as registry
    from netops.playbook.catalogue import Catalogue

    catalogue = Catalogue(settings)
    entries = catalogue.list()
    rows = []
    for info in registry.plugin_infos():
        source = "netops" if info.name == registry.BUILTIN else info.name
        rows.append({
            "name": info.name, "package": info.package, "version": info.version, "origin": info.origin,
            "loaded": info.loaded, "error": info.error, "hooks": list(info.hooks),
            "provides": registry.provided_by(info.name) if info.loaded else {},
            "playbooks": [{"name": e.name, "vetting": e.vetting if not e.error else "invalid",
                           "reviewer": e.reviewer, "vetted_at": e.vetted_at, "error": e.error}
                          for e in entries if e.source == source],
        })
    sources = registry.knowledge_sources()
    problems = [{"plugin": p.plugin, "kind": p.kind, "message": p.message} for p in registry.problems()]
    problems += [{"plugin": "catalogue", "kind": "clash", "message": m} for m in catalogue.problems()]
    # a playbook that does not load is left out like any other part (it was listed as [invalid]
    # with no reason, and doctor did not mention it)
    problems += [{"plugin": e.source, "kind": "playbook", "message": f"playbook {e.name} is invalid: {e.error}"}
                 for e in entries if e.error]
    return {
        "plugins": rows,
        "knowledge_sources": [{"name": n, "plugin": sources.owners[n], "description": s.description}
                              for n, s in sources.items.items()],
        "problems": problems,
    }


@click.command()
@json_option
def plugins(as_json: bool) -> None:
    """List installed plugins: version, origin, what each provides, vetting of its playbooks.

    A plugin that fails to load, registers a state-changing tool or clashes on a name is
    listed under "problems"; the rest of netops keeps working without that part.
    """
    data = report(settings_from())
    if as_json:
        emit_json(data)
        return
    for row in data["plugins"]:
        version = f" {row['version']}" if row["version"] else ""
        click.echo(f"{row['name']}  {row['package']}{version}  ({row['origin']})")
        if not row["loaded"]:
            click.echo(f"  NOT LOADED: {row['error']}")
            continue
        if row["playbooks"]:
            shown = ", ".join(f"{p['name']} [{p['vetting']}]" for p in row["playbooks"])
            click.echo(f"  playbooks: {shown}")
        for kind, names in row["provides"].items():
            if names and kind != "playbook_dirs":
                click.echo(f"  {kind.replace('_', ' ')}: {', '.join(names)}")
    if data["problems"]:
        click.echo("\nproblems (left out; everything else works):")
        for p in data["problems"]:
            click.echo(f"  {p['plugin']}: {p['message']}")
    unvetted = [(row["name"], p) for row in data["plugins"] if row["name"] != "netops.builtins"
                for p in row["playbooks"] if p["vetting"] in ("edited", "never_reviewed")]
    if unvetted:
        click.echo("\nrefused until reviewed:")
        for plugin, p in unvetted:
            click.echo(f"  {p['name']} ({plugin}): {p['vetting'].replace('_', ' ')}; after review: "
                       f"netops playbook vet --plugin {plugin} --reviewer WHO")
