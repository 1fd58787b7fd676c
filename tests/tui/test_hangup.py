"""netops/tui/hangup.py on a real pseudo-terminal: a hung-up terminal (its other end closed, as a
closed window's is) is swapped for /dev/null; one that is still there, a file or a pipe is left alone."""

from __future__ import annotations

import os
import stat

from netops.tui.hangup import detach_if_hung_up, hung_up


def _is_devnull(fd: int) -> bool:
    st, null = os.fstat(fd), os.stat(os.devnull)
    return stat.S_ISCHR(st.st_mode) and st.st_rdev == null.st_rdev


def test_a_terminal_whose_window_closed_is_swapped_for_devnull():
    master, slave = os.openpty()
    spare = os.dup(slave)
    try:
        assert not hung_up(slave)
        assert detach_if_hung_up((slave,)) == []  # still there: left alone
        assert not _is_devnull(slave)
        os.close(master)  # the window closed: the kernel hangs the terminal up
        assert hung_up(slave)
        assert detach_if_hung_up((slave,)) == [slave]
        assert _is_devnull(slave)
        os.write(slave, b"the rollback's screen updates\n")  # before: EIO, and the chat's writer died
    finally:
        os.close(slave)
        os.close(spare)


def test_a_file_or_a_pipe_is_no_hung_up_terminal(tmp_path):
    r, w = os.pipe()
    with open(tmp_path / "out", "w") as f:
        try:
            assert detach_if_hung_up((r, w, f.fileno())) == []
            assert not _is_devnull(w) and not _is_devnull(f.fileno())
        finally:
            os.close(r)
            os.close(w)
