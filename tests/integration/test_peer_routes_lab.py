"""Which prefixes does r1 advertise to r2? Asked offline through the library on the real FRR lab;
the expected prefixes are read from the routers' own BGP tables with vtysh (not through netops)."""

from __future__ import annotations

import pytest

from netops.lab.topology import R3_EXTRA_PREFIX

pytestmark = pytest.mark.lab


def _best_prefixes(lab, router: str) -> set[str]:
    """Every prefix with a best path in ``router``'s BGP table: with no outbound policy in the lab,
    what it advertises to each eBGP peer."""
    doc = lab.lab.vtysh_json(router, "show bgp ipv4 unicast json")
    return {prefix for prefix, paths in doc["routes"].items() if any(p.get("bestpath") for p in paths)}


def _paths_from(lab, router: str, peer_address: str) -> set[str]:
    """The prefixes of ``router``'s BGP table with a path from ``peer_address``."""
    doc = lab.lab.vtysh_json(router, "show bgp ipv4 unicast json")
    return {prefix for prefix, paths in doc["routes"].items() if any(p.get("peerId") == peer_address for p in paths)}


def _address(lab, router: str, peer: str) -> str:
    """``peer``'s address on its link with ``router`` (the lab's BGP neighbour address)."""
    return next(link.peer_address for r in lab.info.routers if r.name == router for link in r.links if link.peer == peer)


def _advertised_settles(lab, router: str, peer_address: str, expected: set[str], timeout: float = 20.0) -> None:
    """Wait until ``router`` has sent ``peer_address`` every prefix of ``expected`` (read with
    vtysh). An earlier test's router restart leaves the session Established a moment before FRR
    has filled its Adj-RIB-Out (CI once saw 0 of 4 prefixes)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        doc = lab.lab.vtysh_json(router, f"show bgp ipv4 unicast neighbors {peer_address} advertised-routes json")
        if set(doc.get("advertisedRoutes") or {}) >= expected or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def _ask(lab, question: str):
    from netops.session import Session

    with Session(lab.settings, surface="test") as session:
        return session.assistant().ask(question, offline=True)


def test_which_prefixes_r1_advertises_to_r2(lab, small_defaults):
    assert "route-map" not in lab.lab.running_config("r1")  # no outbound policy: the best paths go out
    expected = _best_prefixes(lab, "r1")
    loopbacks = {f"{r.loopback}/32" for r in lab.info.routers}
    assert loopbacks | {R3_EXTRA_PREFIX} <= expected
    r2_address = _address(lab, "r1", "r2")
    _advertised_settles(lab, "r1", r2_address, expected)
    answer = _ask(lab, "which prefixes does r1 advertise to r2?")
    text = answer.text
    assert answer.mode == "offline" and "intent: bgp_advertised on r1" in text, text
    assert f"routes advertised to r2 ({r2_address}), ipv4-unicast: {len(expected)} prefixes" in text, text
    listed = {line[2:].split(":")[0] for line in text.splitlines() if line.startswith("- 203.") or line.startswith("- 198.")}
    assert listed == expected, text
    calls = answer.tool_calls
    assert [c.tool for c in calls] == ["get_state"] and calls[0].ok


def test_routes_r2_receives_from_r3(lab, small_defaults):
    r3_address = _address(lab, "r2", "r3")
    expected = _paths_from(lab, "r2", r3_address)
    assert R3_EXTRA_PREFIX in expected
    answer = _ask(lab, "routes r2 receives from r3")
    text = answer.text
    assert f"routes accepted from r3 ({r3_address}), ipv4-unicast: {len(expected)} prefixes" in text, text
    listed = {line[2:].split(":")[0] for line in text.splitlines() if line.startswith("- 203.") or line.startswith("- 198.")}
    assert listed == expected, text
    # the lab keeps no pre-policy copy: the answer says so instead of failing
    assert "soft-reconfiguration inbound is not enabled" in text


def test_state_cli_advertised_to_a_host_by_name(lab, capsys, monkeypatch):
    import json

    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.info.inventory_path))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.info.known_hosts_path))
    _advertised_settles(lab, "r3", _address(lab, "r3", "r1"), _best_prefixes(lab, "r3"))
    assert main(["state", "r3", "advertised", "--peer", "r1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["results"]["r3"]
    assert doc["data"]["peer"] == _address(lab, "r3", "r1") and doc["data"]["peer_name"] == "r1"
    assert {r["prefix"] for r in doc["data"]["routes"]} == _best_prefixes(lab, "r3")
    # a peer argument a getter does not take, and a peer that is not a name: one line, exit 2
    assert main(["state", "r3", "bgp", "--peer", "r1"]) == 2
    assert main(["state", "r3", "advertised", "--peer", "r1;x"]) == 2
    err = capsys.readouterr().err
    assert "takes no arguments (got peer)" in err and "is not a peer address or a host name" in err
    assert "Traceback" not in err


def test_what_r3_advertises_to_each_peer(lab, small_defaults):
    """No peer named: each of r3's peers, each list checked against r3's own table (vtysh)."""
    expected = _best_prefixes(lab, "r3")
    peers = {name: _address(lab, "r3", name) for name in ("r1", "r2")}
    for address in peers.values():
        _advertised_settles(lab, "r3", address, expected)
    answer = _ask(lab, "what is r3 advertising?")
    text = answer.text
    assert "intent: bgp_advertised on r3" in text, text
    for name, address in peers.items():
        assert f"routes advertised to {name} ({address}), ipv4-unicast: {len(expected)} prefixes" in text, text
    answer = _ask(lab, f"is r3 advertising {R3_EXTRA_PREFIX} to anyone?")
    assert f"{R3_EXTRA_PREFIX}: advertised to 2 of 2 peers" in answer.text, answer.text
