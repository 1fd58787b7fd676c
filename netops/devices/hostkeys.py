"""Strict SSH host-key checking against netops' own known_hosts (``settings.paths.known_hosts``).

An unknown key is refused with its SHA256 fingerprint and the command that trusts it; a key
that differs from the recorded one is refused as *changed* (possibly a man-in-the-middle) with
both fingerprints. ``netops devices trust HOST`` fetches a key without authenticating
(:func:`fetch_host_key`), shows the fingerprint, and records it (:func:`trust_key`).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops.errors import ConfigError, ConnectError, HostKeyError

if TYPE_CHECKING:
    import paramiko


def known_hosts_name(hostname: str, port: int) -> str:
    """How OpenSSH and paramiko name an endpoint in known_hosts."""
    return hostname if port == 22 else f"[{hostname}]:{port}"


def fingerprint(key: "paramiko.PKey") -> str:
    """OpenSSH-style ``SHA256:...`` fingerprint."""
    return key.fingerprint


def check_known_hosts(path: Path) -> None:
    """Raise :class:`ConfigError` if ``path`` exists but cannot be read as known_hosts text.

    A byte that is not UTF-8 (``printf '\\xff' >> known_hosts``) made paramiko raise a bare
    decode error for every host. The file is configuration: the error names it and the line,
    and says how to re-trust. It is never skipped: no key is accepted without it.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ConfigError(f"cannot read known_hosts {path}: {exc.strerror or exc}",
                          hint="check the file's permissions (host keys are checked strictly)") from exc
    for number, line in enumerate(data.splitlines(), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"known_hosts {path} line {number} is not text (byte 0x{line[exc.start]:02x} is not UTF-8)",
                hint=f"delete line {number} of that file, then re-trust the device it was for: "
                     f"netops devices trust HOST") from exc


def load_known_hosts(path: Path) -> "paramiko.HostKeys":
    """The keys recorded in ``path`` (none if it does not exist); see :func:`check_known_hosts`."""
    from netops.devices._paramiko import paramiko

    keys = paramiko.HostKeys()
    check_known_hosts(path)
    if path.exists():
        try:
            keys.load(str(path))
        except (OSError, paramiko.SSHException, ValueError) as exc:
            raise HostKeyError(f"cannot read known_hosts {path}: {exc}",
                               hint="fix or remove the broken line") from exc
    return keys


def known_keys(path: Path, hostname: str, port: int) -> dict[str, "paramiko.PKey"]:
    """Recorded keys for an endpoint, by key type."""
    entry = load_known_hosts(path).lookup(known_hosts_name(hostname, port))
    return dict(entry) if entry else {}


def unknown_key_error(name: str, key: "paramiko.PKey", host_label: str) -> HostKeyError:
    return HostKeyError(
        f"{host_label}: host key for {name} is not known ({key.get_name()} {fingerprint(key)})",
        hint=f"verify the fingerprint out of band, then run: netops devices trust {host_label}",
    )


def changed_key_error(name: str, got: "paramiko.PKey", expected: "paramiko.PKey", host_label: str,
                      known_hosts: Path) -> HostKeyError:
    return HostKeyError(
        f"{host_label}: HOST KEY CHANGED for {name} (possible man-in-the-middle): "
        f"recorded {expected.get_name()} {fingerprint(expected)}, "
        f"offered {got.get_name()} {fingerprint(got)}",
        hint=f"if the device was really re-keyed, remove its line from {known_hosts} and run "
             f"'netops devices trust {host_label}'",
    )


def strict_policy(host_label: str) -> Any:
    """A paramiko RejectPolicy that raises :class:`HostKeyError` with the offered fingerprint."""
    from netops.devices._paramiko import paramiko

    class StrictRejectPolicy(paramiko.RejectPolicy):
        def missing_host_key(self, client: Any, hostname: str, key: "paramiko.PKey") -> None:
            raise unknown_key_error(hostname, key, host_label)

    return StrictRejectPolicy()


def fetch_host_key(hostname: str, port: int, *, timeout: float, legacy: bool = False) -> "paramiko.PKey":
    """The host key a server offers (key exchange only; no authentication is attempted)."""
    from netops.devices._paramiko import paramiko

    try:
        sock = socket.create_connection((hostname, port), timeout=timeout)
    except OSError as exc:
        raise ConnectError(f"cannot connect to {hostname}:{port}: {exc.strerror or exc}",
                           hint="check the address/port and that sshd is running") from exc
    transport_cls = legacy_transport_class() if legacy else paramiko.Transport
    transport = transport_cls(sock)
    try:
        transport.banner_timeout = timeout
        transport.start_client(timeout=timeout)
        return transport.get_remote_server_key()
    except (paramiko.SSHException, OSError, EOFError) as exc:
        raise ConnectError(f"SSH handshake with {hostname}:{port} failed: {exc}",
                           hint="is it an SSH server? old devices may need ssh.allow_legacy_algorithms") from exc
    finally:
        transport.close()
        sock.close()


def trust_key(path: Path, hostname: str, port: int, key: "paramiko.PKey") -> None:
    """Record ``key`` for the endpoint (replacing older keys of that endpoint), atomically."""
    name = known_hosts_name(hostname, port)
    keys = load_known_hosts(path)
    if name in keys:
        del keys[name]
    keys.add(name, key.get_name(), key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    keys.save(str(tmp))
    tmp.replace(path)


def legacy_transport_class() -> type:
    """A paramiko Transport that also offers SHA-1 key exchange and ``ssh-rsa`` host keys.

    paramiko 5 dropped both because SHA-1 is broken for signatures (chosen-prefix collisions,
    "SHA-1 is a Shambles", 2020): a network attacker who can forge SHA-1 signatures could
    impersonate the device. Old routers often offer nothing else. We re-add them only when
    ``settings.ssh.allow_legacy_algorithms`` is set, and *after* every modern algorithm, so a
    modern device still negotiates modern ones. Host-key checking stays strict either way.
    """
    from hashlib import sha1

    from netops.devices._paramiko import paramiko
    from paramiko.kex_gex import KexGexSHA256
    from paramiko.kex_group14 import KexGroup14SHA256

    global _LEGACY
    if _LEGACY is not None:
        return _LEGACY

    class KexGroup14SHA1(KexGroup14SHA256):
        name = "diffie-hellman-group14-sha1"
        hash_algo = sha1

    class KexGexSHA1(KexGexSHA256):
        name = "diffie-hellman-group-exchange-sha1"
        hash_algo = sha1

    class LegacyRSAKey(paramiko.RSAKey):
        HASHES = {**paramiko.RSAKey.HASHES, "ssh-rsa": __import__(
            "cryptography.hazmat.primitives.hashes", fromlist=["SHA1"]).SHA1}

    class LegacyTransport(paramiko.Transport):
        _preferred_kex = paramiko.Transport._preferred_kex + (KexGroup14SHA1.name, KexGexSHA1.name)
        _preferred_keys = paramiko.Transport._preferred_keys + ("ssh-rsa",)
        _kex_info = {**paramiko.Transport._kex_info, KexGroup14SHA1.name: KexGroup14SHA1,
                     KexGexSHA1.name: KexGexSHA1}
        _key_info = {**paramiko.Transport._key_info, "ssh-rsa": LegacyRSAKey}

    _LEGACY = LegacyTransport
    return LegacyTransport


_LEGACY: type | None = None
