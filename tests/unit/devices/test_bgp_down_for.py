"""How long a BGP session has been down (helper trial36, 2026-12-04). On lab 72, r2's session to r3
(wrong remote-as) showed "Idle" and nothing else; the junior's next question was "since when?". FRR's
summary says it (a down peer's ``peerUptime`` is the time since it left Established), and the parser
dropped it because it is no uptime. It is :attr:`BgpNeighbor.down_seconds` now, shown as "down 10m05s"."""

from __future__ import annotations

import json

from netops.agent.offline import _bgp_row
from netops.devices.parsers import frr


def _summary(peers):
    return json.dumps({"ipv4Unicast": {"routerId": "203.0.113.2", "as": 65002, "peers": peers}})


def test_a_dropped_session_says_how_long_it_has_been_down():
    # captured on lab 72 (FRR 8.4), r2 after `neighbor 198.51.100.6 remote-as 65033`
    b = frr.parse_bgp_summary(_summary({
        "198.51.100.1": {"hostname": "r1", "remoteAs": 65001, "peerUptime": "00:02:58", "peerUptimeMsec": 178000,
                         "pfxRcd": 2, "state": "Established", "peerState": "OK", "desc": "r1"},
        "198.51.100.6": {"hostname": "r3", "remoteAs": 65033, "peerUptime": "00:02:40", "peerUptimeMsec": 160000,
                         "pfxRcd": 0, "state": "Idle", "peerState": "OK", "connectionsDropped": 1, "desc": "r3"}}))
    up, down = b.neighbors
    assert (up.uptime_seconds, up.down_seconds) == (178.0, None)
    assert (down.uptime, down.uptime_seconds, down.down_seconds) == (None, None, 160.0)
    assert _bgp_row(down) == "- 198.51.100.6 AS65033 (r3): Idle, down 2m40s"


def test_a_session_never_up_has_no_down_time():
    b = frr.parse_bgp_summary(_summary({
        "198.51.100.9": {"remoteAs": 65001, "peerUptime": "never", "peerUptimeMsec": 0, "state": "Active",
                         "peerState": "OK"}}))
    (n,) = b.neighbors
    assert n.down_seconds is None and _bgp_row(n) == "- 198.51.100.9 AS65001: Active"
