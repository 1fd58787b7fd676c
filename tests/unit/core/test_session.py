"""Session: parts built once and lazily, the audited device service, one SSH pool across questions,
close() closes it all; CancelToken semantics; the first-use KB bootstrap reports progress."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from netops.cancel import CancelToken
from netops.errors import Cancelled
from netops.session import Session
from netops.testing.transport import FakeTransport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr"
INVENTORY = """\
hosts:
  r1: {hostname: 127.0.0.1, platform: frr}
  r2: {hostname: 127.0.0.1, platform: frr}
defaults: {username: tester}
"""


@pytest.fixture
def inv_settings(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    return settings.model_copy(update={"inventory": inv, "kb": settings.kb.model_copy(update={"embedder": "none"})})


def test_parts_are_lazy_and_device_commands_are_audited(inv_settings):
    fake = FakeTransport.from_dir(FIXTURES)
    with Session(inv_settings, actor="carol", surface="unit", transport_factory=fake) as session:
        assert session._devices is None and session._kb is None and session._history is None
        assert session.devices is session.devices and session.audit is session.audit
        session.devices.run("r1", "show version")
        session.devices.run("r1,r2", "configure terminal")
        records = session.audit.list(kind="device_command")
    assert [(r.actor, r.payload["host"], r.payload["refused"]) for r in records] == [
        ("carol", "r1", False), ("carol", "r1", True), ("carol", "r2", True)]
    assert all(r.payload["surface"] == "unit" for r in records)
    assert fake.sent == [("r1", "show version")]


def test_one_pool_across_questions_closed_with_the_session(inv_settings):
    fake = FakeTransport.from_dir(FIXTURES)
    session = Session(inv_settings, transport_factory=fake)
    a = session.assistant()
    for question in ("bgp neighbours on r1", "interfaces down on r1"):
        assert a.ask(question, offline=True).tool_calls[0].ok
    assert fake.connects == {"r1": 1}  # the second question reused the first one's connection
    conn = session.devices._pool._conns["r1"]
    session.close()
    assert not conn.is_alive() and len(session.devices._pool) == 0
    session.close()  # idempotent


def test_ensure_kb_bootstraps_once_with_progress_events(settings, small_defaults):
    events = []
    with Session(settings) as session:
        kb = session.ensure_kb(events.append)
        assert kb.stats().docs == 2
        session.ensure_kb(events.append)
    from netops.agent.events import IndexProgressEvent, StepEvent

    steps = [e for e in events if isinstance(e, StepEvent)]  # then the retrieval model loads, once
    assert len(steps) == 1 and events[-1] is steps[0] and steps[0].step == "retrieval"
    events = [e for e in events if isinstance(e, IndexProgressEvent)]
    stages = [e.stage for e in events]
    assert stages[0] == "start" and "empty" in events[0].detail
    assert stages.count("file") == 2 and stages[-1] == "done" and stages.count("start") == 1
    assert events[-2].done == events[-2].total == 2


def test_warm_prepares_the_first_question_and_never_indexes(settings, small_defaults):
    """``netops chat`` warms the session while the person types the first question: the first
    question then found the knowledge base still closed and its modules unimported (seconds in
    tmux before its first words). After warm() the knowledge base is ready (the question loads
    nothing); an empty one is left to the question, which shows the indexing."""
    from netops.agent.events import StepEvent

    with Session(settings) as session:
        session.warm()
        assert session._kb is not None and session._kb.is_empty()  # opened, not indexed
        events = []
        session.ensure_kb(events.append)  # the question indexes, with its progress
        assert session.kb.stats().docs == 2 and [e for e in events if not isinstance(e, StepEvent)]
    with Session(settings) as session:
        session.warm()
        events = []
        session.ensure_kb(events.append)
        assert events == [], events  # ready: the question waits for nothing


def test_cancel_token():
    token = CancelToken()
    calls = []
    token.on_cancel(lambda: calls.append("a"))
    token.on_cancel(lambda: 1 / 0)  # a broken listener does not stop the others
    token.on_cancel(lambda: calls.append("b"))
    token.raise_if_cancelled()
    assert not token.wait(0.01) and not token.cancelled
    canceller = threading.Thread(target=token.cancel, args=("Escape",))
    canceller.start()
    assert token.wait(5) and token.cancelled and token.reason == "Escape"
    canceller.join(5)  # the callbacks run in the cancelling thread, after the flag is set
    token.cancel("again")
    assert calls == ["a", "b"] and token.reason == "Escape"
    token.on_cancel(lambda: calls.append("late"))
    assert calls[-1] == "late"
    with pytest.raises(Cancelled) as err:
        token.raise_if_cancelled()
    assert err.value.exit_code == 130 and err.value.message == "Escape"


def test_an_assistant_closes_only_the_session_it_made(inv_settings):
    from netops.assistant import Assistant

    with Assistant(inv_settings) as own:
        assert not own.session._closed
    assert own.session._closed
    with Session(inv_settings) as session:
        with Assistant(session):
            pass
        assert not session._closed


def test_defaults_are_indexed_on_the_first_question_after_a_kb_add(settings, small_defaults, tmp_path):
    """A user whose first step is `netops kb add runbook.md` must not lose the default sources
    for good: the first question offers them once, with its own notice (the index is not empty)."""
    from netops.agent.events import IndexProgressEvent
    from netops.rag.kb import KnowledgeBase

    own = tmp_path / "maint.md"
    own.write_text("# Maintenance\n\nRaise the overload bit before draining a core router.\n")
    with KnowledgeBase(settings) as kb:
        kb.add([own])
    events = []
    with Session(settings) as session:
        kb = session.ensure_kb(events.append)
        assert sorted(r.source.rsplit("/", 1)[-1] for r in kb.list()) == ["bgp.md", "maint.md", "ospf.md"]
    starts = [e for e in events if isinstance(e, IndexProgressEvent) and e.stage == "start"]
    assert len(starts) == 1 and "default sources" in starts[0].detail and "empty" not in starts[0].detail
    events.clear()
    with Session(settings) as session:  # once: a second session indexes nothing
        assert session.ensure_kb(events.append).stats().docs == 3
    assert not [e for e in events if isinstance(e, IndexProgressEvent)]


def test_default_sources_removed_on_purpose_stay_removed(settings, small_defaults):
    with Session(settings) as session:
        kb = session.ensure_kb()
        removed, _ = kb.remove([str(small_defaults / "bgp.md")])
        assert removed
    with Session(settings) as session:
        assert [r.source.rsplit("/", 1)[-1] for r in session.ensure_kb().list()] == ["ospf.md"]


def test_a_home_indexed_before_the_marker_is_not_re_offered_the_defaults(settings, small_defaults):
    """Homes bootstrapped by an older netops have default documents but no marker: a default
    document present means the defaults were offered (one the user removed stays removed)."""
    with Session(settings) as session:
        kb = session.ensure_kb()
        kb.remove([str(small_defaults / "bgp.md")])
        kb.lexical.set_meta(defaults_offered=None)
    with Session(settings) as session:
        assert [r.source.rsplit("/", 1)[-1] for r in session.ensure_kb().list()] == ["ospf.md"]
