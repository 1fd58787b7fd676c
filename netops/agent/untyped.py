"""Device questions no typed read answers: "arp table r1", "cpu on r1", "r1 logs", "lldp neighbors r1",
"bfd peers on r1", "ntp status r2", "what vrfs are on r1", "packet loss between r2 and r3".

netops reads devices through its typed getters (facts, interfaces, BGP, OSPF, routes, config,
advertised/received routes). Offline such a question met "no known intent matched" (a dead end), and a
model answered it from nothing. Here each such subject is named once, with the command that reads it on
each platform (:mod:`netops.devices.platforms`): the answer says which thing netops has no typed read for
and the exact command for that device's platform to send with ``netops show HOST "..."`` (through the
read-only command policy, audited), or that the platform has no such command and where it lives instead.
Probes are not sent at all: netops runs allowlisted reads, so a ping, latency or loss question is told
what netops can read instead. Nothing is read and no model is asked: the line is the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netops.devices.platforms import PLATFORMS


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    """What netops has no typed read for, as the answer names it ("the ARP table")."""
    words: re.Pattern[str]
    commands: dict[str, str] = field(default_factory=dict)
    """Platform -> the read-only command that shows it there."""
    elsewhere: dict[str, str] = field(default_factory=dict)
    """Platform -> where it lives when the platform's CLI has no command for it."""
    notes: dict[str, str] = field(default_factory=dict)
    """Platform -> what its command shows when that is only part of the thing (FRR's `show logging`
    is where it logs, not the messages), said in place of "reads it"."""


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_HOST_SIDE = "the host's"  # FRR is a routing suite on a Linux host: hardware, NTP, LLDP and L2 live there
TOPICS: tuple[Topic, ...] = (
    Topic("arp", "the ARP table", _p(r"\barp\b"),
          {"frr": "show ip neigh", "cisco_ios": "show ip arp", "cisco_nxos": "show ip arp", "arista_eos": "show ip arp",
           "juniper_junos": "show arp no-resolve", "cisco_xr": "show arp", "huawei_vrp": "display arp",
           "nokia_sros": "show router arp", "linux": "ip neigh show"}),
    Topic("nd", "the IPv6 neighbour table", _p(r"\b(?:ipv6|v6)\s+neighbou?rs?\b|\bneighbou?r\s+discovery\b|\bndp?\s+(?:cache|table)\b"),
          {"cisco_ios": "show ipv6 neighbors", "cisco_nxos": "show ipv6 neighbor", "arista_eos": "show ipv6 neighbors",
           "juniper_junos": "show ipv6 neighbors", "cisco_xr": "show ipv6 neighbors", "huawei_vrp": "display ipv6 neighbors",
           "nokia_sros": "show router neighbor", "linux": "ip -6 neigh show"},
          {"frr": f"FRR 8.4's vtysh has no IPv6 neighbour command ({_HOST_SIDE} `ip -6 neigh` has them)"}),
    Topic("mac", "the MAC address table", _p(r"\bmac\s+(?:address\s+)?(?:table|entries|addresses)\b|\bcam\s+table\b|\bfdb\b"),
          {"cisco_ios": "show mac address-table", "cisco_nxos": "show mac address-table",
           "arista_eos": "show mac address-table", "juniper_junos": "show ethernet-switching table",
           "huawei_vrp": "display mac-address", "nokia_sros": "show service fdb-mac", "linux": "bridge fdb show"},
          {"frr": f"FRR routes and keeps no MAC table ({_HOST_SIDE} `bridge fdb` has it)"}),
    Topic("lldp", "LLDP neighbours", _p(r"\blldp\b"),
          {"cisco_ios": "show lldp neighbors", "cisco_nxos": "show lldp neighbors", "arista_eos": "show lldp neighbors",
           "juniper_junos": "show lldp neighbors", "cisco_xr": "show lldp neighbors",
           "huawei_vrp": "display lldp neighbor brief", "nokia_sros": "show system lldp neighbor"},
          {"frr": f"FRR has no LLDP ({_HOST_SIDE} lldpd, `lldpcli show neighbors`, would)"}),
    Topic("cdp", "CDP neighbours", _p(r"\bcdp\b"),
          {"cisco_ios": "show cdp neighbors", "cisco_nxos": "show cdp neighbors", "cisco_xr": "show cdp neighbors"},
          {"frr": "FRR has no CDP", "arista_eos": "EOS has no CDP (LLDP: `show lldp neighbors`)",
           "juniper_junos": "Junos has no CDP (LLDP: `show lldp neighbors`)"}),
    Topic("cpu", "CPU load", _p(r"\bcpu\b|\bprocessor\b|\bcpu[- ]?(?:load|usage|utili[sz]ation)\b"),
          {"frr": "show thread cpu", "cisco_ios": "show processes cpu sorted", "cisco_nxos": "show system resources",
           "arista_eos": "show processes top once", "juniper_junos": "show chassis routing-engine",
           "cisco_xr": "show processes cpu", "huawei_vrp": "display cpu-usage", "nokia_sros": "show system cpu",
           "linux": "uptime"}),
    Topic("memory", "memory use", _p(r"\b(?:memory|ram|mem)\b"),
          {"frr": "show memory", "cisco_ios": "show memory statistics", "cisco_nxos": "show system resources",
           "arista_eos": "show version", "juniper_junos": "show chassis routing-engine", "cisco_xr": "show memory summary",
           "huawei_vrp": "display memory-usage", "nokia_sros": "show system memory-pools", "linux": "free -m"}),
    Topic("environment", "the environment (temperature, fans, power supplies)",
          _p(r"\b(?:temp|temps|temperatures?|thermal|overheat\w*|fans?|psus?|power\s+suppl(?:y|ies)|power\s+supplies|"
             r"environment(?:als?)?|sensors?|optics|transceivers?|sfps?|dom|light\s+levels?|rx\s+power)\b"),
          {"cisco_ios": "show environment", "cisco_nxos": "show environment", "arista_eos": "show system environment all",
           "juniper_junos": "show chassis environment", "cisco_xr": "show environment", "huawei_vrp": "display device",
           "nokia_sros": "show chassis environment"},
          {"frr": f"FRR is software and reads no sensors ({_HOST_SIDE} `sensors` / `ipmitool sdr` would)"}),
    # not "log in to r1" (a login); netops's own audit or change log is not the device's (_NETOPS_LOG)
    Topic("logs", "the device's log", _p(r"\b(?:logs?|logging|syslogs?|log\s+messages?|messages\s+log)\b"
                                          r"(?!\s+(?:in|into|on\s+to|onto)\b)"),
          {"frr": "show logging", "cisco_ios": "show logging", "cisco_nxos": "show logging last 100",
           "arista_eos": "show logging", "juniper_junos": "show log messages", "cisco_xr": "show logging",
           "huawei_vrp": "display logbuffer", "nokia_sros": "show log log-id 99", "linux": "journalctl -n 100"},
          notes={"frr": f"shows only where FRR logs (vtysh keeps no messages: {_HOST_SIDE} log file or "
                        "`journalctl -u frr` has them)"}),
    Topic("duplex", "duplex and speed", _p(r"\b(?:duplex|half[- ]duplex|full[- ]duplex|autoneg\w*|speed\s+mismatch)\b"),
          {"frr": "show interface", "cisco_ios": "show interfaces status", "cisco_nxos": "show interface status",
           "arista_eos": "show interfaces status", "juniper_junos": "show interfaces media",
           "cisco_xr": "show interfaces", "huawei_vrp": "display interface brief", "nokia_sros": "show port"},
          notes={"frr": f"shows each interface's speed, not its duplex ({_HOST_SIDE} `ethtool IFACE` has both)"}),
    Topic("bfd", "BFD sessions", _p(r"\bbfd\b"),
          {"frr": "show bfd peers", "cisco_ios": "show bfd neighbors", "cisco_nxos": "show bfd neighbors",
           "arista_eos": "show bfd peers", "juniper_junos": "show bfd session", "cisco_xr": "show bfd session",
           "huawei_vrp": "display bfd session all", "nokia_sros": "show router bfd session"}),
    Topic("ntp", "NTP and the clock", _p(r"\b(?:ntp|clock|time\s+sync\w*)\b"),
          {"cisco_ios": "show ntp status", "cisco_nxos": "show ntp peer-status", "arista_eos": "show ntp status",
           "juniper_junos": "show ntp status", "cisco_xr": "show ntp status", "huawei_vrp": "display ntp status",
           "nokia_sros": "show system ntp", "linux": "timedatectl"},
          {"frr": f"FRR has no NTP ({_HOST_SIDE} chrony or ntpd keeps the clock: `chronyc tracking`)"}),
    Topic("vrfs", "the list of VRFs", _p(r"\bvrfs\b|\b(?:list|which|what|show|all)\s+(?:the\s+)?vrfs?\b|\bvrf\s+list\b"
                                           r"|\brouting\s+instances\b"),
          {"frr": "show vrf", "cisco_ios": "show vrf", "cisco_nxos": "show vrf", "arista_eos": "show vrf",
           "juniper_junos": "show route instance", "cisco_xr": "show vrf all", "huawei_vrp": "display ip vpn-instance",
           "nokia_sros": "show service service-using vprn"}),
)
# The subjects of netops's typed reads: said beside a topic's word, the typed read is asked for
# ("the ntp config on r1", "bgp peers in vrf CUST-A on r1", "show logging config"), not the topic.
# ("run" only as "show run", "sh run": "do the routers run lldp?" asks about LLDP, route37)
_TYPED_SUBJECT = re.compile(r"\b(?:bgp|ospf|routes?|routing|rib|fib|prefix(?:es)?|config|configuration|configured|"
                            r"running-config|(?<=show\s)run|(?<=sh\s)run|interfaces?|int|ports?|links?|version|uptime|"
                            r"serial|model)\b", re.IGNORECASE)

