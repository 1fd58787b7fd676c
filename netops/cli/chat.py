"""``netops chat``: the terminal chat (Textual). Textual is imported only here, when it runs."""

from __future__ import annotations

import os
import sys

import click

from netops.cli._common import settings_from


@click.command()
@click.option("--model", "-m", default=None, help="Model to use (default: settings.model).")
@click.option("--offline", is_flag=True, help="Do not use a model: intent router and retrieval only.")
@click.option("--continue", "-c", "continue_last", is_flag=True,
              help="Continue the newest chat conversation (not a `netops ask` one; the chat says which it "
                   "resumed). Another: --conversation ID (netops conversations list).")
@click.option("--conversation", "conversation_id", default=None, metavar="ID", help="Resume a stored conversation.")
def chat(model: str | None, offline: bool, continue_last: bool, conversation_id: str | None) -> int:
    """Chat with netops in the terminal: answers cite evidence, changes ask for approval.

    Keys: Enter sends, Esc stops an answer, Ctrl+C cancels a change (rolled back), F1 help,
    Ctrl+P commands, Ctrl+Q quits.
    """
    from netops.errors import InputError

    if continue_last and conversation_id:
        raise InputError("use either --continue or --conversation, not both")
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise InputError("netops chat needs a terminal", hint='for scripts use: netops ask "..." --json')
    if os.environ.get("TERM") == "dumb":  # Emacs' shell, some consoles: no cursor movement, no screen
        raise InputError("netops chat needs a full-screen terminal (TERM=dumb here)",
                         hint='ask one question at a time with: netops ask "..."')
    ctx = click.get_current_context()
    from netops.tui.app import ChatApp

    # Settings are built by the app after its first frame (pydantic and the model cost ~0.1 s); a
    # broken config still ends here as one line and its exit code.
    app = ChatApp(lambda: settings_from(ctx), model=model, offline=offline, conversation_id=conversation_id,
                  continue_last=continue_last)
    app.run()
    if app.still_running():  # closed at once during a change (a second Ctrl+Q or SIGTERM): its rollback goes on
        _say("waiting for the change's rollback to finish (Ctrl+C stops waiting: the next start recovers it)")
    app.finish_background()  # the process must not end under the rollback (the turn is a daemon thread)
    if app.startup_error is not None:
        raise app.startup_error
    failed = app.return_code or 0  # an error inside the chat: Textual has shown it and left with 1
    cid = app.kept_conversation()
    if cid:  # the terminal is back: say the conversation is kept and how to come back to it
        how = (f"netops chat --continue (or --conversation {cid})" if cid == app.written
               else f"netops chat --conversation {cid}")
        _say(f"conversation {cid} kept: {how} resumes it")
    if app.exit_note:
        _say(app.exit_note)
    from netops.cancel import received_signal

    signum = received_signal()
    if signum is not None:  # closed by SIGTERM or SIGHUP (as Ctrl+Q would): 128 + the signal
        import signal

        from netops.cli.main import EXIT_INTERRUPTED

        _say(f"interrupted ({signal.Signals(signum).name})")
        ctx.exit(EXIT_INTERRUPTED)
    if failed:
        ctx.exit(failed)
    return 0


def _say(line: str) -> None:
    """A line on the terminal after the chat closed; after SIGHUP the terminal may be gone (EIO):
    what was to be said has nobody to read it, and the exit code still says how it ended."""
    try:
        click.echo(line, err=True)
    except OSError:
        pass
