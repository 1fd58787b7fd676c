"""The SSH exec transport (paramiko) used for ``frr``: one connection, one channel per command.

Each command is one exec request (router CLI text); output is read until EOF with a deadline
and a byte cap. The TCP socket is opened here with ``TCP_NODELAY``: SSH is a chain of small
request/response messages, and with Nagle's algorithm on, a small write that follows an
unacknowledged one waits for the peer's delayed ACK (40 ms on Linux) -- measured on the lab,
that was ~60 ms of every ~210 ms connect+command. paramiko and socket errors are translated here into the netops tree:
ConnectError, AuthError, HostKeyError, CommandTimeout, SessionClosed.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from netops.devices.hostkeys import changed_key_error, legacy_transport_class, strict_policy
from netops.devices.transport import CommandOutput
from netops.errors import AuthError, CommandTimeout, ConnectError, HostKeyError, SessionClosed

if TYPE_CHECKING:
    import paramiko

    from netops.devices.inventory import Host
    from netops.settings import Settings

_POLL = 0.5  # seconds between deadline checks while a command is silent


def open_socket(host: "Host", timeout: float) -> socket.socket:
    """A connected TCP socket to ``host`` with Nagle's algorithm off, or a :class:`ConnectError`."""
    where = f"{host.name} ({host.hostname}:{host.port})"
    try:
        sock = socket.create_connection((host.hostname, host.port), timeout=timeout)
    except socket.gaierror as exc:
        raise ConnectError(f"{where}: unknown host ({exc.strerror})", hint="check 'hostname' in the inventory") from exc
    except ConnectionRefusedError as exc:
        raise ConnectError(f"{where}: connection refused", hint="is sshd running on that port?") from exc
    except (socket.timeout, TimeoutError) as exc:
        raise ConnectError(f"{where}: timed out after {timeout:g}s", hint="is the device reachable?") from exc
    except OSError as exc:
        raise ConnectError(f"{where}: {exc.strerror or exc}") from exc
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # not fatal: only latency depends on it
        pass
    return sock


def connect_client(host: "Host", settings: "Settings") -> "paramiko.SSHClient":
    """An authenticated SSHClient with strict host-key checking, or a netops error."""
    from netops.devices._paramiko import paramiko

    known_hosts = settings.paths.known_hosts
    label = host.name
    client = paramiko.SSHClient()
    if known_hosts.exists():
        try:
            client.load_host_keys(str(known_hosts))
        except (OSError, paramiko.SSHException, ValueError) as exc:
            raise HostKeyError(f"cannot read known_hosts {known_hosts}: {exc}") from exc
    client.set_missing_host_key_policy(strict_policy(label))
    creds = host.credentials
    password = creds.password_value(required=not creds.has_other_methods())
    timeout = settings.ssh.connect_timeout
    sock = open_socket(host, timeout)
    # hostname/port still name the known_hosts entry; the socket is ours
    kwargs: dict[str, Any] = dict(
        hostname=host.hostname, port=host.port, sock=sock, username=creds.username, password=password,
        key_filename=str(creds.key_file) if creds.key_file else None,
        allow_agent=creds.use_agent, look_for_keys=False, timeout=timeout,
        banner_timeout=timeout, auth_timeout=timeout, channel_timeout=timeout,
    )
    if settings.ssh.allow_legacy_algorithms:
        kwargs["transport_factory"] = legacy_transport_class()
    where = f"{host.name} ({host.hostname}:{host.port})"
    try:
        _handshake(client, kwargs, where=where, label=host.name, known_hosts=known_hosts,
                   hint_env=creds.password_env if password is None else None, username=creds.username)
    except BaseException:
        client.close()
        sock.close()  # paramiko does not close a socket it was handed
        raise
    return client


