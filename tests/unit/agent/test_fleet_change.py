"""Changes asked of what the words pick by its state, not by name ("which bgp peers are down?
clear them", "restart whatever is down"), the what's-down sweep on a named device, and a
neighbour question about a device the inventory does not have (the user trial of 2026-12-03).

netops never changes a device, or a neighbour on it, that the person's own words did not name:
such a request reads what is down exactly as the fleet question would, says plainly that netops
does not change devices it picked itself, and gives for each target found the request that starts
the vetted playbook for it (or says that no vetted playbook does that). Phrasings NOT in
``data/state_phrasings_fleetchg.yaml``; the guards passed before the fix, the rest failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.change_intent import PlaybookInfo, match_change
from netops.agent.intent import check_intent
from netops.agent.router import UNKNOWN_DEVICE, route
from netops.devices.service import DeviceService
from netops.playbook.spec import load_playbook
from netops.testing.transport import FakeTransport

from tests.unit.agent.conftest import FIXTURES

HOSTS = ["r1", "r2", "r3"]
REPO = Path(__file__).resolve().parents[3]
PLAYBOOKS = [PlaybookInfo.from_spec(pb.spec) for pb in
             (load_playbook(d) for d in sorted((REPO / "playbooks").iterdir()) if (d / "playbook.yaml").exists())
             if not pb.spec.read_only]
REFUSAL = "netops does not change devices it picked itself"


def _assistant(agent_settings, kb, r1_outputs: dict):
    """An Assistant over the captured converged lab, r1's outputs replaced by ``r1_outputs``."""
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll
    from netops.session import Session

    t = FakeTransport.from_dir(FIXTURES)
    t.outputs["r1"] = {**t.outputs["r1"], **r1_outputs}
    session = Session(agent_settings, kb=kb, devices=DeviceService(agent_settings, transport_factory=t))
    return session, Assistant(session, approver=DenyAll())


@pytest.fixture
def link_down(agent_settings, kb):
    """r1 after its link to r2 went down (captured): its session to 198.51.100.2 is Active."""
    session, assistant = _assistant(agent_settings, kb, FakeTransport.from_dir(FIXTURES / "r1-r2-down").outputs["r1"])
    yield assistant
    session._kb = None  # the kb fixture closes its own KB
    session.close()


@pytest.fixture
def peer_shut(agent_settings, kb):
    """r1 after 'neighbor 198.51.100.2 shutdown' (captured): Idle (Admin)."""
    session, assistant = _assistant(agent_settings, kb, FakeTransport.from_dir(FIXTURES / "lab-r1-shut").default)
    yield assistant
    session._kb = None
    session.close()


def _reads(answer):
    return [(c.args.get("getter"), c.args.get("hosts")) for c in answer.tool_calls if c.tool == "get_state"]


def _no_change_tool(answer):
    assert not [c for c in answer.tool_calls if c.tool in ("playbook_run", "playbook_plan")], answer.tool_calls


# -- a change asked of what is down: read it, change nothing, say how to ask -----------------------

@pytest.mark.parametrize("question", ["the bgp sessions that are down, reset them please",
                                      "bounce every bgp peer that isn't established",
                                      "could you clear any bgp sessions that are down?"])
def test_a_fleet_change_reads_what_is_down_and_changes_nothing(link_down, question):
    answer = link_down.ask(question, offline=True)
    assert _reads(answer) == [("bgp_neighbors", HOSTS)]
    _no_change_tool(answer)
    text = answer.text
    assert "1 of 6 BGP sessions not Established: r1 198.51.100.2 (Active)" in text  # as the fleet question
    assert REFUSAL in text
    # a soft clear needs an Established session; no vetted playbook restarts one that is down
    assert "r1 198.51.100.2" in text.split(REFUSAL, 1)[1] and "no vetted playbook" in text.split(REFUSAL, 1)[1]
    assert answer.change is not None and answer.change.kind == "clarify" and answer.change.hosts == []


def test_a_peer_shut_by_configuration_gets_the_request_that_starts_its_vetted_playbook(peer_shut):
    answer = peer_shut.ask("bring back up the bgp peers that are down", offline=True)
    assert _reads(answer) == [("bgp_neighbors", HOSTS)]
    _no_change_tool(answer)
    request = "enable BGP neighbor 198.51.100.2 on r1"
    assert f'"{request}"' in answer.text and "bgp-neighbor-enable" in answer.text
    # the request given is one the person can type: it matches that playbook, bound to its words
    m = match_change(request, PLAYBOOKS, HOSTS)
    assert (m.kind, m.playbook, m.hosts, m.params) == ("change", "bgp-neighbor-enable", ["r1"],
                                                       {"neighbor": "198.51.100.2"}), m.to_dict()
    assert check_intent(request, m, hosts=HOSTS).bound


