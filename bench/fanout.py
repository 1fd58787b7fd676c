"""Fan-out: one show command over N SSH sessions (default 20 per lab router = 60), parallel vs
sequential, with the CPU bill that bounds both.

    python bench/fanout.py [--lab-id 4] [--home DIR] [--per-router 20] [--workers 20] [--repeat 3]

Every session is a distinct inventory alias of a lab router, so each one pays a full TCP connect
+ SSH handshake + auth + one exec channel (sshd -i, forced-command bash, vtysh start-up).

Definitions (walls are medians over --repeat rounds):

* sequential: DeviceService with ``max_workers=1``, sessions one after another;
* parallel:   the same sessions with ``max_workers=W`` (the bounded thread pool);
* pooled:     the parallel service again, connections already open (command only);
* ideal (latency): slowest single session of the sequential run x ceil(N / W): what the pool
  would take if every session kept its solo latency, i.e. with unlimited CPU;
* CPU floor:  CPU seconds the parallel run cost (client + lab sshd/vtysh + FRR daemons) / CPUs:
  the shortest possible wall on this machine even with perfect overlap and nothing else running.
  The achievable bound is max(ideal, CPU floor); speed-up can be at most sequential / bound.

The lab's servers run on the same CPUs as the client, so on a 2-CPU box the CPU floor, not
latency, decides the parallel wall. ``--latency 0.2`` makes each router wait 0.2 s before
answering (what a real device's CLI costs; no netem here), which measures the fan-out engine
itself rather than this machine's CPUs. Brings up its own lab if none is running under --home.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

from _devlab import fanned_inventory, lab_settings
from _labcpu import LabCpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab-id", type=int, default=4)
    ap.add_argument("--home")
    ap.add_argument("--per-router", type=int, default=20)
    ap.add_argument("--workers", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--command", default="show bgp summary json")
    ap.add_argument("--latency", type=float, default=0.0,
                    help="emulated device response time in seconds (the router waits this long before "
                         "answering each exec request); 0 = the lab as it is")
    args = ap.parse_args()
    from netops.devices.service import DeviceService

    load0 = os.getloadavg()
    with lab_settings(args.lab_id, args.home) as (settings, info), tempfile.TemporaryDirectory() as tmp:
        from netops.lab import Lab

        lab = Lab(settings, args.lab_id)
        lab.set_latency(args.latency)
        cpu = LabCpu(info.lab_dir)
        inv = fanned_inventory(info, Path(tmp) / "inv.yaml", args.per_router)
        ssh = settings.ssh.model_copy(update={"max_workers": args.workers})
        par_settings = settings.model_copy(update={"inventory": inv, "ssh": ssh})
        seq_settings = settings.model_copy(update={"inventory": inv,
                                                   "ssh": ssh.model_copy(update={"max_workers": 1})})
        with DeviceService(seq_settings) as warm:  # first sshd spawn pays for page cache
            warm.run("r1-s01", args.command)

        seq_walls, par_walls, pooled_walls, singles = [], [], [], []
        seq_cpu, par_cpu, pooled_cpu, others = [], [], [], []
        for _ in range(args.repeat):
            seq, wall, used = timed(cpu, seq_settings, args.command)
            seq_walls.append(wall)
            seq_cpu.append(used)
            singles.append(sorted(r.elapsed for r in seq.values()))
            par, wall, used = timed(cpu, par_settings, args.command)
            par_walls.append(wall)
            par_cpu.append(used)
            others.append(used.others)
            pooled, wall, used = timed(cpu, par_settings, args.command, pooled=True)
            pooled_walls.append(wall)
            pooled_cpu.append(used)
            assert not (seq.failed or par.failed or pooled.failed), (seq.failed_hosts, par.failed_hosts)
        lab.set_latency(0)
        report(args, load0, seq_walls, par_walls, pooled_walls, singles, seq_cpu, par_cpu, pooled_cpu, others)


def timed(cpu: LabCpu, settings, command: str, *, pooled: bool = False):
    """``(result, wall, CpuUse)`` of one fan-out.

    The CPU block ends after the sessions are closed, so it includes their teardown. With
    ``pooled`` every session is opened first, outside the block: the timed run then costs one
    exec channel (bash + vtysh on the router) per session.
    """
    from netops.devices.service import DeviceService

    svc = DeviceService(settings)
    try:
        if pooled:
            svc.run("all", command)
        with cpu.measure() as used:
            t = time.perf_counter()
            result = svc.run("all", command)
            wall = time.perf_counter() - t
            svc.close()
    finally:
        svc.close()
    return result, wall, used


def report(args, load0, seq_walls, par_walls, pooled_walls, singles, seq_cpu, par_cpu, pooled_cpu,
           others_cpu) -> None:
    n = len(singles[0])
    ncpu = os.cpu_count() or 1
    med = statistics.median
    seq_wall, par_wall, pooled_wall = med(seq_walls), med(par_walls), med(pooled_walls)
    slowest = med(s[-1] for s in singles)
    median_single = med(s[n // 2] for s in singles)
    rounds = math.ceil(n / args.workers)
    ideal = slowest * rounds
    per = {k: med(getattr(c, k) for c in par_cpu) / n for k in ("client", "server", "daemons")}
    lab_cpu = med(c.lab for c in par_cpu)
    floor = lab_cpu / ncpu
    bound = max(ideal, floor)
    others = med(others_cpu)
    seq_lab = med(c.lab for c in seq_cpu)

    print(f"# fanout {datetime.datetime.now():%Y-%m-%d %H:%M}  sessions={n} workers={args.workers} "
          f"repeat={args.repeat} command={args.command!r} emulated device latency={args.latency:g}s")
    print(f"cpus={ncpu}  loadavg at start={load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}  "
          f"(client, lab sshd/vtysh and FRR all share these CPUs)")
    print(f"sequential  wall={seq_wall:7.3f}s  per session median={median_single * 1000:.0f} ms  "
          f"slowest={slowest * 1000:.0f} ms  (CPU {_split(seq_cpu, n)}: "
          f"{seq_lab / seq_wall / ncpu:.0%} of the machine)")
    print(f"parallel    wall={par_wall:7.3f}s  (walls {', '.join(f'{w:.2f}' for w in par_walls)})")
    print(f"pooled      wall={pooled_wall:7.3f}s  (connections already open; CPU "
          f"{_split(pooled_cpu, n)} per command)")
    print(f"CPU per session (parallel run): client {per['client'] * 1000:.1f} ms + server (sshd, bash, vtysh) "
          f"{per['server'] * 1000:.1f} ms + FRR daemons {per['daemons'] * 1000:.1f} ms = "
          f"{lab_cpu / n * 1000:.1f} ms (incl. teardown)")
    print(f"other processes took {others:.2f} CPU-s during the parallel run "
          f"({others / par_wall / ncpu:.0%} of the machine)")
    print(f"ideal (latency) = slowest {slowest:.3f}s x {rounds} = {ideal:.3f}s")
    print(f"CPU floor       = {lab_cpu:.2f} CPU-s / {ncpu} CPUs = {floor:.3f}s")
    print(f"speed-up vs sequential: {seq_wall / par_wall:5.1f}x  (target >= 10x; at most "
          f"{seq_wall / bound:.1f}x here = sequential / max(ideal, CPU floor))")
    print(f"parallel / ideal:       {par_wall / ideal:5.2f}x  (target <= 1.5x)")
    print(f"parallel / CPU floor:   {par_wall / floor:5.2f}x  (1.0 = every CPU busy with this work only)")


def _split(samples, n: int) -> str:
    """Median CPU per session by side, in ms."""
    def part(k: str) -> float:
        return statistics.median(getattr(x, k) for x in samples) / n * 1000

    c, s, d = part("client"), part("server"), part("daemons")
    return f"{c + s + d:.0f} ms each = client {c:.1f} + server {s:.1f} + daemons {d:.1f}"


if __name__ == "__main__":
    main()
