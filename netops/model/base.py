"""What netops needs from a model endpoint, as a Protocol, and the typed values it returns.

Two implementations: :class:`netops.model.ollama.OllamaBackend` (Ollama's native API) and
:class:`netops.model.openai_compat.OpenAICompatBackend` (vLLM, llama.cpp server, Ollama's
``/v1``). Tests point either at :class:`netops.testing.ollama_server.ScriptedOllama`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from netops.controls import printable  # noqa: F401  (re-exported: the model's text goes through it)

if TYPE_CHECKING:
    import ssl

    from langchain_core.language_models import BaseChatModel
    from netops.settings import Settings


@dataclass(frozen=True)
class ModelInfo:
    """One local model, as ``models list`` shows it."""

    name: str
    size: int | None = None
    """Bytes on disk."""
    family: str | None = None
    parameter_size: str | None = None
    quantization: str | None = None
    context_length: int | None = None
    capabilities: tuple[str, ...] = ()
    """``completion``, ``tools``, ``embedding``, ``vision``, ``thinking`` (as Ollama reports)."""
    modified_at: str | None = None

    def __post_init__(self) -> None:
        # the server's words: a model list with ESC]0;... in a name retitled the terminal of
        # `netops models list`
        for f in ("name", "family", "parameter_size", "quantization", "modified_at"):
            value = getattr(self, f)
            if isinstance(value, str):
                object.__setattr__(self, f, printable(value))
        object.__setattr__(self, "capabilities", tuple(printable(str(c)) for c in self.capabilities))

    @property
    def supports_tools(self) -> bool:
        return "tools" in self.capabilities

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["capabilities"] = list(self.capabilities)
        d["supports_tools"] = self.supports_tools
        return d


@dataclass(frozen=True)
class PullProgress:
    """One line of a streamed ``pull``."""

    status: str
    completed: int | None = None
    total: int | None = None
    digest: str | None = None

    def __post_init__(self) -> None:  # the server's words (see ModelInfo)
        object.__setattr__(self, "status", printable(str(self.status or "")))
        if isinstance(self.digest, str):
            object.__setattr__(self, "digest", printable(self.digest))


@dataclass
class EndpointStatus:
    """Is the endpoint up, and does it have the configured model?"""

    url: str
    kind: str
    reachable: bool
    version: str | None = None
    error: str | None = None
    models: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:  # the server's words (see ModelInfo)
        for f in ("version", "error"):
            value = getattr(self, f)
            if isinstance(value, str):
                object.__setattr__(self, f, printable(value))
        object.__setattr__(self, "models", [printable(str(m)) for m in self.models])


@runtime_checkable
class ModelBackend(Protocol):
    """A model endpoint: administration plus a LangChain chat model for the agent."""

    kind: str
    url: str

    def status(self, timeout: float = 2.0) -> EndpointStatus:
        """Probe the endpoint (never raises)."""
        ...

    def list_models(self) -> list[ModelInfo]:
        ...

    def show(self, name: str) -> ModelInfo:
        """Details of one model; :class:`netops.errors.NotFoundError` if absent."""
        ...

    def pull(self, name: str) -> Iterator[PullProgress]:
        ...

    def chat_model(self, name: str, *, temperature: float = 0.0) -> "BaseChatModel":
        ...


_TLS: "ssl.SSLContext | None" = None
_TLS_LOCK = threading.Lock()


def tls_context() -> "ssl.SSLContext":
    """The TLS context every HTTP client to a model endpoint uses (httpx's default: verifies
    certificates and host names, honours SSL_CERT_FILE/SSL_CERT_DIR). Built once per process:
    httpx otherwise loads the CA bundle again for each client, and a question makes several."""
    global _TLS
    with _TLS_LOCK:
        if _TLS is None:
            import httpx

            _TLS = httpx.create_ssl_context()
        return _TLS


def backend_for(settings: "Settings") -> ModelBackend:
    """The configured backend: OpenAI-compatible when ``openai_base_url`` is set, else Ollama."""
    if settings.openai_base_url:
        from netops.model.openai_compat import OpenAICompatBackend

        return OpenAICompatBackend(settings)
    from netops.model.ollama import OllamaBackend

    return OllamaBackend(settings)


def model_problem(backend: ModelBackend, model: str, timeout: float = 1.5) -> str | None:
    """Why ``model`` cannot be used at ``backend`` right now, as one line; None when it can
    (the endpoint answers and lists the model, or lists none)."""
    status = backend.status(timeout=timeout)
    if not status.reachable:
        why = status.error or "no answer"
        if why.startswith(("ReadTimeout", "TimeoutException")):
            # a server that takes the connection and says nothing: stopped (SIGSTOP), hung, or busy
            # reading a prompt (llama-cpp-python answers no request meanwhile)
            why = f"it took the connection but did not answer within {timeout:g} s: busy or hung"
        elif "Connection refused" in why:
            why = "connection refused: no server is listening there"
        return f"no model reachable at {status.url} ({why})"
    if status.models and model not in status.models and f"{model}:latest" not in status.models:
        shown = printable(model)  # the name as given (-m, NETOPS_MODEL) is printed in a notice
        if backend.kind == "openai":  # such a server loads its models itself; it cannot pull one
            return f"model {shown} is not served at {status.url} (it serves: {', '.join(status.models)})"
        return f"model {shown} is not available at {status.url} (try `netops models pull {shown}`)"
    return None


def refuses_connections(url: str, timeout: float = 1.0) -> bool:
    """Whether nothing listens at ``url``'s host and port any more (a new connection is refused):
    proof that the server is gone or shutting down. A connection that is accepted, or that times
    out, proves nothing: llama-cpp-python answers no request while it reads a prompt, and a
    server shutting down gracefully (uvicorn on SIGTERM) closes its listening socket at once but
    keeps a request in progress open until the model has read its prompt (tens of seconds)."""
    import socket
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    if not host:
        return False
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:  # a timeout, no route, a name that does not resolve now: not proof
        return False


_LOOPBACK = ("127.", "::1", "localhost")


def _listening_inodes(port: int) -> set[str]:
    """The socket inodes listening on ``port`` in this network namespace (Linux /proc/net)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as f:
                next(f, None)
                for line in f:
                    cols = line.split()
                    # local_address is HEXIP:HEXPORT; state 0A is LISTEN; the inode is column 10
                    if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(cols[9])
        except (OSError, ValueError):
            continue
    return inodes


