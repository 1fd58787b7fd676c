"""Typed outcomes of the lab: what ``Lab.up()`` built and what ``Lab.status()`` saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from netops.lab.topology import LinkSpec as LinkInfo  # a router's end of a link: one type for both


@dataclass(frozen=True)
class RouterInfo:
    """One running lab router and how to reach it."""

    name: str
    namespace: str
    ssh_host: str
    ssh_port: int
    asn: int
    loopback: str
    router_id: str
    links: tuple[LinkInfo, ...]
    vty_dir: Path
    """FRR vty socket directory (``vtysh --vty_socket``)."""
    config_file: Path
    """The ``frr.conf`` the router was started with."""


@dataclass(frozen=True)
class LabInfo:
    """Everything a caller needs to use a running lab.

    ``password`` is a :class:`~pydantic.SecretStr` (``.get_secret_value()``): it never shows
    in reprs or JSON output.
    """

    lab_id: int
    lab_dir: Path
    runtime_dir: Path
    routers: tuple[RouterInfo, ...]
    inventory_path: Path
    known_hosts_path: Path
    """The lab's own known_hosts (its lines are also merged into ``settings.paths.known_hosts``)."""
    key_file: Path
    """ed25519 private key for ``username``."""
    username: str
    password: SecretStr
    password_file: Path
    """A shell file: ``export NETOPS_LAB_PASSWORD=...`` (mode 0600)."""
    password_env: str = "NETOPS_LAB_PASSWORD"

    def router(self, name: str) -> RouterInfo:
        for r in self.routers:
            if r.name == name:
                return r
        from netops.errors import NotFoundError

        raise NotFoundError(f"no router {name!r} in lab {self.lab_id}",
                            hint="routers are " + ", ".join(r.name for r in self.routers))


@dataclass(frozen=True)
class RouterStatus:
    """What ``status`` observed on one router."""

    name: str
    namespace: str
    namespace_present: bool
    daemons: dict[str, int | None]
    """daemon -> pid when alive, ``None`` when not running."""
    ssh_host: str
    ssh_port: int
    ssh_reachable: bool
    ssh_banner: str | None
    bgp_peers: dict[str, str]
    """neighbour address -> BGP state (``Established`` when up)."""
    ospf_neighbors: dict[str, str]
    """neighbour router-id -> OSPF state (``Full`` when up)."""

    @property
    def healthy(self) -> bool:
        return (
            self.namespace_present
            and all(self.daemons.values())
            and self.ssh_reachable
            and bool(self.bgp_peers)
            and all(s == "Established" for s in self.bgp_peers.values())
            and bool(self.ospf_neighbors)
            and all(s == "Full" for s in self.ospf_neighbors.values())
        )


@dataclass(frozen=True)
class LabStatus:
    """The lab as ``status`` saw it. ``up`` is false when no state was recorded."""

    lab_id: int
    up: bool
    lab_dir: Path
    routers: tuple[RouterStatus, ...] = field(default_factory=tuple)

    @property
    def healthy(self) -> bool:
        return self.up and bool(self.routers) and all(r.healthy for r in self.routers)
