""""what changed on r2 recently?", "what was the last change on r3?": what netops's audit log
recorded, said with its limits. They were answered with 'show version', and the second (and
"change history of r1") was read as a request for a change."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netops.agent.offline import history_summary, local_time
from netops.agent.router import route
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, hosts", [
    ("what changed on r2 recently?", ["r2"]), ("recent changes on r2", ["r2"]),
    ("what was the last change on r3?", ["r3"]), ("who changed r1?", ["r1"]), ("change history of r1", ["r1"]),
    ("has anything changed on r3 today?", ["r3"]), ("when was r2 last changed?", ["r2"]),
    ("show me the change log for r3", ["r3"]), ("what changed in the network?", HOSTS),
    # helper trial16: whoever did it, and other verbs of changing
    ("has anyone touched r1's config today?", ["r1"]), ("did somebody modify r2?", ["r2"]),
    ("has someone changed r3 recently", ["r3"]), ("who touched r2 last?", ["r2"]),
    # the lead, after hist16's windows: no device named, a window the words give is the network's changes
    ("what changed 3 days ago?", HOSTS), ("what changed this month?", HOSTS), ("what changed over the weekend", HOSTS),
    ("what changed a couple of hours ago", HOSTS), ("what changed this evening", HOSTS),
])
def test_a_question_what_changed_reads_the_audit_log(question, hosts):
    # the audit log alone: no getter (it read 'show version' of each device beside it until trial16)
    r = route(question, HOSTS)
    assert (r.kind, r.tool, r.args.get("getter"), r.args.get("hosts"), r.args.get("_history")) == \
        ("tool", "change_history", None, hosts, True), r


@pytest.mark.parametrize("question", ["change the hold timer on r2 to 30", "revert the last change on r3"])
def test_requests_stay_requests(question):
    assert route(question, HOSTS).kind == "change"


def test_the_found_line_names_each_change_and_what_the_log_cannot_know():
    rec = SimpleNamespace(seq=139, ts="2026-12-03T07:02:21.715+00:00", payload={"playbook": "router-undrain", "ok": True})
    text = history_summary({"r3": rec, "r1": None})
    # (said in the machine's local zone: "... 07:02:21 UTC" on a machine on UTC; helper hist17)
    assert f"r3: router-undrain at {local_time(rec.ts)} (applied; `netops audit show 139`)" in text, text
    assert "no change recorded on r1" in text and "outside netops" in text
    assert "no audit log" in history_summary(None)


def test_the_found_line_says_what_each_change_sent_redacted_and_keeps_the_footnote_apart():
    """'what changed on r2?' named the playbook but not what it did; the audit record holds the
    commands. Block ends say nothing, secrets are redacted, a long change is cut with a count, and
    the footnote is a paragraph of its own (Markdown folded it into the last bullet in the chat)."""
    desc = SimpleNamespace(seq=22, ts="2026-12-03T13:51:32.9+00:00", actor="alice",
                           payload={"playbook": "interface-description", "ok": True,
                                    "commands": ["interface eth-r1", "description uplink-r1", "exit"]})
    text = history_summary({"r2": desc})
    assert (f"r2: interface-description by alice at {local_time(desc.ts)} (applied: "
            "`interface eth-r1 / description uplink-r1`; `netops audit show 22`)") in text, text
    assert "\n\nChanges made outside netops" in text
    secret = SimpleNamespace(seq=23, ts="2026-12-03T13:52:00+00:00", actor=None,
                             payload={"playbook": "bgp-password", "ok": False,
                                      "commands": ["router bgp 65002", "neighbor 198.51.100.1 password s3cr3tPW",
                                                   "neighbor 198.51.100.5 password s3cr3tPW", "exit",
                                                   "neighbor 198.51.100.9 shutdown", "end",
                                                   "neighbor 198.51.100.10 shutdown"]})
    text = history_summary({"r2": [secret]})
    assert "s3cr3tPW" not in text, text
    assert "(failed: `router bgp 65002 / neighbor 198.51.100.1 password" in text and "and 1 more line;" in text, text


@pytest.mark.parametrize("question", ["what changed in bgp between rfc 1771 and rfc 4271?",
                                      "which attributes changed in RFC 4271?",
                                      "what has changed in OSPFv3 compared to OSPFv2?"])
def test_how_a_protocol_changed_is_not_the_audit_log(question):
    r = route(question, HOSTS)
    assert not r.args.get("_history") and r.kind == "spec", r


@pytest.mark.parametrize("question", ["reapply the last change on r2", "copy the recent changes on r1 to r2",
                                      "make the same change on r2 as the last change on r1",
                                      "drain r3 and show me what changed"])
def test_a_request_naming_an_earlier_change_is_not_a_history_read(question):
    assert not route(question, HOSTS).args.get("_history")


@pytest.mark.parametrize("question", ["what changed recently?", "anything changed in the lab today?"])
def test_the_networks_recent_changes_read_every_device(question):
    r = route(question, HOSTS)
    assert (r.args.get("_history"), r.args.get("hosts")) == (True, HOSTS), r


def _apply(actor: str, host: str, playbook: str) -> dict:
    return {"actor": actor, "kind": "apply", "payload": {"playbook": playbook, "host": host, "ok": True,
                                                          "commands": ["!"]}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The offline ask path on the lab's captures (bench/state_phrasings.py) with three changes on
    record: bob then carol on r3, alice on r2."""
    h = bench.Harness(tmp_path_factory.mktemp("history"))
    h.seed([_apply("bob", "r3", "interface-description"), _apply("alice", "r2", "ospf-cost"),
            _apply("carol", "r3", "bgp-neighbor-shutdown")])
    yield h
    h.close()


