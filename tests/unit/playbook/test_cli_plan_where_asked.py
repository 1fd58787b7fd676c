"""`netops playbook run ... | head -3` (or `--json`, or `> file`) at a terminal: the plan went to the
pipe or came as JSON after the run, yet the approval prompt on standard error asked the person to
approve a plan they had seen three lines of, or none (review34). The plan is now shown where the
person answers. The real CLI over the simulated FRR routers; only the terminal test is faked."""

from __future__ import annotations

import sys

import pytest

from netops.cli.main import main


@pytest.fixture
def cli_env(pb_settings, vetted, sim, monkeypatch):
    import netops.session as session_mod

    real = session_mod.Session.__init__

    def with_sim(self, settings, **kw):  # the CLI's own session, over the simulated routers
        kw.setdefault("transport_factory", sim)
        real(self, settings, **kw)

    monkeypatch.setattr(session_mod.Session, "__init__", with_sim)
    monkeypatch.setenv("NETOPS_PLAYBOOKS_DIR", str(pb_settings.playbooks_dir))
    monkeypatch.setenv("NETOPS_INVENTORY", str(pb_settings.inventory))
    monkeypatch.setenv("NETOPS_USER", "tester")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)  # a person at the keyboard
    asked = []

    def deny(question, seconds, stream=None):
        asked.append(question)
        return False

    monkeypatch.setattr("netops.cli._common.confirm_within", deny)
    monkeypatch.setattr("netops.cli.playbook.confirm_within", deny, raising=False)
    return asked


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_the_plan_is_shown_where_the_person_approves_it(cli_env, capsys, json_flag):
    code = main(["playbook", "run", "interface-description", "-t", "r1", "-p", "interface=eth-r2",
                 "-p", "description=where asked", *json_flag])
    out, err = capsys.readouterr()
    assert cli_env, (code, out, err)
    assert "the plan you are asked to approve" in err, err
    assert "description where asked" in err and "targets: r1" in err, err
    assert code != 0  # denied: nothing changed
