"""End to end with a real local model (SmolLM2-135M-Instruct via llama.cpp): grounded, cited,
checked answers; honest abstention; invented numbers marked."""

from __future__ import annotations

import json
import re

import pytest

from tests.model_real.conftest import run_netops

# The session fixtures index the default knowledge base with vectors (about a minute on an idle
# 2-core machine, several under load) and start the model server: more than the 300 s default.
pytestmark = [pytest.mark.slow, pytest.mark.model, pytest.mark.timeout(1800)]

README_Q = "What is the lowest hold time a BGP speaker may accept?"


def ask_json(question: str, env: dict[str, str]) -> dict:
    out = run_netops(["ask", "--json", question], env)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_readme_question_is_answered_from_rfc4271_section_4_2(model_env, llama):
    got = ask_json(README_Q, model_env)
    assert got["mode"] == "agent" and got["model"] == llama.alias, got.get("notice")
    assert not got["abstained"]
    assert any(c.startswith("RFC 4271 §4.2") for c in got["citations"]), got["citations"]
    assert re.search(r"\b(three|3) seconds\b", got["answer"], re.I), got["answer"]
    # ... said by the model and backed by the passage (not only in the passages shown when nothing is)
    assert any(s["status"] == "supported" and re.search(r"\b(three|3) seconds\b", s["text"], re.I)
               for s in got["check"]["sentences"]), got["check"]["sentences"]
    # the answer was checked sentence by sentence, and the prompt tokens were reported by the server
    assert got["check"]["checked"] >= 1 and got["check"]["sentences"]
    assert got["tokens"]["prompt_max"] > 50


def test_question_the_documents_do_not_cover_abstains(model_env):
    got = ask_json("What UDP destination port does VXLAN use?", model_env)
    assert got["abstained"] and "do not cover" in got["answer"]
    assert got["grounding"]["nearest"], "the nearest passages are shown"
    assert not got["tokens"].get("model_calls")  # the model was not asked to make something up


def test_invented_number_is_marked_unsupported(llama, real_home):
    """The real model answering closed-book invents a number; checked against the retrieved
    sources, the sentence carrying it is marked."""
    from langchain_core.messages import HumanMessage

    from netops.agent import facts
    from netops.agent.answer_check import check_answer
    from netops.agent.grounding import from_knowledge
    from netops.model.base import backend_for
    from netops.rag.kb import KnowledgeBase
    from netops.settings import load_settings

    settings = load_settings(home=real_home, openai_base_url=llama.base_url, model=llama.alias)
    chat = backend_for(settings).chat_model(llama.alias)
    chat.max_tokens = 80
    closed = chat.invoke(
        [HumanMessage(README_Q + " Answer with a number of seconds.")]).content
    with KnowledgeBase(settings) as kb:
        g = from_knowledge(README_Q, kb)
        report = check_answer(closed, g.sources, question=README_Q, embed=kb.embedder.embed_query)
    invented = [s for s in report.sentences
                if any(not any(facts.has_value(src.text, q)[0] for src in g.sources)
                       for q in facts.quantities(s.text))]
    assert invented, f"premise: the closed-book answer should carry a number the sources lack: {closed!r}"
    assert all(s.status in ("unsupported", "contradicted") for s in invented), report.to_dict()
    assert "⚠" in report.text and report.unsupported >= len(invented)
