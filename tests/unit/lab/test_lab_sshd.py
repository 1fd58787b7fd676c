"""The forced router CLI and known_hosts handling (real bash, a recording stand-in for vtysh)."""

from __future__ import annotations

import json
import subprocess
import sys

import paramiko
import pytest

from netops.lab.sshd import (
    known_hosts_lines,
    merge_lines,
    remove_lines,
    render_cli_script,
    render_sshd_config,
)

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN9N9z9erUieWOo6c2ks+Cidibt5VHdKOSDIwS6JWT1o r1"


@pytest.fixture
def cli(tmp_path):
    """The forced-command script wired to a fake vtysh that prints its argv as JSON."""
    fake = tmp_path / "vtysh"
    fake.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    fake.chmod(0o755)
    script = tmp_path / "cli"
    script.write_text(render_cli_script(timeout=5, vtysh=str(fake)))
    script.chmod(0o755)

    def run(original: str | None) -> list[str]:
        env = {"PATH": "/usr/bin:/bin"}
        if original is not None:
            env["SSH_ORIGINAL_COMMAND"] = original
        out = subprocess.run([str(script), "/run/vty", "/run/conf"], env=env, capture_output=True,
                             text=True, timeout=10, check=True).stdout
        return json.loads(out)

    return run


def test_each_line_becomes_one_vtysh_command(cli):
    argv = cli("configure terminal\r\nrouter bgp 65001\n\n   \n neighbor 198.51.100.2 description x\nend")
    assert argv == ["--vty_socket", "/run/vty", "--config_dir", "/run/conf",
                    "-c", "configure terminal", "-c", "router bgp 65001",
                    "-c", " neighbor 198.51.100.2 description x", "-c", "end"]


def test_shell_syntax_is_passed_through_as_data(cli, tmp_path):
    marker = tmp_path / "pwned"
    text = f"show version; touch {marker} $(touch {marker}) `touch {marker}` && touch {marker} | x *"
    assert cli(text)[-2:] == ["-c", text]
    assert not marker.exists()


def test_no_command_opens_interactive_vtysh(cli):
    assert cli(None) == ["--vty_socket", "/run/vty", "--config_dir", "/run/conf"]


def test_sshd_config_forces_the_cli_and_forbids_forwarding(tmp_path):
    conf = render_sshd_config(host_key=tmp_path / "k", authorized_keys=tmp_path / "a", user="netops",
                              cli_script=tmp_path / "cli", vty_dir=tmp_path / "vty", vtysh_conf_dir=tmp_path)
    lines = set(conf.splitlines())
    assert f"ForceCommand {tmp_path / 'cli'} {tmp_path / 'vty'} {tmp_path}" in lines
    assert {"AllowUsers netops", "PermitRootLogin no", "AllowTcpForwarding no", "StrictModes no",
            "PasswordAuthentication yes", "PubkeyAuthentication yes"} <= lines
    assert not any(ln.startswith("Subsystem") for ln in lines)


def test_known_hosts_lines_parse_with_paramiko(tmp_path):
    lines = known_hosts_lines("127.0.101.1", 22, KEY, "r1.netops-lab-1")
    assert [ln.split()[0] for ln in lines] == ["127.0.101.1", "[127.0.101.1]:22"]
    path = tmp_path / "known_hosts"
    merge_lines(path, lines)
    keys = paramiko.HostKeys(str(path))
    assert keys.lookup("127.0.101.1") and keys.lookup("[127.0.101.1]:22")
    assert known_hosts_lines("127.0.101.1", 2222, KEY, "c")[0].startswith("[127.0.101.1]:2222 ")


def test_merge_replaces_stale_entries_and_remove_keeps_others(tmp_path):
    path = tmp_path / "known_hosts"
    other = "10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzZ7UhJttidWAGD+Nt2rCYEKU4LqSnFZxSCScY7I/n/"
    stale = "127.0.101.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICFYV7kxULxYXt3eHuxL5ESi7uurEm7pzy2HT00aCQu0"
    path.write_text(f"{other}\n{stale}\n")
    new = known_hosts_lines("127.0.101.1", 22, KEY, "r1")
    merge_lines(path, new)
    text = path.read_text()
    assert other in text and stale not in text and all(ln in text for ln in new)
    remove_lines(path, new)
    assert path.read_text() == other + "\n"
    remove_lines(path, [other])
    assert not path.exists()
    remove_lines(path, new)  # absent file: nothing to do


def test_socat_listens_with_nagle_off():
    from netops.lab.sshd import socat_listen_address

    addr = socat_listen_address("127.0.104.1", 22)
    assert addr.startswith("TCP-LISTEN:22,") and "bind=127.0.104.1" in addr.split(",")
    assert {"fork", "nodelay", "reuseaddr"} <= set(addr.split(","))



def test_emulated_latency_delays_exec_and_ignores_junk(tmp_path):
    """Lab.set_latency writes latency_s in the vtysh conf dir; the forced command sleeps that long."""
    import time

    fake = tmp_path / "vtysh"
    fake.write_text("#!/bin/sh\necho ok\n")
    fake.chmod(0o755)
    script = tmp_path / "cli"
    script.write_text(render_cli_script(timeout=5, vtysh=str(fake)))
    script.chmod(0o755)
    conf = tmp_path / "conf"
    conf.mkdir()
    env = {"PATH": "/usr/bin:/bin", "SSH_ORIGINAL_COMMAND": "show version"}

    def run() -> float:
        t = time.monotonic()
        out = subprocess.run([str(script), "/run/vty", str(conf)], env=env, capture_output=True, text=True,
                             timeout=10, check=True).stdout
        assert out.strip() == "ok"
        return time.monotonic() - t

    (conf / "latency_s").write_text("0.400\n")
    assert run() >= 0.4
    marker = tmp_path / "pwned"
    (conf / "latency_s").write_text(f"1; touch {marker}\n")   # not a number: ignored, never run
    assert run() < 1.0 and not marker.exists()
