"""CPU accounting for the device benches: who burned the CPU during a timed block.

* client: this process (``getrusage(RUSAGE_SELF)``: all its threads, paramiko included);
* server: everything the lab's socat listeners spawned per connection (``ip netns exec``,
  ``sshd -i`` and its privsep children, the forced-command bash, ``timeout``, ``vtysh``). socat
  reaps them, so their CPU lands in the listeners' ``cutime``/``cstime`` -- but only once they
  have exited: call :meth:`LabCpu.settle` after closing the sessions, before sampling. (Reading
  live processes instead undercounts badly: /proc rounds each short-lived process's time down
  to whole clock ticks, while reaped children's time is summed exactly.)
* daemons: the FRR daemons answering vtysh (zebra, staticd, ospfd, bgpd);
* machine: all CPUs' busy time from ``/proc/stat``; ``machine - client - server - daemons`` is
  what other processes (other users of the box) took meanwhile.
"""

from __future__ import annotations

import json
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class CpuSample:
    client: float
    server: float
    daemons: float
    machine: float

    def __sub__(self, other: "CpuSample") -> "CpuSample":
        return CpuSample(self.client - other.client, self.server - other.server,
                         self.daemons - other.daemons, self.machine - other.machine)

    @property
    def lab(self) -> float:
        """CPU seconds spent on the sessions: client + server + daemons."""
        return self.client + self.server + self.daemons

    @property
    def others(self) -> float:
        """CPU seconds other processes on the machine took during the block (never negative)."""
        return max(0.0, self.machine - self.lab)


class LabCpu:
    """Samples CPU use of this process, the lab's SSH servers and FRR daemons, and the machine."""

    def __init__(self, lab_dir: Path) -> None:
        state = json.loads((Path(lab_dir) / "state.json").read_text(encoding="utf-8"))
        self._socat = [int(p) for p in state["socat_pids"].values()]
        self._daemons = [int(p) for r in state["daemon_pids"].values() for p in r.values()]

    def sample(self) -> CpuSample:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        server = sum(_proc_times(p, children=True, own=False) for p in self._socat)
        daemons = sum(_proc_times(p, children=False) for p in self._daemons)
        return CpuSample(ru.ru_utime + ru.ru_stime, server, daemons, _machine_busy())


    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every server process of closed sessions has exited (so its CPU is booked
        now, not in the next measured block)."""
        deadline = time.monotonic() + timeout
        while self._descendants() and time.monotonic() < deadline:
            time.sleep(0.02)

    def _descendants(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        found, frontier = [], set(self._socat)
        while frontier:
            frontier = {pid for pid, ppid in parents.items() if ppid in frontier}
            found.extend(frontier)
        return found


def _proc_times(pid: int, *, children: bool, own: bool = True) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ((utime + stime if own else 0) + (cutime + cstime if children else 0)) / _TICK


def _machine_busy() -> float:
    with open("/proc/stat", encoding="ascii") as fh:
        cpu = fh.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in cpu[:8])
    return (user + nice + system + irq + softirq + steal) / _TICK