@pytest.mark.parametrize("question", ["what changed on r3?", "show me the change history of r3", "who changed r3 last?"])
def test_what_changed_is_the_audit_log_alone_with_who_made_each_change(lab, question):
    """Each answered with r3's 'show version' beside the log's newest change (no one named, bob's
    change left out); "show me the change history of r3" was refused as a change (helper trial16)."""
    got = lab.ask(question)
    assert got["expect"] == "ask" and got["audit"] and not got.get("reads"), got
    text = got["text"]
    assert "bgp-neighbor-shutdown by carol" in text and "interface-description by bob" in text, text
    assert text.index("carol") < text.index("bob") and "alice" not in text, text  # newest first, r3's only


def test_the_networks_changes_name_every_device_and_no_read(lab):
    got = lab.ask("what changed in the lab today?")
    assert got["expect"] == "ask" and got["audit"] and not got.get("reads"), got
    assert all(who in got["text"] for who in ("alice", "bob", "carol")), got["text"]
    assert "no change recorded on r1" in got["text"], got["text"]


def test_a_model_is_given_the_audit_log_as_its_source(lab):
    """With a model, the history was the Found line under r3's 'show version' (a device read); the
    route now reads no device, so the log itself is the source (helper trial16)."""
    from netops.agent.grounding import DEVICE, prepare
    from netops.agent.tools import ToolContext

    ctx = ToolContext(settings=lab.session.settings, session=lab.session, question="what changed on r3?")
    calls = []
    g = prepare("what changed on r3?", ctx, lambda name, args: calls.append((name, args)))
    assert calls == [] and g.kind == DEVICE and len(g.sources) == 1, (calls, g)
    assert "bgp-neighbor-shutdown by carol" in g.sources[0].text and "audit log" in g.sources[0].label, g.sources
    assert "by carol" in (g.facts or "")


def test_the_offline_answer_cites_the_audit_log(lab):
    got = lab.ask("what changed on r2?")
    assert "No evidence" not in got["text"], got["text"]


# -- helper hist16: a time window, typos of the verb, the audit log's own evidence kind ------------------------

from datetime import datetime, timedelta, timezone  # noqa: E402

from netops.agent.window import history_window  # noqa: E402

# a fixed "now" in the machine's local time zone, whatever it is
NOW = datetime(2026, 12, 3, 15, 30, tzinfo=timezone.utc).astimezone()
LOCAL_MIDNIGHT = NOW.replace(hour=0, minute=0, second=0, microsecond=0)


