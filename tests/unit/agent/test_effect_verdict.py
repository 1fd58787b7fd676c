"""A yes/no question about the state a change leaves is answered yes, no or partly first (helper
papercuts36, 2026-12-04; left by stop 35). "is neighbor 198.51.100.2 shut on r1?", "is eth-r2 disabled on
r1?", "is r3 drained?" got the rows of the read (the peer's session, the interface's admin / oper state,
the drain lines) and no line that answered the question, offline and with a model. Now one verdict
(:func:`netops.agent.offline.effect_verdict`) from the rows shown leads the answer: "**Yes:** ...",
"**No:** ..." or "**Partly:** ..." (some rows in the state, some not; a router with one of the drain's
two lines)."""

from __future__ import annotations

import pytest

from netops.agent.answer_check import CONTRADICTED
from netops.testing.ollama_server import say
from tests._captures import FRR, LINK_DOWN, SHUT, assistant, captures


def _first(answer) -> str:
    """The answer's first paragraph after the offline label line (the model's answer has none)."""
    paras = [p for p in answer.text.split("\n\n") if p.strip()]
    return paras[1] if paras[0].startswith("offline answer") else paras[0]


@pytest.fixture
def ask(ask_captures):
    """Ask over the FRR captures, hosts' outputs replaced where given (``r1=SHUT``)."""
    return ask_captures




@pytest.mark.parametrize("question, outputs, verdict", [
    ("is neighbor 198.51.100.2 shut on r1?", None, "**No:** r1's BGP session to 198.51.100.2 is not shut down (Established)."),
    ("is neighbor 198.51.100.2 shut on r1?", SHUT, "**Yes:** r1's BGP session to 198.51.100.2 is shut down (Idle"),
    ("is the peer 198.51.100.2 admin down on r1?", SHUT, "**Yes:**"),
    ("is the session to 198.51.100.2 on r1 up?", SHUT, "**No:** r1's BGP session to 198.51.100.2 is not up"),
    ("is the session to 198.51.100.2 on r1 up?", None, "**Yes:** r1's BGP session to 198.51.100.2 is up (Established)."),
    ("is eth-r2 disabled on r1?", None, "**No:** r1 eth-r2 is not shut down (admin up, oper up)."),
    ("is eth-r2 disabled on r1?", LINK_DOWN, "**Yes:** r1 eth-r2 is shut down (admin down, oper down)."),
    # (review36: it said "is not enabled (not shut)", which reads as not shut)
    ("is eth-r2 on r1 enabled?", LINK_DOWN, "**No:** r1 eth-r2 is not enabled (shut down) (admin down, oper down)."),
    # (this inventory has no links: every interface of r1 is shown, and the verdict is over what is shown)
    ("is r1's interface to r2 up?", None, "**Yes:** r1 eth-r2, r1 eth-r3 and r1 lo are up (admin up, oper up)."),
])
def test_a_peer_or_interface_question_is_answered_yes_or_no_first(ask, question, outputs, verdict):
    answer = ask(question, r1=outputs)
    assert _first(answer).startswith(verdict), answer.text


def _drained(lines):
    base = (FRR / "r3" / "show_running_config.txt").read_text()
    text = base.replace(" bgp router-id 203.0.113.3\n", " bgp router-id 203.0.113.3\n bgp graceful-shutdown\n"
                        if "graceful" in lines else " bgp router-id 203.0.113.3\n")
    text = text.replace(" ospf router-id 203.0.113.3\n", " ospf router-id 203.0.113.3\n max-metric router-lsa administrative\n"
                        if "metric" in lines else " ospf router-id 203.0.113.3\n")
    assert text.count("graceful-shutdown") == ("graceful" in lines) and text.count("max-metric") == ("metric" in lines)
    return {"show_running_config": text}


@pytest.mark.parametrize("lines, verdict", [
    ((), "**No:** r3 is not drained (no drain line in the running configuration)."),
    (("graceful", "metric"), "**Yes:** r3 is drained (BGP graceful-shutdown and OSPF max-metric on)."),
    (("graceful",), "**Partly:** r3 is partly drained (BGP graceful-shutdown on)."),
])
def test_is_r3_drained_is_answered_yes_no_or_partly_first(ask, lines, verdict):
    assert _first(ask("is r3 drained?", r3=_drained(lines))) == verdict


