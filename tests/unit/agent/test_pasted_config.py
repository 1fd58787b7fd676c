"""Configuration pasted into a question of several lines is text the person asks about, not the
devices to read (trial17: "<a BGP config naming r2 in a description>\\nwhat does this config do?"
read r2's running configuration)."""

from __future__ import annotations

import pytest

from netops.agent.router import route, without_pasted_config

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
