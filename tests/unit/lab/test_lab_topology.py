"""The lab's addressing scheme and FRR configs, as pure data."""

from __future__ import annotations

import ipaddress

import pytest

from netops.errors import InputError
from netops.lab.frrconf import render_frr_conf
from netops.lab.topology import build_topology


def test_addressing_scheme_for_lab_1_and_9():
    t1, t9 = build_topology(1), build_topology(9)
    assert [r.namespace for r in t9.routers] == ["nl9-r1", "nl9-r2", "nl9-r3"]
    assert [r.ssh_host for r in t1.routers] == ["127.0.101.1", "127.0.101.2", "127.0.101.3"]
    assert [r.ssh_host for r in t9.routers] == ["127.0.109.1", "127.0.109.2", "127.0.109.3"]
    assert (t1.username, t9.username) == ("netops", "netops9")
    assert t9.runtime_dir == "/run/netops-lab/9"
    assert [r.asn for r in t1.routers] == [65001, 65002, 65003]
    assert [r.loopback for r in t1.routers] == ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    for r in t1.routers:
        assert ipaddress.ip_address(r.ssh_host).is_loopback


def test_links_form_a_consistent_triangle():
    t = build_topology(3)
    assert t.link("r1", "r2").network == "198.51.100.0/30"
    assert t.link("r2", "r3").network == "198.51.100.4/30"
    assert t.link("r1", "r3").network == "198.51.100.8/30"
    for r in t.routers:
        assert len(r.links) == 2
        for link in r.links:
            back = t.link(link.peer, r.name)
            assert back.peer_address == link.address.split("/")[0]
            assert link.peer_address == back.address.split("/")[0]
            assert link.interface == f"eth-{link.peer}" and len(link.interface) <= 15
            net = ipaddress.ip_network(link.network)
            assert net.subnet_of(ipaddress.ip_network("198.51.100.0/24"))
            assert ipaddress.ip_interface(link.address).network == net


@pytest.mark.parametrize("bad", [0, 100, -1, "1", True, 1.5])
def test_bad_lab_id_is_input_error(bad):
    with pytest.raises(InputError):
        build_topology(bad)


def test_unknown_router_or_link_is_input_error():
    t = build_topology(1)
    with pytest.raises(InputError, match="r9"):
        t.router("r9")
    with pytest.raises(InputError):
        t.link("r1", "r1")


def test_frr_conf_has_fast_timers_neighbours_and_prefixes():
    t = build_topology(1)
    r1, r3 = t.router("r1"), t.router("r3")
    conf = render_frr_conf(r1)
    assert "hostname r1" in conf and "ip forwarding" in conf
    assert " description link to r2 (198.51.100.0/30)" in conf
    assert " ip ospf network point-to-point" in conf
    assert " ip ospf hello-interval 1" in conf and " ip ospf dead-interval 4" in conf
    assert "router bgp 65001" in conf and " timers bgp 3 9" in conf
    assert " neighbor 198.51.100.2 remote-as 65002" in conf
    assert " neighbor 198.51.100.10 remote-as 65003" in conf
    assert "  network 203.0.113.1/32" in conf
    assert "203.0.113.128/25" not in conf
    conf3 = render_frr_conf(r3)
    assert "ip route 203.0.113.128/25 blackhole" in conf3 and "  network 203.0.113.128/25" in conf3
    assert conf.rstrip().endswith("end")
