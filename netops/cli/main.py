"""The ``netops`` command: a lazy click group and the one place errors become exit codes.

Exit codes (documented in ``netops --help`` and the README):
  0 success · 1 operation failed · 2 bad input or configuration · 3 a backend (Ollama, Chroma,
  mirror) unreachable · 4 not found · 5 refused (policy, approval, unvetted playbook) ·
  6 audit log tampered · 7 partial failure (some hosts failed) · 70 internal error ·
  128 + the signal when interrupted (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP; during a change after
  its rollback). A reader that closes the pipe early (``| head -1``) changes nothing: the command
  finishes with its own code. A pipe that breaks under anything else is a failure (exit 1).
"""

from __future__ import annotations

import importlib
import os
import sys

import click

# name -> (module:attribute, one-line help). Help lives here so `netops --help` imports nothing.
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("netops.cli.ask:ask", "Ask a question or state an intent (one shot)."),
    "conversations": ("netops.cli.conversations:conversations", "List, search, show and delete conversations."),
    "chat": ("netops.cli.chat:chat", "Chat in the terminal: cited answers, approvals, cancel."),
    "kb": ("netops.cli.kb:kb", "Build, search and evaluate the knowledge base."),
    "devices": ("netops.cli.devices:devices", "List, check, trust and import devices."),
    "show": ("netops.cli.devices:show", "Run a read-only command on devices."),
    "state": ("netops.cli.devices:state", "Typed device state: facts, interfaces, bgp, ospf, route, config."),
    "playbook": ("netops.cli.playbook:playbook", "List, lint, vet, plan and run vetted playbooks."),
    "audit": ("netops.cli.audit:audit", "Read and verify the tamper-evident audit log."),
    "models": ("netops.cli.models:models", "List and pull local models (Ollama)."),
    "lab": ("netops.cli.lab:lab", "Run a real FRRouting lab on this machine (root)."),
    "doctor": ("netops.cli.doctor:doctor", "Check every part of netops and say how to fix it."),
    "plugins": ("netops.cli.plugins:plugins", "List installed plugins and what they provide."),
    "plugin": ("netops.cli.plugin:plugin", "Scaffold a new plugin package (plugin new NAME)."),
}

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

EPILOG = (
    "Exit codes: 0 ok, 1 failed, 2 bad input/config, 3 backend unreachable, 4 not found, "
    "5 refused, 6 audit tampered, 7 partial failure, 70 internal error, 128+signal interrupted "
    "(130 Ctrl-C, 143 SIGTERM, 129 SIGHUP). "
    "State lives in $NETOPS_HOME (default ~/.local/share/netops)."
)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from netops.environment import current_environment

    click.echo(current_environment().describe())
    ctx.exit(0)


# Words users type for something netops calls otherwise: the error names the real command.
GUESSES = {
    "history": "past questions and answers are `netops conversations` (list, search, show)",
    "inventory": "the inventory is `netops devices` (list, check, trust, import)",
    "check": "`netops doctor` checks netops itself; `netops devices check all` checks devices",
    "version": "use `netops --version`",
    "help": "use `netops --help` (or `netops COMMAND --help`)",
}


class PipeClosed(Exception):
    """A pipe closed under a command (``BrokenPipeError``), carried past click: click turns any
    EPIPE into a silent ``sys.exit(1)``, and :func:`main` tells the reader of stdout leaving (no
    failure) from another pipe breaking (a failure, said)."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause.strerror or str(cause))
        self.cause = cause


class LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand is used."""

    def invoke(self, ctx: click.Context) -> object:
        import errno

        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            raise PipeClosed(exc) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        cmd = super().get_command(ctx, name)
        if cmd is not None or name not in COMMANDS:
            return cmd
        target, _ = COMMANDS[name]
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None
        return getattr(module, attr)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            meant = GUESSES.get(click.utils.make_str(args[0]).lower()) if args else None
            if meant is None:
                if isinstance(exc, click.NoSuchCommand):  # click compares with self.commands: empty here
                    raise click.NoSuchCommand(exc.command_name, possibilities=self.list_commands(ctx),
                                              ctx=ctx) from None
                raise
            raise click.UsageError(f"no command {args[0]!r}: {meant}", ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version, the Python and the environment netops runs from, and exit.")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """netops: a local-first assistant for people who run networks.

    Ask about specs and live device state; change devices only through vetted playbooks.
    Models run locally (Ollama or llama.cpp); nothing leaves this machine. `netops` alone, on a
    terminal, opens the chat (`netops chat`).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if not ctx.resilient_parsing:
        from netops.cli._common import configure_logging

        configure_logging(debug or _debug_requested([]))
        if ctx.invoked_subcommand == "chat":
            return  # the chat builds Settings and warns about unfinished changes after its first frame
        from netops.cli._common import settings_from

        settings_from(ctx)  # a broken config or environment fails here, once, in one line
        _warn_unfinished_runs(ctx)


def _warn_unfinished_runs(ctx: click.Context) -> None:
    """Every command first puts back what a crashed netops left changed and says so, one line
    per host (the library's start-up step; one listdir when there is nothing)."""
    from netops.cli._common import settings_from
    from netops.playbook.recover import at_start

    if "recover" in (ctx.obj.get("argv") or sys.argv[1:]):
        return  # `playbook recover` does it itself, with its own report
    for line in at_start(settings_from(ctx)):
        click.echo(line, err=True)


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("NETOPS_DEBUG", "") not in ("", "0")


# click >= 8.2 raises this (a UsageError) for a group called without a subcommand.
_NO_ARGS_IS_HELP: type[Exception] = getattr(click.exceptions, "NoArgsIsHelpError", type("_Never", (Exception,), {}))


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, ``timeout``, a CI job cancelled, a shutdown) or SIGHUP (the terminal
    closed) outside a change: handled like Ctrl-C, so what an interrupted command keeps and says
    (``kb add``'s files done, ``ask``'s question) is kept and said, and the exit code is 128 +
    the signal (143 for SIGTERM, 129 for SIGHUP).
    During a change the runner's own handlers take them first (cancel, roll back)."""


