from __future__ import annotations

import ollama
import pytest

from netops.testing.ollama_server import ScriptedOllama


@pytest.fixture
def scripted():
    with ScriptedOllama() as srv:
        yield srv


@pytest.fixture
def scripted_pair(scripted):
    return scripted, ollama.Client(host=scripted.url)