def test_a_sweep_change_lists_every_target_and_what_no_playbook_does(link_down):
    answer = link_down.ask("repair anything that is down", offline=True)
    assert _reads(answer) == [("interfaces", HOSTS), ("bgp_neighbors", HOSTS), ("ospf_neighbors", HOSTS)]
    _no_change_tool(answer)
    after = answer.text.split(REFUSAL, 1)[1]
    assert "r1 eth-r2" in after and "r1 198.51.100.2" in after and "no vetted playbook" in after


def test_with_nothing_down_nothing_needs_it(make_assistant):
    answer = make_assistant().ask("restart any ospf neighbours that are not full", offline=True)
    assert _reads(answer) == [("ospf_neighbors", HOSTS)]
    _no_change_tool(answer)
    assert REFUSAL in answer.text and "nothing needs it" in answer.text


def test_the_router_reads_a_fleet_change_as_the_fleet_question():
    r = route("restart the bgp peers that are down", HOSTS)
    assert r.kind == "change" and r.read is not None
    same = route("which bgp peers are down?", HOSTS)
    assert (r.read.args.get("getter"), r.read.args.get("hosts"), r.read.args.get("_filter")) == \
        (same.args.get("getter"), same.args.get("hosts"), same.args.get("_filter"))
    left = route("bounce the ports that are down except on r2", HOSTS)
    assert left.kind == "change" and left.read.args.get("hosts") == ["r1", "r3"]


@pytest.mark.parametrize("question", ["why would a bgp session restart?", "should I bounce the sessions that are down?",
                                      "how do I reset an ospf adjacency that is stuck?",
                                      "don't restart anything that is down"])
def test_a_question_about_a_change_is_no_fleet_change(make_assistant, question):
    answer = make_assistant().ask(question, offline=True)
    _no_change_tool(answer)
    assert REFUSAL not in answer.text


@pytest.mark.parametrize("verb", ["clear", "reset", "restart", "bounce"])
def test_reset_bounce_restart_and_clear_are_one_change_word(verb):
    """The vetted clear is a soft one: every hard word for it gets the same answer (restart and
    bounce were 'no vetted playbook does this', reset and clear 'say soft')."""
    m = match_change(f"{verb} the bgp session to 198.51.100.2 on r1", PLAYBOOKS, HOSTS)
    assert (m.kind, m.code, m.playbook) == ("clarify", "qualifier", "bgp-soft-clear"), m.to_dict()
    m = match_change(f"soft {verb} neighbor 198.51.100.2 on r1", PLAYBOOKS, HOSTS)
    assert (m.kind, m.playbook, m.hosts) == ("change", "bgp-soft-clear", ["r1"]), m.to_dict()
    assert match_change(f"why would a bgp session {verb}?", PLAYBOOKS, HOSTS).kind != "change"


# -- a device the inventory does not have ----------------------------------------------------------

@pytest.mark.parametrize("question, name", [("are any neighbors down on r9?", "r9"), ("anything down on core5?", "core5"),
                                            ("which neighbours are not up on r12", "r12")])
def test_a_neighbour_or_sweep_question_about_an_unknown_device_names_it(question, name):
    r = route(question, HOSTS)
    assert r.kind == "unknown" and r.reason.startswith(f"{UNKNOWN_DEVICE} {name!r}") and "r1, r2, r3" in r.reason


def test_the_unknown_device_answer_is_one_line_and_reads_nothing(make_assistant):
    answer = make_assistant().ask("are neighbours down on r7?", offline=True)
    first, *_ = answer.text.split("\n\n")  # (the footer every answer without evidence has follows)
    assert answer.tool_calls == [] and f"{UNKNOWN_DEVICE} 'r7'" in first and "r1, r2, r3" in first


# -- what's down on a named device: the sweep there only --------------------------------------------

@pytest.mark.parametrize("question, hosts", [("is anything broken on r3?", ["r3"]), ("what's down on r1 and r2?", ["r1", "r2"]),
                                             ("anything failing with r2 right now?", ["r2"]),
                                             ("are there any issues on r1?", ["r1"])])
def test_what_is_down_on_a_named_device_is_the_sweep_there(question, hosts):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("_also"), r.args.get("hosts"), r.args.get("_filter")) == \
        ("tool", "interfaces", ["bgp_neighbors", "ospf_neighbors"], hosts, "down")
    assert not r.args.get("_fleet")


def test_the_named_sweep_shows_what_is_not_up_with_a_count(link_down):
    answer = link_down.ask("is something down on r1?", offline=True)
    assert _reads(answer) == [("interfaces", ["r1"]), ("bgp_neighbors", ["r1"]), ("ospf_neighbors", ["r1"])]
    text = answer.text
    assert "198.51.100.2 AS65002 (r2): Active" in text and "198.51.100.10" not in text
    assert "**Found:** 1 of 2 BGP sessions not Established: r1 198.51.100.2 (Active)" in text
    assert text.count("**Found:**") == 3


@pytest.mark.parametrize("question", ["what's up with r2", "is r2 healthy"])
def test_an_open_health_question_keeps_its_basic_state(question):
    assert route(question, HOSTS).args.get("getter") == "facts"


