"""State questions engineers ask that used to get the wrong read (found by using netops on the lab):
"is r1 talking to r2?" got `show version`; "which router originates X?" searched the RFCs; "the
mtu on r1's interfaces" showed the configuration; "the session between r1 and r3" listed every
neighbour without its uptime; "the router id of r3" listed interfaces. Over FRR 8.4 captures."""

from __future__ import annotations

import pytest

from netops.agent.offline import duration
from netops.agent.router import related_pair, route

HOSTS = ["r1", "r2", "r3"]


@pytest.mark.parametrize("question, pair", [
    ("is r1 talking to r2?", ("r1", "r2")),
    ("is r1 peering with r3", ("r1", "r3")),
    ("how long has the bgp session between r1 and r3 been up?", ("r1", "r3")),
    ("are r1 and r3 talking?", ("r1", "r3")),
    ("is r2 up with r3?", ("r2", "r3")),
])
def test_a_session_between_two_named_routers_reads_their_bgp_neighbours_narrowed(question, pair):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter")) == ("tool", "bgp_neighbors"), r
    assert r.args["_between"] == list(pair) and r.args["hosts"] == list(pair)


@pytest.mark.parametrize("question", ["bgp neighbors on r1 and r2", "show the bgp peers of r1 and r3",
                                      "bgp summary r1 r2"])
def test_two_routers_listed_side_by_side_keep_their_whole_lists(question):
    r = route(question, HOSTS)
    assert r.args.get("getter") == "bgp_neighbors" and "_between" not in r.args, r
    assert related_pair(question, HOSTS) is None


def test_a_path_question_between_routers_is_not_a_session_question():
    assert route("what is the path from r1 to r2?", HOSTS).args.get("getter") != "bgp_neighbors"


@pytest.mark.parametrize("question, prefix", [
    ("which router originates 203.0.113.128/25?", "203.0.113.128/25"),
    ("who announces 203.0.113.2", "203.0.113.2"),
    ("where does 203.0.113.0/24 come from?", "203.0.113.0/24"),
    ("which device has 203.0.113.3?", "203.0.113.3"),
])
def test_who_originates_a_prefix_asks_every_device(question, prefix):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter")) == ("tool", "route"), r
    assert r.args["hosts"] == HOSTS and r.args["prefix"] == prefix and r.args["_origin"] is True


def test_an_origin_question_with_no_inventory_stays_a_knowledge_question():
    assert route("which router originates 203.0.113.128/25?", []).kind != "tool"


@pytest.mark.parametrize("question", ["what's the router id of r3?", "r1 RID", "bgp router-id on r2"])
def test_router_id_questions_read_the_bgp_identity(question):
    r = route(question, HOSTS)
    assert (r.args.get("getter"), r.args.get("_router_id")) == ("bgp_neighbors", True), r


def test_mtu_is_operational_state_not_configuration():
    r = route("what is the mtu on r1's interfaces?", HOSTS)
    assert (r.args.get("getter"), r.args.get("_mtu")) == ("interfaces", True), r
    # a configured value still reads the configuration
    assert route("what's the ospf cost on r1's interfaces?", HOSTS).args.get("getter") == "config"


@pytest.mark.parametrize("seconds, text", [(12, "12s"), (245, "4m05s"), (7380, "2h03m"), (3 * 86400 + 4 * 3600 + 300, "3d04h05m")])
def test_durations_read_as_engineers_write_them(seconds, text):
    assert duration(seconds) == text


def test_offline_session_between_r1_and_r2_shows_each_side_with_uptime(make_assistant):
    answer = make_assistant().ask("is r1 talking to r2?", offline=True)
    assert "the BGP session between r1 and r2" in answer.text
    r1_part, r2_part = answer.text.split("**r2**")
    assert "- 198.51.100.2 AS65002 (r2): Established, up 30s" in r1_part
    assert "198.51.100.10" not in r1_part          # r1's session to r3 is not this session
    assert "- 198.51.100.1 AS65001 (r1): Established, up 30s" in r2_part
    assert "198.51.100.6" not in r2_part


def test_offline_session_to_a_router_that_is_not_a_peer_says_so(make_assistant, agent_settings):
    inv = agent_settings.inventory
    inv.write_text(inv.read_text() + "  r4: {hostname: 127.0.1.4, groups: [lab]}\n")
    answer = make_assistant().ask("is r1 peering with r4?", offline=True)
    assert "- no BGP session to r4 found" in answer.text
    assert "198.51.100.2 AS65002" not in answer.text


