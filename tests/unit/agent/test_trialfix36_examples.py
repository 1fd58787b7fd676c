"""A request no vetted playbook does (trial36 #16, "fix the remote as on r2 for r3"): the refusal listed
every playbook as an example, with the playbooks' own example values: "shut down BGP neighbor
198.51.100.2 on r2" (r2's own address) and a read-only "bgp health on r2" among them. The examples are
now the few changes acting on what the words name (the remote AS is BGP's: the BGP neighbour
changes), the device named filled in, every other value a placeholder; with nothing named that a
playbook acts on, the device's own changes (drain, undrain)."""

from __future__ import annotations

import pytest

from pathlib import Path

from netops.agent.change_intent import PlaybookInfo, match_change
from netops.playbook.spec import load_playbook

REPO = Path(__file__).resolve().parents[3]
HOSTS = ["r1", "r2", "r3"]
# every playbook of the repository, the read-only report (bgp-health) too
PLAYBOOKS = [PlaybookInfo.from_spec(load_playbook(d).spec) for d in sorted((REPO / "playbooks").iterdir())
             if (d / "playbook.yaml").exists()]


@pytest.mark.parametrize("question", ["fix the remote as on r2 to 65003", "fix the remote as on r2 for r3",
                                      "ok r2 has the wrong remote as for r3, fix it to 65003"])
def test_a_bgp_setting_gets_the_bgp_neighbour_changes_with_placeholders(question):
    m = match_change(question, PLAYBOOKS, HOSTS, {"lab": HOSTS})
    assert m.kind == "unmatched" and "none changes the remote as" in m.text(), m.text()
    assert m.examples == ["enable BGP neighbor <neighbor> on r2", "shut down BGP neighbor <neighbor> on r2",
                          "soft clear BGP neighbor <neighbor> on r2"], m.examples
    assert "198.51.100.2" not in m.text() and "bgp health" not in m.text()


def test_an_interface_setting_gets_the_interface_changes():
    m = match_change("set the mtu of eth-r1 on r2 to 9000", PLAYBOOKS, HOSTS, {"lab": HOSTS})
    assert m.kind == "unmatched" and m.examples == ['set the description of <interface> on r2 to "<description>"']


def test_nothing_named_a_playbook_acts_on_gets_the_devices_own_changes():
    m = match_change("reload r1", PLAYBOOKS, HOSTS, {"lab": HOSTS})
    assert m.kind == "unmatched" and m.examples == ["drain r1 for maintenance", "undrain r1"]
