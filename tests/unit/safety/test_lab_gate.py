"""CI as root: a skipped lab test fails the run; other skips and non-CI runs stay skips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._lab_gate import lab_required

REPO = Path(__file__).resolve().parents[3]
TESTS = '''
import pytest

@pytest.mark.lab
def test_lab_skips():
    pytest.skip("no lab here")

@pytest.mark.lab
def test_lab_runs():
    pass

def test_optional_skip():
    pytest.skip("no real model")
'''


def _run(tmp_path, **env) -> subprocess.CompletedProcess:
    (tmp_path / "test_x.py").write_text(TESTS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    lab: lab\n")
    full = {k: v for k, v in os.environ.items() if k not in ("CI", "NETOPS_REQUIRE_LAB")}
    # Only the gate under test: autoloading every installed pytest plugin (langsmith's and
    # hypothesis' import seconds of modules) made this inner run cost 10-80 s.
    full.update(PYTHONPATH=str(REPO), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "tests._lab_gate", "-p", "no:cacheprovider",
                           "-rA", "test_x.py"], cwd=tmp_path, env=full, capture_output=True, text=True, timeout=120)


def test_required_lab_turns_a_lab_skip_into_a_failure(tmp_path):
    r = _run(tmp_path, NETOPS_REQUIRE_LAB="1")
    assert r.returncode == 1, r.stdout
    assert "1 failed, 1 passed, 1 skipped" in r.stdout
    assert "FAILED test_x.py::test_lab_skips" in r.stdout and "no lab here" in r.stdout


def test_without_the_requirement_a_lab_skip_is_a_skip(tmp_path):
    r = _run(tmp_path)
    assert r.returncode == 0, r.stdout
    assert "1 passed, 2 skipped" in r.stdout


def test_when_the_lab_is_required():
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    assert lab_required({"NETOPS_REQUIRE_LAB": "1"})
    assert not lab_required({})
    assert lab_required({"CI": "true"}) is root
    assert not lab_required({"CI": "true", "NETOPS_REQUIRE_LAB": "0"})


def test_ci_sets_the_requirement_as_root():
    text = (REPO / ".ci" / "run").read_text()
    assert "NETOPS_REQUIRE_LAB=1" in text


@pytest.mark.parametrize("path", sorted((REPO / "tests" / "model_real").glob("test_*.py")))
def test_optional_suites_are_not_lab_marked(path):
    assert "mark.lab" not in path.read_text()
