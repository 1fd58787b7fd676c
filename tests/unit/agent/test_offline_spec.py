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
