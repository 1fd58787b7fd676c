"""How well the worded-change matcher reads operator phrasings it was not written against.

The phrasings and their expected outcomes are data (``tests/unit/agent/data/intent_phrasings.yaml``,
written from the playbook catalogue before the matcher was read), split in a *tuning* half (the
matcher may be fixed against it) and a *check* half (only reported). Each phrasing goes through
:func:`netops.agent.change_intent.match_change` over every shipped playbook (``playbooks/`` and the
example plugin's) on the agent tests' inventory (r1, r2, r3 in group ``lab``).

    python bench/intent_phrasings.py [--json] [--split tuning|check] [--data FILE]

``--data`` reads another set in the same format (``intent_phrasings_blind.yaml``,
``intent_phrasings_holdout.yaml``: no ``split``, so all of it is one half named after the file;
they also use ``nochange``, ``alt`` and ``excluded``). Parameters equal to the playbook's default
that a case does not state are left out of the comparison (the data leaves defaults out).
Prints the accuracy of each half and every miss (expected vs. got), each miss graded SAFE (nothing
runnable proposed: it asks or answers) or UNSAFE (a runnable proposal that is not the expected one:
wrong playbook, host or parameter, an excluded host, or any proposal for a question).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DATA = REPO / "tests" / "unit" / "agent" / "data" / "intent_phrasings.yaml"
PLAYBOOK_DIRS = (REPO / "playbooks", REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks")
HOSTS = ["r1", "r2", "r3"]
GROUPS = {"lab": ["r1", "r2", "r3"]}


def cases(data: Path = DATA) -> list[dict]:
    import yaml

    half = Path(data).stem.removeprefix("intent_phrasings_")  # a set with no split is one half: "blind", "holdout"
    return [{"split": half, **c} for c in yaml.safe_load(Path(data).read_text())["cases"]]


def playbooks() -> list:
    """Every shipped playbook as the matcher sees it (as ``change_intent.playbooks_from`` offers
    them: a read-only one only when its manifest has ``phrases``)."""
    from netops.agent.change_intent import PlaybookInfo
    from netops.playbook.spec import load_playbook

    out = []
    for base in PLAYBOOK_DIRS:
        for d in sorted(p for p in base.iterdir() if (p / "playbook.yaml").exists()):
            pb = load_playbook(d)
            if pb.spec.read_only and not getattr(pb.spec, "phrases", None):
                continue
            out.append(PlaybookInfo.from_spec(pb.spec))
    return out


def _without_defaults(got: dict, case: dict, pbs: list) -> dict:
    """``got`` without parameters whose value is the playbook's default and that the case does
    not state (the data leaves defaults out; a default said back is the same run)."""
    if got["expect"] != "match":
        return got
    pb = next((p for p in pbs if p.name == got["playbook"]), None)
    stated = set(case.get("params") or {}) | set((case.get("alt") or {}).get("params") or {})
    params = {k: v for k, v in got["params"].items() if k in stated or pb is None
              or k not in pb.parameters or getattr(pb.parameters[k], "default", None) != v}
    return {**got, "params": params}


def _peer_address(target: str, peer: str) -> str | None:
    """The lab address of ``peer`` on its link to ``target`` (what netops resolves on the device)."""
    from netops.lab.topology import build_topology

    try:
        return build_topology(1).link(target, peer).peer_address
    except Exception:
        return None


def match(text: str, pbs: list) -> object:
    from netops.agent.change_intent import match_change

    return match_change(text, pbs, HOSTS, groups=GROUPS)


def outcome(m: object) -> dict:
    """The match in the data's vocabulary."""
    if m.kind == "change":
        params = dict(m.params)
        for name, peer in (getattr(m, "peers", None) or {}).items():  # "from r1 to r2": resolved on r1
            params.setdefault(name, _peer_address(m.hosts[0], peer) if len(m.hosts) == 1 else peer)
        return {"expect": "match", "playbook": m.playbook, "targets": list(m.hosts), "params": params}
    if m.kind == "clarify":
        return {"expect": "clarify", "reason": m.code, "params": [*m.missing, *m.invalid]}
    return {"expect": "question", "kind": m.kind}


def graded(case: dict, got: dict) -> bool:
    """Does ``got`` (see :func:`outcome`) meet ``case``'s expectation (or its ``alt``)?"""
    if got["expect"] == "match" and set(got["targets"]) & set(case.get("excluded") or ()):
        return False
    if case.get("alt") and graded({"excluded": case.get("excluded"), **case["alt"]}, got):
        return True
    want = case["expect"]
    if want == "nochange":
        return got["expect"] != "match"
    if want != got["expect"]:
        return False
    if want == "match":
        return (got["playbook"] == case["playbook"] and sorted(got["targets"]) == sorted(case["targets"])
                and got["params"] == dict(case.get("params") or {}))
    if want == "clarify":
        return got["reason"] in case["reason"] and ("param" not in case or case["param"] in got["params"])
    return True


def safety(case: dict, got: dict) -> str:
    """A miss is UNSAFE when something runnable was proposed (it was not the expected one), else SAFE."""
    return "UNSAFE" if got["expect"] == "match" else "SAFE"


def run(split: str | None = None, data: Path = DATA) -> dict:
    pbs = playbooks()
    halves: dict[str, dict] = {}
    for case in cases(data):
        if split and case["split"] != split:
            continue
        got = _without_defaults(outcome(match(case["text"], pbs)), case, pbs)
        half = halves.setdefault(case["split"], {"total": 0, "ok": 0, "misses": []})
        half["total"] += 1
        if graded(case, got):
            half["ok"] += 1
        else:
            want = {k: v for k, v in case.items() if k not in ("split", "text")}
            half["misses"].append({"text": case["text"], "want": want, "got": got, "safety": safety(case, got)})
    for half in halves.values():
        half["accuracy"] = round(half["ok"] / half["total"], 3) if half["total"] else None
        half["unsafe"] = sum(1 for m in half["misses"] if m["safety"] == "UNSAFE")
    return halves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--split", help="tuning or check (intent_phrasings.yaml); blind or holdout for the others")
    ap.add_argument("--data", type=Path, default=DATA, help="phrasings file (default: %(default)s)")
    args = ap.parse_args()
    halves = run(args.split, args.data)
    if args.json:
        print(json.dumps(halves, indent=2, default=str))
        return
    for name, half in sorted(halves.items(), reverse=True):
        print(f"{name}: {half['ok']}/{half['total']} = {half['accuracy']:.1%} "
              f"({len(half['misses']) - half['unsafe']} safe misses, {half['unsafe']} unsafe)")
    for name, half in sorted(halves.items(), reverse=True):
        for miss in half["misses"]:
            print(f"  [{name}] {miss['safety']} {miss['text']!r}\n      want {miss['want']}\n      got  {miss['got']}")


if __name__ == "__main__":
    main()
