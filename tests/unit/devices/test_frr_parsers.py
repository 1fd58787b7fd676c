"""FRR getters on real output captured from the lab (tests/fixtures/devices/frr)."""

from __future__ import annotations

import pytest

from netops.devices.models import BgpNeighbors, Facts, Interfaces, OspfNeighbors, RouteLookup, RunningConfig
from netops.devices.parsers import ParseError
from netops.devices.parsers import frr
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "devices"

FRR = FIXTURES / "frr"


def read(host: str, slug: str, sub: str = "") -> str:
    return ((FRR / sub / host) if sub else (FRR / host)).joinpath(f"{slug}.txt").read_text()


def test_facts_from_show_version():
    f = frr.parse_version(read("r2", "show_version"))
    assert f == Facts(hostname="r2", vendor="FRRouting", platform="frr", os_version="8.4.4",
                      model=f.model, uptime_seconds=None)
    assert f.model.startswith("Linux(")


def test_bgp_summary_established():
    b = frr.parse_bgp_summary(read("r1", "show_bgp_summary_json"))
    assert (b.router_id, b.local_as) == ("203.0.113.1", 65001)
    assert {n.peer: (n.remote_as, n.established, n.description) for n in b.neighbors} == {
        "198.51.100.2": (65002, True, "r2"), "198.51.100.10": (65003, True, "r3")}
    n = b.by_peer("198.51.100.2")
    assert n.prefixes_received == 3 and n.uptime_seconds and n.uptime_seconds > 0


def test_bgp_summary_after_link_down():
    b = frr.parse_bgp_summary(read("r1", "show_bgp_summary_json", "r1-r2-down"))
    lost = b.by_peer("198.51.100.2")
    assert lost.state == "Active" and not lost.established
    assert lost.prefixes_received is None and lost.uptime is None
    assert b.by_peer("198.51.100.10").established


def test_ospf_neighbors_full_and_lost():
    o = frr.parse_ospf_neighbors(read("r1", "show_ip_ospf_neighbor_json"))
    assert {(n.neighbor_id, n.interface, n.address, n.state, n.full) for n in o.neighbors} == {
        ("203.0.113.2", "eth-r2", "198.51.100.2", "Full", True),
        ("203.0.113.3", "eth-r3", "198.51.100.10", "Full", True)}
    assert all(n.role is None and 0 < n.dead_time_seconds <= 4 for n in o.neighbors)
    down = frr.parse_ospf_neighbors(read("r1", "show_ip_ospf_neighbor_json", "r1-r2-down"))
    assert [n.neighbor_id for n in down.neighbors] == ["203.0.113.3"]


def test_interfaces():
    i = frr.parse_interfaces(read("r1", "show_interface_json"))
    eth = i.by_name("eth-r2")
    assert eth.admin_up and eth.oper_up and eth.mtu == 1500
    assert "198.51.100.1/30" in eth.addresses and eth.description.startswith("link to r2")
    down = frr.parse_interfaces(read("r1", "show_interface_json", "r1-r2-down")).by_name("eth-r2")
    assert not down.oper_up


def test_route_lookup_found_connected_and_missing():
    r = frr.parse_route(read("r1", "show_ip_route_203_0_113_2_json"), "203.0.113.2")
    assert r.found and r.prefix == "203.0.113.2/32" and r.protocol in ("bgp", "ospf")
    assert r.next_hops and r.next_hops[0].address == "198.51.100.2"
    c = frr.parse_route(read("r1", "show_ip_route_198_51_100_0_30_json"), "198.51.100.0/30")
    assert c.found and c.prefix == "198.51.100.0/30"
    missing = frr.parse_route(read("r1", "show_ip_route_10_9_9_9_json"), "10.9.9.9")
    assert missing == RouteLookup(query="10.9.9.9", found=False)
    assert not frr.parse_route("% Network not in table\n", "10.9.9.9").found


def test_a_cli_error_for_a_route_lookup_is_no_answer_not_no_route():
    """'% Unknown command' (FRR 8.4.4, a typo or an unsupported form) and '% VRF mgmt not found'
    were read as "no route", so a reachability answer said "cannot reach it" from an error.
    Only FRR's own not-found line is no route (helper trial16, the lab's outputs)."""
    for text in ("% Unknown command: show ip route 203.0.113.3 jsn\n", "% VRF mgmt not found\n"):
        with pytest.raises(ParseError, match="failed on the device"):
            frr.parse_route(text, "203.0.113.3")
    assert not frr.parse_route("% Network not in table\n", "10.9.9.9").found


