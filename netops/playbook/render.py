"""Rendering playbook templates safely: Jinja2 SandboxedEnvironment + StrictUndefined.

Templates may only include other ``*.j2`` files from their own playbook directory (those are
part of the content hash). Rendered text becomes a list of command lines: blank lines and
``!``/``#`` comment lines are dropped, surrounding whitespace is stripped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netops.errors import PlaybookInvalid
from netops.playbook.spec import Playbook


def _environment(directory: Path):
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    base = Path(directory).resolve()

    def load(name: str):
        if not name.endswith(".j2") or "/" in name or "\\" in name or name.startswith("."):
            return None
        file = base / name
        if not file.is_file():
            return None
        text = file.read_text(encoding="utf-8")
        return text, str(file), lambda: False

    return SandboxedEnvironment(loader=FunctionLoader(load), undefined=StrictUndefined, autoescape=False,
                                keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)


def to_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("!") or s.startswith("#"):
            continue
        out.append(s)
    return out


def _fail(where: str, exc: Exception) -> PlaybookInvalid:
    return PlaybookInvalid(f"{where}: {type(exc).__name__}: {exc}", hint="fix the template or pass the missing parameter")


def render_file(playbook: Playbook, template: str, context: dict[str, Any]) -> list[str]:
    """Render ``template`` (a file next to playbook.yaml) into command lines."""
    from jinja2 import TemplateError
    from jinja2.exceptions import TemplateNotFound

    env = _environment(playbook.path)
    try:
        return to_lines(env.get_template(template).render(**context))
    except TemplateNotFound as exc:
        raise PlaybookInvalid(f"{playbook.name}: template {template} not found in {playbook.path}") from exc
    except TemplateError as exc:
        raise _fail(f"{playbook.name}/{template}", exc) from exc


def render_string(playbook: Playbook, text: str, context: dict[str, Any], *, what: str = "text") -> str:
    """Render a short template from playbook.yaml (a check command or an assertion)."""
    from jinja2 import TemplateError

    env = _environment(playbook.path)
    try:
        return env.from_string(text).render(**context).strip()
    except TemplateError as exc:
        raise _fail(f"{playbook.name}: {what} {text!r}", exc) from exc


def context(params: dict[str, Any], *, host: str, platform: str, facts: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**params, "facts": dict(facts or {}), "host": host, "platform": platform}


def render_change(playbook: Playbook, platform: str, ctx: dict[str, Any]) -> list[str]:
    spec = playbook.spec
    if spec.change is None:
        return []
    template = spec.change.templates.get(platform)
    if template is None:
        raise PlaybookInvalid(f"{playbook.name} has no change template for platform {platform}")
    return render_file(playbook, template, ctx)


def render_rollback(playbook: Playbook, platform: str, ctx: dict[str, Any]) -> list[str] | None:
    """Explicit rollback lines, or ``None`` when the playbook restores the snapshot instead."""
    spec = playbook.spec
    if spec.rollback is None or platform not in spec.rollback.templates:
        return None
    return render_file(playbook, spec.rollback.templates[platform], ctx)
