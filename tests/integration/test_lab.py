"""The real FRR lab end to end: convergence, real OpenSSH and paramiko, a link fault, teardown."""

from __future__ import annotations

import subprocess
import time

import pytest

pytestmark = pytest.mark.lab


def test_lab_converges_with_bgp_and_ospf_on_every_router(lab):
    the_lab = lab.lab
    for r in lab.info.routers:
        bgp = the_lab.bgp_peers(r.name)
        ospf = the_lab.ospf_neighbors(r.name)
        assert set(bgp) == {link.peer_address for link in r.links}
        assert set(bgp.values()) == {"Established"}
        assert len(ospf) == 2 and set(ospf.values()) == {"Full"}
    assert lab.converge_s < 15


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
