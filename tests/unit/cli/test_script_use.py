"""netops as a script uses it: a real process, stdout a pipe the reader closes early (``| head -1``,
``| grep -q``), stdin /dev/null, no terminal, no HOME. The exit code must not depend on which
printer (click or Rich) hit the closed pipe, and nothing but a clean exit may follow.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

INVENTORY = """\
hosts:
{hosts}
"""


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(NETOPS_HOME=str(home), XDG_CONFIG_HOME=str(home / "xdg"), HF_HUB_OFFLINE="1",
               PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""))
    env.update(extra)
    return env


def _closed_reader(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run netops with its stdout a pipe whose only reader is already gone (what ``| head -1`` does
    once it has its line): every write netops makes meets EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "netops", *args], stdout=write_end, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=env, cwd=REPO, timeout=120)
    finally:
        os.close(write_end)
    return proc.returncode, proc.stderr.decode()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    hosts = "\n".join(f"  r{i}:\n    hostname: 127.0.0.{i}\n    platform: frr" for i in range(1, 40))
    (home / "inventory.yaml").write_text(INVENTORY.format(hosts=hosts))
    return home


@pytest.mark.parametrize("args", [
    ["devices", "list"],            # a Rich table
    ["playbook", "list"],           # click lines
    ["devices", "list", "--json"],  # one JSON document
])
def test_a_reader_that_stops_early_is_not_a_failure(home: Path, args: list[str]) -> None:
    code, err = _closed_reader(args, _env(home))
    assert code == 0, err
    assert err == "", err  # no "Exception ignored ... BrokenPipeError", no traceback


def test_the_exit_code_still_says_how_the_command_went(tmp_path: Path) -> None:
    """A host that cannot be reached fails the command whether or not anyone reads the table."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "inventory.yaml").write_text("hosts:\n  dead:\n    hostname: 127.0.0.1\n    port: 9\n    platform: frr\n")
    env = _env(home)
    whole = subprocess.run([sys.executable, "-m", "netops", "devices", "check", "all"], capture_output=True,
                           stdin=subprocess.DEVNULL, env=env, cwd=REPO, timeout=120)
    assert whole.returncode not in (0, 70), whole.stderr
    code, err = _closed_reader(["devices", "check", "all"], env)
    assert code == whole.returncode, err
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_stdout_and_stderr_into_one_closed_pipe(home: Path) -> None:
    """``netops ... 2>&1 | head -1``: both streams meet the closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "netops", "devices", "list", "--bogus"], stdout=write_end,
                              stderr=write_end, stdin=subprocess.DEVNULL, env=_env(home), cwd=REPO, timeout=120)
    finally:
        os.close(write_end)
    assert proc.returncode == 2  # still the bad-input code, not a crash on writing the error


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_terminated_outside_a_change_is_an_interruption(tmp_path: Path, sig: str) -> None:
    """``timeout``, a cancelled CI job or a closed terminal stop a read the way Ctrl-C does: one
    line, exit 128 + the signal (143, 129: the shell's convention, documented), and whatever the command keeps on an interruption is kept. Before,
    the process died of the signal (-15/-1) and said nothing. The "device" here accepts the
    connection and never speaks, so netops is surely mid-command when the signal is sent."""
    import signal
    import socket

    home = tmp_path / "home"
    home.mkdir()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        (home / "inventory.yaml").write_text(f"hosts:\n  mute:\n    hostname: 127.0.0.1\n    port: {port}\n"
                                             "    platform: frr\n")
        env = _env(home, NETOPS_SSH__CONNECT_TIMEOUT="2")
        proc = subprocess.Popen([sys.executable, "-m", "netops", "state", "mute", "bgp"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, cwd=REPO)
        try:
            conn, _ = listener.accept()  # netops is now waiting for the SSH banner
            proc.send_signal(getattr(signal, sig))
            out, err = proc.communicate(timeout=60)
            conn.close()
        finally:
            proc.kill()
    assert proc.returncode == 128 + getattr(signal, sig), (proc.returncode, err)
    assert f"interrupted ({sig})" in err.decode() and "Traceback" not in err.decode()


def _with_closed(fds: tuple[int, ...], args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """``netops ARGS <&- >&-``: the descriptors are closed in the child, not pointed anywhere."""
    def close() -> None:
        for fd in fds:
            os.close(fd)
    return subprocess.run([sys.executable, "-m", "netops", *args], capture_output=True, env=env, cwd=REPO,
                          timeout=120, preexec_fn=close)


def test_closed_stdin_is_no_terminal_not_a_crash(home: Path) -> None:
    """`kb reset` asks only at a terminal; with stdin closed it refused by an AttributeError (70)."""
    proc = _with_closed((0,), ["kb", "reset"], _env(home))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.decode().startswith("error: refusing to delete the knowledge index")


def test_closed_stdout_is_a_quiet_success(home: Path) -> None:
    """`netops devices list >&-` traced back at the last flush of a None stdout (exit 1)."""
    proc = _with_closed((1,), ["devices", "list"], _env(home))
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
