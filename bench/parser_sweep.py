"""Sweep netops' device parsers over public device captures: crash, clean error, wrong answer.

A measurement, not a test. The captures are third-party files we may not redistribute, so they
live OUTSIDE the repository (default ``/work/capsweep-data``); ``collect`` fills that directory
from local git snapshots of public repositories (ntc-templates, genieparser, NAPALM, Batfish's
lab-validation; genielibs' mock device data, napalm-huawei-vrp, Arista's EANTC test-bed logs; since
stop 32 Ansible's network collections' fixtures, pyntc, unicon.plugins, textfsm's examples,
napalm-sros, FRR's topotests, suzieq's saved replies, Huawei's documentation examples),
one ``NAME.txt`` per capture plus a ``NAME.json`` sidecar
``{"source", "command", "query", "expect"}``. ``expect`` holds the facts the source's own parser
test asserts (neighbor addresses, AS numbers, states, prefix counts, interface names and
admin/oper state, addresses, host name, version, route prefix), reduced to one neutral shape;
where a source has none, a few facts are read from the capture itself (JSON keys, the address
column of a table) so that a silently empty or short answer still shows.

    python bench/parser_sweep.py collect [--data DIR] [--mirrors /work/.mirror]
    python bench/parser_sweep.py run [--data DIR] [--json] [--details] [--platform P] [--command C]

Per platform and command, ``run`` counts: ``ok`` (parsed, agrees with the expected facts),
``error`` (a clean :class:`ParseError`/``DeviceError``, one line), ``crash`` (any other
exception: a bug), ``mismatch`` (parsed, but a fact differs from the source's).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib
import ipaddress
import json
import re
import subprocess
import sys
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path("/work/capsweep-data")
MIRRORS = Path("/work/.mirror")

# -- what we run: (platform, command) -> (kind, parse(text, query) -> model) -------------------


def _p(module: str, fn: str, *, query: bool = False, **kw: Any) -> Callable[[str, str | None], Any]:
    """``module.fn(text, **kw)``, or ``module.fn(text, query)`` for a route lookup."""
    def run(text: str, q: str | None) -> Any:
        f = getattr(importlib.import_module(f"netops.devices.parsers.{module}"), fn)
        return f(text, q or "") if query else f(text, **kw)
    return run


SWEEP_HOST = "sweep-host"


def _eos_version(text: str, query: str | None) -> Any:
    from netops.devices.parsers import arista_eos
    return arista_eos.parse_version(text, json.dumps({"hostname": "sweep", "fqdn": "sweep"}))


def _peer(platform: str, getter: str) -> Callable[[str, str | None], Any]:
    """The platform's ``bgp_advertised``/``bgp_received`` getter with every read answered by the
    capture; the query is ``{"peer", "family", "vrf"}`` (JSON)."""
    def run(text: str, q: str | None) -> Any:
        from types import SimpleNamespace

        args = json.loads(q or "{}")
        module = importlib.import_module(f"netops.devices.parsers.{platform}")
        host = SimpleNamespace(name="sweep", platform=platform)
        vrf = {"vrf": args["vrf"]} if args.get("vrf") not in (None, "default") else {}
        return module.PEER_GETTERS[getter](host, lambda command: text, peer=args.get("peer") or "192.0.2.1",
                                           family=args.get("family") or "ipv4", **vrf)
    return run


# the peer getters' reads, as the sources name them (PEER: the neighbour's address)
PEER_COMMANDS: dict[tuple[str, str], str] = {
    ("juniper_junos", "show route advertising-protocol bgp PEER"): "bgp_advertised",
    ("juniper_junos", "show route receive-protocol bgp PEER"): "bgp_received",
    ("cisco_xr", "show bgp neighbors PEER advertised-routes"): "bgp_advertised",
    ("cisco_xr", "show bgp neighbors PEER routes"): "bgp_received",
    ("cisco_xr", "show bgp neighbors PEER received routes"): "bgp_received",
    ("cisco_ios", "show ip bgp neighbors PEER advertised-routes"): "bgp_advertised",
    ("cisco_ios", "show bgp neighbors PEER received-routes"): "bgp_received",
    ("cisco_ios", "show bgp all neighbors PEER advertised-routes"): "bgp_advertised",
    ("cisco_ios", "show bgp all neighbors PEER routes"): "bgp_received",
    ("cisco_ios", "show bgp all neighbors PEER received-routes"): "bgp_received",
    ("cisco_nxos", "show bgp vrf all all neighbors PEER advertised-routes"): "bgp_advertised",
    ("cisco_nxos", "show bgp vrf all all neighbors PEER routes"): "bgp_received",
    ("cisco_nxos", "show bgp vrf all all neighbors PEER received-routes"): "bgp_received",
    ("cisco_nxos", "show bgp vrf all ipv4 unicast neighbors PEER routes"): "bgp_received",
    ("nokia_sros", "show router bgp neighbor PEER advertised-routes"): "bgp_advertised",
}


PARSERS: dict[tuple[str, str], tuple[str, Callable[[str, str | None], Any]]] = {
    ("cisco_ios", "show version"): ("version", _p("cisco_ios", "parse_version")),
    ("cisco_ios", "show interfaces"): ("interfaces", _p("cisco_ios", "parse_interfaces")),
    ("cisco_ios", "show ip interface"): ("listed", _p("cisco_ios", "parse_ip_interfaces")),
    ("cisco_ios", "show ipv6 interface"): ("listed", _p("cisco_ios", "parse_ipv6_interfaces")),
    ("cisco_ios", "show ip bgp summary"): ("bgp", _p("cisco_ios", "parse_bgp_summary")),
    ("cisco_ios", "show bgp all summary"): ("bgp", _p("cisco_ios", "parse_bgp_summary")),
    ("cisco_ios", "show ip ospf neighbor"): ("ospf", _p("cisco_ios", "parse_ospf_neighbors")),
    ("cisco_ios", "show ip route ADDR"): ("route", _p("cisco_ios", "parse_route", query=True)),
    ("cisco_ios", "show ipv6 route ADDR"): ("route", _p("cisco_ios", "parse_route_v6", query=True)),
    ("cisco_nxos", "show version"): ("version", _p("cisco_nxos", "parse_version_text")),
    ("cisco_nxos", "show version | json"): ("version", _p("cisco_nxos", "parse_version")),
    ("cisco_nxos", "show interface"): ("interfaces", _p("cisco_nxos", "parse_interfaces_text")),
    ("cisco_nxos", "show interface | json"): ("interfaces", _p("cisco_nxos", "parse_interfaces")),
    ("cisco_nxos", "show ip interface vrf all"): ("listed", _p("cisco_nxos", "parse_ip_interfaces_text")),
    ("cisco_nxos", "show ip interface vrf all | json"): ("listed", _p("cisco_nxos", "parse_ip_interfaces")),
    ("cisco_nxos", "show ipv6 interface vrf all"): ("listed", _p("cisco_nxos", "parse_ipv6_interfaces_text")),
    ("cisco_nxos", "show ipv6 interface vrf all | json"): ("listed", _p("cisco_nxos", "parse_ipv6_interfaces")),
    ("cisco_nxos", "show bgp all summary vrf all"): ("bgp", _p("cisco_nxos", "parse_bgp_summary_text")),
    ("cisco_nxos", "show bgp all summary vrf all | json"): ("bgp", _p("cisco_nxos", "parse_bgp_summary")),
    ("cisco_nxos", "show ip ospf neighbors vrf all"): ("ospf", _p("cisco_nxos", "parse_ospf_neighbors_text")),
    ("arista_eos", "show version | json"): ("version", _eos_version),
    ("arista_eos", "show interfaces | json"): ("interfaces", _p("arista_eos", "parse_interfaces")),
    ("arista_eos", "show ipv6 interface | json"): ("listed", _p("arista_eos", "parse_ipv6_interfaces")),
    ("arista_eos", "show ip bgp summary"): ("bgp", _p("arista_eos", "parse_bgp_summary_text")),
    ("arista_eos", "show ipv6 bgp summary"): ("bgp", _p("arista_eos", "parse_bgp_summary_text", afi="ipv6-unicast")),
    ("arista_eos", "show bgp evpn summary"): ("bgp", _p("arista_eos", "parse_bgp_summary_text", afi="l2vpn-evpn")),
    ("arista_eos", "show ip bgp summary vrf all | json"): ("bgp", _p("arista_eos", "parse_bgp_summary")),
    ("arista_eos", "show ipv6 bgp summary vrf all | json"): ("bgp", _p("arista_eos", "parse_bgp_summary", afi="ipv6-unicast")),
    ("arista_eos", "show ip ospf neighbor"): ("ospf", _p("arista_eos", "parse_ospf_neighbors_text")),
    ("arista_eos", "show ip ospf neighbor | json"): ("ospf", _p("arista_eos", "parse_ospf_neighbors")),
    ("juniper_junos", "show version | display json"): ("version", _p("juniper_junos", "parse_version")),
    ("juniper_junos", "show interfaces | display json"): ("interfaces", _p("juniper_junos", "parse_interfaces")),
    ("juniper_junos", "show bgp summary"): ("bgp", _p("juniper_junos", "parse_bgp_summary_text")),
    ("juniper_junos", "show bgp summary | display xml"): ("bgp", _p("juniper_junos", "parse_bgp_summary")),
    ("juniper_junos", "show ospf neighbor"): ("ospf", _p("juniper_junos", "parse_ospf_neighbors_text")),
    ("juniper_junos", "show ospf neighbor | display json"): ("ospf", _p("juniper_junos", "parse_ospf_neighbors")),
    ("juniper_junos", "show ospf neighbor instance all | display json"): ("ospf", _p("juniper_junos", "parse_ospf_neighbors")),
    ("juniper_junos", "show ospf neighbor instance all"): ("ospf", _p("juniper_junos", "parse_ospf_neighbors_text")),
    ("cisco_xr", "show version"): ("version", _p("cisco_xr", "parse_version", hostname=SWEEP_HOST)),
    ("cisco_xr", "show interfaces"): ("interfaces", _p("cisco_xr", "parse_interfaces")),
    ("cisco_xr", "show ipv4 vrf all interface"): ("listed", _p("cisco_xr", "parse_ipv4_interfaces")),
    ("cisco_xr", "show ipv6 vrf all interface"): ("listed", _p("cisco_xr", "parse_ipv6_interfaces")),
    ("cisco_xr", "show bgp summary"): ("bgp", _p("cisco_xr", "parse_bgp_summary")),
    ("cisco_xr", "show ospf vrf all-inclusive neighbor"): ("ospf", _p("cisco_xr", "parse_ospf_neighbors")),
    ("cisco_xr", "show route ipv4 ADDR"): ("route", _p("cisco_xr", "parse_route", query=True)),
    ("cisco_xr", "show route ipv6 ADDR"): ("route", _p("cisco_xr", "parse_route", query=True)),
    ("nokia_sros", "show router bgp summary"): ("bgp", _p("nokia_sros", "parse_bgp_summary")),
    ("nokia_sros", "show router interface"): ("interfaces", _p("nokia_sros", "parse_router_interfaces")),
    ("nokia_sros", "show port"): ("interfaces", _p("nokia_sros", "parse_ports")),
    ("nokia_sros", "show router ospf neighbor"): ("ospf", _p("nokia_sros", "parse_ospf_neighbors")),
    ("nokia_sros", "show router route-table"): ("route", _p("nokia_sros", "parse_route", query=True)),
    ("huawei_vrp", "display version"): ("version", _p("huawei_vrp", "parse_version", hostname=SWEEP_HOST)),
    ("huawei_vrp", "display interface"): ("interfaces", _p("huawei_vrp", "parse_interfaces")),
    ("huawei_vrp", "display interface brief"): ("interfaces", _p("huawei_vrp", "parse_interface_brief")),
    ("huawei_vrp", "display ip interface brief"): ("listed", _p("huawei_vrp", "parse_ip_interface_brief")),
    ("huawei_vrp", "display bgp peer"): ("bgp", _p("huawei_vrp", "parse_bgp_peers")),
    ("huawei_vrp", "display bgp ipv6 peer"): ("bgp", _p("huawei_vrp", "parse_bgp_peers", afi="ipv6-unicast")),
    ("huawei_vrp", "display ospf peer"): ("ospf", _p("huawei_vrp", "parse_ospf_peers")),
    ("huawei_vrp", "display ospf peer brief"): ("ospf", _p("huawei_vrp", "parse_ospf_brief")),
    ("huawei_vrp", "display ip routing-table ADDR"): ("route", _p("huawei_vrp", "parse_route", query=True)),
    ("huawei_vrp", "display ipv6 routing-table ADDR"): ("route", _p("huawei_vrp", "parse_route6", query=True)),
    ("huawei_vrp", "display ipv6 interface"): ("listed", _p("huawei_vrp", "parse_ipv6_interfaces")),
    ("huawei_vrp", "display ip vpn-instance interface"):
        ("vpn_interfaces", _p("huawei_vrp", "parse_vpn_instance_interfaces")),
    ("arista_eos", "show ip route ADDR | json"): ("route", _p("arista_eos", "parse_route", query=True)),
    ("juniper_junos", "show route ADDR | display json"): ("route", _p("juniper_junos", "parse_route", query=True)),
    ("frr", "show ip route ADDR json"): ("route", _p("frr", "parse_route", query=True)),
    ("frr", "show ipv6 route ADDR json"): ("route", _p("frr", "parse_route", query=True)),
    ("cisco_nxos", "show ip route ADDR | json"): ("route", _p("cisco_nxos", "parse_route", query=True)),
    ("cisco_nxos", "show ip ospf neighbors vrf all | json"): ("ospf", _p("cisco_nxos", "parse_ospf_neighbors")),
    ("juniper_junos", "show bgp summary | display json"): ("bgp", _p("juniper_junos", "parse_bgp_summary")),
    ("frr", "show bgp summary json"): ("bgp", _p("frr", "parse_bgp_summary")),
    # the RIB getters behind a route diagnosis, asked for everything (0.0.0.0/0 longer-prefixes)
    ("frr", "show ip route 0.0.0.0/0 longer-prefixes json"):
        ("rib", lambda t, q: importlib.import_module("netops.devices.parsers.frr_rib").parse_routes(t, "0.0.0.0/0")),
    ("frr", "show bgp ipv4 unicast 0.0.0.0/0 longer-prefixes json"):
        ("bgp_paths", lambda t, q: importlib.import_module("netops.devices.parsers.frr_rib").parse_bgp_routes(t, "0.0.0.0/0")),
    ("frr", "show bgp ipv6 unicast ::/0 longer-prefixes json"):
        ("bgp_paths", lambda t, q: importlib.import_module("netops.devices.parsers.frr_rib").parse_bgp_routes(t, "::/0")),
    ("frr", "show version"): ("version", _p("frr", "parse_version")),
    ("frr", "show ip ospf neighbor json"): ("ospf", _p("frr", "parse_ospf_neighbors")),
    **{key: ("peer_routes", _peer(key[0], getter)) for key, getter in PEER_COMMANDS.items()},
}

# -- collecting -------------------------------------------------------------------------------


class Sink:
    """Writes captures into the data directory, one per distinct (platform, command, text)."""

    def __init__(self, root: Path) -> None:
        self.root, self.seen, self.count = root, set(), Counter()

    def add(self, platform: str, command: str, source: str, name: str, text: str,
            expect: dict[str, Any] | None = None, query: str | None = None) -> None:
        key = hashlib.sha256(f"{platform}\0{command}\0{query}\0{text}".encode()).hexdigest()[:16]
        if key in self.seen or not text.strip():
            return
        self.seen.add(key)
        folder = self.root / platform / re.sub(r"[^A-Za-z0-9_.-]+", "_", command)
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{source}__{name}")[:150] + f"__{key[:6]}"
        (folder / f"{stem}.txt").write_text(text)
        (folder / f"{stem}.json").write_text(json.dumps(
            {"source": source, "command": command, "query": query, "expect": expect}, indent=1))
        self.count[(platform, command)] += 1


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={repo}", *args], capture_output=True, text=True,
                          errors="replace", check=True).stdout


def _files(repo: Path, under: str = "") -> list[str]:
    return [f for f in _git(repo, "ls-tree", "-r", "--name-only", "HEAD", *([under] if under else [])).split("\n") if f]


def _show(repo: Path, path: str) -> str:
    return _git(repo, "show", f"HEAD:{path}")


def _repo(mirrors: Path, name: str) -> Path | None:
    p = mirrors / name / "repo"
    if (p / "HEAD").exists():
        return p
    if (p / ".git").exists():
        return p / ".git"
    return None


def _num(v: Any) -> int | None:
    try:
        return int(str(v).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _bgp_fact(peer: str, asn: Any, state: Any, vrf: str | None = None) -> dict[str, Any]:
    s = str(state or "").strip()
    n = _num(re.sub(r"\s*\(No Cap\)$", "", s))  # NX-OS: session up, family not negotiated
    up = n is not None or s.lower().startswith("establ")
    return {"peer": peer, "as": asn, "established": up if s else None,
            "pfx": n, "state": None if up or not s else s, "vrf": vrf}


# ntc-templates: (platform dir, command dir) -> (our platform, our command, kind)
NTC = {
    ("cisco_ios", "show_version"): ("cisco_ios", "show version"),
    ("cisco_ios", "show_interfaces"): ("cisco_ios", "show interfaces"),
    ("cisco_ios", "show_ip_interface"): ("cisco_ios", "show ip interface"),
    ("cisco_ios", "show_ip_bgp_summary"): ("cisco_ios", "show ip bgp summary"),
    ("cisco_ios", "show_ip_ospf_neighbor"): ("cisco_ios", "show ip ospf neighbor"),
    ("cisco_nxos", "show_version"): ("cisco_nxos", "show version"),
    ("cisco_nxos", "show_interface"): ("cisco_nxos", "show interface"),
    ("cisco_nxos", "show_ip_interface_vrf_all"): ("cisco_nxos", "show ip interface vrf all"),
    ("cisco_nxos", "show_ip_bgp_summary"): ("cisco_nxos", "show bgp all summary vrf all"),
    ("cisco_nxos", "show_ip_bgp_summary_vrf"): ("cisco_nxos", "show bgp all summary vrf all"),
    ("cisco_nxos", "show_ip_ospf_neighbor"): ("cisco_nxos", "show ip ospf neighbors vrf all"),
    ("arista_eos", "show_ip_bgp_summary"): ("arista_eos", "show ip bgp summary"),
    ("arista_eos", "show_ipv6_bgp_summary"): ("arista_eos", "show ipv6 bgp summary"),
    ("arista_eos", "show_bgp_evpn_summary"): ("arista_eos", "show bgp evpn summary"),
    ("arista_eos", "show_ip_ospf_neighbor"): ("arista_eos", "show ip ospf neighbor"),
    ("juniper_junos", "show_bgp_summary"): ("juniper_junos", "show bgp summary"),
    ("juniper_junos", "show_ospf_neighbor"): ("juniper_junos", "show ospf neighbor"),
    ("cisco_xr", "show_version"): ("cisco_xr", "show version"),
    ("cisco_xr", "show_interfaces"): ("cisco_xr", "show interfaces"),
    ("cisco_xr", "show_ipv4_interface"): ("cisco_xr", "show ipv4 vrf all interface"),
    ("cisco_xr", "show_bgp_instance_all_summary"): ("cisco_xr", "show bgp summary"),
    ("cisco_xr", "show_bgp_vrf_all_ipv4_unicast_summary"): ("cisco_xr", "show bgp summary"),
    ("cisco_xr", "show_ip_bgp_summary"): ("cisco_xr", "show bgp summary"),
    ("cisco_xr", "show_ospf_neighbor"): ("cisco_xr", "show ospf vrf all-inclusive neighbor"),
    ("cisco_xr", "show_ospf_vrf_all_neighbor"): ("cisco_xr", "show ospf vrf all-inclusive neighbor"),
    ("alcatel_sros", "show_router_bgp_summary_family"): ("nokia_sros", "show router bgp summary"),
    ("alcatel_sros", "show_router_interface"): ("nokia_sros", "show router interface"),
    ("alcatel_sros", "show_port"): ("nokia_sros", "show port"),
    ("huawei_vrp", "display_version"): ("huawei_vrp", "display version"),
    ("huawei_vrp", "display_interface"): ("huawei_vrp", "display interface"),
    ("huawei_vrp", "display_interface_brief"): ("huawei_vrp", "display interface brief"),
    ("huawei_vrp", "display_ip_interface_brief"): ("huawei_vrp", "display ip interface brief"),
    ("huawei_vrp", "display_bgp_peer"): ("huawei_vrp", "display bgp peer"),
    ("huawei_vrp", "display_bgp_ipv6_peer"): ("huawei_vrp", "display bgp ipv6 peer"),
    ("huawei_vrp", "display_ip_vpn-instance_interface"): ("huawei_vrp", "display ip vpn-instance interface"),
    ("cisco_ios", "show_ip_bgp_neighbors_advertised-routes"): ("cisco_ios", "show ip bgp neighbors PEER advertised-routes"),
    ("cisco_nxos", "show_bgp_vrf_all_ipv4_unicast_neighbors_routes"):
        ("cisco_nxos", "show bgp vrf all ipv4 unicast neighbors PEER routes"),
    ("cisco_xr", "show_bgp_vrf_all_neighbors_advertised-routes"): ("cisco_xr", "show bgp neighbors PEER advertised-routes"),
}


def _ntc_admin(platform: str, r: dict[str, Any]) -> bool | None:
    """The admin state an ntc-templates row states, or None where its field does not say it
    (the NX-OS template puts the oper word, or a cut-off "u", in admin_state)."""
    adm = str(r.get("admin_state") or "").lower()
    link = str(r.get("link_status") or "").lower()
    if platform == "alcatel_sros":
        return adm == "up" if adm in ("up", "down") else None
    if "administratively" in adm or "administratively" in link or link.startswith("deleted"):
        return False
    if platform == "cisco_nxos":
        return True if adm.startswith("u") else None
    if adm:
        return adm.startswith("up")
    return True if link else None


def _ntc_expect(kind: str, rows: list[dict[str, Any]], platform: str = "") -> dict[str, Any] | None:
    def g(r: dict[str, Any], *keys: str) -> Any:
        for k in keys:
            if r.get(k) not in (None, "", []):
                return r[k]
        return None

    if kind == "bgp":
        rows = [dict(r, **{k: r[k][i] if isinstance(r.get(k), list) and len(r[k]) > i else r.get(k) for k in r})
                for r in rows for i in range(max([len(v) for v in r.values() if isinstance(v, list)] or [1]))]
        return {"kind": "bgp", "peers": [_bgp_fact(
            str(g(r, "bgp_neigh", "bgp_neighbor", "peer_ip", "neighbor", "peer")),
            g(r, "neigh_as", "neighbor_as", "peer_as", "as", "asn"),
            g(r, "state_pfxrcd", "state_or_prefixes_received", "state", "rcv")
            if not (r.get("state") and r.get("state_pfxrcd") is None and r.get("received") is not None) else r.get("state"),
            g(r, "vrf")) for r in rows]}
    if kind == "ospf":
        return {"kind": "ospf", "neighbors": [{"id": g(r, "neighbor_id"), "address": g(r, "ip_address"),
                                               "state": g(r, "state")} for r in rows]}
    if kind == "interfaces":
        out = []
        for r in rows:
            name = g(r, "interface", "port_id")
            if platform == "huawei_vrp" and name:  # "GigabitEthernet4/0/4(10G)": the speed, not the name
                name = re.sub(r"\(\w+\)$", "", str(name))
            admin = _ntc_admin(platform, r)
            oper = g(r, "protocol_status", "link_status", "port_state")
            out.append({"name": name, "admin": admin, "oper": oper})
        return {"kind": "interfaces", "interfaces": out}
    if kind == "listed":
        out = []
        for r in rows:
            ips = r.get("ip_address") or []
            ips = ips if isinstance(ips, list) else [ips]
            out.append({"name": g(r, "interface"), "ips": [str(i) for i in ips if i]})
        return {"kind": "listed", "interfaces": out}
    if kind == "version":
        r = rows[0] if rows else {}
        return {"kind": "version", "hostname": g(r, "hostname"), "version": g(r, "version", "os")}
    if kind == "vpn_interfaces":
        return {"kind": "vpn_interfaces", "interfaces": {str(i): str(r.get("name")) for r in rows
                                                         for i in r.get("interface_list") or []}}
    if kind == "peer_routes":  # one row per path; a network printed once for several paths fills down
        prefixes, last = [], None
        for r in rows:
            net = g(r, "network", "prefix")
            if net and r.get("prefix_length") not in (None, ""):
                net = f"{net}/{r['prefix_length']}"
            last = net or last
            if last:
                prefixes.append(str(last))
        return {"kind": "peer_routes", "prefixes": prefixes}
    return None


def collect_ntc(repo: Path, sink: Sink) -> None:
    import yaml
    files = _files(repo, "tests")
    for f in files:
        parts = f.split("/")
        if len(parts) != 4 or not f.endswith(".raw"):
            continue
        target = NTC.get((parts[1], parts[2]))
        if not target:
            continue
        platform, command = target
        kind = PARSERS[target][0]
        expect = None
        yml = f[:-4] + ".yml"
        if yml in files:
            try:
                doc = yaml.safe_load(_show(repo, yml)) or {}
                expect = _ntc_expect(kind, doc.get("parsed_sample") or [], parts[1])
            except Exception:  # a broken expected file leaves the capture without facts
                expect = None
        query = None
        if kind == "peer_routes":  # the capture does not say which peer (or VRF): the text is read whole
            query = json.dumps({"peer": "192.0.2.1", "family": "ipv4", "vrf": "default"})
            if platform == "cisco_xr" and expect:  # "VRF: NAME" sections: the first VRF's rows only
                expect = _xr_first_vrf(_show(repo, f), expect)
        sink.add(platform, command, "ntc-templates", f"{parts[2]}/{parts[3]}", _show(repo, f), expect, query)


def _xr_first_vrf(text: str, expect: dict[str, Any]) -> dict[str, Any]:
    """ntc's rows of a ``show bgp vrf all ... advertised-routes`` capture name their VRF: the one
    VRF netops reads from such a text (it asks for one VRF) is the capture's first with routes."""
    return dict(expect, loose=True) if "VRF:" in text else expect


