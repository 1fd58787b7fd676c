"""paramiko, imported without importing ``invoke`` up front (``from netops.devices._paramiko import paramiko``).

paramiko.config imports ``invoke`` when paramiko is imported, only to run ``Match exec`` lines of
an ssh_config file; invoke brings unittest.mock and asyncio with it: 0.1-0.2 s of every netops
process that talks SSH (a playbook run, the recovery at start, a guard that restores, ``show``).
netops reads no ssh_config (netmiko may): ``Match exec`` imports invoke the first time it runs,
and behaves as before (without invoke installed it raises the same ImportError as before).
"""

from __future__ import annotations

import sys
from typing import Any


class _InvokeOnFirstUse:
    """Stands for the ``invoke`` module in paramiko.config until it is used."""

    def __getattr__(self, name: str) -> Any:
        import invoke  # here, on first use: the point of this module

        import paramiko.config

        paramiko.config.invoke = invoke
        return getattr(invoke, name)


def _load():
    if "paramiko" not in sys.modules and "invoke" not in sys.modules:
        sys.modules["invoke"] = None  # type: ignore[assignment]  # paramiko.config: `import invoke` fails
        try:
            import paramiko.config
        finally:
            if "invoke" in sys.modules and sys.modules["invoke"] is None:
                del sys.modules["invoke"]
        if paramiko.config.invoke is None:
            paramiko.config.invoke = _InvokeOnFirstUse()
    import paramiko

    return paramiko


paramiko = _load()
