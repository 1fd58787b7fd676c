"""Lead, stop 37: four question shapes a sceptical engineer in a maintenance window used that routed
nowhere useful (written as a private held-out set before any of this stop's changes; these are other
phrasings of the same shapes):

- routes a router *has from* a peer ("how many routes does r1 have from r3") read both routers' whole
  tables (r3's was not asked for); they are what r1 received from r3;
- whether a router is carrying traffic ("is r3 still carrying traffic?") found no intent; it is the
  drain state, said without a yes or no on "drained";
- the path between two devices ("why is traffic from r1 to r3 going via r2?") found no intent; it is
  the source's route to the target's loopback, said as its first hop (no traceroute is sent);
- a report on the whole network ("summarise the network for the handover") searched the documents;
  it is the sweep of every device."""

from __future__ import annotations

import pytest

from netops.agent.router import route
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, host, peer", [
    ("how many prefixes does r2 have from r1?", "r2", "r1"),
    ("which routes has r3 got from r2", "r3", "r2"),  # "got": already a receiving verb
    ("routes r1 holds from 198.51.100.10", "r1", "198.51.100.10"),
    ("what paths does r2 carry from r3", "r2", "r3"),
])
def test_routes_a_router_has_from_a_peer_are_what_it_received(question, host, peer):
    r = route(question, HOSTS)
    assert (r.tool, r.args.get("hosts"), r.args.get("getter"), r.args.get("peer")) == \
        ("get_state", [host], "bgp_received", peer), r


@pytest.mark.parametrize("question", ["does r1 have a route to r3's loopback?", "how many routes does r1 have"])
def test_have_without_from_is_no_peer_read(question):
    assert route(question, HOSTS).args.get("getter") != "bgp_received"


@pytest.mark.parametrize("question", ["is r2 still carrying traffic?", "is r1 taking any traffic", "is r3 in service?",
                                      "are r1 and r2 carrying customer traffic?"])
def test_carrying_traffic_is_the_drain_state_with_no_yes_or_no(question):
    r = route(question, HOSTS)
    assert (r.args.get("getter"), r.args.get("_drain"), r.args.get("_effect")) == ("config", True, None), r


def test_carrying_traffic_somewhere_is_not_the_drain_state():
    assert not route("is r1 carrying traffic to r3?", HOSTS).args.get("_drain")


@pytest.mark.parametrize("question", ["summarize the network for the morning shift", "network status report",
                                      "give me a snapshot of the whole network", "handover notes please",
                                      "what's the state of our network"])
def test_a_report_on_the_network_is_the_sweep(question):
    r = route(question, HOSTS)
    assert (r.args.get("hosts"), r.args.get("getter"), r.args.get("_also")) == \
        (HOSTS, "interfaces", ["bgp_neighbors", "ospf_neighbors"]), r


@pytest.mark.parametrize("question", ["what is a network summary LSA?", "summarize RFC 2328 for the handover",
                                      "status of fabric-a please"])
def test_a_report_on_something_else_is_not_the_sweep(question):
    assert route(question, HOSTS).args.get("_also") != ["bgp_neighbors", "ospf_neighbors"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("lead37"))
    yield h
    h.close()


def test_the_path_between_two_routers_is_the_sources_first_hop(lab):
    got = lab.ask("why do packets from r2 to r3 go through r1?")
    assert [(x["host"], x["getter"], x.get("prefix")) for x in got["reads"]] == [("r2", "route", "203.0.113.3")], got
    assert "no traceroute was sent, so the hops after it are not read" in got["text"], got["text"]
    assert "r2 sends it by" in got["text"], got["text"]


@pytest.mark.parametrize("question", ["how much traffic from r1 to r3 is there?", "traffic from r1 to r3 is dropped"])
def test_how_much_traffic_or_traffic_lost_is_not_the_path(lab, question):
    got = lab.ask(question)
    assert not any(x["getter"] == "route" for x in got.get("reads", [])), got


# --- what the person changed, asked in their own words ("what did I change tonight?")