@pytest.mark.parametrize("question, start, end, said", [
    ("what changed on r2 today?", LOCAL_MIDNIGHT, None, f"today (since 00:00 {LOCAL_MIDNIGHT.tzname()}"),
    ("what changed in the last hour", NOW - timedelta(hours=1), None, "in the last hour"),
    ("what changed on r3 since yesterday?", LOCAL_MIDNIGHT - timedelta(days=1), None, "since yesterday"),
    ("what changed yesterday?", LOCAL_MIDNIGHT - timedelta(days=1), LOCAL_MIDNIGHT, "yesterday"),
    ("any changes this week", LOCAL_MIDNIGHT - timedelta(days=NOW.weekday()), None, "this week"),
    ("what changed on r1 in the last 2 days", NOW - timedelta(days=2), None, "in the last 2 days"),
    # 14:00 today, or yesterday's when it is not 14:00 yet where the test runs (NOW is 15:30 UTC)
    ("what changed since 14:00?", NOW.replace(hour=14, minute=0, second=0, microsecond=0)
     - timedelta(days=NOW.hour < 14), None, "since "),
    ("what changed in the past 30 minutes", NOW - timedelta(minutes=30), None, "in the last 30 minutes"),
])
def test_a_window_in_the_words_is_parsed(question, start, end, said):
    w = history_window(question, now=NOW)
    assert w is not None and w.understood, (question, w)
    assert (w.start, w.end) == (start, end), (question, w)
    assert w.said.startswith(said), (question, w.said)


@pytest.mark.parametrize("question", ["what changed on r2?", "what was the last change on r3?",
                                      "who touched r2 last?", "what changed on r2 recently?"])
def test_no_window_in_the_words_is_none(question):
    assert history_window(question, now=NOW) is None


@pytest.mark.parametrize("question", ["what changed on r2 since the maintenance?", "what changed on r3 before the upgrade",
                                      "what changed in the last blue moon"])
def test_a_window_not_understood_is_said_not_dropped(question):
    w = history_window(question, now=NOW)
    assert w is not None and not w.understood and w.start is None, (question, w)


@pytest.mark.parametrize("question, start, end, said", [
    # "N days ago" is that calendar day; "N hours ago" counts back from now; "2 weeks ago" a Monday-Monday week
    ("what changed 3 days ago?", LOCAL_MIDNIGHT - timedelta(days=3), LOCAL_MIDNIGHT - timedelta(days=2), "3 days ago ("),
    ("what changed on r2 a day ago", LOCAL_MIDNIGHT - timedelta(days=1), LOCAL_MIDNIGHT, "a day ago ("),
    ("anything changed 2 hours ago?", NOW - timedelta(hours=2), None, "since 2 hours ago ("),
    ("what changed 2 weeks ago", LOCAL_MIDNIGHT - timedelta(days=NOW.weekday() + 14),
     LOCAL_MIDNIGHT - timedelta(days=NOW.weekday() + 7), "2 weeks ago ("),
    # parts of a day, said with their bounds
    ("what changed on r3 overnight", LOCAL_MIDNIGHT - timedelta(hours=6), LOCAL_MIDNIGHT + timedelta(hours=8), "overnight ("),
    ("what changed last night?", LOCAL_MIDNIGHT - timedelta(hours=6), LOCAL_MIDNIGHT + timedelta(hours=8), "last night ("),
    ("what changed this morning", LOCAL_MIDNIGHT, LOCAL_MIDNIGHT + timedelta(hours=12), "this morning ("),
    ("what changed this afternoon on r1", LOCAL_MIDNIGHT + timedelta(hours=12), LOCAL_MIDNIGHT + timedelta(hours=18),
     "this afternoon ("),
    ("what changed tonight", LOCAL_MIDNIGHT + timedelta(hours=18), None, "tonight ("),
    # months and the weekend
    ("what changed this month?", LOCAL_MIDNIGHT.replace(day=1), None, "this month"),
    # (local wall-clock midnight of 1 November: in the US, still summer time that night)
    ("what changed last month?", datetime(NOW.year, NOW.month - 1, 1).astimezone(),
     LOCAL_MIDNIGHT.replace(day=1), "last month"),
    ("what changed in the past month", NOW - timedelta(days=30), None, "in the last 30 days"),
    ("what changed over the weekend", LOCAL_MIDNIGHT - timedelta(days=NOW.weekday() + 2),
     LOCAL_MIDNIGHT - timedelta(days=NOW.weekday()), "last weekend ("),
])
def test_ago_parts_of_a_day_months_and_the_weekend_are_read_and_said_with_bounds(question, start, end, said):
    """'overnight', '3 days ago', 'this morning' were answered with every change and 'not understood'."""
    w = history_window(question, now=NOW)
    assert w is not None and w.understood, (question, w)
    assert (w.start, w.end) == (start, end), (question, w)
    assert w.said.startswith(said), (question, w.said)
    assert w.holds(((start + timedelta(minutes=1)) if start else NOW).isoformat())
    assert not w.holds((start - timedelta(minutes=1)).isoformat())


