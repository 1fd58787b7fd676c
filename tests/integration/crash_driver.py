"""Run one real change against the lab and crash it at a named point (a child process of a test).

    python -m tests.integration.crash_driver SURFACE POINT ACTION [ARGS...]

SURFACE ``cli``: ``netops playbook run ARGS --yes`` through the CLI's own ``main``; ``cmd``: any
``netops ARGS`` (``playbook recover``, a second start) with the same crash points; ``api``: a
library :class:`~netops.session.Session` asked ``ARGS[0]`` (the words, as ``ask`` and the chat
do) with an approver that says yes; the model is the scripted Ollama server at ``NETOPS_OLLAMA_URL``.

POINT (where the crash happens; the n-th occurrence with ``@n``):

* ``audit:KIND``        right after the audit record KIND is committed (``approval``, ``snapshot``,
                        ``guard``, ``apply``, ``rollback``, ``result``...)
* ``commit:KIND``       inside the audit write of KIND: inserted, not committed
* ``head:KIND``         after KIND is committed, before the head file beside the log follows
* ``push:N:K``          during the N-th configuration push: its first K lines reach the device
* ``verify``            during the postchecks: after the first device read that follows the push
* ``journal:STATE``     right after the journal records a host in STATE (``closing`` for the close)

ACTION: ``kill`` (SIGKILL this process; the router-side guards live on), ``powercut`` (SIGKILL the
guards this run started, then this process), ``drop`` (kill the sshd serving this run's SSH
sessions on the router whose launcher is ``CRASH_SSH_LAUNCH``; the run goes on), ``pause``
(write ``CRASH_PAUSE_FILE`` and sleep until it is removed; the owner stays alive).

Nothing else is changed: the real runner, journal, audit log, SSH and FRR do the work.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

GUARDS: list[int] = []
_seen: dict[str, int] = {}
_state = threading.local()


def _match(point: str, event: str) -> bool:
    """Count ``event``; true when it is the occurrence ``point`` names."""
    base, _, nth = point.partition("@")
    if base != event:
        return False
    _seen[event] = _seen.get(event, 0) + 1
    return _seen[event] == int(nth or 1)


def _sshd_children(launch: str) -> list[int]:
    listeners = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            args = (d / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(launch.encode() in a for a in args) and args[0].endswith(b"socat"):
            listeners.append(d.name)
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = (d / "stat").read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
        if ppid in listeners:
            out.append(int(d.name))
    return out


def crash(action: str) -> None:
    if action == "drop":
        for pid in _sshd_children(os.environ["CRASH_SSH_LAUNCH"]):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
        return
    if action == "pause":
        flag = Path(os.environ["CRASH_PAUSE_FILE"])
        flag.write_text(str(os.getpid()))
        while flag.exists():
            time.sleep(0.05)
        return
    if action == "powercut":
        for pid in GUARDS:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def install(point: str, action: str) -> None:
    from netops.devices.service import DeviceService
    from netops.playbook import guard, journal
    from netops.store import audit, auditkey as anchor

    kind_of = point.split(":", 1)[0]

    spawn = guard.spawn_guard

    def spawn_guard(*a, **kw):
        pid = spawn(*a, **kw)
        GUARDS.append(pid)
        return pid

    guard.spawn_guard = spawn_guard

    append = audit.AuditLog.append

    def audit_append(self, kind, payload=None, *, actor):
        _state.kind = kind
        try:
            rec = append(self, kind, payload, actor=actor)
        finally:
            _state.kind = None
        if kind_of == "audit" and _match(point, f"audit:{kind}"):
            crash(action)
        if kind == "apply":
            _state.applied = True
        return rec

    audit.AuditLog.append = audit_append

    if kind_of == "commit":
        conn_prop = audit.AuditLog.conn

        class Conn:
            def __init__(self, real):
                self._real = real

            def execute(self, sql, *args):
                if sql == "COMMIT" and _match(point, f"commit:{getattr(_state, 'kind', None)}"):
                    crash(action)
                return self._real.execute(sql, *args)

            def __getattr__(self, name):
                return getattr(self._real, name)

        audit.AuditLog.conn = property(lambda self: Conn(conn_prop.fget(self)))

    if kind_of == "head":
        advance = anchor.LocalHead.advance

        def head_advance(self, *a, **kw):
            if _match(point, f"head:{getattr(_state, 'kind', None)}"):
                crash(action)
            return advance(self, *a, **kw)

        anchor.LocalHead.advance = head_advance

    configure = DeviceService.configure
    pushes = [0]

    def device_configure(self, host, lines, **kw):
        pushes[0] += 1
        if kind_of == "push":
            _, n, k = point.split(":")
            if pushes[0] == int(n):
                configure(self, host, list(lines)[: int(k)], **kw)
                crash(action)
        return configure(self, host, lines, **kw)

    DeviceService.configure = device_configure

    send = DeviceService._send

    def device_send(self, host, command, timeout, **kw):
        out = send(self, host, command, timeout, **kw)
        if kind_of == "verify" and getattr(_state, "applied", False) and _match(point, "verify"):
            crash(action)
        return out

    DeviceService._send = device_send

    stage = journal.Journal.stage
    closing = journal.Journal.closing

    def journal_stage(self, host, state, **extra):
        stage(self, host, state, **extra)
        if kind_of == "journal" and _match(point, f"journal:{state}"):
            crash(action)

    def journal_closing(self):
        closing(self)
        if kind_of == "journal" and _match(point, "journal:closing"):
            crash(action)

    journal.Journal.stage = journal_stage
    journal.Journal.closing = journal_closing


def main(argv: list[str]) -> int:
    surface, point, action, *rest = argv
    install(point, action)
    if surface == "cli":
        from netops.cli.main import main as cli_main

        return cli_main(["playbook", "run", *rest, "--yes"])
    if surface == "cmd":
        from netops.cli.main import main as cli_main

        return cli_main(rest)
    from netops.playbook.approval import AllowAll
    from netops.session import Session
    from netops.settings import Settings

    with Session(Settings(), actor="alice", surface="ask") as session:
        answer = session.assistant(approver=AllowAll(by="alice")).ask(rest[0])
    print(answer.text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
