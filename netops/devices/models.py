"""Typed results of the device getters (``DeviceService.get``).

Every getter returns one of these pydantic models in ``HostResult.data``; the same shape for
every platform, with ``None`` where a platform does not report a field.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, model_validator


class Facts(BaseModel):
    """Who the device is."""

    hostname: str
    vendor: str
    platform: str
    """netops platform name (``frr``, ``cisco_ios``, ...)."""
    os_version: str | None = None
    model: str | None = None
    serial: str | None = None
    uptime_seconds: float | None = None


class InterfaceCounters(BaseModel):
    rx_packets: int | None = None
    tx_packets: int | None = None
    rx_bytes: int | None = None
    tx_bytes: int | None = None
    rx_errors: int | None = None
    tx_errors: int | None = None


class Interface(BaseModel):
    name: str
    admin_up: bool
    oper_up: bool
    description: str | None = None
    addresses: list[str] = Field(default_factory=list)
    """Addresses with prefix length: the primary IPv4 address, the secondary ones in the
    device's order, then IPv6 (``10.0.0.1/30``, ``10.9.9.1/24``, ``2001:db8::1/64``,
    ``fe80::1/64``; lower case, compressed; link-local ``/64`` when the device prints it bare).
    An unnumbered interface lists no borrowed address."""
    mtu: int | None = None
    mac: str | None = None
    counters: InterfaceCounters | None = None
    vrf: str | None = None
    """The VRF (routing instance) the interface is in, as the device's address listings name it
    (IOS ``VPN Routing/Forwarding "X"``, NX-OS ``... Status for VRF "X"``, IOS-XR ``Vrf is X``,
    FRR ``vrfName``); ``None`` for the default table, or where the outputs read do not say."""


class Interfaces(BaseModel):
    interfaces: list[Interface] = Field(default_factory=list)
    note: str | None = None
    """What the list leaves out, when something could not be read (e.g. the secondary IPv4 or
    the IPv6 addresses of a device whose ``show ip interface`` / ``show ipv6 interface`` output
    was not understood)."""

    def by_name(self, name: str) -> Interface | None:
        return next((i for i in self.interfaces if i.name == name), None)


class BgpNeighbor(BaseModel):
    peer: str
    """Peer address (or interface name for unnumbered peers)."""
    remote_as: int | None = None
    """asplain (asdot ``65002.2048`` is reported as 65002 x 65536 + 2048)."""
    state: str
    """``Established`` or the FSM state (``Active``, ``Idle``, ``Connect``, ...); a peer shut by
    configuration keeps the state its vendor gives it (``Idle``, NX-OS ``Shut``, SR OS
    ``Disabled``): :attr:`admin_down` says why."""
    established: bool
    admin_down: bool | None = None
    """``True`` when the session is down because the configuration shuts the peer (``neighbor X
    shutdown``, ``admin-state disable``, VRP ``peer X ignore``), ``False`` when the device's output
    would say so and does not, ``None`` where the platform's summary does not tell (Junos)."""
    raw_state: str | None = None
    """The state as the device printed it, with its qualifier (``Idle (Admin)``, ``Idle(Admin)``,
    ``Shut (Admin)``, ``Idle (PfxCt)``, ``Disabled``; FRR and EOS JSON give the qualifier in a field of
    its own and it is written ``Idle (Admin)``); ``None`` where the device printed a prefix count."""
    uptime: str | None = None
    uptime_seconds: float | None = None
    down_seconds: float | None = None
    """How long a session that is not Established has been down (since it last left Established),
    where the device says (FRR's ``peerUptime`` of a down peer); None while Established, for a
    session never up, and where the platform's output does not tell."""
    last_error: str | None = None
    """Why a session that is not Established last went down, as the device says it (FRR: the last
    NOTIFICATION and who sent it, "OPEN Message Error/Bad Peer AS (sent by this router)", else its
    reset reason, "Interface down"); None while Established and where it is not read."""
    prefixes_received: int | None = None
    description: str | None = None
    vrf: str = "default"
    """VRF / routing instance of the session (``default`` for the global table)."""
    afi_safi: str = "ipv4-unicast"
    """``ipv4-unicast``, ``ipv6-unicast``, ``vpnv4-unicast``, ``l2vpn-evpn``, ... (the family the
    routes are exchanged in, not the transport: an IPv4 session over an IPv6 link-local peer is
    ``ipv4-unicast``)."""
    instance: str | None = None
    """The named BGP instance the session belongs to (IOS-XR ``router bgp N instance NAME``);
    ``None`` for the default (or only) BGP process. ``vrf`` is then the VRF inside that instance."""
    hostname: str | None = None
    """The host name the peer announced (FRR's hostname capability); ``None`` where the device
    does not say."""


