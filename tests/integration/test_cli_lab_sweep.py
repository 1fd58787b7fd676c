"""The CLI sweep on real routers: refused commands send nothing, JSON is one document, and
``netops ask`` answers the lab questions offline, says which mode answered and cites the device."""

from __future__ import annotations

import json

import pytest

from netops.cli.main import main

pytestmark = pytest.mark.lab


@pytest.fixture
def lab_env(lab, monkeypatch):
    """Point this test's fresh NETOPS_HOME at the session lab, as `netops lab up` tells a user to."""
    monkeypatch.setenv("NETOPS_INVENTORY", str(lab.info.inventory_path))
    monkeypatch.setenv("NETOPS_KNOWN_HOSTS", str(lab.info.known_hosts_path))
    return lab


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_refused_show_sends_nothing_and_is_recorded_as_refused(capsys, lab_env):
    before = {r.name: lab_env.lab.running_config(r.name) for r in lab_env.info.routers}
    code, out, err = run(capsys, "show", "all", "configure terminal")
    assert code == 5 and out == ""
    assert err.startswith("error: refused") and "Traceback" not in err
    code, out, _ = run(capsys, "audit", "list", "--json", "--kind", "device_command")
    records = [r["payload"] for r in json.loads(out)["records"]]
    # one record per host, each refused and never sent (a sent command would be refused: false)
    assert sorted(r["host"] for r in records) == ["r1", "r2", "r3"]
    assert all(r["refused"] and r["sent"] is False and r["command"] == "configure terminal"
               and r["surface"] == "show" and r["reason"] for r in records)
    assert {r.name: lab_env.lab.running_config(r.name) for r in lab_env.info.routers} == before


def test_state_route_json_is_one_document(capsys, lab_env):
    r3 = lab_env.info.router("r3")
    code, out, err = run(capsys, "state", "r2", "route", "--prefix", f"{r3.loopback}/32", "--json")
    assert code == 0, err
    data = json.loads(out)["results"]["r2"]["data"]
    assert data["found"] and data["protocol"] == "bgp"


@pytest.mark.parametrize("question,expect", [
    ("bgp neighbours on r1", "Established"),
    ("is {r3_loopback}/32 in r2's table", "yes"),
    ("interfaces down on r3", "no interfaces are down"),
])
def test_ask_offline_on_the_lab_names_the_mode_and_cites_the_device(capsys, lab_env, small_defaults, question,
                                                                    expect):
    question = question.format(r3_loopback=lab_env.info.router("r3").loopback)
    code, out, err = run(capsys, "ask", question)
    assert code == 0, err
    assert "offline answer (no language model used)" in out
    assert expect in out
    host = question.split()[-1] if question.startswith(("bgp", "interfaces")) else "r2"
    assert f"evidence: {host}: show " in out
    assert any(ln.startswith("mode: offline") for ln in err.splitlines())
    assert "Traceback" not in err


def test_ask_json_on_the_lab(capsys, lab_env, small_defaults):
    code, out, err = run(capsys, "ask", "--json", "bgp neighbours on r1")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["mode"] == "offline" and doc["grounded"]
    assert doc["citations"] and doc["citations"][0].startswith("r1: show bgp summary json")
