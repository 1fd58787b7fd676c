"""A small model caught in a loop (SmolLM2 wrote one route line eleven times for "ping r3 from r1",
in one paragraph and as separate lines): each sentence is shown once, the answer's notice says how
many repeats were left out, and the answer check counts what is left."""

from __future__ import annotations

from pathlib import Path

from netops.agent.grounding import repeats_out

LOOP = ("[1] r1: show ip route 203.0.113.3, 12:16:35: Route lookup of r1: - r3 (203.0.113.3): r1 has a route, "
        "203.0.113.3/32 via bgp -> 198.51.100.10 via eth-r3 ")


def test_a_sentence_repeated_in_one_paragraph_is_shown_once():
    text, dropped = repeats_out("r3 is reachable from r1. " + LOOP * 6 + "That is all.")
    assert dropped == 5 and text.count("Route lookup of r1") == 1, text
    assert text.startswith("r3 is reachable from r1. ") and text.endswith("That is all.")


def test_repeats_on_separate_lines_and_short_sentences():
    line = "The BGP session between r1 and r2 is Established [1]."
    text, dropped = repeats_out("\n".join(["Yes.", line, line.replace("[1]", "[2]"), "Yes.", line]))
    assert dropped == 2 and text.count("Established") == 1, text
    assert text.count("Yes.") == 2                     # too short to call a loop
    assert repeats_out("One thing.\n\nAnother thing entirely.") == ("One thing.\n\nAnother thing entirely.", 0)


def test_the_answer_says_so(make_assistant, agent_settings, scripted):
    from netops.testing.ollama_server import say

    scripted.push(say("BGP hold time is negotiated as the smaller of the two values. " * 8))
    answer = make_assistant(agent_settings).ask("what does RFC 4271 say about the hold time?")
    assert answer.text.count("negotiated as the smaller") <= 1, answer.text
    assert "7 repeated sentences left out" in (answer.notice or ""), answer.notice
