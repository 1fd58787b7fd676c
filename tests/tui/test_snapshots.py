"""A few SVG snapshots for layout: the main screen, the approval modal, the evidence viewer.
Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` after an intended change."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_textual_snapshot")

SIZE = (110, 36)


def test_main_screen(snap_compare, settings):
    from tests.tui.demo import DemoChat

    assert snap_compare(DemoChat(settings), terminal_size=SIZE)


def test_approval_modal(snap_compare, settings):
    from netops.tui.screens.approval import ApprovalScreen
    from tests.tui.demo import DemoChat, plan

    async def show(pilot):  # noqa: ANN001
        p, verdict = plan()
        pilot.app.push_screen(ApprovalScreen(p, verdict))
        await pilot.pause()

    assert snap_compare(DemoChat(settings), terminal_size=SIZE, run_before=show)


def test_evidence_viewer(snap_compare, settings):
    from netops.tui.screens.evidence import EvidenceScreen
    from tests.tui.demo import DemoChat, evidence

    passage = ("The Hold Time MUST be either zero or at least three seconds. An implementation MAY reject "
               "connections on the basis of the Hold Time.")

    async def show(pilot):  # noqa: ANN001
        meta = ["document: RFC 4271 — A Border Gateway Protocol 4 (BGP-4)", "section: 4.2 OPEN Message Format",
                "source: /usr/share/doc/RFC/draft-standard/rfc4271.txt.gz"]
        pilot.app.push_screen(EvidenceScreen(evidence()[1], lambda ev: ("Cited passage", meta, passage)))
        await pilot.pause(0.3)

    assert snap_compare(DemoChat(settings), terminal_size=SIZE, run_before=show)