def test_offline_origin_names_the_router_with_the_connected_route(make_assistant):
    answer = make_assistant().ask("which router originates 203.0.113.2?", offline=True)
    assert "**Originated by:** r2 (connected 203.0.113.2/32)" in answer.text
    assert answer.text.count("show ip route 203.0.113.2 json") == 3


def test_offline_router_id_and_mtu(make_assistant):
    rid = make_assistant().ask("what's the router id of r1?", offline=True)
    assert "- BGP router id 203.0.113.1, local AS 65001" in rid.text and "198.51.100.2" not in rid.text
    mtu = make_assistant().ask("what is the mtu on r1's interfaces?", offline=True)
    assert "- lo: admin up, oper up, MTU 65536" in mtu.text and "MTU 1500" in mtu.text


def test_the_model_is_grounded_on_the_narrowed_session_and_the_origin(scripted, make_assistant):
    from netops.testing.ollama_server import say

    scripted.push(say("r1 and r2 are Established [1]."))
    answer = make_assistant().ask("is r1 talking to r2?")
    assert answer.grounding is not None
    first = answer.grounding.sources[0].text
    assert "198.51.100.2 AS65002 (r2): Established" in first and "198.51.100.10" not in first
    scripted.push(say("r2 originates it [2]."))
    answer = make_assistant().ask("which router originates 203.0.113.2?")
    texts = [s.text for s in answer.grounding.sources]
    assert "Originated by: r2 (connected 203.0.113.2/32)" in texts[1]
    assert not any("Originated by" in t for t in (texts[0], texts[2]))


@pytest.mark.parametrize("question", ["show me r2's routing table", "r2 rib", "what routes does r2 have?"])
def test_the_routing_table_is_every_route(question):
    r = route(question, HOSTS)
    assert (r.kind, r.args.get("getter"), r.args.get("prefix")) == ("tool", "routes", "0.0.0.0/0"), r


def test_an_ipv6_routing_table():
    assert route("show me the ipv6 routing table of r1", HOSTS).args.get("prefix") == "::/0"


@pytest.mark.parametrize("question", ["is ospf healthy everywhere?", "bgp sessions on all routers",
                                      "interfaces down across the network", "ospf neighbours on every router"])
def test_everywhere_means_every_device(question):
    r = route(question, HOSTS)
    assert r.kind == "tool" and r.args["hosts"] == HOSTS, r


def test_errors_ask_for_the_error_counters():
    assert route("are there any errors on r1's interfaces?", HOSTS).args.get("_errors") is True


def test_offline_routing_table_lists_the_chosen_routes(make_assistant):
    answer = make_assistant().ask("show me r2's routing table", offline=True)
    assert "- 203.0.113.3/32 bgp -> 198.51.100.6 via eth-r3" in answer.text
    assert "- 203.0.113.2/32 connected -> directly via lo" in answer.text
    assert "203.0.113.2/32 ospf" not in answer.text           # not chosen: counted, not listed
    assert "more routes the device did not choose: `netops state r2 routes 0.0.0.0/0`" in answer.text


def test_the_model_may_read_the_routing_table_itself(scripted, make_assistant):
    from netops.testing.ollama_server import say, tool_call

    scripted.push(tool_call("get_state", hosts=["r2"], getter="routes"),
                  tool_call("get_state", hosts=["r2"], getter="routes", prefix="0.0.0.0/0"),
                  say("r2 has 203.0.113.3/32 from bgp."))
    answer = make_assistant().ask("anything odd on r2?")
    # r2's health, read before the model speaks (as offline), then the model's own two calls
    assert [c.args.get("getter") for c in answer.tool_calls[:-2]] == ["facts", "interfaces", "bgp_neighbors",
                                                                       "ospf_neighbors"]
    calls = answer.tool_calls[-2:]
    assert [c.tool for c in calls] == ["get_state", "get_state"]
    assert not calls[0].ok and "needs prefix" in (calls[0].error or "") and "0.0.0.0/0" in (calls[0].error or "")
    assert calls[1].ok


@pytest.mark.parametrize("question, name", [("bgp neighbours on r9", "r9"), ("what is r9's routing table?", "r9"),
                                            ("ospf neighbors of core-sw1", "core-sw1")])
def test_a_device_the_inventory_does_not_have_is_named(question, name):
    r = route(question, HOSTS)
    assert r.kind == "unknown" and f"no device named '{name}' in the inventory (it has: r1, r2, r3" in r.reason


@pytest.mark.parametrize("question", ["what does rfc 4271 say about bgp peers on ipv6", "bgp neighbors on r1",
                                      "interfaces down on eth0", "ospfv3 neighbours on r2",
                                      "which interfaces are on vlan100", "ospf routes of area0", "bgp peers of AS65001"])
