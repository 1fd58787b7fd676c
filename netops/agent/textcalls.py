"""Tool calls that local models print as text instead of sending ``tool_calls``.

Recognised shapes (optionally inside ```json fences or ``<tool_call>`` tags):
``{"name": ..., "arguments": {...}}`` (also ``parameters``/``args``/``input``), a list of
those, ``{"function": {...}}`` and ``{"tool_calls": [...]}``; several of them one per line or
one per fence; and, for a tool netops has (``known``), Python-style ``get_state(hosts=["r1"],
getter="facts")`` with literal arguments.

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
_FENCES = re.compile(r"```(?:json|tool_call)?[ \t]*\n(.*?)\n?```", re.DOTALL)
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


def _function_calls(text: str, known: Container[str]) -> list[dict[str, Any]]:
    """``name(key=literal, ...)`` statements, one or more, and nothing else; [] otherwise."""
    import ast

    try:
        tree = ast.parse(text, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    calls = []
    for stmt in tree.body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in known
                and not call.args and all(k.arg for k in call.keywords)):
            return []
        try:
            args = {str(k.arg): ast.literal_eval(k.value) for k in call.keywords}
        except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
            return []
        calls.append({"name": call.func.id, "args": args})
    return calls


def _json_lines(text: str) -> list[str] | None:
    """Several JSON objects one per line (and nothing else): each line; None otherwise."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2 or not all(ln.startswith("{") and ln.endswith("}") for ln in lines):
        return None
    return lines


def parse_text_tool_calls(content: str, *, refuse: Container[str] = (),
                          known: Container[str] = ()) -> list[dict[str, Any]]:
    """Tool calls that make up the whole of ``content``; empty when it is prose (or quotes a call
    among other text), or when any call names a tool in ``refuse``. Python-style calls are read
    only for tool names in ``known``."""
    text = content.strip()
    candidates = _TAGGED.findall(text)
    if candidates:
        if _TAGGED.sub("", text).strip():
            return []  # tagged calls with prose around them: a quote, not a call
    else:
        fences = _FENCES.findall(text)
        if len(fences) > 1 and not _FENCES.sub("", text).strip():
            candidates = fences
        else:
            m = _FENCE.match(text)
            candidates = [m.group(1) if m else text]
    if len(candidates) == 1 and not candidates[0].strip().startswith(("{", "[")):
        calls = _function_calls(candidates[0].strip(), known) if known else []
        return [] if any(c["name"] in refuse for c in calls) else calls
    split = [part for cand in candidates for part in (_json_lines(cand) or [cand])]
    calls: list[dict[str, Any]] = []
    for cand in split:
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
