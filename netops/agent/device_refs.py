"""Devices named by something other than their inventory name, read back to that name.

Engineers name a router by its address ("bgp summary on 198.51.100.2"), its router id ("the
router with router-id 203.0.113.3"), its loopback, its AS ("the AS65001 router", "what does AS
65003 announce?") or a group ("every spine"). The offline router (:mod:`netops.agent.router`)
knows inventory names only, so before it runs, :func:`resolve` rewrites such a reference into the
inventory name it stands for, from what the inventory says of each host (``data.loopback``,
``data.router_id``, ``data.asn``, ``data.interfaces.*.address``, the management ``hostname``), and
says so in a note. An address or AS named in a device's place that no host has, or a group the
inventory lacks, is one clear line (:attr:`Resolution.unknown`), never another device's state.

An address is read as a device only where the words put it in a device's place (after "router
id", "loopback", "router", "on"/"at" with no other device named): "show ip route 203.0.113.3 on r1"
still asks r1 about a destination. A local AS stands for its routers only when no device is named:
"is the session to AS 65002 up on r3" asks r3 about a peer.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

_ADDR = r"(?P<addr>(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})(?![\w:/.])"
_NOUN = r"(?:router|device|box|node|host|switch|rtr|system)"
# "the router with router-id X", "the box whose loopback is X", "router X", "rid X", "loopback X"
_EXPLICIT = re.compile(
    rf"(?:(?:\b(?:the\s+)?{_NOUN}\s+(?:with|whose|that\s+has|having|owning)\s+(?:the\s+|a\s+)?)?"
    rf"\b(?:router[- ]?id|rid|loopback(?:\s+address)?|lo0?|system\s+address|(?:ip\s+)?address|ip)\s*(?:is\s+|=\s*|of\s+)?"
    rf"|\b{_NOUN}\s+){_ADDR}", re.IGNORECASE)
_EXPLICIT_NEEDS_NOUN = re.compile(r"\b(?:(?:ip\s+)?address|ip)\b", re.IGNORECASE)
# "on 198.51.100.2", "at 203.0.113.1": a device's place when nothing else names a device
_ON = re.compile(rf"\b(?:on|at|from\s+device)\s+{_ADDR}", re.IGNORECASE)
# "AS 65003", "AS65001", "asn 65002", "the AS65001 router", "the router in AS 65002"
_AS = re.compile(r"(?:\b(?:the\s+)?" + _NOUN + r"s?\s+(?:in|of|for)\s+)?\b(?:the\s+)?(?:AS|ASN|as|asn)\s?(?P<asn>\d{1,10})\b"
                 r"(?:\s+" + _NOUN + r"s?\b)?")
# An AS stands for its routers in a device's place only: with a device noun ("the AS65001 router",
# "the routers in AS 65002"), after "on/of/at/from/for" or as the subject of "does AS 65003 announce";
# "is AS 65003 private?" asks about the number
_AS_PLACE = re.compile(r"(?:\b(?:on|of|at|from|for|does|do|did|in)\s+(?:the\s+)?)$", re.IGNORECASE)
# group words: "every spine", "all the leaf switches", "the PE routers", "on the spines"
ROLE_WORDS = ("spine", "leaf", "leaves", "pe", "ce", "p", "core", "edge", "border", "tor", "agg", "aggregation",
              "access", "distribution", "dist", "rr", "route-reflector", "firewall", "fw", "wan", "dc", "pop",
              "asbr", "abr", "superspine", "borderleaf", "bl")
_GROUP = re.compile(r"\b(?:every|each|all(?:\s+(?:of\s+)?the)?|the|on\s+the|across\s+the|both)\s+(?P<g>[A-Za-z][\w-]*)"
                    r"(?:\s+(?:routers?|switch(?:es)?|devices?|boxes|box|nodes?|hosts?))?(?![\w-])", re.IGNORECASE)
# "the peer at X", "the neighbour with router id X", "the peer in AS N" (one peer, singular): the far
# end of a session, not the device that owns the address (that device's own sessions are another
# question); "bgp peers on X" / "neighbours of the router with router-id X" still name the device
_PEER_BEFORE = re.compile(r"\b(?:peer|neighbou?r|nbr|nei|session|adjacency|next[- ]?hop|gateway)\s+"
                          r"(?:(?:with|whose|that\s+has|having|in|from)\s+(?:the\s+|a\s+|an\s+)?)?$", re.IGNORECASE)
_GROUP_NOUN_REQUIRED = frozenset({"p", "ce", "edge", "access", "core", "wan", "dc", "pop", "border", "dist",
                                  "distribution", "agg", "aggregation"})


@dataclass
class DeviceIndex:
    """What the inventory says identifies each host."""

    hosts: list[str]
    addresses: dict[str, tuple[str, str]] = field(default_factory=dict)
    """address -> (host, what it is on that host: "router id", "loopback", "eth-r1 address", ...)."""
    asns: dict[int, list[str]] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    neighbors: dict[str, list[str]] = field(default_factory=dict)
    """BGP neighbour address -> the hosts whose inventory data lists it (``data.bgp_neighbors``)."""
    links: list[tuple[str, str, Any]] = field(default_factory=list)
    """(host, interface, its address as an ``ip_interface``) for each addressed interface."""
    platforms: dict[str, str] = field(default_factory=dict)
    """host -> its netops platform (``frr``, ``cisco_ios``, ...): the command a question names differs."""

    @classmethod
    def from_inventory(cls, inventory: Any) -> "DeviceIndex":
        hosts, addresses, asns, groups = [], {}, {}, {}
        neighbors: dict[str, list[str]] = {}
        links: list[tuple[str, str, Any]] = []
        for h in inventory:
            hosts.append(h.name)
            data = dict(getattr(h, "data", {}) or {})
            for peer in (data.get("bgp_neighbors") or {}):
                if (addr := _norm(str(peer))) is not None:
                    neighbors.setdefault(addr, []).append(h.name)
            for key, what in (("router_id", "router id"), ("loopback", "loopback")):
                if data.get(key):
                    _add(addresses, data[key], h.name, what)
            for name, spec in (data.get("interfaces") or {}).items():
                if isinstance(spec, dict) and spec.get("address"):
                    _add(addresses, spec["address"], h.name, f"{name} address")
                    try:
                        links.append((h.name, str(name), ipaddress.ip_interface(str(spec["address"]).strip())))
                    except ValueError:
                        pass
            _add(addresses, getattr(h, "hostname", ""), h.name, "management address")
            try:
                asn = int(data["asn"]) if data.get("asn") is not None else None
            except (TypeError, ValueError):
                asn = None
            if asn is not None:
                asns.setdefault(asn, []).append(h.name)
            for g in getattr(h, "all_groups", ()) or ():
                groups.setdefault(str(g), []).append(h.name)
        platforms = {h.name: str(getattr(h, "platform", "") or "") for h in inventory}
        return cls(hosts, addresses, asns, groups, neighbors, links, platforms)

    def peer_hosts(self, addr: str) -> list[tuple[str, str]]:
        """The hosts that have a session with the neighbour at ``addr``, as the inventory says it:
        ``(host, how)``, from the BGP neighbours its data lists, else from the link ``addr`` is the
        far end of (an interface on the same subnet, not a host route). Empty when it says neither."""
        ip = _norm(addr)
        if ip is None:
            return []
        if ip in self.neighbors:
            return [(h, "its BGP neighbour in the inventory") for h in self.neighbors[ip]]
        out = []
        for host, name, iface in self.links:
            net = iface.network
            if iface.ip != ipaddress.ip_address(ip) and net.num_addresses > 1 and ipaddress.ip_address(ip) in net:
                out.append((host, f"its neighbour on {name}"))
        return out


    def link_hosts(self, addr: str) -> list[tuple[str, str]]:
        """The hosts an OSPF neighbour at ``addr`` is adjacent to, as the inventory's interface
        addresses say: ``(host, how)`` for each host with a link ``addr`` is the far end of, else,
        when ``addr`` is a host's router id or loopback, each host that shares a link with it."""
        ip = _norm(addr)
        if ip is None:
            return []
        at = ipaddress.ip_address(ip)
        out = [(host, f"its neighbour on {name}") for host, name, iface in self.links
               if iface.ip != at and iface.network.num_addresses > 1 and at in iface.network]
        owner, what = self.addresses.get(ip, (None, ""))
        if out or owner is None or what not in ("router id", "loopback"):
            return out
        for host, name in self.facing_any(owner):
            out.append((host, f"{owner}'s neighbour on {name} ({ip} is {owner}'s {what})"))
        return out

    def facing_any(self, host: str) -> list[tuple[str, str]]:
        """``(other host, its interface)`` for each link ``host`` shares with another inventory host."""
        mine = [iface.network for h, _, iface in self.links if h == host and iface.network.num_addresses > 1]
        return [(h, name) for h, name, iface in self.links if h != host and iface.network in mine]

    def far_ends(self, host: str, name: str) -> list[tuple[str, str]]:
        """``(other host, its interface)`` on the link ``host``'s interface ``name`` is on (the same
        subnet, by the inventory's addresses); empty when the inventory places none."""
        mine = [iface.network for h, n, iface in self.links
                if h == host and n.lower() == name.lower() and iface.network.num_addresses > 1]
        return [(h, n) for h, n, iface in self.links if h != host and iface.network in mine]

    def facing(self, host: str, other: str) -> list[str]:
        """``host``'s interfaces on a link it shares with ``other`` (same subnet), by the inventory."""
        theirs = [iface.network for h, _, iface in self.links if h == other and iface.network.num_addresses > 1]
        return [name for h, name, iface in self.links if h == host and iface.network in theirs]


