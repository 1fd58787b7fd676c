"""Standard output and error that a reader may close early (``netops state all bgp | head -1``,
``| grep -q Established``).

Python ignores SIGPIPE, so a write to a pipe nobody reads raises ``BrokenPipeError`` wherever it
happens: click turned that into exit 1, Rich into ``SystemExit(1)``, and a change whose plan was
being printed stopped there. A reader that has what it wanted is not a failure of the command.
Here a closed stream swallows the rest of what netops writes to it (its descriptor is pointed at
``/dev/null``, so the interpreter's last flush is quiet too) and the command runs to its end: its
exit code says how the command went (0, or 7 beside a failed host), not that the reader left.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any


class _ForgivingFile(io.RawIOBase):
    """A descriptor whose writes succeed once its reader is gone (the bytes are dropped)."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.reader_gone = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        size = len(memoryview(data))
        if self.reader_gone:
            return size
        try:
            return os.write(self._fd, data)
        except BrokenPipeError:
            self.reader_gone = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._fd)  # what others write to this descriptor is dropped as well
            finally:
                os.close(devnull)
            return size

    def close(self) -> None:  # the descriptor belongs to the process, not to this object
        super().close()


def _forgiving(stream: Any) -> Any:
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return stream
    if os.isatty(fd):
        return stream  # a terminal does not close under us (SIGHUP does, and is handled as a cancel)
    stream.flush()
    wrapped = io.TextIOWrapper(io.BufferedWriter(_ForgivingFile(fd)), encoding=stream.encoding,
                               errors=stream.errors, line_buffering=stream.line_buffering)
    return wrapped


def _fill_closed_descriptors() -> None:
    """``netops ... <&- >&-`` (a daemon or a careless wrapper closing them): point a closed 0, 1
    or 2 at ``/dev/null`` and give Python a stream for it. Left closed, ``sys.stdin`` was None
    (``playbook run`` died of an AttributeError, exit 70), ``sys.stdout`` None (a traceback at
    the last flush), and the next file netops opened (the audit log) would take the number 1
    that anything printing "to stdout" writes into."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        devnull = os.open(os.devnull, os.O_RDONLY if mode == "r" else os.O_WRONLY)
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)
        if getattr(sys, name) is None:
            stream = open(fd, mode, closefd=False)  # noqa: SIM115 - the process's stream, never closed
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)


def reader_gone(stream: Any) -> bool:
    """Whether ``stream`` is a pipe whose reader has closed it (its descriptor polls as an error)."""
    import select

    try:
        fd = stream.fileno()
        poll = select.poll()
        poll.register(fd, select.POLLOUT)
        return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in poll.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


def forgive_closed_readers() -> None:
    """Make the process's own stdout and stderr forgiving (not a stream a test or an embedding
    program put in their place)."""
    _fill_closed_descriptors()
    if sys.stdout is not None and sys.stdout is sys.__stdout__:
        sys.stdout = _forgiving(sys.stdout)
    if sys.stderr is not None and sys.stderr is sys.__stderr__:
        sys.stderr = _forgiving(sys.stderr)
