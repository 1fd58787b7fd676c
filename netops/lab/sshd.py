"""Real OpenSSH in front of each router: sshd config, the forced router CLI, known_hosts.

One ``socat`` per router listens on the router's loopback address and, per connection, runs
``sshd -i`` inside the router's network namespace (and a UTS namespace carrying the router's
hostname). sshd forces every session into :data:`CLI_SCRIPT`:

* an exec request carries router CLI text, not a shell command: each non-blank line becomes
  one ``vtysh -c`` argument, all in one ``vtysh`` run (so ``configure terminal`` and the lines
  after it share one session), bounded by ``timeout``;
* no command (an interactive shell request) opens interactive ``vtysh``.

The command text is never interpreted by a shell: bash only reads it as data.

Per-connection cost (measured, see bench/README.md "Devices"): socat's TCP socket has Nagle's
algorithm off (:func:`socat_listen_address`), otherwise each small SSH reply waits for the
client's delayed ACK (40 ms, several times per session). The session's vtysh still runs FRR's
PAM step (~20 ms per command): ``username USER nopassword`` in vtysh.conf would skip it, but
vtysh prints that line in ``show running-config``, so the device's configuration as netops sees
it would no longer match the router's (playbook diffs and restores then go wrong).
"""

from __future__ import annotations

from pathlib import Path

CLI_SCRIPT = r"""#!/bin/bash
# netops lab: the only thing an SSH session may run. $1 is the router's vty socket dir,
# $2 a directory with a vtysh.conf the login user can read.
# The exec request is router CLI text: one vtysh -c per non-blank line, never a shell.
set -u
# interactive `terminal paginate` would otherwise hand output to a pager with shell escapes
export VTYSH_PAGER=/bin/cat LESSSECURE=1
vty="$1"
conf="$2"
if [ -z "${SSH_ORIGINAL_COMMAND:-}" ]; then
    exec __VTYSH__ --vty_socket "$vty" --config_dir "$conf"
fi
# Emulated device latency (benchmarks only; see Lab.set_latency): real routers take hundreds
# of milliseconds to answer a show command, which is what fan-out hides.
if [ -r "$conf/latency_s" ]; then
    read -r delay < "$conf/latency_s" && [[ "$delay" =~ ^[0-9]+(\.[0-9]+)?$ ]] && /bin/sleep "$delay"
fi
args=()
while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [ -z "${line//[[:space:]]/}" ] && continue
    args+=(-c "$line")
done <<< "$SSH_ORIGINAL_COMMAND"
exec /usr/bin/timeout -k 2 __TIMEOUT__ __VTYSH__ --vty_socket "$vty" --config_dir "$conf" "${args[@]}"
"""

COMMAND_TIMEOUT = 60
"""Seconds one exec request may run inside the router before it is killed."""


def render_cli_script(timeout: int = COMMAND_TIMEOUT, vtysh: str = "/usr/bin/vtysh") -> str:
    """The forced command; ``vtysh`` is replaceable so tests can observe the argument list."""
    return CLI_SCRIPT.replace("__TIMEOUT__", str(int(timeout))).replace("__VTYSH__", vtysh)


def socat_listen_address(host: str, port: int) -> str:
    """socat's listening address for one router's sshd: one process per connection, and
    ``nodelay`` because socat, not sshd, owns the TCP socket (sshd sets TCP_NODELAY itself only
    on sockets it accepted)."""
    return f"TCP-LISTEN:{port},bind={host},reuseaddr,fork,nodelay"


def render_sshd_config(*, host_key: Path, authorized_keys: Path, user: str, cli_script: Path,
                       vty_dir: Path, vtysh_conf_dir: Path) -> str:
    """A locked-down sshd_config: key + password auth for one user, forced router CLI."""
    return "\n".join([
        f"HostKey {host_key}",
        "StrictModes no",
        "UsePAM no",
        "PubkeyAuthentication yes",
        "PasswordAuthentication yes",
        "KbdInteractiveAuthentication no",
        "PermitEmptyPasswords no",
        "PermitRootLogin no",
        f"AllowUsers {user}",
        f"AuthorizedKeysFile {authorized_keys}",
        f"ForceCommand {cli_script} {vty_dir} {vtysh_conf_dir}",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "AllowStreamLocalForwarding no",
        "X11Forwarding no",
        "PermitTunnel no",
        "PermitUserEnvironment no",
        "PrintMotd no",
        "PrintLastLog no",
        "UseDNS no",
        "LoginGraceTime 20",
        "MaxAuthTries 4",
        "PidFile none",
        "LogLevel INFO",
        "",
    ])


def render_launcher(*, namespace: str, hostname: str, sshd_config: Path) -> str:
    """What socat runs per connection: sshd -i inside the router's namespaces."""
    return "\n".join([
        "#!/bin/sh",
        f"exec /usr/sbin/ip netns exec {namespace} /usr/bin/unshare --uts /bin/sh -c "
        f"'hostname {hostname} && exec /usr/sbin/sshd -i -e -f {sshd_config}'",
        "",
    ])


def known_hosts_lines(host: str, port: int, public_key_line: str, comment: str) -> list[str]:
    """known_hosts lines for one endpoint: the plain form (what OpenSSH and paramiko look up
    for port 22) and the bracketed ``[host]:port`` form (for clients that always use it)."""
    keytype, b64 = public_key_line.split()[:2]
    names = [host] if port == 22 else []
    names.append(f"[{host}]:{port}")
    return [f"{name} {keytype} {b64} {comment}" for name in names]


def merge_lines(path: Path, lines: list[str]) -> None:
    """Append ``lines`` to a known_hosts file, replacing older entries for the same hosts."""
    hosts = {line.split()[0] for line in lines}
    kept = [ln for ln in _read(path) if not ln.strip() or ln.split()[0] not in hosts]
    _write(path, kept + lines)


def remove_lines(path: Path, lines: list[str]) -> None:
    """Remove exactly these entries (host + key) from a known_hosts file, if present."""
    drop = {tuple(line.split()[:3]) for line in lines}
    existing = _read(path)
    kept = [ln for ln in existing if tuple(ln.split()[:3]) not in drop]
    if len(kept) != len(existing):
        if any(ln.strip() for ln in kept):
            _write(path, kept)
        else:  # nothing but our lines was in it
            path.unlink(missing_ok=True)


def _read(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
    tmp.replace(path)
