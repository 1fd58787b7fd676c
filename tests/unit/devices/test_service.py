"""DeviceService over the fake transport: policy before send, fan-out, pooling, recording."""

from __future__ import annotations

import pytest

from netops.devices.service import DeviceService
from netops.errors import AuthError, ConnectError, NotFoundError, SessionClosed
from netops.testing.transport import FakeTransport, Fault


def test_run_returns_redacted_output_per_host(dev_settings):
    fake = FakeTransport(default={"show running-config": "hostname r\n neighbor 10.0.0.2 password s3cret\n"})
    records = []
    with DeviceService(dev_settings, transport_factory=fake, recorder=records.append) as svc:
        agg = svc.run("r1,r2", "show running-config")
    assert sorted(agg) == ["r1", "r2"]
    assert all(r.ok for r in agg.values())
    assert "s3cret" not in agg["r1"].output and "<redacted>" in agg["r1"].output
    assert len(records) == 2 and {r["kind"] for r in records} == {"read"}
    assert set(records[0]) == {"host", "command", "ok", "elapsed", "output_sha256", "kind", "refused"}
    assert records[0]["refused"] is False


def test_refused_command_is_recorded_but_not_sent(dev_settings):
    fake = FakeTransport(default={})
    records = []
    with DeviceService(dev_settings, transport_factory=fake, recorder=records.append) as svc:
        svc.run("r1,r2", "configure terminal")
    assert fake.sent == []
    assert sorted(r["host"] for r in records) == ["r1", "r2"]
    assert all(r["refused"] and r["sent"] is False and not r["ok"] and r["reason"] for r in records)
    assert records[0]["command"] == "configure terminal"


def test_command_to_an_unreachable_host_is_recorded_as_not_sent(dev_settings):
    fake = FakeTransport(default={"show version": "ok"}, connect_errors={"r2": ConnectError("r2: connection refused")})
    records = []
    with DeviceService(dev_settings, transport_factory=fake, recorder=records.append) as svc:
        agg = svc.run("r1,r2", "show version")
    assert agg["r1"].ok and not agg["r2"].ok
    by_host = {r["host"]: r for r in records}
    assert sorted(by_host) == ["r1", "r2"]
    assert by_host["r2"]["ok"] is False and by_host["r2"]["sent"] is False
    assert "connection refused" in by_host["r2"]["error"] and by_host["r2"]["refused"] is False
    assert "sent" not in by_host["r1"]


def test_refused_command_is_never_sent(service, fake):
    agg = service.run("all", "configure terminal")
    assert agg.failed and len(agg.failed_hosts) == 4
    assert {r.error_type for r in agg.values()} == {"PolicyViolation"}
    assert fake.sent == [] and fake.connects == {}


def test_policy_is_per_platform(dev_settings):
    fake = FakeTransport(default={"show version | exclude uptime": "r uptime is 1 day\n"})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        agg = svc.run("r1,sw1", "show version | exclude uptime")
    assert agg["sw1"].ok and agg["r1"].error_type == "PolicyViolation"
    assert fake.sent == [("sw1", "show version | exclude uptime")]


def test_one_host_failing_does_not_hide_others(dev_settings):
    fake = FakeTransport(
        default={"show version": "FRRouting 8.4.4 (r) on Linux(6.1).\n"},
        connect_errors={"r2": AuthError("r2: authentication failed"), "r3": ConnectError("r3: refused")},
    )
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        agg = svc.run("lab", "show version")
    assert agg["r1"].ok
    assert agg["r2"].error_type == "AuthError" and agg["r3"].error_type == "ConnectError"
    assert sorted(agg.failed_hosts) == ["r2", "r3"]


def test_connections_are_reused(service, fake):
    service.run("r1", "show version")
    service.run("r1", "show version")
    assert fake.connects == {"r1": 1}


def test_timeout_and_closed_session_and_huge_output(dev_settings):
    fake = FakeTransport(outputs={
        "r1": {"show a": Fault(sleep=5)},
        "r2": {"show a": Fault(close=True)},
        "r3": {"show a": Fault(output="x" * 1024, repeat=10 * 1024)},
    })
    s = dev_settings.model_copy(update={"ssh": dev_settings.ssh.model_copy(update={"max_output_bytes": 1 << 20})})
    with DeviceService(s, transport_factory=fake) as svc:
        agg = svc.run("lab", "show a", timeout=0.2)
    assert agg["r1"].error_type == "CommandTimeout"
    assert agg["r2"].error_type == "SessionClosed"
    assert agg["r3"].ok and agg["r3"].truncated and len(agg["r3"].output) == 1 << 20


def test_stale_pooled_session_is_replaced_for_reads(service, fake):
    service.run("r1", "show version")
    conn = service._pool._conns["r1"]
    conn._alive = False
    assert service.run("r1", "show version")["r1"].ok
    assert fake.connects["r1"] == 2


def test_unknown_target_is_not_found(service):
    with pytest.raises(NotFoundError):
        service.select("nope")


def test_configure_is_recorded_as_config(dev_settings):
    fake = FakeTransport()
    records = []
    with DeviceService(dev_settings, transport_factory=fake, recorder=records.append) as svc:
        res = svc.configure("r1", ["router bgp 65001", " neighbor 10.0.0.2 shutdown"])
    assert res.ok and fake.configs == [("r1", ["router bgp 65001", " neighbor 10.0.0.2 shutdown"])]
    assert records[0]["kind"] == "config"


def test_session_closed_on_fresh_connection_is_reported(dev_settings):
    fake = FakeTransport(outputs={"r1": {"show x": SessionClosed("r1: closed")}})
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        assert svc.run("r1", "show x")["r1"].error_type == "SessionClosed"


def test_running_config_error_names_the_host_once(dev_settings):
    from netops.errors import CommandTimeout

    fake = FakeTransport(outputs={"r1": {"show running-config": Fault(sleep=5)}})
    s = dev_settings.model_copy(update={"ssh": dev_settings.ssh.model_copy(update={"command_timeout": 0.2})})
    with DeviceService(s, transport_factory=fake) as svc:
        with pytest.raises(CommandTimeout) as caught:
            svc.running_config("r1")
    assert caught.value.message.startswith("r1: ") and not caught.value.message.startswith("r1: r1:"), \
        caught.value.message
    refused = FakeTransport(connect_errors={"r1": ConnectError("r1 (127.0.0.1:22): connection refused")})
    with DeviceService(dev_settings, transport_factory=refused) as svc:
        with pytest.raises(ConnectError) as caught:
            svc.running_config("r1")
    assert caught.value.message == "r1 (127.0.0.1:22): connection refused"


def test_a_restore_goes_on_when_its_commands_cannot_be_recorded(dev_settings):
    from netops.errors import AuditError

    def broken(event):
        raise AuditError("cannot append to the audit log: database or disk is full")

    fake = FakeTransport(default={"show version": "ok"})
    with DeviceService(dev_settings, transport_factory=fake, recorder=broken) as svc:
        assert svc.run("r1", "show version")["r1"].failed  # everywhere else: no record, no result
        with svc.recording_best_effort() as unrecorded:
            assert svc.run("r1", "show version")["r1"].ok
            assert svc.configure("r1", ["hostname r1"]).ok
        assert len(unrecorded) == 2 and "disk is full" in unrecorded[0]
        assert svc.run("r1", "show version")["r1"].failed
