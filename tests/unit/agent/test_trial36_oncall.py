"""What a junior engineer typed on a first on-call night (helper trial36, 2026-12-04; lab 72 with a
wrong remote-as on r2, a route-map dropping r3's customer prefix on r1 and r1's eth-r3 flapping;
SmolLM2 on llama.cpp; /work/coord/trial36-log.md):

- "something is broken", "customers say slow", "the network is down" read nothing: the model alone
  answered with twelve numbered lines of advice and "No evidence". Trouble said with no device (or
  with "something", "customers", "users" as the subject) is the sweep of every device, as "is
  everything healthy?" is; "r2 is down" / "r1 seems dead" (a statement, not a question) is r2's
  health read, as "is r2 down?" was.
- "bgp neighbours r 2" searched the RFCs: an inventory name typed with a space ("r 2") is that name,
  said in a note.
- "is r2 ok?" / "whats wrong w/ r2" with a model: netops's own findings listed r2's Idle session among
  the rest, and nothing said that this was what is wrong (offline leads with "Not healthy: r2: a BGP
  session is not Established"); the grounded answer now leads with the same verdict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.device_refs import DeviceIndex, resolve
from netops.agent.router import HEALTH_GETTERS, SWEEP_GETTERS, route, route_named
from netops.testing.ollama_server import say

from tests._phrasings import REPO, bench

HOSTS = ["r1", "r2", "r3"]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr"


def test_the_trial36_set_misses_nothing_and_is_safe():
    res = bench.run(Path(__file__).parent / "data" / "state_phrasings_trial36.yaml")
    assert res["unsafe"] == 0 and res["read_failed"] == 0
    assert [r["text"] for r in res["results"] if not r["ok"]] == []


@pytest.mark.parametrize("question", [
    "something is broken", "something's wrong", "something wrong?", "something is off", "customers say slow",
    "users complaining the network is slow", "the network is slow", "network is down", "is the internet down",
    "hey, something is broken"])
def test_trouble_with_no_device_named_is_every_devices_sweep(question):
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.intent, r.args.get("hosts"), [r.args.get("getter"), *r.args.get("_also", [])]) == \
        ("tool", "health", HOSTS, list(SWEEP_GETTERS)), r
    assert r.args.get("_fleet") is True


@pytest.mark.parametrize("question, host", [("r2 is down", "r2"), ("r1 seems dead", "r1"), ("r3 is slow", "r3"),
                                            ("customers say r2 is slow", "r2"), ("r1 keeps flapping", "r1")])
def test_trouble_said_of_one_device_is_its_health_read(question, host):
    r = route(question, HOSTS)
    assert (r.kind, r.intent, r.args.get("hosts")) == ("tool", "health", [host]), r
    assert [r.args.get("getter"), *r.args.get("_also", [])] == list(HEALTH_GETTERS)


@pytest.mark.parametrize("question", ["tell me something about ospf", "what is slow start in tcp?",
                                      "why is bgp slow to converge?", "something about the bgp hold time",
                                      "r1 is down for maintenance"])
def test_other_words_are_not_the_sweep(question):
    r, _ = route_named(question, HOSTS)
    assert not (r.kind == "tool" and r.intent == "health"), r


INDEX = DeviceIndex(list(HOSTS) + ["pe-12"])


@pytest.mark.parametrize("question, read, note", [
    ("bgp neighbours r 2", "bgp neighbours r2", "'r 2' read as r2"),
    ("is R 2 ok", "is r2 ok", "'R 2' read as r2"),
    ("pe 12 status", "pe-12 status", "'pe 12' read as pe-12")])
def test_a_name_typed_with_a_space_is_that_name(question, read, note):
    res = resolve(question, INDEX)
    assert (res.question, res.notes) == (read, [note])


@pytest.mark.parametrize("question", ["rfc 4271 hold time", "area 0 on r1", "r 23", "r 1.5", "r2 and r 2"])
def test_other_spaced_words_stay_as_typed(question):
    assert resolve(question, INDEX).question == question


def test_bgp_neighbours_r_2_reads_r2():
    r, notes = route_named("bgp neighbours r 2", HOSTS, DeviceIndex(list(HOSTS)))
    assert (r.kind, r.args.get("hosts"), r.args.get("getter")) == ("tool", ["r2"], "bgp_neighbors"), r
    assert notes == ["'r 2' read as r2"]


def _r1_r2_down(fake_transport):
    for f in (FIXTURES / "r1-r2-down" / "r1").glob("*.txt"):
        fake_transport.outputs["r1"][f.stem] = f.read_text()


def test_a_devices_health_with_a_model_leads_with_the_verdict(scripted, make_assistant, fake_transport):
    from netops.agent.grounding import OWN_FINDINGS

    _r1_r2_down(fake_transport)
    scripted.push(say("The source is a bug in the bgp neighbour service [1]."))
    answer = make_assistant().ask("whats wrong w/ r1")
    # the verdict leads the answer, as every verdict of netops's own (trialfix36: it led only the findings)
    assert answer.text.startswith("**Not healthy:** r1: a BGP session is not Established.\n\n"), answer.text
    assert answer.text.split("\n\n")[1] == f"**{OWN_FINDINGS}:**", answer.text
    assert answer.text.count("Not healthy") == 1, answer.text


def test_a_healthy_device_with_a_model_says_nothing_read_is_down(scripted, make_assistant):
    from netops.agent.grounding import OWN_FINDINGS

    scripted.push(say("The source is a bug in the bgp neighbour service [1]."))
    answer = make_assistant().ask("is r2 ok?")
    assert answer.text.startswith("**Nothing read is down** on r2"), answer.text
    assert answer.text.split("\n\n")[1] == f"**{OWN_FINDINGS}:**", answer.text


def test_a_supported_answer_follows_the_verdict(scripted, make_assistant, fake_transport):
    _r1_r2_down(fake_transport)
    scripted.push(say("r1 runs FRRouting [1]."))
    answer = make_assistant().ask("is r1 ok?")
    head, _, rest = answer.text.partition("\n\n")
    assert head == "**Not healthy:** r1: a BGP session is not Established.", answer.text
    assert rest.startswith("r1 runs FRRouting [1]") and "Not healthy" not in rest, answer.text


@pytest.mark.parametrize("previous, question", [("whats wrong w/ r3", "since when?"), ("bgp neighbours on r2", "how long?"),
                                                ("bgp neighbours on r2", "and since when?"),
                                                ("ospf neighbours on r1", "for how long now?")])
def test_since_when_alone_asks_the_age_of_the_state_just_read(previous, question):
    """'since when?' after r3's health read was "about nothing netops can read": it is the same read
    again, whose rows say how long each session has been up, or (FRR) down."""
    from netops.agent.router import followup

    assert followup(question, previous, HOSTS) == previous


@pytest.mark.parametrize("previous, question", [("what is the bgp hold time", "since when?"), ("drain r2", "since when?"),
                                                ("bgp neighbours on r2", "since when does rfc 4271 exist?")])
def test_since_when_carries_no_change_and_no_other_question(previous, question):
    from netops.agent.router import followup

    assert followup(question, previous, HOSTS) == question


@pytest.mark.parametrize("said", ["1. The source is in [1].\n2.", "- The source is in [1].\n-", "The source is in [1].\n\n---"])
def test_nothing_but_list_numbers_left_of_the_model_is_not_shown(scripted, make_assistant, said):
    """Seen on lab 72 ("whats wrong w/ r 2"): under netops's findings, "The model's answer (not
    supported ...)" headed a paragraph holding only "(⚠ not supported by the sources)": the one sentence
    was left out (it only pointed at the sources), and what was left of its list was shown, marked."""
    from netops.agent.grounding import MODEL_UNSUPPORTED

    scripted.push(say(said))
    answer = make_assistant().ask("is r2 ok?")
    assert MODEL_UNSUPPORTED not in answer.text and "⚠" not in answer.text, answer.text
    assert "1 sentence of the model's answer left out" in answer.text


def test_a_follow_up_of_a_name_typed_with_a_space():
    """Lab 72: "since when?" after "whats wrong w/ r 2" was still "about nothing netops can read": the
    follow-up rule saw no device in "r 2"."""
    from netops.agent.router import followup, meaning

    assert followup("since when?", "whats wrong w/ r 2", HOSTS) == "whats wrong w/ r2"
    assert followup("and r 3?", "bgp neighbours on r1", HOSTS) == "bgp neighbours on r3"
    assert followup("bgp on r 3", "bgp neighbours on r1", HOSTS) == "bgp on r 3"  # whole on its own: as typed
    assert meaning(["whats wrong w/ r 2", "and r3?", "since when?"], HOSTS) == "whats wrong w/ r3"


def test_since_when_in_the_chat_path_re_reads(scripted, make_assistant):
    assistant = make_assistant()
    scripted.push(say("r2 runs FRRouting [1]."))
    cid = assistant.ask("whats wrong w/ r 2").conversation_id
    scripted.push(say("r2 runs FRRouting [1]."))
    answer = assistant.ask("since when?", conversation_id=cid)
    assert [c.args.get("hosts") for c in answer.tool_calls][:1] == [["r2"]], answer.text


def test_the_count_under_the_session_between_two_routers_counts_that_session_only():
    """Lab 72: under r2's and r3's rows of their one session, the Found line said "3 of 4 BGP sessions
    not Established", counting r3's (flapping) session to r1 that the rows did not show."""
    from types import SimpleNamespace as NS

    from netops.agent.offline import fleet_summary
    from netops.devices.models import BgpNeighbor, BgpNeighbors

    def nb(peer, up):
        return BgpNeighbor(peer=peer, state="Established" if up else "Idle", established=up)

    agg = {"r2": NS(ok=True, data=BgpNeighbors(neighbors=[nb("198.51.100.1", True), nb("198.51.100.6", False)])),
           "r3": NS(ok=True, data=BgpNeighbors(neighbors=[nb("198.51.100.5", False), nb("198.51.100.9", False)]))}
    line = fleet_summary("bgp_neighbors", agg, {"_found": True, "_peers": {"r2": "198.51.100.6", "r3": "198.51.100.5"}})
    assert line == "**Found:** 2 of 2 BGP sessions not Established: r2 198.51.100.6 (Idle), r3 198.51.100.5 (Idle)."
    # a side whose peer could not be resolved keeps all its sessions (nothing hidden)
    line = fleet_summary("bgp_neighbors", agg, {"_found": True, "_peers": {"r2": "198.51.100.6", "r3": None}})
    assert line.startswith("**Found:** 3 of 3 BGP sessions not Established")


