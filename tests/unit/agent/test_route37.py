"""route37: questions about past changes, hypotheticals, conditional requests, and five routing misses.

Past changes ("was r2 drained this morning?", "who disabled the session on r1?", "has r1 been put back in
service?") met a device read (r2's 'show version') or the change path ("no vetted playbook does this");
the audit log answers them, and a question about now as well gets the device's state beside it."""

from __future__ import annotations

import pytest

from netops.agent.router import route
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, hosts, action", [
    ("was r2 drained this morning?", ["r2"], "drain"),
    ("were r1 and r2 undrained last night?", ["r1", "r2"], "undrain"),
    ("was r1 drained at all last week", ["r1"], "drain"),
    ("who disabled the bgp session on r1?", ["r1"], "shutdown"),
    ("who shut down eth-r3 on r1, and at what time?", ["r1"], "shutdown"),
    ("when was the neighbor 198.51.100.5 on r3 shut?", ["r3"], "shutdown"),
    ("who soft-cleared r2's session to r1?", ["r1", "r2"], None),  # both named: both devices' records
    ("were any routers drained over the weekend?", HOSTS, "drain"),
    ("did you undrain r2 this morning?", ["r2"], "undrain"),
    ("has anybody drained r1 this week?", ["r1"], "drain"),
    ("when did r1 get drained?", ["r1"], "drain"),
    ("when did we last undrain r2", ["r2"], "undrain"),
    ("r2 undrained last night?", ["r2"], "undrain"),
    ("was neighbor 198.51.100.9 on r3 disabled by netops?", ["r3"], "shutdown"),
])
def test_a_past_change_is_the_audit_logs(question, hosts, action):
    from netops.agent.offline import action_asked

    r = route(question, HOSTS)
    assert (r.kind, r.tool, r.args.get("hosts")) == ("tool", "change_history", hosts), r
    if action:
        assert action_asked(question) == action


@pytest.mark.parametrize("question", ["was graceful shutdown defined before RFC 8326?",
                                      "who wrote RFC 8326 on graceful shutdown?",
                                      "when was the BGP shutdown communication standardised?"])
def test_the_documents_past_is_not_the_audit_log(question):
    """(and a request after a past question is the request: test_a_request_after_a_past_change_stays_a_request)"""
    assert route(question, HOSTS).tool != "change_history"


@pytest.mark.parametrize("question, yes_no", [
    ("has r1 been undrained?", False), ("has r2 been put back into service", False),
    ("have r1 and r3 been drained?", True),
])
def test_a_question_about_now_reads_the_device_and_says_the_record(question, yes_no):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), bool(r.args.get("_recorded"))) == ("tool", "config", True), r
    assert (r.args.get("_effect") == "drained") == yes_no, r


def test_is_drained_now_is_the_device_alone():
    r = route("is r2 back in service?", HOSTS)
    assert (r.args.get("getter"), r.args.get("_recorded"), r.args.get("_effect")) == ("config", None, None), r


