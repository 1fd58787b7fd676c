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


# captured on lab 72 (FRR 8.4): `show bgp neighbors json` on r2 and r3, fields of the peer kept as printed
R2_DETAIL = {"198.51.100.6": {"remoteAs": 65033, "localAs": 65002, "bgpState": "Idle", "connectionsEstablished": 1,
                              "connectionsDropped": 1, "lastResetTimerMsecs": 155000, "lastErrorCodeSubcode": "0202",
                              "lastNotificationReason": "OPEN Message Error/Bad Peer AS",
                              "lastNotificationHardReset": False, "lastResetDueTo": "BGP Notification send",
                              "lastResetCode": 14}}
R3_DETAIL = {"198.51.100.5": {**R2_DETAIL["198.51.100.6"], "remoteAs": 65002, "localAs": 65003,
                              "lastResetDueTo": "BGP Notification received", "lastResetCode": 13}}


def _idle(peer, asn):
    return frr.parse_bgp_summary(_summary({peer: {"remoteAs": asn, "peerUptime": "00:02:40", "peerUptimeMsec": 160000,
                                                  "state": "Idle", "peerState": "OK"}}))


def test_a_down_session_says_why_it_last_went_down():
    (n,) = frr.with_last_errors(_idle("198.51.100.6", 65033), json.dumps(R2_DETAIL)).neighbors
    assert n.last_error == "OPEN Message Error/Bad Peer AS (sent by this router)"
    assert _bgp_row(n) == ("- 198.51.100.6 AS65033: Idle, down 2m40s, last error: OPEN Message Error/Bad Peer AS "
                           "(sent by this router)")
    (n,) = frr.with_last_errors(_idle("198.51.100.5", 65002), json.dumps(R3_DETAIL)).neighbors
    assert n.last_error == "OPEN Message Error/Bad Peer AS (received from the peer)"


def test_a_reset_with_no_notification_says_its_reason_and_an_error_changes_nothing():
    detail = {"198.51.100.6": {"bgpState": "Active", "lastResetDueTo": "Interface down", "lastResetCode": 9}}
    (n,) = frr.with_last_errors(_idle("198.51.100.6", 65003), json.dumps(detail)).neighbors
    assert n.last_error == "Interface down"
    for text in ("% Unknown command: show bgp neighbors json\n", "not json", json.dumps({"198.51.100.6": "x"})):
        (n,) = frr.with_last_errors(_idle("198.51.100.6", 65003), text).neighbors
        assert n.last_error is None


def test_the_getter_reads_the_detail_only_when_a_session_is_down():
    sent = []
    up = _summary({"198.51.100.1": {"remoteAs": 65001, "peerUptimeMsec": 1000, "state": "Established", "peerState": "OK"}})
    down = _summary({"198.51.100.6": {"remoteAs": 65033, "peerUptimeMsec": 160000, "peerUptime": "00:02:40",
                                      "state": "Idle", "peerState": "OK"}})

    def reader(summary):
        def read(cmd):
            sent.append(cmd)
            return {"show bgp summary json": summary, "show bgp neighbors json": json.dumps(R2_DETAIL)}.get(cmd, "{}")
        return read

    frr.bgp_neighbors(None, reader(up))
    assert "show bgp neighbors json" not in sent
    (n,) = frr.bgp_neighbors(None, reader(down)).neighbors
    assert sent[-1] == "show bgp neighbors json" and n.last_error.startswith("OPEN Message Error/Bad Peer AS")