@contextlib.contextmanager
def _signals_for_the_main_thread() -> Iterator[None]:
    """paramiko starts its transport thread inside ``connect``; that thread inherits this
    thread's signal mask. Blocking Ctrl-C/SIGTERM/SIGHUP meanwhile keeps the kernel from handing
    such a signal to the transport thread later, where it would never interrupt a main thread
    waiting at an approval prompt. A signal arriving during the handshake is delivered after it."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _handshake(client: "paramiko.SSHClient", kwargs: dict[str, Any], *, where: str, label: str,
               known_hosts: Any, hint_env: str | None, username: str | None) -> None:
    """``client.connect`` with paramiko and socket errors translated into the netops tree."""
    from netops.devices._paramiko import paramiko

    timeout = kwargs["timeout"]
    try:
        with _signals_for_the_main_thread():
            client.connect(**kwargs)
    except HostKeyError:
        raise
    except paramiko.BadHostKeyException as exc:
        raise changed_key_error(exc.hostname, exc.key, exc.expected_key, label, known_hosts) from exc
    except paramiko.AuthenticationException as exc:
        hint = "check the username, key file, ssh-agent or the password variable"
        if hint_env:
            hint = f"{hint_env} is not set; export it or fix the key file"
        raise AuthError(f"{where}: authentication failed for user {username!r}", hint=hint) from exc
    except (socket.timeout, TimeoutError) as exc:
        raise ConnectError(f"{where}: timed out after {timeout:g}s", hint="is the device reachable?") from exc
    except OSError as exc:
        raise ConnectError(f"{where}: {exc.strerror or exc}") from exc
    except paramiko.SSHException as exc:
        text = str(exc)
        if "authentication" in text.lower():
            raise AuthError(f"{where}: {text}", hint="configure a key file, ssh-agent or password_env") from exc
        if "incompatible" in text.lower() or "no acceptable" in text.lower():
            raise ConnectError(f"{where}: no common SSH algorithms ({text})",
                               hint="an old device may need ssh.allow_legacy_algorithms (weaker; see docs)") from exc
        raise ConnectError(f"{where}: SSH handshake failed: {text}") from exc
    except EOFError as exc:
        raise ConnectError(f"{where}: the server closed the connection during the handshake") from exc


class ExecConnection:
    """One SSH connection; every command is a fresh exec channel on it."""

    def __init__(self, host: "Host", settings: "Settings", client: "paramiko.SSHClient") -> None:
        self.host = host
        self._client = client
        self._max = settings.ssh.max_output_bytes

    @classmethod
    def open(cls, host: "Host", settings: "Settings") -> "ExecConnection":
        return cls(host, settings, connect_client(host, settings))

    def is_alive(self) -> bool:
        t = self._client.get_transport()
        return bool(t and t.is_active())

    def close(self) -> None:
        self._client.close()

    def run(self, command: str, *, timeout: float) -> CommandOutput:
        return self._exec(command, timeout)

    def send_config(self, lines: Sequence[str], *, timeout: float) -> CommandOutput:
        body = list(lines)
        if not body[0].strip().lower().startswith("conf"):
            body = ["configure terminal", *body]
        return self._exec("\n".join(body), timeout)

    def _exec(self, command: str, timeout: float) -> CommandOutput:
        from netops.devices._paramiko import paramiko

        start = time.monotonic()
        deadline = start + timeout
        transport = self._client.get_transport()
        if transport is None or not transport.is_active():
            raise SessionClosed(f"{self.host.name}: the SSH session is closed")
        try:
            chan = transport.open_session(timeout=timeout)
            chan.set_combine_stderr(True)
            chan.exec_command(command)
            chan.shutdown_write()
        except (paramiko.SSHException, EOFError, OSError) as exc:
            if transport.is_active():
                raise SessionClosed(f"{self.host.name}: the device refused a new channel: {exc}") from exc
            raise SessionClosed(f"{self.host.name}: the device closed the session") from exc
        buf = bytearray()
        truncated = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CommandTimeout(
                        f"{self.host.name}: {command.splitlines()[0]!r} did not finish within {timeout:g}s",
                        hint="raise --timeout / NETOPS_SSH__COMMAND_TIMEOUT, or narrow the command")
                chan.settimeout(min(remaining, _POLL))
                try:
                    data = chan.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    break
                room = self._max - len(buf)
                if len(data) > room:
                    buf += data[:room]
                    truncated = True
                    break
                buf += data
            status: int | None = None
            if not truncated:
                chan.status_event.wait(max(0.0, min(deadline - time.monotonic(), 5.0)))
                # paramiko reports -1 when the channel closed without an exit-status message
                if chan.exit_status_ready() and chan.recv_exit_status() != -1:
                    status = chan.recv_exit_status()
                elif not transport.is_active():
                    raise SessionClosed(f"{self.host.name}: the device closed the session during "
                                        f"{command.splitlines()[0]!r}")
                else:
                    raise SessionClosed(f"{self.host.name}: the channel closed without an exit status")
        except (EOFError, OSError, paramiko.SSHException) as exc:
            raise SessionClosed(f"{self.host.name}: the session broke during {command.splitlines()[0]!r}: {exc}") from exc
        finally:
            chan.close()
        text = bytes(buf).decode("utf-8", errors="replace")
        return CommandOutput(text, truncated=truncated, exit_status=status, elapsed=time.monotonic() - start)
