"""Mutation testing of the safety core with mutmut 3: score per module, surviving mutants.

    python bench/mutation.py                         # every module, 15 min budget each
    python bench/mutation.py --module policy --budget 300 --json
    python bench/mutation.py --show                  # also print the diff of each survivor

Modules (the safety core): the read-only command policy, redaction, the approval gate and the
approval policy, rollback verification and the audit chain (see MODULES). Each module is run
in its own scratch project under ``bench/.cache/mutation/<module>-<key>/`` where ``key`` hashes
the module's source files, its test files and this configuration: an unchanged module reuses
its finished results, a run cut short by the budget resumes where it stopped, anything edited
starts afresh. The test command is a small set of fast unit tests per module (never the lab).

mutmut 3 (PyPI ``mutmut``) runs the tests from a copy of the project in ``mutants/``; it is
taken from ``PATH`` when it is a 3.x, otherwise installed once into
``bench/.cache/mutmut-venv`` (a venv over this interpreter's site-packages). Score = killed /
(killed + survived + timeout-free others); "timeout" counts as killed (the mutant hangs a
test), "no tests" counts as a survivor. The target is >= 90% per module; each survivor is
either killed by a test or explained as equivalent in bench/README.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / ".cache" / "mutation"
MUTMUT_VERSION = "3.8.1"
VENV = REPO / "bench" / ".cache" / "mutmut-venv"


@dataclass(frozen=True)
class Module:
    name: str
    files: tuple[str, ...]
    """Source files to mutate (paths from the repository root)."""
    tests: tuple[str, ...]
    """The test command: pytest node ids / files (fast unit tests only)."""
    functions: tuple[str, ...] = ()
    """Only mutants matching these patterns run and count (fnmatch over mutmut's names, e.g.
    ``netops.playbook.diff.x_normalise__mutmut_*``); empty: every function in ``files``."""


SAFETY_TESTS = "tests/unit/safety"
MODULES: dict[str, Module] = {m.name: m for m in (
    Module("policy", ("netops/devices/policy.py",),
           (f"{SAFETY_TESTS}/test_policy_pinned.py", "tests/unit/devices/test_policy.py")),
    Module("redact", ("netops/devices/redact.py",),
           ("tests/unit/devices/test_redact.py", "tests/unit/devices/test_redact_formats.py",
            "tests/unit/devices/test_service_redaction.py", f"{SAFETY_TESTS}/test_redaction_pinned.py")),
    Module("approval", ("netops/playbook/approval.py",), (f"{SAFETY_TESTS}/test_approval_gate.py",)),
    Module("approval_policy", ("netops/playbook/policy.py",),
           (f"{SAFETY_TESTS}/test_approval_gate.py", "tests/unit/playbook/test_diff_policy.py",
            f"{SAFETY_TESTS}/test_policy_files.py")),
    Module("gate", ("netops/agent/change_tools.py",), (f"{SAFETY_TESTS}/test_gate.py", "tests/unit/agent/test_change_flow.py"),
           functions=("netops.agent.change_tools.xǁ_GatedApproverǁ*", "netops.agent.change_tools.x__needs_person__mutmut_*",
                      "netops.agent.change_tools.x_playbook_run__mutmut_*")),
    Module("rollback_verify", ("netops/playbook/diff.py", "netops/playbook/recover.py", "netops/playbook/runner.py"),
           (f"{SAFETY_TESTS}/test_rollback_and_execute.py", "tests/unit/playbook/test_secrets_in_runs.py"),
           functions=("netops.playbook.diff.x_normalise__mutmut_*", "netops.playbook.diff.x_same_config__mutmut_*",
                      "netops.playbook.recover.x_restore_snapshot__mutmut_*", "netops.playbook.runner.x__rollback__mutmut_*")),
    Module("audit", ("netops/store/audit.py",),
           ("tests/unit/store/test_audit.py", "tests/unit/store/test_audit_keyed.py",
            f"{SAFETY_TESTS}/test_audit_chain.py")),
)}
SHARED = ("tests/conftest.py", "tests/unit/playbook/conftest.py", "tests/unit/playbook/fakefrr.py",
          f"{SAFETY_TESTS}/conftest.py")
"""Files every module's tests may import (part of each cache key)."""
COPY = ("netops", "tests", "playbooks", "knowledge")
"""What the scratch project holds (symlinks; mutmut copies them into mutants/)."""

