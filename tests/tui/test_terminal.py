"""One run in a real terminal: tmux starts ``netops chat --offline``, a question is typed
with send-keys, and the pane shows the cited answer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")


def _pane(name: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout


def _start_in_tmux(tmp_path: Path, kind: str, *args: str, size: tuple[int, int] = (100, 30)) -> str:
    """``netops ARGS`` in a new detached tmux session with this test's NETOPS_/XDG_ environment;
    returns the session's name."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("NETOPS_", "XDG_", "HF_", "TRANSFORMERS_", "ORT_"))}
    env.update(PYTHONPATH=str(REPO), TERM="xterm-256color", PATH=os.environ["PATH"], HOME=str(tmp_path))
    name = f"netops-{kind}-{uuid.uuid4().hex[:8]}"
    command = " ".join([*(f"{k}='{v}'" for k, v in env.items()), sys.executable, "-m", "netops", *args])
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), "env", "-i",
                    "sh", "-c", command], check=True)
    return name


def test_chat_in_tmux_answers_with_citation(tmp_path, monkeypatch):
    from netops.rag.kb import KnowledgeBase
    from netops.settings import load_settings

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")  # lexical-only: no model to load in the child
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bgp-timers.md").write_text("# BGP hold timer\n\nThe hold time is either zero or at least "
                                        "three seconds.\n")
    with KnowledgeBase(load_settings()) as kb:
        kb.add([docs / "bgp-timers.md"])
    name = _start_in_tmux(tmp_path, "chat", "chat", "--offline", size=(120, 40))
    try:
        deadline = time.monotonic() + 30
        while "netops chat" not in _pane(name):
            assert time.monotonic() < deadline, "the chat did not start:\n" + _pane(name)
            time.sleep(0.1)
        subprocess.run(["tmux", "send-keys", "-t", name, "what is the BGP hold timer minimum", "Enter"], check=True)
        deadline = time.monotonic() + 60
        while not ("three seconds" in (pane := _pane(name)) and "evidence (" in pane):
            assert time.monotonic() < deadline, "no cited answer on screen:\n" + pane
            time.sleep(0.2)
        assert "bgp-timers" in pane or "BGP hold timer" in pane
        subprocess.run(["tmux", "send-keys", "-t", name, "C-q"], check=True)
        deadline = time.monotonic() + 10
        while subprocess.run(["tmux", "has-session", "-t", name], capture_output=True).returncode == 0:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def test_netops_alone_on_a_terminal_opens_the_chat(tmp_path):
    name = _start_in_tmux(tmp_path, "alone")
    try:
        deadline = time.monotonic() + 30
        while "new conversation" not in (pane := _pane(name)):
            assert time.monotonic() < deadline, "no chat on screen:\n" + pane
            time.sleep(0.1)
        assert "netops chat" in pane
        subprocess.run(["tmux", "send-keys", "-t", name, "C-q"], check=True)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def test_broken_config_ends_the_chat_with_one_line(tmp_path):
    """Settings are built after the chat's first frame; a broken config still ends as one error
    line and exit code 2, as for every other command."""
    config = tmp_path / "config.toml"
    config.write_text("[ssh]\nconnect_timeout = 'soon'\n")
    env = {k: v for k, v in os.environ.items() if k.startswith(("NETOPS_", "HF_", "TRANSFORMERS_", "ORT_"))}
    env.update(PYTHONPATH=str(REPO), TERM="xterm-256color", PATH=os.environ["PATH"], HOME=str(tmp_path),
               NETOPS_CONFIG=str(config))
    out = tmp_path / "out.txt"
    name = f"netops-badcfg-{uuid.uuid4().hex[:8]}"
    command = " ".join([*(f"{k}='{v}'" for k, v in env.items()), sys.executable, "-m", "netops", "chat", "--offline",
                        f"2>{out}; echo \"exit=$?\" >>{out}"])
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", "env", "-i", "sh", "-c",
                    command], check=True)
    try:
        deadline = time.monotonic() + 30
        while "exit=" not in (text := out.read_text() if out.exists() else ""):
            assert time.monotonic() < deadline, "the chat did not end:\n" + _pane(name)
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    after = text.rsplit("\x1b[?1049l", 1)[-1]  # what was written after the app left the screen (stderr)
    after = re.sub(r"\x1b\[[0-9;?>$]*[a-zA-Z]", "", after)
    lines = [ln for ln in after.splitlines() if ln.strip()]
    assert lines[-1] == "exit=2", repr(after)
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1 and "connect_timeout" in errors[0] and "Traceback" not in text, repr(after)


