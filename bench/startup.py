"""Start-up cost of the CLI: ``netops --help``, importing the CLI, and a cold ``kb search``.

Every figure is the median wall time of N fresh subprocesses, next to the bare interpreter
start (``python -c pass``) measured in the same run. For the cold search an index over one
RFC is prepared first (not timed); then ``netops kb search`` runs end to end in new processes,
and one extra run under ``python -X importtime`` lists the imports that cost the most. The same
is done for a lexical-only index (``NETOPS_KB__EMBEDDER=none``), which must load no model.

    python bench/startup.py [--json] [-n 10] [--search-runs 3] [--plugins-only]

Plugins: two fresh virtualenvs that see this environment (``.pth`` + ``site.addsitedir``), one
bare and one with two plugins installed by pip (the example ``netops-peering`` and a
``netops plugin new`` scaffold); ``netops --help`` and ``netops plugins --json`` are timed in
both, interleaved. ``--plugins-only`` runs just that part.

Targets: ``netops --help`` median <= 0.3 s; with two plugins installed within 20% of without.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as c

TARGET_HELP_S = 0.3
TARGET_PLUGIN_RATIO = 1.2
QUERY = "what is the default BGP hold time"


def netops_argv() -> list[str]:
    exe = shutil.which("netops")
    return [exe] if exe else [sys.executable, "-m", "netops"]


def timed_runs(argv: list[str], n: int, env: dict) -> tuple[list[float], subprocess.CompletedProcess]:
    times, last = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        last = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
        times.append(time.perf_counter() - t0)
        if last.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} exited {last.returncode}:\n{last.stderr.strip()[-2000:]}")
    return times, last


def importtime_top(argv: list[str], env: dict, top: int) -> list[dict]:
    """Top-level imports by cumulative time from one ``-X importtime`` run."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *argv], env=env,
                          capture_output=True, text=True, timeout=300)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)", line)
        if m and not m[3]:  # depth 0: imported directly by the program, cumulative covers children
            rows.append({"module": m[4], "cumulative_ms": int(m[2]) / 1000, "self_ms": int(m[1]) / 1000})
    rows.sort(key=lambda r: r["cumulative_ms"], reverse=True)
    return rows[:top]


