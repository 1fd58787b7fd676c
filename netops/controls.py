"""Control characters out of untrusted text before any surface, log or store sees it.

A model's tokens and a device's output (an interface or BGP neighbour description is free text
anyone with config access writes) may carry terminal escape sequences: ``ESC]52;c;...`` sets the
terminal's clipboard, ``ESC]0;...`` its title, ``ESC[2J`` clears the screen, ``CR`` overwrites
the line shown, ``U+202E`` reverses it, tag characters (U+E0000..E007F) hide a sentence that a
model still reads ("ASCII smuggling"). :func:`printable` is applied where such text enters
netops (:mod:`netops.model.base` for model text, :mod:`netops.devices.redact` for device output).
"""

from __future__ import annotations

import re

__all__ = ["printable", "visible"]

# C0 but tab and newline, DEL, C1, bidi overrides and isolates, lone surrogates, and the tag
# characters and supplementary variation selectors (invisible, yet read by a model as letters)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                       "\U000e0000-\U000e007f\U000e0100-\U000e01ef]")


def printable(text: str) -> str:
    """``text`` without control characters: C0 (but tab and newline), DEL, C1, the
    bidirectional overrides, lone UTF-16 surrogates (a JSON stream may spell one as
    ``\\ud800``; no file, terminal or SQLite can store it) and invisible tag characters. What
    is left of an escape sequence is plain text. Removed one character at a time, so a sequence
    split over tokens goes too."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n")) if text else text


def visible(text: str) -> str:
    """``text`` with each control character written out as its escape (``\\x1b``, ``\\u202e``):
    for a record that must keep what was sent, exactly, yet never act on the terminal that later
    shows it (the audit log: a model's refused command with an escape sequence in it)."""
    if not text or not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape", "backslashreplace").decode("ascii"), text)