def test_a_pasted_config_shows_its_secrets_redacted(tmp_path, monkeypatch):
    """A config pasted into the prompt (the terminal's bracketed paste) never shows its
    secrets: not in the box, not in the conversation, not when Up recalls it; the rest of the
    paste and a typed question about passwords stay as they are."""
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    secrets = ["BgpPa55word", "Comm5ecret", "EnaBle5ecret"]
    paste = ("router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\n neighbor 10.0.0.2 password BgpPa55word\n"
             "snmp-server community Comm5ecret RO\nenable secret 0 EnaBle5ecret\n")
    env = {k: v for k, v in os.environ.items() if k.startswith(("NETOPS_", "HF_", "TRANSFORMERS_", "ORT_"))}
    env.update(PYTHONPATH=str(REPO), TERM="xterm-256color", PATH=os.environ["PATH"], HOME=str(tmp_path),
               NETOPS_HOME=str(tmp_path / "home"))
    name = f"netops-paste-{uuid.uuid4().hex[:8]}"
    command = " ".join([*(f"{k}='{v}'" for k, v in env.items()), sys.executable, "-m", "netops", "chat", "--offline"])
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "40", "env", "-i", "sh", "-c",
                    command], check=True)
    buffer = f"b{uuid.uuid4().hex[:8]}"
    try:
        deadline = time.monotonic() + 30
        while "new conversation" not in _pane(name):
            assert time.monotonic() < deadline, "the chat did not start:\n" + _pane(name)
            time.sleep(0.1)
        subprocess.run(["tmux", "send-keys", "-t", name, "-l", "why is the session down? "], check=True)
        subprocess.run(["tmux", "set-buffer", "-b", buffer, paste], check=True)
        subprocess.run(["tmux", "paste-buffer", "-p", "-d", "-b", buffer, "-t", name], check=True)
        deadline = time.monotonic() + 10
        while "remote-as 65002" not in (pane := _pane(name)):
            assert time.monotonic() < deadline, "the paste did not arrive:\n" + pane
            time.sleep(0.1)
        time.sleep(0.3)
        pane = _pane(name)
        assert not [s for s in secrets if s in pane], "secrets on screen in the prompt:\n" + pane
        for kept in ("10.0.0.2 password <redacted>", "community <redacted> RO", "enable secret 0 <redacted>"):
            assert kept in pane, pane
        subprocess.run(["tmux", "send-keys", "-t", name, "Enter"], check=True)
        deadline = time.monotonic() + 60
        while "evidence" not in (pane := _pane(name)) and "cites nothing" not in pane:
            assert time.monotonic() < deadline, "no answer:\n" + pane
            time.sleep(0.2)
        subprocess.run(["tmux", "send-keys", "-t", name, "-l", "what is the password recovery procedure?"],
                       check=True)
        subprocess.run(["tmux", "send-keys", "-t", name, "Enter"], check=True)
        deadline = time.monotonic() + 60
        while "you  what is the password recovery procedure?" not in (pane := _pane(name)):
            assert time.monotonic() < deadline, "the typed question was changed:\n" + pane
            time.sleep(0.2)
        subprocess.run(["tmux", "send-keys", "-t", name, "Up", "Up"], check=True)
        deadline = time.monotonic() + 10
        while "neighbor 10.0.0.2 password" not in (pane := _pane(name)).rsplit("you ", 1)[-1]:
            assert time.monotonic() < deadline, "Up did not recall the pasted question:\n" + pane
            time.sleep(0.1)
        assert not [s for s in secrets if s in pane], "secrets on screen after Up:\n" + pane
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        subprocess.run(["tmux", "delete-buffer", "-b", buffer], capture_output=True)


def test_a_question_typed_before_the_chat_has_drawn_is_not_lost(tmp_path):
    """A person who types the moment they press Enter on `netops chat`: the terminal keeps the
    keys until the app reads them, and they land in the prompt, in order. Before, keys read before
    the prompt had focus went to nothing (about the first 0.4 s)."""
    name = _start_in_tmux(tmp_path, "early", "chat", "--offline")
    try:
        subprocess.run(["tmux", "send-keys", "-t", name, "-l", "bgp hold timer"], check=True)  # at once
        deadline = time.monotonic() + 30
        while "new conversation" not in (pane := _pane(name)):
            assert time.monotonic() < deadline, "no chat on screen:\n" + pane
            time.sleep(0.1)
        deadline = time.monotonic() + 10
        while "bgp hold timer" not in (pane := _pane(name)):
            assert time.monotonic() < deadline, "the early keys are not in the prompt:\n" + pane
            time.sleep(0.1)
        assert "Ask about specs or devices, or type" not in pane  # the box holds the text, not its placeholder
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