def _apply(actor: str, host: str, playbook: str) -> dict:
    return {"actor": actor, "kind": "apply", "payload": {"playbook": playbook, "host": host, "ok": True,
                                                          "commands": ["!"]}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The offline ask path on the lab's captures with dave's drain then undrain of r1 on record."""
    h = bench.Harness(tmp_path_factory.mktemp("route37"))
    h.seed([_apply("dave", "r1", "router-drain"), _apply("erin", "r1", "router-undrain"),
            _apply("erin", "r2", "bgp-neighbor-shutdown")])
    yield h
    h.close()


def test_was_it_drained_answers_from_the_log_alone(lab):
    got = lab.ask("was r1 drained today?")
    assert got["expect"] == "ask" and got["audit"] and not got.get("reads"), got
    assert "router-drain by dave" in got["text"] and "erin" not in got["text"], got["text"]


def test_a_window_with_no_such_change_says_the_later_one_not_none_before(lab):
    """'none before it either' was said without looking (the action's window skipped the look around it)."""
    got = lab.ask("was r1 drained yesterday?")
    assert "no drain recorded on r1 yesterday" in got["text"], got["text"]
    assert "1 later drain" in got["text"], got["text"]


def test_has_it_been_undrained_says_the_device_now_and_the_record(lab):
    got = lab.ask("has r1 been undrained?")
    assert [(x["host"], x["getter"]) for x in got["reads"]] == [("r1", "config")] and got["audit"], got
    text = got["text"]
    assert "not drained" in text and "router-undrain by erin" in text, text
    assert "**No:**" not in text and "**Yes:**" not in text, text  # no yes/no on "drained" for "undrained?"


def test_who_shut_answers_who_and_when_and_changes_nothing(lab):
    got = lab.ask("who shut down the session to r1 on r2, and when?")
    assert got["expect"] == "ask" and got["audit"] and not got.get("reads"), got
    assert "bgp-neighbor-shutdown by erin" in got["text"], got["text"]


# -- a change asked for on a condition: the condition read, the change never chained to it ------------------

from netops.agent.conditional import asked as conditional_asked  # noqa: E402


@pytest.mark.parametrize("question, condition, change", [
    ("if r1 has no bgp session to r2, undrain r2", "r1 has no bgp session to r2", "undrain r2"),
    ("look at r1 and if it is healthy then drain it", "look at r1 and r1 is healthy", "drain r1"),
    ("drain r2 only if r3 still has a route to 203.0.113.2", "r3 still has a route to 203.0.113.2", "drain r2"),
    ("undrain r1 unless r3 is drained", "r3 is drained", "undrain r1"),
    # no comma: the request's verb starts it; "it" in the condition is the device the condition names
    ("look at ospf on r2 and if it is all full undrain r3", "look at ospf on r2 and r2 is all full", "undrain r3"),
])
def test_a_conditional_request_is_split_into_its_condition_and_its_change(question, condition, change):
    c = conditional_asked(question, HOSTS)
    assert c is not None and (c.condition, c.request) == (condition, change), c


@pytest.mark.parametrize("question", ["drain r3 if possible", "did r2 reboot? if so, drain r3",
                                      "what happens if I drain r3?", "drain r1 and if ok, drain r2",
                                      "drain r2 for maintenance", "drain r2 even if it still has sessions up",
                                      "if we drain r1, would r2 still reach 203.0.113.3?",
                                      "would it hurt if I undrain r2 now"])
def test_no_condition_of_its_own_is_not_a_conditional(question):
    assert conditional_asked(question, HOSTS) is None


def test_offline_the_condition_is_read_and_nothing_is_proposed(lab):
    got = lab.ask("if r1 has no bgp session to r2, undrain r2")
    assert not got.get("change") and got["expect"] != "change", got
    assert {x["getter"] for x in got["reads"]} == {"bgp_neighbors"}, got
    assert "does not make a change on a condition" in got["text"] and '("undrain r2")' in got["text"], got["text"]


def test_the_drain_state_condition_is_read_as_the_question_it_is(lab):
    got = lab.ask("undrain r1 unless r3 is drained")
    assert [(x["host"], x["getter"]) for x in got["reads"]] == [("r3", "config")], got


@pytest.fixture
def agent_session(make_session, agent_settings, vetted_playbooks):
    return make_session(agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "model_review": False}))


def test_with_a_model_the_change_is_not_chained_and_no_approval_is_asked(scripted, agent_session, fake_transport):
    """A model that would propose the drain is not asked; nobody is asked to approve; nothing is sent."""
    from netops.agent.events import ApprovalRequestEvent
    from netops.testing.ollama_server import say, tool_call

    scripted.push(tool_call("playbook_run", playbook="router-drain", hosts=["r3"], params={}), say("Drained r3."))
    events = list(agent_session.assistant(approver=None).events("check r3 and if it is healthy, drain it"))
    answer = events[-1].answer
    assert not [e for e in events if isinstance(e, ApprovalRequestEvent)] and not answer.approvals
    assert not fake_transport.configs, fake_transport.configs
    assert "does not make a change on a condition" in answer.text and '("drain r3")' in answer.text, answer.text
    assert {c.tool for c in answer.tool_calls} == {"get_state"}, answer.tool_calls


# -- a hypothetical: nothing predicted; what uses the thing now is read -------------------------------------

from netops.agent.router import route_named  # noqa: E402


@pytest.mark.parametrize("question, host, names", [
    ("would r3 still be healthy if I shut eth-r2 on it?", "r3", ["eth-r2"]),
    ("what breaks if r2 eth-r3 is unplugged?", "r2", ["eth-r3"]),
    ("what's the impact if r1 reboots?", "r1", None),
    ("is it safe to disable eth-r1 on r3?", "r3", ["eth-r1"]),
])
def test_a_what_if_reads_what_uses_it_now_and_predicts_nothing(question, host, names):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("hosts"), r.args.get("_names")) == ("tool", [host], names), r
    assert r.args.get("_also") == ["bgp_neighbors", "ospf_neighbors"] and "does not predict" in r.args["_whatif"]


@pytest.mark.parametrize("question", ["what happens if the hold timer expires?", "what happens if I drain r2?",
                                      "what happens when an ospf interface goes down?",
                                      "what would happen if I change the ospf cost on r1 eth-r2 to 50?"])
def test_a_what_if_of_a_vetted_change_or_of_no_device_is_not_this_read(question):
    r, _ = route_named(question, HOSTS)
    assert not r.args.get("_whatif"), r


def test_offline_the_what_if_is_said_first_and_no_playbook_is_planned(lab):
    got = lab.ask("what would break if eth-r3 on r2 went down?")
    assert {x["getter"] for x in got["reads"]} == {"interfaces", "bgp_neighbors", "ospf_neighbors"}, got
    assert not got.get("change") and got["text"].index("does not predict") < got["text"].index("**interfaces**")


# -- five routing misses ---------------------------------------------------------------------------------------

from types import SimpleNamespace  # noqa: E402