def _add(table: dict[str, tuple[str, str]], value: Any, host: str, what: str) -> None:
    try:
        addr = str(ipaddress.ip_interface(str(value).strip()).ip)
    except ValueError:
        return
    table.setdefault(addr, (host, what))


def _norm(addr: str) -> str | None:
    try:
        return str(ipaddress.ip_address(addr))
    except ValueError:
        return None


@dataclass
class Resolution:
    question: str
    """The question with each device reference replaced by the inventory name it stands for."""
    notes: list[str] = field(default_factory=list)
    """"198.51.100.2 read as r2 (its eth-r1 address)", one per replaced reference."""
    unknown: str | None = None
    """One line when the words name, in a device's place, something no inventory host is."""


def _shown(index: DeviceIndex) -> str:
    return ", ".join(index.hosts[:12]) + (", ..." if len(index.hosts) > 12 else "")


def _no_address(addr: str, index: DeviceIndex) -> str:
    from netops.agent.router import UNKNOWN_DEVICE

    return (f"{UNKNOWN_DEVICE} {addr} in the inventory: no host has that address as its router id, loopback, "
            f"interface or management address (it has: {_shown(index)})")


def _named(text: str, hosts: list[str]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(h)}(?![\w-])", text, re.IGNORECASE) for h in hosts)


