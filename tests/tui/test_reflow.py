"""The evidence viewer shows a Markdown source's paragraphs as one line each (it wraps them at its
own width); the source's hard wraps read as ragged lines. RFC text is left as laid out."""

from __future__ import annotations

from pathlib import Path

from netops.tui.lookup import reflow_markdown

RUNBOOK = Path(__file__).resolve().parents[2] / "knowledge" / "runbooks" / "bgp-session-down.md"


def test_paragraphs_and_list_items_become_one_line_each():
    src = ("Read the state, the uptime and the *last error*\n(NOTIFICATION code and subcode). The state\n"
           "tells you which layer is broken:\n\n- `Idle`: not trying: neighbour shut down,\n"
           "  no route to the peer.\n- `Active`: TCP port 179 does not\n  come up.\n")
    assert reflow_markdown(src).split("\n") == [
        "Read the state, the uptime and the *last error* (NOTIFICATION code and subcode). The state "
        "tells you which layer is broken:", "",
        "- `Idle`: not trying: neighbour shut down, no route to the peer.",
        "- `Active`: TCP port 179 does not come up.", ""]


def test_block_structure_stays():
    src = ("## Checks\n### 1. State\n| a | b |\n|---|---|\n| x | y |\nline one  \nline two\\\nline three\n\n"
           "```\nshow bgp summary\nshow bgp neighbors\n```\n\n    indented code\n    second line\n\n"
           "1. first\n2. second\n> quoted\n")
    out = reflow_markdown(src).split("\n")
    for kept in ("## Checks", "### 1. State", "| a | b |", "|---|---|", "| x | y |", "show bgp summary",
                 "show bgp neighbors", "    indented code", "    second line", "1. first", "2. second"):
        assert kept in out, (kept, out)
    assert "line one  " in out and "line two\\" in out and "line three" in out  # hard breaks kept


def test_the_shipped_runbook_keeps_every_word_and_loses_its_ragged_lines():
    src = RUNBOOK.read_text()
    out = reflow_markdown(src)
    assert out.split() == src.split()   # nothing reworded, dropped or added
    assert len(out.splitlines()) < len(src.splitlines())
    assert any(line.startswith("Use when a BGP neighbour") and "flapping" in line for line in out.splitlines())


def test_the_viewer_reflows_a_markdown_passage_and_leaves_plain_text_as_laid_out(tmp_path):
    from types import SimpleNamespace

    from netops.rag.kb import KnowledgeBase
    from netops.settings import load_settings
    from netops.tui.lookup import evidence_detail

    body = "BGP peers exchange KEEPALIVE messages often\nenough not to let the Hold Timer expire.\n"
    (tmp_path / "ka.md").write_text("# Keepalives\n\n" + body)
    (tmp_path / "kb.txt").write_text("Keepalive notes\n\n" + body)
    settings = load_settings()
    settings = settings.model_copy(update={"kb": settings.kb.model_copy(update={"embedder": "none"})})
    with KnowledgeBase(settings) as kb:
        kb.add([tmp_path / "ka.md", tmp_path / "kb.txt"])
        hits = {h.chunk.source.rsplit("/", 1)[-1]: h.chunk for h in kb.search("KEEPALIVE Hold Timer", top_k=10)}
        session = SimpleNamespace(kb=kb)
        md = evidence_detail(session, SimpleNamespace(kind="spec", label=hits["ka.md"].citation))
        txt = evidence_detail(session, SimpleNamespace(kind="spec", label=hits["kb.txt"].citation))
    assert "often enough not to let" in md.text          # one line, for the viewer to wrap
    assert "often\nenough not to let" in txt.text        # as laid out


def test_command_lines_under_a_lead_in_stay_lines_of_their_own():
    """Commands written on their own lines under a lead-in ("Check the session:") or indented under a
    sentence are not prose: joined, "show bgp summary show bgp neighbors 10.0.0.2" read (and copied
    with 'c') as one command. Hand-written runbooks put them so without a fence or a blank line."""
    src = ("Check the session from the router:\nshow bgp summary\nshow bgp neighbors 10.0.0.2\n\n"
           "Then look at the counters\n    show interfaces eth0 counters\n    clear counters eth0\n"
           "and compare them a minute later.\n")
    out = reflow_markdown(src).split("\n")
    for kept in ("show bgp summary", "show bgp neighbors 10.0.0.2", "    show interfaces eth0 counters",
                 "    clear counters eth0"):
        assert kept in out, (kept, out)
    assert out.count("Check the session from the router:") == 1
    assert reflow_markdown(src).split() == src.split()   # nothing reworded, dropped or added
