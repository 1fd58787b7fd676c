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
