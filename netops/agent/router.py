"""Offline intent router: common questions -> one read-only tool call, without a model.

Entities are found with patterns (inventory host names, IPv4/IPv6 addresses and prefixes,
interface names); the intent is picked by keyword overlap with a few example phrasings per
intent. Change intents are never routed offline: they need a model and a person.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from netops.agent.window import without_window

_ADDR = re.compile(r"(?<![\w:.])((?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:/\d{1,3})?)(?![\w:])")
# Interface names as platforms write them (eth-r2, Gi0/1, ge-0/0/0, Ethernet1, swp3, ...).
INTERFACE_NAME = re.compile(r"\b((?:eth|ens|enp|eno|lo|ge-|xe-|et-|Gi|GigabitEthernet|TenGigE|Te|Fa|Ethernet|swp|veth)[\w/.:-]*\d)\b")
# an interface name, or the loopback of FRR and Linux by its bare name ("how is lo configured on r3?")
_INTERFACE_OR_LO = re.compile(INTERFACE_NAME.pattern + r"|(?<![\w.'-])(lo)(?![\w.'-])")
_WORD = re.compile(r"[a-z0-9]+")

# intent -> (tool, getter, example phrasings). Keywords are weighted by how specific they are.
INTENTS: dict[str, dict[str, Any]] = {
    "bgp_neighbors": {"tool": "get_state", "getter": "bgp_neighbors",
                      "keywords": {"bgp": 3, "neighbour": 2, "neighbor": 2, "neighbours": 2, "neighbors": 2,
                                   "peer": 3, "peers": 3, "peering": 2, "session": 1, "sessions": 1, "established": 1}},
    "ospf_neighbors": {"tool": "get_state", "getter": "ospf_neighbors",
                       "keywords": {"ospf": 3, "adjacency": 2, "adjacencies": 2, "neighbour": 1, "neighbor": 1,
                                    "neighbours": 1, "neighbors": 1, "full": 1}},
    "interfaces": {"tool": "get_state", "getter": "interfaces",
                   "keywords": {"interface": 3, "interfaces": 3, "down": 1, "up": 1, "link": 3, "links": 3,
                                "port": 2, "ports": 2, "errors": 1, "description": 1, "descriptions": 1, "mtu": 3,
                                "int": 3, "intf": 3, "ints": 3, "brief": 1, "terse": 1, "status": 1,
                                "ip": 1, "ips": 3, "address": 1, "addresses": 3, "loopback": 3, "loopbacks": 3,
                                "crc": 3, "drops": 3, "discards": 3}},
    "route": {"tool": "get_state", "getter": "route",
              "keywords": {"route": 3, "routes": 3, "table": 2, "rib": 3, "fib": 3, "reach": 1, "reachable": 1,
                           "next": 1, "hop": 1, "prefix": 1, "path": 1, "originate": 1, "originates": 1, "routing": 1,
                           "announce": 1, "announces": 1}},
    "facts": {"tool": "get_state", "getter": "facts",
              "keywords": {"version": 3, "ver": 3, "uptime": 3, "facts": 3, "model": 1, "serial": 2, "os": 1,
                           "platform": 2, "hostname": 2, "software": 3, "hardware": 3, "chassis": 2}},
    "config": {"tool": "get_state", "getter": "config",
               "keywords": {"config": 3, "configuration": 3, "running": 1}},
    "list_devices": {"tool": "list_devices", "getter": None,
                     "keywords": {"devices": 3, "inventory": 3, "routers": 2, "hosts": 2, "list": 1}},
}

_SPEC = {"rfc": 3, "spec": 2, "standard": 2, "section": 2, "timer": 1, "timers": 1, "what": 1, "explain": 2,
         "define": 2, "definition": 2, "meaning": 2, "means": 2, "why": 1, "how": 1, "according": 2,
         "attribute": 1, "message": 1, "fsm": 2, "state": 1, "lsa": 2, "3gpp": 3, "runbook": 2}
# Words that name a part of a configuration ("the bgp config on r2"), as the config spells it.
CONFIG_SECTIONS = {w: w for w in ("bgp", "ospf", "ospf6", "isis", "mpls", "ldp", "rsvp", "bfd", "pim", "vrf",
                                  "vlan", "snmp", "ntp", "logging", "aaa", "interface", "evpn", "vxlan")}
CONFIG_SECTIONS.update({"interfaces": "interface", "vrfs": "vrf", "vlans": "vlan", "syslog": "logging"})
# Words that ask for a configured value ("the ospf cost", "the bgp hold time").
VALUE_WORDS = {"cost", "costs", "timer", "timers", "hold", "keepalive", "interval", "intervals", "configured",
               "metric", "metrics", "area", "areas", "password", "authentication", "passive"}
# "which router originates 203.0.113.128/25?", "who announces X", "where does X come from":
# asked of every device, the answer is the one that has the prefix from no one else.
_ORIGIN = re.compile(r"\b(?:originat\w*|who\s+(?:announces|advertises|injects|has)|(?:which|what)\s+(?:router|device|"
                     r"host|box|node)s?\s+(?:has|have|announces?|advertises?|injects?|sources?)|where\s+does\s+\S+\s+"
                     r"come\s+from|source\s+of)\b", re.IGNORECASE)
# "the router id of r3", "r1's RID", "bgp router-id on r2"
_ROUTER_ID = re.compile(r"\b(?:router[- ]?id|rid)s?\b", re.IGNORECASE)
# "what AS is r3 in", "r1's local AS", "which ASN is r2": the BGP identity too (router id, local AS)
_LOCAL_AS = re.compile(r"\b(?:what|which)\s+(?:AS|ASN|autonomous\s+system)\b(?!\s*\d)|\blocal[- ]as\b|"
                       r"\b(?:AS|ASN)\s+number\b", re.IGNORECASE)
# Two named routers related by the question ("the session between r1 and r3", "is r1 talking
# to r2", "r1 peering with r3"): each side's neighbour list is narrowed to the other.
_BETWEEN = r"(?:\bbetween\s+{a}\s+and\s+{b}\b|\b{a}\W*(?:s\s+)?(?:\w+\s+){{0,4}}?(?:to|with|towards|facing)\s+{b}\b)"
# "are r1 and r3 talking?": joined by "and" only with a word that relates them
_AND = r"\b{a}\s+and\s+{b}\b"
# "the r2-r3 session", "the r1--r3 link": two routers written as the two ends of one thing
_JOINED = r"(?<![\w-]){a}(?:-|--|\u2013){b}(?![\w-])"


_WHOLE_TABLE = {"table", "rib", "fib", "routes", "routing"}
# "is ospf healthy everywhere?", "bgp on all routers": every device in the inventory
_EVERYWHERE = re.compile(r"\b(?:everywhere|network[- ]wide|(?:on|across|for)\s+(?:all|every|each)\s+(?:of\s+the\s+)?"
                         r"(?:routers?|devices?|hosts?|boxes|box|nodes?)|(?:all|every)\s+(?:the\s+)?(?:routers?|devices?|"
                         r"boxes|nodes)|across\s+the\s+(?:network|fabric|lab|backbone|core)|anywhere|in\s+the\s+(?:whole\s+)?network)\b"
                         # "uptime on the routers", "what version are the routers on", "our devices' interfaces":
                         # the routers as a whole, in a device's place or as the subject of a state ("are the
                         # routers ..."), not of an action ("how do the routers elect a DR" is a design question)
                         r"|\b(?:(?:on|of|across|for|from|in)\s+|(?:are|were)\s+)(?:our|the|my)\s+(?:routers|devices|boxes|nodes)\b"
                         r"|\b(?:our|the|my)\s+(?:routers|devices|boxes|nodes)'",
                         re.IGNORECASE)
# "on all routers except r3", "everywhere but r2", "every router other than r1": the hosts left out
_EXCEPT = re.compile(r"\b(?:except(?:\s+for)?|but(?:\s+not)?|excluding|exclude|other\s+than|apart\s+from|besides"
                     r"|save\s+for|minus|without|not(?:\s+on)?)\s+", re.IGNORECASE)
_LIST_GLUE = {",", "&", "and", "or", "nor", "on", "the", "router", "routers", "device", "devices", "host", "hosts"}


def excepted(question: str, hosts: list[str]) -> list[str]:
    """The inventory hosts ``question`` leaves out ("all routers except r3 and r1" -> r3, r1)."""
    known = {h.lower(): h for h in hosts}
    out: list[str] = []
    for m in _EXCEPT.finditer(question):
        for tok in re.findall(r"[\w.-]+|[^\s\w]", question[m.end():]):
            word = tok.strip(".").lower()
            if word in known:
                out.append(known[word])
            elif word not in _LIST_GLUE:
                break
    return list(dict.fromkeys(out))


def _except_spans(question: str, hosts: list[str]) -> list[tuple[int, int]]:
    """Where ``question`` leaves hosts out: each exclusion word with the hosts listed after it."""
    known = {h.lower() for h in hosts}
    spans = []
    for m in _EXCEPT.finditer(question):
        end = None
        for tok in re.finditer(r"[\w.-]+|[^\s\w]", question[m.end():]):
            word = tok.group(0).strip(".").lower()
            if word in known:
                end = m.end() + tok.end()
            elif word not in _LIST_GLUE:
                break
        if end is not None:
            spans.append((m.start(), end))
    return spans


def without_excepted(question: str, hosts: list[str]) -> str:
    """``question`` with its exclusions cut ("restart whatever is down except on r3" -> "restart
    whatever is down"): what it asks of the devices it keeps."""
    for a, b in reversed(_except_spans(question, hosts)):
        question = (question[:a].rstrip(" ,") + " " + question[b:].lstrip()).strip()
    return question


_TALKING = {"talking", "talk", "speaking", "speak", "peering", "peered", "session", "sessions", "connected", "up",
            "see", "sees", "seeing", "lost", "lose", "loses", "losing"}
# "r2 cant see r3", "r1 lost r2", "r1 doesn't see r2 anymore": one router said not to see the other, the
# whole of what is said of it (not "r1 cant see r3's loopback", a route)
_SEES = (r"\b{a}\s+(?:\w+'?\w*\s+){{0,2}}?(?:see|sees|seeing|lost|loses|losing|lose)\s+{b}"
         r"(?:\s+(?:any\s?more|at\s+all|now|today|again))*\s*[?.!]*\s*$")


def related_pair(question: str, hosts: list[str]) -> tuple[str, str] | None:
    """The two named routers a session question relates ("between r1 and r3", "r1 talking to r2",
    "r1 peering with r3", "the r1-r3 session"), or None. "bgp neighbours on r1 and r2" relates
    nothing: it asks for both lists whole."""
    named = [h for _, h in sorted(mentions(question, hosts, joined=True))]
    if len(named) != 2:
        return None
    a, b = (re.escape(h) for h in named)
    if re.search(rf"\bon\s+{a}\s+and\s+{b}\b", question, re.IGNORECASE):
        return None
    if re.search(_BETWEEN.format(a=a, b=b), question, re.IGNORECASE) or \
            re.search(_JOINED.format(a=a, b=b), question, re.IGNORECASE) or \
            re.search(_SEES.format(a=a, b=b), question, re.IGNORECASE):
        return named[0], named[1]
    if re.search(_AND.format(a=a, b=b), question, re.IGNORECASE) and \
            _TALKING & set(_WORD.findall(question.lower())) - {"session", "sessions", "up"}:
        return named[0], named[1]
    return None


# Words that make a question about a device a change request (never routed to a read).
# A route announcement asked for, in the imperative: a change to a device's routing policy
_ANNOUNCE = re.compile(r"^\s*(?:(?:please|pls|kindly|now|then|and)\s+|(?:can|could|would)\s+you\s+)*"
                       r"(?:advertise|announce|originate|redistribute|inject|withdraw|leak|export|"
                       r"stop\s+(?:advertising|announcing|sending|originating|exporting))\b", re.IGNORECASE)
CHANGE_WORDS = {"shut", "shutdown", "drain", "disable", "enable", "change", "configure", "set", "delete",
                "remove", "add", "restart", "reload", "clear", "undrain", "bounce", "apply", "deploy",
                "fix", "repair", "unshut", "reboot", "powercycle"}


@dataclass
class Route:
    """Where an offline question goes."""

    kind: str
    """``tool`` (one read-only call), ``spec`` (retrieval answer), ``change`` or ``unknown``."""
    intent: str | None = None
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0
    reason: str = ""
    read: "Route | None" = None
    """For a ``change`` of targets the words pick by their state ("restart whatever is down"): the
    read of the state question it stands for (:mod:`netops.agent.fleet_change`); nothing is changed."""
    picked: Any = None
    """That request (:class:`netops.agent.fleet_change.Picked`)."""
    unread: str | None = None
    """A line naming devices the question listed beside known ones that the inventory does not
    have ("what is broken on r2, r7?"): the read is of the known ones, and the answer says so."""
    typed: str | None = None
    """For a read command the person typed that no typed read covers ("show ip ospf database on
    r2"): the line saying what was read instead and how to send the command as typed (``netops show``)."""
    asks: bool = False
    """An ``unknown`` whose reason is a question back to the person (which device, from which router,
    which prefix): the answer is that question alone, not a call for a language model."""


def addresses(text: str) -> list[str]:
    """The valid IPv4/IPv6 addresses and prefixes written in ``text``, in order."""
    out = []
    for m in _ADDR.findall(text):
        try:
            ipaddress.ip_network(m, strict=False) if "/" in m else ipaddress.ip_address(m)
        except ValueError:
            continue
        out.append(m)
    return out


# four dotted numbers (not part of a longer dotted run: an OID, a version), with a length or not
_DOTTED_QUAD = re.compile(r"(?<![\w:.])(\d{1,4}(?:\.\d{1,4}){3}(?:/\d{1,4})?)(?![\w:]|\.\d)")


def bad_addresses(text: str) -> list[str]:
    """What ``text`` writes as an IPv4 address or prefix that is none ("999.0.113.0/24", a
    "203.0.113.0/33", "10.1.1.256"): the question cannot be answered as asked, and a model given
    it told a story about a configuration file of that name (trial32)."""
    out = []
    for m in _DOTTED_QUAD.finditer(text):
        try:
            ipaddress.ip_network(m.group(1), strict=False)
        except ValueError:
            out.append(m.group(1))
    return out


def mentions(text: str, hosts: list[str], joined: bool = False) -> list[tuple[int, str]]:
    """``(position, host)`` for each inventory host named in ``text`` as a whole word, in inventory
    order (``sorted()`` gives the order they were said). With ``joined``, two hosts written as the
    ends of one link or session ("the r2-r3 session") are both named; a host inside a longer
    hyphenated name ("edge-r1") still is not."""
    out = []
    lowered = {x.lower() for x in hosts}
    for h in hosts:
        # "whats r2s router id?": a possessive typed without its apostrophe, after a name ending in a
        # digit (not when the inventory has a host of that spelling)
        bare_s = "s?" if h[-1:].isdigit() and f"{h.lower()}s" not in lowered else ""
        m = re.search(rf"(?<![\w-]){re.escape(h)}{bare_s}(?![\w-])", text, re.IGNORECASE)
        if m:
            out.append((m.start(), h))
    if joined and len(hosts) > 1:
        said = {h for _, h in out}
        names = "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True))
        known = {h.lower(): h for h in hosts}
        for m in re.finditer(rf"(?<![\w-])({names})(?:-|--|\u2013)({names})(?![\w-])", text, re.IGNORECASE):
            if m.group(0).lower() in known:  # a host named "r1-r2" is one host
                continue
            for i in (1, 2):
                h = known[m.group(i).lower()]
                if h not in said:
                    out.append((m.start(i), h))
                    said.add(h)
        order = {h: i for i, h in enumerate(hosts)}
        out.sort(key=lambda x: order[x[1]])
    return out


def entities(question: str, hosts: list[str], joined: bool = False) -> dict[str, list[str]]:
    """Host names, addresses/prefixes and interface names mentioned in ``question`` (``joined``: see
    :func:`mentions`)."""
    found_hosts = [h for _, h in mentions(question, hosts, joined)]
    return {"hosts": found_hosts, "addresses": addresses(question),
            "interfaces": [m.group(1) or m.group(2) for m in _INTERFACE_OR_LO.finditer(question)]}


def _score(words: list[str], keywords: dict[str, int]) -> float:
    return float(sum(keywords.get(w, 0) for w in set(words)))


# Words that mark a question as being about networks even when no intent keyword matched.
# The shipped glossary (acronyms and their expansions) extends this at run time.
DOMAIN_WORDS = frozenset({
    "bgp", "ospf", "isis", "mpls", "ldp", "rsvp", "ipv4", "ipv6", "icmp", "icmpv6", "tcp", "udp", "vlan",
    "vrf", "evpn", "vxlan", "bfd", "lsa", "nlri", "hold", "keepalive", "speaker", "router", "routing",
    "prefix", "subnet", "mtu", "autonomous", "peering", "adjacency", "multicast", "unicast", "neighbor",
    "neighbour", "amf", "smf", "upf", "gnb", "ran", "pdu", "qos", "ue", "5g", "lte", "nr", "3gpp",
})


def vocabulary(glossary: dict[str, list[str]]) -> frozenset[str]:
    """Domain words from a glossary: its acronyms and the longer words of their expansions."""
    words = set(DOMAIN_WORDS)
    from netops.rag.lexical import STOPWORDS

    for acronym, expansions in glossary.items():
        # "IS-IS" must not make every question with "is" a networking question
        words.update(w for w in _WORD.findall(acronym.lower()) if w not in STOPWORDS)
        for e in expansions:
            words.update(w for w in _WORD.findall(e.lower()) if len(w) > 3)
    return frozenset(words)


# A few phrasings per device intent, for questions whose words the keyword table misses
# ("who is r1 peering with?"). Compared by embedding similarity; host names and addresses are
# masked on both sides so the match is about the question, not the device.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "bgp_neighbors": ("bgp neighbours on HOST", "who is HOST peering with", "is the session to ADDR up on HOST",
                      "list the peers of HOST and their state", "how many prefixes does HOST receive from its peers",
                      "is HOST talking to HOST", "is HOST up with HOST", "are HOST and HOST still talking"),
    "ospf_neighbors": ("ospf neighbours on HOST", "is the ospf adjacency on HOST full",
                       "which routers are adjacent to HOST in the igp"),
    "interfaces": ("interfaces down on HOST", "which ports are up on HOST", "show me the links of HOST and their status",
                   "what ip addresses does HOST have", "is any link flapping or erroring on HOST"),
    "route": ("is ADDR in HOST's table", "how does HOST reach ADDR", "what is the next hop for ADDR on HOST",
              "does HOST have a path to ADDR"),
    "facts": ("what version is HOST running", "how long has HOST been up", "what software and hardware is HOST"),
    "config": ("show me the running config of HOST", "how is HOST configured"),
}
SEMANTIC_THRESHOLD = 0.55
"""Cosine similarity (normalised MiniLM vectors) above which an example phrasing decides the intent."""


def mask(question: str, hosts: list[str]) -> str:
    """Replace host names and addresses by placeholders (``HOST``, ``ADDR``)."""
    out = question
    for a in addresses(question):
        out = out.replace(a, "ADDR")
    for h in sorted(hosts, key=len, reverse=True):
        out = re.sub(rf"(?<![\w-]){re.escape(h)}(?![\w-])", "HOST", out, flags=re.IGNORECASE)
    return out


