"""Structure-aware chunking: documents -> sections -> passages of about ``chunk_chars``.

Every format is first turned into a list of :class:`Section` (number, title, heading path and
paragraph :class:`Block` s with page numbers); :func:`build_chunks` then packs each section's
paragraphs into chunks. A chunk never spans two sections, so every chunk cites exactly one
section (``RFC 4271 §10 (BGP Timers)``).

Packing: paragraphs are added greedily up to ``chunk_chars``; a paragraph that is itself too
long is split on line boundaries (figures, tables), and a single over-long line on spaces.
Consecutive chunks of one section overlap by the last sentence(s) of the previous chunk (at
most ``chunk_chars // 8`` characters), and a short tail is folded into the chunk before it.

Context line (measured, off by default): a chunk that starts inside a long section does not
contain the heading. ``build_chunks(..., context=True)`` prefixes such chunks with one line,
``[RFC 4271 §9.1.2 Phase 2: Route Selection]``. Measured with all-MiniLM-L6-v2, dense only, on
``bench/questions/rfc.jsonl`` (93 questions, 14 RFCs, 1148 chunks): without / with the line,
hit@1 0.473 / 0.462, hit@3 0.688 / 0.656, hit@5 0.753 / 0.763, hit@10 0.849 / 0.860, MRR
0.604 / 0.593 -- within one to three questions either way, so ``text`` stays the raw passage
(page furniture removed, common indentation stripped) and the section lives in the chunk's
fields (``section``, ``section_title``, ``heading_path``). What the index adds is decided by
:func:`index_heading` / :func:`embed_text`: every chunk's heading (not only continuation
chunks) as the first line of the embedded text and as a weighted FTS5 column, which lifted
dense recall@5 from 0.785 to 0.828 and hybrid from 0.892 to 0.935 (bench/README.md).

Every RFC passage cites a section: numbered headings (``4.2.``), appendices in each style RFCs
use (``Appendix B.``, ``Appendix B - Title``, ``Appendix B:``, a bare ``Appendix B`` line followed
by ``B.  Title``, subsections ``B.2``), and in old RFCs without numbers (768, 792, 826, ...) the
short margin lines that serve as headings there; a passage cites the deepest one holding it.

RFC boilerplate (Status of This Memo, Copyright Notice, Table of Contents, references,
authors' addresses, IPR and acknowledgement sections) is dropped: it carries no technical
content and, being near-identical across RFCs, it would otherwise crowd results for any
question that mentions "RFC" or "standard". The Abstract is kept.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from netops.rag.types import Chunk

__all__ = [
    "Block",
    "Section",
    "build_chunks",
    "rfc_sections",
    "markdown_sections",
    "rst_sections",
    "html_sections",
    "numbered_text_sections",
    "docx_sections",
    "split_number",
    "BOILERPLATE_TITLES",
    "index_heading",
    "embed_text",
]


@dataclass
class Block:
    """One paragraph (or figure/table) of a section, with the page it starts on."""

    text: str
    page: int | None = None


@dataclass
class Section:
    """A headed part of a document. ``heading`` is the raw heading line (kept in chunk 0)."""

    number: str = ""
    title: str = ""
    heading_path: tuple[str, ...] = ()
    heading: str = ""
    blocks: list[Block] = field(default_factory=list)
    page: int | None = None


# --------------------------------------------------------------------------------------------
# Packing sections into chunks
# --------------------------------------------------------------------------------------------


def build_chunks(
    sections: Iterable[Section],
    *,
    doc_id: str,
    source: str,
    title: str,
    chunk_chars: int = 1600,
    context: bool = False,
) -> list[Chunk]:
    """Pack sections into :class:`Chunk` s (deterministic; never empty text)."""
    out: list[Chunk] = []
    overlap = max(0, chunk_chars // 8)
    for sec in sections:
        blocks = [b for b in sec.blocks if b.text.strip()]
        if not blocks:
            continue
        # Strip the section's common indentation once, so the overlap carried between chunks
        # (flattened to one line) does not defeat the per-chunk dedent.
        margin = min(_indent(line) for b in blocks for line in b.text.split("\n") if line.strip())
        if margin:
            blocks = [Block("\n".join(line[margin:] for line in b.text.split("\n")), b.page) for b in blocks]
        if sec.heading.strip():
            blocks.insert(0, Block(sec.heading, sec.page if sec.page is not None else blocks[0].page))
        label = _context_label(doc_id, sec)
        for i, (text, page) in enumerate(_pack(blocks, chunk_chars, overlap)):
            body = _tidy(text)
            if not body.strip():
                continue
            if context and label and (i > 0 or not sec.heading.strip()):
                body = f"[{label}]\n{body}"
            out.append(
                Chunk(
                    doc_id=doc_id,
                    source=source,
                    ordinal=len(out),
                    text=body,
                    section=sec.number,
                    section_title=sec.title,
                    heading_path=sec.heading_path,
                    page=page,
                    title=title,
                )
            )
    return out


def index_heading(chunk: Chunk) -> str:
    """What the index adds about where a chunk sits: doc id, document title, section number and
    title, heading path (``RFC 4271 A Border Gateway Protocol 4 (BGP-4) §6.5 Hold Timer ...``).

    Both sides of the index use it next to the raw passage (``Chunk.text`` never changes): the
    lexical index as its own, separately weighted FTS5 column, the embedder as a first line. A
    short subsection's few words otherwise lose to a parent or sibling that repeats the same
    vocabulary at length; its heading is often the best summary of what it answers.
    """
    parts = [chunk.doc_id]
    if chunk.title and chunk.title != chunk.doc_id:
        parts.append(chunk.title)
    if chunk.section:
        parts.append(f"§{chunk.section}")
    if chunk.section_title:
        parts.append(chunk.section_title)
    parts += [h for h in chunk.heading_path if h and h != chunk.section_title]
    return " ".join(p for p in parts if p)


def embed_text(chunk: Chunk) -> str:
    """The text the embedder sees for ``chunk``: its heading line, then the raw passage."""
    heading = index_heading(chunk)
    return f"{heading}\n{chunk.text}" if heading else chunk.text


def _context_label(doc_id: str, sec: Section) -> str:
    if sec.number:
        return f"{doc_id} §{sec.number} {sec.title}".strip()
    if sec.heading_path:
        return f"{doc_id}: {' > '.join(sec.heading_path)}"
    if sec.title:
        return f"{doc_id}: {sec.title}"
    return ""


def _tidy(text: str) -> str:
    text = textwrap.dedent(text.strip("\n"))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _split_long(block: Block, limit: int) -> list[Block]:
    if len(block.text) <= limit:
        return [block]
    pieces: list[Block] = []
    cur: list[str] = []
    size = 0
    for line in block.text.split("\n"):
        while len(line) > limit:  # a single huge line: cut on a space
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if cur:
                pieces.append(Block("\n".join(cur), block.page))
                cur, size = [], 0
            pieces.append(Block(line[:cut], block.page))
            line = line[cut:].lstrip()
        if cur and size + len(line) + 1 > limit:
            pieces.append(Block("\n".join(cur), block.page))
            cur, size = [], 0
        cur.append(line)
        size += len(line) + 1
    if cur and "\n".join(cur).strip():
        pieces.append(Block("\n".join(cur), block.page))
    return pieces


def _tail(text: str, limit: int) -> str:
    """The last whole sentence(s) of ``text`` that fit in ``limit`` characters ('' if none)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    sentences = re.split(r"(?<=[.!?])\s+", flat)
    out = ""
    for s in reversed(sentences):
        cand = f"{s} {out}".strip()
        if len(cand) > limit:
            break
        out = cand
    return out


