"""A BGP peer shut down by configuration is seen as such on every platform whose output says so.

Each vendor spells it differently: FRR's JSON ``"state": "Idle", "peerState": "Admin"``, EOS's
``"peerState": "Idle", "peerStateIdleReason": "Admin"``, ``Idle (Admin)`` in the IOS/IOS-XR/FRR
text tables, ``Idle(Admin)`` on Huawei VRP, ``Shut (Admin)`` on NX-OS, ``Disabled`` on SR OS.
Before, every one of them came out as a bare ``Idle`` (or ``Shut``/``Disabled``) and the fact
that nobody but the configuration keeps the session down was lost. ``admin_down`` says it
(``None`` where the platform's summary does not tell, Junos), ``raw_state`` keeps the vendor's
words, and ``state`` is unchanged (JSON stays backwards compatible).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.devices import models
from netops.devices.parsers import (
    arista_eos, cisco_ios, cisco_nxos, cisco_xr, frr, huawei_vrp, juniper_junos, nokia_sros,
)

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"


def fx(rel: str) -> str:
    return (FIX / rel).read_text()


def _peers(b: models.BgpNeighbors, peer: str) -> list[models.BgpNeighbor]:
    got = [n for n in b.neighbors if n.peer == peer]
    assert got, f"{peer} not parsed"
    return got


def test_frr_json_admin_peer_state():
    b = frr.parse_bgp_summary(fx("frr/sweep/show_bgp_ipv4_unicast_summary_json.txt"))
    (shut,) = _peers(b, "198.51.100.6")
    assert shut.admin_down is True and shut.state == "Idle" and not shut.established
    assert shut.raw_state == "Idle (Admin)"
    others = [n for n in b.neighbors if n.peer != "198.51.100.6"]
    assert others and all(n.admin_down is False for n in others)


def test_eos_json_idle_reason_admin():
    b = arista_eos.parse_bgp_summary(fx("arista_eos/sweep/show_ip_bgp_summary_vrf_all_json.txt"))
    (shut,) = _peers(b, "203.0.113.1")
    assert shut.admin_down is True and shut.state == "Idle" and shut.vrf == "TENANT-A"
    assert "Admin" in shut.raw_state
    assert all(n.admin_down is False for n in b.neighbors if n is not shut)


def test_xr_text_idle_admin_versus_plain_idle():
    b = cisco_xr.parse_bgp_summary(fx("cisco_xr/pe1/show_bgp_all_all_summary.txt"))
    shut = _peers(b, "10.255.0.9")
    assert all(n.admin_down is True and n.state == "Idle" and n.raw_state == "Idle (Admin)" for n in shut)
    idle = _peers(b, "203.0.113.9")
    assert all(n.admin_down is False and n.state == "Idle" and n.raw_state == "Idle" for n in idle)
    up = [n for n in b.neighbors if n.established]
    assert up and all(n.admin_down is False for n in up)


_IOS = """\
BGP router identifier 10.0.0.1, local AS number 65001
Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
10.0.0.2        4        65002    1520    1517        9    0    0 1d01h           3
10.0.0.6        4        65030       0       0        1    0    0 never    Idle (Admin)
10.0.0.7        4        65031       0       0        1    0    0 never    Idle (PfxCt)
10.0.0.8        4        65032       0       0        1    0    0 never    Idle
"""


def test_ios_text_admin_and_other_idle_reasons():
    b = cisco_ios.parse_bgp_summary(_IOS)
    assert [(n.peer, n.state, n.admin_down, n.raw_state) for n in b.neighbors] == [
        ("10.0.0.2", "Established", False, None),
        ("10.0.0.6", "Idle", True, "Idle (Admin)"),
        ("10.0.0.7", "Idle", False, "Idle (PfxCt)"),  # max-prefix: down, but not by configuration
        ("10.0.0.8", "Idle", False, "Idle"),
    ]


def test_nxos_text_and_json_shut_admin():
    text = fx("cisco_nxos/text/show_bgp_all_summary_vrf_all.txt")
    row = next(ln for ln in text.splitlines() if ln.startswith("10.2.1.14 "))  # established, 9 prefixes
    changed = text.replace(row, row.rsplit(" ", 1)[0] + " Shut (Admin)")
    peer = "10.2.1.14"
    shut = _peers(cisco_nxos.parse_bgp_summary_text(changed), peer)
    assert all(n.admin_down is True and n.raw_state == "Shut (Admin)" and not n.established for n in shut)
    assert all(n.admin_down is False for n in _peers(cisco_nxos.parse_bgp_summary_text(text), peer))

    doc = fx("cisco_nxos/n9k/show_bgp_all_summary_vrf_all_json.txt")
    first = doc.index('"state": "Established"')
    shut_doc = doc[:first] + '"state": "Shut (Admin)"' + doc[first + len('"state": "Established"'):]
    got = cisco_nxos.parse_bgp_summary(shut_doc)
    shut = [n for n in got.neighbors if n.admin_down]
    assert len({n.peer for n in shut}) == 1 and all(n.raw_state == "Shut (Admin)" for n in shut)
    assert all(n.admin_down is False for n in got.neighbors if n not in shut)


def test_vrp_idle_admin():
    text = fx("huawei_vrp/pe1/display_bgp_peer.txt").replace(" 0051h20m         Idle", " 0051h20m  Idle(Admin)")
    b = huawei_vrp.parse_bgp_peers(text)
    (shut,) = _peers(b, "198.51.100.9")
    assert shut.admin_down is True and shut.state == "Idle" and shut.raw_state == "Idle(Admin)"
    assert all(n.admin_down is False for n in b.neighbors if n is not shut)


def test_sros_disabled():
    text = fx("nokia_sros/pe1/show_router_bgp_summary.txt").replace("02d04h11m Connect", "02d04h11m Disabled")
    b = nokia_sros.parse_bgp_summary(text)
    (shut,) = _peers(b, "10.20.0.5")
    assert shut.admin_down is True and shut.raw_state == "Disabled" and not shut.established
    (connect,) = _peers(nokia_sros.parse_bgp_summary(fx("nokia_sros/pe1/show_router_bgp_summary.txt")), "10.20.0.5")
    assert connect.admin_down is False and connect.raw_state == "Connect"


def test_junos_summary_does_not_say():
    doc = {"bgp-information": [{"bgp-peer": [{"peer-address": [{"data": "10.0.0.2"}],
                                             "peer-as": [{"data": "65002"}], "peer-state": [{"data": "Idle"}]}]}]}
    (n,) = juniper_junos.parse_bgp_summary(json.dumps(doc)).neighbors
    assert n.state == "Idle" and n.admin_down is None and n.raw_state == "Idle"


def test_json_output_keeps_every_old_field_and_adds_two():
    n = models.BgpNeighbor(peer="10.0.0.1", state="Idle", established=False)
    dumped = n.model_dump(mode="json")
    assert {"peer", "remote_as", "state", "established", "uptime", "uptime_seconds", "prefixes_received",
            "description", "vrf", "afi_safi"} < set(dumped)
    assert dumped["admin_down"] is None and dumped["raw_state"] is None


def _agg(neighbors):
    from netops.devices.results import AggregateResult, HostResult

    data = models.BgpNeighbors(router_id="10.0.0.1", local_as=65001, neighbors=neighbors)
    return AggregateResult("bgp_neighbors", {"r1": HostResult(host="r1", ok=True, data=data)})


_SHUT = models.BgpNeighbor(peer="10.0.0.6", remote_as=65030, state="Idle", established=False, admin_down=True,
                           raw_state="Idle (Admin)")
_IDLE = models.BgpNeighbor(peer="10.0.0.8", remote_as=65032, state="Idle", established=False, admin_down=False,
                           raw_state="Idle")


def test_state_table_says_admin_down():
    from rich.console import Console

    from netops.cli.devices_render import render_state

    console = Console(record=True, width=200)
    render_state(console, "bgp_neighbors", _agg([_SHUT, _IDLE]))
    lines = console.export_text().splitlines()
    assert "admin down" in next(ln for ln in lines if "10.0.0.6" in ln)
    assert "admin down" not in next(ln for ln in lines if "10.0.0.8" in ln)


def test_offline_summary_says_admin_down():
    from netops.agent.offline import _summarise

    text = _summarise("bgp_neighbors", models.BgpNeighbors(neighbors=[_SHUT, _IDLE]), {})
    shut, idle = text.splitlines()
    assert "10.0.0.6" in shut and "admin down" in shut
    assert "10.0.0.8" in idle and "admin down" not in idle and "Idle" in idle


@pytest.mark.parametrize("slug", ["show_bgp_summary_json", "show_bgp_vrf_all_summary_json"])
def test_frr_84_lab_capture_of_a_shut_peer(slug):
    """FRR 8.4.4 puts the qualifier in "state" itself ("Idle (Admin)") and in "peerState": the state
    is the FSM state, as on every other platform, and the qualifier is kept in raw_state."""
    b = frr.parse_bgp_summary(fx(f"frr/lab-r1-shut/{slug}.txt"))
    shut = b.by_peer("198.51.100.2")
    assert (shut.state, shut.established, shut.admin_down, shut.raw_state) == ("Idle", False, True, "Idle (Admin)")
    assert shut.uptime is None and shut.prefixes_received is None
    up = b.by_peer("198.51.100.10")
    assert (up.state, up.established, up.admin_down, up.raw_state) == ("Established", True, False, "Established")