@pytest.mark.parametrize("question, hosts", [
    ("what did we change today", HOSTS), ("what have I touched this morning?", HOSTS),
    ("show me the changes made in the last 2 hours", HOSTS), ("what changes were made to r2?", ["r2"]),
    ("what did you change on r1", ["r1"]), ("what has netops changed?", HOSTS),
])
def test_what_i_changed_is_the_audit_log(question, hosts):
    r = route(question, HOSTS)
    assert (r.tool, r.args.get("hosts")) == ("change_history", hosts), r


@pytest.mark.parametrize("question", ["what changes were made to OSPF in RFC 5340?", "changes made in BGP-4 since RFC 1771",
                                      "make the changes made yesterday again"])
def test_changes_made_to_a_protocol_or_again_are_not_the_audit_log(question):
    assert route(question, HOSTS).tool != "change_history"


# --- a question asked around a change the person will make ("before I drain r3, is anything down?")

@pytest.mark.parametrize("question, rest, change", [
    ("sanity check before I drain r2: anything down?", "anything down?", "drain r2"),
    ("before we undrain r1, are all bgp sessions up?", "are all bgp sessions up?", "undrain r1"),
    ("once I've drained r3, is r1 still healthy?", "is r1 still healthy?", "drain r3"),
])
def test_a_question_around_the_persons_own_change_is_split(question, rest, change):
    from netops.agent.conditional import asked

    c = asked(question, HOSTS)
    assert c is not None and (c.condition, c.request, c.own) == (rest, change, True), c


@pytest.mark.parametrize("question", ["drain r2 before I go home", "before I leave, drain r2", "shut eth-r1 on r2 once I drain r3",
                                      "before I drain r3, what could go wrong?"])
def test_no_question_around_the_persons_own_change(question):
    from netops.agent.conditional import asked

    c = asked(question, HOSTS)
    assert c is None or not c.own, c


def test_offline_the_question_is_read_and_the_change_is_not_proposed(lab):
    got = lab.ask("pre-checks before I undrain r2: any interfaces down?")
    assert got["expect"] == "read" and not got.get("change"), got
    assert {x["getter"] for x in got["reads"]} == {"interfaces"}, got
    assert '("undrain r2")' in got["text"] and "netops made no change and proposed none" in got["text"], got["text"]


