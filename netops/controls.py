"""Control characters out of untrusted text before any surface, log or store sees it.

A model's tokens and a device's output (an interface or BGP neighbour description is free text
anyone with config access writes) may carry terminal escape sequences: ``ESC]52;c;...`` sets the
terminal's clipboard, ``ESC]0;...`` its title, ``ESC[2J`` clears the screen, ``CR`` overwrites
the line shown, ``U+202E`` reverses it, tag characters (U+E0000..E007F) hide a sentence that a
model still reads ("ASCII smuggling"), zero-width characters make ``r\\u200b3`` look like ``r3``,
and ``U+2028``/``U+2029`` break a line for every ``str.splitlines()`` (a parser's, a renderer's)
though no device, terminal or file sees a line break there: an interface description holding
one added an interface, with another's address, to what a parser read.
:func:`printable` is applied where such text enters netops (:mod:`netops.model.base` for model
text, :mod:`netops.devices.redact` for device output, :mod:`netops.devices.service` for the
text a parser reads).
"""

from __future__ import annotations

import re

__all__ = ["inline", "printable", "visible"]

# C0 but tab and newline, DEL, C1, bidi overrides, isolates and marks (LRM, RLM, ALM), lone
# surrogates, the tag characters and supplementary variation selectors, and the invisible format
# characters that join nothing (soft hyphen, Mongolian vowel separator, zero-width space, word
# joiner, invisible operators, zero-width no-break space): none is seen, each is read by a model.
# ZWJ and ZWNJ stay (emoji sequences and Indic and Persian script need them).
_CONTROL_CLASS = ("\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
                  "\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff\U000e0000-\U000e007f\U000e0100-\U000e01ef")
_CONTROLS = re.compile(f"[{_CONTROL_CLASS}]")
# the line and paragraph separators: a line break to str.splitlines(), to no one else
_SEPARATORS = re.compile("[\u2028\u2029]")
_UNSEEN = re.compile(f"[{_CONTROL_CLASS}\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` without control characters: C0 (but tab and newline), DEL, C1, the
    bidirectional overrides and marks, zero-width characters, lone UTF-16 surrogates (a JSON
    stream may spell one as ``\\ud800``; no file, terminal or SQLite can store it) and invisible
    tag characters; the Unicode line and paragraph separators become a space (one line stays one
    line). What is left of an escape sequence is plain text. Removed one character at a time, so
    a sequence split over tokens goes too."""
    if not text:
        return text
    return _SEPARATORS.sub(" ", _CONTROLS.sub("", text.replace("\r\n", "\n")))


def visible(text: str) -> str:
    """``text`` with each control character written out as its escape (``\\x1b``, ``\\u202e``,
    ``\\u2028``): for a record that must keep what was sent, exactly, yet never act on the
    terminal that later shows it (the audit log: a model's refused command with an escape
    sequence in it)."""
    if not text or not _UNSEEN.search(text):
        return text
    return _UNSEEN.sub(lambda m: m.group(0).encode("unicode_escape", "backslashreplace").decode("ascii"), text)


_MARKUP = re.compile(r"[*`\[\]<>\\]|(?<!\w)_|_(?!\w)")


def inline(text: object) -> str:
    """A free-text field a person or a program typed (an approver's name, an actor, a run's state in
    the audit log), said inside a line of an answer: :func:`printable`, on one line (every run of
    white space, newlines too, is one space) and its Markdown emphasis, code and link characters
    escaped, so it can neither start a line of its own ("\\n**Found:** nothing changed") nor bold or
    link itself into netops's wording. A plain name is unchanged (``o_brien`` too)."""
    said = " ".join(printable(str(text)).split())
    return _MARKUP.sub(lambda m: "\\" + m.group(0), said)