class SemanticMatcher:
    """Nearest example phrasing by embedding similarity (the example vectors are computed once)."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self.labels = [intent for intent, phrases in EXAMPLES.items() for _ in phrases]
        # Examples are embedded as queries: like the question, they are short phrasings, and
        # for MiniLM that path is the numpy encoder (no torch import: seconds, not half a minute
        # on a busy machine, before a one-line device answer).
        self.vectors = [embedder.embed_query(p) for phrases in EXAMPLES.values() for p in phrases]

    def best(self, text: str) -> tuple[str, float]:
        q = self.embedder.embed_query(text)
        sims = [sum(a * b for a, b in zip(q, v)) for v in self.vectors]
        i = max(range(len(sims)), key=sims.__getitem__)
        return self.labels[i], float(sims[i])


# Word classes the keyword table alone misses.
_AS_NUMBER = re.compile(r"\b(?:AS|ASN)[\s-]?\d+\b", re.IGNORECASE)  # "the session to AS 65002": BGP
# "how does r2 get to P", "r1 can't reach P", "learnt P", "longest match", "ECMP paths": a route question
_REACH = re.compile(r"\b(?:get|gets|getting|go|goes|going)\s+to\b|\breach\w*|\blearn\w*|\blongest[- ]match|\blpm\b|"
                    r"\becmp\b|\bnext[- ]?hops?\b|\bpaths?\b|\bforward\w*", re.IGNORECASE)
# "is P known on r1", "does r3 have P installed", "can r1 see P": whether a device has a route to P
_PRESENT = re.compile(r"\b(?:known|knows?|present|installed|exists?|visible|see|sees|seen|missing|absent|lacks?|lacking)\b",
                      re.IGNORECASE)
# Words that make a protocol name ask about sessions rather than a route ("bgp neighbour 198.51.100.2")
_SESSION_WORDS = {"neighbor", "neighbors", "neighbour", "neighbours", "peer", "peers", "peering", "session", "sessions",
                  "adjacency", "adjacencies", "summary", "sum", "summ", "nei", "nbr", "nbrs", "established", "state",
                  "up", "down", "flapping", "uptime", "status"}
# "how long has r1 been up", "when did r2 last reboot", "last reload": the device's uptime
_UPTIME = re.compile(r"\bhow\s+long\b.*\b(?:up|running|alive)\b|\blast\s+(?:re)?(?:boot|load|start)(?:ed)?\b|"
                     r"\bwhen\s+(?:was|did)\b.*\b(?:re)?(?:boot|load|start)(?:ed)?\b|\bup\s*time\b", re.IGNORECASE)
_OTHER_SUBJECT = {"bgp", "ospf", "session", "sessions", "adjacency", "interface", "interfaces", "link", "links", "port",
                  "ports", "peer", "peers", "peering", "neighbor", "neighbors", "neighbour", "neighbours"}
# CLI forms: "sh run", "show running-config", "display current-configuration"; "sh ip route" (no prefix)
_SHOW_RUN = re.compile(r"\b(?:sh|sho|show|display)\s+(?:run(?:ning)?(?:-config(?:uration)?)?|current-configuration|"
                       r"conf(?:ig)?|configuration)\b", re.IGNORECASE)
_POLICY = re.compile(r"\broute-?maps?\b|\bprefix-?lists?\b|\baccess-?lists?\b|\bacls?\b|\bcommunity-?lists?\b|"
                     r"\bas-path\s+(?:access-)?lists?\b|\bpolic(?:y|ies)\b|\bfilters?\b", re.IGNORECASE)
_SHOW_ROUTE = re.compile(r"\b(?:sh|sho|show|display)\s+(?:ip\s+|ipv6\s+)?(?:route|rib|fib)\b", re.IGNORECASE)
_DEFAULT_ROUTE = re.compile(r"\bdefault\s+(?:route|gateway)\b|\bgateway\s+of\s+last\s+resort\b", re.IGNORECASE)
# "what's wrong with r2", "is r2 ok?", "health check r1", "r3 looks sick", "is r1 up": an open question
# about a device's health, answered with its basic state (facts, interfaces, BGP and OSPF neighbours)
_HEALTH = re.compile(r"\bwhat'?s\s+(?:wrong|up|going\s+on|the\s+(?:matter|problem|issue))\s+with\b|\bhealth\w*\b|"
                     r"\b(?:sick|unhealthy|odd|weird|strange|unusual|broken|wrong|amiss|problems?|issues?|alarms?|trouble|"
                     # "r2 is slow", "customers say slow" (trial36): a complaint, answered with the state read
                     r"slow(?:ness)?|sluggish|laggy|flapp(?:ing|y)|flaps)\b|"
                     # "r2 is down", "r1 seems dead", "r3 is acting up": a statement of trouble, not only a question
                     r"^\W*[\w.-]+(?:'s|\s+is|\s+seems(?:\s+to\s+be)?|\s+looks|\s+went|\s+keeps)\s+(?:down|dead|offline|"
                     r"unreachable|off|flapping|bouncing|acting\s+up)\W*$|"
                     r"^\s*(?:is|are)\s+[\w.-]+(?:\s*(?:and|,)\s*[\w.-]+)*\s+(?:up|alive|reachable|ok|okay|fine|healthy|"
                     r"down|working|happy|alright)\s*\??\s*$|\b(?:is|are)\s+[\w.-]+\s+(?:still\s+|now\s+|really\s+)?(?:ok|okay|alright|fine|healthy|happy)\b(?!\s+to\s)"
                     # ("is it ok to use private AS numbers on the internet?" asks whether one may, not how it is; review37)
                     # "how is r1 doing?", "how's r2?", "status of r3", "r1 status": that device's state
                     r"|^\W*how(?:'s|\s+is|\s+are)\s+[\w.-]+(?:\s+(?:doing|looking|holding\s+up|going))?\W*$"
                     r"|\bstatus\s+(?:of|on|for)\s|^\W*[\w.-]+\s+status\W*$"
                     # "is everything in r1 ok?", "is it all good on r2", "all good on r3?", "r1 ok?", "is r2 in
                     # good shape?", "sanity check r1", "check everything on r1", "is all well with r3?"
                     r"|\b(?:is|are)\s+(?:everything|it\s+all|all|things)\s+(?:\S+\s+){0,3}?(?:ok|okay|fine|good|well|"
                     r"alright|healthy|happy|in\s+order)\b|^\W*(?:(?:and|so|hey)\W+)?(?:everything|all)\s+(?:ok|okay|fine|"
                     r"good|well|alright|healthy)\b|^\W*[\w.-]+\s+(?:ok|okay|good|fine|healthy|alright|happy)\s*[?!.]*\s*$"
                     r"|\bin\s+(?:good|bad|decent|poor|rough|ok|okay)\s+shape\b|\bsanity[- ]?check\w*"
                     r"|\bcheck\s+(?:on\s+)?(?:everything|it\s+all)\b",
                     re.IGNORECASE)
HEALTH_GETTERS = ("facts", "interfaces", "bgp_neighbors", "ospf_neighbors")
# "which interface on r1 faces r3": r3 is the far end, not a device to read
_FAR_END = r"\b(?:faces?|facing|towards?|to|connected\s+to|pointing\s+(?:at|to)|going\s+to)\s+(?:the\s+)?(?:router\s+)?{h}(?![\w-])"
# A device question that names no device: ask which one rather than search the documents
_STATE_SHAPE = re.compile(r"^\s*(?:sh|sho|show|display|list|get|check|dump)\b|\bon\s+(?:the|this|that|our|my|a)\s+"
                          r"(?:router|device|box|switch|node)\b|\bsummary\b", re.IGNORECASE)
# A fleet-wide state question that names no device ("which bgp peers are down?", "any ospf
# neighbours not full?", "are there any ports with errors?", "which routers lack 203.0.113.3?"):
# what every device has, in the state asked about. Asked as knowledge ("why would a bgp session go
# down?", "what does it mean when ...", "what states can a bgp peer be in?") it stays knowledge.
_FLEET_SUBJECT = {"bgp", "ospf", "peer", "peers", "peering", "peerings", "session", "sessions", "neighbor", "neighbors",
                  "adjacency", "adjacencies", "interface", "interfaces", "link", "links", "port", "ports", "int",
                  "intf", "ints"}
_FLEET_PLURAL = {"peers", "peerings", "sessions", "neighbors", "adjacencies", "interfaces", "links", "ports", "ints"}
_FLEET_QUANTIFIER = re.compile(r"\b(?:which|what|any|anything|anywhere|all|every|each|how\s+many)\b", re.IGNORECASE)
_DOWN_STATE = re.compile(r"\b(?:down|idle|connect|opensent|openconfirm|exstart|exchange|loading|init|attempt|stuck|dead|"
                         r"failed|failing|broken|[12][- ]?way|two[- ]way|in\s+active(?:\s+state)?)\b|"
                         r"\b(?:not|isn'?t|aren'?t|never|non)[- ](?:(?:in|yet|the|an?)\s+)*(?:established|full|up)\b",
                         re.IGNORECASE)
_FLEET_STATE = re.compile(r"\b(?:up|established|active|full|flap\w*|bounc(?:e|ed|ing)|drop(?:s|ped|ping)?|reset|restarted|"
                          r"cleared|errors?|errored|"
                          r"erroring|crc|discards)\b",
                          re.IGNORECASE)
# a question form, or the thing asked about first ("bgp sessions not established?"); an imperative
# that is no read ("bring up the peers that are down", "reset ...") is never read as one
_READ_LEAD = re.compile(r"^\s*(?:(?:ok(?:ay)?|so|hey|and|now|quick(?:ly)?|please|can\s+you|could\s+you)[,\s]+)*"
                        r"(?:which|what(?:'?s)?|whats|who(?:'?s)?|whos|any|anything|are|is|isn'?t|aren'?t|do|does|did|have|has|how\s+many|"
                        r"list|show|sh|display|get|check|count|find|give|tell|report|where|e?bgp|i?bgp|ospf\w*|"
                        r"(?:the\s+)?(?:peers?|sessions?|neighbou?rs?|adjacenc\w+|interfaces?|links?|ports?))\b",
                        re.IGNORECASE)
_KNOWLEDGE_SHAPE = re.compile(
    r"^\s*(?:why|how\b(?!\s+many\b)|when\b|explain|describe|define|"
    r"what\s+(?:does|do|did|would|could|should|will|can|causes?|happens|makes?|is\s+(?:a|an|the\s+(?:meaning|difference|"
    r"purpose|procedure|process))\b|are\s+(?:the\s+)?(?:possible\s+|usual\s+|common\s+)?(?:states|causes|reasons|steps))|"
    r"(?:what|which)\s+(?:states?|causes?|reasons?|timers?)\b)|"
    r"\b(?:mean|means|meaning|runbooks?|procedures?|playbooks?|troubleshoot\w*|debug\w*|causes?|caused|reasons?|"
    r"typically|usually|normal|normally|in\s+general|generally|rfc|best\s+practices?|considered|go(?:es)?\s+through|"
    r"recommended|defaults?(?!\s*[- ]?(?:routes?|gateways?|originate|information|vrf|instance|policy))|"
    r"happens?|limits?|(?:does|do|can|will|might|may)\s+(?:a|an)|(?:what|which)\s+(?:\w+\s+)?states|"
    r"states?\s+(?:come|comes|before|after)|(?:can|could|would|may|might|must)\s+(?:\w+\s+)?"
    r"(?:be|go|become|get|stay|remain|reach))\b", re.IGNORECASE)
# "which bgp peers are down on the router": one device not named, not the fleet
_ONE_UNNAMED = re.compile(r"\b(?:on|of|at|from)\s+(?:the|this|that|a|my|our)\s+(?:router|device|box|switch|node|host)\b",
                          re.IGNORECASE)


def fleet_wide(question: str, words: list[str], ents: dict[str, list[str]], hosts: list[str]) -> bool:
    """Whether ``question``, naming no device (but those it leaves out), asks about a state every
    device has: a protocol's neighbours or sessions, interfaces or links, or a route to a prefix,
    in a state asked about (down, not established, not full, flapping, errors; missing for a
    route), with a quantifier ("which", "any", "all") or a plural, as a question, not knowledge."""
    if not hosts or _KNOWLEDGE_SHAPE.search(question) or _ONE_UNNAMED.search(question) \
            or unknown_device(question, hosts):
        return False
    said = set(words)
    if ents["addresses"]:
        # "which routers are missing P", "does any router lack a route to P", "is P missing anywhere"
        return bool(_FLEET_QUANTIFIER.search(question)) and bool(
            re.search(r"\b(?:missing|lacks?|lacking|without|absent|no\s+route)\b", question, re.IGNORECASE))
    if not said & _FLEET_SUBJECT or not (_DOWN_STATE.search(question) or _FLEET_STATE.search(question)):
        return False
    return bool(_FLEET_QUANTIFIER.search(question) or said & _FLEET_PLURAL)


# "which neighbors are down?": neighbours with no protocol named are BGP's and OSPF's both
_NEIGHBOUR_WORDS = {"neighbor", "neighbors", "adjacency", "adjacencies"}
_PROTOCOL_WORDS = {"bgp", "ospf", "peer", "peers", "peering", "peerings", "session", "sessions"}
_NEIGHBOUR_STATE = re.compile(r"\b(?:up|established|full|flap\w*|bouncing)\b", re.IGNORECASE)
# the end of a whole-network question: "... right now?", "... on the network", "... at all"
_FLEET_TAIL = (r"(?:\s+(?:right\s+now|now|today|currently|at\s+the\s+moment|at\s+all|anywhere|everywhere|and\s+running|"
               r"(?:on|in|across)\s+(?:the|our|my)\s+(?:whole\s+)?(?:network|lab|fabric|core|backbone)))*\s*[?.!]*\s*$")
# "what's down?", "is anything down?", "anything broken on the network?", "is everything up?": an
# open question about the whole network's health, no subject named
_SWEEP_CORE = (r"^\s*(?:(?:ok(?:ay)?|so|hey|and|now|please)[,\s]+)*(?:(?:is|are)\s+(?:there\s+)?)?"
                    r"(?:what(?:'?s|\s+is|\s+are)|whats|who(?:'?s|\s+is|\s+are)|whos|anything|everything|something|whatever|any\s+(?:problems?|issues?|"
                    r"trouble|alarms?|outages?|failures?)"
                    # "is the network healthy?", "is our fabric ok?": the network as a whole is the subject
                    r"|(?:the|our|my)\s+(?:whole\s+|entire\s+)?(?:network|fabric|backbone))\b(?:\s+(?:is|are|still|currently|at\s+all))*"
                    r"(?:\s+(?:down|broken|failing|failed|wrong|dead|up|ok|okay|fine|healthy|working|amiss|flapping|bouncing)\b|"
                    r"(?<=problems)|(?<=problem)|(?<=issues)|(?<=issue)|(?<=trouble)|(?<=alarms)|(?<=alarm)|"
                    r"(?<=outages)|(?<=outage)|(?<=failures)|(?<=failure))")
_SWEEP = re.compile(_SWEEP_CORE + _FLEET_TAIL, re.IGNORECASE)
# "is anything down on r2?", "what's broken on r1 and r3", "anything wrong with r3?": the same
# sweep on the devices named (checked against the inventory by the caller)
_SWEEP_NAMED = re.compile(_SWEEP_CORE + r"\s+(?:on|with|at|for|in)\s+(?:the\s+)?(?:(?:router|device|box|node|host)s?\s+)?"
                          r"[\w.-]+(?:\s*(?:,|and|&)\s*[\w.-]+)*" + _FLEET_TAIL, re.IGNORECASE)
_SWEEP_SUBJECT = _FLEET_SUBJECT | {"route", "routes", "routing", "prefix", "config", "configuration", "version",
                                   "uptime", "cpu", "memory", "bfd", "vrf", "mtu", "table"}
_SWEEP_HARD = {"down", "broken", "failing", "failed", "wrong", "dead", "up", "amiss", "flapping", "bouncing", "problem", "problems", "issue",
               "issues", "trouble", "alarm", "alarms", "outage", "outages", "failure", "failures"}
SWEEP_GETTERS = ("interfaces", "bgp_neighbors", "ospf_neighbors")
# "is bgp up?", "is ospf ok?", "bgp ok?": a protocol asked about as a whole, every device's sessions;
# also said as a statement of trouble ("bgp is down", "ospf went down", "bgp keeps flapping": these
# searched the RFCs)
_PROTOCOL_STATE = re.compile(r"^\s*(?:(?:is|are|does|has)\s+)?(?:the\s+)?(?:e|i)?(bgp|ospf)(?:v2)?\s+"
                             r"(?:(?:is|are|seems(?:\s+to\s+be)?|looks|went|keeps|'s)\s+)?"
                             r"(?:(?:still|currently|all|really)\s+)?(?:up|down|ok|okay|fine|healthy|working|running|"
                             r"stable|flapping|broken|established|full|alright|happy|converged)\b" + _FLEET_TAIL, re.IGNORECASE)
# "are any routers missing the default route?", "does every router have a default route?"
_HAS_ROUTE = re.compile(r"\b(?:missing|lacks?|lacking|without|absent|have|has|got|no)\b", re.IGNORECASE)


# "summarise the network for the handover", "give me a network status report", "state of the network",
# "shift handover summary": the whole network's state asked for as a report (lead, stop 37)
# where the network's name ends the phrase: "state of the network", "... for the handover", "network status
# report please"; not a noun it qualifies ("the state of the network layer reachability information", "a summary of
# the backbone area", "network summary LSA", "handover notes template": the documents' words; review37)
_REPORT_END = (r"(?=\W*$|\s*[,;:!?]|\s+(?:for|please|pls|now|today|tonight|this|right|so|and|then|before|after|as|at|"
               r"in\s+(?:one|a|short|brief|bullets?))\b)")
_NETWORK_REPORT = re.compile(
    r"\b(?:summar(?:y|ise|ize)|overview|status(?:\s+report)?|state|health\s*(?:check|report)?|report|snapshot|sitrep)\s+"
    r"(?:of|on|for)?\s*(?:the\s+|our\s+|my\s+)?(?:whole\s+|entire\s+)?(?:network|fabric|backbone|fleet)" + _REPORT_END + "|"
    r"\b(?:network|fleet)(?:-wide)?\s+(?:summary|overview|status|health|report|snapshot)(?:\s+(?:check|report|summary|update))?"
    + _REPORT_END + "|"
    r"\b(?:hand-?over|shift(?:\s+change)?)\s+(?:summary|report|notes?|status)" + _REPORT_END + "|"
    r"\bsummar(?:y|ise|ize)\b.*\bfor\s+(?:the\s+)?(?:hand-?over|next\s+shift|morning\s+shift|day\s+shift)\b",
    re.IGNORECASE)


def fleet_class(question: str, words: list[str], ents: dict[str, list[str]], hosts: list[str]) -> str | None:
    """What a question naming no device asks of every device, when :func:`fleet_wide` does not
    say: ``neighbours`` (neighbours with no protocol named, in a state), ``sweep`` (an open
    health question about the network, no subject), ``protocol`` (a protocol as a whole, "is bgp
    up?") or ``default`` (the default route, with a quantifier); None otherwise. Knowledge-shaped
    questions, an unknown device and "on the router" are none of these."""
    if not hosts or _KNOWLEDGE_SHAPE.search(question) or _ONE_UNNAMED.search(question) \
            or unknown_device(question, hosts):
        return None
    said = set(words)
    if ents["addresses"]:
        return None
    # "what's down except on r3?": the question about the devices it keeps (the caller leaves r3 out)
    bare = without_excepted(without_moment_noun(question), hosts)  # "is anything down before the drain?"
    if ents["hosts"] and _SWEEP_NAMED.search(bare) and not re.match(r"\s*what'?s\s+up\b", question, re.I) \
            and not said & _SWEEP_SUBJECT and said & _SWEEP_HARD:
        return "sweep"  # "is anything down on r2?": the sweep, on the devices named
    if said & _NEIGHBOUR_WORDS and not said & _PROTOCOL_WORDS and said & {"neighbor", "neighbors"} \
            and (_DOWN_STATE.search(question) or _NEIGHBOUR_STATE.search(question)):
        return "neighbours"
    if not ents["hosts"] and _NETWORK_REPORT.search(bare) and not said & _SWEEP_SUBJECT:
        return "sweep"  # "summarise the network for the handover": the sweep, every device
    if _SWEEP.search(bare) and not said & _SWEEP_SUBJECT and not re.match(r"\s*what'?s\s+up\b", question, re.I) \
            and (said & _SWEEP_HARD or re.search(r"\b(?:network|lab|fabric|core|backbone)\b", question, re.I)):
        return "sweep"  # "is everything fine?" alone is small talk; "... on the network" is not
    if _PROTOCOL_STATE.search(bare):
        return "protocol"
    if _DEFAULT_ROUTE.search(question) and _HAS_ROUTE.search(question) and \
            (_FLEET_QUANTIFIER.search(question) or said & {"routers", "devices", "boxes", "nodes", "anywhere"}):
        return "default"
    return None


def state_filter(question: str, words: list[str]) -> str | None:
    """The neighbours a question asks for: ``down`` (not Established / not Full), ``up``, or all
    (None; a yes/no question such as "are all sessions up?" is answered from all of them)."""
    if _DOWN_STATE.search(question):
        return "down"
    yes_no = re.match(r"\s*(?:is|are|do|does|have|has)\b", question, re.IGNORECASE)
    return "up" if set(words) & {"up", "established", "full"} and not yes_no else None


_SYNONYMS = {"ebgp": "bgp", "ibgp": "bgp", "mpbgp": "bgp", "bgp4": "bgp", "ospfv2": "ospf", "neighbour": "neighbor",
             "neighbours": "neighbors", "nbr": "neighbor", "nbrs": "neighbors", "intfs": "interfaces",
             # "how is lo configured on r3?": the configuration (a synonym, not a keyword: its typo
             # table would read the change word "configure" as it)
             "configured": "config"}


def typo_table(keys: "set[str] | frozenset[str]", shortest: int = 4) -> dict[str, str]:
    """Misspellings one keystroke off a word of ``keys`` (a letter left out, two letters swapped):
    "osfp", "intefaces", "neigbors". Only words of four letters or more; a misspelling that is a
    word of ``keys`` itself, or one off two different words, is left alone. A misspelling shorter
    than four letters (``shortest`` 3: "wat" for "what") must keep the word's first letter ("hat"
    is not "what")."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for k in keys:
        if len(k) < 4:
            continue
        variants = {k[:i] + k[i + 1:] for i in range(len(k))} | {k[:i] + k[i + 1] + k[i] + k[i + 2:]
                                                                  for i in range(len(k) - 1)}
        for v in variants - {k}:
            if len(v) < shortest or v in keys or (len(v) < 4 and v[0] != k[0]):
                continue
            if v in out and out[v] != k:
                clash.add(v)
            out[v] = k
    return {v: k for v, k in out.items() if v not in clash}


def _typo_table() -> dict[str, str]:
    """The intent keywords' misspellings (:func:`typo_table`)."""
    return typo_table({k for spec in INTENTS.values() for k in spec["keywords"]} | {"ospf", "bgp"})


_TYPOS = _typo_table()


def normalise(words: list[str], hosts: list[str]) -> list[str]:
    """Words as the keyword table spells them: protocol variants and common misspellings."""
    named = {h.lower() for h in hosts}
    return [w if w in named else _SYNONYMS.get(w, _TYPOS.get(w, w)) for w in words]


_PAST_QUESTION = re.compile(r"^\W*(?:did|has|have|had|was|were|when\s+did|how\s+(?:long|often|many\s+times))\b",
                            re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.;?!](?:\s|$)|,|\s(?:then|and|if\s+not|if\s+so|otherwise|else)\s", re.IGNORECASE)
_SESSION_EVENTS = frozenset({"bounce", "restart", "clear", "reset"})
_EVENT_SUBJECTS = frozenset({"bgp", "session", "sessions", "peer", "peers", "peering", "peerings", "neighbor",
                             "neighbors", "neighbour", "neighbours", "adjacency", "adjacencies", "ospf"})


# "recently", "overnight", "in the last hour", "most recently": when, asked of something that happened
_RECENT = re.compile(r"\b(?:recent(?:ly)?|lately|overnight|today|yesterday|ago|since|(?:in\s+the\s+)?(?:last|past)\s+"
                     r"(?:night|hour|day|week|\d+)|most\s+recent(?:ly)?|this\s+(?:morning|week))\b", re.IGNORECASE)
# "r2 rebooted?", "session to r3 reset?": an event put as a question in the past tense alone
_PAST_FORM = re.compile(r"\b(?:rebooted|reloaded|restarted|power[- ]?cycled|crashed|reset|bounced|flapped|dropped|"
                        r"cleared|re-?established)\s*\?+\s*$", re.IGNORECASE)
# whether a device (not a session) restarted: its uptime says
_DEVICE_RESTART = re.compile(r"\b(?:re-?boot\w*|reload\w*|restart\w*|power[- ]?cycl\w*|crash\w*|boot(?:ed)?\s+up)\b",
                             re.IGNORECASE)
_PROCESS_WORDS = {"bgpd", "ospfd", "zebra", "staticd", "daemon", "daemons", "process", "processes", "service", "agent",
                  "container", "vm", "frr", "sshd", "ssh"}
# "did any router reboot?": every device, asked of as a whole
_ANY_DEVICE = re.compile(r"\b(?:any|every|all|each)\s+(?:of\s+(?:the|our|my)\s+)?(?:routers?|devices?|boxes|box|nodes?|"
                         r"hosts?|switch(?:es)?)\b", re.IGNORECASE)
# a session that went down and came back: reset, bounced, flapped, dropped, cleared
_SESSION_RESET = re.compile(r"\b(?:reset\w*|restart\w*|bounc\w*|clear(?:ed)?|flap\w*|drop(?:s|ped)?|re-?establish\w*|"
                            r"went\s+down|gone\s+down|came\s+(?:back\s+)?up|kicked|cycled)\b", re.IGNORECASE)


def _asked_after(question: str) -> bool:
    """A request after the question ("did r2 reboot? reload it"): a change word in a later clause."""
    return any(CHANGE_WORDS & set(_WORD.findall(clause.lower())) for clause in _CLAUSE_BREAK.split(question)[1:])


# "... after the bgp change", "since we drained it", "following the maintenance": a moment named by
# a change, not a change asked for (nor the subject of the question)
_MOMENT_WORDS = CHANGE_WORDS | {"change", "changes", "changed", "maintenance", "drained", "undrained", "upgrade",
                                "upgraded", "rollout", "cutover", "migration", "window", "deployed", "deployment",
                                "push", "pushed", "commit", "committed", "update", "updated", "applied", "work"}
_MOMENT = re.compile(r"\s+(?:after|since|following|before|during)\s+(?P<what>[^,.;?!]*)", re.IGNORECASE)
# "did r1 go down?", "has r2 gone down today?": the device itself, named right after the verb
_DEVICE_DOWN = re.compile(r"^\W*(?:did|has|have|had)\s+(?:the\s+)?(?:router\s+|device\s+|box\s+)?"
                          r"(?P<dev>[a-z][\w.-]*\d[\w.-]*|it)\s+(?:go|gone|went)\s+down\b", re.IGNORECASE)


# "what mtu is r2 eth-r3 set to?", "what is the hold time set to on r2?": a value asked for
_SET_TO = re.compile(r"^\W*(?:what|which|how\s+(?:high|low|big|long))\b[^.;!?]*\b(?:is|are|was|were|it|they)\s+"
                     r"(?:\S+\s+){0,4}?set\s+(?:to|at|as)\b", re.IGNORECASE)