GENIE = {
    ("ios", "ShowVersion"): ("cisco_ios", "show version"),
    ("iosxe", "ShowVersion"): ("cisco_ios", "show version"),
    ("ios", "ShowInterfaces"): ("cisco_ios", "show interfaces"),
    ("iosxe", "ShowInterfaces"): ("cisco_ios", "show interfaces"),
    ("ios", "ShowIpInterface"): ("cisco_ios", "show ip interface"),
    ("iosxe", "ShowIpInterface"): ("cisco_ios", "show ip interface"),
    ("ios", "ShowIpv6Interface"): ("cisco_ios", "show ipv6 interface"),
    ("iosxe", "ShowIpv6Interface"): ("cisco_ios", "show ipv6 interface"),
    ("ios", "ShowBgpAllSummary"): ("cisco_ios", "show bgp all summary"),
    ("iosxe", "ShowBgpAllSummary"): ("cisco_ios", "show bgp all summary"),
    ("ios", "ShowBgpSummary"): ("cisco_ios", "show bgp all summary"),
    ("iosxe", "ShowBgpSummary"): ("cisco_ios", "show bgp all summary"),
    ("iosxe", "ShowIpBgpSummary"): ("cisco_ios", "show ip bgp summary"),
    ("iosxe", "ShowIpOspfNeighbor"): ("cisco_ios", "show ip ospf neighbor"),
    ("ios", "ShowIpRouteWord"): ("cisco_ios", "show ip route ADDR"),
    ("iosxe", "ShowIpRouteWord"): ("cisco_ios", "show ip route ADDR"),
    ("ios", "ShowIpv6RouteWord"): ("cisco_ios", "show ipv6 route ADDR"),
    ("iosxe", "ShowIpv6RouteWord"): ("cisco_ios", "show ipv6 route ADDR"),
    ("nxos", "ShowVersion"): ("cisco_nxos", "show version"),
    ("nxos", "ShowInterface"): ("cisco_nxos", "show interface"),
    ("nxos", "ShowIpInterfaceVrfAll"): ("cisco_nxos", "show ip interface vrf all"),
    ("nxos", "ShowIpv6InterfaceVrfAll"): ("cisco_nxos", "show ipv6 interface vrf all"),
    ("nxos", "ShowBgpVrfAllAllSummary"): ("cisco_nxos", "show bgp all summary vrf all"),
    ("iosxr", "ShowVersion"): ("cisco_xr", "show version"),
    ("iosxr", "ShowInterfaces"): ("cisco_xr", "show interfaces"),
    ("iosxr", "ShowIpv4VrfAllInterface"): ("cisco_xr", "show ipv4 vrf all interface"),
    ("iosxr", "ShowIpv6VrfAllInterface"): ("cisco_xr", "show ipv6 vrf all interface"),
    ("iosxr", "ShowBgpInstanceSummary"): ("cisco_xr", "show bgp summary"),
    ("iosxr", "ShowOspfNeighbor"): ("cisco_xr", "show ospf vrf all-inclusive neighbor"),
    ("iosxr", "ShowRouteIpv4"): ("cisco_xr", "show route ipv4 ADDR"),
    ("junos", "ShowBgpSummary"): ("juniper_junos", "show bgp summary"),
    ("junos", "ShowOspfNeighbor"): ("juniper_junos", "show ospf neighbor"),
    ("iosxe", "ShowIpBgpAllSummary"): ("cisco_ios", "show bgp all summary"),
    ("iosxe", "ShowBgpL2vpnEvpnSummary"): ("cisco_ios", "show bgp all summary"),
    ("nxos", "ShowBgpL2vpnEvpnSummary"): ("cisco_nxos", "show bgp all summary vrf all"),
    ("iosxr", "ShowBgpL2vpnEvpnSummary"): ("cisco_xr", "show bgp summary"),
    ("iosxr", "ShowOspfVrfNeighbor"): ("cisco_xr", "show ospf vrf all-inclusive neighbor"),
    ("iosxr", "ShowRouteIpv6"): ("cisco_xr", "show route ipv6 ADDR"),
    ("junos", "ShowBgpSummaryInstance"): ("juniper_junos", "show bgp summary"),
    ("junos", "ShowOspfNeighborInstanceAll"): ("juniper_junos", "show ospf neighbor instance all"),
}

