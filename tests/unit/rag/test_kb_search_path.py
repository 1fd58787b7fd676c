"""The search path: one hit per section, named-document boost, index format, and a cold search
that loads neither llama-index nor langchain. (Latency and throughput are measured in bench/,
never asserted in tests.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

from netops.errors import IndexMismatchError
from netops.rag.kb import KnowledgeBase
from netops.testing.embedders import HashEmbedder


def _notes(root, n: int):
    root.mkdir()
    for i in range(n):
        (root / f"note{i:02}.md").write_text(
            f"# Note {i}\n\nRouter r{i} peers use hold time {30 + i} seconds and keepalive {10 + i}.\n"
            f"\n## Checks {i}\n\nCompare interface counters and OSPF neighbor state on link {i}.\n")
    return root


def test_search_returns_k_distinct_sections_from_many_chunks_of_one_section(settings, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    # one long section (many chunks on the same words) and several short ones
    long_body = "\n\n".join(f"The BGP hold timer and keepalive interval paragraph {i}. " * 6 for i in range(40))
    shorts = "".join(f"\n\n## Timer note {i}\n\nBGP hold timer detail {i}.\n" for i in range(6))
    (docs / "bgp.md").write_text(f"# Hold timer\n\n{long_body}\n{shorts}")
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    kb.add([docs])
    for mode in ("hybrid", "lexical", "dense"):
        hits = kb.search("BGP hold timer keepalive", top_k=5, mode=mode)
        sections = [(h.chunk.section_title, h.chunk.heading_path) for h in hits]
        assert len(hits) == 5, mode
        assert len(set(sections)) == 5, (mode, sections)


def _cold_search_modules(home, env_extra: dict, embedder: str) -> set[str]:
    """Top-level packages a fresh process has imported after one ``kb.search``."""
    import os

    code = (
        "import sys\n"
        "from netops.settings import load_settings\n"
        "from netops.rag.kb import KnowledgeBase\n"
        "from netops.testing.embedders import HashEmbedder\n"
        f"kb = KnowledgeBase(load_settings(home={str(home)!r}), embedder={embedder})\n"
        "assert kb.search('hold time', top_k=2)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return set(out.stdout.split())


HEAVY = {"llama_index", "langchain", "langchain_core", "torch", "sentence_transformers"}


def test_cold_search_imports_neither_llama_index_nor_langchain(settings, tmp_path):
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    kb.add([_notes(tmp_path / "docs", 2)])
    kb.close()
    loaded = _cold_search_modules(settings.paths.home, {}, "HashEmbedder()")
    assert "chromadb" in loaded  # the dense side was really asked
    assert not loaded & HEAVY


def test_lexical_only_search_never_imports_chromadb_or_torch(tmp_path, monkeypatch):
    from netops.settings import load_settings

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    settings = load_settings()
    kb = KnowledgeBase(settings)
    kb.add([_notes(tmp_path / "docs", 2)])
    kb.close()
    loaded = _cold_search_modules(settings.paths.home, {"NETOPS_KB__EMBEDDER": "none"}, "None")
    assert not loaded & (HEAVY | {"chromadb"})


def test_a_query_naming_a_document_ranks_that_document_first(settings, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rfc-like-a.md").write_text("# Hold timer\n\nThe BGP hold timer expires and the session closes.\n")
    (docs / "ops-guide.md").write_text("# Hold timer\n\nBGP hold timer hold timer hold timer expiry closes BGP.\n")
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    kb.add([docs])
    plain = kb.search("BGP hold timer expiry", top_k=2, mode="lexical")
    assert plain[0].chunk.doc_id == "ops-guide"
    named = kb.search("what does rfc-like-a say about the BGP hold timer expiry", top_k=2, mode="lexical")
    assert named[0].chunk.doc_id == "rfc-like-a"


def test_an_index_of_an_older_format_asks_for_a_rebuild(settings, tmp_path):
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    kb.add([_notes(tmp_path / "docs", 2)])
    kb.lexical.set_meta(format=None)  # as written by netops before index formats existed
    for call in (lambda: kb.search("hold time"), lambda: kb.add([_notes(tmp_path / "more", 1)])):
        with pytest.raises(IndexMismatchError) as err:
            call()
        assert "netops kb reset" in err.value.hint
    kb.reset()
    assert kb.add([tmp_path / "docs"]).ok and kb.search("hold time")


PARALLEL_QUERIES = [
    "How long does a BGP speaker wait before declaring the peer dead?",
    "UDP checksum computed over a pseudo header",
    "what happens when an ICMP echo request arrives",
    "ARP reply: how is the hardware address of the target filled in",
    "RIP route timeout and garbage collection",
    "which message carries the MED attribute",
    "source quench",
    "hold timer",
]


def test_parallel_hybrid_search_gives_exactly_the_sequential_hits(settings, rfc):
    """The lexical side on the worker thread changes when it runs, not what comes out."""
    import threading

    kb = KnowledgeBase(settings, embedder=HashEmbedder(dim=256))
    report = kb.add([rfc(n) for n in (768, 792, 826, 2453, 4271)])
    assert report.ok and kb.stats().chunks > 100
    threads = []
    real_search = kb.lexical.search

    def recording_search(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_search(*args, **kwargs)

    kb.lexical.search = recording_search

    def key(hits):
        return [(h.chunk.chunk_id, h.chunk.citation, h.score, h.dense_rank, h.lexical_rank, h.mode) for h in hits]

    sides: set[str] = set()
    for q in PARALLEL_QUERIES:
        for k in (1, 5, 10):
            kb.parallel_search = False
            sequential = kb.search(q, top_k=k)
            assert threads.pop() is threading.current_thread()
            kb.parallel_search = True
            parallel = kb.search(q, top_k=k)
            assert threads.pop() is not threading.current_thread()  # it really ran on the worker
            assert len(sequential) == k
            assert key(parallel) == key(sequential), q
            sides.update(("dense" if h.dense_rank else "") + ("lexical" if h.lexical_rank else "") for h in parallel)
    assert {"dense", "lexical", "denselexical"} <= sides  # hits from either side and from both were fused
    kb.close()


def test_parallel_search_waits_for_the_worker_when_the_dense_side_fails(settings, tmp_path):
    from netops.errors import BackendUnavailable

    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    kb.add([_notes(tmp_path / "docs", 3)])
    finished = []
    real_search = kb.lexical.search

    def slow_search(*args, **kwargs):
        import time

        time.sleep(0.2)
        out = real_search(*args, **kwargs)
        finished.append(True)
        return out

    def broken_query(*args, **kwargs):
        raise BackendUnavailable("vector store down")

    kb.lexical.search = slow_search
    kb.vectors.query = broken_query
    kb.parallel_search = True
    with pytest.raises(BackendUnavailable):
        kb.search("hold time keepalive")
    assert finished == [True]  # the lexical side was over before the error reached the caller
    kb.close()  # and closing afterwards is safe
    with pytest.raises(Exception):
        kb.lexical.counts()  # really closed


def test_dense_candidates_read_from_the_registry_equal_chromas_own_records(settings, rfc):
    """A local index asks Chroma for ids and distances only and takes the chunks from SQLite."""
    kb = KnowledgeBase(settings, embedder=HashEmbedder(dim=256))
    kb.add([rfc(n) for n in (768, 826, 2453)])
    asked = []

    def lookup(ids):
        asked.append(list(ids))
        return kb.lexical.chunks(ids)

    from_chroma = 0
    for q in PARALLEL_QUERIES:
        vec = kb.embedder.embed_query(q)
        own = kb.vectors.query(vec, 30)
        hydrated = kb.vectors.query(vec, 30, lookup=lookup)
        assert asked.pop() == [c.chunk_id for c, _ in own]
        assert len(own) == 30 and hydrated == own  # same chunks (text and citation fields), same scores
        partial = kb.vectors.query(vec, 30, lookup=lambda ids: {i: c for i, c in kb.lexical.chunks(ids).items()
                                                                if not i.endswith("1")})
        assert partial == own  # ids the registry lacks come from Chroma's records
        from_chroma += sum(c.chunk_id.endswith("1") for c, _ in own)
    assert from_chroma > 0
    kb.close()
