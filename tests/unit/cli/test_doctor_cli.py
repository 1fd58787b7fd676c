"""``netops doctor``: typed checks, exit status from the essential ones."""

from __future__ import annotations

import json

from netops.cli.main import main
from netops.doctor import CHECKS, Check, run_checks
from netops.testing.embedders import HashEmbedder


def checks_by_name(capsys) -> tuple[int, dict]:
    code = main(["doctor", "--json"])
    doc = json.loads(capsys.readouterr().out)
    return code, {c["name"]: c for c in doc["checks"]}


def test_clean_home_passes_and_ollama_down_is_only_a_warning(capsys):
    code, checks = checks_by_name(capsys)
    assert code == 0
    assert checks["state dir"]["ok"] and checks["knowledge index"]["ok"]
    assert not checks["ollama"]["ok"] and not checks["ollama"]["essential"] and checks["ollama"]["fix"]
    assert {"embedder", "rfc sources", "chroma server", "lab tools"} <= set(checks)


def test_unwritable_state_dir_and_dead_chroma_fail(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("NETOPS_HOME", str(blocker / "home"))
    monkeypatch.setenv("NETOPS_CHROMA_URL", "http://127.0.0.1:9")
    code, checks = checks_by_name(capsys)
    assert code == 1
    assert not checks["state dir"]["ok"] and "NETOPS_HOME" in checks["state dir"]["fix"]
    assert not checks["chroma server"]["ok"] and "chroma run" in checks["chroma server"]["fix"]


def test_index_built_by_other_embedder_is_reported(capsys, settings, tmp_path, monkeypatch):
    from netops.rag.kb import KnowledgeBase

    docs = tmp_path / "d"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nalpha\n")
    KnowledgeBase(settings, embedder=HashEmbedder()).add([docs])
    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda s, prefer=None: HashEmbedder(dim=8))
    code, checks = checks_by_name(capsys)
    assert code == 1 and "hash:v1:64" in checks["knowledge index"]["detail"]
    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda s, prefer=None: HashEmbedder())
    code, checks = checks_by_name(capsys)
    assert code == 0 and "1 docs" in checks["knowledge index"]["detail"]


def test_vectors_still_embedding_in_the_background_is_ok_not_damaged(capsys, settings, tmp_path, monkeypatch):
    """Right after the first question the dense index is still being embedded (the README says
    so): doctor must say that and point at `kb init`, not call the index damaged and tell the
    user to `kb reset --yes` (which would throw away the work in progress)."""
    from netops.rag.kb import KnowledgeBase

    docs = tmp_path / "d"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nalpha bravo charlie\n")
    (docs / "b.md").write_text("# B\n\ndelta echo foxtrot\n")
    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda s, prefer=None: HashEmbedder())
    KnowledgeBase(settings, embedder=HashEmbedder()).add([docs], vectors="later")
    code, checks = checks_by_name(capsys)
    c = checks["knowledge index"]
    assert code == 0 and c["ok"], c
    assert "reset" not in (c["fix"] or "") and "damaged" not in c["detail"], c
    assert "2 documents still to embed" in c["detail"] and "netops kb init" in (c["fix"] or ""), c


def test_checks_are_an_extensible_list_and_a_crash_is_a_failed_check(settings):
    def check_boom(s):
        raise RuntimeError("kaput")

    report = run_checks(settings, [*CHECKS, check_boom, lambda s: Check("extra", True, "fine")])
    names = [c.name for c in report.checks]
    assert names[-2:] == ["boom", "extra"]
    assert not report.ok and "kaput" in report.checks[-2].detail


def test_human_output_shows_fixes(capsys):
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert code == 0 and "fix: start it: ollama serve" in out and "all essential checks passed" in out
