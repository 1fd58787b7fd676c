"""FakeTransport: a transport double that replays recorded device output keyed by command.

Use it as ``DeviceService(settings, transport_factory=FakeTransport(...))``. Replies are
strings (output), exceptions (raised), :class:`Fault` (sleep / close the session / huge
output, honouring the command timeout and the output cap like the real transport) or
callables ``(command) -> str``. :meth:`FakeTransport.from_dir` loads captured outputs from
``<dir>/<host>/<command_slug>.txt`` (per host) and ``<dir>/<command_slug>.txt`` (any host).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Union

from netops.devices.transport import CommandOutput, command_slug
from netops.errors import CommandTimeout, SessionClosed

if TYPE_CHECKING:
    from netops.devices.inventory import Host
    from netops.settings import Settings


@dataclass(frozen=True)
class Fault:
    """Misbehaviour for one command: sleep, close the session, or produce too much output."""

    sleep: float = 0.0
    close: bool = False
    output: str = ""
    repeat: int = 1
    """``output`` is sent ``repeat`` times (10 MB without holding a 10 MB literal)."""


Reply = Union[str, BaseException, Fault, Callable[[str], str]]


@dataclass
class FakeTransport:
    """Replays outputs per host and command; records everything that would have been sent."""

    outputs: Mapping[str, Mapping[str, Reply]] = field(default_factory=dict)
    """host name -> command -> reply."""
    default: Mapping[str, Reply] = field(default_factory=dict)
    """command -> reply, for any host."""
    connect_errors: Mapping[str, BaseException] = field(default_factory=dict)
    """host name -> exception raised at connect time."""
    latency: float = 0.0
    """Seconds every command takes (for fan-out tests)."""
    sent: list[tuple[str, str]] = field(default_factory=list)
    configs: list[tuple[str, list[str]]] = field(default_factory=list)
    connects: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    @classmethod
    def from_dir(cls, directory: Path, **kw) -> "FakeTransport":
        """Load captured outputs: files ``<slug>.txt`` at the top level and per-host subdirectories."""
        directory = Path(directory)
        default: dict[str, Reply] = {}
        outputs: dict[str, dict[str, Reply]] = {}
        for f in sorted(directory.glob("*.txt")):
            default[f.stem] = f.read_text(encoding="utf-8")
        for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
            outputs[sub.name] = {f.stem: f.read_text(encoding="utf-8") for f in sorted(sub.glob("*.txt"))}
        return cls(outputs=outputs, default=default, **kw)

    def __call__(self, host: "Host", settings: "Settings") -> "FakeConnection":
        with self._lock:
            self.connects[host.name] = self.connects.get(host.name, 0) + 1
        err = self.connect_errors.get(host.name)
        if err is not None:
            raise err
        return FakeConnection(self, host, settings.ssh.max_output_bytes)

    def commands_for(self, host: str) -> list[str]:
        return [c for h, c in self.sent if h == host]

    def _lookup(self, host: str, command: str) -> Reply | None:
        for table in (self.outputs.get(host, {}), self.default):
            if command in table:
                return table[command]
            slug = command_slug(command)
            if slug in table:
                return table[slug]
        return None


class FakeConnection:
    """One fake session; behaves like the SSH exec connection (timeouts, caps, closing)."""

    def __init__(self, transport: FakeTransport, host: "Host", max_output_bytes: int) -> None:
        self._t = transport
        self.host = host
        self._max = max_output_bytes
        self._alive = True
        self._closed = threading.Event()
        self.closed_while_running = False
        """close() came while a command was running (the way a cancel abandons one)."""

    def _sleep(self, seconds: float, command: str) -> None:
        """Wait like a slow device; closing the session (from another thread) ends the wait
        with SessionClosed, as closing a real SSH session ends a blocked read."""
        if self._closed.wait(seconds):
            self.closed_while_running = True
            raise SessionClosed(f"{self.host.name}: the session was closed during {command!r}")

    def run(self, command: str, *, timeout: float) -> CommandOutput:
        if not self._alive:
            raise SessionClosed(f"{self.host.name}: session is closed")
        with self._t._lock:
            self._t.sent.append((self.host.name, command))
        start = time.monotonic()
        if self._t.latency:
            self._sleep(min(self._t.latency, timeout), command)
        reply = self._t._lookup(self.host.name, command)
        if reply is None:
            return CommandOutput(f"% Unknown command: {command}\n", exit_status=1,
                                 elapsed=time.monotonic() - start)
        if isinstance(reply, BaseException):
            if isinstance(reply, SessionClosed):
                self._alive = False
            raise reply
        if isinstance(reply, Fault):
            return self._fault(reply, command, timeout, start)
        text = reply(command) if callable(reply) else reply
        return self._capped(text, start)

    def _fault(self, fault: Fault, command: str, timeout: float, start: float) -> CommandOutput:
        if fault.sleep:
            if fault.sleep >= timeout:
                self._sleep(timeout, command)
                raise CommandTimeout(f"{self.host.name}: {command!r} did not finish within {timeout:g}s")
            self._sleep(fault.sleep, command)
        if fault.close:
            self._alive = False
            raise SessionClosed(f"{self.host.name}: the device closed the session during {command!r}")
        return self._capped(fault.output * fault.repeat, start)

    def _capped(self, text: str, start: float) -> CommandOutput:
        data = text.encode("utf-8")
        truncated = len(data) > self._max
        if truncated:
            text = data[: self._max].decode("utf-8", errors="ignore")
        return CommandOutput(text, truncated=truncated, exit_status=0, elapsed=time.monotonic() - start)

    def send_config(self, lines: Sequence[str], *, timeout: float) -> CommandOutput:
        if not self._alive:
            raise SessionClosed(f"{self.host.name}: session is closed")
        with self._t._lock:
            self._t.configs.append((self.host.name, list(lines)))
        return CommandOutput("", exit_status=0)

    def is_alive(self) -> bool:
        return self._alive

    def close(self) -> None:
        self._alive = False
        self._closed.set()
