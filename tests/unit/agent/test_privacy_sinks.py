"""A configuration with secrets pasted into a question, and a model that writes secrets back:
no secret reaches the history database (rows, titles, FTS index, WAL), the model server, the
audit log, ``netops ask``/``conversations`` output (human and --json, stdout and stderr), a
--debug log or a chat export; questions about passwords reach all of them unchanged."""

from __future__ import annotations

import json
import sqlite3

from netops.testing.ollama_server import say

SECRETS = ["EnaBle5ecret", "0822455D0A16", "Comm5ecret", "BgpPa55word", "070C285F4D06", "ghp_abcdefghijklmnopqrstu0123456789"]
PASTE = ("why does BGP to 10.0.0.2 not come up? here is r1:\n"
         "hostname r1\n"
         "enable secret 0 EnaBle5ecret\n"
         "username admin password 7 0822455D0A16\n"
         "snmp-server community Comm5ecret RO\n"
         "router bgp 65001\n"
         " neighbor 10.0.0.2 password BgpPa55word\n")
MODEL_SAYS = ("The session needs the same key on both ends: neighbor 10.0.0.2 password BgpPa55word on r1 "
              "must match r2. Your key chain uses key-string 7 070C285F4D06, and the NetBox token "
              "ghp_abcdefghijklmnopqrstu0123456789 is unrelated.")
PROSE = "what is the password recovery procedure, and is enable secret better than enable password?"


def _leaks(blob: str | bytes) -> list[str]:
    if isinstance(blob, bytes):
        return [s for s in SECRETS if s.encode() in blob]
    return [s for s in SECRETS if s in blob]


def _db_bytes(path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = path.parent / (path.name + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


def test_history_and_model_never_see_a_pasted_secret(scripted, make_session, agent_settings):
    from netops.assistant import Assistant

    session = make_session()
    scripted.push(say(MODEL_SAYS), say("Check the MD5 key on r2 as well."))
    a = Assistant(session)
    first = a.ask(PASTE)
    assert not _leaks(first.text) and not _leaks(first.question) and "<redacted>" in first.text
    assert not _leaks(json.dumps(first.to_dict(), default=str))
    second = a.ask("and on r2?", conversation_id=first.conversation_id)  # history replayed to the model
    assert second.conversation_id == first.conversation_id
    for req in scripted.requests:
        assert not _leaks(json.dumps(req.messages)), req.messages
    conv = session.conversation(first.conversation_id)
    assert not _leaks(conv.title) and not _leaks(json.dumps(conv.to_dict(), default=str))
    assert "hostname r1" in conv.messages[0].content  # the rest of the paste is kept
    assert not _leaks(_db_bytes(agent_settings.paths.history_db))
    session.close()
    assert not _leaks(_db_bytes(agent_settings.paths.history_db))


def test_questions_about_passwords_reach_model_and_history_unchanged(scripted, make_session):
    from netops.assistant import Assistant

    session = make_session()
    scripted.push(say("Use enable secret; the password recovery procedure needs console access."))
    answer = Assistant(session).ask(PROSE)
    assert answer.question == PROSE
    assert PROSE in scripted.requests[0].last_user()
    assert session.conversation(answer.conversation_id).messages[0].content == PROSE
    assert answer.text.startswith("Use enable secret; the password recovery procedure needs console access.")


def test_audit_log_keeps_no_secret_from_a_question(scripted, make_assistant, agent_settings, vetted_playbooks,
                                                   fake_transport):
    from netops.testing.ollama_server import tool_call

    settings = agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})
    fake_transport.outputs["r2"] = {**fake_transport.outputs["r2"],
                                    "show_ip_ospf_json": '{"routerId": "203.0.113.2", "areas": {"0.0.0.0": {}}}'}
    args = {"playbook": "router-drain", "hosts": ["r2"], "params": {}}
    scripted.push(tool_call("playbook_plan", **args), say("Planned; not applied."))
    a = make_assistant(settings)
    a.ask("drain r2; its config has snmp-server community Comm5ecret RO and enable secret 0 EnaBle5ecret")
    records = a.session.audit.list(limit=None)
    assert any(r.kind == "plan" for r in records)
    assert not _leaks(json.dumps([r.payload for r in records], default=str))
    a.session.close()
    assert not _leaks(_db_bytes(settings.paths.audit_db))


def test_cli_ask_and_conversations_print_no_secret(scripted, agent_settings, monkeypatch, capsys):
    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_OLLAMA_URL", scripted.url)
    monkeypatch.setenv("NETOPS_INVENTORY", str(agent_settings.inventory))
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    scripted.push(say(MODEL_SAYS), say(MODEL_SAYS))
    assert main(["--debug", "ask", PASTE]) == 0
    out = capsys.readouterr()
    assert not _leaks(out.out) and not _leaks(out.err), (out.out, out.err)
    assert main(["ask", "--json", PASTE]) == 0
    out = capsys.readouterr()
    assert not _leaks(out.out + out.err)
    cid = json.loads(out.out)["conversation_id"]
    for argv in (["conversations", "list"], ["conversations", "list", "--json"], ["conversations", "show", cid],
                 ["conversations", "show", cid, "--json"], ["conversations", "list", "--query", "BGP"],
                 ["conversations", "list", "--query", "snmp-server community Comm5ecret RO"],
                 ["conversations", "list", "--json", "--query", "snmp-server community Comm5ecret RO"]):
        assert main(argv) == 0
        out = capsys.readouterr()
        assert not _leaks(out.out + out.err), argv


