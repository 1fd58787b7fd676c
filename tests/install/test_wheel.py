"""A built wheel works on its own: ``pip install netops-*.whl`` in a fresh venv, run from anywhere.

The sdist is built from the repository's files and the wheel from that sdist (what ``python -m
build`` does), so a file missing from either shows up here. The fresh venv borrows the already
installed dependencies through a ``.pth`` line (installing torch and chromadb again would take
minutes); netops itself comes only from the wheel. The build and install run in the background
while the rest of the suite runs (``_background.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.install._background import Job, Skip, job

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _tracked_files() -> list[str]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        raise Skip("needs git and a git checkout to know which files belong to the repository")
    out = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard"],
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if (REPO / line).is_file()]


def build_and_install(job: Job) -> tuple[Path, Path, Path]:
    """(wheel path, venv dir, its purelib) with netops installed from a wheel built from an sdist.

    Every subprocess, no assertion: it runs in the background (``_background.py``)."""
    files = _tracked_files()
    work = job.mkdir("wheel")
    src = work / "src"
    for rel in files:
        dest = src / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = job.run("build", [sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(src)], env=env,
                timeout=600)
    if r.returncode != 0:
        raise RuntimeError("python -m build failed: " + r.stdout[-3000:] + r.stderr[-3000:])
    (wheel,) = (work / "dist").glob("netops-*.whl")

    venv = work / "venv"
    r = job.run("venv", [sys.executable, "-m", "venv", "--without-pip", str(venv)], timeout=120)
    if r.returncode != 0:
        raise RuntimeError("venv failed: " + r.stderr[-3000:])
    vpy = venv / "bin" / "python"
    r = job.run("install", [sys.executable, "-m", "pip", "--python", str(vpy), "install", "-q", "--no-deps",
                            str(wheel)], env=env, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("pip install of the wheel failed: " + r.stderr[-3000:])
    r = job.run("purelib", [str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                timeout=120)
    purelib = Path(r.stdout.strip())
    # Plain path lines: the borrowed site-packages' own .pth files (an editable netops) stay inert.
    (purelib / "zz_borrowed_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return wheel, venv, purelib


WHEEL = job("wheel", build_and_install)


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    WHEEL.wait(tmp_path_factory, timeout=900)
    if WHEEL.skip:
        pytest.skip(WHEEL.skip)
    if WHEEL.error:
        raise WHEEL.error
    return WHEEL.value


def netops(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(venv / "bin" / "netops"), *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=180)


def test_wheel_carries_the_package_and_its_data(wheel_venv):
    wheel, _, _ = wheel_venv
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for rel in _tracked_files():
        top = rel.split("/", 1)[0]
        if top == "netops":
            expected.add(rel)
        elif top in ("knowledge", "playbooks"):
            expected.add(f"netops/data/{rel}")
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel: {missing[:20]}"
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "bench/"))]


def test_installed_wheel_runs_from_anywhere(wheel_venv, tmp_path):
    _, venv, purelib = wheel_venv
    r = netops(venv, "--version", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "(wheel)" in r.stdout and str(venv) in r.stdout

    r = netops(venv, "doctor", "--json", cwd=tmp_path)
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"], r.stdout + r.stderr
    env = doc["environment"]
    assert env["install"] == "wheel" and env["package_dir"] == str(purelib / "netops")
    assert env["data_dirs"] == {name: str(purelib / "netops" / "data" / name) for name in ("knowledge", "playbooks")}


def test_installed_wheel_lists_the_shipped_vetted_playbooks(wheel_venv, tmp_path):
    _, venv, purelib = wheel_venv
    r = netops(venv, "playbook", "list", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    listed = {p["name"]: p for p in json.loads(r.stdout)["playbooks"]}
    shipped = {p.parent.name for p in (REPO / "playbooks").glob("*/playbook.yaml")}
    assert shipped and shipped <= set(listed)
    for name in shipped:
        assert listed[name]["vetting"] == "vetted", listed[name]
        assert Path(listed[name]["path"]).is_relative_to(purelib / "netops" / "data" / "playbooks")
