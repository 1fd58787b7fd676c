"""The real SmolLM2-135M on questions about nothing netops can read (model17's blind trial on lab 8:
"what's the weather in Paris tomorrow?" -> "a mix of sunny and cloudy"; "hi, how are you?" -> a
letter signed "Alex"). Helper "model19": the person gets a plain line of what netops answers, and
the notice says the model was not asked. No lab needed (nothing is read)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.model_real.conftest import base_env, run_netops

INVENTORY = """\
hosts:
  r1: {hostname: 127.0.0.1, port: 1, platform: frr, username: nobody}
  r2: {hostname: 127.0.0.1, port: 1, platform: frr, username: nobody}
"""


@pytest.fixture
def env(llama, tmp_path: Path) -> dict[str, str]:
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    e = base_env(tmp_path / "home")
    e.update(NETOPS_OPENAI_BASE_URL=llama.base_url, NETOPS_MODEL=llama.alias, NETOPS_INVENTORY=str(inv),
             NETOPS_KB__EMBEDDER="none")
    return e


@pytest.mark.parametrize("question", ["what's the weather in Paris tomorrow?", "hi, how are you?"])
def test_a_question_about_nothing_netops_reads_gets_what_netops_answers(env, question):
    out = run_netops(["ask", "--json", question], env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout)
    assert got["mode"] == "agent", got.get("notice")
    assert got["answer"].startswith("netops answers questions about your network"), got["answer"]
    assert "bgp neighbours on r1" in got["answer"] and got["abstained"]
    assert "the model was not asked" in (got["notice"] or "")
