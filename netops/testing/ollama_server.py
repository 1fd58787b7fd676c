"""A scripted Ollama server: real HTTP on 127.0.0.1, Ollama's wire protocol, canned answers.

Use it to test anything that talks to a model without a model::

    from netops.testing.ollama_server import ScriptedOllama, say, tool_call

    with ScriptedOllama([tool_call("kb_search", query="BGP hold time"), say("It is 90 s [1].")]) as srv:
        settings = load_settings(ollama_url=srv.url)
        ...
        assert srv.requests[1].tool_results()   # what the client sent back

Each ``POST /api/chat`` consumes the next *turn* of the script. A turn is a :class:`Reply`
or a function ``(ChatRequest) -> Reply`` that can look at what the client sent (messages,
tools). Misbehaviour local models show is expressed per reply: a tool call printed as JSON
text (:func:`text_tool_call`), arguments of the wrong type (just pass them), an unknown tool,
a stream dropped mid-answer (``drop_after``) or mid-tool-call (``cut_tool_call``), a corrupt
stream line (``bad_line``), a connection closed before any answer (``hangup``), latency (``latency``). :func:`obeys_injection`
builds a model that follows instructions planted in tool output.

Endpoints: ``/api/chat`` (NDJSON stream or one object), ``/api/tags``, ``/api/show`` (with
``capabilities`` and ``model_info`` context length), ``/api/embed``, ``/api/pull`` (streamed
progress), ``/api/version``, ``/api/ps``, ``GET /``, plus the OpenAI-compatible
``/v1/models`` and ``/v1/chat/completions`` (SSE) that Ollama also serves.
"""

from __future__ import annotations

import hashlib
import json
import math
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from netops.agent.prompts import REVIEWER_MARK

__all__ = [
    "ChatRequest",
    "FakeModel",
    "Reply",
    "ScriptedOllama",
    "obeys_injection",
    "say",
    "text_tool_call",
    "tool_call",
]


@dataclass(frozen=True)
class FakeModel:
    """A model the server pretends to have."""

    name: str = "qwen2.5:7b-instruct"
    family: str = "qwen2"
    parameter_size: str = "7.6B"
    quantization_level: str = "Q4_K_M"
    size: int = 4_683_087_332
    context_length: int = 32768
    capabilities: tuple[str, ...] = ("completion", "tools")

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.name.encode()).hexdigest()

    def details(self) -> dict[str, Any]:
        return {
            "parent_model": "",
            "format": "gguf",
            "family": self.family,
            "families": [self.family],
            "parameter_size": self.parameter_size,
            "quantization_level": self.quantization_level,
        }


@dataclass
class Reply:
    """What the scripted model says in one ``/api/chat`` turn."""

    content: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    """``[{"name": ..., "arguments": {...}}]``; arguments are sent as a JSON object."""
    drop_after: int | None = None
    """Close the connection after this many content pieces, without the final ``done`` line."""
    latency: float = 0.0
    """Seconds to wait before the first byte."""
    piece_chars: int = 16
    """Content is streamed in pieces of this many characters."""
    piece_delay: float = 0.0
    """Seconds between streamed pieces (a slow model, e.g. to cancel mid-stream)."""
    status: int = 200
    error: str | None = None
    """Answer with this HTTP status and ``{"error": ...}`` instead."""
    bad_line: bytes | None = None
    """A stream line that is not JSON (a corrupt chunk), sent after the content pieces."""
    cut_tool_call: bool = False
    """Send only the first half of the tool-call line, then close the connection."""
    hangup: bool = False
    """Close the connection without sending any response at all."""
    raw: bytes | None = None
    """Send exactly these bytes as the streamed body (NDJSON lines on ``/api/chat``, SSE events
    on ``/v1/chat/completions``) instead of building a stream from the fields above: invalid
    UTF-8, lines no real server writes, tool calls split in odd places."""


@dataclass
class ChatRequest:
    """One ``/api/chat`` (or ``/v1/chat/completions``) request as the server received it."""

    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    stream: bool
    options: dict[str, Any]
    path: str = "/api/chat"

    def tool_names(self) -> list[str]:
        return [t.get("function", {}).get("name", "") for t in self.tools]

    def tool_results(self) -> list[str]:
        """Contents of ``role: tool`` messages, oldest first."""
        return [str(m.get("content") or "") for m in self.messages if m.get("role") == "tool"]

    def last_user(self) -> str:
        for m in reversed(self.messages):
            if m.get("role") == "user":
                return str(m.get("content") or "")
        return ""

    def system(self) -> str:
        return "\n".join(str(m.get("content") or "") for m in self.messages if m.get("role") == "system")

    def prompt_chars(self) -> int:
        return len(json.dumps(self.messages)) + len(json.dumps(self.tools))


Turn = Reply | Callable[[ChatRequest], Reply]


