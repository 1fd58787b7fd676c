"""What another run is told about a host whose change lock is held: waiting for approval, or
being changed."""

from __future__ import annotations

import pytest

from netops.playbook.approval import Approval
from netops.playbook.runner import execute, plan

NEI = {"neighbor": "198.51.100.2"}


def test_a_host_whose_change_waits_for_approval_is_said_to_wait(pb_settings, vetted, devices, audit):
    """chat19 trial: chat A showed the plan of a change on r1 (nothing changed yet, the person
    reading it); chat B's change of r1 was refused with "r1 is being changed by another netops run".
    The lock is rightly held while the plan is read, but nothing was being changed: B is told the
    change waits for approval, and once approved, that r1 is being changed."""
    from netops.errors import DeviceBusy
    from netops.playbook.hostlock import HostLocks

    home = pb_settings.paths.home
    said: dict[str, str] = {}

    class Reading:
        """A person reading the plan while another run tries the same host."""

        def approve(self, p):  # noqa: ANN001
            with pytest.raises(DeviceBusy) as busy:
                HostLocks.acquire(home, ["r1"], run="other", playbook="interface-description")
            said["asking"] = busy.value.message
            return Approval(True, "tester", "looks right")

    real = devices.select

    def select(hosts):  # noqa: ANN001 - after the approval, before the change: what another run is told
        with pytest.raises(DeviceBusy) as busy:
            HostLocks.acquire(home, ["r1"], run="other", playbook="interface-description")
        said["changing"] = busy.value.message
        return real(hosts)

    p = plan(pb_settings, "bgp-neighbor-shutdown", "r1", NEI, devices=devices, audit=audit)
    devices.select = select
    report = execute(p, approver=Reading(), devices=devices, audit=audit)
    assert report.hosts["r1"].state == "verified"
    assert "waiting for approval" in said["asking"] and "being changed" not in said["asking"], said
    assert "bgp-neighbor-shutdown" in said["asking"] and "nothing was changed" in said["asking"], said
    assert "being changed" in said["changing"] and "waiting for approval" not in said["changing"], said
    HostLocks.acquire(home, ["r1"], run="after", playbook="x").release()  # let go at the end


def test_host_states_read_as_words_for_people():
    from netops.playbook.runner import state_words

    assert state_words("rolled_back") == "rolled back"
    assert state_words("rollback_failed") == "rollback FAILED"
    assert state_words("verified") == "verified"
