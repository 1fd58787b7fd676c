"""Typed per-host outcomes, rolled up into an aggregate (after Nornir's Result/AggregatedResult).

Every failure on one host becomes a failed :class:`HostResult`; it never hides the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from netops.errors import DeviceError


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class HostResult:
    host: str
    ok: bool
    command: str | None = None
    output: str | None = None
    """Raw text output, already redacted."""
    data: Any = None
    """Parsed/typed data (a getter's result, parsed JSON)."""
    error: str | None = None
    """One line saying what went wrong, for a failed result."""
    error_type: str | None = None
    """Name of the netops error class (``AuthError``, ``HostKeyError``, ...)."""
    hint: str | None = None
    """How to fix it, for a failed result (the error's own hint), when there is one."""
    started_at: datetime = field(default_factory=_now)
    elapsed: float = 0.0
    truncated: bool = False
    device_error: str | None = None
    """The device answered with an error instead of the command's output (its line: ``% BGP is not
    running``, ``% Unknown command: ...``). The read worked (``ok``; the text is in ``output``, and
    is evidence: "BGP is not running" answers a question); a script running one command is told
    (``netops show`` exits non-zero)."""
    parse_error: str | None = None
    """The parser registered for the command failed (one line naming the plugin, the parser and
    the exception's message, redacted): ``data`` is None and ``output`` is the raw text."""
    fault: str | None = None
    """A getter read the device, and what it read is a fault (BGP should run here but is not
    running; a peer's routes could not be read): the typed state is in ``data`` and a script is
    told (``netops state`` exits non-zero and says it on stderr)."""

    @property
    def failed(self) -> bool:
        return not self.ok

    def to_dict(self) -> dict[str, Any]:
        data = self.data
        if hasattr(data, "model_dump"):
            data = data.model_dump(mode="json")
        elif isinstance(data, list) and data and hasattr(data[0], "model_dump"):
            data = [d.model_dump(mode="json") for d in data]
        return {
            "host": self.host,
            "ok": self.ok,
            "command": self.command,
            "output": self.output,
            "data": data,
            "error": self.error,
            "error_type": self.error_type,
            "hint": self.hint,
            "started_at": self.started_at.isoformat(),
            "elapsed": round(self.elapsed, 4),
            "truncated": self.truncated,
            "device_error": self.device_error,
            "fault": self.fault,
            "parse_error": self.parse_error,
        }


@dataclass
class AggregateResult(Mapping[str, HostResult]):
    """Results of one operation over many hosts, keyed by host name."""

    name: str
    results: dict[str, HostResult] = field(default_factory=dict)

    def __getitem__(self, host: str) -> HostResult:
        return self.results[host]

    def __iter__(self) -> Iterator[str]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def add(self, result: HostResult) -> None:
        self.results[result.host] = result

    @property
    def failed(self) -> bool:
        return any(r.failed for r in self.results.values())

    @property
    def failed_hosts(self) -> dict[str, HostResult]:
        return {h: r for h, r in self.results.items() if r.failed}

    @property
    def device_errors(self) -> dict[str, str]:
        """Host -> the error line its device answered with instead of output."""
        return {h: r.device_error for h, r in self.results.items() if r.ok and r.device_error}

    @property
    def faults(self) -> dict[str, str]:
        """Host -> the fault a getter found in what it read (:attr:`HostResult.fault`)."""
        return {h: r.fault for h, r in self.results.items() if r.ok and r.fault}

    @property
    def parse_errors(self) -> dict[str, str]:
        """Host -> why the parser of its output failed (:attr:`HostResult.parse_error`)."""
        return {h: r.parse_error for h, r in self.results.items() if r.parse_error}

    @property
    def ok_hosts(self) -> dict[str, HostResult]:
        return {h: r for h, r in self.results.items() if r.ok}

    def raise_on_error(self) -> None:
        if self.failed:
            detail = "; ".join(f"{h}: {r.error}" for h, r in self.failed_hosts.items())
            raise DeviceError(f"{self.name} failed on {len(self.failed_hosts)} host(s): {detail}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "failed": self.failed,
            "failed_hosts": sorted(self.failed_hosts),
            "device_errors": self.device_errors,
            "faults": self.faults,
            "parse_errors": self.parse_errors,
            "results": {h: r.to_dict() for h, r in self.results.items()},
        }
