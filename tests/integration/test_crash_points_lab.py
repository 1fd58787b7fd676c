"""Crash points test_crash_lab.py does not reach, on the real FRR lab through the real CLI.

A child netops process runs a playbook and is stopped at an exact point: it SIGKILLs itself just
before or after a given audit record is written (plan, approval, apply_start, apply, rollback,
result), or waits there for a signal from the test. Then the *next* netops invocation (`netops
audit list`, `netops playbook run`, `netops playbook recover`) must see the interrupted run, put
every device back (or say plainly that it could not), record it exactly once, and the audit chain
must still verify. Also: two runs racing on one device, stale and foreign device locks, PID reuse,
a corrupted journal, SSH dropped mid-change, SIGTERM/SIGINT while the approval is pending.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, signal, sys, time
from netops.settings import Settings
from netops.devices.service import DeviceService
from netops.store.audit import AuditLog
from netops.playbook.approval import Approval
from netops.playbook.runner import execute, plan

cfg = json.loads(sys.argv[1])
settings = Settings(**cfg["settings"])
points, action = cfg["point"].split("|"), cfg.get("action", "kill")

def hit(where):
    if where not in points:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    print(where, flush=True)
    go = cfg["go"] + "-" + where.replace(":", "_")
    until = time.monotonic() + 90
    while not os.path.exists(go) and time.monotonic() < until:
        time.sleep(0.1)

audit = AuditLog.from_settings(settings)
real_append = audit.append

def append(kind, payload=None, *, actor):
    host = (payload or {}).get("host")
    hit(f"before:{kind}"); hit(f"before:{kind}:{host}")
    rec = real_append(kind, payload, actor=actor)
    hit(f"after:{kind}"); hit(f"after:{kind}:{host}")
    return rec

audit.append = append

class Approver:
    def approve(self, p):
        hit("approve")
        return Approval(True, "crash-tester", "approved by the crash test")

devices = DeviceService(settings, recorder=audit.recorder("crash-test"))
p = plan(settings, cfg["playbook"], cfg["targets"], cfg["params"], devices=devices, audit=audit)
assert p.ok, p.to_dict()
report = execute(p, approver=Approver(), devices=devices, audit=audit, guard=cfg["guard"],
                 on_progress=lambda ev: hit(f"progress:{ev.stage}:{ev.host}"))
print("finished " + json.dumps({h: r.state for h, r in report.hosts.items()}), flush=True)
"""

DESC = {"interface": "lo", "description": "crash point test"}


def _crash_playbooks(books: Path) -> None:
    """interface-description takes several hosts; -broken and -1s copies of it (see ``crash``)."""
    y = books / "interface-description" / "playbook.yaml"
    y.write_text(y.read_text().replace("max_hosts: 1", "max_hosts: 3"))
    broken = books / "interface-description-broken"
    shutil.copytree(books / "interface-description", broken)
    (broken / "playbook.yaml").write_text(
        (broken / "playbook.yaml").read_text().replace("name: interface-description", "name: interface-description-broken")
        .replace("== {{ description | tojson }}'\n    within: 5s", "== nothing'\n    within: 1s"))
    quick = books / "interface-description-1s"
    shutil.copytree(books / "interface-description", quick)
    text = (quick / "playbook.yaml").read_text()
    assert "    within: 5s\n" in text
    (quick / "playbook.yaml").write_text(
        text.replace("name: interface-description", "name: interface-description-1s").replace("    within: 5s\n",
                                                                                            "    within: 1s\n"))


@pytest.fixture
def crash(lab_clean, tmp_path, vetted_playbooks_template):
    """Settings with a private home and a vetted private playbook copy where
    interface-description takes several hosts, plus two copies of it: -broken (its postcheck
    never passes) and -1s (the same postcheck, given 1 s instead of 5 s); yields (settings, lab)."""
    from tests.conftest import vetted_copy

    books = vetted_copy(vetted_playbooks_template, tmp_path / "playbooks", edit=_crash_playbooks)
    settings = lab_clean.settings.model_copy(update={
        "home": tmp_path / "home", "playbooks_dir": books, "user": "crash-tester", "model_review": False,
        "kb": lab_clean.settings.kb.model_copy(update={"embedder": "none"})})
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    settings.paths.policy_file.write_text("roles: {eng: {max_risk: low}}\nusers: {crash-tester: eng}\n")
    yield settings, lab_clean


