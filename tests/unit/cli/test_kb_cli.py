"""``netops kb`` through the real CLI entry point (in-process), real SQLite + Chroma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.cli.main import main
from netops.testing.embedders import HashEmbedder


@pytest.fixture(autouse=True)
def hash_embedder(monkeypatch):
    """Every KnowledgeBase the CLI opens embeds with the fast double (auto would load MiniLM)."""
    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda settings, prefer=None: HashEmbedder())


@pytest.fixture
def docs(tmp_path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "bgp.md").write_text("# BGP timers\n\nThe hold timer defaults to 90 seconds; keepalives every 30.\n")
    (root / "ospf.md").write_text("# OSPF\n\nHello and dead intervals must match on both neighbors.\n")
    return root


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_search_list_stats_json(capsys, docs):
    code, out, _ = run(capsys, "kb", "add", str(docs), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and len(report["added"]) == 2
    code, out, _ = run(capsys, "kb", "search", "hold timer seconds", "--top-k", "2", "--json")
    hits = json.loads(out)
    assert code == 0 and hits[0]["source"].endswith("bgp.md")
    assert {"source", "doc_id", "section", "section_title", "citation", "score", "text"} <= set(hits[0])
    code, out, _ = run(capsys, "kb", "search", "hello dead", "--mode", "lexical", "--json")
    assert json.loads(out)[0]["mode"] == "lexical"
    code, out, _ = run(capsys, "kb", "list", "--json")
    assert sorted(Path(d["source"]).name for d in json.loads(out)) == ["bgp.md", "ospf.md"]
    code, out, _ = run(capsys, "kb", "stats", "--json")
    stats = json.loads(out)
    assert (stats["docs"], stats["mode"], stats["embedder"]) == (2, "hybrid", "hash:v1:64")
    assert stats["vectors"] == stats["chunks"]


def test_human_search_output_has_bold_citations_and_trimmed_snippets(capsys, docs):
    run(capsys, "kb", "add", str(docs))
    (docs / "long.md").write_text("# Long\n\n" + "hold timer words " * 200 + "\n")
    run(capsys, "kb", "add", str(docs))
    code, out, _ = run(capsys, "kb", "search", "hold timer", "--mode", "lexical")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("1. ") and "lexical" in lines[0]
    assert all(len(line) < 400 for line in lines)  # snippets are trimmed
    assert "…" in out


def test_bad_files_fail_one_line_each_but_others_are_kept(capsys, docs):
    (docs / "empty.md").write_text("")
    (docs / "blob.txt").write_bytes(bytes(range(256)) * 20)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf \x00\x01")
    code, out, _ = run(capsys, "kb", "add", str(docs))
    assert code == 7  # partial failure: 2 indexed, 3 failed (it exited 1, as if nothing were)
    assert "added 2" in out and "failed 3" in out
    failed_lines = [line for line in out.splitlines() if line.strip().startswith("failed ")]
    assert len(failed_lines) == 3 and all("Traceback" not in line for line in failed_lines)
    code, out, _ = run(capsys, "kb", "list", "--json")
    assert len(json.loads(out)) == 2


def test_every_file_failing_exits_1(capsys, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.md").write_text("")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf \x00\x01")
    code, out, _ = run(capsys, "kb", "add", str(bad))
    assert code == 1 and "failed 2" in out


def test_missing_path_is_one_line_exit_2_and_nothing_indexed(capsys, docs, tmp_path):
    code, out, err = run(capsys, "kb", "add", str(docs), str(tmp_path / "nope.md"))
    assert code == 2 and out == ""
    assert err.splitlines()[0].startswith("error: no such file or directory") and "Traceback" not in err
    code, out, _ = run(capsys, "kb", "list", "--json")
    assert json.loads(out) == []
    code, _, err = run(capsys, "kb", "add")
    assert code == 2 and "nothing to add" in err


def test_unsupported_file_type_is_bad_input_exit_2_naming_the_types(capsys, docs, tmp_path):
    odd = tmp_path / "some.xyz"
    odd.write_text("hold timer\n")
    code, out, err = run(capsys, "kb", "add", str(odd))
    assert code == 2 and out == ""  # it was 1, with the reason in a 'failed' line on stdout
    first = err.splitlines()[0]
    assert first.startswith("error: unsupported file type '.xyz'") and "some.xyz" in first
    assert all(kind in first for kind in (".md", ".txt", ".pdf", ".html", ".docx", ".txt.gz"))
    code, out, err = run(capsys, "kb", "add", str(docs), str(odd))
    assert code == 2 and "some.xyz" in err
    code, out, _ = run(capsys, "kb", "list", "--json")
    assert json.loads(out) == []  # nothing indexed, as for a missing path


def test_index_built_by_another_embedder_is_refused(capsys, docs, monkeypatch):
    run(capsys, "kb", "add", str(docs))
    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda settings, prefer=None: HashEmbedder(dim=32))
    (docs / "new.md").write_text("# New\n\nnew text\n")
    code, out, err = run(capsys, "kb", "add", str(docs))
    assert code == 1 and "built with embedder hash:v1:64" in err and "hint: netops kb reset" in err
    code, _, err = run(capsys, "kb", "search", "hold timer")
    assert code == 1 and err.startswith("error:")
    code, _, _ = run(capsys, "kb", "reset", "--yes")
    assert code == 0
    code, out, _ = run(capsys, "kb", "add", str(docs), "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 3


def test_remove_and_not_found(capsys, docs):
    run(capsys, "kb", "add", str(docs))
    code, out, _ = run(capsys, "kb", "remove", str(docs / "bgp.md"), "--json")
    assert code == 0 and len(json.loads(out)["removed"]) == 1
    code, _, err = run(capsys, "kb", "remove", "no-such-doc")
    assert code == 4 and "not in the knowledge base" in err
    assert err.count("no-such-doc") == 1  # it said 'not indexed: no-such-doc' before the error too


def test_remove_some_unknown_is_partial_failure_exit_7(capsys, docs):
    run(capsys, "kb", "add", str(docs))
    code, out, err = run(capsys, "kb", "remove", str(docs / "bgp.md"), "no-such-doc")
    assert code == 7  # partial failure, as `netops --help` documents (it was 1)
    assert "removed" in out and "bgp.md" in out
    assert "not in the knowledge base: no-such-doc" in err and err.count("no-such-doc") == 1
    code, out, _ = run(capsys, "kb", "list", "--json")
    assert [Path(d["source"]).name for d in json.loads(out)] == ["ospf.md"]
    code, out, _ = run(capsys, "kb", "remove", str(docs / "ospf.md"), "gone-too", "--json")
    assert code == 7 and json.loads(out)["not_found"] == ["gone-too"]
    code, _, err = run(capsys, "kb", "remove", "a-doc", "b-doc")
    assert code == 4 and "a-doc, b-doc" in err


def test_eval_cli_and_bad_jsonl(capsys, docs, tmp_path):
    run(capsys, "kb", "add", str(docs))
    good = tmp_path / "q.jsonl"
    good.write_text(json.dumps({"question": "hold timer keepalives", "expected": "bgp.md"}) + "\n")
    code, out, _ = run(capsys, "kb", "eval", str(good), "--json", "--top-k", "3")
    report = json.loads(out)
    assert code == 0 and report["n"] == 1 and report["recall_at_k"] == 1.0
    assert {"recall_at_1", "mrr", "misses"} <= set(report)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good.read_text() + "{not json\n")
    code, out, err = run(capsys, "kb", "eval", str(bad))
    assert code == 2 and "bad.jsonl:2" in err and out == ""


def test_lexical_only_says_so(capsys, docs, monkeypatch):
    monkeypatch.setattr("netops.rag.kb.make_embedder", lambda settings, prefer=None: None)
    run(capsys, "kb", "add", str(docs))
    code, out, err = run(capsys, "kb", "search", "hold timer")
    assert code == 0 and "lexical-only" in err and "bgp" in out
    code, out, _ = run(capsys, "kb", "stats", "--json")
    assert json.loads(out)["mode"] == "lexical-only"


def test_init_indexes_default_sources(capsys, tmp_path, monkeypatch):
    from netops import plugins
    from netops.plugins import KnowledgeSource, Registry

    root = tmp_path / "defaults"
    root.mkdir()
    (root / "runbook.md").write_text("# Runbook\n\nrestart the peer\n")
    reg = Registry("knowledge source")
    reg.add("x", KnowledgeSource("x", "test", paths=(root,), default=True), "test")
    monkeypatch.setattr(plugins, "knowledge_sources", lambda: reg)
    code, out, _ = run(capsys, "kb", "init", "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 1
    code, out, _ = run(capsys, "kb", "add", "--source", "x", "--json")
    assert code == 0 and len(json.loads(out)["unchanged"]) == 1
    code, _, err = run(capsys, "kb", "add", "--source", "nope")
    assert code == 4 and "no knowledge source named 'nope'" in err


def test_cli_modules_import_no_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys, netops.cli.kb, netops.cli.doctor, netops.rag.kb, netops.doctor, netops.rag.eval;"
            "heavy = ('chromadb', 'llama_index', 'torch', 'sentence_transformers', 'langchain', 'numpy');"
            "print([m for m in heavy if m in sys.modules])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


def test_pull_rfc_from_the_local_tree_and_a_dead_mirror(capsys, rfc, settings):
    rfc(5492)  # skips without doc-rfc-std
    code, out, _ = run(capsys, "kb", "pull", "rfc", "5492", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] and "5492" in doc["fetched"]
    assert len(doc["index"]["added"]) == 1
    code, out, _ = run(capsys, "kb", "search", "capabilities advertisement", "--mode", "lexical", "--json")
    assert json.loads(out)[0]["doc_id"] == "RFC 5492"
    code, out, err = run(capsys, "kb", "pull", "rfc", "99999", "--mirror", "http://127.0.0.1:9", "--no-index")
    assert code == 3 and out == "" and err.startswith("error: RFC mirror http://127.0.0.1:9 is unreachable")
    code, out, _ = run(capsys, "kb", "pull", "rfc", "5492", "99999", "--mirror", "http://127.0.0.1:9",
                       "--no-index", "--json")
    doc = json.loads(out)  # partly fetched: a per-RFC failure, exit 1
    assert code == 1 and "99999" in doc["failed"] and "5492" in doc["fetched"] and doc["index"] is None
    code, out, _ = run(capsys, "kb", "pull", "pack", "no-such-pack")
    assert code == 4


def test_packs_lists_the_shipped_packs(capsys):
    code, out, _ = run(capsys, "kb", "packs", "--json")
    packs = {p["name"]: p for p in json.loads(out)}
    assert code == 0 and 4271 in packs["core"]["rfcs"]


def test_init_with_the_real_default_sources(capsys, rfc):
    rfc(4271)
    code, out, err = run(capsys, "kb", "init", "--json")
    report = json.loads(out)
    assert code == 0, report["failed"]
    names = {Path(s).name for s in report["added"]}
    assert "glossary.md" in names and any(n.startswith("rfc4271") for n in names)
    code, out, _ = run(capsys, "kb", "search", "BGP hold timer", "--json", "--top-k", "3")
    assert any(h["doc_id"] == "RFC 4271" for h in json.loads(out))


def test_damaged_index_is_one_error_and_reset_recovers(capsys, docs, settings):
    run(capsys, "kb", "add", str(docs))
    for p in settings.paths.index_dir.rglob("*.sqlite*"):
        p.write_bytes(b"garbage" * 500)
    code, out, err = run(capsys, "kb", "search", "hold timer")
    assert code == 1 and out == "" and err.startswith("error: ") and "hint: netops kb reset" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "kb", "reset", "--yes")
    assert code == 0, err
    code, out, err = run(capsys, "kb", "add", str(docs), "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 2, err


def test_reset_without_yes_and_no_terminal_refuses_with_exit_2(capsys, docs, settings):
    """'kb reset' with no terminal to confirm on (cron, a pipe) or a 'no' at the prompt exited
    130, the code for Ctrl-C. Without a terminal it is now bad input, exit 2 with the --yes
    hint (as 'devices trust'), and nothing is deleted."""
    run(capsys, "kb", "add", str(docs))
    code, _, err = run(capsys, "kb", "reset")
    assert code == 2 and "--yes" in err, err
    code, out, _ = run(capsys, "kb", "list", "--json")
    assert code == 0 and json.loads(out)


def test_a_log_shows_how_far_kb_add_got(capsys, docs):
    """Not on a terminal (cron, CI) the bar is hidden: one plain line per file instead, on stderr,
    so stdout stays the one JSON document."""
    code, out, err = run(capsys, "kb", "add", str(docs), "--json")
    assert code == 0 and json.loads(out)["ok"]
    lines = [ln for ln in err.splitlines() if ln.startswith("indexing: ")]
    assert len(lines) == 2 and lines[-1].startswith("indexing: 2/2 "), err
