"""`--help` text is read in a terminal, not rendered as reST: no ``double backticks``."""

from __future__ import annotations

import click

from netops.cli.main import cli


def _commands(cmd: click.Command, path: tuple[str, ...], ctx: click.Context):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            yield from _commands(cmd.get_command(ctx, name), (*path, name), ctx)


def test_no_command_help_shows_rest_markup():
    ctx = click.Context(cli)
    shown = {}
    for path, cmd in _commands(cli, ("netops",), ctx):
        text = " ".join([cmd.help or "", *(getattr(p, "help", None) or "" for p in cmd.params)])
        if "``" in text:
            shown[" ".join(path)] = text
    assert len(list(_commands(cli, ("netops",), ctx))) > 30
    assert shown == {}
