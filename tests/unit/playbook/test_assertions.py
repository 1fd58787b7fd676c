from __future__ import annotations

import pytest

from netops.errors import PlaybookInvalid
from netops.playbook.assertions import parse

DATA = {"peers": {"198.51.100.2": {"state": "Established", "pfx": 3, "shut": True}},
        "lines": ["bgp graceful-shutdown", "x"], "text": "hello world"}


@pytest.mark.parametrize("expr,ok", [
    ('peers."198.51.100.2".state == Established', True),
    ('peers."198.51.100.2".state != Established', False),
    ('peers."198.51.100.2".pfx >= 3', True),
    ('peers."198.51.100.2".pfx < 3', False),
    ('peers."198.51.100.2".pfx > 2.5', True),
    ('peers."198.51.100.2".state in [Idle, Established]', True),
    ('peers."198.51.100.2".state not in [Idle]', True),
    ("lines contains 'bgp graceful-shutdown'", True),
    ("lines not contains 'bgp graceful-shutdown'", False),
    ("text contains world", True),
    ('peers."198.51.100.2".shut == true', True),
    ('peers."203.0.113.1" exists', False),
    ('peers."203.0.113.1" not exists', True),
    ("length(values(peers)[?state=='Established']) == 1", True),
    ("values(peers)[?state!='Established'] | length(@) == 0", True),
    ('peers."198.51.100.2".pfx == 3.0', True),
])
def test_evaluate(expr, ok):
    assert parse(expr).evaluate(DATA).ok is ok


def test_number_comparison_on_text_is_false_not_an_error():
    r = parse("text > 1").evaluate(DATA)
    assert not r.ok and "not a number" in r.message


@pytest.mark.parametrize("bad", [
    "peers.x", "== 1", "peers[ == 1", "peers.x in Idle", "peers.x < abc", "peers.x == ", "peers..x == 1",
])
def test_bad_syntax_is_playbook_invalid(bad):
    with pytest.raises(PlaybookInvalid):
        parse(bad)


def test_python_is_never_evaluated():
    r = parse("__import__('os') == 1").evaluate(DATA)
    assert not r.ok and "cannot evaluate" in r.message


OSPF = {"interfaces": {"eth-r2": {"ospfEnabled": True, "cost": 10}, "lo": {"ospfEnabled": True, "cost": 0}}}


@pytest.mark.parametrize("expr", ['interfaces."eth-r9".ospfEnabled == true', 'interfaces."eth-r9" exists',
                                  'interfaces."eth-r9".cost >= 1'])
def test_a_key_the_output_lacks_is_named_in_words(expr):
    """ospf-cost on an interface r1 lacks said 'interfaces."eth-r9".ospfEnabled == true: got None'."""
    r = parse(expr).evaluate(OSPF)
    assert not r.ok
    assert r.message == 'interfaces."eth-r9": not present in the device output (it has: eth-r2, lo)'


def test_missing_at_the_top_and_under_a_filter_and_an_empty_output():
    r = parse('interfaces."eth-r9".ospfEnabled == true').evaluate({"noSuchIface": True})
    assert r.message == "interfaces: not present in the device output (it has: noSuchIface)"
    r = parse('"10.9.9.0/24"[?protocol==\'static\'].installed contains true').evaluate({"10.1.1.0/24": []})
    assert r.message == '"10.9.9.0/24": not present in the device output (it has: 10.1.1.0/24)'
    assert parse('"eth-r9" exists').evaluate({}).message == '"eth-r9": not present in the device output (it is empty)'
    many = {f"eth{i}": {} for i in range(15)}
    assert parse("x.y == 1").evaluate(many).message.endswith("eth9, … 5 more)")


def test_a_present_null_and_absence_where_it_is_wanted_keep_their_meaning():
    assert parse("a.b == 1").evaluate({"a": {"b": None}}).message == "got None"
    assert parse('interfaces."eth-r9" not exists').evaluate(OSPF).ok
    assert parse("interfaces.lo.cost == 5").evaluate(OSPF).message == "got 0"


