"""Rich renderables shared by widgets and screens: plans, diffs, verdicts, answers' headers."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

VERDICT_STYLE = {"ok": "green", "warn": "yellow", "block": "bold red"}


def diff_text(diff: str) -> Text:
    """A unified diff, coloured by line (+ green, - red, @@ cyan); readable without colour too."""
    out = Text()
    for line in diff.splitlines():
        style = ""
        if line.startswith("+") and not line.startswith("+++"):
            style = "green"
        elif line.startswith("-") and not line.startswith("---"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith(("+++", "---")):
            style = "bold"
        out.append(line + "\n", style=style)
    out.rstrip()
    return out


def verdict_text(verdict: Any) -> Text:
    level = getattr(verdict, "level", "ok")
    findings = list(getattr(verdict, "findings", []) or [])
    head = {"ok": "reviewer: no objections", "warn": "reviewer: WARNING", "block": "reviewer: BLOCKED"}.get(
        level, f"reviewer: {level}")
    text = Text(head, style=VERDICT_STYLE.get(level, ""))
    for f in findings:
        text.append(f"\n  - {f}")
    return text


def plan_renderable(plan: Any, verdict: Any = None) -> Group:
    """Everything a person needs to decide: playbook and version, risk, targets, per-host
    prechecks, rendered commands, predicted diff, and the reviewer's verdict."""
    parts: list[Any] = []
    head = Text()
    head.append(f"{plan.playbook} v{plan.version}", style="bold")
    head.append(f"   risk: {plan.risk}", style={"high": "bold red", "medium": "yellow"}.get(plan.risk, "green"))
    head.append(f"   targets: {', '.join(plan.hosts)}")
    parts.append(head)
    if getattr(plan, "description", ""):
        parts.append(Text(plan.description, style="dim"))
    from netops.devices.redact import redact_data, redact_lines

    if plan.params:  # a screen shows no secret: the parameters and commands come redacted
        parts.append(Text("parameters: " + ", ".join(f"{k}={v}" for k, v in redact_data(plan.params).items())))
    for host, hp in plan.host_plans.items():
        parts.append(Text(f"\n{host} ({hp.platform})", style="bold underline"))
        if hp.error:
            parts.append(Text(f"  error: {hp.error}", style="red"))
        for c in hp.prechecks:
            parts.append(Text(f"  precheck {c.name}: " + ("ok" if c.ok else "FAILED"),
                              style="green" if c.ok else "red"))
        if hp.commands:
            parts.append(Text("  commands:", style="bold"))
            parts.append(Text("\n".join(f"    {cmd}" for cmd in redact_lines(hp.commands, hp.platform))))
        if hp.diff:
            parts.append(Text("  predicted running-config diff:", style="bold"))
            parts.append(diff_text(hp.diff))
        elif hp.diff_note:
            parts.append(Text(f"  diff: {hp.diff_note}", style="dim"))
    if verdict is not None:
        parts.append(Text(""))
        parts.append(verdict_text(verdict))
    return Group(*parts)


def mode_line(mode: str, model: str | None, notice: str | None = None) -> str:
    """``agent · qwen2.5:7b-instruct`` or ``offline (no model)``, plus the notice."""
    if mode == "command":
        return "command" + (f" · {notice}" if notice else "")
    text = f"agent · {model}" if mode == "agent" else "offline (no language model)"
    return text + (f" · {notice}" if notice else "")
