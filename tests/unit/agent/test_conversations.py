"""Conversations by id: open, continue, list, search, delete (library and CLI)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from netops.errors import NotFoundError
from netops.testing.ollama_server import say


def test_conversation_api_round_trip(scripted, make_session):
    from netops.assistant import Assistant

    session = make_session()
    scripted.push(say("Hold time is 90 s by default."), say("OSPF dead is 40 s."), say("Keepalive is a third of it."))
    a = Assistant(session)
    first = a.ask("what is the BGP hold timer?")
    other = a.ask("OSPF dead interval on r2?")  # a device question: the KB (RFC 4271 only) would abstain
    cid = first.conversation_id
    assert cid and other.conversation_id != cid
    second = a.ask("and the keepalive?", conversation_id=cid)
    assert second.conversation_id == cid
    sent = [m["content"] for m in scripted.requests[2].messages if m["role"] in ("user", "assistant")]
    assert sent[0] == "what is the BGP hold timer?" and "Question: and the keepalive?" in sent[-1]  # with its sources
    assert "OSPF dead interval on r2?" not in sent                    # the other conversation is not mixed in

    conv = session.conversation(cid)
    assert [m.role for m in conv.messages] == ["user", "assistant", "user", "assistant"]
    assert conv.message_count == 4 and conv.title == "what is the BGP hold timer?"
    listed = session.conversations()
    assert [c.id for c in listed] == [cid, other.conversation_id]   # newest activity first
    assert [c.id for c in session.conversations(query="keepalive")] == [cid]
    assert [c.id for c in session.conversations(query="OSPF")] == [other.conversation_id]
    assert session.conversations(query='"unbalanced AND (') == []      # no FTS syntax leaks through

    session.delete_conversation(cid)
    with pytest.raises(NotFoundError):
        session.conversation(cid)
    with pytest.raises(NotFoundError):
        a.ask("continue?", conversation_id=cid)
    assert session.conversations(query="keepalive") == []
    with pytest.raises(NotFoundError):
        session.delete_conversation(cid)


def test_new_conversation_then_ask_into_it(scripted, make_session):
    session = make_session()
    cid = session.new_conversation("maintenance window 42")
    scripted.push(say("ok"))
    answer = session.assistant().ask("hello", conversation_id=cid)
    assert answer.conversation_id == cid
    assert [c.title for c in session.conversations(query="maintenance")] == ["maintenance window 42"]


def test_old_history_database_is_migrated_and_searchable(tmp_path):
    from netops.store.history import History

    path = tmp_path / "history.db"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE conversations (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                                    title TEXT NOT NULL, model TEXT);
        CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL
            REFERENCES conversations(id) ON DELETE CASCADE, role TEXT NOT NULL, content TEXT NOT NULL,
            created_at TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}');
        INSERT INTO conversations VALUES ('abc', '2026-01-01', '2026-01-01', 'old one', NULL);
        INSERT INTO messages(conversation_id, role, content, created_at) VALUES ('abc', 'user', 'graceful restart', 'x');
        PRAGMA user_version = 1;
    """)
    old.close()
    with History(path) as h:
        assert [c.id for c in h.conversations(query="graceful")] == ["abc"]


@pytest.fixture
def cli_home(agent_settings, monkeypatch, scripted):
    monkeypatch.setenv("NETOPS_OLLAMA_URL", scripted.url)
    monkeypatch.setenv("NETOPS_INVENTORY", str(agent_settings.inventory))
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    return scripted


