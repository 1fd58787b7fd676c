"""The transport seam: how a command reaches a device.

A *transport factory* is ``Callable[[Host, Settings], Connection]``: it connects (raising
:class:`~netops.errors.ConnectError`, :class:`~netops.errors.AuthError` or
:class:`~netops.errors.HostKeyError`) and returns a :class:`Connection`. The real factory is
:func:`ssh_transport` (paramiko exec channels for ``frr``, netmiko for the others); the test
double is :class:`netops.testing.transport.FakeTransport`. Connections raise only netops
errors: :class:`~netops.errors.CommandTimeout`, :class:`~netops.errors.SessionClosed`, ...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from netops.devices.inventory import Host
    from netops.settings import Settings


@dataclass
class CommandOutput:
    """Raw (not yet redacted) output of one command."""

    text: str
    truncated: bool = False
    exit_status: int | None = None
    elapsed: float = 0.0


@runtime_checkable
class Connection(Protocol):
    """An open session to one device. Not thread-safe: the pool serialises use per host."""

    def run(self, command: str, *, timeout: float) -> CommandOutput:
        """Run one (already policy-checked) command and return its output."""
        ...

    def send_config(self, lines: Sequence[str], *, timeout: float) -> CommandOutput:
        """Apply configuration lines (privileged; only the playbook runner calls this)."""
        ...

    def is_alive(self) -> bool: ...

    def close(self) -> None: ...


TransportFactory = Callable[["Host", "Settings"], Connection]


def command_slug(command: str) -> str:
    """A file-name-safe key for a command (``show bgp summary json`` -> ``show_bgp_summary_json``)."""
    return re.sub(r"[^a-z0-9]+", "_", " ".join(command.lower().split())).strip("_") or "_"


def ssh_transport(host: "Host", settings: "Settings") -> Connection:
    """The real transport: connect to ``host`` with strict host-key checking."""
    from netops.devices.hostkeys import check_known_hosts
    from netops.devices.platforms import get_platform

    check_known_hosts(settings.paths.known_hosts)  # a broken file is ConfigError, never skipped
    spec = get_platform(host.platform)
    if spec.driver == "exec":
        from netops.devices.ssh import ExecConnection

        return ExecConnection.open(host, settings)
    from netops.devices.netmiko_driver import NetmikoConnection

    return NetmikoConnection.open(host, settings, spec)
