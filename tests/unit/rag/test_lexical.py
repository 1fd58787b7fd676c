"""SQLite FTS5 lexical index and document registry."""

from __future__ import annotations

import sqlite3

import pytest

from netops.errors import KnowledgeError
from netops.rag.lexical import LexicalIndex, fts_query
from netops.rag.types import Chunk, DocumentInfo


def doc(source: str, doc_id: str, texts: list[str], sha: str = "a" * 64):
    info = DocumentInfo(doc_id=doc_id, title=f"{doc_id} title", source=source, kind="rfc", sha256=sha, size=10)
    chunks = [Chunk(doc_id=doc_id, source=source, ordinal=i, text=t, section=str(i + 1),
                    section_title=f"Part {i + 1}", heading_path=("Top", f"Part {i + 1}"), title=info.title)
              for i, t in enumerate(texts)]
    return info, chunks


@pytest.fixture
def idx(tmp_path):
    index = LexicalIndex(tmp_path / "kb.sqlite")
    yield index
    index.close()


def test_fts_query_quotes_terms_drops_stopwords_and_splits_rfc_numbers():
    assert fts_query("What is the BGP hold timer?") == '"bgp" OR "hold" OR "timer"'
    assert fts_query('RFC4271 "quoted" AND OR NEAR') == '"rfc4271" OR "rfc" OR "4271" OR "quoted" OR "near"'
    assert fts_query("the of") == '"the" OR "of"'
    assert fts_query("?!") is None


def test_search_ranks_by_bm25_stems_and_keeps_numbers(idx):
    idx.replace_document(*doc("/d/4271", "RFC 4271", ["The Hold Timer is reset on KEEPALIVE messages.",
                                                       "Route selection compares AS_PATH lengths."]))
    idx.replace_document(*doc("/d/2328", "RFC 2328", ["Hello packets keep OSPF neighbors alive."]))
    hits = idx.search("timers keepalive", 5)
    assert hits[0][0].doc_id == "RFC 4271" and hits[0][0].ordinal == 0
    assert hits[0][1] > 0
    assert [c.doc_id for c, _ in idx.search("4271", 5)] == ["RFC 4271", "RFC 4271"]  # doc_id is searchable
    chunk = hits[0][0]
    assert (chunk.section, chunk.section_title, chunk.heading_path) == ("1", "Part 1", ("Top", "Part 1"))
    assert chunk.citation == "RFC 4271 §1 (Part 1)"


def test_replace_document_is_atomic_and_registry_tracks_it(idx):
    idx.replace_document(*doc("/d/a", "A", ["alpha one", "alpha two"]))
    assert idx.counts() == (1, 2) and idx.document("/d/a").n_chunks == 2

    def boom():
        raise KnowledgeError("vector write failed")

    info, chunks = doc("/d/a", "A", ["beta"], sha="b" * 64)
    with pytest.raises(KnowledgeError):
        idx.replace_document(info, chunks, before_commit=boom)
    assert idx.document("/d/a").sha256 == "a" * 64 and idx.counts() == (1, 2)
    assert idx.search("beta", 5) == []
    idx.replace_document(info, chunks)
    assert idx.counts() == (1, 1) and idx.search("alpha", 5) == []
    assert idx.find_sources("a") == ["/d/a"]  # doc_id, case-insensitive
    assert idx.delete_document("/d/a") and not idx.delete_document("/d/a")
    assert idx.counts() == (0, 0)


def test_meta_and_clear(idx):
    idx.set_meta(embedder="hash:v1:64", dim=64)
    assert idx.get_meta("embedder") == "hash:v1:64" and idx.get_meta("dim") == "64"
    idx.replace_document(*doc("/d/a", "A", ["alpha"]))
    idx.clear()
    assert idx.counts() == (0, 0) and idx.get_meta("embedder") is None
    assert idx.search("alpha", 5) == []


def test_reopen_keeps_data_and_a_corrupt_file_is_one_error(tmp_path):
    path = tmp_path / "kb.sqlite"
    first = LexicalIndex(path)
    first.replace_document(*doc("/d/a", "A", ["alpha"]))
    first.close()
    again = LexicalIndex(path)
    assert again.sources() == {"/d/a"}
    again.close()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KnowledgeError, match="unusable") as err:
        LexicalIndex(bad)
    assert "reset" in err.value.hint
    assert isinstance(err.value.__cause__, sqlite3.DatabaseError)


