"""The README's llama.cpp section names real server options and real netops settings."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    return README.read_text(encoding="utf-8").split("## A small local model with llama.cpp", 1)[1].split("\n## ", 1)[0]


def test_server_command_uses_options_llama_cpp_server_accepts():
    pytest.importorskip("llama_cpp.server.settings", reason="llama-cpp-python[server] is not installed")
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    cmd = re.search(r"python -m llama_cpp\.server (.*?)&", _section(), re.S)[1].replace("\\\n", " ")
    opts = [a[2:] for a in shlex.split(cmd) if a.startswith("--")]
    known = set(ModelSettings.model_fields) | set(ServerSettings.model_fields)
    assert opts and set(opts) <= known, set(opts) - known


def test_environment_names_are_real_settings(monkeypatch):
    from netops.settings import load_settings

    env = dict(re.findall(r"(NETOPS_[A-Z_]+)=([^\s`]+)", _section()))
    assert {"NETOPS_OPENAI_BASE_URL", "NETOPS_MODEL", "NETOPS_GROUNDING_SOURCES"} <= set(env)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s = load_settings()
    assert s.openai_base_url == env["NETOPS_OPENAI_BASE_URL"] and s.model == env["NETOPS_MODEL"]
    assert s.grounding_sources == int(env["NETOPS_GROUNDING_SOURCES"])
