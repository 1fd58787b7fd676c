"""A team plugin seen through every surface: `netops plugins`, `playbook list/vet`, doctor,
the runner's vetting gate, the agent's tools and the knowledge base. The example plugin is
installed as a copy (so tests may edit it) behind a real entry point."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from netops import plugins
from netops.cli.main import main
from netops.testing.plugins import forget, install_copy, write_dist_info

REPO = Path(__file__).resolve().parents[3]
SOURCE = REPO / "plugins" / "netops-peering"


@pytest.fixture
def peering(tmp_path, monkeypatch):
    site = tmp_path / "site"
    copy = install_copy(SOURCE, site, "netops-peering", "peering", "netops_peering.plugin", version="0.2.0")
    monkeypatch.syspath_prepend(str(site))
    forget("netops_peering")
    plugins.reset()
    yield copy, site
    plugins.reset()
    forget("netops_peering", "broken_team")


def _json(capsys, *argv):
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_plugins_lists_version_origin_contributions_and_vetting(peering, capsys):
    code, doc = _json(capsys, "plugins")
    assert code == 0 and doc["problems"] == []
    row = {p["name"]: p for p in doc["plugins"]}["peering"]
    assert row["package"] == "netops-peering" and row["version"] == "0.2.0" and row["loaded"]
    assert str(peering[1]) in row["origin"]
    assert row["provides"]["tools"] == ["peeringdb_lookup"]
    assert row["provides"]["knowledge_sources"] == ["peering-runbooks"]
    assert any("prefix-counts" in p for p in row["provides"]["parsers"])
    assert {p["name"]: p["vetting"] for p in row["playbooks"]} == {
        "ixp-peer-maintenance": "vetted", "ixp-peer-prefix-limit": "vetted", "ixp-peer-turn-up": "vetted"}
    builtin = {p["name"]: p for p in doc["plugins"]}["netops.builtins"]
    assert "frr" in builtin["provides"]["platforms"] and "show" in builtin["provides"]["tools"]

    main(["plugins"])
    text = capsys.readouterr().out
    assert "peering  netops-peering 0.2.0" in text and "ixp-peer-turn-up [vetted]" in text


def test_playbook_list_shows_plugin_playbooks_with_their_source(peering, capsys):
    code, doc = _json(capsys, "playbook", "list")
    entries = {e["name"]: e for e in doc["playbooks"]}
    assert entries["ixp-peer-turn-up"]["source"] == "peering" and entries["ixp-peer-turn-up"]["vetting"] == "vetted"
    assert entries["bgp-health"]["source"] == "netops"
    main(["playbook", "list"])
    assert "[peering]" in capsys.readouterr().out


def test_edited_plugin_playbook_is_refused_until_revetted(peering, capsys, settings):
    from netops.errors import NotVetted
    from netops.playbook.runner import plan

    copy, _ = peering
    template = copy / "playbooks" / "ixp-peer-turn-up" / "frr.j2"
    template.write_text(template.read_text() + " neighbor {{ neighbor }} ebgp-multihop 255\n")
    with pytest.raises(NotVetted, match="edited after review"):
        plan(settings, "ixp-peer-turn-up", "r1", {}, devices=object())
    code, doc = _json(capsys, "plugins")
    states = {p["name"]: p["vetting"] for p in {p["name"]: p for p in doc["plugins"]}["peering"]["playbooks"]}
    assert states["ixp-peer-turn-up"] == "edited"
    _, checks = _json(capsys, "doctor")
    check = {c["name"]: c for c in checks["checks"]}["plugins"]
    assert not check["ok"] and "ixp-peer-turn-up (peering: edited)" in check["detail"] and "--plugin" in check["fix"]

    code, doc = _json(capsys, "playbook", "vet", "--plugin", "peering", "--reviewer", "alice")
    assert code == 0 and doc["plugin"] == "peering"
    assert {v["name"] for v in doc["vetted"]} == {"ixp-peer-turn-up", "ixp-peer-maintenance", "ixp-peer-prefix-limit"}
    assert all(v["lock"] == str(copy / "playbooks" / "playbooks.lock") for v in doc["vetted"])
    # the lock's header names the form a reviewer of this plugin types (it said `vet NAME`), also
    # when one of its playbooks is vetted by name
    head = (copy / "playbooks" / "playbooks.lock").read_text().split("\nplaybooks:")[0]
    assert "`netops playbook vet --plugin peering --reviewer WHO`" in head and "vet NAME" not in head, head
    assert main(["playbook", "vet", "ixp-peer-turn-up", "--reviewer", "alice"]) == 0
    assert "--plugin peering" in (copy / "playbooks" / "playbooks.lock").read_text().split("\nplaybooks:")[0]
    capsys.readouterr()
    from netops.playbook.catalogue import Catalogue

    assert Catalogue(settings).lock_for(Catalogue(settings).get("bgp-health")).plugin is None  # netops's own
    _, listed = _json(capsys, "playbook", "list")
    assert {e["name"]: e for e in listed["playbooks"]}["ixp-peer-turn-up"]["reviewer"] == "alice"
    _, audit = _json(capsys, "audit", "list")
    vets = [r["payload"] for r in audit["records"] if r["kind"] == "vet"]
    assert {v["playbook"] for v in vets if v["plugin"] == "peering" and v["reviewer"] == "alice"} == {
        "ixp-peer-turn-up", "ixp-peer-maintenance", "ixp-peer-prefix-limit"}


def test_unreviewed_plugin_playbook_is_refused_like_a_builtin(peering, settings):
    from netops.errors import NotVetted
    from netops.playbook.runner import plan

    copy, _ = peering
    (copy / "playbooks" / "playbooks.lock").unlink()
    with pytest.raises(NotVetted, match="never reviewed"):
        plan(settings, "ixp-peer-maintenance", "r1", {}, devices=object())


def test_lint_plugin(peering, capsys):
    code, doc = _json(capsys, "playbook", "lint", "--plugin", "peering")
    assert code == 0 and doc["ok"]
    assert sorted(r["name"] for r in doc["playbooks"]) == ["ixp-peer-maintenance", "ixp-peer-prefix-limit",
                                                            "ixp-peer-turn-up"]
    assert set(doc["playbooks"][2]["rendered"]) == {"frr", "cisco_ios"}


def test_vet_plugin_errors(peering, capsys):
    assert main(["playbook", "vet", "--plugin", "nosuch", "--reviewer", "x"]) == 4
    assert "plugin 'nosuch' is not installed" in capsys.readouterr().err
    assert main(["playbook", "vet", "bgp-health", "--plugin", "peering", "--reviewer", "x"]) == 4
    assert main(["playbook", "vet", "--reviewer", "x"]) == 2


def test_a_broken_plugin_is_reported_while_the_rest_works(peering, capsys):
    _, site = peering
    (site / "broken_team.py").write_text("raise RuntimeError('half-installed')\n")
    write_dist_info(site, "netops-broken-team", "broken-team", "broken_team")
    plugins.reset()
    code, doc = _json(capsys, "plugins")
    assert code == 0
    (problem,) = doc["problems"]
    assert problem["plugin"] == "broken-team" and "half-installed" in problem["message"]
    assert {p["name"]: p for p in doc["plugins"]}["broken-team"]["loaded"] is False
    _, checks = _json(capsys, "doctor")
    check = {c["name"]: c for c in checks["checks"]}["plugins"]
    assert not check["ok"] and "half-installed" in check["detail"] and not check["essential"]
    _, listed = _json(capsys, "playbook", "list")
    assert "ixp-peer-turn-up" in {e["name"] for e in listed["playbooks"]}


def test_agent_gets_the_plugin_tool_and_it_answers(peering, settings):
    from netops.agent.tools import ToolBox, ToolContext
    from netops.assistant import Assistant

    tools = {t.name: t for t in Assistant(settings).tools()}
    assert {"peeringdb_lookup", "kb_search", "playbook_run"} <= set(tools)
    box = ToolBox(tools, ToolContext(settings=settings))
    result = box.call("peeringdb_lookup", {"ip": "198.51.100.254"})
    assert result.ok and result.data[0]["asn"] == 64999 and result.data[0]["suggested_max_prefixes4"] == 10
    assert not box.call("peeringdb_lookup", {}).ok
    # The team's nightly export in NETOPS_HOME wins over the shipped sample.
    local = settings.paths.home / "peering" / "peeringdb.json"
    local.parent.mkdir(parents=True)
    local.write_text(json.dumps({"networks": [{"asn": 64999, "name": "Renamed", "info_prefixes4": 100}],
                                 "netixlan": []}))
    again = ToolBox(tools, ToolContext(settings=settings)).call("peeringdb_lookup", {"asn": 64999})
    assert again.data[0]["name"] == "Renamed" and again.data[0]["suggested_max_prefixes4"] == 130


def test_runbooks_reach_the_knowledge_base(peering, capsys, monkeypatch):
    from netops.testing.embedders import HashEmbedder

    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda settings, prefer=None: HashEmbedder())
    assert main(["kb", "add", "--source", "peering-runbooks"]) == 0
    capsys.readouterr()
    code, doc = _json(capsys, "kb", "search", "graceful shutdown community before maintenance")
    assert code == 0
    sources = json.dumps(doc)
    assert "ixp-peer-maintenance.md" in sources


def test_scaffold_writes_a_package_that_lints(tmp_path, capsys):
    from netops.playbook.lint import lint_playbook

    code, doc = _json(capsys, "plugin", "new", "acme-dc", "--dir", str(tmp_path))
    assert code == 0 and doc["package"] == "netops-acme-dc" and doc["name"] == "acme-dc"
    root = Path(doc["path"])
    assert 'acme-dc = "netops_acme_dc.plugin"' in (root / "pyproject.toml").read_text()
    assert lint_playbook(root / "netops_acme_dc" / "playbooks" / doc["playbook"]).ok
    assert (root / "tests" / "rendered" / doc["playbook"] / "frr.txt").read_text().startswith("interface eth-r2")
    assert main(["plugin", "new", "acme-dc", "--dir", str(tmp_path)]) == 2
    assert main(["plugin", "new", "Bad Name!", "--dir", str(tmp_path)]) == 2


def test_plugin_glossary_expands_queries_without_overriding_netops(peering, settings):
    from netops.rag.kb import KnowledgeBase

    kb = KnowledgeBase(settings)
    try:
        glossary = kb.glossary()
        assert glossary["GSHUT"][0].startswith("Graceful Shutdown")
        assert "Graceful Shutdown" in kb.expand("GSHUT before the port move")
        assert glossary["IXP"][0] == "Internet Exchange Point"  # netops' own entry stays first
    finally:
        kb.close()


def test_a_scaffolded_plugin_says_when_a_tool_it_adds_has_no_contract(tmp_path, capsys):
    """know33: a team added a read tool and a parser to its scaffolded plugin; its contract tests
    still passed (9 of 9) without ever checking them, and nothing said the contract classes exist."""
    import os
    import subprocess
    import sys

    assert main(["plugin", "new", "acme-dc", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    root = tmp_path / "acme-dc"
    site = tmp_path / "site"
    write_dist_info(site, "netops-acme-dc", "acme-dc", "netops_acme_dc.plugin")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(site), str(root)]),
           "NETOPS_HOME": str(tmp_path / "home"), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}

    def contract() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                              cwd=root, env=env, capture_output=True, text=True, timeout=300)

    first = contract()
    assert first.returncode == 0, first.stdout[-2000:]
    plugin = root / "netops_acme_dc" / "plugin.py"
    plugin.write_text(plugin.read_text() + textwrap.dedent('''

        @hookimpl
        def register_tools(register):
            from pydantic import BaseModel, Field
            from netops.agent.tools import Tool, ToolResult

            class Args(BaseModel):
                query: str = Field(description="circuit id")

            register(Tool("circuit_lookup", "Look up a carrier circuit by id.", Args,
                          lambda ctx, args: ToolResult("circuit_lookup", True, content="none")))
    '''))
    second = contract()
    assert second.returncode == 1
    assert "tools ['circuit_lookup'] have no contract: subclass contracts.ToolContract" in second.stdout


def test_playbook_show_gives_a_plugin_playbooks_words_refusals_and_what_it_learns(peering, capsys):
    assert main(["playbook", "show", "ixp-peer-prefix-limit"]) == 0
    out = capsys.readouterr().out
    assert '  asked for in words by: "prefix limit", "max-prefix", "maximum-prefix"' in out, out
    assert '  refuses (not_for): "lower prefix limit", ' in out
    assert "        learns old_limit (int) from " in out  # what its rollback template restores
    assert "  rollback: frr rollback-frr.j2, then " in out


def test_the_scaffolded_playbook_says_how_words_reach_it(tmp_path, capsys):
    # plugin36: `phrases` (how people ask for it in words) was documented only in playbooks/README.md
    assert main(["plugin", "new", "acme-noc", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    (yaml_path,) = tmp_path.glob("**/playbooks/*/playbook.yaml")
    text = yaml_path.read_text()
    assert "# phrases: [" in text and "# not_for: [" in text and "interface-description" in text, text
