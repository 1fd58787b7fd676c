"""adv34: a secret said in a sentence or given under a label in a runbook, a question or a
model's answer ("the enable password is Cisco123!", "- **Password:** hunter2") is redacted
before a model, a log, the history or a screen sees it; prose about passwords is kept byte for
byte. Before, only configuration-shaped secrets were: "the password is hunter2" in a team runbook
reached the model and the screen.

Measured (bench/README.md, adv34): the new rules change no line of the 380 RFCs and the
shipped knowledge/ files."""

from __future__ import annotations

import json

import pytest

from netops.privacy import RedactingStream, redact_text
from netops.testing.ollama_server import say, tool_call

SAID = [
    ("the password is hunter2", "hunter2"),
    ("The enable password is Cisco123!", "Cisco123!"),
    ("the root password for r1 is \"Tr0ub4dor&3\".", "Tr0ub4dor&3"),
    ("The SNMP community is s3cr3tRO, read-only.", "s3cr3tRO"),
    ("The pre-shared key is abc123XYZ and it rotates yearly.", "abc123XYZ"),
    ("Set the password to Adm1n-2024 and save.", "Adm1n-2024"),
    ("the password is hunter2 for the lab routers", "hunter2"),
    ("Password: hunter2", "hunter2"),
    ("- **Password:** cisco", "cisco"),
    ("**PSK**: Xy7!kq9", "Xy7!kq9"),
    ("wifi password: `Guest2024`", "Guest2024"),
    ("console password: letmein", "letmein"),
    # review34: 'is:' kept the secret ("The password is: hunter2" reached the model and the screen)
    ("The password is: hunter2", "hunter2"),
    ("the enable secret was: S3cr3t!", "S3cr3t!"),
    ("Set the password to: Adm1n-2024.", "Adm1n-2024"),
    ("The password is Tr0ub4dor-seed.", "Tr0ub4dor-seed"),  # a word after a hyphen is no description
]

KEPT = [
    "What is the password recovery procedure?",
    "The password is stored hashed.",
    "The password is 8-64 characters long.",
    "the secret is to keep the timers low",
    "The community string is public.",
    "Password: see the vault",
    "Passwords: 3 attempts, then a lockout.",
    "Is enable secret better than enable password?",
    "The password is cisco by default on some old boxes, change it.",
    "Use a password of at least 12 characters.",
    # review34: a hyphenated word saying how a secret is kept ("<redacted>" mangled RFC answers)
    "The secret is MD5-hashed.",
    "The PSK is IKEv2-compatible.",
    "The shared secret is RFC2865-compliant, and the server checks it.",
    "The password is SHA1-based",
    "The pre-shared key is 128-bit.",
    "The password is IPv6-ready.",
]


@pytest.mark.parametrize("text,secret", SAID, ids=[s for s, _ in SAID])
def test_a_secret_said_in_prose_or_under_a_label_is_redacted(text, secret):
    out = redact_text(text)
    assert secret not in out, out
    assert "<redacted>" in out
    assert redact_text(out) == out  # twice changes nothing more


@pytest.mark.parametrize("text", KEPT)
def test_prose_about_passwords_is_kept_byte_for_byte(text):
    assert redact_text(text) == text


@pytest.mark.parametrize("text,secret", SAID, ids=[s for s, _ in SAID])
def test_streamed_a_word_at_a_time_it_never_shows(text, secret):
    stream, shown = RedactingStream(), ""
    for piece in text.replace(" ", " \x00").split("\x00"):
        restart, got = stream.feed(piece)
        shown = got if restart else shown + got
        assert secret not in shown, shown
    restart, got = stream.flush()
    shown = got if restart else shown + got
    assert secret not in shown and shown == redact_text(text)


RUNBOOK = """\
# Lab access

Jump host first, then the routers. The console password is Lab!Cons0le for every router.

- Username: netops
- **Password:** Rt3rPassw0rd

The SNMP community is Snmp4Lab and the password recovery procedure is in the vendor guide.
"""


def test_a_runbooks_prose_secrets_never_reach_the_model_or_the_answer(scripted, agent_settings, tmp_path):
    from netops.assistant import Assistant
    from netops.rag.kb import KnowledgeBase
    from netops.session import Session

    secrets = ["Lab!Cons0le", "Rt3rPassw0rd", "Snmp4Lab"]
    doc = tmp_path / "lab-access.md"
    doc.write_text(RUNBOOK)
    kb = KnowledgeBase(agent_settings)
    kb.add([doc])
    hits = kb.search("lab access console password routers")
    assert hits and any("password recovery procedure" in h.chunk.text for h in hits)
    assert not [s for h in hits for s in secrets if s in h.chunk.text]
    scripted.push(tool_call("kb_search", query="lab access console password"), say("See the lab access runbook."))
    with Session(agent_settings, kb=kb) as session:
        answer = Assistant(session).ask("how do I log in to the lab routers?")
        assert not [s for s in secrets if s in json.dumps(answer.to_dict(), default=str)]
    sent = json.dumps([r.messages for r in scripted.requests])
    assert "Jump host" in sent
    assert not [s for s in secrets if s in sent], [s for s in secrets if s in sent]
    kb.close()


@pytest.mark.parametrize("text", [
    "The community is 65001:100.",
    "Set the community to 65001:666 for blackholing.",
    "The large community is 65001:1:2.",
    "community: 64500:120",
    "the extended community is rt:65001:100, on every VRF route",
    "Tag them with the community no-export.",
])
def test_a_bgp_community_in_prose_is_no_secret(text):
    # RFC 1997 answers and runbooks say communities in sentences; adv34's rule redacted them
    assert redact_text(text) == text


@pytest.mark.parametrize(("text", "want"), [
    ("The password is hunter2.", "The password is <redacted>."),
    ("The SNMP community is Publ1c!x, read-only.", "The SNMP community is <redacted>, read-only."),
    ("the enable secret is Cisc0!23)", "the enable secret is <redacted>)"),
])
def test_the_clause_keeps_its_punctuation(text, want):
    assert redact_text(text) == want
