"""Per-command cost on a reused SSH connection vs a fresh one (medians), against a lab router.

    python bench/ssh_reuse.py [--lab-id 7] [--home DIR] [--n 30]

"fresh": a new DeviceService per command (TCP + SSH handshake + auth + exec channel).
"reused": one DeviceService, the pooled connection, a new exec channel per command.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _devlab import lab_settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lab-id", type=int, default=7)
    ap.add_argument("--home")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--command", default="show bgp summary json")
    args = ap.parse_args()
    from netops.devices.service import DeviceService

    with lab_settings(args.lab_id, args.home) as (settings, _info):
        fresh, reused = [], []
        for _ in range(args.n):
            with DeviceService(settings) as svc:
                t = time.perf_counter()
                assert svc.run("r1", args.command)["r1"].ok
                fresh.append(time.perf_counter() - t)
        with DeviceService(settings) as svc:
            svc.run("r1", args.command)
            for _ in range(args.n):
                t = time.perf_counter()
                assert svc.run("r1", args.command)["r1"].ok
                reused.append(time.perf_counter() - t)
        f, r = statistics.median(fresh), statistics.median(reused)
        print(f"command={args.command!r} n={args.n}")
        print(f"fresh connection  median={f * 1000:7.1f} ms  p90={sorted(fresh)[int(args.n * .9)] * 1000:7.1f} ms")
        print(f"reused connection median={r * 1000:7.1f} ms  p90={sorted(reused)[int(args.n * .9)] * 1000:7.1f} ms")
        print(f"reuse saves {(f - r) * 1000:.1f} ms per command ({f / r:.1f}x)")


if __name__ == "__main__":
    main()