@pytest.mark.parametrize("question, said", [
    ("what is a bgp notification message",
     "A bgp notification message is a security breach that compromised the integrity of the network. [1] "
     "*(⚠ not supported by the sources)*"),
    ("is r2 ok?", "r2 runs FRRouting [1]. (⚠ contradicted by source 3)")])
def test_a_check_mark_the_model_copied_is_not_kept(scripted, make_assistant, question, said):
    """Lab 72: SmolLM2 copied "(⚠ not supported by the sources)" from its earlier answer in the chat, and
    the check added its own: the sentence showed two marks, the first of them the model's."""
    scripted.push(say(said))
    answer = make_assistant().ask(question)
    assert answer.text.count("⚠") <= 1, answer.text
    assert "contradicted by source 3" not in answer.text, answer.text


def test_a_remote_as_that_is_not_the_far_ends_as_is_said():
    """Lab 72: r2's session to r3 Idle on both sides (r2: `neighbor 198.51.100.6 remote-as 65033`; r3 is
    AS 65003): the sweep listed both Idle rows and the two local AS numbers apart; nothing said why."""
    from types import SimpleNamespace as NS

    from netops.agent.offline import fleet_summary
    from netops.devices.models import BgpNeighbor, BgpNeighbors

    def nb(peer, asn, name, up=False, **kw):
        return BgpNeighbor(peer=peer, remote_as=asn, state="Established" if up else "Idle", established=up,
                           description=name, **kw)

    agg = {"r1": NS(ok=True, data=BgpNeighbors(local_as=65001, neighbors=[nb("198.51.100.2", 65002, "r2", True)])),
           "r2": NS(ok=True, data=BgpNeighbors(local_as=65002, neighbors=[nb("198.51.100.1", 65001, "r1", True),
                                                                          nb("198.51.100.6", 65033, "r3")])),
           "r3": NS(ok=True, data=BgpNeighbors(local_as=65003, neighbors=[nb("198.51.100.5", 65002, "r2")]))}
    line = fleet_summary("bgp_neighbors", agg, {"_fleet": True})
    assert line.endswith("**AS mismatch:** r2 expects AS 65033 from 198.51.100.6 (r3), but r3's BGP runs as AS 65003."), line
    assert line.count("AS mismatch") == 1  # r3's side expects 65002 and r2 is 65002: no mismatch there
    # the far end not read (one router asked about), or a peer shut on purpose: nothing said
    assert "mismatch" not in fleet_summary("bgp_neighbors", {"r2": agg["r2"]}, {"_fleet": True})
    agg["r2"].data.neighbors[1].admin_down = True
    assert "mismatch" not in fleet_summary("bgp_neighbors", agg, {"_fleet": True})