def _pack(blocks: Sequence[Block], limit: int, overlap: int) -> list[tuple[str, int | None]]:
    pieces = [p for b in blocks for p in _split_long(b, limit)]
    chunks: list[tuple[list[str], int | None, bool]] = []  # (texts, page, starts with a carry)
    cur: list[str] = []
    size = 0
    page: int | None = None
    carried = False
    fresh = False  # does `cur` hold anything beyond the overlap carried from the last chunk?
    for p in pieces:
        if fresh and size + len(p.text) + 2 > limit:
            chunks.append((cur, page, carried))
            carry = _tail(cur[-1], overlap) if overlap else ""
            cur = [carry] if carry else []
            carried = bool(carry)
            size = len(carry)
            fresh = False
        if not fresh:
            page = p.page
        cur.append(p.text)
        size += len(p.text) + 2
        fresh = True
    if fresh:
        chunks.append((cur, page, carried))
    # Fold a short tail into its predecessor when the result stays reasonable.
    if len(chunks) >= 2:
        texts, _, has_carry = chunks[-1]
        body = texts[1:] if has_carry else texts
        last = sum(len(t) for t in body)
        prev = sum(len(t) for t in chunks[-2][0])
        if last < limit // 4 and prev + last <= limit * 5 // 4:
            chunks[-2] = (chunks[-2][0] + body, chunks[-2][1], chunks[-2][2])
            chunks.pop()
    return [("\n\n".join(t), pg) for t, pg, _ in chunks]


# --------------------------------------------------------------------------------------------
# Section numbers
# --------------------------------------------------------------------------------------------

# Roman numerals number the sections of a few old RFCs ("III.  The Proposed Protocol", RFC 903)
# and their appendices ("Appendix II.  Examples", RFC 950; "APPENDIX I -  PAGE STRUCTURE", RFC 959).
_ROMAN = r"[IVX]{2,6}"
_NUM = (r"(?:(?:Appendix|APPENDIX)\s+(?:[IVX]{2,6}|[A-Z])(?:\.\d+)*|Annex\s+[A-Z](?:\.\d+)*|\d{1,3}(?:\.\d{1,3})*"
        rf"|{_ROMAN}|[A-Z](?:\.\d{{1,3}})+|[A-Z])")
# "3.2.  Foo", "Appendix A.  Foo", and the older "Appendix A - Foo" / "Appendix A:  Foo"
_SEP = r"(?:\s+-\s+|:\s+|\.?(?:\t+|\s+))"
_HEADING_NUM = re.compile(rf"^({_NUM}){_SEP}(\S.*)$")
_BARE_APPENDIX = re.compile(r"^((?:Appendix|APPENDIX)\s+[A-Z](?:\.\d+)*)[.:]?$")


