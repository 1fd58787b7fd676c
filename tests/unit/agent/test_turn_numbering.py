"""One numbering per turn: the sources gathered before the model spoke come first, then each
tool call's hits as they arrive (a source seen again keeps its first number); the tool output
the model reads shows those numbers, the answer check checks each sentence against the source
its mark names, and the answer's [n] is that number everywhere: the text, the tool card, the
evidence list (numbered by it, not by position), the check and --json."""

from __future__ import annotations

import re

from netops.testing.ollama_server import say, tool_call
from tests.unit.agent.test_assistant_grounded import README_Q

HOLD_RULE = "RFC 4271 §4.2 (OPEN Message Format)"
KEEPALIVE = "RFC 4271 §4.4 (KEEPALIVE Message Format)"
GROUNDED = "RFC 4271 §6.2 (OPEN Message Error Handling)"


def shown(output: str) -> dict[str, int]:
    """The number each source has in a tool's output, as the model reads it."""
    return {m.group(2): int(m.group(1)) for m in re.finditer(r'^\[(\d+)\]\n<data source="([^"]+)">', output, re.M)}


def cites(label: str, sentence: str, fallback: int):
    """A model that cites ``label`` by the number the last tool output shows it under (or, when it
    shows none, by ``fallback``: its place among the sources the model read)."""

    def turn(req):
        n = shown(req.tool_results()[-1]).get(label, fallback)
        return say(sentence.format(n=n))

    return turn


def listed(answer, n: int) -> str:
    """The evidence-list entry numbered ``n`` (as every surface lists it)."""
    found = [e.label for k, e in answer.numbered() if k == n]
    assert len(found) == 1, (n, answer.numbered(), answer.text)
    return found[0]


def test_a_passage_from_the_models_own_search_is_checked_against_what_it_cites(scripted, make_assistant):
    """Grounded on §6.2 as [1], the model searches itself and cites §4.2 as the search showed it.
    The search numbered its hits [1].. afresh, so the model's '[1]' for §4.2 was checked against
    §6.2 (marked not supported) and pointed at §6.2 in the evidence list."""
    scripted.push(tool_call("kb_search", query="hold time"),
                  cites(HOLD_RULE, "The Hold Time MUST be either zero or at least three seconds [{n}].", 1))
    answer = make_assistant().ask(README_Q)
    assert [s.label for s in answer.grounding.sources] == [GROUNDED]
    numbers = shown(scripted.requests[1].tool_results()[0])
    assert numbers[GROUNDED] == 1                    # seen before the model spoke: keeps its number
    assert numbers[HOLD_RULE] not in (1,) and sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    sentence = next(s for s in answer.check.sentences if s.status != "not_checked")
    assert sentence.status == "supported" and sentence.cited == [numbers[HOLD_RULE]], answer.check.to_dict()
    assert not answer.check.removed_citations and "⚠" not in answer.text
    (mark,) = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert listed(answer, mark) == HOLD_RULE


def test_a_source_seen_in_two_searches_keeps_its_first_number(scripted, make_assistant):
    scripted.push(tool_call("kb_search", query="hold time"), tool_call("kb_search", query="keepalive timer"),
                  cites(KEEPALIVE, "KEEPALIVE messages MUST NOT be sent more frequently than one per second [{n}].", 2))
    answer = make_assistant().ask(README_Q)
    first, second = (shown(out) for out in scripted.requests[2].tool_results())
    assert first[KEEPALIVE] == second[KEEPALIVE]
    new = [label for label in second if label not in first]
    assert new and all(second[label] > max(first.values()) for label in new), (first, second)
    sentence = next(s for s in answer.check.sentences if s.status != "not_checked")
    assert sentence.status == "supported" and sentence.cited == [first[KEEPALIVE]], answer.check.to_dict()
    (mark,) = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert listed(answer, mark) == KEEPALIVE