# the moment said as a change's noun, not as someone doing it: "after the drain", "since tonight's maintenance",
# "during the window" ("after I drain r3", "before you shut it" are not)
_MOMENT_FIRST = re.compile(r"^\W*(?P<moment>(?:after|since|following|before|during)\s+(?P<what>[^,.;:?!]*?))\s*[,;:]\s*"
                           r"(?P<rest>\S.*?)(?P<end>[\s?.!]*)$", re.IGNORECASE | re.DOTALL)
"""A moment said first and set off ("after the drain, undrain r3")."""
_MOMENT_NOUN = re.compile(r"(?:the|this|that|tonight'?s|today'?s|yesterday'?s|last\s+night'?s|our|my|your|his|her|"
                          r"their|[\w-]+'s)\s", re.IGNORECASE)


def moment_last(question: str) -> str:
    """``question`` with a moment named by a change's noun said first moved to its end ("after the drain,
    is r3 healthy?" -> "is r3 healthy after the drain?"), so both orders are read alike. adv37b: the
    moment first sent "after the drain, is r3 healthy?" to the model with nothing read, and matched
    "after the drain, undrain r3" as both router-drain and router-undrain. A moment said as someone
    doing it ("before I drain r3, is anything down?") stays where it is (the person's own change)."""
    m = _MOMENT_FIRST.match(question or "")
    if m is None or not _MOMENT_NOUN.match(m.group("what")) or \
            not _MOMENT_WORDS & set(_WORD.findall(m.group("what").lower())):
        return question
    return f"{m.group('rest')} {m.group('moment')}{m.group('end').strip()}"


def without_moment_noun(question: str) -> str:
    """``question`` without a moment named by a change's noun ("bgp sessions on r3 after the drain" ->
    "bgp sessions on r3", "shut eth-r1 on r2 after the drain" -> "shut eth-r1 on r2"): the change
    named there is when, not what is asked for. A moment said as someone doing it ("after I drain
    r3") stays. Said first ("after the drain, undrain r3") as well (:func:`moment_last`)."""
    question = moment_last(question)
    for m in _MOMENT.finditer(question):
        if _MOMENT_NOUN.match(m.group("what")) and _MOMENT_WORDS & set(_WORD.findall(m.group("what").lower())):
            return question[:m.start()] + question[m.end():]
    return question


def without_moment(question: str) -> str:
    """``question`` without a moment it names by a change ("did r2 reboot after the bgp change?" ->
    "did r2 reboot?"): the event asked about, and of which device, is before it."""
    for m in _MOMENT.finditer(question):
        if _MOMENT_WORDS & set(_WORD.findall(m.group("what").lower())):
            return question[:m.start()] + question[m.end():]
    return question


# "what changed on r2?", "recent changes on r1", "the last change on r3", "who changed r1?",
# "change history of r1", "the change log for r3", "has anything changed on r3 today?"
# a device's own record of its configuration's changes, asked for in its CLI's words or in plain ones
_DEVICE_CHANGE_LOG_WORDS = (
    r"\bshow\s+(?:system\s+)?commit(?:\s+(?:list|changes))?\b|\bshow\s+archive(?:\s+log(?:\s+config(?:\s+all)?)?)?\b|"
    r"\bshow\s+configuration\s+(?:commit(?:\s+list)?|history|changes)\b|\b(?:config(?:uration)?|commit)\s+"
    r"(?:history|log|archive)s?\b|\bcommits?\s+(?:list|made)\b")
# A question about a change already made, worded around it ("did the drain work?", "who approved the
# drain?", "did the drain on r3 succeed?", "when was r3 drained and by whom?", "was the drain rolled
# back?"): who made it, when, who approved it and how it ended are in netops's audit log (followup35;
# these got the drain's dry run, as if they asked what a drain would do)
_RUN_NOUN = (r"(?:drain|undrain|change|changes|maintenance|rollback|roll-?back|playbook|run|push|shutdown|shut|"
             r"clear|undo|revert|cost[\s-]?(?:out|in))")
# The change itself, said as the subject or object: "the drain", "alice's undrain", "the last change on
# r2", "the drain yesterday". The noun ends its phrase (a preposition, a time, a punctuation mark or an
# outcome word follows): "the change freeze policy", "the maintenance window policy", "the change
# management process" are a team's documents, not a change netops made (review35)
_THE_RUN = (r"(?:the|that|this|my|our|your|last|latest|[a-z]+'s)\s+(?:[\w-]+\s+){0,2}?" + _RUN_NOUN +
            r"(?=\s*(?:$|[?.,;:!)]|(?:on|of|for|to|at|in|from|by|and|or|with|we|you|i|yesterday|today|tonight|"
            r"last|this|earlier|just|work(?:ed)?|succeed(?:ed)?|fail(?:ed)?|go|gone|get|got|been|complete[ds]?|"
            r"finish(?:ed)?|pass(?:ed)?|verif(?:y|ied)|stick|take|approved|verified|rolled|successful|applied|"
            r"denied|cancel+ed|completed|ok|okay|a|done|r\d+|[a-z][\w-]*\d)\b))")
_CHANGE_OUTCOME_WORDS = (
    rf"\b(?:did|has|have)\s+{_THE_RUN}"
    r"[^?.;!\n]{0,40}?\b(?:work(?:ed)?|succeed(?:ed)?|fail(?:ed)?|go\s+(?:through|ok|okay|well|fine)|gone\s+through|"
    r"complete[ds]?|finish(?:ed)?|pass(?:ed)?|get\s+(?:approved|applied|verified|rolled\s+back|denied)|verif(?:y|ied)|"
    r"stick|take\s+effect|been\s+(?:approved|applied|verified|rolled\s+back|denied))\b|"
    # "who approved the drain?", "who made the last change on r2?" (who did what to a change of netops's;
    # "who ran the first BGP implementation?", "who did the OSPF work at the IETF?" are the documents')
    r"\bwho\s+(?:approved|authori[sz]ed|ran|did|made|requested|applied|pushed|signed\s+off(?:\s+on)?|denied|"
    rf"cancel+ed|ordered)\s+{_THE_RUN}|\bwho\s+(?:drained|undrained)\b|"
    # "who put r3 back?", "who took r3 out of service?" (the drain's and undrain's own words; review35)
    r"\bwho\s+(?:put|brought|took)\s+(?!the\b|a\b|an\b)[\w.-]+\s+(?:back|out)\b|"
    # "by whom was r3 drained?" ("by whom is the OSPF DR elected?" asks the documents)
    r"\bby\s+whom\s+(?:was|were)\s+[^?.;!\n]{1,40}?\b(?:drained|undrained)\b|"
    rf"\bby\s+whom\s+(?:was|were)\s+{_THE_RUN}|"
    # "when was r3 drained?", "when was the drain approved?" ("when was graceful shutdown approved as an
    # RFC?" is the documents')
    r"\bwhen\s+(?:was|were)\s+[^?.;!\n]{1,40}?\b(?:drained|undrained)\b|"
    rf"\bwhen\s+(?:was|did)\s+{_THE_RUN}|"
    rf"\b(?:was|were|is)\s+{_THE_RUN}"
    r"[^?.;!\n]{0,40}?\b(?:approved|verified|rolled\s+back|successful|applied|denied|cancel+ed|completed|ok|okay|"
    r"a\s+success|done)\b")
_CHANGE_OUTCOME = re.compile(_CHANGE_OUTCOME_WORDS, re.IGNORECASE)
# the past of what the vetted playbooks do ("who shut ...?", "when was ... disabled?"): netops's own changes
_DONE_VERBS = r"shut|shutdown|shut\s+down|disabled|enabled|unshut|no-?shut|cleared|soft-?cleared|costed\s+(?:out|in)"
_DONE_ACTS = r"drain|undrain|shut|shut\s+down|disable|enable|unshut|clear|soft-?clear"
# "who shut eth-r1 on r2?", "who disabled the session to r1 on r2?", "when was eth-r1 on r2 shut?", "was r3
# drained yesterday?", "were r1 and r3 undrained last week?" (route37): who did it and when is in netops's audit
# log; a device named, or the network and a time ("were any routers drained yesterday?"). "is r3 drained?" and
# "has r3 been undrained?" ask about now, read below (_DRAIN_STATE; the log's records said beside it)
# (an address's dots inside the words: "when was neighbor 198.51.100.5 on r3 shut?")
_DONE_HISTORY_WORDS = (
    rf"\bwho\s+(?:{_DONE_VERBS})\b|\bwhen\s+(?:was|were)\s+(?:[^?.;!\n]|\.(?=\w)){{1,40}}?\b(?:{_DONE_VERBS})\b|"
    r"^\W*(?:was|were)\s+(?!there\b|it\s+(?:because|due)\b)(?:[^?.;!\n]|\.(?=\w)){1,40}?\b(?:drained|undrained)\b|"
    rf"^\W*(?:was|were)\s+(?!there\b)(?:[^?.;!\n]|\.(?=\w)){{1,40}}?\b(?:{_DONE_VERBS})\s+by\b|"
    # "did we drain r3 last night?", "did anyone undrain r3?", "has anybody shut ...", "when did we last drain r1?",
    # "when did r2 get undrained?", "r3 drained yesterday?"
    r"^\W*(?:did|has|have)\s+(?:we|you|i|they|netops|any(?:one|body)|some(?:one|body))\s+(?:ever\s+|already\s+|"
    rf"actually\s+|really\s+)?(?:{_DONE_ACTS}|drained|undrained|{_DONE_VERBS})\b|"
    rf"\bwhen\s+did\s+(?:\S+\s+){{0,3}}?(?:last\s+)?(?:{_DONE_ACTS})\b|\bwhen\s+did\s+(?:\S+\s+){{1,4}}?get\s+"
    rf"(?:drained|undrained|{_DONE_VERBS})\b|"
    r"^\W*[\w.-]+\s+(?:(?:was|got)\s+)?(?:drained|undrained)\s+(?:yesterday|today|tonight|earlier|recently|last\s+\w+|"
    r"this\s+\w+|\d+\s+\w+\s+ago)\W*$"
    )
_CHANGE_HISTORY_REST = re.compile(
    r"\b(?:what(?:'s|s)?|anything|something|who|which\s+\w+)\s+(?:has\s+|have\s+|was\s+|were\s+|got\s+)?"
    r"(?:been\s+)?changed\b|"
    # "has anyone touched r1's config?", "did somebody modify r2?", "who touched r2 last?": whoever changed it
    r"\b(?:(?:has|have|did)\s+(?:any|some)(?:one|body)|who)\s+(?:(?:has|have|had)\s+)?(?:changed?|touch(?:ed)?|"
    r"modif(?:y|ied)|edit(?:ed)?)\b|"
    r"\b(?:recent|last|latest|previous|past|any)\s+(?:config(?:uration)?\s+)?changes?\b(?!\s+(?:to|the|it|its|r\d))|"
    r"\bchange\s*(?:history|log|record)s?\b|"
    # "what did I change tonight?", "what have we touched today?", "list the changes made in the last hour",
    # "what changes were made to r1?" (lead, stop 37: a private held-out set's misses)
    r"\bwhat\s+(?:did|have|has|had)\s+(?:i|we|you|they|netops|any(?:one|body)|some(?:one|body)|"
    r"(?:the\s+)?(?:(?:night|day|late|early|morning|evening)\s+)?(?:shift|team|noc|on-?call|ops))\s+(?:just\s+|already\s+)?"
    r"(?:change|changed|touch(?:ed)?|modif(?:y|ied)|edit(?:ed)?)\b|"
    # "the changes for the shift report", "tonight's changes for the handover"
    r"\bchanges\s+(?:for|in|into)\s+(?:the\s+|my\s+|our\s+)?(?:shift|hand-?over|handoff|change)\b|"
    # "what happened on the network last night?", "what happened overnight": netops's own changes, said as such
    r"\bwhat\s+(?:has\s+)?happened\s+(?:on|in|to|across)\s+(?:the|our|my)\s+(?:network|fleet|fabric)\b|"
    r"\bwhat\s+(?:has\s+)?happened\s+(?:overnight|last\s+night|tonight|while\s+i\s+was\s+(?:away|out|off))\b|"
    r"\bchanges?\s+(?:were\s+|was\s+|have\s+been\s+|has\s+been\s+|got\s+)?(?:made|done|applied|pushed|committed)\b|"
    # "summarise tonight's changes for the handover", "recap of today's changes", "list this morning's changes",
    # "tonight's changes?" (history37: a hand-over read as a health sweep); a time's changes
    r"\b(?:today|tonight|yesterday|overnight|this\s+(?:morning|afternoon|evening|week|month|shift)|last\s+night|"
    r"the\s+(?:night|shift|weekend|window)|(?:the\s+)?maintenance\s+window)(?:'?s|s')?\s+(?:config(?:uration)?\s+)?changes\b|"
    r"\b(?:summar(?:ise|ize|y)|recap|round[\s-]?up|write[\s-]?up|report)\s+(?:of\s+)?(?:the\s+|my\s+|our\s+)?changes\b|"
    r"\bwhen\s+was\s+\S+\s+(?:last\s+)?(?:changed|modified|touched)\b|"
    + _DEVICE_CHANGE_LOG_WORDS + r"|" + _CHANGE_OUTCOME_WORDS, re.IGNORECASE)
_CHANGE_HISTORY = re.compile(_DONE_HISTORY_WORDS + r"|" + _CHANGE_HISTORY_REST.pattern, re.IGNORECASE)
# the words that ask for a device's own commit or archive log ("show system commit", "show archive log
# config all", "commit history"): netops does not read it; its own audit log answers
_DEVICE_CHANGE_LOG = re.compile(_DEVICE_CHANGE_LOG_WORDS, re.IGNORECASE)


def device_change_log(question: str) -> str | None:
    """The words of ``question`` that ask for a device's own commit or configuration-archive log
    ("show system commit", "show archive log config all", "commit history"), or None."""
    m = _DEVICE_CHANGE_LOG.search(question)
    return " ".join(m.group(0).split()) if m else None


# a history question about routes ("what's changed in r1's routing table?", "which routes changed on r2
# today?", "any prefixes changed on r3?"): the device's routing state, not netops's changes
# "have any routes changed on r1?", "route changes on r2 today", "did the routing table change?"
_ROUTES_CHANGED = re.compile(r"\b(?:routes?|routing(?:\s+table)?|rib|prefix(?:es)?)\s+(?:have\s+|has\s+|got\s+)?"
                             r"(?:changed|changes|churn(?:ed)?|flapped)\b|\b(?:did|has|have)\s+(?:the\s+|any\s+)?"
                             r"(?:routes?|routing(?:\s+table)?|rib|prefix(?:es)?)\s+(?:\w+\s+)?change\b", re.IGNORECASE)


def routes_history(question: str, hosts: list[str]) -> bool:
    """A question whether routes changed ("which routes changed on r2 today?"), not a request beside
    one: "did the routes change on r1? if so drain r2", "if the routing table changed on r1, drain r1"
    ask for a change (which the change path plans or asks about), not for a read in its place."""
    if not _ROUTES_CHANGED.search(question) or _REDO.search(question):
        return False
    rest = _ROUTES_CHANGED.sub(" ", question)
    if CHANGE_WORDS & set(normalise(_WORD.findall(rest.lower().replace("'s", "")), hosts)):
        return False
    return not any(_CLAUSE_REQUEST.match(c) for c in _CLAUSE_END.split(question)[1:])


_ROUTING_SUBJECT = re.compile(r"\b(?:routes?|routing|rib|fib|prefix(?:es)?|paths?|next[\s-]?hops?)\b", re.IGNORECASE)


# "how do I configure bgp on r1?", "how to set the mtu on r2", "what's the command to shut a bgp neighbour?"
_HOW_TO_CHANGE = re.compile(r"^\s*(?:how\s+(?:do|can|would|should|could|does|did)\s+(?:i|we|you|one|someone|an?\s+\w+)\b|"
                            r"how\s+to\b|what(?:'s|\s+is|\s+are)\s+the\s+(?:best\s+|right\s+|proper\s+|usual\s+)?"
                            r"(?:way|command|commands|syntax|procedure|steps)\s+(?:to|for)\b)", re.IGNORECASE)


# a request that names an earlier change: "reapply the last change on r2", "drain r3 and show me what changed"
_REDO = re.compile(r"^\s*(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+)?(?:undo|revert|roll\s*back|redo|repeat|re-?apply|"
                   r"apply|copy|make|do|push|replay|drain|undrain|shut|restart|reset|clear|set|add|remove|configure|"
                   r"enable|disable)\b|\bsame\s+changes?\b|\bchanges?\s+again\b", re.IGNORECASE)
# no device named: the network's recent changes, not how a protocol or an RFC changed
_HISTORY_WHEN = re.compile(r"\b(?:recent(?:ly)?|today|yesterday|tonight|overnight|this\s+(?:week|morning|afternoon|evening|month)|"
                           r"last\s+(?:night|hour|week|weekend|month|few\s+days)|weekend|since|network|lab|fleet|devices?|"
                           r"routers?|switch(?:es)?|"
                           # "3 days ago", "a couple of hours ago" (netops.agent.window reads them)
                           r"(?:\d+\s*|an?\s+|few\s+|couple\s+(?:of\s+)?|one\s+|two\s+|three\s+)"
                           r"(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+ago|"
                           # "in the last 2 days", "past 30 minutes"
                           r"(?:last|past)\s+(?:\d+\s*|few\s+|couple\s+(?:of\s+)?)?(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?)|"
                           # "write up the changes for the handover" (history37)
                           r"boxes|anything|anyone|someone|who|tonight'?s|today'?s|shift|hand[\s-]?overs?|handoff)\b", re.IGNORECASE)
# "what's changed?", "whats changed", "what has been changed?": nothing else asked, so the network's changes
_BARE_HISTORY = re.compile(r"^\W*(?:so\s+|ok\s+|and\s+)?what(?:(?:'s|s)?\s+(?:has\s+|have\s+)?(?:been\s+)?changed|"
                           # "what did you change?", "what has netops changed?" (lead, stop 37)
                           r"\s+(?:did|have|has)\s+(?:you|netops|we|i)\s+(?:just\s+)?(?:change|changed))\W*$",
                           re.IGNORECASE)
_HISTORY_SPEC = re.compile(r"\bshift\s+(?:from|to|away)\b|\brfc\s*\d+|\b(?:ospf|bgp|is-?is|rip)(?:v\d|-?\d)\b|\bversions?\b|\bcompared\b|\bbetween\s+(?:rfc|v\d)",
                           re.IGNORECASE)


# the words of the history question (the question words and the verbs of changing): misspelt one
# keystroke off, they are read as spelt ("wat changed", "waht changed", "what chnaged", "who
# modifed"); three-letter misspellings too, which keep the word's first letter
_HISTORY_VOCABULARY = frozenset({"what", "whats", "anything", "something", "anyone", "someone", "anybody",
                                 "somebody", "which", "changed", "change", "changes", "touched", "modified",
                                 "modify", "edited", "history", "recent", "latest", "previous"})
_HISTORY_TYPOS = typo_table(_HISTORY_VOCABULARY, shortest=3)


def history_spelling(question: str) -> str:
    """``question`` with the history question's words spelt right ("wat chnaged on r3" -> "what
    changed on r3"); other words as they were."""
    return re.sub(r"[A-Za-z]+", lambda m: _HISTORY_TYPOS.get(m.group(0).lower(), m.group(0)), question)


# a question's later clauses ("who changed r1? change it back", "... if so roll it back"), and one that
# asks for a change: a history question with a request after it is the request, not a read of the log
_CLAUSE_END = re.compile(r"[?!;]+|\.(?=\s|$)|,\s*(?=(?:and\s+|then\s+|if\s+so\b))|\s+(?=(?:and\s+)?then\s|if\s+so\b)",
                         re.IGNORECASE)


def clauses(question: str) -> list[str]:
    """A question's clauses, split where a new one starts ("who changed r1? change it back", "..., then
    drain r2", "... if so roll it back"); empty pieces dropped."""
    return [c for c in _CLAUSE_END.split(question) if c and c.strip()]


_CLAUSE_REQUEST = re.compile(r"^\W*(?:and\s+)?(?:then\s+)?(?:if\s+(?:so|not|yes|no),?\s+)?(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+)?"
                             r"(?:undo|revert|roll|redo|re-?apply|apply|push|put|change|modify|edit|fix|set|add|remove|delete|"
                             r"configure|enable|disable|shut|no\s+shut|drain|undrain|restore|reset|clear|restart|copy)\b",
                             re.IGNORECASE)


def change_history(question: str, named: bool = True) -> bool:
    """A question what was changed on devices ("what changed on r2 recently?", "the last change on
    r3?"): what netops's audit log recorded, never a request for a change ("reapply the last change
    on r2"). With no device ``named``, only about the network and a time ("what changed recently?",
    "anything changed in the lab today?"), not how a protocol or an RFC changed. The history words
    may be misspelt one keystroke off (:func:`history_spelling`)."""
    question = history_spelling(question)
    if not _CHANGE_HISTORY.search(question) or _REDO.search(question):
        return False
    if any(_CLAUSE_REQUEST.match(c) and not _CHANGE_HISTORY.search(c) for c in _CLAUSE_END.split(question)[1:]):
        return False  # "did someone change r1's description? set it to uplink": the request after it
    if not named and not _CHANGE_HISTORY_REST.search(question):
        # a playbook's verb in the past naming no device: only with the network or a time ("were any routers
        # drained yesterday?"); who or anyone alone is no such word ("who enabled graceful restart by default in
        # FRR?", "has anyone shut down a BGP session with a Cease notification?" are the documents'; review37)
        question = re.sub(r"\b(?:who|any(?:one|body|thing)|some(?:one|body|thing))\b", " ", question, flags=re.IGNORECASE)
    return named or bool(_BARE_HISTORY.match(question)) or (
        bool(_HISTORY_WHEN.search(question) or _CHANGE_OUTCOME.search(question)) and not _HISTORY_SPEC.search(question))


def device_restarted(question: str, words: list[str]) -> bool:
    """A question whether a device rebooted, restarted or reloaded ("did r2 reboot?", "when did r3
    last reload?", "has r1 been restarted since friday?", "r2 rebooted?", "did r2 reboot after the
    bgp change?", "did r1 go down?"): what happened, which the device's uptime answers. A session's
    or a daemon's restart is not the device's."""
    question = without_moment(question)
    said = set(normalise(_WORD.findall(question.lower().replace("'s", "")), []))
    down = _DEVICE_DOWN.search(question)
    if down is not None and not INTERFACE_NAME.fullmatch(down.group("dev")) and not said & _EVENT_SUBJECTS:
        return not _asked_after(question)
    if not _DEVICE_RESTART.search(question) or said & _EVENT_SUBJECTS or said & _PROCESS_WORDS:
        return False
    past = _PAST_QUESTION.search(question) or re.match(r"^\W*how\s+long\s+ago\b", question, re.IGNORECASE)
    form = None if past else _PAST_FORM.search(question)
    if not past and form is None:
        return False
    before = question[:form.start()] if form is not None else ""
    if _DEVICE_RESTART.search(before) or CHANGE_WORDS & set(_WORD.findall(before.lower())):
        return False  # "reboot r2 if it crashed?", "can you reload r2, it crashed?": a request, its reason after
    return not _asked_after(question)


def session_reset(question: str) -> bool:
    """A question whether a session reset, bounced, flapped or dropped ("has r1's session to r3
    reset recently?", "which bgp session restarted most recently?"): the sessions' uptimes answer
    it (the shortest is the last to come up)."""
    return bool(_SESSION_RESET.search(question)) and bool(
        _PAST_QUESTION.search(question) or _RECENT.search(question) or _PAST_FORM.search(question))


