"""A tiny stateful FRR simulator for unit tests of the runner (the lab tests use real FRR).

It keeps each router's running config as a tree (netops.playbook.diff), applies config lines
the way vtysh would, and answers the handful of JSON show commands the BGP/interface playbooks
use. It is a transport factory for ``DeviceService(transport_factory=...)``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence

from netops.devices.transport import CommandOutput
from netops.errors import SessionClosed
from netops.playbook import diff as cfgdiff

R1 = """frr version 8.4.4
frr defaults traditional
hostname {name}
service integrated-vtysh-config
!
interface eth-r2
 description link to r2
 ip ospf cost 10
exit
!
router bgp {asn}
 bgp router-id 203.0.113.{idx}
 neighbor 198.51.100.{peer} remote-as 65002
 neighbor 198.51.100.{peer} description r2
 !
 address-family ipv4 unicast
  network 203.0.113.{idx}/32
 exit-address-family
exit
!
end
"""


def _canonical(node: cfgdiff.Node) -> cfgdiff.Node:
    if node.line == "":
        return cfgdiff.Node("", [_canonical(c) for c in node.children])
    kids = [_canonical(c) for c in node.children]
    kids.sort(key=lambda c: (bool(c.children), " remote-as " not in c.line, c.line))
    return cfgdiff.Node(node.line, kids)


class Router:
    def __init__(self, name: str, idx: int) -> None:
        self.name = name
        self.tree = cfgdiff.parse(R1.format(name=name, asn=65000 + idx, idx=idx, peer=2 if idx != 2 else 1))
        self.configs: list[list[str]] = []

    def running(self) -> str:
        # FRR prints config in a canonical order, whatever order it was entered in.
        return "Building configuration...\n\nCurrent configuration:\n" + cfgdiff.render_tree(_canonical(self.tree))

    def _bgp(self):
        return next((c for c in self.tree.children if c.line.startswith("router bgp ")), None)

    def neighbors(self) -> dict[str, dict]:
        bgp = self._bgp()
        out: dict[str, dict] = {}
        if bgp is None:
            return out
        for c in bgp.children:
            m = re.match(r"neighbor (\S+) remote-as (\d+)", c.line)
            if m:
                out[m.group(1)] = {"bgpState": "Established", "remoteAs": int(m.group(2)), "connectionsDropped": 0}
        for c in bgp.children:
            m = re.match(r"neighbor (\S+) shutdown$", c.line)
            if m and m.group(1) in out:
                out[m.group(1)].update(bgpState="Idle", adminShutDown=True)
            m = re.match(r"neighbor (\S+) description (.+)$", c.line)
            if m and m.group(1) in out:  # FRR's summary prints it as "desc"
                out[m.group(1)]["desc"] = m.group(2)
        return out

    def show(self, command: str) -> str:
        if command == "show running-config":
            return self.running()
        if command == "show bgp summary json":
            bgp = self._bgp()
            peers = {ip: {"state": n["bgpState"], "connectionsDropped": 0, **({"desc": n["desc"]} if "desc" in n else {})}
                     for ip, n in self.neighbors().items()}
            return json.dumps({"ipv4Unicast": {"as": int(bgp.line.split()[2]), "peers": peers}} if bgp else {})
        m = re.fullmatch(r"show bgp neighbors (\S+) json", command)
        if m:
            n = self.neighbors().get(m.group(1))
            return json.dumps({m.group(1): n} if n else {"bgpNoSuchNeighbor": True})
        m = re.fullmatch(r"show interface (\S+) json", command)
        if m:
            node = self.tree.find(f"interface {m.group(1)}")
            if node is None:
                return "{}"
            desc = next((c.line[12:] for c in node.children if c.line.startswith("description ")), None)
            return json.dumps({m.group(1): {"description": desc} if desc else {}})
        if re.fullmatch(r"show (?:ip|ipv6) route \S+ json", command):
            # the simulator keeps no routing table: FRR's JSON answer for a lookup with no route (a
            # '% Unknown command' was read as "no route" until the route parser told errors apart)
            return "{}"
        return f"% Unknown command: {command}"

    def configure(self, lines: Sequence[str]) -> CommandOutput:
        self.configs.append(list(lines))
        body = [ln for ln in lines if not ln.startswith("do ")]
        try:
            self.tree = cfgdiff.apply_lines(self.tree, body)
        except cfgdiff.NotComputable as exc:
            return CommandOutput(f"% Unknown command: {exc}\n", exit_status=1)
        return CommandOutput("", exit_status=0)


class FrrSim:
    """Transport factory: ``FrrSim(["r1", "r2", "r3"])``. Faults: ``drop_config[host] = n``
    closes the session on the n-th configure call to that host."""

    def __init__(self, names: Sequence[str]) -> None:
        self.routers = {n: Router(n, i + 1) for i, n in enumerate(names)}
        self.drop_config: dict[str, int] = {}
        self.sent: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, host, settings):
        return _Conn(self, host.name)


class _Conn:
    def __init__(self, sim: FrrSim, name: str) -> None:
        self.sim, self.name, self.alive = sim, name, True

    def run(self, command: str, *, timeout: float) -> CommandOutput:
        with self.sim.lock:
            self.sim.sent.append((self.name, command))
        return CommandOutput(self.sim.routers[self.name].show(command), exit_status=0)

    def send_config(self, lines: Sequence[str], *, timeout: float) -> CommandOutput:
        router = self.sim.routers[self.name]
        n = self.sim.drop_config.get(self.name)
        if n is not None:
            if len(router.configs) + 1 == n:
                router.configs.append(list(lines))
                # Half the lines got through before the session died: the realistic worst case.
                router.tree = cfgdiff.apply_lines(router.tree, [ln for ln in lines[: max(1, len(lines) // 2 + 1)]])
                self.alive = False
                raise SessionClosed(f"{self.name}: the device closed the session")
        return router.configure(lines)

    def is_alive(self) -> bool:
        return self.alive

    def close(self) -> None:
        self.alive = False
