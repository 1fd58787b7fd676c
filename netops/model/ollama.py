"""Ollama through the official ``ollama`` client (admin) and ``langchain_ollama`` (chat)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from netops.errors import ModelError, ModelProtocolError, ModelUnavailable, NotFoundError
from netops.model.base import EndpointStatus, ModelInfo, PullProgress, tls_context

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from netops.settings import Settings

START_HINT = "start Ollama with `ollama serve` (or set NETOPS_OLLAMA_URL), then `ollama pull qwen2.5:7b-instruct`"


def translate(exc: BaseException, url: str, model: str | None = None) -> Exception:
    """Map httpx/ollama exceptions onto the netops tree (one line + hint)."""
    import httpx
    import ollama

    from netops.errors import NetopsError
    from netops.model.base import unusable_answer

    if isinstance(exc, NetopsError):
        return exc
    unusable = unusable_answer(exc, url)
    if unusable is not None:
        return unusable
    if isinstance(exc, ollama.ResponseError):
        msg = ((exc.error or str(exc)).strip().splitlines() or [""])[0][:300]
        if exc.status_code == 404 or "not found" in msg or "does not exist" in msg:
            name = model or "model"
            return NotFoundError(f"{name} is not available at {url}: {msg}",
                                 hint=f"netops models pull {name}" if model else "netops models list")
        return ModelError(f"Ollama at {url} answered an error: {msg}", hint="see `ollama serve` logs")
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError)):
        return ModelUnavailable(f"no model endpoint at {url}", hint=START_HINT)
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.ReadTimeout)):
        return ModelProtocolError(f"the model stream from {url} broke off: {exc}",
                                  hint="the answer is incomplete; check `ollama serve` logs and ask again")
    if isinstance(exc, httpx.HTTPError):
        return ModelError(f"HTTP error talking to {url}: {exc}", hint=START_HINT)
    if isinstance(exc, ValueError) and "Ollama" in str(exc):
        return ModelProtocolError(f"unusable answer from {url}: {exc}")
    first = (str(exc).strip().splitlines() or [""])[0][:300]  # the CLI prints one line
    return ModelError(f"model call failed: {type(exc).__name__}: {first}")


def _context_length(model_info: Any) -> int | None:
    for key, value in dict(model_info or {}).items():
        if key.endswith(".context_length") and isinstance(value, int):
            return value
    return None


class OllamaBackend:
    """The local Ollama server at ``settings.ollama_url``."""

    kind = "ollama"

    def __init__(self, settings: "Settings", *, timeout: float = 120.0) -> None:
        self.url = settings.ollama_url.rstrip("/")
        self.timeout = timeout
        self._client: Any = None
        # httpx builds an SSL context per client (~50 ms): build clients once per backend, and
        # give them the one shared context (tls_context).
        self._probe: Any = None
        self._chat_models: dict[tuple[str, float], Any] = {}

    @property
    def client(self) -> Any:
        if self._client is None:
            import ollama

            self._client = ollama.Client(host=self.url, timeout=self.timeout, verify=tls_context())
        return self._client

    def status(self, timeout: float = 2.0) -> EndpointStatus:
        import httpx

        if self._probe is None:
            self._probe = httpx.Client(verify=tls_context())
        try:
            c = self._probe
            version = c.get(f"{self.url}/api/version", timeout=timeout).json().get("version")
            tags = c.get(f"{self.url}/api/tags", timeout=timeout).json().get("models", [])
        except (httpx.HTTPError, ValueError) as exc:
            return EndpointStatus(self.url, self.kind, False, error=f"{type(exc).__name__}: {exc}")
        return EndpointStatus(self.url, self.kind, True, version=version,
                              models=[m.get("name") or m.get("model") for m in tags])

    def list_models(self) -> list[ModelInfo]:
        """Every local model with details from ``/api/show`` (context length, capabilities)."""
        try:
            listed = self.client.list().models
        except Exception as exc:
            raise translate(exc, self.url) from exc
        out = []
        for m in listed:
            try:
                out.append(self._show(m.model or "", m.size))
            except NotFoundError:
                continue
        return out

    def show(self, name: str) -> ModelInfo:
        try:
            size = next((m.size for m in self.client.list().models if m.model == name), None)
        except Exception as exc:
            raise translate(exc, self.url, name) from exc
        return self._show(name, size)

    def _show(self, name: str, size: int | None) -> ModelInfo:
        try:
            r = self.client.show(name)
        except Exception as exc:
            raise translate(exc, self.url, name) from exc
        d = r.details
        return ModelInfo(
            name=name,
            size=int(size) if size is not None else None,
            family=d.family if d else None,
            parameter_size=d.parameter_size if d else None,
            quantization=d.quantization_level if d else None,
            context_length=_context_length(r.modelinfo),
            capabilities=tuple(r.capabilities or ()),
            modified_at=r.modified_at.isoformat() if r.modified_at else None,
        )

    def pull(self, name: str) -> Iterator[PullProgress]:
        try:
            for p in self.client.pull(name, stream=True):
                yield PullProgress(p.status or "", p.completed, p.total, p.digest)
        except Exception as exc:
            raise translate(exc, self.url, name) from exc

    def chat_model(self, name: str, *, temperature: float = 0.0) -> "BaseChatModel":
        key = (name, temperature)
        if key not in self._chat_models:
            from langchain_ollama import ChatOllama

            from netops.model.abort import transport

            # the chat's connections can be shut from another thread (a cancel, the deadline)
            self._chat_models[key] = ChatOllama(model=name, base_url=self.url, temperature=temperature,
                                                client_kwargs={"timeout": self.timeout, "verify": tls_context()},
                                                sync_client_kwargs={"transport": transport(tls_context())})
        return self._chat_models[key]
