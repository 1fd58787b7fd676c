"""Recognise what a document is: an RFC, a 3GPP spec, an O-RAN document, or just a file.

Recognition looks at the file name and the first page of text and returns a
:class:`Recognition` (doc_id, title, kind, version). It never raises: anything unrecognised is
named after its file stem.

Rules:

- RFC: ``Request for Comments: 4271`` (or the old ``RFC: 791``) in the header of the first
  page, else a file name ``rfc4271...`` -> ``RFC 4271``; the title is the centred line(s)
  below the header block.
- 3GPP: ``3GPP TS 23.501 V17.5.0 (2022-06)`` on the title page, else the 3GPP file naming
  convention ``23501-h50.docx`` -> ``TS 23.501`` ``V17.5.0`` (version characters 0-9 are
  0-9 and a-z are 10-35). Specs numbered ``xx.9yy`` are technical reports (``TR``).
- O-RAN: ``O-RAN.WG1.O-RAN-Architecture-Description-v08.00`` -> doc_id without the version,
  version ``v08.00``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Recognition", "recognize", "rfc_number", "threegpp_version", "rfc_title"]


@dataclass(frozen=True)
class Recognition:
    """What a document turned out to be."""

    doc_id: str
    title: str
    kind: str
    """``rfc``, ``3gpp``, ``oran`` or the empty string (caller uses the file format)."""
    version: str | None = None


_RFC_HEADER = re.compile(r"^(?:Request\s+for\s+Comments|RFC)\s*:\s*(\d{1,5})\b", re.IGNORECASE | re.MULTILINE)
_RFC_FILE = re.compile(r"^rfc(\d{1,5})(?:\D|$)", re.IGNORECASE)
_3GPP_TEXT = re.compile(r"^[ \t]*3GPP\s+(TS|TR)\s+(\d{2}\.\d{3}(?:-\d+)?)\s+V(\d+\.\d+\.\d+)", re.MULTILINE)
_3GPP_FILE = re.compile(r"^(\d{2})(\d{3})(?:-(\d+))?-([0-9a-z])([0-9a-z])([0-9a-z])(?:\D|$)", re.IGNORECASE)
_ORAN = re.compile(r"\bO-RAN[.\-]WG\d+(?:[.\-][A-Za-z0-9]+)*")
_ORAN_LINE = re.compile(r"^[ \t]*(O-RAN[.\-]WG\d+(?:[.\-][A-Za-z0-9]+)*)", re.MULTILINE)
_ORAN_VERSION = re.compile(r"^(.*?)[-_ ]v(\d{1,2}\.\d{2})$")
_MONTHS = ("January February March April May June July August September October November December").split()


def rfc_number(name: str, head: str) -> int | None:
    """The RFC number from the first page text (preferred) or the file name."""
    first_page = head.split("\f", 1)[0][:6000]
    m = _RFC_HEADER.search(first_page)
    if m:
        return int(m.group(1))
    m = _RFC_FILE.match(name)
    if m:
        return int(m.group(1))
    return None


def rfc_title(head: str) -> str:
    """The centred title line(s) below the header block of an RFC's first page.

    Centring shows as indentation: usually three spaces or more, a tab in RFC 826, a single
    space when the title nearly fills the 72 columns (RFC 894, 1055). A byte-order mark may
    open the file (RFC 9293 and other recent RFCs).
    """
    lines = head.lstrip("\ufeff").split("\f", 1)[0].expandtabs().splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    # Header block: the two-column "Network Working Group ... / Request for Comments ..." lines.
    while i < len(lines) and lines[i].strip():
        i += 1
    title: list[str] = []
    for line in lines[i:]:
        stripped = line.strip()
        if not stripped:
            if title:
                break
            continue
        indent = len(line) - len(line.lstrip(" "))
        centred = indent >= 3 or (indent >= 1 and len(line.rstrip()) >= 60)
        if not centred or stripped.lower().startswith("status of"):
            break
        title.append(stripped)
    return " ".join(" ".join(title).split())


def threegpp_version(code: str) -> str:
    """``h50`` -> ``V17.5.0`` (3GPP file naming: 0-9 then a-z as 10-35)."""
    return "V" + ".".join(str(int(c, 36)) for c in code.lower())


def _tstr(number: str) -> str:
    return "TR" if number[3] == "9" else "TS"


def recognize(path: Path, head: str, *, fallback_title: str = "") -> Recognition:
    """Recognise a document from its file name and the text of its first page(s).

    ``fallback_title`` (first heading or first line, chosen by the caller) is used when the
    document has no recognisable title of its own.
    """
    name = path.name
    stem = name.split(".")[0] if name.lower().endswith(".txt.gz") else path.stem
    suffix = name.lower()

    if suffix.endswith((".txt", ".txt.gz")) or _RFC_FILE.match(name):
        n = rfc_number(name, head)
        if n is not None and (_RFC_FILE.match(name) or _RFC_HEADER.search(head.split("\f", 1)[0][:6000])):
            return Recognition(f"RFC {n}", rfc_title(head) or fallback_title or f"RFC {n}", "rfc")

    # Title-page identifiers count only at the start of a line near the top, so a document
    # that merely mentions "3GPP TS 23.501 V17.5.0" is not taken for the spec itself.
    m = _3GPP_TEXT.search(head[:3000])
    if m:
        kind, number, version = m.groups()
        return Recognition(f"{kind} {number}", _3gpp_title(head, m.end()) or fallback_title or stem, "3gpp", f"V{version}")
    m = _3GPP_FILE.match(name)
    if m:
        series, num, part, a, b, c = m.groups()
        number = f"{series}.{num}" + (f"-{part}" if part else "")
        return Recognition(f"{_tstr(number)} {number}", fallback_title or stem, "3gpp", threegpp_version(a + b + c))

    clause = _clause_line(head)
    if clause is not None:
        # a team's excerpt of one clause, headed "TS 23.501 clause 5.6.1": the spec it quotes
        return Recognition(f"{clause['kind'].upper()} {clause['spec']}", fallback_title or clause.string.strip(), "3gpp")

    m = _ORAN.search(stem) or _ORAN_LINE.search(head[:3000])
    if m:
        doc_id, version = m.group(m.lastindex or 0), None
        mv = _ORAN_VERSION.match(doc_id)
        if mv:
            doc_id, version = mv.group(1), f"v{mv.group(2)}"
        return Recognition(doc_id, fallback_title or doc_id, "oran", version)

    return Recognition(stem, fallback_title or stem, "")


def _clause_line(head: str):
    """The ``TS 23.501 clause 5.6.1`` heading a clause excerpt opens with (its first line, a
    Markdown ``#`` heading or not, after any front matter the caller removed), else None."""
    from netops.rag.chunking import clause_heading

    for line in head.lstrip("\ufeff").splitlines()[:5]:
        if line.strip():
            return clause_heading(re.sub(r"^\s*#{1,6}\s+", "", line).rstrip("# "))
    return None


def _3gpp_title(head: str, start: int) -> str:
    """The spec title: the first substantial lines after the ``3GPP TS ... V...`` line."""
    out: list[str] = []
    for line in head[start:].splitlines()[1:40]:
        s = line.strip()
        if not s:
            if out:
                break
            continue
        if s.startswith(("Technical Specification", "3rd Generation", "The present document")):
            continue
        if s.startswith("(Release") or s.startswith("Release "):
            out.append(s)
            break
        out.append(s)
    return " ".join(out)
