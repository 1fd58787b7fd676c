"""history37: the time zone a history window is read in (a laptop's TZ, east and west of UTC, asked just
after midnight), what a router carries, whether traffic moved off a router after a drain, and the
hand-over's "tonight's changes"."""

from __future__ import annotations

import ipaddress
import time
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from netops.agent.router import route_named

HOSTS = ["r1", "r2", "r3"]


def _route(q):
    return route_named(q, HOSTS)[0]


# -- 1. time zones ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("tz, stamps_utc, yesterday, zone", [
    # Brisbane, UTC+10: asked 00:30 on the 5th (14:30 UTC on the 4th). Local yesterday is the 4th:
    # 00:10 local (the 3rd in UTC) is in it; 00:20 on the 5th (the 4th in UTC) is today's
    ("Australia/Brisbane", ["2026-11-03T13:50:00", "2026-11-03T14:10:00", "2026-11-04T13:55:00", "2026-11-04T14:20:00"],
     ["2026-11-04 23:55:00 AEST", "2026-11-04 00:10:00 AEST"], "AEST"),
    # New York, UTC-5: asked 00:30 on the 5th (05:30 UTC). 21:00 local on the 4th is 02:00 UTC on the 5th
    ("America/New_York", ["2026-11-04T04:50:00", "2026-11-04T05:10:00", "2026-11-05T02:00:00", "2026-11-05T05:20:00"],
     ["2026-11-04 21:00:00 EST", "2026-11-04 00:10:00 EST"], "EST"),
])
def test_yesterday_asked_just_after_midnight_is_the_askers_own_day_and_said_in_their_zone(
        tmp_path, monkeypatch, tz, stamps_utc, yesterday, zone):
    """The audit log stamps UTC; "what changed yesterday?" asked at 00:30 local (TZ set, as a laptop has it)
    is the local calendar day before, its bounds and the change times said in the local zone by name."""
    from netops.agent.offline import answer_history
    from netops.store import audit
    from netops.store.audit import AuditLog

    stamps = iter(datetime.fromisoformat(s).replace(tzinfo=timezone.utc).isoformat(timespec="microseconds")
                  for s in stamps_utc)
    monkeypatch.setattr(audit, "_now", lambda: next(stamps))
    log = AuditLog(tmp_path / "audit.db")
    for n in range(4):
        log.append("apply", {"host": "r2", "playbook": f"change-{n}", "ok": True}, actor="alice")
    assert all(r.ts.endswith("+00:00") for r in log.changes("r2", 10))  # the log's own stamps stay UTC
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        now = datetime(2026, 11, 5, 0, 30).astimezone()
        records: list = []
        text = answer_history(SimpleNamespace(get_audit=lambda: log), ["r2"], "what changed yesterday?", records,
                              now=now)
    finally:
        monkeypatch.undo()
        time.tzset()
    listed = [line for line in text.splitlines() if line.startswith("- r2:")]
    assert [line.split(" at ")[1].split(" (")[0] for line in listed] == yesterday, text
    assert f"yesterday (2026-11-04 00:00 {zone}" in text and f"to today 00:00 {zone}" in text, text
    assert {r["playbook"] for r in records} == {"change-1", "change-2"}, records
    assert all(r["ts"].endswith("+00:00") for r in records), records  # --json keeps the log's UTC


# -- 3. what a router carries; did the traffic move; the hand-over ------------------------------------------
@pytest.mark.parametrize("q, host", [("what's r3 carrying right now?", "r3"), ("what traffic is r3 carrying?", "r3"),
                                     ("how much traffic is r2 taking?", "r2"), ("what does r1 carry now?", "r1"),
                                     ("whats r3 handling at the moment", "r3")])
def test_what_a_named_router_carries_is_its_drain_state(q, host):
    r = _route(q)
    assert (r.intent, r.args.get("hosts"), r.args.get("_carrying")) == ("drain state", [host], True), r


@pytest.mark.parametrize("q", ["what traffic is r1 carrying to r3?", "what does BGP carry?",
                               "what does a route reflector carry?", "what is r9 carrying?"])
def test_carrying_to_somewhere_about_a_protocol_or_an_unknown_router_is_not_a_drain_read(q):
    r = _route(q)
    assert r.intent != "drain state", r