def test_conversations_cli_list_show_delete_and_ask_into_one(cli_home, capsys):
    from netops.cli.main import main

    cli_home.push(say("first answer"), say("second answer"))
    assert main(["ask", "--json", "what do you make of r1?"]) == 0
    cid = json.loads(capsys.readouterr().out)["conversation_id"]
    assert main(["ask", "--json", "--conversation", cid, "and r2?"]) == 0
    assert json.loads(capsys.readouterr().out)["conversation_id"] == cid
    assert main(["conversations", "list", "--json"]) == 0
    (conv,) = json.loads(capsys.readouterr().out)["conversations"]
    assert conv["id"] == cid and conv["message_count"] == 4
    assert main(["conversations", "list", "--query", "r2"]) == 0
    assert cid in capsys.readouterr().out
    assert main(["conversations", "show", cid, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["messages"][0]["content"] == "what do you make of r1?"
    assert doc["messages"][1]["content"].startswith("first answer") and len(doc["messages"]) == 4
    assert main(["conversations", "delete", cid]) == 0
    capsys.readouterr()
    assert main(["conversations", "show", cid]) == 4
    assert capsys.readouterr().err.startswith("error: no conversation")
    assert main(["ask", "--conversation", cid, "again?"]) == 4


def test_the_cli_shows_and_continues_by_a_start(cli_home, capsys):
    """`conversations show 9660` for 96602cfaa172 said "no conversation" (a start names it, as in git)."""
    from netops.cli.main import main

    cli_home.push(say("first answer"), say("second answer"))
    assert main(["ask", "--json", "what do you make of r1?"]) == 0
    cid = json.loads(capsys.readouterr().out)["conversation_id"]
    assert main(["conversations", "show", cid[:6], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == cid
    assert main(["ask", "--json", "--conversation", cid[:6], "and r2?"]) == 0
    assert json.loads(capsys.readouterr().out)["conversation_id"] == cid
    assert main(["conversations", "delete", cid[:6], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["deleted"] == cid  # the full id, not the start given


def test_a_search_says_which_message_matched(make_session):
    """Four conversations with the same title: the list alone did not say why one was found."""
    from netops.store.history import MATCH_CLOSE, MATCH_OPEN

    session = make_session()
    first = session.new_conversation("what is the BGP hold timer minimum?")
    second = session.new_conversation("what is the BGP hold timer minimum?")
    session.history.append(first, "user", "and the keepalive on r2 [see ticket 7]?")
    session.history.append(second, "user", "what about OSPF dead intervals on r3?")
    (found,) = session.conversations(query="ospf")
    assert found.id == second
    assert found.match is not None and f"{MATCH_OPEN}OSPF{MATCH_CLOSE}" in found.match, found.match
    (found,) = session.conversations(query="ticket keepalive")
    assert found.id == first and f"{MATCH_OPEN}ticket{MATCH_CLOSE}" in found.match
    assert found.to_dict()["match"] == "and the keepalive on r2 [see ticket 7]?"  # plain in JSON
    both = session.conversations(query="minimum")      # the title matched, no message did
    assert {c.id for c in both} == {first, second} and all(c.match is None for c in both)
    assert all(c.match is None for c in session.conversations())  # no search, no excerpt


def test_the_cli_list_shows_the_matching_message(cli_home, capsys):
    from netops.cli.main import main

    cli_home.push(say("first answer"))
    assert main(["ask", "--json", "tell me about the zebra on r1"]) == 0
    capsys.readouterr()
    assert main(["conversations", "list", "--query", "zebra"]) == 0
    out = capsys.readouterr().out
    assert "    matched: " in out and "zebra" in out and "\x02" not in out, out
    assert main(["conversations", "list", "--query", "zebra", "--json"]) == 0
    (conv,) = json.loads(capsys.readouterr().out)["conversations"]
    assert "zebra" in conv["match"] and "\x02" not in conv["match"]


def test_a_search_excerpt_carries_no_terminal_control(make_session):
    """Stored messages may hold control characters (a question pasted from a coloured terminal, a
    passage quoted from a document): the excerpt 'conversations list --query' prints, and the chat's
    list shows, carried them to the terminal (ESC]52 writes its clipboard, ESC]0 its title), and a
    message's own marker characters read as matched words."""
    from netops.store.history import MATCH_CLOSE, MATCH_OPEN

    session = make_session()
    cid = session.new_conversation("a question")
    session.history.append(cid, "user", "why is \x1b[31mbgp\x1b[0m down \x1b]52;c;ZXZpbA==\x07 on \x02r1\x03 now?")
    (found,) = session.conversations(query="down now")
    assert "\x1b" not in found.match and "\x07" not in found.match, repr(found.match)
    assert f"{MATCH_OPEN}down{MATCH_CLOSE}" in found.match and f"{MATCH_OPEN}now{MATCH_CLOSE}" in found.match
    assert f"{MATCH_OPEN}r1{MATCH_CLOSE}" not in found.match, repr(found.match)  # the message's own, not a match
    assert found.to_dict()["match"].isprintable(), found.to_dict()["match"]
