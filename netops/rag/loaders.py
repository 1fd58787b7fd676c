"""Read documents from disk and turn them into recognised, chunked passages.

``discover`` expands the paths a user gives (files and directories) into the files netops can
read; ``load_document`` reads one of them, recognises it (:mod:`netops.rag.recognize`) and
chunks it (:mod:`netops.rag.chunking`). Every way a file can be unusable becomes one
:class:`~netops.errors.IngestError` with a one-line message and a hint; nothing else escapes.

Formats: plain text, Markdown, reStructuredText, HTML, PDF (pypdf), Word .docx (python-docx)
and gzip-compressed text (``rfc4271.txt.gz`` as Debian's doc-rfc packages install them).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from netops.controls import printable
from netops.errors import IngestError
from netops.rag import chunking
from netops.rag.recognize import Recognition, recognize
from netops.rag.types import Chunk, DocumentInfo

__all__ = ["SUPPORTED_SUFFIXES", "discover", "load_document", "file_sha256", "is_supported",
           "supported_kinds", "unsupported_reason"]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".pdf", ".docx", ".gz"}
)
"""File suffixes ``kb add`` reads. ``.gz`` means gzip-compressed text: ``*.txt.gz`` only."""

_MB = 1024 * 1024
_TEXT_KIND = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".rst": "rst",
              ".html": "html", ".htm": "html"}


def is_supported(path: Path) -> bool:
    """True for files :func:`load_document` can read (``.gz`` only as ``.txt.gz``)."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return path.name.lower().endswith(".txt.gz")
    return suffix in SUPPORTED_SUFFIXES


def supported_kinds() -> str:
    """The file types ``kb add`` reads, for messages: ``.docx, .htm, ..., .txt.gz``."""
    return ", ".join(sorted(SUPPORTED_SUFFIXES - {".gz"}) + [".txt.gz"])


def unsupported_reason(path: Path, *, name: str | None = None) -> str:
    """Why ``path`` (a file :func:`is_supported` refuses) is not read, in one line.

    With ``name`` the line names the file too: ``unsupported file type '.xyz': NAME (...)``.
    """
    kind = "".join(path.suffixes[-2:]) or path.name
    return f"unsupported file type '{kind}'{': ' + name if name else ''} (supported: {supported_kinds()})"


