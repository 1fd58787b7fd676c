"""The real SmolLM2-135M on questions about devices that netops answers without an SSH read
(model17's blind trial on lab 8): the audit log's "what changed?" and a device question no getter
covers. No lab needed: an inventory of three routers nobody connects to, a lexical-only index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.model_real.conftest import base_env, run_netops

INVENTORY = """\
hosts:
  r1: {hostname: 127.0.0.1, port: 1, platform: frr, username: nobody}
  r2: {hostname: 127.0.0.1, port: 1, platform: frr, username: nobody}
  r3: {hostname: 127.0.0.1, port: 1, platform: frr, username: nobody}
"""


@pytest.fixture
def env(llama, tmp_path: Path) -> dict[str, str]:
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    e = base_env(tmp_path / "home")
    e.update(NETOPS_OPENAI_BASE_URL=llama.base_url, NETOPS_MODEL=llama.alias, NETOPS_INVENTORY=str(inv),
             NETOPS_KB__EMBEDDER="none")
    return e


def ask_json(question: str, env: dict[str, str]) -> dict:
    out = run_netops(["ask", "--json", question], env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_what_changed_shows_the_audit_logs_answer(env):
    """SmolLM2 answered "The source is not a document, but the answer to the question about changes
    made on r2 can be found in [1]." and the check called it supported: the log's finding never
    reached the person."""
    got = ask_json("what changed on r2?", env)
    assert got["grounding"]["kind"] == "device" and got["evidence"][0]["kind"] == "audit"
    assert "no change recorded on r2" in got["answer"], got["answer"]


def test_a_device_question_nothing_was_read_for_carries_no_invented_value(env):
    """No getter reads a power supply's serial number: SmolLM2 said "The serial number of a device is
    2018-03-24." Whatever it says now, no value the question did not give is shown as the answer."""
    q = "what is the serial number of r2's power supply?"
    got = ask_json(q, env)
    if got["evidence"]:
        pytest.skip(f"netops read something for this question now: {got['evidence']}")
    text = got["answer"].split("_No evidence")[0]
    said = set(re.findall(r"[\w./:()-]+", q.lower())) | {"r1", "r2", "r3"}
    values = [w for w in re.findall(r"[\w./:()-]*\d[\w./:()-]*", re.sub(r"\[\d+\]", " ", text))
              if w.strip("./:()-").lower() not in said and w.lower() not in said]
    assert not values, got["answer"]
