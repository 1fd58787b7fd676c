"""`confirm_within`: the yes/no prompt of `netops playbook run`, which gives up when nobody answers
(the plan holds its hosts' change locks while it waits), on a real pseudo-terminal."""

import os
import pty
import threading

import pytest

from netops.cli._common import confirm_within
from netops.playbook.approval import Approval, CliApprover, expired_reason


@pytest.fixture
def terminal():
    master, slave = pty.openpty()
    with os.fdopen(slave, "rb", buffering=0) as stream:
        yield master, stream
    os.close(master)


def _type(master: int, *lines: str, after: float = 0.0) -> threading.Timer:
    t = threading.Timer(after, lambda: [os.write(master, line.encode()) for line in lines])
    t.start()
    return t


@pytest.mark.parametrize("typed,expected", [("y\n", True), ("YES\n", True), ("n\n", False), ("\n", False)])
def test_an_answer_within_the_time_is_taken(terminal, typed, expected):
    master, stream = terminal
    _type(master, typed, after=0.1).join()
    assert confirm_within("Apply x (low risk) to r1?", 30, stream) is expected


def test_nobody_answering_gives_up_with_timeout_error(terminal, capsys):
    _, stream = terminal
    with pytest.raises(TimeoutError):
        confirm_within("Apply x (low risk) to r1?", 0.3, stream)
    assert "Apply x (low risk) to r1? [y/N]: " in capsys.readouterr().err


def test_anything_else_asks_again_within_the_same_time(terminal, capsys):
    master, stream = terminal
    _type(master, "maybe\n", after=0.05).join()
    _type(master, "y\n", after=0.3)
    assert confirm_within("Apply x?", 30, stream) is True
    err = capsys.readouterr().err
    assert err.count("Apply x? [y/N]: ") == 2
    # trial35: "yes do it" got click's "Error: invalid input", which does not say what is an answer
    assert "'maybe' is not an answer: type y (or yes) to approve, n (or just Enter) to deny" in err, err


def test_a_second_line_typed_ahead_is_not_read_as_the_answer(terminal):
    """Only what was typed for this prompt counts; the descriptor is read, not a buffer."""
    master, stream = terminal
    _type(master, "n\n", after=0.05).join()
    assert confirm_within("Apply x?", 30, stream) is False
    with pytest.raises(TimeoutError):  # nothing left over to answer a second prompt
        confirm_within("Apply x?", 0.3, stream)


def test_end_of_input_is_eof_error():
    r, w = os.pipe()
    os.close(w)
    with os.fdopen(r, "rb", buffering=0) as stream, pytest.raises(EOFError):
        confirm_within("Apply x?", 5, stream)


def test_the_cli_approver_records_an_expired_prompt_as_nobody_s_denial():
    class _Plan:
        playbook, risk, hosts = "router-drain", "high", ["r3", "r1"]

    def confirm(question):
        raise TimeoutError(question)

    a = CliApprover("alice", confirm, timeout=600).approve(_Plan())
    assert a == Approval(False, "nobody", expired_reason(600, ["r3", "r1"]))
    assert a.reason == ("no answer within 10 minutes: the plan expired and r3, r1 can be changed by other runs "
                        "again; ask again for a fresh plan")


def test_a_stream_with_no_descriptor_gets_the_plain_prompt(monkeypatch):
    import io

    import click

    asked = []
    monkeypatch.setattr(click, "confirm", lambda q, **kw: asked.append((q, kw)) or True)
    assert confirm_within("Apply x?", 5, io.StringIO("n\n")) is True
    assert asked == [("Apply x?", {"default": False, "err": True})]