@pytest.mark.parametrize("q, others", [
    ("did the traffic move off r3?", ["r1", "r2"]),
    ("did the traffic move off r3? check routes on r1 and r2", ["r1", "r2"]),
    ("has traffic shifted away from r2?", ["r1", "r3"]),
    ("is traffic still going via r3?", ["r1", "r2"]),
    ("is anything still routed through r1? check r2", ["r2"]),
])
def test_did_the_traffic_move_reads_the_other_routers_tables_for_their_routes_via_it(q, others):
    r = _route(q)
    assert (r.tool, r.args.get("getter"), r.args.get("hosts")) == ("get_state", "routes", others), r
    assert r.args.get("_off") in HOSTS and r.args["_off"] not in others, r


@pytest.mark.parametrize("q", ["is traffic off r3?", "has traffic drained from r3?"])
def test_traffic_off_a_router_is_still_its_drain_state(q):
    assert _route(q).intent == "drain state"


@pytest.mark.parametrize("q", ["summarise tonight's changes for the handover", "recap of today's changes",
                               "tonight's changes?", "write up the changes for the handover",
                               "summarize yesterday's config changes on r3"])
def test_a_hand_over_summary_of_a_times_changes_is_the_audit_log(q):
    r = _route(q)
    assert (r.tool, r.args.get("_when")) == ("change_history", q), r


@pytest.mark.parametrize("q", ["summarise the changes in rfc 7432", "summarise the changes between rfc 2328 and rfc 5340"])
def test_an_rfcs_changes_stay_the_documents(q):
    assert _route(q).kind == "spec"


def _table(*routes):
    from netops.devices.models import NextHop, RibRoute, RouteSet

    return SimpleNamespace(ok=True, data=RouteSet(query="0.0.0.0/0", routes=[
        RibRoute(prefix=p, protocol="bgp", selected=sel, next_hops=[NextHop(address=a, interface="eth") for a in hops])
        for p, sel, hops in routes]))


# r3's inventory addresses: 198.51.100.6 (r2 link), 198.51.100.10 (r1 link), loopback 203.0.113.3
INDEX = SimpleNamespace(
    addresses={"203.0.113.3": ("r3", "loopback"), "198.51.100.6": ("r3", "eth-r2 address"),
               "198.51.100.10": ("r3", "eth-r1 address"), "198.51.100.1": ("r1", "eth-r2 address")},
    links=[("r3", "eth-r2", ipaddress.ip_interface("198.51.100.6/30")),
           ("r3", "eth-r1", ipaddress.ip_interface("198.51.100.10/30")),
           ("r1", "eth-r2", ipaddress.ip_interface("198.51.100.1/30"))])


def test_the_traffic_verdict_names_the_routes_still_via_the_drained_router_first():
    from netops.agent.offline import moved_off_line

    agg = {"r1": _table(("203.0.113.128/25", True, ["198.51.100.10"]), ("203.0.113.3/32", True, ["198.51.100.10"]),
                        ("203.0.113.2/32", True, ["198.51.100.2"])),
           "r2": _table(("203.0.113.128/25", True, ["198.51.100.6"]), ("203.0.113.128/25", False, ["198.51.100.1"]))}
    line = moved_off_line("r3", agg, INDEX)
    assert line.startswith("**No: 2 routes on r1 and r2 still go via r3**"), line
    assert "r1 203.0.113.128/25 via 198.51.100.10 (no other path in its table)" in line, line
    assert "r2 203.0.113.128/25 via 198.51.100.6 (another path in its table, not chosen)" in line, line
    assert "own networks reach it whatever a drain does: r1 203.0.113.3/32" in line, line  # r3's loopback


def test_the_traffic_verdict_is_yes_when_no_route_goes_via_it_but_to_it():
    from netops.agent.offline import moved_off_line

    agg = {"r1": _table(("203.0.113.128/25", True, ["198.51.100.2"]), ("203.0.113.3/32", True, ["198.51.100.10"])),
           "r2": SimpleNamespace(ok=False, data=None)}
    line = moved_off_line("r3", agg, INDEX)
    assert line.startswith("**Yes: no route on r1 goes via r3** except to r3's own networks"), line
    assert "r2 could not be read" in line and "not a comparison" in line, line
    assert moved_off_line("r9", agg, INDEX).startswith("**No verdict:**")
