"""Loaders: discovery, every format, and every way a file can be unusable."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from netops.errors import IngestError
from netops.rag.loaders import SUPPORTED_SUFFIXES, discover, file_sha256, load_document

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "docs"
MB = 1024 * 1024
LIMIT = 32 * MB


# --- tiny document writers (real files, written the way real tools write them) ---------------


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF: one Helvetica text object per page, one line per entry."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        content = "BT /F1 11 Tf 14 TL 72 760 Td " + " ".join(f"({esc(l)}) Tj T*" for l in lines) + " ET"
        data = content.encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_ids[i] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_3gpp_docx(path: Path, *, title_page: bool = True) -> Path:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    toc = d.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    if title_page:
        d.add_paragraph("3GPP TS 23.501 V17.5.0 (2022-06)")
        d.add_paragraph("Technical Specification")
        d.add_paragraph("3rd Generation Partnership Project;")
        d.add_paragraph("Technical Specification Group Services and System Aspects;")
        d.add_paragraph("System architecture for the 5G System (5GS);")
        d.add_paragraph("Stage 2")
        d.add_paragraph("(Release 17)")
    d.add_paragraph("Copyright Notification: no part may be reproduced.")
    d.add_paragraph("1\tScope\t9", style=toc)
    d.add_paragraph("5.2.1\tGeneral\t12", style=toc)
    d.add_heading("Foreword", level=1)
    d.add_paragraph("This Technical Specification has been produced by the 3rd Generation Partnership Project.")
    d.add_heading("1\tScope", level=1)
    d.add_paragraph("The present document defines the Stage 2 system architecture for the 5G System.")
    d.add_heading("5\tArchitecture model and concepts", level=1)
    d.add_heading("5.2\tNetwork access control", level=2)
    d.add_heading("5.2.1\tGeneral", level=3)
    d.add_paragraph("Network access control comprises network selection, identification and authentication.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "NF"
    table.cell(0, 1).text = "Role"
    table.cell(1, 0).text = "AMF"
    table.cell(1, 1).text = "Access and Mobility Management"
    d.save(path)
    return path


# --- discover ---------------------------------------------------------------------------------


def test_discover_walks_sorted_and_skips_hidden_and_unsupported(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.md").write_text("# A\n\ntext\n")
    (tmp_path / "b" / "c.txt").write_text("c\n")
    (tmp_path / "b" / "rfc1.txt.gz").write_bytes(gzip.compress(b"x\n"))
    (tmp_path / "b" / "rfc1.html.gz").write_bytes(gzip.compress(b"<p>x</p>"))
    (tmp_path / "b" / "data.json").write_text("{}")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.md").write_text("# no\n")
    (tmp_path / ".dot.md").write_text("# no\n")
    files, problems = discover([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.md", "b/c.txt", "b/rfc1.txt.gz"]
    assert all(f.is_absolute() for f in files)
    assert problems == {}


def test_discover_reports_missing_and_unsupported_explicit_files(tmp_path):
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG")
    ok = tmp_path / "x.rst"
    ok.write_text("x\n")
    files, problems = discover([tmp_path / "nope.md", bad, ok, ok])
    assert files == [ok.absolute()]
    assert problems[str(tmp_path / "nope.md")] == "no such file or directory"
    assert "unsupported file type '.png'" in problems[str(bad)]


def test_supported_suffixes():
    assert {".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".pdf", ".docx", ".gz"} == SUPPORTED_SUFFIXES


# --- formats ----------------------------------------------------------------------------------


def test_real_rfc_txt_gz(rfc):
    path = rfc(4271)
    info, chunks = load_document(path, max_bytes=LIMIT)
    assert info.doc_id == "RFC 4271"
    assert info.title == "A Border Gateway Protocol 4 (BGP-4)"
    assert info.kind == "rfc"
    assert info.sha256 == file_sha256(path)
    assert info.size == path.stat().st_size
    assert info.version is None
    assert all(c.source == str(path.absolute()) for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert all(c.title == info.title and c.doc_id == "RFC 4271" for c in chunks)


def test_plain_text_rfc_copy_is_recognised_from_header(rfc, tmp_path):
    plain = tmp_path / "bgp-spec.txt"
    plain.write_bytes(gzip.decompress(rfc(4271).read_bytes()))
    info, chunks = load_document(plain, max_bytes=LIMIT)
    assert info.doc_id == "RFC 4271" and info.kind == "rfc"
    assert any(c.section == "10" for c in chunks)


def test_markdown_runbook():
    info, chunks = load_document(FIXTURES / "runbook-sample.md", max_bytes=LIMIT)
    assert info.kind == "markdown"
    assert info.doc_id == "runbook-sample"
    assert info.title == "Runbook: BGP session down"
    timers = next(c for c in chunks if c.section_title == "Timers")
    assert timers.heading_path == ("Runbook: BGP session down", "Checks", "Timers")
    assert timers.section == ""
    numbered = next(c for c in chunks if c.section == "3.2")
    assert numbered.section_title == "Numbered heading"
    fence = next(c for c in chunks if "show bgp summary" in c.text)
    assert "show bgp neighbors 203.0.113.2" in fence.text  # the blank line inside ``` did not split it
    assert any(c.section_title == "Escalation" for c in chunks)  # setext heading


def test_rst_guide():
    info, chunks = load_document(FIXTURES / "guide.rst", max_bytes=LIMIT)
    assert info.kind == "rst" and info.title == "Lab guide"
    daemons = next(c for c in chunks if c.section_title == "Daemons")
    assert daemons.heading_path == ("Lab guide", "Install", "Daemons")
    verify = next(c for c in chunks if c.section_title == "Verify")
    assert verify.heading_path == ("Lab guide", "Verify")


def test_html_strips_script_style_nav_and_flattens_tables():
    info, chunks = load_document(FIXTURES / "page.html", max_bytes=LIMIT)
    text = "\n".join(c.text for c in chunks)
    assert info.kind == "html" and info.title == "Peering policy"
    assert "do not index me" not in text and "color: red" not in text and "navigation link" not in text
    assert "A public ASN" in text
    filters = next(c for c in chunks if c.section == "1.2")
    assert filters.section_title == "Filters"
    assert filters.heading_path == ("Peering policy", "Requirements", "1.2 Filters")
    assert "IPv4 | 100" in filters.text
    assert "route objects" in filters.text


def test_non_utf8_text_is_decoded_with_a_note():
    info, chunks = load_document(FIXTURES / "cp1252-notes.txt", max_bytes=LIMIT)
    assert info.notes == ("not valid UTF-8; decoded as cp1252",)
    assert "réseau côté core uses OSPF – area 0" in chunks[0].text
    assert info.title == "Café notes"


def test_utf8_text_has_no_note(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("Réseau\n\nÇa marche.\n", encoding="utf-8")
    info, _ = load_document(p, max_bytes=LIMIT)
    assert info.notes == ()


def test_pdf_pages_and_numbered_headings(tmp_path):
    p = tmp_path / "design.pdf"
    p.write_bytes(make_pdf([
        ["Core network design", "", "1 Introduction", "This design covers the backbone."],
        ["2 Routing", "All routers run OSPF in area 0.", "2.1 BGP", "Route reflectors serve every PoP."],
    ]))
    info, chunks = load_document(p, max_bytes=LIMIT)
    assert info.kind == "pdf" and info.doc_id == "design"
    by_section = {c.section: c for c in chunks}
    assert by_section["1"].page == 1 and by_section["1"].section_title == "Introduction"
    assert by_section["2.1"].page == 2 and "Route reflectors" in by_section["2.1"].text
    assert by_section["2.1"].heading_path == ("2 Routing", "2.1 BGP")


def test_3gpp_docx_clauses_tables_and_skipped_front_matter(tmp_path):
    path = make_3gpp_docx(tmp_path / "ts-23501.docx")
    info, chunks = load_document(path, max_bytes=LIMIT)
    assert (info.doc_id, info.version, info.kind) == ("TS 23.501", "V17.5.0", "3gpp")
    assert "System architecture for the 5G System" in info.title
    general = next(c for c in chunks if c.section == "5.2.1")
    assert general.section_title == "General"
    assert general.heading_path == ("5 Architecture model and concepts", "5.2 Network access control", "5.2.1 General")
    assert "AMF | Access and Mobility Management" in general.text
    text = "\n".join(c.text for c in chunks)
    assert "produced by the 3rd Generation" not in text  # foreword
    assert "Copyright Notification" not in text  # title page
    assert "\t9" not in text and "Scope\t" not in text  # TOC
    assert chunks[0].section == "1"


def test_3gpp_filename_convention_gives_id_and_version(tmp_path):
    path = make_3gpp_docx(tmp_path / "23501-h50.docx", title_page=False)
    info, _ = load_document(path, max_bytes=LIMIT)
    assert (info.doc_id, info.version) == ("TS 23.501", "V17.5.0")


def test_plain_docx_keeps_preamble_and_headings(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Lab notes for the on-call team.")
    d.add_heading("Access", level=1)
    d.add_paragraph("Use the jump host.")
    d.save(tmp_path / "notes.docx")
    info, chunks = load_document(tmp_path / "notes.docx", max_bytes=LIMIT)
    assert info.kind == "docx" and info.title == "Access"
    assert chunks[0].text == "Lab notes for the on-call team."
    assert chunks[1].section_title == "Access"


def test_loading_is_deterministic(rfc):
    a = load_document(rfc(4456), max_bytes=LIMIT)
    b = load_document(rfc(4456), max_bytes=LIMIT)
    assert a == b


# --- refusals ---------------------------------------------------------------------------------


def _refused(path: Path, max_bytes: int = LIMIT) -> IngestError:
    with pytest.raises(IngestError) as info:
        load_document(path, max_bytes=max_bytes)
    err = info.value
    assert "\n" not in str(err) and err.hint
    return err


def test_empty_and_whitespace_files(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t\n")
    assert "is empty" in str(_refused(tmp_path / "empty.md"))
    assert "is empty" in str(_refused(tmp_path / "blank.txt"))


def test_binary_file_with_text_suffix(tmp_path):
    p = tmp_path / "firmware.txt"
    p.write_bytes(bytes(range(256)) * 8)
    assert "binary" in str(_refused(p))


def test_oversized_file_message_and_hint(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * (2 * MB + MB // 2))
    err = _refused(p, max_bytes=1 * MB)
    assert str(err) == "big.txt is 2.5 MB, over the 1 MB limit"
    assert "NETOPS_KB__MAX_FILE_MB" in err.hint


def test_gzip_bomb_is_bounded(tmp_path):
    p = tmp_path / "rfc9999.txt.gz"
    p.write_bytes(gzip.compress(b"a" * (3 * MB)))
    assert "expands to more than 1 MB" in str(_refused(p, max_bytes=1 * MB))


def test_corrupt_gzip(tmp_path):
    p = tmp_path / "rfc1.txt.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate")
    assert "not a valid gzip file" in str(_refused(p))


def test_corrupt_truncated_and_fake_pdf(tmp_path):
    good = make_pdf([["1 Intro", "Hello"]])
    (tmp_path / "trunc.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "fake.pdf").write_bytes(b"this is not a pdf at all\n" * 10)
    for name in ("trunc.pdf", "fake.pdf"):
        err = _refused(tmp_path / name)
        assert "PDF" in str(err) or "pdf" in str(err)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    src = tmp_path / "plain.pdf"
    src.write_bytes(make_pdf([["1 Intro", "Secret design"]]))
    w = PdfWriter()
    for page in PdfReader(src).pages:
        w.add_page(page)
    w.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        w.write(fh)
    assert "encrypted PDF" in str(_refused(tmp_path / "locked.pdf"))


def test_pdf_without_text(tmp_path):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=612, height=792)
    with open(tmp_path / "scan.pdf", "wb") as fh:
        w.write(fh)
    err = _refused(tmp_path / "scan.pdf")
    assert "no extractable text" in str(err) and "OCR" in err.hint


def test_corrupt_docx(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 definitely not a zip archive")
    import zipfile

    with zipfile.ZipFile(tmp_path / "nodoc.docx", "w") as z:  # a zip, but not a Word package
        z.writestr("hello.txt", "hi")
    assert ".docx" in str(_refused(tmp_path / "bad.docx"))
    assert ".docx" in str(_refused(tmp_path / "nodoc.docx"))


def test_unreadable_paths(tmp_path):
    (tmp_path / "adir.md").mkdir()
    assert "not a regular file" in str(_refused(tmp_path / "adir.md"))
    assert "no such file" in str(_refused(tmp_path / "missing.md"))


def test_unreadable_file_permissions(tmp_path, monkeypatch):
    p = tmp_path / "locked.md"
    p.write_text("# x\n\ny\n")

    def deny(self):  # root ignores file modes, so simulate the kernel's answer
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    err = _refused(p)
    assert str(err) == "locked.md: cannot read (Permission denied)"


def test_heading_only_markdown_has_no_indexable_text(tmp_path):
    p = tmp_path / "toc.md"
    p.write_text("# Title\n\n## Section\n")
    assert "no indexable text" in str(_refused(p))


def test_copy_of_debian_rfc_dir_layout_loads(rfc, tmp_path):
    dest = tmp_path / "draft-standard"
    dest.mkdir()
    shutil.copy(rfc(4760), dest)
    files, problems = discover([tmp_path])
    assert problems == {} and [f.name for f in files] == ["rfc4760.txt.gz"]
    info, chunks = load_document(files[0], max_bytes=LIMIT)
    assert info.doc_id == "RFC 4760" and len(chunks) > 5
