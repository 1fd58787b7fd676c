"""Linux getters. iproute2 fixtures were captured from a real namespace (iproute2 6.1,
``tests/fixtures/devices/linux/srv1``); the vtysh ones are FRR 8.4 output from our lab."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.parsers import ParseError, linux
from netops.devices.service import DeviceService
from netops.testing.transport import FakeTransport

LINUX = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "linux"

INVENTORY = """\
defaults: {username: netops, password_env: LAB_PW}
hosts:
  srv1: {hostname: 127.0.9.31, platform: linux}
"""


def read(slug: str) -> str:
    return (LINUX / "srv1" / f"{slug}.txt").read_text()


@pytest.fixture
def svc(settings, tmp_path):
    inv = tmp_path / "inventory.yaml"
    inv.write_text(INVENTORY)
    fake = FakeTransport.from_dir(LINUX)
    with DeviceService(settings.model_copy(update={"inventory": inv}), transport_factory=fake) as s:
        s.fake = fake
        yield s


def test_facts():
    f = linux.parse_facts(read("hostname"), read("uname_a"), read("cat_etc_os_release"), read("uptime"))
    assert (f.hostname, f.vendor, f.platform, f.model) == ("srv1", "Linux", "linux", "x86_64")
    assert f.os_version.startswith("Debian GNU/Linux 12 (bookworm); Linux 6.")
    assert f.uptime_seconds == 1 * 3600 + 14 * 60


@pytest.mark.parametrize("line, seconds", [
    (" 22:47:37 up  1:14,  0 user,  load average: 4.47, 6.04, 4.74", 4440),
    (" 10:15:01 up 12 days,  3:04,  2 users,  load average: 0.00, 0.01, 0.05", 12 * 86400 + 3 * 3600 + 4 * 60),
    (" 10:15:01 up 5 min,  1 user,  load average: 0.00, 0.01, 0.05", 300),
    (" 10:15:01 up 1 day, 20 min,  3 users,  load average: 0.00, 0.01, 0.05", 86400 + 1200),
    ("no uptime here", None),
])
def test_uptime(line, seconds):
    assert linux.uptime_seconds(line) == seconds


def test_interfaces_join_addresses_and_counters():
    i = linux.parse_interfaces(read("ip_j_addr"), read("ip_j_s_link"))
    lo, eth0, eth2 = i.by_name("lo"), i.by_name("eth0"), i.by_name("eth2")
    assert lo.admin_up and lo.oper_up and lo.mac is None  # operstate UNKNOWN with LOWER_UP
    assert "203.0.113.10/32" in lo.addresses
    assert eth0.addresses == ["198.51.100.2/30", "2001:db8:100::2/64", "fe80::98dc:3fff:fefe:33b2/64"]
    assert eth0.description == "uplink to pe1 ge-0/0/3" and eth0.mtu == 1500 and eth0.mac == "9a:dc:3f:fe:33:b2"
    assert eth0.counters.rx_packets == 7 and eth0.counters.tx_bytes == 756 and eth0.counters.rx_errors == 0
    assert not eth2.admin_up and not eth2.oper_up and eth2.addresses == []


def test_route_lookup_longest_match():
    r = linux.parse_route(read("ip_j_route_show_match_10_30_1_1"), "10.30.1.1")
    assert r.found and r.prefix == "10.30.0.0/16" and r.protocol == "bgp" and r.metric == 20 and r.distance is None
    assert [(h.address, h.interface) for h in r.next_hops] == [("198.51.100.1", "eth0"), ("198.51.100.5", "eth1")]
    c = linux.parse_route(read("ip_j_route_show_match_198_51_100_6"), "198.51.100.6")
    assert c.prefix == "198.51.100.4/30" and c.protocol == "connected" and c.next_hops[0].interface == "eth1"
    v6 = linux.parse_route(read("ip_6_j_route_show_match_2001_db8_100_9"), "2001:db8:100::9")
    assert v6.prefix == "2001:db8:100::/64" and v6.protocol == "connected"
    assert not linux.parse_route(read("ip_6_j_route_show_match_2001_db8_999_1"), "2001:db8:999::1").found
    default = linux.parse_route('[{"dst":"default","gateway":"198.51.100.1","dev":"eth0","protocol":"static",'
                                '"metric":100,"flags":[]}]', "192.0.2.55")
    assert default.prefix == "0.0.0.0/0" and default.next_hops[0].address == "198.51.100.1"


@pytest.mark.parametrize("addr, match", [
    ("Object \"addr\" is unknown, try \"ip help\".\n", "did not return JSON"),
    ('{"ifname": "eth0"}', "not return a JSON array"),
    ('[{"flags": []}]', "unexpected shape"),
])
def test_malformed_interfaces(addr, match):
    with pytest.raises(ParseError, match=match):
        linux.parse_interfaces(addr, "[]")


def test_getters_through_the_service(svc):
    for getter, kw in [("facts", {}), ("interfaces", {}), ("bgp", {}), ("ospf", {}),
                       ("route", {"prefix": "10.30.0.0/16"}), ("route", {"prefix": "2001:db8:100::9"}), ("config", {})]:
        r = svc.get("srv1", getter, **kw)["srv1"]
        assert r.ok, (getter, r.error)
    sent = svc.fake.commands_for("srv1")
    assert "vtysh -c 'show bgp summary json'" in sent and "ip -6 -j route show match 2001:db8:100::9" in sent
    bgp = svc.get("srv1", "bgp")["srv1"].data
    assert bgp.local_as == 65001 and bgp.by_peer("198.51.100.2").established


def test_without_frr_bgp_is_unsupported_with_a_reason(svc):
    svc.fake.outputs["srv1"]["vtysh_c_show_bgp_summary_json"] = "bash: line 1: vtysh: command not found\n"
    r = svc.get("srv1", "bgp")["srv1"]
    assert r.failed and r.error_type == "GetterUnsupported" and "vtysh" in r.error


def test_malformed_output_is_a_failed_result(svc):
    svc.fake.outputs["srv1"]["uname_a"] = "Darwin mac 23.1.0 Darwin Kernel Version 23.1.0\n"
    r = svc.get("srv1", "facts")["srv1"]
    assert r.failed and r.error_type == "ParseError" and "not a Linux host" in r.error
    svc.fake.outputs["srv1"]["ip_j_route_show_match_10_30_0_0_16"] = '[{"dst": "not-a-prefix"}]'
    bad = svc.get("srv1", "route", prefix="10.30.0.0/16")["srv1"]
    assert bad.failed and bad.error_type == "ParseError"