@pytest.mark.parametrize("expr,missing", [
    # ospf-cost's precheck "the cost is not already N": an interface without a cost is not "not N"
    ('interfaces."eth-r2".cost != 5', 'interfaces."eth-r2".cost: not present in the device output (it has: ospfEnabled)'),
    ('interfaces."eth-r9".cost != 5', 'interfaces."eth-r9": not present in the device output (it has: eth-r2)'),
    # bgp-neighbor-shutdown's "bgpState != Established": a neighbour the output lacks is not shut down
    ('"198.51.100.9".bgpState != Established', '"198.51.100.9": not present in the device output (it has: interfaces)'),
    ('interfaces."eth-r9".state not in [down, adminDown]',
     'interfaces."eth-r9": not present in the device output (it has: eth-r2)'),
])
def test_a_negated_assertion_fails_on_a_key_the_output_lacks(expr, missing):
    """'!=' and 'not in' passed when the key was absent (None != 5); only 'not exists' asks for absence."""
    r = parse(expr).evaluate({"interfaces": {"eth-r2": {"ospfEnabled": True}}})
    assert not r.ok
    assert r.message == missing


def test_a_negated_assertion_on_a_present_key_and_not_exists_keep_their_meaning():
    data = {"interfaces": {"eth-r2": {"ospfEnabled": True, "cost": 10, "note": None}}}
    assert parse('interfaces."eth-r2".cost != 5').evaluate(data).ok
    assert parse('interfaces."eth-r2".cost not in [5, 6]').evaluate(data).ok
    assert not parse('interfaces."eth-r2".cost != 10').evaluate(data).ok
    assert parse('interfaces."eth-r2".note != 5').evaluate(data).ok  # present, null: not absent
    assert parse('interfaces."eth-r2".cost.x not exists').evaluate(data).ok
    assert parse('interfaces."eth-r9".cost not exists').evaluate(data).ok


def test_a_failed_count_names_what_it_counted_by_its_key():
    """trial37: router-undrain's post-check "every BGP session is Established" failed with 'got 1' and the
    JMESPath, and the engineer had to go and read r3 to learn which session. The counted items are named
    by their key in the output (FRR keys peers by address) with their short text fields."""
    summary = {"ipv4Unicast": {"as": 65003, "peers": {
        "198.51.100.1": {"remoteAs": 65001, "peerUptime": "never", "state": "Active", "desc": "r1-backup"},
        "198.51.100.5": {"remoteAs": 65002, "peerUptime": "00:05:12", "state": "Established", "desc": "r2"},
        "198.51.100.9": {"remoteAs": 65001, "peerUptime": "never", "state": "Connect"}}}}
    r = parse("values(ipv4Unicast.peers)[?state!='Established'] | length(@) == 0").evaluate(summary)
    assert not r.ok
    assert r.message.startswith("got 2; counted: ")
    assert "198.51.100.1 (peerUptime never, state Active, desc r1-backup)" in r.message
    assert "198.51.100.9 (peerUptime never, state Connect)" in r.message
    assert "198.51.100.5" not in r.message
    assert parse("values(ipv4Unicast.peers)[?state=='Idle'] | length(@) == 0").evaluate(summary).ok


def test_a_failed_assertion_that_counts_nothing_says_only_what_it_got():
    r = parse('peers."198.51.100.2".pfx < 3').evaluate(DATA)
    assert not r.ok and r.message == "got 3"


def test_a_line_missing_from_a_config_is_said_not_shown_as_the_config():
    """trial37: router-undrain's precheck on an undrained r3 said "got \\"['Building configuration...',
    'Current configuration:', '!', ...\\"", the first 300 characters of the running configuration."""
    config = {"lines": ["Building configuration...", "router bgp 65003", " neighbor 198.51.100.5 remote-as 65002"]}
    r = parse("lines contains 'bgp graceful-shutdown'").evaluate(config)
    assert not r.ok and r.message == "'bgp graceful-shutdown' is not among the 3 lines", r.message
    r = parse("lines not contains 'router bgp 65003'").evaluate(config)
    assert not r.ok and r.message == "'router bgp 65003' is among the 3 lines", r.message
