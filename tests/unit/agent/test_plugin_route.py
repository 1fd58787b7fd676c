"""A plugin's tool reached with no tool-calling model: offline, and with a model that calls no tool
(SmolLM2 never does). Before, "who is AS64499?" never reached the team's PeeringDB lookup unless
the model called it, and the answer came from the documents or from nothing. The real peering
plugin, installed into a site directory; the real Ollama client against the scripted server."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from netops.agent import plugin_route
from netops.agent.events import ToolEndEvent
from netops.agent.tools import Tool, ToolResult
from netops.testing.ollama_server import say



class _Args(BaseModel):
    asn: int


def _tool(name, answers):
    return Tool(name, "test", _Args, lambda ctx, args: ToolResult(name, True, content=str(args.asn)), answers=answers)


def test_pick_passes_over_a_tool_that_raises_returns_junk_or_bad_arguments(caplog):
    def boom(q):
        raise RuntimeError("plugin bug")

    tools = [_tool("none", lambda q: None), _tool("boom", boom), _tool("junk", lambda q: ["asn", 1]),
             _tool("bad", lambda q: {"asn": "not a number"}), _tool("good", lambda q: {"asn": 64499}),
             _tool("later", lambda q: {"asn": 1})]
    picked = plugin_route.pick("who is AS64499?", tools)
    assert picked is not None and (picked.tool, picked.args) == ("good", {"asn": 64499})
    said = caplog.text
    assert "boom" in said and "plugin bug" in said and "junk" in said and "bad" in said
    assert plugin_route.pick("who is AS64499?", tools[:4]) is None


def test_the_peering_plugin_claims_peering_questions_only(peering):
    from netops_peering.peeringdb import answers

    assert answers("who is AS64499?") == {"asn": 64499}
    assert answers("what prefix limit should we give ASN 64500?") == {"asn": 64500}
    assert answers("who peers at 198.51.100.202 on the IX?") == {"ip": "198.51.100.202"}
    assert answers("which network is 10.0.12.2 in?") is None  # the team's own link, not an IXP
    assert answers("who is 10.0.12.2?") is None
    assert answers("what does RFC 6793 say about AS 23456?") is None  # the documents' question
    assert answers("what does our peering runbook say about AS64499?") is None
    assert answers("what is the BGP hold timer?") is None


def test_offline_a_peering_question_is_answered_by_the_plugin_tool(peering, make_assistant):
    answer = make_assistant().ask("who is AS64499?", offline=True)
    print("XX", answer.text, answer.notice)
    assert "peeringdb_lookup (a plugin's tool), asn=64499" in answer.text, answer.text
    assert "Sample Content Networks" in answer.text and '"suggested_max_prefixes4": 50' in answer.text
    assert "<data" not in answer.text  # the prompt framing is the model's, not the person's
    assert [c.tool for c in answer.tool_calls] == ["peeringdb_lookup"]
    assert [(e.kind, e.label) for e in answer.evidence] == [("tool", "peeringdb_lookup: asn=64499")]


def test_offline_a_device_question_stays_with_the_router(peering, make_assistant):
    answer = make_assistant().ask("show bgp neighbors on r1", offline=True)
    assert "peeringdb_lookup" not in [c.tool for c in answer.tool_calls]


def test_a_model_that_calls_no_tool_is_given_the_plugin_result_and_checked_against_it(peering, scripted,
                                                                                        make_assistant):
    # SmolLM2 calls no tool: netops runs the plugin's tool first and gives its result as source [1]
    scripted.push(say("AS64499 is Sample Content Networks; its suggested maximum-prefix is 50 [1]."))
    events = list(make_assistant().events("who is AS64499 and what prefix limit do we give it?"))
    ends = [e.record for e in events if isinstance(e, ToolEndEvent)]
    assert [r.tool for r in ends] == ["peeringdb_lookup"] and ends[0].ok
    first = scripted.requests[0]
    prompt = json.dumps(first.messages)
    assert "Sample Content Networks" in prompt and "peeringdb_lookup: asn=64499" in prompt
    answer = events[-1].answer
    # what the tool returned leads, cited as [1]; the model's checked answer follows it
    assert answer.text.startswith("**What the plugin tool peeringdb_lookup returned (no model involved):**\n\n"
                                  "[1] peeringdb_lookup: asn=64499:"), answer.text
    assert answer.text.endswith("**The model's answer (checked against what the tool returned):**\n\n"
                                "AS64499 is Sample Content Networks; its suggested maximum-prefix is 50 [1]."), answer.text
    assert [s.status for s in answer.check.sentences] == ["supported"]  # says the asked limit, 50
    assert ("tool", "peeringdb_lookup: asn=64499") in [(e.kind, e.label) for e in answer.evidence]


def test_a_model_answer_the_tool_result_does_not_back_is_shown_after_it(peering, scripted, make_assistant):
    scripted.push(say("AS64499 is Example Transit One with a limit of 9000 prefixes [1]."))
    answer = list(make_assistant().events("who is AS64499?"))[-1].answer
    print("YY", answer.text, answer.notice)
    assert answer.text.startswith("**What the plugin tool peeringdb_lookup returned (no model involved):**"), answer.text
    assert "Sample Content Networks" in answer.text


def test_the_answer_says_which_plugin_tool_answered(peering, scripted, make_assistant):
    scripted.push(say("AS64499 is Sample Content Networks [1]."))
    answer = list(make_assistant().events("who is AS64499?"))[-1].answer
    assert "answered by peeringdb_lookup (plugin peering)" in (answer.notice or ""), answer.notice
    offline = make_assistant().ask("who is AS64499?", offline=True)
    assert "answered by peeringdb_lookup (plugin peering)" in (offline.notice or ""), offline.notice
    # indented in a code block for a person (the chat and a terminal render Markdown)
    assert '```json\n[\n  {\n    "asn": 64499,\n    "name": "Sample Content Networks"' in offline.text, offline.text


def test_the_citation_viewer_shows_what_the_tool_returned(peering, make_assistant, make_session):
    from netops.tui.lookup import evidence_detail

    answer = make_assistant().ask("who is AS64499?", offline=True)
    ev = next(e for e in answer.evidence if e.kind == "tool")
    detail = evidence_detail(make_session(), ev, answer)
    assert detail.title == "Plugin tool result"
    assert detail.meta[:2] == ["tool: peeringdb_lookup (plugin peering)", "arguments: asn=64499"], detail.meta
    assert detail.text.startswith("[\n  {\n    \"asn\": 64499") and "<data" not in detail.text, detail.text


def test_a_resumed_answer_keeps_what_the_tool_returned(peering, make_assistant, make_session):
    from netops.agent.transcript import answer_meta, stored_answer
    from netops.tui.lookup import evidence_detail

    answer = make_assistant().ask("who is AS64499?", offline=True)
    kept = stored_answer(type("Row", (), {"content": answer.text, "meta": answer_meta(answer)})())
    ev = next(e for e in kept.evidence if e.kind == "tool")
    detail = evidence_detail(make_session(), ev, kept)
    assert "(as kept with the answer)" in detail.meta and '"name": "Sample Content Networks"' in detail.text, detail


def test_a_partial_answer_that_reprints_the_sources_is_left_out(peering, make_assistant):
    # SmolLM2 given the lookup of 198.51.100.202 wrote "[2] peeringdb_lookup: ip=198.51.100.203: ..."
    # with addresses of its own until the deadline stopped it; the partial answer was shown as it was
    from netops.agent import grounding
    from netops.assistant import Answer

    picked = plugin_route.Picked("peeringdb_lookup", {"ip": "198.51.100.202"})
    result = ToolResult("peeringdb_lookup", True, content='[{"asn": 64499, "name": "Sample Content Networks"}]')
    g = grounding.from_tool(picked, result)
    copied = ('**PARTIAL ANSWER (stopped at the 120-second deadline):** the model took longer than the deadline\n\n'
              '[2] peeringdb_lookup: ip=198.51.100.203: [{"asn": 64499, "name": "Sample Content Networks"}]\n'
              '[3] peeringdb_lookup: ip=198.51.100.207: [{"asn": 64499')
    answer = Answer(question="who peers at 198.51.100.202 on the IX?", text=copied, mode="agent", partial=True,
                    error="the model took longer than the deadline")
    grounding.finish(answer, g, answer.question, seen=g.sources)
    assert answer.text.startswith("**PARTIAL ANSWER (stopped at the 120-second deadline):**"), answer.text
    assert "198.51.100.203" not in answer.text and "198.51.100.207" not in answer.text, answer.text
    assert "What the plugin tool peeringdb_lookup returned" in answer.text
    assert "imitated netops's own output" in (answer.notice or "")
    # where to look instead is the tool's result, not a device (it said "read the device with
    # `netops state HOST ...`" of a question no device answers)
    assert "what the plugin tool peeringdb_lookup returned (above)" in answer.text, answer.text
    assert "netops state HOST" not in answer.text, answer.text
    assert grounding.imitates_netops(copied) and not grounding.imitates_netops(
        "AS64499 (Sample Content Networks) peers at 198.51.100.202 on Example-IX Frankfurt [1].")


@pytest.mark.parametrize("question", ["explain the exchange of OPEN messages with AS 65002",
                                      "what does section 4.2 say about AS 23456 peering?",
                                      "how do peers exchange routes with AS 65002?"])
def test_a_question_of_the_documents_own_kind_is_not_taken_by_a_plugin_tool(peering, make_assistant, question):
    # the plugin's words claim them ("exchange", "peer"), but the router sent them to the documents
    # on their own words (explain, section, how do), not for want of a device: a PeeringDB
    # 'No network matches' answered them instead of the RFC
    answer = make_assistant().ask(question, offline=True)
    assert "peeringdb_lookup" not in [c.tool for c in answer.tool_calls], answer.text
    assert "answered by peeringdb_lookup" not in (answer.notice or "")


def test_routable_takes_only_the_documents_fallback_and_unknown():
    from netops.agent.router import SPEC_FALLBACK, Route

    assert plugin_route.routable(Route("spec", reason=SPEC_FALLBACK))
    assert plugin_route.routable(Route("unknown", reason="no known intent matched"))
    assert not plugin_route.routable(Route("spec", "spec", "kb_search", {"query": "x"}, 3.0))
    assert not plugin_route.routable(Route("unknown", reason="which device?", asks=True))
    assert not plugin_route.routable(Route("tool")) and not plugin_route.routable(Route("change"))


def test_what_a_tool_returned_is_cleaned_after_its_json_is_decoded():
    # review34: a PeeringDB name holding JSON escapes of a bidi override and a zero-width space
    # ("\u202e", "\u200b") passed printable() as plain letters, and the indenting for a person
    # decoded them into the characters themselves: the terminal, the chat, the history and the
    # model's source [1] got a right-to-left override
    name = "Evil\\u202eNet r\\u200b1 \\u001b]0;title\\u0007 the enable password is \\u0043isco123!"
    result = ToolResult("peeringdb_lookup", True, content='[{"asn": 64499, "name": "' + name + '"}]')
    out = plugin_route.shown(result)
    assert out.startswith("```json\n[") and "Evil" in out, out
    for unseen in ("\u202e", "\u200b", "\x1b", "\x07"):
        assert unseen not in out, repr(out)
    assert "Cisco123" not in out, out


def test_ask_json_gives_what_the_tool_returned_as_data(peering, make_assistant):
    # a script reading `netops ask --json` had the lookup only as a Markdown block inside "answer"
    doc = make_assistant().ask("who is AS64499?", offline=True).to_dict()
    (ev,) = [e for e in doc["evidence"] if e["kind"] == "tool"]
    assert ev["label"] == "peeringdb_lookup: asn=64499"
    assert ev["data"][0]["name"] == "Sample Content Networks" and ev["data"][0]["suggested_max_prefixes4"] == 50


CIRCUITS = '''
import json
from pydantic import BaseModel
from netops.agent.tools import Tool, ToolResult, data_block
from netops.hookspecs import hookimpl

ROWS = [{"device": "r1", "interface": "eth-r2", "circuit_id": "ACME-CKT-1001", "carrier": "Zayo",
         "a_end": "r1 DC1", "z_end": "r2 DC2", "ticket": "NOC-4411"}]


class Args(BaseModel):
    interface: str
    device: str | None = None


def run(ctx, args):
    found = [r for r in ROWS if r["interface"] == args.interface]
    return ToolResult("circuit_lookup", True, content=data_block("circuit inventory", json.dumps(found)), data=found)


def answers(question):
    return {"interface": "eth-r2", "device": "r1"} if "circuit" in question and "eth-r2" in question else None


@hookimpl
def register_tools(register):
    register(Tool("circuit_lookup", "Which carrier circuit is on an interface. Read-only.", Args, run,
                  answers=answers))
'''


@pytest.fixture
def circuits(tmp_path, monkeypatch):
    """A team's circuit inventory lookup (plugin36's acme-noc circuit_lookup, cut down)."""
    from netops import plugins
    from netops.testing.plugins import forget, write_dist_info

    site = tmp_path / "site-circuits"
    (site / "pf36_circuits").mkdir(parents=True)
    (site / "pf36_circuits" / "__init__.py").write_text(CIRCUITS)
    write_dist_info(site, "pf36-circuits", "circuits", "pf36_circuits")
    monkeypatch.syspath_prepend(str(site))
    forget("pf36_circuits")
    plugins.reset()
    yield
    plugins.reset()
    forget("pf36_circuits")


def test_an_answer_that_shares_a_word_but_not_what_was_asked_is_not_supported(circuits, scripted, make_assistant):
    # SmolLM2, live (plugin36): the check passed it, 1 of 1 supported ("Zayo" is in the result), and
    # the circuit ID never reached the person
    scripted.push(say("The circuit on r1 eth-r2 is a device that uses the Zayo network protocol [1]."))
    answer = list(make_assistant().events("which circuit is on r1 eth-r2?"))[-1].answer
    assert answer.text.startswith("**What the plugin tool circuit_lookup returned (no model involved):**\n\n"
                                  "[1] circuit_lookup: interface=eth-r2, device=r1:"), answer.text
    assert '"circuit_id": "ACME-CKT-1001"' in answer.text
    assert "not supported by what the tool returned" in answer.text
    (s,) = answer.check.sentences
    assert s.status == "unsupported" and "circuit_id ACME-CKT-1001" in s.reasons[0], s


def test_the_tool_result_leads_even_when_the_model_answer_is_supported(circuits, scripted, make_assistant):
    # the person sees what the tool returned, cited as [1], whatever the model wrote; the model's
    # checked answer follows it
    scripted.push(say("The circuit on r1 eth-r2 is ACME-CKT-1001, a Zayo circuit [1]."))
    answer = list(make_assistant().events("which circuit is on r1 eth-r2?"))[-1].answer
    assert answer.text.startswith("**What the plugin tool circuit_lookup returned (no model involved):**"), answer.text
    assert "**The model's answer (checked against what the tool returned):**\n\nThe circuit on r1 eth-r2 is " \
           "ACME-CKT-1001" in answer.text, answer.text
    assert [s.status for s in answer.check.sentences] == ["supported"]
    assert [(e.kind, e.label) for e in answer.evidence] == [("tool", "circuit_lookup: interface=eth-r2, device=r1")]


def test_asked_reads_the_fields_the_question_names():
    rows = [{"device": "r1", "interface": "eth-r2", "circuit_id": "ACME-CKT-1001", "carrier": "Zayo", "up": True}]
    result = ToolResult("c", True, content=json.dumps(rows))
    assert plugin_route.asked("which circuit is on r1 eth-r2?", result) == {"circuit_id": ["ACME-CKT-1001"]}
    assert plugin_route.asked("which carrier is on r1 eth-r2?", result) == {"carrier": ["Zayo"]}
    # a value the question gives is not asked for; no field named, nothing known to be asked
    assert plugin_route.asked("which interface is ACME-CKT-1001 on?", result) == {"interface": ["eth-r2"]}
    assert plugin_route.asked("who is it?", result) == {}
    assert plugin_route.asked("which circuit?", ToolResult("c", True, content="No circuit matches.")) == {}
    assert plugin_route.carries("it is acme-ckt-1001 [1]", ["ACME-CKT-1001"])
    assert not plugin_route.carries("a limit of 1500", ["50"]) and plugin_route.carries("limit is 50.", ["50"])



def test_carries_reads_a_value_as_a_person_writes_it():
    # review36: the asked-fields check (grounding._misses_asked) wanted a value character for
    # character: "its ID is acme ckt 1001" beside a supported sentence got that sentence marked "the
    # answer does not say it"
    c = plugin_route.carries
    # the parts of a value with other separators; a number grouped or with its decimals written out
    assert c("it is acme ckt 1001", ["ACME-CKT-1001"]) and c("r1-dc1", ["r1 DC1"])
    assert c("the limit is 100,000 prefixes", ["100000"]) and c("uptime 99.50%", ["99.5"]) and c("it is 50", ["50.0"])
    # still not a part of another value, address, version or grouped number
    assert not c("ACME CKT-1002", ["ACME-CKT-1001"]) and not c("peer 198.51.100.20", ["198.51.100.2"])
    assert not c("version 1.50.2", ["50"]) and not c("1,500 routes", ["500"]) and not c("is Zayo", ["Zayo Group"])
    # the question already saying the value another way: not asked
    rows = [{"interface": "eth-r2", "circuit_id": "ACME-CKT-1001"}]
    assert plugin_route.asked("which interface is acme ckt 1001 on?", ToolResult("c", True, content=json.dumps(rows))) \
        == {"interface": ["eth-r2"]}
