"""Why does a device have (or not have) a route to a prefix? A read-only diagnosis.

::

    diag = diagnose_route(devices, "r2", "203.0.113.0/24")
    diag.present            # False
    diag.likely_causes      # [Finding(code="not_originated", ...)]
    print(diag.render())

Everything is read through the :class:`~netops.devices.service.DeviceService` (policy, audit,
redaction), with typed getters:

- on the host: ``routes`` (the prefix and every route inside it, from every protocol),
  ``route`` (longest match for an address of the prefix that no more-specific covers, i.e.
  the less-specific route traffic actually takes), ``bgp_routes`` (the BGP table at and
  inside the prefix, with the peer each path came from), ``bgp_inbound`` (each peer's inbound
  policy, and what peers with soft-reconfiguration inbound sent before it), ``bgp_neighbors``
  and ``ospf_neighbors``;
- on the other inventory devices (origin check): ``routes`` and ``bgp_routes`` for the prefix.

Each :class:`Finding` names the device and the command it came from. Reads a platform cannot
do (no such getter, a failed read) are listed in :attr:`RouteDiagnosis.unchecked`, never guessed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from netops.errors import InputError

if TYPE_CHECKING:
    from netops.cancel import CancelToken
    from netops.devices.service import DeviceService

INFO, WARNING, LIKELY = "info", "warning", "likely_cause"
MAX_PEERS = 8
"""Other inventory devices asked for the origin check (the first ones, inventory order)."""


@dataclass(frozen=True)
class Finding:
    """One fact about the route, with where it came from."""

    code: str
    """``exact_present``, ``exact_missing``, ``more_specifics``, ``covering``, ``no_covering``,
    ``bgp_entry``, ``bgp_missing``, ``bgp_not_best``, ``bgp_not_used``, ``bgp_session_down``,
    ``bgp_sessions_up``, ``ospf_not_full``, ``ospf_full``, ``origin``, ``not_originated``,
    ``not_announced``, ``not_received``, ``filtered_inbound``, ``inbound_policies``."""
    text: str
    severity: str = INFO
    """``info``, ``warning`` or ``likely_cause``."""
    host: str = ""
    command: str = ""
    at: str | None = None
    """When the command ran (ISO 8601, UTC)."""

    @property
    def likely_cause(self) -> bool:
        return self.severity == LIKELY

    @property
    def source(self) -> str:
        """``r2: show ip route 203.0.113.0/24 longer-prefixes json``."""
        return f"{self.host}: {self.command}" if self.command else self.host

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "likely_cause": self.likely_cause}


@dataclass
class RouteDiagnosis:
    """The findings for one (host, prefix)."""

    host: str
    prefix: str
    present: bool | None = None
    """The prefix itself is in the host's routing table as the chosen route (``None``: the
    table could not be read)."""
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    """What could not be checked, and why (platform without the getter, failed read)."""

    @property
    def likely_causes(self) -> list[Finding]:
        return [f for f in self.findings if f.likely_cause]

    def render(self) -> str:
        """A short deterministic Markdown rendering: likely causes first, each with its source."""
        head = (f"{self.prefix} is in {self.host}'s routing table." if self.present
                else f"{self.host}'s routing table could not be read." if self.present is None
                else f"{self.prefix} is not in {self.host}'s routing table.")
        lines = [f"Route diagnosis for {self.prefix} on {self.host}: {head}"]
        causes = self.likely_causes
        if causes:
            lines += ["", "Likely cause" + ("s:" if len(causes) > 1 else ":")]
            lines += [f"- {f.text} [{f.source}]" for f in causes]
        rest = [f for f in self.findings if not f.likely_cause]
        if rest:
            lines += ["", "Findings:"]
            lines += [f"- {f.text} [{f.source}]" for f in rest]
        if self.unchecked:
            lines += ["", "Not checked:"]
            lines += [f"- {u}" for u in self.unchecked]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "prefix": self.prefix, "present": self.present,
                "likely_causes": [f.text for f in self.likely_causes],
                "findings": [f.to_dict() for f in self.findings], "unchecked": list(self.unchecked)}


def parse_prefix(prefix: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """``203.0.113.0/24`` (host bits cleared); a bare address is a host route."""
    try:
        return ipaddress.ip_network(str(prefix).strip(), strict=False)
    except ValueError:
        raise InputError(f"{prefix!r} is not an IP prefix or address", hint="e.g. 203.0.113.0/24") from None


class _Reader:
    """Getter reads for one diagnosis; failures become 'not checked' lines."""

    def __init__(self, devices: "DeviceService", diag: RouteDiagnosis, cancel: "CancelToken | None") -> None:
        self.devices, self.diag = devices, diag
        self.kw: dict[str, Any] = {"cancel": cancel} if cancel is not None else {}

    def many(self, hosts: list[str], getter: str, what: str, **kw: Any) -> dict[str, Any]:
        """host -> HostResult for the hosts whose read worked."""
        if not hosts:
            return {}
        agg = self.devices.get(hosts, getter, **kw, **self.kw)
        ok = {}
        for host, r in agg.items():
            if r.ok:
                ok[host] = r
            else:
                self.diag.unchecked.append(f"{what} on {host}: {r.error}")
        return ok

    def one(self, host: str, getter: str, what: str, **kw: Any) -> Any:
        return self.many([host], getter, what, **kw).get(host)


def _finding(code: str, text: str, severity: str, r: Any) -> Finding:
    return Finding(code, text, severity, r.host, r.command or "", r.started_at.isoformat())


def _net(prefix: str | None) -> Any:
    try:
        return ipaddress.ip_network(str(prefix), strict=False)
    except ValueError:
        return None


def _inside(n: Any, net: Any) -> bool:
    return n is not None and n.version == net.version and n != net and n.subnet_of(net)


def _hops(route: Any) -> str:
    hops = [h.address or (f"interface {h.interface}" if h.interface else "") for h in route.next_hops]
    hops = [h for h in hops if h]
    return f" via {', '.join(hops)}" if hops else ""


def _uncovered_address(net: Any, more: list[Any]) -> Any:
    """An address of ``net`` that no more-specific covers, or ``None`` when they cover it all."""
    rest = [net]
    for m in sorted(more, key=lambda n: n.prefixlen):
        nxt = []
        for r in rest:
            if m == r or r.subnet_of(m):
                continue
            nxt.extend(r.address_exclude(m) if m.subnet_of(r) else [r])
        rest = nxt
    if not rest:
        return None
    return min(rest, key=lambda n: n.network_address).network_address


def _exact_lookups(read: _Reader, hosts: list[str], p: str, net: Any, into: dict[str, Any]) -> None:
    """Where a platform has no ``routes`` getter, its ``route`` lookup of ``p`` still tells
    whether the prefix itself is there (kept only when the answer is ``p`` exactly)."""
    from netops.devices.models import RibRoute, RouteSet

    for host, r in read.many(hosts, "route", f"route lookup for {p}", prefix=p).items():
        d = r.data
        routes = ([RibRoute(prefix=p, protocol=d.protocol, selected=True, distance=d.distance, metric=d.metric,
                            next_hops=d.next_hops)] if d.found and _net(d.prefix) == net else [])
        r.data = RouteSet(query=p, routes=routes)
        into[host] = r


def diagnose_route(devices: "DeviceService", host: str, prefix: str, *, peers: bool = True,
                   cancel: "CancelToken | None" = None) -> RouteDiagnosis:
    """Read-only diagnosis of ``prefix`` on ``host`` (see the module docstring).

    ``peers``: also ask the other inventory devices whether they have the prefix at all."""
    net = parse_prefix(prefix)
    name = devices.inventory.host(host).name
    diag = RouteDiagnosis(name, str(net))
    read = _Reader(devices, diag, cancel)
    p = str(net)

    # -- who is who: BGP peers by address (FRR: description / hostname) ---------------------
    bgp_nb = read.one(name, "bgp_neighbors", "BGP neighbours")
    names: dict[str, str] = {}
    if bgp_nb is not None:
        for n in bgp_nb.data.neighbors:
            if n.description:
                names[n.peer] = n.description
    bgp = read.one(name, "bgp_routes", f"BGP table for {p}", prefix=p)
    if bgp is not None:
        for path in bgp.data.paths:
            if path.peer and path.peer_name:
                names.setdefault(path.peer, path.peer_name)

    def peer(addr: str | None) -> str:
        return f"{names[addr]} ({addr})" if addr in names else (addr or "?")

    best_from = {}  # prefix -> peer label of its best BGP path
    if bgp is not None:
        for path in bgp.data.paths:
            if path.best:
                best_from[str(_net(path.prefix))] = "locally originated" if path.peer is None else peer(path.peer)

    # -- the routing table: the prefix itself and everything inside it ----------------------
    rib = read.one(name, "routes", f"routing table at and inside {p}", prefix=p)
    exact, more = [], {}
    if rib is not None:
        for r in rib.data.routes:
            n = _net(r.prefix)
            if n == net:
                exact.append(r)
            elif _inside(n, net):
                more.setdefault(n, []).append(r)
    else:
        lookup = read.one(name, "route", f"route lookup for {p}", prefix=p)
        if lookup is not None and lookup.data.found and _net(lookup.data.prefix) == net:
            from netops.devices.models import RibRoute

            d = lookup.data
            exact.append(RibRoute(prefix=p, protocol=d.protocol, selected=True, distance=d.distance,
                                  metric=d.metric, next_hops=d.next_hops))
            rib = lookup
    chosen = next((r for r in exact if r.selected), None)
    diag.present = None if rib is None else chosen is not None
    absent = diag.present is False
    if rib is not None:
        if chosen is not None:
            via = best_from.get(p) if chosen.protocol == "bgp" else None
            text = (f"{p} is in {name}'s routing table: {chosen.protocol}{_hops(chosen)}"
                    + (f", learned from {via}" if via else "") + ".")
            diag.findings.append(_finding("exact_present", text, INFO, rib))
            if chosen.installed is False:
                diag.findings.append(_finding("not_installed", f"{p} is chosen on {name} but not installed in "
                                              "the forwarding table (FIB).", LIKELY, rib))
        elif exact:
            protos = ", ".join(sorted({r.protocol or "?" for r in exact}))
            diag.findings.append(_finding("exact_not_selected", f"{name} has {p} from {protos}, but none of "
                                          "these routes is selected (inactive next hop?).", LIKELY, rib))
        else:
            diag.findings.append(_finding("exact_missing", f"{name} has no route for {p} from any protocol.",
                                          WARNING, rib))
    unannounced = bgp is not None and not bgp.data.note and not any(_net(x.prefix) == net for x in bgp.data.paths)
    if more and rib is not None and rib.command and "longer" in rib.command:
        groups: dict[str, list[str]] = {}
        for n in sorted(more, key=lambda n: (n.network_address, n.prefixlen)):
            r = next((x for x in more[n] if x.selected), more[n][0])
            source = (f"learned from {best_from[str(n)]}" if r.protocol == "bgp" and str(n) in best_from
                      else f"{r.protocol or '?'}{_hops(r)}")
            groups.setdefault(source, []).append(str(n))
        parts = [f"{src}: {', '.join(ps)}" for src, ps in groups.items()]
        k = len(more)
        lead = (f"{p} itself is {'not announced to' if unannounced else 'missing on'} {name}, but {k} "
                f"more-specific route{'s' if k > 1 else ''} inside it {'are' if k > 1 else 'is'} in the table"
                if chosen is None
                else f"{k} more-specific route{'s' if k > 1 else ''} inside {p} {'are' if k > 1 else 'is'} "
                "also in the table (they win by longest match)")
        diag.findings.append(_finding("more_specifics", f"{lead} - {'; '.join(parts)}.", INFO, rib))
    elif rib is not None and rib.command and "longer" in rib.command:
        diag.findings.append(_finding("no_more_specifics", f"no more-specific route inside {p} is in "
                                      f"{name}'s routing table.", INFO, rib))
    elif rib is None or "longer" not in (rib.command or ""):
        diag.unchecked.append(f"more-specific routes inside {p} on {name}: its platform has no 'routes' getter")

    # -- the less-specific route traffic actually uses --------------------------------------
    if chosen is None:
        addr = _uncovered_address(net, list(more))
        if addr is None:
            diag.findings.append(Finding("covering", f"every address of {p} is covered by a more-specific route.",
                                         INFO, name, rib.command if rib else ""))
        else:
            lk = read.one(name, "route", f"longest-match lookup of {addr}", prefix=str(addr))
            if lk is not None:
                d = lk.data
                n = _net(d.prefix) if d.found else None
                if n is not None and n.version == net.version and net.subnet_of(n) and n != net:
                    diag.findings.append(_finding("covering", (
                        f"traffic to {p} outside the more-specifics (e.g. {addr}) takes the less-specific "
                        f"{n} ({d.protocol}{_hops(d)}) by longest match."), INFO, lk))
                else:
                    diag.findings.append(_finding("no_covering", (
                        f"no less-specific route covers {p}: {addr} (inside {p}"
                        + (", outside every more-specific" if more else "") + f") has no route on {name}."),
                        WARNING, lk))

    # -- the BGP table ----------------------------------------------------------------------
    if bgp is not None:
        paths = [x for x in bgp.data.paths if _net(x.prefix) == net]
        if bgp.data.note and not bgp.data.paths:
            diag.findings.append(_finding("bgp_off", f"BGP on {name}: {bgp.data.note}.", INFO, bgp))
        elif not paths:
            diag.findings.append(_finding("bgp_missing", (
                f"{name}'s BGP table has no path for {p}: no peer sent it, or {name}'s inbound policy "
                "dropped it (a dropped path is visible only with soft-reconfiguration inbound)."), WARNING, bgp))
        else:
            desc = "; ".join(f"{'locally originated' if x.peer is None else 'from ' + peer(x.peer)}"
                             f" ({'best' if x.best else 'valid' if x.valid else 'NOT valid'}"
                             + (f", AS path {x.as_path}" if x.as_path else "") + ")" for x in paths)
            diag.findings.append(_finding("bgp_entry", f"{name}'s BGP table has {len(paths)} path"
                                          f"{'s' if len(paths) > 1 else ''} for {p}: {desc}.", INFO, bgp))
            best = next((x for x in paths if x.best), None)
            if best is None:
                diag.findings.append(_finding("bgp_not_best", (
                    f"BGP on {name} received {p} but chose no best path "
                    f"({'no path is valid: next hop unreachable?' if not any(x.valid for x in paths) else 'none selected'})."),
                    LIKELY if absent else WARNING, bgp))
            elif absent:
                diag.findings.append(_finding("bgp_not_used", (
                    f"BGP's best path for {p} on {name} is not in the routing table (not installed: "
                    "RIB failure?)."), LIKELY, bgp))
            elif chosen is not None and chosen.protocol != "bgp":
                diag.findings.append(_finding("bgp_not_used", (
                    f"BGP has a best path for {p}, but {name} uses its {chosen.protocol} route (lower "
                    "administrative distance)."), INFO, bgp))
    elif not any(u.startswith(f"BGP table for {p}") for u in diag.unchecked):
        diag.unchecked.append(f"BGP table for {p} on {name}")

    # -- inbound policy: what peers sent before it, where the device keeps that -----------------
    filtered: set[str] = set()
    inbound_by_name: dict[str, list[str]] = {}
    if bgp is not None and not bgp.data.note:
        inb = read.one(name, "bgp_inbound", f"BGP inbound policies on {name}", prefix=p)
        if inb is not None:
            policies = {pol.peer: pol for pol in inb.data.peers}
            for pol in inb.data.peers:
                if pol.peer_name:
                    names.setdefault(pol.peer, pol.peer_name)
            # an inbound prefix-list that denies the prefix (read from the device, applied here as
            # the device applies it): the cause named, not only "check r2's inbound policy"
            denied_by = {pl.name: pl for pl in inb.data.prefix_lists if pl.action == "deny"}
            denied_maps: set[str] = set()

            def why(pl: Any) -> str:
                return (f"its entry '{pl.entry}' is the first to match {p}" if pl.entry else
                        f"none of its entries matches {p}, so the implicit deny at its end drops it")

            def said(rule: str) -> str:
                pl = denied_by.get(rule.split(" ", 1)[1]) if rule.startswith("prefix-list ") else None
                return f"{rule} ({why(pl)})" if pl is not None else rule
            dropped_from: set[str] = set()
            for rcv in inb.data.received:
                if _net(rcv.prefix) != net or any(x.peer == rcv.peer and _net(x.prefix) == net for x in bgp.data.paths):
                    continue
                filtered.add(names.get(rcv.peer, rcv.peer))
                dropped_from.add(rcv.peer)
                rules = policies[rcv.peer].inbound if rcv.peer in policies else []
                diag.findings.append(_finding("filtered_inbound", (
                    f"{name} received {p} from {peer(rcv.peer)} (kept by soft-reconfiguration inbound) but its "
                    f"inbound policy dropped it: {', '.join(map(said, rules)) or 'no inbound policy is configured'}."),
                    LIKELY if absent else WARNING, inb))
            if inb.data.note:
                diag.unchecked.append(f"BGP inbound on {name}: {inb.data.note}")
            with_policy = [pol for pol in inb.data.peers if pol.inbound]
            inbound_by_name = {names.get(pol.peer, pol.peer): pol.inbound for pol in with_policy}
            if with_policy:
                diag.findings.append(_finding("inbound_policies", f"inbound policy on {name}: " + "; ".join(
                    f"from {peer(pol.peer)}: {', '.join(pol.inbound)}" for pol in with_policy) + ".", INFO, inb))
            for pl in denied_by.values():
                froms = [pol for pol in with_policy if f"prefix-list {pl.name}" in pol.inbound
                         and pol.peer not in dropped_from]  # those are said above, with what they sent
                if not froms:
                    continue
                filtered.update(names.get(pol.peer, pol.peer) for pol in froms)
                diag.findings.append(_finding("prefix_list_denies", (
                    f"{name}'s inbound prefix-list {pl.name} (on the session{'s' if len(froms) > 1 else ''} from "
                    f"{', '.join(peer(pol.peer) for pol in froms)}) drops {p}: {why(pl)}."), LIKELY if absent else WARNING,
                    inb))
            for rm in getattr(inb.data, "route_maps", None) or []:
                # an inbound route-map that denies the prefix, applied by netops as the router does (trial36:
                # r1's FROM-R3 dropped r3's 203.0.113.128/25 and the diagnosis only said to check it)
                froms = [pol for pol in with_policy if f"route-map {rm.name}" in pol.inbound and pol.peer not in dropped_from]
                if not froms:
                    continue
                on = f"the session{'s' if len(froms) > 1 else ''} from {', '.join(peer(pol.peer) for pol in froms)}"
                if rm.action == "deny":
                    filtered.update(names.get(pol.peer, pol.peer) for pol in froms)
                    denied_maps.add(rm.name)
                    diag.findings.append(_finding("route_map_denies", (
                        f"{name}'s inbound route-map {rm.name} (on {on}) drops {p}: "
                        + (f"its entry {rm.entry} is the first to match." if rm.entry else
                           f"none of its entries matches {p}, so the implicit deny at its end drops it.")),
                        LIKELY if absent else WARNING, inb))
                elif rm.action is None and rm.unknown is None:
                    diag.findings.append(_finding("route_map_missing", (
                        f"{name} applies route-map {rm.name} inbound (on {on}), but has no route-map of that name."),
                        WARNING, inb))
                elif rm.unknown is not None:
                    diag.unchecked.append(f"what {name}'s inbound route-map {rm.name} does with {p} (its entry "
                                          f"{rm.unknown}: netops evaluates only prefix-list matches)")
            for pl in inb.data.prefix_lists:
                if pl.action is None:
                    diag.findings.append(_finding("prefix_list_missing", (
                        f"{name} applies prefix-list {pl.name} inbound, but has no prefix-list of that name."),
                        WARNING, inb))
            if with_policy:
                blind = [peer(pol.peer) for pol in with_policy if not pol.soft_reconfig_inbound
                         and not any(f"prefix-list {n}" in pol.inbound for n in denied_by)
                         and not any(f"route-map {n}" in pol.inbound for n in denied_maps)]
                if absent and blind:
                    diag.unchecked.append(f"whether {', '.join(blind)} sent {p} and {name}'s inbound policy dropped it "
                                          "(no soft-reconfiguration inbound: what they sent before policy is not kept)")

    # -- sessions ----------------------------------------------------------------------------
    down_names: set[str] = set()
    if bgp_nb is not None:
        fam = "ipv6-unicast" if net.version == 6 else "ipv4-unicast"
        nbs = [n for n in bgp_nb.data.neighbors if n.vrf == "default" and n.afi_safi == fam]
        down = [n for n in nbs if not n.established]
        for n in down:
            down_names.add(names.get(n.peer, n.peer))
            diag.findings.append(_finding("bgp_session_down", (
                f"BGP session from {name} to {peer(n.peer)}, AS{n.remote_as}, is {n.state}"
                + (" (admin down: shut by configuration)" if n.admin_down else "")
                + f", not Established: {name} learns nothing from it."), LIKELY if absent else WARNING, bgp_nb))
        if nbs and not down:
            rx = ", ".join(f"{peer(n.peer)}: {n.prefixes_received}" for n in nbs if n.prefixes_received is not None)
            diag.findings.append(_finding("bgp_sessions_up", (
                f"all {len(nbs)} BGP session{'s' if len(nbs) > 1 else ''} of {name} are Established"
                + (f" (prefixes received - {rx})" if rx else "") + "."), INFO, bgp_nb))
        elif not nbs and bgp_nb.data.note:
            diag.findings.append(_finding("bgp_off", f"BGP on {name}: {bgp_nb.data.note}.", INFO, bgp_nb))
    ospf = read.one(name, "ospf_neighbors", "OSPF neighbours")
    if ospf is not None and ospf.data.neighbors:
        bad = [n for n in ospf.data.neighbors if not n.full]
        for n in bad:
            diag.findings.append(_finding("ospf_not_full", (
                f"OSPF adjacency of {name} with {n.neighbor_id} on {n.interface or '?'} is {n.state}, not Full."),
                WARNING, ospf))
        if not bad:
            k = len(ospf.data.neighbors)
            diag.findings.append(_finding("ospf_full", f"all {k} OSPF adjacenc{'ies' if k > 1 else 'y'} of {name} "
                                          "are Full.", INFO, ospf))

    # -- origin: does anyone else have the prefix? ---------------------------------------------
    others = [h.name for h in devices.inventory.select("all") if h.name != name] if peers else []
    if peers and not others:
        diag.unchecked.append(f"whether any other device has {p}: the inventory has no other device")
    if len(others) > MAX_PEERS:
        diag.unchecked.append(f"origin check limited to the first {MAX_PEERS} other devices")
        others = others[:MAX_PEERS]
    if others:
        o_rib = read.many(others, "routes", f"routing table for {p}", prefix=p)
        _exact_lookups(read, [o for o in others if o not in o_rib], p, net, o_rib)
        o_bgp = read.many(others, "bgp_routes", f"BGP table for {p}", prefix=p)
        holders, announced = [], []
        for o in others:
            r = o_rib.get(o)
            sel = next((x for x in r.data.routes if _net(x.prefix) == net and x.selected), None) if r else None
            b = o_bgp.get(o)
            best = next((x for x in b.data.paths if _net(x.prefix) == net and x.best), None) if b else None
            if sel is None and best is None:
                continue
            holders.append(o)
            src = r if sel is not None else b
            local_bgp = best is not None and best.peer is None
            if best is not None:
                announced.append(o)
            what = (f"{o} has {p}" + (f" ({sel.protocol}{_hops(sel)})" if sel is not None else "")
                    + (", originated into BGP" if local_bgp else ", in its BGP table" if best is not None
                       else ", but not in BGP: it does not announce it"))
            severity = INFO
            code = "origin"
            if absent and best is None:
                code, severity = "not_announced", LIKELY
            elif absent and o in down_names:
                what += f"; {name}'s session to {o} is down"
            elif absent and o in filtered:
                what += f"; {name}'s inbound policy drops it"
            elif absent and best is not None and not down_names:
                code, severity = "not_received", WARNING if filtered else LIKELY
                rules = inbound_by_name.get(o)
                what += (f"; {name} did not keep it: check {o}'s outbound policy, {name}'s inbound policy"
                         + (f" from {o} ({', '.join(rules)})" if rules else "") + " and the path between them")
            diag.findings.append(_finding(code, what + ".", severity, src))
        checked = [o for o in others if o in o_rib or o in o_bgp]
        if checked and not holders:
            first = o_rib.get(checked[0]) or o_bgp[checked[0]]
            diag.findings.append(Finding("not_originated", (
                f"no other device in the inventory has {p} ({', '.join(checked)} checked): nobody originates "
                f"it, so {name} has nothing to learn."), LIKELY if absent else INFO,
                ", ".join(checked), first.command or "", first.started_at.isoformat()))
    return diag
