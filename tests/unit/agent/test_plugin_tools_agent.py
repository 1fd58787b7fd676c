"""The agent, through the real Ollama client against the scripted server, sees and uses what a
team plugin contributes: its tool (offered to the model, output wrapped as data) and its
playbooks (in list_playbooks)."""

from __future__ import annotations

from netops.agent.events import ToolEndEvent
from netops.testing.ollama_server import say, tool_call


def test_model_calls_the_plugin_tool_and_sees_plugin_playbooks(peering, scripted, make_assistant):
    scripted.push(
        tool_call("peeringdb_lookup", asn=64499),
        tool_call("list_playbooks"),
        say("AS64499 is Sample Content Networks; suggested limit 50; use ixp-peer-turn-up."),
    )
    events = list(make_assistant().events("look up AS64499 in peeringdb and plan its turn-up on r1"))
    ends = {e.record.tool: e.record for e in events if isinstance(e, ToolEndEvent)}
    assert ends["peeringdb_lookup"].ok and ends["list_playbooks"].ok
    first = next(r for r in scripted.requests if "peeringdb_lookup" in r.tool_names())
    assert {"peeringdb_lookup", "kb_search", "playbook_run"} <= set(first.tool_names())
    results = "\n".join(r for req in scripted.requests for r in req.tool_results())
    assert '<data source="peeringdb export' in results and '"suggested_max_prefixes4": 50' in results
    assert "ixp-peer-turn-up" in results
    # netops ran the lookup for the question first (plugin_route): what it returned leads, the
    # model's checked answer follows
    text = events[-1].answer.text
    assert text.startswith("**What the plugin tool peeringdb_lookup returned (no model involved):**"), text
    assert "(checked against what the tool returned):**\n\nAS64499 is Sample Content Networks" in text, text
