"""Command parsers and getter modules registered through the ``register_parsers`` hook.

Two kinds of registration:

* :class:`Parser` - raw output of one command on one platform -> structured data. The command
  is a regex matched in full against the normalised command (lower-case, single spaces, no
  pipe). :meth:`DeviceService.run` attaches the parsed data to each ``HostResult.data``.
* :class:`GetterModule` - a module exposing ``GETTERS`` (getter name -> ``fn(host, read, **kw)``)
  for one platform; :mod:`netops.devices.getters` dispatches ``netops state`` through it.

Built-in platforms register their getter modules here too (see :mod:`netops.builtins`).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any, Callable

from netops.errors import DeviceError


@dataclass(frozen=True)
class Parser:
    """Parse one command's output on one platform."""

    platform: str
    command: str
    """Regex, full match on the normalised command, e.g. ``show bgp neighbors \\S+ prefix-counts json``."""
    parse: Callable[[str], Any] | str
    """``fn(text) -> data`` or ``"module:function"`` (imported on first use)."""
    name: str = ""
    description: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.command}"

    def problem(self) -> str | None:
        if not self.platform or not isinstance(self.command, str):
            return "needs a platform and a command regex"
        try:
            re.compile(self.command)
        except re.error as exc:
            return f"bad command regex {self.command!r}: {exc}"
        if not (callable(self.parse) or (isinstance(self.parse, str) and ":" in self.parse)):
            return "parse must be a function or 'module:function'"
        return None

    def matches(self, command: str) -> bool:
        return re.fullmatch(self.command, normalise(command)) is not None

    def function(self) -> Callable[[str], Any]:
        if callable(self.parse):
            return self.parse
        module, attr = self.parse.split(":", 1)
        return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]

    def __call__(self, text: str) -> Any:
        return self.function()(text)


@dataclass(frozen=True)
class GetterModule:
    """A module with ``GETTERS`` for one platform (imported on first use)."""

    platform: str
    module: str

    @property
    def key(self) -> str:
        return f"{self.platform}:getters"


def normalise(command: str) -> str:
    return " ".join(command.split("|", 1)[0].lower().split())


def parsers() -> list[Parser]:
    from netops.plugins import parsers as registry

    return [p for p in registry().items.values() if isinstance(p, Parser)]


def getter_modules() -> dict[str, str]:
    """platform -> dotted module name with ``GETTERS``."""
    from netops.plugins import parsers as registry

    return {g.platform: g.module for g in registry().items.values() if isinstance(g, GetterModule)}


def find_parser(platform: str, command: str) -> Parser | None:
    for p in parsers():
        if p.platform == platform and p.matches(command):
            return p
    return None


def parse_output(platform: str, command: str, text: str) -> Any:
    """Structured data from a registered parser, or ``None`` when no parser knows the command.

    A parser that fails raises :class:`DeviceError` in one line naming the plugin that registered
    it, the parser and the exception's message, redacted (callers keep the raw text and say it)."""
    parser = find_parser(platform, command)
    if parser is None:
        return None
    try:
        return parser(text)
    except Exception as exc:
        from netops.plugins import BUILTIN, parsers as registry

        owner = registry().owners.get(parser.key)
        of = "netops's own" if owner in (None, BUILTIN) else f"of plugin {owner!r}"
        from netops.devices.redact import redact
        from netops.privacy import redact_text

        # the message may quote the output it failed on: redacted line by line (config-line rules
        # are anchored at a line's start), then made one line
        said = " ".join((redact_text(redact(str(exc), platform)) or "").split()) or "(no message)"
        raise DeviceError(f"parser {parser.name or parser.key!r} ({of}) failed on {normalise(command)!r}: "
                          f"{type(exc).__name__}: {said}"[:500]) from exc
