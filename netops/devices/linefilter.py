"""Line filters (``| include``, ``| exclude``, ``| begin``, ``| section``, ``| count``) run by
netops on redacted output.

A filter the device runs sees the raw output, secrets included: ``show running-config | include
password Adv3`` prints the (redacted) password line when the password starts with ``Adv3`` and
nothing when it does not, an oracle a model can walk one character at a time without ever
seeing the secret. So when every ``|`` of a read is a line filter, the device runs the command
without them and netops applies them, in order, to the redacted output: a pattern can then only
match what anyone may read. A pattern in a pipe netops does not run itself (``| section X``,
``| count X``, SR OS ``| match X invert-match``, XR ``| utility egrep X``, or a line filter
followed by a pipe the device would run) is the same oracle by another pipe, and is refused.
``| section X`` (the matching lines and the lines indented under them) and ``| count`` after a
filter or with a pattern run here too, as does ``| no-more`` (a pager directive: netops reads
without a pager). Pipes without a pattern (a lone ``| count``, ``| display json``, ``| last 10``)
go to the device as before.
"""

from __future__ import annotations

import re

from netops.errors import PolicyViolation

__all__ = ["apply_filters", "local_filters"]

_KINDS = {"include": "in", "i": "in", "inc": "in", "match": "in", "grep": "in",
          "exclude": "out", "e": "out", "except": "out", "begin": "from",
          "section": "sec", "sec": "sec", "count": "count", "no-more": "pager"}
_PATTERN_PIPES = frozenset({"section", "count", "find", "match", "utility", "grep", "egrep"})
"""Pipes netops does not run itself that take a pattern (when given one; ``utility`` only as
``egrep``/``fgrep``)."""
_MATCH_OPTIONS = re.compile(r"\s(?:ignore-case|invert-match|expression|pre-lines|post-lines|max-count)\b")
_RISKY = re.compile(r"\)[*+{]|[*+}][*+{]|\\[1-9]")
"""A repeated group, stacked quantifiers or a back-reference: patterns a backtracking matcher can
take minutes over (``(a+)+$``); the device's matcher is not Python's, netops does not run them."""
_LINE_CAP = 4096
_MAX_REPEATS = 2
"""Unbounded repeats (``*``, ``+``, ``{n,}``) a pattern may have besides a leading or trailing
``.*``: each one more multiplies the worst case by the line's length (``.*.*.*.*.*.*X`` took 10 s
on one 82-character line, and a regex cannot be interrupted: the whole of netops hung)."""
_SHORT_CAP = 512
"""The characters of a line a two-repeat pattern searches (its worst case ~0.03 s a line, where
4096 took 11 s)."""
_REPEAT = re.compile(r"\\.|\[(?:\\.|[^\]])*\]|[*+]|\{\d*,(\d*)\}")


def _repeats(pattern: str) -> int:
    """Unbounded repeats in ``pattern`` outside escapes and character classes (``{n,m}`` with a
    large ``m`` counts), a leading and a trailing ``.*`` aside (they change no line's match)."""
    core = re.sub(r"^\^?\.[*+]\??", "", pattern)
    core = re.sub(r"(?<!\\)\.\*\??\$?$", "", core)
    n = 0
    for m in _REPEAT.finditer(core):
        token = m.group(0)
        if token in ("*", "+") or (token.startswith("{") and (m.group(1) == "" or int(m.group(1)) > 16)):
            n += 1
    return n


def _cap(rx: re.Pattern[str]) -> int:
    return _SHORT_CAP if _repeats(rx.pattern) == _MAX_REPEATS else _LINE_CAP


def local_filters(command: str, *, quoted: bool = True) -> tuple[str, list[tuple[str, re.Pattern[str]]]] | None:
    """``(command without its filters, [(kind, pattern)])`` when every pipe of ``command`` is a
    line filter netops runs itself; ``None`` when there is no pipe or one it leaves to the device.
    Raises :class:`PolicyViolation` for a pattern it will not run (see ``_RISKY``)."""
    from netops.devices.policy import pipe_segments

    # split as the policy split it: a quoted "a|b" is one pattern only where the platform reads it so
    head, *pipes = pipe_segments(command, quoted=quoted)
    if not pipes:
        return None
    parts = [(name.lower(), arg.strip()) for name, _, arg in (seg.strip().partition(" ") for seg in pipes)]
    if [(_KINDS.get(n), bool(a)) for n, a in parts if _KINDS.get(n) != "pager"] in ([("count", False)], []):
        return None  # a lone '| count' (or only '| no-more'): no pattern, the device's own wording
    local = [_KINDS.get(name) is not None and not (name == "match" and _MATCH_OPTIONS.search(" " + arg))
             and not (_KINDS[name] == "pager" and arg)
             for name, arg in parts]
    if not all(local):
        patterned = [name for (name, arg), here in zip(parts, local)
                     if arg and (here or name in _PATTERN_PIPES)
                     and (name != "utility" or arg.split()[0] in ("egrep", "fgrep", "grep"))]
        if patterned:  # (the pattern itself is not quoted: it may be a guess at a secret)
            others = ", ".join(f"| {n}" for (n, _), h in zip(parts, local) if not h)
            raise PolicyViolation(f"the pattern of '| {patterned[0]}' would run on the raw output on the device "
                                  f"(with {others}); netops runs a model's text filters itself, on the "
                                  "redacted output", hint="use | include / | exclude / | begin alone")
        return None
    filters: list[tuple[str, re.Pattern[str]]] = []
    for name, arg in parts:
        kind = _KINDS[name]
        if kind == "pager":
            continue
        if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "\"'":
            arg = arg[1:-1]
        if _RISKY.search(arg):
            raise PolicyViolation("the filter pattern repeats a group, stacks quantifiers or refers back; "
                                  "netops runs filters itself and does not run such patterns",
                                  hint="use a plainer pattern (a word or a fixed string)")
        if _repeats(arg) > _MAX_REPEATS:
            raise PolicyViolation(f"the filter pattern has more than {_MAX_REPEATS} open-ended repeats (*, +, {{n,}}); "
                                  "netops runs filters itself and does not run patterns that can take minutes a line",
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
        cap = _cap(rx)
        if kind == "in":
            lines = [ln for ln in lines if rx.search(ln[:cap])]
        elif kind == "out":
            lines = [ln for ln in lines if not rx.search(ln[:cap])]
        elif kind == "sec":
            lines = _sections(lines, rx, cap)
        elif kind == "count":
            n = sum(1 for ln in lines if ln.strip() and rx.search(ln[:cap]))
            lines = [f"Number of lines which match regexp = {n}"]
        else:
            start = next((i for i, ln in enumerate(lines) if rx.search(ln[:cap])), len(lines))
            lines = lines[start:]
    return "\n".join(lines)


def _sections(lines: list[str], rx: re.Pattern[str], cap: int = _LINE_CAP) -> list[str]:
    """IOS's ``| section``: each line matching ``rx`` and the lines indented under it."""
    out: list[str] = []
    depth: int | None = None
    for ln in lines:
        indent = len(ln) - len(ln.lstrip())
        if depth is not None and ln.strip() and indent > depth:
            out.append(ln)
            continue
        depth = None
        if rx.search(ln[:cap]):
            out.append(ln)
            depth = indent
    return out