CLAUSE_HEADING = re.compile(
    r"^\s*(?:3GPP\s+|ETSI\s+)?(?P<kind>TS|TR)\s+(?P<spec>\d{2}\.\d{3}(?:-\d+)?)\s*(?:V\d+\.\d+\.\d+\s+)?"
    r"(?:,\s*)?(?:clause|section|§)\s*(?P<num>\d{1,3}(?:\.\d{1,3})*)(?![\d.]*\d)\.?(?:\s*[-:–—]?\s*(?P<title>\S.*?))?\s*$",
    re.IGNORECASE)
"""A team's excerpt of one spec clause headed by the clause it is: ``TS 23.501 clause 5.6.1``,
``3GPP TS 38.331 §5.3.3 RRC connection establishment``, ``TR 38.901 section 7.4: Pathloss``."""


def clause_heading(line: str) -> "re.Match[str] | None":
    """:data:`CLAUSE_HEADING` on a line that reads as a heading, not a sentence that starts with a
    clause reference ("TS 23.501 clause 5.7 is quoted below.")."""
    m = CLAUSE_HEADING.match(line)
    if m is None or len(line.strip()) > 120 or (m["title"] or "").endswith((".", ",", ";")):
        return None
    return m


def split_number(heading: str) -> tuple[str, str]:
    """``"3.2 Foo"`` -> ``("3.2", "Foo")``; ``"Foo"`` -> ``("", "Foo")``.

    A single capital letter counts as a number only when followed by a dot or a tab
    (``A.  Foo``, ``A\\tFoo``), so ``A sample heading`` stays a title.
    """
    text = " ".join(heading.replace("\t", "  ").split(" ")).strip()
    bare = _BARE_APPENDIX.match(heading.strip())
    if bare:
        return _norm_num(bare.group(1)), ""
    m = re.match(rf"^({_NUM})({_SEP})(\S.*)$", heading.strip())
    if not m:
        return "", " ".join(text.split())
    num, sep, rest = m.groups()
    if not num.upper().startswith(("APPENDIX", "ANNEX")) and not sep.startswith(".") and sep.strip() in {":", "-"}:
        return "", " ".join(text.split())  # "3: foo", "A - b" are not headings
    if re.fullmatch(rf"[A-Z]|{_ROMAN}", num) and not sep.startswith(".") and "\t" not in sep:
        return "", " ".join(text.split())
    return _norm_num(num), " ".join(rest.split())


def _norm_num(num: str) -> str:
    num = " ".join(num.split()).rstrip(".")
    if num.startswith("APPENDIX "):
        num = "Appendix " + num[len("APPENDIX "):]
    if num.startswith("Appendix "):
        return num  # "Appendix A", "Appendix F.1"
    if num.startswith("Annex "):
        return num
    return num


def _num_key(num: str) -> tuple:
    """Sort key: numeric sections, then appendices (``A`` ~ ``Appendix A``).

    Roman numerals count as numbers: ``III`` sorts as section 3 and ``Appendix II`` as the
    second appendix. ``Appendix I`` / ``I`` (and ``V``, ``X``) are read as numerals too: no RFC
    in doc-rfc-std letters its appendices as far as I, while RFC 903 and 950 number with I, II, ...
    """
    appendix = num.startswith(("Appendix ", "Annex "))
    bare = num.replace("Appendix ", "").replace("Annex ", "")
    parts = bare.split(".")
    if parts[0].isdigit():
        return (0, *[int(p) if p.isdigit() else 0 for p in parts])
    roman = _roman_value(parts[0]) if len(parts) == 1 and (len(parts[0]) > 1 or parts[0] in "IVX") else None
    if roman is not None:
        return (1 if appendix else 0, roman)
    return (1, ord(parts[0][0]) - 64, *[int(p) if p.isdigit() else 0 for p in parts[1:]])


