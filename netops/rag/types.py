"""Typed values the knowledge layer passes around."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentInfo:
    """One ingested file, as recognised."""

    doc_id: str
    """``RFC 4271``, ``TS 23.501``, or for other documents their file stem."""
    title: str
    source: str
    """Absolute path of the file it came from."""
    kind: str
    """rfc, 3gpp, markdown, rst, html, pdf, docx, text."""
    sha256: str
    size: int
    version: str | None = None
    """``V17.5.0`` for 3GPP, the RFC's date/obsoletes line is not a version (None)."""
    notes: tuple[str, ...] = ()
    """Anything worth telling the user about how the file was read (e.g. an encoding fallback)."""


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with everything a citation needs."""

    doc_id: str
    source: str
    ordinal: int
    """Position of the chunk within its document (0-based)."""
    text: str
    section: str = ""
    """``10``, ``6.5``, ``5.2.1``, or ``Appendix A``; empty when the document has none."""
    section_title: str = ""
    heading_path: tuple[str, ...] = ()
    """Headings from the top of the document down to this chunk (md/rst/html/docx)."""
    page: int | None = None
    title: str = ""
    """The document's title, repeated for display."""

    @property
    def chunk_id(self) -> str:
        return f"{self.source}#{self.ordinal}"

    @property
    def citation(self) -> str:
        return format_citation(self.doc_id, self.section, self.section_title, self.page)


def format_citation(doc_id: str, section: str, section_title: str, page: int | None = None) -> str:
    """``RFC 4271 §10 (BGP Timers)``; ``runbook-bgp (Checks)``; adds ``p. 12`` when known."""
    out = doc_id
    if section:
        out += f" §{section}"
    if section_title:
        out += f" ({section_title})"
    if page is not None and not section:
        out += f" p. {page}"
    return out


@dataclass
class Hit:
    """A ranked search result."""

    chunk: Chunk
    score: float
    """Fused score (higher is better); comparable within one result list only."""
    dense_rank: int | None = None
    lexical_rank: int | None = None
    mode: str = "hybrid"

    def to_dict(self) -> dict:
        c = self.chunk
        return {
            "source": c.source,
            "doc_id": c.doc_id,
            "title": c.title,
            "section": c.section,
            "section_title": c.section_title,
            "heading_path": list(c.heading_path),
            "page": c.page,
            "citation": c.citation,
            "score": round(self.score, 6),
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
            "mode": self.mode,
            "text": c.text,
        }


@dataclass
class IngestReport:
    """What one ``kb add`` did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """source -> one-line reason."""
    removed: list[str] = field(default_factory=list)
    """Documents dropped because their file is gone from a folder that was added again."""
    notes: dict[str, str] = field(default_factory=dict)
    """source -> what was guessed reading it (``not valid UTF-8; decoded as cp1252``)."""
    chunks: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed
