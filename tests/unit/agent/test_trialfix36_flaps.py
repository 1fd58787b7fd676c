"""Flap questions answered from the devices' own counters (trialfix36; trial36 left "is anything
flapping?" with the sweep's down-now rows and the shortest BGP uptime: netops keeps no history, so a
link that went down and came back between two reads was invisible). Every platform's counters where
its output has them (FRR linkUps/linkDowns and BGP connectionsDropped, IOS/IOS-XR carrier
transitions, EOS link status changes, NX-OS/IOS-XR "Last link flapped", Junos "Last flapped"), a
verdict first, offline and with a model; a platform with no counter is said, not counted stable.
The r1-flapped capture is lab 82's r1 after three `ip link set eth-r3 down`/`up` in its namespace.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.router import route
from netops.devices.parsers import arista_eos, cisco_ios, cisco_nxos, cisco_xr, frr, juniper_junos
from netops.testing.ollama_server import say

DEV = Path(__file__).resolve().parents[2] / "fixtures" / "devices"
FLAPPED = DEV / "frr" / "r1-flapped" / "r1"
HOSTS = ["r1", "r2", "r3"]


def _if(out, name):
    i = out.by_name(name)
    return i.link_downs, i.last_flap


def test_frr_counts_the_times_a_link_went_down_not_zebras_double_count():
    out = frr.parse_interfaces((FLAPPED / "show_interface_json.txt").read_text())
    # linkUps 3, linkDowns 6 for three downs by hand: three, and when the last one was
    assert _if(out, "eth-r3") == (3, "2026/12/04 23:34:40")
    assert _if(out, "eth-r2") == (0, None)


def test_frr_a_link_up_once_since_zebra_started_never_went_down():
    import json

    doc = json.loads((FLAPPED / "show_interface_json.txt").read_text())
    doc["eth-r2"].update(linkUps=1, linkDowns=0)
    doc["eth-r3"].update(operationalStatus="down", linkUps=3, linkDowns=7)
    out = frr.parse_interfaces(json.dumps(doc))
    assert _if(out, "eth-r2") == (0, None)
    assert _if(out, "eth-r3")[0] == 4  # down now: the fourth time


def test_frr_bgp_counts_the_drops_of_each_session():
    out = frr.parse_bgp_summary((FLAPPED / "show_bgp_summary_json.txt").read_text())
    assert {n.peer: n.connections_dropped for n in out.neighbors} == {"198.51.100.2": 0, "198.51.100.10": 4}


@pytest.mark.parametrize("parse, path, name, expected", [
    (cisco_ios.parse_interfaces, "cisco_ios/r3/show_interfaces.txt", "Serial0/1/0", (1, None)),  # 1 carrier transition
    (cisco_xr.parse_interfaces, "cisco_xr/pe1/show_interfaces.txt", "Bundle-Ether10", (0, "12w3d ago")),
    (cisco_nxos.parse_interfaces_text, "cisco_nxos/text/show_interface.txt", "Ethernet2/1", (None, "3week(s) 5day(s) ago")),
    # 3 link status changes: 2 downs
    (arista_eos.parse_interfaces, "arista_eos/leaf1/show_interfaces_json.txt", "Ethernet1", (2, "2024/05/20 10:15:12 UTC")),
    (juniper_junos.parse_interfaces, "juniper_junos/pe1/show_interfaces_display_json.txt", "ge-0/0/0",
     (None, "2024-05-13 09:04:12 UTC (3w6d 05:16 ago)")),
])
def test_each_platforms_counter_where_its_output_has_one(parse, path, name, expected):
    assert _if(parse((DEV / path).read_text()), name) == expected


@pytest.mark.parametrize("question", ["is anything flapping?", "is eth-r3 on r1 flapping?",
                                      "has the r1-r3 session been flapping?", "which interfaces flapped on r1",
                                      "is the link between r1 and r3 bouncing?"])
def test_a_flap_question_reads_the_counters(question):
    r = route(question, HOSTS)
    assert r.kind == "tool" and r.args.get("_flaps"), r


@pytest.mark.parametrize("question", ["is r1 healthy?", "show interfaces on r1", "which bgp peers are down?"])
def test_other_questions_do_not(question):
    assert not route(question, HOSTS).args.get("_flaps")


def _flapped(fake_transport):
    for f in FLAPPED.glob("*.txt"):
        fake_transport.outputs["r1"][f.stem] = f.read_text()


@pytest.mark.parametrize("question", ["is anything flapping?", "is eth-r3 on r1 flapping?"])
def test_offline_the_verdict_leads_with_the_counts(make_assistant, fake_transport, question):
    _flapped(fake_transport)
    answer = make_assistant().ask(question, offline=True)
    lead = answer.text.split("\n\n")[1]
    assert lead.startswith("**Went down since the counters started:** "), answer.text
    assert "r1 eth-r3 went down 3 times, last 2026/12/04 23:34:40" in lead
    assert "r1's session to r3 (198.51.100.10) dropped 4 times" in lead
    assert "r1 eth-r2" not in lead  # never went down


def test_offline_the_session_between_two_routers_counts_that_session_only(make_assistant, fake_transport):
    _flapped(fake_transport)
    answer = make_assistant().ask("has the r1-r2 session been flapping?", offline=True)
    lead = answer.text.split("\n\n")[1]
    assert lead.startswith("**No flaps counted:** none of the 2 "), answer.text  # r1->r2 and r2->r1


def test_with_a_model_the_counts_lead_the_answer(scripted, make_assistant, fake_transport):
    _flapped(fake_transport)
    scripted.push(say("Nothing is flapping [1]."))
    answer = make_assistant().ask("is anything flapping?")
    assert answer.text.startswith("**Went down since the counters started:** "), answer.text
    assert "r1 eth-r3 went down 3 times" in answer.text.split("\n\n")[0]


def test_a_platform_with_no_counter_is_said_not_counted_stable():
    from netops.agent.offline import flap_line
    from netops.devices.results import HostResult

    data = cisco_nxos.parse_interfaces_text((DEV / "cisco_nxos/text/show_interface.txt").read_text())
    line = flap_line({"interfaces": {"n1": HostResult(host="n1", ok=True, data=data, command="show interface")}})
    assert line.startswith("**Flaps unknown:** none of the "), line
    assert "n1 Ethernet2/1 last flapped 3week(s) 5day(s) ago" in line
