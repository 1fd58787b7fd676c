"""Operator jargon the worded-change matcher must read the way a NOC engineer means it: vendor
command forms ("no neighbor X shutdown" brings a peer back), terms that contain an action word
without being that action ("graceful shutdown"), pasted log lines, a question asked after a
pasted line, and two changes chained in one request. Found by the blind phrasing set
(``data/intent_phrasings_blind.yaml``); the sentences here are variants, not copies of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.agent.change_intent import PlaybookInfo, match_change
from netops.agent.intent import check_intent
from netops.playbook.spec import load_playbook

REPO = Path(__file__).resolve().parents[3]
HOSTS = ["r1", "r2", "r3"]
GROUPS = {"lab": ["r1", "r2", "r3"]}
DIRS = (REPO / "playbooks", REPO / "plugins" / "netops-peering" / "netops_peering" / "playbooks")
PLAYBOOKS = [PlaybookInfo.from_spec(pb.spec) for pb in
             (load_playbook(d) for base in DIRS for d in sorted(base.iterdir()) if (d / "playbook.yaml").exists())
             if not pb.spec.read_only]


def _match(text: str):
    return match_change(text, PLAYBOOKS, HOSTS, groups=GROUPS)


def _change(text: str, playbook: str, hosts: list[str], params: dict) -> None:
    m = _match(text)
    assert (m.kind, m.playbook, m.hosts, m.params) == ("change", playbook, hosts, params), m.to_dict()
    check = check_intent(text, m, hosts=HOSTS)
    assert check.bound, check.summary()


@pytest.mark.parametrize("text,host,neighbor", [
    ("no neighbor 198.51.100.6 shutdown on r2", "r2", "198.51.100.6"),
    ("on r3: no neighbor 198.51.100.9 shutdown", "r3", "198.51.100.9"),
    ("no shutdown neighbor 198.51.100.1 on r2", "r2", "198.51.100.1"),
    ("r1 no shut 198.51.100.10", "r1", "198.51.100.10"),
    ("please no shut the peer 198.51.100.5 on r3", "r3", "198.51.100.5"),
])
def test_the_vendor_no_shutdown_form_enables_the_neighbor(text, host, neighbor):
    """'no ... shutdown' is the IOS/FRR command that undoes a shutdown, not a negated shutdown (it
    was proposed as bgp-neighbor-shutdown, the opposite change)."""
    _change(text, "bgp-neighbor-enable", [host], {"neighbor": neighbor})


@pytest.mark.parametrize("text", [
    "no, don't shut neighbor 198.51.100.2 on r1", "there is no shutdown planned for 198.51.100.2 on r1",
    "no need to shut down neighbor 198.51.100.2 on r1",
])
def test_a_plain_no_before_shut_still_negates(text):
    m = _match(text)
    assert m.kind != "change", m.to_dict()


@pytest.mark.parametrize("text,playbook", [
    ("no ip route 203.0.113.200/32 198.51.100.2 on r1", "static-route-remove"),
    ("r1: ip route 203.0.113.200/32 198.51.100.2", "static-route-add"),
])
def test_the_ip_route_command_forms_are_add_and_remove(text, playbook):
    _change(text, playbook, ["r1"], {"prefix": "203.0.113.200/32", "nexthop": "198.51.100.2"})


@pytest.mark.parametrize("text", [
    "begin graceful shutdown towards the peer 198.51.100.2 on r1",
    "enable graceful shutdown for neighbor 198.51.100.2 on r1",
    "bgp graceful shutdown for peer 198.51.100.6 on r2 please",
])
def test_graceful_shutdown_is_not_a_session_shutdown_or_enable(text):
    """GRACEFUL_SHUTDOWN (RFC 8326) keeps the session up; shutting or enabling the neighbour is
    another change (it was proposed as bgp-neighbor-shutdown)."""
    m = _match(text)
    assert m.playbook not in ("bgp-neighbor-shutdown", "bgp-neighbor-enable"), m.to_dict()


@pytest.mark.parametrize("text", [
    "%BGP-5-ADJCHANGE: neighbor 198.51.100.6 Down Admin. shutdown -- seen on r2, what caused it?",
    "%BGP-3-NOTIFICATION: sent to neighbor 198.51.100.1 6/2 (Administrative Shutdown) on r2",
    "Nov 30 02:14:07 r1 bgpd[812]: %ADJCHANGE: neighbor 198.51.100.2 Down Neighbor shutdown, why?",
])
def test_a_pasted_syslog_line_asks_for_nothing(text):
    m = _match(text)
    assert m.kind != "change", m.to_dict()
    assert not check_intent(text, m if m.playbook else _shut_plan(), hosts=HOSTS).bound


def _shut_plan():
    from types import SimpleNamespace

    return SimpleNamespace(playbook="bgp-neighbor-shutdown", hosts=["r2"], params={"neighbor": "198.51.100.6"})


@pytest.mark.parametrize("text", [
    "shut neighbor 198.51.100.6 on r2 -- would that move traffic to r3?",
    "on r1: clear ip bgp 198.51.100.2 soft\nwhat does that do to the session?",
    "drain r2. is that what the runbook says?",
])
def test_a_question_asked_after_a_pasted_or_stated_change_is_a_question(text):
    m = _match(text)
    assert m.kind != "change", m.to_dict()


@pytest.mark.parametrize("text", [
    "drain r2 then put it back in an hour later",
    "undrain r1 and cost r2 out",
])
def test_two_changes_chained_are_asked_one_at_a_time(text):
    m = _match(text)
    assert (m.kind, m.code) == ("clarify", "multiple-changes"), m.to_dict()


@pytest.mark.parametrize("text", [
    "move peer 198.51.100.6 on r2 into maintenance",
    "take the 198.51.100.4/30 link on r2 out of service",
    "put r3's session to 198.51.100.5 into maintenance",
])
def test_an_address_the_playbook_has_no_parameter_for_is_asked_about(text):
    """A router-wide drain proposed for words that put one peer or link into maintenance would
    change more than was asked: an address or prefix the words give must be a parameter of the
    playbook, or netops asks what it is for."""
    m = _match(text)
    assert m.kind != "change", m.to_dict()


@pytest.mark.parametrize("text,playbook,host,params", [
    ("soft-reset neighbor 198.51.100.1 on r2", "bgp-soft-clear", "r2", {"neighbor": "198.51.100.1"}),
    ("cost out r1", "router-drain", "r1", {}),
    ("cost r3 out please", "router-drain", "r3", {}),
    ("cost r2 back in", "router-undrain", "r2", {}),
    ("put r1 back in", "router-undrain", "r1", {}),
    ("please drain r1 when you get a moment", "router-drain", "r1", {}),
    ("undrain r3 when you can, thanks", "router-undrain", "r3", {}),
    ("soft clear 198.51.100.6 on r2 if possible", "bgp-soft-clear", "r2", {"neighbor": "198.51.100.6"}),
])
def test_noc_jargon_and_courtesy_are_requests(text, playbook, host, params):
    """'cost out', 'soft-reset' and a courtesy ('when you get a moment', 'if possible') were
    answered as no request or as a question (the 'when'/'if' read as a hypothetical)."""
    _change(text, playbook, [host], params)


@pytest.mark.parametrize("text", ["drain r1 if you can reach it", "drain r1 when r2 is back"])
def test_a_real_condition_is_not_a_courtesy(text):
    assert _match(text).kind != "change", _match(text).to_dict()


@pytest.mark.parametrize("text,host,excluded", [
    ("drain r1, r3 is fine", "r1", ["r3"]),
    ("r2 looks healthy, drain r1", "r1", ["r2"]),
    ("undrain r2 - r1 and r3 stay as they are", "r2", ["r1", "r3"]),
    ("drain r2; r3 must stay in service", "r2", ["r3"]),
])
def test_a_host_said_to_be_fine_is_excluded(text, host, excluded):
    """'drain r3, r2 is fine' named r2 only to say it needs nothing: it was counted as a second
    target (too many targets)."""
    m = _match(text)
    assert (m.kind, m.hosts) == ("change", [host]), m.to_dict()
    assert check_intent(text, m, hosts=HOSTS).bound
    from types import SimpleNamespace

    for other in excluded:
        plan = SimpleNamespace(playbook=m.playbook, hosts=[other], params={})
        assert not check_intent(text, plan, hosts=HOSTS).bound


@pytest.mark.parametrize("text,playbook,host,params", [
    ("bring r3 out of maintenance", "router-undrain", "r3", {}),
    ("r1 can go back into service", "router-undrain", "r1", {}),
    ("restore traffic on r2 please", "router-undrain", "r2", {}),
    ("turn peer 198.51.100.1 on r2 back on", "bgp-neighbor-enable", "r2", {"neighbor": "198.51.100.1"}),
    ("take down the session to 198.51.100.9 on r3", "bgp-neighbor-shutdown", "r3", {"neighbor": "198.51.100.9"}),
])
def test_more_maintenance_jargon_is_read(text, playbook, host, params):
    _change(text, playbook, [host], params)


@pytest.mark.parametrize("text", ["take r2 down", "take r2 down for a reload"])
def test_taking_a_router_down_is_no_neighbor_shutdown(text):
    assert _match(text).kind != "change", _match(text).to_dict()


def test_putting_a_peer_into_maintenance_is_no_router_drain():
    m = _match("put peer 198.51.100.254 on r1 into maintenance, start it, local as 65001")
    assert (m.kind, m.playbook) == ("change", "ixp-peer-maintenance"), m.to_dict()


def test_cost_out_of_an_interface_asks_for_the_cost():
    m = _match("cost out eth-r3 interface on r2")
    assert (m.kind, m.playbook, m.code) == ("clarify", "ospf-cost", "parameter") and "cost" in m.missing, m.to_dict()


def test_the_most_specific_cue_picks_a_number():
    """'local as 65001' says local_as more precisely than 'AS 64999' (after the peer) does."""
    m = _match('turn up new peer 198.51.100.253 AS 64998 "Example Transit" on r2, local as 65002, '
               "max prefixes 250, policy peer")
    assert (m.kind, m.playbook) == ("change", "ixp-peer-turn-up"), m.to_dict()
    assert m.params == {"local_as": 65002, "neighbor": "198.51.100.253", "peer_as": 64998,
                        "peer_name": "Example Transit", "max_prefixes": 250, "policy": "peer"}


@pytest.mark.parametrize("text", ["is r3 drained, and if not, drain it", "if r3 is not drained, drain it",
                                  "if r3 isn't drained then drain it"])
def test_a_condition_is_not_read_as_a_negation(text):
    """review36: "is r3 drained, and if not, drain it" was answered "the question says not to drain":
    the "not" of the condition read as a negation of the request. It is not; nothing is run either
    (a condition on the state is not a plain request), and nothing says the person refused it."""
    from netops.agent.intent import negated_actions

    assert "drain" not in negated_actions(text, {"drain"}), text
    m = _match(text)
    assert m.kind != "change" and "says not to" not in m.text(), m.to_dict()


@pytest.mark.parametrize("text", ["if not, don't drain r3", "don't drain r3 if it is busy"])
def test_a_negation_beside_a_condition_still_negates(text):
    from netops.agent.intent import negated_actions

    assert "drain" in negated_actions(text, {"drain"}), text
