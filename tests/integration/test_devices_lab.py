"""The device layer against the real FRR lab (routers in namespaces behind real OpenSSH)."""

from __future__ import annotations

import json
import time

import paramiko
import pytest

from netops.cli.main import main
from netops.devices import hostkeys
from netops.devices.service import DeviceService

pytestmark = [pytest.mark.lab, pytest.mark.timeout(180)]


@pytest.fixture
def cli_env(lab, monkeypatch):
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.settings.inventory))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.settings.known_hosts))
    return lab


def test_devices_check_all(cli_env, capsys):
    assert main(["devices", "check", "all", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(doc["results"]) == ["r1", "r2", "r3"]
    assert all(r["data"] == {"reachable": True, "host_key_known": True, "authenticated": True, "fingerprint": None}
               for r in doc["results"].values())


def test_show_bgp_summary(cli_env, capsys):
    assert main(["show", "r1", "show bgp summary"]) == 0
    out = capsys.readouterr().out
    assert "Neighbor" in out and "198.51.100.2" in out


@pytest.mark.parametrize("command", [
    "configure terminal", "conf t", "show version\nconfigure terminal", "show version; write memory",
    "write memory", "clear ip bgp *", "show running-config | write", "ping 198.51.100.2",
])
def test_config_command_refused_and_router_unchanged(cli_env, capsys, command):
    before = cli_env.lab.vtysh("r1", "show running-config")
    assert main(["show", "r1", command]) == 5
    err = capsys.readouterr().err
    assert err.startswith("error: refused") and len(err.strip().splitlines()) == 2  # error + hint
    assert cli_env.lab.vtysh("r1", "show running-config") == before


def test_getters_report_established_and_full(lab):
    with DeviceService(lab.settings) as svc:
        bgp = svc.get("all", "bgp")
        ospf = svc.get("all", "ospf")
        facts = svc.get("all", "facts")
        ifs = svc.get("r1", "interfaces")["r1"].data
        route = svc.get("r1", "route", prefix="203.0.113.3")["r1"].data
        cfg = svc.running_config("r2")
    assert not bgp.failed and not ospf.failed and not facts.failed
    for name in ("r1", "r2", "r3"):
        assert len(bgp[name].data.neighbors) == 2 and all(n.established for n in bgp[name].data.neighbors)
        assert len(ospf[name].data.neighbors) == 2 and all(n.full for n in ospf[name].data.neighbors)
        assert facts[name].data.hostname == name
    assert ifs.by_name("eth-r2").oper_up and "198.51.100.1/30" in ifs.by_name("eth-r2").addresses
    assert route.found and route.prefix == "203.0.113.3/32"
    assert "hostname r2" in cfg


def _wait(fn, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if fn():
            return time.monotonic() - start
        time.sleep(0.5)
    raise AssertionError(f"condition not met within {timeout}s")


def test_link_down_is_seen_by_getters_then_recovers(lab_clean):
    lab = lab_clean
    with DeviceService(lab.settings) as svc:
        def bgp_peer(state_ok):
            n = svc.get("r1", "bgp")["r1"].data.by_peer("198.51.100.2")
            return n is not None and n.established == state_ok

        def ospf_nbr(present):
            n = svc.get("r1", "ospf")["r1"].data.by_id("203.0.113.2")
            return (n is not None and n.full) == present

        lab.lab.set_link("r1", "r2", False)
        # OSPF dead interval 4 s; BGP hold time 9 s (plus a poll interval).
        t_ospf = _wait(lambda: ospf_nbr(False), 8)
        t_bgp = _wait(lambda: bgp_peer(False), 14)
        assert t_ospf <= 8 and t_bgp <= 14
        assert svc.get("r1", "bgp")["r1"].data.by_peer("198.51.100.10").established  # the other peer is fine
        lab.lab.set_link("r1", "r2", True)
        _wait(lambda: ospf_nbr(True), 20)
        _wait(lambda: bgp_peer(True), 30)


def _inventory_with(lab, tmp_path, **host) -> str:
    info = lab.info
    r1 = info.router("r1")
    fields = {"hostname": r1.ssh_host, "port": r1.ssh_port, "username": info.username, "platform": "frr", **host}
    body = "hosts:\n  r1:\n" + "".join(f"    {k}: {v}\n" for k, v in fields.items())
    p = tmp_path / "inv.yaml"
    p.write_text(body)
    return str(p)


def test_password_auth_and_wrong_password(lab, lab_password_env, tmp_path, monkeypatch):
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    s = lab.settings.model_copy(update={"inventory": _inventory_with(lab, tmp_path, password_env=lab_password_env)})
    with DeviceService(s) as svc:
        assert svc.run("r1", "show version")["r1"].ok
    monkeypatch.setenv(lab_password_env, "not-the-password")
    with DeviceService(s) as svc:
        r = svc.run("r1", "show version")["r1"]
    assert r.error_type == "AuthError"


def test_unknown_host_key_then_trust(lab, tmp_path, monkeypatch, capsys):
    kh = tmp_path / "known_hosts"
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.settings.inventory))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(kh))
    assert main(["devices", "check", "r1", "--json"]) == 1
    r = json.loads(capsys.readouterr().out)["results"]["r1"]
    assert r["error_type"] == "HostKeyError" and "SHA256:" in r["error"]
    assert main(["devices", "trust", "r1", "--yes", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recorded"] is True
    assert main(["devices", "check", "r1"]) == 0


def test_changed_host_key_is_refused(lab, tmp_path):
    r1 = lab.info.router("r1")
    kh = tmp_path / "known_hosts"
    hostkeys.trust_key(kh, r1.ssh_host, r1.ssh_port, paramiko.ECDSAKey.generate())
    s = lab.settings.model_copy(update={"known_hosts": kh})
    with DeviceService(s) as svc:
        r = svc.run("r1", "show version")["r1"]
    assert r.error_type == "HostKeyError" and "CHANGED" in r.error and "man-in-the-middle" in r.error


def test_refused_port_and_unknown_host(lab, tmp_path):
    s = lab.settings.model_copy(update={"inventory": _inventory_with(lab, tmp_path, port=2)})
    with DeviceService(s) as svc:
        assert svc.run("r1", "show version")["r1"].error_type == "ConnectError"
    s = lab.settings.model_copy(update={"inventory": _inventory_with(lab, tmp_path, hostname="r1.invalid")})
    with DeviceService(s) as svc:
        assert svc.run("r1", "show version")["r1"].error_type == "ConnectError"


def test_configure_applies_and_is_recorded(lab_clean):
    lab = lab_clean
    records = []
    with DeviceService(lab.settings, recorder=records.append) as svc:
        res = svc.configure("r3", ["interface lo", " description changed-by-test"])
        assert res.ok, res.error
        assert "description changed-by-test" in svc.running_config("r3")
    assert [r["kind"] for r in records] == ["config", "read"]


def test_netmiko_driver_on_interactive_vtysh(lab, tmp_path):
    """The netmiko path (device type cisco_ios) against the lab's interactive vtysh session."""
    s = lab.settings.model_copy(update={"inventory": _inventory_with(
        lab, tmp_path, platform="cisco_ios", ssh_key_file=str(lab.info.key_file))})
    with DeviceService(s) as svc:
        r = svc.run("r1", "show version")["r1"]
        assert r.ok and "FRRouting" in r.output
        assert svc.run("r1", "conf t")["r1"].error_type == "PolicyViolation"
    kh = tmp_path / "empty_known_hosts"
    kh.write_text("")
    with DeviceService(s.model_copy(update={"known_hosts": kh})) as svc:
        r = svc.run("r1", "show version")["r1"]
    assert r.error_type == "HostKeyError" and "SHA256:" in r.error


def test_cancel_abandons_a_command_stuck_on_a_real_router(lab):
    """bgpd of r1 paused: `show bgp summary` hangs inside vtysh over real SSH. A cancel returns at
    once, closes that SSH session (its read ends), and the next command reconnects and answers."""
    import os
    import signal
    import threading

    from netops.cancel import CancelToken

    pid = int((lab.info.runtime_dir / "r1" / "bgpd.pid").read_text().split()[0])
    records: list[dict] = []
    token = CancelToken()
    with DeviceService(lab.settings, recorder=records.append) as svc:
        assert svc.run("r1", "show version")["r1"].ok             # a pooled session exists
        os.kill(pid, signal.SIGSTOP)
        try:
            timer = threading.Timer(1.0, token.cancel, args=("cancelled with Escape",))
            timer.start()
            start = time.monotonic()
            agg = svc.run("r1", "show bgp summary", cancel=token)
            took = time.monotonic() - start
        finally:
            os.kill(pid, signal.SIGCONT)
        assert agg["r1"].error_type == "Cancelled" and took < 5.0, (agg["r1"], took)
        deadline = time.monotonic() + 15
        while not any(r.get("cancelled") for r in records) and time.monotonic() < deadline:
            time.sleep(0.05)  # the abandoned read ends once its session is closed
        assert [r["command"] for r in records if r.get("cancelled")] == ["show bgp summary"]
        again = svc.run("r1", "show bgp summary")
        assert again["r1"].ok and "Neighbor" in again["r1"].output


def test_a_peer_shut_by_configuration_is_reported_admin_down(lab_clean, monkeypatch, capsys):
    """``neighbor X shutdown`` on a real FRR: the getter says admin_down (the raw state keeps
    FRR's words), the state table says "admin down", --json adds the fields and keeps ``state``."""
    lab = lab_clean
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.settings.inventory))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.settings.known_hosts))
    with DeviceService(lab.settings) as svc:
        before = svc.get("r1", "bgp")["r1"].data
        assert before.by_peer("198.51.100.2").admin_down is False
        lab.lab.vtysh("r1", "configure terminal", f"router bgp {before.local_as}", "neighbor 198.51.100.2 shutdown")

        def shut():
            n = svc.get("r1", "bgp")["r1"].data.by_peer("198.51.100.2")
            return n is not None and n.admin_down is True

        _wait(shut, 15)
        after = svc.get("r1", "bgp")["r1"].data
    peer, other = after.by_peer("198.51.100.2"), after.by_peer("198.51.100.10")
    assert not peer.established and peer.state == "Idle" and "Admin" in peer.raw_state
    assert other.established and other.admin_down is False
    assert main(["state", "r1", "bgp", "--json"]) in (0, 1)
    doc = json.loads(capsys.readouterr().out)
    row = next(n for n in doc["results"]["r1"]["data"]["neighbors"] if n["peer"] == "198.51.100.2")
    assert row["admin_down"] is True and row["state"] == "Idle" and row["established"] is False
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    main(["state", "r1", "bgp"])
    out = capsys.readouterr().out
    line = next((ln for ln in out.splitlines() if "198.51.100.2 " in ln), out)
    assert "admin down" in line, out


