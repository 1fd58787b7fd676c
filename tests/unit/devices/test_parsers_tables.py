"""Route lookups and OSPF neighbours on real captures the widened public-capture sweep
(bench/parser_sweep.py, helper "vendors2") fed the getters: whole route tables saved by
batfish/lab-validation (Apache-2.0; provenance in each platform's fixture README, ``batfish/``
rows), looked up at addresses and prefixes. A device's answer can hold more than the longest
match (Junos ``show route P`` lists the routes inside P too; a saved table holds every route):
the answer is the most specific route that covers the query, in the table the getter asked for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.devices.parsers import arista_eos, cisco_nxos, frr, frr_rib, juniper_junos

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"


def read(platform: str, name: str) -> str:
    return (FIX / platform / "batfish" / name).read_text()


# -- FRR (Cumulus Linux 4.x FRR) ----------------------------------------------------------------

def test_frr_ospf_neighbours_printed_without_the_neighbors_key():
    """Cumulus' FRR prints ``show ip ospf neighbor [all] json`` as the map of neighbours itself
    (no ``neighbors`` key): netops said "OSPF is not running" with no neighbour."""
    got = frr.parse_ospf_neighbors(read("frr", "summarize_show_ip_ospf_neighbor_all_json.txt"))
    assert not got.note
    assert {(n.neighbor_id, n.address, n.interface, n.full, n.role) for n in got.neighbors} == {
        ("174.147.240.2", "174.147.240.2", "swp1", True, "DR"), ("134.31.0.2", "134.31.0.2", "swp2", True, "DR")}


def test_frr_empty_ospf_document_is_still_not_running():
    got = frr.parse_ospf_neighbors("{}")
    assert got.neighbors == [] and "not running" in (got.note or "").lower()


@pytest.mark.parametrize("query, prefix, protocol", [
    ("174.147.240.3", "174.147.240.0/29", "connected"),  # the selected one of its two entries
    ("134.31.7.1", "134.31.0.0/17", "ospf"),
    ("134.31.0.0/17", "134.31.0.0/17", "ospf"),
])
def test_frr_route_is_the_route_that_covers_the_query(query, prefix, protocol):
    """The first prefix of the document was the answer, whatever the query (134.31.0.0/17 for
    174.147.240.3)."""
    got = frr.parse_route(read("frr", "area0_show_ip_route_vrf_all_json.txt"), query)
    assert (got.found, got.prefix, got.protocol) == (True, prefix, protocol)


def test_frr_route_not_covered_is_not_found():
    got = frr.parse_route(read("frr", "area0_show_ip_route_vrf_all_json.txt"), "198.51.100.77")
    assert not got.found and got.prefix is None


# -- EOS (cEOS) ---------------------------------------------------------------------------------

def test_eos_route_is_the_most_specific_route_that_covers_the_query():
    """The longest prefix of the document won even when it did not cover the query
    (192.168.123.3/32, a loopback, for 192.168.122.9)."""
    text = read("arista_eos", "d3_show_ip_route_vrf_all_json.txt")
    got = arista_eos.parse_route(text, "192.168.122.9")
    assert (got.found, got.prefix, got.protocol, got.distance) == (True, "192.168.122.0/24", "bgp", 200)
    assert [(h.address, h.interface) for h in got.next_hops] == [("10.23.21.1", "Ethernet1")]
    assert not arista_eos.parse_route(text, "198.51.100.77").found


# -- Junos (vMX) --------------------------------------------------------------------------------

def test_junos_prefix_lookup_lists_more_specific_routes_and_answers_the_covering_one():
    """``show route 10.150.0.0/16`` lists 10.150.0.0/16 and the /32 inside it: netops answered
    the /32 (and, for an address, the longest route of any table: an IPv6 /128)."""
    text = read("juniper_junos", "no_match_show_route_display_json.txt")
    got = juniper_junos.parse_route(text, "10.150.0.0/16")
    assert (got.found, got.prefix, got.protocol) == (True, "10.150.0.0/16", "connected")
    got = juniper_junos.parse_route(text, "10.150.0.5")
    assert (got.found, got.prefix) == (True, "10.150.0.0/16")
    assert juniper_junos.parse_route(text, "10.150.0.79").prefix == "10.150.0.79/32"
    assert not juniper_junos.parse_route(text, "198.51.100.77").found


def test_junos_lookup_reads_the_asked_table_only():
    """A reply holding inet.0 beside mpls.0 (labels ``0(S=0)``), bgp.l3vpn.0 (``RD:prefix``), a
    VRF's and the management instance's tables: a label raised "unexpected shape" before, and
    only inet.0 (the table the getter asks for) answers an IPv4 lookup."""
    text = read("juniper_junos", "pe1_show_route_display_json.txt")
    got = juniper_junos.parse_route(text, "10.255.0.2")
    assert (got.found, got.prefix, got.protocol) == (True, "10.255.0.2/32", "static")
    assert not juniper_junos.parse_route(text, "10.100.2.5").found  # CUSTOMERS.inet.0 only
    assert not juniper_junos.parse_route(text, "8.8.8.8").found  # mgmt_junos.inet.0's default route
    v6 = juniper_junos.parse_route(text, "2001:db8::2")
    assert not v6.found  # only the management instance has IPv6 routes


# -- NX-OS: the same rule on its JSON (no public capture of a lookup: written inline) ------------

def test_nxos_route_is_the_route_that_covers_the_query():
    row = ('{"TABLE_vrf": {"ROW_vrf": {"vrf-name-out": "default", "TABLE_addrf": {"ROW_addrf": {"addrf": "ipv4",'
           ' "TABLE_prefix": {"ROW_prefix": [%s]}}}}}}')
    prefix = ('{"ipprefix": "%s", "TABLE_path": {"ROW_path": [{"ipnexthop": "10.0.0.%d", "ifname": "Eth1/1",'
              ' "ubest": "true", "pref": "1", "metric": "0", "clientname": "static"}]}}')
    text = row % ", ".join([prefix % ("10.0.0.0/8", 1), prefix % ("10.9.9.9/32", 2)])
    got = cisco_nxos.parse_route(text, "10.1.1.1")
    assert (got.found, got.prefix, got.next_hops[0].address) == (True, "10.0.0.0/8", "10.0.0.1")
    assert not cisco_nxos.parse_route(text, "192.0.2.1").found


# -- FRR before 8 (Cumulus Linux 4.x): the BGP table and a daemon that is down -------------------

def _default_vrf(name: str) -> str:
    """The default VRF's document of a ``show ip bgp vrf all json`` capture: the shape
    ``show bgp ipv4 unicast P longer-prefixes json`` prints."""
    return json.dumps(json.loads(read("frr", name))["default"])


def test_frr_bgp_paths_read_the_as_path_older_frr_calls_aspath():
    """FRR before 8 names the AS path ``aspath`` (8 calls it ``path``): every learned path read
    as locally originated (AS path "")."""
    got = frr_rib.parse_bgp_routes(_default_vrf("cumulusfrr2_show_ip_bgp_vrf_all_json.txt"), "0.0.0.0/0")
    paths = {(p.prefix, p.peer, p.as_path, p.best) for p in got.paths}
    assert ("172.16.1.1/32", "10.12.11.1", "65001 65001", True) in paths
    assert ("172.16.1.2/32", "10.12.11.1", "65001", True) in paths
    assert all(p.as_path for p in got.paths if p.peer)  # every learned path has its AS path
    assert all(not p.as_path for p in got.paths if not p.peer)  # the router's own: empty


@pytest.mark.parametrize("parse", [
    lambda t: frr_rib.parse_bgp_routes(t, "0.0.0.0/0"),
    frr.parse_bgp_summary,
])
def test_frr_bgpd_not_running_is_a_note_not_a_parse_error(parse):
    """vtysh prints ``bgpd is not running`` when the daemon is down: 'did not return JSON' before."""
    got = parse(read("frr", "area0_show_ip_bgp_vrf_all_json.txt"))
    assert "not running" in (got.note or "").lower()


def test_frr_ospfd_not_running_is_a_note():
    got = frr.parse_ospf_neighbors("ospfd is not running\n")
    assert got.neighbors == [] and "not running" in (got.note or "").lower()


def test_frr_ospf_state_with_an_escaped_slash_is_full():
    """A saved capture whose JSON keeps the escape of ``Full\\/DROther`` (``"Full\\\\/DROther"``): the
    state read as ``Full\\`` and the neighbour as not Full."""
    got = frr.parse_ospf_neighbors(read("frr", "unnumbered_r1_show_ip_ospf_neighbor_all_json.txt"))
    assert [(n.neighbor_id, n.state, n.full, n.role) for n in got.neighbors] == [("10.0.0.2", "Full", True, "DROther")]


# -- IOS / IOS-XE BGP table (what "show bgp all neighbors X routes" prints) ---------------------

def _ios_table(name: str):
    from netops.devices.parsers import _bgp_rib_text

    return _bgp_rib_text.parse_table(read("cisco_ios", name), "show bgp all neighbors 192.0.2.1 routes")


def _rows(paths):
    return [(p.prefix, p.next_hop, p.best, p.as_path) for p in paths]


def test_ios_table_path_type_apart_from_a_network_with_its_mask():
    """``* i  10.0.0.0/32`` (internal, the network after a blank) and ``*m a 10.0.0.0/32``
    (multipath, additional path): "cannot read the row" before."""
    assert _rows(_ios_table("add_path_as2rr_show_ip_bgp_all.txt")) == [
        ("10.0.0.0/32", "10.2.0.1", False, "1"), ("10.0.0.0/32", "10.2.0.1", True, "1")]
    assert ("10.0.0.0/32", "10.12.2.1", False, "1") in _rows(_ios_table("add_path_as2border_show_ip_bgp_all.txt"))


def test_ios_table_two_path_type_letters_before_another_path():
    """``s ia                 2.34.201.4``: a suppressed internal additional path of the network
    above ("cannot read the row" before); ``* ia1.0.1.0/24`` glued, a wrapped long network."""
    rows = _rows(_ios_table("example_network_as2border1_show_ip_bgp_all.txt"))
    assert ("2.128.0.0/24", "2.34.201.4", False, "65001") in rows
    assert ("2.128.1.0/24", "2.34.201.4", False, "65001") in rows
    assert ("1.0.1.0/24", "10.12.11.1", True, "1") in rows
    assert ("192.168.122.0/24", "0.0.0.0", True, "") in rows  # classful C, printed without its mask
    assert ("192.168.123.11/32", "2.1.1.2", True, "") in rows  # wrapped onto the next line
    assert len({r[0] for r in rows}) == 14


def test_ios_table_empty_family_section_is_no_route():
    """``show bgp all``: an IPv4 Unicast section with nothing under it (the routes are in the
    VPNv4 one) read as "no 'Network Next Hop ... Path' heading"."""
    assert _ios_table("vrf_route_leaking_d1_v12_show_ip_bgp_all.txt") == []


def test_ios_peer_routes_bgp_not_active_saved_with_its_prompt():
    """``% BGP not active`` (batfish: many IOS lab routers without BGP) saved from a terminal
    with the command echo above and the prompt below read as "no 'Network ... Path' heading";
    as sent it is the not-running answer."""
    from types import SimpleNamespace

    from netops.devices.parsers import cisco_ios

    host = SimpleNamespace(name="r1", platform="cisco_ios")
    plain = "% BGP not active\n"
    framed = f"r1#show ip bgp neighbors 192.0.2.1 routes\n{plain}r1#\n"
    want = cisco_ios.PEER_GETTERS["bgp_received"](host, lambda c: plain, peer="192.0.2.1", family="ipv4")
    got = cisco_ios.PEER_GETTERS["bgp_received"](host, lambda c: framed, peer="192.0.2.1", family="ipv4")
    assert got == want and "not running" in (got.note or "").lower()