# A probe's measure: netops sends no probes ("latency r1 to r3", "packet loss between r2 and r3")
PROBE_WORDS = _p(r"\b(?:ping(?:s|ed|ing)?|traceroute|tracert|latency|rtt|round[- ]trip|jitter|packet[- ]?loss|"
                 r"loss|losing\s+packets|dropping\s+packets)\b")


# A change asked for in words the router's change words do not hold ("turn on bfd on r1", "start ntp on
# r1", "switch off lldp"): not a read, so no "nothing was read" line; it goes on as a change would
_CHANGE_ASKED = _p(r"^\W*(?:(?:please|pls|kindly|now|then|can\s+you|could\s+you|would\s+you)\s+)*"
                   r"(?:turn|switch|start|stop|activate|deactivate|restart|run\s+up|bring\s+up|set\s+up|configure|enable|"
                   r"disable|add|remove|install|increase|decrease|raise|lower|reduce|clear|flush|reset|sync|synchroni[sz]e)\b")


# The log netops keeps of what it changed and who approved it, which its change history reads:
# "audit log for r1", "what changes are in the log for r1?", "the log of changes on r1"
_NETOPS_LOG = _p(r"\b(?:audit\w*|chang\w*|approv\w*|playbooks?)\b")


def topic(question: str) -> Topic | None:
    """The one subject of :data:`TOPICS` the question asks about, or None (none, several, a typed
    read's subject said beside it, or a change to it asked for)."""
    if _TYPED_SUBJECT.search(question) or _CHANGE_ASKED.search(question):
        return None
    found = [t for t in TOPICS if t.words.search(question) and not (t.key == "logs" and _NETOPS_LOG.search(question))]
    if len(found) > 1 and {t.key for t in found} == {"arp", "mac"}:
        found = [t for t in found if t.key == "arp"]  # "mac addresses in the arp table"
    return found[0] if len(found) == 1 else None


