"""Helpers every command module shares: settings, JSON output, errors, progress."""

from __future__ import annotations

import json
import logging
import re
import sys
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import click

from netops.errors import NetopsError

EXIT_PARTIAL = 7


def settings_from(ctx: click.Context | None = None):
    """The one Settings object for this invocation (built once, cached on the root context)."""
    from netops.settings import load_settings

    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    root.ensure_object(dict)
    if "settings" not in root.obj:
        settings = load_settings()
        if root.invoked_subcommand != "doctor":  # the doctor reports a bad home as one of its checks
            from netops.settings import check_home

            check_home(settings)
        root.obj["settings"] = settings
    return root.obj["settings"]


def _default(o: Any) -> Any:
    if hasattr(o, "model_dump"):
        return o.model_dump(mode="json")
    if is_dataclass(o) and not isinstance(o, type):
        return asdict(o)
    if isinstance(o, (Path,)):
        return str(o)
    if isinstance(o, datetime):
        return o.isoformat()
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    if hasattr(o, "get_secret_value"):
        return "********"
    return str(o)


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What ``ensure_ascii=False`` leaves raw in a JSON string: DEL and the C1 controls (0x9b is a
CSI on many terminals), line/paragraph separators, bidirectional overrides and lone surrogates
(which no UTF-8 stdout can even encode)."""


def to_json(data: Any) -> str:
    """``data`` as JSON, readable (non-ASCII kept) but with every character a terminal acts on
    or stdout cannot encode written as a ``\\uXXXX`` escape: still the same JSON value."""
    text = json.dumps(data, default=_default, indent=2, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def emit_json(data: Any) -> None:
    """Print one JSON document on stdout (nothing else goes to stdout under --json)."""
    click.echo(to_json(data))


def print_error(exc: NetopsError) -> None:
    click.echo(f"error: {exc.message}", err=True)
    if exc.hint:
        click.echo(f"hint: {exc.hint}", err=True)


class _StderrLogHandler(logging.Handler):
    """netops' own warnings as ``warning: ...`` lines on stderr; everything else only with --debug.

    Without a handler, Python's last-resort handler prints third-party records as they are,
    and paramiko logs a whole traceback for a failed handshake that netops already reports
    as a failed host result: a new user sees a "crash" that is not one.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.debug = False
        self.seen: set[tuple[str, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.debug:
            return True
        return record.name.split(".")[0] == "netops" and record.levelno >= logging.WARNING

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
            if (record.name, msg) in self.seen:  # e.g. the inventory is read twice in one command
                return
            self.seen.add((record.name, msg))
            if self.debug and record.exc_info:
                msg += "\n" + logging.Formatter().formatException(record.exc_info)
            # --debug shows netmiko's channel log (raw device output, the commands typed):
            # redacted like everything else a screen shows
            from netops.devices.redact import redact
            from netops.privacy import redact_text

            msg = redact_text(redact(msg) or msg) or msg
            label = record.levelname.lower() if record.name.split(".")[0] == "netops" else f"{record.name}"
            # click.echo looks sys.stderr up at call time (CliRunner and pytest swap it).
            click.echo(f"{label}: {msg}", err=True)
        except Exception:  # logging must never break a command
            self.handleError(record)


def configure_logging(debug: bool = False) -> None:
    """Route log records to stderr for the CLI (idempotent: safe to call per invocation)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _StderrLogHandler)), None)
    if handler is None:
        handler = _StderrLogHandler()
        root.addHandler(handler)
    handler.debug = debug
    handler.seen.clear()
    if debug and root.level > logging.DEBUG:
        root.setLevel(logging.DEBUG)


def console(stderr: bool = False):
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not out.is_terminal:
        # piped or in a log: a line is its own text, not folded at 80 columns mid-message
        out.soft_wrap = True
    return out


def print_wide(out: Any, renderable: Any) -> None:
    """Print a table to ``out``; piped, at its natural width rather than cut to 80 columns
    with '…', so a file or grep gets every cell whole."""
    if out.is_terminal:
        out.print(renderable)
        return
    from rich.measure import Measurement

    natural = Measurement.get(out, out.options.update_width(10_000), renderable).maximum
    saved = out.width
    out.width = max(saved, natural)
    try:
        out.print(renderable)
    finally:
        out.width = saved


_FENCE = re.compile(r"^(?P<fence>```|~~~)[^\n]*\n(?P<code>.*?)^(?P=fence)[ \t]*$\n?", re.M | re.S)


def markdown(text: str) -> Any:
    """Rich Markdown for an answer, its links written out: ``[RFC 4271](https://x.example)``
    prints ``RFC 4271 (https://x.example)``. With Rich's default a terminal got an OSC 8 link
    whose shown text hid its target, so a model (or a document it quoted) could label any address
    ``RFC 4271 §4.2``; the chat already draws them this way. Parsed with HTML off
    (:mod:`netops.markdown`): ``<redacted>`` is drawn, not dropped."""
    from netops.markdown import rich_markdown

    return rich_markdown(text, hyperlinks=False)


def print_markdown(out: Any, text: str) -> None:
    """Print an answer's Markdown at a terminal, its fenced code blocks line for line.

    Rich wraps a code block's lines at the console width, so a long ``netops playbook run ...``
    line became two half commands and a copy-paste ran the first half. Code lines are printed
    whole instead (the terminal folds them visually; copying gives the line back), indented two
    columns and in bold (a diff's added and removed lines in green and red); the prose around them is rendered as Markdown as before."""
    from rich.text import Text

    at = 0
    for m in _FENCE.finditer(text):
        before = text[at:m.start()]
        if before.strip():
            out.print(markdown(before))
        for line in m.group("code").rstrip("\n").split("\n"):
            added, removed = line.lstrip().startswith("+"), line.lstrip().startswith("-")
            style = "bold green" if added and "+++" not in line else "bold red" if removed and "---" not in line \
                else "bold"
            out.print(Text("  " + line, style=style), soft_wrap=True)
        at = m.end()
    rest = text[at:]
    if rest.strip() or at == 0:
        out.print(markdown(rest))


def progress(transient: bool = True):
    """A rich progress bar on stderr (hidden when stderr is not a terminal)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=transient,
        disable=not sys.stderr.isatty(),
    )


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(f)


def iter_lines(text: str) -> Iterator[str]:
    yield from text.splitlines()


class CtrlCCancels:
    """While active (main thread only), Ctrl-C cancels ``token`` instead of killing the process:
    a change in progress must be rolled back, not abandoned. ``prompting()`` True means a yes/no
    prompt is open: then Ctrl-C also breaks out of it (the prompt counts as a "no").
    ``notice(first)`` prints what happens next (``first`` False on a repeated Ctrl-C)."""

    def __init__(self, token: Any, *, prompting: Any = lambda: False, notice: Any = None) -> None:
        self.token, self.prompting, self.notice = token, prompting, notice
        self._old: Any = None

    def __enter__(self) -> "CtrlCCancels":
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
            # SIGTERM and SIGHUP (a closed terminal) are handled like Ctrl-C: a change is rolled back.
            self._old_term = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGTERM, signal.SIGHUP)}
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        import signal

        from netops.cancel import signal_received

        signal_received(signum)
        first = not self.token.cancelled
        why = ("cancelled by the user (Ctrl-C)" if signum == signal.SIGINT
               else f"terminated by {signal.Signals(signum).name}")
        self.token.cancel(self.token.reason or why)
        if self.prompting():
            raise KeyboardInterrupt
        if self.notice is not None:
            self.notice(first)

    def __exit__(self, *exc: object) -> None:
        import signal

        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
            self._old = None
        for sig, handler in getattr(self, "_old_term", {}).items():
            signal.signal(sig, handler)
        self._old_term = {}



def confirm_within(question: str, seconds: float, stream: Any = None) -> bool:
    """A yes/no prompt on standard error, default no (as ``click.confirm(question, default=False,
    err=True)``), that gives up after ``seconds`` with :class:`TimeoutError`: an approval prompt
    holds its hosts' change locks, and one left open on a terminal must not hold them for hours or
    take a "y" typed at the end of the day. End of input is :class:`EOFError`; an answer that is
    neither yes nor no asks again, within the same time. A stream with no descriptor gets
    ``click.confirm`` (no deadline can be kept on it)."""
    import os
    import select
    import time

    try:
        fd = (stream or sys.stdin).fileno()
    except (AttributeError, OSError, ValueError):  # no descriptor to wait on (an embedding program's stream)
        return click.confirm(question, default=False, err=True)
    deadline = time.monotonic() + seconds
    while True:
        click.echo(f"{question} [y/N]: ", nl=False, err=True)
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            click.echo("", err=True)
            raise TimeoutError(question)
        # read the descriptor itself: a line left in Python's buffer would be invisible to select
        line = os.read(fd, 4096).decode(errors="replace")
        if not line:
            raise EOFError
        said = line.strip().lower()
        if said in ("y", "yes"):
            return True
        if said in ("", "n", "no"):
            return False
        # "yes do it", "ok": not an answer (only y/yes approve); say what is, not click's "invalid input"
        click.echo(f"'{said[:40]}' is not an answer: type y (or yes) to approve, n (or just Enter) to deny",
                   err=True)
