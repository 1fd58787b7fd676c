"""An open health question answered offline says which device has something down, or that nothing
read is down ("is r2 healthy?" with bgpd stopped listed every interface, session and adjacency, and
"BGP should run on this device ... but is not running" among them, with no word of a verdict). The
line comes from the same per-getter reading that checks a model's verdict; the reads here are the
real getters over captured FRR output."""

from __future__ import annotations

from pathlib import Path

from netops.agent.offline import health_line
from netops.devices.credentials import Credentials
from netops.devices.getters import resolve_getter
from netops.devices.inventory import Host
from netops.devices.results import HostResult

CAPTURES = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "frr" / "r1"
BGPD_DOWN = {"show bgp summary json": "bgpd is not running\n", "show bgp vrf all summary json": "bgpd is not running\n",
             "show running-config": "frr version 8.4.4\nhostname r1\n!\nend\n"}


def _captured(command: str) -> str:
    path = CAPTURES / (command.replace(" ", "_") + ".txt")
    if path.exists():
        return path.read_text()
    return "% Unknown command: " + command


def _read(getter: str, host: Host, outputs=None) -> HostResult:
    _, get = resolve_getter(getter, {})
    data = get(host, (lambda c: outputs.get(c, _captured(c))) if outputs else _captured)
    return HostResult(host=host.name, ok=True, command=getter, data=data)


def _reads(host: Host, bgp_outputs=None) -> dict:
    return {"interfaces": {host.name: _read("interfaces", host)},
            "bgp_neighbors": {host.name: _read("bgp", host, bgp_outputs)},
            "ospf_neighbors": {host.name: _read("ospf", host)}}


def _host(**data) -> Host:
    return Host(name="r1", hostname="127.0.0.1", port=22, platform="frr", credentials=Credentials(), data=data)


def test_a_healthy_router_gets_nothing_read_is_down():
    line = health_line(_reads(_host()), ["r1"])
    assert line == ("**Nothing read is down** on r1: every interface up, every BGP session Established, "
                    "every OSPF adjacency Full.")


def test_bgpd_stopped_on_a_router_that_should_run_bgp_is_not_healthy():
    line = health_line(_reads(_host(asn=65001), BGPD_DOWN), ["r1"])
    assert line is not None and line.startswith("**Not healthy:** r1: BGP should run but is not running"), line


def test_bgpd_stopped_on_a_router_nothing_says_runs_bgp_gives_no_verdict():
    # the same words from a router without BGP: neither "down" nor "nothing is down"
    assert health_line(_reads(_host(), BGPD_DOWN), ["r1"]) is None


def test_a_failed_read_gives_no_all_clear():
    reads = _reads(_host())
    reads["ospf_neighbors"] = {"r1": HostResult(host="r1", ok=False, error="timed out")}
    assert health_line(reads, ["r1"]) is None


def test_a_read_that_failed_on_every_device_gives_no_all_clear():
    reads = _reads(_host())
    del reads["bgp_neighbors"]  # the whole getter failed: its result is not among the reads
    assert health_line(reads, ["r1"], ["interfaces", "bgp_neighbors", "ospf_neighbors"]) is None
    assert health_line(reads, ["r1"], ["interfaces", "ospf_neighbors"]) is not None  # BGP never asked


def test_the_model_path_says_the_bgp_fault_in_the_offline_words():
    # one fault, one wording: the grounding's line after a model's answer and the offline health
    # line both say "BGP should run but is not running" (the model path said "BGP is not running,
    # but it should be")
    from types import SimpleNamespace

    from netops.agent import grounding

    host = _host(asn=65001)
    agg = {"r1": _read("bgp", host, BGPD_DOWN)}
    g = grounding.from_devices(lambda tool, args: SimpleNamespace(data=agg, evidence=[]),
                               {"getter": "bgp", "hosts": ["r1"]})
    offline = health_line({"bgp_neighbors": agg}, ["r1"])
    assert offline is not None and "r1: BGP should run but is not running" in offline, offline
    assert any(c.startswith("**r1: BGP should run but is not running** (the inventory gives it AS 65001)")
               for c in g.counts), g.counts
