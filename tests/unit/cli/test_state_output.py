"""`netops state` piped: tables at their natural width (nothing cut to 80 columns with '…'),
so `| grep Established` finds the peer; and the getter may come first (`state bgp r1`).
Over the FRR simulator as the SSH transport."""

from __future__ import annotations

import json

import pytest

from netops.cli.main import main
from tests.unit.playbook.conftest import pb_dir, pb_settings, sim  # noqa: F401


@pytest.fixture
def cli(pb_settings, sim, monkeypatch):  # noqa: F811
    from netops.devices import transport

    monkeypatch.setattr(transport, "ssh_transport", sim)
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setenv("COLUMNS", "30")  # far narrower than the table
    return sim


def _peers(capsys, *args):
    assert main(["state", *args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    return [(n["peer"], n["state"]) for host in doc["results"].values() for n in host["data"]["neighbors"]]


def test_piped_state_table_is_not_cut_to_the_terminal_width(cli, capsys):
    peers = _peers(capsys, "r1,r2", "bgp")
    assert peers
    assert main(["state", "r1,r2", "bgp"]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    rows = [line for line in out.splitlines() if any(p in line for p, _ in peers)]
    for peer, state in peers:
        assert any(peer in row and state in row for row in rows), (peer, state, out)


def test_getter_first_is_understood(cli, capsys):
    assert main(["state", "r1", "bgp"]) == 0
    expected = capsys.readouterr().out
    assert main(["state", "bgp", "r1"]) == 0
    assert capsys.readouterr().out == expected


def test_two_unknown_words_still_fail_with_the_getter_list(cli, capsys):
    assert main(["state", "r1", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "unknown getter 'nosuch'" in err and "bgp_neighbors" in err


def test_vrf_keeps_that_vrfs_sessions(cli, capsys):
    assert _peers(capsys, "r1", "bgp", "--vrf", "default")
    assert main(["state", "r1", "bgp", "--vrf", "CUST-A", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    data = doc["results"]["r1"]["data"]
    assert data["neighbors"] == [] and "no BGP sessions in VRF CUST-A" in data["note"]
    assert main(["state", "r1", "bgp", "--vrf", "CUST-A | include x"]) == 2
    assert "not a VRF name" in capsys.readouterr().err
