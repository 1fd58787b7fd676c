"""Tool calls that local models print as text instead of sending ``tool_calls``.

Recognised shapes (optionally inside ```json fences or ``<tool_call>`` tags):
``{"name": ..., "arguments": {...}}`` (also ``parameters``/``args``/``input``), a list of
those, ``{"function": {...}}`` and ``{"tool_calls": [...]}``; several of them one per line or
one per fence; the same inside a model family's own wrapper (Llama's ``<|python_tag|>`` and
``<function=name>{...}</function>``, Mistral's ``[TOOL_CALLS]``, Phi's ``functools[...]``); and,
for a tool netops has (``known``), Python-style ``get_state(hosts=["r1"],
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
_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*</tool_call>", re.DOTALL | re.IGNORECASE)
# Model families' own wrappers around a call (the call itself is one of the JSON shapes above):
# Llama 3.1 "<|python_tag|>{...}<|eom_id|>", Mistral "[TOOL_CALLS] [{...}]" and its newer
# "[TOOL_CALLS]name[ARGS]{...}", Llama 3.x "<function=name>{...}</function>", Phi-4-mini
# "functools[{...}]"; a turn-end token after the call is no part of it.
_END_TOKEN = re.compile(r"\s*(?:<\|(?:eom_id|eot_id|im_end|end|end_of_text|call)\|>|</s>|<end_of_turn>)\s*\Z")
_LEAD = re.compile(r"\A(?:<\|python_tag\|>|\[TOOL_CALLS\]|functools(?=\[))\s*")
_NAMED_ARGS = re.compile(r"\s*(?:\[TOOL_CALLS\]\s*)?([A-Za-z_][\w.-]{0,79})\[ARGS\]\s*")
_FUNCTION_TAG = re.compile(r"\s*<function=([A-Za-z_][\w.-]{0,79})>\s*(.*?)\s*</function>\s*", re.DOTALL)


def _unwrapped(text: str) -> str:
    """``text`` without a model family's wrapper around its calls (a JSON text the parser reads),
    or as it was when it has none."""
    while (end := _END_TOKEN.search(text)) and end.start() > 0:
        text = text[:end.start()]
    fns = list(_FUNCTION_TAG.finditer(text))
    if fns and "".join(m.group(0) for m in fns) == text:
        try:
            return json.dumps([{"name": m.group(1), "arguments": json.loads(m.group(2) or "{}")} for m in fns])
        except (json.JSONDecodeError, RecursionError):
            return text
    lead = _LEAD.match(text)
    if lead is None:
        return text
    rest = text[lead.end():]
    if _NAMED_ARGS.match(rest):  # [TOOL_CALLS]name[ARGS]{...}, maybe several
        calls, pos, decoder = [], 0, json.JSONDecoder()
        while pos < len(rest):
            m = _NAMED_ARGS.match(rest, pos)
            if m is None:
                return text
            try:
                args, pos = decoder.raw_decode(rest, m.end())
            except (json.JSONDecodeError, RecursionError):
                return text
            calls.append({"name": m.group(1), "arguments": args})
            while pos < len(rest) and rest[pos].isspace():
                pos += 1
        return json.dumps(calls)
    return rest


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
    text = _unwrapped(content.strip())
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
