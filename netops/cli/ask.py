"""``netops ask`` (retrieval-only for now): the best passages for a question, with citations.

If the knowledge base is empty, the default sources are indexed first (with a notice).
The answer logic lives in :mod:`netops.rag.answer` so the assistant layer can reuse it.
"""

from __future__ import annotations

import click

from netops.cli._common import console, emit_json, json_option, settings_from


@click.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--top-k", "-k", type=click.IntRange(1, 20), default=3, show_default=True,
              help="How many passages to show.")
@json_option
def ask(question: tuple[str, ...], top_k: int, as_json: bool) -> None:
    """Ask a question; answered from the knowledge base (retrieval only, no model)."""
    from netops.cli.kb import progress_callback
    from netops.errors import InputError
    from netops.rag.answer import retrieval_answer
    from netops.rag.kb import KnowledgeBase

    text = " ".join(question).strip()
    if not text:
        raise InputError("the question is empty", hint='netops ask "what is the BGP hold timer?"')
    ctx = click.get_current_context()
    kb = ctx.with_resource(KnowledgeBase(settings_from(ctx)))
    if kb.is_empty():
        click.echo("note: the knowledge base is empty; indexing the default sources first "
                   "(runbooks, glossary, core RFCs). This happens once.", err=True)
        with progress_callback("indexing defaults") as cb:
            report = kb.bootstrap(cb)
        click.echo(f"note: indexed {len(report.added) + len(report.updated)} documents "
                   f"({report.chunks} chunks); {len(report.failed)} failed", err=True)
    answer = retrieval_answer(kb, text, top_k=top_k)
    if as_json:
        emit_json(answer.to_dict())
        return
    from rich.markup import escape

    from netops.rag.answer import LABEL, snippet

    con = console()
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    con.print(f"[italic]{LABEL}[/italic]\n")
    if not answer.hits:
        con.print("Nothing in the knowledge base matches this question.")
        return
    for i, h in enumerate(answer.hits, start=1):
        con.print(f"[bold][{i}] {escape(h.chunk.citation)}[/bold]")
        con.print(f"{escape(snippet(h.chunk.text))}\n")
    con.print("[dim]sources: " + escape("; ".join(answer.citations)) + "[/dim]")