from netops.agent.device_refs import DeviceIndex  # noqa: E402


def _index(data):
    return DeviceIndex.from_inventory([SimpleNamespace(name=h, platform="frr", data=data(i), hostname=f"127.0.0.{i}",
                                                       all_groups=()) for i, h in enumerate(HOSTS, 1)])


WITH_LOOPBACKS = _index(lambda i: {"loopback": f"203.0.113.{i}"})
NO_ADDRESSES = _index(lambda i: {})


@pytest.mark.parametrize("question, topic", [("show the logs", "logs"), ("display arp table", "arp"),
                                             ("do the boxes run lldp?", "lldp")])
def test_a_topic_with_no_typed_read_and_no_device_names_each_devices_command(question, topic):
    r, _ = route_named(question, HOSTS, WITH_LOOPBACKS)
    assert (r.kind, r.intent, r.args.get("topic"), r.args.get("hosts")) == ("unknown", "untyped", topic, HOSTS), r
    assert "nothing was read" in r.reason and 'netops show r1 "' in r.reason or "FRR has no LLDP" in r.reason, r.reason


@pytest.mark.parametrize("question", ["what does lldp do?", "how do I read syslog messages?"])
def test_a_topic_asked_about_in_general_is_not_a_device_command(question):
    assert route_named(question, HOSTS, WITH_LOOPBACKS)[0].intent != "untyped"


@pytest.mark.parametrize("question, host, prefix", [
    ("r2 cannot see r1's loopback", "r2", "203.0.113.1"),
    ("is the loopback of r2 in r3's routing table?", "r3", "203.0.113.2"),
    ("does r1 have a route to r3's loopback address", "r1", "203.0.113.3"),
])
def test_a_loopback_said_by_its_device_is_the_inventorys_address_looked_up(question, host, prefix):
    r, notes = route_named(question, HOSTS, WITH_LOOPBACKS)
    assert r.kind == "tool" and r.args.get("prefix") == prefix and host in (r.args.get("hosts") or [r.args.get("host")])
    assert any(prefix in n for n in notes), notes


def test_latency_with_no_inventory_address_says_nothing_is_measured():
    """It said only that the inventory gives r3 no loopback, with a made-up address to ask with."""
    r, _ = route_named("rtt from r2 to r3", HOSTS, NO_ADDRESSES)
    assert r.kind == "unknown" and "latency and packet loss are not measured" in r.reason, r


@pytest.mark.parametrize("question", ["any mismatch of mtu?", "mtu mismatches on the links?", "are there mtu problems anywhere?"])
def test_an_mtu_mismatch_naming_no_device_reads_every_devices_interfaces(question):
    r, _ = route_named(question, HOSTS, WITH_LOOPBACKS)
    assert (r.args.get("getter"), r.args.get("hosts"), r.args.get("_mtu")) == ("interfaces", HOSTS, True), r


@pytest.mark.parametrize("question", ["what is an mtu mismatch?", "why does an mtu mismatch keep ospf in exstart?"])
def test_an_mtu_mismatch_asked_about_in_general_is_the_documents(question):
    assert route_named(question, HOSTS, WITH_LOOPBACKS)[0].kind == "spec"


def test_the_mtu_answer_compares_both_ends_of_each_link():
    from netops.agent.offline import mtu_line

    index = DeviceIndex.from_inventory([SimpleNamespace(
        name=h, platform="frr", hostname="127.0.0.1", all_groups=(),
        data={"interfaces": {f"eth-{o}": {"address": a} for o, a in links}})
        for h, links in (("r1", [("r2", "198.51.100.1/30")]), ("r2", [("r1", "198.51.100.2/30")]))])

    def read(mtu):
        return SimpleNamespace(ok=True, data=SimpleNamespace(interfaces=[SimpleNamespace(name=n, mtu=mtu) for n in
                                                                         ("eth-r1", "eth-r2")]))
    assert "r1 eth-r2 1500 / r2 eth-r1 9000" in mtu_line({"r1": read(1500), "r2": read(9000)}, index)
    assert mtu_line({"r1": read(1500), "r2": read(1500)}, index).startswith("**No MTU mismatch:**")


def test_a_change_of_targets_picked_by_their_state_is_not_a_conditional(lab):
    """'reset bgp if it is not up' is fleet_change's (what is down read, nothing changed), not a condition."""
    got = lab.ask("clear bgp if it is not established")
    assert "on a condition" not in got["text"], got["text"]


def test_a_condition_netops_cannot_read_is_said_in_one_line(lab):
    got = lab.ask("if the weather is fine, drain r2")
    assert "is not something netops can read" in got["text"] and "ollama" not in got["text"], got["text"]
    assert not got.get("reads") and '("drain r2")' in got["text"], got


@pytest.mark.parametrize("question", ["did we drain r2? if not, drain it", "did anyone undrain r1? if so, drain it again"])
def test_a_request_after_a_past_change_stays_a_request(question):
    assert route(question, HOSTS).kind == "change"
