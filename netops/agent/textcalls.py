"""Tool calls that local models print as text instead of sending ``tool_calls``.

Recognised shapes (optionally inside ```json fences or ``<tool_call>`` tags):
``{"name": ..., "arguments": {...}}`` (also ``parameters``/``args``/``input``), a list of
those, ``{"function": {...}}`` and ``{"tool_calls": [...]}``.

A text call is accepted only when it is the *whole* message (a call quoted inside an answer,
say from a device description the model read, stays prose), and never for a tool that changes
state (``refuse``): a state-changing call must come as a real structured tool call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container
from typing import Any

_FENCE = re.compile(r"^```(?:json|tool_call)?\s*(.*?)\s*```$", re.DOTALL)
_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*</tool_call>", re.DOTALL)


def _as_call(obj: Any) -> dict[str, Any] | None:
    if not isinstance(obj, dict):
        return None
    if "function" in obj and isinstance(obj["function"], dict):
        obj = obj["function"]
    name = obj.get("name") or obj.get("tool")
    if not isinstance(name, str) or not name:
        return None
    args = next((obj[k] for k in ("arguments", "parameters", "args", "input") if k in obj), {})
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except json.JSONDecodeError:
            pass
    return {"name": name, "args": args if isinstance(args, dict) else {"_raw": args}}


def parse_text_tool_calls(content: str, *, refuse: Container[str] = ()) -> list[dict[str, Any]]:
    """Tool calls that make up the whole of ``content``; empty when it is prose (or quotes a call
    among other text), or when any call names a tool in ``refuse``."""
    text = content.strip()
    candidates = _TAGGED.findall(text)
    if candidates:
        if _TAGGED.sub("", text).strip():
            return []  # tagged calls with prose around them: a quote, not a call
    else:
        m = _FENCE.match(text)
        candidates = [m.group(1) if m else text]
    calls: list[dict[str, Any]] = []
    for cand in candidates:
        cand = cand.strip()
        if not cand.startswith(("{", "[")):
            return []
        try:
            obj = json.loads(cand)
        except json.JSONDecodeError:
            return []
        if isinstance(obj, dict) and isinstance(obj.get("tool_calls"), list):
            obj = obj["tool_calls"]
        items = obj if isinstance(obj, list) else [obj]
        parsed = [_as_call(i) for i in items]
        if not parsed or any(p is None for p in parsed):
            return []
        calls.extend(p for p in parsed if p is not None)
    if any(c["name"] in refuse for c in calls):
        return []
    return calls
