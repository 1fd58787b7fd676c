"""``bgp_advertised`` / ``bgp_received`` on Junos, IOS-XR and EOS, over published captures
(genieparser and ntc-templates tests, batfish lab-validation; Apache-2.0; sources in the READMEs of
tests/fixtures/devices/{juniper_junos,cisco_xr,arista_eos}/peer-routes). Expected values are the
facts the source's own parser test asserts (genieparser ``*_expected.py``, ntc-templates ``.yml``)
or, where it asserts none, read by hand from the capture."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.getters import resolve_getter
from netops.devices.parsers import ParseError
from netops.devices.policy import check_command
from netops.errors import NotFoundError

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"
JUNOS = SimpleNamespace(name="mx1", platform="juniper_junos")
XR = SimpleNamespace(name="pe1", platform="cisco_xr")
EOS = SimpleNamespace(name="leaf1", platform="arista_eos")
INVALID = "% Invalid input detected at '^' marker.\n"


def fixture(platform: str, name: str) -> str:
    return (FIX / platform / "peer-routes" / name).read_text()


def run(getter: str, outputs: dict[str, str], host, **kw):
    sent: list[str] = []

    def read(command: str) -> str:
        sent.append(command)
        return outputs.get(command, INVALID)

    _, fn = resolve_getter(getter, dict(kw))
    kw.setdefault("family", None)
    return fn(host, read, **kw), sent


# -- Junos ---------------------------------------------------------------------------------------

def test_junos_advertised_routes_with_confederation_paths():
    out, sent = run("bgp_advertised", {"show route advertising-protocol bgp 10.189.5.253":
                                       fixture("juniper_junos", "genie_advertising_1.txt")}, JUNOS,
                    peer="10.189.5.253")
    assert sent == ["show route advertising-protocol bgp 10.189.5.253"]
    # genieparser's expected: 5 routes, next hop Self, AS path "(65151 65000) I", all active
    assert [p.prefix for p in out.routes] == ["10.220.0.0/16", "10.229.0.0/16", "10.189.0.0/16", "10.151.0.0/16",
                                              "10.115.0.0/16"]
    assert {(p.next_hop, p.as_path, p.origin, p.best) for p in out.routes} == {(None, "(65151 65000)", "IGP", True)}


def test_junos_a_path_is_told_from_med_and_local_preference_by_its_column():
    two = run("bgp_advertised", {"show route advertising-protocol bgp 10.145.0.3":
                                 fixture("juniper_junos", "genie_advertising_2.txt")}, JUNOS, peer="10.145.0.3")[0]
    assert [(p.prefix, p.as_path, p.origin) for p in two.routes] == [
        ("0.0.0.0/0", "", "IGP"), ("10.4.1.1/32", "", "IGP"), ("10.36.3.3/32", "2", "IGP")]  # genie: "I", "I", "2 I"
    four = run("bgp_advertised", {"show route advertising-protocol bgp 10.135.0.2":
                                  fixture("juniper_junos", "genie_advertising_4.txt")}, JUNOS, peer="10.135.0.2")[0]
    assert [(p.prefix, p.as_path) for p in four.routes] == [("10.81.123.0/32", "67890 [1]")]  # not a MED of 67890


def test_junos_ipv6_prefixes_wrapped_onto_their_own_line():
    peer = "2001:db8:7fc5:ca45::1"
    out, sent = run("bgp_advertised", {f"show route advertising-protocol bgp {peer}":
                                       fixture("juniper_junos", "genie_advertising_3.txt")}, JUNOS, peer=peer)
    assert out.afi_safi == "ipv6-unicast" and len(out.routes) == 13
    # genie: MED 2 / local preference 100 are not in the path; two routes keep a real next hop
    assert out.routes[0].prefix == "2001:db8:7fc5:ca45::1/128" and out.routes[0].as_path == ""
    assert [(p.prefix, p.next_hop) for p in out.routes if p.next_hop] == [
        ("2001:db8:7fc5:9a4b::2/128", "2001:db8:7fc5:ca45::2"), ("2001:db8:7fc5:9a4b::3/128", "2001:db8:7fc5:ca45::3")]


def test_junos_received_reads_only_the_family_table():
    out, sent = run("bgp_received", {"show route receive-protocol bgp 10.189.5.253":
                                     fixture("juniper_junos", "genie_receive_1.txt")}, JUNOS, peer="10.189.5.253")
    assert sent == ["show route receive-protocol bgp 10.189.5.253"]
    # 8 inet.0 routes from the peer; the empty inet.3 / mpls.0 / inet6.0 blocks add nothing
    assert len(out.routes) == 8 and {(p.peer, p.next_hop, p.as_path) for p in out.routes} == {
        ("10.189.5.253", "10.189.5.253", "(65151 65000)")}
    assert out.before_policy is None and "import policy" in out.note
    v6 = run("bgp_received", {"show route receive-protocol bgp 2001:db8:7fc5:ca45::4":
                              fixture("juniper_junos", "genie_receive_2.txt")}, JUNOS,
             peer="2001:db8:7fc5:ca45::4")[0]
    assert len(v6.routes) == 17 and v6.routes[0].prefix == "2001:db8:7fc5:ca45::1/128"


def test_junos_vrf_table_and_errors():
    cmd = "show route advertising-protocol bgp 10.0.0.2 table CUST-A.inet.0"
    text = fixture("juniper_junos", "genie_advertising_2.txt").replace("inet.0:", "CUST-A.inet.0:")
    out, sent = run("bgp_advertised", {cmd: text}, JUNOS, peer="10.0.0.2", vrf="CUST-A")
    assert sent == [cmd] and len(out.routes) == 3 and out.vrf == "CUST-A"
    assert check_command(cmd, "juniper_junos").allowed
    with pytest.raises(ParseError, match="syntax error"):
        run("bgp_advertised", {"show route advertising-protocol bgp 10.0.0.2": "error: syntax error, expecting <command>"},
            JUNOS, peer="10.0.0.2")
    with pytest.raises(ParseError, match="not recognised"):  # another command's output
        run("bgp_advertised", {"show route advertising-protocol bgp 10.0.0.2":
                               fixture("cisco_xr", "genie_advertised_1.txt")}, JUNOS, peer="10.0.0.2")


# -- IOS-XR --------------------------------------------------------------------------------------

XR_ADV = "show bgp ipv4 unicast neighbors 10.10.10.107 advertised-routes"


def test_xr_advertised_routes_origin_glued_to_the_path():
    out, sent = run("bgp_advertised", {XR_ADV: fixture("cisco_xr", "genie_advertised_1.txt")}, XR, peer="10.10.10.107")
    assert sent == [XR_ADV]
    # genie: 3 routes, next hop 10.10.10.108, path "65108.65108", origin "?"
    assert sorted(p.prefix for p in out.routes) == ["10.10.10.0/24", "10.8.8.8/32", "192.168.52.0/24"]
    assert {(p.next_hop, p.as_path, p.origin) for p in out.routes} == {("10.10.10.108", "65108.65108", "incomplete")}


def test_xr_advertised_picks_the_family_section_and_skips_route_distinguishers():
    fams = fixture("cisco_xr", "genie_advertised_families.txt")
    assert run("bgp_advertised", {XR_ADV: fams}, XR, peer="10.10.10.107")[0].routes == []  # IPv4 Unicast is empty
    vrf = fixture("cisco_xr", "ntc_advertised_vrf.txt")
    cmd = "show bgp vrf VRF_NAME:9196 ipv4 unicast neighbors 10.244.28.102 advertised-routes"
    out, sent = run("bgp_advertised", {cmd: vrf}, XR, peer="10.244.28.102", vrf="VRF_NAME:9196")
    assert sent == [cmd] and check_command(cmd, "cisco_xr").allowed
    # ntc-templates' yml: first row 0.0.0.0/0 via 10.164.199.181, path "3222 65401i"
    first = out.routes[0]
    assert (first.prefix, first.next_hop, first.as_path, first.origin) == ("0.0.0.0/0", "10.164.199.181", "3222 65401",
                                                                             "IGP")
    assert len(out.routes) == vrf.count("10.164.199.181")


def test_xr_received_accepted_table_and_no_soft_reconfiguration():
    base = "show bgp ipv4 unicast neighbors 10.10.10.107"
    out, sent = run("bgp_received", {f"{base} routes": fixture("cisco_xr", "genie_routes_1.txt"),
                                     f"{base} received routes": "% Inbound soft reconfiguration not enabled\n"},
                    XR, peer="10.10.10.107")
    assert sent == [f"{base} routes", f"{base} received routes"]
    # genie: 10.7.7.7/32 best (*>), the other two valid only; metric 0, weight 0, path 65107.65107 ?
    assert [(p.prefix, p.best, p.as_path, p.origin) for p in out.routes] == [
        ("10.7.7.7/32", True, "65107.65107", "incomplete"), ("10.10.10.0/24", False, "65107.65107", "incomplete"),
        ("192.168.52.0/24", False, "65107.65107", "incomplete")]
    assert out.before_policy is None and "soft-reconfiguration" in out.note
    for what in ("routes", "received routes", "advertised-routes"):
        assert check_command(f"{base} {what}", "cisco_xr").allowed


def test_xr_received_routes_of_a_vrf_peer():
    base = "show bgp vrf UIE-INET-EDGE ipv4 unicast neighbors 10.156.17.25"
    table = fixture("cisco_xr", "genie_received_vrf.txt")
    out, _ = run("bgp_received", {f"{base} routes": table, f"{base} received routes": table}, XR,
                 peer="10.156.17.25", vrf="UIE-INET-EDGE")
    # genie: 0.0.0.0/0 via 10.156.17.25, path "65004.19113 7018", origin i; six rows in all
    assert len(out.routes) == 6 and len(out.before_policy) == 6
    assert (out.routes[0].prefix, out.routes[0].as_path, out.routes[0].origin) == ("0.0.0.0/0", "65004.19113 7018", "IGP")


def test_xr_unknown_peer_and_another_commands_output():
    with pytest.raises(NotFoundError):
        run("bgp_advertised", {XR_ADV: "Tue Nov 26 00:00:10.176 BRA\n% Neighbor not found\n"}, XR, peer="10.10.10.107")
    with pytest.raises(ParseError, match="not recognised"):
        run("bgp_advertised", {XR_ADV: fixture("juniper_junos", "genie_advertising_1.txt")}, XR, peer="10.10.10.107")


# -- EOS -----------------------------------------------------------------------------------------

EOS_ADV = "show ip bgp neighbors 10.0.0.1 advertised-routes"


def test_eos_json_table_with_ecmp_paths():
    text = fixture("arista_eos", "bf_bl01_show_ip_bgp_vrf_all_json.txt")  # the eAPI BGP table shape
    out, sent = run("bgp_advertised", {f"{EOS_ADV} | json": text}, EOS, peer="10.0.0.1")
    assert sent == [f"{EOS_ADV} | json"]
    # read by hand: 0.0.0.0/0 via 10.2.1.0 "65301 65401 577 65537 i"; 10.1.1.1/32 has two ECMP paths, one active
    first = out.routes[0]
    assert (first.prefix, first.next_hop, first.as_path, first.origin, first.best) == (
        "0.0.0.0/0", "10.2.1.0", "65301 65401 577 65537", "IGP", True)
    two = [(p.next_hop, p.best) for p in out.routes if p.prefix == "10.1.1.1/32"]
    assert two == [("10.0.0.1", True), ("10.0.0.3", False)]
    local = next(p for p in out.routes if p.prefix == "10.1.3.1/32")
    assert (local.next_hop, local.as_path, local.origin) == (None, "", "IGP")  # originated here: no next hop
    assert check_command(f"{EOS_ADV} | json", "arista_eos").allowed


def test_eos_text_when_json_is_refused_and_a_vrf():
    text = ("BGP routing table information for VRF CUST-A\n"
            "Router identifier 10.103.1.1, local AS number 103\n"
            "Route status codes: s - suppressed, * - valid, > - active, # - not installed, E - ECMP head, e - ECMP\n"
            "Origin codes: i - IGP, e - EGP, ? - incomplete\n\n"
            "       Network             Next Hop         Metric  LocPref Weight Path\n"
            " * >   10.103.1.0/24       -                1       0       -       i\n"
            " * #   10.104.1.0/24       10.10.10.20      0       100     0       104 i\n")
    cmd = f"{EOS_ADV} vrf CUST-A"
    out, sent = run("bgp_advertised", {f"{cmd} | json": "% This is an unconverted command\n", cmd: text}, EOS,
                    peer="10.0.0.1", vrf="CUST-A")
    assert sent == [f"{cmd} | json", cmd]
    assert [(p.prefix, p.next_hop, p.as_path, p.origin, p.best) for p in out.routes] == [
        ("10.103.1.0/24", None, "", "IGP", True), ("10.104.1.0/24", "10.10.10.20", "104", "IGP", False)]


def test_eos_received_keeps_what_was_sent_before_policy():
    text = fixture("arista_eos", "bf_bl01_show_ip_bgp_vrf_all_json.txt")
    base = "show ip bgp neighbors 10.0.0.1"
    out, sent = run("bgp_received", {f"{base} routes | json": text, f"{base} received-routes | json": text}, EOS,
                    peer="10.0.0.1")
    assert sent == [f"{base} routes | json", f"{base} received-routes | json"]
    assert len(out.routes) == len(out.before_policy) == 22 and all(p.peer == "10.0.0.1" for p in out.routes)


@pytest.mark.parametrize("host,command", [
    (JUNOS, "show route advertising-protocol bgp 10.0.0.2"),
    (XR, "show bgp ipv4 unicast neighbors 10.0.0.2 advertised-routes"),
    (EOS, "show ip bgp neighbors 10.0.0.2 advertised-routes | json"),
])
@pytest.mark.parametrize("bad", ["% Invalid input detected at '^' marker.", "Interface  IP-Address  OK? Method Status\n"
                                 "Gi1 10.0.0.1 YES NVRAM up"])
def test_every_platform_refuses_an_error_or_another_commands_output(host, command, bad):
    with pytest.raises((ParseError, NotFoundError)):
        run("bgp_advertised", {command: bad}, host, peer="10.0.0.2")


@pytest.mark.parametrize("peer", ["10.0.0.2 | count", "10.0.0.2\nshow run", "10.0.0.2; reload", "r2 extra"])
def test_a_peer_that_is_not_an_address_or_a_name_is_refused_before_anything_runs(peer):
    from netops.errors import InputError

    with pytest.raises(InputError):
        resolve_getter("bgp_advertised", {"peer": peer})


def test_eos_a_vpn_table_is_not_read_as_unicast():
    text = ("BGP routing table information for VRF default\n"
            "Router identifier 100.0.0.161, local AS number 1\n\n"
            "          Network                Next Hop              Metric  LocPref Weight  Path\n"
            " * >      RD: 2000:161 IPv4 prefix 20.10.31.0/24\n"
            "                                 2002::161             -       100     0       i\n")
    with pytest.raises(ParseError, match="cannot read the row"):
        run("bgp_advertised", {f"{EOS_ADV} | json": "% Invalid input\n", EOS_ADV: text}, EOS, peer="10.0.0.1")