@pytest.mark.parametrize("question", ["is anything flapping?", "anything flapping", "what's flapping?",
                                      "is something bouncing right now"])
def test_anything_flapping_is_the_sweep_with_the_shortest_uptimes(question):
    """Lab 72, r1's eth-r3 down 20 s every minute: "is anything flapping?" was no known intent ("is any
    link flapping" and "which bgp sessions flapped?" were reads). No history is kept: the sweep, and
    for BGP the count "which sessions flapped?" gives (down now; the shortest uptime of those up)."""
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("hosts"), [r.args.get("getter"), *r.args.get("_also", [])]) == \
        ("tool", HOSTS, list(SWEEP_GETTERS)), r
    assert r.args.get("_reset") is True


def test_a_plain_sweep_keeps_its_plain_count():
    r, _ = route_named("is anything broken?", HOSTS)
    assert r.args.get("_fleet") is True and not r.args.get("_reset")


@pytest.mark.parametrize("question, setting", [
    ("ok r2 has the wrong remote as for r3, fix it to 65003", "remote as"),
    ("fix the remote-as on r2 for r3", "remote-as"), ("remove the route-map on r1", "route-map"),
    ("change the bgp password on r1", "bgp password")])
def test_a_change_of_a_setting_no_playbook_changes_says_which(settings, question, setting):
    """Lab 72, the cause found: "ok r2 has the wrong remote as for r3, fix it to 65003" was read as "fix
    what's down on r2 and r3" (the sweep, then "bgp-neighbor-enable only brings back a neighbour shut by
    configuration"), never that no vetted playbook changes a remote-as."""
    from netops.agent.change_intent import match_change, playbooks_from
    from netops.agent.fleet_change import picked
    from netops.playbook.catalogue import Catalogue

    assert picked(question, HOSTS) is None
    m = match_change(question, playbooks_from(Catalogue(settings.model_copy(update={"playbooks_dir": REPO / "playbooks"}))), HOSTS)
    assert m.kind == "unmatched" and f"none changes the {setting}" in m.reason, m


