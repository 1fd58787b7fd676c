"""Model clients share one TLS context: httpx loads the CA bundle for every client it builds
(~50 ms of CPU), and a question builds several (the probe, the chat model's sync and async
clients), per backend. The shared context still verifies certificates and host names."""

from __future__ import annotations

import ssl

import httpx._transports.default as transports
import pytest

from netops.model.base import tls_context
from netops.model.ollama import OllamaBackend
from netops.model.openai_compat import OpenAICompatBackend


@pytest.fixture
def built(monkeypatch):
    """How many TLS contexts httpx builds from here on (a client given one builds none)."""
    count = []
    real = transports.create_ssl_context

    def create(*a, **k):
        if not isinstance(k.get("verify", True), ssl.SSLContext):
            count.append(1)
        return real(*a, **k)

    monkeypatch.setattr(transports, "create_ssl_context", create)
    return count


def test_backends_build_no_tls_context_of_their_own(settings, scripted, built):
    tls_context()  # the one shared context may be built once per process
    built.clear()
    for _ in range(2):  # a new backend per question / per session
        ollama = OllamaBackend(settings.model_copy(update={"ollama_url": scripted.url}))
        assert ollama.status().reachable
        ollama.chat_model("qwen2.5:7b-instruct")
        ollama.list_models()
        compat = OpenAICompatBackend(settings.model_copy(update={"openai_base_url": scripted.url + "/v1"}))
        compat.status()
        compat.chat_model("qwen2.5:7b-instruct")
    assert built == []


def test_the_shared_context_verifies_certificates_and_host_names():
    ctx = tls_context()
    assert ctx is tls_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
