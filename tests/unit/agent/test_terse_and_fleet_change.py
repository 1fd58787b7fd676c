"""What trial13 left (helper "trial14", 2026-12-03; blind set state_phrasings_trial14.yaml):

- a terse setting with a value and no verb ("r1 eth-r3 mtu 1500 pls", "r2 hold timer 30", "eth-r2 mtu
  9000 on r1") read r1's interfaces as if that answered it: it reads as a change request, and no vetted
  playbook does it, so it gets netops's refusal, which also says how to ask for the value. The same words
  as a question ("r1 eth-r3 mtu?", "mtu of r1 eth-r3", "r1 eth-r3 mtu 1500?") stay reads;
- a change no vetted playbook does asked of the whole fleet ("please turn on lldp on all the routers")
  matched nothing (offline) or went to the model: the same refusal, with a model as without one;
- a health question about an inventory group ("is the lab healthy?") matched nothing: the group's
  devices are swept, as "is the network healthy?" sweeps every device.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netops.agent.change_intent import match_change
from netops.testing.ollama_server import say
from tests._phrasings import bench

REPO = Path(__file__).resolve().parents[3]

REFUSAL = "no vetted playbook does this"
HOSTS = ["r1", "r2", "r3"]

TERSE = ["r1 eth-r3 mtu 1500 pls", "r2 hold timer 30", "eth-r2 mtu 9000 on r1", "r2 keepalive 10 holdtime 30",
         "r1 bgp timers 10 30 please", "mtu=9000 on r2 eth-r1", "r3 hostname core3", "r1 ntp server 192.0.2.10",
         "R1 ETH-R3 MTU 9216"]
TERSE_READS = ["r1 eth-r3 mtu?", "mtu of r1 eth-r3", "r2 eth-r1 mtu", "is the mtu of r1 eth-r3 1500?",
               "r1 eth-r3 mtu 1500?", "which interfaces on r1 have mtu 1500", "r1 interfaces with mtu 1500",
               "r2 route 203.0.113.3", "show r2 hold timer", "r2 uptime", "r1 mtu"]
FLEET = ["please turn on lldp on all the routers", "enable bfd everywhere", "set the mtu to 9000 on every router",
         "configure ntp server 192.0.2.1 on all devices", "can you disable lldp across the fleet?",
         "raise the bgp hold timer to 90 on all routers", "mtu 9000 everywhere"]
FLEET_QUESTIONS = ["what is the mtu on every router?", "how do I enable lldp on all the routers?",
                   "is lldp enabled on all the routers?", "did any router reload?", "which bgp peers are down everywhere?",
                   "has bfd been enabled on every router?"]


def _playbooks():
    from netops.agent.change_intent import PlaybookInfo
    from netops.playbook.spec import load_playbook

    return [PlaybookInfo.from_spec(load_playbook(d).spec) for d in sorted((REPO / "playbooks").iterdir())
            if (d / "playbook.yaml").exists() and not load_playbook(d).spec.read_only]


PLAYBOOKS = _playbooks()


@pytest.mark.parametrize("question", TERSE + FLEET)
def test_a_terse_setting_or_a_fleet_wide_change_no_playbook_does_is_unmatched(question):
    m = match_change(question, PLAYBOOKS, HOSTS, {"lab": HOSTS})
    assert m.kind == "unmatched" and REFUSAL in m.text(), (m.kind, m.text())
    assert "drain r" in m.text() and "for maintenance" in m.text()    # the vetted changes, as examples


@pytest.mark.parametrize("question", TERSE)
def test_the_refusal_of_a_terse_setting_says_how_to_ask_for_its_value(question):
    assert "as a question" in match_change(question, PLAYBOOKS, HOSTS, {"lab": HOSTS}).text()


@pytest.mark.parametrize("question", TERSE_READS + FLEET_QUESTIONS)
def test_the_same_words_as_a_question_are_no_request(question):
    assert match_change(question, PLAYBOOKS, HOSTS, {"lab": HOSTS}).kind == "none"


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("terse"))
    yield h
    h.close()


@pytest.mark.parametrize("question, host", [("r1 eth-r3 mtu?", "r1"), ("mtu of r1 eth-r3", "r1"),
                                            ("r1 eth-r3 mtu 1500?", "r1")])
def test_offline_the_question_forms_still_read_the_interfaces(harness, question, host):
    got = harness.ask(question)
    assert got["expect"] == "read" and {(r["host"], r["getter"]) for r in got["reads"]} == {(host, "interfaces")}, \
        bench._short(got)


@pytest.mark.parametrize("question", ["is the lab healthy?", "how is the lab doing?", "lab health",
                                      "any problems in the lab group?", "status of the lab routers please"])
def test_a_health_question_about_an_inventory_group_sweeps_its_devices(harness, question):
    got = harness.ask(question)
    assert got["expect"] == "read", bench._short(got)
    assert {r["host"] for r in got["reads"]} == {"r1", "r2", "r3"}, bench._short(got)
    assert {"interfaces", "bgp_neighbors", "ospf_neighbors"} <= {r["getter"] for r in got["reads"]}, bench._short(got)
    assert "group lab" in got["text"], got["text"][:300]


@pytest.mark.parametrize("question", ["is pod2 healthy?", "is the network healthy?", "is bgp healthy in the lab?"])
def test_no_group_of_that_name_is_no_group_read(harness, question):
    got = harness.ask(question)
    assert "group lab" not in got["text"], got["text"][:300]


@pytest.fixture
def change_settings(agent_settings, vetted_playbooks):
    return agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks})


@pytest.mark.parametrize("question", ["r1 eth-r3 mtu 1500 pls", "please turn on lldp on all the routers"])
def test_with_a_model_the_refusal_is_netops_own(scripted, make_assistant, change_settings, fake_transport, question):
    scripted.push(say("Done: LLDP is on and the MTU is 1500."))
    assistant = make_assistant(change_settings, approver=None)
    answer = assistant.ask(question)
    offline = assistant.ask(question, offline=True)
    assert REFUSAL in answer.text and "Done" not in answer.text, answer.text
    assert offline.text.split("\n\n", 1)[1] == answer.text
    assert not scripted.requests and not fake_transport.configs and answer.tool_calls == []


def test_with_a_model_the_group_is_read_before_the_model_speaks(scripted, make_assistant, fake_transport):
    scripted.push(say("All three routers look fine [1]."))
    answer = make_assistant().ask("is the lab healthy?")
    read = {(c.args.get("getter"), h) for c in answer.tool_calls
            for h in re.split(r"[,\s]+", str(c.args.get("hosts") or "")) + list(c.args.get("hosts") or [])}
    assert {("interfaces", h) for h in HOSTS} <= read and {("bgp_neighbors", h) for h in HOSTS} <= read, read
