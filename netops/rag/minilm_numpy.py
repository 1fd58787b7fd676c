"""all-MiniLM-L6-v2 query encoding in plain numpy (no torch, no sentence-transformers).

A cold ``netops kb search`` spent ~5 s importing sentence-transformers and torch to embed one
short query. This is the same computation -- BERT (6 layers, 12 heads, 384-d) over the same
safetensors weights and the same WordPiece tokenizer (``tokenizer.json``, truncated at the
model's 256 tokens), mean pooling over the tokens, L2 normalisation -- so its vectors match the
sentence-transformers ones to float32 rounding (tests compare them). Passages are still
embedded in batches with sentence-transformers, where torch's kernels pay off.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

MAX_TOKENS = 256
"""sentence-transformers' ``max_seq_length`` for this model (sentence_bert_config.json)."""


def _erf(x):
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26): numpy has none, and scipy costs an import."""
    import numpy as np

    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _one_blas_thread() -> None:
    """Run numpy's own OpenBLAS on one thread (for the rest of the process).

    Measured on 2 cores: a query took ~10 ms on two threads when idle but ~38 ms when another
    process was busy (the threads spin waiting for each other), and ~15 ms on one thread
    either way. Only numpy's bundled library is touched (torch's OpenMP pool is separate), and
    nothing else in netops does BLAS work through numpy.
    """
    try:
        from threadpoolctl import ThreadpoolController

        ThreadpoolController().select(internal_api="openblas", prefix="libscipy_openblas").limit(limits=1)
    except Exception:  # threadpoolctl missing or a numpy built differently: keep the defaults
        pass


class NumpyMiniLM:
    """Encodes one text at a time with the bundled MiniLM weights (loaded on construction)."""

    def __init__(self, model_dir: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.w = load_file(str(model_dir / "model.safetensors"))
        # The dense layers' weights transposed once, contiguous: ``x @ W.T`` on the stored
        # (out, in) matrices made BLAS read a strided operand on every call (measured: a query
        # ~20% faster, its vector equal to the last float32 bit on 338 of 339 texts).
        import numpy as np

        for name in [n for n, a in self.w.items() if n.endswith(".weight") and a.ndim == 2
                     and not n.startswith("embeddings.")]:
            self.w[name[: -len("weight")] + "weight_t"] = np.ascontiguousarray(self.w.pop(name).T)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        _one_blas_thread()

    def _ln(self, x, name: str):
        import numpy as np

        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _dense(self, x, name: str):
        return x @ self.w[f"{name}.weight_t"] + self.w[f"{name}.bias"]

    def encode(self, text: str) -> list[float]:
        """The normalised 384-d embedding of ``text``."""
        import numpy as np

        enc = self.tokenizer.encode(text)
        ids = np.asarray(enc.ids, dtype=np.int64)
        types = np.asarray(enc.type_ids, dtype=np.int64)
        n = len(ids)
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][types])
        x = self._ln(x, "embeddings.LayerNorm")
        dim = x.shape[1]
        head = dim // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q, k, v = (self._dense(x, p + f"attention.self.{m}").reshape(n, self.heads, head).transpose(1, 0, 2)
                       for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(1, 0, 2).reshape(n, dim)
            x = self._ln(self._dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
            x = self._ln(self._dense(h, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = x.mean(0)
        pooled = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return pooled.astype(np.float32).tolist()
