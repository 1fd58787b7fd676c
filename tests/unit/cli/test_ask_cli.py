"""``netops ask`` bootstraps an empty knowledge base; ``retrieval_answer`` (the offline answer
the assistant reuses) labels itself and cites every passage."""

from __future__ import annotations

import json


from netops.cli.main import main
from netops.rag.answer import LABEL, retrieval_answer, snippet
from netops.rag.kb import KnowledgeBase
from netops.testing.embedders import HashEmbedder


def test_first_ask_indexes_the_defaults_with_a_notice(capsys, small_defaults, settings):
    code = main(["ask", "--offline", "--json", "what is the BGP hold timer?"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "knowledge base is empty" in err
    json.loads(out)  # one JSON document on stdout
    with KnowledgeBase(settings) as kb:
        assert {r.origin for r in kb.list()} == {"defaults"} and kb.stats().docs == 2
    main(["ask", "--offline", "OSPF dead interval"])
    assert "knowledge base is empty" not in capsys.readouterr().err


def test_retrieval_answer_is_labelled_and_cited(small_defaults, settings):
    kb = KnowledgeBase(settings)
    kb.add([small_defaults])
    answer = retrieval_answer(kb, "BGP hold timer default", top_k=2)
    assert answer.text.startswith(LABEL) and "[1] " in answer.text
    assert answer.citations[0] == answer.hits[0].chunk.citation
    assert answer.hits[0].chunk.source.endswith("bgp.md")
    doc = answer.to_dict()
    assert (doc["mode"], doc["model"]) == ("retrieval", None)
    assert {"answer", "citations", "hits", "timings"} <= set(doc)
    assert doc["timings"]["total"] >= doc["timings"]["retrieve"] >= 0


def test_retrieval_answer_with_nothing_found_says_so(settings):
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    answer = retrieval_answer(kb, "anything")
    assert answer.hits == [] and answer.citations == [] and LABEL in answer.text and answer.notice


def test_snippet_collapses_whitespace_and_trims_at_a_word():
    assert snippet("a  b\n\nc") == "a b c"
    cut = snippet("word " * 300, limit=50)
    assert cut.endswith(" …") and len(cut) <= 52 and "wor …" not in cut


def test_a_question_that_needs_no_knowledge_does_not_index_the_defaults(settings, capsys):
    from netops.cli.main import main

    code = main(["ask", "--offline", "tell me a joke"])
    captured = capsys.readouterr()
    assert code == 0
    assert "indexing the default sources" not in captured.err
    assert not settings.paths.kb_db.exists()


def test_piped_answer_is_plain_text_without_padding_or_wrapping(capsys, small_defaults, settings):
    """Piped into a file or grep, the answer is its own text: no lines padded to the terminal
    width, and the evidence line is one line however long it is."""
    code = main(["ask", "--offline", "what is the BGP hold timer and the OSPF dead interval?"])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert lines and not [ln for ln in lines if ln != ln.rstrip()]
    evidence = [ln for ln in lines if ln.startswith("evidence: ")]
    assert len(evidence) == 1
    assert main(["ask", "--offline", "--json", "what is the BGP hold timer and the OSPF dead interval?"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert evidence[0] == "evidence: " + "; ".join(doc["citations"])


def test_a_long_command_in_an_answer_is_printed_whole_at_a_terminal():
    """An offline change answer ends with the `netops playbook run ...` line to copy: at an
    80-column terminal Rich wrapped it inside its code block, and a copy-paste ran half of it."""
    import io

    from rich.console import Console

    from netops.cli._common import print_markdown

    command = ("netops playbook run bgp-neighbor-shutdown --hosts r1 --param neighbor=198.51.100.2 "
               "--param reason='planned maintenance window 42'")
    text = f"The plan is above.\n\nTo apply it:\n\n```sh\n{command}\n```\n\nNothing was changed.\n"
    buf = io.StringIO()
    out = Console(file=buf, width=80, force_terminal=True, color_system=None, highlight=False)
    print_markdown(out, text)
    lines = buf.getvalue().splitlines()
    assert any(line.strip() == command for line in lines), lines
    assert any("The plan is above." in line for line in lines)
    assert any("Nothing was changed." in line for line in lines)
    assert all(len(line) <= 80 for line in lines if command not in line)  # prose still fits the terminal


def test_markdown_without_code_blocks_prints_as_before():
    import io

    from rich.console import Console
    from rich.markdown import Markdown

    from netops.cli._common import print_markdown

    text = "**r1** (show bgp summary json):\n\n- 198.51.100.2 AS65002 (r2): Established\n"
    a, b = io.StringIO(), io.StringIO()
    print_markdown(Console(file=a, width=80, force_terminal=True, color_system=None), text)
    Console(file=b, width=80, force_terminal=True, color_system=None).print(Markdown(text))
    assert a.getvalue() == b.getvalue()


def test_a_redacted_secret_stays_visible_at_a_terminal():
    """trial34: a quoted passage read "neighbor 10.20.0.1 password" with nothing after it, as if
    the document set no password: Rich's Markdown took ``<redacted>`` for inline HTML and drew none."""
    import io

    from rich.console import Console

    from netops.cli._common import print_markdown

    text = ("[1] vendor-howto (Steps): neighbor 10.20.0.1 password <redacted> timers 3 9\n\n"
            "<redacted>\n\nRun `netops state <host> bgp`.\n")
    buf = io.StringIO()
    print_markdown(Console(file=buf, width=100, force_terminal=True, color_system=None), text)
    out = buf.getvalue()
    assert "password <redacted> timers 3 9" in out, out
    assert out.count("<redacted>") == 2, out
    assert "netops state <host> bgp" in out, out
