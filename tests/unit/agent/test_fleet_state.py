"""Fleet-wide device-state questions that name no device ("which bgp peers are down?"): every
inventory device is read and the answer is narrowed to what was asked (the lead's report of
2026-12-02: such questions went to the knowledge base, or asked back which device). Tested with
phrasings that are NOT in ``data/state_phrasings_fleet.yaml``; the knowledge and change guards
passed before the fix, the rest failed."""

from __future__ import annotations

import pytest

from netops.agent.router import UNKNOWN_DEVICE, route
from netops.devices.service import DeviceService
from netops.testing.ollama_server import say
from netops.testing.transport import FakeTransport

from tests.unit.agent.conftest import FIXTURES

HOSTS = ["r1", "r2", "r3"]


def _read(question, hosts=HOSTS):
    r = route(question, hosts)
    return r.kind, r.args.get("getter"), r.args.get("hosts"), r.args.get("prefix")


@pytest.mark.parametrize("question, getter", [
    ("which bgp neighbors are idle?", "bgp_neighbors"),
    ("is any bgp peer not established?", "bgp_neighbors"),
    ("show all bgp peers that are down", "bgp_neighbors"),
    ("list the bgp sessions in active state", "bgp_neighbors"),
    ("how many ospf adjacencies are not full?", "ospf_neighbors"),
    ("are there ospf neighbours in init?", "ospf_neighbors"),
    ("which ports are down right now", "interfaces"),
    ("do any interfaces have crc errors?", "interfaces"),
])
def test_a_fleet_wide_state_question_reads_every_device(question, getter):
    assert _read(question)[:3] == ("tool", getter, HOSTS)


def test_a_fleet_wide_route_question_reads_every_device_for_that_prefix():
    assert _read("which devices lack 203.0.113.2?") == ("tool", "route", HOSTS, "203.0.113.2")


@pytest.mark.parametrize("question", [
    "why do bgp peers go down after the hold timer expires?",
    "what does it mean if ospf neighbours are stuck in 2-way?",
    "how should I debug interfaces that are flapping?",
    "what is the procedure when bgp sessions are down?",
    "which states does an ospf neighbour go through before full?",
    "is it normal for ospf neighbours to sit in 2-way?",
    "list the reasons a bgp session goes down",
    "is there a limit on how many bgp peers can be up?",
])
def test_the_same_words_asked_as_knowledge_stay_knowledge(question):
    assert route(question, HOSTS).kind == "spec"


@pytest.mark.parametrize("question", ["clear every bgp session that is down", "shut any interfaces with errors"])
def test_a_change_word_over_the_fleet_is_a_change(question):
    assert route(question, HOSTS).kind == "change"


def test_an_imperative_without_a_change_word_reads_nothing():
    assert route("bring up the bgp peers that are down", HOSTS).kind != "tool"


def test_hosts_left_out_of_a_fleet_question_are_not_read():
    assert _read("which bgp peers are down except on r3")[:3] == ("tool", "bgp_neighbors", ["r1", "r2"])


def test_an_unknown_or_unnamed_single_device_is_not_read_as_the_fleet():
    r = route("which bgp peers are down on r9", HOSTS)
    assert r.kind == "unknown" and r.reason.startswith(UNKNOWN_DEVICE)
    assert route("which bgp peers are down on the router", HOSTS).kind != "tool"
    assert route("show interfaces", HOSTS).kind != "tool"  # no state asked about: which device?


@pytest.mark.parametrize("question, want", [
    ("which bgp peers are not established?", "down"), ("any ospf adjacency stuck in exstart?", "down"),
    ("which bgp sessions are up?", "up"), ("are all the bgp sessions established?", None),
    # a session that dropped and came back is Established again: its uptime answers, not a filter
    ("did any bgp session drop?", None), ("which bgp peers should be up but are down?", "down"),
])
def test_the_state_asked_about_filters_the_neighbours(question, want):
    assert route(question, HOSTS).args.get("_filter") == want


@pytest.fixture
def r1_link_down(agent_settings, kb):
    """An Assistant over r1 after its link to r2 was set down (captured), r2 and r3 converged."""
    from netops.assistant import Assistant
    from netops.playbook.approval import DenyAll
    from netops.session import Session

    t = FakeTransport.from_dir(FIXTURES)
    down = FakeTransport.from_dir(FIXTURES / "r1-r2-down")
    t.outputs["r1"] = {**t.outputs["r1"], **down.outputs["r1"]}
    session = Session(agent_settings, kb=kb, devices=DeviceService(agent_settings, transport_factory=t))
    yield Assistant(session, approver=DenyAll())
    session._kb = None  # the kb fixture closes its own KB
    session.close()