def listener_pid(url: str) -> int | None:
    """The process listening at ``url``'s port when the server runs on this machine (loopback)
    and this user may see its sockets (Linux); None otherwise."""
    import os
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if not host.startswith(_LOOPBACK):
        return None
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not wanted:
        return None
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return None
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:  # gone meanwhile, or another user's
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") in wanted:
                    return pid
            except OSError:
                continue
    return None


def suspended(pid: int) -> bool:
    """Whether process ``pid`` is stopped (SIGSTOP, Ctrl+Z, a debugger): it answers nothing until
    it is continued. A process that runs, or one that cannot be read, is not."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return False
    fields = stat.rpartition(")")[2].split()  # the name in parentheses may hold spaces
    return bool(fields) and fields[0] in ("T", "t")


def unusable_answer(exc: BaseException, url: str) -> Exception | None:
    """A model server's stream that could not be read (a line that is not JSON, a message that
    does not fit the protocol, e.g. tool-call arguments that are not an object) as one line;
    None for any other exception."""
    import json

    from netops.errors import ModelProtocolError

    hint = "the answer is incomplete; check the model server's logs and ask again"
    if isinstance(exc, json.JSONDecodeError):
        return ModelProtocolError(f"the model stream from {url} sent a line that is not JSON ({exc.msg})", hint=hint)
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        # Python reads no integer of more than 4300 digits (a JSON parser's limit, not a JSON error)
        return ModelProtocolError(f"the model stream from {url} sent a number too long to read (over 4300 digits)",
                                  hint=hint)
    try:
        from pydantic import ValidationError
    except ImportError:  # pragma: no cover - pydantic is a dependency
        return None
    if isinstance(exc, ValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "message"
        return ModelProtocolError(f"the model at {url} sent a malformed message: {where}: "
                                  f"{first.get('msg', 'invalid')}", hint=hint)
    return None

