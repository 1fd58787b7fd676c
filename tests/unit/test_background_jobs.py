"""The suite's background jobs (tests/install/_background.py) yield the CPU to the tests they overlap.

The install scenarios (a clean clone's setup.sh, a wheel build) and the real model's knowledge
base start when collection is over and run while the lab tests run first. Those lab tests time
what they wait for (a guard restoring, a crash cell's restart); on a two-core machine a pip
unpacking torch at the tests' own priority made them about twice as slow (the first ~250 s of
the CI run). Every process a job starts runs at the lowest CPU priority; the test process keeps
its own.
"""

from __future__ import annotations

import os
import sys

from tests.install._background import Job


def _niceness_of_a_child_and_its_child(job: Job) -> tuple[str, str]:
    child = job.run("child", [sys.executable, "-c", "import os; print(os.nice(0))"], timeout=60)
    grandchild = job.run("grandchild", ["bash", "-c", f"{sys.executable} -c 'import os; print(os.nice(0))'"],
                         timeout=60)
    return child.stdout.strip(), grandchild.stdout.strip()


def test_every_process_a_job_starts_runs_at_the_lowest_priority(tmp_path_factory):
    before = os.nice(0)
    done = Job("niceness", _niceness_of_a_child_and_its_child).wait(tmp_path_factory, timeout=60)
    assert done.error is None, done.error
    assert done.value == ("19", "19")
    assert done.steps["child"].returncode == 0 and done.steps["grandchild"].returncode == 0
    assert os.nice(0) == before  # the tests themselves keep their priority


def test_a_job_step_still_gets_its_arguments_environment_and_directory(tmp_path_factory, tmp_path):
    def body(job: Job) -> str:
        step = job.run("echo", [sys.executable, "-c",
                                "import os, sys; print(sys.argv[1], os.environ['JOB_MARK'], os.getcwd())",
                                "a b"], timeout=60, cwd=tmp_path, env=dict(os.environ, JOB_MARK="m"))
        return step.stdout.strip()

    done = Job("args", body).wait(tmp_path_factory, timeout=60)
    assert done.error is None, done.error
    assert done.value == f"a b m {tmp_path}"
