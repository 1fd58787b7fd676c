"""``bgp_advertised`` / ``bgp_received``: the routes one router exchanges with one BGP peer, over
FRR 8.4 output captured from netops' lab (``tests/fixtures/devices/frr/peer-routes``)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.getters import canonical, resolve_getter
from netops.devices.policy import check_command
from netops.devices.service import DeviceService
from netops.devices.transport import command_slug
from netops.errors import InputError
from netops.testing.transport import FakeTransport

PEER = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "peer-routes"


def captured(state: str) -> dict[str, str]:
    return {f.stem: f.read_text() for f in (PEER / state).glob("*.txt")}


def lab(**hosts: str) -> FakeTransport:
    """Inventory host -> the captured state it replays (``r2="r2-shut"``)."""
    return FakeTransport(outputs={h: captured(state) for h, state in hosts.items()})


def keys(state: str, command: str, table: str) -> set[str]:
    """The prefixes the captured document itself lists (read independently of the parser)."""
    return set(json.loads(captured(state)[command_slug(command)])[table])


def get(dev_settings, fake, host, getter, **kw):
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        return svc.get(host, getter, **kw)[host]


def test_advertised_to_a_peer_by_address(dev_settings):
    r = get(dev_settings, lab(r1="r1"), "r1", "bgp_advertised", peer="198.51.100.2")
    assert r.ok, r.error
    data = r.data
    assert r.command == "show bgp ipv4 unicast neighbors 198.51.100.2 advertised-routes json"
    assert data.direction == "advertised" and data.peer == "198.51.100.2" and data.afi_safi == "ipv4-unicast"
    sent = {p.prefix: p for p in data.routes}
    assert set(sent) == keys("r1", r.command, "advertisedRoutes")
    # read by hand from the capture: r1's own loopback (empty path) and what it relays from r3
    assert sent["203.0.113.1/32"].as_path == "" and sent["203.0.113.1/32"].origin == "IGP"
    assert sent["203.0.113.128/25"].as_path == "65003" and sent["203.0.113.128/25"].best
    assert data.note is None


def test_a_host_name_is_resolved_on_the_asking_router(dev_settings):
    fake = lab(r1="r1")
    r = get(dev_settings, fake, "r1", "bgp_advertised", peer="r2")
    assert r.ok, r.error
    assert r.data.peer == "198.51.100.2" and r.data.peer_name == "r2"
    sent = [c for h, c in fake.sent if h == "r1"]
    assert sent[0] == "show bgp summary json"
    assert sent[-1] == "show bgp ipv4 unicast neighbors 198.51.100.2 advertised-routes json"
    r3 = get(dev_settings, lab(r1="r1"), "r1", "bgp_advertised", peer="R3")
    assert r3.data.peer == "198.51.100.10"


def test_an_unknown_name_lists_the_peers(dev_settings):
    r = get(dev_settings, lab(r1="r1"), "r1", "bgp_advertised", peer="r9")
    assert not r.ok and r.error_type == "NotFoundError"
    assert "no BGP peer named 'r9'" in r.error and "198.51.100.2 (r2)" in r.error and "198.51.100.10 (r3)" in r.error


def test_a_peer_the_router_does_not_have_is_not_found(dev_settings):
    r = get(dev_settings, lab(r1="r1"), "r1", "bgp_advertised", peer="198.51.100.99")
    assert not r.ok and r.error_type == "NotFoundError" and "198.51.100.99" in r.error
    r6 = get(dev_settings, lab(r1="r1"), "r1", "bgp_advertised", peer="198.51.100.2", family="ipv6")
    assert not r6.ok and r6.error_type == "NotFoundError" and "ipv6 unicast" in r6.error


def test_received_without_soft_reconfiguration_says_so(dev_settings):
    r = get(dev_settings, lab(r1="r1"), "r1", "bgp_received", peer="r2")
    assert r.ok, r.error
    data = r.data
    assert data.direction == "received" and data.peer == "198.51.100.2"
    routes_cmd = "show bgp ipv4 unicast neighbors 198.51.100.2 routes json"
    assert {p.prefix for p in data.routes} == set(json.loads(captured("r1")[command_slug(routes_cmd)])["routes"])
    assert all(p.peer == "198.51.100.2" and p.next_hop == "198.51.100.2" for p in data.routes)
    assert data.before_policy is None
    assert "soft-reconfiguration inbound is not enabled" in data.note and "accepted after policy" in data.note


def test_received_with_soft_reconfiguration_has_what_was_sent_before_policy(dev_settings):
    r = get(dev_settings, lab(r2="r2-softreconf"), "r2", "bgp_received", peer="r3")
    assert r.ok, r.error
    data = r.data
    accepted = {p.prefix for p in data.routes}
    sent = {p.prefix: p for p in data.before_policy}
    assert accepted == keys("r2-softreconf", "show bgp ipv4 unicast neighbors 198.51.100.6 routes json", "routes")
    assert set(sent) == keys("r2-softreconf", "show bgp ipv4 unicast neighbors 198.51.100.6 received-routes json",
                             "receivedRoutes")
    # r3 relays r2's own loopback back to it; r2 drops it (its own AS in the path)
    assert set(sent) - accepted == {"203.0.113.2/32"} and sent["203.0.113.2/32"].as_path == "65003 65002"
    assert data.note is None


def test_an_empty_answer_from_a_shut_session_says_the_session_is_down(dev_settings):
    for getter in ("bgp_advertised", "bgp_received"):
        r = get(dev_settings, lab(r2="r2-shut"), "r2", getter, peer="198.51.100.1")
        assert r.ok, r.error
        assert r.data.routes == [] and r.data.session_state == "Idle (Admin)" and r.data.peer_name == "r1"
        assert r.data.note.startswith("the BGP session with 198.51.100.1 is Idle (Admin) (shut down by configuration)")


@pytest.mark.parametrize("kw, message", [
    ({}, "needs a peer"),
    ({"peer": "r2; conf t"}, "not a peer address or a host name"),
    ({"peer": "198.51.100.0/30"}, "not a peer address or a host name"),
    ({"peer": "fe80::1%eth0 | include 65002"}, "not a peer address or a host name"),
    ({"peer": "fe80::1%eth0 advertised-routes"}, "not a peer address or a host name"),
    ({"peer": "r2", "family": "vpnv4"}, "family must be one of"),
    ({"peer": "r2", "prefix": "10.0.0.0/8"}, "takes peer, family and vrf"),
    ({"peer": "r2", "vrf": "CUST-A | include x"}, "not a VRF name"),
    ({"peer": "r2", "vrf": "A\nshow run"}, "not a VRF name"),
])
def test_bad_arguments_are_one_line_input_errors(kw, message):
    with pytest.raises(InputError, match=message):
        resolve_getter("bgp_advertised", dict(kw))


def test_names_and_aliases():
    assert canonical("advertised") == "bgp_advertised" and canonical("received") == "bgp_received"


def test_linux_running_frr_reads_through_vtysh():
    outputs = captured("r1")
    read_commands = []

    def read(command: str) -> str:
        read_commands.append(command)
        assert command.startswith("vtysh -c '") and command.endswith("'")
        return outputs.get(command_slug(command[len("vtysh -c '"):-1]), "% Unknown command")

    name, fn = resolve_getter("bgp_advertised", {"peer": "r2"})
    data = fn(SimpleNamespace(name="h1", platform="linux"), read, peer="r2", family=None)
    assert data.peer == "198.51.100.2" and data.routes
    assert read_commands[-1] == "vtysh -c 'show bgp ipv4 unicast neighbors 198.51.100.2 advertised-routes json'"
    for c in read_commands:
        assert check_command(c, "linux").allowed, c


@pytest.mark.parametrize("what", ["advertised-routes", "received-routes", "routes"])
def test_the_reads_are_on_the_read_only_allowlist(what):
    cmd = f"show bgp ipv4 unicast neighbors 198.51.100.2 {what} json"
    assert check_command(cmd, "frr").allowed
    assert check_command(f"vtysh -c '{cmd}'", "linux").allowed
    # nothing broader: a second vtysh command, or a clear of the same peer, stays refused
    assert not check_command(f"vtysh -c '{cmd}' -c 'clear bgp *'", "linux").allowed
    assert not check_command(f"clear bgp ipv4 unicast 198.51.100.2 soft in", "frr").allowed


INVENTORY_OTHER_NAMES = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  edge-a: {hostname: 127.0.1.1, platform: frr}
  core-b: {hostname: 127.0.1.2, platform: frr}
"""


