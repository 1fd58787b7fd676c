"""``bgp_advertised`` / ``bgp_received`` on Nokia SR OS. No public capture of ``show router bgp
neighbor X advertised-routes`` was found; SR OS prints it (and ``received-routes``) as the BGP route
table of ``show router bgp routes``, captured from real SR OS in batfish lab-validation and ntc-templates
(Apache-2.0; tests/fixtures/devices/nokia_sros/peer-routes/README.md); the tests replay those."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.getters import resolve_getter
from netops.devices.parsers import ParseError
from netops.devices.policy import check_command

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "nokia_sros" / "peer-routes"
SROS = SimpleNamespace(name="pe1", platform="nokia_sros")
ADV = "show router bgp neighbor 10.0.0.1 advertised-routes"


def run(getter: str, outputs: dict[str, str], **kw):
    sent: list[str] = []

    def read(command: str) -> str:
        sent.append(command)
        return outputs.get(command, "MINOR: CLI Command not allowed for this user.\n")

    _, fn = resolve_getter(getter, dict(kw))
    return fn(SROS, read, family=None, **kw), sent


def test_three_line_rows_the_origin_in_the_flag_and_a_label_column():
    text = (FIX / "bf_sros_bgp_comm_in_r1_show_router_bgp_routes.txt").read_text()
    out, sent = run("bgp_advertised", {ADV: text}, peer="10.0.0.1")
    assert sent == [ADV] and check_command(ADV, "nokia_sros").allowed
    # read by hand: three routes via 10.0.0.1, flag u*>i, paths 65002 / 65002 65002 65002 / 65002, label "-"
    assert [(p.prefix, p.next_hop, p.as_path, p.origin, p.best) for p in out.routes] == [
        ("2.2.2.2/32", "10.0.0.1", "65002", "IGP", True),
        ("100.64.0.1/32", "10.0.0.1", "65002 65002 65002", "IGP", True),
        ("100.64.0.2/32", "10.0.0.1", "65002", "IGP", True)]


def test_received_keeps_the_flags_of_a_route_not_used():
    text = (FIX / "bf_sros_rr_r3_show_router_bgp_routes.txt").read_text()
    cmd = "show router bgp neighbor 10.0.0.1 received-routes"
    out, _ = run("bgp_received", {cmd: text}, peer="10.0.0.1")
    # "u*>i" twice, then "i" alone (3.3.3.3/32: neither valid nor best); "No As-Path" is an empty path
    assert [(p.prefix, p.as_path, p.valid, p.best) for p in out.routes] == [
        ("1.1.1.1/32", "", True, True), ("2.2.2.2/32", "", True, True), ("3.3.3.3/32", "", False, False)]
    assert all(p.peer == "10.0.0.1" for p in out.routes) and "RIB-In" in out.note


def test_empty_table_not_configured_and_another_family():
    empty = (FIX / "bf_sros_misconfig_r1_show_router_bgp_routes.txt").read_text()  # "No Matching Entries Found."
    assert run("bgp_advertised", {ADV: empty}, peer="10.0.0.1")[0].routes == []
    off = (FIX / "bf_sros_services_p1_show_router_bgp_routes.txt").read_text()  # "MINOR: ... BGP is not configured"
    out, _ = run("bgp_advertised", {ADV: off}, peer="10.0.0.1")
    assert out.routes == [] and "not configured or not running" in out.note
    vpn = (FIX / "ntc_show_router_bgp_routes_vpn-ipv4.txt").read_text()
    with pytest.raises(ParseError, match="has: vpn-ipv4"):
        run("bgp_advertised", {ADV: vpn}, peer="10.0.0.1")


def test_rows_lost_before_the_count_and_a_vprn():
    text = (FIX / "bf_sros_bgp_comm_in_r1_show_router_bgp_routes.txt").read_text()
    cut = text.replace("u*>i  100.64.0.2/32", "").replace("      65002                                                          -\n-", "-", 1)
    with pytest.raises(ParseError):
        run("bgp_advertised", {ADV: cut}, peer="10.0.0.1")
    cmd = "show router CUST-A bgp neighbor 10.0.0.1 advertised-routes"
    out, sent = run("bgp_advertised", {cmd: text}, peer="10.0.0.1", vrf="CUST-A")
    assert sent == [cmd] and check_command(cmd, "nokia_sros").allowed and len(out.routes) == 3
    v6 = "show router bgp neighbor 2001:db8::1 family ipv6 advertised-routes"
    assert check_command(v6, "nokia_sros").allowed


def test_a_table_cut_before_its_count_is_an_error_not_a_short_list():
    text = (FIX / "bf_sros_bgp_comm_in_r1_show_router_bgp_routes.txt").read_text()
    cut = text[: text.index("u*>i  100.64.0.2/32")]  # the session dropped after two of three routes
    with pytest.raises(ParseError, match="cut short"):
        run("bgp_advertised", {ADV: cut}, peer="10.0.0.1")
