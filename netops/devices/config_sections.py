"""The part of a running configuration that a word names ("the bgp config on r2").

Configurations nest by indentation on every platform we read (IOS, EOS, NX-OS, FRR and
IOS-XR blocks; Junos braces; SR OS ``configure`` trees), so the section is found from the
indentation alone: every line that names the word, with the headers above it (so
``ip ospf cost 10`` keeps its ``interface eth-r2``) and everything nested below it (so
``router bgp 65001`` keeps its whole block), plus what closes a kept block (the ``}`` of its
``{``, or an ``exit`` at its own indentation).
"""

from __future__ import annotations

import re


_EXITS = ("exit", "exit all", "end", "quit")
"""Lines that close a block at the block's own indentation (FRR, SR OS, VRP)."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def config_section(text: str, word: str, *, named: "re.Pattern[str] | None" = None,
                   skip: tuple[str, ...] = ()) -> str | None:
    """The lines of ``text`` that belong to ``word`` (a plural form counts: ``interfaces {``),
    in their original order and indentation; ``None`` when no line names it. ``named``: the
    pattern that says a line names it (instead of ``word``'s); ``skip``: lines starting with one
    of these words never name it (they still come along inside a kept block)."""
    named = named or re.compile(rf"(?<![\w-]){re.escape(word)}s?(?![\w-])", re.IGNORECASE)
    lines = text.splitlines()
    keep: set[int] = set()
    for i, line in enumerate(lines):
        if not line.strip() or not named.search(line) or line.split(None, 1)[0].lower() in skip:
            continue
        depth = _indent(line)
        keep.add(i)
        j = i + 1  # everything nested below it
        while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > depth):
            if lines[j].strip():
                keep.add(j)
            j += 1
        k, level = i - 1, depth  # the headers above it
        while k >= 0 and level > 0:
            if lines[k].strip() and _indent(lines[k]) < level:
                keep.add(k)
                level = _indent(lines[k])
            k -= 1
    if not keep:
        return None
    for i in sorted(keep):  # a kept block keeps what closes it: '}' after '{', or 'exit'
        depth, brace = _indent(lines[i]), lines[i].rstrip().endswith("{")
        for j in range(i + 1, len(lines)):
            if lines[j].strip() and _indent(lines[j]) <= depth:
                closing = lines[j].strip()
                if _indent(lines[j]) == depth and (closing.startswith("}") if brace else closing in _EXITS):
                    keep.add(j)
                break
    return "\n".join(lines[i] for i in sorted(keep))


_TOKEN = re.compile(r"[A-Za-z][\w/.:-]*\d")
_HEADER_NAME = re.compile(r"^[ \t]*interface[ \t]+([A-Za-z][\w/.:-]*)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_PROSE = ("description", "desc", "alias", "remark", "!", "#")
"""Lines whose text is a person's words, not a reference to the interface they name."""


def interface_section(text: str, name: str) -> str | None:
    """The lines of ``text`` that belong to the interface ``name`` in any spelling (``Gi0/0/1``
    finds ``interface GigabitEthernet0/0/1``, and ``passive-interface GigabitEthernet0/0/1``
    under ``router ospf``); ``None`` when the configuration does not name it."""
    from netops.devices.parsers._addresses import name_key

    want = name_key(name)
    # (an interface header's name too: FRR's and Linux's loopback is "lo", with no number)
    spelled = [tok for tok in dict.fromkeys([*_TOKEN.findall(text), *_HEADER_NAME.findall(text)]) if name_key(tok) == want]
    if not spelled:
        return None
    # every spelling the configuration uses; a subinterface (".100") is another interface, and a
    # description that mentions the name is about the interface it sits under
    named = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, spelled)) + r")(?![\w.:/-])", re.IGNORECASE)
    return config_section(text, spelled[0], named=named, skip=_PROSE)