def test_device_state_the_model_reads_itself_is_numbered_and_checked(scripted, make_assistant):
    """Grounded on r1's BGP state as [1]; the model reads r2's and cites it as [2] (the device
    output showed no number at all): the check did not know r2's state, stripped '[2]' as a
    missing source and marked the sentence unsupported."""
    scripted.push(tool_call("get_state", hosts=["r2"], getter="bgp_neighbors"),
                  cites("r2", "r2 peers with 198.51.100.1 [{n}].", 2))
    answer = make_assistant().ask("bgp neighbours on r1")
    out = scripted.requests[1].tool_results()[0]
    numbers = {label.split(":")[0]: n for label, n in shown(out).items()}
    assert numbers == {"r2": 2}, out[:300]
    sentence = next(s for s in answer.check.sentences if s.status != "not_checked")
    assert sentence.status == "supported" and sentence.cited == [2], answer.check.to_dict()
    assert not answer.check.removed_citations
    (mark,) = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert listed(answer, mark).startswith("r2: show bgp summary json")


def test_a_mark_to_a_number_no_source_had_is_flagged_not_pointed_elsewhere(scripted, make_assistant):
    scripted.push(tool_call("kb_search", query="hold time"),
                  say("The Hold Time MUST be either zero or at least three seconds [9]."))
    answer = make_assistant().ask(README_Q)
    assert answer.check.removed_citations == ["[9]"] and "[9]" not in answer.text
    assert "missing source removed" in answer.check.summary()


def test_without_grounding_a_second_search_continues_the_numbering(scripted, make_assistant):
    """No sources up front (nothing checks the answer): the model searches twice and cites a hit
    of the second search by the number it was shown. Each search numbered from [1], so its '[1]'
    was the evidence list's first entry: the first search's first hit."""
    scripted.push(tool_call("kb_search", query="hold time"), tool_call("kb_search", query="hold timer expired"),
                  cites("RFC 4271 §6.5 (Hold Timer Expired Error Handling)",
                        "On expiry a NOTIFICATION is sent and the connection closed [{n}].", 1))
    answer = make_assistant().ask("any advice for the maintenance window?")
    assert answer.grounding.kind == "none"
    (mark,) = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert listed(answer, mark) == "RFC 4271 §6.5 (Hold Timer Expired Error Handling)"


def test_without_grounding_a_mark_to_no_source_is_flagged(scripted, make_assistant):
    scripted.push(tool_call("kb_search", query="hold time"), say("Hold time is negotiated [1]. See [12]."))
    answer = make_assistant().ask("any advice for the maintenance window?")
    assert "[12]" not in answer.text and "source 12" in answer.text and "⚠" in answer.text, answer.text
    assert "[12]" in (answer.notice or "")
    (mark,) = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert listed(answer, mark) == HOLD_RULE



def test_a_tool_that_does_not_number_its_output_says_the_numbers_after_it(settings):
    """A plugin's tool (or the route diagnosis) returns evidence but prints no numbers: the tool
    box says them after its output, in the turn's numbering, and a source seen before keeps its
    number; with no numbering (offline) the output is the tool's own."""
    from pydantic import BaseModel

    from netops.agent.evidence import Evidence
    from netops.agent.numbering import TurnSources
    from netops.agent.tools import Tool, ToolBox, ToolContext, ToolResult

    class Args(BaseModel):
        asn: str

    def lookup(ctx, args):
        return ToolResult("lookup", True, content=f"{args.asn} peers at IX-1",
                          evidence=[Evidence("spec", f"peeringdb: {args.asn}"), Evidence("spec", "peeringdb: IX-1")])

    offline = ToolBox({"lookup": Tool("lookup", "d", Args, lookup)}, ToolContext(settings))
    assert offline.call("lookup", {"asn": "AS65001"}).for_model() == "AS65001 peers at IX-1"
    ctx = ToolContext(settings)
    ctx.numbering = TurnSources()
    assert ctx.number(Evidence("spec", "RFC 4271 §4.2"), "hold time") == 1   # given before the model spoke
    box = ToolBox({"lookup": Tool("lookup", "d", Args, lookup)}, ctx)
    assert box.call("lookup", {"asn": "AS65001"}).for_model() == \
        "AS65001 peers at IX-1\n(cite as: [2] peeringdb: AS65001; [3] peeringdb: IX-1)"
    assert box.call("lookup", {"asn": "AS65002"}).for_model().endswith("(cite as: [4] peeringdb: AS65002; [3] peeringdb: IX-1)")
    assert [s.n for s in ctx.numbering.sources] == [1, 2, 3, 4]
    assert "AS65002 peers at IX-1" in ctx.numbering.sources[2].text   # what the check reads of [3]


# -- one number per source on every surface -------------------------------------------------

