"""adv17: an error quotes what it failed on (a model server's text, a made-up tool name): no
escape sequence or lone surrogate of theirs reaches the line the CLI prints."""

from __future__ import annotations

from netops.agent.events import ToolStartEvent
from netops.agent.tools import ToolCallRecord
from netops.errors import ModelError, NetopsError


def test_an_error_message_and_hint_are_printable():
    exc = ModelError("Ollama answered an error: \x1b]0;owned\x07crashed\x1b[2J\x9b31m \udcff", hint="see\x1b[8m logs")
    assert exc.message == str(exc) == "Ollama answered an error: ]0;ownedcrashed[2J31m "
    assert exc.hint == "see[8m logs"
    assert NetopsError("line one\nline two").message == "line one\nline two"


def test_a_tool_name_with_escape_sequences_is_shown_without_them():
    assert ToolStartEvent("\x1b]0;x\x07kb_search\x1b[2J", {}).tool == "]0;xkb_search[2J"
    rec = ToolCallRecord("\x9b2Jshow", {}, False, error="unknown tool \x1b[2J", summary="unknown tool \x1b[2J")
    assert rec.tool == "2Jshow" and rec.error == rec.summary == "unknown tool [2J"
