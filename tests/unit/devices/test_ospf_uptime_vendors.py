"""How long an OSPF adjacency has been up, where the device prints it: NX-OS (JSON ``uptime``
as ISO 8601, text ``Up Time``), IOS-XR (``Neighbor is up for 12w3d`` under each row, none for a
neighbor in INIT) and Huawei VRP (``Neighbor is up for 0034h12m``). Only FRR's was read before,
so "how long has that been up?" after "ospf neighbours on r3" had nothing to say on these."""

from __future__ import annotations

from pathlib import Path

from netops.devices.parsers import cisco_nxos, cisco_xr, huawei_vrp

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices"


def _ups(result):
    return {n.neighbor_id: n.uptime_seconds for n in result.neighbors}


def test_nxos_json_and_text_uptimes():
    ups = _ups(cisco_nxos.parse_ospf_neighbors((FIX / "cisco_nxos/leaf/show_ip_ospf_neighbors_vrf_all_json.txt").read_text()))
    assert ups["10.255.0.1"] == 14 * 86400 + 19 * 3600 + 11 * 60 + 58   # P14DT19H11M58S
    assert ups["10.255.0.2"] == 3 * 3600 + 2 * 60 + 1                     # PT3H2M1S
    text = (FIX / "cisco_nxos/bf-d1/show_ip_ospf_neighbor.txt").read_text()
    assert _ups(cisco_nxos.parse_ospf_neighbors_text(text)) == {"192.168.12.5": 23 * 3600 + 4 * 60 + 24}
    worded = text.replace("23:04:24", "  1d02h ")
    assert _ups(cisco_nxos.parse_ospf_neighbors_text(worded)) == {"192.168.12.5": 26 * 3600}


def test_xr_uptime_is_the_line_under_its_own_row():
    ups = _ups(cisco_xr.parse_ospf_neighbors((FIX / "cisco_xr/pe1/show_ospf_vrf_all_inclusive_neighbor.txt").read_text()))
    assert ups["10.255.0.2"] == 12 * 604800 + 3 * 86400                   # 12w3d
    assert ups["10.255.0.3"] == 3 * 86400 + 2 * 3600                      # 3d02h
    assert ups["10.255.0.6"] is None                                      # INIT: no line of its own
    assert ups["10.255.0.7"] == 5                                         # 00:00:05, not INIT's


def test_vrp_uptime():
    ups = _ups(huawei_vrp.parse_ospf_peers((FIX / "huawei_vrp/pe1/display_ospf_peer.txt").read_text()))
    assert ups["10.0.0.2"] == 34 * 3600 + 12 * 60 and ups["10.0.0.3"] == 290 * 3600 + 41 * 60
    assert ups["10.0.0.4"] == 0


def test_xr_uptime_under_a_row_the_parser_does_not_read_goes_to_nobody():
    """A 'Neighbor is up for' line belongs to the row right above it. Under a row this parser does
    not read (here a neighbor ID carrying a marker), it was given to the last row it did read, an
    INIT neighbor that has no uptime at all: a wrong attribution is worse than none."""
    text = (FIX / "cisco_xr/pe1/show_ospf_vrf_all_inclusive_neighbor.txt").read_text()
    row = "10.255.0.6      1     INIT/  -        00:00:31    10.0.16.6       TenGigE0/0/0/6.16\n"
    assert row in text
    text = text.replace(row, row + "10.255.0.9#     1     FULL/  -        00:00:35    10.0.19.9       TenGigE0/0/0/9\n"
                                   "    Neighbor is up for 2d01h\n")
    ups = _ups(cisco_xr.parse_ospf_neighbors(text))
    assert ups["10.255.0.6"] is None, ups                                  # not the unread row's 2d01h
    assert ups["10.255.0.7"] == 5 and ups["10.255.0.2"] == 12 * 604800 + 3 * 86400
