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