def make_venv(root: Path) -> Path:
    """A venv without pip that sees the running environment; returns its python."""
    import site
    import sysconfig

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    parents = [p for p in [*site.getsitepackages(), sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    Path(purelib, "_parent_env.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in dict.fromkeys(parents)), encoding="utf-8")
    return python


def bench_plugins(tmp: Path, env: dict, n: int) -> dict:
    """``netops --help`` and ``netops plugins --json`` without and with two plugins installed."""
    env = {**env, "PYTHONPATH": str(c.REPO), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    bare = make_venv(tmp / "venv-bare")
    plugged = make_venv(tmp / "venv-plugins")
    subprocess.run([str(plugged), "-m", "netops", "plugin", "new", "bench-dc", "--dir", str(tmp)],
                   env=env, check=True, capture_output=True)
    for src in (c.REPO / "plugins" / "netops-peering", tmp / "bench-dc"):
        pip = [str(plugged), "-m", "pip", "install", "-q", "--no-deps", str(src)]
        # Old setuptools (a venv made by ensurepip) cannot build a wheel without isolation.
        if subprocess.run([*pip, "--no-build-isolation"], env=env, capture_output=True).returncode != 0:
            subprocess.run(pip, env=env, check=True, capture_output=True)
    listed = subprocess.run([str(plugged), "-m", "netops", "plugins", "--json"], env=env, check=True,
                            capture_output=True, text=True).stdout
    names = sorted(p["name"] for p in __import__("json").loads(listed)["plugins"] if p["name"] != "netops.builtins")
    out: dict[str, dict] = {}
    for label, args in (("netops --help", ["--help"]), ("netops plugins --json", ["plugins", "--json"])):
        times: dict[str, list[float]] = {"without": [], "with": []}
        for py in (bare, plugged):  # warm the file cache
            subprocess.run([str(py), "-m", "netops", *args], env=env, capture_output=True, timeout=120)
        for _ in range(n):  # interleaved, so drift on a shared machine hits both alike
            for key, py in (("without", bare), ("with", plugged)):
                t, _ = timed_runs([str(py), "-m", "netops", *args], 1, env)
                times[key] += t
        without, with_ = c.median(times["without"]), c.median(times["with"])
        out[label] = {"without_s": round(without, 4), "with_s": round(with_, 4),
                      "ratio": round(with_ / without, 3), "runs": n}
    return {"plugins": names, "results": out,
            "help_within_20pct": out["netops --help"]["ratio"] <= TARGET_PLUGIN_RATIO}


def prepare_index(home: Path, lexical_only: bool = False) -> None:
    settings = c.settings_for(home)
    if lexical_only:
        settings = settings.model_copy(update={"kb": settings.kb.model_copy(update={"embedder": "none"})})
    kb = c.open_kb(settings, None if lexical_only else c.make_minilm())
    report = kb.add([c.rfc_file(4271)])
    c.close(kb)
    if report.failed:
        raise SystemExit(f"could not prepare the index: {report.failed}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ap.add_argument("-n", type=int, default=10, help="runs per quick command")
    ap.add_argument("--search-runs", type=int, default=3, help="runs of the cold kb search")
    ap.add_argument("--top", type=int, default=12, help="import-time offenders to list")
    ap.add_argument("--plugins-only", action="store_true", help="only the with/without plugins comparison")
    args = ap.parse_args()
    if args.plugins_only:
        with tempfile.TemporaryDirectory(prefix="netops-bench-plugins-") as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
            env.update(NETOPS_HOME=str(Path(tmp) / "home"), XDG_CONFIG_HOME=str(Path(tmp) / "xdg"))
            doc = {"bench": "startup-plugins", "date": time.strftime("%Y-%m-%d"), **bench_plugins(Path(tmp), env, args.n)}
        if args.json:
            c.emit_json(doc)
        else:
            print_plugins(doc)
        return 0

    with tempfile.TemporaryDirectory(prefix="netops-bench-startup-") as tmp:
        home = Path(tmp) / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
        env.update(NETOPS_HOME=str(home), XDG_CONFIG_HOME=str(Path(tmp) / "xdg"),
                   NETOPS_OLLAMA_URL="http://127.0.0.1:9")
        py = sys.executable
        quick = {
            "python -c pass (baseline)": [py, "-c", "pass"],
            "netops --help": [*netops_argv(), "--help"],
            "python -c 'import netops.cli.main'": [py, "-c", "import netops.cli.main"],
        }
        results: dict[str, dict] = {}
        for name, argv in quick.items():
            subprocess.run(argv, env=env, capture_output=True, timeout=120)  # warm the OS file cache
            times, _ = timed_runs(argv, args.n, env)
            results[name] = {"median_s": round(c.median(times), 4), "min_s": round(min(times), 4), "runs": len(times)}
        help_top = importtime_top(["-m", "netops", "--help"], env, args.top)

        c.log("preparing an index over RFC 4271 for the cold search (not timed) ...")
        prepare_index(home)
        search = [*netops_argv(), "kb", "search", QUERY, "--json"]
        times, last = timed_runs(search, args.search_runs, env)
        results["netops kb search (cold, end to end)"] = {
            "median_s": round(c.median(times), 3), "min_s": round(min(times), 3), "runs": len(times)}
        search_top = importtime_top(["-m", "netops", "kb", "search", QUERY, "--json"], env, args.top)

        c.log("preparing a lexical-only index over RFC 4271 (NETOPS_KB__EMBEDDER=none) ...")
        lex_home = Path(tmp) / "lexical-home"
        lex_env = {**env, "NETOPS_HOME": str(lex_home), "NETOPS_KB__EMBEDDER": "none"}
        os.environ["NETOPS_KB__EMBEDDER"] = "none"
        try:
            prepare_index(lex_home, lexical_only=True)
        finally:
            os.environ.pop("NETOPS_KB__EMBEDDER", None)
        times, _ = timed_runs(search, max(args.search_runs, 5), lex_env)
        results["netops kb search (cold, lexical-only index)"] = {
            "median_s": round(c.median(times), 3), "min_s": round(min(times), 3), "runs": len(times)}
        lexical_top = importtime_top(["-m", "netops", "kb", "search", QUERY, "--json"], lex_env, args.top)
        c.log("two virtualenvs, one with two plugins installed by pip ...")
        plugin_doc = bench_plugins(Path(tmp), env, args.n)

    base = results["python -c pass (baseline)"]["median_s"]
    for r in results.values():
        r["x_baseline"] = round(r["median_s"] / base, 1) if base else None
    help_s = results["netops --help"]["median_s"]
    verdict = {f"help_le_{TARGET_HELP_S}s": help_s <= TARGET_HELP_S}
    doc = {"bench": "startup", "date": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0],
           "results": results, "importtime_help": help_top, "importtime_kb_search": search_top,
           "importtime_kb_search_lexical_only": lexical_top, "plugins": plugin_doc,
           "targets": {**verdict, "help_with_two_plugins_within_20pct": plugin_doc["help_within_20pct"]}}
    if args.json:
        c.emit_json(doc)
        return 0
    print(f"startup: median of {args.n} runs ({args.search_runs} for the cold search), Python {doc['python']}")
    print(c.fmt_table(["command", "median s", "min s", "x python"],
                      [[k, v["median_s"], v["min_s"], v["x_baseline"]] for k, v in results.items()]))
    print(f"netops --help {help_s:.3f}s (target <= {TARGET_HELP_S}s): "
          f"{'PASS' if verdict[f'help_le_{TARGET_HELP_S}s'] else 'FAIL'}")
    print_plugins(plugin_doc)
    for title, rows in (("netops --help", help_top), ("netops kb search (cold)", search_top),
                        ("netops kb search (cold, lexical-only)", lexical_top)):
        print(f"\nslowest top-level imports, {title} (-X importtime, cumulative ms):")
        for r in rows:
            print(f"  {r['cumulative_ms']:9.1f}  {r['module']}")
    return 0


def print_plugins(doc: dict) -> None:
    print(f"\nwith two plugins installed ({', '.join(doc['plugins'])}) vs without, interleaved medians:")
    print(c.fmt_table(["command", "without s", "with s", "ratio"],
                      [[k, v["without_s"], v["with_s"], v["ratio"]] for k, v in doc["results"].items()]))
    print(f"netops --help with two plugins within {round((TARGET_PLUGIN_RATIO - 1) * 100)}%: "
          f"{'PASS' if doc['help_within_20pct'] else 'FAIL'}")


if __name__ == "__main__":
    raise SystemExit(main())
