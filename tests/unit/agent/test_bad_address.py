"""An address in a question that is no address is bad input: one clear line, exit 2, nothing read,
no model (trial32: "why is r2 not learning 999.0.113.0/24?" went to SmolLM2, which spent 38 s on a
story about a configuration file of that name and a `netstat` error on port 25)."""

from __future__ import annotations

import pytest

from netops.agent.router import bad_addresses


@pytest.mark.parametrize("text, bad", [
    ("why is r2 not learning 999.0.113.0/24?", ["999.0.113.0/24"]),
    ("is 203.0.113.0/33 in r2's table", ["203.0.113.0/33"]),
    ("ping 10.1.1.256 from r1", ["10.1.1.256"]),
    ("why is r2 not learning 203.0.113.0/24?", []),
    ("frr 8.4.4 on r1, ospf area 0.0.0.0", []),
    ("walk 1.3.6.1.4.1.9.9.187 on r1", []),       # an OID, not an address
    ("what is 2001:db8::/129?", []),             # IPv6 is left to the usual path
])
def test_bad_addresses(text, bad):
    assert bad_addresses(text) == bad


@pytest.mark.parametrize("offline", [False, True])
def test_a_question_with_an_address_that_is_none_is_one_line_and_exit_2(scripted, make_session, fake_transport,
                                                                        offline):
    from netops.assistant import Assistant

    answer = Assistant(make_session()).ask("why is r2 not learning 999.0.113.0/24?", offline=offline)
    assert "'999.0.113.0/24' is not an IP address or prefix" in answer.text, answer.text
    assert answer.exit_code == 2 and answer.error == "'999.0.113.0/24' is not an IP address or prefix"
    assert scripted.requests == [] and not fake_transport.sent and not answer.tool_calls