def test_words_that_are_not_devices_are_not_called_unknown_devices(question):
    assert "no device named" not in route(question, HOSTS).reason


def test_offline_unknown_device_is_one_plain_line(make_assistant):
    answer = make_assistant().ask("bgp neighbours on r9", offline=True)
    assert "no device named 'r9' in the inventory" in answer.text
    assert "none is reachable" not in answer.text and not answer.tool_calls


def test_with_a_model_an_unknown_device_is_not_guessed_at(scripted, make_assistant):
    from netops.testing.ollama_server import say

    scripted.push(say("r9 has 4 neighbours, all Established."))
    answer = make_assistant().ask("bgp neighbours on r9")
    assert answer.text.startswith("No device named 'r9' in the inventory")
    assert "Established" not in answer.text and not scripted.requests
    assert "the model was not asked" in (answer.notice or "")


def test_device_sources_are_separated_by_a_blank_line(scripted, make_assistant):
    from netops.agent.grounding import own_findings

    answer = make_assistant().ask("bgp neighbours on r1 and r2", offline=False)
    text = own_findings(answer.grounding, model_text=None)
    assert "\n\n[2] r2:" in text


@pytest.mark.parametrize("question, want", [
    ("is ospf healthy on all routers except r3?", ["r1", "r2"]),
    ("bgp everywhere but r2", ["r1", "r3"]),
    ("ospf neighbours on every router other than r1", ["r2", "r3"]),
    ("is ospf healthy everywhere?", ["r1", "r2", "r3"]),
])
def test_everywhere_except_a_router_reads_the_others(question, want):
    """'on all routers except r3' read r3 alone: the one device the person left out."""
    r = route(question, HOSTS)
    assert r.kind == "tool" and r.args["hosts"] == want, r


def test_a_default_route_does_not_make_a_router_the_originator():
    """A static default (or any covering static) on r1 matches every address: r1 was named the
    originator of 203.0.113.5, which r3 has as a connected route."""
    from netops.agent.offline import originator
    from netops.devices.models import NextHop, RouteLookup
    from netops.devices.results import HostResult

    agg = {"r1": HostResult("r1", True, data=RouteLookup(query="203.0.113.5", found=True, prefix="0.0.0.0/0",
                                                         protocol="static", next_hops=[NextHop(address="192.0.2.1")])),
           "r2": HostResult("r2", True, data=RouteLookup(query="203.0.113.5", found=True, prefix="203.0.113.0/24",
                                                         protocol="ospf", next_hops=[NextHop(address="10.0.23.3")])),
           "r3": HostResult("r3", True, data=RouteLookup(query="203.0.113.5", found=True, prefix="203.0.113.0/24",
                                                         protocol="connected"))}
    own, line = originator("203.0.113.5", agg)
    assert own == ["r3"], line
    del agg["r3"]
    own, line = originator("203.0.113.5", agg)
    assert own == [] and "r1" not in line, line


def test_offline_session_between_two_routers_in_a_vrf_finds_the_vrf_session(make_assistant, fake_transport, scripted):
    """'is r1 talking to r3 in vrf CUST-A?': r1's neighbours were read in CUST-A but r3 was looked
    up in the default VRF (198.51.100.10), so the answer said r1 had no session to r3 while its
    CUST-A session to r3 (10.1.3.3) was Established. FRR capture of the lab, plus a CUST-A VRF."""
    import json

    from tests.unit.agent.conftest import FIXTURES

    doc = json.loads((FIXTURES / "lab-r1" / "show_bgp_vrf_all_summary_json.txt").read_text())
    vrf = json.loads(json.dumps(doc["default"]))
    vrf["ipv4Unicast"].update(vrfName="CUST-A", vrfId=7, peers={"10.1.3.3": vrf["ipv4Unicast"]["peers"]["198.51.100.10"]})
    doc["CUST-A"] = vrf
    fake_transport.outputs["r1"]["show bgp vrf all summary json"] = json.dumps(doc)
    answer = make_assistant().ask("is r1 talking to r3 in vrf CUST-A?", offline=True)
    r1_part = answer.text.split("**r3**")[0]
    assert "- 10.1.3.3 AS65003 (r3): Established" in r1_part, answer.text
    assert "no BGP session to r3" not in r1_part
    from netops.testing.ollama_server import say

    scripted.push(say("r1 and r3 are Established in CUST-A [1]."))
    grounded = make_assistant().ask("is r1 talking to r3 in vrf CUST-A?")
    first = grounded.grounding.sources[0].text
    assert "10.1.3.3 AS65003 (r3): Established" in first and "no BGP session" not in first, first