def _terminate(signum: int, _frame: object) -> None:
    import signal

    from netops.cancel import signal_received

    signal_received(signum)
    raise Terminated(signal.Signals(signum).name)


def _take_termination() -> dict:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _terminate) for sig in (signal.SIGTERM, signal.SIGHUP)}


def _interrupted(exc: BaseException | None) -> str:
    return f"interrupted ({exc.args[0]})" if isinstance(exc, Terminated) and exc.args else "interrupted"


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map every outcome to an exit code."""
    import signal

    from netops.cancel import forget_signals, interrupted_exit_code
    from netops.errors import NetopsError

    from netops.cli.streams import forgive_closed_readers

    forget_signals()
    forgive_closed_readers()  # `| head -1`: the reader leaving is not the command failing
    args = list(sys.argv[1:] if argv is None else argv)
    if not args and argv is None and sys.stdin.isatty() and sys.stdout.isatty():
        args = ["chat"]  # `netops` alone, on a terminal, opens the chat (the help says so)
    # the chat (Textual) keeps its own signal handling
    saved = _take_termination() if not args or args[0] != "chat" else {}
    try:
        rv = cli.main(args=args, prog_name="netops", standalone_mode=False, obj={"argv": args})
        code = rv if isinstance(rv, int) else 0
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except _NO_ARGS_IS_HELP as exc:
        # `netops devices` alone is a user exploring, not a mistake: the group's help, exit 0.
        click.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
        code = 0
    except click.UsageError as exc:
        # Bad arguments are bad input like any other: one line, plus where to look.
        click.echo(f"error: {exc.format_message()}", err=True)
        if exc.ctx is not None:
            click.echo(f"hint: {exc.ctx.command_path} --help", err=True)
        code = exc.exit_code
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        code = exc.exit_code
    except click.exceptions.Abort as exc:
        interrupted = isinstance(exc.__cause__, KeyboardInterrupt)
        click.echo(_interrupted(exc.__cause__) if interrupted else "aborted", err=True)
        code = EXIT_INTERRUPTED
    except KeyboardInterrupt as exc:
        click.echo(_interrupted(exc), err=True)
        code = EXIT_INTERRUPTED
    except NetopsError as exc:
        from netops.cli._common import print_error

        print_error(exc)
        code = exc.exit_code
    except (BrokenPipeError, PipeClosed) as exc:
        from netops.cli.streams import reader_gone

        if reader_gone(sys.stdout):  # a reader that has what it wanted (a stream netops did not wrap)
            code = 0
        else:  # a pipe to something else broke under the command: it did not finish
            try:
                click.echo(f"error: a pipe closed under netops before the command finished ({exc})", err=True)
            except (BrokenPipeError, OSError, ValueError):
                pass  # standard error is the pipe that closed: the exit code still says it
            code = 1
    except Exception as exc:  # the last line of defence: never a bare traceback
        if _debug_requested(args):
            raise
        click.echo(
            f"error: unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)",
            err=True,
        )
        code = EXIT_INTERNAL
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    if code == EXIT_INTERRUPTED:  # which signal: 143 for SIGTERM, 129 for SIGHUP (130 for Ctrl-C)
        code = interrupted_exit_code()
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass  # its reader has gone (or it was closed): what was left unwritten has nobody to read it
    return code


def run() -> None:  # pragma: no cover
    sys.exit(main())
