"""Route diagnosis on the real FRR lab: the canonical "why is r2 not learning 203.0.113.0/24?"
offline and through the library, and a shut BGP neighbour as the likely cause."""

from __future__ import annotations

import ipaddress
import json
import time

import pytest

from netops.cli.main import main
from netops.lab.topology import R3_EXTRA_PREFIX

pytestmark = pytest.mark.lab

CANONICAL = "why is r2 not learning 203.0.113.0/24?"


@pytest.fixture
def lab_env(lab, monkeypatch):
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.info.inventory_path))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.info.known_hosts_path))
    return lab


def _expected_more_specifics(lab) -> dict[str, list[str]]:
    """Peer name -> the more-specifics of 203.0.113.0/24 that r2's best BGP path has from it,
    as the routers themselves say (vtysh, not netops)."""
    # Right after an earlier test restarts or restores a router, a path can be listed before FRR
    # has chosen a best one (CI saw StopIteration here): wait, up to 20 s, for every prefix to have one.
    deadline = time.monotonic() + 20
    while True:
        doc = lab.lab.vtysh_json("r2", "show bgp ipv4 unicast 203.0.113.0/24 longer-prefixes json")
        routes = doc.get("routes", {})
        if (routes and all(any(p.get("bestpath") for p in paths) for paths in routes.values())) \
                or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    out: dict[str, list[str]] = {}
    for prefix, paths in routes.items():
        best = next((p for p in paths if p.get("bestpath")), None)
        assert best is not None, f"r2 chose no best path for {prefix} within 20 s: {paths}"
        if best.get("peerId") not in (None, "(unspec)"):
            out.setdefault(best["nexthops"][0]["hostname"], []).append(prefix)
    return out


def test_canonical_question_offline_names_the_more_specifics_and_their_peers(capsys, lab_env, small_defaults):
    expected = _expected_more_specifics(lab_env)
    assert set(expected) == {"r1", "r3"} and R3_EXTRA_PREFIX in expected["r3"]
    code = main(["ask", "--offline", "--json", CANONICAL])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    text = doc["answer"]
    assert doc["mode"] == "offline" and "intent: route diagnosis" in text
    for peer, prefixes in expected.items():
        order = sorted(prefixes, key=lambda p: ipaddress.ip_network(p).network_address)
        assert f"learned from {peer} (" in text and ", ".join(order) in text, (peer, text)
    assert "Likely cause:\n- no other device in the inventory has 203.0.113.0/24 (r1, r3 checked)" in text
    assert any(c.startswith("r2: show ip route 203.0.113.0/24 longer-prefixes json") for c in doc["citations"])
    assert [c["tool"] for c in doc["tool_calls"]] == ["diagnose_route"]
    # every command was a read, audited under the ask surface
    assert main(["audit", "list", "--json", "--limit", "1000", "--kind", "device_command"]) == 0
    records = [r["payload"] for r in json.loads(capsys.readouterr().out)["records"]]
    assert {r["host"] for r in records} == {"r1", "r2", "r3"}
    assert all(r["surface"] == "ask" and r["command"].startswith("show ") and not r["refused"] for r in records)


def test_library_diagnosis_on_the_lab(lab):
    from netops.devices.routediag import diagnose_route
    from netops.session import Session

    expected = _expected_more_specifics(lab)
    with Session(lab.settings, surface="test") as session:
        diag = diagnose_route(session.devices, "r2", "203.0.113.0/24")
    assert not diag.present and not diag.unchecked
    more = next(f for f in diag.findings if f.code == "more_specifics")
    assert more.host == "r2" and more.command == "show ip route 203.0.113.0/24 longer-prefixes json"
    for peer, prefixes in expected.items():
        assert f"learned from {peer} (" in more.text
        assert all(p in more.text for p in prefixes)
    assert [f.code for f in diag.likely_causes] == ["not_originated"]
    assert any(f.code == "bgp_sessions_up" for f in diag.findings)


def _peer_address(lab, router: str, peer_name: str) -> str:
    peers = lab.lab.vtysh_json(router, "show bgp summary json")["ipv4Unicast"]["peers"]
    return next(addr for addr, p in peers.items() if p.get("hostname") == peer_name or p.get("desc") == peer_name)


