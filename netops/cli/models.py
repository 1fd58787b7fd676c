"""``netops models``: list and pull local models (Ollama, or an OpenAI-compatible endpoint)."""

from __future__ import annotations

import click

from netops.cli._common import console, emit_json, json_option, print_wide, settings_from


def _size(n: int | None) -> str:
    if not n:
        return "-"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1000  # type: ignore[assignment]
    return str(n)


@click.group()
def models() -> None:
    """List and pull local models."""


@models.command("list")
@json_option
def list_cmd(as_json: bool) -> None:
    """Local models with size, family, parameters, context length and capabilities."""
    from netops.model.base import backend_for

    settings = settings_from()
    backend = backend_for(settings)
    infos = backend.list_models()
    if as_json:
        emit_json({"endpoint": backend.url, "kind": backend.kind, "configured": settings.model,
                   "models": [m.to_dict() for m in infos]})
        return
    from rich.table import Table

    table = Table(title=f"models at {backend.url}", title_justify="left")
    for col in ("name", "size", "family", "params", "quant", "context", "capabilities"):
        table.add_column(col)
    for m in infos:
        name = m.name + (" *" if m.name == settings.model else "")
        caps = ", ".join(m.capabilities) if m.capabilities else "-"
        table.add_row(name, _size(m.size), m.family or "-", m.parameter_size or "-", m.quantization or "-",
                      str(m.context_length or "-"), caps)
    con = console()
    print_wide(con, table)
    if not infos:
        con.print(f"no models; pull one: netops models pull {settings.model}")
    elif settings.model not in {m.name for m in infos}:
        con.print(f"the configured model {settings.model} is not here; netops models pull {settings.model}")


@models.command("pull")
@click.argument("name", required=False)
@json_option
def pull_cmd(name: str | None, as_json: bool) -> None:
    """Download a model (default: the configured one) with a progress bar."""
    from netops.cli._common import progress
    from netops.errors import ModelError
    from netops.model.base import backend_for

    settings = settings_from()
    name = name or settings.model
    backend = backend_for(settings)
    last = None
    from rich.markup import escape

    with progress(transient=False) as bar:
        task = bar.add_task(escape(f"pull {name}"), total=None)
        for p in backend.pull(name):
            last = p
            said = escape(f"{name}: {p.status}")  # the server's words, never markup (see PullProgress)
            if p.total:
                bar.update(task, total=p.total, completed=p.completed or 0, description=said)
            else:
                bar.update(task, description=said)
    if last is None or last.status != "success":
        raise ModelError(f"pull of {name} did not finish (last status: {last.status if last else 'none'})",
                         hint="check `ollama serve` logs and the model name")
    if as_json:
        emit_json({"model": name, "status": last.status, "endpoint": backend.url})
    else:
        click.echo(f"pulled {name}")
