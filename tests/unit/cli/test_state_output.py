"""`netops state` piped: tables at their natural width (nothing cut to 80 columns with '…'),
so `| grep Established` finds the peer; and the getter may come first (`state bgp r1`).
Over the FRR simulator as the SSH transport."""

from __future__ import annotations

import json

import pytest

from netops.cli.main import main
from tests.unit.playbook.conftest import pb_dir, pb_settings, sim  # noqa: F401


@pytest.fixture
def cli(pb_settings, sim, monkeypatch):  # noqa: F811
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", sim)
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setenv("COLUMNS", "30")  # far narrower than the table
    return sim


def _peers(capsys, *args):
    assert main(["state", *args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    return [(n["peer"], n["state"]) for host in doc["results"].values() for n in host["data"]["neighbors"]]


def test_piped_state_table_is_not_cut_to_the_terminal_width(cli, capsys):
    peers = _peers(capsys, "r1,r2", "bgp")
    assert peers
    assert main(["state", "r1,r2", "bgp"]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    rows = [line for line in out.splitlines() if any(p in line for p, _ in peers)]
    for peer, state in peers:
        assert any(peer in row and state in row for row in rows), (peer, state, out)


def test_getter_first_is_understood(cli, capsys):
    assert main(["state", "r1", "bgp"]) == 0
    expected = capsys.readouterr().out
    assert main(["state", "bgp", "r1"]) == 0
    assert capsys.readouterr().out == expected


def test_two_unknown_words_still_fail_with_the_getter_list(cli, capsys):
    assert main(["state", "r1", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "unknown getter 'nosuch'" in err and "bgp_neighbors" in err


@pytest.mark.parametrize("typo, meant", [("bgpp", "bgp"), ("interface", "interfaces"), ("advertized", "advertised"),
                                         ("rout", "route")])
def test_a_mistyped_getter_suggests_the_one_meant(cli, capsys, typo, meant):
    """'netops state r1 bgpp' listed all eleven getters; it now says which one was meant, as a
    mistyped command does."""
    assert main(["state", "r1", typo]) == 2
    assert f"unknown getter {typo!r}; did you mean {meant!r}?" in capsys.readouterr().err


def test_vrf_keeps_that_vrfs_sessions(cli, capsys):
    assert _peers(capsys, "r1", "bgp", "--vrf", "default")
    assert main(["state", "r1", "bgp", "--vrf", "CUST-A", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    data = doc["results"]["r1"]["data"]
    assert data["neighbors"] == [] and "no BGP sessions in VRF CUST-A" in data["note"]
    assert main(["state", "r1", "bgp", "--vrf", "CUST-A | include x"]) == 2
    assert "not a VRF name" in capsys.readouterr().err


def _data(capsys, *args):
    assert main(["state", *args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    return {h: r["data"] for h, r in doc["results"].items()}


def test_the_prefix_may_follow_the_getter(cli, capsys):
    """`netops state r1 route 203.0.113.2` is how people type it; it was 'unexpected extra argument'."""
    by_option = _data(capsys, "r1", "route", "--prefix", "203.0.113.2")
    assert by_option["r1"]["query"] == "203.0.113.2"
    assert _data(capsys, "r1", "route", "203.0.113.2") == by_option
    assert _data(capsys, "route", "r1", "203.0.113.2") == by_option


@pytest.mark.parametrize("args, message", [
    (["r1", "bgp", "r2"], "the 'bgp_neighbors' getter takes no argument (got 'r2')"),
    (["r1", "route", "203.0.113.2", "--prefix", "203.0.113.1"], "two prefixes given"),
    (["r1", "advertised", "r2", "--peer", "r3"], "two peers given"),
])
def test_an_argument_that_does_not_fit_is_a_one_line_error(cli, capsys, args, message):
    assert main(["state", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err and not captured.out


def test_piped_messages_are_not_folded_at_80_columns(capsys):
    from netops.cli._common import console

    line = "change denied by root: no terminal to ask for approval (use --yes with an approval policy) " * 2
    console(stderr=True).print(line.strip())
    assert capsys.readouterr().err.strip() == line.strip()


def test_a_peer_no_host_has_exits_not_found(cli, capsys):
    """'netops state r1 advertised r9' (r1 has no such peer) is 'not found', exit 4, as
    'netops state r9 bgp' is; it exited 1 (failed), which says the device read went wrong."""
    assert main(["state", "r1", "advertised", "r9"]) == 4
    captured = capsys.readouterr()
    assert "no BGP peer named 'r9'" in captured.out + captured.err
    assert main(["state", "r1", "advertised", "r9", "--json"]) == 4
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"]["r1"]["error_type"] == "NotFoundError"
    assert main(["state", "r1,r2", "advertised", "r9"]) == 4


def test_an_option_the_getter_does_not_take_is_one_line_of_bad_input(cli, capsys):
    """'state r1 route P --peer r2' was 'InternalError: unexpected TypeError: route() got an
    unexpected keyword argument' per host (exit 1); 'state r1 bgp --family ipv6' blamed a
    '--peer' nobody gave. Both are exit 2 naming only what was given."""
    assert main(["state", "r1", "route", "203.0.113.1", "--peer", "r2"]) == 2
    captured = capsys.readouterr()
    assert "TypeError" not in captured.out + captured.err and "takes only a prefix (got peer)" in captured.err
    assert main(["state", "r1", "bgp", "--family", "ipv6"]) == 2
    err = capsys.readouterr().err
    assert "(got family)" in err and "peer" not in err


def _bgpd_down(sim, name):
    """bgpd stopped on ``name``: vtysh says so to every BGP read; the configuration still has BGP."""
    router = sim.routers[name]
    show = router.show
    router.show = lambda command: "bgpd is not running\n" if " bgp " in f" {command} " else show(command)


def test_bgp_that_should_run_but_does_not_is_a_fault_state_exits_non_zero(cli, capsys):
    """tail33: 'netops state r2 bgp' exited 0 with bgpd down on a router configured for BGP (the
    getter's `expected`), where 'netops show' exits 1: a script checking the exit status missed it.
    Now 1 (every host faulted), the fault on stderr, and `--json` names it (`faults`, `fault`)."""
    _bgpd_down(cli, "r2")
    assert main(["state", "r2", "bgp"]) == 1
    got = capsys.readouterr()
    line = next(ln for ln in got.err.splitlines() if ln.startswith("r2: "))
    assert "BGP should run on this device" in line and "but is not running" in line, got.err
    assert main(["state", "r2", "bgp", "--json"]) == 1
    got = capsys.readouterr()
    doc = json.loads(got.out)
    assert "should run" in doc["faults"]["r2"] and doc["results"]["r2"]["fault"] == doc["faults"]["r2"]
    assert doc["results"]["r2"]["ok"] is True and doc["results"]["r2"]["data"]["expected"]  # the state is still there
    assert "r2: BGP should run" in got.err
    # beside a healthy router: partial (7), as for `netops show`
    assert main(["state", "r1,r2", "bgp"]) == 7
    assert "r1: " not in capsys.readouterr().err


def test_healthy_bgp_has_no_fault(cli, capsys):
    assert main(["state", "r1,r2", "bgp", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["faults"] == {} and all(r["fault"] is None for r in doc["results"].values())


@pytest.mark.parametrize("args", [["advertised", "all"], ["bgp_routes", "203.0.113.0/24"], ["bgp", "--vrf", "CUST-A"]])
def test_the_other_bgp_reads_of_a_router_whose_bgpd_is_down_are_faults_too(cli, capsys, args):
    """tail33: with bgpd down on r2 (configured for BGP), 'state r2 advertised all' and 'state r2
    bgp_routes P' exited 0 with 'BGP is not configured or not running' (the peer getters read the
    sessions around the `expected` check): now 1 and the same stderr line as `state r2 bgp`."""
    _bgpd_down(cli, "r2")
    assert main(["state", "r2", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("r2: BGP should run on this device ('router bgp 65002' in its running configuration)"), err


def test_a_named_peer_on_a_router_whose_bgpd_is_down_is_not_called_unknown(cli, capsys):
    """'state r2 advertised r1' with bgpd down said r2 had no such peer (exit 4, not found): it is
    BGP that is down (exit 1), and the reason says so."""
    _bgpd_down(cli, "r2")
    assert main(["state", "r2", "advertised", "r1", "--json"]) == 1
    r2 = json.loads(capsys.readouterr().out)["results"]["r2"]
    assert not r2["ok"] and "BGP should run on this device" in r2["error"] and "with r1" in r2["error"], r2


def test_bgp_down_on_a_router_nothing_says_should_run_it_is_no_fault(cli, capsys):
    """No BGP in the configuration and none in the inventory: 'not running' is that router's state."""
    router = cli.routers["r2"]
    router.tree.children = [c for c in router.tree.children if not c.line.startswith("router bgp ")]
    assert main(["state", "r2", "bgp", "--json"]) == 0
    got = capsys.readouterr()
    assert json.loads(got.out)["faults"] == {} and "r2:" not in got.err


def test_piped_state_of_several_hosts_names_the_host_on_every_line(cli, capsys):
    """`netops state all bgp | grep Established` must say which router each session is on (as
    `netops show` does piped): every line of a host's table starts `host: `; one host stays bare."""
    peers = {host: {n["peer"] for n in r["data"]["neighbors"]}
             for host, r in (json.loads((main(["state", "r1,r2", "bgp", "--json"]), capsys.readouterr().out)[1])
                             ["results"].items())}
    assert main(["state", "r1,r2", "bgp"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(ln.startswith(("r1: ", "r2: ")) for ln in lines), lines
    for host, addresses in peers.items():
        for peer in addresses:
            assert any(ln.startswith(f"{host}: ") and f" {peer} " in ln for ln in lines), (host, peer, lines)
    assert not any(ln.startswith(("r1: r1", "r2: r2")) for ln in lines)  # the title does not name it twice
    assert main(["state", "r1", "bgp"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "r1: bgp_neighbors"
