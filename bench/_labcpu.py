"""CPU accounting for the device benches: who burned the CPU during a measured block.

* client: this process (``getrusage(RUSAGE_SELF)``: all its threads, paramiko included);
* server: every process the lab's socat listeners spawn per connection (``ip netns exec``,
  ``sshd -i`` and its privsep children, the forced-command bash, ``timeout``, ``vtysh``);
* daemons: the FRR daemons answering vtysh (zebra, staticd, ospfd, bgpd), all threads;
* machine: all CPUs' busy time from ``/proc/stat``; ``machine - lab`` is what other processes
  (other users of the box) took meanwhile.

server and daemons come from ``perf stat -e task-clock`` attached to those pids, whose counters
are inherited by every child forked while it runs. Parent/child ``cutime`` bookkeeping is not
usable here: sshd's monitor does not always reap its post-auth child (which runs bash and
vtysh), so that CPU is charged to init and silently missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class CpuUse:
    """CPU seconds spent during one measured block."""

    client: float = 0.0
    server: float = 0.0
    daemons: float = 0.0
    machine: float = 0.0

    @property
    def lab(self) -> float:
        """CPU seconds spent on the sessions: client + server + daemons."""
        return self.client + self.server + self.daemons

    @property
    def others(self) -> float:
        """CPU seconds other processes took during the block (never negative)."""
        return max(0.0, self.machine - self.lab)


class LabCpu:
    """Measures CPU use of this process, the lab's SSH servers and FRR daemons, and the machine."""

    def __init__(self, lab_dir: Path) -> None:
        if shutil.which("perf") is None:
            raise SystemExit("the device benches need `perf` (linux-perf) to account server CPU")
        state = json.loads((Path(lab_dir) / "state.json").read_text(encoding="utf-8"))
        self._socat = [int(p) for p in state["socat_pids"].values()]
        self._daemons = [int(p) for r in state["daemon_pids"].values() for p in r.values()]

    @contextlib.contextmanager
    def measure(self) -> Iterator[CpuUse]:
        """Account the block; the yielded :class:`CpuUse` is filled in when it exits. Close the
        sessions inside the block so their teardown is counted."""
        use = CpuUse()
        # sessions already open count too: their future children (bash, vtysh) inherit
        with _perf(self._socat + self._descendants()) as server, _perf(self._daemons) as daemons:
            ru0, m0 = resource.getrusage(resource.RUSAGE_SELF), _machine_busy()
            yield use
            ru1, m1 = resource.getrusage(resource.RUSAGE_SELF), _machine_busy()
            self.settle()
        use.client = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        use.machine = m1 - m0
        use.server, use.daemons = server[0], daemons[0]

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the server processes of closed sessions have exited."""
        deadline = time.monotonic() + timeout
        while self._descendants() and time.monotonic() < deadline:
            time.sleep(0.02)

    def _descendants(self) -> list[int]:
        """Live processes below the socat listeners (open sessions)."""
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        found: list[int] = []
        frontier = set(self._socat)
        while frontier:
            frontier = {pid for pid, ppid in parents.items() if ppid in frontier}
            found.extend(frontier)
        return found


@contextlib.contextmanager
def _perf(pids: list[int]) -> Iterator[list[float]]:
    """``[cpu seconds]`` of ``pids`` and every child they fork while the block runs."""
    out: list[float] = [0.0]
    with tempfile.NamedTemporaryFile("r", suffix=".perf") as tmp:
        proc = subprocess.Popen(["perf", "stat", "-e", "task-clock", "-x", ",", "-o", tmp.name,
                                 "-p", ",".join(map(str, pids))],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while not Path(tmp.name).read_text() and time.monotonic() < deadline:
            time.sleep(0.01)  # perf writes its header once it is attached
        time.sleep(0.05)
        try:
            yield out
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=10)
            for line in Path(tmp.name).read_text().splitlines():
                fields = line.split(",")
                if len(fields) > 2 and fields[2] == "task-clock" and fields[0] not in ("", "<not counted>"):
                    out[0] = float(fields[0]) / 1000.0
                    break


def _machine_busy() -> float:
    with open("/proc/stat", encoding="ascii") as fh:
        cpu = fh.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in cpu[:8])
    return (user + nice + system + irq + softirq + steal) / _TICK
