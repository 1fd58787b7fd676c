"""OllamaBackend and `netops models` against the scripted server (and against nothing)."""

from __future__ import annotations

import json

import pytest

from netops.cli.main import main
from netops.errors import ModelUnavailable, NotFoundError
from netops.model.base import backend_for
from netops.model.ollama import OllamaBackend


def test_backend_lists_models_with_details(scripted, settings):
    b = backend_for(settings.model_copy(update={"ollama_url": scripted.url}))
    assert isinstance(b, OllamaBackend)
    (m,) = b.list_models()
    assert (m.family, m.parameter_size, m.context_length, m.supports_tools) == ("qwen2", "7.6B", 32768, True)
    assert b.status().reachable and b.status().models == [m.name]


def test_backend_errors_are_translated(scripted, settings):
    with pytest.raises(NotFoundError) as e:
        OllamaBackend(settings.model_copy(update={"ollama_url": scripted.url})).show("missing:1b")
    assert "netops models pull missing:1b" in e.value.hint
    down = OllamaBackend(settings)  # conftest points at port 9: nothing listens
    assert not down.status(timeout=0.5).reachable
    with pytest.raises(ModelUnavailable) as e:
        down.list_models()
    assert "ollama serve" in e.value.hint


def test_models_list_json_and_pull(scripted, monkeypatch, capsys):
    monkeypatch.setenv("NETOPS_OLLAMA_URL", scripted.url)
    assert main(["models", "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["models"][0]["capabilities"] == ["completion", "tools"]
    assert main(["models", "pull", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "success"
    assert main(["models", "pull", "nope:1b"]) == 4
    assert "error:" in capsys.readouterr().err


def test_models_list_without_ollama_exits_3(capsys):
    assert main(["models", "list"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: no model endpoint") and "hint: start Ollama" in err
