"""FRR configuration for a lab router (integrated ``frr.conf``), rendered from its spec.

Timers are deliberately fast so a fresh lab converges in a few seconds and faults show
quickly: OSPF hello 1 / dead 4 on point-to-point links, BGP keepalive 3 / hold 9 with a
1 s connect retry and no advertisement delay.
"""

from __future__ import annotations

from netops.lab.topology import RouterSpec

OSPF_HELLO = 1
OSPF_DEAD = 4
BGP_KEEPALIVE = 3
BGP_HOLD = 9


def render_frr_conf(r: RouterSpec) -> str:
    """The integrated configuration loaded with ``vtysh -b`` when the router starts."""
    lines = [
        "frr version 8.4",
        "frr defaults traditional",
        f"hostname {r.name}",
        "ip forwarding",
        "service integrated-vtysh-config",
        "!",
    ]
    for link in r.links:
        lines += [
            f"interface {link.interface}",
            f" description {link.description}",
            f" ip address {link.address}",
            " ip ospf network point-to-point",
            f" ip ospf hello-interval {OSPF_HELLO}",
            f" ip ospf dead-interval {OSPF_DEAD}",
            " ip ospf retransmit-interval 1",
            f" ip ospf cost {link.ospf_cost}",
            "exit",
            "!",
        ]
    lines += [
        "interface lo",
        " description loopback",
        f" ip address {r.loopback}/32",
        "exit",
        "!",
    ]
    for prefix in r.static_routes:
        lines.append(f"ip route {prefix} blackhole")
    if r.static_routes:
        lines.append("!")
    lines += [
        "router ospf",
        f" ospf router-id {r.router_id}",
        " passive-interface lo",
    ]
    for link in r.links:
        lines.append(f" network {link.network} area 0")
    lines += [f" network {r.loopback}/32 area 0", "exit", "!"]
    lines += [
        f"router bgp {r.asn}",
        f" bgp router-id {r.router_id}",
        " no bgp ebgp-requires-policy",
        " no bgp network import-check",
        f" timers bgp {BGP_KEEPALIVE} {BGP_HOLD}",
    ]
    for link in r.links:
        peer_asn = 65000 + int(link.peer.removeprefix("r"))
        lines += [
            f" neighbor {link.peer_address} remote-as {peer_asn}",
            f" neighbor {link.peer_address} description {link.peer}",
            f" neighbor {link.peer_address} timers connect 1",
            f" neighbor {link.peer_address} advertisement-interval 0",
        ]
    lines += [" address-family ipv4 unicast", f"  network {r.loopback}/32"]
    for prefix in r.static_routes:
        lines.append(f"  network {prefix}")
    lines += [" exit-address-family", "exit", "!", "end", ""]
    return "\n".join(lines)


VTYSH_CONF = "service integrated-vtysh-config\n"
