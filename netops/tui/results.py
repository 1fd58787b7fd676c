"""A slash command's tool result as Markdown for the person (the model gets its own text)."""

from __future__ import annotations

import json
from typing import Any

from netops.rag.answer import snippet


def _json(data: Any) -> str:
    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="json")
    return json.dumps(data, indent=2, default=str)


def result_markdown(result: Any, args: dict[str, Any] | None = None, *, as_json: bool = False) -> str:
    """What ``/kb``, ``/show``, ``/state``, ``/devices``, ``/playbooks`` and ``/plan`` display.
    ``args``: the tool's arguments; with them, ``/state`` shows each host's state as the offline
    answer summarises it (a line a peer, not 60 lines of typed JSON for 2 peers); ``as_json``
    (``/state ... --json``): the typed JSON instead."""
    if not result.ok and (result.error or "").startswith("cancelled"):
        return f"**Cancelled** {result.error.removeprefix('cancelled').strip()}: the device command was abandoned."
    if not result.ok and result.data is None:
        return f"**Failed:** {result.error}"
    data = result.data
    tool = result.tool
    if tool == "kb_search":
        if not data:
            return "Nothing in the knowledge base matches."
        return "\n\n".join(f"**[{n}] {h.chunk.citation}**  \n{snippet(h.chunk.text, 500)}" for n, h in enumerate(data, 1))
    if tool in ("show", "get_state") and data is not None:
        parts = []
        for host, r in data.items():
            if not r.ok:
                parts.append(f"**{host}** failed: {r.error}")
                continue
            if tool == "get_state" and r.data is not None and not as_json and (args or {}).get("getter"):
                from netops.agent.offline import _summarise

                parts.append(f"**{host}** ({r.command}):\n\n{_summarise(args['getter'], r.data, {'_host': host})}")
                continue
            body = _json(r.data) if tool == "get_state" and r.data is not None else (r.output or "").rstrip()
            lang = "json" if tool == "get_state" else ""
            parts.append(f"**{host}** `{r.command}`\n\n```{lang}\n{body}\n```")
        return "\n\n".join(parts)
    if tool == "list_devices":
        rows = data or []
        return "\n".join(f"- **{d['name']}** ({d['platform']})" for d in rows) or "No devices in the inventory."
    if tool == "list_playbooks":
        rows = data or []
        if not rows:
            return "No vetted playbooks."
        return "\n".join(f"- **{r['name']}** ({r['risk']} risk{', read-only' if r['read_only'] else ''}): "
                         f"{r['description']}" + (f"  \n  parameters: {', '.join(r['parameters'])}" if r['parameters'] else "")
                         for r in rows)
    if tool == "playbook_plan":
        if not result.ok:  # proposing it would fail the same prechecks: no advice to ask for it
            return f"**Plan cannot run:** {result.error}."
        return "Dry run: nothing was changed. Ask in plain language to have the change proposed for approval."
    return f"```\n{result.content}\n```" if result.content else (result.error or "done")
