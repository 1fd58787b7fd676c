"""A team's own folder of documents kept in step with the index (know33): files deleted from a
folder that is added again, the same file under two names, Markdown front matter, wiki HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.rag.kb import KnowledgeBase
from netops.testing.embedders import HashEmbedder

RUNBOOK = ("# Runbook: LDP session flapping\n\n## Checks\n\n### 1. Hello adjacency\n\n"
           "The LDP hello hold time on the Rhine ring is set to 45 seconds.\n")
FREEZE = "Change freeze policy\n\nThe network change freeze runs from 15 December to 5 January.\n"


@pytest.fixture
def kb(settings):
    with KnowledgeBase(settings, embedder=HashEmbedder()) as k:
        yield k


def _team(root: Path) -> Path:
    (root / "runbooks").mkdir(parents=True)
    (root / "runbooks" / "ldp-flap.md").write_text(RUNBOOK)
    (root / "change-freeze.txt").write_text(FREEZE)
    return root


def test_a_file_deleted_from_an_added_folder_leaves_the_index_when_the_folder_is_added_again(kb, tmp_path):
    team = _team(tmp_path / "team")
    kb.add([team])
    assert kb.search("change freeze December", mode="lexical")
    (team / "change-freeze.txt").unlink()
    report = kb.add([team])
    assert [Path(s).name for s in report.removed] == ["change-freeze.txt"]
    assert len(report.unchanged) == 1 and report.ok
    assert kb.search("change freeze December", mode="lexical") == []
    assert kb.search("change freeze December", top_k=5, mode="dense")[0].chunk.source.endswith("ldp-flap.md")
    assert {Path(r.source).name for r in kb.list()} == {"ldp-flap.md"}
    assert kb.verify().ok and kb.stats().vectors == kb.stats().chunks


def test_only_the_folder_added_again_is_swept(kb, tmp_path):
    team = _team(tmp_path / "team")
    other = tmp_path / "team-archive"      # a sibling whose name starts like the folder
    other.mkdir()
    (other / "old.md").write_text("# Old\n\nThe old ring used OSPF area 7.\n")
    kb.add([team, other])
    (other / "old.md").unlink()
    (team / "change-freeze.txt").unlink()
    report = kb.add([team / "runbooks"])
    assert report.removed == []            # neither file was under runbooks/
    report = kb.add([team])
    assert [Path(s).name for s in report.removed] == ["change-freeze.txt"]
    assert any(Path(r.source).name == "old.md" for r in kb.list())  # not under team/


def test_kb_add_says_what_it_removed_in_text_and_json(settings, tmp_path, monkeypatch):
    from netops.cli.main import cli

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    team = _team(tmp_path / "team")
    runner = CliRunner()
    assert runner.invoke(cli, ["kb", "add", str(team)]).exit_code == 0
    (team / "change-freeze.txt").unlink()
    out = runner.invoke(cli, ["kb", "add", str(team)])
    assert out.exit_code == 0, out.output
    assert "removed 1" in out.output and "change-freeze.txt (no longer on disk)" in out.output
    (team / "runbooks" / "ldp-flap.md").unlink()
    (team / "runbooks" / "new.md").write_text("# New\n\nThe new ring uses IS-IS.\n")
    out = runner.invoke(cli, ["kb", "add", "--json", str(team)])
    data = json.loads(out.output)
    assert [Path(s).name for s in data["removed"]] == ["ldp-flap.md"]
    assert [Path(s).name for s in data["added"]] == ["new.md"]
