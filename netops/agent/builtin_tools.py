"""The tools netops gives the model: knowledge search and read-only device access.

Changes (playbooks) live in :mod:`netops.agent.change_tools`. Every tool returns a
:class:`ToolResult`; device output and documents go to the model wrapped as data.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from netops.agent.evidence import device_evidence, spec_evidence, wrap_data
from netops.agent.tools import Tool, ToolContext, ToolResult

PASSAGE_CHARS = 1400


class KbSearchArgs(BaseModel):
    query: str = Field(description="What to look up in the specs and runbooks")
    top_k: int = Field(default=4, ge=1, le=8, description="How many passages")


def kb_search(ctx: ToolContext, args: KbSearchArgs) -> ToolResult:
    from netops.privacy import redact_text

    hits = ctx.get_kb().search(args.query, top_k=args.top_k)
    if not hits:
        return ToolResult("kb_search", True, content="No passages found in the knowledge base.", data=[])
    blocks = []
    for i, hit in enumerate(hits, 1):
        c = hit.chunk
        text = c.text if len(c.text) <= PASSAGE_CHARS else c.text[:PASSAGE_CHARS] + " [...]"
        text = redact_text(text) or ""  # a runbook may hold a pasted configuration: the model gets no secret
        # its number in the turn (a passage seen before keeps its number), else its place here
        n = ctx.number(spec_evidence(c.citation), text, "spec") or i
        # The citation carries the document's own heading: untrusted, so inside the wrapper.
        blocks.append(f"[{n}]\n" + wrap_data(c.citation, f"cite as: {c.citation}\n{text}"))
    return ToolResult("kb_search", True, content="\n".join(blocks), data=hits,
                      evidence=[spec_evidence(h.chunk.citation) for h in hits], numbered=True)


class ListDevicesArgs(BaseModel):
    targets: str = Field(default="all", description="Host names, groups, 'all' or filters like platform=frr")


def list_devices(ctx: ToolContext, args: ListDevicesArgs) -> ToolResult:
    hosts = ctx.get_devices().select(args.targets)
    rows = [{"name": h.name, "platform": h.platform, "groups": list(getattr(h, "groups", ()))} for h in hosts]
    return ToolResult("list_devices", True, content=json.dumps(rows), data=rows)


class ShowArgs(BaseModel):
    hosts: list[str] = Field(description="Device names, e.g. [\"r1\"]")
    command: str = Field(description="A read-only show command, e.g. 'show bgp summary json'")


def _render_aggregate(agg: Any, label: str, ctx: ToolContext, key: str | None = None) -> ToolResult:
    blocks, evidence, failed, seen = [], [], [], []
    for host, r in agg.items():
        source = f"{host}: {r.command or label}"
        if r.ok:
            if r.data is not None and key is not None:
                data = r.data.model_dump(mode="json") if hasattr(r.data, "model_dump") else r.data
                body = json.dumps(data, indent=None, default=str)
                ctx.observations[f"{host}:{key}"] = r.data
                seen.append(f"{host} read")  # "r2 ok" on a card read as "r2 is ok" (trial36)
            else:
                body = r.output or ""
                lines = len(body.splitlines())
                seen.append(f"{host} read ({lines} line{'s' if lines != 1 else ''}"
                            + (", truncated)" if r.truncated else ")"))
            ev = device_evidence(host, r.command or label, r.started_at)
            n = ctx.number(ev, _checked_text(host, key, r.data, body), "device") if ctx.numbering is not None else None
            blocks.append((f"[{n}]\n" if n else "") + wrap_data(source, body))
            evidence.append(ev)
        else:
            failed.append(f"{host}: {r.error}")
            blocks.append(f"{host}: FAILED ({r.error_type or 'error'}): {r.error}")
    if failed and ctx.cancel is not None and ctx.cancel.cancelled and not evidence:
        return ToolResult(label.split()[0], False, content="\n".join(blocks), data=agg,
                          error=f"cancelled ({ctx.cancel.reason or 'cancelled'})")
    ok = not failed or bool(evidence)
    return ToolResult(label.split()[0], ok, content="\n".join(blocks), data=agg, evidence=evidence,
                      error="; ".join(failed) if not ok else None, numbered=True,
                      summary="; ".join(seen + [f"{f} FAILED" for f in failed]))


def _checked_text(host: str, getter: str | None, data: Any, body: str) -> str:
    """What the answer check reads of one host's output: typed state as the short lines the
    sources read before the model spoke are made of (the JSON the model gets says the same)."""
    if getter is None or data is None:
        return body
    from netops.agent.grounding import GETTER_TITLES, _describe

    return f"{GETTER_TITLES.get(getter, getter.replace('_', ' '))} of {host}:\n{_describe(getter, data, {})}"


def _cancel(ctx: ToolContext) -> dict[str, Any]:
    """The question's cancel token for a device call: a cancel abandons the SSH work at once."""
    return {"cancel": ctx.cancel} if ctx.cancel is not None else {}


