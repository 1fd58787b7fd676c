"""Markdown at a terminal (``netops ask``, ``netops chat``): HTML in the text is shown as text.

Rich's Markdown parses with markdown-it's CommonMark preset, where ``<redacted>`` (what netops puts
in place of a secret), ``<host>`` in a usage line or ``<data source=...>`` is inline HTML, and Rich
draws no HTML at all: ``neighbor 10.20.0.1 password <redacted>`` in a quoted passage read
``neighbor 10.20.0.1 password`` with nothing after it, as if the document set no password (trial34).
Nothing netops shows is meant as HTML, so the parser here has HTML off: the same Markdown
otherwise (strikethrough, tables), and ``<...>`` stays as written.
"""

from __future__ import annotations

from typing import Any

_PARSER: Any = None


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
