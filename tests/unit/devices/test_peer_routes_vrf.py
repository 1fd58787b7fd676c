"""A VRF for the per-peer getters and the BGP neighbours: ``vrf=`` is checked, each platform spells
its reads for a VRF, a peer named by host name is looked for in that VRF only, and ``bgp`` keeps
that VRF's sessions. FRR output is the lab capture (tests/fixtures/devices/frr/peer-routes/r1) with
its default VRF copied as a second VRF ``CUST-A`` where a VRF peer is needed (FRR prints a VRF's
summary and its peer tables in the same shape)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from netops.devices.getters import resolve_getter
from netops.devices.policy import check_command
from netops.devices.transport import command_slug
from netops.errors import InputError, NotFoundError

R1 = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "peer-routes" / "r1"
ADV = "show bgp ipv4 unicast neighbors 198.51.100.2 advertised-routes json"


def r1(command: str) -> str:
    return (R1 / f"{command_slug(command)}.txt").read_text()


def vrf_summary() -> str:
    doc = json.loads(r1("show bgp vrf all summary json"))
    copy = json.loads(json.dumps(doc["default"]))
    for family in copy.values():
        family["vrfName"] = "CUST-A"
    return json.dumps({"default": doc["default"], "CUST-A": copy})


def call(getter: str, host, outputs: dict[str, str], **kw):
    sent: list[str] = []

    def read(command: str) -> str:
        sent.append(command)
        return outputs.get(command, "% Unknown command: " + command)

    _, fn = resolve_getter(getter, dict(kw))
    kw.setdefault("family", None) if "peer" in kw else None
    return fn(host, read, **kw), sent


FRR = SimpleNamespace(name="r1", platform="frr")


def test_frr_vrf_peer_by_name_is_resolved_in_that_vrf_and_read_with_the_vrf():
    vrf_adv = "show bgp vrf CUST-A ipv4 unicast neighbors 198.51.100.2 advertised-routes json"
    out, sent = call("bgp_advertised", FRR, {
        "show bgp summary json": r1("show bgp summary json"), "show bgp vrf all summary json": vrf_summary(), vrf_adv: r1(ADV)},
        peer="r2", vrf="CUST-A")
    assert sent[-1] == vrf_adv and check_command(vrf_adv, "frr").allowed
    assert out.peer == "198.51.100.2" and out.vrf == "CUST-A" and len(out.routes) == len(json.loads(r1(ADV))["advertisedRoutes"])
    from netops.devices.peer_routes import heading

    assert heading(out).endswith("VRF CUST-A")


def test_a_name_is_not_found_in_another_vrf():
    outputs = {"show bgp summary json": r1("show bgp summary json"),
               "show bgp vrf all summary json": r1("show bgp vrf all summary json")}
    with pytest.raises(NotFoundError, match="in VRF CUST-A"):  # r2 peers with r1 in the default VRF only
        call("bgp_advertised", FRR, outputs, peer="r2", vrf="CUST-A")


@pytest.mark.parametrize("platform, command", [
    ("cisco_ios", "show bgp vpnv4 unicast vrf CUST-A neighbors 10.0.0.2 advertised-routes"),
    ("cisco_nxos", "show bgp vrf CUST-A ipv4 unicast neighbors 10.0.0.2 advertised-routes"),
    ("cisco_xr", "show bgp vrf CUST-A ipv4 unicast neighbors 10.0.0.2 advertised-routes"),
    ("arista_eos", "show ip bgp neighbors 10.0.0.2 advertised-routes vrf CUST-A | json"),
    ("juniper_junos", "show route advertising-protocol bgp 10.0.0.2 table CUST-A.inet.0"),
])
def test_each_platform_names_the_vrf_in_an_allowlisted_read(platform, command):
    host = SimpleNamespace(name="x", platform=platform)
    out, sent = call("bgp_advertised", host, {command: ""}, peer="10.0.0.2", vrf="CUST-A")
    assert sent[0] == command and check_command(command, platform).allowed
    assert out.vrf == "CUST-A"


@pytest.mark.parametrize("vrf", ["CUST-A | include x", "A B", "A\nshow run", "-x", "A;reload", "a" * 80])
def test_a_vrf_that_is_not_a_name_is_refused_before_anything_runs(vrf):
    with pytest.raises(InputError, match="not a VRF name"):
        resolve_getter("bgp_advertised", {"peer": "10.0.0.2", "vrf": vrf})
    with pytest.raises(InputError, match="not a VRF name"):
        resolve_getter("bgp", {"vrf": vrf})


def test_the_global_table_spellings_are_the_default_vrf():
    for name in ("default", "global", "master", ""):
        _, fn = resolve_getter("bgp_advertised", kw := {"peer": "198.51.100.2", "vrf": name})
        assert kw["vrf"] == "default"


def test_bgp_neighbours_of_one_vrf():
    outputs = {"show bgp summary json": r1("show bgp summary json"), "show bgp vrf all summary json": vrf_summary()}
    out, _ = call("bgp", FRR, outputs, vrf="CUST-A")
    assert out.neighbors and {n.vrf for n in out.neighbors} == {"CUST-A"}
    none, _ = call("bgp", FRR, {"show bgp summary json": r1("show bgp summary json"),
                                "show bgp vrf all summary json": r1("show bgp vrf all summary json")}, vrf="CUST-B")
    assert none.neighbors == [] and "no BGP sessions in VRF CUST-B" in none.note and "default" in none.note
    with pytest.raises(InputError, match="takes no arguments"):
        resolve_getter("ospf", {"vrf": "CUST-A"})
