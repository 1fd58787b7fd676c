"""How well the worded-change matcher reads operator phrasings it was not written against.

The phrasings and their expected outcomes are data (``tests/unit/agent/data/intent_phrasings.yaml``,
written from the playbook catalogue before the matcher was read), split in a *tuning* half (the
matcher may be fixed against it) and a *check* half (only reported). Each phrasing goes through
:func:`netops.agent.change_intent.match_change` over every shipped playbook (``playbooks/`` and the
example plugin's) on the agent tests' inventory (r1, r2, r3 in group ``lab``).

    python bench/intent_phrasings.py [--json] [--split tuning|check]

Prints the accuracy of each half and every miss (expected vs. got).
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


def cases() -> list[dict]:
    import yaml

    return yaml.safe_load(DATA.read_text())["cases"]


def playbooks(*, read_only: bool = False) -> list:
    """Every shipped playbook as the matcher sees it (read-only ones only when asked)."""
    from netops.agent.change_intent import PlaybookInfo
    from netops.playbook.spec import load_playbook

    out = []
    for base in PLAYBOOK_DIRS:
        for d in sorted(p for p in base.iterdir() if (p / "playbook.yaml").exists()):
            pb = load_playbook(d)
            if pb.spec.read_only and not read_only:
                continue
            out.append(PlaybookInfo.from_spec(pb.spec))
    return out


def match(text: str, pbs: list) -> object:
    from netops.agent.change_intent import match_change

    return match_change(text, pbs, HOSTS, groups=GROUPS)


def outcome(m: object) -> dict:
    """The match in the data's vocabulary."""
    if m.kind == "change":
        return {"expect": "match", "playbook": m.playbook, "targets": list(m.hosts), "params": dict(m.params)}
    if m.kind == "clarify":
        return {"expect": "clarify", "reason": m.code, "params": [*m.missing, *m.invalid]}
    return {"expect": "question", "kind": m.kind}


def graded(case: dict, got: dict) -> bool:
    """Does ``got`` (see :func:`outcome`) meet ``case``'s expectation?"""
    want = case["expect"]
    if want != got["expect"]:
        return False
    if want == "match":
        return (got["playbook"] == case["playbook"] and sorted(got["targets"]) == sorted(case["targets"])
                and got["params"] == dict(case.get("params") or {}))
    if want == "clarify":
        return got["reason"] in case["reason"] and ("param" not in case or case["param"] in got["params"])
    return True


def run(split: str | None = None) -> dict:
    pbs = playbooks()
    halves: dict[str, dict] = {}
    for case in cases():
        if split and case["split"] != split:
            continue
        got = outcome(match(case["text"], pbs))
        half = halves.setdefault(case["split"], {"total": 0, "ok": 0, "misses": []})
        half["total"] += 1
        if graded(case, got):
            half["ok"] += 1
        else:
            want = {k: v for k, v in case.items() if k not in ("split", "text")}
            half["misses"].append({"text": case["text"], "want": want, "got": got})
    for half in halves.values():
        half["accuracy"] = round(half["ok"] / half["total"], 3) if half["total"] else None
    return halves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--split", choices=("tuning", "check"))
    args = ap.parse_args()
    halves = run(args.split)
    if args.json:
        print(json.dumps(halves, indent=2, default=str))
        return
    for name, half in sorted(halves.items(), reverse=True):
        print(f"{name}: {half['ok']}/{half['total']} = {half['accuracy']:.1%}")
    for name, half in sorted(halves.items(), reverse=True):
        for miss in half["misses"]:
            print(f"  [{name}] {miss['text']!r}\n      want {miss['want']}\n      got  {miss['got']}")


if __name__ == "__main__":
    main()
