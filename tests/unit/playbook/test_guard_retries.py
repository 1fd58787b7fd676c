"""A guard that cannot reach its router tries again for RETRY_FOR_S (crash34). Each try used to
write its own failed-restore audit record (~35 over ten minutes, all alike): the audit log now has
the first failure and how the tries ended (put back on try N, or given up after N), and the tries
between are in the guard's log (papercuts35)."""

from __future__ import annotations

import pytest

from netops.devices import transport
from netops.errors import ConnectError
from tests.unit.playbook.test_journal_recover import _crashed_run


class Unreachable:
    """The router's SSH is down for the first ``down`` connections (forever with None)."""

    def __init__(self, sim, down: int | None) -> None:
        self.sim, self.down, self.calls = sim, down, 0

    def __call__(self, host, settings):
        self.calls += 1
        if self.down is None or self.calls <= self.down:
            raise ConnectError(f"{host.name}: connection refused")
        return self.sim(host, settings)


@pytest.fixture
def guarded(pb_settings, sim, monkeypatch):
    from netops.playbook import guard

    monkeypatch.setattr(guard, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(guard, "RETRY_MAX_GAP_S", 0.01)
    before, j = _crashed_run(pb_settings, sim)
    j.data["settings"] = pb_settings.model_dump(mode="json", exclude={"openai_api_key"})
    j._write()
    return before, j


def _recover_records(pb_settings, run_id):
    from netops.store.audit import AuditLog

    with AuditLog.from_settings(pb_settings) as audit:
        assert audit.verify().ok
        return [r.payload for r in audit.list(kind="recover", limit=None) if r.payload.get("run_id") == run_id]


def test_a_router_back_after_some_tries_leaves_two_records(pb_settings, sim, guarded, monkeypatch):
    from netops.playbook import guard

    before, j = guarded
    monkeypatch.setattr(transport, "ssh_transport", Unreachable(sim, down=6))
    outcome = guard.watch(j.path, "r1", deadline=60)
    tries = int(outcome.rsplit("on try ", 1)[1].rstrip(")"))
    assert tries > 2, outcome
    assert sim.routers["r1"].running() == before
    first, last = _recover_records(pb_settings, j.run_id)  # not one per try
    assert (first["ok"], first["try"], first["by"]) == (False, 1, "guard") and "refused" in first["error"]
    assert (last["ok"], last["try"]) == (True, tries) and last["verified_equal_to_snapshot"]


def test_a_router_never_back_leaves_the_first_failure_and_the_give_up(pb_settings, sim, guarded, monkeypatch):
    from netops.playbook import guard

    _, j = guarded
    monkeypatch.setattr(guard, "RETRY_FOR_S", 0.5)
    monkeypatch.setattr(transport, "ssh_transport", Unreachable(sim, down=None))
    outcome = guard.watch(j.path, "r1", deadline=60)
    assert "gave up after" in outcome, outcome
    tries = int(outcome.split("gave up after ", 1)[1].split()[0])
    assert tries > 2, outcome
    first, gave_up = _recover_records(pb_settings, j.run_id)
    assert (first["ok"], first["try"]) == (False, 1) and "gave_up" not in first
    assert gave_up["ok"] is False and gave_up["gave_up"] and gave_up["tries"] == tries
    assert "refused" in gave_up["error"] and "recover" in gave_up["next"]
    # the journal is kept for the next start (which tries again, and records what it finds)
    from netops.playbook.journal import unfinished

    assert [u.run_id for u in unfinished(pb_settings.paths.home)] == [j.run_id]
