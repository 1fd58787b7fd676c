"""The lab's shape and addressing, as pure data (no side effects, unit-testable).

Addressing scheme for lab ``N`` (1..99), router ``rI`` (I = 1, 2, 3):

=====================  =====================================================
network namespace      ``nl<N>-r<I>``
SSH endpoint (host)    ``127.0.<100+N>.<I>:22`` (loopback only; 127.0.1.1 is Debian's
                       hostname alias, so lab addresses start at 127.0.101.0/24)
runtime directory      ``/run/netops-lab/<N>/`` (sockets, pid files, sshd files)
login user             ``netops`` for lab 1, ``netops<N>`` otherwise (group ``frrvty``)
AS number              ``6500<I>`` (65001, 65002, 65003)
loopback / router-id   ``203.0.113.<I>/32``
links (veth, /30)      r1-r2 198.51.100.0/30, r2-r3 198.51.100.4/30, r1-r3 198.51.100.8/30;
                       the lower-numbered router takes the first host address; interfaces
                       are named ``eth-<peer>`` (e.g. ``eth-r2`` on r1)
=====================  =====================================================

Addresses inside the namespaces are the same in every lab: namespaces isolate them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from netops.errors import InputError

MAX_LAB_ID = 99
RUN_ROOT = "/run/netops-lab"
LINK_POOL = ipaddress.ip_network("198.51.100.0/24")
LOOPBACK_POOL = ipaddress.ip_network("203.0.113.0/24")
R3_EXTRA_PREFIX = "203.0.113.128/25"
"""A static (blackhole) prefix r3 originates into BGP, for route checks and playbooks."""


@dataclass(frozen=True)
class LinkSpec:
    """One point-to-point link as seen from one router."""

    peer: str
    interface: str
    address: str
    """This router's address with prefix length, e.g. ``198.51.100.1/30``."""
    peer_address: str
    """The peer's address without prefix length (the BGP neighbour)."""
    network: str
    description: str
    ospf_cost: int = 10


@dataclass(frozen=True)
class RouterSpec:
    """One router of the lab: identity, addressing and links."""

    name: str
    index: int
    namespace: str
    ssh_host: str
    ssh_port: int
    asn: int
    loopback: str
    links: tuple[LinkSpec, ...] = field(default_factory=tuple)
    static_routes: tuple[str, ...] = ()
    """Prefixes this router nails to ``blackhole`` and originates into BGP."""

    @property
    def router_id(self) -> str:
        return self.loopback


@dataclass(frozen=True)
class Topology:
    """The whole lab for one lab id."""

    lab_id: int
    routers: tuple[RouterSpec, ...]

    def router(self, name: str) -> RouterSpec:
        for r in self.routers:
            if r.name == name:
                return r
        raise InputError(f"no router {name!r} in the lab",
                         hint="routers are " + ", ".join(r.name for r in self.routers))

    def link(self, a: str, b: str) -> LinkSpec:
        """The link from router ``a`` towards router ``b``."""
        for link in self.router(a).links:
            if link.peer == b:
                return link
        raise InputError(f"no link between {a} and {b}")

    @property
    def runtime_dir(self) -> str:
        return f"{RUN_ROOT}/{self.lab_id}"

    @property
    def username(self) -> str:
        return "netops" if self.lab_id == 1 else f"netops{self.lab_id}"

    @property
    def ssh_net(self) -> str:
        return f"127.0.{100 + self.lab_id}.0/24"


def check_lab_id(lab_id: int) -> int:
    if not isinstance(lab_id, int) or isinstance(lab_id, bool) or not 1 <= lab_id <= MAX_LAB_ID:
        raise InputError(f"lab id must be an integer from 1 to {MAX_LAB_ID}, not {lab_id!r}")
    return lab_id


# The triangle: (a, b) pairs in the order their /30s are carved from LINK_POOL.
TRIANGLE: tuple[tuple[int, int], ...] = ((1, 2), (2, 3), (1, 3))
ROUTER_COUNT = 3


def build_topology(lab_id: int = 1) -> Topology:
    """The triangle r1-r2-r3 for lab ``lab_id`` (see the module docstring for the scheme)."""
    check_lab_id(lab_id)
    subnets = list(LINK_POOL.subnets(new_prefix=30))
    links: dict[int, list[LinkSpec]] = {i: [] for i in range(1, ROUTER_COUNT + 1)}
    for n, (a, b) in enumerate(TRIANGLE):
        net = subnets[n]
        ha, hb = list(net.hosts())
        for me, peer, mine, theirs in ((a, b, ha, hb), (b, a, hb, ha)):
            links[me].append(LinkSpec(
                peer=f"r{peer}",
                interface=f"eth-r{peer}",
                address=f"{mine}/{net.prefixlen}",
                peer_address=str(theirs),
                network=str(net),
                description=f"link to r{peer} ({net})",
            ))
    routers = []
    for i in range(1, ROUTER_COUNT + 1):
        routers.append(RouterSpec(
            name=f"r{i}",
            index=i,
            namespace=f"nl{lab_id}-r{i}",
            ssh_host=f"127.0.{100 + lab_id}.{i}",
            ssh_port=22,
            asn=65000 + i,
            loopback=str(LOOPBACK_POOL[i]),
            links=tuple(sorted(links[i], key=lambda link: link.peer)),
            static_routes=(R3_EXTRA_PREFIX,) if i == 3 else (),
        ))
    return Topology(lab_id=lab_id, routers=tuple(routers))