def _rec(seq, ts, actor="alice", playbook="ospf-cost"):
    return SimpleNamespace(seq=seq, ts=ts, actor=actor, payload={"playbook": playbook, "ok": True})


def test_the_found_line_says_the_window_and_the_newest_change_before_it():
    w = history_window("what changed on r2 today?", now=NOW)
    old = _rec(7, (LOCAL_MIDNIGHT - timedelta(hours=3)).astimezone(timezone.utc).isoformat())
    text = history_summary({"r2": []}, window=w, before={"r2": old})
    assert f"today (since 00:00 {LOCAL_MIDNIGHT.tzname()}" in text, text
    assert "no change recorded on r2 today" in text and "the newest before it" in text, text
    assert "ospf-cost by alice" in text and "`netops audit show 7`" in text, text
    text = history_summary({"r2": []}, window=w, before={"r2": None})
    assert "no change recorded on r2 today" in text and "none before it either" in text, text
    not_understood = history_window("what changed on r2 since the maintenance?", now=NOW)
    text = history_summary({"r2": [_rec(9, NOW.isoformat())]}, window=not_understood)
    assert "not understood" in text and "since the maintenance" in text and "ospf-cost by alice" in text, text


def test_the_audit_log_filters_changes_to_a_window(tmp_path):
    from netops.store.audit import AuditLog

    log = AuditLog(tmp_path / "audit.db")
    log.append("apply", {"host": "r2", "playbook": "ospf-cost", "ok": True}, actor="alice")
    after = datetime.now(timezone.utc) + timedelta(seconds=1)
    assert [r.actor for r in log.changes("r2", since=after)] == []
    assert [r.actor for r in log.changes("r2", until=after)] == ["alice"]
    assert [r.actor for r in log.changes("r2", since=after - timedelta(hours=1))] == ["alice"]


def test_a_change_stamped_after_the_clock_went_back_is_still_in_the_last_hour(tmp_path, monkeypatch):
    """An NTP step or a restored VM sets the clock back 3 hours between two changes: the second is
    stamped before the first, yet it was made after it, inside "the last hour"."""
    from netops.store import audit
    from netops.store.audit import AuditLog

    log = AuditLog(tmp_path / "audit.db")
    now = datetime.now(timezone.utc)
    log.append("apply", {"host": "r2", "playbook": "ospf-cost", "ok": True}, actor="alice")
    monkeypatch.setattr(audit, "_now", lambda: (now - timedelta(hours=3)).isoformat(timespec="microseconds"))
    log.append("apply", {"host": "r2", "playbook": "drain", "ok": True}, actor="bob")
    hour_ago = now - timedelta(hours=1)
    assert [r.actor for r in log.changes("r2", since=hour_ago)] == ["bob", "alice"]
    # before the hour by its stamp: a window never drops what the stamps say (below)
    assert [r.actor for r in log.changes("r2", until=hour_ago)] == ["bob"]
    assert log.verify().ok  # a back-dated stamp is not tampering
    later = now + timedelta(minutes=5)  # nothing stamped after it: an empty window, not the whole log
    assert [r.actor for r in log.changes("r2", since=later)] == []
    assert [r.actor for r in log.changes("r2", until=later)] == ["bob", "alice"]


