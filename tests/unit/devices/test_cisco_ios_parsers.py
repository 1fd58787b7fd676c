"""Cisco IOS getters (ntc-templates + our route template) on realistic written output.

No IOS device exists in our lab: these fixtures were written by hand after real IOSv output.
"""

from __future__ import annotations

from pathlib import Path

from netops.devices.parsers import cisco_ios
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

IOS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "cisco_ios"


def read(slug: str) -> str:
    return (IOS / "sw1" / f"{slug}.txt").read_text()


def test_facts():
    f = cisco_ios.parse_version(read("show_version"))
    assert (f.hostname, f.os_version, f.model, f.serial) == ("acc-sw01", "15.9(3)M6", "IOSv", "9KQ3ZBOY1XLRW0QNIVRGI")
    assert f.uptime_seconds == 3 * 604800 + 2 * 86400 + 4 * 3600 + 17 * 60


def test_bgp():
    b = cisco_ios.parse_bgp_summary(read("show_ip_bgp_summary"))
    assert (b.router_id, b.local_as) == ("10.255.1.11", 65010)
    up, down = b.by_peer("10.20.0.2"), b.by_peer("10.20.0.6")
    assert up.established and up.prefixes_received == 4 and up.remote_as == 65020
    assert not down.established and down.state == "Active" and down.prefixes_received is None


def test_ospf():
    o = cisco_ios.parse_ospf_neighbors(read("show_ip_ospf_neighbor"))
    dr, p2p, init = o.neighbors
    assert dr.full and dr.role == "DR" and dr.dead_time_seconds == 37 and dr.interface == "GigabitEthernet0/0"
    assert p2p.full and p2p.role is None
    assert not init.full and init.state == "Init"


def test_interfaces():
    i = cisco_ios.parse_interfaces(read("show_interfaces"))
    g0, g1 = i.interfaces
    assert g0.admin_up and g0.oper_up and g0.addresses == ["10.20.0.2/30"] and g0.counters.rx_errors == 3
    assert not g1.admin_up and not g1.oper_up


def test_route_lookup():
    r = cisco_ios.parse_route(read("show_ip_route_10_30_0_0"), "10.30.0.0/16")
    assert r.found and r.prefix == "10.30.0.0/16" and r.protocol == "ospf" and (r.distance, r.metric) == (110, 20)
    assert [(h.address, h.interface, h.active) for h in r.next_hops] == [
        ("10.20.0.1", "GigabitEthernet0/0", True), ("10.20.0.9", "GigabitEthernet0/2", False)]
    assert not cisco_ios.parse_route(read("show_ip_route_192_168_77_1"), "192.168.77.1").found


def test_service_dispatches_by_platform(dev_settings):
    fake = FakeTransport.from_dir(IOS)
    with DeviceService(dev_settings, transport_factory=fake) as svc:
        agg = svc.get("sw1", "bgp")
        assert agg["sw1"].ok and len(agg["sw1"].data.neighbors) == 2
        assert svc.get("sw1", "route", prefix="10.30.0.0/16")["sw1"].data.found
