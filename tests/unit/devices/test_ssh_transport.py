"""The real paramiko exec transport against a tiny loopback SSH server: faults and host keys."""

from __future__ import annotations

import time

import paramiko
import pytest

from netops.devices import hostkeys
from netops.devices.service import DeviceService
from netops.testing.sshserver import FaultSSHServer

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def server():
    with FaultSSHServer() as srv:
        yield srv


def _inventory(tmp_path, port: int, hostname: str = "127.0.0.1") -> str:
    p = tmp_path / "inv.yaml"
    p.write_text(f"""\
defaults: {{username: netops, password_env: FAULT_PW, platform: frr}}
hosts:
  dev: {{hostname: {hostname}, port: {port}}}
""")
    return str(p)


@pytest.fixture
def svc_settings(settings, tmp_path, server, monkeypatch):
    monkeypatch.setenv("FAULT_PW", "pw")
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    kh = tmp_path / "known_hosts"
    hostkeys.trust_key(kh, "127.0.0.1", server.port, server.host_key)
    ssh = settings.ssh.model_copy(update={"connect_timeout": 3.0, "max_output_bytes": 1 << 20})
    return settings.model_copy(update={"inventory": _inventory(tmp_path, server.port), "known_hosts": kh, "ssh": ssh})


def test_command_runs_and_connection_is_reused(svc_settings, server):
    with DeviceService(svc_settings) as svc:
        a = svc.run("dev", "show version")["dev"]
        b = svc.run("dev", "show ip route")["dev"]
    assert a.ok and a.output == "show version\n" and b.ok
    assert server.connections == 1


def test_sleeping_device_times_out(svc_settings):
    # 'sleep' is not a read-only command, so drive the connection below the policy layer.
    from netops.devices.ssh import ExecConnection
    from netops.errors import CommandTimeout

    with DeviceService(svc_settings) as svc:
        conn = ExecConnection.open(svc.inventory.host("dev"), svc_settings)
    try:
        t = time.monotonic()
        with pytest.raises(CommandTimeout):
            conn.run("sleep", timeout=0.5)
        assert time.monotonic() - t < 3
        assert conn.run("echo still usable", timeout=2).text == "echo still usable\n"
    finally:
        conn.close()


def test_device_closing_the_session(svc_settings):
    from netops.devices.ssh import ExecConnection
    from netops.errors import SessionClosed

    with DeviceService(svc_settings) as svc:
        conn = ExecConnection.open(svc.inventory.host("dev"), svc_settings)
    with pytest.raises(SessionClosed):
        conn.run("close", timeout=3)
    assert not conn.is_alive()


def test_ten_megabytes_are_capped(svc_settings):
    from netops.devices.ssh import ExecConnection

    with DeviceService(svc_settings) as svc:
        conn = ExecConnection.open(svc.inventory.host("dev"), svc_settings)
    try:
        t = time.monotonic()
        out = conn.run(f"big {10 * 1024 * 1024}", timeout=20)
        assert out.truncated and len(out.text) == 1 << 20
        assert time.monotonic() - t < 15
    finally:
        conn.close()


def test_wrong_password_is_auth_error(svc_settings, monkeypatch):
    monkeypatch.setenv("FAULT_PW", "wrong")
    with DeviceService(svc_settings) as svc:
        r = svc.run("dev", "show version")["dev"]
    assert r.error_type == "AuthError" and "authentication failed" in r.error


def test_unknown_host_key_names_fingerprint_and_trust(svc_settings, server, tmp_path):
    s = svc_settings.model_copy(update={"known_hosts": tmp_path / "empty_known_hosts"})
    with DeviceService(s) as svc:
        r = svc.check("dev")["dev"]
    assert r.error_type == "HostKeyError" and server.host_key.fingerprint in r.error
    assert r.data.reachable and r.data.host_key_known is False


def test_changed_host_key_says_so_with_both_fingerprints(svc_settings, server, tmp_path):
    other = paramiko.ECDSAKey.generate()
    kh = tmp_path / "changed_known_hosts"
    hostkeys.trust_key(kh, "127.0.0.1", server.port, other)
    s = svc_settings.model_copy(update={"known_hosts": kh})
    with DeviceService(s) as svc:
        r = svc.run("dev", "show version")["dev"]
    assert r.error_type == "HostKeyError" and "CHANGED" in r.error
    assert other.fingerprint in r.error and server.host_key.fingerprint in r.error


def test_fetch_and_trust_records_the_key(server, tmp_path):
    key = hostkeys.fetch_host_key("127.0.0.1", server.port, timeout=3)
    assert key.fingerprint == server.host_key.fingerprint
    kh = tmp_path / "kh"
    hostkeys.trust_key(kh, "127.0.0.1", server.port, key)
    assert f"[127.0.0.1]:{server.port}" in kh.read_text()
    assert hostkeys.known_keys(kh, "127.0.0.1", server.port)[key.get_name()].asbytes() == key.asbytes()