BGP_SHOULD_RUN = "BGP should run but is not running"
"""How every surface says the fault :attr:`BgpNeighbors.expected` records (the offline health line,
the model's grounding), so one fault is not said two ways."""


class BgpNeighbors(BaseModel):
    """Every BGP session of the device: all address families and all VRFs/routing instances,
    one entry per peer and address family (``vrf`` and ``afi_safi`` on each)."""

    router_id: str | None = None
    local_as: int | None = None
    """asplain, whatever notation the device prints (``65002.2048`` -> 4259907584)."""
    neighbors: list[BgpNeighbor] = Field(default_factory=list)
    note: str | None = None
    """Why the list is empty when it is not simply "no peers" (BGP not configured/running)."""
    expected: str | None = None
    """BGP should run but is not running (:data:`BGP_SHOULD_RUN`), and why netops thinks so (``router bgp
    65002`` in its running configuration; the inventory's AS number for it): a fault, where the
    same device words ("bgpd is not running") also come from a router without BGP."""

    @property
    def fault(self) -> str | None:
        """What is wrong on the device, for a script to be told (``netops state`` exits non-zero):
        BGP should run here but does not (the note, when :attr:`expected` is set)."""
        return self.note if self.expected else None

    def by_peer(self, peer: str) -> BgpNeighbor | None:
        return next((n for n in self.neighbors if n.peer == peer), None)


class OspfNeighbor(BaseModel):
    neighbor_id: str
    address: str | None = None
    interface: str | None = None
    state: str
    """Adjacency state without the DR role (``Full``, ``2-Way``, ``Init``, ...)."""
    full: bool
    role: str | None = None
    """DR/BDR/DROther or ``None`` on point-to-point links."""
    dead_time_seconds: float | None = None
    priority: int | None = None
    uptime_seconds: float | None = None
    """How long the adjacency has been in its state, where the device says (FRR's ``upTime``)."""
    vrf: str | None = None
    """The routing instance (VRF) the adjacency is in where the reply names it (Junos ``instance
    all``, NX-OS ``vrf all``, IOS-XR ``vrf all-inclusive``: ``default`` for the global table);
    ``None`` where the platform does not say."""


class OspfNeighbors(BaseModel):
    neighbors: list[OspfNeighbor] = Field(default_factory=list)
    note: str | None = None
    """Why the list is empty when it is not simply "no neighbors" (OSPF not configured/running)."""

    def by_id(self, neighbor_id: str) -> OspfNeighbor | None:
        return next((n for n in self.neighbors if n.neighbor_id == neighbor_id), None)


class NextHop(BaseModel):
    address: str | None = None
    interface: str | None = None
    active: bool = True
    discard: bool = False
    """Traffic is dropped here: a blackhole / Null0 / reject / discard route (typically the static
    route that anchors an aggregate the router originates)."""

    @model_validator(mode="after")
    def _null_interface_discards(self) -> "NextHop":
        # IOS/NX-OS/XR/EOS "via Null0", Junos "Discard"/"Reject", SR OS "black-hole": one meaning
        if self.interface and re.fullmatch(r"null\s*0|discard|reject|black-?hole", self.interface.strip(), re.I):
            self.discard = True
        return self

    def describe(self) -> str:
        """``198.51.100.2 via eth-r2``, ``directly via lo``, ``discard (blackhole)``."""
        if self.discard:
            return f"discard ({self.interface})" if self.interface else "discard (blackhole)"
        return f"{self.address or 'directly'} via {self.interface or '?'}"


