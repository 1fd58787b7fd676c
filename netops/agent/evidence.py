"""Evidence an answer rests on, and how untrusted text is handed to the model.

Device output and documents are *data*, never instructions. They reach the model wrapped in
``<data source="...">...</data>``; anything in them that looks like our own tags is
neutralised so a document cannot close the wrapper and speak as the system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

_TAG = re.compile(r"<\s*/?\s*(data|system|tool|instructions?)\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a spec passage or a device observation."""

    kind: Literal["spec", "device"]
    label: str
    """What a reader sees: ``RFC 4271 §10 (BGP Timers)`` or ``r1: show bgp summary json, 12:03:04``."""
    host: str | None = None
    command: str | None = None
    at: str | None = None
    """ISO timestamp of a device observation."""


def device_evidence(host: str, command: str, when: datetime | None = None) -> Evidence:
    when = when or datetime.now(timezone.utc)
    local = when.astimezone()
    return Evidence("device", f"{host}: {command}, {local:%H:%M:%S}", host=host, command=command,
                    at=when.isoformat())


def spec_evidence(citation: str) -> Evidence:
    return Evidence("spec", citation)


def neutralise(text: str) -> str:
    """Defang tags that could close or fake our wrappers (``</data>`` -> ``[/data]``)."""
    return _TAG.sub(lambda m: "[" + m.group(0).strip("<>").strip() + "]", text)


def wrap_data(source: str, text: str) -> str:
    """Wrap untrusted text for the model."""
    src = neutralise(source).replace('"', "'")
    return f'<data source="{src}">\n{neutralise(text)}\n</data>'


def dedupe(items: list[Evidence]) -> list[Evidence]:
    seen: set[str] = set()
    out = []
    for e in items:
        if e.label not in seen:
            seen.add(e.label)
            out.append(e)
    return out
