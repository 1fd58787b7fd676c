"""Fan-out: one show command over 60 SSH sessions (20 per lab router), parallel vs sequential.

    python bench/fanout.py [--lab-id 7] [--home DIR] [--per-router 20] [--workers 20]

Prints wall time of the bounded parallel fan-out (DeviceService, ``max_workers``), of a
sequential loop over the same hosts in the same run, and of the ideal
(slowest single connect+command x ceil(N / workers)). Targets: speed-up >= 10x,
parallel / ideal <= 1.5x. Brings up its own lab if none is running under --home.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import tempfile
import time
from pathlib import Path

from _devlab import fanned_inventory, lab_settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab-id", type=int, default=7)
    ap.add_argument("--home")
    ap.add_argument("--per-router", type=int, default=20)
    ap.add_argument("--workers", type=int, default=20)
    ap.add_argument("--command", default="show bgp summary json")
    args = ap.parse_args()
    from netops.devices.service import DeviceService

    with lab_settings(args.lab_id, args.home) as (settings, info), tempfile.TemporaryDirectory() as tmp:
        inv = fanned_inventory(info, Path(tmp) / "inv.yaml", args.per_router)
        ssh = settings.ssh.model_copy(update={"max_workers": args.workers})
        par_settings = settings.model_copy(update={"inventory": inv, "ssh": ssh})
        seq_settings = settings.model_copy(update={"inventory": inv,
                                                   "ssh": ssh.model_copy(update={"max_workers": 1})})
        with DeviceService(seq_settings) as warm:  # first sshd spawn pays for page cache
            warm.run("r1-s01", args.command)

        with DeviceService(seq_settings) as svc:
            t = time.perf_counter()
            seq = svc.run("all", args.command)
            seq_wall = time.perf_counter() - t
        with DeviceService(par_settings) as svc:
            r0 = resource.getrusage(resource.RUSAGE_SELF)
            t = time.perf_counter()
            par = svc.run("all", args.command)
            par_wall = time.perf_counter() - t
            r1 = resource.getrusage(resource.RUSAGE_SELF)
            t = time.perf_counter()
            pooled = svc.run("all", args.command)  # same 60 sessions, already connected
            pooled_wall = time.perf_counter() - t
        client_cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        n = len(par)
        assert not (seq.failed or par.failed or pooled.failed), (seq.failed_hosts, par.failed_hosts)
        slowest = max(r.elapsed for r in seq.values())
        ideal = slowest * math.ceil(n / args.workers)
        print(f"sessions={n} workers={args.workers} command={args.command!r}")
        print(f"sequential  wall={seq_wall:7.3f}s  per-session median={sorted(r.elapsed for r in seq.values())[n // 2]:.3f}s")
        print(f"parallel    wall={par_wall:7.3f}s  (netops client CPU {client_cpu:.2f}s; the rest is sshd/vtysh)")
        print(f"parallel, pooled sessions wall={pooled_wall:7.3f}s  (no handshakes)")
        print(f"cpus={os.cpu_count()} loadavg={os.getloadavg()[0]:.1f} (the lab's sshd+vtysh share these cores)")
        print(f"ideal       wall={ideal:7.3f}s  (slowest single {slowest:.3f}s x {math.ceil(n / args.workers)})")
        print(f"speed-up vs sequential: {seq_wall / par_wall:5.1f}x  (target >= 10x)")
        print(f"parallel / ideal:       {par_wall / ideal:5.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