_IP = re.compile(r"^[0-9a-fA-F:.]+(%\S+)?$")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("%")[0])
        return True
    except ValueError:
        return False


def _walk(node: Any, path: tuple[str, ...] = ()):  # yields (path, key, value) for every dict item
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from _walk(v, path + (str(k),))
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, path)


def _first(node: Any, *keys: str) -> Any:
    for _, k, v in _walk(node):
        if k in keys and not isinstance(v, (dict, list)):
            return v
    return None


def _genie_expect(kind: str, doc: dict[str, Any]) -> dict[str, Any] | None:
    if kind == "bgp":
        peers = []
        for path, k, v in _walk(doc):
            if k in ("neighbor", "neighbors", "peer") and isinstance(v, dict):
                vrf = path[path.index("vrf") + 1] if "vrf" in path else None
                for peer, body in v.items():
                    if _is_ip(str(peer)):
                        asn = _first(body, "as", "remote_as", "neighbor_as", "peer_as")
                        st = _first(body, "state_pfxrcd", "state")
                        peers.append(_bgp_fact(str(peer), asn, st, vrf))
        return {"kind": "bgp", "peers": peers, "loose": True}
    if kind == "ospf":
        out = []
        for _, k, v in _walk(doc):
            if k == "ospf-neighbor" and isinstance(v, list):  # junos
                out += [{"id": n.get("neighbor-id"), "address": n.get("neighbor-address"),
                         "state": n.get("ospf-neighbor-state")} for n in v if isinstance(n, dict)]
            if k in ("neighbors", "neighbor") and isinstance(v, dict):
                for nid, body in v.items():
                    if _is_ip(str(nid)) and isinstance(body, dict):
                        nid = body.get("neighbor_router_id") or body.get("neighbor_id") or nid  # some key by address
                        out.append({"id": str(nid), "address": body.get("address"), "state": body.get("state")})
        return {"kind": "ospf", "neighbors": out, "loose": True}
    if kind == "interfaces":
        out = []
        for name, body in doc.items():
            if isinstance(body, dict) and ("oper_status" in body or "enabled" in body):
                out.append({"name": name, "admin": body.get("enabled"), "oper": body.get("oper_status")})
        return {"kind": "interfaces", "interfaces": out} if out else None
    if kind == "listed":
        out = []
        for name, body in doc.items():
            if isinstance(body, dict):
                ips = [k for fam in ("ipv4", "ipv6") for k in (body.get(fam) or {}) if "/" in str(k)]
                out.append({"name": name, "ips": ips})
        return {"kind": "listed", "interfaces": out, "loose": True} if out else None
    if kind == "version":
        v = doc.get("version", doc)
        host = _first(v, "hostname", "host_name", "device_name")
        ver = _first(v, "version", "software_version", "system_version")
        return {"kind": "version", "hostname": host, "version": ver}
    if kind == "route":
        entry = doc.get("entry") or {}
        prefixes = [k for k in entry if "/" in str(k)]
        return {"kind": "route", "prefixes": prefixes} if prefixes else None
    return None


def collect_genie(repo: Path, sink: Sink) -> None:
    base = "src/genie/libs/parser"
    files = [f for f in _files(repo, base) if "/cli/equal/" in f and f.endswith("_output.txt")]
    for f in files:
        parts = f.split("/")
        osname, cls = parts[4], parts[6]
        target = GENIE.get((osname, cls))
        if not target or parts[5] != "tests":
            continue
        kind = PARSERS[target][0]
        stem = f[: -len("_output.txt")]
        expect, query = None, None
        try:
            tree = ast.parse(_show(repo, stem + "_expected.py"))
            for node in tree.body:
                if isinstance(node, ast.Assign):
                    expect = _genie_expect(kind, ast.literal_eval(node.value))
        except Exception:  # expected file absent or not a literal
            expect = None
        try:
            args = json.loads(_show(repo, stem + "_arguments.json"))
            query = args.get("route") or args.get("address") or next(iter(args.values()), None)
        except Exception:  # no arguments file
            query = None
        if "ADDR" in target[1] and not (query and _is_ip(str(query).split("/")[0])):
            continue
        if args_say_vrf(repo, stem) and kind == "route":
            continue
        sink.add(*target, "genieparser", f"{osname}/{cls}/{parts[-1]}", _show(repo, f), expect, query)


GENIE_PEER = {
    ("junos", "ShowRouteAdvertisingProtocol"): ("juniper_junos", "show route advertising-protocol bgp PEER"),
    ("junos", "ShowRouteReceiveProtocol"): ("juniper_junos", "show route receive-protocol bgp PEER"),
    ("iosxr", "ShowBgpInstanceNeighborsAdvertisedRoutes"): ("cisco_xr", "show bgp neighbors PEER advertised-routes"),
    ("iosxr", "ShowBgpInstanceNeighborsRoutes"): ("cisco_xr", "show bgp neighbors PEER routes"),
    ("iosxr", "ShowBgpInstanceNeighborsReceivedRoutes"): ("cisco_xr", "show bgp neighbors PEER received routes"),
    ("iosxe", "ShowIpBgpNeighborsAdvertisedRoutes"): ("cisco_ios", "show ip bgp neighbors PEER advertised-routes"),
    ("iosxe", "ShowBgpNeighborsAdvertisedRoutes"): ("cisco_ios", "show ip bgp neighbors PEER advertised-routes"),
    ("iosxe", "ShowBgpNeighborsReceivedRoutes"): ("cisco_ios", "show bgp neighbors PEER received-routes"),
    ("ios", "ShowBgpAllNeighborsAdvertisedRoutes"): ("cisco_ios", "show bgp all neighbors PEER advertised-routes"),
    ("iosxe", "ShowBgpAllNeighborsAdvertisedRoutes"): ("cisco_ios", "show bgp all neighbors PEER advertised-routes"),
    ("ios", "ShowBgpAllNeighborsRoutes"): ("cisco_ios", "show bgp all neighbors PEER routes"),
    ("iosxe", "ShowBgpAllNeighborsRoutes"): ("cisco_ios", "show bgp all neighbors PEER routes"),
    ("ios", "ShowBgpAllNeighborsReceivedRoutes"): ("cisco_ios", "show bgp all neighbors PEER received-routes"),
    ("iosxe", "ShowBgpAllNeighborsReceivedRoutes"): ("cisco_ios", "show bgp all neighbors PEER received-routes"),
    ("nxos", "ShowBgpVrfAllNeighborsAdvertisedRoutes"): ("cisco_nxos", "show bgp vrf all all neighbors PEER advertised-routes"),
    ("nxos", "ShowBgpVrfAllNeighborsRoutes"): ("cisco_nxos", "show bgp vrf all all neighbors PEER routes"),
    ("nxos", "ShowBgpVrfAllNeighborsReceivedRoutes"): ("cisco_nxos", "show bgp vrf all all neighbors PEER received-routes"),
}
_ROUTE_KEYS = ("advertised", "routes", "received", "received_routes")


def _af_family(af: str, vrf: str) -> str | None:
    """genie's address-family key -> the unicast family netops reads it as (``""``: IOS's plain
    ``show ip bgp neighbors``); a VRF's routes are filed under vpnv4/vpnv6 by some parsers."""
    af = af.lower().strip()
    if af in ("", "ipv4", "ipv4 unicast") or (vrf != "default" and af.startswith("vpnv4") and "rd" not in af):
        return "ipv4"
    if af in ("ipv6", "ipv6 unicast") or (vrf != "default" and af.startswith("vpnv6") and "rd" not in af):
        return "ipv6"
    return None


def _genie_peer_expect(doc: dict[str, Any], args: dict[str, Any], sectioned: bool = False) -> tuple[dict[str, Any], str]:
    """(expected prefixes of the one family netops reads, the query) from a genie expected output.
    A capture of one VPN table (no per-family sections) is one VRF's read: its routes are that
    family's; in a capture with a section per family only the unicast section counts."""
    by_family: dict[str, list[str]] = defaultdict(list)
    vrf = str(args.get("vrf") or "default")
    if "route-information" in doc:  # Junos: route-table (a dict or a list) -> rt -> rt-destination
        tables = doc["route-information"].get("route-table")
        for t in tables if isinstance(tables, list) else [tables]:
            fam = {"inet.0": "ipv4", "inet6.0": "ipv6"}.get(str(t.get("table-name") or ""))
            rts = t.get("rt") or []
            for rt in rts if isinstance(rts, list) else [rts]:
                if fam:
                    by_family[fam].append(str(rt.get("rt-destination")))
    for path, k, v in _walk(doc):
        if k in _ROUTE_KEYS and isinstance(v, dict) and "address_family" in path:
            i = path.index("address_family")
            af = path[i + 1] if len(path) > i + 1 else ""
            fam = _af_family(af, path[path.index("vrf") + 1] if "vrf" in path else vrf)
            if fam is None and re.match(r"vpnv[46] (unicast )?rd ", af.lower()):  # "vpnv4 unicast RD 300:1"
                fam = f"vpn-ipv{af.lower()[4]}"
            if fam:
                by_family[fam].extend(str(p) for p in v)
    family = "ipv6" if by_family.get("ipv6") and not by_family.get("ipv4") else "ipv4"
    if str(args.get("address_family") or "").startswith(("ipv6", "vpnv6")):
        family = "ipv6"
    if not sectioned and not by_family.get(family) and by_family.get(f"vpn-{family}"):  # one VRF's table
        by_family[family] = by_family[f"vpn-{family}"]
        vrf = vrf if vrf not in ("default", "all") else "VPN"
    peer = str(args.get("neighbor") or args.get("peer") or "192.0.2.1")
    query = json.dumps({"peer": peer, "family": family, "vrf": vrf if vrf != "all" else "default"})
    return {"kind": "peer_routes", "prefixes": by_family.get(family, [])}, query


def collect_genie_peer(repo: Path, sink: Sink) -> None:
    base = "src/genie/libs/parser"
    for f in [f for f in _files(repo, base) if "/cli/equal/" in f and f.endswith("_output.txt")]:
        parts = f.split("/")
        target = GENIE_PEER.get((parts[4], parts[6]))
        if not target or parts[5] != "tests":
            continue
        stem = f[: -len("_output.txt")]
        try:
            args = json.loads(_show(repo, stem + "_arguments.json"))
        except Exception:  # no arguments file
            args = {}
        try:
            tree = ast.parse(_show(repo, stem + "_expected.py"))
            doc = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign))
            text = _show(repo, f)
            sectioned = bool(re.search(r"^\s*(For address family:|Address Family:|Peer \S+ routes for address family)",
                                       text, re.M))
            expect, query = _genie_peer_expect(doc, args, sectioned)
        except Exception:  # expected file absent or not a literal
            expect, query = None, json.dumps({"peer": str(args.get("neighbor") or "192.0.2.1")})
        sink.add(*target, "genieparser", f"{parts[4]}/{parts[6]}/{parts[-1]}", _show(repo, f), expect, query)


