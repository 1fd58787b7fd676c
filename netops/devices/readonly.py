"""A read-only view of a :class:`~netops.devices.service.DeviceService` for plugin tools.

Plugin tools must not change devices outside the playbook approval gate: they get this view,
which forwards reads and refuses everything else.
"""

from __future__ import annotations

from typing import Any

from netops.errors import PolicyViolation

_READS = frozenset({"run", "get", "check", "select", "inventory", "settings"})


class ReadOnlyDevices:
    """Forwards ``run``, ``get``, ``check``, ``select`` and ``inventory``; refuses the rest, and
    everything once :meth:`close` was called (netops stopped waiting for the tool that holds it)."""

    def __init__(self, devices: Any) -> None:
        self._devices = devices
        self.closed: str | None = None

    def close(self, why: str) -> None:
        """Refuse every use from now on, saying ``why`` (the tool's thread cannot be stopped)."""
        self.closed = why

    def __getattr__(self, name: str) -> Any:
        if self.closed is not None:
            from netops.errors import Cancelled

            raise Cancelled(self.closed)
        if name in _READS:
            return getattr(self._devices, name)
        raise PolicyViolation(f"a plugin tool may not use devices.{name}: changes go through vetted playbooks",
                              hint="contribute a playbook instead of a state-changing tool")
