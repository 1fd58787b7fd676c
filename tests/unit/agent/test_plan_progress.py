"""A change's plan takes seconds (reading the targets, the prechecks, the model's review) before
anyone is asked: the surfaces are told what is going on (trial34: ~25 s with only "running" on
the tool card of the chat, nothing on `netops ask`'s stderr)."""

from __future__ import annotations

from netops.agent.events import PlanEvent, StepEvent
from netops.testing.ollama_server import say


def _steps_before_plan(events):
    at = next(i for i, e in enumerate(events) if isinstance(e, PlanEvent))
    return [e for e in events[:at] if isinstance(e, StepEvent)]


def test_planning_and_the_model_review_are_said_before_the_plan(scripted, make_assistant):
    from netops.agent.reviewer import Verdict

    reviewed = []
    scripted.push(say("Not drained."))
    events = list(make_assistant(reviewer=lambda *a: reviewed.append(a) or Verdict(by=["model"])).events(
        "drain r3 for maintenance"))
    assert reviewed
    steps = _steps_before_plan(events)
    assert [s.step for s in steps][-2:] == ["plan", "review"], steps
    assert steps[-2].detail.startswith("planning router-drain on r3: reading the devices and running the prechecks")


def test_offline_a_worded_change_says_it_is_planning_its_dry_run(make_assistant):
    events = list(make_assistant().events("drain r3 for maintenance", offline=True))
    steps = [e for e in events[:-1] if isinstance(e, StepEvent)]
    assert any(s.step == "plan" and "router-drain on r3" in s.detail for s in steps), events
