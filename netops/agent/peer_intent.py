"""Questions about the routes one router exchanges with one BGP peer, and where they go.

"which prefixes does r1 advertise to r2", "what is r1 sending r2", "routes r2 receives from r3",
"what does r3 announce to r1" -> ``get_state`` with ``bgp_advertised`` / ``bgp_received`` on the
router asked about (``hosts``), the other end as ``peer`` (a host name, resolved on the router
by netops, or the peer's address), and ``vrf`` when the question names one ("in vrf CUST-A"). A route diagnosis ("why is r2 not learning P") is decided
before this (``route_tool``), and a request ("advertise P to r2") is not a question: it is left alone.
"What routes go from r1 to r3" is what r1 advertises to r3. "Who is sending P to r1", "which peer
gives r1 P" ask which of r1's peers sends it P: r1's routes from every peer (``peer="all"``), decided
before the route diagnosis (:func:`who_sends_args`); "who advertises P" with no receiver is not that.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

_SEND = r"advertis\w*|announc\w*|send(?:s|ing)?|sent|export\w*|propagat\w*"
_TAKE = r"receiv\w*|learn\w*|learnt|gets?|getting|got|accept\w*|import\w*|hear\w*"
# "what's r1 telling r2 about?", "what is r3 passing on to r2?", "what is r1 giving r3?": sending, said
# only with the peer named (a router "passes" a check, "gives" an error)
_TELL = r"tell(?:s|ing)|told|pass(?:es|ing|ed)?(?:\s+(?:on|along))?|giv(?:es|ing)|gave|feed(?:s|ing)?|fed"
_VERB = re.compile(rf"\b(?:(?P<send>{_SEND})|(?P<take>{_TAKE})|(?P<tell>{_TELL}))\b", re.IGNORECASE)
# "how many routes does r1 have from r3?", "which prefixes does r2 hold from 198.51.100.5": routes a
# router has *from* a peer are what it received; "have" alone is not ("does r1 have a route to r3?")
_HAVE_FROM = re.compile(r"\b(?:routes?|prefix\w*|paths?|networks?|nlri)\b.*?\b(?P<take>ha(?:ve|s|d)|hold(?:s|ing)?|"
                        r"carr(?:y|ies|ying))\b(?=.*?\bfrom\b)", re.IGNORECASE)
_HAVE = re.compile(r"(?P<take>\w+)(?P<send>(?!))?(?P<tell>(?!))?")  # that verb alone, as _VERB gives it
# "how does r1 get to 10.0.0.1" asks about reachability; "send pings/traffic" is not about routes
_NOT_ROUTES = re.compile(r"\bget(?:s|ting)?\s+to\b|\b(traffic|packets?|pings?|probes?|logs?|syslog|traps?|"
                         r"e-?mails?|flows?|keepalives?|messages?)\b", re.IGNORECASE)
_ASKING = re.compile(r"\b(what|which|why|how|show|list|display|tell|give|does|do|did|is|are|was|were|any|"
                     r"(?:is|are|does|do|did|was|were)n't|"
                     r"routes?|prefix\w*|paths?|networks?|nlri)\b|\?", re.IGNORECASE)
_BY = re.compile(r"\s*by\s+$", re.IGNORECASE)
_PEER_WORD = re.compile(r"(\bto|\bfrom|\bpeers?|\bneighbou?rs?|\bsending|\bsends?)\s+(the\s+)?$", re.IGNORECASE)
# "in vrf CUST-A", "vrf: CUST-A", "the CUST-A vrf", "routing instance CUST-A"
_VRF_AFTER = re.compile(r"\b(?:vrf|vpn-instance|routing[- ]instance)\s*:?\s+(?P<name>[A-Za-z0-9][\w.:-]*)", re.IGNORECASE)
_VRF_BEFORE = re.compile(r"\b(?:the|in|of|for)\s+(?P<name>[A-Za-z0-9][\w.:-]*)\s+(?:vrf|routing[- ]instance)\b",
                         re.IGNORECASE)
_NOT_A_VRF = frozenset({"is", "are", "was", "the", "a", "an", "and", "or", "to", "from", "in", "on", "of", "for",
                        "with", "does", "do", "has", "have", "table", "routes", "route", "peer", "peers",
                        "neighbor", "neighbors", "neighbour", "neighbours", "sessions", "session", "which", "what",
                        "this", "that", "each", "every", "all", "its", "same", "other", "bgp"})


def vrf_in(question: str) -> str | None:
    """The VRF a question names ("... in vrf CUST-A", "the CUST-A vrf"), or ``None``."""
    for rx in (_VRF_AFTER, _VRF_BEFORE):
        for m in rx.finditer(question):
            name = m.group("name").rstrip(".:-")
            if name and name.lower() not in _NOT_A_VRF:
                return name
    return None


def _peer_addresses(question: str, addresses: list[str]) -> list[tuple[int, str]]:
    """Bare addresses (not prefixes) right after "to", "from", "peer", "neighbour"."""
    out = []
    for a in addresses:
        if "/" in a:
            continue
        for m in re.finditer(rf"(?<![\w:.]){re.escape(a)}(?![\w:])", question):
            if _PEER_WORD.search(question[:m.start()]):
                out.append((m.start(), a))
    return out


# The CLI's own words: "sh ip bgp nei 198.51.100.2 advertised-routes on r1", "show bgp neighbors r3
# received-routes r2" (Cisco/FRR), with the device asked named anywhere else in the line
_CLI = re.compile(r"\bnei\w*\s+(?P<peer>[\w.:-]+)\s+(?:(?P<send>advertised-routes)|(?P<take>received-routes|routes))\b",
                  re.IGNORECASE)
_DEFAULT_ROUTE = re.compile(r"\bdefault(?:\s+|-)(?:route|gateway|prefix)\b|\bdefault-originate\b", re.IGNORECASE)
_V6 = re.compile(r"\b(?:ipv6|v6|inet6)\b", re.IGNORECASE)


def _cli_args(question: str, ents: dict[str, list[str]]) -> dict[str, Any] | None:
    from netops.agent.router import mentions

    m = _CLI.search(question)
    if m is None:
        return None
    peer = m.group("peer")
    devices = [h for _, h in sorted(mentions(question, ents.get("hosts", []))) if h.lower() != peer.lower()]
    if len(devices) != 1:
        return None
    return {"hosts": devices, "getter": "bgp_advertised" if m.group("send") else "bgp_received", "peer": peer}


# The routes as a noun, the way the CLI and the RFCs name them: "advertised-routes",
# "received routes", "adv-routes", "rx routes", "Adj-RIB-Out" / "Adj-RIB-In"
_NOUN = re.compile(r"\b(?:(?P<send>advertised|announced|sent|exported|adv|tx)|(?P<take>received|learned|learnt|"
                   r"accepted|imported|rx))[\s-]+(?:routes?|prefix(?:es)?|paths?|nlri)\b|"
                   r"\badj-?rib-?(?:(?P<out>out)|(?P<in>in))\b", re.IGNORECASE)


def _noun_args(question: str, ents: dict[str, list[str]]) -> dict[str, Any] | None:
    """"r2 advertised-routes to r3", "adj-rib-in of r2 from r1": the router is the device named
    before the noun, else the first one after it; the peer is the other end named after it."""
    from netops.agent.router import mentions

    m = _NOUN.search(question)
    if m is None or _NOT_BGP.search(question) or _NOT_ROUTES.search(question):
        return None
    hosts = sorted(mentions(question, ents.get("hosts", [])))
    ends = sorted(hosts + _peer_addresses(question, ents.get("addresses", [])))
    before = [h for h in hosts if h[0] < m.start()]
    after = [e for e in ends if e[0] >= m.end()]
    if before:
        subject, rest = before[-1], after
    elif after and after[0] in hosts:
        subject, rest = after[0], after[1:]
    else:
        return None
    peer = next((name for _, name in rest if name != subject[1]), None)
    if peer is None:
        return None
    send = bool(m.group("send") or m.group("out"))
    return {"hosts": [subject[1]], "getter": "bgp_advertised" if send else "bgp_received", "peer": peer}


def peer_route_args(question: str, ents: dict[str, list[str]]) -> dict[str, Any] | None:
    """``{"hosts": [router], "getter": "bgp_advertised"|"bgp_received", "peer": ...}`` (plus
    ``_prefixes``, the prefixes the question names, to pick from the answer, and ``family``
    ``ipv6`` when the question says so) or ``None``."""
    args = _peer_route_args(question, ents)
    if args is not None and _V6.search(question):
        args["family"] = "ipv6"  # "what is r1 advertising to r2 for ipv6"
    return args


def _peer_route_args(question: str, ents: dict[str, list[str]]) -> dict[str, Any] | None:
    from netops.agent.router import mentions

    if (cli := _cli_args(question, ents) or _noun_args(question, ents)) is not None:
        if (vrf := vrf_in(question)) is not None:
            cli["vrf"] = vrf
        return cli
    if (flow := _flow_args(question, ents)) is not None:
        return flow
    verb = _VERB.search(question)
    if verb is None and (have := _HAVE_FROM.search(question)) is not None:
        verb = _HAVE.match(question, have.start("take"))
    if verb is None or _NOT_ROUTES.search(question) or _NOT_BGP.search(question) \
            or not _ASKING.search(question[:verb.start()] or "?"):
        return None  # "how many LSAs is r1 advertising to r2?" is OSPF's
    if not question[:verb.start()].strip():  # "advertise 10.0.0.0/8 to r2": a request, not a question
        return None
    hosts = sorted(mentions(question, ents.get("hosts", [])))
    ends = sorted(hosts + _peer_addresses(question, ents.get("addresses", [])))
    subject = None
    after = question[verb.end():]
    for pos, name in ends:  # passive: "routes advertised by r1 to r2", "prefixes sent to r2 by r1"
        if pos >= verb.end() and (pos, name) in hosts and (_BY.fullmatch(question[verb.end():pos])
                                                           or re.search(r"\bby\s+(?:the\s+)?$", question[:pos], re.I)):
            subject = (pos, name)
            break
    speakers: list[str] = []
    if subject is None:
        before = [h for h in hosts if h[0] < verb.start()]
        if not before:
            return None
        subject = before[-1]
        # "what are r1 and r3 advertising to r2?": both speakers, the one peer
        for (p0, n0), (p1, _) in zip(before[-2::-1], before[:0:-1]):
            if not _JOINED.fullmatch(question[p0 + len(n0):p1]):
                break
            speakers.insert(0, n0)
    peer = next((name for pos, name in ends if pos >= verb.end() and (pos, name) != subject
                 and name != subject[1]), None)
    named = list(dict.fromkeys(name for pos, name in ends if pos >= verb.end() and name != subject[1]))
    if len(named) > 1:  # "what is r1 advertising to r2 and r3?": each peer's routes, those named shown
        peer = "all"
    if peer is None and _every_peer(question, verb, after):
        peer = "all"  # "what is r3 advertising?", "does r1 send 10.0.0.0/8 to anyone?": each peer's routes
    if peer is None or (peer != "all" and not after.strip()) or (verb.group("tell") and peer == "all"):
        return None
    args: dict[str, Any] = {"hosts": [*speakers, subject[1]] if peer != "all" else [subject[1]],
                            "getter": "bgp_received" if verb.group("take") else "bgp_advertised", "peer": peer}
    if len(named) > 1:
        args["_peers"] = named
    if (vrf := vrf_in(question)) is not None:
        args["vrf"] = vrf
    prefixes = [a for a in ents.get("addresses", []) if "/" in a and _is_prefix(a)]
    if not prefixes and _DEFAULT_ROUTE.search(question):  # "does r1 advertise a default route?"
        prefixes = ["::/0" if _V6.search(question) else "0.0.0.0/0"]
    if prefixes:
        args["_prefixes"] = prefixes
    return args


_JOINED = re.compile(r"\s*(?:,|,?\s*and|&|/|\bor)\s*", re.IGNORECASE)

# "what routes go from r1 to r3?", "which prefixes flow from r2 to r1": what the first advertises to the second
_FLOW = re.compile(r"\b(?:routes?|prefix(?:es)?|paths?|networks?|nlri|updates?)\b(?:\s+\w+){0,3}?\s+(?:go(?:es)?|going|went|"
                   r"flow\w*|pass(?:es|ing)?|travel\w*|mov(?:e|es|ing)|cross\w*|(?:are|get|gets|being)\s+sent)\s+"
                   r"from\s+(?:router\s+)?(?P<a>[\w.-]+)\s+(?:to|towards|into|over\s+to)\s+(?:router\s+)?(?P<b>[\w.-]+)",
                   re.IGNORECASE)


def _flow_args(question: str, ents: dict[str, list[str]]) -> dict[str, Any] | None:
    m = _FLOW.search(question)
    # (the verb "flow" is no traffic flow: only the words around the match are looked at for that)
    if m is None or _NOT_ROUTES.search(question[:m.start()] + " " + question[m.end():]) or _NOT_BGP.search(question):
        return None
    known = {h.lower(): h for h in ents.get("hosts", [])}
    a, b = known.get(m.group("a").lower()), known.get(m.group("b").lower())
    if a is None or b is None or a == b:
        return None
    return {"hosts": [a], "getter": "bgp_advertised", "peer": b}


# "who is sending P to r1?", "which peer gives r1 P?", "who's advertising P to r2?": the sender is asked for,
# the receiver named; "which neighbor is r1 learning P from?", "which peer does r2 get P from?"
_ASKED_SENDER = (r"^\W*(?:who|which\s+(?:(?:bgp|ebgp|ibgp)\s+)?(?:peers?|neighbou?rs?|nbrs?|routers?|devices?|"
                 r"sessions?|one|ones|AS|ASN)|what\s+(?:peers?|neighbou?rs?|routers?))")
_WHO_SENDS = re.compile(_ASKED_SENDER + rf"(?:'s|\s+(?:is|are|was|were|does|do|did))?\s+(?:currently\s+|still\s+|now\s+)?"
                        rf"(?P<verb>{_SEND}|{_TELL})\s+(?P<rest>.*)$", re.IGNORECASE)
_FROM_WHOM = re.compile(_ASKED_SENDER + rf"\s+(?:is|are|was|were|does|do|did)\s+(?P<host>[\w.-]+)\s+(?:\w+\s+)?"
                        rf"(?:{_TAKE})\b.*\bfrom\W*$", re.IGNORECASE)


def who_sends_args(question: str, ents: dict[str, list[str]]) -> dict[str, Any] | None:
    """"who is sending P to r1?": ``{"hosts": [r1], "getter": "bgp_received", "peer": "all"}`` (with
    ``_prefixes``, the prefixes asked about), what r1 takes from each of its peers; else None."""
    if _NOT_ROUTES.search(question) or _NOT_BGP.search(question):
        return None
    from netops.agent.router import mentions

    known = {h.lower(): h for h in ents.get("hosts", [])}
    host = None
    if (m := _FROM_WHOM.search(question)) is not None:
        host = known.get(m.group("host").lower())
    elif (m := _WHO_SENDS.search(question)) is not None:
        named = list(dict.fromkeys(h for _, h in sorted(mentions(m.group("rest"), ents.get("hosts", [])))))
        if len(named) == 1:
            host = named[0]
    if host is None:
        return None
    args: dict[str, Any] = {"hosts": [host], "getter": "bgp_received", "peer": "all"}
    if prefixes := [a for a in ents.get("addresses", []) if "/" in a and _is_prefix(a)]:
        args["_prefixes"] = prefixes
    if _V6.search(question):
        args["family"] = "ipv6"
    return args

# "to anyone", "to its peers", "from all of its bgp neighbours", "to every peer"
_ANY_PEER = re.compile(r"\b(?:to|from)\s+(?:any(?:one|body)|every(?:one|body)|(?:(?:its|all|any|every|each)\s+"
                       r"(?:of\s+its\s+)?)?(?:(?:bgp|ebgp|ibgp)\s+)?(?:peers?|neighbou?rs?|sessions?))\b", re.IGNORECASE)
# other protocols advertise too: "what does r3 advertise in ospf", "which LSAs is r2 sending"
_NOT_BGP = re.compile(r"\b(?:ospf\w*|is-?is|lsas?|lsps?|rip\w*|eigrp|ldp|lldp|cdp|labels?|bfd|pim|igmp|mpls|rsvp|"
                      r"vrrp|hsrp|router\s+advertisements?|ra|nd)\b", re.IGNORECASE)

# "how many prefixes does r1 receive from its peers": the neighbour summary counts them per peer
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bcount\b|\bnumber\s+of\b", re.IGNORECASE)


# "to r9", "from router core7": one peer named, that the inventory does not have
_TO_ONE = re.compile(r"\b(?:to|from|towards)\s+(?:(?:the|its)\s+)?(?:(?:bgp\s+)?(?:router|peer|neighbou?r|device|host)"
                     r"\s+)?([\w.-]+)", re.IGNORECASE)


def _named_other(after: str) -> bool:
    """The words after the verb name one peer shaped like a device ("to r9"): not every peer."""
    from netops.agent.router import _not_a_device

    return any(not _not_a_device(m.group(1).strip(".-")) for m in _TO_ONE.finditer(after))


def _every_peer(question: str, verb: re.Match[str], after: str) -> bool:
    """No peer named: the question asks about every peer. A send verb says so by itself ("what
    does r1 announce?"); a receive verb only with "from its peers / from anyone" ("what routes is
    r2 receiving?" is its routing table)."""
    if _NOT_BGP.search(question) or _HOW_MANY.search(question) or _named_other(after):
        return False
    if verb.group("send"):
        return True
    return bool(_ANY_PEER.search(after))


# the word in the speaker's place: "is r9 advertising", "does r9 announce", "r9 sends", "r9's"
_SUBJECT = re.compile(r"(?<![\w.-])([A-Za-z][\w.-]*\d[\w.-]*?)(?:'s)?\s+(?:(?:is|are|was|were|does|do|did|still|"
                      r"currently|now|not|also|really|actually)\s+)*$", re.IGNORECASE)
_BY_WHOM = re.compile(r"^\s*by\s+([A-Za-z][\w.-]*\d[\w.-]*)", re.IGNORECASE)


def unknown_subject(question: str, hosts: list[str]) -> str | None:
    """The router a routes-sent/taken question asks about when the inventory does not have it
    ("what is r9 advertising?", "routes advertised by r9"), or ``None``; only for a question of
    that shape (a verb of sending or taking, asked, about BGP routes)."""
    from netops.agent.router import _not_a_device

    verb = _VERB.search(question)
    if verb is None and (have := _HAVE_FROM.search(question)) is not None:
        verb = _HAVE.match(question, have.start("take"))
    if verb is None or _NOT_ROUTES.search(question) or _NOT_BGP.search(question) \
            or not question[:verb.start()].strip() or not _ASKING.search(question[:verb.start()] or "?"):
        return None
    m = _SUBJECT.search(question[:verb.start()]) or _BY_WHOM.match(question[verb.end():])
    if m is None:
        return None
    word = m.group(1).strip(".-")
    if word.lower() in {h.lower() for h in hosts} or _not_a_device(word):
        return None
    return word


def _is_prefix(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True