def test_offline_fleet_answer_lists_only_the_down_sessions_per_device(r1_link_down):
    answer = r1_link_down.ask("which bgp peers are down?", offline=True)
    assert [(c.args.get("getter"), c.args.get("hosts")) for c in answer.tool_calls] == [("bgp_neighbors", HOSTS)]
    text = answer.text
    assert "every inventory device (r1, r2, r3)" in text
    assert "**r1** (show bgp summary json" in text and "198.51.100.2 AS65002 (r2): Active" in text
    assert "198.51.100.10" not in text  # r1's Established session is not what was asked
    assert text.count("no BGP session down") == 2  # r2 and r3
    assert "1 of 6 BGP sessions not Established: r1 198.51.100.2 (Active)" in text


def test_offline_fleet_answer_says_when_nothing_is_down(make_assistant):
    text = make_assistant().ask("any ospf neighbours not full?", offline=True).text
    assert "every inventory device (r1, r2, r3)" in text
    assert text.count("every OSPF neighbour listed is Full") == 3
    assert "all 6 OSPF neighbours listed on r1, r2, r3 are Full" in text
    assert "not listed at all" in text  # a neighbour that is gone leaves no row to show


def test_an_ospf_neighbour_gone_from_the_list_is_found_on_the_inventory_s_link(r1_link_down, agent_settings):
    """A neighbour that went down has timed out of 'show ip ospf neighbor': the answer must not
    say all is Full without naming the inventory link on which no neighbour is left."""
    from tests.unit.agent.test_state_words import INVENTORY as WITH_LINKS

    agent_settings.inventory.write_text(WITH_LINKS)
    text = r1_link_down.ask("any ospf neighbours not full?", offline=True).text
    assert "- no OSPF neighbour on eth-r2 (the inventory's link to r2)" in text
    assert "no OSPF neighbour at all on r1 eth-r2 (link to r2)." in text
    assert "no OSPF neighbour on eth-r3" not in text  # r1's neighbour on eth-r3 is there


def test_with_a_model_the_fleet_is_read_before_it_speaks(scripted, r1_link_down):
    scripted.push(say("r1's session to 198.51.100.2 is Active [1]."))
    answer = r1_link_down.ask("are any bgp sessions down?")
    assert answer.grounding.kind == "device"
    assert [s.evidence.host for s in answer.grounding.sources] == HOSTS
    sent = scripted.requests[0].messages[-1]["content"]
    assert "198.51.100.2" in sent and "Active" in sent and "198.51.100.10" not in sent
    assert "Found: 1 of 6 BGP sessions not Established" in answer.grounding.sources[-1].text  # the count, once


def test_the_fleet_count_is_its_own_paragraph_when_netops_shows_its_findings(scripted, r1_link_down):
    """Shown as Markdown (the chat), a line right after a bullet continues that bullet: the count
    must follow a blank line, not read as part of the last device's last row."""
    scripted.push(say("I cannot tell."))
    answer = r1_link_down.ask("are any bgp sessions down?")
    last = answer.grounding.sources[-1].text
    assert "\n\nFound: 1 of 6 BGP sessions not Established" in last, last
    assert "\n\nFound: 1 of 6" in answer.text     # netops's own findings lead (nothing was supported)


def test_netops_s_own_count_follows_a_supported_model_answer(scripted, r1_link_down):
    """A small model's answer may be true and still say almost nothing ("the source is not down
    on r2 [2]", seen with SmolLM2 on the lab): netops's own count of what it read follows it."""
    scripted.push(say("r1's session to 198.51.100.2 is Active [1]."))
    answer = r1_link_down.ask("are any bgp sessions down?")
    assert answer.check is not None and answer.check.count("supported") >= 1
    assert answer.text.startswith("r1's session to 198.51.100.2 is Active")
    assert answer.text.rstrip().endswith("**Found:** 1 of 6 BGP sessions not Established: r1 198.51.100.2 (Active).")
    assert answer.text.count("Found:") == 1