def _past_session_event(question: str, words: list[str], said: set[str]) -> bool:
    """A question whether a session reset, restarted, bounced or was cleared ("did r2's bgp session
    reset?", "has any peer bounced?"): it asks what happened, not for a change."""
    if not (_PAST_QUESTION.search(question) and said <= _SESSION_EVENTS and _EVENT_SUBJECTS & set(words)):
        return False
    return not _asked_after(question)  # "did r2's session reset? clear it on r2": a request after it is one


_FLAP = re.compile(r"\b(?:flap\w*|bounc(?:e|ed|es|ing|y)|go(?:es|ing)?\s+up\s+and\s+down|went\s+up\s+and\s+down|"
                   r"up\s+and\s+down|unstable)\b", re.IGNORECASE)


def _mark_flaps(r: Route, question: str) -> Route:
    """A read for a flap question ("is anything flapping?", "is eth-r3 on r1 flapping?", "has the r1-r3
    session been flapping?") says the devices' own down counters (``_flaps``): netops keeps no history,
    so a link or session that went down and came back between two reads shows only there."""
    getters = [r.args.get("getter"), *r.args.get("_also", ())] if r.kind == "tool" and r.tool == "get_state" else []
    if {"interfaces", "bgp_neighbors"} & set(getters) and _FLAP.search(question):
        r.args["_flaps"] = True
    return r


def route(question: str, hosts: list[str], domain: frozenset[str] = DOMAIN_WORDS,
          matcher: "Callable[[], SemanticMatcher | None] | None" = None) -> Route:
    """Map ``question`` to a read-only tool call, a spec lookup, or nothing.

    A question that names no device but uses the domain's vocabulary goes to the knowledge
    base; one that does neither ("tell me a joke") is not routed. A device the inventory lacks,
    listed beside devices it has ("what is broken on r2, r7?"), is never dropped in silence: the
    known ones are read and :attr:`Route.unread` names the others; a change with such a list
    is refused with that line. With every device left out ("... except on r1, r2 and r3")
    nothing is read.
    """
    question = moment_last(without_pasted_config(question))
    if hosts and (missing := listed_unknown(question, hosts)):
        r = _mark_flaps(_route(drop_listed(question, missing), hosts, domain, matcher), question)
        line = _unknown_reason(missing, hosts)
        if r.kind == "tool":
            r.unread = line
            return r
        if r.kind == "change":
            if r.read is not None:  # "restart whatever is down on r2 and r7": r2's read, r7 named
                r.read.unread = line
                return r
            return Route("unknown", reason=line)  # never a change with a named device dropped
        return Route("unknown", reason=line) if r.kind == "unknown" else r
    r = _mark_flaps(_route(question, hosts, domain, matcher), question)
    left_out = excepted(question, hosts) if hosts else []
    if left_out and ((r.kind == "tool" and r.tool == "get_state" and not r.args.get("hosts"))
                     or (r.kind == "spec" and {h.lower() for h in left_out} >= {h.lower() for h in hosts})):
        # every device left out: nothing to read ("which bgp peers are down except on r1, r2 and r3?"
        # is a device question, not one for the documents)
        return Route("unknown", reason=f"{ALL_LEFT_OUT} ({', '.join(left_out)}): nothing to read")
    if (typed := typed_read(question, hosts, r)) is not None:
        if r.kind == "tool":
            r.typed = typed  # the nearest typed read, said to be only that
        elif r.kind == "unknown" and r.intent == "untyped" and r.args.get("topic"):
            # "r1 show ip arp", "r1: show logging": the command as typed is sent as typed (and a model
            # may send it through its show tool); the platform's own command for it is added by
            # route_named when it differs (FRR's ARP table is `show ip neigh`)
            return Route("unknown", reason=typed, args={"topic": r.args["topic"], "hosts": list(r.args["hosts"])})
        elif r.kind == "unknown" and r.intent != "untyped" and not r.reason.startswith((UNKNOWN_DEVICE, ALL_LEFT_OUT)):
            return Route("unknown", reason=typed)
    if r.kind in ("unknown", "spec") and not r.reason.startswith((UNKNOWN_DEVICE, ALL_LEFT_OUT)) \
            and (like := named_like_inventory(question, hosts)):
        # "is r9 up?", "show r9 interfaces", "r9 bgp?" beside r1..r3: that device, which is not there
        return Route("unknown", reason=_unknown_reason(like, hosts))
    return r


# A read command the person typed for one device: "show ip ospf database on r2", "r1# sh ip protocols",
# "r3: display bgp peer". netops runs only its typed reads (getters) offline, so a command none of them
# covers is answered by the nearest one, said to be only that, with the way to send the command as
# typed (`netops show`, through the read-only policy); answering "show ip ospf database" with the OSPF
# neighbours, or "show ip protocols" with the interfaces, without a word, answered another question.
_TYPED = re.compile(r"^\s*(?:(?P<h1>[\w.-]+)\s*[:>#]\s*|(?P<h0>[\w.-]+)\s+)?(?P<cmd>(?:show|sho|sh|display|disp|dis)\s+"
                    r"[^?|;<>]+?)(?:\s+(?P<prep>(?:on|at|from|for)\s+)?(?P<h2>[\w.-]+))?\s*\??\s*$", re.IGNORECASE)
_TYPED_NOT = frozenset({"me", "us", "how", "what", "which", "why", "whether", "if", "all", "every", "any", "the", "my"})
"""A second word that makes it a request in English ("show me the peers on r1"), not a command."""
_TYPED_SPREAD = frozenset({"everywhere", "except", "every", "each", "all-devices"})
"""Words that spread a question over devices ("show bgp summary everywhere except r1"): not one device's command."""
_TYPED_FILLER = frozenset({"show", "sho", "sh", "display", "disp", "dis", "ip", "ipv4", "ipv6", "json", "unicast",
                           "of", "for", "the", "on"})
_GETTER_WORDS = {
    "facts": {"version", "hardware", "inventory", "chassis", "system", "platform", "uptime"},
    "interfaces": {"interfaces", "interface", "brief", "status", "description", "descriptions", "terse",
                   "counters", "errors"},
    "bgp_neighbors": {"bgp", "summary", "neighbors", "neighbor", "peers", "peer", "vrf", "all"},
    "ospf_neighbors": {"ospf", "neighbors", "neighbor", "adjacency", "peer", "peers", "brief"},
    "route": {"route", "routes", "routing-table", "rib", "table", "vrf"},
    "routes": {"route", "routes", "routing-table", "rib", "table", "longer-prefixes", "vrf"},
    "config": {"running-config", "running", "configuration", "config", "current-configuration", "interfaces",
               "interface", "protocols", "bgp", "ospf", "router", "section"},
    "bgp_advertised": {"bgp", "neighbors", "neighbor", "advertised-routes", "advertised", "peer", "vrf"},
    "bgp_received": {"bgp", "neighbors", "neighbor", "received-routes", "routes", "received", "peer", "vrf"},
    "bgp_routes": {"bgp", "routes", "vrf"},
}
TYPED_NOT_READ = "netops has no typed read for"


def _covers(getter: str | None, word: str) -> bool:
    """Whether the getter reads what ``word`` (maybe abbreviated: "sum", "nei", "run") of a typed command asks."""
    have = _GETTER_WORDS.get(getter or "", set())
    return any(w == word or (len(word) >= 2 and w.startswith(word)) for w in have)


def typed_read(question: str, hosts: list[str], r: "Route") -> str | None:
    """For a read command the person typed for one device that no typed read covers (see ``_TYPED``),
    the line to say: what was read instead (or that nothing was), and how to send it as typed."""
    m = _TYPED.match(question)
    if not m or r.kind in ("change", "spec") or (r.kind == "tool" and r.tool != "get_state"):
        return None
    known = {h.lower(): h for h in hosts}
    words, last = m.group("cmd").split(), m.group("h2")
    if last and not m.group("prep") and last.lower() not in known:
        words, last = [*words, last], None  # "sh ip ospf interface": the command's own last word
    named = [h for h in (m.group("h0"), m.group("h1"), last) if h]
    if len(named) != 1 or named[0].lower() not in known:
        return None
    if len(words) < 2 or words[1].lower() in _TYPED_NOT or any(w.lower() in known or w.lower() in _TYPED_SPREAD
                                                              for w in words):
        return None
    named_here = {i.lower() for i in entities(question, hosts)["interfaces"]}
    asked = [w.lower() for i, w in enumerate(words) if w.lower() not in _TYPED_FILLER and not addresses(w)
             and not re.search(r"\d", w) and w.lower() not in named_here
             and not (i and words[i - 1].lower() in ("vrf", "instance", "routing-instance"))]
    getter = r.args.get("getter") if r.kind == "tool" else None
    if getter is not None and all(_covers(getter, w) for w in asked):
        return None  # "sh ip bgp sum on r1": the typed read answers it, and says it better
    command, host = " ".join(words), known[named[0].lower()]
    how = f'`netops show {host} "{command}"` sends it as typed (through the read-only command policy, audited)'
    if getter is None:
        return f"{TYPED_NOT_READ} `{command}`, and the offline answer runs nothing else; {how}"
    return f"{TYPED_NOT_READ} `{command}`: this is its nearest, {getter}; {how}"


# A line of configuration (or of a device's output shaped like it) pasted into a question of several
# lines: "router bgp 65001", " neighbor 198.51.100.2 description r2", "!", "set interfaces ...", "}".
_CONFIG_LINE = re.compile(
    r"^(?:[ \t]+\S|[!#}]|(?:interface|router|neighbor|ip|ipv6|description|hostname|address-family|exit|"
    r"exit-address-family|network|set|delete|bgp|route-map|prefix-list|access-list|line|logging|snmp-server|"
    r"username|service|no|redistribute|timers|vrf|frr|log|end|mpls|segment-routing|policy-options|protocols|"
    r"system|class-map|policy-map|ntp|aaa|spanning-tree|vlan|feature|boot|version)\b(?![?])[^?]*$|[\w-]+\s*\{\s*$)")


def without_pasted_config(question: str) -> str:
    """``question`` with the configuration lines pasted into it blanked (same length), when it has
    several lines and at least one of them is the person's own: "<config>\\nwhat does this config
    do?" asks about the text, and a device named inside it ("description r2") is not a device
    to read. One line, or nothing but configuration, is left as it is."""
    if "\n" not in question.strip():
        return question
    lines = question.split("\n")
    pasted = pasted_config_lines(question)
    own = [bool(ln.strip()) and not p for ln, p in zip(lines, pasted)]
    if not any(pasted) or not any(own):
        return question
    return "\n".join(re.sub(r"\S", " ", ln) if p else ln for ln, p in zip(lines, pasted))


# Words of a person's sentence that no configuration line holds ("bgp summary on r1", "interface eth0
# on r1 keeps flapping", "network 10.0.0.0/24 is unreachable from r1", "log says hold timer expired"):
# such a line is the person's own, however it starts (review21 T2). A description, remark or banner
# line is free text inside a configuration and stays configuration.
_PROSE = re.compile(
    r"\b(?:why|how|what|when|which|who|is|isn't|are|aren't|was|wasn't|were|does|doesn't|did|didn't|keeps?|says?|"
    r"said|shows?|showing|lost|loses|losing|too|again|idea|please|unreachable|flapping|broken|seems?|looks?|"
    r"anymore|still)\b|\b(?:on|of|for|from|at)\s+[a-z][\w-]*\d[\w-]*\W*$", re.IGNORECASE)
_FREE_TEXT = re.compile(r"\b(?:description|remark|banner|alias)\b", re.IGNORECASE)
# The person's words pointing at lines beside them: "apply this on r1", "what does the above do?"
_DEICTIC = re.compile(r"\b(?:this|these|the\s+(?:above|following|below|snippet|lines?)|above|below)\b"
                      # "push that to r1", "apply it on r1": "that"/"it" point at the paste only after such a verb
                      r"|\b(?:apply|push|load|paste|commit|deploy|install|merge|send|copy|put|add|use|configure)\b"
                      r"(?:\s+\w+){0,2}?\s+(?:that|those|it|them)\b", re.IGNORECASE)


def _config_shaped(line: str) -> bool:
    head = _FREE_TEXT.split(line, 1)[0]  # a description's own words are free text: not judged
    return bool(line.strip()) and bool(_CONFIG_LINE.match(line)) and not _PROSE.search(head)


def pasted_config_lines(question: str) -> list[bool]:
    """For each line of ``question`` (split on newlines), whether it is a line of a configuration
    block pasted into it: a configuration-shaped line (no word of a person's sentence in it) that is
    indented, a "!" or "}", opens a "{" block, or stands next to another such line ("bgp on r1"
    alone is a question); or one such line the person's other words point at ("neighbor
    198.51.100.2 shutdown" above "apply this on r1"). A question of one line has none."""
    lines = question.split("\n")
    if len([ln for ln in lines if ln.strip()]) < 2:
        return [False] * len(lines)
    shaped = [_config_shaped(ln) for ln in lines]
    out = [sh and (ln[:1] in " \t!#}" or ln.rstrip().endswith("{") or (i > 0 and shaped[i - 1])
                   or (i + 1 < len(lines) and shaped[i + 1]))
           for i, (ln, sh) in enumerate(zip(lines, shaped))]
    if any(sh and not o for sh, o in zip(shaped, out)) and any(
            ln.strip() and not sh and _DEICTIC.search(ln) for ln, sh in zip(lines, shaped)):
        out = [o or sh for o, sh in zip(out, shaped)]  # a lone line the person's words point at
    return out


def pasted_block(question: str) -> bool:
    """Whether what is pasted into ``question`` is unmistakably configuration, not a person's lines that
    happen to start with a configuration word: an indented line, a "!" / "}" / "{" line, or a line
    opening a block (``router bgp 65001``, ``interface eth0``, ``address-family ipv4 unicast``)."""
    lines = question.split("\n")
    mask = pasted_config_lines(question)
    return any(p and (ln[:1] in " \t!#}" or ln.rstrip().endswith("{")
                      or re.match(r"^(?:router\s+\w+|interface\s+\S+|address-family\b|route-map\s+\S+|vrf\s+\S+)"
                                  r"(?:\s+\S+){0,3}\s*$", ln.strip(), re.IGNORECASE) or ln.strip().startswith("set "))
               for ln, p in zip(lines, mask))


def _shape(name: str) -> str:
    """A host name with its numbers as ``#``: ``edge-sw12`` -> ``edge-sw#``."""
    return re.sub(r"\d+", "#", name.lower())


def named_like_inventory(question: str, hosts: list[str]) -> str | None:
    """A word of ``question`` that is not an inventory host but has the shape of one (the same
    letters, other numbers: "r9" beside r1, r2, r3), or ``None``."""
    known = {h.lower() for h in hosts}
    shapes = {_shape(h) for h in hosts if re.search(r"\d", h) and re.search(r"[a-z]", h, re.I)}
    if not shapes:
        return None
    for m in re.finditer(r"(?<![\w.-])([A-Za-z][\w-]*\d[\w-]*)(?:'s)?(?![\w.-])", question):
        word = m.group(1)
        if word.lower() not in known and _shape(word) in shapes and not _not_a_device(word):
            return word
    return None


ALL_LEFT_OUT = "every inventory device is left out"