def test_several_routers_are_counted_and_named_and_not_said_to_be_every_device(ask):
    answer = ask("are r1 and r3 drained?", r3=_drained(("graceful", "metric")))
    assert _first(answer) == ("**Partly:** r3 is drained (BGP graceful-shutdown and OSPF max-metric on); "
                              "r1 is not drained (no drain line in the running configuration).")
    # two routers named are not "every inventory device ... the question names none"
    assert "names none" not in answer.text and "intent: drain state on r1, r3." in answer.text


@pytest.mark.parametrize("question", ["which routers are drained?", "show me the drain state of r3",
                                      "bgp neighbours on r1", "show interfaces on r1",
                                      # review36: what should be, not what is ("No: r1 is not drained" read as
                                      # "it is not meant to be"); the state is still read and shown
                                      "is r1 supposed to be drained?", "is neighbor 198.51.100.2 meant to be shut on r1?",
                                      "should eth-r2 be disabled on r1?", "is eth-r2 expected to be up on r1?"])
def test_a_question_that_is_not_yes_or_no_gets_no_verdict(ask, question):
    text = ask(question).text
    assert "**Yes:**" not in text and "**No:**" not in text and "**Partly:**" not in text, text


def test_with_a_model_the_verdict_leads_and_a_bare_opposite_answer_is_contradicted(scripted, agent_settings, kb):
    """SmolLM2-style: a bare "No." to "is neighbor X shut on r1?" when it is shut. netops's own yes
    leads; the model's no is marked contradicted by what was read, and left out."""
    scripted.push(say("No."))
    with assistant(agent_settings, kb, r1=SHUT) as a:
        answer = a.ask("is neighbor 198.51.100.2 shut down on r1?")
    assert answer.mode != "offline"
    assert answer.text.startswith("**Yes:** r1's BGP session to 198.51.100.2 is shut down"), answer.text
    (s,) = answer.check.sentences
    assert s.status == CONTRADICTED and "Yes:" in s.reasons[0]


def test_with_a_model_an_agreeing_answer_follows_the_verdict(scripted, make_assistant):
    scripted.push(say("The session to 198.51.100.2 is Established [1]."))
    answer = make_assistant().ask("is neighbor 198.51.100.2 shut on r1?")
    assert answer.text.startswith("**No:** r1's BGP session to 198.51.100.2 is not shut down (Established).\n\n"
                                  "The session to 198.51.100.2 is Established"), answer.text


# -- "is any interface shut on r2?": a question, not a change request (stop 35 left it) -------------------

@pytest.mark.parametrize("question, outputs, verdict", [
    ("is any interface shut on r2?", None, "**No:** r2 eth-r1, r2 eth-r3 and r2 lo are not shut down"),
    ("are there any shut interfaces on r2?", None, "**No:** r2 eth-r1, r2 eth-r3 and r2 lo are not shut down"),
    ("are any interfaces admin down on r1?", LINK_DOWN, "**Yes:** r1 eth-r2 is shut down (admin down, oper down)."),
    ("are any peers shut down on r1?", None, "**No:** r1's BGP session to 198.51.100.2 and r1's BGP session to "
                                             "198.51.100.10 are not shut down (Established)."),
    ("any peers shut on r1?", SHUT, "**Yes:** r1's BGP session to 198.51.100.2 is shut down (Idle"),
    ("is any bgp neighbor shutdown on r1?", SHUT, "**Yes:** r1's BGP session to 198.51.100.2 is shut down (Idle"),
    # all: one that is not makes it a no, that one first (review36: "Partly", and a model's bare "yes" stood)
    ("are all peers enabled on r1?", SHUT, "**No:** r1's BGP session to 198.51.100.2 is not enabled (shut down) (Idle, "
                                           "admin down); r1's BGP session to 198.51.100.10 is enabled (not shut)"),
    ("are all peers enabled on r1?", None, "**Yes:** r1's BGP session to 198.51.100.2 and r1's BGP session to "
                                           "198.51.100.10 are enabled (not shut) (Established)."),
])
def test_whether_any_peer_or_interface_is_shut_is_read_and_answered(ask, question, outputs, verdict):
    answer = ask(question, r1=outputs)
    assert answer.change is None and not answer.refused, answer.text
    assert _first(answer).startswith(verdict), answer.text
    if "any" in question and "Yes" in verdict:  # only those that are: the other session is not listed as shut
        assert "198.51.100.10" not in _first(answer)


