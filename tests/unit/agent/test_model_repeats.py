"""A small model caught in a loop (SmolLM2 wrote one route line eleven times under netops's own
findings for "ping r3 from r1"): the model's part shows each line once and says how many repeats
were left out; the findings above it are untouched."""

from __future__ import annotations

from netops.agent.grounding import MODEL_UNSUPPORTED, Grounding, once, own_findings


def test_repeated_lines_are_shown_once_and_counted():
    line = "r1: show ip route 203.0.113.3: r1 has a route *(⚠ not supported by the sources)*"
    text, dropped = once("\n".join(["First.", line, line, "  " + line, "Last.", line]))
    assert text.splitlines() == ["First.", line, "Last."] and dropped == 3
    assert once("a\n\nb\n\nc") == ("a\n\nb\n\nc", 0)  # blank lines are not repeats


def test_the_answer_says_how_many_repeats_it_left_out():
    g = Grounding("device", facts="- r3 (203.0.113.3): r1 has a route\n- same\n- same")
    line = "r1 has a route via bgp. *(⚠ not supported by the sources)*"
    out = own_findings(g, model_text="\n".join([line] * 11))
    findings, model = out.split(f"**{MODEL_UNSUPPORTED}:**")
    assert findings.count("- same") == 2                        # netops's own lines are never cut
    assert model.count(line) == 1 and "10 lines repeating the model's own left out" in model, out