def test_a_record_stamped_in_the_future_hides_no_later_change(tmp_path, monkeypatch):
    """review35: a clock running a day ahead stamps one record, then is stepped back; alice's drain
    the next morning is stamped correctly. A window of the log alone (from the first record stamped in
    it) ended at the future stamp and lost her drain from "what changed yesterday?"."""
    from netops.store import audit
    from netops.store.audit import AuditLog

    log = AuditLog(tmp_path / "audit.db")
    now = datetime.now(timezone.utc)
    stamps = iter([now + timedelta(days=1), now - timedelta(hours=20), now])
    monkeypatch.setattr(audit, "_now", lambda: next(stamps).isoformat(timespec="microseconds"))
    log.append("apply", {"host": "r2", "playbook": "ospf-cost", "ok": True}, actor="ahead")
    log.append("apply", {"host": "r2", "playbook": "drain", "ok": True}, actor="alice")
    log.append("apply", {"host": "r2", "playbook": "undrain", "ok": True}, actor="bob")
    yesterday = (now - timedelta(days=1), now - timedelta(hours=12))
    assert [r.actor for r in log.changes("r2", since=yesterday[0], until=yesterday[1])] == ["alice"]
    # (papercuts36: alice's drain 20 hours ago was in "the last hour" too, brought in by the future stamp;
    # the future stamp itself stays, by its stamp, and the answer says it is after now)
    assert [r.actor for r in log.changes("r2", since=now - timedelta(hours=1))] == ["bob", "ahead"]


def test_a_record_stamped_in_the_future_brings_no_older_change_into_a_window(tmp_path, monkeypatch):
    """papercuts36 (left by stop 35): a clock a day ahead stamped one change; the clock was stepped back
    and the changes after it were stamped correctly, days and hours ago. The first record stamped in
    "the last hour" was the future one, so by their place every change after it was in the hour. Only
    records stamped up to now mark a window's place; the future one is said to be stamped after now."""
    from netops.agent.offline import local_time
    from netops.store import audit
    from netops.store.audit import AuditLog

    log = AuditLog(tmp_path / "audit.db")
    now = datetime.now(timezone.utc)
    stamps = iter([now - timedelta(days=3), now + timedelta(days=1), now - timedelta(days=2), now - timedelta(hours=5),
                   now - timedelta(minutes=10)])
    monkeypatch.setattr(audit, "_now", lambda: next(stamps).isoformat(timespec="microseconds"))
    for actor in ("old", "ahead", "carol", "dave", "erin"):
        log.append("apply", {"host": "r2", "playbook": "ospf-cost", "ok": True}, actor=actor)
    assert [r.actor for r in log.changes("r2", since=now - timedelta(hours=1))] == ["erin", "ahead"]
    assert [r.actor for r in log.changes("r2", since=now - timedelta(hours=6))] == ["erin", "dave", "ahead"]
    # written between old and carol, both in this window: by its place, it is in it too
    assert [r.actor for r in log.changes("r2", since=now - timedelta(days=4), until=now - timedelta(days=1))] == \
        ["carol", "ahead", "old"]
    (ahead,) = [r for r in log.changes("r2", 10) if r.actor == "ahead"]
    assert "stamped after the time now" in local_time(ahead.ts)
    assert "stamped after" not in local_time(log.changes("r2", 1)[0].ts)


def test_a_window_filters_the_answer(lab):
    got = lab.ask("what changed on r3 in the last hour?")
    assert got["audit"] and not got.get("reads"), got
    assert "in the last hour" in got["text"] and "by carol" in got["text"], got["text"]
    got = lab.ask("what changed on r3 yesterday?")
    text = got["text"]
    assert "no change recorded on r3 yesterday" in text and "carol" not in text, text
    got = lab.ask("what changed on r3 since the maintenance?")
    assert "not understood" in got["text"] and "by carol" in got["text"], got["text"]


@pytest.mark.parametrize("question, hosts", [
    ("wat changed on r3", ["r3"]), ("waht changed on r3", ["r3"]), ("what chnaged on r2", ["r2"]),
    ("whats changed on r1", ["r1"]), ("what's been changed on r2?", ["r2"]), ("whats changed", HOSTS),
    ("wat changed today", HOSTS), ("who chnaged r1?", ["r1"]),
])
def test_typos_of_the_history_verb(question, hosts):
    r = route(question, HOSTS)
    assert (r.kind, r.tool, r.args.get("hosts")) == ("tool", "change_history", hosts), r


