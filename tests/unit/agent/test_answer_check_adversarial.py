"""The answer check against a model that cites to look right: citations to passages or sections
never retrieved, another host's output, an address that is only a prefix of one in the source,
and a sentence that hangs an invented clause on a supported one."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from netops.agent.answer_check import SUPPORTED, UNSUPPORTED, check_answer, normalise_citations
from netops.agent.evidence import Evidence
from netops.testing.ollama_server import say


@dataclass
class Src:
    n: int
    label: str
    text: str
    kind: str = "spec"
    evidence: Evidence | None = field(default=None)


def device(n, host, command, text):
    return Src(n, f"{host}: {command}, 07:00:00", text, "device", Evidence("device", f"{host}: {command}", host=host,
                                                                            command=command))


HOLD = Src(1, "RFC 4271 §4.2 (OPEN Message Format)", "The Hold Time MUST be either zero or at least three seconds.")
BGP_R1 = device(1, "r1", "show bgp summary json", "BGP neighbours (peers) of r1:\n"
                "- 198.51.100.2 AS65002: Established, 3 prefixes\n- 198.51.100.10 AS65003: Established, 3 prefixes")
BGP_R2 = device(2, "r2", "show bgp summary json", "BGP neighbours (peers) of r2:\n"
                "- 198.51.100.1 AS65001: Established, 3 prefixes\n- 198.51.100.6 AS65003: Established, 4 prefixes")
IF_R1 = device(1, "r1", "show interface json", "Interfaces of r1:\n- eth-r2: admin up, oper up (198.51.100.1/30)\n"
               "- eth-r3: admin up, oper up (198.51.100.9/30)\n- lo: admin up, oper up (203.0.113.1/32)")


def only(text, sources, question=""):
    report = check_answer(text, sources, question=question)
    (s,) = [s for s in report.sentences if s.status != "not_checked"]
    return s, report


@pytest.mark.parametrize("cite", ["[RFC 42]", "[RFC 4271 §4]", "[RFC 427]", "[RFC 4271 §4.2.1]"])
def test_a_label_citation_is_not_matched_by_a_prefix_of_another_label(cite):
    text, _ = normalise_citations(f"The Hold Time is zero or at least three seconds {cite}.", [HOLD])
    assert "[1]" not in text


@pytest.mark.parametrize("cite", ["[RFC 4271 §4.2]", "[RFC 4271]", "[RFC 4271 §4.2 (OPEN Message Format)]"])
def test_a_label_citation_of_the_source_still_counts(cite):
    text, _ = normalise_citations(f"The Hold Time is zero or at least three seconds {cite}.", [HOLD])
    assert text.endswith("seconds [1].")


@pytest.mark.parametrize("said", ["r1 peers with 198.51.100.1 [1].", "r1 has a session with 198.51.100.20 [1].",
                                  "r1 peers with 198.51.100.1 in AS65003 [1]."])
def test_an_address_that_is_only_part_of_one_in_the_source_is_not_there(said):
    s, _ = only(said, [BGP_R1], "bgp on r1")
    assert s.status != SUPPORTED and any("not in [1]" in r for r in s.reasons), s


@pytest.mark.parametrize("said", ["r2's interface eth-r3 is up [1].", "On r2, eth-r3 is up [1]."])
def test_a_host_named_only_inside_an_interface_name_is_not_there(said):
    s, _ = only(said, [IF_R1], "interfaces")
    assert s.status != SUPPORTED, s


@pytest.mark.parametrize("said,host", [("r1 peers with 198.51.100.6 [2].", "r1"), ("r2 peers with 198.51.100.10 [1].", "r2"),
                                       ("r1 receives 4 prefixes from 198.51.100.6.", "r1")])
def test_another_hosts_output_does_not_back_a_sentence_about_this_host(said, host):
    # the question names both hosts, so the names check alone lets either pass
    s, _ = only(said, [BGP_R1, BGP_R2], "bgp neighbours on r1 and r2")
    assert s.status != SUPPORTED and not s.supported_by, s
    if "[" in said:  # the cited source's verdict is the one reported
        assert any("is the output of" in r for r in s.reasons), s


def test_a_sentence_about_both_hosts_may_cite_either():
    s, _ = only("r2 peers with r1 at 198.51.100.1 [2].", [BGP_R1, BGP_R2], "bgp neighbours on r1 and r2")
    assert s.status == SUPPORTED, s


def test_a_citation_of_the_wrong_source_is_moved_to_the_one_that_backs_it():
    s, report = only("r2 peers with 198.51.100.6 [1].", [BGP_R1, BGP_R2], "bgp neighbours on r1 and r2")
    assert s.status == SUPPORTED and s.supported_by == [2] and s.cited == [2]
    assert report.text == "r2 peers with 198.51.100.6 [2]." and report.moved_citations == 1
    assert "1 citation moved" in report.summary() and report.to_dict()["moved_citations"] == 1


@pytest.mark.parametrize("said", [
    "198.51.100.2 is an Established BGP neighbour of r1 with 3 prefixes, because of a route leak in AS65002 [1].",
    "r1's BGP peers 198.51.100.2 and 198.51.100.10 are Established with 3 prefixes each; the NOC rebooted them "
    "yesterday [1].",
    "Both BGP neighbours of r1 are Established with 3 prefixes, so the firewall change worked [1].",
])
def test_an_invented_clause_hung_on_a_supported_one_is_unsupported(said):
    s, _ = only(said, [BGP_R1], "bgp neighbours on r1")
    assert s.status == UNSUPPORTED and any("clause" in r or "not in [1]" in r for r in s.reasons), s


@pytest.mark.parametrize("said", [
    "198.51.100.2 is an Established BGP neighbour of r1, with 3 prefixes [1].",
    "Both BGP neighbours of r1 are Established, and each has sent 3 prefixes [1].",
])
def test_clauses_that_each_say_what_the_source_says_still_pass(said):
    s, _ = only(said, [BGP_R1], "bgp neighbours on r1")
    assert s.status == SUPPORTED, s


def test_through_the_assistant_a_claim_about_r2_citing_r1s_output_is_not_supported(scripted, make_assistant):
    scripted.push(say("On r2, eth-r3 is up [1]."))
    answer = make_assistant().ask("interfaces on r1")
    (s,) = [s for s in answer.check.sentences if s.status != "not_checked"]
    assert s.status != SUPPORTED, s
    assert "⚠" in answer.text


# -- claims dressed so that the check would not look at them ---------------------------------------

@pytest.mark.parametrize("text", [
    "The sources do not mention the MTU, but the session to 198.51.100.2 is down [1].",
    "I don't know why, but the session to 198.51.100.2 is down [1].",
    "The session to 198.51.100.2 is down, isn't it?",
    "The session to 198.51.100.2 is down, right?",
    "| peer | state |\n|---|---|\n| 198.51.100.2 | down |\n| 198.51.100.10 | Established |",
    "## The session to 198.51.100.2 is down\n\nr1 has two BGP neighbours [1].",
    "> 198.51.100.2 AS65002: Idle, 0 prefixes [1]",
    "The session to 198.51.100.2 is down and the output does not mention any flap [1].",
    "The sources do not mention a flap: the session to 198.51.100.2 is down [1].",
])
def test_a_claim_behind_a_hedge_a_tag_question_a_table_or_a_heading_is_still_checked(text):
    report = check_answer(text, [BGP_R1], question="bgp neighbours on r1")
    flagged = [s for s in report.sentences if s.status == "contradicted"]
    assert flagged and "198.51.100.2" in flagged[0].text, report.to_dict()["sentences"]


@pytest.mark.parametrize("text", [
    "The sources do not say why, but the session to 198.51.100.2 is Established [1].",
    "The session to 198.51.100.2 is Established, isn't it?",
    "| peer | state |\n|---|---|\n| 198.51.100.2 | Established |\n| 198.51.100.10 | Established |",
    "## BGP neighbours of r1\n\nBoth are Established [1].",
    "Is the session to 198.51.100.2 down? No: it is Established [1].",
])
def test_the_same_shapes_saying_what_the_source_says_pass(text):
    report = check_answer(text, [BGP_R1], question="bgp neighbours on r1")
    assert not [s for s in report.sentences if s.status in ("contradicted", "unsupported")], \
        report.to_dict()["sentences"]


def test_a_mark_on_a_table_row_stays_inside_the_table():
    text = "| peer | state |\n|---|---|\n| 198.51.100.2 | down |\n"
    report = check_answer(text, [BGP_R1], question="bgp neighbours on r1")
    row = report.text.splitlines()[2]
    assert row.startswith("| 198.51.100.2 | down") and row.endswith("|") and "⚠ contradicted" in row


@pytest.mark.parametrize("said", ["All sessions on r1 are Established [1].", "Every session of r1 is up [1]."])
def test_all_sessions_up_over_the_grounded_bgp_list_with_one_down_is_not_supported(said):
    from netops.agent.grounding import GETTER_TITLES

    src = device(1, "r1", "show bgp summary json", f"{GETTER_TITLES['bgp_neighbors']} of r1:\n"
                 "- 198.51.100.2 AS65002: Established, 3 prefixes\n- 198.51.100.6 AS65003: Active")
    s, _ = only(said, [src], "are the bgp sessions on r1 up?")
    assert s.status == "contradicted", s


@pytest.mark.parametrize("text", ["The sources do not mention BFD and the hold timer.",
                                  "The documents do not cover this and I cannot tell."])
def test_a_hedge_joined_by_and_claims_nothing(text):
    report = check_answer(text, [BGP_R1], question="bgp neighbours on r1")
    assert [s.status for s in report.sentences] == ["not_checked"], report.to_dict()["sentences"]