def test_shut_neighbour_is_the_likely_cause(lab_clean, capsys, monkeypatch, small_defaults):
    lab = lab_clean
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.info.inventory_path))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.info.known_hosts_path))
    r3_from_r2 = _peer_address(lab, "r2", "r3")
    r3_from_r1 = _peer_address(lab, "r1", "r3")
    # r2 loses its own session to r3, and r1 stops relaying r3's routes
    lab.lab.vtysh("r2", "configure terminal", f"router bgp {lab.info.router('r2').asn}",
                  f"neighbor {r3_from_r2} shutdown")
    lab.lab.vtysh("r1", "configure terminal", f"router bgp {lab.info.router('r1').asn}",
                  f"neighbor {r3_from_r1} shutdown")
    deadline = time.monotonic() + 20
    while lab.lab.vtysh_json("r2", f"show ip route {R3_EXTRA_PREFIX} json") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not lab.lab.vtysh_json("r2", f"show ip route {R3_EXTRA_PREFIX} json")
    code = main(["ask", "--offline", "--json", f"why is r2 not learning {R3_EXTRA_PREFIX}?"])
    out, err = capsys.readouterr()
    assert code == 0, err
    text = json.loads(out)["answer"]
    causes = text.split("Likely cause:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(causes) == 1, text
    assert f"BGP session from r2 to r3 ({r3_from_r2})" in causes[0] and "not Established" in causes[0]
    assert "admin down" in causes[0]  # shut on r2 itself
    assert f"r3 has {R3_EXTRA_PREFIX} (static), originated into BGP; r2's session to r3 is down" in text


def test_state_routes_and_bgp_routes_json(capsys, lab_env):
    expected = _expected_more_specifics(lab_env)
    code = main(["state", "r2", "routes", "--prefix", "203.0.113.0/24", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    routes = json.loads(out)["results"]["r2"]["data"]["routes"]
    chosen = {r["prefix"]: r["protocol"] for r in routes if r["selected"]}
    assert all(chosen.get(p) == "bgp" for ps in expected.values() for p in ps), chosen
    code = main(["state", "r2", "bgp_routes", "--prefix", R3_EXTRA_PREFIX, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    paths = json.loads(out)["results"]["r2"]["data"]["paths"]
    best = [p for p in paths if p["best"]]
    assert len(best) == 1 and best[0]["peer_name"] == "r3" and best[0]["as_path"] == str(lab_env.info.router("r3").asn)


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_real_model_answer_keeps_the_findings_in_front_when_unsupported(lab_env, small_defaults, llama, tmp_path):
    """SmolLM2-135M via llama.cpp: whatever it writes, the person gets the diagnosis' findings
    (in front when no sentence of the model's is supported) and --json carries both."""
    from netops.agent.grounding import MODEL_UNSUPPORTED, OWN_FINDINGS
    from netops.assistant import Assistant
    from netops.session import Session

    settings = lab_env.settings.model_copy(update={"openai_base_url": llama.base_url, "model": llama.alias,
                                                   "home": tmp_path / "home"})
    with Session(settings, surface="ask") as session:
        answer = Assistant(session).ask(CANONICAL)
    assert answer.mode == "agent" and not answer.error, answer.notice
    assert (answer.tool_calls[0].tool, answer.tool_calls[0].args) == (
        "diagnose_route", {"host": "r2", "prefix": "203.0.113.0/24"})
    facts = answer.grounding.facts
    assert "learned from r1 (" in facts and "learned from r3 (" in facts and R3_EXTRA_PREFIX in facts
    d = answer.to_dict()
    assert d["grounding"]["facts"] == facts and d["check"] is not None
    if answer.check.count("supported") == 0:
        assert answer.text.startswith(f"**{OWN_FINDINGS}:**\n\n{facts}")
        after = answer.text.split(facts, 1)[1].strip()
        # the model's text, marked; or only the line saying what of it was left out; or nothing
        assert MODEL_UNSUPPORTED in answer.text or not after or (after.startswith("_") and "left out" in after)
    else:
        assert OWN_FINDINGS not in answer.text


def test_inbound_prefix_list_is_the_likely_cause(lab_clean):
    """r2 drops r3's /25 with a prefix-list on both sessions (soft-reconfiguration inbound
    towards r3): the diagnosis names the prefix-list and the peer it dropped the prefix from."""
    from netops.devices.routediag import diagnose_route
    from netops.session import Session

    lab = lab_clean
    r1, r3 = _peer_address(lab, "r2", "r1"), _peer_address(lab, "r2", "r3")
    lab.lab.vtysh("r2", "configure terminal", f"ip prefix-list NO-AGG seq 5 deny {R3_EXTRA_PREFIX}",
                  "ip prefix-list NO-AGG seq 10 permit 0.0.0.0/0 le 32",
                  f"router bgp {lab.info.router('r2').asn}", "address-family ipv4 unicast",
                  f"neighbor {r3} soft-reconfiguration inbound", f"neighbor {r3} prefix-list NO-AGG in",
                  f"neighbor {r1} prefix-list NO-AGG in")
    deadline = time.monotonic() + 20
    while lab.lab.vtysh_json("r2", f"show ip route {R3_EXTRA_PREFIX} json") and time.monotonic() < deadline:
        time.sleep(0.5)
    with Session(lab.settings, surface="test") as session:
        diag = diagnose_route(session.devices, "r2", R3_EXTRA_PREFIX)
    assert diag.present is False
    cause, by_list = diag.likely_causes
    assert cause.code == "filtered_inbound" and cause.host == "r2"
    entry = f"its entry 'seq 5 deny {R3_EXTRA_PREFIX}' is the first to match {R3_EXTRA_PREFIX}"
    assert f"from r3 ({r3})" in cause.text and cause.text.endswith(f"prefix-list NO-AGG ({entry}).")
    # r1 keeps nothing before policy, but the list read from r2 drops the prefix on that session too
    assert by_list.code == "prefix_list_denies" and by_list.text == (
        f"r2's inbound prefix-list NO-AGG (on the session from r1 ({r1})) drops {R3_EXTRA_PREFIX}: {entry}.")
    assert not any(u.startswith(f"whether r1 ({r1}) sent") for u in diag.unchecked), diag.unchecked