KILLED = {"killed", "timeout", "caught by type check"}
SURVIVED = {"survived", "no tests", "suspicious", "segfault"}


@dataclass
class Result:
    module: str
    key: str
    statuses: dict[str, str] = field(default_factory=dict)
    complete: bool = False
    seconds: float = 0.0

    @property
    def killed(self) -> int:
        return sum(s in KILLED for s in self.statuses.values())

    @property
    def survivors(self) -> list[str]:
        return sorted(n for n, s in self.statuses.items() if s in SURVIVED)

    @property
    def checked(self) -> int:
        return self.killed + len(self.survivors)

    @property
    def score(self) -> float | None:
        return self.killed / self.checked if self.checked else None

    def to_dict(self) -> dict:
        return {"module": self.module, "key": self.key, "complete": self.complete, "total": len(self.statuses),
                "checked": self.checked, "killed": self.killed, "score": self.score,
                "survivors": {n: self.statuses[n] for n in self.survivors},
                "not_checked": sorted(n for n, s in self.statuses.items() if s not in KILLED | SURVIVED),
                "seconds": round(self.seconds, 1)}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cache_key(mod: Module) -> str:
    """Hash of what decides the outcome: mutated sources, tests, shared fixtures, this config."""
    h = hashlib.sha256()
    h.update(repr((mod, MUTMUT_VERSION)).encode())
    paths: list[Path] = [REPO / f for f in mod.files + SHARED]
    for t in mod.tests:
        p = REPO / t.split("::")[0]
        paths.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    for p in paths:
        h.update(str(p.relative_to(REPO)).encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()[:16]


def mutmut_command() -> list[str]:
    """mutmut 3 from PATH, else from a cached venv (created once)."""
    found = shutil.which("mutmut")
    if found:
        out = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
        if re.search(r"\b3\.\d", out):
            return [found]
    exe = VENV / "bin" / "mutmut"
    if not exe.exists():
        _log(f"installing mutmut {MUTMUT_VERSION} into {VENV}")
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"mutmut=={MUTMUT_VERSION}"], check=True)
    return [str(exe)]


def _toml_list(items) -> str:
    return "[" + ", ".join(json.dumps(str(i)) for i in items) + "]"


def prepare(mod: Module, key: str) -> Path:
    """The scratch project for ``mod``: symlinks to the sources and tests, a pyproject with the
    project's pytest settings and this module's mutmut settings."""
    work = CACHE / f"{mod.name}-{key}"
    for stale in CACHE.glob(f"{mod.name}-*"):
        if stale != work and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        link = work / name
        if not link.exists():
            link.symlink_to(REPO / name, target_is_directory=True)
    import tomllib

    pytest_cfg = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    for k, v in pytest_cfg.items():
        if k == "addopts":
            v = "--strict-markers -p no:cacheprovider"
        lines.append(f"{k} = {json.dumps(v)}")
    lines += ["", "[tool.mutmut]",
              f"source_paths = {_toml_list(['netops'])}",
              f"only_mutate = {_toml_list(mod.files)}",
              f"also_copy = {_toml_list(['playbooks', 'knowledge'])}",
              f"pytest_add_cli_args_test_selection = {_toml_list(mod.tests)}",
              "pytest_add_cli_args = [\"-p\", \"no:cacheprovider\", \"-W\", \"ignore::pytest.PytestUnraisableExceptionWarning\"]",
              "use_git_change_detection = false",
              "timeout_multiplier = 5.0", "timeout_constant = 5.0", ""]
    (work / "pyproject.toml").write_text("\n".join(lines))
    return work


def _selected(name: str, mod: Module) -> bool:
    return not mod.functions or any(fnmatch.fnmatchcase(name, f) for f in mod.functions)