def test_scores_for_given_chunks_match_search(tmp_path):
    from netops.rag.lexical import LexicalIndex
    from netops.rag.types import Chunk, DocumentInfo

    idx = LexicalIndex(tmp_path / "kb.sqlite")
    info = DocumentInfo("doc", "Doc", "/d.md", "markdown", "0" * 64, 10)
    chunks = [Chunk("doc", "/d.md", 0, "hold timer expired notification", section_title="A"),
              Chunk("doc", "/d.md", 1, "keepalive messages and the hold timer", section_title="B"),
              Chunk("doc", "/d.md", 2, "route reflection clusters", section_title="C")]
    idx.replace_document(info, chunks)
    searched = {c.chunk_id: s for c, s in idx.search("hold timer", 10)}
    scored = idx.scores("hold timer", ["/d.md#0", "/d.md#1", "/d.md#2", "/nope.md#0"])
    assert scored["/d.md#0"] == pytest.approx(searched["/d.md#0"])
    assert scored["/d.md#1"] == pytest.approx(searched["/d.md#1"])
    assert scored["/d.md#2"] == 0.0 and scored["/nope.md#0"] == 0.0
    idx.close()


def test_chunks_looks_up_many_ids_at_once_and_skips_unknown_ones(idx):
    a_info, a_chunks = doc("/a.md", "A", [f"alpha passage {i}" for i in range(450)])
    b_info, b_chunks = doc("/dir#x/b.md", "B", ["beta one", "beta two"])  # '#' inside a path
    idx.replace_document(a_info, a_chunks)
    idx.replace_document(b_info, b_chunks)
    wanted = ([c.chunk_id for c in reversed(a_chunks)] + ["/dir#x/b.md#1", "/a.md#450", "/nope.md#0",
                                                          "not-an-id", "/a.md#x", "/a.md#3"])
    got = idx.chunks(wanted)
    assert set(got) == {c.chunk_id for c in a_chunks} | {"/dir#x/b.md#1"}  # more than one batch of 400
    assert got["/a.md#449"] == a_chunks[449] and got["/dir#x/b.md#1"] == b_chunks[1]
    assert got["/a.md#3"].heading_path == ("Top", "Part 4") and got["/a.md#3"].title == "A title"
    assert idx.chunks([]) == {}


def test_an_index_written_before_the_ordinal_lookup_index_gets_it_on_open(tmp_path):
    path = tmp_path / "kb.sqlite"
    first = LexicalIndex(path)
    first.replace_document(*doc("/a.md", "A", ["alpha", "beta"]))
    first._db.execute("DROP INDEX chunks_doc_ordinal")  # as netops wrote it before
    first.close()
    again = LexicalIndex(path)
    names = {r[0] for r in again._db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "chunks_doc_ordinal" in names
    assert again._db.execute("PRAGMA user_version").fetchone()[0] == 2  # older netops still opens it
    assert again.chunks(["/a.md#1"])["/a.md#1"].text == "beta"
    again.close()


def test_an_index_that_cannot_be_opened_is_a_config_error_not_a_reset(tmp_path):
    """A home that is not writable (read-only mount, a file where the index directory goes, a
    directory where the database goes) is a setting to fix, exit 2: never an OSError (exit 70)
    and never the 'kb reset' advice, which would throw away an index that is fine."""
    from netops.errors import ConfigError

    blocker = tmp_path / "home"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError) as err:
        LexicalIndex(blocker / "index" / "kb.sqlite")
    assert "NETOPS_HOME" in err.value.hint and err.value.exit_code == 2
    as_dir = tmp_path / "kb.sqlite"
    as_dir.mkdir()  # sqlite3: "unable to open database file", as on a read-only mount
    with pytest.raises(ConfigError) as err:
        LexicalIndex(as_dir)
    assert "reset" not in err.value.hint and "NETOPS_HOME" in err.value.hint


def test_term_counts_counts_hyphenated_terms(idx):
    """trial34: "what is the time error budget for an O-RU?" over a note saying "The O-RU must stay
    within the time error budget" was judged not covered: term_counts skipped every hyphenated word
    (O-RU, GTP-U, LLS-C3), so the abstention took it for a word the index has never seen."""
    idx.replace_document(*doc("/d/oran", "oran-note", ["The O-RU must stay within the time error budget.",
                                                       "LLS-C3 places PTP-aware switches between O-DU and O-RU.",
                                                       "N3 carries GTP-U."]))
    total, counts = idx.term_counts(["o-ru", "lls-c3", "gtp-u", "time", "x-ray", 'bad"quote'])
    assert total == 3
    assert counts["o-ru"] == 2 and counts["lls-c3"] == 1 and counts["gtp-u"] == 1 and counts["time"] == 1
    assert counts["x-ray"] == 0  # hyphenated and absent: counted, and known to be absent
    assert 'bad"quote' not in counts
