"""Thin, typed wrappers over the host tools the lab drives (ip, useradd, kill, ...).

Commands are always argument lists, never shell strings. Failures become :class:`LabError`
with the tool's own one-line complaint.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from netops.errors import LabError

FRR_DIR = Path("/usr/lib/frr")
DAEMONS = ("zebra", "staticd", "ospfd", "bgpd")

# tool -> Debian package that provides it
REQUIRED_TOOLS = {
    "ip": "iproute2",
    "unshare": "util-linux",
    "vtysh": "frr",
    "sshd": "openssh-server",
    "ssh-keygen": "openssh-client",
    "socat": "socat",
    "useradd": "passwd",
    "userdel": "passwd",
    "chpasswd": "passwd",
    "timeout": "coreutils",
}


def which(tool: str) -> str | None:
    found = shutil.which(tool)
    if found:
        return found
    for d in ("/usr/sbin", "/sbin", "/usr/bin", "/bin"):
        p = Path(d) / tool
        if p.exists():
            return str(p)
    return None


def missing_packages() -> list[str]:
    """Debian packages the lab needs that are not installed (empty when all are there)."""
    missing = {pkg for tool, pkg in REQUIRED_TOOLS.items() if which(tool) is None}
    if any(not (FRR_DIR / d).exists() for d in DAEMONS):
        missing.add("frr")
    return sorted(missing)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class LabPrerequisiteError(LabError):
    """Not root, or a package the lab needs is missing (checked before anything changes)."""

    exit_code = 2


def preflight() -> None:
    """Refuse early (before anything changes) when not root or packages are missing."""
    if not is_root():
        raise LabPrerequisiteError("the lab needs root (network namespaces, users, port 22 on loopback)",
                       hint="run it as root, e.g. sudo netops lab up")
    missing = missing_packages()
    if missing:
        raise LabPrerequisiteError("missing packages for the lab: " + ", ".join(missing),
                       hint="apt-get install " + " ".join(missing))


def run(args: list[str], *, check: bool = True, timeout: float = 30.0,
        input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command (argument list, no shell); raise LabError on failure when ``check``."""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, input=input,
                              stdin=None if input is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"{args[0]} did not finish within {timeout:g} s: {' '.join(args)}") from exc
    except OSError as exc:
        raise LabError(f"cannot run {args[0]}: {exc}") from exc
    if check and proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise LabError(f"{' '.join(args[:4])} failed: {msg[-1] if msg else 'exit ' + str(proc.returncode)}")
    return proc


# Namespaces ------------------------------------------------------------------------------

def netns_list() -> set[str]:
    out = run(["ip", "netns", "list"], check=False).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def netns_pids(ns: str) -> list[int]:
    out = run(["ip", "netns", "pids", ns], check=False).stdout
    return [int(x) for x in out.split() if x.isdigit()]


# Processes -------------------------------------------------------------------------------

def pid_alive(pid: int | None) -> bool:
    """True when ``pid`` runs and is not a zombie."""
    if not pid or pid <= 0:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # the state letter follows the parenthesised command name
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def read_pidfile(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def proc_cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [a.decode(errors="replace") for a in raw.split(b"\0") if a]


def terminate(pids: list[int], *, grace: float = 2.0) -> None:
    """SIGTERM the live ``pids``, wait up to ``grace`` s, then SIGKILL what is left."""
    live = [p for p in pids if pid_alive(p)]
    for p in live:
        _signal(p, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while live and time.monotonic() < deadline:
        _reap(live)
        live = [p for p in live if pid_alive(p)]
        if live:
            time.sleep(0.05)
    for p in live:
        _signal(p, signal.SIGKILL)
    _reap(pids)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(pids: list[int]) -> None:
    for p in pids:
        try:
            os.waitpid(p, os.WNOHANG)
        except ChildProcessError:
            pass


def pids_matching(needle: str) -> list[int]:
    """Pids whose command line contains ``needle`` (used to find our own socat listeners)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            if needle in " ".join(proc_cmdline(int(entry.name))):
                found.append(int(entry.name))
    return found


# Users -----------------------------------------------------------------------------------

def user_comment(name: str) -> str | None:
    """The GECOS field of local user ``name`` or None when there is no such user."""
    import pwd

    try:
        return pwd.getpwnam(name).pw_gecos
    except KeyError:
        return None


# SSH -------------------------------------------------------------------------------------

def ssh_banner(host: str, port: int, timeout: float = 2.0) -> str | None:
    """The SSH identification line the endpoint sends, or None when unreachable."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            data = b""
            while b"\n" not in data and len(data) < 256:
                chunk = s.recv(256)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    line = data.split(b"\n", 1)[0].strip().decode(errors="replace")
    return line if line.startswith("SSH-") else None


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0
