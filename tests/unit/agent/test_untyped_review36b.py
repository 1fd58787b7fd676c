"""review36b: what the "no typed read" line (netops/agent/untyped.py) caught that it should not.

- A read command the person typed ("r1 show ip arp", "show lldp neighbors on r1") lost its "sends it as
  typed" line (and, with a model, the model's show tool: the untyped line is the answer and no model is
  asked); the line named another command instead. It is sent as typed again, with the platform's own
  command for the thing beside it when that differs.
- A change asked in words outside the change words ("turn on bfd on r1", "start ntp on r1") was
  answered "nothing was read" and the model never saw it.
- "log in to r1", "audit log for r1", "what changes are in the log for r1?" were the device's log.
- "r1 and r2 in sync?" (routes? sessions?) was the clock.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netops.agent.device_refs import DeviceIndex
from netops.agent.router import TYPED_NOT_READ, route_named

HOSTS = ["r1", "r2", "r3"]


def _index(platforms: dict[str, str]) -> DeviceIndex:
    return DeviceIndex.from_inventory([SimpleNamespace(name=h, platform=p, data={"loopback": f"203.0.113.{i}"},
                                                       hostname=f"127.0.0.{i}", all_groups=())
                                       for i, (h, p) in enumerate(platforms.items(), 1)])


FRR = _index({h: "frr" for h in HOSTS})


@pytest.mark.parametrize("question, typed, hint", [
    ("r1 show ip arp", "show ip arp", "on FRR the ARP table is `show ip neigh`"),
    ("r1: show logging", "show logging", None),
    ("show lldp neighbors on r1", "show lldp neighbors", "FRR has no LLDP"),
    ("r1# show bfd peers", "show bfd peers", None),
])
def test_a_typed_command_is_sent_as_typed_with_the_platforms_own_beside_it(question, typed, hint):
    r, _ = route_named(question, HOSTS, FRR)
    assert r.kind == "unknown" and r.intent != "untyped", r  # not the line that stops the model
    assert f'`netops show r1 "{typed}"` sends it as typed' in r.reason, r.reason
    if hint:
        assert hint in r.reason, r.reason
    else:
        assert r.reason.count("`netops show") == 1, r.reason


def test_a_typed_command_on_ios_gets_the_ios_command_beside_it():
    r, _ = route_named("r1 show arp", HOSTS, _index({"r1": "cisco_ios", "r2": "frr", "r3": "frr"}))
    assert '`netops show r1 "show arp"` sends it as typed' in r.reason, r.reason
    assert "on Cisco IOS the ARP table is `show ip arp`" in r.reason, r.reason


@pytest.mark.parametrize("question", ["turn on bfd on r1", "start ntp on r1", "turn on logging on r1",
                                      "switch off lldp on r2", "please sync the clock on r3"])
def test_a_change_asked_is_not_answered_nothing_was_read(question):
    r, _ = route_named(question, HOSTS, FRR)
    assert r.intent != "untyped" and not r.reason.startswith(TYPED_NOT_READ), r


@pytest.mark.parametrize("question", ["log in to r1", "how do I log into r1", "audit log for r1",
                                      "what changes are in the log for r1?", "show the log of changes on r1",
                                      "r1 and r2 in sync?"])
def test_not_the_devices_log_nor_its_clock(question):
    r, _ = route_named(question, HOSTS, FRR)
    assert r.intent != "untyped", r


@pytest.mark.parametrize("question", ["r1 logs", "any syslog errors on r3?", "is r3 clock in sync", "ntp status r2",
                                      "arp table r1", "which routers have high cpu?"])
def test_the_untyped_line_still_answers_its_own(question):
    r, _ = route_named(question, HOSTS, FRR)
    assert r.intent == "untyped" and r.reason.startswith(TYPED_NOT_READ), r


@pytest.mark.parametrize("question, command, said", [
    ("r1 logs", "show logging", "shows only where FRR logs"),  # vtysh: "Show current logging configuration"
    ("is r1 at half duplex?", "show interface", "shows each interface's speed, not its duplex"),  # zebra shows speed, no duplex
])
def test_frrs_command_is_said_for_what_it_shows(question, command, said):
    r, _ = route_named(question, HOSTS, FRR)
    assert f'`netops show r1 "{command}"` {said}' in r.reason and "reads it" not in r.reason, r.reason
