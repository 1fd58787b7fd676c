"""Widgets on their own: run progress, tool cards, export, evidence lookup, NO_COLOR."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult


class One(App[None]):
    def __init__(self, widget) -> None:  # noqa: ANN001
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


@pytest.mark.asyncio
async def test_run_progress_follows_each_host():
    from netops.agent.events import RunProgressEvent
    from netops.tui.widgets.progress import RunProgress

    progress = RunProgress("bgp-neighbor-shutdown")
    async with One(progress).run_test():
        for stage in ("precheck", "snapshot", "apply", "postcheck"):
            progress.step(RunProgressEvent("bgp-neighbor-shutdown", "r1", stage, None, ""))
        assert progress.rows["r1"]["postcheck"] == "running" and not progress.finished
        progress.step(RunProgressEvent("bgp-neighbor-shutdown", "r2", "skipped", None, "interrupted"))
        progress.step(RunProgressEvent("bgp-neighbor-shutdown", "r1", "rollback", None, ""))
        progress.step(RunProgressEvent("bgp-neighbor-shutdown", "r1", "rolled_back", True, "equals the snapshot"))
        assert progress.outcome == {"r2": "skipped", "r1": "rolled_back"}
        assert progress.rows["r1"]["rollback"] == "ok" and progress.rows["r1"]["postcheck"] == "stopped"
        assert progress.finished


@pytest.mark.asyncio
async def test_tool_card_shows_outcome_and_output():
    from netops.agent.tools import ToolCallRecord
    from netops.tui.widgets.toolcard import ToolCard

    card = ToolCard("show", {"hosts": ["r1"], "command": "show version"}, "c1")
    async with One(card).run_test() as pilot:
        assert "running" in card.title
        card.finish(ToolCallRecord("show", {"hosts": ["r1"], "command": "show version"}, False,
                                   error="PolicyViolation: 'configure' is not allowed", elapsed=0.01,
                                   summary="PolicyViolation: 'configure' is not allowed", output="ERROR: ..."))
        await pilot.pause()
        assert card.title.startswith("✗ show") and "FAILED" in card.title and card.has_class("-failed")
        assert card.collapsed
        await pilot.click("ToolCard CollapsibleTitle")
        assert not card.collapsed


def test_export_lists_calls_approvals_and_missing_evidence():
    from netops.agent.tools import ApprovalRecord, ToolCallRecord
    from netops.tui.export import Entry, to_markdown

    entries = [Entry("user", "drain r2"),
               Entry("assistant", "Denied, nothing changed.", "agent", "qwen", [],
                     [ToolCallRecord("playbook_run", {"playbook": "router-drain"}, False, error="DENIED", elapsed=1.5)],
                     [ApprovalRecord("router-drain", ["r2"], {}, "ok", [], "denied", by="alice", result="declined")])]
    text = to_markdown(entries, title="drain r2", conversation_id="abc", exported_at="2026-12-01T10:00:00+00:00")
    assert "## Answer — agent (qwen)" in text
    assert '- `playbook_run` {"playbook": "router-drain"} — failed: DENIED, 1.50 s' in text
    assert "- router-drain on r2: **denied** by alice — declined" in text
    assert "_No evidence: this answer cites nothing._" in text


def test_device_evidence_shows_that_hosts_output(settings):
    from netops.agent.evidence import Evidence
    from netops.agent.tools import ToolCallRecord
    from netops.tui.lookup import evidence_detail

    label = "r2: show ip route, 10:00:00"
    out = '<data source="r1: show ip route">\nr1 routes\n</data>\n<data source="r2: show ip route">\nr2 routes\n</data>'

    class A:
        tool_calls = [ToolCallRecord("show", {}, True, evidence=["r1: show ip route, 10:00:00", label], output=out)]

    title, meta, text = evidence_detail(None, Evidence("device", label, host="r2", command="show ip route",
                                                       at="2026-12-01T10:00:00+00:00"), A())
    assert text == "r2 routes" and title == "Device output"
    assert "host: r2" in meta and "command: show ip route" in meta


def test_the_viewer_shows_no_prompt_framing():
    """trial32: the citation viewer showed a route diagnosis with the ``<data source=...>`` wrapper
    and the ``(cite as: ...)`` cue the model was given (its source names no single host, so the
    host's block was not found and the whole output was shown). A person sees the findings; the
    same for a block cut by the output budget (no closing tag) and for a row kept with the wrapper."""
    from netops.agent.evidence import Evidence, wrap_data
    from netops.agent.tools import ToolCallRecord
    from netops.tui.lookup import evidence_detail

    label = "r2: show ip route json, 10:00:00"
    ev = Evidence("device", label, host="r2", command="show ip route json", at="2026-12-01T10:00:00+00:00")
    findings = "[1] LIKELY CAUSE: r2 has no BGP session to r3 (from r2: show bgp summary json)"
    out = wrap_data("route diagnosis of 203.0.113.0/24 on r2", findings) + f"\n(cite as: [1] {label})"

    class A:
        tool_calls = [ToolCallRecord("diagnose_route", {}, True, evidence=[label], output=out)]

    title, _, text = evidence_detail(None, ev, A())
    assert title == "Route diagnosis" and text == findings

    cut = '[2]\n<data source="r2: show ip route json">\n{"routes": 1\n[... 10 characters cut ...]\n}'

    class Cut:
        tool_calls = [ToolCallRecord("show", {}, True, evidence=[label], output=cut.replace("r2:", "r2 :"))]

    _, _, text = evidence_detail(None, ev, Cut())
    assert "<data" not in text and "[2]" not in text and text.startswith('{"routes": 1')

    class Kept:
        tool_calls: list = []

        def evidence_text(self, _label):
            return out

    _, _, text = evidence_detail(None, ev, Kept())
    assert text == findings


@pytest.mark.asyncio
async def test_no_color_is_respected(settings, monkeypatch):
    from netops.tui.app import ChatApp

    monkeypatch.setenv("NO_COLOR", "1")
    app = ChatApp(settings, offline=True)
    async with app.run_test():
        assert app.no_color


@pytest.mark.asyncio
@pytest.mark.parametrize("decision", ["approved", "denied"])
async def test_a_change_answer_is_not_called_unverified(decision):
    """After 'drain r3' was approved, applied and verified by its post-checks (seen in tmux), the
    answer ended with 'no evidence: this answer cites nothing; treat it as unverified'. An answer
    about a change cites no passage because netops's own record of the run is the account: the
    line says so; an answer with neither evidence nor a change keeps the warning."""
    from netops.agent.tools import ApprovalRecord
    from netops.assistant import Answer
    from netops.tui.widgets.citations import CitationList

    record = ApprovalRecord("router-drain", ["r3"], {}, "warn", [], decision, by="root",
                            result="applied and verified" if decision == "approved" else None)
    change = Answer(question="drain r3", text="Outcome: ...", mode="agent", approvals=[record])
    for answer, unverified in ((change, False), (Answer(question="q", text="a", mode="agent"), True)):
        widget = CitationList([], answer)
        async with One(widget).run_test():
            head = str(widget.query_one(".citations-head").render())
        assert ("unverified" in head) is unverified, head
        if not unverified:
            assert "record of the change" in head and ("post-checks" in head) is (decision == "approved"), head


@pytest.mark.asyncio
async def test_the_status_offers_a_rollback_only_while_one_is_possible(settings):
    """Seen in tmux: 'changing r3: verified (Ctrl+C cancels and rolls back)' stayed up after the
    host was verified; Ctrl+C then rolled nothing back (the change was kept). A host in a final
    state is shown as such, without the offer."""
    from netops.agent.events import RunProgressEvent
    from netops.tui.widgets.answer import AnswerView
    from netops.tui.widgets.statusbar import StatusBar
    from tests.tui.demo import DemoChat

    app = DemoChat(settings)
    async with app.run_test(size=(110, 30)) as pilot:
        view = app.query(AnswerView).last()
        bar = app.query_one(StatusBar)
        await app._render(view, RunProgressEvent("router-undrain", "r3", "apply", None, ""))
        await pilot.pause()
        assert "rolls back" in bar.activity and app.change_running
        await app._render(view, RunProgressEvent("router-undrain", "r3", "verified", True, "postchecks passed"))
        await pilot.pause()
        assert "rolls back" not in bar.activity and "r3: verified" in bar.activity, bar.activity
        assert not app.change_running


@pytest.mark.asyncio
async def test_a_change_plan_offline_is_not_called_unverified():
    """Offline, 'drain r3 for maintenance' shows the vetted playbook's plan and dry run (nothing
    is changed), and 'drain r9 ...' says r9 is not in the inventory; both ended with 'no
    evidence: this answer cites nothing; treat it as unverified' under netops's own reading of
    the request (seen in tmux on the lab). The line says what the text is instead."""
    from netops.agent.change_intent import ChangeMatch
    from netops.assistant import Answer
    from netops.tui.widgets.citations import CitationList

    for kind in ("change", "clarify"):
        answer = Answer(question="drain r3 for maintenance", text="offline answer ...", mode="offline",
                        change=ChangeMatch(kind, playbook="router-drain", hosts=["r3"]))
        widget = CitationList([], answer)
        async with One(widget).run_test():
            head = str(widget.query_one(".citations-head").render())
        assert "unverified" not in head and "vetted playbook" in head and "nothing was changed" in head, head
        assert not widget.has_class("-none")


@pytest.mark.asyncio
@pytest.mark.parametrize("result", ["cancelled: rolled back r3", "cancelled: nothing was changed"])
async def test_a_change_cancelled_after_approval_does_not_claim_post_checks(result):
    """Ctrl+C after approving 'drain r3' (rolled back, or stopped before anything was sent):
    the line under it still said '(its post-checks are the verification)', though no post-check
    had verified anything (seen in tmux on lab 6)."""
    from netops.agent.tools import ApprovalRecord
    from netops.assistant import Answer
    from netops.tui.widgets.citations import CitationList

    record = ApprovalRecord("router-drain", ["r3"], {}, "warn", [], "approved", by="root", result=result,
                            verified=False)
    widget = CitationList([], Answer(question="drain r3", text="Outcome: ...", mode="agent", approvals=[record]))
    async with One(widget).run_test():
        head = str(widget.query_one(".citations-head").render())
    assert "record of the change" in head and "post-checks" not in head, head


def test_the_hand_over_export_says_when_in_the_local_zone_with_each_change_and_no_words_for_the_model(monkeypatch):
    """trial37: the hand-over file had no time per question or change, and a refused change's tool line
    carried "Tell the person; do not retry." (said to the model) into a file pasted into a ticket.
    Now each question and answer says its time in the machine's zone, by name (TZ as a laptop sets
    it), each change its approval, outcome and audit record, and a secret in a result is redacted."""
    import time

    from netops.agent.change_tools import _refused
    from netops.agent.tools import ApprovalRecord, ToolCallRecord
    from netops.tui.export import Entry, to_markdown

    monkeypatch.setenv("TZ", "Australia/Brisbane")  # UTC+10, no summer time
    time.tzset()
    try:
        class Ctx:
            approvals: list = []

            def emit(self, ev):
                pass

        refused = ApprovalRecord("router-drain", ["r2"], {}, "ok", [], "denied", by="alice", result="declined",
                                 audit_seq=41)
        res = _refused(Ctx(), refused)
        call = ToolCallRecord("playbook_run", {"playbook": "router-drain"}, False, error=res.error, elapsed=1.5)
        done = ApprovalRecord("router-drain", ["r3"], {}, "ok", [], "approved", by="alice",
                              result="applied and verified; key 7 0822455D0A16", verified=True, audit_seq=57)
        entries = [Entry("user", "drain r2", at="2026-12-04T14:31:00+00:00"),  # 00:31 on the 5th in Brisbane
                   Entry("assistant", "Denied, nothing changed.", "agent", "qwen", [], [call], [refused],
                         at="2026-12-04T14:31:40+00:00"),
                   Entry("user", "drain r3", at="2026-12-04T13:50:00+00:00"),  # 23:50 on the 4th
                   Entry("assistant", "r3 drained.", "agent", "qwen", [], [], [done], at="2026-12-04T13:52:00+00:00")]
        text = to_markdown(entries, title="night", conversation_id="abc", exported_at="2026-12-04T15:00:00+00:00")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "exported 2026-12-05 01:00 AEST (2026-12-04T15:00:00+00:00) · times in AEST" in text, text
    assert "## Question · 00:31 AEST" in text and "## Answer — agent (qwen) · 00:31 AEST" in text, text
    assert "## Question · 2026-12-04 23:50 AEST" in text, text  # the day said where it is not the export's
    assert "Tell the person" not in text and "do not retry" not in text, text
    assert "failed: DENIED: declined. Nothing was changed., 1.50 s" in text, text
    assert "- router-drain on r2: **denied** by alice — declined (review: ok) — audit record 41 " \
           "(`netops audit show 41`)" in text, text
    assert "- router-drain on r3: **approved** by alice — applied and verified" in text, text
    assert "`netops audit show 57`" in text and "0822455D0A16" not in text, text


def test_a_stored_tool_error_loses_the_words_once_said_to_the_model():
    """Conversations stored before trial37 kept "Tell the person; do not retry." in the call's error."""
    from types import SimpleNamespace

    from netops.agent.transcript import stored_answer

    meta = {"tool_calls": [{"tool": "playbook_run", "ok": False,
                            "error": "DENIED: no. Nothing was changed. Tell the person; do not retry."}]}
    stored = stored_answer(SimpleNamespace(content="x", meta=meta, created_at=None))
    assert stored.tool_calls[0].error == "DENIED: no. Nothing was changed."
