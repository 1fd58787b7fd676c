"""Per-platform parsers: raw command output -> the typed models in :mod:`netops.devices.models`.

Each platform module exposes ``GETTERS``: getter name -> ``fn(host, read, **kw) -> model``,
where ``read(command)`` runs one policy-checked, redacted command on the host.
"""

from __future__ import annotations

import json
from typing import Any

from netops.errors import DeviceError


class ParseError(DeviceError):
    """Device output did not have the shape the parser expects."""


def load_json(text: str, command: str) -> Any:
    """Parse JSON device output; a CLI error message instead of JSON is a :class:`ParseError`."""
    stripped = text.strip()
    if not stripped:
        return {}
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        first = stripped.splitlines()[0][:120]
        raise ParseError(f"{command!r} did not return JSON: {first}") from exc


def to_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
