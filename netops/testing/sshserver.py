"""A tiny real SSH server on loopback (paramiko, server mode) for transport fault tests.

Exec requests are answered by behaviour keyed on the command text: ``echo ...`` echoes,
``sleep`` never answers, ``close`` drops the whole connection, ``big N`` sends N bytes.
Password auth only (``username``/``password``). Not a device: a harness for timeouts,
dropped sessions, output caps and host-key checks.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


class FaultSSHServer:
    def __init__(self, *, username: str = "netops", password: str = "pw", host_key: Any = None) -> None:
        import paramiko

        self.username = username
        self.password = password
        self.host_key = host_key if host_key is not None else paramiko.ECDSAKey.generate()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._transports: list[Any] = []
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> "FaultSSHServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        try:
            self._sock.close()
        except OSError:
            pass
        for t in list(self._transports):
            t.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        import paramiko

        server = self

        class Iface(paramiko.ServerInterface):
            def check_auth_password(self, username: str, password: str) -> int:
                ok = username == server.username and password == server.password
                return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

            def get_allowed_auths(self, username: str) -> str:
                return "password"

            def check_channel_request(self, kind: str, chanid: int) -> int:
                return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

            def check_channel_exec_request(self, channel: Any, command: bytes) -> bool:
                threading.Thread(target=server._run, args=(channel, command.decode()), daemon=True).start()
                return True

        t = paramiko.Transport(conn)
        self._transports.append(t)
        t.add_server_key(self.host_key)
        try:
            t.start_server(server=Iface())
        except (paramiko.SSHException, EOFError, OSError):
            return
        channels = []  # keep accepted channels referenced: a dropped Channel closes itself
        while t.is_active() and not self._stop.is_set():
            ch = t.accept(0.2)
            if ch is not None:
                channels.append(ch)

    def _run(self, channel: Any, command: str) -> None:
        # paramiko answers the exec request after this hook returns: give it that moment
        # so a fast reply cannot race ahead of the "exec accepted" message.
        time.sleep(0.05)
        try:
            if command == "sleep":
                while not self._stop.is_set() and not channel.closed:
                    time.sleep(0.05)
                return
            if command == "close":
                channel.get_transport().close()
                return
            if command.startswith("big "):
                n = int(command.split()[1])
                chunk = b"x" * 65536
                sent = 0
                while sent < n and not channel.closed:
                    part = chunk[: min(len(chunk), n - sent)]
                    channel.sendall(part)
                    sent += len(part)
            else:
                channel.sendall(command.encode() + b"\n")
            channel.send_exit_status(0)
            channel.close()
        except (OSError, EOFError, Exception):  # the client may hang up mid-send on purpose
            return
