"""The README's main job, offline: a plain spec question gets a cited answer from RFC text."""

from netops.agent.router import route, vocabulary


def test_readme_question_is_answered_from_rfc_4271_offline(make_assistant):
    answer = make_assistant().ask("What is the lowest hold time a BGP speaker may accept?", offline=True)
    assert answer.mode == "offline"
    # §4.2 (OPEN: zero or at least three seconds) or §6.2 (MUST reject one or two seconds)
    assert {"RFC 4271 §4.2", "RFC 4271 §6.2"} & {c.split(" (")[0] for c in answer.citations}, answer.citations
    assert "hold time" in answer.text.lower()
    assert answer.grounded


def test_glossary_vocabulary_routes_telecom_questions(settings):
    from netops.rag.glossary import load_glossary

    vocab = vocabulary(load_glossary(settings.paths.knowledge_dir / "glossary.md"))
    assert route("what does the session management function do during registration", [], vocab).kind == "spec"
    assert route("what should I cook tonight", [], vocab).kind == "unknown"


def test_the_glossary_is_parsed_once_per_text_not_per_question(settings, tmp_path, monkeypatch):
    """Every offline question reads the team glossary for its domain words; the same text is
    parsed once (it was parsed again for each question), and an edited glossary counts at once."""
    from netops.agent import offline
    from netops.rag import glossary

    parsed: list[int] = []
    real = glossary.parse_glossary

    def counted(text):  # the real parse, counted
        parsed.append(len(text))
        return real(text)

    monkeypatch.setattr(glossary, "parse_glossary", counted)
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "glossary.md").write_text("- **QZX**: quantum zebra exchange\n")
    s = settings.model_copy(update={"knowledge_dir": knowledge})
    first = offline._domain(s)
    assert "qzx" in first and "zebra" in first
    assert offline._domain(s) == first
    assert len(parsed) == 1, parsed
    (knowledge / "glossary.md").write_text("- **QZX**: quantum zebra exchange\n- **WFL**: wide flamingo link\n")
    assert "flamingo" in offline._domain(s)
    assert len(parsed) == 2, parsed