@pytest.mark.parametrize("question", ["hat changed on r2"])
def test_a_typo_keeps_its_first_letter(question):
    assert route(question, HOSTS).tool != "change_history"


def test_the_audit_log_is_its_own_evidence_kind(lab):
    from netops.agent.offline import audit_evidence

    ev = audit_evidence(["r2"])
    assert (ev.kind, ev.host) == ("audit", "r2") and ev.label.startswith("netops audit log"), ev
    assert audit_evidence(["r1", "r2"]).host == "r1, r2"
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll

    answer = Assistant(lab.session, approver=DenyAll()).ask("what changed on r2?", offline=True)
    assert [(e.kind, e.host) for e in answer.evidence] == [("audit", "r2")], answer.evidence
    assert [e["kind"] for e in answer.to_dict()["evidence"]] == ["audit"]  # --json


def test_last_week_is_the_calendar_week_before_this_one_and_the_last_week_is_seven_days():
    monday = LOCAL_MIDNIGHT - timedelta(days=NOW.weekday())
    w = history_window("what changed last week?", now=NOW)
    assert (w.start, w.end) == (monday - timedelta(days=7), monday), w
    w = history_window("what changed in the last week?", now=NOW)
    assert (w.start, w.end) == (NOW - timedelta(weeks=1), None), w


def test_a_model_is_given_the_window_and_the_audit_kind(lab):
    from netops.agent.grounding import prepare
    from netops.agent.tools import ToolContext

    ctx = ToolContext(settings=lab.session.settings, session=lab.session, question="what changed on r3 yesterday?")
    g = prepare("what changed on r3 yesterday?", ctx, lambda name, args: None)
    assert [s.kind for s in g.sources] == ["audit"], g.sources
    assert "no change recorded on r3 yesterday" in g.sources[0].text and "carol" not in g.sources[0].text, g.sources


# -- review16: a history question followed by a request is the request, never only a read ------------------
@pytest.mark.parametrize("question", [
    "did someone change the description on r1? set it to uplink",  # a change before hist16 (3879a9a)
    "has anyone touched r1's ospf cost? set it to 20",  # a change before hist16
    "who changed r1? change it back",
    "did somebody modify r2? revert it",
    "has anyone touched r1? if so roll it back",
    "did anyone edit r1? then set the ospf cost on r1 eth-r2 to 20",
    "what changed on r2 today? undo it",
])
def test_a_history_question_then_a_request_is_not_answered_by_the_audit_log_alone(question):
    r = route(question, HOSTS)
    assert not r.args.get("_history") and r.tool != "change_history", r


@pytest.mark.parametrize("question, hosts", [
    ("what changed on r2? and who changed it?", ["r2"]), ("who changed r1, and when?", ["r1"]),
    ("what changed on r3 today? show me", ["r3"]), ("what changed on r2 since 10:00?", ["r2"]),
])
def test_a_history_question_with_more_of_a_question_stays_a_history_read(question, hosts):
    r = route(question, HOSTS)
    assert (r.tool, r.args.get("hosts")) == ("change_history", hosts), r


@pytest.mark.parametrize("question", ["what changed on r3 in the last 3000000 weeks?",
                                      "what changed on r3 in the last 99999999999 days?",
                                      "what changed on r3 since 0001-01-01?"])
