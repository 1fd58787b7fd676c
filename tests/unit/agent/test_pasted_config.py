"""Configuration pasted into a question of several lines is text the person asks about, not the
devices to read (trial17: "<a BGP config naming r2 in a description>\\nwhat does this config do?"
read r2's running configuration)."""

from __future__ import annotations

import pytest

from netops.agent.router import pasted_config_lines, route, without_pasted_config

HOSTS = ["r1", "r2", "r3"]

BGP = ("router bgp 65001\n neighbor 198.51.100.2 remote-as 65002\n neighbor 198.51.100.2 description r2\n!\n")
JUNOS = "set interfaces ge-0/0/0 description to-r3\nset protocols bgp group ext neighbor 198.51.100.6\n"


@pytest.mark.parametrize("question", [
    BGP + "what does this config do?",
    "what does this config do?\n" + BGP,
    JUNOS + "explain these lines",
    "interface eth-r2\n description link to r2\n ip ospf cost 10\nwhy would the cost be 10 here?",
])
def test_a_device_named_only_in_pasted_configuration_is_not_read(question):
    r = route(question, HOSTS)
    assert not (r.kind == "tool" and r.args.get("hosts")), r


@pytest.mark.parametrize("question, hosts", [
    (BGP + "is this configured on r1?", ["r1"]),   # the device the person's own words name
    ("bgp on r1\nand r2?", ["r1", "r2"]),          # two lines of the person's own, no configuration
    ("interface eth-r2 on r1\nis it up?", ["r1"]),  # one line that starts like configuration is a question
])
def test_the_persons_own_lines_still_name_the_devices(question, hosts):
    r = route(question, HOSTS)
    assert r.kind == "tool" and r.args.get("hosts") == hosts, r


def test_blanking_keeps_the_length_and_leaves_single_lines_alone():
    q = BGP + "what does this config do?"
    out = without_pasted_config(q)
    assert len(out) == len(q) and "r2" not in out and out.endswith("what does this config do?")
    assert without_pasted_config("router bgp 65001") == "router bgp 65001"
    assert without_pasted_config(BGP) == BGP  # nothing but configuration: nothing to tell apart


# --- configuration pasted with nothing else, or with a request to apply it (trial21) ------------
# "router bgp 65001 / neighbor 10.0.0.2 remote-as 65002 / interface eth0" pasted alone read every
# router's BGP sessions; "<neighbor X shutdown>\napply this on r1" proposed bgp-neighbor-shutdown.

BRIEF = "router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\ninterface eth0\n ip address 10.0.0.1/30\n"
FLAT = "router bgp 65001\nneighbor 10.0.0.2 remote-as 65002\ninterface eth0\n"
SHUT = "router bgp 65001\n neighbor 198.51.100.2 shutdown\n"
COST = "interface eth-r2\n ip ospf cost 50\n!\nrouter ospf\n network 10.0.0.0/30 area 0\n"
ALONE = [BRIEF, FLAT, SHUT, COST, BGP, JUNOS, SHUT + "!\nend\n"]
APPLY = [SHUT + "apply this on r1", "push this to r1:\n" + SHUT, "interface eth-r2\n ip ospf cost 50\nput that on r1",
         "configure r1 with this:\n" + COST, SHUT + "please commit the above to r1", "apply on r1\n" + SHUT,
         SHUT + "can you load these lines on r1?"]


@pytest.mark.parametrize("question", ALONE)
def test_offline_configuration_alone_reads_nothing_and_says_what_netops_can_do(question, make_assistant, fake_transport):
    answer = make_assistant().ask(question, offline=True)
    assert not fake_transport.sent and not fake_transport.configs and answer.change is None
    assert not answer.tool_calls and not answer.refused
    assert "no device was read" in answer.text and "vetted playbook" in answer.text
    assert "what does this config do?" in answer.text


@pytest.mark.parametrize("question", APPLY)
def test_offline_a_request_to_apply_pasted_configuration_is_refused_with_the_playbook_path(
        question, make_assistant, fake_transport):
    answer = make_assistant().ask(question, offline=True)
    assert not fake_transport.sent and not fake_transport.configs and answer.change is None
    assert answer.refused and answer.exit_code == 5
    assert "never applies configuration typed or pasted" in answer.text and "netops playbook list" in answer.text


@pytest.mark.parametrize("question", [BRIEF, SHUT + "apply this on r1"])
def test_with_a_model_pasted_configuration_is_not_given_to_the_model_nor_read(question, scripted, make_assistant,
                                                                              fake_transport):
    from netops.testing.ollama_server import say

    scripted.push(say("This shuts down the neighbor."))
    answer = make_assistant().ask(question)
    assert not fake_transport.sent and not fake_transport.configs and answer.change is None
    assert not scripted.requests
    assert "vetted playbook" in answer.text


