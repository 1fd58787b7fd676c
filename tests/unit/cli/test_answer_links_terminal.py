"""adv34: a link in an answer shows its target at a terminal. Rich drew ``[RFC 4271 §4.2](URL)``
as an OSC 8 hyperlink whose shown text hid the address, so a model (or a document or a device
description it quoted) could put any address behind a citation-looking label in `netops ask`
and `netops conversations show` (the chat already wrote links out). Run on a real
pseudo-terminal, as a person reads it."""

from __future__ import annotations

import os
import re

from netops.store.history import History
from netops.testing.ollama_server import ScriptedOllama, say
from tests.unit.cli.test_conversations_show_terminal import REPO, _on_a_terminal

EVIL = "https://evil.example/rfc4271"
ANSWER = (f"The hold time MUST be zero or at least three seconds, see [RFC 4271 §4.2]({EVIL}) "
          f"and <{EVIL}/auto>. ![diagram](https://evil.example/pixel.png)")


def _env(home) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NETOPS_HOME": str(home), "TERM": "xterm-256color",
            "COLUMNS": "200", "NETOPS_KB__EMBEDDER": "none", "NETOPS_INVENTORY": str(home / "inventory.yaml")}


def _assert_targets_shown(shown: str) -> None:
    assert "\x1b]8;" not in shown, "an OSC 8 hyperlink reached the terminal"
    flat = "".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown).split())  # colours out, however it was folded
    assert "RFC4271§4.2(" + EVIL + ")" in flat, shown


def test_conversations_show_writes_a_links_target_out(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with History(home / "history.sqlite") as h:
        cid = h.new_conversation("hold time?")
        h.append(cid, "user", "hold time?")
        h.append(cid, "assistant", ANSWER)
    _assert_targets_shown(_on_a_terminal(["conversations", "show", cid], _env(home)))


def test_ask_writes_a_links_target_out_while_streaming_and_at_the_end(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "inventory.yaml").write_text("hosts:\n  r1: {hostname: 127.0.9.1, platform: frr}\n")
    with ScriptedOllama([say(ANSWER)] * 4) as srv:
        env = {**_env(home), "NETOPS_OLLAMA_URL": srv.url}
        shown = _on_a_terminal(["ask", "what is the minimum BGP hold time?"], env)
    assert srv.requests, shown
    _assert_targets_shown(shown)