def _card_number(answer, label: str) -> int:
    """The number the tool card shows ``label`` under: the output the model read, kept on the card."""
    numbers = [shown(c.output or "").get(label) for c in answer.tool_calls]
    (n,) = [n for n in numbers if n is not None][:1]
    return n


def test_a_source_has_one_number_in_the_text_card_list_check_and_json(scripted, make_assistant):
    """Grounded on §6.2 as [1], the model searches itself and cites §4.2 by the number the search
    showed it (the tool card shows the same output). The text's mark was then renumbered to §4.2's
    place in the evidence list ([1]) while the card, the check and --json said its turn number."""
    scripted.push(tool_call("kb_search", query="hold time"),
                  cites(HOLD_RULE, "The Hold Time MUST be either zero or at least three seconds [{n}].", 1))
    answer = make_assistant().ask(README_Q)
    n = _card_number(answer, HOLD_RULE)
    assert n > 1                                                     # §6.2 came first, as [1]
    (mark,) = [int(m) for m in re.findall(r"\[(\d+)\]", answer.text)]
    assert mark == n, answer.text                                    # the text
    assert dict((e.label, k) for k, e in answer.numbered())[HOLD_RULE] == n   # the evidence list
    sentence = next(s for s in answer.check.sentences if s.status != "not_checked")
    assert sentence.cited == [n] and sentence.supported_by[:1] == [n]          # the answer check
    doc = answer.to_dict()
    assert {e["label"]: e["n"] for e in doc["evidence"]}[HOLD_RULE] == n        # --json
    assert [s["cited"] for s in doc["check"]["sentences"] if s["status"] != "not_checked"] == [[n]]
    numbers = [k for k, _ in answer.numbered()]
    assert len(set(numbers)) == len(numbers)                          # no two sources share one
    # listed [1], [2], [3] as the cards showed them (it was: the cited [2] first, then [3], [1], [4])
    assert numbers == sorted(numbers) and answer.citations == [e.label for _, e in answer.numbered()]
    assert [e["n"] for e in doc["evidence"]] == numbers


def test_without_grounding_the_text_keeps_the_number_the_card_shows(scripted, make_assistant):
    """No check: the mark to a hit of the second search was renumbered to its evidence-list place,
    not the [n] its tool card shows."""
    label = "RFC 4271 §6.5 (Hold Timer Expired Error Handling)"
    scripted.push(tool_call("kb_search", query="hold time"), tool_call("kb_search", query="hold timer expired"),
                  cites(label, "On expiry a NOTIFICATION is sent and the connection closed [{n}].", 1))
    answer = make_assistant().ask("any advice for the maintenance window?")
    n = shown(answer.tool_calls[1].output or "")[label]
    (mark,) = [int(m) for m in re.findall(r"\[(\d+)\]", answer.text)]
    assert mark == n, answer.text
    assert dict((e.label, k) for k, e in answer.numbered())[label] == n
    assert {e["label"]: e["n"] for e in answer.to_dict()["evidence"]}[label] == n


def test_the_stored_answer_keeps_the_numbers(scripted, make_assistant, make_session):
    """A resumed conversation lists its evidence by the numbers its text used."""
    from netops.agent.transcript import stored_answer

    scripted.push(tool_call("kb_search", query="hold time"),
                  cites(HOLD_RULE, "The Hold Time MUST be either zero or at least three seconds [{n}].", 1))
    assistant = make_assistant()
    answer = assistant.ask(README_Q)
    stored = stored_answer(assistant.session.conversation(answer.conversation_id).messages[-1])
    assert stored.numbered() == answer.numbered()
    assert stored.to_dict()["evidence"][0]["n"] == answer.numbered()[0][0]


def test_a_read_made_before_the_model_spoke_has_its_number_on_its_card(scripted, make_assistant):
    """r1's BGP state is read first and given to the model as [1]; that read's tool card had no
    number (the turn was numbered only once the model spoke), the text and the list said [1]."""
    scripted.push(say("r1 peers with 198.51.100.2 [1]."))
    answer = make_assistant().ask("bgp neighbours on r1")
    (first,) = [c for c in answer.tool_calls if c.tool == "get_state"]
    label = answer.grounding.sources[0].label
    assert first.numbers == {label: 1}, (first.numbers, first.evidence)
    assert dict((e.label, k) for k, e in answer.numbered())[label] == 1
