"""``netops kb``: build, search and evaluate the knowledge base (a thin shell over rag.kb)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import click

from netops.cli._common import EXIT_PARTIAL, console, emit_json, json_option, print_wide, progress, settings_from

SNIPPET = 320
MODE_CHOICE = click.Choice(["hybrid", "dense", "lexical"])


def open_kb(ctx: click.Context | None = None):
    """The KnowledgeBase for this invocation (closed when the command ends)."""
    from netops.rag.kb import KnowledgeBase

    ctx = ctx or click.get_current_context()
    return ctx.with_resource(KnowledgeBase(settings_from(ctx)))


@contextlib.contextmanager
def progress_callback(label: str) -> Iterator:
    """A rich progress bar on stderr driven by ``on_progress(done, total, name)``; on a stderr that
    is not a terminal (cron, CI, ``2>log``), where the bar is hidden, one plain line per file done,
    so a log of a long ``kb add`` shows how far it got instead of minutes of nothing."""
    import sys

    plain = not sys.stderr.isatty()
    with progress() as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, name: str) -> None:
            if plain and done > update.seen[0]:
                click.echo(f"{label}: {done}/{total or '?'} {Path(name).name}", err=True)
            update.seen = (done, total)
            bar.update(task, completed=done, total=total, description=f"{label} {Path(name).name[:40]}")

        update.seen = (0, 0)

        def expect(total: int, what: str) -> None:
            """Say the total and what the first seconds go to, before the first file settles
            (files settle a group at a time, after the group is embedded: '0/?' for a minute)."""
            update.seen = (0, total)
            bar.update(task, completed=0, total=total or None, description=f"{label} ({what})")

        update.expect = expect
        yield update


def _notice(kb) -> None:
    if kb.lexical_only:
        click.echo("note: no embedder available: lexical-only search (BM25); "
                   "see netops doctor", err=True)
    elif kb.vectors_pending:
        click.echo(f"note: {kb.vectors_pending} documents still await vectors: lexical search (BM25) "
                   "until they are embedded (netops kb init finishes it now)", err=True)


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _report_dict(report) -> dict:
    return {
        "ok": report.ok,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "removed": report.removed,
        "notes": report.notes,
        "chunks": report.chunks,
        "seconds": round(report.seconds, 2),
    }


def _print_report(report) -> None:
    con = console()
    con.print(f"added {len(report.added)}, updated {len(report.updated)}, unchanged "
              f"{len(report.unchanged)}, failed {len(report.failed)}"
              + (f", removed {len(report.removed)}" if report.removed else "")
              + f" ({report.chunks} chunks in {report.seconds:.1f} s)", soft_wrap=True)
    from rich.markup import escape

    for source in report.removed:
        con.print(f"  removed {escape(source)} (no longer on disk)", soft_wrap=True)
    for source, note in report.notes.items():
        con.print(f"  note {escape(source)}: {escape(note)}", soft_wrap=True)

    for source, reason in report.failed.items():
        con.print(f"  [red]failed[/red] {escape(source)}: {escape(reason)}", soft_wrap=True)


@click.group()
def kb() -> None:
    """Build, search and evaluate the knowledge base (RFCs, runbooks, your documents)."""


@kb.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--source", "source_name", metavar="NAME", help="Index a registered knowledge source (see netops plugins).")
@json_option
def add(paths: tuple[Path, ...], source_name: str | None, as_json: bool) -> int:
    """Index files and directories (unchanged files are skipped). Exit 7 if some files failed and
    others were indexed, 1 if every file failed."""
    from netops.errors import InputError

    if not paths and not source_name:
        raise InputError("nothing to add", hint="netops kb add PATH... or netops kb add --source NAME")
    k = open_kb()
    if not as_json:
        _notice(k)
    from netops.rag.kb import merge_reports
    from netops.rag.types import IngestReport

    report = IngestReport()
    try:
        with progress_callback("indexing") as cb:
            if paths and not source_name:
                from netops.rag.loaders import discover

                found, _ = discover([p.expanduser() for p in paths])
                cb.expect(len(found), "reading and embedding the first files; unchanged ones are skipped")
            if source_name:
                merge_reports(report, k.add_source(source_name, cb))
            if paths:
                merge_reports(report, k.add(list(paths), cb))
    except KeyboardInterrupt:
        # "interrupted" alone left the person to wonder whether the index was broken and the
        # hour of embedding lost: every file done is committed, the rest is a rerun away (said
        # once the progress bar is gone, not on its line)
        done, total = cb.seen
        if done:
            click.echo(f"note: stopped with {done} of {total} files done; they stay indexed and searchable, the "
                       "index is consistent. Run the same command again to finish (files already indexed are "
                       "skipped).", err=True)
        else:
            click.echo("note: stopped before any file was committed; the index is as it was. Run the same "
                       "command again to index them.", err=True)
        raise
    if as_json:
        emit_json(_report_dict(report))
    else:
        _print_report(report)
    if report.ok:
        return 0
    return EXIT_PARTIAL if report.added or report.updated or report.unchanged else 1


@kb.group()
def pull() -> None:
    """Fetch RFCs (local Debian tree first, then the mirror) and index them."""


def _pull_output(outcome, as_json: bool) -> int:
    ok = not outcome.failed and (outcome.ingest is None or outcome.ingest.ok)
    if as_json:
        emit_json({
            "ok": ok,
            "fetched": {str(k): v for k, v in outcome.fetched.items()},
            "failed": {str(k): v for k, v in outcome.failed.items()},
            "index": _report_dict(outcome.ingest) if outcome.ingest else None,
        })
    else:
        from rich.markup import escape

        con = console()
        con.print(f"fetched {len(outcome.fetched)} RFC(s), failed {len(outcome.failed)}")
        for num, reason in outcome.failed.items():
            con.print(f"  [red]failed[/red] RFC {num}: {escape(reason)}", soft_wrap=True)
        if outcome.ingest is not None:
            _print_report(outcome.ingest)
    return 0 if ok else 1


_mirror = click.option("--mirror", "mirror", metavar="URL", help="RFC mirror (default: settings kb.rfc_mirror_url).")
_no_index = click.option("--no-index", is_flag=True, help="Only download into the RFC cache.")


@pull.command("rfc")
@click.argument("numbers", nargs=-1, required=True, type=click.IntRange(min=1))
@_mirror
@_no_index
@json_option
def pull_rfc(numbers: tuple[int, ...], mirror: str | None, no_index: bool, as_json: bool) -> int:
    """Pull RFCs by number, e.g. `netops kb pull rfc 4271 2328`."""
    k = open_kb()
    with progress_callback("indexing") as cb:
        outcome = k.pull_rfcs(numbers, mirror_url=mirror, index=not no_index, on_progress=cb)
    return _pull_output(outcome, as_json)


@pull.command("pack")
@click.argument("name")
@_mirror
@_no_index
@json_option
def pull_pack(name: str, mirror: str | None, no_index: bool, as_json: bool) -> int:
    """Pull every RFC of a pack (see `netops kb packs`) or a pack YAML file."""
    k = open_kb()
    with progress_callback("indexing") as cb:
        outcome = k.pull_pack(name, mirror_url=mirror, index=not no_index, on_progress=cb)
    return _pull_output(outcome, as_json)


@kb.command()
@json_option
def packs(as_json: bool) -> None:
    """List the RFC packs that ship with netops."""
    from netops.rag.pull import list_packs

    found = list_packs(settings_from().paths.knowledge_dir)
    if as_json:
        emit_json([{"name": p.name, "description": p.description, "rfcs": list(p.rfcs)} for p in found])
        return
    con = console()
    for p in found:
        con.print(f"[bold]{p.name}[/bold]  {p.description}  ({len(p.rfcs)} RFCs: "
                  f"{', '.join(str(n) for n in list(p.rfcs)[:12])}{' …' if len(p.rfcs) > 12 else ''})")
    if not found:
        con.print("no packs found")


@kb.command()
@click.argument("sources", nargs=-1, required=True)
@json_option
def remove(sources: tuple[str, ...], as_json: bool) -> int:
    """Forget documents by path or doc_id (e.g. `"RFC 4271"`).

    Exit 4 if none of the names is indexed, 7 (partial failure) if only some are.
    """
    from netops.cli._common import print_error
    from netops.errors import NotFoundError

    removed, missing = open_kb().remove(sources)
    if as_json:
        emit_json({"removed": removed, "not_found": missing})
    else:
        for s in removed:
            click.echo(f"removed {s}")
    if not missing:
        return 0
    not_found = NotFoundError(f"not in the knowledge base: {', '.join(missing)}", hint="netops kb list shows what is")
    if not removed:
        raise not_found
    print_error(not_found)  # the others were removed: say what was not, and exit 'partial'
    return EXIT_PARTIAL


@kb.command("list")
@json_option
def list_(as_json: bool) -> None:
    """List indexed documents."""
    docs = open_kb().list()
    if as_json:
        emit_json(docs)
        return
    if not docs:
        click.echo("the knowledge base is empty (netops kb init, netops kb add PATH)")
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("doc_id", "title", "kind", "chunks", "source"):
        table.add_column(col, overflow="fold")
    for d in docs:
        table.add_row(escape(d.doc_id), escape(d.title[:60]), d.kind, str(d.n_chunks), escape(d.source))
    print_wide(console(), table)


@kb.command()
@json_option
def stats(as_json: bool) -> None:
    """Documents, chunks, embedder, search mode and sizes."""
    s = open_kb().stats()
    if as_json:
        emit_json(s)
        return
    con = console()
    con.print(f"documents      {s.docs}  ({', '.join(f'{k} {v}' for k, v in sorted(s.kinds.items())) or '-'})")
    con.print(f"chunks         {s.chunks}")
    con.print(f"vectors        {s.vectors if s.vectors is not None else '-'}"
              + (f"  ({s.vectors_pending} documents still to embed)" if s.vectors_pending else ""))
    con.print(f"embedder       {s.embedder}")
    con.print(f"index built by {s.index_embedder or '-'}")
    con.print(f"search mode    {s.mode}")
    con.print(f"lexical db     {_size(s.db_bytes)}")
    con.print(f"vector store   {_size(s.vector_bytes)} at {s.vector_location}")


@kb.command()
@click.argument("query")
@click.option("--top-k", "-k", type=click.IntRange(1, 100), default=None, help="How many passages (default kb.top_k).")
@click.option("--mode", type=MODE_CHOICE, default="hybrid", show_default=True)
@json_option
def search(query: str, top_k: int | None, mode: str, as_json: bool) -> None:
    """Search the knowledge base; prints passages with their citations."""
    k = open_kb()
    hits = k.search(query, top_k=top_k, mode=mode)  # type: ignore[arg-type]
    if as_json:
        emit_json([h.to_dict() for h in hits])
        return
    _notice(k)
    print_hits(hits)


def print_hits(hits) -> None:
    from rich.markup import escape

    from netops.rag.answer import snippet

    con = console()
    if not hits:
        con.print("no matching passages")
        return
    for i, h in enumerate(hits, start=1):
        con.print(f"[bold]{i}. {escape(h.chunk.citation)}[/bold]  [dim]{h.mode} {h.score:.4f}  "
                  f"{escape(h.chunk.source)}[/dim]", soft_wrap=True)
        con.print(f"   {escape(snippet(h.chunk.text, SNIPPET))}\n")


@kb.command("eval")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--top-k", "-k", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--mode", type=MODE_CHOICE, default="hybrid", show_default=True)
@json_option
def eval_(file: Path, top_k: int, mode: str, as_json: bool) -> None:
    """Score retrieval on a JSONL file of {"question", "expected"} lines."""
    from netops.rag.eval import evaluate, load_items

    items = load_items(file)
    report = evaluate(open_kb(), items, top_k=top_k, mode=mode)  # type: ignore[arg-type]
    if as_json:
        emit_json(report)
        return
    con = console()
    con.print(f"{report.n} questions, mode {report.mode}, top {report.top_k}: "
              f"recall@1 [bold]{report.recall_at_1:.3f}[/bold]  recall@{report.top_k} "
              f"[bold]{report.recall_at_k:.3f}[/bold]  MRR [bold]{report.mrr:.3f}[/bold]")
    from rich.markup import escape

    for m in report.misses:
        con.print(f"  miss: {escape(m.question)}\n        expected {escape(m.expected)}; got "
                  f"{escape('; '.join(m.got)) or 'nothing'}")


@kb.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def reset(yes: bool, as_json: bool) -> None:
    """Delete the whole index (documents stay where they are on disk)."""
    if not yes:
        from netops.errors import ApprovalDenied, InputError

        if not click.get_text_stream("stdin").isatty():
            raise InputError("refusing to delete the knowledge index without confirmation", hint="pass --yes")
        if not click.confirm("Delete the whole knowledge index?", default=False, err=True):
            raise ApprovalDenied("the knowledge index was not deleted")
    from netops.rag.kb import KnowledgeBase

    settings = settings_from()
    KnowledgeBase.wipe(settings)  # without opening: a damaged index can be reset too
    if as_json:
        emit_json({"reset": True, "index_dir": str(settings.paths.index_dir)})
    else:
        click.echo("knowledge index reset")


@kb.command()
@json_option
def init(as_json: bool) -> int:
    """Index the default knowledge sources (runbooks, glossary, core RFCs), vectors included.

    Also embeds whatever a lexical-first first use left awaiting vectors.
    """
    from netops.rag.kb import merge_reports

    k = open_kb()
    if not as_json:
        _notice(k)
    with progress_callback("indexing defaults") as cb:
        report = k.bootstrap(cb, vectors="now")
    if k.vectors_pending:
        with progress_callback("embedding") as cb:
            done = k.complete_vectors(cb)
        merge_reports(report, type(done)(chunks=done.chunks, seconds=done.seconds))
    if as_json:
        emit_json(_report_dict(report))
    else:
        _print_report(report)
    if report.ok:
        return 0
    return EXIT_PARTIAL if report.added or report.updated or report.unchanged else 1