def discover(paths: Sequence[Path]) -> tuple[list[Path], dict[str, str]]:
    """Expand files and directories into readable files.

    Directories are walked recursively in sorted order, skipping hidden files and directories
    and files of unsupported types. A file named explicitly is checked for its type; a missing
    path gets a ``'no such file or directory'`` problem. Returns ``(files, problems)`` where
    files are absolute, de-duplicated and sorted per argument, and problems maps a path (as
    given) to a one-line reason.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    problems: dict[str, str] = {}

    def add(p: Path) -> None:
        real = p.resolve()
        if real not in seen:
            seen.add(real)
            files.append(p.absolute())

    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found: list[Path] = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if not name.startswith(".") and is_supported(f) and f.is_file():
                        found.append(f)
            for f in sorted(found):
                add(f)
        elif p.is_file():
            if is_supported(p):
                add(p)
            else:
                problems[str(raw)] = unsupported_reason(p)
        elif p.exists():
            problems[str(raw)] = "not a regular file or directory"
        else:
            problems[str(raw)] = "no such file or directory"
    return files, problems


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes (what re-indexing compares)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_document(path: Path, *, max_bytes: int, chunk_chars: int = 1600) -> tuple[DocumentInfo, list[Chunk]]:
    """Read, recognise and chunk one file.

    ``max_bytes`` is the size limit (``int(settings.kb.max_file_mb * 1024 * 1024)``); it also
    bounds what a ``.txt.gz`` may expand to. Raises :class:`IngestError` (one line + hint) for
    an empty, binary, oversized, unreadable, corrupt or encrypted file, or a PDF without text.
    Text that is not UTF-8 is decoded as cp1252 (or latin-1) and the fallback is recorded in
    ``DocumentInfo.notes``.
    """
    path = Path(path).absolute()
    name = path.name
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise IngestError(f"{name}: no such file or directory", hint="check the path") from exc
    except OSError as exc:
        raise IngestError(f"{name}: cannot read ({exc.strerror or exc})", hint="check the path and its permissions") from exc
    if not path.is_file():
        raise IngestError(f"{name}: not a regular file", hint="pass a file or a directory of documents")
    _check_size(name, st.st_size, max_bytes)
    if st.st_size == 0:
        raise IngestError(f"{name} is empty", hint="nothing to index; remove it or add content")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{name}: cannot read ({exc.strerror or exc})", hint="check the file's permissions") from exc
    sha = hashlib.sha256(raw).hexdigest()

    lower = name.lower()
    notes: list[str] = []
    if lower.endswith(".gz"):
        raw = _gunzip(name, raw, max_bytes)
        suffix = Path(lower[:-3]).suffix or ".txt"
    else:
        suffix = path.suffix.lower()

    if suffix == ".pdf":
        pages = _pdf_pages(name, raw)
        head = "\n".join(t for _, t in pages[:3])
        sections = chunking.numbered_text_sections(pages)
        rec = recognize(path, head, fallback_title=_lead_title(sections) or _first_title(sections, head))
        kind = rec.kind or "pdf"
    elif suffix == ".docx":
        items, head = _docx_items(name, raw)
        rec = recognize(path, head)
        sections = chunking.docx_sections(items, skip_front_matter=rec.kind == "3gpp")
        rec = _with_title(rec, _first_title(sections, head))
        kind = rec.kind or "docx"
    elif suffix in _TEXT_KIND:
        text = _decode(name, raw, notes)
        if not text.strip():
            raise IngestError(f"{name} is empty (only whitespace)", hint="nothing to index; remove it or add content")
        rec, sections, kind = _text_document(path, suffix, text)
    else:
        raise IngestError(f"{name}: unsupported file type '{suffix}'", hint="supported: " + ", ".join(sorted(SUPPORTED_SUFFIXES)))

    title = printable(rec.title or path.stem)
    chunks = chunking.build_chunks(sections, doc_id=rec.doc_id, source=str(path), title=title, chunk_chars=chunk_chars)
    # a document is untrusted text: its escape sequences, bidi overrides and invisible tag
    # characters never reach a terminal (`netops kb search` printed ESC]0;... raw), a model or
    # the index; the page structure (form feeds) was read above, so nothing else changes
    chunks = [replace(c, text=printable(c.text), section_title=printable(c.section_title),
                      heading_path=tuple(printable(h) for h in c.heading_path)) for c in chunks]
    if not chunks:
        raise IngestError(f"{name} has no indexable text", hint="check that the file has content beyond headings")
    info = DocumentInfo(doc_id=rec.doc_id, title=title, source=str(path), kind=kind, sha256=sha,
                        size=st.st_size, version=rec.version, notes=tuple(notes))
    return info, chunks


# --------------------------------------------------------------------------------------------


def _fmt_mb(n: float) -> str:
    return f"{n:.0f}" if abs(n - round(n)) < 0.05 else f"{n:.1f}"


def _check_size(name: str, size: int, max_bytes: int, what: str = "is") -> None:
    if size > max_bytes:
        raise IngestError(
            f"{name} {what} {size / _MB:.1f} MB, over the {_fmt_mb(max_bytes / _MB)} MB limit",
            hint="raise NETOPS_KB__MAX_FILE_MB (or kb.max_file_mb in config.toml) to index it",
        )


def _gunzip(name: str, raw: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
            data = gz.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise IngestError(f"{name} is not a valid gzip file ({exc})", hint="re-download or decompress it by hand") from exc
    if len(data) > max_bytes:
        raise IngestError(
            f"{name} expands to more than {_fmt_mb(max_bytes / _MB)} MB",
            hint="raise NETOPS_KB__MAX_FILE_MB (or kb.max_file_mb in config.toml) to index it",
        )
    if not data.strip():
        raise IngestError(f"{name} is empty", hint="nothing to index; remove it or add content")
    return data


def _decode(name: str, raw: bytes, notes: list[str]) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(f"{name}: invalid UTF-16 text", hint="re-save the file as UTF-8") from exc
    sample = raw[:8192]
    if b"\x00" in sample or _control_ratio(sample) > 0.1:
        raise IngestError(f"{name} looks like a binary file, not text",
                          hint="only text, Markdown, reST, HTML, PDF and .docx documents can be indexed")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
        notes.append("not valid UTF-8; decoded as cp1252")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        notes.append("not valid UTF-8; decoded as latin-1")
    return text


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return bad / len(sample)


def _text_document(path: Path, suffix: str, text: str) -> tuple[Recognition, list[chunking.Section], str]:
    head = text[:20000]
    if suffix == ".txt":
        rec = recognize(path, head)
        if rec.kind == "rfc":
            return rec, chunking.rfc_sections(text), "rfc"
        sections = chunking.numbered_text_sections([(None, text)])
        return _with_title(rec, _lead_title(sections) or _first_title(sections, head)), sections, rec.kind or "text"
    if suffix in (".md", ".markdown"):
        meta_title, text = _front_matter(text)
        sections = chunking.markdown_sections(text)
        if meta_title:
            head = text[:20000]
            rec = recognize(path, head, fallback_title=meta_title)
            return rec, sections, rec.kind or "markdown"
    elif suffix == ".rst":
        sections = chunking.rst_sections(text)
    else:
        page_title, sections = chunking.html_sections(text)
        head = page_title + "\n" + _plain_head(sections)
        rec = recognize(path, head, fallback_title=page_title or _first_title(sections, head))
        return rec, sections, rec.kind or "html"
    rec = recognize(path, head, fallback_title=_first_title(sections, head))
    return rec, sections, rec.kind or _TEXT_KIND[suffix]


_FRONT_MATTER = re.compile(r"\A\ufeff?(?:---[ \t]*\r?\n(?P<yaml>.*?)^(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n(?P<toml>.*?)^\+\+\+)"
                           r"[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


def _front_matter(text: str) -> tuple[str, str]:
    """(title, body) of Markdown that opens with a front matter block (YAML ``---`` ... ``---``, or
    Hugo's TOML ``+++`` ... ``+++``).

    Wikis, static-site generators and most runbook repositories put ``title:``, ``owner:``,
    ``tags:`` there: it is metadata for a tool, not prose, so it is not a passage (it answered
    "who owns this" questions with a bare ``owner: core-team`` line). Its ``title`` names the
    document. Text without such a block comes back unchanged with no title.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return "", text
    title = ""
    t = re.search(r"^title[ \t]*[:=][ \t]*(.+?)[ \t]*$", m.group("yaml") or m.group("toml") or "", re.MULTILINE)
    if t:
        title = " ".join(t.group(1).strip().strip("\"'").split())[:120]
    return title, text[m.end():]


def _plain_head(sections: list[chunking.Section]) -> str:
    out: list[str] = []
    for s in sections[:5]:
        out.append(s.heading)
        out.extend(b.text for b in s.blocks[:5])
    return "\n".join(out)


def _with_title(rec: Recognition, fallback: str) -> Recognition:
    if rec.kind in ("", "oran") and (rec.title == rec.doc_id or not rec.title) and fallback:
        return Recognition(rec.doc_id, fallback, rec.kind, rec.version)
    if rec.kind == "3gpp" and not rec.title:
        return Recognition(rec.doc_id, fallback, rec.kind, rec.version)
    return rec


def _lead_title(sections: list[chunking.Section]) -> str:
    """A PDF's or text file's own title line, above its first numbered heading
    ("Microwave Backhaul Design Guide" over "1 Introduction"): the first line of the text before
    any heading, when it reads as a title (short, not a sentence)."""
    if not sections or sections[0].heading or not sections[0].blocks:
        return ""
    first = next((ln.strip() for ln in sections[0].blocks[0].text.splitlines() if ln.strip()), "")
    if not first or len(first) > 120 or first.endswith((".", ",", ";", ":")):
        return ""
    return " ".join(first.split())


def _first_title(sections: list[chunking.Section], head: str) -> str:
    """The first heading, else the first non-empty line (trimmed to 120 characters)."""
    for s in sections:
        if s.title or s.heading:
            return (s.heading_path[0] if s.heading_path else s.title or s.heading)[:120]
    for line in head.splitlines():
        if line.strip():
            return " ".join(line.split())[:120]
    return ""


def _pdf_pages(name: str, raw: bytes) -> list[tuple[int | None, str]]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every repaired xref
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise IngestError(f"{name} is an encrypted PDF", hint="save an unencrypted copy and add that") from exc
            if not ok:
                raise IngestError(f"{name} is an encrypted PDF", hint="save an unencrypted copy and add that")
        pages = [(n, page.extract_text() or "") for n, page in enumerate(reader.pages, start=1)]
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError(f"{name} is an encrypted PDF", hint="save an unencrypted copy and add that") from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            zlib.error, RecursionError) as exc:
        raise IngestError(f"{name} is not a readable PDF ({type(exc).__name__})",
                          hint="the file may be truncated or corrupt; re-download or re-export it") from exc
    if not any(t.strip() for _, t in pages):
        raise IngestError(f"{name}: the PDF has no extractable text (scanned images?)",
                          hint="run OCR on it first (e.g. ocrmypdf) and add the result")
    return pages


def _docx_items(name: str, raw: bytes) -> tuple[list[tuple[str, str]], str]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
        items: list[tuple[str, str]] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                text = block.text.strip()
                if not text:
                    continue
                style = (block.style.name if block.style is not None else "") or ""
                m = re.match(r"^Heading\s*(\d)$", style, re.IGNORECASE)
                if m:
                    items.append((f"heading:{m.group(1)}", text))
                elif style.lower() == "title":
                    items.append(("para", text))
                elif re.match(r"^(toc|table of contents)\b", style, re.IGNORECASE):
                    items.append(("toc", text))
                else:
                    items.append(("para", text))
            elif isinstance(block, Table):
                rows = []
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        t = " ".join(cell.text.split())
                        if not cells or cells[-1] != t:  # merged cells repeat their text
                            cells.append(t)
                    if any(cells):
                        rows.append(" | ".join(cells))
                if rows:
                    items.append(("table", "\n".join(rows)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise IngestError(f"{name} is not a readable .docx file ({type(exc).__name__})",
                          hint="open and re-save it in Word/LibreOffice, or export to PDF") from exc
    if not items:
        raise IngestError(f"{name} is empty (no text in the document)", hint="nothing to index")
    head = "\n".join(t for _, t in items[:60])
    return items, head
