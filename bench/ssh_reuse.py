"""Per-command cost against one lab router: fresh connection vs reused connection vs a kept
interactive vtysh (medians, wall and CPU).

    python bench/ssh_reuse.py [--lab-id 4] [--home DIR] [--n 30]

* fresh:  a new DeviceService per command (TCP + SSH handshake + auth + exec channel +
          forced-command bash + vtysh start-up), session closed after;
* reused: one DeviceService, the pooled connection, a new exec channel per command (still a
          new bash + vtysh on the router per command);
* kept shell: NOT what netops does -- a measurement of the alternative driver: one interactive
          vtysh on a pty channel, commands written to it, output read up to the prompt.

CPU per command is client + lab server processes (sshd, bash, vtysh) + FRR daemons, booked
after the sessions end (see _labcpu.py).
"""

from __future__ import annotations

import datetime
import os
import re
import statistics
import time

from _devlab import lab_settings
from _labcpu import LabCpu


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--lab-id", type=int, default=4)
    ap.add_argument("--home")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--command", default="show bgp summary json")
    args = ap.parse_args()
    from netops.devices.service import DeviceService

    load0 = os.getloadavg()
    with lab_settings(args.lab_id, args.home) as (settings, info):
        cpu = LabCpu(info.lab_dir)
        rows = []

        fresh = []
        with cpu.measure() as used:
            for _ in range(args.n):
                with DeviceService(settings) as svc:
                    t = time.perf_counter()
                    assert svc.run("r1", args.command)["r1"].ok
                    fresh.append(time.perf_counter() - t)
        rows.append(("fresh connection", fresh, used))

        reused = []
        with DeviceService(settings) as svc:
            svc.run("r1", args.command)
            with cpu.measure() as used:
                for _ in range(args.n):
                    t = time.perf_counter()
                    assert svc.run("r1", args.command)["r1"].ok
                    reused.append(time.perf_counter() - t)
                svc.close()
        rows.append(("reused connection", reused, used, "+1 teardown"))

        kept, used = kept_shell(settings, info, args.command, args.n, cpu)
        rows.append(("kept vtysh shell", kept, used, "+1 teardown"))

        print(f"# ssh_reuse {datetime.datetime.now():%Y-%m-%d %H:%M}  command={args.command!r} n={args.n}  "
              f"cpus={os.cpu_count()} loadavg at start={load0[0]:.2f}")
        for name, walls, used, *note in rows:
            walls = sorted(walls)
            print(f"{name:18s} median={statistics.median(walls) * 1000:6.1f} ms  "
                  f"p90={walls[int(len(walls) * .9)] * 1000:6.1f} ms  CPU/command={used.lab / args.n * 1000:5.1f} ms "
                  f"(client {used.client / args.n * 1000:.1f}, server {used.server / args.n * 1000:.1f})"
                  + (f"  [{note[0]}]" if note else ""))
        f, r, k = (statistics.median(x[1]) for x in rows)
        print(f"reuse saves {(f - r) * 1000:.1f} ms per command ({f / r:.1f}x); a kept vtysh would save "
              f"another {(r - k) * 1000:.1f} ms ({r / k:.1f}x)")


def kept_shell(settings, info, command: str, n: int, cpu: LabCpu):
    """Walls of ``n`` commands over one interactive vtysh (pty), and the CPU they used."""
    from netops.devices.ssh import connect_client

    host = _host(settings, "r1")
    client = connect_client(host, settings)
    try:
        chan = client.get_transport().open_session()
        chan.get_pty(width=4096, height=0)
        chan.invoke_shell()
        chan.settimeout(10)
        prompt = re.compile(rb"\r?\n[\w.-]+# $")

        def send(line: str | None) -> bytes:
            if line is not None:
                chan.sendall(line.encode() + b"\n")
            buf = b""
            while not prompt.search(buf[-200:]):
                data = chan.recv(65536)
                if not data:
                    raise EOFError("vtysh closed")
                buf += data
            return buf

        send(None)  # the banner and first prompt
        walls = []
        with cpu.measure() as used:
            for _ in range(n):
                t = time.perf_counter()
                out = send(command)
                walls.append(time.perf_counter() - t)
                assert b"peers" in out or b"ipv4Unicast" in out, out[:200]
            client.close()
    finally:
        client.close()
    return walls, used


def _host(settings, name: str):
    from netops.devices.inventory import load_inventory

    return load_inventory(settings.paths.inventory).host(name)


if __name__ == "__main__":
    main()