def test_a_window_out_of_the_calendars_range_is_said_not_a_crash(lab, question, monkeypatch):
    """review16: the ask path raised OverflowError (a span past year 1; a date near year 1 on a
    machine east of UTC)."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        got = lab.ask(question)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert got["audit"] and "not understood" in got["text"] and "by carol" in got["text"], got["text"]


def test_a_calendar_window_on_a_day_the_clocks_change_starts_at_that_days_local_midnight(monkeypatch):
    """review16: 'today' kept now's summer offset for a midnight still in winter time (Berlin,
    2026-03-29: local midnight is 23:00 UTC the day before, not 22:00), so a change made at 23:30 the
    day before was listed as today's."""
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX-only")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        now = datetime(2026, 3, 29, 12, 0, tzinfo=timezone.utc).astimezone()
        utc = timezone.utc
        today = history_window("what changed today?", now=now)
        assert today.start.astimezone(utc) == datetime(2026, 3, 28, 23, 0, tzinfo=utc), today
        assert not today.holds(datetime(2026, 3, 28, 22, 30, tzinfo=utc).isoformat())  # 23:30 local on the 28th
        yesterday = history_window("what changed yesterday?", now=now)
        assert yesterday.start.astimezone(utc) == datetime(2026, 3, 27, 23, 0, tzinfo=utc), yesterday
        assert yesterday.end == today.start
        since = history_window("what changed since 15:00?", now=now)  # 14:00 CEST now: 15:00 of the 28th, winter time
        assert since.start.astimezone(utc) == datetime(2026, 3, 28, 14, 0, tzinfo=utc), since
        night = history_window("what changed overnight?", now=now)  # 18:00 CET to 08:00 CEST
        assert (night.start.astimezone(utc), night.end.astimezone(utc)) == \
            (datetime(2026, 3, 28, 17, 0, tzinfo=utc), datetime(2026, 3, 29, 6, 0, tzinfo=utc)), night
    finally:
        monkeypatch.undo()  # TZ as it was, then the process's zone re-read from it
        time.tzset()


def test_a_window_names_the_zone_the_change_times_are_said_in(monkeypatch):
    """The window and the change times are said in one zone, by its name: 'today (since 00:00 CET,
    ... UTC)' beside 'at 08:02:21 CET', not 'local' beside 'CET' (helper hist17 left the window's
    word as 'local')."""
    import time as _time

    from netops.agent.offline import local_time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    _time.tzset()
    try:
        now = datetime(2026, 12, 3, 15, 30, tzinfo=timezone.utc).astimezone()
        w = history_window("what changed on r2 today?", now=now)
        assert w.said.startswith("today (since 00:00 CET, 2026-12-02 23:00 UTC"), w.said
        summer = history_window("what changed on r2 yesterday?", now=datetime(2026, 7, 2, 9, tzinfo=timezone.utc).astimezone())
        assert "2026-07-01 00:00 CEST" in summer.said and "local" not in summer.said, summer.said
        rec = _rec(3, datetime(2026, 12, 3, 7, 2, 21, tzinfo=timezone.utc).isoformat())
        assert local_time(rec.ts).endswith("08:02:21 CET"), local_time(rec.ts)
        monday = history_window("what changed on r2 since monday?", now=now)
        assert "local" not in monday.said and "CET" in monday.said, monday.said
    finally:
        monkeypatch.delenv("TZ")
        _time.tzset()


# one calendar day or month by name: review17 found 'on monday', 'last tuesday' and 'in april' read as
# no window at all, so the newest changes were listed as if they were that day's
THU = datetime(2026, 12, 3, 15, 30, tzinfo=timezone.utc).astimezone()


def _day(y, m, d):
    return datetime(y, m, d).astimezone()


@pytest.mark.parametrize("question, start, end", [
    ("what changed on r2 on monday?", _day(2026, 11, 30), _day(2026, 12, 1)),
    ("what changed on r2 last tuesday?", _day(2026, 12, 1), _day(2026, 12, 2)),
    ("last thursday's changes on r1", _day(2026, 11, 26), _day(2026, 11, 27)),  # today is Thursday: a week ago
    ("what changed on r1 on thursday?", _day(2026, 12, 3), None),  # today, so far
    ("what changed on 2026-11-30?", _day(2026, 11, 30), _day(2026, 12, 1)),
    ("who changed r3 on 30 nov?", _day(2026, 11, 30), _day(2026, 12, 1)),
    ("what changed nov 30th", _day(2026, 11, 30), _day(2026, 12, 1)),
    ("any changes on dec 25?", _day(2025, 12, 25), _day(2025, 12, 26)),  # not yet this year: last year's
    ("what changed in april?", _day(2026, 4, 1), _day(2026, 5, 1)),
    ("what changed during nov 2026", _day(2026, 11, 1), _day(2026, 12, 1)),
    ("what changed in december", _day(2026, 12, 1), None),  # this month, so far
    ("what changed since april?", _day(2026, 4, 1), None),
    ("what changed between monday and wednesday?", _day(2026, 11, 30), _day(2026, 12, 3)),
])
def test_a_named_day_or_month_is_that_calendar_day_or_month(question, start, end):
    w = history_window(question, now=THU)
    assert w is not None and w.understood, (question, w)
    assert (w.start, w.end) == (start, end), (question, w)
    assert w.holds(start.astimezone(timezone.utc).isoformat())
    assert not w.holds((start - timedelta(seconds=1)).astimezone(timezone.utc).isoformat())