@pytest.fixture
def agent_session(make_session, agent_settings, vetted_playbooks):
    return make_session(agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": False}))


def test_with_a_model_nothing_is_proposed_around_the_persons_own_change(scripted, agent_session, fake_transport):
    """A model that would propose the drain is not asked; nobody is asked to approve; nothing is sent."""
    from netops.agent.events import ApprovalRequestEvent
    from netops.testing.ollama_server import say, tool_call

    scripted.push(tool_call("playbook_run", playbook="router-drain", hosts=["r3"], params={}), say("Drained r3."))
    events = list(agent_session.assistant(approver=None).events("before I drain r3, is anything down?"))
    answer = events[-1].answer
    assert not [e for e in events if isinstance(e, ApprovalRequestEvent)] and not answer.approvals
    assert not fake_transport.configs, fake_transport.configs
    assert "netops made no change and proposed none" in answer.text, answer.text


# --- a change named as a moment ("bgp sessions on r3 after the drain") is when, not a request

@pytest.mark.parametrize("question, reads", [
    ("ospf neighbours on r2 after the undrain", [("r2", "ospf_neighbors")]),
    ("interfaces on r1 since tonight's maintenance", [("r1", "interfaces")]),
    ("bgp summary r3 following the drain", [("r3", "bgp_neighbors")]),
])
def test_a_change_named_as_a_moment_is_no_request(lab, question, reads):
    got = lab.ask(question)
    assert got["expect"] == "read" and [(x["host"], x["getter"]) for x in got["reads"]] == reads, got


@pytest.mark.parametrize("question, playbook", [("drain r2 after the maintenance", "router-drain"),
                                                ("undrain r1 after the drain test", "router-undrain")])
def test_a_request_with_a_moment_is_still_the_request_it_makes(lab, question, playbook):
    got = lab.ask(question)
    assert (got["expect"], got.get("playbook")) == ("change", playbook), got


# --- a setting named with no verb and no value is what it is now

@pytest.mark.parametrize("question, read", [("ospf cost on r2 eth-r3", ("r2", "config")),
                                            ("r2 eth-r1 description?", ("r2", "interfaces"))])
def test_a_setting_named_alone_is_read(lab, question, read):
    got = lab.ask(question)
    assert got["expect"] == "read" and read in [(x["host"], x["getter"]) for x in got["reads"]], got


@pytest.mark.parametrize("question", ["r2 eth-r3 ospf cost 40", "r2 eth-r1 description core-uplink",
                                      "change the ospf cost on r2 eth-r3"])
def test_a_setting_with_a_value_or_a_verb_stays_a_change(lab, question):
    assert lab.ask(question)["expect"] == "change"


# --- the shift's changes, and what happened on the network, are the audit log's

@pytest.mark.parametrize("question", ["changes for the handover please", "what did the day shift touch",
                                      "what happened on our network overnight", "today's changes for the shift report"])
def test_the_shifts_changes_are_the_audit_log(question):
    assert route(question, HOSTS).tool == "change_history"


@pytest.mark.parametrize("question", ["what happened to the bgp session on r2 last night",
                                      "what changed in the shift from ospf to is-is?"])
def test_what_happened_to_a_session_or_a_migration_is_not(question):
    assert route(question, HOSTS).tool != "change_history"


@pytest.mark.parametrize("question", ["which prefixes still point at r2?", "what routes still use r2", "any routes still via r2?"])
def test_routes_still_using_a_router_are_the_others_tables(question):
    r = route(question, HOSTS)
    assert (r.args.get("hosts"), r.args.get("getter"), r.args.get("_off")) == (["r1", "r3"], "routes", "r2"), r


@pytest.mark.parametrize("question", ["what routes use ospf?", "which routes point to 203.0.113.3"])
def test_routes_using_something_else_are_not(question):
    assert not route(question, HOSTS).args.get("_off")


# --- with a model, the traffic verdicts lead as they do offline (history37 left them offline-only)

def test_did_the_traffic_move_off_with_a_model_says_netops_verdict_first(scripted, make_assistant):
    from netops.testing.ollama_server import say

    scripted.push(say("Yes, all traffic moved off r3 [1]."))
    answer = make_assistant().ask("did the traffic move off r3?")
    offline = make_assistant().ask("did the traffic move off r3?", offline=True)
    head = offline.text.split("\n\n")[1]  # the verdict line the offline answer leads with
    assert head.startswith("**") and "r3" in head, offline.text
    assert answer.text.startswith(head), answer.text


def test_what_a_router_carries_with_a_model_says_no_counters_are_read(scripted, make_assistant):
    from netops.agent.offline import CARRYING
    from netops.testing.ollama_server import say

    scripted.push(say("r3 carries 10 Gbit/s [1]."))
    answer = make_assistant().ask("what's r3 carrying right now?")
    assert answer.text.startswith(CARRYING), answer.text


@pytest.mark.parametrize("question", ["is the link carrying traffic?", "is the standby in service after failover?"])
def test_carrying_traffic_with_no_router_named_is_no_drain_read(question):
    """review37: both read every router's drain state."""
    assert not route(question, HOSTS).args.get("_drain")


@pytest.mark.parametrize("question, rest, change, made", [
    ("before I undrain r2, what's its bgp summary?", "what's r2 bgp summary?", "undrain r2", False),
    ("I drained r1, is anything down?", "is anything down?", "drain r1", True),
    ("we've just undrained r3: are the bgp sessions up?", "are the bgp sessions up?", "undrain r3", True),
])
def test_the_persons_own_change_said_first_or_with_a_pronoun(question, rest, change, made):
    from netops.agent.conditional import asked

    c = asked(question, HOSTS)
    assert c is not None and (c.condition, c.request, c.own, c.made) == (rest, change, True, made), c


@pytest.mark.parametrize("question", ["I want to drain r3, is anything down?", "I need r3 drained",
                                      "I drain r3, is that ok?"])
def test_a_wish_is_no_change_said_done(question):
    from netops.agent.conditional import asked

    c = asked(question, HOSTS)
    assert c is None or not c.own, c


def test_a_sweep_with_a_moment_is_the_sweep(lab):
    got = lab.ask("is anything down before the drain?")
    assert got["expect"] == "read" and {x["getter"] for x in got["reads"]} >= {"interfaces", "bgp_neighbors"}, got
