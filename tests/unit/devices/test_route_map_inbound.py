"""An inbound route-map applied by netops as the router applies it (helper trial36, 2026-12-04). On lab 72,
r1's route-map FROM-R3 (deny 10 match ip address prefix-list CUST-BLOCK, permit 20) dropped r3's customer
prefix 203.0.113.128/25; the route diagnosis said only "check r1's inbound policy from r3 (route-map
FROM-R3)". The captures are in tests/fixtures/devices/frr/route-map."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers.frr_rib import parse_prefix_list, parse_route_map, route_map_match

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "route-map"
RM = (FIX / "show_route-map_FROM-R3_json.txt").read_text()
PL = (FIX / "show_ip_prefix-list_CUST-BLOCK_json.txt").read_text()


def _lists(name):
    assert name == "CUST-BLOCK"
    return parse_prefix_list(PL, name)


def test_the_captured_route_map_denies_the_customer_prefix_by_its_first_entry():
    rules = parse_route_map(RM, "FROM-R3")
    assert [(r["sequenceNumber"], r["type"]) for r in rules] == [(10, "deny"), (20, "permit")]
    m = route_map_match(rules, "FROM-R3", "203.0.113.128/25", _lists)
    assert (m.action, m.unknown) == ("deny", None)
    assert m.entry == "deny 10 (match ip address prefix-list CUST-BLOCK: its entry 'seq 5 permit 203.0.113.128/25')"


@pytest.mark.parametrize("prefix", ["203.0.113.3/32", "203.0.113.0/25", "203.0.113.128/26"])
def test_other_prefixes_fall_through_to_the_permit(prefix):
    m = route_map_match(parse_route_map(RM, "FROM-R3"), "FROM-R3", prefix, _lists)
    assert (m.action, m.entry) == ("permit", "permit 20 (no match clause: every route)")


def test_no_entry_matching_is_the_implicit_deny_and_an_unknown_clause_is_said():
    rules = [{"sequenceNumber": 10, "type": "permit", "matchClauses": ["ip address prefix-list CUST-BLOCK"]}]
    m = route_map_match(rules, "ONLY", "198.51.100.0/30", _lists)
    assert (m.action, m.entry) == ("deny", None)
    rules = [{"sequenceNumber": 5, "type": "deny", "matchClauses": ["as-path TRANSIT"]}, *rules]
    m = route_map_match(rules, "ASP", "203.0.113.128/25", _lists)
    assert (m.action, m.unknown) == (None, "deny 5: match as-path TRANSIT")


def test_a_route_map_the_router_lacks():
    assert parse_route_map("", "NOPE") is None
    assert route_map_match(None, "NOPE", "203.0.113.128/25", _lists).action is None


def test_the_inbound_getter_reads_and_applies_the_route_map():
    from netops.devices.parsers.frr_rib import bgp_inbound

    sent = []

    def read(cmd):
        sent.append(cmd)
        return (FIX / (cmd.replace(" ", "_") + ".txt")).read_text()

    got = bgp_inbound(None, read, prefix="203.0.113.128/25")
    assert sent == ["show bgp neighbors json", "show route-map FROM-R3 json", "show ip prefix-list CUST-BLOCK json"]
    assert [p.inbound for p in got.peers if p.peer == "198.51.100.10"] == [["route-map FROM-R3"]]
    (m,) = got.route_maps
    assert (m.name, m.action) == ("FROM-R3", "deny") and got.note is None