def read_statuses(mod: Module, work: Path, cmd: list[str]) -> dict[str, str]:
    out = subprocess.run(cmd + ["results", "--all", "true"], cwd=work, capture_output=True, text=True).stdout
    statuses = {}
    for line in out.splitlines():
        m = re.match(r"\s+(\S+__mutmut_\d+): (.+)$", line)
        if m and _selected(m.group(1), mod):
            statuses[m.group(1)] = m.group(2).strip()
    return statuses


def run_module(mod: Module, *, budget: float, children: int, fresh: bool) -> Result:
    key = cache_key(mod)
    done = CACHE / f"{mod.name}-{key}.json"
    if done.exists() and not fresh:
        data = json.loads(done.read_text())
        _log(f"{mod.name}: cached result ({key})")
        return Result(mod.name, key, data["statuses"], True, data["seconds"])
    if fresh:
        shutil.rmtree(CACHE / f"{mod.name}-{key}", ignore_errors=True)
    work = prepare(mod, key)
    cmd = mutmut_command()
    names = list(mod.functions) or [f[:-3].replace("/", ".") + ".*" for f in mod.files]
    # mutmut re-runs every mutant named on its command line, decided or not: to resume, name only
    # the ones an earlier (cut short) run left unchecked.
    earlier = read_statuses(mod, work, cmd) if (work / "mutants").is_dir() else {}
    if earlier:
        names = [n for n, s in earlier.items() if s == "not checked"]
        _log(f"{mod.name}: resuming, {len(names)} of {len(earlier)} mutants left")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ORT_DISABLE_TELEMETRY": "1",
           "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": "", "PYTHONDONTWRITEBYTECODE": "1"}
    t0 = time.monotonic()
    _log(f"{mod.name}: mutmut run ({budget:.0f} s budget, {children} children) in {work}")
    log = open(work / "mutmut.log", "a")
    proc = subprocess.Popen(cmd + ["run", "--max-children", str(children), *names], cwd=work, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True) if names else None
    try:
        rc = proc.wait(timeout=budget) if proc is not None else 0
    except subprocess.TimeoutExpired:
        _log(f"{mod.name}: budget spent, stopping (the next run resumes)")
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        rc = None
    finally:
        log.close()
    seconds = time.monotonic() - t0
    statuses = read_statuses(mod, work, cmd)
    complete = rc == 0 and bool(statuses) and all(s != "not checked" for s in statuses.values())
    if rc not in (0, None):
        _log(f"{mod.name}: mutmut exited {rc}; see {work / 'mutmut.log'}")
    result = Result(mod.name, key, statuses, complete, seconds)
    if complete:
        done.write_text(json.dumps({"statuses": statuses, "seconds": seconds}))
    return result


def show(mod: Module, name: str) -> str:
    work = CACHE / f"{mod.name}-{cache_key(mod)}"
    out = subprocess.run(mutmut_command() + ["show", name], cwd=work, capture_output=True, text=True)
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--module", action="append", choices=sorted(MODULES), help="repeatable; default: all")
    ap.add_argument("--budget", type=float, default=900, help="seconds per module (default 900)")
    ap.add_argument("--children", type=int, default=2, help="parallel mutant workers (default 2)")
    ap.add_argument("--fresh", action="store_true", help="ignore cached results")
    ap.add_argument("--show", action="store_true", help="print each survivor's diff")
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = ap.parse_args(argv)
    results = [run_module(MODULES[n], budget=args.budget, children=args.children, fresh=args.fresh)
               for n in (args.module or list(MODULES))]
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
        return 0
    print(f"{'module':18} {'killed':>7} {'checked':>8} {'total':>6} {'score':>7}  state")
    for r in results:
        score = f"{100 * r.score:.1f}%" if r.score is not None else "-"
        state = "complete" if r.complete else "PARTIAL (budget)"
        verdict = "PASS" if r.score is not None and r.score >= 0.9 else "FAIL"
        print(f"{r.module:18} {r.killed:>7} {r.checked:>8} {len(r.statuses):>6} {score:>7}  {state}, {verdict} (>= 90%)")
    for r in results:
        for name in r.survivors:
            print(f"survivor {name}: {r.statuses[name]}")
            if args.show:
                print(show(MODULES[r.module], name) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
