"""A terminal that has gone away under the chat (its window closed, tmux killed, ssh dropped).

The kernel hangs the terminal up: the chat gets SIGHUP and then SIGCONT, and from then on every
write to the terminal fails (EIO). Textual answers the SIGCONT by starting a new writer thread on
that terminal; the writer dies on its first write, its queue fills with the screen updates a change's
rollback still draws, and the chat blocked for ever on the next one (trial37: the rollback ran and was
recorded, the process never ended, holding its lock file and SSH sessions). :func:`detach_if_hung_up`
points the standard streams that were that terminal at /dev/null, so whatever is still drawn goes
nowhere and the chat ends as it would have.
"""

from __future__ import annotations

import errno
import os
import termios


def hung_up(fd: int) -> bool:
    """``fd`` is a terminal that was hung up (its operations fail with EIO): not a terminal that is
    still there, and not a file or pipe (ENOTTY, EBADF)."""
    try:
        termios.tcgetattr(fd)
    except termios.error as exc:
        return bool(exc.args) and exc.args[0] == errno.EIO
    return False


def detach_if_hung_up(fds: tuple[int, ...] = (0, 1, 2)) -> list[int]:
    """Point each of ``fds`` that is a hung-up terminal at /dev/null; returns those it moved. A
    terminal that is still there (``kill -HUP`` from another shell) is left alone: the chat gives it
    back in the state it found it."""
    dead = [fd for fd in fds if hung_up(fd)]
    if dead:
        null = os.open(os.devnull, os.O_RDWR)
        try:
            for fd in dead:
                os.dup2(null, fd)
        finally:
            os.close(null)
    return dead
