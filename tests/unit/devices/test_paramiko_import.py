"""netops' SSH layer imports paramiko without ``invoke``: paramiko.config imports it up front only
for ``Match exec`` in an ssh_config file, and it brings unittest.mock and asyncio along (0.1-0.2 s
of every netops process that talks SSH: playbook runs, recoveries at start, guards, ``show``).
``Match exec`` still works: invoke is imported the first time it is needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

CHILD = r"""
import sys
from netops.devices import hostkeys, ssh
hostkeys.strict_policy("r1")          # paramiko imported the way netops does it
assert "paramiko" in sys.modules
print("invoke-at-start", "invoke" in sys.modules)
import paramiko
config = paramiko.SSHConfig.from_text('Match exec "true"\n    User matched\n')
print("match-exec", config.lookup("r1").get("user"))
print("invoke-after-match", "invoke" in sys.modules)
"""


def test_the_ssh_layer_imports_paramiko_without_invoke_and_match_exec_still_works():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == ["invoke-at-start False", "match-exec matched", "invoke-after-match True"], done.stdout
