"""The README's Quickstart is two commands, and they are the scripts CI runs."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def quickstart_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for line in block.splitlines() if line.strip()]


def test_quickstart_is_setup_then_ask_then_tests():
    first, second = quickstart_commands()
    assert first.startswith("./scripts/setup.sh && netops ask ")
    assert second == "./scripts/test.sh"
    for script in ("scripts/setup.sh", "scripts/test.sh", ".ci/run"):
        assert os.access(REPO / script, os.X_OK), f"{script} is not executable"
    assert "scripts/test.sh" in (REPO / ".ci" / "run").read_text()
    assert "scripts/setup.sh" in (REPO / "scripts" / "test.sh").read_text()


def test_scripts_parse():
    for script in ("scripts/setup.sh", "scripts/test.sh", ".ci/run"):
        r = subprocess.run(["bash", "-n", str(REPO / script)], capture_output=True, text=True)
        assert r.returncode == 0, f"{script}: {r.stderr}"


def test_setup_refuses_an_unsupported_python(tmp_path):
    """NETOPS_PYTHON naming a Python older than 3.11 stops before anything is installed."""
    old = tmp_path / "python3"
    old.write_text("#!/bin/sh\nexit 1\n")  # answers 'not supported' to the version probe
    old.chmod(0o755)
    env = dict(os.environ, NETOPS_PYTHON=str(old), NETOPS_VENV=str(tmp_path / "venv"), NETOPS_BIN_DIR="none")
    r = subprocess.run(["bash", str(REPO / "scripts" / "setup.sh")], env=env, capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode != 0
    assert "is not Python 3.11-3.13" in r.stderr
    assert not (tmp_path / "venv").exists()
