"""Route diagnosis through the agent: question shapes, offline answer, tool, grounding and the
fallback to netops's own findings when the model's answer is unsupported.

Devices replay FRR output captured in the lab (tests/fixtures/devices/frr_routediag/normal).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.events import ToolStartEvent
from netops.agent.grounding import MODEL_UNSUPPORTED, OWN_FINDINGS
from netops.agent.router import route
from netops.testing.ollama_server import say, tool_call
from netops.testing.transport import FakeTransport

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr_routediag"
HOSTS = ["r1", "r2", "r3"]
CANONICAL = "why is r2 not learning 203.0.113.0/24?"


@pytest.fixture
def fake_transport():
    return FakeTransport.from_dir(FIX / "normal")


@pytest.mark.parametrize("question", [
    CANONICAL,
    "Why isn't r2 receiving 203.0.113.0/24",
    "why does r2 not see 203.0.113.0/24?",
    "why don't I have a route to 203.0.113.0/24 on r2?",
    "why is there no route to 203.0.113.0/24 on r2",
    "is r2 learning 203.0.113.0/24?",
    "where does r2 learn 203.0.113.0/24 from?",
    "r2 doesn't have 203.0.113.0/24, why?",
    "why is 203.0.113.0/24 missing on r2?",
    "why did r2 never receive 203.0.113.0/24 from its peers?",
    # trial32: a typo in the verb, and the problem said rather than asked, were a bare route lookup
    "why is r2 not lerning 203.0.113.0/24?",
    "why isnt r2 recieving 203.0.113.0/24",
    "r2 is missing 203.0.113.0/24",
    "203.0.113.0/24 is gone from r2",
])
def test_question_shapes_route_to_the_diagnosis(question):
    r = route(question, HOSTS)
    assert (r.kind, r.tool) == ("tool", "diagnose_route"), (question, r)
    assert r.args == {"host": "r2", "prefix": "203.0.113.0/24"}


def test_the_device_asked_about_is_the_first_one_named():
    r = route("why is r3 not learning 203.0.113.1/32 from r1?", HOSTS)
    assert r.args == {"host": "r3", "prefix": "203.0.113.1/32"}
    assert route("where does r2 learn 203.0.113.3/32 from, r3 or r1?", HOSTS).args["host"] == "r2"


@pytest.mark.parametrize("question, tool", [
    ("what is the next hop for 203.0.113.3 on r2", "get_state"),
    ("bgp neighbours on r2", "get_state"),
    ("why is r2 not learning routes?", None),          # no prefix: nothing to diagnose
    ("why is 203.0.113.0/24 not learned?", None),      # no device
    ("why does r2 not have the neighbour 198.51.100.6 up?", None),  # a session, not a route
    ("why is the session to 198.51.100.6 on r2 not up?", None),
    ("is the session to 198.51.100.6 missing on r2?", None),
    ("which interface is missing its address on r2?", None),
])
def test_other_questions_do_not(question, tool):
    r = route(question, HOSTS)
    assert r.tool != "diagnose_route"
    if tool:
        assert r.tool == tool


def test_offline_answer_names_the_more_specifics_and_their_peers(make_assistant, fake_transport):
    answer = make_assistant().ask(CANONICAL, offline=True)
    assert answer.mode == "offline"
    assert "intent: route diagnosis" in answer.text
    assert "but 4 more-specific routes inside it are in the table" in answer.text
    assert "learned from r1 (198.51.100.1): 203.0.113.1/32" in answer.text
    assert "learned from r3 (198.51.100.6): 203.0.113.3/32, 203.0.113.128/25" in answer.text
    assert "Likely cause:\n- no other device in the inventory has 203.0.113.0/24" in answer.text
    labels = answer.citations
    assert any(c.startswith("r2: show ip route 203.0.113.0/24 longer-prefixes json") for c in labels)
    assert any(c.startswith("r3: show ip route 203.0.113.0/24 longer-prefixes json") for c in labels)
    assert [c.tool for c in answer.tool_calls] == ["diagnose_route"]
    # read-only: every command sent to a device is a show
    assert fake_transport.sent and all(c.startswith("show ") for _, c in fake_transport.sent)


def test_nonsense_from_the_model_is_kept_below_netops_findings(scripted, make_assistant):
    nonsense = "The prefix is blocked by a firewall rule on the switch. Reboot the router to fix it."
    scripted.push(say(nonsense))
    events = list(make_assistant().events(CANONICAL))
    assert [e.tool for e in events if isinstance(e, ToolStartEvent)] == ["diagnose_route"]
    answer = events[-1].answer
    # the model got the findings as numbered sources, the likely cause first
    sent = scripted.requests[0].messages[-1]["content"]
    assert "[1] r1, r3: show ip route 203.0.113.0/24 longer-prefixes json" in sent
    assert "likely cause: no other device in the inventory has 203.0.113.0/24" in sent
    assert answer.check.count("supported") == 0 and answer.check.checked >= 1
    lead, model_part = answer.text.split(f"**{MODEL_UNSUPPORTED}:**")
    assert lead.startswith(f"**{OWN_FINDINGS}:**")
    assert "learned from r3 (198.51.100.6): 203.0.113.3/32, 203.0.113.128/25" in lead
    assert "firewall rule" in model_part and "not supported" in model_part
    d = answer.to_dict()
    assert d["grounding"]["facts"].startswith("Route diagnosis for 203.0.113.0/24 on r2")
    assert d["grounding"]["findings"]["likely_causes"][0].startswith("no other device")
    assert "firewall rule" in d["answer"] and d["check"]["supported"] == 0


def test_a_supported_answer_is_left_as_the_model_wrote_it(scripted, make_assistant):
    scripted.push(say("No other device in the inventory has 203.0.113.0/24, so nobody originates it [1]."))
    answer = make_assistant().ask(CANONICAL)
    assert answer.check.count("supported") >= 1
    assert not answer.text.startswith(f"**{OWN_FINDINGS}")


def test_an_empty_model_answer_still_gives_the_findings(scripted, make_assistant):
    scripted.push(say(""))
    answer = make_assistant().ask(CANONICAL)
    assert answer.text.startswith(f"**{OWN_FINDINGS}:**")
    assert MODEL_UNSUPPORTED not in answer.text
    assert "4 more-specific routes" in answer.text


def test_get_state_answers_fall_back_too(scripted, make_assistant):
    scripted.push(say("OSPF is broken everywhere and the moon is made of cheese."))
    answer = make_assistant().ask("bgp neighbours on r2")
    lead = answer.text.split(f"**{MODEL_UNSUPPORTED}:**")[0]
    assert lead.startswith(f"**{OWN_FINDINGS}:**") and "198.51.100.6" in lead and "Established" in lead


def test_the_model_can_call_the_tool_itself(scripted, make_assistant):
    scripted.push(tool_call("diagnose_route", host="r2", prefix="203.0.113.128/25"),
                  say("r2 learns 203.0.113.128/25 from r3."))
    answer = make_assistant().ask("please look at r2 routing")
    result = scripted.requests[1].tool_results()[0]
    assert '<data source="route diagnosis of 203.0.113.128/25 on r2">' in result
    assert "learned from r3 (198.51.100.6)" in result
    assert any(c.tool == "diagnose_route" and c.ok for c in answer.tool_calls)


def test_each_read_is_one_numbered_source_and_the_evidence_is_numbered_from_one(scripted, make_assistant):
    """trial32: the findings "r2 has no route" and "4 more-specific routes" come from one read; as
    two sources they gave that read two numbers, the evidence list (one entry per read) kept the
    later one, and the chat showed "evidence (8): [3] ... [10]"."""
    scripted.push(say("Nobody originates it [1]."))
    answer = make_assistant().ask(CANONICAL)
    labels = [s.label for s in answer.grounding.sources]
    assert len(labels) == len(set(labels)), labels
    routes = next(s for s in answer.grounding.sources if "show ip route 203.0.113.0/24 longer-prefixes" in s.label
                  and s.label.startswith("r2:"))
    assert "has no route for 203.0.113.0/24" in routes.text and "more-specific routes inside it" in routes.text
    numbers = [n for n, _ in answer.numbered()]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