def test_a_host_the_descriptions_do_not_name_is_found_by_its_own_addresses(settings, tmp_path):
    """The inventory calls r2 'core-b'; r1's neighbour descriptions say 'r2'. core-b's interfaces
    (captured from r2) hold the peer address r1 has: that peer is it."""
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY_OTHER_NAMES)
    r2 = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "r2"
    fake = FakeTransport(outputs={"edge-a": captured("r1"),
                                  "core-b": {f.stem: f.read_text() for f in r2.glob("*.txt")}})
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as svc:
        r = svc.get("edge-a", "bgp_advertised", peer="core-b")["edge-a"]
        assert r.ok, r.error
        assert r.data.peer == "198.51.100.2" and r.data.peer_name == "core-b"
        assert ("core-b", "show interface json") in fake.sent
        # described peers are found without reading anything else
        fake.sent.clear()
        assert svc.get("edge-a", "bgp_advertised", peer="r3")["edge-a"].data.peer == "198.51.100.10"
        assert {h for h, _ in fake.sent} == {"edge-a"}


def test_dual_stack_peering_picks_the_asked_family():
    from netops.devices.models import BgpNeighbor, BgpNeighbors
    from netops.devices.peer_routes import resolve

    rows = BgpNeighbors(neighbors=[
        BgpNeighbor(peer="2001:db8::2", state="Established", established=True, description="r2",
                    afi_safi="ipv6-unicast"),
        BgpNeighbor(peer="198.51.100.2", state="Established", established=True, description="r2"),
    ])
    assert resolve(rows, "r2", None, "r1")[0] == "198.51.100.2"
    assert resolve(rows, "r2", "ipv6", "r1")[0] == "2001:db8::2"
    rows.neighbors.append(BgpNeighbor(peer="198.51.100.6", state="Established", established=True, description="r2"))
    with pytest.raises(InputError, match="more than one BGP peer"):
        resolve(rows, "r2", None, "r1")
