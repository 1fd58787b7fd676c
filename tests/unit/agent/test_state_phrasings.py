"""Device-state questions routed without a model, on phrasings written blind
(``data/state_phrasings_blind.yaml``; ``bench/state_phrasings.py`` prints the figures).

Each question goes through the real offline ask path (``Assistant.ask(..., offline=True)``) on a
Session over the lab's inventory, FRR 8.4 captures (FakeTransport) and the shipped vetted playbooks;
the device service and the knowledge base record what they did. Known misses are strict xfails
with their reason, so a fix shows up; every question's safety is asserted separately (a change is
never answered by a read, no device the words did not ask about is read, only getters run)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("bench_state_phrasings", REPO / "bench" / "state_phrasings.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

CASES = bench.cases(Path(__file__).parent / "data" / "state_phrasings_blind.yaml")
KNOWN_MISSES: dict[str, str] = {
    'who does r1 peer with?': "'peer' as a verb with no other BGP word scores below the keyword threshold",
    'how many prefixes is r1 receiving from its peers': "prefix counts are in the BGP summary; 'prefixes'/'receiving' are no BGP keywords",
    'are all the eBGP sessions on r2 up': "'ebgp'/'ibgp' are not read as BGP",
    "has r1's session to r3 reset recently?": "'reset' is read as a change word by the worded-change matcher (asks about a change)",
    'does r3 have an established session with r1': "'session'/'established' alone score below the threshold",
    'osfp neighbors on r1': 'typo of a protocol name (osfp) is not recognised',
    'any ospf neighbours down anywhere in the network?': "'anywhere in the network' is not read as every device",
    'ospf state on r2 and r3 but not r1': "UNSAFE: 'but not r1' after a list of named hosts still reads r1",
    'bgp neighbours on every spine': "a group the inventory lacks ('every spine') goes to the knowledge base, not one clear line",
    'show ospf on all the leaf switches': 'a group the inventory lacks goes to the knowledge base',
    'interfaces on the PE routers': 'a group the inventory lacks goes to the knowledge base',
    'is r1 up': "'is X up' names no getter keyword",
    'sh ver r1': "CLI abbreviation 'sh ver' is not read as version",
    'what platform / os is r2': "'platform' is no facts keyword ('os' alone scores 1)",
    'how long has r1 been up': "'how long ... up' (uptime in words) is not read as facts",
    'when did r2 last reboot?': "'reboot'/'reload' asked in the past tense is not read as uptime",
    'hostname and serial of r3': "'hostname' is no facts keyword ('serial' alone scores 2)",
    'what AS is r3 in': "'AS' (local AS) is not read as the BGP identity",
    'sh ip int br r2': "CLI abbreviation 'int br' is not read as interfaces",
    'r2 eth-r3 status': "an interface name with 'status' scores below the threshold",
    'what ip is on r3 eth-r1': "an interface name with 'ip' scores below the threshold",
    'intefaces r3': "typo of 'interfaces' is not recognised",
    'which interface on r1 faces r3': 'UNSAFE: r3, named as the far end, is read too',
    'what are the ip addresses configured on r2': "'ip addresses' is not read as interfaces",
    'loopback address of r3': "'loopback' is not read as interfaces",
    'descriptions on r1 ports': "plural 'descriptions' is no keyword",
    'sh ip route r1': "'sh ip route' with no prefix is not read as the whole table",
    'how does r2 get to 203.0.113.1?': "'get to' (reach) is no route keyword",
    'longest match for 203.0.113.200 on r2': "'longest match' is no route keyword",
    'which protocol did r1 learn 203.0.113.2/32 from': "'learn' is no route keyword",
    'is r2 using ospf or bgp for 203.0.113.3': 'protocol names outweigh the address: read as BGP neighbours, not the route',
    'ECMP paths on r2 for 198.51.100.8/30?': "'paths'/'ecmp' are no route keywords",
    'r2 cant get to 203.0.113.3, why': "'cant get to' (cannot reach) is not read as reachability",
    'default route on r1?': "'default route' is not read as 0.0.0.0/0",
    'show ip bgp 203.0.113.128/25 on r2': "'show ip bgp PREFIX' reads the BGP neighbours, not the BGP paths of the prefix",
    'r1 isnt getting 203.0.113.128/25 from r3, whats going on': "'isnt getting' is not read as a route diagnosis",
    'is 203.0.113.128/25 being advertised to r1?': "'advertised to r1' with a prefix and no speaker is not routed",
    'sh ip bgp nei 198.51.100.2 advertised-routes on r1': "'advertised-routes' (CLI keyword) is not read as the advertised getter",
    'show ip bgp neighbors 198.51.100.5 received-routes r3': "'received-routes' (CLI keyword) is not read as the received getter",
    'what is r1 advertising to r2 for ipv6': "the family ('for ipv6') is not passed to the advertised getter",
    'bgp summary on 198.51.100.2': 'a device named by its link address is not resolved',
    'ospf neighbours of the router with router-id 203.0.113.3': 'a device named by its router id is not resolved',
    'show interfaces on the box with loopback 203.0.113.2': 'a device named by its loopback is not resolved',
    'uptime of router 203.0.113.1': 'a device named by its loopback is not resolved',
    'bgp neighbors on rid 203.0.113.2': 'a device named by its router id is not resolved',
    'what does AS 65003 announce?': 'an AS number is not resolved to the inventory router with that local AS',
    'bgp neighbors of the AS65001 router': 'an AS number is not resolved to the inventory router',
    'is the session to AS 65002 up on r3': "'session to AS N' scores below the threshold",
    'ospf neighbors on the router in as 65002': 'an AS number is not resolved to the inventory router',
    'show bgp on 203.0.113.9': "an address in a device's place that no device has goes to the knowledge base, not one clear line",
    'show run r1': "CLI 'show run' is not read as the running config",
    'sh run | i bgp on r2': "CLI 'sh run' is not read as the running config (the BGP word wins)",
    "is there a route-map on r2's bgp neighbours": "'route-map' (configured policy) is not read as config",
    "what's wrong with r2": 'an open health question about one device has no getter',
    'r3 looks sick, can you have a look': 'an open health question about one device has no getter',
    'health check r1': 'an open health question about one device has no getter',
    'is r2 ok?': 'an open health question about one device has no getter',
    'anything odd on r1 today': 'an open health question about one device has no getter',
    'what is 203.0.113.0/24 reserved for': 'an address question with no device and no domain word is not sent to the knowledge base',
    'ospf neighbors on the router': "a device question with no device ('the router') goes to the knowledge base, not an ask-back",
    'show me the bgp summary': 'a device question with no device goes to the knowledge base, not an ask-back',
    'sh ip int br edge-fw-02': 'an unknown device named without a preposition goes to the knowledge base',
    'fix the bgp session between r1 and r2': "UNSAFE: 'fix' is no change word: the session is read and shown as if that answered it",
}
"""Blind phrasings the offline path still gets wrong (strict xfail: a fix must take them off)."""
KNOWN_UNSAFE = {t for t, why in KNOWN_MISSES.items() if why.startswith("UNSAFE")}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case's outcome, asked once per module (one Session, one conversation per case)."""
    h = bench.Harness(tmp_path_factory.mktemp("state-phrasings"))
    got = {}
    try:
        for case in CASES:
            got[case["text"]] = h.ask(case["text"], case.get("after"))
    finally:
        h.close()
    return got


def _params(cases, known):
    return [pytest.param(c, id=c["text"], marks=[pytest.mark.xfail(strict=True, reason=known[c["text"]])]
                         if c["text"] in known else []) for c in cases]


def test_every_known_miss_is_in_the_set():
    texts = {c["text"] for c in CASES}
    assert set(KNOWN_MISSES) <= texts, set(KNOWN_MISSES) - texts


@pytest.mark.parametrize("case", _params(CASES, KNOWN_MISSES))
def test_the_expected_outcome(case, outcomes):
    got = outcomes[case["text"]]
    assert bench.graded(case, got), f"want {case}, got {bench._short(got)}"


@pytest.mark.parametrize("case", _params(CASES, {t: KNOWN_MISSES[t] for t in KNOWN_UNSAFE}))
def test_the_outcome_is_safe(case, outcomes):
    got = outcomes[case["text"]]
    assert not got["other"], f"ran more than read-only getters: {got['other']}"
    assert bench.safety(case, got) == "SAFE", f"want {case}, got {bench._short(got)}"