def spaced_names(question: str, hosts: list[str], notes: list[str] | None = None) -> str:
    """An inventory name typed with a space between its letters and its number ("r 2", "R 2" for
    r2; trial36: "bgp neighbours r 2" searched the RFCs): that name, said in a note. Only a name
    the inventory holds and the words do not already name."""
    for h in hosts:
        m = re.fullmatch(r"([A-Za-z][A-Za-z-]*?)-?(\d+)", h)
        if m is None or _named(question, [h]):
            continue
        spaced = re.compile(rf"(?<![\w-]){re.escape(m.group(1))}[ \t]+{m.group(2)}(?![\w.:/-])", re.IGNORECASE)
        if (found := spaced.search(question)) is not None:
            if notes is not None:
                notes.append(f"{found.group(0)!r} read as {h}")
            question = question[:found.start()] + h + question[found.end():]
    return question


def resolve(question: str, index: DeviceIndex) -> Resolution:
    """Rewrite device references in ``question`` into inventory names (see the module docstring)."""
    notes: list[str] = []
    question = spaced_names(question, index.hosts, notes)
    named = _named(question, index.hosts)
    parts, last = [], 0
    for m in _EXPLICIT.finditer(question):
        text = m.group(0)
        # "address X" / "ip X" alone is a destination ("the ip 203.0.113.5"); with a device noun it names one
        if _EXPLICIT_NEEDS_NOUN.match(text) and not re.match(rf"(?:the\s+)?{_NOUN}\b", text, re.I):
            continue
        if _PEER_BEFORE.search(question[:m.start()]):
            continue
        addr = _norm(m.group("addr"))
        if addr is None:
            continue
        if addr not in index.addresses:
            if named:
                continue
            return Resolution(question, unknown=_no_address(m.group("addr"), index))
        host, what = index.addresses[addr]
        notes.append(f"{m.group('addr')} read as {host} (its {what})")
        parts += [question[last:m.start()], host]
        last = m.end()
    out = "".join(parts) + question[last:]
    if not named and not _named(out, index.hosts):
        ons = list(_ON.finditer(out))
        if len(ons) == 1 and not _PEER_BEFORE.search(out[:ons[0].start()]):
            addr = _norm(ons[0].group("addr"))
            if addr is not None and addr in index.addresses:
                host, what = index.addresses[addr]
                notes.append(f"{ons[0].group('addr')} read as {host} (its {what})")
                out = out[:ons[0].start()] + f"on {host}" + out[ons[0].end():]
            elif addr is not None:
                return Resolution(question, unknown=_no_address(ons[0].group("addr"), index))
    if not named and not _named(out, index.hosts) and index.asns:
        def by_as(m: re.Match) -> str:
            asn = int(m.group("asn"))
            hosts = index.asns.get(asn)
            with_noun = re.search(rf"{_NOUN}s?\b", m.group(0), re.IGNORECASE)
            if not hosts or not (with_noun or _AS_PLACE.search(out[:m.start()])) or _PEER_BEFORE.search(out[:m.start()]):
                return m.group(0)
            notes.append(f"AS {asn} read as {', '.join(hosts)} (the inventory's routers in AS {asn})")
            return " and ".join(hosts)

        out = _AS.sub(by_as, out)
    return Resolution(out, notes)


