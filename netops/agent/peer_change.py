"""A BGP-neighbour change whose other end is named by its router: "shut down the bgp session from
r1 to r2", "r1's session to r2", "the session to r2 on r1".

The matcher (:mod:`netops.agent.change_intent`) reads which named router is the target (the first
after "from", the possessive, the one after "on") and which is the other end (after "to", "with",
"towards"); "between r1 and r2" does not say which side to change, so it is asked. The other end
is then resolved to the neighbour's address *on the target* through the audited device service
(:meth:`~netops.devices.service.DeviceService.peer_address`: neighbour description, announced host
name, then the inventory host's own addresses). The resolution is kept on the tool context and
travels with the plan (``Plan.derived``): shown in the plan and approval, written in the audit, and
accepted by :func:`netops.agent.intent.check_intent` only because the person named that router.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netops.agent.change_intent import ChangeMatch, PlaybookInfo
    from netops.agent.tools import ToolContext

# Words right before a router that make it the side to change, or the other end.
_TARGET_BEFORE = re.compile(r"(?:\bfrom|\bon|\bat)\s+(?:the\s+)?(?:router\s+)?$", re.IGNORECASE)
_PEER_BEFORE = re.compile(r"(?:\bto|\bwith|\btowards?|\bfacing)\s+(?:the\s+)?(?:router\s+)?$", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?(?:routers?\s+)?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(?:'s|\u2019s)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PeerEnd:
    """The target router, the other end, and the parameter the other end stands for."""

    param: str
    target: str | None
    peer: str | None
    choices: tuple[str, str] = ("", "")
    """For an ambiguous pair ("between r1 and r2"): both routers, in the order said."""

    @property
    def ambiguous(self) -> bool:
        return self.target is None


def neighbour_param(pb: "PlaybookInfo", missing: list[str]) -> str | None:
    """The missing address parameter of a BGP-neighbour playbook, if that is what is missing."""
    if not {"bgp", "neighbor"} & set(pb.objects):
        return None
    wanted = [n for n in missing if getattr(pb.parameters[n], "type", "") in ("ip", "ipv4", "ipv6")]
    return wanted[0] if len(wanted) == 1 and len(missing) == 1 else None


def peer_end(pb: "PlaybookInfo", missing: list[str], text: str, named: list[str], hosts: list[str]) -> PeerEnd | None:
    """Which of two named routers is the target and which the neighbour; None when the words do
    not say it in one of the shapes above (the usual clarification follows)."""
    from netops.agent.router import mentions

    param = neighbour_param(pb, missing)
    if param is None or len(named) != 2:
        return None
    said = sorted(mentions(text, hosts))
    if [h for _, h in said] != named:  # each named once, in order, none excluded
        return None
    (pa, a), (pb_, b) = said

    def role(pos: int, name: str) -> str | None:
        before, after = text[:pos], text[pos + len(name):]
        if _POSSESSIVE.match(after) or _TARGET_BEFORE.search(before):
            return "target"
        if _PEER_BEFORE.search(before):
            return "peer"
        return None

    ra, rb = role(pa, a), role(pb_, b)
    if ra == "target" and rb != "target":
        return PeerEnd(param, a, b)
    if rb == "target" and ra != "target":
        return PeerEnd(param, b, a)
    if ra is None and rb is None and _BETWEEN_BEFORE.search(text[:pa]):
        return PeerEnd(param, None, None, (a, b))
    return None


def which_end(pb: "PlaybookInfo", end: PeerEnd) -> tuple[str, list[str]]:
    """The question for an ambiguous pair, and the phrasings that answer it."""
    a, b = end.choices
    reason = (f"{pb.name} changes one router's side of the BGP session between {a} and {b}; "
              f"say which router to change: {a} (its session to {b}) or {b} (its session to {a})")
    examples = [f"{_verb(pb.name)} the BGP session to {b} on {a}", f"{_verb(pb.name)} the BGP session to {a} on {b}"]
    return reason, examples


def resolve_peers(m: "ChangeMatch", ctx: "ToolContext") -> "ChangeMatch":
    """``m`` with each neighbour named by its router resolved to its address on the target (kept in
    ``m.resolved`` and ``ctx.derived``); a ``clarify`` saying what was tried when that fails."""
    from netops.agent.change_intent import ChangeMatch

    if not m.peers or len(m.hosts) != 1:
        return m
    target = m.hosts[0]
    params = dict(m.params)
    resolved: dict[str, dict[str, Any]] = {}
    from netops.devices.peer_routes import is_address
    from netops.errors import Cancelled

    for param, host in m.peers.items():
        try:
            found = ctx.get_devices().peer_address(target, host, cancel=ctx.cancel)
            if not is_address(found.address):  # an unnumbered session is named by its interface
                raise ValueError(f"{target}'s session with {host} is on interface {found.address} (found by "
                                 f"{found.how}), which has no neighbour address for {m.playbook}")
        except Exception as exc:
            if isinstance(exc, Cancelled):
                raise
            why = getattr(exc, "message", None) or str(exc)
            return ChangeMatch(
                "clarify", playbook=m.playbook, hosts=m.hosts, params=params, risk=m.risk, candidates=m.candidates,
                code="peer", missing=[param], peers=dict(m.peers), matched_by=m.matched_by,
                reason=(f"could not find {target}'s BGP neighbour for {host} (looked on {target} by neighbour "
                        f"description, announced host name and {host}'s own addresses): {why.rstrip('.')}; "
                        f"name the neighbour by its address"),
                examples=[f"{_verb(m.playbook)} the BGP session to ADDRESS on {target}"])
        params[param] = found.address
        resolved[param] = {"host": host, "address": found.address, "on": target, "how": found.how}
        ctx.derived[(m.playbook, target, param, found.address)] = resolved[param]
    out = ChangeMatch(m.kind, playbook=m.playbook, hosts=m.hosts, params=params, risk=m.risk,
                      candidates=m.candidates, peers=dict(m.peers), resolved=resolved, matched_by=m.matched_by)
    return out


def _verb(playbook: str | None) -> str:
    return {"bgp-neighbor-shutdown": "shut down", "bgp-neighbor-enable": "enable",
            "bgp-soft-clear": "soft clear"}.get(playbook or "", "change")


def derived_for(ctx: "ToolContext", playbook: str, hosts: list[str], params: dict[str, Any]) -> dict[str, Any]:
    """The resolutions netops made this turn that apply to exactly this proposed change."""
    if len(hosts) != 1:
        return {}
    return {p: dict(d) for (pb, host, p, addr), d in getattr(ctx, "derived", {}).items()
            if pb == playbook and host == hosts[0] and str(params.get(p)) == addr}


def shown(params: dict[str, Any], derived: dict[str, Any]) -> list[str]:
    """``neighbor 198.51.100.2 (r2, resolved on r1 by its neighbour description "r2")``."""
    return [f"{p} {d['address']} ({d['host']}, resolved on {d['on']} by {d['how']})"
            for p, d in derived.items() if str(params.get(p)) == d["address"]]
