"""The numpy query encoder gives sentence-transformers' vectors, without importing torch."""

from __future__ import annotations

import subprocess
import sys

import pytest

from netops.rag.embedders import MiniLMEmbedder, minilm_available, minilm_model_dir

pytestmark = pytest.mark.skipif(not minilm_available()[0], reason="MiniLM model not installed")

TEXTS = [
    "What is the default BGP hold time?",
    "x",
    "Ünïcode façade — DR/BDR election on a broadcast LAN, RFC 2328 §9.4",
    "IPv6 extension headers " * 120,  # longer than the model's 256 tokens: truncated alike
]


@pytest.mark.slow
def test_numpy_query_vectors_match_sentence_transformers():
    import numpy as np

    emb = MiniLMEmbedder()
    reference = np.array(emb.embed_documents(TEXTS))  # sentence-transformers + torch
    queries = np.array([emb.embed_query(t) for t in TEXTS])  # numpy encoder
    assert queries.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    assert np.abs(queries - reference).max() < 1e-4


def test_embedding_a_query_loads_neither_torch_nor_sentence_transformers():
    code = (
        "import sys\n"
        "from netops.rag.embedders import MiniLMEmbedder\n"
        "v = MiniLMEmbedder().embed_query('BGP hold timer')\n"
        "assert len(v) == 384\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'sentence_transformers', 'transformers'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_a_broken_model_dir_is_a_knowledge_error(tmp_path):
    from netops.errors import KnowledgeError

    assert minilm_model_dir() is not None
    with pytest.raises(KnowledgeError) as err:
        MiniLMEmbedder(model_dir=tmp_path).embed_query("hold timer")
    assert "reinstall" in err.value.hint
