"""Model HTTP calls that can be ended from another thread.

A blocking read on a socket does not return when the socket is closed from another thread;
only a ``shutdown`` wakes it. httpx has no way to abort a sync request, so a model that sends
nothing held the worker thread (and its connection) until the HTTP read timeout, long after the
answer had gone out at the deadline or on a cancel. Here every connection a model client opens
is a stream that notes which *scope* is using it::

    with abortable(cancel_token, deadline=30):     # in the thread that calls the model
        chat_model.invoke(...)                     # ends with an httpx error when aborted

Cancelling the token (or the deadline passing) shuts down the connections the scope is
reading or writing: the read in progress returns at once and the call raises there. Scopes nest
(the reviewer's inside the agent's): aborting the outer one ends the inner one's calls too.
Threads started inside a scope (LangGraph runs nodes in a pool that copies the context) belong to it.
"""

from __future__ import annotations

import functools
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from netops.cancel import CancelToken

_SCOPE: ContextVar["Scope | None"] = ContextVar("netops_model_abort_scope", default=None)


class Scope:
    """The connections one model call (or a set of calls) uses; :meth:`abort` ends them."""

    def __init__(self, parent: "Scope | None" = None) -> None:
        self.parent = parent
        self.aborted = False
        self._streams: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False

    def bind(self, stream: Any) -> None:
        """``stream`` is being used in this scope: an abort (now or later) shuts it down."""
        with self._lock:
            if not self._closed:
                self._streams.add(stream)
            aborted = self.aborted
        if aborted:
            stream.abort()
        if self.parent is not None:
            self.parent.bind(stream)

    def abort(self) -> None:
        """Shut down every connection in use here; later reads and writes fail at once."""
        with self._lock:
            if self._closed or self.aborted:
                return
            self.aborted = True
            streams = list(self._streams)
        for s in streams:
            s.abort()

    def close(self) -> None:
        """The scope is over: a late abort (a cancel after the answer) touches nothing."""
        with self._lock:
            self._closed = True
            self._streams.clear()


@contextmanager
def abortable(cancel: "CancelToken | None" = None, *, deadline: float | None = None) -> Iterator[Scope]:
    """A scope for model calls made inside the block (in this thread and threads it starts with
    a copy of its context), ended by ``cancel`` or after ``deadline`` seconds."""
    scope = Scope(_SCOPE.get())
    reset = _SCOPE.set(scope)
    timer = None
    if deadline is not None:
        timer = threading.Timer(deadline, scope.abort)
        timer.daemon = True
        timer.start()
    if cancel is not None:
        cancel.on_cancel(scope.abort)
    try:
        yield scope
    finally:
        _SCOPE.reset(reset)
        if timer is not None:
            timer.cancel()
        scope.close()


@functools.cache
def _backend_classes() -> tuple[type, type]:
    import httpcore

    class _Stream(httpcore.NetworkStream):
        """A connection that binds itself to the scope using it, so that scope can shut it down."""

        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def _enter(self) -> None:
            scope = _SCOPE.get()
            if scope is not None:
                scope.bind(self)
                if scope.aborted:
                    raise httpcore.ReadError("the model call was ended (cancelled or past its deadline)")

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            self._enter()
            return self._inner.read(max_bytes, timeout)

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._enter()
            self._inner.write(buffer, timeout)

        def close(self) -> None:
            self._inner.close()

        def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                      timeout: float | None = None) -> Any:
            return _Stream(self._inner.start_tls(ssl_context, server_hostname, timeout))

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

        def abort(self) -> None:
            sock = self._inner.get_extra_info("socket")
            if sock is None:
                return
            try:
                # the plain socket's shutdown: an SSL socket's own would drop its state under a reader
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    class _Backend(httpcore.NetworkBackend):
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                        socket_options: Any = None) -> Any:
            return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

        def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
            return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options))

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    return _Stream, _Backend


def transport(verify: Any) -> "httpx.HTTPTransport":
    """An httpx transport whose connections :func:`abortable` scopes can shut down."""
    import httpcore
    import httpx

    _, backend = _backend_classes()
    t = httpx.HTTPTransport(verify=verify)
    pool = t._pool
    # httpx builds its pool without a network-backend argument; the pool keeps the one it
    # uses here (httpcore 1.x). A test proves a silent model's call is ended (test_model_release).
    pool._network_backend = backend(getattr(pool, "_network_backend", None) or httpcore.SyncBackend())
    return t
