"""A read-only view of a :class:`~netops.devices.service.DeviceService` for plugin tools.

Plugin tools must not change devices outside the playbook approval gate: they get this view,
which forwards reads and refuses everything else.
"""

from __future__ import annotations

from typing import Any

from netops.errors import PolicyViolation

_READS = frozenset({"run", "get", "check", "select", "inventory", "settings"})


class ReadOnlyDevices:
    """Forwards ``run``, ``get``, ``check``, ``select`` and ``inventory``; refuses the rest."""

    def __init__(self, devices: Any) -> None:
        self._devices = devices

    def __getattr__(self, name: str) -> Any:
        if name in _READS:
            return getattr(self._devices, name)
        raise PolicyViolation(f"a plugin tool may not use devices.{name}: changes go through vetted playbooks",
                              hint="contribute a playbook instead of a state-changing tool")
