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

    Output with a margin on every line (a capture quoted in a ticket, a document or a test
    suite) that the parser cannot read, or reads as empty, is read once more without that
    margin. Output read as it is stays as it is read (NX-OS indents some tables by one blank)."""

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
            if not args or not isinstance(args[0], str) or unindent(args[0]) == args[0]:
                return None
            try:
                out = call((unindent(args[0]), *args[1:]), kw)
            except ParseError:
                return None
            return None if _empty(out) else out

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