def test_a_change_the_model_proposes_from_pasted_lines_is_not_bound():
    """The binding rule itself: lines pasted above "apply this on r1" are not the person's words."""
    from types import SimpleNamespace

    from netops.agent.intent import check_intent

    plan = SimpleNamespace(playbook="bgp-neighbor-shutdown", hosts=["r1"], params={"neighbor": "198.51.100.2"})
    assert not check_intent(SHUT + "apply this on r1", plan, hosts=HOSTS).bound
    assert check_intent("shut down BGP neighbor 198.51.100.2 on r1", plan, hosts=HOSTS).bound


def test_a_question_about_pasted_configuration_still_reads_the_device_the_person_names(make_assistant, fake_transport):
    answer = make_assistant().ask(SHUT + "is this configured on r1?", offline=True)
    assert answer.change is None and not fake_transport.configs
    assert {h for h, _ in fake_transport.sent} == {"r1"}


# --- review21: one pasted line, prose lines that start like configuration, questions about the paste --

ONE_LINE = ["neighbor 198.51.100.2 shutdown\napply this on r1", "apply this on r1:\nneighbor 198.51.100.2 shutdown"]


@pytest.mark.parametrize("question", ONE_LINE)
def test_one_pasted_line_the_persons_words_point_at_is_pasted_too(question, make_assistant, fake_transport):
    """T1: the fix held only for a paste of two lines or more; one line above "apply this on r1"
    still bound and proposed bgp-neighbor-shutdown."""
    from types import SimpleNamespace

    from netops.agent.intent import check_intent

    plan = SimpleNamespace(playbook="bgp-neighbor-shutdown", hosts=["r1"], params={"neighbor": "198.51.100.2"})
    assert not check_intent(question, plan, hosts=HOSTS).bound
    answer = make_assistant().ask(question, offline=True)
    assert answer.refused and answer.change is None and not fake_transport.configs
    assert "never applies configuration typed or pasted" in answer.text


@pytest.mark.parametrize("question", [
    "bgp summary on r1\nbgp summary on r2", "set ospf cost 50 on eth-r2 of r1\nset ospf cost 50 on eth-r2 of r3",
    "no idea why r1 lost its bgp session\nlog says hold timer expired",
    "interface eth0 on r1 keeps flapping\nlog shows carrier loss",
    "network 10.0.0.0/24 is unreachable from r1\nnetwork 10.0.1.0/24 too", "system uptime on r1\nsystem uptime on r2",
    "vlan 10 on sw1\nvlan 20 on sw1"])
def test_a_persons_lines_that_start_like_configuration_are_asked_as_written(question):
    """T2: every such two-line question was answered "This is configuration you pasted", nothing read
    (a real change request among them)."""
    from netops.agent import pasted

    assert pasted.answer(question) is None
    assert not any(pasted_config_lines(question))


def test_a_description_holds_free_text():
    q = "interface eth0\n description link to r2 on port 5, it is primary\n ip address 10.0.0.1/30"
    assert all(pasted_config_lines(q))


@pytest.mark.parametrize("question, refused", [
    (SHUT + "what does this config do with the neighbor?", False),
    (SHUT + "why does this config send updates with next-hop self?", False),
    (SHUT + "how would I use this to peer with r2?", False),
    (SHUT + "can you apply this on r1?", True),
    ("neighbor 198.51.100.2 shutdown\nwhat does this do?", False),
])
def test_a_question_about_the_paste_is_not_a_request_to_apply_it(question, refused):
    """T3: "what does this config do with the neighbor?" was refused as "This asks to apply"."""
    from netops.agent import pasted

    said = pasted.answer(question)
    assert (said is not None and said[1]) == refused, said


@pytest.mark.parametrize("question", ["ip ospf cost 50\npush that to eth-r2 on r1",
                                      "neighbor 198.51.100.2 shutdown\nput it on r1 please"])
def test_one_pasted_line_pointed_at_with_that_or_it_binds_nothing(question, make_assistant, fake_transport):
    """'this' above or below a lone configuration line made it a paste (review21 T1), 'that' and 'it'
    did not: 'ip ospf cost 50' / 'push that to eth-r2 on r1' was matched to ospf-cost on r1 from the
    pasted words and bound (review21, on main after 845e384)."""
    from types import SimpleNamespace

    from netops.agent.intent import check_intent

    plans = [SimpleNamespace(playbook="ospf-cost", hosts=["r1"], params={"interface": "eth-r2", "cost": 50}),
             SimpleNamespace(playbook="bgp-neighbor-shutdown", hosts=["r1"], params={"neighbor": "198.51.100.2"})]
    assert not any(check_intent(question, p, hosts=HOSTS).bound for p in plans)
    answer = make_assistant().ask(question, offline=True)
    assert answer.change is None and not fake_transport.configs, answer.text
    assert "matched from your words" not in answer.text


@pytest.mark.parametrize("question", ["bgp summary on r1\nis that normal?", "ip route 10.0.0.0/8\nwhy is that missing on r1?"])
def test_that_in_a_question_does_not_make_a_line_a_paste(question):
    from netops.agent.router import pasted_config_lines

    assert pasted_config_lines(question) == pasted_config_lines(question.replace("that", "the route"))
