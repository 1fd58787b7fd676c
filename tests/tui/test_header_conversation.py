"""The header names the conversation as soon as it exists, in a real terminal (tmux)."""

from __future__ import annotations

import re

from netops.testing.ollama_server import Reply, ScriptedOllama
from tests.tui.terminal import TmuxChat, needs_tmux, small_kb

pytestmark = needs_tmux


def test_the_header_names_the_conversation_while_its_first_answer_streams(tmp_path):
    """trial17: the header said "new conversation" all through the first answer's stream and
    named the conversation only once the answer had finished; the conversation existed (the
    library creates it before it answers) and a Ctrl+Q then already kept it."""
    small_kb(tmp_path)
    slow = Reply(content="Slowly FIRST-WORDS " + "and more words " * 40 + "THE END.", piece_chars=8, piece_delay=0.1)
    with ScriptedOllama([slow]) as srv, TmuxChat(tmp_path, env={"NETOPS_OLLAMA_URL": srv.url}) as chat:
        chat.started()
        chat.type("hello, is everything fine?")
        chat.keys("Enter")
        pane = chat.wait(lambda p: "FIRST-WORDS" in p and p, what="the answer's first words")
        head = pane.splitlines()[0]
        assert "THE END." not in pane, "the answer finished before the header was read: slow it down"
        assert "new conversation" not in head and re.search(r"conversation [0-9a-f]{8,}", head), head
