"""A BGP-neighbour change that names the other end by its router name ("shut down the bgp session
from r1 to r2"): the target is the first named / the possessive / "on r1", the neighbour address is
resolved on the target through the audited device service, shown in the plan, recorded in the audit,
and bound to the question only because the person named r2. Ambiguous ends are asked about."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netops.agent import events as E
from netops.agent.intent import check_intent
from tests.unit.agent.test_change_intent import HOSTS, match
from tests.unit.playbook.fakefrr import FrrSim

POLICY = "roles:\n  admin: {max_risk: high}\nusers: {}\ndefault_role: admin\n"


@pytest.mark.parametrize("question,playbook,target,peer", [
    ("shut down the bgp session from r1 to r2", "bgp-neighbor-shutdown", "r1", "r2"),
    ("soft clear r1's session to r3", "bgp-soft-clear", "r1", "r3"),
    ("shut r2's peering with r3", "bgp-neighbor-shutdown", "r2", "r3"),
    ("shut the bgp session to r2 on r1", "bgp-neighbor-shutdown", "r1", "r2"),
    ("bring the bgp session from r3 to r1 back up", "bgp-neighbor-enable", "r3", "r1"),
])
def test_the_other_end_is_named_by_its_router(question, playbook, target, peer):
    m = match(question)
    assert (m.kind, m.playbook, m.hosts, m.peers) == ("change", playbook, [target], {"neighbor": peer}), m.reason
    assert "neighbor" not in m.params                       # resolved on the device, not guessed here


def test_between_two_routers_asks_which_one_to_change():
    m = match("bring the bgp session between r1 and r2 back up")
    assert m.kind == "clarify" and m.code == "which-end" and m.playbook == "bgp-neighbor-enable"
    text = m.text()
    assert "which router to change: r1 (its session to r2) or r2 (its session to r1)" in text
    assert "?." not in text and '"enable the BGP session to r2 on r1"' in text
    assert match("enable the BGP session to r2 on r1").peers == {"neighbor": "r2"}   # the example is understood


@pytest.mark.parametrize("question", [
    "shut down the bgp session from r1 to r2 and r3",      # three routers: not one peer
    "drain r1 and r2",                                     # no neighbour parameter
    "shut the bgp session to 198.51.100.2 on r1 and r2",   # the address is given: two targets stay two
])
def test_other_shapes_are_left_as_they_were(question):
    m = match(question)
    assert not m.peers and m.kind != "change"


def _plan(params, derived=None, hosts=("r1",)):
    return SimpleNamespace(playbook="bgp-neighbor-shutdown", hosts=list(hosts), params=params,
                           derived=derived or {})


def test_binding_accepts_a_resolved_neighbour_only_for_the_router_the_person_named():
    q = "shut down the bgp session from r1 to r2"
    resolved = {"neighbor": {"host": "r2", "address": "198.51.100.2", "on": "r1", "how": "description"}}
    assert check_intent(q, _plan({"neighbor": "198.51.100.2"}, resolved), hosts=HOSTS).bound
    assert not check_intent(q, _plan({"neighbor": "198.51.100.2"}), hosts=HOSTS).bound
    assert not check_intent(q, _plan({"neighbor": "198.51.100.6"}, resolved), hosts=HOSTS).bound
    other = {"neighbor": {**resolved["neighbor"], "host": "r3"}}
    assert not check_intent(q, _plan({"neighbor": "198.51.100.2"}, other), hosts=HOSTS).bound
    assert not check_intent("shut down the bgp session on r1", _plan({"neighbor": "198.51.100.2"}, resolved),
                            hosts=HOSTS).bound
    target = {"neighbor": {**resolved["neighbor"], "host": "r1"}}
    assert not check_intent(q, _plan({"neighbor": "198.51.100.2"}, target), hosts=HOSTS).bound
    elsewhere = {"neighbor": {**resolved["neighbor"], "on": "r3"}}
    assert not check_intent(q, _plan({"neighbor": "198.51.100.2"}, elsewhere), hosts=HOSTS).bound


# -- through the assistant, on the FRR simulator ----------------------------------------------

@pytest.fixture
def sim():
    return FrrSim(["r1", "r2", "r3"])


@pytest.fixture
def peer_settings(agent_settings, vetted_playbooks, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    return agent_settings.model_copy(update={"playbooks_dir": vetted_playbooks, "policy_file": policy,
                                             "model_review": False})


@pytest.fixture
def session(peer_settings, sim, kb):
    from netops.devices.service import DeviceService
    from netops.session import Session

    with DeviceService(peer_settings, transport_factory=sim) as svc:
        s = Session(peer_settings, kb=kb, devices=svc, actor="alice", surface="ask")
        yield s
        s._kb = None
        s.close()


def test_shut_r1s_session_to_r2_resolves_shows_audits_and_applies(session, sim, scripted):
    from netops.playbook.approval import PolicyApprover

    assistant = session.assistant(approver=PolicyApprover(session.settings))
    events = list(assistant.events("shut down the bgp session from r1 to r2"))
    answer = events[-1].answer
    plan_ev = next(e for e in events if isinstance(e, E.PlanEvent))
    assert "neighbor 198.51.100.2 (r2" in plan_ev.summary
    (approval,) = answer.approvals
    assert approval.decision == "approved" and approval.verified, approval.result   # --yes covers it: bound
    assert approval.params == {"neighbor": "198.51.100.2"} and approval.targets == ["r1"]
    assert any("neighbor 198.51.100.2 shutdown" in ln for c in sim.routers["r1"].configs for ln in c)
    assert not sim.routers["r2"].configs
    assert "198.51.100.2 (r2" in answer.text
    plan = session.audit.list(kind="plan")[-1].payload
    assert plan["derived"]["neighbor"]["host"] == "r2" and plan["derived"]["neighbor"]["address"] == "198.51.100.2"
    assert "description" in plan["derived"]["neighbor"]["how"]
    reads = [r.payload.get("command") for r in session.audit.list(kind="device_command")]
    assert "show bgp summary json" in reads                  # resolved through the audited service
    assert not [r for r in scripted.requests if r.tools]


def test_offline_describes_the_dry_run_with_the_resolved_address(session, sim):
    answer = session.assistant().ask("shut down the bgp session from r1 to r2", offline=True)
    assert "198.51.100.2 (r2" in answer.text
    assert "netops playbook run bgp-neighbor-shutdown --target r1 --param neighbor=198.51.100.2" in answer.text
    assert "+ neighbor 198.51.100.2 shutdown" in answer.text
    assert not any(r.configs for r in sim.routers.values())


def test_an_unknown_peer_is_a_clarification_naming_what_was_tried(session, sim):
    answer = session.assistant().ask("shut r1's session to r3", offline=True)
    assert answer.change.kind == "clarify" and answer.change.code == "peer"
    assert "r3" in answer.text and "198.51.100.2" in answer.text      # r1's peers are listed
    assert "description" in answer.text and "address" in answer.text   # what was tried
    assert not any(r.configs for r in sim.routers.values()) and not answer.approvals


def test_an_unreachable_target_is_a_clarification_naming_what_was_tried(peer_settings, sim, kb):
    from netops.devices.service import DeviceService
    from netops.errors import ConnectError
    from netops.session import Session

    def factory(host, settings):
        if host.name == "r1":
            raise ConnectError("r1: connection refused")
        return sim(host, settings)

    with DeviceService(peer_settings, transport_factory=factory) as svc:
        s = Session(peer_settings, kb=kb, devices=svc, actor="alice", surface="ask")
        try:
            answer = s.assistant().ask("shut down the bgp session from r1 to r2", offline=True)
        finally:
            s._kb = None
            s.close()
    assert answer.change.kind == "clarify" and answer.change.code == "peer"
    assert "could not read r1's BGP neighbours" in answer.text and "connection refused" in answer.text
    assert not any(r.configs for r in sim.routers.values())


def test_what_happens_if_answers_with_the_resolved_dry_run(session, sim):
    answer = session.assistant().ask("what happens if I shut down the bgp session from r1 to r2?")
    assert answer.change.code == "hypothetical" and answer.change.would_be.params == {"neighbor": "198.51.100.2"}
    assert "198.51.100.2 (r2" in answer.text and "+ neighbor 198.51.100.2 shutdown" in answer.text
    assert not answer.approvals and not any(r.configs for r in sim.routers.values())


def test_a_peer_that_is_an_interface_is_not_proposed(session, sim):
    """An unnumbered session (FRR names the peer by its interface) is no address for the playbook."""
    r1 = sim.routers["r1"]
    bgp = r1._bgp()
    for c in list(bgp.children):
        if c.line.startswith("neighbor 198.51.100.2"):
            bgp.children.remove(c)
    from netops.playbook import diff as cfgdiff

    bgp.children[1:1] = [cfgdiff.Node("neighbor eth-r2 interface remote-as external"),
                         cfgdiff.Node("neighbor eth-r2 description r2")]
    real = r1.neighbors

    def neighbors():
        out = real()
        out["eth-r2"] = {"bgpState": "Established", "remoteAs": 65002, "connectionsDropped": 0, "desc": "r2"}
        return out

    r1.neighbors = neighbors
    answer = session.assistant().ask("shut down the bgp session from r1 to r2", offline=True)
    assert answer.change.kind == "clarify" and answer.change.code == "peer", answer.text
    assert "eth-r2" in answer.text and not answer.approvals
