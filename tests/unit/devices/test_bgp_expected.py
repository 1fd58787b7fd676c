"""A device that says BGP is not running but should run it is a fault, not a router without BGP
(trial32: with bgpd stopped on r3, "is r3 healthy?" had no verdict: FRR's "bgpd is not running" is
also what a router without BGP says). What tells them apart: BGP in the running configuration, or
the inventory's AS number or BGP neighbours for the device."""

from __future__ import annotations

import pytest

from netops.devices.credentials import Credentials
from netops.devices.getters import resolve_getter
from netops.devices.inventory import Host



def _host(platform: str, **data):
    return Host(name="r2", hostname="127.0.0.1", port=22, platform=platform, credentials=Credentials(), data=data)


def _bgp(host, outputs: dict[str, str]):
    sent: list[str] = []

    def read(command: str) -> str:
        sent.append(command)
        return outputs.get(command, "% Unknown command: " + command)

    _, get = resolve_getter("bgp", {})
    return get(host, read), sent


FRR_DOWN = {"show bgp summary json": "bgpd is not running\n", "show bgp vrf all summary json": "bgpd is not running\n",
            # vtysh builds the running configuration from the daemons: with bgpd down, no "router bgp"
            "show running-config": "frr version 8.4.4\nhostname r2\n!\ninterface eth-r1\n ip address 198.51.100.2/30\nexit\n!\nend\n"}


def test_frr_bgpd_down_on_a_router_the_inventory_gives_an_as_number_is_a_fault():
    found, sent = _bgp(_host("frr", asn=65002), FRR_DOWN)
    assert found.expected == "the inventory gives it AS 65002"
    assert found.note.startswith("BGP should run on this device (the inventory gives it AS 65002) but is not running")
    assert "bgpd is not running" in found.note
    assert "show running-config" in sent  # looked for BGP configuration first


def test_inventory_bgp_neighbours_also_say_it_should_run():
    found, _ = _bgp(_host("frr", bgp_neighbors={"198.51.100.1": {"peer": "r1"}}), FRR_DOWN)
    assert found.expected == "the inventory lists 1 BGP neighbour(s) for it"


def test_a_router_without_bgp_stays_no_verdict():
    found, _ = _bgp(_host("frr"), FRR_DOWN)
    assert found.expected is None
    assert found.note == "BGP is not configured or not running on this device (the device said: bgpd is not running)"


@pytest.mark.parametrize(("config", "expected"), [
    ("hostname r2\n!\nrouter bgp 65002\n bgp router-id 10.0.0.2\n!\nend\n", "'router bgp 65002' in its running configuration"),
    ("hostname r2\n!\nrouter ospf 1\n!\nend\n", None),
])
def test_ios_bgp_in_the_running_configuration_says_it_should_run(config, expected):
    outputs = {"show bgp all summary": "% BGP not active\n", "show ip bgp all summary": "% BGP not active\n",
               "show ip bgp summary": "% BGP not active\n", "show running-config": config}
    found, _ = _bgp(_host("cisco_ios"), outputs)
    assert not found.neighbors
    assert found.expected == expected
    assert ("should run" in found.note) == bool(expected), found.note


def test_a_device_running_bgp_is_not_read_again():
    ok = {"show bgp summary json": '{"ipv4Unicast": {"routerId": "10.0.0.2", "as": 65002, "peers": {}}}',
          "show bgp vrf all summary json": '{"default": {"ipv4Unicast": {"routerId": "10.0.0.2", "as": 65002, "peers": {}}}}'}
    found, sent = _bgp(_host("frr", asn=65002), ok)
    assert found.expected is None and "show running-config" not in sent


def test_the_health_reading_counts_it_as_down():
    from netops.agent.grounding import _health
    from netops.devices.results import AggregateResult, HostResult

    down, _ = _bgp(_host("frr", asn=65002), FRR_DOWN)
    without, _ = _bgp(_host("frr"), FRR_DOWN)
    assert _health("bgp_neighbors", AggregateResult("get", {"r2": HostResult("r2", True, data=down)})) == -1
    assert _health("bgp_neighbors", AggregateResult("get", {"r2": HostResult("r2", True, data=without)})) is None


# review33: on lab 80, "no router bgp 65003" on r3 (bgpd running) was reported as "BGP should run on
# this device (the inventory gives it AS 65003) but is not running": a router simply without BGP.
FRR_NO_BGP = {"show bgp summary json": "{}\n", "show bgp vrf all summary json": "{\n}\n",  # as lab 80's r3 said
              "show running-config": FRR_DOWN["show running-config"]}


def test_frr_with_bgpd_running_and_no_bgp_configured_stays_no_bgp_whatever_the_inventory_says():
    found, sent = _bgp(_host("frr", asn=65003, bgp_neighbors={"198.51.100.9": {"peer": "r1"}}), FRR_NO_BGP)
    assert "show running-config" in sent
    assert found.expected is None and "should run" not in (found.note or ""), found.note


def test_ios_configuration_without_bgp_outweighs_the_inventory():
    outputs = {"show bgp all summary": "% BGP not active\n", "show ip bgp all summary": "% BGP not active\n",
               "show ip bgp summary": "% BGP not active\n", "show running-config": "hostname r2\n!\nrouter ospf 1\n!\nend\n"}
    found, _ = _bgp(_host("cisco_ios", asn=65002), outputs)
    assert found.expected is None


def test_an_unreadable_configuration_leaves_the_inventory_to_tell():
    from netops.errors import CommandTimeout

    outputs = {"show bgp all summary": "% BGP not active\n", "show ip bgp all summary": "% BGP not active\n",
               "show ip bgp summary": "% BGP not active\n"}

    def read(command: str) -> str:
        if command == "show running-config":
            raise CommandTimeout("no answer in 30 s")
        return outputs.get(command, "% Unknown command: " + command)

    _, get = resolve_getter("bgp", {})
    found = get(_host("cisco_ios", asn=65002), read)
    assert found.expected == "the inventory gives it AS 65002"


def test_a_device_that_should_run_bgp_is_down_beside_others_whose_sessions_are_up():
    """review33: "is BGP healthy on r1 and r2?" with r2's bgpd down and r1's listed sessions
    Established read healthy (r1's rows were judged, r2's fault was not)."""
    from netops.agent.grounding import _health
    from netops.devices.models import BgpNeighbor, BgpNeighbors
    from netops.devices.results import AggregateResult, HostResult

    down, _ = _bgp(_host("frr", asn=65002), FRR_DOWN)
    up = BgpNeighbors(neighbors=[BgpNeighbor(peer="198.51.100.10", remote_as=65003, state="Established", established=True,
                                                admin_down=False)])
    agg = AggregateResult("get", {"r1": HostResult("r1", True, data=up), "r2": HostResult("r2", True, data=down)})
    assert _health("bgp_neighbors", agg) == -1
    assert _health("bgp_neighbors", AggregateResult("get", {"r1": HostResult("r1", True, data=up)})) == 1


@pytest.mark.parametrize("reply", ["% Invalid input detected at '^' marker.\n", "% Authorization failed.\n", ""])
def test_a_configuration_read_answered_with_an_error_leaves_the_inventory_to_tell(reply):
    """A user without the privilege for `show running-config` gets an error reply, not the
    configuration: it shows no BGP because it shows nothing."""
    outputs = {"show bgp all summary": "% BGP not active\n", "show ip bgp all summary": "% BGP not active\n",
               "show ip bgp summary": "% BGP not active\n", "show running-config": reply}
    found, _ = _bgp(_host("cisco_ios", asn=65002), outputs)
    assert found.expected == "the inventory gives it AS 65002"
