"""Slash commands: the table the prompt completes from, the help lists, and the command
palette (Ctrl+P) offers. What each one does lives in :class:`netops.tui.app.ChatApp`, and
every one that touches devices, the index or playbooks goes through the agent's own tools."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from netops.tui.app import ChatApp


@dataclass(frozen=True)
class SlashCommand:
    name: str
    usage: str
    help: str
    takes_args: bool = False


COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand("/kb", "/kb <query>", "Search the knowledge base (specs, runbooks) with citations", True),
    SlashCommand("/show", "/show <host[,host]> <command>", "Run a read-only command (policy-checked, audited)", True),
    SlashCommand("/state", "/state <host[,host]> <getter> [prefix|peer] [vrf NAME] [--json]",
                 "Typed state: facts, interfaces, bgp_neighbors, ospf_neighbors, route, config, "
                 "advertised / received (the routes sent to / accepted from a BGP peer); "
                 "vrf NAME: a VRF's sessions or peer; --json: the typed JSON, not the summary", True),
    SlashCommand("/playbooks", "/playbooks", "List vetted playbooks"),
    SlashCommand("/plan", "/plan <playbook> <host[,host]> [name=value ...]", "Dry-run a playbook (changes nothing)", True),
    SlashCommand("/devices", "/devices", "List devices in the inventory"),
    SlashCommand("/model", "/model <name>", "Use another model for the next questions", True),
    SlashCommand("/offline", "/offline", "Answer without a model (intent router and retrieval)"),
    SlashCommand("/online", "/online", "Use the model again"),
    SlashCommand("/new", "/new", "Start a new conversation"),
    SlashCommand("/history", "/history", "List, search, resume or delete conversations"),
    SlashCommand("/export", "/export [path]", "Export this conversation to Markdown (default: NETOPS_HOME/exports; "
                 "a path's directory must exist)"),
    SlashCommand("/save", "/save <file>", "Save this conversation as Markdown to FILE (relative to where the chat "
                 "started; its directory must exist)", True),
    SlashCommand("/copy", "/copy [code [n]]", "Copy the last answer (or its n-th code block) to the clipboard"),
    SlashCommand("/panel", "/panel", "Show or hide the side panel (devices, lab, index)"),
    SlashCommand("/help", "/help", "Keys and commands"),
    SlashCommand("/quit", "/quit", "Leave the chat"),
)
BY_NAME = {c.name: c for c in COMMANDS}


_COMMAND_WORD = re.compile(r"/(?:[A-Za-z][\w-]*)?")  # a lone "/" too: it says /help lists them


def is_command(text: str) -> bool:
    """Is ``text`` a slash command (a known one or a mistyped one)? '/' and a word is; a path
    ('/etc/frr/frr.conf on r1: what is in it?') or a prefix length ('/32 routes on r1?') starts a
    question (the path was refused as 'unknown command /etc/frr/frr.conf')."""
    words = text.split(maxsplit=1)
    return bool(words) and _COMMAND_WORD.fullmatch(words[0]) is not None


def parse(text: str) -> tuple[SlashCommand | None, list[str], str]:
    """``/show r1 show ip route`` -> (command, ["r1", "show", "ip", "route"], "r1 show ip route")."""
    head, _, rest = text.strip().partition(" ")
    cmd = BY_NAME.get(head.lower())
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    return cmd, words, rest.strip()


def params_from(words: list[str]) -> dict[str, str]:
    """``["neighbor=198.51.100.2", "x=1"]`` -> dict (values stay strings; the playbook validates).
    ``--param`` / ``-p`` before a pair (or ``--param=name=value``) are taken as the CLI takes them:
    a missing parameter's hint says "pass --param NAME=VALUE", and doing so was refused."""
    out: dict[str, str] = {}
    for w in words:
        if w in ("--param", "-p"):
            continue
        w = w.removeprefix("--param=")
        key, sep, value = w.partition("=")
        if not sep or not key:
            from netops.errors import InputError

            raise InputError(f"parameter {w!r} is not name=value", hint="/plan <playbook> <hosts> name=value ...")
        out[key] = value
    return out


