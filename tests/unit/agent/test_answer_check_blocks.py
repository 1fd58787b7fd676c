"""Code blocks in an answer are checked too: a model can print an "output" block that no tool
returned (invented states, prefix counts, neighbours). Each line of a block that reads like
device output is checked like a statement, and the block is marked after its closing fence when
a line is not backed; a configuration example (advice, no state) is left alone, and output
copied from a tool passes. Real captured FRR output as the source."""

from __future__ import annotations

from pathlib import Path

from netops.agent.answer_check import CONTRADICTED, SUPPORTED, UNSUPPORTED, check_answer
from tests.unit.agent.test_answer_check_adversarial import device

FRR = Path(__file__).parents[2] / "fixtures/devices/frr/r1"
SUMMARY = (FRR / "show_bgp_summary.txt").read_text()
SOURCE = device(1, "r1", "show bgp summary", SUMMARY)
JSON_SOURCE = device(1, "r1", "show bgp summary json", (FRR / "show_bgp_summary_json.txt").read_text())

FABRICATED = ("Here is the BGP state of r1 [1]:\n\n```show bgp summary\n"
              "Neighbor        V   AS   MsgRcvd MsgSent  Up/Down State/PfxRcd\n"
              "198.51.100.2    4 65002     9999    9999  5d02h         Idle\n"
              "198.51.100.6    4 65003     9999    9999  5d02h          850\n"
              "```\n\nBoth sessions need attention.")


def test_a_fabricated_output_block_is_checked_and_marked():
    report = check_answer(FABRICATED, [SOURCE], question="what is the bgp state on r1?")
    lines = [s for s in report.sentences if "9999" in s.text]
    assert len(lines) == 2 and all(s.status in (UNSUPPORTED, CONTRADICTED) for s in lines), lines
    fence_end = report.text.index("```\n", report.text.index("```show bgp summary") + 3) + 4
    first = report.text[fence_end:].strip().splitlines()[0]
    assert first.startswith("*(⚠") and "2 of 2" in first, report.text     # the mark right after the block
    block = report.text[report.text.index("```show"):fence_end]
    assert "⚠" not in block                                   # the block itself is not edited


def test_a_block_that_contradicts_the_state_says_so():
    text = "r1's sessions:\n\n```\npeer 198.51.100.2   AS 65002   state Idle\n```\n"
    report = check_answer(text, [JSON_SOURCE], question="bgp on r1?")
    (line,) = [s for s in report.sentences if "Idle" in s.text]
    assert line.status == CONTRADICTED, line
    assert "contradicted by source 1" in report.text


def test_output_copied_from_the_tool_passes():
    rows = "\n".join(ln for ln in SUMMARY.splitlines() if ln.startswith(("Neighbor", "198.51")))
    text = f"The sessions on r1 [1]:\n\n```\n{rows}\n```\n"
    report = check_answer(text, [SOURCE], question="bgp on r1?")
    lines = [s for s in report.sentences if s.text.startswith("198.51")]
    assert len(lines) == 2 and all(s.status == SUPPORTED for s in lines), lines
    assert "not what any tool returned" not in report.text


def test_a_configuration_example_is_advice_not_output():
    text = ("To peer with r2, configure:\n\n```\nrouter bgp 65001\n neighbor 198.51.100.2 remote-as 65002\n"
            " neighbor 198.51.100.2 timers 3 9\n```\n")
    report = check_answer(text, [SOURCE], question="how do I peer r1 with r2?")
    assert "⚠" not in report.text[report.text.index("```"):]
    assert not [s for s in report.sentences if "remote-as" in s.text]


def test_a_json_block_with_invented_state_is_marked():
    text = ('r1 reports [1]:\n\n```json\n{"peers": {"198.51.100.2": {"state": "Idle", "pfxRcd": 0},\n'
            ' "198.51.100.10": {"state": "Established", "pfxRcd": 850}}}\n```\n')
    report = check_answer(text, [SOURCE], question="bgp on r1?")
    tail = report.text[report.text.rindex("```") + 3:]
    assert "⚠" in tail, report.text
