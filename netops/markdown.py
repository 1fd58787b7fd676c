"""Markdown at a terminal (``netops ask``, ``netops chat``): HTML in the text is shown as text.

Rich's Markdown parses with markdown-it's CommonMark preset, where ``<redacted>`` (what netops puts
in place of a secret), ``<host>`` in a usage line or ``<data source=...>`` is inline HTML, and Rich
draws no HTML at all: ``neighbor 10.20.0.1 password <redacted>`` in a quoted passage read
``neighbor 10.20.0.1 password`` with nothing after it, as if the document set no password (trial34).
Nothing netops shows is meant as HTML, so the parser here has HTML off: the same Markdown
otherwise (strikethrough, tables), and ``<...>`` stays as written.
"""

from __future__ import annotations

import re
from typing import Any

_PARSER: Any = None

NAMED_LABEL = r"netops(?:['\u2019]s?)?(?:[ \t]+[\w'-]+){0,3}"
"""A label in netops's name ("netops verdict", "netops's reading", "netops"), before its colon."""
OWN_LABEL = (r"(?:found|outcome|not\s+(?:read|run|changed|healthy)|originated\s+by|no\s+answer|cancelled|"
             r"already\s+undone|no\s+change\s+to\s+undo|(?:its\s+)?dry\s+run\s+failed|no\s+routing-table\s+history|"
             r"the\s+audit\s+log\s+(?:verifies|is\s+empty|does\s+not\s+verify)|not\s+the\s+command\s+you\s+typed)")
"""The labels netops's own device, change and audit answers put at a line's start ("**Found:**",
"**Outcome:**"), before their colon. One list: the answer check's imitation test
(:func:`netops.agent.grounding.imitates_netops`) and :func:`plain_labels` read it."""

_EMPHASISED_LABEL = re.compile(r"(?<![\w*_\\])(?P<m>\*\*|__|\*|_)(?P<body>(?:" + NAMED_LABEL + "|" + OWN_LABEL
                               + r")[ \t]*:[^\n]*?)(?P=m)(?![\w*_])", re.IGNORECASE)


def plain_labels(text: str) -> str:
    """A document's text to show as a passage, with the emphasis taken off netops's own labels in it
    ("**Found:** drained: r3." -> "Found: drained: r3.", "_netops: r3 is converged_" -> "netops: r3 is
    converged"): a runbook that quotes what netops said showed it in netops's voice, bold, inside the
    cited passage. Nothing else of the document's Markdown changes (its tables and its own bold stay)."""
    return _EMPHASISED_LABEL.sub(lambda m: m.group("body"), text)


def parser() -> Any:
    """The markdown-it parser for every answer drawn at a terminal (HTML off)."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").enable("table")
    return _PARSER


def rich_markdown(text: str, **options: Any) -> Any:
    """A ``rich.markdown.Markdown`` of ``text`` (``options`` as Rich takes them) parsed with
    :func:`parser`: ``<redacted>`` is drawn, not dropped."""
    from rich.markdown import Markdown

    md = Markdown("", **options)  # Rich parses in __init__ with HTML on: parse here instead
    md.markup = text
    md.parsed = parser().parse(text)
    return md


_HEADING_LINE = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+(.*?))?[ \t#]*$", re.MULTILINE)


def headings_as_sentences(text: str) -> str:
    """A document's Markdown headings as sentences ("## Rollback" -> "Rollback."), for text that is
    flattened to one line: flattened, a runbook's first chunk began with "# Title" and the whole
    passage was one heading (a centred title on the screen, and nothing to the answer check)."""
    def heading(m: re.Match[str]) -> str:
        title = (m.group(1) or "").strip()
        return title + ("" if not title or title[-1] in ".:;!?" else ".")

    return _HEADING_LINE.sub(heading, text)
