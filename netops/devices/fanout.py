"""Bounded concurrent fan-out: run one function per host in a thread pool.

Every exception on a host becomes a failed :class:`HostResult` carrying the netops error class
name; the other hosts' results are still returned. Results keep the order hosts were given.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

from netops.devices.results import AggregateResult, HostResult
from netops.errors import NetopsError

if TYPE_CHECKING:
    from netops.devices.inventory import Host

log = logging.getLogger("netops.devices")


def failed_result(host: str, exc: BaseException, *, command: str | None = None, elapsed: float = 0.0) -> HostResult:
    """A failed result for ``exc``; unexpected (non-netops) exceptions are named ``InternalError``.

    The command and the error line are redacted (every rule: the platform is not known here):
    errors quote the command (``refused 'show run | include key 7 K'``) or device text."""
    from netops.devices.redact import redact

    hint = None
    if isinstance(exc, NetopsError):
        error_type, message = type(exc).__name__, exc.message
        hint = redact(exc.hint) if exc.hint else None
    else:
        log.exception("unexpected error on %s", host, exc_info=exc)
        error_type, message = "InternalError", f"unexpected {type(exc).__name__}: {exc}"
    error = redact(message.splitlines()[0]) if message else error_type
    return HostResult(host=host, ok=False, command=redact(command), error=error or error_type,
                      error_type=error_type, hint=hint, elapsed=elapsed)


def fan_out(
    name: str,
    hosts: Sequence["Host"],
    fn: Callable[["Host"], HostResult],
    *,
    max_workers: int,
    on_result: Callable[[HostResult], None] | None = None,
) -> AggregateResult:
    """Run ``fn(host)`` for every host with at most ``max_workers`` at a time."""
    agg = AggregateResult(name=name)
    done: dict[str, HostResult] = {}

    def guarded(host: "Host") -> HostResult:
        start = time.monotonic()
        try:
            return fn(host)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes data
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return failed_result(host.name, exc, elapsed=time.monotonic() - start)

    if len(hosts) <= 1 or max_workers <= 1:
        for h in hosts:
            r = guarded(h)
            done[h.name] = r
            if on_result:
                on_result(r)
    else:
        with ThreadPoolExecutor(max_workers=min(max_workers, len(hosts)), thread_name_prefix="netops-ssh") as pool:
            # each host's worker sees the caller's context (devices.service.shared_reads)
            futures = {pool.submit(contextvars.copy_context().run, guarded, h): h for h in hosts}
            for fut in as_completed(futures):
                r = fut.result()
                done[futures[fut].name] = r
                if on_result:
                    on_result(r)
    for h in hosts:
        agg.add(done[h.name])
    return agg