def test_fts_search_finds_no_secret_but_finds_prose(scripted, make_session):
    from netops.assistant import Assistant

    session = make_session()
    scripted.push(say(MODEL_SAYS))
    answer = Assistant(session).ask(PASTE)
    assert session.conversations(query="Comm5ecret") == []
    assert session.conversations(query="BgpPa55word") == []
    assert [c.id for c in session.conversations(query="hostname")] == [answer.conversation_id]
    raw = sqlite3.connect(session.settings.paths.history_db)
    try:  # the index's own vocabulary (a temp table: the file is not changed)
        raw.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, messages_fts, 'row')")
        terms = {r[0] for r in raw.execute("SELECT term FROM temp.vocab")}
    finally:
        raw.close()
    assert "hostname" in terms and "redacted" in terms
    assert not {t for t in terms if any(s.lower() == t for s in SECRETS)}


def _screen(events) -> tuple[list[str], str]:
    """Every text a surface was handed while streaming, and what it showed at the end of it."""
    from netops.agent.events import TokenEvent, TurnResetEvent

    handed, shown = [], ""
    for ev in events:
        if isinstance(ev, TokenEvent):
            handed.append(ev.text)
            shown += ev.text
        elif isinstance(ev, TurnResetEvent):
            shown = ""
    return handed, shown


def test_streamed_tokens_carry_no_secret_and_prose_streams(scripted, make_session):
    """A surface renders tokens as they come (the chat, ``ask`` at a terminal): none carries a
    secret the model writes, also one recognised only at the next line; prose still streams
    before the answer ends."""
    from netops.assistant import Assistant

    session = make_session()
    block = "password zebraPw\nline vty 0 4\n login\n\nThat is the vty block."
    scripted.push(say(MODEL_SAYS, piece_chars=3), say(block, piece_chars=2))
    a = Assistant(session)
    for text, secrets in ((MODEL_SAYS, SECRETS), (block, ["zebraPw"])):
        events = list(a.events(PROSE))
        handed, shown = _screen(events)
        assert len(handed) > 3  # streamed, not all at the end
        assert not any(s in "".join(handed) for s in secrets)
        assert not any(s in t for t in handed for s in secrets)
        answer = events[-1].answer
        assert answer.text.startswith(shown)  # the final text continues what was shown
    scripted.push(say("The password recovery procedure needs console access and a reload.", piece_chars=4))
    handed, _ = _screen(a.events(PROSE))
    assert "".join(handed).startswith("The password recovery procedure needs console access")


RUNBOOK = """# Core router baseline

Every core router gets the same management block. Paste it after the interfaces.

```
hostname core-r1
enable secret 0 RunB00kEnable
snmp-server community RunB00kComm RO
tacacs-server key RunB00kTacacs
```

The password recovery procedure needs console access.
"""


def test_knowledge_passages_reach_the_model_and_screen_without_secrets(scripted, agent_settings, tmp_path):
    """A team runbook with a configuration in it: its passages reach the model (the grounded
    prompt, the kb_search tool's output) and the surface without the secrets, prose intact."""
    from netops.assistant import Assistant
    from netops.rag.kb import KnowledgeBase
    from netops.rag.passages import passages_for
    from netops.session import Session
    from netops.testing.ollama_server import tool_call

    doc = tmp_path / "core-baseline.md"
    doc.write_text(RUNBOOK)
    kb = KnowledgeBase(agent_settings)
    kb.add([doc])
    secrets = ["RunB00kEnable", "RunB00kComm", "RunB00kTacacs"]
    hits = kb.search("core router management block snmp community tacacs key")
    assert hits and not [s for h in hits for s in secrets if s in h.chunk.text]
    assert any("password recovery procedure" in h.chunk.text or "hostname core-r1" in h.chunk.text for h in hits)
    for h in hits:
        assert not [s for c in passages_for(kb, h.chunk.citation) for s in secrets if s in c.text]
    scripted.push(tool_call("kb_search", query="core router management block"), say("Use the baseline."))
    with Session(agent_settings, kb=kb) as session:
        answer = Assistant(session).ask("what goes into the core router management block?")
        assert not _leaks(json.dumps(answer.to_dict(), default=str))
    sent = json.dumps([r.messages for r in scripted.requests])
    assert "hostname core-r1" in sent or "management block" in sent
    assert not [s for s in secrets if s in sent], [s for s in secrets if s in sent]
    kb.close()