class RouteLookup(BaseModel):
    """The best route the device would use for ``query`` (a prefix or an address)."""

    query: str
    found: bool
    prefix: str | None = None
    protocol: str | None = None
    distance: int | None = None
    metric: int | None = None
    next_hops: list[NextHop] = Field(default_factory=list)
    uptime: str | None = None


class RunningConfig(BaseModel):
    text: str
    """The running configuration with secrets replaced by ``<redacted>``."""
    redacted: bool = True


class HostCheck(BaseModel):
    """``netops devices check``: can netops reach, trust and log in to a host?"""

    reachable: bool
    host_key_known: bool | None = None
    """``None`` when the check stopped before the key exchange."""
    authenticated: bool = False
    fingerprint: str | None = None


class RibRoute(BaseModel):
    """One route of the routing table (any protocol, chosen or not)."""

    prefix: str
    protocol: str | None = None
    selected: bool = False
    """The route the device chose for this prefix (``>`` in ``show ip route``)."""
    installed: bool | None = None
    """In the forwarding table; ``None`` when the device does not say."""
    distance: int | None = None
    metric: int | None = None
    next_hops: list[NextHop] = Field(default_factory=list)


class RouteSet(BaseModel):
    """``routes`` getter: every route at ``query`` or inside it (longer prefixes)."""

    query: str
    routes: list[RibRoute] = Field(default_factory=list)


class BgpPath(BaseModel):
    """One path of the BGP table (Adj-RIB-In after policy, i.e. what the device kept)."""

    prefix: str
    peer: str | None = None
    """The peer it came from; ``None`` when this device originates it."""
    peer_name: str | None = None
    """The peer's host name where the device knows it (FRR's hostname capability)."""
    next_hop: str | None = None
    as_path: str = ""
    origin: str | None = None
    valid: bool = True
    best: bool = False
    reason: str | None = None
    """Why it was chosen (``AS Path``, ``First path received``) when the device says."""


class BgpRoutes(BaseModel):
    """``bgp_routes`` getter: BGP table paths at ``query`` or inside it (default VRF, the
    query's family)."""

    query: str
    paths: list[BgpPath] = Field(default_factory=list)
    note: str | None = None
    """Why there are no paths when it is not simply "none" (BGP not running)."""
    expected: str | None = None
    """BGP is not running but should (as :attr:`BgpNeighbors.expected`)."""

    @property
    def fault(self) -> str | None:
        """BGP should run here but is not running (the note): ``netops state`` exits non-zero."""
        return self.note if self.expected else None


class BgpPeerPolicy(BaseModel):
    """What a BGP peer's routes go through on this device, in one address family."""

    peer: str
    peer_name: str | None = None
    afi_safi: str = "ipv4-unicast"
    inbound: list[str] = Field(default_factory=list)
    """``prefix-list NAME``, ``route-map NAME``, ``filter-list NAME``, ``distribute-list NAME``."""
    outbound: list[str] = Field(default_factory=list)
    soft_reconfig_inbound: bool = False
    """The device keeps what the peer sent before inbound policy (so it can be shown)."""
    accepted_prefixes: int | None = None


class PrefixListMatch(BaseModel):
    """What an inbound prefix-list does with the query prefix, read from the device's list and
    applied by netops as the device applies it (first matching entry; none matches: denied)."""

    name: str
    action: str | None = None
    """``permit`` or ``deny``; None when the device has no list of that name."""
    entry: str | None = None
    """The entry that decides (``seq 5 deny 203.0.113.0/24``); None when none matches (the
    implicit deny at the end of every prefix-list) or the list is missing."""


