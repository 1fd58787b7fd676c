"""Playbook apply timings on a real FRR lab: approval -> verified change, and rollback.

Brings up its own lab (id 6 by default; reused if already up under ``--home``) and drives the
library API (``plan`` / ``execute``) with a timing approver. Measures, as medians over
``--runs`` runs:

* ``one host``: ospf-cost on r1, from the moment the approver says yes to the verified change
  (prechecks again, snapshot, apply, postcheck);
* ``three hosts``: interface-description on r1-r3 serially (``--batch 1``) and canary + 2
  in parallel (``--batch 2``);
* ``rollback``: a postcheck that fails at once, from the failure to a running config verified
  byte-identical to the snapshot (template + snapshot compare);
* baseline: one bare ``DeviceService.configure`` of the same lines (what the safety net costs
  on top).

Each measured change is undone afterwards (not timed). ``python bench/playbook_apply.py
[--runs 5] [--lab-id 6] [--json]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from _common import emit_json, fmt_table, log  # noqa: E402
from _devlab import lab_settings  # noqa: E402


class TimingApprover:
    """Says yes and remembers when (the start of the 'approval -> verified' clock)."""

    def __init__(self) -> None:
        self.at = 0.0

    def approve(self, plan):
        from netops.playbook.approval import Approval

        self.at = time.monotonic()
        return Approval(True, "bench", "bench run")


def private_playbooks(settings, dest: Path):
    """Shipped playbooks + a multi-host interface-description + an always-failing ospf-cost."""
    from netops.playbook.catalogue import Catalogue

    shutil.copytree(REPO / "playbooks", dest)
    y = dest / "interface-description" / "playbook.yaml"
    y.write_text(y.read_text().replace("  max_hosts: 1\n", ""))
    fail = dest / "ospf-cost-failing"
    shutil.copytree(dest / "ospf-cost", fail)
    y = fail / "playbook.yaml"
    y.write_text(y.read_text().replace("name: ospf-cost", "name: ospf-cost-failing")
                 .replace("cost == {{ cost }}'\n    within: 10s", "cost == 99999'\n    within: 0s"))
    s = settings.model_copy(update={"playbooks_dir": dest})
    cat = Catalogue(s)
    for name in ("interface-description", "ospf-cost-failing"):
        cat.lock_for(cat.get(name)).vet(cat.get(name), "bench")
    return s


def restore(devices, baseline: dict[str, str]) -> None:
    from netops.playbook import diff

    for host, snap in baseline.items():
        cur = devices.running_config(host)
        if not diff.same_config(cur, snap):
            devices.configure(host, diff.restore_commands(cur, snap))


def timed(settings, devices, audit, name, targets, params, batch=1):
    from netops.playbook.runner import execute, plan

    p = plan(settings, name, targets, params, devices=devices, audit=audit)
    appr = TimingApprover()
    report = execute(p, approver=appr, devices=devices, audit=audit, batch=batch)
    return time.monotonic() - appr.at, report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lab-id", type=int, default=6)
    ap.add_argument("--home", default=None, help="reuse a lab already up under this NETOPS_HOME")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from netops.devices.service import DeviceService
    from netops.store.audit import AuditLog

    with lab_settings(args.lab_id, args.home) as (base, info), tempfile.TemporaryDirectory() as tmp:
        settings = private_playbooks(base.model_copy(update={"home": Path(tmp) / "home"}), Path(tmp) / "pb")
        audit = AuditLog.from_settings(settings)
        devices = DeviceService(settings, recorder=audit.recorder("bench"))
        hosts = [r.name for r in info.routers]
        baseline = {h: devices.running_config(h) for h in hosts}
        results: dict[str, list[float]] = {"one_host": [], "three_hosts_serial": [], "three_hosts_batch2": [],
                                           "rollback": [], "bare_configure": []}
        failures = 0
        for i in range(args.runs):
            log(f"run {i + 1}/{args.runs}")
            t, rep = timed(settings, devices, audit, "ospf-cost", "r1", {"interface": "eth-r2", "cost": str(20 + i)})
            failures += rep.failed
            results["one_host"].append(t)
            restore(devices, baseline)
            for key, batch in (("three_hosts_serial", 1), ("three_hosts_batch2", 2)):
                t, rep = timed(settings, devices, audit, "interface-description", ",".join(hosts),
                               {"interface": "lo", "description": f"bench {key} {i}"}, batch=batch)
                failures += rep.failed
                results[key].append(t)
                restore(devices, baseline)
            _, rep = timed(settings, devices, audit, "ospf-cost-failing", "r1", {"interface": "eth-r2", "cost": "33"})
            hr = rep.hosts["r1"]
            failures += hr.state != "rolled_back"
            results["rollback"].append(hr.timings.get("rollback", float("nan")))
            restore(devices, baseline)
            t0 = time.monotonic()
            devices.configure("r1", ["interface eth-r2", "ip ospf cost 44", "exit"])
            results["bare_configure"].append(time.monotonic() - t0)
            restore(devices, baseline)
        verified = audit.verify()
        devices.close()
        audit.close()

    med = {k: statistics.median(v) for k, v in results.items()}
    doc = {"runs": args.runs, "lab_id": args.lab_id, "median_s": med, "all_s": results,
           "failures": failures, "audit_records": verified.count, "audit_ok": verified.ok,
           "overhead_vs_bare_configure": med["one_host"] / med["bare_configure"] if med["bare_configure"] else None}
    if args.json:
        emit_json(doc)
    else:
        rows = [[k, f"{v * 1000:.0f} ms"] for k, v in med.items()]
        print(fmt_table(["measure (median)", "time"], rows))
        print(f"one-host apply = {doc['overhead_vs_bare_configure']:.1f}x a bare configure; "
              f"unexpected outcomes: {failures}; audit: {verified.count} records, "
              f"{'verifies' if verified.ok else 'DOES NOT VERIFY'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