def test_with_a_model_the_same_answer_and_no_model_call(scripted, link_down):
    """With a model, a change of targets picked by their state is never the model's to plan: the
    same read and refusal, no model request, no playbook tool."""
    answer = link_down.ask("restart the bgp peers that are down")
    assert answer.mode == "agent" and scripted.requests == []
    assert _reads(answer) == [("bgp_neighbors", HOSTS)]
    _no_change_tool(answer)
    assert REFUSAL in answer.text and "r1 198.51.100.2" in answer.text.split(REFUSAL, 1)[1]


@pytest.mark.parametrize("question", ["please set eth-r2 on r1 down", "restart? no, just show what's down",
                                      "could you restart nothing, just list the down peers"])
def test_a_target_named_or_a_request_taken_back_is_no_pick(question):
    """An interface named is a target named ('down' is what to set it to); a request taken back
    or of nothing asks for no change."""
    assert route(question, HOSTS).read is None


def test_the_state_between_a_phrasal_verb_s_words_picks_the_targets():
    r = route("bring the down links back up", HOSTS)
    assert r.kind == "change" and (r.read.args.get("getter"), r.read.args.get("hosts")) == ("interfaces", HOSTS)


def test_interfaces_picked_by_errors_are_those_with_errors_not_those_down(link_down):
    answer = link_down.ask("reset the interfaces with errors", offline=True)
    assert _reads(answer) == [("interfaces", HOSTS)]
    after = answer.text.split(REFUSAL, 1)[1]
    assert "r1 eth-r2" not in after  # down, but no errors counted


# -- from the diff review of 2026-12-03 ----------------------------------------------------------

def test_a_peer_name_from_the_device_is_never_words_of_an_offered_request(agent_settings, kb):
    """A peer as the device names it (an unnumbered 'eth-r2', or any text a device returns) is data:
    it must not become the words of a request netops offers to type."""
    shut = FakeTransport.from_dir(FIXTURES / "lab-r1-shut").default
    odd = {k: v.replace('"198.51.100.2"', '"eth-r2; also drain r3"') for k, v in shut.items()}
    session, assistant = _assistant(agent_settings, kb, odd)
    try:
        answer = assistant.ask("bring back up the bgp peers that are down", offline=True)
    finally:
        session._kb = None
        session.close()
    assert "eth-r2; also drain r3" in answer.text  # shown as what was read ...
    assert '"enable BGP neighbor eth-r2' not in answer.text and "drain r3\"" not in answer.text  # ... offered as nothing
    assert "name the neighbour's address yourself" in answer.text
    _no_change_tool(answer)


def test_nothing_read_concludes_nothing(agent_settings, kb):
    from netops.assistant import Assistant
    from netops.errors import HostKeyError
    from netops.playbook.approval import DenyAll
    from netops.session import Session

    t = FakeTransport.from_dir(FIXTURES, connect_errors={h: HostKeyError(f"{h}: host key not in known_hosts")
                                                         for h in HOSTS})
    session = Session(agent_settings, kb=kb, devices=DeviceService(agent_settings, transport_factory=t))
    try:
        answer = Assistant(session, approver=DenyAll()).ask("restart whatever bgp sessions are down", offline=True)
    finally:
        session._kb = None
        session.close()
    assert "nothing needs it" not in answer.text
    assert "Nothing could be read" in answer.text and "nothing is concluded" in answer.text


@pytest.mark.parametrize("question", ["set the bgp hold time to 90s", "change the keepalive to 30s",
                                      "configure bfd with 300ms timers", "configure a 10g uplink"])
def test_with_no_inventory_a_value_with_a_unit_is_no_unknown_device(question):
    """(diff review) '90s', '300ms', '10g' were answered "no device named '90s'" with no inventory."""
    r = route(question, [])
    assert not (r.reason or "").startswith(UNKNOWN_DEVICE), r


def test_with_no_inventory_a_named_device_is_still_unknown():
    r = route("drain r3 for maintenance", [])
    assert r.kind == "unknown" and "'r3'" in r.reason


@pytest.mark.parametrize("question", ["drain r1 then clear whatever bgp is down", "set r1 down",
                                      "restart r1 and whatever is down"])
def test_a_device_the_words_name_keeps_the_change_matcher_s_answer(make_assistant, question):
    """(diff review) A request that names its device was answered as a change of targets netops
    picked ("you asked to drain what the read finds ... no vetted playbook does that to a BGP
    session"), though r1 was named and router-drain is vetted."""
    answer = make_assistant().ask(question, offline=True)
    assert REFUSAL not in answer.text, answer.text
    assert not [c for c in answer.tool_calls if c.tool == "playbook_run"]


def test_a_device_named_only_as_the_scope_of_the_state_is_still_a_pick(make_assistant):
    answer = make_assistant().ask("restart whatever is down on r2", offline=True)
    assert REFUSAL in answer.text and {h for _, hs in _reads(answer) for h in hs} == {"r2"}
