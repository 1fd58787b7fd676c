"""`netops ask` end to end through the CLI entry point, with the scripted model."""

from __future__ import annotations

import gzip
import json

import pytest

from netops.cli.main import main
from netops.testing.ollama_server import Reply, say, tool_call


@pytest.fixture
def cli_env(monkeypatch, scripted, agent_settings, rfc, tmp_path):
    from netops.rag.kb import KnowledgeBase

    monkeypatch.setenv("NETOPS_OLLAMA_URL", scripted.url)
    monkeypatch.setenv("NETOPS_INVENTORY", str(agent_settings.inventory))
    monkeypatch.setenv("NETOPS_KB__EMBEDDER", "none")
    src = tmp_path / "rfc4271.txt"
    src.write_bytes(gzip.decompress(rfc(4271).read_bytes()))
    with KnowledgeBase(agent_settings) as kb:
        kb.add([src])
    return scripted


def test_ask_json_agent_mode(cli_env, capsys):
    cli_env.push(tool_call("kb_search", query="hold timer"), say("Hold time: see RFC 4271 §4.2."))
    assert main(["ask", "--json", "what is the hold timer?"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"answer", "citations", "tool_calls", "approvals", "mode", "model", "timings"}
    assert doc["mode"] == "agent" and doc["model"] == "qwen2.5:7b-instruct"
    assert doc["tool_calls"][0]["tool"] == "kb_search" and doc["citations"]


def test_ask_human_output_shows_mode_tools_and_evidence(cli_env, capsys):
    cli_env.push(tool_call("kb_search", query="hold timer"), say("The **hold timer**."))
    assert main(["ask", "hold", "timer?"]) == 0
    out, err = capsys.readouterr()
    assert "hold timer" in out and "evidence: RFC 4271" in out
    assert "mode: agent" in err and "> kb_search" in err


def test_ask_offline_flag_and_continue(cli_env, capsys):
    assert main(["ask", "--offline", "--json", "RFC 4271 hold timer"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["mode"] == "offline" and doc["model"] is None and doc["citations"]
    cli_env.push(say("continuing"))
    assert main(["ask", "--continue", "--json", "and the keepalive?"]) == 0
    assert json.loads(capsys.readouterr().out)["conversation_id"] == doc["conversation_id"]


def test_ask_dropped_stream_exits_nonzero_with_partial_answer(cli_env, capsys):
    cli_env.push(Reply(content="The hold timer is negotiated in the OPEN message and", drop_after=2))
    assert main(["ask", "--json", "hold timer?"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["partial"] and doc["answer"].startswith("**PARTIAL ANSWER")


def test_ask_model_down_answers_offline_with_notice(cli_env, monkeypatch, capsys):
    monkeypatch.setenv("NETOPS_OLLAMA_URL", "http://127.0.0.1:9")
    assert main(["ask", "tell me a joke"]) == 0
    out, err = capsys.readouterr()
    assert "mode: offline" in err and "no model reachable" in err
    assert "ollama serve" in out


def test_ask_empty_question_is_bad_input(cli_env, capsys):
    assert main(["ask", "  "]) == 2
    assert capsys.readouterr().err.startswith("error: the question is empty")


def test_ask_about_a_device_the_inventory_lacks_exits_4_and_prints_the_line(cli_env, capsys):
    """Like `netops state r9 facts` (exit 4, not found); it exited 0."""
    assert main(["ask", "--offline", "--json", "is r9 up?"]) == 4
    doc = json.loads(capsys.readouterr().out)
    assert doc["not_found"] is True and "'r9'" in doc["answer"]


def test_ask_numbered_sources_under_the_answer_are_the_texts_numbers(cli_env, capsys):
    """Under a checked answer the CLI lists '[n] source' for each source the text cites. It listed
    only the sources read before the model spoke, by the number they had then, not the one the
    text gives them; a passage the model found by its own search had no line."""
    import re

    from tests.unit.agent.test_turn_numbering import KEEPALIVE, cites

    cli_env.push(tool_call("kb_search", query="keepalive"),
                 cites(KEEPALIVE, "KEEPALIVE messages MUST NOT be sent more frequently than one per second [{n}].", 1))
    main(["ask", "What is the lowest hold time a BGP speaker may accept?"])
    out, _ = capsys.readouterr()
    answer, _, listing = out.partition("\nevidence: ")
    marks = sorted({int(n) for n in re.findall(r"\[(\d+)\]", answer)})
    lines = {int(n): label for n, label in re.findall(r"^\[(\d+)\] (.+)$", listing, re.M)}
    assert len(marks) == 1 and sorted(lines) == marks, out
    evidence = listing.splitlines()[0].split("; ")
    assert all(label in evidence for label in lines.values()), (lines, evidence)
    assert list(lines.values()) == [KEEPALIVE]
    from tests.unit.agent.test_turn_numbering import shown

    assert marks == [shown(cli_env.requests[1].tool_results()[0])[KEEPALIVE]]  # as the tool output said it


def test_ask_json_numbers_a_source_as_the_text_and_the_check_do(cli_env, capsys):
    """--json: the answer check's numbers were the turn's, the text's were evidence-list places."""
    import re

    from tests.unit.agent.test_turn_numbering import HOLD_RULE, cites, shown

    cli_env.push(tool_call("kb_search", query="hold time"),
                 cites(HOLD_RULE, "The Hold Time MUST be either zero or at least three seconds [{n}].", 1))
    main(["ask", "--json", "What is the lowest hold time a BGP speaker may accept?"])
    doc = json.loads(capsys.readouterr().out)
    n = shown(cli_env.requests[1].tool_results()[0])[HOLD_RULE]
    assert [int(m) for m in re.findall(r"\[(\d+)\]", doc["answer"])] == [n], doc["answer"]
    assert {e["label"]: e["n"] for e in doc["evidence"]}[HOLD_RULE] == n
    assert [s["cited"] for s in doc["check"]["sentences"] if s["status"] != "not_checked"] == [[n]]


def test_ask_when_the_model_server_shuts_down_mid_call_is_offline_everywhere(cli_env, capsys):
    """`kill PID` of the model server while it reads the prompt (fallback34): the answer is the offline
    one, labelled so in the text, in --json and in the stored conversation, and it says why."""
    import threading

    release = threading.Event()

    def shutting_down(req):
        cli_env.stop_listening()
        release.wait(60)
        return say("too late")

    cli_env.push(shutting_down)
    try:
        assert main(["ask", "--json", "RFC 4271 hold timer"]) == 0
    finally:
        release.set()
    doc = json.loads(capsys.readouterr().out)
    assert doc["mode"] == "offline" and doc["model"] is None and doc["citations"]
    assert f"the model server at {cli_env.url} stopped taking connections" in doc["notice"]
    assert "(no language model used)" in doc["answer"].splitlines()[0]
    assert main(["conversations", "show", "--json", doc["conversation_id"]]) == 0
    stored = json.loads(capsys.readouterr().out)
    last = stored["messages"][-1]
    assert last["role"] == "assistant" and last["meta"]["mode"] == "offline", last


@pytest.mark.parametrize("as_json", [False, True])
def test_ask_when_the_model_server_is_killed_before_a_word_with_nothing_read(cli_env, capsys, as_json):
    """Nothing read before the model was asked, and its server killed before its first word: the
    offline answer, exit 0, saying the model went away; not "No answer" and exit 3 (papercuts35)."""
    def dying(req):
        cli_env.stop_listening()
        return Reply(hangup=True)

    cli_env.push(dying)
    assert main(["ask", *(["--json"] if as_json else []), "hello there"]) == 0
    out, err = capsys.readouterr()
    if as_json:
        doc = json.loads(out)
        assert doc["mode"] == "offline" and doc["model"] is None and doc.get("error") is None
        assert "the model stopped answering" in doc["notice"]
    else:
        assert "offline answer (no language model used)" in out and "No answer" not in out
        assert "the model stopped answering" in err and "error:" not in err