def test_captured_loopback_lookups():
    """r1's route to r3's loopback and r2's to r1's (captured from netops's lab, FRR 8.4.4)."""
    r = frr.parse_route(read("r1", "show_ip_route_203_0_113_3_json"), "203.0.113.3")
    assert r.found and r.prefix == "203.0.113.3/32" and r.next_hops[0].address == "198.51.100.10"
    assert frr.parse_route(read("r2", "show_ip_route_203_0_113_1_json"), "203.0.113.1").found
    assert not frr.parse_route(read("r1", "show_ipv6_route_2001_db8_3_json"), "2001:db8::3").found


def test_cli_error_instead_of_json_is_a_parse_error():
    with pytest.raises(ParseError, match="did not return JSON"):
        frr.parse_bgp_summary("% Unknown command: show bgp summary jsn\n")


@pytest.mark.parametrize("slug", ["show_bgp_summary_json", "show_bgp_vrf_all_summary_json", "show_bgp_summary"])
def test_bgp_not_configured_is_empty_with_a_note(slug):
    """Captured from the lab after 'no router bgp': {} in JSON, '% BGP instance not found' as text."""
    b = frr.parse_bgp_summary((FIXTURES / "frr" / "noproto" / f"{slug}.txt").read_text())
    assert b.neighbors == [] and "not configured" in b.note


@pytest.mark.parametrize("slug", ["show_ip_ospf_neighbor_json", "show_ip_ospf_neighbor"])
def test_ospf_not_configured_is_empty_with_a_note(slug):
    o = frr.parse_ospf_neighbors((FIXTURES / "frr" / "noproto" / f"{slug}.txt").read_text())
    assert o.neighbors == [] and "not configured" in o.note


def test_vrf_all_summary_is_keyed_by_vrf():
    """FRR 8.4 'show bgp vrf all summary json' (captured): VRF -> family -> peers."""
    b = frr.parse_bgp_summary((FIXTURES / "frr" / "lab-r1" / "show_bgp_vrf_all_summary_json.txt").read_text())
    plain = frr.parse_bgp_summary((FIXTURES / "frr" / "lab-r1" / "show_bgp_summary_json.txt").read_text())
    assert [(n.peer, n.vrf, n.afi_safi) for n in b.neighbors] == [(n.peer, n.vrf, n.afi_safi) for n in plain.neighbors]
    assert (b.router_id, b.local_as) == ("203.0.113.1", 65001) and len(b.neighbors) == 2
    other = '{"default": {}, "RED": {"ipv4Unicast": {"routerId": "10.9.9.9", "as": 65009, "vrfName": "RED", ' \
            '"peers": {"10.1.1.2": {"remoteAs": 65010, "state": "Established", "pfxRcd": 2}}}}}'
    merged = frr.with_vrfs(plain, other)
    assert merged.by_peer("10.1.1.2").vrf == "RED" and len(merged.neighbors) == 3
    assert len(frr.with_vrfs(frr.parse_bgp_summary("{}"), "% Unknown command").neighbors) == 0


@pytest.mark.parametrize("value,seconds", [("00:01:02", 62), ("1d02h03m", 93780), ("2w3d04h", 1483200), ("", None), ("never", None)])
def test_uptime_seconds(value, seconds):
    assert frr.uptime_seconds(value) == seconds


def test_service_get_all_getters_typed(dev_settings):
    fake = FakeTransport.from_dir(FRR)
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        expected = {"facts": Facts, "interfaces": Interfaces, "bgp": BgpNeighbors, "ospf": OspfNeighbors,
                    "config": RunningConfig}
        for getter, model in expected.items():
            agg = svc.get("r1,r2,r3", getter)
            assert not agg.failed, agg.to_dict()
            assert all(isinstance(r.data, model) for r in agg.values())
        route = svc.get("r1", "route", prefix="203.0.113.2")["r1"].data
        assert route.found
        assert "router bgp 65001" in svc.running_config("r1")
    assert ("r1", "show bgp summary json") in fake.sent
