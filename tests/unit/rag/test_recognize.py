"""Document recognition: RFCs, 3GPP specs, O-RAN documents, everything else."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from netops.rag.recognize import recognize, rfc_title, threegpp_version


def test_real_rfc_header_and_title(rfc):
    head = gzip.decompress(rfc(2328).read_bytes()).decode()[:8000]
    r = recognize(Path("rfc2328.txt.gz"), head)
    assert (r.doc_id, r.title, r.kind, r.version) == ("RFC 2328", "OSPF Version 2", "rfc", None)


def test_rfc_header_wins_over_file_name(rfc):
    head = gzip.decompress(rfc(4271).read_bytes()).decode()[:8000]
    assert recognize(Path("notes.txt"), head).doc_id == "RFC 4271"


def test_rfc_from_file_name_only():
    r = recognize(Path("rfc7432.txt"), "Some text without a header\n")
    assert r.doc_id == "RFC 7432" and r.kind == "rfc"


def test_old_style_rfc_header():
    r = recognize(Path("ip.txt"), "\n\nRFC:  791\n\n\n                    INTERNET PROTOCOL\n\n")
    assert r.doc_id == "RFC 791"


def test_two_line_centred_title():
    head = ("Network Working Group                                   A. Person\n"
            "Request for Comments: 1234                                 Example\n\n\n"
            "           A Very Long Title That Needs\n"
            "              Two Lines To Fit\n\n"
            "Status of This Memo\n")
    assert rfc_title(head) == "A Very Long Title That Needs Two Lines To Fit"


def test_3gpp_from_title_page_text():
    head = ("3GPP TS 38.413 V16.2.0 (2020-07)\nTechnical Specification\n"
            "3rd Generation Partnership Project;\nTechnical Specification Group Radio Access Network;\n"
            "NG-RAN; NG Application Protocol (NGAP)\n(Release 16)\n")
    r = recognize(Path("whatever.docx"), head)
    assert (r.doc_id, r.version, r.kind) == ("TS 38.413", "V16.2.0", "3gpp")
    assert r.title == "NG-RAN; NG Application Protocol (NGAP) (Release 16)"


@pytest.mark.parametrize(
    "name, doc_id, version",
    [
        ("23501-h50.docx", "TS 23.501", "V17.5.0"),
        ("38912-f00.pdf", "TR 38.912", "V15.0.0"),
        ("29500-i10.docx", "TS 29.500", "V18.1.0"),
        ("36331-9a0.docx", "TS 36.331", "V9.10.0"),
    ],
)
def test_3gpp_file_name_convention(name, doc_id, version):
    r = recognize(Path(name), "")
    assert (r.doc_id, r.version, r.kind) == (doc_id, version, "3gpp")


def test_threegpp_version_letters():
    assert threegpp_version("h50") == "V17.5.0"
    assert threegpp_version("z99") == "V35.9.9"
    assert threegpp_version("000") == "V0.0.0"


def test_oran_document_id_and_version():
    r = recognize(Path("O-RAN.WG1.O-RAN-Architecture-Description-v08.00.docx"), "")
    assert (r.doc_id, r.version, r.kind) == ("O-RAN.WG1.O-RAN-Architecture-Description", "v08.00", "oran")
    r = recognize(Path("spec.pdf"), "Title page\nO-RAN.WG4.CUS.0-v10.00\nControl, User and Synchronization Plane\n")
    assert (r.doc_id, r.version) == ("O-RAN.WG4.CUS.0", "v10.00")


def test_everything_else_is_its_stem():
    r = recognize(Path("/kb/runbook-bgp.md"), "# Runbook", fallback_title="Runbook: BGP")
    assert (r.doc_id, r.title, r.kind, r.version) == ("runbook-bgp", "Runbook: BGP", "", None)
    assert recognize(Path("plain.txt"), "hello\n").doc_id == "plain"


def test_mentions_in_running_text_are_not_identities():
    head = "# Notes\n\nWe read `3GPP TS 23.501 V17.5.0 (2022-06)` and O-RAN.WG1.Foo-v01.00 last week.\n"
    r = recognize(Path("notes.md"), head, fallback_title="Notes")
    assert (r.doc_id, r.kind) == ("notes", "")


@pytest.mark.parametrize("number, title", [
    # centred so wide that one space is left of it (894, 1055)
    (894, "A Standard for the Transmission of IP Datagrams over Ethernet Networks"),
    (1055, "A NONSTANDARD FOR TRANSMISSION OF IP DATAGRAMS OVER SERIAL LINES: SLIP"),
    # a tab before the title (826)
    (826, "An Ethernet Address Resolution Protocol -- or -- Converting Network Protocol Addresses "
          "to 48.bit Ethernet Address for Transmission on Ethernet Hardware"),
    # a byte-order mark before the header block (9293 and the other 2022+ RFCs)
    (9293, "Transmission Control Protocol (TCP)"),
    (4271, "A Border Gateway Protocol 4 (BGP-4)"),
])
def test_rfc_titles_of_every_layout(rfc, number, title):
    """The title is every chunk's heading line on both index sides: an RFC without one loses the
    words that say what it is about (Ethernet, SLIP) from every passage's heading."""
    head = gzip.decompress(rfc(number).read_bytes()).decode("utf-8", "replace")[:8000]
    assert rfc_title(head) == title
