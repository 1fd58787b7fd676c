"""netmiko-driven platforms (cisco_ios, cisco_xr, cisco_nxos, arista_eos, juniper_junos, nokia_sros, huawei_vrp,
linux): interactive CLI sessions.

netmiko is imported lazily. Host keys are checked strictly against netops' known_hosts
(``ssh_strict`` uses paramiko's RejectPolicy); netmiko/paramiko errors become netops errors.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from netops.devices.hostkeys import fetch_host_key, unknown_key_error
from netops.devices.transport import CommandOutput
from netops.errors import AuthError, CommandTimeout, ConnectError, HostKeyError, SessionClosed

if TYPE_CHECKING:
    from netops.devices.inventory import Host
    from netops.devices.platforms import PlatformSpec
    from netops.settings import Settings


class NetmikoConnection:
    def __init__(self, host: "Host", conn: Any, max_output_bytes: int) -> None:
        self.host = host
        self._conn = conn
        self._max = max_output_bytes

    @classmethod
    def open(cls, host: "Host", settings: "Settings", spec: "PlatformSpec") -> "NetmikoConnection":
        from netops.devices._paramiko import paramiko  # first: netmiko imports paramiko too

        from netmiko import ConnectHandler
        from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

        creds = host.credentials
        known = settings.paths.known_hosts
        t = settings.ssh.connect_timeout
        params: dict[str, Any] = dict(
            device_type=spec.netmiko_type, host=host.hostname, port=host.port, username=creds.username or "",
            password=creds.password_value(required=not creds.has_other_methods()) or "",
            use_keys=bool(creds.key_file), key_file=str(creds.key_file) if creds.key_file else None,
            allow_agent=creds.use_agent, ssh_strict=True, system_host_keys=False,
            alt_host_keys=known.exists(), alt_key_file=str(known) if known.exists() else "",
            conn_timeout=t, auth_timeout=t, banner_timeout=t, fast_cli=False,
        )
        where = f"{host.name} ({host.hostname}:{host.port})"
        try:
            conn = ConnectHandler(**params)
        except paramiko.BadHostKeyException as exc:
            from netops.devices.hostkeys import changed_key_error

            raise changed_key_error(exc.hostname, exc.key, exc.expected_key, host.name, known) from exc
        except Exception as exc:  # netmiko wraps paramiko errors in its own types: classify by message
            if "known_hosts" in str(exc):
                try:
                    key = fetch_host_key(host.hostname, host.port, timeout=t)
                except ConnectError:
                    raise HostKeyError(f"{where}: host key is not known",
                                       hint=f"netops devices trust {host.name}") from exc
                raise unknown_key_error(host.hostname, key, host.name) from exc
            if isinstance(exc, NetmikoAuthenticationException):
                raise AuthError(f"{where}: authentication failed for user {creds.username!r}") from exc
            if isinstance(exc, (NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError)):
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
                raise ConnectError(f"{where}: {first}") from exc
            raise
        return cls(host, conn, settings.ssh.max_output_bytes)

    def run(self, command: str, *, timeout: float) -> CommandOutput:
        from netmiko.exceptions import ReadTimeout

        start = time.monotonic()
        try:
            text = self._conn.send_command(command, read_timeout=timeout)
        except ReadTimeout as exc:
            raise CommandTimeout(f"{self.host.name}: {command!r} did not finish within {timeout:g}s") from exc
        except (OSError, EOFError) as exc:
            raise SessionClosed(f"{self.host.name}: the device closed the session") from exc
        data = text.encode("utf-8")
        truncated = len(data) > self._max
        if truncated:
            text = data[: self._max].decode("utf-8", errors="ignore")
        return CommandOutput(text, truncated=truncated, exit_status=None, elapsed=time.monotonic() - start)

    def send_config(self, lines: Sequence[str], *, timeout: float) -> CommandOutput:
        from netmiko.exceptions import ReadTimeout

        start = time.monotonic()
        try:
            text = self._conn.send_config_set(list(lines), read_timeout=timeout)
        except ReadTimeout as exc:
            raise CommandTimeout(f"{self.host.name}: configuration did not finish within {timeout:g}s") from exc
        except (OSError, EOFError) as exc:
            raise SessionClosed(f"{self.host.name}: the device closed the session") from exc
        failed = any(m in text for m in ("% Invalid", "% Incomplete", "% Ambiguous"))
        return CommandOutput(text, exit_status=1 if failed else 0, elapsed=time.monotonic() - start)

    def is_alive(self) -> bool:
        try:
            return bool(self._conn.is_alive())
        except Exception:
            return False

    def close(self) -> None:
        try:
            self._conn.disconnect()
        except Exception:  # already gone
            pass
