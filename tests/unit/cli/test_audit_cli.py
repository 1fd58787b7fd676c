"""``netops audit anchor`` / ``audit verify``: anchors outside NETOPS_HOME, exit 6 on tampering."""

from __future__ import annotations

import json
import sqlite3

from netops.cli.main import main
from netops.store.audit import AuditLog


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _log(settings, n=4):
    with AuditLog.from_settings(settings) as log:
        for i in range(n):
            log.append("test", {"i": i}, actor="alice")
        return log.path


def test_anchor_then_verify_against_it(settings, tmp_path, capsys):
    path = _log(settings)
    anchors = tmp_path / "offbox" / "anchors.jsonl"
    code, out, err = run(capsys, "audit", "anchor", "--to", str(anchors), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["seq"] == 4 and data["written"] == [str(anchors)] and "warning" not in data
    code, out, _ = run(capsys, "audit", "verify", "--anchor", str(anchors), "--json")
    assert code == 0 and json.loads(out)["anchors_checked"] == 1
    # cut the log short, head and all: the anchor (and the local head file) say so
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq >= 3")
    conn.execute("DELETE FROM audit_head")
    conn.close()
    code, out, err = run(capsys, "audit", "verify", "--anchor", str(anchors))
    assert code == 6 and "TAMPERED" in err and "Traceback" not in err
    code, _, err = run(capsys, "audit", "anchor", "--to", str(anchors))
    assert code == 6  # never anchor a log that does not verify


def test_dropped_head_table_exits_6_not_70(settings, capsys):
    path = _log(settings)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE audit_head")
    conn.close()
    code, out, err = run(capsys, "audit", "verify", "--json")
    assert code == 6
    assert not json.loads(out)["ok"]


def test_dropped_audit_table_exits_6(settings, capsys):
    path = _log(settings)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE audit")
    conn.close()
    code, _, err = run(capsys, "audit", "verify")
    assert code == 6, err
    code, _, err = run(capsys, "audit", "list")
    assert code == 6 and err.startswith("error: ")


def test_anchor_needs_a_destination_and_warns_inside_home(settings, capsys):
    _log(settings)
    code, _, err = run(capsys, "audit", "anchor")
    assert code == 2 and "--to FILE" in err
    inside = settings.paths.home / "anchors.jsonl"
    code, _, err = run(capsys, "audit", "anchor", "--to", str(inside))
    assert code == 0 and "inside NETOPS_HOME" in err


def test_configured_anchor_file_is_used_by_both(settings, tmp_path, monkeypatch, capsys):
    anchors = tmp_path / "configured.jsonl"
    monkeypatch.setenv("NETOPS_AUDIT__ANCHOR_FILE", str(anchors))
    from netops.settings import load_settings

    _log(load_settings(), 2)
    assert run(capsys, "audit", "anchor")[0] == 0
    assert anchors.read_text().count("netops_audit_anchor") == 1
    code, out, _ = run(capsys, "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["anchors_checked"] == 1


def test_syslog_anchor(settings, capsys):
    _log(settings, 1)
    code, out, _ = run(capsys, "audit", "anchor", "--syslog", "--json")
    assert code == 0 and json.loads(out)["syslog"].startswith("netops-audit-anchor db=")



def test_garbage_instead_of_a_database_is_tampering(settings, capsys):
    path = _log(settings)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.write_bytes(b"this is not the audit log" * 100)
    code, out, err = run(capsys, "audit", "verify", "--json")
    assert code == 6 and not json.loads(out)["ok"]


def test_an_anchor_file_given_that_holds_no_anchor_is_not_ok(settings, tmp_path, capsys):
    """'audit verify --anchor FILE' with FILE empty, the wrong file or missing said 'ok ... 0
    anchor(s) checked' and exited 0 (missing: exit 1): the check asked for did not happen, so
    it is bad input, exit 2, naming the file; nothing says the log verified."""
    run(capsys, "audit", "anchor", "--to", str(tmp_path / "real.jsonl"))
    for path, text in ((tmp_path / "empty.jsonl", ""), (tmp_path / "wrong.txt", "hello\n"), (tmp_path / "gone", None)):
        if text is not None:
            path.write_text(text)
        code, out, err = run(capsys, "audit", "verify", "--anchor", str(path))
        assert code == 2 and str(path) in err and "ok:" not in out, (path, out, err)
    code, out, _ = run(capsys, "audit", "verify", "--anchor", str(tmp_path / "real.jsonl"))
    assert code == 0 and "1 anchor(s) checked" in out


def test_list_of_a_kind_the_log_does_not_hold_names_the_kinds_it_does(settings, capsys):
    """'audit list --kind aproval' (a typo) said 'no audit records' of a log full of them."""
    _log(settings)
    code, out, _ = run(capsys, "audit", "list", "--kind", "aproval")
    assert code == 0 and "no audit records of kind 'aproval'" in out and "kinds in this log: test" in out
    code, out, _ = run(capsys, "audit", "list", "--kind", "test")
    assert code == 0 and out.count("alice") == 4


def test_verify_of_a_log_it_cannot_open_is_not_called_tampered(settings, capsys):
    """A log netops cannot open (a read-only NETOPS_HOME, permissions; here a directory where the
    file goes) printed 'TAMPERED seq 0' and exit 6, paging someone for tampering over a setting.
    It is exit 2 with the writable hint, as 'audit list' says; a file that is not a database is
    still tampering (test_audit_chain)."""
    settings.paths.audit_db.mkdir(parents=True)
    code, _, err = run(capsys, "audit", "verify")
    assert code == 2 and "TAMPERED" not in err and "writable" in err, err


def test_list_is_one_line_per_record_even_for_multi_line_commands(settings, capsys):
    """An apply record's command is the config block ('router ospf\\n max-metric ...\\nexit'):
    'audit list' printed its lines raw, so one record took several lines and broke the columns."""
    with AuditLog.from_settings(settings) as log:
        log.append("apply_start", {"host": "r2", "playbook": "router-drain",
                                   "command": "router ospf\n max-metric router-lsa administrative\nexit"}, actor="alice")
        log.append("result", {"ok": True}, actor="alice")
    code, out, _ = run(capsys, "audit", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2, out
    assert "router ospf / max-metric router-lsa administrative / exit" in lines[0]


FORGED_ACTOR = "eve\x1b]0;pwned\x07\n    99  2026-12-04T00:00:00Z  alice        approval        playbook=router-drain"


def test_an_actor_with_escapes_and_a_newline_is_one_line_written_out(settings, capsys):
    """adv36, lab 78: NETOPS_USER holding ESC]0; and a newline, then `netops show r1 ...`: `audit list`
    set the terminal's title and printed a forged approval record by alice as a line of its own."""
    with AuditLog.from_settings(settings) as log:
        rec = log.append("device_command", {"host": "r1", "command": "show version", "ok": True}, actor=FORGED_ACTOR)
    assert "\x1b" not in rec.actor and "\n" not in rec.actor and rec.actor.startswith("eve\\x1b]0;pwned\\x07 99 ")
    code, out, _ = run(capsys, "audit", "list")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    (line,) = out.splitlines()
    assert "device_command" in line
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0


def test_an_old_record_with_a_raw_actor_is_shown_written_out(settings, capsys):
    """A record written before the log kept actors so (or by another program): shown on one line."""
    path = _log(settings, 1)
    with sqlite3.connect(path) as db:  # as an older netops wrote it (no verify here: the hash changes)
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("UPDATE audit SET actor = ? WHERE seq = 1", (FORGED_ACTOR,))
    code, out, _ = run(capsys, "audit", "list")
    assert code == 0 and "\x1b" not in out and len(out.splitlines()) == 1, out
    code, out, _ = run(capsys, "audit", "show", "1")
    assert "\x1b" not in out and out.splitlines()[0].startswith("seq 1 ") and "actor eve\\x1b]0;pwned\\x07 99" in out
