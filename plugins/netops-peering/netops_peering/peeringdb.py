"""``peeringdb_lookup``: who is this ASN or IXP address, and what prefix limit do we give it?

Read-only, and offline: it reads a local JSON export in the shape of PeeringDB's ``net`` and
``netixlan`` objects. ``$NETOPS_HOME/peering/peeringdb.json`` when present (the team's nightly
export), else the sample shipped with the plugin.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator

from netops.agent.tools import Tool, ToolContext, ToolResult, data_block

SAMPLE = Path(__file__).resolve().parent / "data" / "peeringdb.json"
HEADROOM = 1.25
"""Suggested maximum-prefix = advertised count x this, rounded up to a multiple of 10."""


class LookupArgs(BaseModel):
    asn: int | None = Field(default=None, ge=1, le=4294967295, description="AS number, e.g. 64499")
    ip: str | None = Field(default=None, description="An IXP peering address, e.g. 198.51.100.202")
    name: str | None = Field(default=None, max_length=80, description="Part of the network's name")

    @model_validator(mode="after")
    def _one(self) -> "LookupArgs":
        if self.asn is None and not self.ip and not self.name:
            raise ValueError("give asn, ip or name")
        if self.ip:
            ipaddress.ip_address(self.ip)
        return self


def data_file(ctx: ToolContext) -> Path:
    home = getattr(getattr(ctx.settings, "paths", None), "home", None)
    local = Path(home) / "peering" / "peeringdb.json" if home else None
    return local if local is not None and local.is_file() else SAMPLE


def suggested_limit(advertised: int | None) -> int | None:
    if not advertised:
        return None
    return int(math.ceil(advertised * HEADROOM / 10.0) * 10)


def lookup(db: dict[str, Any], args: LookupArgs) -> list[dict[str, Any]]:
    nets = db.get("networks", [])
    links = db.get("netixlan", [])
    asns: set[int] = set()
    if args.asn is not None:
        asns.add(args.asn)
    if args.ip:
        want = ipaddress.ip_address(args.ip)
        asns |= {link["asn"] for link in links
                 for key in ("ipaddr4", "ipaddr6") if link.get(key) and ipaddress.ip_address(link[key]) == want}
    if args.name:
        asns |= {n["asn"] for n in nets if args.name.lower() in n["name"].lower()}
    out = []
    for net in sorted((n for n in nets if n["asn"] in asns), key=lambda n: n["asn"]):
        out.append({
            **net,
            "suggested_max_prefixes4": suggested_limit(net.get("info_prefixes4")),
            "suggested_max_prefixes6": suggested_limit(net.get("info_prefixes6")),
            "ixps": [{k: v for k, v in link.items() if k != "asn"} for link in links if link["asn"] == net["asn"]],
        })
    return out


def run(ctx: ToolContext, args: LookupArgs) -> ToolResult:
    path = data_file(ctx)
    try:
        db = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return ToolResult("peeringdb_lookup", False, error=f"cannot read {path}: {exc}")
    found = lookup(db, args)
    if not found:
        return ToolResult("peeringdb_lookup", True, content=f"No network matches in {path.name}.", data=[])
    label = f"peeringdb export {db.get('exported_at', '?')}"
    return ToolResult("peeringdb_lookup", True, content=data_block(label, json.dumps(found)), data=found)


# "AS64499", "AS 64499", "ASN 64499", "asn: 64499"; an asdot number ("AS 1.10") as asplain
_ASN = re.compile(r"\bAS(?:N)?[\s:#-]*(\d{1,10}(?:\.\d{1,5})?)\b", re.IGNORECASE)
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")
_PEERING = re.compile(r"\b(?:peering\s*db|peer(?:s|ing)?|ixp?|exchange|prefix[- ]limit|max(?:imum)?[- ]prefix(?:es)?|"
                      r"as-set|irr|who\s+is|whois|network)\b", re.IGNORECASE)
# an address is an IXP address only with a word of peering: "which network is 10.0.12.2 in?" and
# "who is 10.0.12.2?" are about the team's own links (review34)
_IXP_WORDS = re.compile(r"\b(?:peering\s*db|peer(?:s|ing)?|ixp?|exchange|route[- ]server)\b", re.IGNORECASE)
# a question about a document ("AS 23456 in RFC 6793", "what does the runbook say about AS64499?")
# is the documents' to answer
_DOCUMENT = re.compile(r"\b(?:rfc|draft|ts|tr)[\s-]*\d|\b(?:runbooks?|documents?|docs|documentation|glossary|"
                       r"procedures?)\b", re.IGNORECASE)


def answers(question: str) -> dict[str, Any] | None:
    """The lookup a person's question asks for, for netops to run with no tool-calling model: an AS
    number with a word of peering ("who is AS64499?", "what prefix limit for AS 64500?"), or an IXP
    address with one ("who peers at 198.51.100.202 on the IX?"). None for anything else."""
    if _DOCUMENT.search(question) or not _PEERING.search(question):
        return None
    if m := _ASN.search(question):
        high, _, low = m.group(1).partition(".")
        asn = int(high) * 65536 + int(low) if low else int(high)
        return {"asn": asn} if 1 <= asn <= 4294967295 else None
    if not _IXP_WORDS.search(question):
        return None
    for found in _IPV4.findall(question):
        try:
            ipaddress.ip_address(found)
        except ValueError:
            continue
        return {"ip": found}
    return None


def peeringdb_tool() -> Tool:
    return Tool(
        "peeringdb_lookup",
        "Look up a peer network by ASN, IXP address or name in the local PeeringDB export: name, "
        "IRR as-set, advertised prefix counts, suggested maximum-prefix, IXP addresses. Read-only.",
        LookupArgs, run, answers=answers,
    )