def _route(question: str, hosts: list[str], domain: frozenset[str] = DOMAIN_WORDS,
           matcher: "Callable[[], SemanticMatcher | None] | None" = None) -> Route:
    words = normalise(_WORD.findall(question.lower().replace("'s", "")), hosts)
    ents = entities(question, hosts, joined=True)
    from netops.agent.fleet_change import picked

    if (asked := picked(question, hosts)) is not None:
        # "restart whatever is down": what is down is read as the state question would read it;
        # nothing the words did not name is changed (netops.agent.fleet_change)
        read = route(asked.question, hosts, domain)
        if read.kind == "unknown" and (names_unknown(read.reason) or read.reason.startswith(ALL_LEFT_OUT)):
            return read
        if read.kind == "tool":
            return Route("change", reason="changes need a model to plan them and a person to approve them",
                         read=read, picked=asked)
    said_change = CHANGE_WORDS & set(words)
    if said_change == {"set"} and _SET_TO.search(question):
        said_change = set()  # "what mtu is r2 eth-r3 set to?": the value asked for, not a request
    if said_change and (head := without_moment(question)) != question:
        from netops.agent.intent import asks_about

        if asks_about(question) or without_moment_noun(question) != question:
            # "did r2's session reset after the bgp change?", "bgp sessions on r3 after the drain" (lead, stop 37:
            # proposed router-drain on r3): the change names a moment
            said_change = CHANGE_WORDS & set(normalise(_WORD.findall(head.lower().replace("'s", "")), hosts))
    if _ANNOUNCE.match(question):  # "announce r2's loopback to r1", "stop advertising P to r2": asked for
        said_change = said_change | {"announce"}
    if said_change and _past_session_event(question, words, said_change):
        said_change = set()  # "did any bgp peer bounce?": what happened, which the sessions' uptime says
    restarted = device_restarted(question, words)
    if restarted:
        said_change = set()  # "when did r3 last reload?": what happened, which the device's uptime says
    history = change_history(question, named=bool(ents["hosts"]))
    routes_changed = routes_history(question, hosts)
    if history or routes_changed:
        said_change = set()  # "what was the last change on r3?": netops's audit log, not a request
    if said_change and _DRAIN_STATE.search(question) and not _KNOWLEDGE_SHAPE.search(question):
        said_change = set()  # "is max-metric set on r3?": a drain line asked about, read below
    if said_change and converged(question):
        said_change = set()  # "has the ospf change converged on r2?": whether it settled, read below
    effect = effect_state(question, ents)
    if said_change and effect:
        said_change = set()  # "is neighbor X shut down on r1?": the state a change leaves, read below
    if said_change and _HOW_TO_CHANGE.match(question):
        # "how do I configure bgp on r1?": how it is done, from the documents; nothing is proposed
        return Route("spec", "spec", "kb_search", {"query": question}, 3.0,
                     reason="this asks how a change is made; the documents answer it and nothing is proposed")
    if said_change and (ents["hosts"] or ents["addresses"]):
        return Route("change", reason="changes need a model to plan them and a person to approve them")
    if not hosts and said_change and not _KNOWLEDGE_SHAPE.search(question) \
            and (unknown := unknown_device(question, hosts, anywhere=True)):
        # "drain r3 for maintenance" with no inventory: no device to change, said as such
        return Route("unknown", reason=_unknown_reason(unknown, hosts))
    from netops.agent.peer_intent import who_sends_args
    from netops.agent.route_tool import route_args

    if (who := who_sends_args(question, ents)) is not None:  # "who is sending P to r1?": r1's peers, each
        return Route("tool", "bgp_received", "get_state", who, 5.0)
    if (diag_args := route_args(question, ents)) is not None:
        return Route("tool", "route_diagnosis", "diagnose_route", diag_args, 5.0)
    from netops.agent.peer_intent import peer_route_args

    if (peer_args := peer_route_args(question, ents)) is not None:
        return Route("tool", peer_args["getter"], "get_state", peer_args, 5.0)
    from netops.agent.peer_intent import unknown_subject

    if (unknown := unknown_subject(question, hosts)) is not None:  # "what is r9 advertising?"
        return Route("unknown", reason=_unknown_reason(unknown, hosts))
    targets = ents["hosts"]
    if hosts and _EVERYWHERE.search(question) and (not targets or set(targets) <= set(excepted(question, hosts))):
        left_out = set(excepted(question, hosts))  # "on all routers except r3" reads r1 and r2, not r3
        targets = [h for h in hosts if h not in left_out]
    elif (left_out := set(excepted(question, hosts))) and set(targets) - left_out:
        targets = [h for h in targets if h not in left_out]  # "ospf on r2 and r3 but not r1"
    left_out = set(excepted(question, hosts))
    if restarted and not set(targets) - left_out:  # a device left out is never the one read
        # "did any router reboot (except r3)?": the others
        targets = [h for h in hosts if h not in left_out] if _ANY_DEVICE.search(question) else []
    after_change = restarted and (head := without_moment(question)) != question
    if after_change:
        # "has r3 restarted since the bgp change on r1?": r3, not r1
        targets = [h for h in entities(head, hosts, joined=True)["hosts"] if h not in left_out] or targets
    if restarted and targets:
        # after a change: when netops last changed each device (the audit log), to compare with its uptime
        return Route("tool", "facts (uptime: when it last restarted)", "get_state",
                     {"hosts": targets, "getter": "facts", "_reboot": True, "_found": True,
                      **({"_changes": True} if after_change else {})}, 4.0)
    if (history or routes_changed) and not set(targets) - left_out and (like := named_like_inventory(question, hosts)):
        # "which routes changed on r9?", "what changed on r9 today?": that device, not every device in its place
        return Route("unknown", reason=_unknown_reason(like, hosts))
    if (history and _ROUTING_SUBJECT.search(history_spelling(question)) or routes_changed) \
            and (targets := [h for h in (targets or hosts) if h not in left_out]):
        # "what's changed in r1's routing table since the flap?", "which routes changed on r2 today?":
        # routes are the device's state, which netops keeps no history of; the audit log holds only
        # netops's own changes. The current table and the BGP sessions' uptimes (when each last came
        # up) are read, and the answer says there is no history ("_route_history")
        return Route("tool", "routes (the current table: netops keeps no routing-table history)", "get_state",
                     {"hosts": targets, "getter": "routes", "prefix": "0.0.0.0/0", "_also": ["bgp_neighbors"],
                      "_route_history": True, "_when": question}, 4.0)
    if history and (targets := [h for h in (targets or hosts) if h not in left_out]):
        # "what changed on r2 recently?": the changes netops recorded (it keeps no other history)
        # (the audit log alone: a device's own state says nothing of who changed it, or when)
        # ("_when": the words its time window is read from, "today", "since 14:00": netops.agent.window)
        return Route("tool", "what netops changed", "change_history",
                     {"hosts": targets, "_history": True, "_when": question}, 4.0)
    fleet = not set(targets) - left_out and fleet_wide(question, words, ents, hosts) and \
        bool(_READ_LEAD.search(question) or said_change)
    if fleet:  # "which bgp peers are down (except on r3)?"; a change word with it is the change path, next
        targets = [h for h in hosts if h not in left_out]
    kind = fleet_class(question, words, ents, hosts)
    if kind and not _READ_LEAD.search(question) and not said_change \
            and not (kind == "sweep" and _NETWORK_REPORT.search(question)):
        kind = None  # an imperative that is no read ("summarise the network" is one)
    if kind == "sweep" and set(ents["hosts"]) - left_out and not _SWEEP_NAMED.search(question):
        kind = None  # "what's up with r2": that device's health, as before
    if kind and not set(ents["hosts"]) - left_out:  # "which neighbors are down?", "what's down?", "is bgp up?"
        fleet = True
        targets = [h for h in hosts if h not in left_out]
    if said_change and targets:  # "reload the routers and show their uptime"
        return Route("change", reason="changes need a model to plan them and a person to approve them")
    if kind == "sweep" or (kind == "neighbours" and targets):
        # every device's interfaces, BGP sessions and OSPF neighbours, the ones not up shown; with
        # no protocol named, neighbours are BGP's and OSPF's both
        getters = SWEEP_GETTERS if kind == "sweep" else SWEEP_GETTERS[1:]
        args_: dict[str, Any] = {"hosts": targets, "getter": getters[0], "_also": list(getters[1:]),
                                 "_filter": "down" if kind == "sweep" else state_filter(question, words)}
        if fleet:
            args_["_fleet"] = True
        if kind == "sweep":
            args_["_found"] = True  # a count per getter over the devices read, named or not
            if re.search(r"\b(?:flap\w*|bounc\w*)", question, re.IGNORECASE):
                # "is anything flapping?" (trial36): no history is kept, so the BGP count is the one for
                # "which sessions flapped?": those down now and the shortest uptime of those up
                args_["_reset"] = True
        return Route("tool", "health" if kind == "sweep" else "neighbours (BGP and OSPF)", "get_state", args_, 4.0)
    if not targets and ents["addresses"] and hosts and _ORIGIN.search(question):
        # "which router originates 203.0.113.128/25?": every device's route to it; the
        # originator is the one that has it from no other router.
        return Route("tool", "route", "get_state", {"hosts": list(hosts), "getter": "route",
                                                    "prefix": ents["addresses"][0], "_origin": True}, 5.0)
    named_some = bool(targets)
    # Below, naming no device reads every one ("did the drain converge?", "which routers are drained?",
    # "is any interface shut?"); not when the words name one the inventory lacks ("is r9 drained?" read
    # r1, r2 and r3): that is said instead
    stray = None if targets else unknown_device(question, hosts, anywhere=True)
    if stray and (converged(question) or (_DRAIN_STATE.search(question) and not _KNOWLEDGE_SHAPE.search(question))
                  or (effect and _EFFECT_QUANTIFIED.match(question))):
        return Route("unknown", reason=_unknown_reason(stray, hosts))
    if (settled := converged(question)) and (settle_on := [h for h in (targets or hosts) if h not in left_out]):
        # "is r2 converged?", "has the ospf change converged on r2?", "did the drain converge?": settled
        # after a change is every BGP session Established and every OSPF adjacency Full, one on every
        # inventory link (a protocol named: that one's); no device named: every device, said so
        return Route("tool", "convergence", "get_state",
                     {"hosts": settle_on, "getter": settled[0], "_also": settled[1:], "_converged": True,
                      **({"_fleet": True} if not targets else {"_found": True} if len(settle_on) > 1 else {})}, 5.0)
    if (off := _MOVED_OFF.search(question)) and (away := next((h for h in hosts if h.lower() == off.group("host").lower()), None)):
        # "did the traffic move off r3? check routes on r1 and r2": the other routers' routing tables, and
        # which of their routes still go via r3 (a next hop on one of r3's link addresses), said first
        # (history37: three full tables and no verdict from netops)
        others = [h for h in (targets or hosts) if h != away and h not in left_out] or \
            [h for h in hosts if h != away and h not in left_out]
        if others:
            return Route("tool", "routes", "get_state", {"hosts": others, "getter": "routes", "prefix": "0.0.0.0/0",
                                                         "_off": away, **({"_found": True} if len(others) > 1 else {})},
                         5.0)
    # "is r3 still carrying traffic?", "is r3 in service?" name a router; "is the link carrying traffic?", "is the
    # standby in service after failover?" do not, and are no question of every router's drain (review37)
    in_service_only = not named_some and _DRAIN_STATE.search(re.sub(_IN_SERVICE, " ", question, flags=re.I)) is None
    if ((_DRAIN_STATE.search(question) and not _KNOWLEDGE_SHAPE.search(question) and not in_service_only) or
            (named_some and _CARRYING.search(question))) and \
            (targets := [h for h in (targets or hosts) if h not in left_out]):
        # "is r3 drained?", "is r3 still in maintenance?", "which routers are drained?": what a drain
        # sets is in the running configuration (BGP graceful-shutdown, OSPF max-metric), not in the
        # BGP summary this read before (its sessions stay Established on a drained router)
        # a yes/no question ("is r3 drained?", "are r1 and r3 in maintenance?") is answered yes, no or partly first
        yes_no = {"_effect": "drained"} if re.match(r"^\W*(?:is|are|has|have)\b", question, re.IGNORECASE) \
            and not _NOT_NOW.search(question) and not _UNDRAINED.search(question) else {}
        # "has r3 been undrained?", "has r3 been drained?": the device now, and what netops's audit log
        # recorded of its drains and undrains ("_recorded", route37)
        if re.match(r"^\W*(?:has|have)\b", question, re.IGNORECASE) and re.search(r"\bbeen\b", question, re.IGNORECASE):
            yes_no["_recorded"] = question
        if not _DRAIN_STATE.search(question):  # "what's r3 carrying?": said what the drain state stands for
            yes_no["_carrying"] = True
        return Route("tool", "drain state", "get_state", {"hosts": targets, "getter": "config", "_drain": True, **yes_no,
                                                          # none named: every router, said so; several named: counted
                                                          **({"_fleet" if not named_some else "_found": True}
                                                             if len(targets) > 1 else {})}, 5.0)
    every = effect is not None and not targets and _EFFECT_QUANTIFIED.match(question) is not None
    if effect and (targets := [h for h in (hosts if every else targets) if h not in left_out]):
        # "is neighbor 198.51.100.2 shut down on r1?", "is eth-r2 disabled on r1?": the peer's session
        # (Idle (Admin) when shut) or the interface's admin / oper state, read from the device; "is any
        # interface shut?" naming no device: every one, said so
        return Route("tool", "bgp_neighbors" if effect == "peer" else "interfaces", "get_state",
                     {**effect_args(question, effect, targets, ents, hosts), **({"_fleet": True} if every else {})}, 5.0)
    if targets and (_ROUTER_ID.search(question) or _LOCAL_AS.search(question)) and not ents["addresses"]:
        return Route("tool", "bgp_neighbors", "get_state", {"hosts": targets, "getter": "bgp_neighbors",
                                                            "_router_id": True}, 5.0)
    if not targets and hosts and _MTU_MISMATCH.search(question) and not _KNOWLEDGE_SHAPE.search(question) \
            and len(words) <= 8 and not unknown_device(question, hosts):
        # "mtu mismatch?", "any mtu mismatches?" (route37; it was the runbook's passages): every device's
        # interfaces with their MTU, each inventory link's two ends compared
        return Route("tool", "interfaces", "get_state", {"hosts": [h for h in hosts if h not in left_out],
                                                         "getter": "interfaces", "_filter": None, "_names": [],
                                                         "_mtu": True, "_fleet": True}, 4.0)
    from netops.agent import untyped

    if not targets and hosts and not ents["addresses"] and not _KNOWLEDGE_SHAPE.search(question) \
            and (set(words) & {"routers", "devices", "boxes", "nodes", "switches"} or _BARE_READ.match(question)) \
            and _score(words, _SPEC) < 2 and not unknown_device(question, hosts) and untyped.topic(question) is not None:
        # "which routers have high cpu?", "show logs" (route37; it was "no known intent matched"): every one's command
        targets = [h for h in hosts if h not in left_out]
    if targets and not ents["addresses"] and not _KNOWLEDGE_SHAPE.search(question):

        # "arp table r1", "cpu on r1", "bfd peers on r1", "latency r1 to r3": no typed read holds it;
        # which thing, and the command that reads it on the device's platform (never the nearest getter)
        if (t := untyped.topic(question)) is not None:
            return Route("unknown", "untyped", args={"topic": t.key, "hosts": targets},
                         reason=untyped.line(t, targets), asks=True)
        if untyped.PROBE_WORDS.search(question) and not untyped.typed_subject(question):
            return Route("unknown", "untyped", args={"hosts": targets}, reason=untyped.probe_line(targets), asks=True)
    scores = {name: _score(words, spec["keywords"]) for name, spec in INTENTS.items()}
    words_set = set(words)
    if ents["addresses"]:
        scores["route"] += 2
        if _REACH.search(question) or _PRESENT.search(question):
            scores["route"] += 2
    if ents["interfaces"]:
        scores["interfaces"] += 2
    if _AS_NUMBER.search(question):
        scores["bgp_neighbors"] += 2
    if _UPTIME.search(question) and not words_set & _OTHER_SUBJECT:
        scores["facts"] = max(scores["facts"], 4.0)
    if _SHOW_RUN.search(question) or _POLICY.search(question):
        scores["config"] = max(scores["config"], 3.0)
    if _DEFAULT_ROUTE.search(question) or (_SHOW_ROUTE.search(question) and not ents["addresses"]):
        scores["route"] = max(scores["route"], 4.0)
    best = max(scores, key=lambda k: scores[k])
    if best == "bgp_neighbors" and "ospf" in words_set and "bgp" not in words_set:
        best = "ospf_neighbors"  # "display ospf peer brief": the protocol named decides
    if ents["addresses"] and best in ("bgp_neighbors", "ospf_neighbors") and not words_set & _SESSION_WORDS:
        best = "route"  # "show ip bgp 203.0.113.128/25 on r2", "is r2 using ospf or bgp for P": the route
        scores["route"] = max(scores["route"], 3.0)
    if scores[best] < 3 and words_set & _TALKING and related_pair(question, hosts) is not None:
        best = "bgp_neighbors"  # "is r1 talking to r2?": the sessions between them
        scores[best] = 3.0
    if scores["config"] >= 3:  # "the bgp config on r2": the protocol names a part of the config
        best = "config"
    elif VALUE_WORDS & set(words) and not ents["addresses"] and any(w in CONFIG_SECTIONS for w in words):
        # "the ospf cost on r1's interfaces", "bgp hold time on r2": a configured value, which the
        # neighbour tables do not show; the protocol's part of the config does.
        best = "config"
        scores["config"] = max(scores["config"], 3.0)
    spec_score = _score(words, _SPEC) + (3 if re.search(r"\brfc\s*\d+", question, re.I) else 0)
    # "what about r2?", "tell me about r2", "r2?": nothing asked but the device, so its basic state;
    # never the embedder's nearest example, which guessed a protocol (BGP) for words that say nothing
    if targets and scores[best] < 3 and (_HEALTH.search(question) or names_only(question, hosts)) and spec_score < 3:
        return Route("tool", "health", "get_state", {"hosts": targets, "getter": HEALTH_GETTERS[0],
                                                     "_also": list(HEALTH_GETTERS[1:])}, 3.0)
    if targets and scores[best] < 3 and matcher is not None and (m := matcher()) is not None:
        intent, sim = m.best(mask(question, hosts))
        if sim >= SEMANTIC_THRESHOLD:
            scores[intent] = max(scores[intent], 3.0)
            best = intent
    if best == "list_devices" and scores[best] >= 3:
        return Route("tool", "list_devices", "list_devices", {"targets": ",".join(targets) or "all"}, scores[best])
    if targets and scores[best] >= 3 and not (spec_score > scores[best] + 2):
        spec = INTENTS[best]
        args: dict[str, Any] = {"hosts": targets, "getter": spec["getter"]}
        if best == "route":
            v6 = bool(words_set & {"ipv6", "v6", "inet6"})
            if not ents["addresses"] and _DEFAULT_ROUTE.search(question):
                args["prefix"] = "::/0" if v6 else "0.0.0.0/0"  # the default route itself
                if fleet:  # "are any routers missing the default route?": those without it named
                    args["_fleet"] = True
                return Route("tool", best, spec["tool"], args, scores[best])
            if not ents["addresses"]:
                if not words_set & _WHOLE_TABLE and not _SHOW_ROUTE.search(question):
                    return Route("unknown", reason="a route lookup needs a prefix or address", asks=True)
                # "show me r2's routing table": every route, the chosen ones listed
                return Route("tool", "routes", "get_state", {"hosts": targets, "getter": "routes",
                                                             "prefix": "::/0" if v6 else "0.0.0.0/0"}, scores[best])
            args["prefix"] = ents["addresses"][0]
        if spec["getter"] == "bgp_neighbors":
            from netops.agent.peer_intent import vrf_in

            if (vrf := vrf_in(question)) is not None:  # "bgp peers of r1 in vrf CUST-A"
                args["vrf"] = vrf
        route_ = Route("tool", best, spec["tool"], args, scores[best])
        if best == "config" and (pipe := config_pipe(question, hosts)):
            # "show run | include max-metric on r3": the lines the filter keeps, run by netops on the
            # redacted text (netops.devices.linefilter), not the whole configuration; the pattern's
            # words pick no section ("| include bgp" is every line with bgp, not the router bgp block)
            route_.args["_pipe"] = pipe
        elif best == "config":
            route_.args["_section"] = next((CONFIG_SECTIONS[w] for w in words if w in CONFIG_SECTIONS), None)
            if ents["interfaces"]:  # "the config of eth-r2 on r1": that interface's lines only
                route_.args["_interfaces"] = ents["interfaces"]
        if best == "interfaces" and len(targets) > 1:
            # "which interface on r1 faces r3": r3 is the far end of a link, not a device asked about
            far = {h for h in targets if re.search(_FAR_END.format(h=re.escape(h)), question, re.IGNORECASE)}
            if set(targets) - far and far:
                route_.args["hosts"] = [h for h in targets if h not in far]
        if best == "interfaces":
            # "which links are up on r1" lists the up ones; "is the r1-r2 link up?" asks yes or no, and
            # a filter to the up ones would leave a down link out of the answer
            yes_no = re.match(r"\s*(?:is|are)\b", question, re.IGNORECASE)
            route_.args["_filter"] = "down" if "down" in words else ("up" if "up" in words and not yes_no else None)
            route_.args["_names"] = ents["interfaces"]
            if "mtu" in words:
                route_.args["_mtu"] = True
            if words_set & {"error", "errors", "crc", "drops", "discards", "errored", "erroring"}:
                route_.args["_errors"] = True
        if best == "bgp_neighbors" and (pair := related_pair(question, hosts)) is not None:
            route_.args["_between"] = list(pair)
        if best == "bgp_neighbors" and session_reset(question):
            route_.args["_reset"] = route_.args["_found"] = True  # the Found line: the shortest uptime
        if best in ("bgp_neighbors", "ospf_neighbors") and (wanted := state_filter(question, words)):
            route_.args["_filter"] = wanted  # "which bgp peers are down?": the down ones, said when none
        if fleet:
            route_.args["_fleet"] = True
        return route_
    if not targets and best != "list_devices" and not spec_score > scores[best] + 2 \
            and (unknown := unknown_device(question, hosts)) \
            and (scores[best] >= 3 or (hosts and _reads_known(question, unknown, hosts))):
        # "bgp neighbours on r9": a device question about a device the inventory does not have
        # (with no inventory at all too: not an RFC search)
        return Route("unknown", reason=_unknown_reason(unknown, hosts))
    if not targets and scores[best] >= 3 and _KNOWLEDGE_SHAPE.search(question):
        # "how should I debug interfaces that are flapping?", "list the reasons a bgp session goes
        # down": how things work, from the documents
        return Route("spec", "spec", "kb_search", {"query": question}, spec_score)
    if not targets and hosts and scores[best] >= 3 and best != "list_devices" and spec_score < 2 \
            and _STATE_SHAPE.search(question):
        shown = ", ".join(hosts[:12]) + (", ..." if len(hosts) > 12 else "")
        return Route("unknown", reason=f"which device? The question names none: name one ({shown}) or say "
                                       f"'on all routers'", asks=True)
    if spec_score >= 2:
        return Route("spec", "spec", "kb_search", {"query": question}, spec_score)
    versioned = {re.sub(r"v\d+$", "", w) for w in words}  # ospfv3, bgpv4, snmpv2 name their protocol
    if not targets and (domain & (set(words) | versioned) or ents["addresses"]):
        # Nothing points at a device: the knowledge base is the best evidence we have offline.
        return Route("spec", "spec", "kb_search", {"query": question}, spec_score, reason=SPEC_FALLBACK)
    return Route("unknown", reason=NO_INTENT)


NO_INTENT = "no known intent matched"
SPEC_FALLBACK = "no device intent matched; closest passages from the knowledge base"
"""The reason of a ``spec`` route taken only because nothing pointed at a device (no word of the
documents' kind: 'explain', 'RFC', 'section', 'how does'): the documents are the best evidence
there is, not what the question asked for."""
"""The reason of a question the router can place nowhere: offline, the knowledge base still gets
a say (:func:`netops.agent.offline.answer_offline`)."""

_ELLIPSIS = re.compile(r"^\s*(?:and|also|plus|what\s+about|how\s+about|same\s+(?:for|on)|now|then|ok(?:ay)?,?|"
                       r"and\s+what\s+about)\b", re.IGNORECASE)
_FOLLOWUP_WORDS = 8


# "its", "it", "that", "those": a question that leans on the one before it
_LEANS = re.compile(r"\b(?:it|its|it's|that|this|those|these|they|them|their|the\s+same|there)\b", re.IGNORECASE)
_DOC_NAMED = re.compile(r"\b(?:rfc|ts|tr|draft)[\s-]*\d", re.IGNORECASE)


def followup_shaped(question: str) -> bool:
    """Whether ``question`` reads as a follow-up of the one before it rather than a question
    whole on its own: it starts like one ("and ...", "what about ..."), or it is short, leans on
    something said before ("what is its default?") and names no document itself."""
    if _ELLIPSIS.match(question):  # "and what does RFC 4271 say?": about what was asked before
        return True
    if _DOC_NAMED.search(question):
        return False
    return len(_WORD.findall(question)) <= _FOLLOWUP_WORDS and bool(_LEANS.search(question))


def continues_spec(question: str, routed: Route, previous: str, hosts: list[str],
                   domain: frozenset[str] = DOMAIN_WORDS,
                   matcher: "Callable[[], SemanticMatcher | None] | None" = None) -> bool:
    """Whether ``question``, which the router sent nowhere on its own (``routed``), is a follow-up
    of ``previous``, a question about the specs, and so is searched with it: "and what is the
    minimum value?" after "what does RFC 4271 say the hold timer must be?" names no subject of its
    own (SmolLM2, sent it with no sources, answered "the minimum value of the Hold Timer Expired
    Error Code is 1"). One rule for the offline answer and the model's grounding. A device the
    inventory lacks, or a question back to the person, stays what it is."""
    return (routed.kind == "unknown" and not routed.asks and not names_unknown(routed.reason)
            and bool(previous.strip()) and followup_shaped(question)
            and route(previous, hosts, domain, matcher=matcher).kind == "spec")


# what a follow-up adds around a window or a device: "and on r3 for yesterday?", "what about this week, then?"
_FOLLOWUP_FILLER = frozenset({"and", "also", "what", "about", "how", "same", "for", "on", "of", "in", "at", "the",
                              "now", "then", "ok", "okay", "plus", "please", "pls", "there", "router", "device", "too",
                              "as", "well", "again", "instead", "with"})


def history_followup(question: str, previous: str, hosts: list[str]) -> str | None:
    """The history question a follow-up of one stands for when it only changes the time window or
    the device ("and yesterday?", "what about r3?", "and this week on r1?" after "what changed on
    r2?"): the previous question with that window or device in place of its own; None for any other
    question (one that asks for something else, or for a change)."""
    if not change_history(previous, named=bool(entities(previous, hosts)["hosts"])):
        return None
    now = entities(question, hosts)
    if now["addresses"] or now["interfaces"] or CHANGE_WORDS & set(_WORD.findall(question.lower())):
        return None
    rest, window = without_window(question)
    unheld = listed_unknown(question, hosts)  # "and r3 and r9?": r9 is said unread, never dropped
    for h in [*now["hosts"], *unheld]:
        rest = re.sub(rf"(?<![\w-]){re.escape(h)}(?:'s)?(?![\w-])", " ", rest, flags=re.IGNORECASE)
    if set(_WORD.findall(rest.lower())) - _FOLLOWUP_FILLER or not (window or now["hosts"]):
        return None  # "and the bgp peers?", "what about it?": not only a window or a device
    out = previous
    if window:
        out, _ = without_window(out)
        window = re.sub(r"^(?:the\s+)(?=last|past)", "in the ", window, flags=re.IGNORECASE)
        out = re.sub(r"\s*([?!.]*)\s*$", lambda m: f" {window}{m.group(1)}", " ".join(out.split()), count=1)
        out = re.sub(r"\s+([?!.,])", r"\1", out)
    if now["hosts"]:
        before = entities(previous, hosts)["hosts"]
        new = " and ".join([*now["hosts"], *unheld])
        if before:
            for h in sorted(before, key=len, reverse=True):
                out = re.sub(rf"(?<![\w-]){re.escape(h)}(?![\w-])", "\x00", out, flags=re.IGNORECASE)
            out = re.sub(r"\x00(?:\W+(?:and|,)?\s*\x00)*", new, out)
        else:  # "what changed today?" then "and on r3?": that device's
            out = re.sub(r"\s*([?!.]*)\s*$", lambda m: f" on {new}{m.group(1)}", out, count=1)
    return out


# what a question says around the devices when it asks nothing else of them: "what about r2?",
# "tell me about r2", "r2 too?", "and for r2 please", "show me r2"
_BARE_WORDS = _FOLLOWUP_FILLER | {"tell", "me", "us", "about", "so", "hey", "show", "give", "info", "information",
                                  "details", "s", "what", "whats", "also", "too", "same"}


