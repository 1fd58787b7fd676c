"""adv17: ``--json`` is one valid document that a terminal prints as text and stdout can encode."""

from __future__ import annotations

import json

from netops.cli._common import to_json


def test_c1_controls_bidi_and_lone_surrogates_are_escaped_not_raw():
    data = {"text": "a\x9b2J b\x85 c\u202e d\ud800 e\x7f f\u2028 g", "ok": "naïve – ünïcode ✅"}
    out = to_json(data)
    assert all(not (0x7f <= ord(c) <= 0x9f) and c not in "\u2028\u2029\u202e" and not 0xd800 <= ord(c) <= 0xdfff
               for c in out)
    out.encode("utf-8")  # a lone surrogate could not be written to stdout
    assert json.loads(out) == data  # the same value
    assert "naïve – ünïcode ✅" in out  # readable non-ASCII stays as it is
