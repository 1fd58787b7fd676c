"""Control characters out of untrusted text before any surface, log or store sees it.

A model's tokens and a device's output (an interface or BGP neighbour description is free text
anyone with config access writes) may carry terminal escape sequences: ``ESC]52;c;...`` sets the
terminal's clipboard, ``ESC]0;...`` its title, ``ESC[2J`` clears the screen, ``CR`` overwrites
the line shown, ``U+202E`` reverses it. :func:`printable` is applied where such text enters
netops (:mod:`netops.model.base` for model text, :mod:`netops.devices.redact` for device output).
"""

from __future__ import annotations

import re

__all__ = ["printable"]

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` without control characters: C0 (but tab and newline), DEL, C1, the
    bidirectional overrides and lone UTF-16 surrogates (a JSON stream may spell one as
    ``\\ud800``; no file, terminal or SQLite can store it). What is left of an escape sequence is
    plain text. Removed one character at a time, so a sequence split over tokens goes too."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n")) if text else text
