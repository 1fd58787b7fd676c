"""Plugins installed by pip into a fresh virtualenv (real wheels, real entry points), driven
through the real `netops` command in that environment. Slow: builds and installs packages.

The venv is made with ``--without-pip`` and sees the running environment through a ``.pth``
line (``site.addsitedir``), like ``--system-site-packages`` but for whichever environment runs
the tests (CI's .venv included). The netops under test is this checkout (PYTHONPATH)."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def venv(tmp_path):
    root = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    parents = [p for p in site.getsitepackages() + [site.getusersitepackages()] if Path(p).is_dir()]
    (Path(own) / "_parent_env.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in parents), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NETOPS_HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           # the plugins' tests are plain pytest: autoloading every pytest plugin the parent
           # environment has (langsmith's, hypothesis') costs seconds per inner run
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    env.pop("NETOPS_INVENTORY", None)

    def run(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(python), *args], env=env, cwd=cwd or tmp_path, capture_output=True,
                              text=True, timeout=600)
        if check and proc.returncode != 0:
            pytest.fail(f"{' '.join(args)} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return proc

    run.root = root  # type: ignore[attr-defined]
    run.site = Path(own)  # type: ignore[attr-defined]
    return run


def _pip_install(venv, *args: str) -> None:
    # Without build isolation when the environment's setuptools can build wheels itself (>= 70.1,
    # seconds); a venv made by ensurepip carries setuptools 65 without `wheel`: then let pip fetch
    # the build backend into an isolated build environment (slower, needs the package index).
    quick = venv("-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", *args, check=False)
    if quick.returncode != 0:
        venv("-m", "pip", "install", "-q", "--no-deps", *args)


def test_example_plugin_installed_by_pip_shows_up_everywhere_and_passes_its_contract(venv, tmp_path):
    _pip_install(venv, str(REPO / "plugins" / "netops-peering"))
    assert (venv.site / "netops_peering" / "playbooks" / "playbooks.lock").is_file()

    doc = json.loads(venv("-m", "netops", "plugins", "--json").stdout)
    assert doc["problems"] == []
    row = {p["name"]: p for p in doc["plugins"]}["peering"]
    assert row["version"] == "0.2.0" and str(venv.root) in row["origin"]
    assert row["provides"]["tools"] == ["peeringdb_lookup"]
    assert row["provides"]["knowledge_sources"] == ["peering-runbooks"]
    assert [p for p in row["provides"]["parsers"] if "prefix-counts" in p]
    assert {p["vetting"] for p in row["playbooks"]} == {"vetted"} and len(row["playbooks"]) == 3

    listed = json.loads(venv("-m", "netops", "playbook", "list", "--json").stdout)["playbooks"]
    assert {e["name"]: e["source"] for e in listed}["ixp-peer-turn-up"] == "peering"
    shown = json.loads(venv("-m", "netops", "playbook", "show", "ixp-peer-prefix-limit", "--json").stdout)
    assert shown["vetting"] == "vetted" and str(venv.site) in shown["path"]
    doctor = json.loads(venv("-m", "netops", "doctor", "--json", check=False).stdout)
    assert {c["name"]: c for c in doctor["checks"]}["plugins"]["ok"]

    # `netops --help` does not import the plugin (entry points are read as metadata only).
    help_run = venv("-X", "importtime", "-m", "netops", "--help")
    assert "netops_peering" not in help_run.stderr and "pluggy" not in help_run.stderr

    # The plugin's own tests (the netops contract) pass against the installed package.
    tests = REPO / "plugins" / "netops-peering" / "tests"
    result = venv("-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests), cwd=tmp_path)
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_scaffolded_plugin_installs_and_passes_its_tests_as_generated(venv, tmp_path):
    venv("-m", "netops", "plugin", "new", "acme-dc", "--dir", str(tmp_path))
    root = tmp_path / "acme-dc"
    _pip_install(venv, "-e", str(root))
    result = venv("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=root)
    assert " passed" in result.stdout and "failed" not in result.stdout

    row = {p["name"]: p for p in json.loads(venv("-m", "netops", "plugins", "--json").stdout)["plugins"]}["acme-dc"]
    assert row["origin"].startswith("editable") and row["playbooks"][0]["vetting"] == "never_reviewed"
    venv("-m", "netops", "playbook", "vet", "--plugin", "acme-dc", "--reviewer", "new-user")
    row = {p["name"]: p for p in json.loads(venv("-m", "netops", "plugins", "--json").stdout)["plugins"]}["acme-dc"]
    assert row["playbooks"][0]["vetting"] == "vetted"
    assert "acme-dc-interface-description" in (root / "netops_acme_dc" / "playbooks" / "playbooks.lock").read_text()
    # Once reviewed, the generated tests can demand vetting, and still pass.
    test_file = root / "tests" / "test_contracts.py"
    test_file.write_text(test_file.read_text().replace("require_vetted = False", "require_vetted = True"))
    assert " passed" in venv("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=root).stdout
