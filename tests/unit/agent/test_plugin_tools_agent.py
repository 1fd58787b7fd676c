"""The agent, through the real Ollama client against the scripted server, sees and uses what a
team plugin contributes: its tool (offered to the model, output wrapped as data) and its
playbooks (in list_playbooks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops import plugins
from netops.agent.events import ToolEndEvent
from netops.testing.ollama_server import say, tool_call
from netops.testing.plugins import forget, install_copy

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def peering(tmp_path, monkeypatch):
    site = tmp_path / "site"
    install_copy(REPO / "plugins" / "netops-peering", site, "netops-peering", "peering", "netops_peering.plugin")
    monkeypatch.syspath_prepend(str(site))
    forget("netops_peering")
    plugins.reset()
    yield
    plugins.reset()
    forget("netops_peering")


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
    assert events[-1].answer.text.startswith("AS64499 is Sample Content Networks")