def say(text: str, **kw: Any) -> Reply:
    """A plain answer."""
    return Reply(content=text, **kw)


def tool_call(name: str, /, **arguments: Any) -> Reply:
    """A proper structured tool call."""
    return Reply(tool_calls=[{"name": name, "arguments": arguments}])


def text_tool_call(name: str, /, **arguments: Any) -> Reply:
    """The tool call printed as JSON in ``content`` (what many small local models do)."""
    return Reply(content=json.dumps({"name": name, "arguments": arguments}))


def obeys_injection(marker: str, then: Reply, otherwise: Reply) -> Callable[[ChatRequest], Reply]:
    """A gullible model: if any tool result contains ``marker`` it does ``then``."""

    def turn(req: ChatRequest) -> Reply:
        seen = any(marker.lower() in r.lower() for r in req.tool_results())
        return then if seen else otherwise

    return turn


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _embedding(text: str, dim: int) -> list[float]:
    """Deterministic, normalised pseudo-embedding (same text -> same vector)."""
    seed = hashlib.sha256(text.encode()).digest()
    raw = [((seed[i % len(seed)] + i * 31) % 251) / 125.0 - 1.0 for i in range(dim)]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    return [x / norm for x in raw]


class _Dropped(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Small NDJSON lines + Nagle + delayed ACK would add ~40 ms per request.
    disable_nagle_algorithm = True
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        return

    # -- plumbing --------------------------------------------------------------------------
    def _body(self) -> dict[str, Any]:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return {}

    def _json(self, obj: Any, status: int = 200) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _start_chunked(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_chunked(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        """Cut the connection mid-body, as a crashed server or a broken network would."""
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True
        raise _Dropped()

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (_Dropped, BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- routes ----------------------------------------------------------------------------
    def do_HEAD(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server.owner
        if self.path in ("/", ""):
            data = b"Ollama is running"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif self.path == "/api/version":
            self._json({"version": srv.version})
        elif self.path == "/api/tags":
            self._json({"models": [srv._tag(m) for m in srv.models.values()]})
        elif self.path == "/api/ps":
            self._json({"models": []})
        elif self.path == "/v1/models":
            self._json({"object": "list", "data": [
                {"id": m.name, "object": "model", "created": 0, "owned_by": "library"} for m in srv.models.values()
            ]})
        else:
            self._json({"error": "404 page not found"}, 404)

    def do_POST(self) -> None:  # noqa: N802
        srv = self.server.owner
        body = self._body()
        route = {
            "/api/chat": self._chat,
            "/api/show": self._show,
            "/api/embed": self._embed,
            "/api/pull": self._pull,
            "/v1/chat/completions": self._openai_chat,
        }.get(self.path)
        if route is None:
            self._json({"error": "404 page not found"}, 404)
            return
        srv.hits.append(self.path)
        route(body)

    def _show(self, body: dict[str, Any]) -> None:
        srv = self.server.owner
        name = body.get("model") or body.get("name") or ""
        m = srv.models.get(name) or srv.models.get(f"{name}:latest")
        if m is None:
            self._json({"error": f"model '{name}' not found"}, 404)
            return
        self._json({
            "license": "Apache License 2.0",
            "modelfile": f"FROM {m.name}\n",
            "parameters": "temperature 0.7",
            "template": "{{ .Prompt }}",
            "details": m.details(),
            "model_info": {
                "general.architecture": m.family,
                "general.parameter_count": 7_615_616_512,
                f"{m.family}.context_length": m.context_length,
                f"{m.family}.embedding_length": 3584,
            },
            "capabilities": list(m.capabilities),
            "modified_at": _now(),
        })

    def _embed(self, body: dict[str, Any]) -> None:
        srv = self.server.owner
        inputs = body.get("input", "")
        texts = [inputs] if isinstance(inputs, str) else list(inputs)
        self._json({
            "model": body.get("model", ""),
            "embeddings": [_embedding(t, srv.embed_dim) for t in texts],
            "total_duration": 1000,
            "load_duration": 0,
            "prompt_eval_count": sum(len(t) // 4 + 1 for t in texts),
        })

    def _pull(self, body: dict[str, Any]) -> None:
        srv = self.server.owner
        name = body.get("model") or body.get("name") or ""
        stream = body.get("stream", True)
        known = srv.pullable.get(name)
        if known is None:
            if not stream:
                self._json({"error": "pull model manifest: file does not exist"}, 500)
                return
            self._start_chunked("application/x-ndjson")
            self._chunk(b'{"status":"pulling manifest"}\n')
            self._chunk(b'{"error":"pull model manifest: file does not exist"}\n')
            self._end_chunked()
            return
        total = known.size
        steps = [{"status": "pulling manifest"}]
        for i in range(1, srv.pull_steps + 1):
            steps.append({"status": f"pulling {known.digest[:12]}", "digest": f"sha256:{known.digest}",
                          "total": total, "completed": total * i // srv.pull_steps})
        steps += [{"status": "verifying sha256 digest"}, {"status": "writing manifest"}, {"status": "success"}]
        srv.models[known.name] = known
        if not stream:
            self._json(steps[-1])
            return
        self._start_chunked("application/x-ndjson")
        for s in steps:
            self._chunk(json.dumps(s).encode() + b"\n")
        self._end_chunked()

    def _next_reply(self, req: ChatRequest) -> Reply:
        srv = self.server.owner
        if srv.review is not None and not req.tools and REVIEWER_MARK in req.system():
            with srv._lock:
                srv.review_requests.append(req)
            return srv.review(req) if callable(srv.review) else srv.review
        with srv._lock:
            srv.requests.append(req)
            if not srv._script:
                return Reply(status=500, error="scripted ollama: script exhausted")
            turn = srv._script.pop(0)
        return turn(req) if callable(turn) else turn

    def _chat(self, body: dict[str, Any]) -> None:
        srv = self.server.owner
        model = body.get("model", "")
        req = ChatRequest(model=model, messages=list(body.get("messages") or []), tools=list(body.get("tools") or []),
                          stream=body.get("stream", True) is not False, options=dict(body.get("options") or {}))
        if model not in srv.models:
            self._json({"error": f"model \"{model}\" not found, try pulling it first"}, 404)
            srv.requests.append(req)
            return
        reply = self._next_reply(req)
        if reply.latency or srv.latency:
            time.sleep(reply.latency or srv.latency)
        if reply.hangup:
            self._drop()
        if reply.error:
            self._json({"error": reply.error}, reply.status)
            return
        tool_calls = [{"function": {"name": c["name"], "arguments": c.get("arguments", {})}} for c in reply.tool_calls]
        prompt_tokens = req.prompt_chars() // 4
        final = {
            "model": model, "created_at": _now(), "done": True, "done_reason": "stop",
            "total_duration": 1_000_000, "load_duration": 0,
            "prompt_eval_count": prompt_tokens, "prompt_eval_duration": 1000,
            "eval_count": max(1, len(reply.content) // 4), "eval_duration": 1000,
        }
        if not req.stream:
            msg: dict[str, Any] = {"role": "assistant", "content": reply.content}
            if tool_calls:
                msg["tool_calls"] = tool_calls
            self._json({**final, "message": msg})
            return
        self._start_chunked("application/x-ndjson")
        if reply.raw is not None:
            self._chunk(reply.raw)
            self._end_chunked()
            return
        try:
            self._stream_reply(reply, model, tool_calls, final)
        except (BrokenPipeError, ConnectionResetError):
            with srv._lock:
                srv.hangups += 1
            self.close_connection = True

    def _stream_reply(self, reply: Reply, model: str, tool_calls: list[dict[str, Any]],
                      final: dict[str, Any]) -> None:
        text = reply.content
        pieces = [text[i:i + reply.piece_chars] for i in range(0, len(text), reply.piece_chars)]
        for n, piece in enumerate(pieces):
            if reply.drop_after is not None and n >= reply.drop_after:
                self._drop()
            if n and reply.piece_delay:
                time.sleep(reply.piece_delay)
            line = {"model": model, "created_at": _now(), "message": {"role": "assistant", "content": piece}, "done": False}
            self._chunk(json.dumps(line).encode() + b"\n")
        if reply.drop_after is not None:
            self._drop()
        if reply.bad_line is not None:
            self._chunk(reply.bad_line + b"\n")
        if tool_calls:
            line = {"model": model, "created_at": _now(),
                    "message": {"role": "assistant", "content": "", "tool_calls": tool_calls}, "done": False}
            data = json.dumps(line).encode()
            if reply.cut_tool_call:
                self._chunk(data[: len(data) // 2])
                self._drop()
            self._chunk(data + b"\n")
        self._chunk(json.dumps({**final, "message": {"role": "assistant", "content": ""}}).encode() + b"\n")
        self._end_chunked()

    def _openai_chat(self, body: dict[str, Any]) -> None:
        srv = self.server.owner
        model = body.get("model", "")
        req = ChatRequest(model=model, messages=list(body.get("messages") or []), tools=list(body.get("tools") or []),
                          stream=bool(body.get("stream", False)), options={}, path="/v1/chat/completions")
        if model not in srv.models:
            self._json({"error": {"message": f"model \"{model}\" not found", "type": "api_error"}}, 404)
            srv.requests.append(req)
            return
        reply = self._next_reply(req)
        if reply.latency or srv.latency:
            time.sleep(reply.latency or srv.latency)
        if reply.hangup:
            self._drop()
        if reply.error:
            self._json({"error": {"message": reply.error, "type": "api_error"}}, reply.status)
            return
        cid = f"chatcmpl-{uuid.uuid4().hex[:8]}"
        calls = [{"id": f"call_{uuid.uuid4().hex[:8]}", "type": "function",
                  "function": {"name": c["name"], "arguments": json.dumps(c.get("arguments", {}))}}
                 for c in reply.tool_calls]
        usage = {"prompt_tokens": req.prompt_chars() // 4, "completion_tokens": max(1, len(reply.content) // 4)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        finish = "tool_calls" if calls else "stop"
        if not req.stream:
            msg: dict[str, Any] = {"role": "assistant", "content": reply.content}
            if calls:
                msg["tool_calls"] = calls
            self._json({"id": cid, "object": "chat.completion", "created": int(time.time()), "model": model,
                        "choices": [{"index": 0, "message": msg, "finish_reason": finish}], "usage": usage})
            return
        self._start_chunked("text/event-stream")
        if reply.raw is not None:
            self._chunk(reply.raw)
            self._end_chunked()
            return

        def event(delta: dict[str, Any], finish_reason: str | None = None) -> None:
            obj = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
            self._chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")

        text = reply.content
        pieces = [text[i:i + reply.piece_chars] for i in range(0, len(text), reply.piece_chars)]
        event({"role": "assistant", "content": ""})
        for n, piece in enumerate(pieces):
            if reply.drop_after is not None and n >= reply.drop_after:
                self._drop()
            event({"content": piece})
        if reply.drop_after is not None:
            self._drop()
        if reply.bad_line is not None:
            self._chunk(b"data: " + reply.bad_line + b"\n\n")
        if calls and reply.cut_tool_call:
            data = json.dumps({"choices": [{"index": 0, "delta": {"tool_calls": calls}}]}).encode()
            self._chunk(b"data: " + data[: len(data) // 2])
            self._drop()
        if calls:
            event({"tool_calls": [{"index": i, **c} for i, c in enumerate(calls)]})
        event({}, finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            obj = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                   "choices": [], "usage": usage}
            self._chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")
        self._chunk(b"data: [DONE]\n\n")
        self._end_chunked()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "ScriptedOllama"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up is normal here (tests cancel streams); never print tracebacks.
        return


class ScriptedOllama:
    """A threaded HTTP server on a free 127.0.0.1 port that plays a script of chat turns."""

    def __init__(
        self,
        script: Iterable[Turn] = (),
        *,
        models: Iterable[FakeModel] | None = None,
        pullable: Iterable[FakeModel] = (),
        latency: float = 0.0,
        embed_dim: int = 16,
        pull_steps: int = 5,
        version: str = "0.12.0",
        review: Turn | None = None,
    ) -> None:
        self._script: list[Turn] = list(script)
        self.review: Turn | None = review if review is not None else say('{"verdict": "ok", "findings": []}')
        """How the reviewer role answers (netops' second-opinion calls are recognised by their
        prompt and answered from here, so they never consume the main script). None sends them
        through the main script like any other request."""
        self.review_requests: list[ChatRequest] = []
        self._lock = threading.Lock()
        model_list = list(models) if models is not None else [FakeModel()]
        self.models: dict[str, FakeModel] = {m.name: m for m in model_list}
        self.pullable: dict[str, FakeModel] = {m.name: m for m in [*model_list, *pullable]}
        self.latency = latency
        self.embed_dim = embed_dim
        self.pull_steps = pull_steps
        self.version = version
        self.requests: list[ChatRequest] = []
        """Every chat request received, in order (inspect what the client sent)."""
        self.hits: list[str] = []
        self.hangups = 0
        """Streamed chat answers the client hung up on before the end (e.g. a cancelled call)."""
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- script ----------------------------------------------------------------------------
    def push(self, *turns: Turn) -> None:
        """Append turns to the script."""
        with self._lock:
            self._script.extend(turns)

    @property
    def remaining(self) -> int:
        return len(self._script)

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("ScriptedOllama is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ScriptedOllama":
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="scripted-ollama", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def stop_listening(self) -> None:
        """Refuse new connections from now on; requests in progress go on (a server shutting
        down gracefully: uvicorn on SIGTERM, as ``kill PID`` of a llama.cpp server does). Safe
        to call from a turn function; :meth:`stop` still ends the rest."""
        httpd = self._httpd
        if httpd is not None:
            httpd.shutdown()  # the accept loop ends (within its poll interval) ...
            httpd.socket.close()  # ... and nothing listens on the port any more

    def __enter__(self) -> "ScriptedOllama":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _tag(self, m: FakeModel) -> dict[str, Any]:
        return {"name": m.name, "model": m.name, "modified_at": _now(), "size": m.size,
                "digest": m.digest, "details": m.details()}