def test_refused_port_and_unknown_host(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("FAULT_PW", "pw")
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed_port = s.getsockname()[1]
    s.close()
    for hostname, port in (("127.0.0.1", closed_port), ("no-such-host.invalid", 22)):
        st = settings.model_copy(update={"inventory": _inventory(tmp_path, port, hostname)})
        with DeviceService(st) as svc:
            r = svc.run("dev", "show version")["dev"]
        assert r.error_type == "ConnectError", r


def test_socket_has_nagle_off(svc_settings):
    # SSH is small request/response messages: with Nagle on, each one that follows an
    # unacknowledged write waits for the peer's delayed ACK (measured: ~130 ms per session).
    import socket

    from netops.devices.ssh import ExecConnection

    with DeviceService(svc_settings) as svc:
        conn = ExecConnection.open(svc.inventory.host("dev"), svc_settings)
    try:
        sock = conn._client.get_transport().sock
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        assert conn.run("echo ok", timeout=3).text == "echo ok\n"
    finally:
        conn.close()



def test_refused_and_unknown_host_messages(settings, tmp_path):
    import socket

    from netops.devices.inventory import load_inventory
    from netops.devices.ssh import open_socket
    from netops.errors import ConnectError

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed_port = s.getsockname()[1]
    s.close()
    inv = load_inventory(_inventory(tmp_path, closed_port))
    with pytest.raises(ConnectError, match="connection refused"):
        open_socket(inv.host("dev"), 2.0)
    inv = load_inventory(_inventory(tmp_path, 22, "no-such-host.invalid"))
    with pytest.raises(ConnectError, match="unknown host"):
        open_socket(inv.host("dev"), 2.0)


def _changed_key_env(svc_settings, server, tmp_path, monkeypatch):
    kh = tmp_path / "changed_known_hosts"
    hostkeys.trust_key(kh, "127.0.0.1", server.port, paramiko.ECDSAKey.generate())
    monkeypatch.setenv("NETOPS_INVENTORY", str(svc_settings.inventory))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(kh))
    return kh


def test_a_failed_host_result_carries_the_fix(svc_settings, server, tmp_path):
    """The error's hint (what to do about a changed key) is part of the host's result, so a
    surface can say how to fix it, not only what broke."""
    kh = tmp_path / "changed_known_hosts"
    hostkeys.trust_key(kh, "127.0.0.1", server.port, paramiko.ECDSAKey.generate())
    with DeviceService(svc_settings.model_copy(update={"known_hosts": kh})) as svc:
        r = svc.get("dev", "facts")["dev"]
    assert r.error_type == "HostKeyError" and str(kh) in (r.hint or "") and "netops devices trust dev" in r.hint
    assert r.to_dict()["hint"] == r.hint


@pytest.mark.parametrize("argv", [("state", "dev", "facts"), ("show", "dev", "show version")])
def test_changed_key_piped_output_is_whole_and_says_how_to_fix(svc_settings, server, tmp_path, monkeypatch,
                                                               capsys, argv):
    """`netops state dev facts | tee log`: the error was cropped at 80 columns inside a panel
    ('... (possible man-in-the-midd') and the fix was nowhere; now every word and the hint."""
    from netops.cli.main import main

    _changed_key_env(svc_settings, server, tmp_path, monkeypatch)
    code = main(list(argv))
    out, err = capsys.readouterr()
    shown = " ".join((out + err).split())
    assert code != 0
    assert "(possible man-in-the-middle): recorded" in shown and server.host_key.fingerprint in shown, shown
    assert "netops devices trust dev" in shown, shown


def _corrupt(kh) -> bytes:
    with open(kh, "ab") as fh:
        fh.write(b"\xff\n")  # what `printf '\xff\n' >> known_hosts` leaves
    return kh.read_bytes()


def test_corrupt_known_hosts_is_a_config_error_naming_file_and_line(svc_settings, server):
    from netops.errors import ConfigError

    kh = svc_settings.paths.known_hosts
    _corrupt(kh)
    with pytest.raises(ConfigError) as info:
        hostkeys.load_known_hosts(kh)
    assert f"{kh} line 2" in info.value.message and "\n" not in info.value.message
    assert "netops devices trust" in info.value.hint
    # the service says so once, before any host is tried (not one failed result per host)
    with DeviceService(svc_settings) as svc, pytest.raises(ConfigError, match="line 2"):
        svc.run("dev", "show version")
    assert server.connections == 0


@pytest.mark.parametrize("argv", [("show", "dev", "show version"), ("devices", "check", "dev"), ("state", "dev", "facts")])
def test_corrupt_known_hosts_cli_exit_2_one_line_and_hint(svc_settings, server, monkeypatch, capsys, argv):
    """`printf '\\xff\\n' >> known_hosts; netops show r1 ...` exited 1 with a bare UTF-8 decode
    error; a broken known_hosts is configuration: exit 2, the file and line, how to re-trust."""
    from netops.cli.main import main

    kh = svc_settings.paths.known_hosts
    before = _corrupt(kh)
    monkeypatch.setenv("NETOPS_INVENTORY", str(svc_settings.inventory))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(kh))
    code = main(list(argv))
    out, err = capsys.readouterr()
    errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert code == 2, (out, err)
    assert len(errors) == 1 and f"{kh} line 2" in errors[0] and "codec" not in err, err
    assert any(ln.startswith("hint:") and "netops devices trust" in ln for ln in err.splitlines()), err
    assert kh.read_bytes() == before  # nothing trusted or rewritten behind the person's back
