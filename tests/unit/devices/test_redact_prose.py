"""redact_prose: a configuration pasted into a question (or quoted in an answer) is redacted;
a question or an answer *about* secrets keeps its words."""

from __future__ import annotations

import pytest

from netops.devices.redact import REDACTED, redact_prose


@pytest.mark.parametrize("text", [
    "how do I set a bgp password?",
    "what does snmp-server community do",
    "what is the password recovery procedure",
    "explain enable secret 5 hashes",
    "ospf authentication-key on r1?",
    "BGP neighbours on r1",
])
def test_questions_about_secrets_keep_their_words(text):
    assert redact_prose(text) == text


@pytest.mark.parametrize("text,secret", [
    ("neighbor 198.51.100.2 password Sup3rS3cret!", "Sup3rS3cret!"),
    ("why is key 7 094F471A1A0A weak?", "094F471A1A0A"),
    ("is enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0 ok?", "hx5rVt7rPNoS4wqbXKX7m0"),
    ("help:\nsnmp-server community public RO\nusername admin password cisco", "public"),
    ("help:\nsnmp-server community public RO\nusername admin password cisco", "cisco"),
    ("look?\n ip ospf authentication-key abc", "abc"),
])
def test_pasted_configuration_is_redacted(text, secret):
    out = redact_prose(text)
    assert secret not in out and REDACTED in out


def test_a_models_markdown_keeps_prose_and_redacts_code():
    answer = ("The password recovery procedure is:\n1. Set the enable secret again.\n"
              "```\nsnmp-server community public RO\n```\n- use neighbor 198.51.100.2 password Sup3r!")
    out = redact_prose(answer, pasted=False)
    assert "password recovery procedure is:" in out and "enable secret again." in out
    assert "public" not in out and "Sup3r!" not in out