# a name the words call a group ("group pod2", "the pod2 group"); BGP's peer groups and the like are
# other things called groups
_NAMED_GROUP = re.compile(r"(?<![\w-])(?<!peer[ -])(?<!update[ -])(?<!address[ -])(?<!object[ -])(?<!port[ -])"
                          r"(?<!server[ -])(?<!user[ -])(?<!security[ -])group\s+(?P<a>[A-Za-z][\w.-]*[\w])"
                          r"|\b(?:the|our|my|in|on|of|for)\s+(?P<b>[A-Za-z][\w.-]*[\w])\s+group\b", re.IGNORECASE)
_NOT_GROUP_NAME = frozenset({"the", "a", "an", "this", "that", "each", "every", "any", "same", "whole", "entire", "one",
                             "peer", "peers", "update", "address", "object", "port", "server", "user", "security",
                             "policy", "route", "prefix", "bgp", "ospf", "vlan", "interface", "interfaces", "is", "are",
                             "of", "in", "on", "for", "and", "or", "which", "what", "whose", "its", "their", "my",
                             "our", "your", "to", "with", "by", "names", "name", "members", "member", "by", "neighbor",
                             "neighbors", "neighbour", "neighbours", "as", "bgp-peer", "route-map"})


def unknown_group(question: str, index: DeviceIndex) -> str | None:
    """A group word in a device's place ("every spine", "the PE routers") or a name the words call
    a group ("is everything in group pod2 ok?") that is neither an inventory group nor a host: one
    line saying which groups there are, or None."""
    known = {g.lower() for g in index.groups} | {h.lower() for h in index.hosts}
    for m in _NAMED_GROUP.finditer(question):
        word = (m.group("a") or m.group("b")).strip(".")
        if word.lower() in known or word.lower() in _NOT_GROUP_NAME:
            continue
        from netops.agent.router import UNKNOWN_DEVICE

        groups = ", ".join(sorted(index.groups)) or "none"
        return (f"{UNKNOWN_DEVICE} {word!r} in the inventory, nor a group of that name (groups: {groups}; "
                f"hosts: {_shown(index)})")
    for m in _GROUP.finditer(question):
        word = m.group("g").lower()
        base = {word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word,
                "leaf" if word == "leaves" else word}
        if not base & set(ROLE_WORDS) or base & known:
            continue
        if base & _GROUP_NOUN_REQUIRED and not re.search(r"(?:routers?|switch(?:es)?|devices?|boxes|box|nodes?|hosts?)$",
                                                         m.group(0), re.I):
            continue
        from netops.agent.router import UNKNOWN_DEVICE

        groups = ", ".join(sorted(index.groups)) or "none"
        return (f"{UNKNOWN_DEVICE} {m.group('g')!r} in the inventory, nor a group of that name (groups: {groups}; "
                f"hosts: {_shown(index)})")
    return None
