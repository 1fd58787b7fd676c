"""Device questions no typed read answers ("arp table r1", "cpu on r1", "r1 logs", "bfd peers on r1",
"latency r1 to r3"): offline they met "no known intent matched" and, with a model, whatever a small
model made up; "bfd peers on r1" read r1's BGP sessions as if they were asked for. Now each says which
thing netops has no typed read for and the command for the device's own platform to send with
`netops show`, reads nothing and asks no model; where a typed read does hold the answer (router id,
error counters, "who is down", "r2 cant see r3") that read is made. Knowledge questions stay on the
documents; changes stay changes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netops.agent.device_refs import DeviceIndex
from netops.agent.router import TYPED_NOT_READ, route, route_named
from tests._phrasings import bench

HOSTS = ["r1", "r2", "r3"]


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = bench.Harness(tmp_path_factory.mktemp("untyped"))
    yield h
    h.close()


def _index(platforms: dict[str, str]) -> DeviceIndex:
    return DeviceIndex.from_inventory([SimpleNamespace(name=h, platform=p, data={"loopback": f"203.0.113.{i}"}, hostname=f"127.0.0.{i}",
                                                       all_groups=()) for i, (h, p) in enumerate(platforms.items(), 1)])


@pytest.mark.parametrize("question, host, command", [
    ("arp table r1", "r1", "show ip neigh"),
    ("cpu on r1", "r1", "show thread cpu"),
    ("memory usage r3", "r3", "show memory"),
    ("r1 logs", "r1", "show logging"),
    ("bfd peers on r1", "r1", "show bfd peers"),
    ("what vrfs are on r2", "r2", "show vrf"),
])
def test_frr_the_line_names_the_thing_and_frrs_command(question, host, command):
    r, _ = route_named(question, HOSTS, _index({h: "frr" for h in HOSTS}))
    assert r.kind == "unknown" and r.asks and r.reason.startswith(TYPED_NOT_READ), r
    assert f'`netops show {host} "{command}"`' in r.reason, r.reason


@pytest.mark.parametrize("question, platform, command", [
    ("arp table r1", "cisco_ios", "show ip arp"),
    ("lldp neighbors r1", "juniper_junos", "show lldp neighbors"),
    ("cpu on r1", "cisco_nxos", "show system resources"),
    ("is the psu ok on r1", "arista_eos", "show system environment all"),
    ("bfd peers on r1", "cisco_xr", "show bfd session"),
    ("ntp status r1", "huawei_vrp", "display ntp status"),
])
def test_the_command_is_the_devices_platforms(question, platform, command):
    r, _ = route_named(question, HOSTS, _index({"r1": platform, "r2": "frr", "r3": "frr"}))
    assert f'`netops show r1 "{command}"`' in r.reason, r.reason


@pytest.mark.parametrize("question, said", [
    ("lldp neighbors r1", "FRR has no LLDP"),
    ("ntp status r1", "FRR has no NTP"),
    ("r1 temperature", "FRR is software"),
    ("mac address table r1", "FRR routes and keeps no MAC table"),
])
def test_what_the_platform_has_no_command_for_is_said_with_where_it_lives(question, said):
    r, _ = route_named(question, HOSTS, _index({h: "frr" for h in HOSTS}))
    assert said in r.reason and "netops show" not in r.reason, r.reason


def test_a_bfd_question_no_longer_reads_bgp():
    assert route("bfd peers on r1", HOSTS).intent == "untyped"
    assert route("is bfd up between r1 and r2", HOSTS).intent == "untyped"


@pytest.mark.parametrize("question", ["what is ARP?", "what does BFD do?", "RFC for LLDP?", "how does NTP pick a server"])
def test_knowledge_questions_stay_on_the_documents(harness, question):
    assert route(question, HOSTS).intent != "untyped"
    got = harness.ask(question)
    assert got["expect"] == "kb" and TYPED_NOT_READ not in got["text"], got


@pytest.mark.parametrize("question", ["clear the arp table on r1", "reboot r2", "enable lldp on r3"])
def test_changes_stay_changes(question):
    assert route(question, HOSTS).kind == "change"


@pytest.mark.parametrize("question", ["ntp config on r1", "bgp peers in vrf CUST-A on r1", "show run | include logging on r1"])
def test_a_typed_reads_subject_beside_the_word_is_that_read(question):
    r = route(question, HOSTS)
    assert r.kind == "tool" and r.tool == "get_state", r


def test_where_a_typed_read_holds_it_that_read_is_made():
    r = route("whats r2s router id?", HOSTS)
    assert (r.args["hosts"], r.args["getter"], r.args.get("_router_id")) == (["r2"], "bgp_neighbors", True), r
    r = route("crc errors on r1", HOSTS)
    assert (r.args["getter"], r.args.get("_errors")) == ("interfaces", True), r
    r = route("drops on r3", HOSTS)
    assert (r.args["getter"], r.args.get("_errors")) == ("interfaces", True), r
    r = route("who is down", HOSTS)
    assert r.intent == "health" and r.args["hosts"] == HOSTS, r
    for q, pair in (("r2 cant see r3", ["r2", "r3"]), ("r1 lost r2", ["r1", "r2"])):
        r = route(q, HOSTS)
        assert (r.args["getter"], r.args.get("_between")) == ("bgp_neighbors", pair), (q, r)


def test_latency_is_the_route_and_says_nothing_was_measured():
    r, _ = route_named("latency r1 to r3", HOSTS, _index({h: "frr" for h in HOSTS}))
    assert r.args["getter"] == "route" and r.args["_reach"]["verb"] == "latency", r
    r = route("packet loss between r2 and r3", HOSTS)
    assert r.intent == "untyped" and "sends no probes" in r.reason and "is r2 talking to r3?" in r.reason, r


@pytest.mark.parametrize("question, line", [
    ("arp table r1", 'netops show r1 "show ip neigh"'),
    ("cpu on r2", 'netops show r2 "show thread cpu"'),
    ("latency r1 to r3", "netops sends no probes, so latency is not measured"),
])
def test_offline_the_answer_is_the_line_not_a_dead_end(harness, question, line):
    got = harness.ask(question)
    assert line in got["text"] and "no known intent" not in got["text"], got["text"]
    assert not got["other"], got


def test_with_a_model_the_model_is_not_asked(scripted, make_assistant):
    """SmolLM2 given nothing for "arp table r1" would invent a table: the line is the answer."""
    from netops.testing.ollama_server import say

    scripted.push(say("r1's ARP table: 10.0.0.1 aa:bb:cc:dd:ee:ff [1]."))
    answer = make_assistant().ask("arp table r1")
    assert TYPED_NOT_READ in answer.text and "aa:bb:cc" not in answer.text, answer.text
    assert 'netops show r1 "' in answer.text and answer.asks and not answer.tool_calls, answer


def test_a_possessive_without_its_apostrophe_names_the_device_not_a_stray():
    """"are any of r1s peers shut?" was said to name a device 'r1s' the inventory lacks; it is r1's."""
    r, _ = route_named("are any of r1s peers shut?", HOSTS)
    assert r.kind == "tool" and r.args["hosts"] == ["r1"], r
    r, _ = route_named("r1s bgp peers", ["r1", "r1s"])  # a host of that spelling is that host
    assert r.args["hosts"] == ["r1s"], r


def test_the_routers_as_a_whole_are_every_device():
    r = route("which routers have high cpu?", HOSTS)
    assert r.intent == "untyped" and r.args["hosts"] == HOSTS, r
    assert route("cpu on all routers except r3", HOSTS).args["hosts"] == ["r1", "r2"]
