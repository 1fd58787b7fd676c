"""A change killed at each stage ends with the router byte-identical to its snapshot, on record.

A real netops process (a child) runs bgp-neighbor-shutdown on the real FRR lab and is stopped
with kill -9, SIGTERM or SIGHUP:

* after the snapshot (journal written, guard started, nothing sent yet),
* during apply (half the lines sent, the rest not yet),
* during the postchecks.

SIGTERM and SIGHUP are handled like Ctrl-C by the run itself (roll back, result record).
kill -9 leaves that to the detached guard, which restores from the journal and records it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys, time
from netops.settings import Settings
from netops.devices.service import DeviceService
from netops.store.audit import AuditLog
from netops.playbook.approval import AllowAll
from netops.playbook.runner import execute, plan

settings = Settings(**json.loads(sys.argv[1]))
stage, go = sys.argv[2], sys.argv[3]

def say(what):
    print(what, flush=True)

def hold():
    # Stay in this stage (a slow device) until the test has sent its signal and says go: the
    # run's SIGTERM/SIGHUP handler only cancels, so a plain sleep would outlast the signal.
    until = time.monotonic() + 30
    while not os.path.exists(go) and time.monotonic() < until:
        time.sleep(0.05)

audit = AuditLog.from_settings(settings)
devices = DeviceService(settings, recorder=audit.recorder("crash-test"))
real_configure = devices.configure
applied = []

def configure(host, lines, **kw):
    if stage == "apply" and not applied:  # the first change: send half, stop in the middle
        applied.append(1)
        half = max(1, len(lines) - 1)  # the change itself is in, the closing line not yet
        real_configure(host, lines[:half], **kw)
        say("mid-apply")
        hold()
        return real_configure(host, lines[half:], **kw)
    return real_configure(host, lines, **kw)

devices.configure = configure

def progress(ev):
    if ev.stage == "apply" and stage == "snapshot":
        say("after-snapshot")
        hold()                  # snapshot journalled, guard running, nothing sent yet
    if ev.stage == "postcheck" and stage == "postcheck":
        say("in-postcheck")
        hold()

p = plan(settings, "bgp-neighbor-shutdown", "r1", {"neighbor": "198.51.100.2"}, devices=devices, audit=audit)
assert p.ok
say("planned")
report = execute(p, approver=AllowAll(), devices=devices, audit=audit, on_progress=progress, guard=True)
say("finished " + json.dumps({h: r.state for h, r in report.hosts.items()}))
"""

MARK = {"snapshot": "after-snapshot", "apply": "mid-apply", "postcheck": "in-postcheck"}


@pytest.fixture
def crash_env(lab_clean, tmp_path):
    settings = lab_clean.settings.model_copy(update={"home": tmp_path / "home", "user": "crash-tester"})
    yield settings, lab_clean


def _journals(settings) -> list[str]:
    d = settings.paths.home / "journal"
    return [n for n in os.listdir(d) if n.endswith(".json") and not n.startswith(".")] if d.exists() else []


def _guard_logs(settings) -> str:
    d = settings.paths.home / "journal"
    return "\n".join(p.read_text() for p in d.glob(".*.guard.log")) if d.exists() else ""


@pytest.mark.parametrize("stage", ["snapshot", "apply", "postcheck"])
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM", "SIGHUP"])
def test_killed_change_ends_byte_identical_and_recorded(crash_env, tmp_path, stage, sig):
    settings, lab = crash_env
    data = settings.model_dump(mode="json", exclude={"openai_api_key"})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    go = tmp_path / "go"
    child = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(data), stage, str(go)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        seen = []
        while time.monotonic() < deadline:
            line = child.stdout.readline().strip()
            if not line:
                break
            seen.append(line)
            if line == MARK[stage]:
                break
        assert seen and seen[-1] == MARK[stage], (seen, child.stderr.read() if child.poll() is not None else "")
        if stage != "snapshot":  # really changed at this point
            assert lab.lab.running_config("r1") != lab.baseline["r1"]
        assert _journals(settings), "the write-ahead journal must exist before the change"
        child.send_signal(getattr(signal, sig))
        go.touch()  # the signal is in: the stage may go on (the run then sees its cancel)
        child.wait(60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if sig == "SIGKILL":
        assert child.returncode == -signal.SIGKILL
    # the run itself (SIGTERM/SIGHUP) or the guard (kill -9) settles it; give the guard its time
    until = time.monotonic() + 45
    while _journals(settings) and time.monotonic() < until:
        time.sleep(0.3)
    assert not _journals(settings), ("unfinished run left behind", _guard_logs(settings))
    assert lab.lab.running_config("r1") == lab.baseline["r1"], _guard_logs(settings)

    from netops.store.audit import AuditLog

    with AuditLog.from_settings(settings) as audit:
        assert audit.verify().ok
        kinds = [r.kind for r in audit.list(limit=None)]
        results = [r.payload for r in audit.list(kind="result", limit=None)]
        assert "snapshot" in kinds and results, kinds
        if stage != "snapshot":
            assert "apply_start" in kinds
        if sig == "SIGKILL":
            rec = audit.list(kind="recover", limit=None)
            assert rec and rec[-1].payload["by"] == "guard" and rec[-1].payload["verified_equal_to_snapshot"]
            assert results[-1]["recovered_by"] == "guard"
        else:
            assert results[-1]["interrupted"] is True
            assert results[-1]["cancel_reason"] == f"terminated by {sig}"
            assert results[-1]["hosts"]["r1"]["state"] in ("rolled_back", "skipped")


def test_recover_by_hand_when_no_guard_ran(crash_env):
    """kill -9 with no guard (e.g. a platform without one): `netops playbook recover` restores."""
    settings, lab = crash_env
    data = settings.model_dump(mode="json", exclude={"openai_api_key"})
    script = CHILD.replace("guard=True", "guard=False")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", script, json.dumps(data), "postcheck", str(settings.home / "go")],
                             stdout=subprocess.PIPE,
                             text=True, env=env, start_new_session=True)
    try:
        while child.stdout.readline().strip() not in ("in-postcheck", ""):
            pass
        assert lab.lab.running_config("r1") != lab.baseline["r1"]
        child.kill()
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    assert len(_journals(settings)) == 1
    cli_env = {**env, **_settings_env(settings)}
    other = subprocess.run([sys.executable, "-m", "netops", "audit", "list", "--json"], capture_output=True,
                           text=True, env=cli_env, timeout=60)
    # any command's start restores first and says so in one line
    assert "recovered: bgp-neighbor-shutdown on r1" in other.stderr and "rolled back" in other.stderr, other.stderr
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    out = subprocess.run([sys.executable, "-m", "netops", "playbook", "recover", "--json"], capture_output=True,
                         text=True, env=cli_env, timeout=120)
    assert out.returncode == 0 and json.loads(out.stdout)["runs"] == 0, out.stderr
    assert not _journals(settings)


def _settings_env(settings) -> dict[str, str]:
    return {"NETOPS_HOME": str(settings.home), "NETOPS_INVENTORY": str(settings.inventory),
            "NETOPS_KNOWN_HOSTS": str(settings.known_hosts), "NETOPS_USER": settings.user}