def names_only(question: str, hosts: list[str]) -> bool:
    """Whether ``question`` names one or more devices and asks nothing of them ("what about r2?",
    "r2?", "same for r2", "tell me about r2"): no protocol, state, address, interface or verb."""
    ents = entities(question, hosts)
    if not ents["hosts"] or ents["addresses"] or ents["interfaces"]:
        return False
    rest = question
    for h in sorted([*ents["hosts"], *listed_unknown(question, hosts)], key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(h)}(?:'s)?(?![\w-])", " ", rest, flags=re.IGNORECASE)
    return not set(_WORD.findall(rest.lower())) - _BARE_WORDS - _LIST_GLUE


def change_followup(question: str, previous: "list[str] | str", hosts: list[str]) -> str | None:
    """What to say to a follow-up that names only devices ("what about r2?", "and r2?", "r2 too?")
    right after the person asked for a change ("drain r1 from bgp"): a follow-up never carries a
    change over, and reading r2 instead would answer a question nobody asked (it read r2's BGP
    sessions, the change's protocol as it seemed). Nothing is read: the line says how to ask for
    either. None for any other question, or when the previous one asked for no change."""
    last = previous[-1] if isinstance(previous, list) and previous else previous if isinstance(previous, str) else ""
    if not last.strip() or not hosts or not names_only(question, hosts) or _EVERYWHERE.search(question):
        return None
    if not _UNDO_ASKED.search(last) and route(last, hosts).kind != "change":
        return None
    named = [*entities(question, hosts)["hosts"]]
    where = " and ".join(named)
    before = entities(last, hosts)
    again = None
    if len(before["hosts"]) == 1 and not before["addresses"] and not before["interfaces"] \
            and not _UNDO_ASKED.search(last) and set(named) != set(before["hosts"]):
        # "drain r1 from bgp" -> "drain r2 from bgp": the same words, the device named now
        again = re.sub(rf"(?<![\w-]){re.escape(before['hosts'][0])}(?![\w-])", where, last.strip(),
                       flags=re.IGNORECASE)
    how = (f'To ask for the same change on {where}, say it in full: "{again}".' if again else
           f"To ask for a change on {where}, say it in full (what to change, on which device, with its values).")
    return (f'Your previous request ("{last.strip()}") asked for a change, and a follow-up never carries a change '
            f"over to another device, so nothing was read or changed. {how} "
            f'To see {where}\'s state, ask for it, e.g. "how is {named[0]}?" or "bgp neighbours on {named[0]}".')


# words that ask to undo a change ("undo it", "revert what alice changed", "roll back r3", "change it
# back"): a request, like a change word, and never carried into a follow-up (netops.agent.revert)
_UNDO_ASKED = re.compile(r"\b(?:undo|revert|roll\s*-?\s*back|rollback|back\s*out|unapply|"
                         r"(?:roll|put|change|set|turn)\s+(?:it|that|this|them|those)\s+back)\b", re.IGNORECASE)


# a question between devices or towards a destination ("can r1 reach r3?", "the link between r1 and r2",
# "what does r1 advertise to r2?", "ping r3 from r1"): no single device slot to put the whole network in
_BETWEEN_DEVICES = re.compile(r"\b(?:reach\w*|between|advertis\w*|receiv\w*|send\w*|sent|ping\w*|trace\w*|path|"
                              r"from|to|towards?|via|compare\w*|versus|vs|except|excluding|but)\b", re.IGNORECASE)


def fleet_followup(question: str, previous: str, hosts: list[str]) -> str | None:
    """The previous question asked of every router when a follow-up only puts the whole network in
    its devices' place ("and on all routers?", "what about everywhere?", "same for all devices except
    r3" after "bgp on r1?"; "and yesterday on all devices?" after "what changed on r2 today?"); None
    for any other follow-up. Only a read or a history question is carried over, never a change."""
    fleet = _EVERYWHERE.search(question)
    before = entities(previous, hosts)["hosts"]
    if fleet is None or not before or _EVERYWHERE.search(previous) or _BETWEEN_DEVICES.search(previous):
        return None  # "can r1 reach r3?": a question between devices has no one device to put the network in
    names = "|".join(re.escape(h) for h in sorted(before, key=len, reverse=True))
    device = rf"(?:(?:the\s+)?(?:router|device|host|box)\s+)?(?:{names})(?:'s)?(?![\w-])"
    slot = re.compile(rf"(?:\b(?:on|of|for|from|at|in)\s+)?(?<![\w-]){device}(?:\s*(?:,|\band\b|&)\s*{device})*",
                      re.IGNORECASE)
    if len(slot.findall(previous)) != 1:
        return None  # "compare bgp on r1 with ospf on r2": the devices are in more than one place
    history = change_history(previous, named=True)
    if not history and CHANGE_WORDS & set(_WORD.findall(previous.lower().replace("'s", ""))):
        return None
    left_out = excepted(question, hosts)
    rest = question[:fleet.start()] + " " + question[fleet.end():]
    if left_out:
        rest = _EXCEPT.sub(" ", rest)
        for h in left_out:
            rest = re.sub(rf"(?<![\w-]){re.escape(h)}(?![\w-])", " ", rest, flags=re.IGNORECASE)
    window = ""
    if history:
        rest, window = without_window(rest)
    if set(_WORD.findall(rest.lower())) - _FOLLOWUP_FILLER - _LIST_GLUE or entities(rest, hosts)["hosts"]:
        return None  # "and the ospf neighbours on all routers?": a question of its own
    out = previous
    if history:  # the window said now, or the one asked before, after the devices
        out, before_window = without_window(out)
        window = window or before_window
    out = slot.sub(" ", out)
    where = "on all routers" + (f" except {' and '.join(left_out)}" if left_out else "") + (f" {window}" if window else "")
    out = re.sub(r"\s*([?!.]*)\s*$", lambda m: f" {where}{m.group(1)}", " ".join(out.split()), count=1)
    return re.sub(r"\s+([?!.,])", r"\1", out)


def followup(question: str, previous: str, hosts: list[str]) -> str:
    """The question a short follow-up stands for, given the person's previous question in the
    conversation: "and on r2?" after "bgp neighbours on r1" is "bgp neighbours on r2"; "and the
    ospf ones?" after it is "ospf neighbours on r1". A question that is whole on its own, or a
    previous question that named no device, is returned unchanged. Change words are never
    carried over: a follow-up can only become a read (a change needs the person's own words).
    A device name typed with a space ("r 2") is that name in either question (trial36: "since when?"
    after "whats wrong w/ r 2" named no device before it)."""
    from netops.agent.device_refs import spaced_names

    said, question, previous = question, spaced_names(question, hosts), spaced_names(previous, hosts)
    out = _followup(question, previous, hosts)
    return said if out == question else out


def _followup(question: str, previous: str, hosts: list[str]) -> str:
    if not previous.strip() or len(_WORD.findall(question)) > _FOLLOWUP_WORDS:
        return question
    if _UNDO_ASKED.search(previous) or _UNDO_ASKED.search(question):
        return question  # "and r3?" after "revert what alice changed on r2" is no undo on r3
    if (again := fleet_followup(question, previous, hosts)) is not None:
        return again  # "and on all routers?" after "bgp on r1?": the same read of every router
    if (again := history_followup(question, previous, hosts)) is not None:
        return again  # "and yesterday?" after "what changed on r2?": the same history question
    words = set(_WORD.findall(question.lower().replace("'s", "")))
    prev_words = set(_WORD.findall(previous.lower().replace("'s", "")))
    if CHANGE_WORDS & (words | prev_words):
        return question
    now, before = entities(question, hosts), entities(previous, hosts)
    if not before["hosts"]:
        return question
    has_intent = any(_score(list(words), spec["keywords"]) >= 2 for spec in INTENTS.values())
    elliptical = bool(_ELLIPSIS.match(question))
    if now["interfaces"] and not now["hosts"] and not now["addresses"] and len(before["interfaces"]) == 1 \
            and not has_intent and (elliptical or len(_WORD.findall(question)) <= 3):
        # "and eth-r3?" after "show the config of eth-r2 on r1": the same question of that interface
        old = before["interfaces"][0]
        return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", " and ".join(now["interfaces"]), previous, count=1)
    if len(now["hosts"]) == 1 and re.search(r"\b(?:from|source)\s", question, re.IGNORECASE) and \
            (src := reach_source(previous, hosts)) is not None and src != now["hosts"][0]:
        # "and from r3?" after "can r1 reach r2's loopback?": the same target from r3, not r3 to itself
        out = re.sub(rf"(?<![\w-]){re.escape(src)}(?![\w-])", now["hosts"][0], previous, flags=re.IGNORECASE)
        if not re.search(r"\b(?:from|source)\s", previous, re.IGNORECASE) or reach_source(out, hosts) == now["hosts"][0]:
            return out
    if now["hosts"] and not has_intent and (elliptical or len(words - {h.lower() for h in now["hosts"]}) <= 3):
        # "and on r2?": the previous question about the newly named devices
        out = previous
        for h in sorted(before["hosts"], key=len, reverse=True):
            out = re.sub(rf"(?<![\w-]){re.escape(h)}(?![\w-])", "\x00", out, flags=re.IGNORECASE)
        new = " and ".join([*now["hosts"], *listed_unknown(question, hosts)])  # an unknown one is said, not dropped
        out = re.sub(r"\x00(?:\W+(?:and|,)?\s*\x00)*", new, out)
        return out
    if has_intent and not now["hosts"] and not now["addresses"] and elliptical and not _EVERYWHERE.search(question):
        # "and the ospf ones?": this question about the devices named before
        return f"{question.rstrip(' ?.')} on {' and '.join(before['hosts'])}"
    if not has_intent and not now["hosts"] and not now["addresses"] and not now["interfaces"] \
            and ((_LEANS.search(question) and _STATE_OF_IT.search(question)) or _BARE_AGE.fullmatch(question)):
        # "how long has that been up?", "is it stable?" after "ospf neighbours on r3": the same read,
        # whose rows carry the state and its age (a read only; a change was returned above)
        prev = route(previous, hosts)
        if prev.kind == "tool" and prev.tool == "get_state":
            return previous
    return question


# "since when?", "how long?" alone (trial36: after r2's health read showed an Idle session, "since when?"
# was said to be about nothing netops can read): the age of the state just read
_BARE_AGE = re.compile(r"\W*(?:(?:and|ok(?:ay)?|so)[,\s]+)?(?:since\s+when|(?:for\s+)?how\s+long(?:\s+(?:now|ago|for))?)\W*",
                       re.IGNORECASE)
# what a follow-up asks of the state just read: how long it has been so, whether it holds
_STATE_OF_IT = re.compile(r"\b(?:how\s+long\s+(?:has|have|had)\s+\w+\s+been|since\s+when|up\s*-?\s*time|been\s+(?:up|down|full|established)|"
                          r"stable|flapp\w*|still\s+(?:up|down|there)|(?:is|are)\s+(?:it|that|they|those)\s+(?:up|down))\b",
                          re.IGNORECASE)


def meaning(questions: "list[str] | str", hosts: list[str]) -> str:
    """What the last of the person's ``questions`` (oldest first) stands for, each follow-up
    completed from the one before it ("bgp on r1", "and on r2?", "and r3?" -> "bgp on r3")."""
    if isinstance(questions, str):
        return questions
    out = ""
    for q in questions:
        out = followup(q, out, hosts)
    return out


# "the bgp peer at X", "neighbor X", "the session to X", "peering with X": X is the far end of a session
_PEER_PLACE = re.compile(r"\b(?:peers?|peering|neighbou?rs?|nbrs?|nei|sessions?|adjacenc(?:y|ies))\s+(?:(?:at|with|to|towards|address|ip|is)\s+)*"
                         r"(?:the\s+)?(?:address\s+)?(?P<addr>[0-9a-fA-F.:]+[0-9a-fA-F])(?![\w:/.])", re.IGNORECASE)


def _peer_address(question: str) -> str | None:
    """The one address ``question`` puts in a session's far end, or None."""
    found = {m.group("addr") for m in _PEER_PLACE.finditer(question) if addresses(m.group("addr"))}
    return found.pop() if len(found) == 1 else None


UNKNOWN_DEVICE = "no device named"
NOT_IN_INVENTORY = "is not a device or group in the inventory"
"""In the line for a name a status question asks about that the inventory does not hold ("pod1 ...")."""


def names_unknown(reason: str) -> bool:
    """Is ``reason`` (of an ``unknown`` route) the line for a device or name the inventory lacks?"""
    return reason.startswith(UNKNOWN_DEVICE) or f" {NOT_IN_INVENTORY} " in reason


# Where a status or health question puts the thing it asks about: "is pod1 healthy?", "how is dc2
# doing?", "status of fabric-a", "pod1 status", "what's wrong with edge-west?", "health of spine1"
_STATUS_SUBJECT = re.compile(
    r"^\W*(?:is|are|was)\s+(?:the\s+)?(?P<a>[\w.-]+)\s+(?:up|alive|reachable|ok|okay|fine|healthy|down|working|happy|"
    r"alright|good|broken|sick|running)\b"
    r"|^\W*how(?:'s|\s+is|\s+are)\s+(?:the\s+)?(?P<b>[\w.-]+)(?:\s+(?:doing|looking|holding\s+up|going))?\W*$"
    r"|\b(?:health|status|state)\s+(?:check\s+)?(?:of|on|for)\s+(?:the\s+)?(?P<c>[\w.-]+)"
    r"|^\W*(?P<d>[\w.-]+)\s+(?:health|status)\W*$"
    r"|\b(?:wrong|up|going\s+on)\s+with\s+(?:the\s+)?(?P<e>[\w.-]+)", re.IGNORECASE)
# Words in that place that name no device: the network as a whole, pronouns, protocols and features
_NOT_A_NAME = frozenset({
    "it", "this", "that", "there", "everything", "anything", "something", "all", "everyone", "everybody", "things",
    "stuff", "network", "networks", "fabric", "backbone", "lab", "core", "wan", "lan", "internet", "world", "site",
    "dc", "datacenter", "overall", "system", "systems", "infra", "infrastructure", "environment", "my", "our", "your",
    "its", "their", "a", "an", "any", "each", "every", "cpu", "memory", "power", "fans", "fan", "disk", "temperature",
    "dns", "dhcp", "ntp", "snmp", "syslog", "aaa", "tacacs", "radius", "vpn", "ipsec", "tunnel", "tunnels", "lacp",
    "stp", "lldp", "cdp", "arp", "nd", "bfd", "vrrp", "hsrp", "mpls", "ldp", "rsvp", "isis", "eigrp", "rip", "pim",
    "igmp", "multicast", "traffic", "latency", "loss", "jitter", "routing", "router", "routers", "device", "devices",
    "host", "hosts", "switch", "switches", "box", "boxes", "node", "nodes", "you", "he", "she", "they", "we", "i",
    "doing", "going", "up", "down"})


def unheld_name(question: str, hosts: list[str], groups: list[str], domain: frozenset[str] = DOMAIN_WORDS) -> str | None:
    """The name a status or health question asks about ("is pod1 healthy?", "how is dc2 doing?") when
    the inventory has no device or group of that name and the same words about a device would read
    it; ``None`` for a protocol, a feature or the network as a whole ("is bgp healthy?", "is the
    network ok?"), and for anything else."""
    if not hosts:
        return None
    known = {h.lower() for h in hosts} | {g.lower() for g in groups}
    keywords = {w for spec in INTENTS.values() for w in spec["keywords"]}
    for m in _STATUS_SUBJECT.finditer(question):
        word = next(g for g in m.groups() if g).strip(".-'")
        low = word.lower()
        if not word or low in known or low in _NOT_A_NAME or low in domain or low in DOMAIN_WORDS or low in keywords \
                or low in CONFIG_SECTIONS or low in _OTHER_SESSION or low in _SPEC:
            continue
        if addresses(word) or INTERFACE_NAME.fullmatch(word) or (re.search(r"\d", word) and _not_a_device(word)):
            continue
        if _reads_known(question, word, hosts):
            return word
    return None


def _unheld_reason(word: str, hosts: list[str], groups: list[str]) -> str:
    shown = ", ".join(hosts[:12]) + (", ..." if len(hosts) > 12 else "")
    return f"{word} {NOT_IN_INVENTORY} (devices: {shown}; groups: {', '.join(sorted(groups)) or 'none'})"


def _reads_known(question: str, unknown: str, hosts: list[str]) -> bool:
    """Would ``question`` read a device if ``unknown`` were a known one ("any neighbours down on
    r7?" as "... on r1")? Then it is a device question about a device the inventory lacks."""
    known = re.sub(rf"(?<![\w.-]){re.escape(unknown)}(?![\w-])", hosts[0], question)
    return known != question and route(known, hosts).kind == "tool"
_DEVICE_REF = re.compile(r"(?:\b(?:on|of|at|from|for|to|with)\s+(?:router\s+|device\s+|host\s+|box\s+)?([\w.-]+)"
                         r"|\b([\w.-]+)'s\b)", re.IGNORECASE)


def _unknown_reason(unknown: "str | list[str]", hosts: list[str]) -> str:
    """The line for a device (or devices) the inventory does not have (starts with :data:`UNKNOWN_DEVICE`)."""
    names = [unknown] if isinstance(unknown, str) else list(unknown)
    said = " or ".join(repr(n) for n in names)
    if not hosts:
        return f"{UNKNOWN_DEVICE} {said}: netops knows no devices"
    shown = ", ".join(hosts[:12]) + (", ..." if len(hosts) > 12 else "")
    return f"{UNKNOWN_DEVICE} {said} in the inventory (it has: {shown}; `netops devices list` shows them)"


# what joins the items of a list of devices: "r2, r7", "r2 and r7", "r2/r7", "r2 & r7", "r2 or r7"
_LIST_SEP = re.compile(r"\s*(?:,|&|/|\+|\band\b|\bor\b|\bnor\b|\bplus\b)(?:\s*(?:,|&|and|or)\b)?\s*", re.IGNORECASE)
_LIST_ITEM = re.compile(r"(?<![\w.-])([\w.-]*[A-Za-z0-9])(?:'s)?(?![\w-])")


def _not_a_device(word: str) -> bool:
    """A word shaped like a host name (letters and a digit) that is a value, an address, an
    interface, a version or a protocol's number instead ("90s", "ospfv2", "eth0", "rfc4271")."""
    return not re.search(r"[a-z]", word, re.I) or not re.search(r"\d", word) or bool(addresses(word)) \
        or bool(INTERFACE_NAME.fullmatch(word)) \
        or bool(re.fullmatch(r"(?:ipv|v|ospfv|bgpv|snmpv|tlsv|rfc|as|asn|vlan|area|vni|vrf|vpn|port|tcp|udp|ieee|"
                             r"dot|qos|cos|dscp|ts|gen|sha|md)[\d.]+\w*", word, re.I)) \
        or bool(re.fullmatch(r"[123]-way|\d+x\d+\w*|\d{1,2}(?::\d\d)?(?:am|pm)", word, re.I)) \
        or bool(re.fullmatch(_QUANTITY, word, re.I))


def listed_unknown(question: str, hosts: list[str]) -> list[str]:
    """Names shaped like a device's, listed together with an inventory host ("r2, r7", "r2 and r7",
    "r9,r1", "r3/r8"), that the inventory does not have: they are not to be dropped in silence."""
    known = {h.lower() for h in hosts}
    items = [m for m in _LIST_ITEM.finditer(question) if m.group(1).lower() not in ("and", "or", "nor", "plus")]
    out: list[str] = []
    run: list[str] = []
    for i, m in enumerate(items):
        run.append(m.group(1))
        joined = i + 1 < len(items) and _LIST_SEP.fullmatch(question[m.end():items[i + 1].start()])
        if joined:
            continue
        if len(run) > 1 and any(w.lower() in known for w in run):
            out += [w for w in run if w.lower() not in known and not _not_a_device(w)]
        run = []
    return list(dict.fromkeys(out))


def drop_listed(question: str, names: list[str]) -> str:
    """``question`` without ``names`` and the list separators next to them ("on r2, r7?" -> "on r2?",
    "on r9,r1" -> "on r1")."""
    sep = r"(?:\s*(?:,|&|/|\+|\band\b|\bor\b|\bnor\b|\bplus\b))+\s*"
    for n in names:
        word = rf"(?<![\w.-]){re.escape(n)}(?:'s)?(?![\w-])"
        out = re.sub(sep + word, "", question, count=1, flags=re.IGNORECASE)  # "r2, r7": after a known one
        if out == question:
            out = re.sub(word + sep, "", question, count=1, flags=re.IGNORECASE)  # "r9,r1": before one
        question = out
    return question


_SHOW_LEAD = re.compile(r"^\W*(?:show|sh|display|get|list)\b", re.IGNORECASE)


def device_like(question: str) -> bool:
    """Does ``question`` read like one for a device (a protocol with a state or a device word,
    "are my bgp neighbours up?", or a show command, "show bgp summary"), rather than a knowledge
    question that names a protocol ("ospf dead interval?")?"""
    if _KNOWLEDGE_SHAPE.search(question):
        return False
    words = normalise(_WORD.findall(question.lower()), [])
    best = max((_score(words, spec["keywords"]) for spec in INTENTS.values()), default=0.0)
    return best > 3 or (best >= 3 and bool(_SHOW_LEAD.search(question)))


_QUANTITY = (r"\d+(?:\.\d+)?\s*(?:ms|us|ns|s|sec|secs|seconds?|m|min|mins|h|hrs?|d|k|kb|kbps|mb|mbps|g|gb|gbps|gig|"
             r"t|tb|x|pps|kpps|mpps|bytes?|bits?|b|%|ge|g-?lr|g-?sr)")
"""A number with a unit ("90s", "300ms", "10g", "9000b"): a value, never a device's name."""


def unknown_device(question: str, hosts: list[str], *, anywhere: bool = False) -> str | None:
    """A word in a device's place ("on r9", "r9's", "of core-sw1") shaped like a host name (letters
    and a digit, as inventory names are) that is not in the inventory, or None. ``anywhere``: any
    word of that shape ("drain r3"), for a change request, which names its device as an object."""
    known = {h.lower() for h in hosts}
    # "sh ip int br edge-fw-02": CLI style puts the device last, with no preposition
    last = re.search(r"\s([\w.-]+)\W*$", question)
    refs = [*_DEVICE_REF.finditer(question), *([last] if last else [])]
    if anywhere:
        refs += list(re.finditer(r"(?<![\w.-])([\w.-]+)", question))
    for m in refs:
        word = (m.group(1) or (m.group(2) if m.re is _DEVICE_REF else "") or "").strip(".-")
        if not word or word.lower() in known or _not_a_device(word):  # "stuck in 2-way", "90s", "10g": no device
            continue
        return word
    return None


def route_named(question: str, hosts: list[str], index: Any = None, domain: frozenset[str] = DOMAIN_WORDS,
                matcher: "Callable[[], SemanticMatcher | None] | None" = None) -> tuple[Route, list[str]]:
    """:func:`route` after devices named otherwise than by their inventory name (an address, a router
    id, a loopback, a local AS, a group; :mod:`netops.agent.device_refs`, from ``index``) are read
    back to that name; returns the route and one note per name read back ("198.51.100.2 read as r2
    (its eth-r1 address)"). A reference that no device matches, in a question that would read a
    device, is one clear line (an ``unknown`` route starting with :data:`UNKNOWN_DEVICE`). A BGP
    peer or an OSPF neighbour named by its address reads the routers that face it; the link
    between two routers shows each one's interfaces towards the other (the inventory's addresses)."""
    if (reach := reachability(question, hosts, index)) is not None:
        return reach, []
    if index is not None and (named_address := loopback_named(question, hosts, index)) is not None:
        # "r1 cant see r3's loopback", "does r2 have a route to r1's loopback?": that address looked up
        said, note = named_address
        r, notes = route_named(said, hosts, index, domain, matcher)
        if r.kind == "tool" and (r.args.get("prefix") or r.tool == "diagnose_route"):
            return r, [note, *notes]
    if (whatif := what_if(question, hosts, index)) is not None:
        return whatif, []  # "what would break if r1 eth-r2 went down?": what uses it now; nothing predicted
    if index is not None and (far := far_end(question, hosts, index, pair=False)) is not None:
        return far  # before the embedder's nearest example, which read r1's BGP sessions for it on the lab
    r, notes = _route_named(question, hosts, index, domain, matcher)
    if r.intent == "untyped" and r.args.get("topic") and index is not None:
        from netops.agent import untyped

        # the command for each device's own platform (FRR vtysh, IOS, Junos, ...)
        t = next(t for t in untyped.TOPICS if t.key == r.args["topic"])
        r.reason = untyped.line(t, list(r.args.get("hosts") or []), index.platforms)
    elif r.kind == "unknown" and r.intent is None and r.args.get("topic") and index is not None:
        from netops.agent import untyped

        r.reason += untyped.typed_hint(r.args["topic"], list(r.args.get("hosts") or []), index.platforms, r.reason)
    if index is not None and r.kind in ("unknown", "spec") and not names_unknown(r.reason) and not r.reason.startswith(
            ALL_LEFT_OUT) and (grouped := group_health(question, hosts, index.groups, domain)) is not None:
        return grouped  # "is the lab healthy?", "show bgp on the lab routers": the group's devices read
    if r.kind in ("unknown", "spec") and not names_unknown(r.reason) and not r.reason.startswith(ALL_LEFT_OUT) \
            and (whole := network_health(question, hosts, domain)) is not None:
        return whole, []  # "is everything healthy?", "network status": every device's health
    if r.kind in ("unknown", "spec") and not names_unknown(r.reason) and not r.reason.startswith(ALL_LEFT_OUT) \
            and (fleet := unreachable_everywhere(question, hosts, domain)) is not None:
        return fleet, []  # "customers cant reach 203.0.113.130": which routers have a route to it
    if index is not None and r.kind in ("unknown", "spec") and not names_unknown(r.reason) and not r.reason.startswith(
            ALL_LEFT_OUT) and (far := far_end(question, hosts, index)) is not None:
        return far  # "who is connected to r1 eth-r2?": that interface read, its far end from the inventory
    if index is not None and r.kind in ("unknown", "spec") and not names_unknown(r.reason) and not r.reason.startswith(
            ALL_LEFT_OUT) and (word := unheld_name(question, hosts, list(index.groups), domain)):
        # "is pod1 healthy?": a name the inventory does not hold, said as such (never a health claim)
        return Route("unknown", reason=_unheld_reason(word, hosts, list(index.groups))), []
    if index is not None and r.kind == "tool" and r.args.get("getter") == "interfaces" and not r.args.get("_names"):
        if facing := facing_interfaces(question, r.args.get("hosts") or [], hosts, index):
            r.args["_facing"] = facing
    return r, notes


def loopback_named(question: str, hosts: list[str], index: Any) -> tuple[str, str] | None:
    """``question`` with a device's loopback or router id said by name ("r3's loopback", "the loopback
    of r3", "r1's router id") written as the inventory's address for it, and a note saying so; None
    when none is said or the inventory gives none (route37: "r1 cant see r3's loopback" read both
    routers' interfaces)."""
    if not hosts:
        return None
    names = "|".join(sorted(map(re.escape, hosts), key=len, reverse=True))
    m = re.search(rf"\b(?P<h>{names})(?:'s|s)?\s+(?P<w>loopback|lo0?|router[- ]?id)(?:\s+(?:address|ip))?\b|"
                  rf"\b(?:the\s+)?(?P<w2>loopback|router[- ]?id)(?:\s+(?:address|ip))?\s+(?:of|on)\s+(?P<h2>{names})\b",
                  question, re.IGNORECASE)
    if m is None:
        return None
    host = next(h for h in hosts if h.lower() == (m.group("h") or m.group("h2")).lower())
    wanted = "loopback" if (m.group("w") or m.group("w2")).lower().startswith("lo") else "router id"
    own = {what: a for a, (h, what) in (getattr(index, "addresses", None) or {}).items()
           if h == host and ":" not in a}
    other = "router id" if wanted == "loopback" else "loopback"
    address = own.get(wanted) or own.get(other)
    if address is None:
        return None
    return (question[:m.start()] + address + question[m.end():],
            f"{m.group(0)} read as {address} (the inventory's {wanted if own.get(wanted) else other} of {host})")


# "ping r3 from r1", "can r1 reach r3?", "is r3 reachable from r2?", "traceroute from r1 to X",
# "trace the path from r3 to r1", "can r2 get to 10.9.9.9?"
_PROBE = re.compile(r"\b(?:ping(?:s|ed|ing)?|traceroute|tracert|trace(?:\s+the)?(?:\s+(?:path|route))?|"
                    r"reach\w*|get\s+to|latency|rtt|round[- ]trip|jitter|"
                    # "why is traffic from r1 to r3 going via r2?", "which path do packets from r1 to r3 take": the
                    # path between two devices, which the source's route to the target shows (lead, stop 37)
                    r"(?:traffic|packets?)(?=\s+from\s+\S+\s+(?:to|towards)\s))\b", re.IGNORECASE)  # reach, reached, reachable, "reachble"
# a probe command with nothing before it: "ping 203.0.113.2", "traceroute r3" (netops sends none itself)
_PROBE_LEAD = re.compile(r"^\W*(?:ping|traceroute|tracert|trace)\b", re.IGNORECASE)
# "the routes learned from r2", "the prefixes it received from r3": where routes came from, not a probe's source
_LEARNED_FROM = re.compile(r"\b(?:learn(?:ed|t|s)?|receiv(?:ed|es)|advertis(?:ed|es)|announc(?:ed|es)|sent|heard)\s+"
                           r"(?:\w+\s+){0,2}?from\s", re.IGNORECASE)
# "make r3 reachable from r1", "fix r1 so it can reach r3", "configure r1 to reach X via r2"
_MAKE_REACH = re.compile(r"\b(?:make|makes|fix|ensure|allow|permit|block|deny|configure|set\s+up|get)\b", re.IGNORECASE)
_TROUBLE = re.compile(r"\b(?:why|can'?t|cannot|can\s+not|not|unable|fail\w*|isn'?t|won'?t|doesn'?t|broken|lost)\b",
                      re.IGNORECASE)
# how much traffic, or traffic lost: not its path ("how much traffic from r1 to r3?", "traffic from r1 to r3 is dropped")
_VOLUME = re.compile(r"\bhow\s+much\b|\b(?:volume|rate|bandwidth|throughput|utili[sz]\w*|[kmg]?bps|load|drop\w*|lost|loss|"
                     r"block\w*|filter\w*|policed|shaped)\b", re.IGNORECASE)
_HOW_TO_PROBE = re.compile(r"^\s*(?:how|what|why|when|which\s+(?:command|option)s?|explain|define)\b", re.IGNORECASE)


def reachability(question: str, hosts: list[str], index: Any) -> Route | None:
    """A question whether one device reaches another or an address ("ping r3 from r1"). netops sends
    no probes on this path, so it is the source's route lookup for the target: an address as
    written, a device by its inventory loopback or router id (an ``unknown`` route naming what is
    missing when the inventory gives neither). ``_reach`` tells the answer to say where it came
    from. None for anything else, and for how-to questions ("how do I ping from a vrf?")."""
    verb = _PROBE.search(question)
    # "why is traffic from r1 to r3 going via r2?": the path asked about, why or how included
    path = verb is not None and re.match(r"traffic|packet", verb.group(0), re.IGNORECASE) is not None
    if verb is None or not hosts or (path and _VOLUME.search(question)) \
            or (not path and (_HOW_TO_PROBE.match(question) or _TROUBLE.search(question))):
        return None  # "r2 can't get to X, why?" is a diagnosis, not a lookup
    if _MAKE_REACH.search(question[:verb.start()]):
        return None  # "make r3 reachable from r1", "fix r1 so it can reach r3": a request
    if _LEARNED_FROM.search(question):
        return None  # "can r1 reach the routes learned from r2?": r2 is where they came from, not the source
    named = sorted(mentions(question, hosts))
    addrs = addresses(question)
    src = reach_source(question, hosts, verb)
    if src is None:
        if _PROBE_LEAD.match(question) and (addrs or named):
            # "ping 203.0.113.2", "traceroute r3": no router named to look it up on
            return Route("unknown", reason="netops sends no ping or traceroute itself; it reads a router's route to "
                                           "the target: from which router? (\"ping 203.0.113.2 from r1\")", asks=True)
        return None
    from netops.agent.peer_intent import vrf_in

    if (vrf := vrf_in(question)) is not None:
        return Route("unknown", reason=f"a reachability question in a VRF ({vrf}) is not answered yet: netops looks "
                                       f"the target up in the global routing table only")
    others = [h for pos, h in named if h != src
              # "... going via r2": the path's middle, not its end
              and not (path and re.search(r"\b(?:via|through|thru|over)\s+(?:the\s+)?$", question[:pos], re.IGNORECASE))]
    if addrs:
        address = addrs[0]
        owner = (index.addresses if index is not None else {}).get(address)
        target = f"{owner[0]}'s {owner[1]}" if owner else address  # "r1's loopback (203.0.113.1)"
    elif len(others) == 1:
        target = others[0]
        v6 = bool(re.search(r"\b(?:ipv6|v6|inet6)\b", question, re.IGNORECASE))
        own = {}
        for a, (h, what) in (index.addresses if index is not None else {}).items():
            if h == target and (":" in a) == v6:  # the family asked for: IPv4 unless the words say IPv6
                own.setdefault(what, a)
        address = own.get("loopback") or own.get("router id")
        if address is None and re.match(r"latency|rtt|round|jitter", verb.group(0), re.IGNORECASE):
            return None  # "latency r1 to r3": nothing measured, and what netops reads instead (untyped.probe_line)
        if address is None:
            return Route("unknown", reason=f"the inventory gives {target} no loopback or router id to look up on "
                                           f"{src}; ask with an address (\"can {src} reach 203.0.113.3?\")", asks=True)
    else:
        return None
    word = verb.group(0).split()[0].lower()
    word = "ping" if word.startswith("ping") else "traceroute" if word.startswith("trac") else "path" if path else word
    return Route("tool", "route", "get_state", {"hosts": [src], "getter": "route", "prefix": address,
                                                 "_reach": {"verb": word, "target": target, "address": address}},
                 score=3.0)


def reach_source(question: str, hosts: list[str], verb: "re.Match[str] | None" = None) -> str | None:
    """The router a reachability question asks from, or None: after "from" or IOS's "source"
    ("ping X source r3"); the one device before the verb ("can r1 reach r3?"); the first of two
    devices joined by "to" or an arrow ("trace r1 to r3", "r1 -> r2 reachable?"); or, with an
    address as the target, the device it is "on" ("ping 10.9.9.9 on r1")."""
    verb = verb or _PROBE.search(question)
    if verb is None or not hosts:
        return None
    names = "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True))

    def host(word: str) -> str:
        return next(h for h in hosts if h.lower() == word.lower())

    before = [h for pos, h in sorted(mentions(question, hosts)) if pos < verb.start()]
    if (source := re.search(rf"\b(?:from|source)\s+({names})\b", question, re.IGNORECASE)) is not None:
        return host(source.group(1))
    if len(before) == 1:  # "can r1 reach r3?", "can r1 reach the loopback on r3?": the subject
        return before[0]
    if (pair := re.search(rf"(?<![\w.-])({names})(?:'s)?\s*(?:-+>|=>|\u2192|\bto\b)\s*(?:{names}|[0-9a-fA-F]*[.:][0-9a-fA-F.:/]+)",
                          question, re.IGNORECASE)) is not None:
        return host(pair.group(1))  # "trace r1 to r3", "r1 -> r2 lo reachable?", "traceroute r3 to 203.0.113.1"
    if not before and addresses(question) and (source := re.search(rf"\b(?:on|at)\s+({names})\b", question,
                                                                    re.IGNORECASE)):
        return host(source.group(1))  # "ping 10.9.9.9 on r1"
    return None


_GROUP_NOUNS = r"(?:routers?|devices?|boxes|box|nodes?|hosts?|switch(?:es)?)"
# a group where a device goes: "on lab", "the lab routers", "group lab", "all lab routers"
_GROUP_PLACE = re.compile(r"\b(?:the|our|my|group|on|in|of|for|across|at|from|with|all|every|each)\s*$", re.IGNORECASE)


def _group_said(question: str, group: str) -> "re.Match[str] | None":
    """Where ``question`` names the inventory group ``group``, with the words around it that say it is
    one ("the lab routers", "group lab", "the lab group", "all routers in the lab group")."""
    return re.search(rf"(?:\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+)?(?:{_GROUP_NOUNS}\s+(?:in|of)\s+(?:the\s+)?)?)?"
                     rf"(?:\b(?:the|our|my)\s+)?(?:\bgroup\s+)?(?<![\w.-]){re.escape(group)}(?![\w-])"
                     rf"(?:\s+group\b)?(?:\s+{_GROUP_NOUNS}\b)?", question, re.IGNORECASE)


def group_health(question: str, hosts: list[str], groups: dict[str, list[str]],
                 domain: frozenset[str] = DOMAIN_WORDS) -> tuple[Route, list[str]] | None:
    """A question whose subject is an inventory group and no device. Health or status ("is the lab
    healthy?", "how is the lab doing?", "any problems in the lab group?", "is everything in group lab
    ok?"): the sweep of the group's devices (interfaces, BGP and OSPF, what is not up, counted), as "is
    the network healthy?" sweeps every device (its intent names the group). Another device question
    with the group in a device's place ("show bgp on the lab routers", "bgp summary for all lab
    routers"): that read on each of the group's devices, with a note saying so. None when the same
    words about one device would not read it, the question names a device, or it asks how things
    work ("how do I set up a bgp lab?")."""
    if not hosts or not groups or mentions(question, hosts):
        return None
    known = {h.lower() for h in hosts}
    for group, members in groups.items():
        read = [h for h in members if h in hosts]
        if group.lower() in known or not read:
            continue
        said = _group_said(question, group)
        if said is None:
            continue
        as_device = question[:said.start()] + hosts[0] + question[said.end():]
        r = route(as_device, hosts, domain)
        if r.kind != "tool" or r.args.get("hosts") != [hosts[0]]:
            continue
        if r.intent == "health":
            return (Route("tool", f"health of the group {group}", "get_state",
                          {"hosts": read, "getter": SWEEP_GETTERS[0], "_also": list(SWEEP_GETTERS[1:]),
                           "_filter": "down", "_found": True}, 4.0), [])
        # the group's name in a device's place, not a word of a how-to ("a bgp lab")
        placed = said.group(0).lower() != group.lower() or _GROUP_PLACE.search(question[:said.start()])
        if r.tool != "get_state" or not placed or _KNOWLEDGE_SHAPE.search(question):
            continue
        return (Route("tool", r.intent, r.tool, {**r.args, "hosts": read}, r.score, reason=r.reason),
                [f"{group} read as {', '.join(read)} (the inventory group {group})"])
    return None


# "show run | include X", "show running-config | i bgp on r1", "r3# sh run | begin router ospf": the
# line filters a CLI user types after the configuration read, up to a device named at the end
_CONFIG_PIPE = re.compile(r"(?<![\w|])\|\s*(?:include|inc|i|exclude|e|begin|section|sec|grep|match)\b.*$", re.IGNORECASE)


def config_pipe(question: str, hosts: list[str]) -> str | None:
    """The line filters said after a configuration read ("| include max-metric"), without a device
    the words name at their end ("... on r3", "... for r1"), or None."""
    m = _CONFIG_PIPE.search(question.strip())
    if m is None:
        return None
    pipe = m.group(0).strip().rstrip("?").strip()
    names = "|".join(map(re.escape, sorted(hosts, key=len, reverse=True)))
    if names:
        pipe = re.sub(rf"\s+(?:on|for|from|of|at)\s+(?:router\s+|device\s+)?(?:{names})\s*$", "", pipe,
                      flags=re.IGNORECASE).strip()
    return pipe if re.search(r"\|\s*\S+\s+\S", pipe) else None


# Whether the network settled: "is r2 converged?", "has the ospf change converged on r2?", "did the drain
# converge?", "has bgp converged yet?", "convergence status on r1". Not how or why it does ("how long does
# OSPF take to converge?", "what is BGP convergence?": the documents)
_CONVERGED = re.compile(r"^\W*(?:(?:so|and|ok(?:ay)?|now|hey|quick(?:\s+check)?)[,\s]+)*(?:(?:is|are|has|have|did)\b[^?!;]*?"
                        r"\bconverged?\b|(?:bgp\s+|ospf\s+|routing\s+)?convergence\s+(?:status|state|check)\b|"
                        r"(?:\S+\s+){0,3}converged\s+(?:yet|now|already)?\s*\?)", re.IGNORECASE)


def converged(question: str) -> list[str] | None:
    """The neighbour reads that say whether the network settled after a change, for a question that
    asks it ("is r2 converged?", "did the drain converge?"): BGP's session list and OSPF's adjacencies,
    or the one protocol named ("has the ospf change converged on r2?"); None for anything else."""
    if not _CONVERGED.search(question) or _KNOWLEDGE_SHAPE.search(question):
        return None
    words = set(_WORD.findall(question.lower()))
    bgp, ospf = bool(words & {"bgp", "ebgp", "ibgp", "peer", "peers", "sessions"}), "ospf" in words
    return ["bgp_neighbors"] if bgp and not ospf else ["ospf_neighbors"] if ospf and not bgp \
        else ["bgp_neighbors", "ospf_neighbors"]


# carrying traffic, or in service, said of the router itself ("is r3 still carrying traffic?"); not
# traffic to or from somewhere ("is r1 carrying traffic to r3?": a route question)
_IN_SERVICE = (r"(?:carrying|taking|passing|handling)\s+(?:any\s+|some\s+|real\s+|customer\s+|production\s+|live\s+)*"
               r"traffic(?!\s+(?:to|from|for|towards|via|through|between)\b)|in\s+(?:service|production)")
# A question whether a router is drained: "is r3 drained?", "is r3 still in maintenance?", "is traffic
# off r3?", "which routers are drained?", "is anything in maintenance mode?"
_DRAIN_STATE = re.compile(r"^\W*(?:(?:is|are|has|have)\b(?:\s+\S+){0,4}?\s+(?:still\s+|already\s+|currently\s+|"
                          r"now\s+|been\s+|really\s+)*(?:drained|in\s+maintenance(?:\s+mode)?|costed\s+out|isolated)|"
                          # "has r3 been undrained?", "is r3 back in service?", "is r3 out of maintenance?" (route37)
                          r"(?:is|are|has|have)\b(?:\s+\S+){0,4}?\s+(?:still\s+|already\s+|now\s+|been\s+|really\s+)*"
                          r"(?:undrained|back\s+in\s+(?:service|production)|out\s+of\s+maintenance(?:\s+mode)?|"
                          r"returned\s+to\s+service|put\s+back(?:\s+in(?:to)?\s+service)?|"
                          # "is r3 still carrying traffic?", "is r3 taking traffic again?", "is r3 in service?" (lead, stop 37)
                          + _IN_SERVICE + r")|"
                          r"(?:is|are)\s+(?:the\s+)?traffic\s+(?:off|drained\s+from)|(?:which|what|any)\s+(?:routers?|devices?|"
                          r"boxes|nodes?|hosts?)\s+(?:are|is)\s+(?:still\s+|currently\s+)?(?:drained|in\s+maintenance)|"
                          # "is max-metric set on r3?", "is bgp graceful-shutdown configured on r3?": one of the drain's lines
                          r"(?:is|are)\s+(?:the\s+)?(?:bgp\s+|ospf\s+)?(?:graceful[- ]shutdown|max[- ]metric(?:\s+router-lsa)?)"
                          r"(?:\s+\S+){0,3}?\s+(?:still\s+)?(?:set|configured|on|enabled|active|applied|in\s+place))\b",
                          re.IGNORECASE)



# Whether traffic left a router (after a drain): "did the traffic move off r3?", "has traffic shifted away from
# r3?", "is traffic still going via r3?", "is anything still routed through r3?"; the router is the one named
# after the preposition (the others' routes are read). Not "is traffic off r3?" / "drained from r3" (the drain state)
_MOVED_OFF = re.compile(r"\b(?:(?:did|has|have|is|are)\s+(?:all\s+|the\s+|any\s+)*traffic\s+(?:\S+\s+){0,2}?"
                        r"(?:moved?|shift(?:ed)?|gone|go|left|leave|come|came|failed\s+over|fail\s+over|re-?routed?)\s+"
                        r"(?:off(?:\s+of)?|away\s+from|out\s+of)|"
                        r"(?:is|are)\s+(?:the\s+|any\s+)?(?:traffic|anything|any\s+routes?|routes?)\s+(?:still\s+)?"
                        r"(?:going|flowing|routed|passing|sent)\s+(?:via|through|over|to)|"
                        # "which prefixes still point at r3?", "what routes still use r3?", "any routes still via r3" (lead)
                        r"(?:which|what|any)\s+(?:prefixes|routes|paths)\s+(?:are\s+|do\s+)?(?:still\s+)?"
                        r"(?:point(?:ing)?\s+(?:at|to)|us(?:e|ing)|via|through|go(?:ing)?\s+(?:via|through)))\s+(?P<host>[\w.-]+)",
                        re.IGNORECASE)


# What a named router carries, asked whole ("what's r3 carrying right now?", "what traffic is r3 carrying?",
# "how much traffic is r3 taking?"): netops reads no traffic counters; what decides whether a router carries
# traffic is whether it is drained (history37: the first read show version, the second no intent). Not
# traffic to or from somewhere ("what traffic is r1 carrying to r3?": the question ends at the verb) and
# not without a device named ("what does BGP carry?")
_CARRYING = re.compile(r"^\W*(?:(?:so|and|ok(?:ay)?|now|hey)[,\s]+)*(?:whats|what|how\s+much)(?:'s|\s+is|\s+does)?\s+"
                       r"(?:(?:traffic|load)\s+(?:is|does)\s+)?\S+\s+(?:still\s+|currently\s+|now\s+|really\s+|actually\s+)*"
                       r"(?:carrying|carry|taking|take|handling|handle|passing|pass)(?:\s+(?:any\s+|some\s+)?traffic)?"
                       r"(?:\s+(?:right\s+now|now|currently|at\s+the\s+moment|still|any\s*more|these\s+days))?\s*[?.!]*\s*$",
                       re.IGNORECASE)


# the opposite of drained said ("is r3 undrained?"): the state is read and said, with no yes or no on "drained"
_UNDRAINED = re.compile(r"\b(?:undrained|back\s+in\s+(?:service|production)|out\s+of\s+maintenance|returned\s+to\s+service|"
                        r"put\s+back|" + _IN_SERVICE + r")\b", re.IGNORECASE)


# Words that ask what should be, not what is ("is r1 supposed to be drained?", "is neighbor X meant to be
# shut?"): the state is read and shown, and no yes or no is given for it (a "No: r1 is not drained" read
# as "it is not meant to be")
_NOT_NOW = re.compile(r"\b(?:supposed|meant|expected|planned|scheduled|due|going|intended|allowed|required)\s+to\b|"
                      r"\bshould(?:n't|\s+not)?\b|\bought\s+to\b", re.IGNORECASE)


# A yes/no question about the state a change leaves on a BGP peer or an interface: "is neighbor
# 198.51.100.2 shut down on r1?", "is eth-r2 disabled on r1?", "is r3's BGP session to r1 shut?", "is the
# peer X admin down on r2?", "is r1's interface to r2 up?". The state word ends the question (with
# "on r1", "now", "yet" after it): "is it safe to shut down neighbor X?" and "... ? if so shut it" do not
_EFFECT_STATE = re.compile(
    r"^\W*(?:(?:so|and|ok(?:ay)?|now|quick(?:\s+check)?|hey)[,\s]+)*(?:is|are)\s+(?P<subject>[^\s?!;][^?!;]*?)\s+"
    r"(?:(?:still|already|currently|now|really|actually|definitely|indeed)\s+)*"
    r"(?P<state>(?:admin(?:istratively)?[\s-]*)?(?:shut(?:[\s-]*down)?|shutdown|disabled|enabled|down|up|no[\s-]shut|unshut))"
    r"(?:\s+(?:on|at)\s+[\w.:-]+?)?(?:\s+(?:right\s+now|now|yet|still|again|currently|already|at\s+the\s+moment))?"
    r"\s*[?.!]*\s*$", re.IGNORECASE)
# ... or whether any of them is shut: "is any interface shut on r2?", "are any peers shut down on r1?",
# "any bgp neighbours admin down on r1?", "are there any disabled interfaces on r2?", "are all peers
# enabled on r1?". Only the states a change sets (shut, disabled, admin down, enabled): "are any
# interfaces down on r1?" is the state filter's (the down ones). "shut any unused interface on r2" asks
# for a change (the verb comes first) and is not this.
_EFFECT_QUANTIFIED = re.compile(
    r"^\W*(?:(?:so|and|ok(?:ay)?|now|quick(?:\s+check)?|hey)[,\s]+)*(?:(?:is|are)\s+(?:there\s+)?)?"
    r"(?P<q>any|some|all|every)\s+(?:(?:of\s+)?(?:the|my|its|r\w*'s)\s+)?(?:(?P<shut>"
    r"(?:admin(?:istratively)?[\s-]*)?(?:shut(?:[\s-]*down)?|shutdown|disabled|enabled|no[\s-]shut|unshut))\s+)?"
    r"(?P<subject>[^\s?!;][^?!;]*?)"
    r"(?:\s+(?:still|already|currently|now|really|actually)){0,2}(?:\s+(?P<state>"
    r"(?:admin(?:istratively)?[\s-]*)?(?:shut(?:[\s-]*down)?|shutdown|disabled|enabled|no[\s-]shut|unshut)|"
    r"admin(?:istratively)?[\s-]*(?:down|up)))?"
    r"(?:\s+(?:on|at)\s+[\w.:-]+?)?(?:\s+(?:right\s+now|now|yet|still|again|currently|already|at\s+the\s+moment))?"
    r"\s*[?.!]*\s*$", re.IGNORECASE)
# ... whose subject is a session or an interface, not the asking ("is it safe to", "are we ok to")
_EFFECT_NOT_SUBJECT = re.compile(r"^(?:it|this|that|there|we|you|i)\b|\bto$|\b(?:safe|ok(?:ay)?|fine|possible|allowed)\b",
                                 re.IGNORECASE)
_EFFECT_PEER_WORDS = {"neighbor", "neighbors", "neighbour", "neighbours", "peer", "peers", "peering", "session",
                      "sessions", "nei", "nbr"}
_EFFECT_IF_WORDS = {"interface", "interfaces", "port", "ports", "link", "links", "int", "intf"}


def effect_state(question: str, ents: dict[str, list[str]] | None = None) -> str | None:
    """``"peer"`` or ``"interface"`` when ``question`` asks yes or no whether a BGP peer (named by
    its address, or as a session to a router) or an interface is shut / disabled / admin down / up,
    the state a change leaves, which the device's session list or interface table says; else None.
    One predicate for every phrasing: the router reads it, and the worded-change matcher stands aside."""
    m = _effect_match(question)
    if m is None or _EFFECT_NOT_SUBJECT.search(m.group("subject").strip()) or _KNOWLEDGE_SHAPE.search(question):
        return None
    subject = m.group("subject")
    words = set(_WORD.findall(subject.lower()))
    if words & _OTHER_SESSION:
        return None  # "is ospf nbr X up?", "is my ssh session to r1 up?": not a BGP session
    if words & {"any", "all", "every", "each", "some", "none", "no", "which", "what"}:
        return None  # "are any interfaces down on r1?": the down ones, as the state filter reads them
    if "q" in m.re.groupindex and not (words & (_EFFECT_PEER_WORDS | _EFFECT_IF_WORDS)):
        return None  # "are all changes enabled?": "any" / "all" of sessions or interfaces, said as such
    if ents is None:
        ents = {"addresses": addresses(subject), "interfaces": [x.group(1) or x.group(2)
                                                                for x in _INTERFACE_OR_LO.finditer(subject)]}
    said_if = bool(_INTERFACE_OR_LO.search(subject)) or bool(words & _EFFECT_IF_WORDS)
    if words & _EFFECT_PEER_WORDS or (addresses(subject) and not said_if):
        return "peer"
    return "interface" if said_if else None


def _effect_match(question: str) -> "re.Match[str] | None":
    """The yes/no shape of :func:`effect_state`: one peer or interface, or any / all of them, in a
    state a change sets (the quantified form needs that state said, before or after the subject)."""
    if (m := _EFFECT_QUANTIFIED.match(question)) is not None and bool(m.group("shut")) != bool(m.group("state")):
        return m
    return _EFFECT_STATE.match(question)


def effect_any(question: str) -> bool:
    """Does an :func:`effect_state` question ask whether *any* peer or interface is in the state
    ("is any interface shut on r2?", "are there any disabled interfaces?"), rather than one or all?"""
    m = _effect_match(question)
    return m is not None and "q" in m.re.groupindex and m.group("q").lower() in ("any", "some")


def effect_all(question: str) -> bool:
    """Does an :func:`effect_state` question ask whether *all* of them are in the state ("are all
    peers enabled on r1?"): one that is not makes the answer no, not "partly"."""
    m = _effect_match(question)
    return m is not None and "q" in m.re.groupindex and m.group("q").lower() in ("all", "every")


def effect_asked(question: str) -> str | None:
    """The state a yes/no question of :func:`effect_state` asks after, as netops reads it: ``"shut"``
    (shut, shutdown, disabled, admin down: shut by configuration), ``"enabled"`` (enabled, no shut,
    admin up), ``"down"`` (not up, for whatever reason) or ``"up"``; None when it is not one."""
    m = _effect_match(question)
    if m is None:
        return None
    said = re.sub(r"[\s-]+", " ", (m.group("state") or m.groupdict().get("shut") or "").lower()).strip()
    if not said:
        return None
    admin = said.startswith("admin")
    word = said.split()[-1]
    if said.startswith(("no ", "un")) or said.endswith("no shut"):  # "no shut", "unshut": enabled
        return "enabled"
    if word in ("shut", "shutdown", "disabled") or (admin and word == "down") or said.startswith("shut"):
        return "shut"
    if word in ("enabled", "unshut") or said.endswith("no shut") or (admin and word == "up"):
        return "enabled"
    return word if word in ("down", "up") else None


def effect_args(question: str, kind: str, targets: list[str], ents: dict[str, list[str]],
                hosts: list[str]) -> dict[str, Any]:
    """The read for :func:`effect_state`'s ``kind`` on ``targets``: the session list narrowed to
    the peer asked about (its address, or the session to the other router named), or the
    interfaces asked about (those named; else the link to the other router, by the inventory)."""
    named = list(targets)
    asked = {"_effect": state, **({"_any": True} if effect_any(question) else {"_all": True} if effect_all(question) else {})} \
        if (state := effect_asked(question)) and not _NOT_NOW.search(question) else {}
    far = [h for h in named if re.search(rf"\b(?:to|towards?|with|facing|faces|peers?|neighbou?rs?)\s+(?:the\s+)?"
                                         rf"(?:router\s+)?{re.escape(h)}(?![\w-])", question, re.IGNORECASE)]
    near = [h for h in named if h not in far] or named
    if kind == "interface":
        return {"hosts": near, "getter": "interfaces", "_filter": None, "_names": list(ents["interfaces"]), **asked}
    args: dict[str, Any] = {"hosts": near, "getter": "bgp_neighbors", **asked}
    if (peer := _peer_address(question) or (ents["addresses"][0] if len(ents["addresses"]) == 1 else None)):
        args.update(_peer_address=peer, _peer_name=peer)
    elif len(named) == 2:  # "is r3's session to r1 shut?": r3's side; "is the r1-r2 session down?": both
        args["_between"] = [near[0], far[0]] if len(near) == 1 and far else list(named)
    return args

# The network as a whole said as a health question's subject: "is everything healthy?", "how's the
# network?", "network status", "is the whole estate ok?"
_WHOLE_NETWORK = re.compile(r"\beverything\b|\b(?:(?:the|our|my)\s+)?(?:whole\s+|entire\s+)?(?:network|fleet|estate|internet)\b"
                            # no subject but trouble (trial36, 3 a.m.): "something is broken", "something's off",
                            # "customers say slow", "users complain it's slow"
                            r"|^\W*(?:(?:ok(?:ay)?|so|hey|help|guys)[,!\s]+)*(?:something|smth|sth|stuff|things)\b"
                            r"|^\W*(?:(?:the|our|my|some|a\s+few|many|lots\s+of)\s+)?(?:customers?|users?|clients?|people|subscribers?)\b"
                            r"|\b(?:the|our|my)\s+(?:whole\s+|entire\s+)?(?:fabric|backbone|core)\b", re.IGNORECASE)
# ... or no subject at all, in a few words that can only ask after health: "all good?", "health check"
_BARE_HEALTH = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|hey|and|now|please|quick|first|a)[,\s]+)*(?:all\s+(?:good|ok(?:ay)?|"
                          r"well|green|fine|clear)|(?:(?:a|quick)\s+)?(?:health|status)(?:\s+check)?)\W*$", re.IGNORECASE)


def network_health(question: str, hosts: list[str], domain: frozenset[str] = DOMAIN_WORDS) -> Route | None:
    """A health question about the network as a whole, naming no device ("is everything healthy?",
    "everything ok?", "how's the network?", "network status", "all good?", "health check"): the sweep
    of every device (interfaces, BGP and OSPF, what is not up, counted), as "what's down?" is. The test
    is the one for a device: the same words with a device in the subject's place (or after them, for
    a bare "all good?") must be that device's health read; anything else ("tell me everything about
    BGP") is not this. None when a device is named."""
    if not hosts or mentions(question, hosts):
        return None
    subject = _WHOLE_NETWORK.search(question)
    if subject is not None:
        as_device = question[:subject.start()] + hosts[0] + question[subject.end():]
    elif _BARE_HEALTH.search(question):
        as_device = f"{question.strip().rstrip('?!. ')} on {hosts[0]}"
    else:
        return None
    r = route(as_device, hosts, domain)
    if r.kind != "tool" or r.intent != "health" or r.args.get("hosts") != [hosts[0]]:
        return None
    return Route("tool", "health", "get_state", {"hosts": list(hosts), "getter": SWEEP_GETTERS[0],
                                                 "_also": list(SWEEP_GETTERS[1:]), "_filter": "down",
                                                 "_fleet": True, "_found": True}, 4.0)


# "customers cant reach X", "X is unreachable", "nobody can get to X", "is X reachable?": a destination
# that does not answer, no router named (trial36: "customers cant reach 203.0.113.130" searched the runbooks)
_UNREACHABLE = re.compile(r"\b(?:can'?t|cannot|can\s+not|could\s*n'?t|unable\s+to|not\s+able\s+to|no\s*(?:one|body)\s+can)\s+"
                          r"(?:reach|get\s+to|ping|connect\s+to|access)\b|\bun-?reachable\b|\b(?:is|are)\s+\S+\s+reachable\b"
                          r"|\bnot\s+reachable\b", re.IGNORECASE)


def unreachable_everywhere(question: str, hosts: list[str], domain: frozenset[str] = DOMAIN_WORDS) -> Route | None:
    """A destination said not to answer, with no router named ("customers cant reach 203.0.113.130",
    "203.0.113.128/25 is unreachable"): every device's route to it, as "which routers lack X?" reads it
    (which router has it, which lacks it; no ping is sent). None when a device is named, the words name
    no one address or prefix, or ask what a word means ("what does unreachable mean for 203.0.113.1?")."""
    if not hosts or mentions(question, hosts) or not _UNREACHABLE.search(question) \
            or re.search(r"\b(?:mean|means|meaning|rfc|define|explain)\b", question, re.IGNORECASE):
        return None
    found = entities(question, hosts)["addresses"]
    if len(found) != 1:
        return None
    r = route(f"which routers lack {found[0]}?", hosts, domain)
    return r if r.kind == "tool" and r.args.get("getter") == "route" else None


# what is at the other end of one interface: "who is connected to r1 eth-r2", "what is on the other end
# of eth-r2 on r1?", "where does eth-r2 on r1 go?", "which router is behind r1 eth-r3"; and the interface
# of one router towards another: "which port on r3 goes to r1?"
_FAR_END_ASK = re.compile(r"\b(?:connected|connects|attached|plugged|cabled|patched|(?:other|far)\s+(?:end|side)|behind|"
                          r"terminates?)\b|\b(?:goes|go|leads?|lands?|runs?)\s+to\b|\bwhere\s+(?:does|do|is|did)\b|"
                          r"\b(?:who|what)(?:'?s|\s+is)\s+on\b", re.IGNORECASE)


# "what would break if ...", "what happens if ...", "would r2 be converged if ...", "what's the impact of ..."
_WHAT_IF = re.compile(
    r"^\W*(?:(?:so|and|ok|hmm)[,\s]+)?(?:what\s+(?:would|will|could|might)\s+(?:break|happen|fail|go\s+down|stop\s+working|be\s+"
    r"(?:affected|impacted|lost|the\s+(?:impact|effect)))|what\s+(?:happens|breaks|fails)|what(?:'s|\s+is|\s+would\s+be)\s+"
    r"the\s+(?:impact|blast\s+radius|effect|damage)|what\s+if\b|(?:would|will)\s+\S+(?:\s+\S+){0,4}?\s+(?:be|stay|still\s+be|"
    r"remain)\s+(?:converged|ok|okay|fine|up|reachable|healthy|affected|impacted)|(?:would|will)\s+(?:anything|something|"
    r"traffic|routing|bgp|ospf)\s+(?:break|fail|drop|go\s+down)|(?:is|would)\s+it\s+(?:be\s+)?safe\s+to)\b", re.IGNORECASE)
# the event supposed: an interface or a link going down, shut, cut or failing; a router going down
_SUPPOSED = re.compile(r"\b(?:if|when|once|after|safe\s+to)\b[^?]*?\b(?:shut\w*|went\s+down|goes\s+down|go\s+down|gone\s+down|"
                       r"fail(?:s|ed)?|dies|died|cut|unplug\w*|disabled?|disconnect\w*|(?:is|was|were|got)\s+(?:down|"
                       r"removed|lost|cut)|lose|lost|reboot\w*|reload\w*|crash\w*|power(?:ed)?\s+(?:off|down))\b",
                       re.IGNORECASE)


def what_if(question: str, hosts: list[str], index: Any = None) -> Route | None:
    """A question what would happen if an interface, a link or a router went down ("what would break if
    r1 eth-r2 went down?", "would r2 be converged if I shut eth-r1?", "what happens if r2 fails?"):
    netops predicts nothing (it simulates no network and changes nothing to find out), so it reads
    what uses that interface or router now (the interface, the BGP sessions and the OSPF adjacencies)
    and says so first (``_whatif``); no playbook is planned. A drain or another vetted change asked
    about ("what happens if I drain r3?") is the change path's (its dry run); None otherwise."""
    if not _WHAT_IF.search(question) or not (event := _SUPPOSED.search(question)):
        return None
    if re.search(r"\b(?:un)?drain\w*|\bcost\b|\bdescription\b|\bstatic\b|\bsoft\b|\bclear\w*|\bneighbou?rs?\b|\bpeers?\b|"
                 r"\bsessions?\b", question, re.IGNORECASE):
        return None  # a vetted change's own words: its dry run says what it would send and check
    supposed = question[event.start():]
    ents = entities(supposed, hosts, joined=True)
    named = ents["hosts"] or entities(question, hosts, joined=True)["hosts"]
    if not named:
        return None
    ifaces = ents["interfaces"]
    if ifaces and len(named) > 1:
        named = [h for h in named if re.search(rf"\b{re.escape(h)}(?:'s)?\s+{re.escape(ifaces[0])}\b|\b{re.escape(ifaces[0])}"
                                                rf"\s+(?:on|of)\s+{re.escape(h)}\b", question, re.IGNORECASE)] or named[:1]
    if len(named) == 2 and not ifaces and index is not None and re.search(r"\blink\b", supposed, re.IGNORECASE):
        names = index.facing(named[0], named[1]) or []  # "if the link between r1 and r3 fails": r1's side of it
        ifaces, named = names[:1], named[:1]
    host = named[0] if len(named) == 1 else None
    if host is None:
        return None
    thing = f"{host} {ifaces[0]}" if ifaces else host
    far = ""
    if ifaces and index is not None and (ends := index.far_ends(host, ifaces[0])):
        far = f" ({thing} is on a link with {', '.join(f'{h} {n}' for h, n in ends)}, by the inventory's addresses)"
    line = (f"**netops does not predict this:** it simulates no network and changes nothing to find out. What it can "
            f"say is what uses {thing} now{far}: "
            + (f"the interface, and {host}'s BGP sessions and OSPF adjacencies (those over it go down with it), read below."
               if ifaces else f"{host}'s interfaces, BGP sessions and OSPF adjacencies (its peers lose those), read below.")
            + " No vetted playbook was planned; a change netops can make is asked for in its own words, and its dry "
              "run says what it would send and check.")
    args: dict[str, Any] = {"hosts": [host], "getter": "interfaces", "_filter": None,
                            "_also": ["bgp_neighbors", "ospf_neighbors"], "_found": True, "_whatif": line}
    if ifaces:
        args["_names"] = list(ifaces[:1])
    return Route("tool", "what uses it now (nothing predicted)", "get_state", args, 5.0)


_MTU_MISMATCH = re.compile(r"\bmtu\s+(?:mis-?match\w*|problems?|issues?|differen\w*|wrong|inconsisten\w*)|"
                           r"\bmis-?match\w*\s+(?:in\s+|of\s+)?(?:the\s+)?mtus?\b", re.IGNORECASE)
# a read asked for in a few words, naming no device: "show logs", "show me the arp table", "check cpu"
_BARE_READ = re.compile(r"^\W*(?:(?:please|pls|now|ok)\s+)*(?:show|display|get|list|check|view|see|print|dump|tail|read|"
                        r"give\s+me|any)\b(?:\s+(?:me|us|the|all|my|our|recent|latest|last|new))*(?:\s+[\w-]+){1,3}\W*$",
                        re.IGNORECASE)


def far_end(question: str, hosts: list[str], index: Any, pair: bool = True) -> tuple[Route, list[str]] | None:
    """One router and one of its interfaces named, and what is at the link's other end asked ("who is
    connected to r1 eth-r2?": no known intent before): that interface read, and a note placing the
    far end by the inventory's addresses (netops reads no LLDP or CDP). None otherwise, or when the
    inventory places no host on that link (the read alone would not answer). ``pair``: also one
    router's interface towards another named one."""
    if _KNOWLEDGE_SHAPE.search(question) or not _FAR_END_ASK.search(question):
        return None
    named = [h for _, h in sorted(mentions(question, hosts, joined=True))]
    ifaces = entities(question, hosts)["interfaces"]
    if pair and len(named) == 2 and not ifaces and re.search(r"\b(?:ports?|interfaces?|intf|links?|uplinks?)\b", question, re.I):
        # "which port on r3 goes to r1?": r3's interfaces on a link with r1
        far = [h for h in named if re.search(_FAR_END.format(h=re.escape(h)), question, re.IGNORECASE)]
        near = [h for h in named if h not in far]
        if len(near) == 1 and len(far) == 1 and (names := index.facing(near[0], far[0])):
            return Route("tool", "interfaces", "get_state", {"hosts": near, "getter": "interfaces", "_filter": None,
                                                             "_names": names}, 3.0), []
        return None
    if len(named) != 1 or len(ifaces) != 1:
        return None
    host, name = named[0], ifaces[0]
    ends = index.far_ends(host, name)
    if not ends:
        return None
    far = ", ".join(f"{h} {n}" for h, n in ends)
    note = (f"{host} {name} is on a link with {far} (the same subnet, by the inventory's addresses; "
            "netops reads no LLDP or CDP)")
    return Route("tool", "interfaces", "get_state", {"hosts": [host], "getter": "interfaces", "_filter": None,
                                                     "_names": [name]}, 3.0), [note]


def facing_interfaces(question: str, read: list[str], hosts: list[str], index: Any) -> dict[str, list[str]] | None:
    """For a question about the link between two named routers ("the link between r2 and r3", "the
    r1-r2 link", "which port on r3 goes to r1"): each read router's interfaces on a link it shares
    with the other one, from the inventory's interface addresses; None when the question relates
    no two routers or the inventory does not place the link."""
    named = [h for _, h in sorted(mentions(question, hosts, joined=True))]
    if len(named) != 2 or not read:
        return None
    far = [h for h in named if re.search(_FAR_END.format(h=re.escape(h)), question, re.IGNORECASE)]
    if related_pair(question, hosts) is None and not far:
        return None
    out = {}
    for h in read:
        if h not in named:
            return None
        names = index.facing(h, named[1] if h == named[0] else named[0])
        if not names:
            return None
        out[h] = names
    return out


# A protocol other than BGP named next to "session" ("my ssh session to X"): not a routing session
_OTHER_SESSION = {"ssh", "telnet", "netconf", "http", "https", "tcp", "udp", "snmp", "bfd", "ldp", "rsvp", "isis",
                  "ospf", "console", "vty", "tls", "ipsec", "gre", "vpn", "rdp", "sftp", "ftp", "tacacs", "radius"}
_RESET = {"reset", "resets", "reestablish", "re-establish", "kick", "kill", "terminate"}


def _peer_route(question: str, hosts: list[str], index: Any, domain: frozenset[str]) -> tuple[Route, list[str]] | None:
    """A BGP peer or an OSPF neighbour named by its address with no router named ("is the bgp peer at
    X up?", "the session with X", "is the ospf neighbour X full?"): the routers that face X (from the
    inventory), their sessions or adjacencies narrowed to X; None when the question is not that."""
    peer = _peer_address(question)
    if peer is None:
        return None
    # the same words about a known device: which neighbour table would they read?
    asked = route(f"{question} on {hosts[0]}", hosts, domain)
    getter = asked.args.get("getter") if asked.kind == "tool" and not asked.args.get("_router_id") else None
    words = set(_WORD.findall(question.lower()))
    if getter == "ospf_neighbors":
        found = index.link_hosts(peer)
        on = list(dict.fromkeys(h for h, _ in found)) or list(hosts)
        note = (f"the OSPF neighbour {peer} looked up on " + ", ".join(f"{h} ({how})" for h, how in found) if found else
                f"no inventory host has a link to {peer} or shares one with the router that has it: every router's "
                f"OSPF neighbours were read for it")
        return Route("tool", "ospf_neighbors", "get_state", {"hosts": on, "getter": "ospf_neighbors",
                                                             "_neighbour": peer}, asked.score), [note]
    if getter != "bgp_neighbors":
        # "state of the session with X": no protocol named, but the inventory has X as a BGP peer
        if asked.kind == "change" or not words & {"session", "sessions", "peering"} or words & (_OTHER_SESSION | _RESET) \
                or not index.peer_hosts(peer):
            return None
        asked = Route("tool", "bgp_neighbors", "get_state", {}, 3.0)
    found = index.peer_hosts(peer)
    on = list(dict.fromkeys(h for h, _ in found)) or list(hosts)
    note = (f"the BGP peer {peer} looked up on " + ", ".join(f"{h} ({how})" for h, how in found) if found else
            f"no inventory host lists {peer} as a BGP neighbour or has a link to it: every router's "
            f"sessions were read for it")
    args = {**{k: v for k, v in asked.args.items() if k in ("vrf", "_reset", "_found")}, "hosts": on, "getter": "bgp_neighbors",
            "_peer_address": peer, "_peer_name": peer}
    return Route("tool", "bgp_neighbors", "get_state", args, asked.score), [note]


def _route_named(question: str, hosts: list[str], index: Any, domain: frozenset[str],
                 matcher: "Callable[[], SemanticMatcher | None] | None") -> tuple[Route, list[str]]:
    if index is None or not hosts:
        return route(question, hosts, domain, matcher), []
    from netops.agent.device_refs import resolve, unknown_group

    res = resolve(question, index)
    # a device named beside a group word ("the bgp neighbors on r1 in group EXT"): EXT is the device's
    # own business (a BGP peer group), not an inventory group asked about
    unknown = res.unknown or (None if mentions(question, hosts) else unknown_group(question, index))
    if unknown:
        # only a question that asks for device state: the same words about a known device would read it
        if route(f"{question} on {hosts[0]}", hosts, domain).kind == "tool":
            return Route("unknown", reason=unknown), []
        return route(question, hosts, domain, matcher), []
    if not entities(res.question, hosts, joined=True)["hosts"] and (peered := _peer_route(question, hosts, index, domain)):
        return peered
    if res.notes:
        asked = route(question, hosts, domain)
        read = {n.split(" read as ", 1)[0] for n in res.notes}
        if asked.kind == "tool" and asked.args.get("getter") == "route" and asked.args.get("prefix") in read:
            # "show ip route to loopback X on r1": a named device asked for its route to X, not X's owner
            return route(question, hosts, domain, matcher), []
        r = route(res.question, hosts, domain, matcher)
        if r.kind == "tool":
            return r, res.notes
    return route(question, hosts, domain, matcher), []
