"""Route diagnosis for the agent: the ``diagnose_route`` tool, the question shapes that route to
it, and its findings as numbered grounding sources.

The diagnosis itself is :func:`netops.devices.routediag.diagnose_route` (read-only, through the
device service's policy and audit). Here it becomes a tool result whose findings the model reads
as numbered data, and a :class:`~netops.agent.grounding.Grounding` whose ``facts`` (the
deterministic rendering) a person gets even when the model's answer is unsupported.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Callable

from pydantic import BaseModel, Field

from netops.agent.evidence import Evidence, device_evidence, wrap_data
from netops.agent.tools import Tool, ToolContext, ToolResult

TOOL = "diagnose_route"


class DiagnoseRouteArgs(BaseModel):
    host: str = Field(description="The device that should have the route, e.g. \"r2\"")
    prefix: str = Field(description="The prefix (or address) in question, e.g. \"203.0.113.0/24\"")


def _evidence(f: Any) -> list[Evidence]:
    when = datetime.fromisoformat(f.at) if f.at else None
    return [device_evidence(h.strip(), f.command, when) for h in f.host.split(",") if h.strip()]


def diagnose(ctx: ToolContext, args: DiagnoseRouteArgs) -> ToolResult:
    """Run the diagnosis; the model reads the findings as numbered data."""
    from netops.devices.routediag import diagnose_route

    diag = diagnose_route(ctx.get_devices(), args.host, args.prefix, cancel=ctx.cancel)
    ctx.observations[f"{diag.host}:route_diagnosis"] = diag
    evidence: list[Evidence] = []
    seen: set[str] = set()
    for f in diag.findings:
        for e in _evidence(f):
            key = f"{e.host}:{e.command}"
            if key not in seen:
                seen.add(key)
                evidence.append(e)
    lines = [f"[{n}] {'LIKELY CAUSE: ' if f.likely_cause else ''}{f.text} (from {f.source})"
             for n, f in enumerate(ordered(diag), 1)]
    lines += [f"not checked: {u}" for u in diag.unchecked]
    content = wrap_data(f"route diagnosis of {diag.prefix} on {diag.host}", "\n".join(lines))
    first = diag.likely_causes[0].text if diag.likely_causes else (diag.findings[0].text if diag.findings else "")
    return ToolResult(TOOL, True, content=content, data=diag, evidence=evidence,
                      summary=f"{diag.prefix} {'present' if diag.present else 'absent'} on {diag.host}"
                              + (f"; {first}" if first else ""))


def ordered(diag: Any) -> list[Any]:
    """Likely causes first, then the rest in the order they were found."""
    return diag.likely_causes + [f for f in diag.findings if not f.likely_cause]


def tools() -> list[Tool]:
    return [Tool(TOOL, "Diagnose why a device has or lacks a route to a prefix: the exact route, "
                 "more-specific and covering routes, the BGP table entry, BGP/OSPF neighbour states, and "
                 "which other devices have the prefix. Read-only.", DiagnoseRouteArgs, diagnose)]


# -- question shapes ---------------------------------------------------------------------------

# A negation as typed in a hurry too ("isnt", "doesnt", "cant"), and what asks for a cause besides "why"
_NEG = r"(?:\bnot\b|n't\b|\bnever\b|\b(?:is|are|was|were|does|do|did|has|have|had|ca|wo)nt\b|\bcannot\b)"
_WHY = r"(?:\bwhy\b|\bhow\s+come\b|\bwhat'?s\s+(?:going\s+on|wrong|up|the\s+(?:problem|issue))\b)"
_SHAPES = tuple(re.compile(p, re.IGNORECASE) for p in (
    # why is r2 not learning / receiving / seeing / getting P; why isn't r2 learning P
    # ("lerning", "recieving": typed in a hurry)
    rf"{_WHY}.*{_NEG}.*\b(l(?:ea|e|a)rn\w*|rec(?:ei|ie)v\w*|see\w*|get\w*|hav\w*|install\w*|carry\w*)\b",
    # r2 doesn't have P, why?  /  r1 isnt getting P from r3, whats going on
    rf"{_NEG}\W+(\w+\W+){{0,2}}(learn\w*|receiv\w*|see\w*|get\w*|hav\w*|install\w*)\b.*{_WHY}",
    r"\bwhy\b.*\b(missing|absent|gone|disappeared|withdrawn)\b",
    # the problem said, not asked: "r2 is missing 203.0.113.0/24", "203.0.113.0/24 is gone from r2"
    r"\b(?:is|are|'s)\s+(?:still\s+)?(?:missing|absent|gone)\b",
    # why don't I have a route to P on r2; why is there no route to P on r2
    r"\bwhy\b.*\bno\b.*\broutes?\b",
    # is r2 learning P; is r2 receiving P
    r"\bis\s+\S+\s+(learning|receiving|seeing|getting|installing)\b",
    # where does r2 learn P from; where is r2 getting P from ("who sends r2 P", with the receiver named, reads
    # r2's routes from every peer first: netops.agent.peer_intent.who_sends_args)
    r"\bwhere\s+(does|do|is|did)\s+\S+\s+(learn\w*|get\w*|receiv\w*)\b",
    r"\b(who|which\s+(peer|neighbou?r|router|device))\s+(sends?|advertises?|announces?)\b",
))


# "why does r2 not have neighbour 198.51.100.6" is about a session, not a route
_OTHER_NOUN = re.compile(r"\b(neighbou?rs?|peers?|peering|sessions?|adjacenc\w*|interfaces?|links?|ports?)\b",
                         re.IGNORECASE)
_ROUTE_WORD = re.compile(r"\b(routes?|routing|prefix\w*|learn\w*|receiv\w*|announc\w*|advertis\w*|sends?|rib|"
                         r"fib|table)\b", re.IGNORECASE)


def is_route_question(question: str) -> bool:
    """"why is r2 not learning P", "why don't I have a route to P on r2", "is r2 learning P",
    "where does r2 learn P from"."""
    if _OTHER_NOUN.search(question) and not _ROUTE_WORD.search(question):
        return False
    return any(p.search(question) for p in _SHAPES)


def route_args(question: str, ents: dict[str, list[str]]) -> dict[str, Any] | None:
    """``{"host", "prefix"}`` when ``question`` has a route-diagnosis shape, one host and a prefix."""
    if not ents.get("hosts") or not ents.get("addresses") or not is_route_question(question):
        return None
    # the device asked about is the first one named ("why is r3 not learning P from r1")
    from netops.agent.router import mentions

    host = min(mentions(question, ents["hosts"], joined=True))[1]
    prefix = ents["addresses"][0]
    if not re.search(_WHY, question, re.IGNORECASE) and not re.search(_NEG, question, re.IGNORECASE) and any(
            re.search(rf"\bfrom\s+(?:the\s+)?(?:router\s+|peer\s+|neighbou?r\s+)?{re.escape(n)}(?![\w.:/-])", question,
                      re.IGNORECASE) for n in [*ents["hosts"], *ents["addresses"]] if n not in (host, prefix)):
        from netops.agent.peer_intent import peer_route_args

        if (peer := peer_route_args(question, ents)) is not None and peer.get("peer") not in (None, "all"):
            # "is r1 receiving P from r3?" asks what that one peer sends it (its received routes); no
            # diagnosis, which reads every other device too ("why is r1 not getting P from r3?" still is one)
            return None
    return {"host": host, "prefix": prefix}


# -- grounding ---------------------------------------------------------------------------------

MAX_SOURCES = 8


def grounding(call: Callable[[str, dict[str, Any]], Any], args: dict[str, Any]) -> Any:
    """Run the diagnosis through the agent's tool path (``call``) and give each finding to the
    model as a numbered source; ``facts`` keeps the deterministic rendering for the person."""
    from netops.agent.grounding import DEVICE, Grounding, Source

    result = call(TOOL, {"host": args["host"], "prefix": args["prefix"]})
    diag = getattr(result, "data", None)
    if diag is None or not getattr(result, "ok", False):
        return Grounding(DEVICE, [], notice=f"could not diagnose the route first: {getattr(result, 'error', '?')}")
    # one source per read, its findings together: two findings from one read as two sources gave
    # one evidence entry two numbers, and the evidence list (one entry per read) began at [3]
    sources: list[Any] = []
    by_label: dict[str, Any] = {}
    for f in ordered(diag):
        ev = _evidence(f)
        label = f"{f.source}" + (f", {ev[0].label.rsplit(', ', 1)[-1]}" if ev else "")
        text = ("likely cause: " if f.likely_cause else "") + f.text
        if label in by_label:
            by_label[label].text += "\n" + text
            continue
        if len(sources) == MAX_SOURCES:
            continue
        by_label[label] = Source(len(sources) + 1, "device", label, text,
                                 ev[0] if ev else Evidence("device", label, host=f.host, command=f.command))
        sources.append(by_label[label])
    g = Grounding(DEVICE, sources)
    g.facts = diag.render()
    g.findings = diag.to_dict()
    return g

