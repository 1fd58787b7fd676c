"""Routes exchanged with one BGP peer: the ``bgp_advertised`` and ``bgp_received`` getters.

::

    svc.get("r1", "bgp_advertised", peer="r2")            # what r1 sends r2
    svc.get("r2", "bgp_received", peer="198.51.100.6")    # what r2 took from 198.51.100.6
    svc.get("pe1", "bgp_advertised", peer="ce1", vrf="CUST-A")  # a peer of VRF CUST-A

The peer is an address or a name. A name is resolved on the asking device with its own
``bgp_neighbors`` getter: the one peer (in the default VRF and the asked family) whose
description or announced host name is that name, in the asked VRF (``vrf=``, default ``default``;
the lab's ``neighbor X description r2``);
failing that (IOS and NX-OS summaries print no description), when the name is an inventory
host, the peer whose address is one of that host's own (its inventory address and its
interfaces, read once through the same service).
An empty answer is checked against the session's state, so "r1 advertises nothing to r2"
is not said of a session that is down. Each platform module offers the reads in
``PEER_GETTERS`` (``fn(host, read, *, peer, family, vrf) -> BgpPeerRoutes``); the rest report the
getter as unsupported.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from netops.devices.parsers import is_address  # noqa: F401  (peer_routes.is_address: the platform modules)
from netops.errors import Cancelled, InputError, NotFoundError

PEER_GETTERS = ("bgp_advertised", "bgp_received")
FAMILIES = ("ipv4", "ipv6")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
# VRF / routing-instance names as the CLIs take them (XR "VRF_NAME:9196"); nothing a CLI reads as
# a separator, a pipe or a second word
_VRF = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
DEFAULT_VRFS = ("default", "global", "master")
ALL_PEERS = ("all", "*", "any")
"""Peer words meaning every BGP peer of the device (``peer="all"``)."""
MAX_PEERS = 16
"""``peer="all"`` reads at most this many sessions (one command each); a note names the rest."""


def vrf_name(value: Any) -> str:
    """A checked VRF name; ``None``/empty and the spellings of the global table are ``default``."""
    name = str(value or "").strip()
    if not name or name.lower() in DEFAULT_VRFS:
        return "default"
    if not _VRF.fullmatch(name):
        raise InputError(f"{name!r} is not a VRF name", hint="letters, digits and . _ : - (up to 64)")
    return name


def validate(name: str, kw: dict[str, Any]) -> dict[str, Any]:
    """``{"peer": ..., "family": ...}`` checked up front: the peer goes into a command."""
    unknown = set(kw) - {"peer", "family", "vrf"}
    if unknown:
        raise InputError(f"getter {name!r} takes peer, family and vrf (got {', '.join(sorted(unknown))})")
    peer = str(kw.get("peer") or "").strip()
    if not peer:
        raise InputError(f"the {name} getter needs a peer (its address, an inventory host name, or 'all' for "
                         f"every peer)", hint="e.g. --peer 198.51.100.2, --peer r2 or --peer all")
    if peer.lower() in ALL_PEERS:
        peer = "all"
    try:
        peer = str(ipaddress.ip_address(peer))
        if not _NAME.fullmatch(peer.partition("%")[2] or "x"):  # ipaddress takes any text as a scope id
            raise ValueError(peer)
    except ValueError:
        if not _NAME.fullmatch(peer):
            raise InputError(f"{peer!r} is not a peer address or a host name") from None
    family = kw.get("family")
    if family is not None:
        family = str(family).strip().lower()
        if family not in FAMILIES:
            raise InputError(f"family must be one of {', '.join(FAMILIES)}, not {kw['family']!r}")
    out = {"peer": peer, "family": family}
    if "vrf" in kw:
        out["vrf"] = vrf_name(kw["vrf"])
    return out


def _family_of(afi_safi: str) -> str | None:
    fam = afi_safi.split("-", 1)[0]
    return fam if fam in FAMILIES and afi_safi.endswith("-unicast") else None


def resolve(neighbors: Any, name: str, family: str | None, host: str,
            addresses: Callable[[], list[str]] | None = None, vrf: str = "default") -> tuple[str, Any]:
    """``(address, neighbour)`` of the ``vrf`` peer whose description or host name is ``name``;
    failing that, whose address is one of ``addresses()`` (the named inventory host's own)."""
    want = name.lower()
    rows = [n for n in neighbors.neighbors if n.vrf == vrf and _family_of(n.afi_safi)
            and (family is None or _family_of(n.afi_safi) == family)]
    found = [n for n in rows if want in {(n.description or "").strip().lower(), (n.hostname or "").lower()}]
    if not found:  # a description that names the host among other words ("to r2 (core)")
        found = [n for n in rows if re.search(rf"(?<![\w-]){re.escape(want)}(?![\w-])", (n.description or "").lower())]
    if not found and addresses is not None:  # descriptions that do not name it (IOS prints none)
        own = set(addresses())
        found = [n for n in rows if n.peer.split("%")[0] in own]
    peers = sorted({n.peer for n in found})
    if len(peers) > 1 and family is None:  # dual-stack peering: the IPv4 session unless a family is asked
        v4 = [p for p in peers if ipaddress.ip_address(p.split("%")[0]).version == 4]
        peers = v4 if len(v4) == 1 else peers
    if not peers:
        known = ", ".join(f"{n.peer} ({n.description or n.hostname})" if (n.description or n.hostname) else n.peer
                          for n in rows) or "none"
        where = "" if vrf == "default" else f" in VRF {vrf}"
        raise NotFoundError(f"{host} has no BGP peer named {name!r}{where} (by description, host name or the "
                            f"host's addresses); its peers: {known}",
                            hint="name the peer by its address")
    if len(peers) > 1:
        raise InputError(f"{name!r} names more than one BGP peer of {host}: {', '.join(peers)}",
                         hint="name the peer by its address")
    return peers[0], next(n for n in found if n.peer == peers[0])


def run(name: str, fn: Callable[..., Any], neighbors: Callable[[], Any], host: Any,
        read: Callable[[str], str], *, peer: str, family: str | None, vrf: str = "default",
        addresses: Callable[[], list[str]] | None = None) -> Any:
    """Resolve ``peer`` (in ``vrf``), read with the platform's ``fn`` and explain an empty answer.
    ``peer="all"``: every peer of ``vrf`` (:func:`run_all`)."""
    if peer == "all":
        return run_all(name, fn, neighbors, host, read, family=family, vrf=vrf)
    asked = peer
    seen = None
    if not is_address(peer):
        found = neighbors()
        if getattr(found, "expected", None):  # not "r2 has no BGP peer r1": BGP should run there and does not
            from netops.errors import DeviceError

            raise DeviceError(f"{found.note}: no routes are exchanged with {asked}")
        peer, seen = resolve(found, peer, family, host.name, addresses, vrf)
    fam = family or ("ipv6" if ipaddress.ip_address(peer).version == 6 else "ipv4")
    out = fn(host, read, peer=peer, family=fam, vrf=vrf)
    out.vrf = vrf
    if not is_address(asked):
        out.peer_name = asked
    if out.routes:
        return out
    if seen is None:
        try:
            found = neighbors()
        except Cancelled:
            raise
        except Exception:  # the routes were read; the state only explains an empty list
            return out
        seen = next((n for n in found.neighbors if n.peer == peer and n.vrf == vrf
                     and _family_of(n.afi_safi) == fam), None)
    if seen is not None:
        out.session_state = seen.raw_state or seen.state
        out.peer_name = out.peer_name or seen.description or seen.hostname
        if not seen.established:
            out.note = "; ".join(x for x in (
                f"the BGP session with {peer} is {out.session_state}"
                + (" (shut down by configuration)" if seen.admin_down else "")
                + ": no routes are exchanged while it is down", out.note) if x)
    return out


def run_all(name: str, fn: Callable[..., Any], neighbors: Callable[[], Any], host: Any,
            read: Callable[[str], str], *, family: str | None, vrf: str = "default") -> Any:
    """The routes exchanged with each BGP peer of ``vrf`` (in ``family``, else each unicast
    family a session carries): one read per established session. A session that is down is
    listed with its state and not read (nothing is exchanged on it); a read that fails is listed
    with the reason, and the other peers' lists stand."""
    from netops.devices.models import BgpPeerRoutes, BgpPeersRoutes

    direction = "advertised" if name == "bgp_advertised" else "received"
    found = neighbors()
    rows, seen, skipped = [], set(), []
    for n in sorted(found.neighbors, key=lambda n: (n.afi_safi, _address_key(n.peer))):
        fam = _family_of(n.afi_safi)
        if n.vrf != vrf or fam is None or (family is not None and fam != family) or (n.peer, fam) in seen:
            continue
        if getattr(n, "instance", None) or not (is_address(n.peer) or _NAME.fullmatch(n.peer)):
            # another BGP instance's session (IOS-XR) is not read in the default one; a peer that is
            # neither an address nor a name (device output is data) never goes into a command
            skipped.append(n.peer)
            continue
        seen.add((n.peer, fam))
        rows.append((n, fam))
    out = BgpPeersRoutes(direction=direction, vrf=vrf)
    notes = [f"not read: {', '.join(skipped)} (another BGP instance, or not a peer address): name the peer"
             ] if skipped else []
    if not rows:
        out.expected = getattr(found, "expected", None)
        others = sorted({n.vrf for n in found.neighbors} - {vrf})
        out.note = "; ".join([found.note or (
            f"{host.name} has no BGP peers" + ("" if vrf == "default" else f" in VRF {vrf}")
            + (f" (sessions are in VRF: {', '.join(others)})" if others else "")), *notes])
        return out
    if len(rows) > MAX_PEERS:  # a route reflector's hundreds of sessions: not one read each
        notes.insert(0, f"{host.name} has {len(rows)} BGP sessions" + ("" if vrf == "default" else f" in VRF {vrf}")
                     + f"; the first {MAX_PEERS} (IPv4 sessions first, by address) were read: name a peer to read another")
        rows = rows[:MAX_PEERS]
    out.note = "; ".join(notes) or None
    for n, fam in rows:
        name_ = n.description or n.hostname
        if not n.established:
            state = n.raw_state or n.state
            out.peers.append(BgpPeerRoutes(
                peer=n.peer, peer_name=name_, direction=direction, afi_safi=n.afi_safi, vrf=vrf,
                session_state=state,
                note=f"the BGP session with {n.peer} is {state}"
                     + (" (shut down by configuration)" if n.admin_down else "")
                     + ": no routes are exchanged while it is down"))
            out.unread.append(n.peer)
            continue
        try:
            one = fn(host, read, peer=n.peer, family=fam, vrf=vrf)
        except Cancelled:
            raise
        except Exception as exc:  # one peer's read failing does not hide the others'
            one = BgpPeerRoutes(peer=n.peer, peer_name=name_, direction=direction, afi_safi=n.afi_safi, vrf=vrf,
                                note=f"could not read the routes {'advertised to' if direction == 'advertised' else 'accepted from'} "
                                     f"{_who(name_, n.peer)}: {_first_line(exc)}")
            out.unread.append(n.peer)
        one.vrf = vrf
        one.peer_name = one.peer_name or name_
        one.session_state = one.session_state or n.raw_state or n.state
        out.peers.append(one)
    return out


def _who(name: str | None, address: str) -> str:
    return f"{name} ({address})" if name and name != address else address


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _address_key(peer: str) -> tuple[int, int]:
    try:
        a = ipaddress.ip_address(peer.split("%")[0])
    except ValueError:
        return (9, 0)
    return (a.version, int(a))


def not_kept(peer: str) -> str:
    """The note of a ``bgp_received`` answer whose device keeps no pre-policy copy."""
    return (f"what {peer} sent before inbound policy is not kept (soft-reconfiguration inbound is not enabled "
            f"for it): these are the routes accepted after policy")


def heading(data: Any) -> str:
    """``routes advertised to r2 (198.51.100.2), ipv4-unicast`` (``, VRF CUST-A`` for a VRF peer)."""
    who = f"{data.peer_name} ({data.peer})" if data.peer_name and data.peer_name != data.peer else data.peer
    verb = "advertised to" if data.direction == "advertised" else "accepted from"
    vrf = getattr(data, "vrf", "default")
    return f"routes {verb} {who}, {data.afi_safi}" + ("" if vrf == "default" else f", VRF {vrf}")


def describe(data: Any, only: list[str] | None = None, peers: list[str] | None = None) -> str:
    """:func:`describe_one` for one peer; for every peer (``peer="all"``), each peer's in turn,
    then a line per prefix the question named saying which peers it goes to (or comes from).
    ``peers``: the peers a question named (names or addresses); only theirs are shown, and a
    name no session answers to is said."""
    if getattr(data, "peers", None) is None:
        return describe_one(data, only)
    missing: list[str] = []
    known = ", ".join(_who(p.peer_name, p.peer) for p in data.peers) or "none"
    if peers:
        data, missing = _named_peers(data, peers)
    blocks = _describe_all(data, only)
    if missing:
        blocks = f"no BGP session of this router answers to {', '.join(missing)} (its peers: {known})\n\n" + blocks
    return blocks


def _named_peers(data: Any, wanted: list[str]) -> tuple[Any, list[str]]:
    """``data`` with only the peers named in ``wanted`` (by address, description or host name),
    and the names no peer answered to."""
    def names(p: Any) -> set[str]:
        return {p.peer.lower(), (p.peer_name or "").strip().lower()} - {""}

    keep, missing = [], []
    for w in wanted:
        hit = [p for p in data.peers if w.lower() in names(p)]
        if not hit:
            missing.append(w)
        keep += [p for p in hit if p not in keep]
    return data.model_copy(update={"peers": keep}), missing


def _describe_all(data: Any, only: list[str] | None) -> str:
    peers = data.peers
    if not peers:
        return f"- {data.note or 'no BGP peers'}"
    # what the question named comes first: a long list must not push the answer out of sight
    blocks = [f"note: {data.note}"] if data.note else []
    if only:
        blocks.append("\n".join(_asked_all(data, asked) for asked in only))
    blocks += [describe_one(p) for p in peers]
    return "\n\n".join(blocks)


def _asked_all(data: Any, asked: str) -> str:
    try:
        net = ipaddress.ip_network(asked, strict=False)
    except ValueError:
        return f"{asked}: not a prefix"
    verb = "advertised to" if data.direction == "advertised" else "accepted from"
    # the lists of the prefix's own family, one per peer; ``unread`` names addresses, so a
    # dual-stack peer's list that has routes was read even when its other family's read failed
    lists = [p for p in data.peers if p.afi_safi == f"ipv{net.version}-unicast"] or data.peers
    total = len({p.peer for p in lists})
    read = [p for p in lists if p.routes or p.peer not in data.unread]
    yes = list(dict.fromkeys(_who(p.peer_name, p.peer) for p in read if any(_same(r.prefix, net) for r in p.routes)))
    if yes:
        return f"{net}: {verb} {len(yes)} of {total} peers: " + ", ".join(yes)
    inside = sorted({r.prefix for p in read for r in p.routes if _inside(r.prefix, net)})
    unread = total - len({p.peer for p in read})
    return (f"{net}: not {verb} any of its {total} peers"
            + (f" as such; inside it: {', '.join(inside)}" if inside else "")
            + ("" if not unread else f" ({unread} not read: see above)"))


def _same(prefix: str, net: Any) -> bool:
    try:
        return ipaddress.ip_network(prefix, strict=False) == net
    except ValueError:
        return False


def _inside(prefix: str, net: Any) -> bool:
    try:
        n = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        return False
    return n.version == net.version and n != net and n.subnet_of(net)


def describe_one(data: Any, only: list[str] | None = None) -> str:
    """Markdown lines: one per route (prefix, next hop, AS path, origin), then what was sent
    before inbound policy when the device keeps it, then the note. ``only``: prefixes a question
    named; each gets a line saying whether it is in the list (or what inside it is)."""
    def line(p: Any) -> str:
        hop = p.next_hop or ""
        if hop in ("0.0.0.0", "::"):  # how FRR and IOS print "this router" (self / originated here)
            hop += " (this router)"
        attrs = [f"next hop {hop}" if hop else "",
                 f"AS path {p.as_path}" if p.as_path else "AS path empty (originated in this AS)",
                 f"origin {p.origin}" if p.origin else ""]
        return f"- {p.prefix}" + (f": {', '.join(a for a in attrs if a)}" if any(attrs) else "")

    count = len(data.routes)
    rows = [f"{heading(data)}: {count} prefix{'es' if count != 1 else ''}", *(line(p) for p in data.routes)]
    if data.before_policy is not None:
        accepted = {p.prefix for p in data.routes}
        dropped = [p for p in data.before_policy if p.prefix not in accepted]
        rows.append(f"sent by the peer before inbound policy: {len(data.before_policy)} prefixes"
                    + (f"; not accepted: {', '.join(p.prefix for p in dropped)}" if dropped else ""))
    for asked in only or []:
        rows.append(_asked(data, asked))
    if data.note:
        rows.append(f"note: {data.note}")
    return "\n".join(rows)


def _asked(data: Any, asked: str) -> str:
    verb = "advertised to" if data.direction == "advertised" else "accepted from"
    try:
        net = ipaddress.ip_network(asked, strict=False)
    except ValueError:
        return f"{asked}: not a prefix"
    if any(_same(p.prefix, net) for p in data.routes):
        return f"{net}: yes, {verb} {data.peer}"
    inside = [str(ipaddress.ip_network(p.prefix, strict=False)) for p in data.routes if _inside(p.prefix, net)]
    return f"{net}: not {verb} {data.peer}" + (f" as such; inside it: {', '.join(inside)}" if inside else "")
