"""``bgp_advertised`` / ``bgp_received`` on Cisco IOS / IOS-XE and NX-OS: the BGP table text, over
published captures (ntc-templates and genieparser, Apache-2.0; tests/fixtures/devices/cisco_ios/peer-routes,
tests/fixtures/devices/cisco_nxos/peer-routes)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.getters import resolve_getter
from netops.devices.parsers import ParseError
from netops.devices.parsers._bgp_rib_text import parse_table
from netops.devices.policy import check_command
from netops.errors import NotFoundError

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "cisco_ios" / "peer-routes"
NXFIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "cisco_nxos" / "peer-routes"
HOST = SimpleNamespace(name="xe1", platform="cisco_ios")
NX = SimpleNamespace(name="n9k", platform="cisco_nxos")
NO_SOFT = "% Inbound soft reconfiguration not enabled on 10.0.0.2\n"


def run(getter: str, outputs: dict[str, str], host=HOST, **kw):
    sent = []

    def read(command: str) -> str:
        sent.append(command)
        return outputs.get(command, "% Invalid input detected at '^' marker.\n")

    _, fn = resolve_getter(getter, dict(kw))
    return fn(host, read, **kw, **({"family": None} if "family" not in kw else {})), sent


def test_advertised_routes_of_a_router_originating_its_own_networks():
    out, sent = run("bgp_advertised", {"show ip bgp neighbors 10.0.0.2 advertised-routes":
                                       (FIX / "ntc_advertised_routes.txt").read_text()}, peer="10.0.0.2")
    assert sent == ["show ip bgp neighbors 10.0.0.2 advertised-routes"]
    # read by hand: 7 networks, next hop 0.0.0.0 (this router), weight 32768, empty path, origin i
    assert [p.prefix for p in out.routes] == ["113.55.45.0/24", "113.55.48.0/24", "113.55.50.0/24", "113.55.51.0/24",
                                              "113.55.53.0/24", "113.55.54.0/24", "113.55.58.0/24"]
    assert {(p.next_hop, p.as_path, p.origin, p.valid, p.best) for p in out.routes} == {("0.0.0.0", "", "IGP", True, True)}


def test_wide_metrics_and_a_wrapped_network():
    out, _ = run("bgp_advertised", {"show ip bgp neighbors 10.0.0.2 advertised-routes":
                                    (FIX / "ntc_advertised_routes2.txt").read_text()}, peer="10.0.0.2")
    rows = [(p.prefix, p.next_hop, p.as_path, p.origin) for p in out.routes]
    assert rows == [("11.222.33.123/29", "111.222.123.202", "65000", "incomplete"),
                    ("11.222.33.123/29", "111.222.123.202", "65000", "incomplete"),  # metric 4000000000
                    ("11.222.12.0/23", "11.222.1.202", "65000", "incomplete"),
                    ("123.233.111.222/24", "11.222.1.202", "65000", "incomplete")]  # wrapped onto 2 lines


def test_received_says_when_soft_reconfiguration_is_off():
    table = (FIX / "ntc_advertised_routes2.txt").read_text()  # the same table format as "routes"
    out, sent = run("bgp_received", {"show ip bgp neighbors 10.0.0.2 routes": table,
                                     "show ip bgp neighbors 10.0.0.2 received-routes": NO_SOFT}, peer="10.0.0.2")
    assert sent == ["show ip bgp neighbors 10.0.0.2 routes", "show ip bgp neighbors 10.0.0.2 received-routes"]
    assert len(out.routes) == 4 and all(p.peer == "10.0.0.2" for p in out.routes)
    assert out.before_policy is None and "soft-reconfiguration inbound is not enabled" in out.note
    both, _ = run("bgp_received", {"show ip bgp neighbors 10.0.0.2 routes": table,
                                   "show ip bgp neighbors 10.0.0.2 received-routes": table}, peer="10.0.0.2")
    assert len(both.before_policy) == 4 and both.note is None


def test_ipv6_spelling_and_an_unknown_peer():
    with pytest.raises(NotFoundError, match="2001:db8::9"):
        run("bgp_advertised", {"show bgp ipv6 unicast neighbors 2001:db8::9 advertised-routes":
                               "% No such neighbor or address family\n"}, peer="2001:db8::9")


def test_nothing_advertised_is_an_empty_list_and_garbage_is_a_parse_error():
    assert parse_table("", "x") == []
    with pytest.raises(ParseError):
        parse_table("Interface  IP-Address  OK? Method Status\nGi1 10.0.0.1 YES NVRAM up\n", "x")


@pytest.mark.parametrize("what", ["advertised-routes", "received-routes", "routes"])
def test_the_reads_are_on_the_read_only_allowlist(what):
    assert check_command(f"show ip bgp neighbors 10.0.0.2 {what}", "cisco_ios").allowed
    assert check_command(f"show bgp ipv6 unicast neighbors 2001:db8::2 {what}", "cisco_ios").allowed
    assert not check_command("clear ip bgp 10.0.0.2 soft in", "cisco_ios").allowed


def test_platforms_without_an_implementation_say_so():
    from netops.devices.getters import GetterUnsupported

    _, fn = resolve_getter("bgp_advertised", {"peer": "10.0.0.2"})
    with pytest.raises(GetterUnsupported, match="not available for platform huawei_vrp"):
        fn(SimpleNamespace(name="v1", platform="huawei_vrp"), lambda c: "", peer="10.0.0.2", family=None)


NX_ADV = "show bgp ipv4 unicast neighbors 10.106.102.3 advertised-routes"


def test_nxos_status_glued_to_the_network_and_one_section_per_family():
    text = (NXFIX / "genie_all_families_advertised_routes.txt").read_text()
    out, sent = run("bgp_advertised", {NX_ADV: text}, host=NX, peer="10.106.102.3")
    assert sent == [NX_ADV]
    # read by hand from the IPv4 Unicast section only (the multicast one has 10.9.1.0/24 ...)
    assert [(p.prefix, p.next_hop, p.as_path, p.origin) for p in out.routes] == [
        ("10.4.1.0/24", "10.106.102.4", "{62112 33492 4872 41787 13166 50081 21461 58376 29755 1135}", "IGP"),
        ("10.4.2.0/24", "10.106.102.4", "{62112 33492 4872 41787 13166 50081 21461 58376 29755 1135}", "IGP"),
        ("10.49.0.0/16", "10.106.101.1", "10 20 30 40 50 60 70 80 90", "IGP"),
        ("10.36.0.0/24", "10.106.102.3", "10 20 30 40 50 60 70 80 90", "IGP")]
    v6, _ = run("bgp_advertised", {NX_ADV.replace("ipv4", "ipv6"): text}, host=NX, peer="10.106.102.3",
                family="ipv6")
    assert v6.routes == []  # the IPv6 Unicast section is empty


def test_nxos_soft_reconfiguration_off_and_an_unknown_neighbor():
    table = (NXFIX / "genie_all_families_advertised_routes.txt").read_text()
    base = "show bgp ipv4 unicast neighbors 10.16.2.10"
    out, _ = run("bgp_received", {f"{base} routes": table, f"{base} received-routes":
                                  "Inbound soft reconfiguration for IPv4 Unicast not performed on 10.16.2.10\n"},
                 host=NX, peer="10.16.2.10")
    assert len(out.routes) == 4 and out.before_policy is None and "soft-reconfiguration inbound" in out.note
    with pytest.raises(NotFoundError, match="Can't find neighbor"):
        run("bgp_advertised", {f"{base} advertised-routes": "Can't find neighbor 10.16.2.10\n"}, host=NX,
            peer="10.16.2.10")
    assert check_command(f"{base} advertised-routes", "cisco_nxos").allowed


# -- found with bench/parser_sweep.py over genieparser / ntc-templates captures (sources: fixture README)

def test_a_capture_quoted_with_a_margin_and_an_additional_path_glued_to_the_network():
    text = (FIX / "genie_xe_advertised_margin.txt").read_text()  # 8 blanks before every line, echo, "Load for ..."
    out, _ = run("bgp_advertised", {"show ip bgp neighbors 10.169.197.252 advertised-routes": text}, peer="10.169.197.252")
    # genie: 10.69.9.9/32 best via 192.168.36.119 ("*>") and again via .120 ("*b a": backup, additional path)
    assert [(p.prefix, p.next_hop, p.best, p.as_path, p.origin) for p in out.routes] == [
        ("10.69.9.9/32", "192.168.36.119", True, "5918", "incomplete"),
        ("10.69.9.9/32", "192.168.36.120", False, "5918", "incomplete")]


def test_a_network_printed_without_its_mask_and_the_default_route():
    text = (FIX / "genie_xe_advertised_classful.txt").read_text()
    out, _ = run("bgp_advertised", {"show ip bgp neighbors 10.250.6.1 advertised-routes": text}, peer="10.250.6.1")
    # IOS leaves out a classful mask: 0.0.0.0 is the default route, 10.0.0.0 the class A network
    assert [p.prefix for p in out.routes][:3] == ["0.0.0.0/0", "10.0.0.0/8", "10.1.100.23/32"]
    assert len(out.routes) == 12  # "Total number of prefixes 12", quoted with a blank in front


def test_show_bgp_all_sections_keep_only_the_asked_family():
    text = (FIX / "genie_all_families_advertised.txt").read_text()
    out, _ = run("bgp_advertised", {"show ip bgp neighbors 10.106.102.3 advertised-routes": text}, peer="10.106.102.3")
    # genie, "ipv4 unicast": four networks; the multicast, VPN and link-state sections are not IPv4 unicast
    assert [p.prefix for p in out.routes] == ["10.4.1.0/24", "10.4.2.0/24", "10.49.0.0/16", "10.36.0.0/24"]


def test_a_vrf_read_skips_the_route_distinguisher_line():
    text = (FIX / "genie_vrf_received.txt").read_text()
    base = "show bgp vpnv4 unicast vrf WAN_VRF neighbors 10.82.15.252"
    out, sent = run("bgp_received", {f"{base} routes": text, f"{base} received-routes": text}, peer="10.82.15.252",
                    vrf="WAN_VRF")
    assert sent == [f"{base} routes", f"{base} received-routes"]
    # genie: 0.0.0.0 (default route), 10.1.1.0/24, 10.1.2.0/24 from 10.82.15.252 under RD 65357:201
    assert [p.prefix for p in out.routes] == ["0.0.0.0/0", "10.1.1.0/24", "10.1.2.0/24"]
    assert check_command(f"{base} routes", "cisco_ios").allowed


def test_nxos_a_deleted_path_and_a_second_path_with_only_its_path_type():
    text = (NXFIX / "ntc_routes_path_types.txt").read_text()
    base = "show bgp ipv4 unicast neighbors 10.2.56.11"
    out, _ = run("bgp_received", {f"{base} routes": text, f"{base} received-routes": text}, host=NX, peer="10.2.56.11")
    # ntc-templates' yml: 49 paths ("x e10.10.0.2/32", then "*>e" with the network left blank, "* e" likewise)
    assert len(out.routes) == 49
    second = [p for p in out.routes if p.prefix == "10.10.0.2/32"]
    assert [(p.next_hop, p.valid, p.best) for p in second] == [("10.10.2.1", False, False), ("10.10.1.1", True, True)]


def test_a_saved_session_and_rows_lost_before_the_total():
    text = (FIX / "ntc_advertised_routes.txt").read_text()
    cmd = "show ip bgp neighbors 10.0.0.2 advertised-routes"
    plain, _ = run("bgp_advertised", {cmd: text}, peer="10.0.0.2")
    framed, _ = run("bgp_advertised", {cmd: f"r1#{cmd}\n{text.rstrip()}\nr1#\n"}, peer="10.0.0.2")
    assert framed.routes == plain.routes and len(plain.routes) == 7
    classful = (FIX / "genie_xe_advertised_classful.txt").read_text().splitlines()
    cut = "\n".join(ln for ln in classful if "10.105." not in ln)  # rows gone, "Total number of prefixes 12" kept
    with pytest.raises(ParseError, match="cut short"):
        run("bgp_advertised", {cmd: cut}, peer="10.0.0.2")