def _roman_value(token: str) -> int | None:
    """``"IV"`` -> 4; None unless ``token`` is a well-formed Roman numeral (I to XXXIX)."""
    values = {"I": 1, "V": 5, "X": 10}
    if not token or any(ch not in values for ch in token):
        return None
    total = 0
    for i, ch in enumerate(token):
        v = values[ch]
        total += -v if i + 1 < len(token) and values[token[i + 1]] > v else v
    canonical = "X" * (total // 10) + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][total % 10]
    return total if canonical == token else None


def _successors(last: tuple | None) -> set[tuple]:
    """Section keys that may directly follow ``last``: a first child, or the next sibling of
    it or of any ancestor; the first appendix may follow anything."""
    if last is None:  # some RFCs number "Status of this Memo" 1 and start the text at 2 (2390)
        return {(0, 1), (0, 2), (0, 3), (1, 1)}
    out = {last + (1,)}
    for depth in range(2, len(last) + 1):
        prefix = last[:depth]
        out.add(prefix[:-1] + (prefix[-1] + 1,))
    out.add((1, 1))
    return out


# --------------------------------------------------------------------------------------------
# RFCs (plain-text, as published)
# --------------------------------------------------------------------------------------------

_FOOTER = re.compile(r"^(?:\S.*)?\[Page\s+(\d+|[ivxlc]+)\]\s*$|^\s*\[Page\s+(\d+|[ivxlc]+)\](?:\s.*)?$", re.IGNORECASE)
_HEADER = re.compile(r"^RFC\s+\d+\s{2,}.*\S\s{2,}\S.*\d{4}\s*$")
_DOT_LEADER = re.compile(r"(?:\.\s?){3,}\s*\d*\s*$")
_TRAILING_PAGE = re.compile(r"\S(?:\s{2,}|\s*\.{2,}\s*)(?:\d{1,4}|[ivxlc]{1,6})\s*$")

BOILERPLATE_TITLES = re.compile(
    r"^(status of th(is|e) memo|copyright notice|(full )?copyright statement|table of contents|contents"
    r"|intellectual property( rights| statement)?|acknowledge?ments?|(normative |informative )?references"
    r"|references \(.*\)|authors?'? address(es)?|author's address|editors?'? address(es)?|contributors"
    r"|acknowledgement|funding|disclaimer)\.?$",
    re.IGNORECASE,
)
_KNOWN_UNNUMBERED = re.compile(
    r"^(abstract|status of th(is|e) memo|copyright notice|table of contents|introduction"
    r"|security considerations|iana considerations|(normative |informative )?references"
    r"|acknowledge?ments?|authors?'? address(es)?|author's address|editors?'? address(es)?"
    r"|contributors|full copyright statement|intellectual property( statement)?|requirements language"
    r"|terminology|conventions used in this document|appendix [a-z]\b.*)$",
    re.IGNORECASE,
)


def _depage(text: str) -> list[tuple[str, int | None]]:
    """Remove page headers/footers and form feeds; return lines with their page numbers.

    Footers are the ``Author  Category  [Page N]`` lines. Headers are the first lines after a
    footer that are ``RFC NNNN ... Month Year`` lines or that repeat at the top of three or
    more pages (old RFCs' running titles). A paragraph broken by a page boundary is re-joined
    (no blank line) when the line before the break does not end a sentence.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw = text.replace("\f", "\n").split("\n")
    footers: list[tuple[int, int | None]] = []
    for i, line in enumerate(raw):
        m = _FOOTER.match(line)
        if m:
            num = m.group(1) or m.group(2)
            footers.append((i, int(num) if num.isdigit() else None))
    pages: list[int | None] = [None] * len(raw)
    start = 0
    last: int | None = None
    for idx, num in footers:
        for j in range(start, idx + 1):
            pages[j] = num
        start = idx + 1
        last = num
    for j in range(start, len(raw)):
        pages[j] = last + 1 if last is not None else None
    footer_idx = {i for i, _ in footers}
    # Running headers: the first two non-blank lines after each footer, if they recur.
    tops: dict[str, int] = {}
    for idx in footer_idx:
        seen = 0
        for line in raw[idx + 1 : idx + 8]:
            if line.strip():
                tops[line.strip()] = tops.get(line.strip(), 0) + 1
                seen += 1
                if seen == 2:
                    break
    running = {t for t, n in tops.items() if n >= 3}

    out: list[tuple[str, int | None]] = []
    broke = False
    dropped = 0
    for i, line in enumerate(raw):
        if i in footer_idx:
            while out and not out[-1][0].strip():
                out.pop()
            broke, dropped = True, 0
            continue
        if broke:
            if not line.strip():
                continue
            if dropped < 2 and (_HEADER.match(line) or line.strip() in running):
                dropped += 1
                continue
            prev = out[-1][0].rstrip() if out else ""
            continues = prev and not re.search(r"[.:;!?)\]]$", prev) and (
                line.lstrip()[:1].islower() or _indent(line) == _indent(out[-1][0])
            )
            if not continues:
                out.append(("", pages[i]))
            broke = False
        elif i < 3 and _HEADER.match(line):
            continue
        out.append((line.rstrip(), pages[i]))
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _norm_title(t: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", t.lower())


def _parse_toc(lines: list[tuple[str, int | None]]) -> tuple[int, int, dict[str, str], set[str]]:
    """Find and parse the table of contents: (start, end, {number: title}, {unnumbered titles})."""
    start = next((i for i, (l, _) in enumerate(lines) if re.match(r"^\s*(Table of )?Contents\s*$", l, re.IGNORECASE)), -1)
    if start < 0:
        return -1, -1, {}, set()
    entries: list[list] = []  # [indent, text, has_page]
    end = len(lines)
    for i in range(start + 1, len(lines)):
        line = lines[i][0]
        if not line.strip():
            continue
        stripped = line.strip()
        if _indent(line) == 0 and not (_TRAILING_PAGE.search(stripped) or _DOT_LEADER.search(stripped)):
            end = i
            break
        has_page = bool(_TRAILING_PAGE.search(stripped))
        starts_num = bool(re.match(rf"^{_NUM}\.?\s", stripped))
        if entries and not starts_num and not entries[-1][2] and _indent(line) > entries[-1][0]:
            entries[-1][1] += " " + stripped
            entries[-1][2] = has_page
            continue
        entries.append([_indent(line), stripped, has_page])
    numbered: dict[str, str] = {}
    unnumbered: set[str] = set()
    for _, text, _ in entries:
        text = re.sub(r"(?:\s*\.){2,}\s*(?:\d+|[ivxlc]+)\s*$|\s{2,}(?:\d+|[ivxlc]+)\s*$", "", text).strip()
        num, title = split_number(text)
        if num:
            numbered.setdefault(num.replace("Appendix ", ""), title)
        elif title:
            unnumbered.add(_norm_title(title))
    return start, end, numbered, unnumbered


def _rfc_candidate(line: str) -> tuple[str, str, int] | None:
    if not line.strip() or len(line) > 100 or _DOT_LEADER.search(line) or _TRAILING_PAGE.search(line):
        return None
    bare = _BARE_APPENDIX.match(line.strip())
    if bare and _indent(line) == 0:
        return _norm_num(bare.group(1)), "", 0
    m = _HEADING_NUM.match(line.strip())
    if not m:
        return None
    num, title = split_number(line.strip())
    # titles may open with a digit or a symbol ("16-bit FCS", "#-literals", "<groups> Example")
    if not num or not re.match(r"^[\w\"'(<#]", title) or not re.search(r"[A-Za-z]", title) \
            or (not title[0].isalpha() and not re.search(r"[A-Za-z]{2}", title)):
        return None
    if re.search(r"\s{3,}", title):  # figure or table columns, not a title
        return None
    return num, title, _indent(line)


def rfc_sections(text: str, *, keep_boilerplate: bool = False) -> list[Section]:
    """Sections of a plain-text RFC, with page furniture removed and page numbers kept.

    Numbered headings (``4.2.  Foo``, ``Appendix B.  Foo``, ``B.2.  Foo``) are checked against
    the table of contents or, without one, against the numbering so far. Old RFCs with no
    numbered heading at all (768, 792, 826, ...) are read a second time with their own
    conventions: a short line at the left margin that is underlined (``-----``) or stands
    alone between a blank line and the text (``Destination Unreachable Message``,
    ``Packet Generation:``) is a heading.
    """
    lines = _depage(text)
    toc = _parse_toc(lines)
    sections = _scan_rfc(lines, toc, loose=False)
    if not any(s.number for s in sections):
        sections = _scan_rfc(lines, toc, loose=True)

    out: list[Section] = []
    for n, sec in enumerate(sections):
        if n == 0:
            # Preamble (header block, title, sometimes a bare abstract in old RFCs): keep only
            # when the RFC has no Abstract heading and the text is more than the header block.
            if any(s.title.lower() == "abstract" for s in sections[1:]):
                continue
            if not any(re.search(r"[a-z]{2}[.;]\s+[A-Z]|[a-z]{3}\.$", b.text, re.M) for b in sec.blocks):
                continue  # only the header block and title (no sentence)
        if not keep_boilerplate and (BOILERPLATE_TITLES.match(sec.title) or sec.title.lower().startswith("references")):
            continue
        sec.blocks = _paragraphs(sec.blocks)
        out.append(sec)
    return out


_UNDERLINE = re.compile(r"^\s*(?:-{3,}|={3,})\s*$")


def _scan_rfc(lines: list[tuple[str, int | None]], toc: tuple, *, loose: bool) -> list[Section]:
    toc_start, toc_end, toc_numbered, toc_unnumbered = toc
    sections: list[Section] = [Section()]  # preamble
    last_key: tuple | None = None
    stack: list[tuple[tuple, str]] = []  # (key, "num title") for the heading path
    prev_blank = True
    i = 0
    while i < len(lines):
        line, page = lines[i]
        in_toc = toc_start >= 0 and toc_start < i < toc_end
        head: tuple[str, str] | None = None
        underlined = False
        if prev_blank and line.strip() and not in_toc and _titles_bare_appendix(line, sections[-1]):
            # "Appendix A" alone on a line, then "A.  Guidelines for ...": one heading
            sections[-1].title = split_number(line.strip())[1].rstrip(".")
            sections[-1].heading += f"\n\n{line}"
            sections[-1].heading_path = sections[-1].heading_path[:-1] + (f"{sections[-1].number} {sections[-1].title}",)
            stack[-1:] = [(stack[-1][0], sections[-1].heading_path[-1])] if stack else []
            i += 1
            continue
        if prev_blank and line.strip() and not in_toc:
            head = _rfc_heading(line, lines, i, toc_numbered, toc_unnumbered, last_key, loose)
            if head is None and loose:
                head = _underlined_heading(line, lines, i)
                underlined = head is not None
            if head is None and loose and _caps_subheading(line, lines, i, sections[-1]):
                # "   TRANSMISSION OF DATA" under "THE NETWORK VIRTUAL TERMINAL" (RFC 854)
                parent = sections[-1].heading_path[0]
                sections.append(Section(title=line.strip(), heading=line, page=page,
                                        heading_path=(parent, line.strip())))
                prev_blank = False
                i += 1
                continue
        if head is not None and not head[0] and head[1].rstrip(":") == sections[-1].title and not sections[-1].number:
            # old RFCs repeat the current heading at the top of a page: a continuation
            i += 2 if underlined else 1
            prev_blank = True
            continue
        if head is not None:
            num, title = head
            title = title.rstrip(".:") if not num else title.rstrip(".")
            nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
            after = lines[i + 2][0] if i + 2 < len(lines) else ""
            col = line.find(title[:8]) if title else -1
            if underlined:
                line = f"{line}\n{nxt}"
                i += 1
            elif num and nxt.strip() and not after.strip() and col > 0 and _indent(nxt) == col and len(nxt) < 80:
                # A title wrapped onto a second line, aligned under the first.
                title = f"{title} {nxt.strip()}"
                line = f"{line}\n{nxt}"
                i += 1
            sec = Section(number=num, title=title, heading=line, page=page)
            if num:
                key = _num_key(num)
                last_key = key
                while stack and not (len(stack[-1][0]) < len(key) and key[: len(stack[-1][0])] == stack[-1][0]):
                    stack.pop()
                stack.append((key, f"{num} {title}".strip()))
                sec.heading_path = tuple(s for _, s in stack)
            else:
                stack.clear()
                sec.heading_path = (title,)
            sections.append(sec)
        else:
            sections[-1].blocks.append(Block(line, page))
        prev_blank = not line.strip()
        i += 1
    return sections


def _caps_subheading(line: str, lines, i: int, current: Section) -> bool:
    """An indented upper-case title line inside an unnumbered upper-case section of an old RFC.

    RFC 854 heads its parts ``THE NETWORK VIRTUAL TERMINAL`` at the margin and their subsections
    ``   TRANSMISSION OF DATA`` indented. Only upper case counts: indented mixed-case lines in old
    RFCs are field names or run-in labels (RFC 792's ``   Description``), not sections.
    """
    stripped = line.strip()
    if current.number or not current.heading_path or not _is_caps(current.heading_path[0]):
        return False
    if not 1 <= _indent(line) <= 8 or not _is_caps(stripped) or not _loose_title(stripped):
        return False
    nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
    return not nxt.strip() or _indent(nxt) > _indent(line)


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _titles_bare_appendix(line: str, sec: Section) -> bool:
    if not sec.number.startswith("Appendix ") or sec.title or any(b.text.strip() for b in sec.blocks):
        return False
    cand = _rfc_candidate(line)
    return cand is not None and _num_key(cand[0]) == _num_key(sec.number) and bool(cand[1])


def _underlined_heading(line: str, lines, i: int) -> tuple[str, str] | None:
    """``Format`` over ``------``: the heading style of the oldest RFCs (768)."""
    nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
    stripped = line.strip()
    if not _UNDERLINE.match(nxt) or _indent(line) > 0 or not _loose_title(stripped.rstrip(":")):
        return None
    if abs(len(nxt.strip()) - len(stripped)) > 3 or abs(_indent(nxt) - _indent(line)) > 2:
        return None
    return split_number(stripped)


def _loose_title(stripped: str) -> bool:
    """A short, title-like line: capitalised, a few words, no sentence punctuation."""
    return (len(stripped) <= 60 and stripped[0].isupper() and len(stripped.split()) <= 8
            and not stripped.endswith((".", ",", ";")) and bool(re.search(r"[\w:?)]$", stripped))
            and not re.search(r"\s{3,}", stripped) and not _DANGLING.search(stripped))


# a line ending like this is the start of a sentence, not a title ("A user interface should allow")
_DANGLING = re.compile(r"\b(?:a|an|the|of|to|and|or|should|must|may|shall|will|can|is|are|be|with|for|in|by|"
                       r"as|that|which|allow|allows|on|at|from)$", re.IGNORECASE)


def _rfc_heading(line, lines, i, toc, toc_unnumbered, last_key, loose=False) -> tuple[str, str] | None:
    cand = _rfc_candidate(line)
    if cand:
        num, title, indent = cand
        bare = num.replace("Appendix ", "")
        key = _num_key(num)
        if last_key is not None and key <= last_key:
            return None
        if toc and bare in toc:
            a, b = _norm_title(title), _norm_title(toc[bare])
            n = min(len(a), len(b), 16)
            if (n and a[:n] == b[:n]) or not a:
                return num, title
            return None
        depth = len(key) - 1
        if indent <= 4 * (depth - 1) and key in _successors(last_key) and not title.endswith((",", ";")):
            nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
            if not nxt.strip() or _indent(nxt) > indent:
                return num, title
        return None
    stripped = line.strip()
    if _indent(line) == 0 and len(stripped) < 80 and not stripped.endswith((".", ",", ";")):
        nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
        if nxt.strip() and _indent(nxt) == 0:
            return None
        front = re.match(r"^(abstract|status of th(is|e) memo|copyright notice|(table of )?contents)$", stripped, re.I)
        listed = _norm_title(stripped) in toc_unnumbered
        if listed or front or (_KNOWN_UNNUMBERED.match(stripped) and not toc_unnumbered) \
                or (loose and _loose_title(stripped)):
            m = re.match(rf"^((?:Appendix|APPENDIX)\s+(?:{_ROMAN}|[A-Z]))(?:[.:]|\s+-)?\s+(.*)$", stripped)
            if m:
                return _norm_num(m.group(1)), m.group(2)
            return "", stripped
    return None


def _paragraphs(lines: list[Block]) -> list[Block]:
    """Group consecutive non-blank lines into paragraph blocks."""
    out: list[Block] = []
    cur: list[str] = []
    page = None
    for b in lines:
        if b.text.strip():
            if not cur:
                page = b.page
            cur.append(b.text)
        elif cur:
            out.append(Block("\n".join(cur), page))
            cur = []
    if cur:
        out.append(Block("\n".join(cur), page))
    return out


# --------------------------------------------------------------------------------------------
# Headed formats: markdown, reStructuredText, HTML, docx, numbered plain text / pdf
# --------------------------------------------------------------------------------------------


class _Outline:
    """Collects sections from a stream of headings and paragraphs."""

    def __init__(self) -> None:
        self.sections: list[Section] = [Section()]
        self._stack: list[tuple[int, str]] = []

    def heading(self, level: int, text: str, page: int | None = None, raw: str | None = None) -> None:
        text = " ".join(text.split())
        clause = clause_heading(text)
        # "# TS 23.501 clause 5.6.1": the clause is the section (cited TS 23.501 §5.6.1)
        num, title = (clause["num"], clause["title"] or "") if clause else split_number(text)
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text))
        self.sections.append(
            Section(number=num, title=title, heading_path=tuple(t for _, t in self._stack),
                    heading=raw if raw is not None else text, page=page)
        )

    def block(self, text: str, page: int | None = None) -> None:
        if text.strip():
            self.sections[-1].blocks.append(Block(text.rstrip(), page))


_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def markdown_sections(text: str) -> list[Section]:
    """Sections of a Markdown document (ATX and setext headings; fences respected)."""
    o = _Outline()
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    para: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if para:
            o.block("\n".join(para))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            para.append(line)
            if line.strip().startswith(fence):
                fence = None
                flush()
            i += 1
            continue
        m = _FENCE.match(line)
        if m:
            flush()
            fence = m.group(1)[0] * 3
            para.append(line)
            i += 1
            continue
        m = _ATX.match(line)
        if m:
            flush()
            o.heading(len(m.group(1)), m.group(2), raw=line.strip())
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and not para and re.fullmatch(r" {0,3}(=+|-{2,})\s*", nxt) and not line.lstrip().startswith(("-", "*", "|")):
            o.heading(1 if nxt.strip()[0] == "=" else 2, line.strip(), raw=line.strip())
            i += 2
            continue
        if not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return o.sections


_RST_ADORN = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")


def rst_sections(text: str) -> list[Section]:
    """Sections of a reStructuredText document; levels follow first use of each adornment."""
    o = _Outline()
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    styles: list[tuple[str, bool]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            o.block("\n".join(para))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        over = False
        title = None
        if _RST_ADORN.match(line) and i + 2 < len(lines) and lines[i + 1].strip() and _RST_ADORN.match(lines[i + 2]) \
                and lines[i + 2].strip()[0] == line.strip()[0]:
            title, over, char, step = lines[i + 1].strip(), True, line.strip()[0], 3
        elif line.strip() and not line.startswith(" ") and _RST_ADORN.match(nxt) and len(nxt.strip()) >= len(line.strip()):
            title, char, step = line.strip(), nxt.strip()[0], 2
        if title is not None:
            flush()
            style = (char, over)
            if style not in styles:
                styles.append(style)
            o.heading(styles.index(style) + 1, title, raw=title)
            i += step
            continue
        if not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return o.sections


_HTML_DROP = ("script", "style", "nav", "noscript", "template", "svg", "head", "footer", "form", "button")
_HTML_BLOCKS = {"p", "li", "pre", "blockquote", "dt", "dd", "caption", "figcaption", "address", "summary"}


def html_sections(html: str) -> tuple[str, list[Section]]:
    """(``<title>``, sections) of an HTML page; script/style/nav and page chrome are dropped."""
    from bs4 import BeautifulSoup, NavigableString, Tag  # noqa: F401  (lazy: bs4 is not tiny)

    soup = BeautifulSoup(html, "html.parser")
    page_title = " ".join(soup.title.get_text().split()) if soup.title else ""
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    for tag in soup.find_all(_html_chrome):
        if not tag.decomposed:
            tag.decompose()
    # a page that marks its content (<main>, role="main", one <article>) is read from there
    # alone: a wiki export's sidebar, breadcrumbs and "recently viewed" lists sit outside it
    articles = soup.find_all("article")
    content = soup.find("main") or soup.find(attrs={"role": "main"}) or (articles[0] if len(articles) == 1 else None)
    o = _Outline()
    loose: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(loose).split())
        if text:
            o.block(text)
        loose.clear()

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString and child.strip():
                    loose.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if re.fullmatch(r"h[1-6]", name):
                flush()
                o.heading(int(name[1]), child.get_text(" "))
            elif name == "table":
                flush()
                rows = []
                for tr in child.find_all("tr"):
                    cells = [" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])]
                    if any(cells):
                        rows.append(" | ".join(cells))
                o.block("\n".join(rows))
            elif name == "pre":
                flush()
                o.block(child.get_text())
            elif name in _HTML_BLOCKS and not child.find(["p", "ul", "ol", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6"]):
                flush()
                o.block(" ".join(child.get_text(" ").split()))
            elif name == "br":
                loose.append("\n")
            else:
                if name in {"div", "section", "article", "main", "ul", "ol", "dl", "body", "header", "aside", "li", "blockquote"}:
                    flush()
                walk(child)
                if name in {"div", "section", "article", "main", "ul", "ol", "dl", "header", "aside", "li"}:
                    flush()
        return None

    walk(content if content is not None and content.get_text(strip=True) else soup)
    flush()
    return page_title, o.sections


_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_CHROME_NAMES = re.compile(r"^(?:sidebar|side-bar|sidenav|breadcrumbs?|breadcrumb-section|navbar|navigation|menu|menubar"
                           r"|site-header|site-footer|page-footer|cookie-banner|cookies?)$", re.IGNORECASE)


def _html_chrome(tag) -> bool:
    """Page chrome around a wiki or CMS page: ``<aside>``, ARIA landmark roles other than main,
    and the ids/classes sites give their sidebars, breadcrumbs and menus."""
    if tag.name in ("html", "body", "main"):
        return False
    if tag.name == "aside" or (tag.get("role") or "").lower() in _CHROME_ROLES:
        return True
    names = [tag.get("id") or "", *(tag.get("class") or [])]
    return any(_CHROME_NAMES.match(n) for n in names if n)


def numbered_text_sections(pages: Sequence[tuple[int | None, str]]) -> list[Section]:
    """Sections of plain text or extracted PDF text, headed by numbered lines (``3.2 Foo``).

    A numbered line counts as a heading only if it is short, looks like a title (no dot
    leaders, no page number, no trailing comma) and its number directly follows the previous
    heading's (first child or next sibling), which rejects numbered list items and TOC lines.
    """
    o = _Outline()
    last_key: tuple | None = None
    para: list[str] = []
    para_page: int | None = None

    def flush() -> None:
        if para:
            o.block("\n".join(para), para_page)
            para.clear()

    prev_numbered: tuple | None = None
    for page, text in pages:
        lines = text.replace("\r\n", "\n").replace("\f", "\n").split("\n")
        for line in lines:
            if not line.strip():
                flush()
                continue
            cand = _rfc_candidate(line) if _indent(line) <= 2 else None
            clause = clause_heading(line) if last_key is None and not o.sections[-1].blocks and not para else None
            if clause:
                # an excerpt of one clause ("TS 23.501 clause 5.7 QoS model") numbers its headings
                # from that clause on (5.7.1, 5.7.2), not from 1
                last_key = _num_key(clause["num"])
                o.heading(1, line.strip(), page=page)
                prev_numbered = None
                continue
            if cand:
                num, title, _ = cand
                key = _num_key(num)
                # A numbered line right after another numbered line is a list, unless it is
                # the first child of a heading just accepted ("5 Architecture" / "5.1 General").
                in_run = prev_numbered is not None and not (prev_numbered == last_key and key == last_key + (1,))
                ok = key in _successors(last_key) and len(title) <= 90 and not title.endswith((",", ";", "."))
                prev_numbered = key
                if ok and not in_run:
                    flush()
                    last_key = key
                    o.heading(len(key) - 1, line.strip(), page=page)
                    continue
            else:
                prev_numbered = None
            if not para:
                para_page = page
            para.append(line)
        flush()
    return o.sections


def docx_sections(items: Iterable[tuple[str, str]], *, skip_front_matter: bool = False) -> list[Section]:
    """Sections from a docx body as ``(kind, text)`` items in document order.

    ``kind`` is ``heading:N`` (paragraph style "Heading N"), ``toc`` (a TOC style, dropped),
    ``para`` or ``table`` (rows already flattened to ``a | b | c`` lines). With
    ``skip_front_matter`` (3GPP/ETSI specs) the title page before the first heading and the
    Foreword / Contents / Intellectual Property Rights clauses are dropped.
    """
    o = _Outline()
    skipping_level: int | None = None
    seen_heading = False
    for kind, text in items:
        if kind == "toc":
            continue
        if kind.startswith("heading:"):
            level = int(kind.split(":", 1)[1])
            seen_heading = True
            heading = text.replace("\n", " ").strip()
            heading = re.sub(r"^(Annex\s+[A-Z])\s*(\([^)]*\))?\s*:?\s*", r"\1\t", heading)
            if skip_front_matter and re.match(r"^(foreword|contents|table of contents|intellectual property rights)\b",
                                              heading, re.IGNORECASE):
                skipping_level = level
                continue
            if skipping_level is not None and level > skipping_level:
                continue
            skipping_level = None
            o.heading(level, heading, raw=heading.replace("\t", " "))
            continue
        if skipping_level is not None or (skip_front_matter and not seen_heading):
            continue
        o.block(text)
    return o.sections
