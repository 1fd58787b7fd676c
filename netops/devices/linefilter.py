"""Line filters (``| include``, ``| exclude``, ``| begin``) run by netops on redacted output.

A filter the device runs sees the raw output, secrets included: ``show running-config | include
password Adv3`` prints the (redacted) password line when the password starts with ``Adv3`` and
nothing when it does not, an oracle a model can walk one character at a time without ever
seeing the secret. So when every ``|`` of a read is a line filter, the device runs the command
without them and netops applies them, in order, to the redacted output: a pattern can then only
match what anyone may read. Any other pipe (``| count``, ``| section``, ``| display json``...) leaves
the whole command to the device, as before.
"""

from __future__ import annotations

import re

from netops.errors import PolicyViolation

__all__ = ["apply_filters", "local_filters"]

_KINDS = {"include": "in", "i": "in", "inc": "in", "match": "in", "grep": "in",
          "exclude": "out", "e": "out", "except": "out", "begin": "from"}
_RISKY = re.compile(r"\)[*+{]|[*+}][*+{]|\\[1-9]")
"""A repeated group, stacked quantifiers or a back-reference: patterns a backtracking matcher can
take minutes over (``(a+)+$``); the device's matcher is not Python's, netops does not run them."""
_LINE_CAP = 4096


def local_filters(command: str) -> tuple[str, list[tuple[str, re.Pattern[str]]]] | None:
    """``(command without its filters, [(kind, pattern)])`` when every pipe of ``command`` is a
    line filter netops runs itself; ``None`` when there is no pipe or one it leaves to the device.
    Raises :class:`PolicyViolation` for a pattern it will not run (see ``_RISKY``)."""
    head, *pipes = command.split("|")
    if not pipes:
        return None
    filters: list[tuple[str, re.Pattern[str]]] = []
    for seg in pipes:
        name, _, arg = seg.strip().partition(" ")
        kind = _KINDS.get(name.lower())
        if kind is None:
            return None
        arg = arg.strip()
        if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "\"'":
            arg = arg[1:-1]
        if _RISKY.search(arg):
            raise PolicyViolation(f"the filter pattern {arg!r} repeats a group, stacks quantifiers or refers back; "
                                  "netops runs filters itself and does not run such patterns",
                                  hint="use a plainer pattern (a word or a fixed string)")
        try:
            rx = re.compile(arg)
        except re.error:
            rx = re.compile(re.escape(arg))
        filters.append((kind, rx))
    return head.strip(), filters


def apply_filters(text: str, filters: list[tuple[str, re.Pattern[str]]]) -> str:
    """``text`` (already redacted) through ``filters`` in order, one line at a time."""
    lines = text.split("\n")
    for kind, rx in filters:
        if kind == "in":
            lines = [ln for ln in lines if rx.search(ln[:_LINE_CAP])]
        elif kind == "out":
            lines = [ln for ln in lines if not rx.search(ln[:_LINE_CAP])]
        else:
            start = next((i for i, ln in enumerate(lines) if rx.search(ln[:_LINE_CAP])), len(lines))
            lines = lines[start:]
    return "\n".join(lines)