def _platform_name(platform: str) -> str:
    spec = PLATFORMS.get(platform)
    return {"frr": "FRR"}.get(platform, f"{spec.vendor} {platform.split('_')[-1].upper()}" if spec else platform)


def line(t: Topic, targets: list[str], platforms: dict[str, str] | None = None) -> str:
    """What to say: the thing netops has no typed read for, and per device the command for its
    platform to send with ``netops show`` (the platform unknown: FRR's and IOS's, named as such)."""
    from netops.agent.router import TYPED_NOT_READ

    platforms = platforms or {}
    per: dict[str, list[str]] = {}
    for h in targets:
        per.setdefault(platforms.get(h, ""), []).append(h)
    parts = []
    for platform, hs in per.items():
        first = hs[0]
        if not platform:
            shown = ", ".join(f'{_platform_name(p)} `{t.commands[p]}`' for p in ("frr", "cisco_ios") if p in t.commands)
            parts.append(f"on {', '.join(hs)} send the platform's command with `netops show {first} \"...\"`"
                         + (f" ({shown})" if shown else ""))
        elif cmd := t.commands.get(platform):
            parts.append(f'on {", ".join(hs)} ({_platform_name(platform)}) `netops show {first} "{cmd}"` '
                         + t.notes.get(platform, "reads it"))
        else:
            parts.append(f"on {', '.join(hs)}: " + t.elsewhere.get(platform, f"{_platform_name(platform)} has no "
                                                                             f"command netops knows for it"))
    sent = any(p and p in t.commands for p in per) or any(not p for p in per)
    return (f"{TYPED_NOT_READ} {t.label}, and nothing was read; " + "; ".join(parts)
            + (" (through the read-only command policy, audited)" if sent else ""))


def probe_line(targets: list[str]) -> str:
    """A ping, latency or loss question netops cannot measure: what it reads instead."""
    pair = " and ".join(targets[:2]) if targets else "the routers"
    a = targets[0] if targets else "r1"
    b = targets[1] if len(targets) > 1 else "203.0.113.3"
    return (f"netops sends no probes (no ping, traceroute or loss test: it runs allowlisted read commands only), so "
            f"latency and packet loss are not measured. What it can read for {pair} instead: the route "
            f"(\"can {a} reach {b}?\"), the sessions between them (\"is {a} talking to {b}?\") and the link's "
            f"interfaces (\"interfaces on {a}\")")


def typed_subject(question: str) -> bool:
    """Whether the question names a subject of netops's typed reads (BGP, routes, interfaces, ...)."""
    return bool(_TYPED_SUBJECT.search(question))


def typed_hint(key: str, targets: list[str], platforms: dict[str, str], said: str) -> str:
    """For a command typed for a topic ("r1 show ip arp"), sent as typed: the device platform's own
    command for that topic when the line does not already say it ("; on FRR the ARP table is `show ip
    neigh`"), or where it lives when the platform has none."""
    t = next((t for t in TOPICS if t.key == key), None)
    if t is None or not targets:
        return ""
    platform = platforms.get(targets[0], "")
    if cmd := t.commands.get(platform):
        return "" if f"`{cmd}`" in said or f'"{cmd}"' in said else f"; on {_platform_name(platform)} {t.label} is `{cmd}`"
    return f"; {t.elsewhere[platform]}" if platform in t.elsewhere else ""
