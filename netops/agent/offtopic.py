"""Is a question about anything netops can read? (helper "model19", 2026-12-03)

With a model, a question that names no device, no network or document topic, and leans on
nothing said before got the model's invention with only a "No evidence" footnote: SmolLM2 said the
weather in Paris tomorrow is "a mix of sunny and cloudy" and answered "hi, how are you?" with a
letter signed "Alex". netops offline says what it can do; with a model it now does the same when
the question is about none of it (:func:`netops.assistant._off_topic`; the model is not asked). The test
is deliberately wide on the network side: any networking, device, document or operations word
keeps the model's answer ("how does ecmp hashing work?", "what is NAT?")."""

from __future__ import annotations

import re
from collections.abc import Iterable

# words of networking, operations and the documents, beside the router's domain words
# (netops.agent.router.DOMAIN_WORDS) and the team glossary's; a word counts with its plural
_NETWORK = frozenset("""
network networks networking net internet intranet packet loss latency jitter bandwidth throughput traffic
flow flows ecmp hash hashing nat pat dns dhcp firewall acl acls vpn ipsec gre tunnel ethernet lan wan sdwan
wifi wireless wlan switch switches switching router routers route routes routing link links interface port
subnet subnets cidr netmask mask gateway arp nd mac stp lacp lag bond trunk ip ips address addresses
ping traceroute mtr snmp netconf restconf yang gnmi grpc telemetry syslog netflow sflow ipfix config
configs configuration configure configured device devices host hosts node nodes topology lab inventory
playbook playbooks change changes changed audit outage incident maintenance drain peer peers session
sessions asn rib fib ldp segment srv6 evpn vtep l2 l3 layer osi http https ssh telnet tls ssl certificate
balancer cdn anycast broadcast rfc rfcs runbook runbooks doc docs document documents documentation
knowledge spec specs standard protocol protocols cable cabling fiber fibre optic optics transceiver sfp
qsfp cpu memory uptime reboot reload version firmware vendor cisco ios nxos junos juniper arista eos frr
frrouting nokia huawei linux kernel netops vrrp hsrp redistribution redistribute metric cost area spf
convergence flap flapping fragment fragmentation dscp queue queues shaping policing policer
loopback ipv4 ipv6 ospfv2 ospfv3 isis bgp ospf eigrp rip static default prefix prefixes aggregate
community communities med localpref aspath timer timers keepalive hold dead hello interval adjacency
neighbor neighbors neighbour neighbours established full idle active down up healthy health state status
error errors counters crc drops discards bgp4 ebgp ibgp mpls vxlan vlan vrf qos tcp udp icmp
datacenter spine leaf fabric pod rack edge core border uplink downlink isp transit
graceful restart frame frames jumbo hub hubs repeater repeaters bridge bridges bogon bogons martian martians
looking glass multicast unicast igmp pim snooping tap span mirror mirroring spanning tree rstp mstp poe
wildcard supernet summarization summarisation multihoming peering ixp upstream downstream latency
everything anything something fine ok okay working broken wrong problem problems issue issues alert alerts
alarm alarms monitor monitoring log logs backup backups tool tools command commands
password passwords secret secrets enable credential credentials key keys keychain login logins aaa tacacs radius
user users account accounts console boot image upgrade downgrade license hardware serial chassis fan fans
temperature psu procedure procedures lldp cdp l2vpn l3vpn vpls pseudowire advertise advertised advertising
announce announced announcing withdraw withdrawn fleet site sites dc pop reach reachable reachability
""".split())

_WORD = re.compile(r"[a-z0-9][a-z0-9-]*")
# "AS 65001", "802.1q", "TS 23.502", "RFC 4271": a number of the network or a standard
_NUMBERED = re.compile(r"\bas\s*\d+\b|\b\d{3}\.\d+[a-z]*\b|\b(?:ts|rfc|ieee|itu)\s*[\d.]+", re.IGNORECASE)
_PREFIX_LENGTH = re.compile(r"(?<![\w/])/(?:[0-9]|[12][0-9]|3[0-2]|[4-9][0-9]|1[01][0-9]|12[0-8])\b")
"""A prefix length on its own ("what is a /30 used for?")."""
_ACRONYM = re.compile(r"(?<![\w-])(?=(?:[a-z0-9]*[A-Z]){2})[A-Z][A-Za-z0-9]{1,7}(?![\w-])")
"""A word with two capitals or more, starting with one ("RPKI", "TTL", "PoE", "SLAAC", "IPv6")."""
_EVERYDAY_CAPITALS = frozenset("""OK TV US USA UK EU UN AI PM AM FAQ ASAP LOL BTW FYI IMO TBH NYC LA PS PC PhD CEO CTO
DIY ETA BBC CNN NBA NFL FIFA NASA""".split())
"""Capitals of everyday talk, not of networking."""
_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,}\b", re.IGNORECASE)


def _forms(word: str) -> set[str]:
    out = {word}
    for suffix in ("es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.add(word[: -len(suffix)])
    return out


# a reply to something said before ("yes", "ok, do it", "go ahead", "no thanks"): never off topic
_REPLY = re.compile(r"^\W*(?:yes|yeah|yep|no|nope|ok|okay|sure|go\s+ahead|go\s+on|do\s+it|continue|again|more|y|n)\b",
                    re.IGNORECASE)


def replies(question: str) -> bool:
    return bool(_REPLY.match(question))


def about_the_network(question: str, hosts: Iterable[str] = (), domain: Iterable[str] = ()) -> bool:
    """True when ``question`` names a device of ``hosts``, an address, or any networking,
    operations or document word (the router's domain words, ``domain`` -- the team glossary's --
    and a wide list of its own)."""
    from netops.agent.router import DOMAIN_WORDS

    low = question.lower().replace("'s", " ")
    if _ADDRESS.search(low) or _NUMBERED.search(low) or _PREFIX_LENGTH.search(low):
        return True
    if any(a not in _EVERYDAY_CAPITALS for a in _ACRONYM.findall(question)):
        return True  # "what is RPKI?", "a TTL", "PoE", "SLAAC": networking speaks in acronyms
    words = set(_WORD.findall(low))
    known = _NETWORK | DOMAIN_WORDS | {d.lower() for d in domain}
    if any(h.lower() in words for h in hosts):
        return True
    if any(re.fullmatch(r"[a-z]{1,8}\d{1,4}", w) for w in words):
        return True  # "r9", "dc2", "pod7", "spine1": named like a device or a site, even one the inventory lacks
    words |= {p for w in words for p in w.split("-") if p}  # "bgp-soft-clear", "link-state"
    return any(_forms(w) & known for w in words)


OFF_TOPIC = ("netops answers questions about your network (its devices' state, what changed, routes, "
             "vetted changes) and about the documents in its knowledge base. Nothing it can read bears on "
             "this question, so the model was not asked: nothing could back its answer (a small model makes up "
             "weather, news and facts). Ask, for example: {examples}.")


def off_topic_line(hosts: list[str]) -> str:
    """The plain line said instead of an unbacked answer to a question about none of it."""
    h = hosts[0] if hosts else "r1"
    examples = [f'"bgp neighbours on {h}"', f'"is {h} healthy?"', f'"what changed on {h}?"',
                'a question your documents answer ("what is the BGP hold time?")']
    return OFF_TOPIC.format(examples=", ".join(examples))
