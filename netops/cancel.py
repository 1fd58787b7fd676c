"""A cancel token: one object a surface cancels and the library's workers watch.

::

    token = CancelToken()
    for event in assistant.events("drain r2", cancel=token):
        ...                      # Ctrl-C / Escape call token.cancel()

The model call stops at its next token, a playbook run stops before its next host and rolls
back every host it changed. A token is cancelled once; later calls change nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from netops.errors import Cancelled

log = logging.getLogger("netops.cancel")


class CancelToken:
    """Thread-safe, one-shot cancellation with callbacks."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []
        self.reason: str | None = None

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self, reason: str = "cancelled") -> None:
        """Cancel (first call wins); runs every ``on_cancel`` callback in this thread."""
        with self._lock:
            if self._event.is_set():
                return
            self.reason = reason
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for cb in callbacks:
            try:
                cb()
            except Exception:  # one broken listener must not stop the others
                log.debug("cancel callback failed", exc_info=True)

    def raise_if_cancelled(self) -> None:
        """Raise :class:`netops.errors.Cancelled` (exit 130) when cancelled."""
        if self._event.is_set():
            raise Cancelled(self.reason or "cancelled", hint="nothing further was done after the cancel")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until cancelled or ``timeout`` seconds pass; True when cancelled."""
        return self._event.wait(timeout)

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` once when cancelled (at once if already cancelled)."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def __repr__(self) -> str:
        return f"CancelToken(cancelled={self.cancelled}, reason={self.reason!r})"


_received: list[int] = []


def signal_received(signum: int) -> None:
    """Note that the process was asked to stop by ``signum`` (SIGINT, SIGTERM, SIGHUP): every
    handler that turns a signal into a cancel calls it, so the exit code can say which one it was
    (128 + the signal's number, the shell's convention). The first signal counts."""
    if not _received:
        _received.append(signum)


def interrupted_exit_code() -> int:
    """The exit code of a command interrupted by a signal: 128 + the first signal received
    (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP); 130 when none was (a cancel by other means)."""
    return 128 + _received[0] if _received else 130


def received_signal() -> int | None:
    """The first stop signal this command received, if any."""
    return _received[0] if _received else None


def forget_signals() -> None:
    """Start a new command with no signal received (the CLI's ``main`` calls it first)."""
    _received.clear()
