"""`netops ask` on a damaged history database (helper "trial15", 2026-12-03): it stopped with exit 2
('cannot open history database ...: file is not a database'); the answer is given, with one warning
line saying it was not saved and how to fix it, and the file is left byte for byte
(tests/unit/store/test_history_damaged.py: History refuses the file before writing to it)."""

from __future__ import annotations

import gzip
import json

import pytest

from netops.store.history import History


def _damaged(path, how):
    with History(path) as h:
        for i in range(12):
            cid = h.new_conversation(f"question {i}")
            h.append(cid, "user", "bgp neighbours on r1 " * 100)
            h.append(cid, "assistant", "r1 has two peers, both Established. " * 100)
    data = b"this is not a database\n" * 400 if how == "not a database" else \
        path.read_bytes()[:4096 * 2] + b"\xa5" * 4096 + path.read_bytes()[4096 * 3:]
    path.write_bytes(data)
    return data


@pytest.fixture
def cli_env(monkeypatch, scripted, agent_settings, rfc, tmp_path):
    from netops.rag.kb import KnowledgeBase

    monkeypatch.setenv("NETOPS_OLLAMA_URL", scripted.url)
    monkeypatch.setenv("NETOPS_INVENTORY", str(agent_settings.inventory))
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    src = tmp_path / "rfc4271.txt"
    src.write_bytes(gzip.decompress(rfc(4271).read_bytes()))
    with KnowledgeBase(agent_settings) as kb:
        kb.add([src])
    return agent_settings


@pytest.mark.parametrize("how, extra", [("not a database", []), ("a page overwritten", ["--continue"])])
def test_ask_answers_with_one_warning_and_leaves_the_file(cli_env, capsys, how, extra):
    from netops.cli.main import main

    path = cli_env.paths.history_db
    before = _damaged(path, how)
    assert main(["ask", "--offline", *extra, "RFC 4271 hold timer"]) == 0
    out, err = capsys.readouterr()
    assert "4271" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "history is not saved" in warnings[0], err
    assert f"mv {path} {path}.damaged" in warnings[0]
    assert ("not continued" in warnings[0]) == bool(extra)
    assert "error:" not in err
    assert path.read_bytes() == before
    assert main(["ask", "--offline", "--json", "RFC 4271 hold timer"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["conversation_id"] is None and "history is not saved" in doc["notice"]
    assert path.read_bytes() == before


def test_ask_on_a_full_disk_says_free_space_not_move_the_history_aside(cli_env, capsys, tmp_path):
    """History on a full disk is not damaged: the warning must not tell a person to move their
    history aside (they would lose it from view), but to free disk space."""
    import os
    import subprocess

    from netops.cli.main import main

    small = tmp_path / "small"
    small.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(small)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        with History(small / "history.sqlite") as h:
            h.new_conversation("an earlier question")
        fd = os.open(small / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        path = cli_env.paths.history_db
        path.unlink(missing_ok=True)
        path.symlink_to(small / "history.sqlite")
        assert main(["ask", "--offline", "RFC 4271 hold timer"]) == 0
        out, err = capsys.readouterr()
        assert "4271" in out
        warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
        assert len(warnings) == 1 and "history is not saved" in warnings[0], err
        assert "is full: free space there" in warnings[0] and "mv " not in warnings[0], warnings[0]
    finally:
        subprocess.run(["umount", "-l", str(small)], capture_output=True)


def test_ask_while_another_program_holds_the_history_says_so_not_move_it_aside(cli_env, capsys, monkeypatch):
    """crash34: history.sqlite held in a write by another process (an sqlite3 shell's BEGIN
    EXCLUSIVE): ask waited 30 s, then told the person to move the file aside as if damaged."""
    import subprocess
    import sys

    from netops.cli.main import main
    from netops.store import history as history_mod

    monkeypatch.setattr(history_mod, "BUSY_TIMEOUT_S", 0.2)
    path = cli_env.paths.history_db
    with History(path) as h:
        h.new_conversation("an earlier question")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); sys.stdin.read()"), str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["ask", "--offline", "RFC 4271 hold timer"]) == 0
    finally:
        holder.communicate("")
    out, err = capsys.readouterr()
    assert "4271" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "history is not saved" in warnings[0], err
    assert "another program holds the history database" in warnings[0] and "mv " not in warnings[0], warnings[0]
    with History(path) as h:  # nothing lost: the earlier conversation is there, the file usable
        assert [c.title for c in h.conversations()] == ["an earlier question"]


def test_ask_on_a_read_only_home_says_read_only_not_move_the_history_aside(cli_env, capsys, tmp_path):
    """crash34: NETOPS_HOME's history on a read-only mount: 'move the file aside (mv ...)' was
    advice that cannot work and has nothing to do with it."""
    import subprocess

    from netops.cli.main import main

    ro = tmp_path / "ro"
    ro.mkdir()
    with History(ro / "history.sqlite") as h:
        h.new_conversation("an earlier question")
    r = subprocess.run(["mount", "--bind", "-o", "ro", str(ro), str(ro)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot bind-mount read-only here (needs root): {r.stderr.strip()}")
    try:
        path = cli_env.paths.history_db
        path.unlink(missing_ok=True)
        path.symlink_to(ro / "history.sqlite")
        assert main(["ask", "--offline", "RFC 4271 hold timer"]) == 0
        out, err = capsys.readouterr()
        assert "4271" in out
        warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
        assert len(warnings) == 1 and "history is not saved" in warnings[0], err
        assert "is read-only or not writable" in warnings[0] and "mv " not in warnings[0], warnings[0]
    finally:
        subprocess.run(["umount", "-l", str(ro)], capture_output=True)