@pytest.mark.parametrize("question", ["fix whatever is down", "clear the bgp peers that are down",
                                      "bring up every interface that is down"])
def test_a_change_picked_by_state_is_still_read_first(question):
    from netops.agent.fleet_change import picked

    assert picked(question, HOSTS) is not None


@pytest.mark.parametrize("question, target", [
    ("customers cant reach 203.0.113.130", "203.0.113.130"), ("203.0.113.128/25 is unreachable", "203.0.113.128/25"),
    ("nobody can get to 203.0.113.130", "203.0.113.130"), ("is 203.0.113.130 reachable?", "203.0.113.130")])
def test_a_destination_nobody_reaches_is_every_routers_route_to_it(question, target):
    """Lab 72 (r1 dropping r3's 203.0.113.128/25 by a route-map): "customers cant reach 203.0.113.130"
    searched the runbooks. With no router named it is "which routers lack it?": r3 has it, r1 and r2 not."""
    r, _ = route_named(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("hosts")) == ("tool", "route", HOSTS), r
    assert target in (r.args.get("prefix"), r.args.get("_prefix")), r.args


@pytest.mark.parametrize("question", ["what does unreachable mean for 203.0.113.1?", "icmp unreachable",
                                      "customers cant reach the portal"])
def test_other_unreachable_words_are_not_the_fleet_route_read(question):
    r, _ = route_named(question, HOSTS)
    assert not (r.kind == "tool" and r.args.get("getter") == "route"), r


def test_a_named_source_keeps_its_own_reachability_read():
    r, _ = route_named("r1 cant reach 203.0.113.130", HOSTS)
    assert r.args.get("hosts") == ["r1"]