@pytest.mark.parametrize("question", ["shut any unused interface on r2", "shut down any idle bgp peer on r1",
                                      "disable any interface on r2 that is down"])
def test_a_request_to_shut_any_is_still_a_change_request(ask, question):
    answer = ask(question)
    assert answer.change is not None and answer.change.kind in ("unmatched", "clarify"), answer.text
    assert "**Yes:**" not in answer.text and "**No:**" not in answer.text


def test_with_a_model_whether_any_interface_is_shut_is_read_not_refused(scripted, make_assistant):
    scripted.push(say("All interfaces on r2 are up [1]."))
    answer = make_assistant().ask("is any interface shut on r2?")
    assert not answer.refused and answer.change is None, answer.text
    assert answer.text.startswith("**No:** r2 eth-r1, r2 eth-r3 and r2 lo are not shut down"), answer.text


# -- review36: a fleet's rows, a device that could not be read, and "all" with a model --------------------

def test_a_fleet_of_rows_is_counted_not_listed(ask):
    # every session of every router named one by one made the verdict a paragraph; more than four: counted
    assert _first(ask("are any interfaces shut?")) == "**No:** 9 interfaces on r1, r2 and r3 are not shut down " \
                                                      "(admin up, oper up)."
    assert _first(ask("are all peers enabled?", r1=SHUT)) == (
        "**No:** r1's BGP session to 198.51.100.2 is not enabled (shut down) (Idle, admin down); 5 BGP sessions on "
        "r1, r2 and r3 are enabled (not shut) (Established).")


@pytest.mark.parametrize("r1, first", [
    (None, None),  # none shut on r1 and r2, r3 not read: not a no (no verdict, as when every read must succeed)
    (SHUT, "**Yes:** r1's BGP session to 198.51.100.2 is shut down (Idle, admin down); r3 could not be read."),
])
def test_a_device_that_could_not_be_read_leaves_any_unknown_unless_one_is_found(agent_settings, kb, r1, first):
    # review36: r3 unreachable left "are any peers shut?" without a verdict even when r1's was shut
    from netops.errors import ConnectError

    t = captures(r1=r1)
    t.connect_errors["r3"] = ConnectError("r3: connection refused")
    with assistant(agent_settings, kb, transport=t) as a:
        text = a.ask("are any peers shut?", offline=True).text
    if first is None:
        assert "**No:**" not in text and "**Yes:**" not in text, text
    else:
        assert text.split("\n\n")[1] == first, text


def test_with_a_model_a_bare_yes_to_all_when_one_is_shut_is_contradicted(scripted, agent_settings, kb):
    scripted.push(say("Yes."))
    with assistant(agent_settings, kb, r1=SHUT) as a:
        answer = a.ask("are all peers enabled on r1?")
    assert answer.text.startswith("**No:** r1's BGP session to 198.51.100.2 is not enabled"), answer.text
    (s,) = answer.check.sentences
    assert s.status == CONTRADICTED, s


def test_an_interface_the_device_lacks_is_said_so_not_no_interfaces(ask):
    # review36 (on 4032c86 too): "is eth-r9 disabled on r1?" showed "- no interfaces" under r1
    text = ask("is eth-r9 disabled on r1?").text
    assert "- no interface eth-r9 on r1 (it has: eth-r2, eth-r3, lo)" in text and "- no interfaces" not in text, text
    assert "**Yes:**" not in text and "**No:**" not in text, text
