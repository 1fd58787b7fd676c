"""``netops conversations``: list (and search), show and delete stored conversations.

Continue one with ``netops ask --conversation ID "..."`` (or the newest with ``--continue``).
"""

from __future__ import annotations

import json

import click

from netops.cli._common import console, emit_json, json_option, print_markdown, settings_from


def _session():
    from netops.session import Session

    return Session(settings_from())


@click.group()
def conversations() -> None:
    """Stored conversations: list, search, show, delete."""


@conversations.command("list")
@click.option("--query", "-q", default=None, help="Only conversations whose messages contain every word.")
@click.option("--limit", "-n", type=click.IntRange(1, 10000), default=50, show_default=True)
@json_option
def list_cmd(query: str | None, limit: int, as_json: bool) -> None:
    """Newest first: id, last activity, messages, title."""
    from netops.privacy import redact_text

    with _session() as session:
        found = session.conversations(limit=limit, query=query)
    query = redact_text(query)  # echoed below: a secret typed as a search word is not printed
    if as_json:
        emit_json({"conversations": [c.to_dict() for c in found], "query": query})
        return
    if not found:
        click.echo("no conversations" + (f" matching {query!r}" if query else ""))
        return
    from netops.store.history import MATCH_CLOSE, MATCH_OPEN

    for c in found:
        click.echo(f"{c.id}  {c.updated_at[:19].replace('T', ' ')}  {c.message_count:>3} msg  {c.title[:70]}")
        if c.match:  # which message made the search find it: titles alone did not say
            shown = "".join(click.style(part[0], bold=True) + part[1] if len(part) == 2 else part[0]
                            for part in (chunk.split(MATCH_CLOSE, 1) for chunk in c.match.split(MATCH_OPEN)))
            click.echo(f"    matched: {shown}")


@conversations.command("show")
@click.argument("cid", metavar="ID")
@json_option
def show_cmd(cid: str, as_json: bool) -> None:
    """Every message of one conversation, with the tool calls, changes and evidence of each
    answer (`--json`: under each message's `meta`). ID may be a unique start of the id (4
    characters at least)."""
    with _session() as session:
        conv = session.conversation(cid)
    if as_json:
        emit_json(conv.to_dict())
        return
    from netops.tui.export import when_said  # the stored UTC times in this machine's zone, named (history37)

    click.echo(f"{conv.id}  {conv.title}  (started {when_said(conv.started_at)}"
               + (f", model {conv.model}" if conv.model else "") + ")")
    out = console()
    for m in conv.messages:
        click.echo(f"\n[{m.role}] {when_said(m.created_at)}")
        if m.role == "assistant" and out.is_terminal:
            print_markdown(out, m.content)  # as `netops ask` showed it (it printed **bold** and ## raw)
        else:
            click.echo(m.content)  # piped: the stored text, exactly
        if m.role == "assistant":
            _answer_details(m)
        elif m.unanswered:
            from netops.store.history import UNANSWERED

            click.echo(f"  ({UNANSWERED})")


def _answer_details(message) -> None:  # type: ignore[no-untyped-def]
    """Tool calls, changes, the answer check and the evidence stored with an answer."""
    from netops.agent.transcript import stored_answer

    stored = stored_answer(message)
    for c in stored.tool_calls:
        status = f"ok, {c.summary}" if c.ok else f"failed: {c.error}"
        click.echo(f"  tool {c.tool} {json.dumps(c.args, default=str)} ({c.elapsed:.2f} s): {status}"[:200])
    for a in stored.approvals:
        click.echo(f"  change {a.playbook} on {', '.join(a.targets)}: {a.decision}"
                   + (f" by {a.by}" if a.by else "") + (f" ({a.result})" if a.result else ""))
    if stored.check:
        click.echo(f"  answer check: {stored.check.get('summary', '')}")
    for n, e in stored.numbered():
        click.echo(f"  [{n}] {e.label}")


@conversations.command("delete")
@click.argument("cid", metavar="ID")
@json_option
def delete_cmd(cid: str, as_json: bool) -> None:
    """Delete one conversation and its messages. ID may be a unique start of the id."""
    with _session() as session:
        cid = session.delete_conversation(cid)
    if as_json:
        emit_json({"deleted": cid})
    else:
        click.echo(f"deleted conversation {cid}")


@conversations.command("redact")
@json_option
def redact_cmd(as_json: bool) -> None:
    """Redact secrets in every stored conversation (titles, messages, the search index) and
    compact the file. Opening a history written by an older netops already does this once;
    this runs it again and says what each pass changed."""
    with _session() as session:
        history = session.history
        on_open = history.redaction_report
        again = history.redact_all()
    if as_json:
        emit_json({"on_open": on_open.to_dict() if on_open else None, "pass": again.to_dict()})
        return
    if on_open is not None and (on_open.messages_changed or on_open.titles_changed):
        click.echo(f"on opening: {on_open.messages_changed} messages and {on_open.titles_changed} titles "
                   "rewritten, index rebuilt, file compacted")
    click.echo(f"{again.messages} messages checked: {again.messages_changed} changed, "
               f"{again.titles_changed} titles changed (redaction rules v{again.version})")