def args_say_vrf(repo: Path, stem: str) -> bool:
    try:
        return "vrf" in json.loads(_show(repo, stem + "_arguments.json"))
    except Exception:  # no arguments file
        return False


NAPALM = {
    ("eos", "show_ip_bgp_summary_vrf_all.json"): ("arista_eos", "show ip bgp summary vrf all | json"),
    ("eos", "show_ipv6_bgp_summary_vrf_all.json"): ("arista_eos", "show ipv6 bgp summary vrf all | json"),
    ("eos", "show_version.json"): ("arista_eos", "show version | json"),
    ("eos", "show_interfaces.json"): ("arista_eos", "show interfaces | json"),
    ("eos", "show_ipv6_interface.json"): ("arista_eos", "show ipv6 interface | json"),
    ("nxos", "show_bgp_all_summary_vrf_all.json"): ("cisco_nxos", "show bgp all summary vrf all | json"),
    ("nxos", "show_interface.json"): ("cisco_nxos", "show interface | json"),
    ("nxos", "show_ip_interface.json"): ("cisco_nxos", "show ip interface vrf all | json"),
    ("nxos", "show_ipv6_interface.json"): ("cisco_nxos", "show ipv6 interface vrf all | json"),
    ("nxos", "show_version.json"): ("cisco_nxos", "show version | json"),
    ("nxos_ssh", "show_version.txt"): ("cisco_nxos", "show version"),
    ("nxos_ssh", "show_interface.txt"): ("cisco_nxos", "show interface"),
    ("nxos_ssh", "show_bgp_all_summary_vrf_all.txt"): ("cisco_nxos", "show bgp all summary vrf all"),
    ("nxos_ssh", "show_ip_interface_vrf_all.txt"): ("cisco_nxos", "show ip interface vrf all"),
    ("nxos_ssh", "show_ipv6_interface_vrf_all.txt"): ("cisco_nxos", "show ipv6 interface vrf all"),
    ("ios", "show_version.txt"): ("cisco_ios", "show version"),
    ("ios", "show_interfaces.txt"): ("cisco_ios", "show interfaces"),
    ("ios", "show_bgp_all_summary.txt"): ("cisco_ios", "show bgp all summary"),
    ("ios", "show_ip_interface.txt"): ("cisco_ios", "show ip interface"),
    ("ios", "show_ipv6_interface.txt"): ("cisco_ios", "show ipv6 interface"),
    ("junos", "get-bgp-summary-information.xml"): ("juniper_junos", "show bgp summary | display xml"),
    ("junos", "get-bgp-summary-informationmaster.xml"): ("juniper_junos", "show bgp summary | display xml"),
    # get_route_to's lookups of 1.0.4.0/24 (the query is in the file name)
    ("ios", "show_ip_route_1_0_4_0_255_255_255_0.txt"): ("cisco_ios", "show ip route ADDR"),
    ("eos", "show_ip_route_vrf_default_1_0_4_0_24__bgp_detail.json"): ("arista_eos", "show ip route ADDR | json"),
}


def _napalm_expect(kind: str, test: str, doc: Any, command: str = "") -> dict[str, Any] | None:
    """Facts from NAPALM's expected_result.json of the getter the capture feeds. The getter may
    read more commands than this one: BGP is held only to the peers this capture lists."""
    if not isinstance(doc, dict):
        return None
    if kind == "bgp" and test == "test_get_bgp_neighbors":
        peers = []
        for vrf, body in doc.items():
            for peer, p in (body.get("peers") or {}).items():
                if p.get("is_enabled") is False:
                    continue  # admin-down: NAPALM says is_up false, the state word varies
                peers.append({"peer": peer, "as": p.get("remote_as"), "established": p.get("is_up"), "pfx": None,
                              "state": None, "vrf": "default" if vrf == "global" else vrf})
        return {"kind": "bgp", "peers": peers, "subset": True}
    if kind == "interfaces" and test == "test_get_interfaces":
        return {"kind": "interfaces", "interfaces": [
            {"name": n, "admin": b.get("is_enabled"), "oper": "up" if b.get("is_up") else "down"} for n, b in doc.items()]}
    if kind == "listed" and test == "test_get_interfaces_ip":  # both families: keep the command's
        fam = "ipv6" if "ipv6" in command else "ipv4"
        return {"kind": "listed", "interfaces": [
            {"name": n, "ips": [a for a in (b.get(fam) or {}) if not a.lower().startswith("fe80")]}
            for n, b in doc.items() if isinstance(b, dict)]}
    if kind == "route" and test == "test_get_route_to":
        return {"kind": "route", "prefixes": [p for p in doc if "/" in p]}
    if kind == "version" and test == "test_get_facts":
        return {"kind": "version", "hostname": doc.get("hostname"), "version": None}
    return None


def collect_napalm(repo: Path, sink: Sink) -> None:
    files = set(_files(repo, "test"))
    for f in sorted(files):
        parts = f.split("/")
        if "mocked_data" not in parts:
            continue
        target = NAPALM.get((parts[1], parts[-1]))
        if not target:
            continue
        text = _show(repo, f)
        expect = None
        result = f.rsplit("/", 1)[0] + "/expected_result.json"
        if result in files:
            try:
                expect = _napalm_expect(PARSERS[target][0], parts[3], json.loads(_show(repo, result)), target[1])
            except ValueError:
                expect = None
        expect = expect or _self_expect(target, text)
        query = "1.0.4.0/24" if "ADDR" in target[1] else None
        if query and "not in table" in text:  # get_route_to's answer comes from other reads too
            expect = {"kind": "route", "prefixes": [], "absent": True}
        sink.add(*target, "napalm", "/".join(parts[1:]), text, expect, query)


BATFISH = {
    ("ios", "show_version.txt"): ("cisco_ios", "show version"),
    ("iosxe", "show_version.txt"): ("cisco_ios", "show version"),
    ("ios", "show_interfaces.txt"): ("cisco_ios", "show interfaces"),
    ("iosxe", "show_interfaces.txt"): ("cisco_ios", "show interfaces"),
    ("ios", "show_ip_ospf_neighbor.txt"): ("cisco_ios", "show ip ospf neighbor"),
    ("iosxe", "show_ip_ospf_neighbor.txt"): ("cisco_ios", "show ip ospf neighbor"),
    ("nx", "show_version.txt"): ("cisco_nxos", "show version"),
    ("nx", "show_interface.txt"): ("cisco_nxos", "show interface"),
    ("nx", "show_ip_ospf_neighbor.txt"): ("cisco_nxos", "show ip ospf neighbors vrf all"),
    ("arista", "show_version_|_json.txt"): ("arista_eos", "show version | json"),
    ("arista", "show_version_|_json.json"): ("arista_eos", "show version | json"),
    ("arista", "show_interfaces_|_json.txt"): ("arista_eos", "show interfaces | json"),
    ("arista", "show_interfaces_|_json.json"): ("arista_eos", "show interfaces | json"),
    ("arista", "show_ip_ospf_neighbor_|_json.txt"): ("arista_eos", "show ip ospf neighbor | json"),
    ("arista", "show_ip_ospf_neighbor_|_json.json"): ("arista_eos", "show ip ospf neighbor | json"),
    ("arista", "show_ip_ospf_neighbor.txt"): ("arista_eos", "show ip ospf neighbor"),
    ("junos", "show_version_|_display_json.txt"): ("juniper_junos", "show version | display json"),
    ("junos", "show_interfaces_|_display_json.txt"): ("juniper_junos", "show interfaces | display json"),
    ("junos", "show_ospf_neighbor_|_display_json.txt"): ("juniper_junos", "show ospf neighbor | display json"),
    ("iosxr", "show_version.txt"): ("cisco_xr", "show version"),
    ("iosxr", "show_interfaces.txt"): ("cisco_xr", "show interfaces"),
    ("iosxr", "show_bgp_all_all_summary.txt"): ("cisco_xr", "show bgp summary"),
    ("iosxr", "show_bgp_vrf_all_summary.txt"): ("cisco_xr", "show bgp summary"),
    ("iosxr", "show_ospf_neighbor.txt"): ("cisco_xr", "show ospf vrf all-inclusive neighbor"),
    ("sros", "show_router_bgp_summary.txt"): ("nokia_sros", "show router bgp summary"),
    ("sros", "show_router_interface.txt"): ("nokia_sros", "show router interface"),
    ("sros", "show_router_ospf_neighbor.txt"): ("nokia_sros", "show router ospf neighbor"),
    ("sros", "show_router_route-table.txt"): ("nokia_sros", "show router route-table"),
    # the BGP route table SR OS also prints for "neighbor X advertised-routes" / "received-routes"
    ("sros", "show_router_bgp_routes.txt"): ("nokia_sros", "show router bgp neighbor PEER advertised-routes"),
    ("cumulus", "vtysh_-c_'show_version'.txt"): ("frr", "show version"),
    # IOS's BGP table: the table "show bgp all neighbors X routes" prints, read by bgp_received
    ("ios", "show_ip_bgp_all.txt"): ("cisco_ios", "show bgp all neighbors PEER routes"),
    ("iosxe", "show_ip_bgp_all.txt"): ("cisco_ios", "show bgp all neighbors PEER routes"),
    # whole route tables: each is looked up at a few addresses (see _table_lookups)
    ("arista", "show_ip_route_vrf_all_|_json.txt"): ("arista_eos", "show ip route ADDR | json"),
    ("arista", "show_ip_route_vrf_all_|_json.json"): ("arista_eos", "show ip route ADDR | json"),
    ("junos", "show_route_|_display_json.txt"): ("juniper_junos", "show route ADDR | display json"),
    ("cumulus", "vtysh_-c_'show_ip_route_vrf_all_json'.txt"): ("frr", "show ip route ADDR json"),
    ("cumulus", "vtysh_-c_'show_ip_ospf_neighbor_all_json'.txt"): ("frr", "show ip ospf neighbor json"),
    ("cumulus", "vtysh_-c_'show_ip_bgp_vrf_all_json'.txt"): ("frr", "show bgp ipv4 unicast 0.0.0.0/0 longer-prefixes json"),
}


def collect_batfish(repo: Path, sink: Sink) -> None:
    files = _files(repo)
    nos: dict[str, dict[str, str]] = {}
    for f in files:
        if f.endswith("/show/host_nos.txt"):
            try:
                nos[f.rsplit("/", 1)[0]] = json.loads(_show(repo, f) or "{}")
            except ValueError:
                continue
    for f in files:
        parts = f.split("/")
        if "show" not in parts:
            continue
        i = parts.index("show")
        if len(parts) != i + 3:
            continue
        host_nos = nos.get("/".join(parts[: i + 1]), {}).get(parts[i + 1])
        target = BATFISH.get((host_nos, parts[i + 2]))
        if not target:
            continue
        text = _show(repo, f)
        query, expect = None, _self_expect(target, text)
        if target[1] == "show router route-table":
            query, expect = _route_table_query(text)
        if target[0] == "cisco_ios" and "PEER" in target[1]:
            query = json.dumps({"peer": "192.0.2.1", "family": "ipv4", "vrf": "default"})
        if "ADDR" in target[1] and target[1] != "show router route-table":
            for query, expect in _table_lookups(target[0], text):
                sink.add(*target, "batfish", "/".join(parts[1:]), text, expect, query)
            if target[0] == "frr":  # the same table read whole by the routes getter
                sink.add("frr", "show ip route 0.0.0.0/0 longer-prefixes json", "batfish", "/".join(parts[1:]), text,
                         _frr_rib_expect(text))
            continue
        if target[1] == "show bgp ipv4 unicast 0.0.0.0/0 longer-prefixes json":
            text, expect = _frr_bgp_table(text)
            sink.add(*target, "batfish", "/".join(parts[1:]) + " (the default VRF's document)", text, expect)
            continue
        sink.add(*target, "batfish", "/".join(parts[1:]), text, expect, query)


