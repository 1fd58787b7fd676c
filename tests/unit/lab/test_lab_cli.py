"""``netops lab`` refuses early and clearly when it cannot run (nothing is created)."""

from __future__ import annotations

import pytest

from netops.cli.main import main
from netops.lab import system


def test_not_root_is_one_line_and_exit_2(monkeypatch, capsys, netops_env):
    monkeypatch.setattr(system, "is_root", lambda: False)
    assert main(["lab", "up", "--id", "5"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "error: the lab needs root (network namespaces, users, port 22 on loopback)"
    assert "Traceback" not in err
    assert not (netops_env / "lab").exists()


def test_missing_packages_are_named_with_the_apt_command(monkeypatch, capsys, netops_env):
    monkeypatch.setattr(system, "is_root", lambda: True)
    real = system.which
    monkeypatch.setattr(system, "which", lambda tool: None if tool in ("socat", "sshd") else real(tool))
    assert main(["lab", "down", "--id", "5"]) == 2
    err = capsys.readouterr().err
    assert "error: missing packages for the lab: openssh-server, socat" in err
    assert "hint: apt-get install openssh-server socat" in err
    assert not (netops_env / "lab").exists()


@pytest.mark.parametrize("args", [["lab", "up", "--id", "0"], ["lab", "status", "--id", "100"]])
def test_bad_lab_id_is_rejected(args, capsys):
    assert main(args) == 2
    assert "--id" in capsys.readouterr().err


def test_help_lists_the_subcommands(capsys):
    assert main(["lab", "--help"]) == 0
    out = capsys.readouterr().out
    for sub in ("up", "down", "reset", "status"):
        assert sub in out


def test_status_of_a_lab_that_is_not_up_exits_4(monkeypatch, capsys, netops_env):
    """'lab status --id N' for a lab that is not up said so and exited 0, so
    'netops lab status --id 3 || netops lab up --id 3' never brought it up: exit 4 (not found),
    with and without --json (which still prints the status)."""
    import json

    monkeypatch.setattr(system, "is_root", lambda: True)
    monkeypatch.setattr(system, "missing_packages", lambda: [])
    assert main(["lab", "status", "--id", "97"]) == 4
    assert "lab 97 is not up" in capsys.readouterr().out
    assert main(["lab", "status", "--id", "97", "--json"]) == 4
    assert json.loads(capsys.readouterr().out)["up"] is False
