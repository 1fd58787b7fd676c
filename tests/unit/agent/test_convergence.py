"""Whether the network settled after a change (helper papercuts36, 2026-12-04; left by stop 35): "has the
ospf change converged on r2?" was refused as an unvetted change, "did the drain converge?" described the
drain playbook, "is r2 converged?" matched no intent. Converged here means the state after a change
settled: every BGP session Established (a peer shut by configuration is settled, and said), every OSPF
adjacency Full with one on every inventory link. netops reads the neighbour lists (the protocol named,
else both; no device named: every device) and answers yes or no first
(:func:`netops.agent.offline.convergence_line`), offline and with a model."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from netops.agent.answer_check import CONTRADICTED
from netops.agent.router import converged, route_named
from netops.testing.ollama_server import say
from netops.testing.transport import FakeTransport
from tests._captures import FRR, LINK_DOWN, assistant, captures
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, hosts, getters", [
    ("is r2 converged?", ["r2"], ["bgp_neighbors", "ospf_neighbors"]),
    ("has r2 converged yet?", ["r2"], ["bgp_neighbors", "ospf_neighbors"]),
    ("has the ospf change converged on r2?", ["r2"], ["ospf_neighbors"]),
    ("has bgp converged on r1?", ["r1"], ["bgp_neighbors"]),
    ("did the drain converge?", HOSTS, ["bgp_neighbors", "ospf_neighbors"]),
    ("is the network converged?", HOSTS, ["bgp_neighbors", "ospf_neighbors"]),
    ("convergence status on r1", ["r1"], ["bgp_neighbors", "ospf_neighbors"]),
])
def test_a_convergence_question_reads_the_neighbour_lists(question, hosts, getters):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("hosts"), [r.args["getter"], *r.args.get("_also", [])], r.args.get("_converged")) == \
        ("tool", hosts, getters, True), r


@pytest.mark.parametrize("question", ["how long does ospf take to converge?", "what is bgp convergence?",
                                      "does ospf converge faster than bgp?", "why does bgp converge slowly?"])
def test_how_convergence_works_is_for_the_documents(question):
    assert converged(question) is None
    assert route_named(question, HOSTS)[0].kind == "spec"


@pytest.fixture
def ask(ask_captures):
    return ask_captures


def _reads(answer):
    return sorted((c.args.get("getter"), tuple(c.args.get("hosts") or ())) for c in answer.tool_calls if c.tool == "get_state")


@pytest.mark.parametrize("question, first", [
    ("is r2 converged?", "**Yes: converged** on r2: every BGP session Established (2, the newest up 30s), "
                         "every OSPF adjacency Full (2)."),
    ("has the ospf change converged on r2?", "**Yes: converged** on r2: every OSPF adjacency Full (2)."),
    ("did the drain converge?", "**Yes: converged** on r1, r2, r3: every BGP session Established (6, the newest up "
                                "30s), every OSPF adjacency Full (6)."),
])
def test_a_settled_network_is_said_converged_first_and_nothing_is_proposed(ask, question, first):
    answer = ask(question)
    assert answer.change is None and not answer.refused, answer.text
    assert answer.text.split("\n\n")[1] == first, answer.text


def test_a_session_not_established_is_not_converged(ask):
    answer = ask("is r1 converged?", r1=LINK_DOWN)
    assert answer.text.split("\n\n")[1] == "**No: not converged** on r1: r1's BGP session to 198.51.100.2 is Active."


def test_a_link_with_no_ospf_neighbour_is_not_converged():
    """With the lab's inventory (links by address), r1 with no adjacency on eth-r2 has not settled, though
    every neighbour it does list is Full."""
    h = bench.Harness(Path(tempfile.mkdtemp()), transport=captures(r1=LINK_DOWN))
    try:
        text = h.ask("has the ospf change converged on r1?")["text"]
    finally:
        h.close()
    assert text.split("\n\n")[1] == "**No: not converged** on r1: r1 has no OSPF neighbour on eth-r2 (link to r2).", text


def test_with_a_model_the_verdict_leads_and_a_bare_yes_is_contradicted(scripted, agent_settings, kb):
    scripted.push(say("Yes."))
    with assistant(agent_settings, kb, r1=LINK_DOWN) as a:
        answer = a.ask("is r1 converged?")
    assert answer.mode != "offline" and answer.change is None
    assert answer.text.startswith("**No: not converged** on r1: r1's BGP session to 198.51.100.2 is Active."), answer.text
    (s,) = answer.check.sentences
    assert s.status == CONTRADICTED, s


@pytest.mark.parametrize("question, stray", [
    ("is r9 converged?", "r9"), ("has the ospf change converged on r9?", "r9"),
    ("is r9 drained?", "r9"), ("is r9 in maintenance?", "r9"),  # (the drain read did this before too)
    ("are any peers shut on r9?", "r9"), ("are any of r9s peers shut?", "r9s"),  # ("r1s peers": r1's, test_untyped)
])
def test_a_device_the_inventory_lacks_is_said_not_every_device_read(question, stray):
    """Naming no inventory device reads every one ("did the drain converge?"); a device the inventory
    lacks is not "no device": "is r9 drained?" read r1, r2 and r3 (papercuts36's own review)."""
    r, _ = route_named(question, HOSTS)
    assert r.kind == "unknown" and f"'{stray}'" in r.reason, r


@pytest.mark.parametrize("question", ["did the drain converge?", "which routers are drained?", "is any interface shut?",
                                      "is anything in maintenance mode?"])
def test_naming_no_device_still_reads_every_one(question):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("hosts")) == ("tool", HOSTS), r


R2_SHUT = FakeTransport.from_dir(FRR / "peer-routes").outputs["r2-shut"]  # r2: neighbor 198.51.100.1 shutdown


@pytest.mark.parametrize("question, first", [
    ("has bgp converged?", "**Yes: converged** on r1, r2, r3: every BGP session Established (4, the newest up 30s), "
                           "r2's session to 198.51.100.1 and r1's session to 198.51.100.2 (r2 shut its side) shut by "
                           "configuration."),
    ("has bgp converged on r1 and r2?", "**Yes: converged** on r1, r2: every BGP session Established (2, the newest "
                                        "up 42s), r2's session to 198.51.100.1 and r1's session to 198.51.100.2 (r2 "
                                        "shut its side) shut by configuration."),
    ("has bgp converged on r1?", "**No: not converged** on r1: r1's BGP session to 198.51.100.2 is Active (the far "
                                 "end, r2, was not read: a session shut there shows as Active here)."),
])
def test_a_session_the_far_end_shut_is_settled_when_the_far_end_is_read(question, first):
    """review36: after the vetted bgp-neighbor-shutdown on r2 (its side Idle (Admin)), r1's side of the
    session stays Active, and "has bgp converged?" said "No: not converged" for as long as the change
    stood. Both sides read: settled, the far end's shut said; r1 alone: not known, and said why."""
    # r1's side not Established (Active)
    h = bench.Harness(Path(tempfile.mkdtemp()), transport=captures(r1=LINK_DOWN, r2=R2_SHUT))
    try:
        assert h.ask(question)["text"].split("\n\n")[1] == first
    finally:
        h.close()