def _route_table_query(text: str) -> tuple[str, dict[str, Any] | None]:
    """A lookup into a whole route table: an address inside the middle prefix of the table, and
    the longest prefix of the table that covers it (the answer a lookup must give)."""
    nets = [ipaddress.ip_network(m.group(1), strict=False)
            for m in re.finditer(r"^(\d+\.\d+\.\d+\.\d+/\d+)\s", text, re.M)]
    if not nets:
        return "192.0.2.1", None
    mid = nets[len(nets) // 2]
    addr = mid.network_address + 1 if mid.prefixlen <= 30 else mid.network_address
    best = max((n for n in nets if addr in n), key=lambda n: n.prefixlen)
    return str(addr), {"kind": "route", "prefixes": [str(best)]}


def _table_prefixes(platform: str, text: str) -> list[str]:
    """The prefixes of the default IPv4/IPv6 unicast table of a whole-table JSON capture (EOS
    ``vrfs.default.routes``; Junos ``inet.0``/``inet6.0``; FRR the top-level keys). The first
    document only: Junos prints ``{master:0}`` after it, old FRR one document per VRF."""
    try:
        doc = json.JSONDecoder().raw_decode(text[text.index("{"):])[0]
    except ValueError:
        return []
    if platform == "arista_eos":
        return list(((doc.get("vrfs") or {}).get("default") or {}).get("routes") or {})
    if platform == "juniper_junos":
        out = []
        for info in doc.get("route-information") or []:
            for t in info.get("route-table") or []:
                if (t.get("table-name") or [{}])[0].get("data") in ("inet.0", "inet6.0"):
                    out += [rt["rt-destination"][0]["data"] for rt in t.get("rt") or []]
        return out
    if platform == "frr":
        return [k for k in doc if "/" in k]
    return []


def _table_lookups(platform: str, text: str) -> list[tuple[str, dict[str, Any] | None]]:
    """Lookups into a whole route table, each with the answer the device gives: the most specific
    prefix of the table that covers the query (an address inside the middle prefix; the shortest
    prefix that has more specific ones under it, asked as a prefix; an address no route covers)."""
    nets = []
    for p in _table_prefixes(platform, text):
        try:
            nets.append(ipaddress.ip_network(p, strict=False))
        except ValueError:
            continue
    if not nets:
        return [("192.0.2.1", None)]

    def best(q: Any) -> list[str]:
        cover = [n for n in nets if n.version == q.version and q.subnet_of(n)]
        return [str(max(cover, key=lambda n: n.prefixlen))] if cover else []

    mid = nets[len(nets) // 2]
    addr = mid.network_address + 1 if mid.num_addresses > 2 else mid.network_address
    out = [(str(addr), {"kind": "route", "prefixes": best(ipaddress.ip_network(addr))})]
    parent = next((n for n in sorted(nets, key=lambda n: n.prefixlen)
                   if n.prefixlen and any(m != n and m.version == n.version and m.subnet_of(n) for m in nets)), None)
    if parent is not None:
        out.append((str(parent), {"kind": "route", "prefixes": best(parent)}))
    outside = ipaddress.ip_network("198.51.100.77")
    if not best(outside):
        out.append((str(outside.network_address), {"kind": "route", "prefixes": [], "absent": True}))
    return out


def _ios_table_expect(text: str) -> dict[str, Any] | None:
    """The networks of an IOS BGP table (the IPv4 Unicast section where there are sections): a
    row whose first field after the status codes is a network followed by its next hop (or alone:
    a long network wraps); a row with only a next hop is another path of the network above."""
    lines = text.splitlines()
    if any(ln.startswith("For address family:") for ln in lines):
        keep, out_lines = False, []
        for ln in lines:
            if ln.startswith("For address family:"):
                keep = ln.split(":", 1)[1].strip() == "IPv4 Unicast"
            elif keep:
                out_lines.append(ln)
        lines = out_lines
    nets, table = [], False
    for ln in lines:
        if re.match(r"^\s*Network\s+Next Hop", ln):
            table = True
            continue
        if not table:
            continue
        # status codes, then path-type / additional-path marks apart or glued ("* ia1.0.2.0/24")
        toks = re.sub(r"^\s*[sdhirSmbfxactelI*>=|&]+\s*(?:[ieac]{1,2}(?=\d|\s))?\s*", "", ln).split()
        if toks and re.match(r"^\d+\.\d+\.\d+\.\d+(/\d+)?$", toks[0]) and (len(toks) == 1 or _is_ip(toks[1])):
            nets.append(toks[0])
    return {"kind": "peer_routes", "prefixes": nets} if table else None


def _frr_rib_expect(text: str) -> dict[str, Any] | None:
    """Zebra's ``{prefix: [route, ...]}``: every entry, and how many are selected."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    entries = [(p, bool(r.get("selected"))) for p, rs in doc.items() if isinstance(rs, list) for r in rs]
    return {"kind": "rib", "entries": sorted(entries)}


def _frr_bgp_table(text: str) -> tuple[str, dict[str, Any] | None]:
    """bgpd's ``show ip bgp vrf all json`` (``{"default": {..., "routes": ...}, "VRF": ...}``):
    the default VRF's document, the shape ``show bgp ipv4 unicast P longer-prefixes json``
    prints, with each path's prefix, AS path (``path``; ``aspath`` before FRR 8) and best flag."""
    try:
        doc = json.loads(text).get("default")
    except (ValueError, AttributeError):
        return text, None
    if not isinstance(doc, dict):
        return text, None
    paths = []
    for prefix, ps in (doc.get("routes") or {}).items():
        for p in ps if isinstance(ps, list) else [ps]:
            path = p.get("path", p.get("aspath", ""))
            paths.append([prefix, path.get("string", "") if isinstance(path, dict) else str(path), bool(p.get("bestpath"))])
    return json.dumps(doc, indent=1) + "\n", {"kind": "bgp_paths", "paths": sorted(paths)}


def _text_peers(platform: str, text: str) -> list[str]:
    """BGP peer addresses as a plain reading of a text summary sees them: SR OS puts each on a
    line of its own under the ``Neighbor`` header; the Cisco-style tables start a row with it."""
    peers: list[str] = []
    in_table = False
    for line in text.splitlines():
        if re.match(r"^\s*(Neighbor|Peer)\b", line):
            in_table = True
            continue
        if not in_table:
            continue
        if platform == "nokia_sros":
            if _is_ip(line.strip()) and line == line.lstrip():
                peers.append(line.strip())
            continue
        first = line.split()[0] if line.split() else ""
        if line[:1].strip() and _is_ip(first):
            peers.append(first)
        elif not line.strip():
            in_table = False
    return peers


def _self_expect(target: tuple[str, str], text: str) -> dict[str, Any] | None:
    """Facts read from a capture itself where the source asserts none."""
    platform, command = target
    if PARSERS[target][0] == "peer_routes" and platform == "nokia_sros":  # flag, then the network
        return {"kind": "peer_routes", "prefixes": re.findall(r"^[ushd*lx>bpw]*[ie?]?\s+(\S+/\d+)\s", text, re.M)}
    if PARSERS[target][0] == "peer_routes" and platform == "cisco_ios":
        return _ios_table_expect(text)
    if target == ("nokia_sros", "show router ospf neighbor"):
        rows = re.findall(r"^\S+\s+(\d+\.\d+\.\d+\.\d+)\s+([A-Za-z-]+)\s+\d+\s+\d+\s+\d+\s*$", text, re.M)
        count = re.search(r"No\. of Neighbors: (\d+)", text)
        if count and int(count.group(1)) == len(rows):
            return {"kind": "ospf", "neighbors": [{"id": i, "address": None, "state": st} for i, st in rows]}
        return None
    if PARSERS[target][0] == "interfaces" and platform in ("cisco_ios", "cisco_nxos", "cisco_xr") \
            and not command.endswith("json"):
        out: list[dict[str, Any]] = []
        for line in text.splitlines():
            m = re.match(r"^(?P<name>[A-Za-z][\w./:-]*) is (?P<state>administratively down|up|down|deleted)"
                         r"(?P<rest>.*)$", line)
            said = re.match(r"^\s*admin state(?: is|:)\s*(up|down)", line, re.I)
            if m:
                rest = m.group("rest").lower()
                proto = re.search(r"line protocol is (\S+)", rest)
                admin = not (m.group("state") in ("administratively down", "deleted") or "administratively down" in rest)
                oper = (proto.group(1) if proto else m.group("state")).split()[0]
                out.append({"name": m.group("name"), "admin": admin, "oper": oper})
            elif said and out:  # NX-OS states it on the next line
                out[-1]["admin"] = said.group(1).lower() == "up"
        return {"kind": "interfaces", "interfaces": out} if out else None
    if PARSERS[target][0] == "ospf" and platform in ("cisco_ios", "cisco_nxos", "cisco_xr"):
        rows = re.findall(r"^\s*(\d+\.\d+\.\d+\.\d+)\s+\d+\s+([A-Z0-9]+)(?:/|\s)", text, re.M)
        return {"kind": "ospf", "neighbors": [{"id": i, "address": None, "state": st} for i, st in rows]} if rows else None
    if PARSERS[target][0] == "bgp" and not command.endswith(("json", "xml")):
        peers = _text_peers(platform, text)
        return {"kind": "bgp", "peers": [_bgp_fact(p, None, None) for p in peers], "loose": True} if peers else None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if platform == "arista_eos" and command.startswith("show interfaces"):
        out = [{"name": n, "admin": b.get("interfaceStatus") != "disabled", "oper": b.get("lineProtocolStatus")}
               for n, b in (doc.get("interfaces") or {}).items()]
        return {"kind": "interfaces", "interfaces": out}
    if platform == "arista_eos" and command.startswith("show ip ospf neighbor"):
        out = [{"id": a.get("routerId"), "address": a.get("interfaceAddress"), "state": a.get("adjacencyState")}
               for v in (doc.get("vrfs") or {}).values() for inst in (v.get("instList") or {}).values()
               for a in inst.get("ospfNeighborEntries") or []]
        return {"kind": "ospf", "neighbors": out}
    if platform == "arista_eos" and "bgp summary" in command:
        out = [_bgp_fact(p, b.get("asn"), b.get("prefixReceived") if b.get("peerState") == "Established"
                         else b.get("peerState"), vrf)
               for vrf, v in (doc.get("vrfs") or {}).items() for p, b in (v.get("peers") or {}).items()]
        return {"kind": "bgp", "peers": out}
    if platform == "frr" and "ospf" in command:  # {"neighbors": {id: [...]}}, or (older) the map alone
        out = [{"id": nid, "address": n.get("address") or n.get("ifaceAddress"),
                "state": str(n.get("nbrState") or n.get("state") or "").split("/")[0]}
               for nid, rows in (doc.get("neighbors", doc) if isinstance(doc, dict) else {}).items()
               if isinstance(rows, list) for n in rows if isinstance(n, dict)]
        return {"kind": "ospf", "neighbors": out} if out else None
    if platform == "juniper_junos" and "ospf" in command:
        out = []
        for _, k, v in _walk(doc):
            if k == "ospf-neighbor" and isinstance(v, list):
                for n in v:
                    out.append({"id": n["neighbor-id"][0]["data"], "address": n["neighbor-address"][0]["data"],
                                "state": n["ospf-neighbor-state"][0]["data"]})
        return {"kind": "ospf", "neighbors": out}
    if platform == "juniper_junos" and command.startswith("show interfaces"):
        out = []
        for _, k, v in _walk(doc):
            if k == "physical-interface" and isinstance(v, list):
                for p in v:
                    out.append({"name": p["name"][0]["data"],
                                "admin": (p.get("admin-status") or [{}])[0].get("data"),
                                "oper": (p.get("oper-status") or [{}])[0].get("data")})
        return {"kind": "interfaces", "interfaces": out, "loose": True}
    return None


# genielibs' mock device data (unicon mock_data.yaml): the "response" of each command we parse
GENIELIBS = {"show version": ("cisco_ios", "show version"), "show interfaces": ("cisco_ios", "show interfaces")}


def collect_genielibs(repo: Path, sink: Sink) -> None:
    import yaml

    for f in _files(repo, "pkgs/sdk-pkg"):
        if not (f.endswith("mock_data.yaml") and "/iosxe/" in f):
            continue
        try:
            doc = yaml.safe_load(_show(repo, f))
        except Exception:  # a file that is not YAML
            continue
        for state in (doc or {}).values() if isinstance(doc, dict) else []:
            for command, v in ((state or {}).get("commands") or {}).items() if isinstance(state, dict) else []:
                target = GENIELIBS.get(str(command).strip())
                resp = v.get("response") if isinstance(v, dict) else v
                resp = resp[0] if isinstance(resp, list) and resp else resp
                if target and isinstance(resp, str):
                    sink.add(*target, "genielibs", f, resp)


# napalm-automation-community/napalm-huawei-vrp test data: file name -> our command
NAPALM_VRP = {"display_version.txt": "display version", "display_interface.txt": "display interface",
              "display_interface_brief.txt": "display interface brief"}


def collect_napalm_vrp(repo: Path, sink: Sink) -> None:
    for f in _files(repo, "test"):
        command = NAPALM_VRP.get(f.rsplit("/", 1)[-1])
        if command and "mocked_data" in f:
            sink.add("huawei_vrp", command, "napalm-huawei-vrp", f, _show(repo, f))


# napalm-automation-community/napalm-ce (Huawei CloudEngine, VRP 8; Apache-2.0) test data
NAPALM_CE = {"display_version.txt": "display version", "display_interface.txt": "display interface",
             "display_interface_brief.txt": "display interface brief", "display_ipv6_interface.txt": "display ipv6 interface"}


def collect_napalm_ce(repo: Path, sink: Sink) -> None:
    files = set(_files(repo, "test"))
    for f in sorted(files):
        command = NAPALM_CE.get(f.rsplit("/", 1)[-1])
        if not command:
            continue
        text, expect = _show(repo, f), None
        result = f.rsplit("/", 1)[0] + "/expected_result.json"
        test = f.split("/")[3] if "/mocked_data/" in f else ""
        if result in files:
            expect = _napalm_expect(PARSERS[("huawei_vrp", command)][0], test, json.loads(_show(repo, result)), command)
            if expect and expect["kind"] == "version":  # "os_version" is the release in brackets
                expect["version"] = json.loads(_show(repo, result)).get("os_version")
                expect["hostname"] = None  # from display current-configuration, not this command
        if command == "display ipv6 interface":  # "X current state", then "ADDR, subnet is P"
            rows = []
            for line in text.splitlines():
                head = re.match(r"^(\S+) current state", line)
                if head:
                    rows.append({"name": head.group(1), "ips": []})
                addr = re.match(r"^\s+([0-9A-Fa-f:]+), subnet is", line)
                if addr and rows:
                    rows[-1]["ips"].append(addr.group(1))
            expect = {"kind": "listed", "interfaces": rows}
        sink.add("huawei_vrp", command, "napalm-ce", f, text, expect)


# Arista's EANTC interop test-bed logs (krikoon73/cc_eantc_2025; no licence stated: outside the
# repository only): "## <command>" then a fenced block, per device and test run
EANTC = {"show ip bgp summary": "show ip bgp summary", "show ipv6 bgp summary": "show ipv6 bgp summary",
         "show bgp evpn summary": "show bgp evpn summary"}


def collect_eantc(repo: Path, sink: Sink) -> None:
    for f in _files(repo):
        if not f.endswith("_merged.md"):
            continue
        for m in re.finditer(r"^## (.+?)\n\n```text\n(.*?)\n```", _show(repo, f), re.S | re.M):
            command = EANTC.get(m.group(1).strip())
            if command:
                sink.add("arista_eos", command, "eantc", f, m.group(2) + "\n")


# -- sources swept since stop 32 (helper "vendors32"): unit-test fixtures of other projects ---------
# (snapshot, path pattern) -> (platform, command). Each file is one capture; its facts are read from
# the capture itself (_self_expect) where the source asserts none.
FIXTURES: dict[str, list[tuple[str, tuple[str, str]]]] = {
    # Ansible's network collections (GPL-3.0): the device outputs their unit tests feed the modules
    "ansible-collections+cisco.ios": [
        (r"/ios/fixtures/(ios_facts_)?show_version$", ("cisco_ios", "show version")),
        (r"/ios/fixtures/ios_facts_show_interfaces$", ("cisco_ios", "show interfaces")),
        (r"/ios/fixtures/ios_facts_show_ip_interface$", ("cisco_ios", "show ip interface")),
        (r"/ios/fixtures/ios_facts_show_ipv6_interface$", ("cisco_ios", "show ipv6 interface")),
    ],
    "ansible-collections+cisco.nxos": [
        (r"/nxos/fixtures/(cliconf/\w+/show_version|nxos_command/show_version\.txt)$", ("cisco_nxos", "show version")),
        (r"/nxos/fixtures/nxos_\w+/show_interface(_[A-Za-z0-9_]+)?$", ("cisco_nxos", "show interface | json")),
        (r"/nxos/fixtures/nxos_facts/show_ipv6_interface_vrf_all\w*$", ("cisco_nxos", "show ipv6 interface vrf all | json")),
    ],
    "ansible-collections+cisco.iosxr": [
        (r"/iosxr/fixtures/(cliconf\w*/iosxr/)?show_version(_+utility_head_-n_20)?$", ("cisco_xr", "show version")),
        (r"/iosxr/fixtures/show_interfaces$", ("cisco_xr", "show interfaces")),
        (r"/iosxr/fixtures/show_ipv6_interface$", ("cisco_xr", "show ipv6 vrf all interface")),
    ],
    # networktocode/pyntc (Apache-2.0) device mocks
    "networktocode+pyntc": [
        (r"/device_mocks/ios/(send_command/show_version|show_version\w*\.txt)$", ("cisco_ios", "show version")),
        (r"/device_mocks/eos/enable_json/show_version$", ("arista_eos", "show version | json")),
    ],
    # CiscoTestAutomation/unicon.plugins (Apache-2.0) mock device data
    "CiscoTestAutomation+unicon.plugins": [
        (r"/mock_data/iosxr/(spitfire/)?show_version\.txt$", ("cisco_xr", "show version")),
        (r"/mock_data/nxos/nxos_n5k_show_version\.txt$", ("cisco_nxos", "show version")),
        (r"/mock_data/iosxe/cat9k_ctc_version\.txt$", ("cisco_ios", "show version")),
    ],
    # google/textfsm (Apache-2.0) examples
    "google+textfsm": [
        (r"^examples/cisco_bgp_summary_example$", ("cisco_ios", "show ip bgp summary")),
        (r"^examples/cisco_ipv6_interface_example$", ("cisco_ios", "show ipv6 interface")),
        (r"^examples/cisco_version_example$", ("cisco_ios", "show version")),
        (r"^examples/juniper_bgp_summary_example$", ("juniper_junos", "show bgp summary")),
    ],
}


def _nxos_json_expect(command: str, text: str) -> dict[str, Any] | None:
    """Facts of an NX-OS JSON capture: ``TABLE_interface.ROW_interface`` (a list, or one row as a
    bare object) -> name, admin and oper state; ``TABLE_intf.ROW_intf`` -> name and addresses."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None

    def rows(table: str, row: str) -> list[dict[str, Any]]:
        t = doc.get(table) or {}
        out = []
        for t1 in t if isinstance(t, list) else [t]:
            r = (t1 or {}).get(row) or []
            out += [x for x in (r if isinstance(r, list) else [r]) if isinstance(x, dict)]
        return out

    if command == "show interface | json":
        return {"kind": "interfaces", "interfaces": [
            {"name": r.get("interface"), "admin": (r["admin_state"] == "up") if r.get("admin_state") else None,
             "oper": r.get("state")} for r in rows("TABLE_interface", "ROW_interface")]}
    if command == "show ipv6 interface vrf all | json":
        out = []
        for r in rows("TABLE_intf", "ROW_intf"):
            addrs = r.get("TABLE_addr", {}).get("ROW_addr") if isinstance(r.get("TABLE_addr"), dict) else None
            addrs = addrs if isinstance(addrs, list) else [addrs] if addrs else []
            ips = [a.get("addr") for a in addrs if isinstance(a, dict) and a.get("addr")]
            out.append({"name": r.get("intf-name"), "ips": [i for i in ips if not str(i).lower().startswith("fe80")]})
        return {"kind": "listed", "interfaces": out}
    return None


def collect_fixtures(name: str) -> Callable[[Path, Sink], None]:
    def run(repo: Path, sink: Sink) -> None:
        for f in _files(repo):
            for pattern, target in FIXTURES[name]:
                if re.search(pattern, f):
                    text = _show(repo, f)
                    expect = _nxos_json_expect(target[1], text) if target[0] == "cisco_nxos" and "json" in target[1] \
                        else _self_expect(target, text)
                    sink.add(*target, name.split("+", 1)[1], f, text, expect)
                    break
    return run


def collect_napalm_sros(repo: Path, sink: Sink) -> None:
    """napalm-sros (Apache-2.0) get_route_to mocks: ``show router Base route-table 1.0.4.0/24``
    (the lookup netops makes) with NAPALM's expected prefixes; ``... longer`` is a whole table."""
    files = set(_files(repo, "test"))
    for f in sorted(files):
        m = re.search(r"/_show_router_Base_route-table_(\d+)_(\d+)_(\d+)_(\d+)_(\d+)_(longer)?\.txt$", f)
        if not m:
            continue
        query = ".".join(m.groups()[:4]) + "/" + m.group(5)
        text = _show(repo, f)
        expect = None
        result = f.rsplit("/", 1)[0] + "/expected_result.json"
        if result in files:
            expect = {"kind": "route", "prefixes": sorted(json.loads(_show(repo, result)))}
        if m.group(6):  # the longer table: the lookup of its query is its most specific covering route
            query, expect = query, {"kind": "route", "prefixes": [query]}
        sink.add("nokia_sros", "show router route-table", "napalm-sros", f, text, expect, query)


_TOPO_ROUTES = re.compile(r"/(show_ipv?6?_route|ip_rib|ipv6_rib|ipv4_routes|ipv6_routes|ip-route-|v4_route|"
                          r"zebra_vrf_ipv[46]|vrf\d+v?[46]?_rib)[^/]*\.json$")


def _frr_bgp_expect(doc: dict[str, Any]) -> dict[str, Any] | None:
    peers = []
    fams = [doc] if isinstance(doc.get("peers"), dict) else [v for v in doc.values() if isinstance(v, dict)]
    for fam in fams:
        for peer, p in (fam.get("peers") or {}).items():
            if not isinstance(p, dict):
                continue
            st = p.get("state")
            peers.append(_bgp_fact(peer, p.get("remoteAs"), p.get("pfxRcd") if st == "Established" and "pfxRcd" in p
                                   else st, None))
    return {"kind": "bgp", "peers": peers, "loose": True} if peers else None


def collect_frr_topotests(repo: Path, sink: Sink) -> None:
    """FRRouting/frr topotests (GPL-2.0): the JSON a test router must print. json_cmp compares a
    subset, so most are real output trimmed to the fields under test; a key set to null means
    "absent" there (such documents are skipped: no device prints them)."""
    for f in _files(repo, "tests/topotests"):
        if not f.endswith(".json"):
            continue
        base = f.rsplit("/", 1)[-1]
        try:
            text = _show(repo, f)
            doc = json.loads(text)
        except ValueError:
            continue
        if not isinstance(doc, dict) or any(v is None or v == [] for v in doc.values()):
            continue
        name = f[len("tests/topotests/"):]
        if re.match(r"(show_ip_)?ospf_neighbor\d*\.json$", base):
            sink.add("frr", "show ip ospf neighbor json", "frr-topotests", name, text, _self_expect(
                ("frr", "show ip ospf neighbor json"), text))
        elif re.search(r"(^|_)(bgp_)?summary|^show_bgp(_ipv6)?_summary", base) and "vpn" not in base \
                and "nhg" not in base and "ospf" not in base:
            if any(isinstance(v, dict) and "peers" in v for v in doc.values()) or "peers" in doc:
                sink.add("frr", "show bgp summary json", "frr-topotests", name, text, _frr_bgp_expect(doc))
        elif isinstance(doc.get("routes"), dict) and doc["routes"] and all(
                "/" in k and isinstance(v, list) and v and all(isinstance(e, dict) for e in v)
                for k, v in doc["routes"].items()):  # bgpd's table ("show bgp ipv4 json"), not a VPN's RD map
            v6 = ":" in next(iter(doc["routes"]))
            command = "show bgp ipv6 unicast ::/0 longer-prefixes json" if v6 else \
                "show bgp ipv4 unicast 0.0.0.0/0 longer-prefixes json"
            text, expect = _frr_bgp_table(json.dumps({"default": doc}))
            sink.add("frr", command, "frr-topotests", name, text, expect)
        elif _TOPO_ROUTES.search("/" + base):
            if not doc or not all("/" in k and isinstance(v, list) and all(isinstance(e, dict) for e in v)
                                  for k, v in doc.items()):
                continue
            v6 = ":" in next(iter(doc))
            command = "show ipv6 route ADDR json" if v6 else "show ip route ADDR json"
            for query, expect in _table_lookups("frr", text):
                sink.add("frr", command, "frr-topotests", name, text, expect, query)
            if not v6:
                sink.add("frr", "show ip route 0.0.0.0/0 longer-prefixes json", "frr-topotests", name, text,
                         _frr_rib_expect(text))


# netenglabs/suzieq (Apache-2.0): the poller's saved replies of lab devices (Vagrant/containerlab
# EOS, NX-OS, Junos MX/QFX, IOS), one JSON list of {"cmd", "hostname", "status", "data"} per file.
# NX-OS "| json native" is "| json" with numbers as numbers; "| no-more" changes nothing printed.
SUZIEQ = {
    ("eos", "show interfaces| json"): ("arista_eos", "show interfaces | json"),
    ("eos", "show version| json"): ("arista_eos", "show version | json"),
    ("eos", "show ip ospf neighbor detail vrf all| json"): ("arista_eos", "show ip ospf neighbor | json"),
    ("eos", "show ip route vrf all| json"): ("arista_eos", "show ip route ADDR | json"),
    ("ios", "show interfaces"): ("cisco_ios", "show interfaces"),
    ("ios", "show ip int"): ("cisco_ios", "show ip interface"),
    ("ios", "show version"): ("cisco_ios", "show version"),
    ("nxos", "show bgp all summary vrf all | json native"): ("cisco_nxos", "show bgp all summary vrf all | json"),
    ("nxos", "show ip interface vrf all | json native"): ("cisco_nxos", "show ip interface vrf all | json"),
    ("nxos", "show ipv6 interface vrf all | json native"): ("cisco_nxos", "show ipv6 interface vrf all | json"),
    ("nxos", "show version | json native"): ("cisco_nxos", "show version | json"),
    ("nxos", "show ip route vrf all | json native"): ("cisco_nxos", "show ip route ADDR | json"),
    ("nxos", "show ip ospf neighbor detail vrf all | json native"): ("cisco_nxos", "show ip ospf neighbors vrf all | json"),
    ("junos", "show bgp summary | display json | no-more"): ("juniper_junos", "show bgp summary | display json"),
    ("junos", "show interface | display json | no-more"): ("juniper_junos", "show interfaces | display json"),
    ("junos", "show route | display json | no-more"): ("juniper_junos", "show route ADDR | display json"),
    # the getter's command since stop 34 (every routing instance); "detail" adds leaves only
    ("junos", "show ospf neighbor instance all detail | display json | no-more"):
        ("juniper_junos", "show ospf neighbor instance all | display json"),
}


def _nx_rows(node: Any, name: str) -> list[dict[str, Any]]:
    """NX-OS ``TABLE_<name>.ROW_<name>``: a list, or one row as a bare object."""
    out = []
    tables = (node or {}).get(f"TABLE_{name}") if isinstance(node, dict) else None
    for t in tables if isinstance(tables, list) else [tables] if tables else []:
        r = (t or {}).get(f"ROW_{name}") or []
        out += [x for x in (r if isinstance(r, list) else [r]) if isinstance(x, dict)]
    return out


def _suzieq_expect(target: tuple[str, str], text: str) -> dict[str, Any] | None:
    platform, command = target
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if platform == "cisco_nxos" and command == "show ip interface vrf all | json":
        return {"kind": "listed", "interfaces": [
            {"name": r.get("intf-name"), "ips": [r["prefix"]] if r.get("prefix") else []}
            for r in _nx_rows(doc, "intf")]}
    if platform == "cisco_nxos" and "ipv6 interface" in command:
        return _nxos_json_expect(command, text)
    if platform == "cisco_nxos" and "bgp" in command:
        peers = []
        for vrf in _nx_rows(doc, "vrf"):
            for af in _nx_rows(vrf, "af"):
                for saf in _nx_rows(af, "saf"):
                    for n in _nx_rows(saf, "neighbor"):
                        st = str(n.get("state") or "")
                        peers.append(_bgp_fact(str(n.get("neighborid")), n.get("neighboras"),
                                               n.get("prefixreceived") if st == "Established" else st,
                                               vrf.get("vrf-name-out")))
        return {"kind": "bgp", "peers": peers, "loose": True}
    if platform == "cisco_nxos" and "ospf" in command:
        out = [{"id": n.get("rid"), "address": n.get("addr"), "state": n.get("state")}
               for ctx in _nx_rows(doc, "ctx") for n in _nx_rows(ctx, "nbr")]
        return {"kind": "ospf", "neighbors": out}
    if platform == "juniper_junos" and "ospf" in command:
        out = []
        for _, k, v in _walk(doc):
            if k == "ospf-neighbor" and isinstance(v, list):
                for n in v:
                    leaf = lambda key: (n.get(key) or [{}])[0].get("data")  # noqa: E731
                    out.append({"id": leaf("neighbor-id"), "address": leaf("neighbor-address"),
                                "state": leaf("ospf-neighbor-state")})
        return {"kind": "ospf", "neighbors": out}
    if platform == "juniper_junos" and "bgp" in command:
        peers = []
        for _, k, v in _walk(doc):
            if k == "bgp-peer" and isinstance(v, list):
                for p in v:
                    leaf = lambda key: (p.get(key) or [{}])[0].get("data")  # noqa: E731
                    peers.append(_bgp_fact(str(leaf("peer-address")).split("+")[0], leaf("peer-as"),
                                           leaf("peer-state"), None))
        return {"kind": "bgp", "peers": peers, "loose": True}
    return _self_expect(target, text)


def _nxos_table_prefixes(text: str) -> list[str]:
    """The default VRF's IPv4 prefixes of an NX-OS ``show ip route vrf all | json``."""
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    return [str(p.get("ipprefix")) for vrf in _nx_rows(doc, "vrf") if vrf.get("vrf-name-out") == "default"
            for af in _nx_rows(vrf, "addrf") for p in _nx_rows(af, "prefix") if p.get("ipprefix")]


def collect_suzieq(repo: Path, sink: Sink) -> None:
    dec = json.JSONDecoder()
    for f in _files(repo, "tests"):
        if not f.endswith(".output"):
            continue
        text, i = _show(repo, f), 0
        while True:
            i = min((j for j in (text.find("[", i), text.find("{", i)) if j >= 0), default=-1)
            if i < 0:
                break
            try:
                obj, i = dec.raw_decode(text, i)
            except ValueError:
                i += 1
                continue
            for e in obj if isinstance(obj, list) else [obj]:
                if not isinstance(e, dict) or e.get("status") != 0 or not isinstance(e.get("data"), str):
                    continue
                nos = "junos" if str(e.get("devtype", "")).startswith("junos") else e.get("devtype")
                target = SUZIEQ.get((nos, str(e.get("cmd")).strip()))
                if not target:
                    continue
                data, name = e["data"], f"{f}#{e.get('hostname')}"
                if "ADDR" in target[1]:
                    lookups = [(q, x) for q, x in _table_lookups("arista_eos", data)] if target[0] == "arista_eos" \
                        else _table_lookups(target[0], data) if target[0] == "juniper_junos" \
                        else _nxos_lookups(data)
                    for query, expect in lookups:
                        sink.add(*target, "suzieq", name, data, expect, query)
                    continue
                sink.add(*target, "suzieq", name, data, _suzieq_expect(target, data))


def _nxos_lookups(text: str) -> list[tuple[str, dict[str, Any] | None]]:
    nets = []
    for p in _nxos_table_prefixes(text):
        try:
            nets.append(ipaddress.ip_network(p, strict=False))
        except ValueError:
            continue
    if not nets:
        return [("192.0.2.1", None)]

    def best(q: Any) -> list[str]:
        cover = [n for n in nets if n.version == q.version and q.subnet_of(n)]
        return [str(max(cover, key=lambda n: n.prefixlen))] if cover else []

    mid = nets[len(nets) // 2]
    addr = mid.network_address + 1 if mid.num_addresses > 2 else mid.network_address
    out = [(str(addr), {"kind": "route", "prefixes": best(ipaddress.ip_network(addr))})]
    outside = ipaddress.ip_network("198.51.100.77")
    if not best(outside):
        out.append((str(outside.network_address), {"kind": "route", "prefixes": [], "absent": True}))
    return out


# WheaterW/INTA-project (a corpus of Huawei's CloudEngine CE6800 V300R023 and NE40E V800R012
# documentation as Markdown): the command examples of the command references and configuration
# guides. Vendor documentation, not a saved session: the device's output as Huawei prints it in
# its manuals (examples, sometimes edited), with the columns kept.
_HW_PROMPT = re.compile(r"^\s*(?:<[^>]+>|\[[~*]?[^\]\s]+\])\s*(display\s.*?)\s*$")
HW_DOCS = {
    "display bgp peer": "display bgp peer", "display bgp ipv6 peer": "display bgp ipv6 peer",
    "display ospf peer": "display ospf peer", "display ospf peer brief": "display ospf peer brief",
    "display interface brief": "display interface brief", "display version": "display version",
    "display ip interface brief": "display ip interface brief", "display interface": "display interface",
    "display ipv6 interface": "display ipv6 interface",
    "display ip vpn-instance interface": "display ip vpn-instance interface",
}


def _hw_expect(command: str, text: str) -> dict[str, Any] | None:
    """Facts read from a VRP table with regexes of our own (peer rows, OSPF rows, route rows)."""
    if "bgp" in command:
        rows = re.findall(r"^\s*([0-9A-Fa-f.:]+)\s+4\s+(\d+(?:\.\d+)?)\s+\d+\s+\d+\s+\d+\s+\S+\s+([A-Za-z]+)(?:\s+(\d+))?\s*$",
                          text, re.M)
        return {"kind": "bgp", "peers": [_bgp_fact(p, asn, pfx if st == "Established" and pfx else st, None)
                                         for p, asn, st, pfx in rows if _is_ip(p)], "loose": True} if rows else None
    if command == "display ospf peer brief":
        rows = re.findall(r"^\s*\d+\.\d+\.\d+\.\d+\s+\S+\s+(\d+\.\d+\.\d+\.\d+)\s+(\S+)\s*$", text, re.M)
        return {"kind": "ospf", "neighbors": [{"id": i, "address": None, "state": st} for i, st in rows]} if rows else None
    if command == "display ospf peer":
        ids = re.findall(r"Router ID\s*:\s*(\d+\.\d+\.\d+\.\d+)", text)
        states = re.findall(r"^\s*State\s*:\s*(\S+)", text, re.M)
        if ids and len(ids) == len(states):
            return {"kind": "ospf", "neighbors": [{"id": i, "address": None, "state": st} for i, st in zip(ids, states)]}
        return None
    if command == "display interface":  # "X current state : UP|DOWN|Administratively DOWN", then the protocol's
        out: list[dict[str, Any]] = []
        for line in text.splitlines():
            head = re.match(r"^\s*(\S+) current state\s*:\s*(.+?)\s*$", line)
            proto = re.match(r"^\s*Line protocol current state\s*:\s*(\S+)", line)
            if head:
                out.append({"name": head.group(1), "admin": "administratively" not in head.group(2).lower(),
                            "oper": None})
            elif proto and out:
                out[-1]["oper"] = proto.group(1).lower()
        return {"kind": "interfaces", "interfaces": out} if out else None
    if command == "display interface brief":
        rows = re.findall(r"^(\S+)\s+(\*?\^?down|up(?:\([a-z]+\))?|\*down)\s+(\S+)\s+\S+%?\s+\S+%?", text, re.M)
        return {"kind": "interfaces", "interfaces": [{"name": n, "admin": not phy.startswith("*"), "oper": proto.split("(")[0]}
                                                     for n, phy, proto in rows]} if rows else None
    return None


def _hw_route_expect(text: str, query: str) -> dict[str, Any] | None:
    nets = [ipaddress.ip_network(p, strict=False) for p in re.findall(r"^\s*(\d+\.\d+\.\d+\.\d+/\d+)\s+[A-Za-z]", text, re.M)]
    q = ipaddress.ip_network(query, strict=False)
    cover = [n for n in nets if q.subnet_of(n)]
    return {"kind": "route", "prefixes": [str(max(cover, key=lambda n: n.prefixlen))]} if cover else None


def collect_huawei_docs(repo: Path, sink: Sink) -> None:
    listed = subprocess.run(["git", f"--git-dir={repo}", "grep", "-z", "-l", "-E", r"(>|\])\s*display\s", "HEAD", "--",
                             "*.md"], capture_output=True, text=True).stdout.split("\0")
    for f in [x.split(":", 1)[1] for x in listed if ":" in x]:
        blocks = re.findall(r"^\s*```[^\n]*\n(.*?)^\s*```", _show(repo, f), re.S | re.M)
        for i, block in enumerate(blocks):
            lines = block.split("\n")
            first = next((j for j, ln in enumerate(lines) if ln.strip()), None)
            m = _HW_PROMPT.match(lines[first]) if first is not None else None
            if not m:
                continue
            said = re.sub(r"\s+", " ", m.group(1)).strip()
            out = "\n".join(lines[first + 1:])
            if not out.strip() and i + 1 < len(blocks) and not _HW_PROMPT.match(blocks[i + 1].strip().split("\n")[0]):
                out = blocks[i + 1]  # the command in one block, its output in the next
            out = re.sub(r"^\s*(?:<[^>]+>|\[[~*]?[^\]\s]+\])\s*$", "", out, flags=re.M).rstrip() + "\n"
            if not out.strip():
                continue
            name = f"{f.split('/corpus/hw/')[-1]}#{i}"
            lookup = re.fullmatch(r"display ip routing-table (\d+\.\d+\.\d+\.\d+)(?: (\d+(?:\.\d+\.\d+\.\d+)?))?", said)
            if lookup:
                addr, mask = lookup.groups()
                query = addr if not mask else str(ipaddress.ip_network(f"{addr}/{mask}", strict=False))
                sink.add("huawei_vrp", "display ip routing-table ADDR", "huawei-docs", name, out,
                         _hw_route_expect(out, query), query)
                continue
            lookup6 = re.fullmatch(r"display ipv6 routing-table ([0-9A-Fa-f:]+:[0-9A-Fa-f:]*)(?: (\d+))?", said)
            if lookup6:
                addr, length = lookup6.groups()
                query = addr if not length else str(ipaddress.ip_network(f"{addr}/{length}", strict=False))
                sink.add("huawei_vrp", "display ipv6 routing-table ADDR", "huawei-docs", name, out,
                         _hw_route6_expect(out, query), query)
                continue
            if said in ("display ip routing-table", "display ipv6 routing-table"):  # whole tables: looked up
                v6 = "ipv6" in said
                nets = _hw_table_nets(out, v6)
                for query in _hw_table_queries(nets):
                    q = ipaddress.ip_network(query, strict=False)
                    cover = [n for n in nets if n.version == q.version and q.subnet_of(n)]
                    expect = {"kind": "route", "prefixes": [str(max(cover, key=lambda n: n.prefixlen))]} if cover \
                        else {"kind": "route", "prefixes": [], "absent": True}
                    sink.add("huawei_vrp", f"{said} ADDR", "huawei-docs", name + " (whole table)", out, expect, query)
                continue
            if re.fullmatch(r"display interface [A-Za-z-]+\d[\d/.:]*", said, re.I):
                said = "display interface"
            command = HW_DOCS.get(said)
            if command:
                sink.add("huawei_vrp", command, "huawei-docs", name, out, _hw_expect(command, out))


def _hw_table_nets(text: str, v6: bool) -> list[Any]:
    """The destinations of a VRP table: ``A.B.C.D/L`` rows (IPv4), ``Destination : X  PrefixLength : L`` (IPv6)."""
    if v6:
        pairs = re.findall(r"Destination\s*:\s*([0-9A-Fa-f:]+)\s+PrefixLength\s*:\s*(\d+)", text)
        return [ipaddress.ip_network(f"{a}/{n}", strict=False) for a, n in pairs]
    return [ipaddress.ip_network(p, strict=False)
            for p in re.findall(r"^\s*(\d+\.\d+\.\d+\.\d+/\d+)\s+[A-Za-z]", text, re.M)]


def _hw_table_queries(nets: list[Any]) -> list[str]:
    if not nets:
        return []
    mid = nets[len(nets) // 2]
    out = [str(mid.network_address + 1 if mid.num_addresses > 2 else mid.network_address)]
    outside = "198.51.100.77" if mid.version == 4 else "2001:db8:ffff:ffff::77"
    return out + [outside]


def _hw_route6_expect(text: str, query: str) -> dict[str, Any] | None:
    nets = _hw_table_nets(text, True)
    q = ipaddress.ip_network(query, strict=False)
    cover = [n for n in nets if q.subnet_of(n)]
    return {"kind": "route", "prefixes": [str(max(cover, key=lambda n: n.prefixlen))]} if cover else None


def collect(data: Path, mirrors: Path) -> Counter:
    sink = Sink(data)
    for name, fn in (("networktocode+ntc-templates", collect_ntc), ("CiscoTestAutomation+genieparser", collect_genie),
                     ("CiscoTestAutomation+genieparser", collect_genie_peer),
                     ("napalm-automation+napalm", collect_napalm), ("batfish+lab-validation", collect_batfish),
                     ("CiscoTestAutomation+genielibs", collect_genielibs),
                     ("napalm-automation-community+napalm-huawei-vrp", collect_napalm_vrp),
                     ("krikoon73+cc_eantc_2025", collect_eantc),
                     ("napalm-automation-community+napalm-ce", collect_napalm_ce),
                     *((name, collect_fixtures(name)) for name in FIXTURES),
                     ("napalm-automation-community+napalm-sros", collect_napalm_sros),
                     ("FRRouting+frr", collect_frr_topotests), ("netenglabs+suzieq", collect_suzieq),
                     ("WheaterW+INTA-project", collect_huawei_docs)):
        repo = _repo(mirrors, name)
        if repo is None:
            print(f"skip {name}: no snapshot under {mirrors}", file=sys.stderr)
            continue
        before = sum(sink.count.values())
        fn(repo, sink)
        print(f"{name}: {sum(sink.count.values()) - before} captures", file=sys.stderr)
    return sink.count


# -- comparing -------------------------------------------------------------------------------


def _norm_peer(p: str) -> str:
    p = str(p).strip().lower()
    try:
        return str(ipaddress.ip_address(p.split("%")[0]))
    except ValueError:
        return p


def _norm_net(p: str, classful: bool = False) -> str:
    """A prefix as ``ip_network`` spells it. ``classful``: an IPv4 network printed without its mask
    (IOS leaves out a classful one; genieparser keeps it so) has its class's mask (A /8, B /16,
    C /24; ``0.0.0.0`` is the default route), not /32."""
    try:
        if classful and "/" not in p and ipaddress.ip_address(p).version == 4:
            first = int(p.split(".")[0])
            length = 0 if int(ipaddress.ip_address(p)) == 0 else 8 if first < 128 else 16 if first < 192 \
                else 24 if first < 224 else 32
            return str(ipaddress.ip_network(f"{p}/{length}", strict=False))
        return str(ipaddress.ip_network(p, strict=False))
    except ValueError:
        return p


def _established(state: str | None) -> bool | None:
    if state is None:
        return None
    return state.lower().startswith("establ")


def _states_agree(ours: str, theirs: str) -> bool:
    a = re.sub(r"[^a-z]", "", ours.lower())
    b = re.sub(r"[^a-z]", "", theirs.lower())
    return a.startswith(b[:4]) or b.startswith(a[:4]) or ("admin" in b and ("admin" in a or "idle" in a))


def _ifname(name: str) -> str:
    """Names as sources spell them: genie "Ucse1/0/0" for "ucse1/0/0", NAPALM "Management0" for "mgmt0"."""
    low = name.lower()
    return "management" + low[4:] if low.startswith("mgmt") else low


def _admin(adm: Any, op: Any) -> bool | None:
    """Expected admin state: a bool, or words such as "administratively down", "disabled",
    "Up"/"Down" (an admin column). A bare "down" that is also the oper word says nothing."""
    if isinstance(adm, bool):
        return adm
    if not isinstance(adm, str) or not adm:
        return None
    low = adm.lower()
    if "admin" in low or "disabled" in low:
        return False
    if low == "down":
        return None if adm == op else False
    return True


def compare(kind: str, model: Any, expect: dict[str, Any] | None) -> list[str]:
    if not expect:
        return []
    loose = bool(expect.get("loose"))
    problems: list[str] = []
    if kind == "bgp":
        ours: dict[str, list[Any]] = defaultdict(list)
        for n in model.neighbors:
            ours[_norm_peer(n.peer)].append(n)
        theirs: dict[str, dict[str, Any]] = {}
        for p in expect["peers"]:  # a peer in several instances: the first (global) one
            theirs.setdefault(_norm_peer(p["peer"]), p)
        if expect.get("subset"):
            theirs = {p: f for p, f in theirs.items() if p in ours}
        missing = sorted(set(theirs) - set(ours))
        extra = sorted(set(ours) - set(theirs))
        if missing:
            problems.append(f"peers missing: {missing[:4]}{'...' if len(missing) > 4 else ''}")
        if extra and not loose and not expect.get("subset"):
            problems.append(f"peers extra: {extra[:4]}")
        from netops.devices.parsers import to_asn
        for peer, fact in theirs.items():
            if peer not in ours:
                continue
            ns = ours[peer]
            asn = to_asn(fact["as"]) if not isinstance(fact["as"], int) else fact["as"]
            if asn is not None and all(n.remote_as != asn for n in ns):
                problems.append(f"{peer}: AS {[n.remote_as for n in ns]} != {asn}")
            if fact["established"] is not None and all(n.established != fact["established"] for n in ns):
                problems.append(f"{peer}: established {[n.established for n in ns]} != {fact['established']}")
            if fact["pfx"] is not None and fact["established"] and all(n.prefixes_received != fact["pfx"] for n in ns):
                problems.append(f"{peer}: prefixes {[n.prefixes_received for n in ns]} != {fact['pfx']}")
            if fact["state"] and not any(_states_agree(n.state, fact["state"]) for n in ns):
                problems.append(f"{peer}: state {[n.state for n in ns]} != {fact['state']!r}")
    elif kind == "ospf":
        ours = {n.neighbor_id: n for n in model.neighbors}
        theirs = {str(n["id"]): n for n in expect["neighbors"] if n.get("id")}
        if len(model.neighbors) != len(expect["neighbors"]) and not loose:
            problems.append(f"{len(model.neighbors)} neighbors, expected {len(expect['neighbors'])}")
        missing = sorted(set(theirs) - set(ours))
        if missing:
            problems.append(f"neighbors missing: {missing[:4]}")
        for nid, fact in theirs.items():
            n = ours.get(nid)
            if n and fact.get("state"):
                full = str(fact["state"]).lower().startswith("full")
                if n.full != full:
                    problems.append(f"{nid}: full {n.full} but state {fact['state']!r}")
    elif kind == "interfaces":
        ours = {_ifname(i.name): i for i in model.interfaces}
        theirs = {_ifname(str(i["name"])): i for i in expect["interfaces"] if i.get("name")}
        missing = sorted(set(theirs) - set(ours))
        if missing:
            problems.append(f"interfaces missing: {missing[:4]}{'...' if len(missing) > 4 else ''} ({len(missing)})")
        for name, fact in theirs.items():
            i = ours.get(name)
            if not i:
                continue
            adm, op = fact.get("admin"), fact.get("oper")
            exp_admin = _admin(adm, op)
            if exp_admin is not None and i.admin_up != exp_admin:
                problems.append(f"{name}: admin_up {i.admin_up} but {adm!r}")
            if isinstance(op, str) and op:
                exp_oper = op.lower().startswith("up") or op.lower() == "connected"
                if i.oper_up != exp_oper:
                    problems.append(f"{name}: oper_up {i.oper_up} but {op!r}")
    elif kind == "listed":
        ours = defaultdict(set)
        for item in model:
            ours[item.name].update(a.split("/")[0].split("%")[0] for a in item.all())
        for fact in expect["interfaces"]:
            want = {str(ip).split("/")[0].lower() for ip in fact["ips"]}
            got = {a.lower() for a in ours.get(fact["name"], set())}
            if want - got:
                problems.append(f"{fact['name']}: addresses missing {sorted(want - got)[:3]}")
    elif kind == "version":
        if expect.get("hostname") and model.hostname not in (expect["hostname"], SWEEP_HOST):
            problems.append(f"hostname {model.hostname!r} != {expect['hostname']!r}")
        if expect.get("version") and not model.os_version:
            problems.append(f"no version, expected {expect['version']!r}")
        elif expect.get("version") and model.os_version not in str(expect["version"]) \
                and str(expect["version"]) not in (model.os_version or ""):
            problems.append(f"version {model.os_version!r} != {expect['version']!r}")
    elif kind == "peer_routes":
        ours_p = {_norm_net(p.prefix) for p in model.routes}
        theirs_p = {_norm_net(p, classful=True) for p in expect["prefixes"]}
        if theirs_p - ours_p:
            problems.append(f"prefixes missing: {sorted(theirs_p - ours_p)[:4]} ({len(theirs_p - ours_p)})")
        if ours_p - theirs_p and not loose:
            problems.append(f"prefixes extra: {sorted(ours_p - theirs_p)[:4]} ({len(ours_p - theirs_p)})")
    elif kind == "rib":
        ours_e = sorted((r.prefix, r.selected) for r in model.routes)
        theirs_e = [tuple(e) for e in expect["entries"]]
        if ours_e != theirs_e:
            problems.append(f"{len(ours_e)} routes ({sum(s for _, s in ours_e)} selected), "
                            f"expected {len(theirs_e)} ({sum(s for _, s in theirs_e)})")
    elif kind == "bgp_paths":
        ours_b = sorted([p.prefix, p.as_path, p.best] for p in model.paths)
        theirs_b = [list(e) for e in expect["paths"]]
        if ours_b != theirs_b:
            diff = [e for e in theirs_b if e not in ours_b][:3]
            problems.append(f"{len(ours_b)} paths, expected {len(theirs_b)}; not read: {diff}")
    elif kind == "vpn_interfaces":
        for name, vpn in expect["interfaces"].items():
            if model.get(name) != vpn:
                problems.append(f"{name}: VPN instance {model.get(name)!r} != {vpn!r}")
    elif kind == "route":
        if expect.get("absent") and model.found:
            problems.append(f"route {model.prefix!r} found where no route covers the query")
        if expect.get("prefixes") and (not model.found or model.prefix not in expect["prefixes"]):
            problems.append(f"route {model.prefix!r} (found={model.found}) not in {expect['prefixes'][:3]}")
    return problems


# -- running ---------------------------------------------------------------------------------


VARIANTS: dict[str, Callable[[str], str]] = {
    "as-is": lambda t: t,
    # saved on Windows or by a tool that keeps the device's line ends
    "crlf": lambda t: t.replace("\r\n", "\n").replace("\n", "\r\n"),
    # saved from a terminal session: the prompt and command echo above, the prompt below
    "prompt": lambda t: t,  # filled in per platform by _with_prompt
    # the session dropped half-way
    "truncated": lambda t: "\n".join(t.splitlines()[: max(1, len(t.splitlines()) // 2)]),
}


_PROMPTS = {"juniper_junos": "netops@r1> ", "nokia_sros": "A:admin@r1# ", "frr": "r1# ", "linux": "$ ",
            "huawei_vrp": "<r1>", "cisco_xr": "RP/0/RP0/CPU0:r1#"}


def _with_prompt(platform: str, command: str, text: str) -> str:
    prompt = _PROMPTS.get(platform, "r1#")
    return f"{prompt}{command}\n{text.rstrip()}\n{prompt}\n"


def run(data: Path, platform: str | None = None, command: str | None = None,
        variants: tuple[str, ...] = ("as-is",)) -> list[dict[str, Any]]:
    results = []
    for variant in variants:
        for row in _run_one(data, platform, command, variant):
            row["variant"] = variant
            results.append(row)
    return results


def _run_one(data: Path, platform: str | None, command: str | None, variant: str) -> list[dict[str, Any]]:
    from netops.errors import NetopsError
    results = []
    for side in sorted(data.glob("*/*/*.json")):
        meta = json.loads(side.read_text())
        plat = side.parent.parent.name
        key = (plat, meta["command"])
        if key not in PARSERS or (platform and plat != platform) or (command and meta["command"] != command):
            continue
        kind, fn = PARSERS[key]
        text = VARIANTS[variant](side.with_suffix(".txt").read_text(errors="replace"))
        if variant == "prompt":
            shown = meta["command"].replace("ADDR", str(meta.get("query") or ""))
            if "PEER" in shown:
                shown = shown.replace("PEER", json.loads(meta.get("query") or "{}").get("peer") or "192.0.2.1")
            text = _with_prompt(plat, shown, text)
        row = {"platform": plat, "command": meta["command"], "source": meta["source"], "file": str(side.with_suffix(".txt")),
               "expected": meta["expect"] is not None}
        try:
            model = fn(text, meta.get("query"))
        except NetopsError as exc:
            msg = str(exc)
            row.update(outcome="error" if "\n" not in msg.strip() else "crash", detail=msg.strip()[:200])
        except Exception as exc:  # any other exception is a parser bug: that is what we count
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            row.update(outcome="crash", detail=f"{type(exc).__name__}: {exc} at {Path(tb.filename).name}:{tb.lineno}"[:300])
        else:
            # a truncated capture cannot be held to the full capture's facts
            problems = compare(kind, model, meta["expect"]) if variant != "truncated" else []
            row.update(outcome="mismatch" if problems else "ok", detail="; ".join(problems)[:400])
        results.append(row)
    return results


def table(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    agg: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for r in results:
        key = (r["platform"], r["command"], r["variant"])
        agg[key][r["outcome"]] += 1
        agg[key]["captures"] += 1
        agg[key]["with_expected"] += r["expected"]
    return [{"platform": p, "command": c, "variant": v,
             **{k: n[k] for k in ("captures", "with_expected", "ok", "error", "crash", "mismatch")}}
            for (p, c, v), n in sorted(agg.items())]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("collect", "run"))
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--mirrors", type=Path, default=MIRRORS)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--details", action="store_true", help="list every capture that is not ok")
    ap.add_argument("--platform")
    ap.add_argument("--command")
    ap.add_argument("--variants", default="as-is",
                    help=f"comma-separated, of {', '.join(VARIANTS)} (or 'all'): the capture as published, "
                         "with CRLF line ends, cut at half its lines (only crashes count there)")
    a = ap.parse_args()
    if a.action == "collect":
        counts = collect(a.data, a.mirrors)
        for (p, c), n in sorted(counts.items()):
            print(f"{p:14} {c:42} {n}")
        return
    variants = tuple(VARIANTS) if a.variants == "all" else tuple(a.variants.split(","))
    results = run(a.data, a.platform, a.command, variants)
    rows = table(results)
    if a.json:
        print(json.dumps({"summary": rows, "problems": [r for r in results if r["outcome"] != "ok"]}, indent=1))
        return
    print(f"{'platform':14} {'command':38} {'variant':9} {'caps':>5} {'exp':>4} {'ok':>4} {'err':>4} {'crash':>5} {'mism':>5}")
    totals: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        print(f"{r['platform']:14} {r['command']:38} {r['variant']:9} {r['captures']:5} {r['with_expected']:4} {r['ok']:4} "
              f"{r['error']:4} {r['crash']:5} {r['mismatch']:5}")
        totals[r["variant"]].update({k: r[k] for k in ("captures", "with_expected", "ok", "error", "crash", "mismatch")})
    for v, tot in totals.items():
        print(f"{'total':53} {v:9} {tot['captures']:5} {tot['with_expected']:4} {tot['ok']:4} {tot['error']:4} "
              f"{tot['crash']:5} {tot['mismatch']:5}")
    if a.details:
        for r in results:
            if r["outcome"] != "ok":
                print(f"\n[{r['outcome']}] {r['platform']} / {r['command']} / {r['variant']} / {r['file']}\n    {r['detail']}")


if __name__ == "__main__":
    main()
