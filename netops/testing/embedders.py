"""``HashEmbedder``: a deterministic, fast embedder for unit tests.

Feature hashing of lower-cased word tokens (plus character trigrams, weighted lower) into a
fixed number of buckets, L2-normalised. Texts that share words get similar vectors, so
dense search behaves plausibly without loading a model.
"""

from __future__ import annotations

import hashlib
import math
import re

_WORD = re.compile(r"\w+", re.UNICODE)


class HashEmbedder:
    """Deterministic bag-of-words vectors; satisfies :class:`netops.rag.embedders.Embedder`."""

    name = "hash"

    def __init__(self, dim: int = 64, *, version: str = "v1") -> None:
        self._dim = dim
        self.version = version
        self.calls = 0
        """How many times ``embed_documents``/``embed_query`` ran (tests assert on batching)."""
        self.texts_embedded = 0

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def fingerprint(self) -> str:
        return f"hash:{self.version}:{self._dim}"

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "big")
        return value % self._dim, (1.0 if (value >> 63) & 1 else -1.0)

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self._dim
        for word in _WORD.findall(text.lower()):
            idx, sign = self._bucket("w:" + word)
            vec[idx] += sign
            for i in range(max(len(word) - 2, 0)):
                idx, sign = self._bucket("t:" + word[i:i + 3])
                vec[idx] += 0.25 * sign
        norm = math.sqrt(sum(v * v for v in vec))
        if norm == 0.0:
            vec[0] = 1.0
            return vec
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return self._vector(text)


class FailingEmbedder(HashEmbedder):
    """Raises on the n-th ``embed_documents`` call (tests of partial failure and cleanup)."""

    def __init__(self, fail_on_call: int = 1, exc: BaseException | None = None, **kw) -> None:
        super().__init__(**kw)
        self.fail_on_call = fail_on_call
        self.exc = exc

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.calls + 1 == self.fail_on_call:
            self.calls += 1
            from netops.errors import BackendUnavailable

            raise self.exc or BackendUnavailable("embedder went away")
        return super().embed_documents(texts)
