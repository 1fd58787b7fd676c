"""``shaped``: turn a parser's surprise at the output's shape into a :class:`ParseError`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from netops.devices.parsers import ParseError

F = TypeVar("F", bound=Callable[..., Any])


def shaped(what: str) -> Callable[[F], F]:
    """Decorate a parser of ``what`` (a command): a missing key, a wrong type or a value the
    model rejects becomes one :class:`ParseError` line instead of a bare ``KeyError``.

    Output the parser cannot read, or reads as empty, is read once more without a margin that
    every line carries (a capture quoted in a ticket, a document or a test suite) and without a
    terminal log's framing (the ``r1#show ...`` echo above, the ``r1#`` prompt below). Output
    read as it is stays as it is read (NX-OS indents some tables by one blank)."""

    def wrap(fn: F) -> F:
        def call(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
            try:
                return fn(*args, **kw)
            except ParseError:
                raise
            except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
                detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
                raise ParseError(f"{what!r} output has an unexpected shape: {detail}") from exc

        def again(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
            if not args or not isinstance(args[0], str):
                return None
            text = args[0]
            tried = {text}
            for other in (unindent(text), unframed(text), unindent(unframed(text))):
                if other in tried:
                    continue
                tried.add(other)
                try:
                    out = call((other, *args[1:]), kw)
                except ParseError:
                    continue
                if not _empty(out):
                    return out
            return None

        @functools.wraps(fn)
        def inner(*args: Any, **kw: Any) -> Any:
            try:
                out = call(args, kw)
            except ParseError:
                retry = again(args, kw)
                if retry is None:
                    raise
                return retry
            if _empty(out):
                return again(args, kw) or out
            return out

        return inner  # type: ignore[return-value]

    return wrap


def _empty(result: Any) -> bool:
    """A result with no rows: an empty list, or no ``interfaces`` / ``neighbors`` and no note."""
    if isinstance(result, list):
        return not result
    for rows in ("interfaces", "neighbors"):
        if hasattr(result, rows):
            return not getattr(result, rows) and not getattr(result, "note", None)
    return False


_MARGIN = re.compile(r"^[ \t]*(?=\S)", re.M)


def unindent(text: str) -> str:
    """``text`` without the leading blanks every non-blank line has (unchanged when one line
    starts at the margin, as device output does)."""
    margins = _MARGIN.findall(text)
    if not margins:
        return text
    cut = min(margins, key=len)
    if not cut or any(not m.startswith(cut) for m in margins):
        return text
    return "\n".join(line[len(cut):] if line.startswith(cut) else line.lstrip(" \t") for line in text.split("\n"))


_ECHO = re.compile(r"^\s*\S*[#>]\s*(?:show|sh|display|dis|admin)\b", re.I)  # r1#show, user@r1> show, <HW>display
_PROMPT = re.compile(r"^\s*\S*[#>]\s*$")


def unframed(text: str) -> str:
    """``text`` without a terminal log's command echo above it and prompt below it."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _ECHO.match(lines[0]):
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and _PROMPT.match(lines[-1]):
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""