def test_bgpd_stopped_on_a_router_that_should_run_bgp_is_a_fault(lab_clean, monkeypatch, capsys):
    """trial32: bgpd killed on a lab router, "is r2 healthy?" had no verdict: FRR says "bgpd is not
    running" as a router without BGP does, and its running configuration (assembled from the
    daemons) then has no `router bgp`. The inventory gives r2 an AS number: the getter says BGP
    should run there, the health reading is down, and `netops show` exits 1 with vtysh's words on
    stderr."""
    import os
    import signal

    from netops.agent.grounding import _health

    lab = lab_clean
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.settings.inventory))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.settings.known_hosts))
    pid = int((lab.info.runtime_dir / "r2" / "bgpd.pid").read_text().split()[0])
    os.kill(pid, signal.SIGTERM)
    _wait(lambda: not os.path.exists(f"/proc/{pid}"), 15)
    assert "router bgp" not in lab.lab.running_config("r2")  # so the inventory is what tells
    with DeviceService(lab.settings) as svc:
        agg = svc.get("r2", "bgp")
    found = agg["r2"].data
    assert found.expected == "the inventory gives it AS 65002", found
    assert "should run" in found.note and "bgpd is not running" in found.note
    assert _health("bgp_neighbors", agg) == -1
    assert main(["show", "r2", "show bgp summary"]) == 1
    got = capsys.readouterr()
    assert got.out == "" and got.err.strip() == "bgpd is not running"
    # `netops state` as well (tail33: it exited 0): non-zero, the fault on stderr, `--json` names it
    assert main(["state", "r2", "bgp", "--json"]) == 1
    got = capsys.readouterr()
    assert json.loads(got.out)["faults"]["r2"].startswith("BGP should run on this device")
    assert got.err.startswith("r2: BGP should run on this device")
    assert main(["state", "r2", "advertised", "all"]) == 1  # the peer reads go through the same check
    assert capsys.readouterr().err.startswith("r2: BGP should run on this device")