class RouteMapMatch(BaseModel):
    """What an inbound route-map does with the query prefix, read from the device and applied by netops
    as the router applies it (entries in order, every match clause of an entry must match, the first
    entry that matches decides; none matches: denied), for the clauses netops evaluates (``ip address
    prefix-list``, and an entry with no match clause); otherwise :attr:`unknown` says which clause."""

    name: str
    action: str | None = None
    """``permit`` or ``deny``; None when the device has no route-map of that name or netops cannot tell."""
    entry: str | None = None
    """What decides ("deny 10 (match ip address prefix-list CUST-BLOCK: its entry 'seq 5 permit
    203.0.113.128/25')"); None when no entry matches (the implicit deny) or it cannot tell."""
    unknown: str | None = None
    """The match clause netops does not evaluate, where the verdict stopped ("match as-path X")."""


class BgpInbound(BaseModel):
    """``bgp_inbound`` getter: each peer's policies in the query's family, and what the peers
    with soft-reconfiguration inbound sent at or inside ``query`` *before* inbound policy."""

    query: str
    peers: list[BgpPeerPolicy] = Field(default_factory=list)
    received: list[BgpPath] = Field(default_factory=list)
    prefix_lists: list[PrefixListMatch] = Field(default_factory=list)
    """Each inbound prefix-list's verdict on ``query`` (the platforms that read them: FRR)."""
    route_maps: list[RouteMapMatch] = Field(default_factory=list)
    """Each inbound route-map's verdict on ``query`` (the platforms that read them: FRR)."""
    note: str | None = None
    """What could not be read (BGP not running; a peer's received routes too large)."""


class BgpPeerRoutes(BaseModel):
    """``bgp_advertised`` / ``bgp_received`` getters: the routes this device exchanges with one BGP
    peer in one family and one VRF, as the device shows them.

    ``bgp_advertised``: what the device sends the peer (Adj-RIB-Out, after outbound policy; the
    AS path as the device prints it, usually before its own AS is prepended).
    ``bgp_received``: what the device accepted from the peer (after inbound policy) in
    :attr:`routes`, and what the peer sent before inbound policy in :attr:`before_policy`, which
    a device keeps only with soft-reconfiguration inbound for that peer."""

    peer: str
    """The peer's address (resolved from a host name when one was asked for)."""
    peer_name: str | None = None
    """The name the peer was asked by, or its description/host name on the device."""
    direction: str
    """``advertised`` or ``received``."""
    afi_safi: str = "ipv4-unicast"
    vrf: str = "default"
    """The VRF (routing instance) of the session."""
    routes: list[BgpPath] = Field(default_factory=list)
    before_policy: list[BgpPath] | None = None
    """``bgp_received`` only: what the peer sent before inbound policy; ``None`` when the device
    keeps no copy of it (no soft-reconfiguration inbound; :attr:`note` says so)."""
    session_state: str | None = None
    """The BGP session's state when it was read (only when the routes were checked against it)."""
    note: str | None = None
    """Why the list is what it is when that is not obvious: the session is down, BGP is not
    running, the pre-policy routes are not kept."""


class BgpPeersRoutes(BaseModel):
    """``bgp_advertised`` / ``bgp_received`` with ``peer="all"``: the routes this device exchanges
    with each of its BGP peers in one VRF (and the asked family, else every unicast family),
    one read per established session. A session that is not established is listed with its
    state and no read; a read that failed is listed with :attr:`BgpPeerRoutes.note` saying so."""

    direction: str
    """``advertised`` or ``received``."""
    vrf: str = "default"
    peers: list[BgpPeerRoutes] = Field(default_factory=list)
    unread: list[str] = Field(default_factory=list)
    """Peers (addresses) whose routes were not read: the session is down, or the read failed."""
    note: str | None = None
    """Why the list is what it is when that is not obvious (no BGP peer in the VRF)."""
    expected: str | None = None
    """BGP is not running but should (as :attr:`BgpNeighbors.expected`): no peer was read."""

    @property
    def fault(self) -> str | None:
        """BGP should run but is not running (the note), or the peers whose routes could not be
        read (a session that is down is state, not a fault): for a script to be told
        (``netops state`` exits non-zero)."""
        if self.expected:
            return self.note
        failed = [p.note for p in self.peers if p.note and p.note.startswith("could not read")]
        return "; ".join(failed) or None