def show(ctx: ToolContext, args: ShowArgs) -> ToolResult:
    # filter_here: the model's "| include" runs on the redacted output (no secret oracle)
    agg = ctx.get_devices().run(args.hosts, args.command, filter_here=True, **_cancel(ctx))
    res = _render_aggregate(agg, args.command, ctx)
    res.tool = "show"
    return res


Getter = Literal["facts", "interfaces", "bgp_neighbors", "ospf_neighbors", "route", "routes", "config",
                 "bgp_advertised", "bgp_received"]


class GetStateArgs(BaseModel):
    hosts: list[str] = Field(description="Device names, e.g. [\"r1\", \"r2\"]")
    getter: Getter = Field(description="Which typed state to fetch")
    prefix: str | None = Field(default=None, description="For getter=route: the prefix or address to look up; "
                               "for getter=routes: every route at or inside it (0.0.0.0/0: the whole table)")
    peer: str | None = Field(default=None, description="For getter=bgp_advertised (routes the host sends this BGP "
                             "peer) or bgp_received (routes it accepted from it): the peer's address or its "
                             "device name, e.g. \"r2\", or \"all\" for every peer of the host")
    family: Literal["ipv4", "ipv6"] | None = Field(default=None, description="For bgp_advertised/bgp_received: "
                                                   "the address family (default: the peer address's)")
    vrf: str | None = Field(default=None, description="For bgp_neighbors, bgp_advertised and bgp_received: the "
                            "VRF (routing instance), e.g. \"CUST-A\" (default: the global table)")


def get_state(ctx: ToolContext, args: GetStateArgs) -> ToolResult:
    kw: dict[str, Any] = {}
    if args.getter in ("route", "routes"):
        if not args.prefix:
            return ToolResult("get_state", False, error=f"getter '{args.getter}' needs prefix (e.g. 203.0.113.3/32"
                              + (", or 0.0.0.0/0 for the whole table)" if args.getter == "routes" else ")"))
        kw["prefix"] = args.prefix
    label = args.getter + (f" {args.prefix}" if args.prefix else "")
    if args.getter in ("bgp_advertised", "bgp_received"):
        if not args.peer:
            return ToolResult("get_state", False, error=f"getter '{args.getter}' needs peer (e.g. r2 or 198.51.100.2, "
                                                                 f"or all for every peer)")
        kw["peer"] = args.peer
        if args.family:
            kw["family"] = args.family
        label = f"{args.getter} {args.peer}"
    if args.vrf and args.getter in ("bgp_neighbors", "bgp_advertised", "bgp_received"):
        kw["vrf"] = args.vrf
        label += f" vrf {args.vrf}"
    agg = ctx.get_devices().get(args.hosts, args.getter, **kw, **_cancel(ctx))
    res = _render_aggregate(agg, label, ctx, key=args.getter)
    res.tool = "get_state"
    return res


def read_tools() -> list[Tool]:
    from netops.agent.route_tool import tools as route_tools

    return [
        Tool("kb_search", "Search RFCs, vendor docs and runbooks; returns passages with citations.",
             KbSearchArgs, kb_search),
        Tool("list_devices", "List devices in the inventory.", ListDevicesArgs, list_devices),
        Tool("show", "Run a read-only show command on devices (policy-checked).", ShowArgs, show),
        Tool("get_state", "Typed device state: facts, interfaces, bgp_neighbors, ospf_neighbors, "
             "route (needs prefix), routes (needs prefix: every route at or inside it; 0.0.0.0/0 is the whole "
             "table), config, bgp_advertised / bgp_received (needs peer: the prefixes the host "
             "sends that BGP peer / accepted from it; peer all: every peer).", GetStateArgs, get_state),
        *route_tools(),
    ]
