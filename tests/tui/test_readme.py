"""The README's chat section says what the chat does: its config block loads, its binding ids
exist, its slash commands are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text()
    return text.split("## The chat (`netops chat`)", 1)[1].split("\n## ", 1)[0]


def test_config_block_loads_and_names_real_bindings(tmp_path, monkeypatch):
    from netops.settings import load_settings
    from netops.tui.app import ChatApp

    block = re.search(r"```toml\n(.*?)```", _section(), re.S)[1]
    (tmp_path / "config.toml").write_text(block)
    monkeypatch.setenv("NETOPS_CONFIG", str(tmp_path / "config.toml"))
    settings = load_settings()
    assert settings.chat.theme == "nord" and settings.chat.side_panel
    ids = {b.id for b in ChatApp.BINDINGS}
    assert set(settings.chat.keys) <= ids, set(settings.chat.keys) - ids
    app = ChatApp(settings)
    assert app.theme == "nord"


def test_slash_commands_listed_are_the_real_ones():
    from netops.tui.commands import COMMANDS

    listed = re.search(r"Slash commands: `([^`]*)`", _section().replace("\n", " "))[1].split()
    assert listed == [c.name for c in COMMANDS]
