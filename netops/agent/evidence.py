"""Evidence an answer rests on, and how untrusted text is handed to the model.

Device output and documents are *data*, never instructions. They reach the model wrapped in
``<data source="...">...</data>``; anything in them that looks like our own tags is
neutralised so a document cannot close the wrapper and speak as the system. Tool-call-shaped
text (``<tool_call>`` tags, chat-template tokens of every model family: ``<|im_start|>``,
``<start_of_turn>``, ``[INST]``, ``<｜User｜>``..., JSON objects with a
tool name and arguments) is defanged too, so a model that quotes it does not produce a call.
Everything from a document, its headings and citation included, goes inside the wrapper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

_TAG = re.compile(r"<\s*/?\s*(data|system|tool|tool_calls?|tool_response|function_calls?|function|"
                  r"instructions?|assistant|user|im_start|im_end|think|start_of_turn|end_of_turn|s)\b[^>]*>",
                  re.IGNORECASE)
# Chat-template tokens, which a prompt is tokenised into as the control tokens themselves (text
# carrying them ends the data turn and opens one of its own): <|im_start|>, <|eot_id|> (ChatML,
# Llama 3, Phi, granite, gpt-oss...) and DeepSeek's with full-width bars, <｜User｜>.
_SPECIAL = re.compile(r"<[|｜][^|｜<>\n]{1,40}[|｜]>")
# Mistral's control tokens ([INST], [TOOL_CALLS], [TOOL_RESULTS]...) and Llama 2's <<SYS>>:
# written with round brackets they are plain words again.
_BRACKETED = re.compile(r"\[(/?(?:INST|TOOL_CALLS|AVAILABLE_TOOLS|TOOL_RESULTS|TOOL_CONTENT|SYSTEM_PROMPT|ARGS|"
                        r"CALL_ID|THINK))\]|<<(/?SYS)>>")
# Tool-call-shaped JSON, also when it sits escaped inside a JSON string (\"name\").
_Q = r'\\?"'
_CALL_KEYS = re.compile(rf'({_Q})(name|tool|function|tool_calls|arguments|parameters|args|input)({_Q}\s*:)')
_CALL_SHAPE = re.compile(
    rf'{_Q}(?:name|tool){_Q}\s*:\s*{_Q}[^"\n]{{1,80}}{_Q}\s*,\s*{_Q}(?:arguments|parameters|args|input){_Q}\s*:'
    rf'|{_Q}(?:arguments|parameters|args|input){_Q}\s*:[^\n]{{0,400}}?{_Q}(?:name|tool){_Q}\s*:\s*{_Q}'
    rf'|{_Q}(?:function|tool_calls){_Q}\s*:\s*[\[{{]')


KINDS = ("spec", "device", "audit", "tool")
"""Evidence kinds: a passage of the knowledge base, a device read, netops's own audit log (what
it changed on a device, "what changed on r2?": not a read of the device), and what a plugin's tool
returned when netops ran it for a question (:mod:`netops.agent.plugin_route`)."""
KIND_NAMES = {"spec": "spec", "device": "device", "audit": "netops audit log", "tool": "plugin tool"}
"""How each kind is named beside a citation; an unknown kind is named as itself."""
KIND_TITLES = {"spec": "Cited passage", "device": "Device evidence", "audit": "netops audit log",
               "tool": "Plugin tool result"}
"""How the evidence viewer titles each kind."""


def kind_name(kind: str | None) -> str:
    """The name shown beside a citation of ``kind`` (an unknown kind: itself, never a device's)."""
    return KIND_NAMES.get(kind or "spec", str(kind))


def kind_title(kind: str | None) -> str:
    """The evidence viewer's title for ``kind`` (an unknown kind: "Evidence")."""
    return KIND_TITLES.get(kind or "spec", "Evidence")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a spec passage, a device observation, or netops's audit log."""

    kind: Literal["spec", "device", "audit", "tool"]
    label: str
    """What a reader sees: ``RFC 4271 §10 (BGP Timers)``, ``r1: show bgp summary json, 12:03:04`` or
    ``netops audit log: changes on r2``."""
    host: str | None = None
    """The device read, or the devices whose changes the audit log evidence covers (``r1, r2``)."""
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
    """Defang tags that could close or fake our wrappers (``</data>`` -> ``[/data]``), chat
    template tokens, and tool-call-shaped JSON (its keys become ``"name (quoted)"``...); control
    and invisible characters go (:func:`netops.controls.printable`: a document's text is not
    cleaned where it is read, and tag characters hide from the person what the model reads)."""
    from netops.controls import printable

    out = _TAG.sub(lambda m: "[" + m.group(0).strip("<>").strip() + "]", printable(text))
    out = _SPECIAL.sub(lambda m: "[" + m.group(0)[2:-2] + "]", out)
    out = _BRACKETED.sub(lambda m: "(" + (m.group(1) or m.group(2)) + ")", out)
    if _CALL_SHAPE.search(out):
        out = _CALL_KEYS.sub(r"\1\2 (quoted)\3", out)
    return out


def wrap_data(source: str, text: str) -> str:
    """Wrap untrusted text for the model (the source label is untrusted too: one line, defanged)."""
    src = " ".join(neutralise(source).replace('"', "'").split())
    return f'<data source="{src}">\n{neutralise(text)}\n</data>'


_DATA_BLOCK = re.compile(r'(?:^\[\d+\]\n)?<data source="(?P<source>[^"]*)">\n(?P<body>.*?)(?:\n</data>$|\Z)',
                         re.S | re.M)
_CITE_CUE = re.compile(r'(?:\n|^)\(cite as: [^\n]*\)\s*\Z')


def unwrap_data(text: str) -> str:
    """Data-wrapped text as a person reads it: the body of each ``<data source=...>`` block without
    the wrapper, the number line above it, the ``cite as:`` cue inside it and the ``(cite as: ...)``
    line a tool's output ends with (our prompt framing for the model, not evidence). A block cut
    by the tool-output budget (no closing tag) is unwrapped too; text with no wrapper is returned
    as it is (a device's own ``</data>`` was defanged when it was wrapped)."""
    if "<data source=" not in text and "(cite as: " not in text:
        return text
    text = _CITE_CUE.sub("", text)
    return _DATA_BLOCK.sub(lambda m: m["body"].removeprefix(f"cite as: {m['source']}\n"), text)


def dedupe(items: list[Evidence]) -> list[Evidence]:
    seen: set[str] = set()
    out = []
    for e in items:
        if e.label not in seen:
            seen.add(e.label)
            out.append(e)
    return out
