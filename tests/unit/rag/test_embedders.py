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
