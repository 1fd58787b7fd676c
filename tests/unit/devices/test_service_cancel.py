"""A cancel token stops device reads at once: finished hosts keep their results, the rest are
``Cancelled``, the sessions under the abandoned commands are closed and the next read reconnects."""

from __future__ import annotations

import threading
import time

from netops.cancel import CancelToken
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport, Fault

SLOW = "show ip bgp"


def _cancel_after(token: CancelToken, seconds: float) -> threading.Thread:
    t = threading.Thread(target=lambda: (time.sleep(seconds), token.cancel("cancelled with Escape")))
    t.start()
    return t


def test_cancel_returns_at_once_and_closes_the_running_sessions(dev_settings):
    fake = FakeTransport(default={SLOW: Fault(sleep=30, output="late\n")},
                         outputs={"r2": {SLOW: "BGP table of r2\n"}})
    records: list[dict] = []
    token = CancelToken()
    with DeviceService(dev_settings, transport_factory=fake, recorder=records.append) as svc:
        seen: list[str] = []
        canceller = _cancel_after(token, 0.4)
        start = time.monotonic()
        agg = svc.run("r1,r2", SLOW, cancel=token, on_result=lambda r: seen.append(r.host))
        took = time.monotonic() - start
        canceller.join()
        assert took < 3.0, f"returned {took:.1f}s after the start, not at the cancel"
        assert agg["r2"].ok and agg["r2"].output == "BGP table of r2\n"   # finished before the cancel
        assert not agg["r1"].ok and agg["r1"].error_type == "Cancelled" and "Escape" in agg["r1"].error
        assert sorted(seen) == ["r1", "r2"]
        deadline = time.monotonic() + 5
        while not any(r.get("cancelled") for r in records) and time.monotonic() < deadline:
            time.sleep(0.02)  # the abandoned worker records its command once its session is closed
        (cancelled,) = [r for r in records if r.get("cancelled")]
        assert cancelled["host"] == "r1" and cancelled["ok"] is False and cancelled["command"] == SLOW

        fake.default = {SLOW: "BGP table of r1\n"}
        again = svc.run("r1", SLOW)                       # a fresh session, not the closed one
        assert again["r1"].ok and again["r1"].output == "BGP table of r1\n"
        assert fake.connects["r1"] == 2


def test_getter_is_cancellable_and_a_cancelled_token_sends_nothing(dev_settings):
    fake = FakeTransport(default={"show bgp summary json": Fault(sleep=30, output="{}")})
    token = CancelToken()
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        canceller = _cancel_after(token, 0.3)
        start = time.monotonic()
        agg = svc.get("r1", "bgp_neighbors", cancel=token)
        canceller.join()
        assert time.monotonic() - start < 3.0
        assert agg["r1"].error_type == "Cancelled"
        sent = len(fake.sent)
        agg = svc.run("r1,r2", "show version", cancel=token)   # already cancelled
        assert {r.error_type for r in agg.values()} == {"Cancelled"} and len(fake.sent) == sent


def test_without_a_cancel_nothing_changes(dev_settings):
    fake = FakeTransport(default={"show version": "FRRouting 8.4\n"})
    token = CancelToken()
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        agg = svc.run("r1", "show version", cancel=token)
        token.cancel("after the fact")          # a late cancel closes nothing in the pool
        assert agg["r1"].ok and svc.run("r1", "show version")["r1"].ok
        assert fake.connects["r1"] == 1
