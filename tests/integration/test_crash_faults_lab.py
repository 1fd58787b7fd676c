"""Faults other than netops being killed, in the middle of a real change (router-drain on r1 of
the lab, through the real CLI, ``netops playbook run --yes``), then the next netops command.

* r1's bgpd dies between the push and the postchecks (an FRR daemon crash, which a config line
  can cause): the rollback cannot put the BGP section back; the run and every later start must
  say what the router answered (``bgpd is not running``), not only "still differs"; once the
  router is back (restarted from its saved config), ``recover`` closes the run.
* NETOPS_HOME (audit log included) fills up after the push: the run must still put r1 back and
  say the run is not fully on record; killed there instead, the router-side guard and the next
  start must put r1 back although no audit record can be written.

The run stops at a point by ``crash_driver``'s ``pause`` (it waits until the test removes the
pause file); nothing else is simulated.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_crash_matrix_lab import DRAINED, CrashLab, _guards, crashlab  # noqa: F401

pytestmark = [pytest.mark.lab, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]


def _paused(cl: CrashLab, point: str, env: dict[str, str] | None = None, surface: str = "cli") -> subprocess.Popen:
    """``netops playbook run router-drain -t r1 --yes`` (``surface`` "cli"), or a library session
    asked "drain r1 for maintenance" as ``ask`` and the chat are ("api"; the model at
    ``NETOPS_OLLAMA_URL``), stopped at ``point`` (returned once there)."""
    env = env or cl.env
    flag = Path(env["CRASH_PAUSE_FILE"])
    flag.unlink(missing_ok=True)
    args = ["-t", "r1", "router-drain"] if surface == "cli" else ["drain r1 for maintenance"]
    child = subprocess.Popen([sys.executable, "-m", "tests.integration.crash_driver", surface, point, "pause",
                              *args], env=env, cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not flag.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            out, err = child.communicate()
            raise AssertionError(f"the run never reached {point}: {out[-2000:]} {err[-3000:]}")
        time.sleep(0.05)
    return child


def _release(env: dict[str, str], child: subprocess.Popen) -> tuple[str, str]:
    Path(env["CRASH_PAUSE_FILE"]).unlink()
    try:
        return child.communicate(timeout=180)
    finally:
        if child.poll() is None:
            child.kill()


def _netops(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netops", *argv], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)


def _settle_guards(home: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while _guards(home):
        assert time.monotonic() < deadline, "a guard is still running"
        time.sleep(0.2)


# -- a routing daemon dies mid-change -------------------------------------------------------------

def test_bgpd_dies_after_the_push_every_surface_says_what_the_router_answered(crashlab):
    cl = crashlab
    child = _paused(cl, "audit:apply")
    bgpd = int((cl.lab.lab.vty_dir("r1") / "bgpd.pid").read_text().split()[0])
    os.kill(bgpd, signal.SIGKILL)
    out, err = _release(cl.env, child)
    assert child.returncode == 1, out[-2000:] + err[-3000:]
    assert "Traceback" not in err
    final = [ln for ln in out.splitlines() if ln.startswith("r1: ")]
    assert len(final) == 1 and "rollback" in final[0] and "bgpd is not running" in final[0], out[-3000:]
    from netops.store.audit import AuditLog
    from netops.settings import Settings

    with AuditLog.from_settings(Settings(home=cl.home)) as log:
        rb = log.list(kind="rollback", limit=None)[-1].payload
    assert rb["ok"] is False and "bgpd is not running" in rb["error"] and rb["remaining_diff"], rb
    # the next start, and recover by hand, say it too (once per start: the guard that tried and
    # failed meanwhile left its own line), and keep the snapshot
    _settle_guards(cl.home)
    for argv in (("playbook", "list"), ("playbook", "recover")):
        nxt = cl.netops(*argv)
        lines = [ln for ln in nxt.stderr.splitlines() + nxt.stdout.splitlines()
                 if "router-drain on r1" in ln]
        assert len(lines) == 1, nxt.stdout + nxt.stderr
        assert "could NOT be rolled back" in lines[0] and "bgpd is not running" in lines[0], lines
    assert cl.journals(), "the snapshot must stay until r1 is put back"
    busy = cl.netops("playbook", "run", "interface-description", "-t", "r1", "-p", "interface=lo",
                     "-p", "description=x", "--yes")  # no new change on a host left changed
    assert busy.returncode == 75, busy.stdout + busy.stderr
    assert "ended without putting it back" in busy.stderr and "pid 0" not in busy.stderr, busy.stderr
    # the router comes back (its daemons restarted from the saved config): recover closes the run
    cl.lab.lab.restart_router("r1")
    done = cl.netops("playbook", "recover")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "router-drain on r1" in done.stdout and "pre-change config (verified)" in done.stdout, done.stdout
    assert cl.config() == cl.lab.baseline["r1"]
    assert cl.journals() == []
    verify = cl.netops("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


# -- NETOPS_HOME (the audit log) fills up mid-change ------------------------------------------------

@pytest.fixture
def full_home(crashlab):
    """crashlab with NETOPS_HOME on its own 1 MiB tmpfs; yields (crashlab, env, home, fill)."""
    cl = crashlab
    home = cl.tmp / "small-home"
    home.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(home)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    (home / "policy.yaml").write_text((cl.home / "policy.yaml").read_text())
    env = dict(cl.env, NETOPS_HOME=str(home), CRASH_PAUSE_FILE=str(cl.tmp / "paused"))

    def fill() -> None:
        fd = os.open(home / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)

    try:
        yield cl, env, home, fill
    finally:
        _settle_guards(home)
        subprocess.run(["umount", "-l", str(home)], capture_output=True)


@pytest.mark.parametrize("surface", ["cli", "api"])
def test_audit_log_full_after_the_push_the_run_puts_r1_back_and_says_so(full_home, surface):
    cl, env, home, fill = full_home
    from tests.integration.test_crash_matrix_lab import _scripted

    with _scripted() as srv:
        env = dict(env, NETOPS_OLLAMA_URL=srv.url)
        child = _paused(cl, "audit:apply", env, surface)
        fill()
        out, err = _release(env, child)
    assert "Traceback" not in err
    assert child.returncode == (1 if surface == "cli" else 0), out[-2000:] + err[-3000:]
    assert not any(line in cl.config() for line in DRAINED)
    assert cl.config() == cl.lab.baseline["r1"]
    assert "r1: rolled back" in out, out[-3000:]
    said = err if surface == "cli" else out  # the CLI's last lines; the answer of ask and the chat
    assert "audit log could not be written" in said and "NOT fully on record" in said, said[-3000:]
    _settle_guards(home)
    assert [p for p in (home / "journal").iterdir() if p.name.endswith(".json")] == []
    (home / "filler").unlink()
    verify = _netops(env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_audit_log_full_then_netops_killed_the_guard_still_puts_r1_back(full_home):
    cl, env, home, fill = full_home
    child = _paused(cl, "audit:apply", env)
    assert any(line in cl.config() for line in DRAINED)
    fill()
    os.kill(child.pid, signal.SIGKILL)  # killed while the audit log is full; its guard lives on
    child.communicate(timeout=30)
    _settle_guards(home)
    assert cl.config() == cl.lab.baseline["r1"]
    # the next start (disk still full) tells what the guard did, once, and that it is not on record
    nxt = _netops(env, "playbook", "list")
    lines = [ln for ln in nxt.stderr.splitlines() if "router-drain on r1" in ln]
    assert len(lines) == 1 and "rolled back" in lines[0], nxt.stderr
    assert [p for p in (home / "journal").iterdir() if p.name.endswith(".json")] == []
    assert [p.name for p in (home / "journal").rglob("*.tmp")] == []  # nothing half-written left
    (home / "filler").unlink()
    verify = _netops(env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


# -- `netops lab down` while a change is under way ---------------------------------------------------

def test_lab_down_while_a_change_is_under_way_keeps_the_lab_up(tmp_path, spare_lab_id, vetted_playbooks):
    """lab down (or reset) takes the routers' change locks first: a change in flight on one of
    them keeps the lab up with one line naming it (its rollback needs the router); once the change
    is over, lab down goes ahead."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "policy.yaml").write_text("roles:\n  admin: {max_risk: high}\ndefault_role: admin\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(NETOPS_HOME=str(home), NETOPS_PLAYBOOKS_DIR=str(vetted_playbooks), NETOPS_KB__EMBEDDER="none",
               NETOPS_OLLAMA_URL="http://127.0.0.1:9", NETOPS_MODEL_REVIEW="0", PYTHONPATH=str(REPO),
               XDG_CONFIG_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path), CRASH_PAUSE_FILE=str(tmp_path / "paused"))
    lab_id = str(spare_lab_id)
    up = _netops(env, "lab", "up", "--id", lab_id)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        env["NETOPS_INVENTORY"] = str(home / "lab" / lab_id / "inventory.yaml")
        password = (home / "lab" / lab_id / "lab.env").read_text()
        for line in password.splitlines():
            if "=" in line:
                key, _, value = line.removeprefix("export ").partition("=")
                env[key.strip()] = value.strip().strip("'\"")
        flag = tmp_path / "paused"
        child = subprocess.Popen([sys.executable, "-m", "tests.integration.crash_driver", "cli", "audit:apply",
                                  "pause", "-t", "r1", "router-drain"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert child.poll() is None and time.monotonic() < deadline, child.communicate()
            time.sleep(0.05)
        for argv in (("lab", "down", "--id", lab_id), ("lab", "reset", "--id", lab_id)):
            refused = _netops(env, *argv)
            assert refused.returncode == 75, refused.stdout + refused.stderr
            assert f"lab {lab_id} was left up" in refused.stderr and "router-drain" in refused.stderr, refused.stderr
            assert "Traceback" not in refused.stderr
            assert _netops(env, "lab", "status", "--id", lab_id).returncode == 0  # still up and healthy
        out, err = _release(env, child)
        assert child.returncode == 0 and "r1: verified" in out, out[-2000:] + err[-3000:]
    finally:
        if "child" in locals() and child.poll() is None:
            child.kill()
        down = _netops(env, "lab", "down", "--id", lab_id)
    assert down.returncode == 0 and f"lab {lab_id} removed" in down.stdout, down.stdout + down.stderr