def _env(settings) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NETOPS_HOME": str(settings.home),
            "NETOPS_INVENTORY": str(settings.inventory), "NETOPS_KNOWN_HOSTS": str(settings.known_hosts),
            "NETOPS_USER": settings.user, "NETOPS_PLAYBOOKS_DIR": str(settings.playbooks_dir),
            "NETOPS_MODEL_REVIEW": "false"}


def _child(settings, point, *, playbook="interface-description", targets="r1", params=None, guard=False,
           action="kill") -> subprocess.Popen:
    cfg = {"settings": settings.model_dump(mode="json", exclude={"openai_api_key"}), "point": point,
           "action": action, "playbook": playbook, "targets": targets, "params": params or DESC, "guard": guard,
           "go": str(settings.home / "go")}
    return subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(settings), start_new_session=True)


def _killed_at(settings, point, **kw) -> None:
    child = _child(settings, point, **kw)
    out, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, (point, out, err[-3000:])


def _waiting_at(settings, point, **kw) -> subprocess.Popen:
    """A child that stops at each of the ``|``-separated points until :func:`_go`; returned at
    the first."""
    child = _child(settings, point, action="wait", **kw)
    _expect(child, point.split("|")[0])
    return child


def _expect(child, point) -> None:
    line = child.stdout.readline().strip()
    if line != point:
        child.kill()
        raise AssertionError((point, line, child.stderr.read()[-3000:]))


def _go(settings, point) -> None:
    """Let a child waiting at ``point`` go on."""
    (settings.home / ("go-" + point.replace(":", "_"))).touch()


def _cli(settings, *args, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netops", *args], capture_output=True, text=True,
                          env=_env(settings), timeout=timeout, stdin=subprocess.DEVNULL)


def _journals(settings) -> list[Path]:
    d = settings.paths.home / "journal"
    return sorted(p for p in d.iterdir() if p.name.endswith(".json") and not p.name.startswith(".")) \
        if d.exists() else []


def _audit(settings):
    from netops.store.audit import AuditLog

    return AuditLog.from_settings(settings)


def _results(settings) -> list[dict]:
    with _audit(settings) as audit:
        return [r.payload for r in audit.list(kind="result", limit=None)]