def _a_path(word: str) -> bool:
    """A file or folder that exists, or a word written as one (``./x``, ``~/x``, ``a/b.md``)."""
    from pathlib import Path

    return "/" in word or word.startswith("~") or Path(word).expanduser().exists()


def tool_call_for(name: str, words: list[str]) -> tuple[str, dict[str, Any]]:
    """Slash command words -> (tool, arguments); the tool validates them like a model's call."""
    from netops.errors import InputError

    def need(n: int, usage: str) -> None:
        if len(words) < n:
            raise InputError(f"usage: {usage}")

    hosts = (lambda w: [h for h in w.split(",") if h])
    if name == "/kb":
        need(1, BY_NAME[name].usage)
        if words[0].lower() == "add" and len(words) > 1 and all(_a_path(w) for w in words[1:]):
            # "/kb add ./runbook.md" searched for those words and listed unrelated passages
            raise InputError(f"/kb searches the knowledge base, it does not add to it: run `netops kb add "
                             f"{' '.join(shlex.quote(w) for w in words[1:])}` in a shell (this chat searches "
                             f"it from the next question on)")
        return "kb_search", {"query": " ".join(words)}
    if name == "/show":
        need(2, BY_NAME[name].usage)
        return "show", {"hosts": hosts(words[0]), "command": " ".join(words[1:])}
    if name == "/state":
        need(2, BY_NAME[name].usage)
        from netops.devices.getters import ALIASES, PEER_GETTERS

        getter = ALIASES.get(words[1].lower(), words[1].lower())
        from typing import get_args

        from netops.agent.builtin_tools import Getter

        if getter not in get_args(Getter):  # one line for a person, not the schema a model is given
            raise InputError(f"unknown getter {words[1]!r}: one of {', '.join(get_args(Getter))} "
                             f"(or bgp, ospf, advertised, received)")
        args: dict[str, Any] = {"hosts": hosts(words[0]), "getter": getter}
        rest = words[2:]
        for i, word in enumerate(rest):  # "vrf CUST-A" / "--vrf CUST-A" anywhere after the getter
            if word.lower() in ("vrf", "--vrf") and i + 1 < len(rest):
                args["vrf"] = rest[i + 1]
                rest = rest[:i] + rest[i + 2:]
                break
        if rest:
            args["peer" if getter in PEER_GETTERS else "prefix"] = rest[0]
        return "get_state", args
    if name == "/playbooks":
        return "list_playbooks", {}
    if name == "/devices":
        return "list_devices", {"targets": words[0] if words else "all"}
    if name == "/plan":
        need(2, BY_NAME[name].usage)
        return "playbook_plan", {"playbook": words[0], "hosts": hosts(words[1]), "params": params_from(words[2:])}
    raise InputError(f"{name} is not a tool command")


class SlashProvider(Provider):
    """The slash commands in the command palette: argument-less ones run, the others are put
    into the prompt for the person to finish."""

    def _choose(self, cmd: SlashCommand):  # type: ignore[no-untyped-def]
        app: "ChatApp" = self.app  # type: ignore[assignment]

        def run() -> None:
            if cmd.takes_args:
                app.prefill(cmd.name + " ")
            else:
                app.run_slash(cmd.name)

        return run

    async def discover(self) -> Hits:
        for cmd in COMMANDS:
            yield DiscoveryHit(cmd.usage, self._choose(cmd), help=cmd.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in COMMANDS:
            score = max(matcher.match(cmd.usage), matcher.match(cmd.help) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(cmd.usage), self._choose(cmd), text=cmd.usage, help=cmd.help)


def palette_screen() -> Any:
    """Textual's command palette with a footer of its own keys (the chat's under it offered
    'esc Cancel'); built on first use (the class is made then, not at import)."""
    from textual.binding import Binding
    from textual.command import CommandPalette

    from netops.tui.widgets.footer import KeyFooter

    class ChatPalette(CommandPalette):
        BINDINGS = [Binding("escape", "escape", "Close")]

        def compose(self) -> Any:
            yield from super().compose()
            yield KeyFooter()

    return ChatPalette(id="--command-palette")
