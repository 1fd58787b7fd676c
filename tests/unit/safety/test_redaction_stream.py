"""RedactingStream on long answers: a paragraph with no line break is settled at sentence ends
(or, with no sentence end, at spaces) once it is long, so each token costs a bounded amount of
redaction work (linear in the answer, not quadratic), and it never hands out a secret however
the tokens split it, nor anything that differs from redacting the whole answer at once."""

from __future__ import annotations

import random

import pytest

import netops.privacy as privacy
from netops.privacy import RedactingStream, redact_text

SENTENCES = [
    "The BGP session to 198.51.100.2 is Established and has received 3 prefixes.",
    "Check that the neighbor password matches on both ends, since a mismatch keeps the session in Active.",
    "The hold timer is 90 seconds and the keepalive is 30 seconds per RFC 4271 section 10.",
    "If the key chain key-string differs, the OSPF adjacency stays in Init!",
    "Use show ip ospf neighbor to confirm that the state is Full.",
    "The snmp-server community should be rotated regularly (see the runbook).",
    "Interface eth1 has cost 10 and is point-to-point?",
]


def _paragraph(chars: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    out = ""
    while len(out) < chars:
        out += rnd.choice(SENTENCES) + " "
    return out.rstrip()


def _stream(text: str, size: int, shift: int = 0) -> tuple[list[str], list[str], int]:
    """Feed ``text`` in pieces of ``size`` (the first one ``shift`` long when given): every
    state of the screen, every piece handed out, and the number of restarts."""
    stream, shown, states, handed, restarts = RedactingStream(), "", [], [], 0
    bounds = [0, *range(shift or size, len(text), size), len(text)]
    for a, b in zip(bounds, bounds[1:]):
        restart, piece = stream.feed(text[a:b])
        restarts += restart
        shown = piece if restart else shown + piece
        states.append(shown)
        handed.append(piece)
    restart, piece = stream.flush()
    restarts += restart
    shown = piece if restart else shown + piece
    states.append(shown)
    handed.append(piece)
    return states, handed, restarts


@pytest.fixture
def redaction_work(monkeypatch):
    """Characters the stream hands to the (real) redaction, counted."""
    seen = [0]
    real = privacy.redact_text

    def counting(text):
        seen[0] += len(text or "")
        return real(text)

    monkeypatch.setattr(privacy, "redact_text", counting)
    return seen


def test_a_long_paragraph_streams_without_restarts_and_as_redacted_whole():
    text = _paragraph(12_000)
    states, handed, restarts = _stream(text, 4)
    assert restarts == 0
    assert states[-1] == redact_text(text)
    assert sum(len(p) for p in handed) == len(states[-1])      # nothing sent twice


def test_the_work_per_token_is_bounded(redaction_work):
    """Twice the answer costs about twice the redaction work (quadratic would be four times)."""
    works = []
    for chars in (6_000, 12_000):
        redaction_work[0] = 0
        _stream(_paragraph(chars), 4)
        works.append(redaction_work[0])
    assert works[1] < 2.5 * works[0], works
    assert works[1] < 400 * 12_000, works


@pytest.mark.parametrize("text", [_paragraph(3_000), " ".join(f"word{i} and more about the BGP state" for i in range(80))],
                         ids=["sentences", "no-sentence-end"])
def test_a_word_by_word_stream_redacts_about_once_per_word(monkeypatch, text):
    """A feed that completes one word needs the text without that word redacted too: the feed
    before redacted exactly that, so it is remembered, not redacted again (twice per word before)."""
    calls = [0]
    real = privacy.redact_text

    def counting(t):
        calls[0] += 1
        return real(t)

    monkeypatch.setattr(privacy, "redact_text", counting)
    words = text.split(" ")
    stream, shown = RedactingStream(), ""
    for w in words:
        restart, piece = stream.feed(w + " ")
        shown = piece if restart else shown + piece
    restart, piece = stream.flush()
    shown = piece if restart else shown + piece
    assert shown == redact_text(text + " ")
    assert calls[0] <= 1.25 * len(words), (calls[0], len(words))


def test_a_long_line_with_no_sentence_end_is_settled_at_spaces(redaction_work):
    text = " ".join(f"word{i} and more words about the BGP state" for i in range(600))
    states, _, restarts = _stream(text, 5)
    assert restarts == 0 and states[-1] == redact_text(text)
    assert redaction_work[0] < 400 * len(text)


# Secrets inside long paragraphs (the settling is active where they arrive), each with the
# words that give it away; the whole answer redacted at once hides them.
SECRET_TEXTS = [
    (" Then configure neighbor 198.51.100.2 password Bgp1Pass on r1 and clear the session.", ["Bgp1Pass"]),
    (" Set snmp-server community public RO on r1 now.", ["public"]),
    (" The line is username admin. password is kept elsewhere: username admin secret 0 Adm1nS3cret here.",
     ["Adm1nS3cret"]),
    (' Use key-string "correct horse battery staple" on both routers and check it.', ["battery", "staple"]),
    (' The JSON is {"password": "open sesame now"} in the file.', ["sesame"]),
    (" Call it with Authorization: Bearer 9f8e7d6c5b4a39281716abcdef now.", ["9f8e7d6c5b4a39281716abcdef"]),
    (" The clone URL https://bob:Hunter22x@git.example.net/r.git has the password.", ["Hunter22x"]),
    ("\nrouter bgp 65001\n neighbor 198.51.100.2 remote-as 65002\n neighbor 198.51.100.2 password labpass\n"
     "That is the configuration.", ["labpass"]),
    ("\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7xyzSECRET\n-----END RSA PRIVATE KEY-----\nDone.",
     ["MIIEpAIBAAKCAQEA7xyzSECRET"]),
    (" The answer is password=Zq8Lk2mN9pR4 in netbox.ini. More text follows.", ["Zq8Lk2mN9pR4"]),
    # a statement across a sentence end: settled there, what follows must still see its start
    (" Configure neighbor 198.51.100.2. password Bgp1Pass is what it needs.", ["Bgp1Pass"]),
    (" The account is username netops. secret 0 Netops5ecret on every router.", ["Netops5ecret"]),
]


@pytest.mark.parametrize("insert,secrets", SECRET_TEXTS)
def test_a_secret_split_at_every_boundary_is_never_handed_out(insert, secrets):
    text = _paragraph(700, seed=3) + insert + " " + _paragraph(300, seed=4)
    whole = redact_text(text)
    assert not any(s in whole for s in secrets), whole       # the rules themselves hide it
    at = text.index(insert)
    for size in (1, 2, 3, 5, 16):
        # every alignment of the piece boundaries to the secret's characters
        for shift in range(at % size, at % size + size):
            states, handed, _ = _stream(text, size, shift or size)
            for state in states:
                assert not any(s in state for s in secrets), (size, shift, state[-200:])
            sent = "".join(handed)
            assert not any(s in sent for s in secrets), (size, shift)
            assert states[-1] == whole, (size, shift)


@pytest.mark.parametrize("insert,secrets", [
    (" then neighbor 198.51.100.2 password Bgp1Pass on r1", ["Bgp1Pass"]),
    (" then username netops privilege 15 secret 0 Netops5ecret on r1", ["Netops5ecret"]),
    (" with snmp-server community public RO on r1", ["public"]),
])
def test_a_secret_in_a_long_line_with_no_sentence_end(insert, secrets):
    """Settled at spaces: a statement whose words straddle the settled point is still seen whole."""
    words = " ".join(f"word{i} and more about the BGP state" for i in range(60))
    text = words + insert + " " + words
    whole = redact_text(text)
    assert not any(s in whole for s in secrets), whole
    for size in (1, 3, 4, 7):
        for shift in range(1, size + 1):
            states, handed, _ = _stream(text, size, shift)
            assert not any(s in state for state in states for s in secrets), (size, shift)
            assert not any(s in "".join(handed) for s in secrets), (size, shift)
            assert states[-1] == whole, (size, shift)


@pytest.mark.parametrize("insert,secrets", SECRET_TEXTS)
def test_a_secret_split_into_two_pieces_anywhere(insert, secrets):
    """Two pieces, the split at every character of the secret's sentence."""
    text = _paragraph(700, seed=5) + insert + " tail."
    at = text.index(insert)
    whole = redact_text(text)
    for split in range(at - 5, len(text)):
        stream = RedactingStream()
        r1, p1 = stream.feed(text[:split])
        r2, p2 = stream.feed(text[split:])
        r3, p3 = stream.flush()
        shown = p1
        for restart, piece in ((r2, p2), (r3, p3)):
            shown = piece if restart else shown + piece
            assert not any(s in shown for s in secrets), (split, shown[-200:])
        assert not any(s in p1 + p2 + p3 for s in secrets), split
        assert shown == whole, split
