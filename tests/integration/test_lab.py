"""The real FRR lab end to end: convergence, real OpenSSH and paramiko, a link fault, teardown."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.integration.conftest import _untouched, restore

pytestmark = pytest.mark.lab


def test_lab_converges_with_bgp_and_ospf_on_every_router(lab):
    the_lab = lab.lab
    for r in lab.info.routers:
        bgp = the_lab.bgp_peers(r.name)
        ospf = the_lab.ospf_neighbors(r.name)
        assert set(bgp) == {link.peer_address for link in r.links}
        assert set(bgp.values()) == {"Established"}
        assert len(ospf) == 2 and set(ospf.values()) == {"Full"}
    # r3's extra prefix reaches r1 over eBGP: sessions are up (above), but after an earlier test
    # restarted a router its UPDATE can arrive a moment later on a loaded machine (CI: KeyError)
    deadline = time.monotonic() + 20
    while True:
        routes = json.loads(the_lab.vtysh("r1", "show ip route 203.0.113.128/25 json"))
        if "203.0.113.128/25" in routes or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert routes["203.0.113.128/25"][0]["protocol"] == "bgp"


def test_lab_files_inventory_and_known_hosts(lab):
    import yaml

    info = lab.info
    inv = yaml.safe_load(info.inventory_path.read_text())
    assert set(inv["hosts"]) == {"r1", "r2", "r3"}
    r1 = inv["hosts"]["r1"]
    assert r1["hostname"] == info.router("r1").ssh_host and r1["platform"] == "frr" and r1["data"]["asn"] == 65001
    assert inv["defaults"]["ssh_key_file"] == str(info.key_file)
    assert info.password.get_secret_value() not in info.inventory_path.read_text()
    assert oct(info.password_file.stat().st_mode & 0o777) == "0o600"
    merged = lab.lab.settings.paths.known_hosts.read_text()
    for line in info.known_hosts_path.read_text().splitlines():
        assert line in merged


def _ssh(lab, router, command: str) -> subprocess.CompletedProcess[str]:
    info = lab.info
    r = info.router(router)
    return subprocess.run(
        ["ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
         "-o", f"UserKnownHostsFile={info.known_hosts_path}", "-o", "ConnectTimeout=5",
         "-i", str(info.key_file), "-p", str(r.ssh_port), f"{info.username}@{r.ssh_host}", command],
        capture_output=True, text=True, timeout=30,
    )


def test_openssh_client_runs_router_cli(lab):
    proc = _ssh(lab, "r1", "show version")
    assert proc.returncode == 0, proc.stderr
    assert "FRRouting" in proc.stdout and "(r1)" in proc.stdout
    assert proc.stderr == ""


def test_exec_text_is_router_cli_never_a_shell(lab, tmp_path):
    marker = tmp_path / "pwned"
    for attempt in (f"show version; touch {marker}", f"$(touch {marker})", f"`touch {marker}`",
                    f"show version && touch {marker}", "start-shell"):
        proc = _ssh(lab, "r2", attempt)
        assert proc.returncode != 0
        assert "Unknown command" in proc.stdout
    assert not marker.exists()


def _paramiko_run(lab, router: str, command: str, **auth) -> tuple[int, str]:
    import paramiko

    r = lab.info.router(router)
    client = paramiko.SSHClient()
    client.load_host_keys(str(lab.settings.known_hosts))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    try:
        client.connect(r.ssh_host, r.ssh_port, username=lab.info.username, allow_agent=False,
                       look_for_keys=False, timeout=5, **auth)
        _, out, _ = client.exec_command(command, timeout=20)
        text = out.read().decode()
        return out.channel.recv_exit_status(), text
    finally:
        client.close()


def test_paramiko_with_reject_policy_key_and_password(lab):
    rc, out = _paramiko_run(lab, "r2", "show bgp summary json", key_filename=str(lab.info.key_file))
    assert rc == 0
    assert set(json.loads(out)["ipv4Unicast"]["peers"]) == {"198.51.100.1", "198.51.100.6"}
    rc, out = _paramiko_run(lab, "r3", "show interface description",
                            password=lab.info.password.get_secret_value())
    assert rc == 0 and "link to r1 (198.51.100.8/30)" in out


def test_paramiko_rejects_an_unknown_host_key(lab, tmp_path):
    import paramiko

    client = paramiko.SSHClient()
    client.load_host_keys(os.devnull)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    r = lab.info.router("r1")
    with pytest.raises(paramiko.SSHException):
        client.connect(r.ssh_host, r.ssh_port, username=lab.info.username,
                       key_filename=str(lab.info.key_file), allow_agent=False, look_for_keys=False, timeout=5)
    client.close()


def test_multiline_config_over_ssh_then_restore(lab_clean):
    lab = lab_clean
    proc = _ssh(lab, "r3", "configure terminal\nrouter bgp 65003\n"
                           " neighbor 198.51.100.9 description changed-over-ssh\nend")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "description changed-over-ssh" in lab.lab.vtysh("r3", "show running-config")
    restore(lab)
    assert lab.lab.running_config("r3") == lab.baseline["r3"]
    assert lab.lab.status().healthy


def test_restore_tells_an_untouched_lab_from_a_changed_one_without_vtysh(lab_clean):
    """``restore`` reads the daemons over their vty sockets first (no vtysh started): a lab a test
    left as it found it is passed at once; any daemon's config changed, or a BGP session not
    Established, and the vtysh path restores it as before."""
    lab = lab_clean
    assert _untouched(lab)
    lab.lab.vtysh("r2", "configure terminal", "interface eth-r1", "description touched-by-a-test")
    assert not _untouched(lab)
    restore(lab)
    assert lab.lab.running_config("r2") == lab.baseline["r2"] and _untouched(lab)
    lab.lab.vtysh("r1", "configure terminal", "router bgp 65001", "neighbor 198.51.100.2 shutdown")
    _wait(lambda: lab.lab.bgp_peers("r1").get("198.51.100.2") != "Established", 5)
    assert not _untouched(lab)
    restore(lab)
    assert lab.lab.running_config("r1") == lab.baseline["r1"] and _untouched(lab)
    assert lab.lab.bgp_peers("r1").get("198.51.100.2") == "Established"


def _wait(pred, timeout: float) -> float:
    start = time.monotonic()
    while not pred():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.1)
    return time.monotonic() - start


def test_link_fault_drops_neighbours_and_reroutes_then_recovers(lab_clean):
    lab = lab_clean.lab
    lab.set_link("r1", "r2", False)
    # carrier loss on the veth: OSPF (dead 4 s) and BGP (hold 9 s) must notice within their timers
    ospf_s = _wait(lambda: lab.ospf_neighbors("r1").get("203.0.113.2") != "Full", 4 + 1)
    bgp_s = _wait(lambda: lab.bgp_peers("r1").get("198.51.100.2") != "Established", 9 + 1)
    assert lab.ospf_neighbors("r1").get("203.0.113.3") == "Full"

    def via_r3() -> bool:
        routes = json.loads(lab.vtysh("r1", "show ip route 203.0.113.2/32 json")).get("203.0.113.2/32", [])
        hops = [h.get("interfaceName") for rt in routes if rt.get("selected") for h in rt.get("nexthops", [])]
        return hops == ["eth-r3"]

    _wait(via_r3, 10)
    lab.set_link("r1", "r2", True)
    recovered_s = lab.wait_converged(20)
    assert ospf_s <= 5 and bgp_s <= 10 and recovered_s < 20


def test_cli_status_json_reports_the_lab(lab, monkeypatch, capsys):
    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_HOME", str(lab.settings.home))
    assert main(["lab", "status", "--id", str(lab.info.lab_id), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["healthy"] is True and doc["up"] is True
    assert [r["name"] for r in doc["routers"]] == ["r1", "r2", "r3"]
    assert all(pid for r in doc["routers"] for pid in r["daemons"].values())


def _leftovers(lab_obj, state) -> list[str]:
    from netops.lab import system

    left = []
    ns = system.netns_list()
    left += [f"netns {r.namespace}" for r in lab_obj.topology.routers if r.namespace in ns]
    pids = [p for d in state.daemon_pids.values() for p in d.values()] + list(state.socat_pids.values())
    left += [f"pid {p}" for p in pids if system.pid_alive(p)]
    if system.user_comment(lab_obj.topology.username) is not None:
        left.append(f"user {lab_obj.topology.username}")
    for path, lines in state.known_hosts.items():
        text = Path(path).read_text() if Path(path).exists() else ""
        left += [f"known_hosts line in {path}" for line in lines if line in text]
    left += [f"ssh {r.ssh_host}" for r in lab_obj.topology.routers if system.port_in_use(r.ssh_host, 22)]
    if lab_obj.runtime_dir.exists():
        left.append(str(lab_obj.runtime_dir))
    return left


def test_down_leaves_nothing_behind(tmp_path, spare_lab_id):
    from netops.lab import Lab
    from netops.lab.state import LabState
    from netops.settings import Settings

    settings = Settings(home=tmp_path / "home")
    lab = Lab(settings, spare_lab_id)
    lab.down()
    lab.up()
    state = LabState.load(lab.state_path)
    assert state is not None and state.phase == "up"
    assert settings.paths.known_hosts.exists()
    assert lab.down() is True
    assert _leftovers(lab, state) == []
    assert not lab.lab_dir.exists()
    assert lab.down() is False  # idempotent


def test_failed_up_cleans_up_after_itself(tmp_path, monkeypatch, spare_lab_id):
    from netops.errors import LabError
    from netops.lab import Lab
    from netops.lab.builder import Lab as LabClass
    from netops.lab.state import LabState
    from netops.settings import Settings

    lab = Lab(Settings(home=tmp_path / "home"), spare_lab_id)
    lab.down()
    seen: dict[str, LabState] = {}

    def broken_load(self, only=None):
        seen["state"] = LabState.load(self.state_path)
        raise LabError("config load exploded")

    monkeypatch.setattr(LabClass, "_load_configs", broken_load)
    with pytest.raises(LabError, match="exploded") as err:
        lab.up()
    assert "logs" in (err.value.hint or "")
    state = seen["state"]
    assert state.namespaces and state.daemon_pids and state.user  # it got that far
    assert _leftovers(lab, state) == []
    assert not lab.state_path.exists()
