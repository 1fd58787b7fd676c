"""The part of a running configuration that a word names ("the bgp config on r2").

Configurations nest by indentation on every platform we read (IOS, EOS, NX-OS, FRR and
IOS-XR blocks; Junos braces; SR OS ``configure`` trees), so the section is found from the
indentation alone: every line that names the word, with the headers above it (so
``ip ospf cost 10`` keeps its ``interface eth-r2``) and everything nested below it (so
``router bgp 65001`` keeps its whole block), plus the closing brace of any ``{`` kept.
"""

from __future__ import annotations

import re


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def config_section(text: str, word: str) -> str | None:
    """The lines of ``text`` that belong to ``word`` (a plural form counts: ``interfaces {``),
    in their original order and indentation; ``None`` when no line names it."""
    named = re.compile(rf"(?<![\w-]){re.escape(word)}s?(?![\w-])", re.IGNORECASE)
    lines = text.splitlines()
    keep: set[int] = set()
    for i, line in enumerate(lines):
        if not line.strip() or not named.search(line):
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
    for i in sorted(keep):  # a kept '{' keeps its '}'
        if lines[i].rstrip().endswith("{"):
            depth = _indent(lines[i])
            for j in range(i + 1, len(lines)):
                if lines[j].strip() and _indent(lines[j]) <= depth:
                    if lines[j].strip().startswith("}") and _indent(lines[j]) == depth:
                        keep.add(j)
                    break
    return "\n".join(lines[i] for i in sorted(keep))
