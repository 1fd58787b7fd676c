"""``shaped``: turn a parser's surprise at the output's shape into a :class:`ParseError`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from netops.devices.parsers import ParseError

F = TypeVar("F", bound=Callable[..., Any])


def shaped(what: str) -> Callable[[F], F]:
    """Decorate a parser of ``what`` (a command): a missing key, a wrong type or a value the
    model rejects becomes one :class:`ParseError` line instead of a bare ``KeyError``."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args: Any, **kw: Any) -> Any:
            try:
                return fn(*args, **kw)
            except ParseError:
                raise
            except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
                detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
                raise ParseError(f"{what!r} output has an unexpected shape: {detail}") from exc

        return inner  # type: ignore[return-value]

    return wrap
