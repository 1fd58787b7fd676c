"""A team's own folder of documents kept in step with the index (know33): files deleted from a
folder that is added again, the same file under two names, Markdown front matter, wiki HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.rag.kb import KnowledgeBase
from netops.testing.embedders import HashEmbedder

RUNBOOK = ("# Runbook: LDP session flapping\n\n## Checks\n\n### 1. Hello adjacency\n\n"
           "The LDP hello hold time on the Rhine ring is set to 45 seconds.\n")
FREEZE = "Change freeze policy\n\nThe network change freeze runs from 15 December to 5 January.\n"


@pytest.fixture
def kb(settings):
    with KnowledgeBase(settings, embedder=HashEmbedder()) as k:
        yield k


def _team(root: Path) -> Path:
    (root / "runbooks").mkdir(parents=True)
    (root / "runbooks" / "ldp-flap.md").write_text(RUNBOOK)
    (root / "change-freeze.txt").write_text(FREEZE)
    return root


def test_a_file_deleted_from_an_added_folder_leaves_the_index_when_the_folder_is_added_again(kb, tmp_path):
    team = _team(tmp_path / "team")
    kb.add([team])
    assert kb.search("change freeze December", mode="lexical")
    (team / "change-freeze.txt").unlink()
    report = kb.add([team])
    assert [Path(s).name for s in report.removed] == ["change-freeze.txt"]
    assert len(report.unchanged) == 1 and report.ok
    assert kb.search("change freeze December", mode="lexical") == []
    assert kb.search("change freeze December", top_k=5, mode="dense")[0].chunk.source.endswith("ldp-flap.md")
    assert {Path(r.source).name for r in kb.list()} == {"ldp-flap.md"}
    assert kb.verify().ok and kb.stats().vectors == kb.stats().chunks


def test_only_the_folder_added_again_is_swept(kb, tmp_path):
    team = _team(tmp_path / "team")
    other = tmp_path / "team-archive"      # a sibling whose name starts like the folder
    other.mkdir()
    (other / "old.md").write_text("# Old\n\nThe old ring used OSPF area 7.\n")
    kb.add([team, other])
    (other / "old.md").unlink()
    (team / "change-freeze.txt").unlink()
    report = kb.add([team / "runbooks"])
    assert report.removed == []            # neither file was under runbooks/
    report = kb.add([team])
    assert [Path(s).name for s in report.removed] == ["change-freeze.txt"]
    assert any(Path(r.source).name == "old.md" for r in kb.list())  # not under team/


def test_kb_add_says_what_it_removed_in_text_and_json(settings, tmp_path, monkeypatch):
    from netops.cli.main import cli

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    team = _team(tmp_path / "team")
    runner = CliRunner()
    assert runner.invoke(cli, ["kb", "add", str(team)]).exit_code == 0
    (team / "change-freeze.txt").unlink()
    out = runner.invoke(cli, ["kb", "add", str(team)])
    assert out.exit_code == 0, out.output
    assert "removed 1" in out.output and "change-freeze.txt (no longer on disk)" in out.output
    (team / "runbooks" / "ldp-flap.md").unlink()
    (team / "runbooks" / "new.md").write_text("# New\n\nThe new ring uses IS-IS.\n")
    out = runner.invoke(cli, ["kb", "add", "--json", str(team)])
    data = json.loads(out.stdout)  # "indexing: 1/1 new.md" is progress, on stderr
    assert [Path(s).name for s in data["removed"]] == ["ldp-flap.md"]
    assert [Path(s).name for s in data["added"]] == ["new.md"]


def test_the_same_passage_in_two_files_is_one_hit(kb, tmp_path):
    team = _team(tmp_path / "team")
    (team / "old").mkdir()
    (team / "old" / "ldp-flap-copy.md").write_text(RUNBOOK)      # the same runbook, copied
    kb.add([team])
    assert len(kb.list()) == 3                                  # both files are documents
    for mode in ("lexical", "dense", "hybrid"):
        hits = kb.search("LDP hello hold time Rhine ring", top_k=3, mode=mode)
        texts = [" ".join(h.chunk.text.split()) for h in hits]
        assert len(texts) == len(set(texts)), (mode, texts)
        assert any("45 seconds" in t for t in texts), mode
        if mode == "dense":  # the place the copy took goes to the next document
            assert any(h.chunk.source.endswith("change-freeze.txt") for h in hits), texts


FRONT = ("---\ntitle: UPF failover\nowner: core-team\ntags: [5gc, upf]\n---\n"
         "# Runbook: UPF failover (Frankfurt pool)\n\n## Checks\n\nA PFCP peer is declared dead after 9 seconds.\n")


def test_markdown_front_matter_names_the_document_and_is_not_a_passage(kb, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "upf-failover.md").write_text(FRONT)
    kb.add([tmp_path / "docs"])
    (doc,) = kb.list()
    assert doc.title == "UPF failover"
    assert kb.search("owner core-team tags", mode="lexical") == []
    hits = kb.search("PFCP peer declared dead", mode="lexical")
    assert hits[0].chunk.section_title == "Checks" and "owner:" not in hits[0].chunk.text
    assert all("---" not in h.chunk.text for h in kb.search("UPF failover PFCP", top_k=5, mode="lexical"))


def test_markdown_without_front_matter_keeps_its_rules_and_text():
    from netops.rag.loaders import _front_matter

    text = "# Title\n\n---\n\nA thematic break above.\n---\n"
    assert _front_matter(text) == ("", text)
    assert _front_matter("---\nnot closed\n") == ("", "---\nnot closed\n")
    assert _front_matter('---\ntitle: "BGP: route leaks"\n...\nbody\n') == ("BGP: route leaks", "body\n")
    assert _front_matter('+++\ntitle = "Leaf swap"\nweight = 3\n+++\n# Leaf\n') == ("Leaf swap", "# Leaf\n")


WIKI = """<html><head><title>SBC registration storms - Team Wiki</title></head><body>
<div id="breadcrumb-section"><ol><li>Voice</li><li>SBC</li></ol></div>
<div id="sidebar"><h3>Recently viewed</h3><ul><li>Lunch menu</li><li>Holiday rota</li></ul></div>
<aside><p>Page tree: Voice, Data, Lunch</p></aside>
<div role="main" id="main-content"><h1>SBC registration storms</h1>
<p>The throttle limit on the Berlin SBC pair is 1,200 registrations per second.</p></div>
<div class="page-metadata"><p>Last edited by Lunch Bot</p></div>
</body></html>"""


def test_wiki_html_is_read_from_its_content_not_its_sidebar(kb, tmp_path):
    (tmp_path / "wiki").mkdir()
    (tmp_path / "wiki" / "sbc.html").write_text(WIKI)
    kb.add([tmp_path / "wiki"])
    assert kb.search("lunch menu holiday rota recently viewed", mode="lexical") == []
    assert all("tree" not in h.chunk.text and "Voice" not in h.chunk.text
               for h in kb.search("Voice SBC page tree", mode="lexical"))
    (hit,) = kb.search("throttle limit Berlin", mode="lexical", top_k=5)
    assert hit.chunk.section_title == "SBC registration storms"


def test_html_without_a_marked_content_area_keeps_all_its_text():
    from netops.rag.chunking import html_sections

    _, sections = html_sections("<body><div class='content'><h2>Menu of checks</h2><p>Check the optic.</p></div>"
                                "<div class='menu'><p>Home | Spaces</p></div></body>")
    texts = [b.text for s in sections for b in s.blocks]
    assert texts == ["Check the optic."]
    assert [s.title for s in sections if s.title] == ["Menu of checks"]


def test_ctrl_c_during_kb_add_says_what_is_kept_and_how_to_finish(settings, tmp_path, monkeypatch, capsys):
    from netops.cli.main import main
    from netops.rag import loaders

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    docs = tmp_path / "big"
    docs.mkdir()
    for i in range(8):
        (docs / f"site-{i}.md").write_text(f"# Site {i}\n\nThe site {i} uplink is on ring {i}.\n")
    real, calls = loaders.load_document, []

    def load(path, **kw):  # the person presses Ctrl+C while the sixth file is read
        calls.append(path)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return real(path, **kw)

    monkeypatch.setattr(loaders, "load_document", load)
    monkeypatch.setattr("netops.rag.kb.GROUP_CHUNKS", 1)  # each file committed as it is read
    assert main(["kb", "add", str(docs)]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err
    assert "stopped with 5 of 8 files done; they stay indexed and searchable" in err
    assert "Run the same command again to finish" in err
    monkeypatch.setattr(loaders, "load_document", real)
    assert main(["kb", "add", "--json", str(docs)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (len(report["unchanged"]), len(report["added"])) == (5, 3)


def test_kb_add_says_which_file_was_not_utf8(settings, tmp_path, monkeypatch, capsys):
    """knowledge/README promised a note for text that is not UTF-8; it was dropped on the way."""
    from netops.cli.main import main

    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "splices.txt").write_bytes(b"Fiber splice notes\n\nCaf\xe9 patch panel PP-\xa712 holds the spare pairs.\n")
    (docs / "ok.md").write_text("# OK\n\nplain UTF-8 text\n")
    assert main(["kb", "add", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "note " in out and "splices.txt: not valid UTF-8; decoded as cp1252" in out and "ok.md:" not in out
    (docs / "splices.txt").write_bytes(b"Fiber splice notes\n\nCaf\xe9 patch panel PP-\xa713.\n")
    assert main(["kb", "add", "--json", str(docs)]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert [(Path(k).name, v) for k, v in notes.items()] == [("splices.txt", "not valid UTF-8; decoded as cp1252")]


CLAUSE_MD = ("# TS 23.501 clause 5.6.1\n\n## 5.6.1 General\n\nOur default DNN is internet.example.\n\n"
             "## 5.6.2 Interaction with DN-AAA\n\nIn our network the DN-AAA timeout is 4 seconds.\n")
CLAUSE_TXT = ("TS 23.501 clause 5.7 QoS model\n\n5.7.1 General Overview\n\nOur team reserves QFI 1 for voice.\n\n"
              "5.7.2 QoS Flow parameters\n\nOur default ARP priority level for voice is 2.\n")


def test_a_3gpp_clause_excerpt_is_cited_as_the_spec_and_its_clause(kb, tmp_path):
    """know33: a team's clause files were cited by file stem ('ts23501-5.6.1 §5.6.2'), and a plain-text
    one whose headings start at 5.7.1 was a single passage with no section at all."""
    folder = tmp_path / "3gpp"
    folder.mkdir()
    (folder / "ts23501-5.6.1.md").write_text(CLAUSE_MD)
    (folder / "ts23501-5.7.txt").write_text(CLAUSE_TXT)
    (folder / "rrc.md").write_text("# 3GPP TS 38.331 §5.3.3 RRC connection establishment\n\nT300 is 1000 ms here.\n")
    kb.add([folder])
    docs = {Path(r.source).name: r for r in kb.list()}
    assert {n: (r.doc_id, r.kind) for n, r in docs.items()} == {
        "ts23501-5.6.1.md": ("TS 23.501", "3gpp"), "ts23501-5.7.txt": ("TS 23.501", "3gpp"),
        "rrc.md": ("TS 38.331", "3gpp")}
    assert docs["ts23501-5.7.txt"].title == "TS 23.501 clause 5.7 QoS model"
    assert kb.search("DN-AAA timeout", mode="lexical")[0].chunk.citation == "TS 23.501 §5.6.2 (Interaction with DN-AAA)"
    assert kb.search("ARP priority level voice", mode="lexical")[0].chunk.citation == "TS 23.501 §5.7.2 (QoS Flow parameters)"
    assert kb.search("QFI reserved voice", mode="lexical")[0].chunk.citation == "TS 23.501 §5.7.1 (General Overview)"
    assert kb.search("T300", mode="lexical")[0].chunk.citation == "TS 38.331 §5.3.3 (RRC connection establishment)"


def test_only_a_clause_heading_at_the_top_makes_a_clause_excerpt():
    from netops.rag.recognize import recognize

    assert recognize(Path("notes.md"), "# Notes\n\nSee TS 23.501 clause 5.6.1 for DNNs.\n").doc_id == "notes"
    assert recognize(Path("overview.md"), "# TS 23.501 clauses overview\n").doc_id == "overview"
    from netops.rag.chunking import numbered_text_sections

    sections = numbered_text_sections([(None, "Intro line\n\nTS 23.501 clause 5.7 is quoted below.\n\n5.7.1 Foo\n")])
    assert not any(s.number for s in sections)  # not at the top: prose, and 5.7.1 is not a heading
    sections = numbered_text_sections([(None, "TS 23.501 clause 5.7 is quoted below.\n\n5.7.1 Foo\n")])
    assert not any(s.number for s in sections)  # a sentence, not a heading
    assert recognize(Path("q.txt"), "TS 23.501 clause 5.7 is quoted below.\n").doc_id == "q"


def test_a_pdf_or_text_file_is_titled_by_its_own_title_line_not_its_first_section(tmp_path):
    """know33: a design guide whose page 1 reads 'Microwave Backhaul Design Guide' then '1 Introduction'
    was listed by `kb list` as '1 Introduction'."""
    from netops.rag.loaders import load_document
    from tests.unit.rag.test_loaders import make_pdf

    pdf = tmp_path / "mw.pdf"
    pdf.write_bytes(make_pdf([["Microwave Backhaul Design Guide", "1 Introduction", "E-band links.",
                           "2 Link budget", "The fade margin target is 35 dB."]]))
    info, chunks = load_document(pdf, max_bytes=1 << 20)
    assert info.title == "Microwave Backhaul Design Guide"
    assert [c.citation for c in chunks if c.section] == ["mw §1 (Introduction)", "mw §2 (Link budget)"]
    txt = tmp_path / "guide.txt"
    txt.write_text("Access network guide\n\n1 Scope\n\nOLT uplinks.\n\n2 VLANs\n\nVLAN 3010 is the uplink.\n")
    assert load_document(txt, max_bytes=1 << 20)[0].title == "Access network guide"
    prose = tmp_path / "prose.txt"
    prose.write_text("This file lists what we learned.\n\n1 Scope\n\nOLT uplinks.\n")
    assert load_document(prose, max_bytes=1 << 20)[0].title == "1 Scope"  # a sentence is not a title: as before