@pytest.mark.parametrize("question", ["what changed on feb 30?", "what changed between the upgrade and now?"])
def test_a_named_day_that_cannot_be_read_is_said_not_understood(question):
    w = history_window(question, now=THU)
    assert w is not None and not w.understood, (question, w)


def test_a_weekday_follow_up_keeps_the_history_question_with_that_day():
    from netops.agent.router import followup, route

    hosts = ["r1", "r2", "r3"]
    meant = followup("and on tuesday?", "what changed on r2?", hosts)
    r = route(meant, hosts)
    assert (r.tool, r.args.get("hosts")) == ("change_history", ["r2"]), (meant, r)
    assert history_window(meant, now=THU).start == _day(2026, 12, 1), meant


@pytest.mark.parametrize("question", ["what changed tonight?", "what changed this evening on r3"])
def test_tonight_asked_after_midnight_is_the_night_under_way(question):
    """trial37, at 02:06 in a maintenance window: "what changed tonight?" read 18:00 *today* to now, a window
    in the future, and listed r3's drain at 01:51 as "the newest before it". Asked before 08:00 (where
    "overnight" ends), tonight began at 18:00 yesterday; asked in the afternoon it is still today's 18:00."""
    small_hours = LOCAL_MIDNIGHT + timedelta(hours=2, minutes=6)
    w = history_window(question, now=small_hours)
    assert w is not None and w.understood
    assert (w.start, w.end) == (LOCAL_MIDNIGHT - timedelta(hours=6), None), w
    assert w.holds((LOCAL_MIDNIGHT + timedelta(hours=1, minutes=51)).isoformat())  # the drain at 01:51
    assert not w.holds((LOCAL_MIDNIGHT - timedelta(hours=7)).isoformat())  # yesterday afternoon
    assert history_window(question, now=NOW).start == LOCAL_MIDNIGHT + timedelta(hours=18)


def test_a_device_with_more_changes_than_listed_says_the_rest_and_names_the_first(tmp_path):
    """trial37, the hand-over after a maintenance window: r3 drained once, then five undrain attempts.
    "what changed tonight?" listed the five undrains (up to 5 a device) and nothing else: the drain, the
    night's first change, was cut without a word. Now the cut is said, with the first change it left out."""
    from netops.agent.offline import HISTORY_PER_DEVICE, answer_history
    from netops.store.audit import AuditLog

    log = AuditLog(tmp_path / "audit.db")
    log.append("apply", {"host": "r3", "playbook": "router-drain", "ok": True,
                         "commands": ["router ospf", "max-metric router-lsa administrative"]}, actor="alice")
    for _ in range(HISTORY_PER_DEVICE):
        log.append("apply", {"host": "r3", "playbook": "router-undrain", "ok": True}, actor="alice")
    log.append("apply", {"host": "r2", "playbook": "ospf-cost", "ok": True}, actor="bob")
    ctx = SimpleNamespace(get_audit=lambda: log)
    text = answer_history(ctx, ["r2", "r3"], "what changed today?")
    assert text.count("r3: router-undrain by alice") == HISTORY_PER_DEVICE, text
    cut = next(line for line in text.splitlines() if "not listed here" in line)
    assert cut.startswith("- r3: 1 earlier change today") and "router-drain by alice" in cut, cut
    assert "max-metric router-lsa administrative" in cut and "netops audit list --kind apply" in cut, cut
    assert "r2: ospf-cost by bob" in text and text.count("not listed here") == 1, text  # r2's one change: no cut
    drains = answer_history(ctx, ["r3"], "did the drain on r3 work?")  # one drain: nothing left out
    assert "not listed here" not in drains, drains
