"""`netops ask` as a real process against a misbehaving model: one error line and a non-zero exit,
never a traceback; secrets pasted into the question or written by the model reach neither the
screen nor the stored conversation nor the audit log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netops.testing.ollama_server import Reply, ScriptedOllama, say

REPO = Path(__file__).resolve().parents[3]


def _env(srv, agent_settings):
    return {**os.environ, "NETOPS_OLLAMA_URL": srv.url, "NETOPS_KB__EMBEDDER": "none",
            "NETOPS_INVENTORY": str(agent_settings.inventory), "PYTHONPATH": str(REPO)}


def _netops(env, tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "netops", *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("reply,exit_code,said", [
    (Reply(content="The hold time is", bad_line=b"{oops"), 1, "not JSON"),
    (Reply(hangup=True), 1, "broke off"),
    (Reply(content="spam " * 10_000, piece_chars=8192), 1, "longer than"),
])
def test_a_broken_model_is_one_error_line_and_an_exit_code(agent_settings, tmp_path, reply, exit_code, said):
    with ScriptedOllama([reply]) as srv:
        env = _env(srv, agent_settings)
        done = _netops(env, tmp_path, "ask", "hello there")
    assert done.returncode == exit_code, done.stderr
    assert "Traceback" not in done.stderr
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and said in errors[0]


def test_secrets_pasted_or_echoed_stay_off_screen_history_and_audit(agent_settings, tmp_path):
    question = ("why does r1 not peer with 198.51.100.2?\n"
                " neighbor 198.51.100.2 password Sup3rS3cret!\n snmp-server community TopCommunity77 RO")
    echo = "Check that both sides use:\n neighbor 198.51.100.2 password Ech0edS3cret!"
    with ScriptedOllama([say(echo), say(echo)]) as srv:
        env = _env(srv, agent_settings)
        human = _netops(env, tmp_path, "ask", question)
        as_json = _netops(env, tmp_path, "ask", "--json", question)
        seen_by_model = json.dumps([r.messages for r in srv.requests])
    listed = _netops(env, tmp_path, "conversations", "list", "--json")
    stored = "".join(_netops(env, tmp_path, "conversations", "show", c["id"], "--json").stdout
                     for c in json.loads(listed.stdout)["conversations"])
    audit = _netops(env, tmp_path, "audit", "list", "--json").stdout
    assert human.returncode == 0 and as_json.returncode == 0, human.stderr
    assert "198.51.100.2" in seen_by_model and "password <redacted>" in stored
    for secret in ("Sup3rS3cret!", "TopCommunity77", "Ech0edS3cret!"):
        for where, text in (("model", seen_by_model), ("screen", human.stdout + human.stderr),
                            ("json", as_json.stdout), ("history", stored), ("audit", audit)):
            assert secret not in text, (secret, where)
