"""History written before free text was redacted: opening it rewrites the stored secrets away
(messages, titles, meta, the FTS index and the file's free pages and WAL), once; questions
about passwords are kept byte for byte. ``netops conversations redact`` does the same on
demand and reports what it changed. A deleted conversation leaves no text in the file."""

from __future__ import annotations

import json
import sqlite3

from netops.store.history import MIGRATIONS, History

SECRETS = ["EnaBle5ecret", "0822455D0A16", "Comm5ecret", "BgpPa55word", "ghp_abcdefghijklmnopqrstu0123456789"]
PASTE = ("bgp is down, r1:\nhostname r1\nenable secret 0 EnaBle5ecret\nusername admin password 7 0822455D0A16\n"
         "snmp-server community Comm5ecret RO\nrouter bgp 65001\n neighbor 10.0.0.2 password BgpPa55word")
ANSWER = "Set neighbor 10.0.0.2 password BgpPa55word on r2 too; token ghp_abcdefghijklmnopqrstu0123456789."
PROSE = "what is the password recovery procedure, and is enable secret better than enable password?"


def _bytes(path) -> bytes:
    return b"".join((path.parent / (path.name + s)).read_bytes() for s in ("", "-wal", "-journal")
                    if (path.parent / (path.name + s)).exists())


def _leaks(blob: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in blob or s.lower().encode() in blob]


def _old_database(path) -> None:
    """A history database as netops wrote it before redaction (schema 2, text as typed)."""
    con = sqlite3.connect(path)
    for n, sql in enumerate(MIGRATIONS[:2], start=1):
        con.executescript(f"BEGIN; {sql}; PRAGMA user_version = {n}; COMMIT;")
    con.execute("INSERT INTO conversations VALUES ('old1', '2026-01-01', '2026-01-01', ?, NULL)", (PASTE[:200],))
    con.execute("INSERT INTO conversations VALUES ('old2', '2026-01-02', '2026-01-02', ?, NULL)", (PROSE,))
    rows = [("old1", "user", PASTE, "{}"),
            ("old1", "assistant", ANSWER, json.dumps({"notice": "see neighbor 10.0.0.2 password BgpPa55word"})),
            ("old2", "user", PROSE, "{}"), ("old2", "assistant", "Use the console.", "{}")]
    con.executemany("INSERT INTO messages(conversation_id, role, content, created_at, meta) VALUES (?, ?, ?, 'x', ?)",
                    rows)
    con.commit()
    con.close()


def test_opening_an_old_history_redacts_rows_index_and_file(tmp_path):
    path = tmp_path / "history.sqlite"
    _old_database(path)
    assert _leaks(_bytes(path))  # the precondition: an old file holds them
    with History(path) as h:
        assert h.conversations(query="Comm5ecret") == [] and h.conversations(query="BgpPa55word") == []
        assert [c.id for c in h.conversations(query="hostname")] == ["old1"]
        assert [c.id for c in h.conversations(query="recovery")] == ["old2"]
        old1 = h.conversation("old1")
        assert "<redacted>" in old1.title and "hostname r1" in old1.messages[0].content
        assert "<redacted>" in old1.messages[1].content and "BgpPa55word" not in json.dumps(old1.messages[1].meta)
        old2 = h.conversation("old2")
        assert old2.title == PROSE and old2.messages[0].content == PROSE  # prose byte for byte
    assert not _leaks(_bytes(path)), _leaks(_bytes(path))


def test_the_rewrite_runs_once_and_on_demand_reports(tmp_path):
    path = tmp_path / "history.sqlite"
    _old_database(path)
    with History(path) as h:
        assert h.redaction_report is not None and h.redaction_report.messages_changed == 2
        assert h.redaction_report.titles_changed == 1 and h.redaction_report.messages == 4
    with History(path) as h:
        assert h.redaction_report is None  # already done: nothing is read again on open
        again = h.redact_all()
        assert again.messages == 4 and again.messages_changed == 0 and again.titles_changed == 0


def test_cli_conversations_redact(tmp_path, monkeypatch, capsys):
    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_HOME", str(tmp_path))
    from netops.settings import load_settings

    path = load_settings().paths.history_db
    path.parent.mkdir(parents=True, exist_ok=True)
    _old_database(path)
    assert main(["conversations", "redact", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # opening already rewrote it (the report says so); the explicit pass finds nothing more
    assert doc["on_open"]["messages_changed"] == 2 and doc["pass"]["messages_changed"] == 0
    assert main(["conversations", "redact"]) == 0
    out = capsys.readouterr().out
    assert "4 messages checked" in out and not _leaks(out.encode())
    assert not _leaks(_bytes(path))


def test_a_deleted_conversation_leaves_no_text_in_the_file(tmp_path):
    path = tmp_path / "history.sqlite"
    with History(path) as h:
        cid = h.new_conversation("xylophonic maintenance")
        h.append(cid, "user", "zanzibarian quokka uplink question")
        h.append(cid, "assistant", "zanzibarian answer")
        keep = h.new_conversation("kept one")
        h.append(keep, "user", "ordinary question")
        h.delete_conversation(cid)
        assert h.conversations(query="zanzibarian") == []
    blob = _bytes(path)
    assert b"zanzibarian" not in blob and b"xylophonic" not in blob and b"quokka" not in blob
    with History(path) as h:
        assert [c.id for c in h.conversations(query="ordinary")] == [keep]