def _verify_chain(settings, *, settled: bool = False) -> None:
    """`netops audit verify` passes; with ``settled``, that next command also has nothing left to
    recover or tell (every start recovers and tells once)."""
    out = _cli(settings, "audit", "verify", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["ok"] is True
    if settled:
        assert "recovered:" not in out.stderr and "warning:" not in out.stderr, out.stderr


def _no_traceback(*texts: str) -> None:
    for t in texts:
        assert "Traceback" not in t and "unexpected" not in t, t


def _wait_settled(settings, timeout=60.0) -> None:
    until = time.monotonic() + timeout
    while _journals(settings) and time.monotonic() < until:
        time.sleep(0.3)


# -- SIGKILL at every stage, then the next invocation -------------------------------------------

@pytest.mark.parametrize("point,changed_at_crash", [
    ("after:approval", False),          # approval on record, nothing journalled or sent yet
    ("before:apply_start:r1", False),   # snapshot journalled, nothing sent
    ("after:apply:r1", True),           # applied, before the postchecks
    ("after:postcheck:r1", True),       # verified by the postchecks, the run not yet over
    ("before:result", True),            # the run is over (r1 verified, kept), its result not on record
])
def test_sigkill_then_recover_restores_and_records_once(crash, point, changed_at_crash):
    """Killed before the run was over: every host back to its snapshot. Killed once the run was
    over but before its result record: the verified change is kept, and the missing result is
    written by the recovery (once)."""
    settings, lab = crash
    _killed_at(settings, point)
    assert (lab.lab.running_config("r1") != lab.baseline["r1"]) is changed_at_crash
    other = _cli(settings, "audit", "list", "--json")  # the next start recovers and says so, one line
    assert other.returncode == 0, other.stderr
    (line,) = [ln for ln in other.stderr.splitlines() if ln.strip()]
    assert line.startswith("recovered: interface-description on r1 "), line
    assert ("completed" if point == "before:result" else "pre-change config") in line, line
    out = _cli(settings, "playbook", "recover", "--json")  # nothing left for it
    _no_traceback(out.stderr)
    assert out.returncode == 0 and json.loads(out.stdout)["runs"] == 0, out.stdout + out.stderr
    results = _results(settings)
    assert len(results) == 1 and results[0]["interrupted"] is True, results
    if point == "before:result":
        assert "description crash point test" in lab.lab.running_config("r1")
        assert results[0]["hosts"]["r1"]["state"] == "kept"
    else:
        assert lab.lab.running_config("r1") == lab.baseline["r1"]
        assert results[0]["hosts"]["r1"]["state"] in ("restored", "skipped"), results
    again = _cli(settings, "playbook", "recover", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["runs"] == 0
    assert len(_results(settings)) == 1, "recorded twice"
    assert not _journals(settings)
    _verify_chain(settings, settled=True)


def test_sigkill_after_result_recorded_is_not_undone_or_recorded_twice(crash):
    """The run finished and its result is on record; only the journal's removal was lost."""
    settings, lab = crash
    _killed_at(settings, "after:result")
    assert "description crash point test" in lab.lab.running_config("r1")
    out = _cli(settings, "playbook", "recover", "--json")
    _no_traceback(out.stderr)
    assert out.returncode == 0, out.stderr
    assert "description crash point test" in lab.lab.running_config("r1"), "a finished change was undone"
    results = _results(settings)
    assert len(results) == 1 and results[0]["interrupted"] is False, results
    assert not _journals(settings)
    _verify_chain(settings, settled=True)


@pytest.mark.parametrize("guard", [True, False])
def test_sigkill_between_hosts_undoes_the_finished_host_too(crash, guard):
    """Multi-host run killed after r1 was verified and before r2 started: the run never finished,
    so r1 is put back as a cancel would (by the guard, or by the next `recover`)."""
    settings, lab = crash
    _killed_at(settings, "progress:precheck:r2", targets="r1,r2", guard=guard)
    assert "description crash point test" in lab.lab.running_config("r1")
    assert lab.lab.running_config("r2") == lab.baseline["r2"]
    if guard:
        _wait_settled(settings)
    else:
        out = _cli(settings, "playbook", "recover", "--json")
        assert out.returncode == 0, out.stderr
    assert not _journals(settings)
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert lab.lab.running_config("r2") == lab.baseline["r2"]
    results = _results(settings)
    assert len(results) == 1 and results[0]["interrupted"] is True, results
    assert results[0]["hosts"]["r1"]["state"] == "restored"
    _verify_chain(settings)


@pytest.mark.parametrize("point", ["progress:rollback:r1", "before:rollback:r1", "after:rollback:r1"])
def test_sigkill_during_rollback(crash, point):
    """A failed postcheck starts the rollback; killed before it, after the restore but before its
    record, or after its record: the guard finishes the job, once."""
    settings, lab = crash
    _killed_at(settings, point, playbook="interface-description-broken", guard=True)
    _wait_settled(settings)
    assert not _journals(settings)
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert len(_results(settings)) == 1
    _verify_chain(settings)


RECOVER_CHILD = r"""
import json, os, signal, sys
from netops.settings import Settings
from netops.devices.service import DeviceService
from netops.store.audit import AuditLog
from netops.playbook.recover import recover

cfg = json.loads(sys.argv[1])
settings = Settings(**cfg["settings"])
audit = AuditLog.from_settings(settings)
real_append = audit.append

def append(kind, payload=None, *, actor):
    if cfg["point"] == f"before:{kind}":
        os.kill(os.getpid(), signal.SIGKILL)
    rec = real_append(kind, payload, actor=actor)
    if cfg["point"] == f"after:{kind}":
        os.kill(os.getpid(), signal.SIGKILL)
    return rec

audit.append = append
with DeviceService(settings, recorder=audit.recorder("recover-test")) as devices:
    recover(settings, devices, audit)
"""


@pytest.mark.parametrize("point", ["before:recover", "after:recover", "before:result", "after:result"])
def test_recover_itself_killed_then_recover_again_records_once(crash, point):
    """`netops playbook recover` is killed too (before or after its own records): the next one
    finishes the job, and every host and the run are on record exactly once."""
    settings, lab = crash
    _killed_at(settings, "after:apply:r1")
    cfg = {"settings": settings.model_dump(mode="json", exclude={"openai_api_key"}), "point": point}
    rc = subprocess.run([sys.executable, "-c", RECOVER_CHILD, json.dumps(cfg)], env=_env(settings),
                        capture_output=True, text=True, timeout=120)
    assert rc.returncode == -signal.SIGKILL, rc.stderr[-3000:]
    out = _cli(settings, "playbook", "recover", "--json")
    _no_traceback(out.stderr)
    assert out.returncode == 0, out.stderr
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert not _journals(settings)
    with _audit(settings) as audit:
        rec = [r.payload for r in audit.list(kind="recover", limit=None)]
    assert [(r["host"], r["ok"]) for r in rec] == [("r1", True)], rec
    assert len(_results(settings)) == 1
    _verify_chain(settings)


# -- journal damage, PID reuse ------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "empty", "not-a-run", "garbage", "no-snapshot"])
def test_damaged_journal_is_one_line_error_and_recorded_once(crash, damage):
    settings, lab = crash
    _killed_at(settings, "after:apply:r1")
    [j] = _journals(settings)
    from netops.playbook.journal import Journal

    text = j.read_text()
    data = Journal.load(j).data
    data["hosts"]["r1"].pop("snapshot")  # a changed host whose pre-change config is gone
    # truncated: cut behind acknowledged records (the snapshot's), not a write in flight
    j.write_text({"truncated": text[: text.find("\n") + 40], "empty": "",
                  "not-a-run": '{"run_id": 7, "hosts": []}\n', "garbage": "\x00\x01 not json\n",
                  "no-snapshot": json.dumps(data) + "\n"}[damage])
    warn = _cli(settings, "audit", "list")
    assert warn.returncode == 0 and "unreadable" in warn.stderr, warn.stderr
    out = _cli(settings, "playbook", "recover")
    _no_traceback(out.stderr, out.stdout)
    assert out.returncode != 0
    errors = [ln for ln in out.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and j.name.split(".")[0] in errors[0], out.stderr
    again = _cli(settings, "playbook", "recover")
    assert again.returncode != 0  # still not safe: never a silent "nothing to recover"
    with _audit(settings) as audit:
        rec = [r.payload for r in audit.list(kind="recover", limit=None)]
    assert len(rec) == 1 and rec[0]["ok"] is False and "unreadable" in rec[0]["error"], rec
    _verify_chain(settings)


def test_pid_reuse_does_not_hide_a_dead_run(crash):
    """The killed run's PID now belongs to another live process: still an unfinished run."""
    settings, lab = crash
    _killed_at(settings, "after:apply:r1")
    [j] = _journals(settings)
    from netops.playbook.journal import Journal

    data = Journal.load(j).data
    live = os.getpid()  # this pytest process: alive, and not the netops run that wrote the journal
    data["pid"] = live
    parts = j.name.split(".")
    moved = j.with_name(f"{parts[0]}.{live}.json")
    moved.write_text(json.dumps(data) + "\n")
    j.unlink()
    started = _cli(settings, "audit", "list")
    assert "recovered: interface-description on r1" in started.stderr, started.stderr
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    out = _cli(settings, "playbook", "recover", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["runs"] == 0, out.stdout + out.stderr


def test_guard_gives_up_on_a_corrupt_journal(crash):
    """A guard watching a journal that became unreadable stops (and says so), never spins on."""
    settings, lab = crash
    child = _waiting_at(settings, "progress:postcheck:r1", guard=True)
    try:
        with _audit(settings) as audit:
            gpid = audit.list(kind="guard", limit=None)[-1].payload["pid"]
        [j] = _journals(settings)
        j.write_text(j.read_text()[:40])
        child.kill()
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    until = time.monotonic() + 30
    from netops.playbook.journal import pid_alive

    while pid_alive(gpid) and time.monotonic() < until:
        time.sleep(0.3)
    assert not pid_alive(gpid), "the guard still runs on an unreadable journal"
    log = "\n".join(p.read_text() for p in (settings.paths.home / "journal").glob(".*.guard.log"))
    assert "unreadable" in log, log


# -- locks --------------------------------------------------------------------------------------

def _run_cli(settings, desc, targets="r1"):
    return _cli(settings, "playbook", "run", "interface-description", "-t", targets, "-p", "interface=lo",
                "-p", f"description={desc}", "--yes", "--json")


def test_two_runs_on_one_device_the_second_is_refused(crash):
    settings, lab = crash
    first = _waiting_at(settings, "progress:apply:r1", guard=True)  # snapshot taken, nothing sent
    try:
        second = _run_cli(settings, "the second run")
        _no_traceback(second.stderr)
        assert second.returncode != 0, second.stdout
        errors = [ln for ln in second.stderr.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1 and "r1" in errors[0] and str(first.pid) in errors[0], second.stderr
        assert "second run" not in lab.lab.running_config("r1")
        first.send_signal(signal.SIGTERM)
        _go(settings, "progress:apply:r1")
        first.wait(60)
    finally:
        if first.poll() is None:
            first.kill()
    _wait_settled(settings)
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    # the first run is gone; its lock file is still there, from a dead PID: not a reason to refuse
    ok = _run_cli(settings, "after the stale lock")
    assert ok.returncode == 0, ok.stderr
    assert "description after the stale lock" in lab.lab.running_config("r1")


def test_stale_and_foreign_lock_files_do_not_block(crash):
    """A lock file nobody holds (written on another host, or naming a PID that now belongs to a
    live unrelated process) does not block a change; the kernel lock is what counts."""
    settings, lab = crash
    locks = settings.paths.home / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    (locks / "r1.lock").write_text(json.dumps({"pid": os.getpid(), "hostname": "elsewhere.example",
                                               "run": "x", "since": "2026-01-01T00:00:00+00:00"}))
    ok = _run_cli(settings, "foreign lock")
    assert ok.returncode == 0, ok.stderr
    assert "description foreign lock" in lab.lab.running_config("r1")


def test_a_device_with_an_unrecovered_run_is_put_back_before_the_next_change(crash):
    """The next `playbook run` starts by restoring what the crashed run left (one line), so the
    new change is planned and snapshotted on the pre-change config, never on top of a half-change."""
    settings, lab = crash
    _killed_at(settings, "after:apply:r1")
    assert "description crash point test" in lab.lab.running_config("r1")
    nxt = _run_cli(settings, "after recovery")
    _no_traceback(nxt.stderr)
    assert nxt.returncode == 0, nxt.stderr
    (line,) = [ln for ln in nxt.stderr.splitlines() if "crash point" in ln or "interrupted" in ln]
    assert line.startswith("recovered: interface-description on r1") and "rolled back" in line, nxt.stderr
    with _audit(settings) as audit:
        kinds = [r.kind for r in audit.list(limit=None)]
    assert kinds.index("recover") < len(kinds) - 1 - kinds[::-1].index("plan")  # restored before planning
    assert "description after recovery" in lab.lab.running_config("r1")


# -- signals while the approval is pending --------------------------------------------------------

@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_signal_during_approval_is_a_recorded_denial(crash, sig):
    settings, lab = crash
    child = _waiting_at(settings, "approve")
    try:
        child.send_signal(getattr(signal, sig))
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    with _audit(settings) as audit:
        kinds = [r.kind for r in audit.list(limit=None)]
        denials = [r.payload for r in audit.list(kind="denial", limit=None)]
    assert "denial" in kinds and "apply_start" not in kinds, kinds
    assert len(denials) == 1
    assert not _journals(settings)
    _verify_chain(settings, settled=True)


def test_sigkill_during_approval_the_next_start_records_it_as_not_approved(crash):
    """kill -9 while the plan waits for its yes: nothing was sent; the next start closes the plan
    with one denial (the audit log must not keep a plan that never ended) and says so once."""
    settings, lab = crash
    _killed_at(settings, "approve")
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    started = _cli(settings, "playbook", "list")
    _no_traceback(started.stderr)
    lines = [ln for ln in started.stderr.splitlines() if "r1" in ln]
    assert len(lines) == 1 and "never approved" in lines[0] and "nothing was sent" in lines[0], started.stderr
    with _audit(settings) as audit:
        kinds = [r.kind for r in audit.list(limit=None)]
        plans = [r.seq for r in audit.list(kind="plan", limit=None)]
        denials = [r.payload for r in audit.list(kind="denial", limit=None)]
    assert "apply_start" not in kinds and "approval" not in kinds, kinds
    assert len(denials) == 1 and denials[0]["plan_seq"] == plans[-1], denials
    assert not _journals(settings)
    _verify_chain(settings, settled=True)


# -- Ctrl-C where the main thread is not waiting on a batch ---------------------------------------

def test_ctrl_c_after_the_approval_record_is_a_cancel(crash):
    settings, lab = crash
    child = _waiting_at(settings, "after:approval")
    try:
        child.send_signal(signal.SIGINT)
        _go(settings, "after:approval")
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert not _journals(settings), err[-2000:]
    results = _results(settings)
    assert len(results) == 1 and results[0]["interrupted"] is True, (results, err[-2000:])
    _verify_chain(settings, settled=True)


def test_second_ctrl_c_does_not_abandon_the_undo_of_a_finished_host(crash):
    """Ctrl-C between hosts cancels and undoes r1 (already verified); a second Ctrl-C while that
    undo runs must not leave r1 changed, unrecorded, with a journal behind."""
    settings, lab = crash
    child = _waiting_at(settings, "progress:precheck:r2|progress:rollback:r1", targets="r1,r2")
    try:
        assert "description crash point test" in lab.lab.running_config("r1")
        child.send_signal(signal.SIGINT)
        _go(settings, "progress:precheck:r2")
        _expect(child, "progress:rollback:r1")
        child.send_signal(signal.SIGINT)
        time.sleep(0.3)
        _go(settings, "progress:rollback:r1")
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err[-3000:]
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert lab.lab.running_config("r2") == lab.baseline["r2"]
    assert not _journals(settings)
    results = _results(settings)
    assert len(results) == 1 and results[0]["interrupted"] is True
    assert results[0]["hosts"]["r1"]["state"] == "rolled_back", results
    _verify_chain(settings)


def test_router_reboot_mid_change(crash):
    """The router restarts (from its saved config) after the change went in: the postchecks
    fail, the rollback finds it already equal to the snapshot, all on record."""
    settings, lab = crash
    child = _waiting_at(settings, "progress:postcheck:r1")
    try:
        lab.lab.restart_router("r1")
        _go(settings, "progress:postcheck:r1")
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err[-3000:]
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert not _journals(settings)
    results = _results(settings)
    assert len(results) == 1 and results[0]["hosts"]["r1"]["state"] == "rolled_back", results
    _verify_chain(settings)


# -- the journal's disk fills up mid-change -----------------------------------------------------

@pytest.fixture
def small_journal_disk(crash):
    """The journal directory on its own 256 KiB tmpfs, so a test can fill it."""
    settings, lab = crash
    d = settings.paths.home / "journal"
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(d)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield settings, lab, d
    finally:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)


def _fill(d: Path) -> None:
    fd = os.open(d / ".filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError:
        pass
    finally:
        os.close(fd)


@pytest.mark.parametrize("point", ["after:apply_start:r1", "after:apply:r1"])
def test_journal_disk_full_mid_change_still_rolls_back(small_journal_disk, point):
    """The journal cannot be written once the change is under way: the run must still roll the
    host back from its in-memory snapshot and record it, not die half-way with the host changed."""
    settings, lab, d = small_journal_disk
    child = _waiting_at(settings, point, playbook="interface-description-broken")
    try:
        _fill(d)
        _go(settings, point)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    _no_traceback(err)
    assert child.returncode == 0, err[-3000:]
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    results = _results(settings)
    assert len(results) == 1 and results[0]["hosts"]["r1"]["state"] == "rolled_back", results
    (d / ".filler").unlink()
    _verify_chain(settings, settled=True)


# -- SSH dropped mid-change ----------------------------------------------------------------------

def _ssh_listener(lab, router: str) -> tuple[int, list[str]]:
    from netops.lab.builder import LabState

    state = LabState.load(lab.lab.state_path)
    pid = state.socat_pids[router]
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    return pid, [a.decode() for a in argv]


def _drop_ssh(lab, router: str) -> list[str]:
    """Kill the router's SSH listener and every live SSH session to it; returns the listener's argv."""
    pid, argv = _ssh_listener(lab, router)
    os.kill(pid, signal.SIGKILL)
    ns = lab.lab.topology.router(router).namespace
    pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True, check=True).stdout.split()
    for p in pids:
        try:
            if Path(f"/proc/{p}/comm").read_text().strip() == "sshd":
                os.kill(int(p), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass
    return argv


def _bring_ssh_back(lab, router: str, argv: list[str]) -> None:
    import shlex

    from netops.lab.builder import LabState

    out = subprocess.run(["/bin/sh", "-c", shlex.join(argv) + " </dev/null >/dev/null 2>&1 & echo $!"],
                         capture_output=True, text=True, check=True)
    state = LabState.load(lab.lab.state_path)
    state.socat_pids[router] = int(out.stdout.strip())
    state.save(lab.lab.state_path)
    time.sleep(0.5)


@pytest.mark.parametrize("guard", [True, False])
def test_ssh_dropped_mid_change_is_restored_once_it_is_back(crash, guard):
    """The change is on r1, then its SSH goes away: the run cannot roll back. The snapshot must
    survive that, so the guard or `netops playbook recover` restores r1 once SSH is back. (The
    postcheck gets 1 s, not 5: over the dead SSH it fails either way, and retried the whole window.)"""
    settings, lab = crash
    child = _waiting_at(settings, "progress:postcheck:r1", playbook="interface-description-1s", guard=guard)
    argv = _drop_ssh(lab, "r1")
    try:
        _go(settings, "progress:postcheck:r1")  # the postchecks fail over the dead SSH, and so does the rollback
        out, err = child.communicate(timeout=120)
        assert "description crash point test" in lab.lab.running_config("r1")
        assert _journals(settings), "the only copy of r1's pre-change config was dropped"
        failed = _cli(settings, "playbook", "recover")
        _no_traceback(failed.stderr)
        assert failed.returncode != 0 and "r1" in failed.stdout + failed.stderr
    finally:
        if child.poll() is None:
            child.kill()
        _bring_ssh_back(lab, "r1", argv)
    out = _cli(settings, "playbook", "recover", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert lab.lab.running_config("r1") == lab.baseline["r1"]
    assert not _journals(settings)
    results = _results(settings)  # the run's own (rollback_failed); the recovery adds recover records
    assert len(results) == 1 and results[0]["hosts"]["r1"]["state"] == "rollback_failed", results
    with _audit(settings) as audit:
        rec = [r.payload for r in audit.list(kind="recover", limit=None)]
    assert rec[-1]["host"] == "r1" and rec[-1]["ok"] and rec[-1]["verified_equal_to_snapshot"], rec
    assert all(not r["ok"] for r in rec[:-1]) and len(rec) >= 2, rec  # the tries while SSH was down
    _verify_chain(settings)
