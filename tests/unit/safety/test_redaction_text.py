"""Free-text redaction (:func:`netops.privacy.redact_text`): questions about passwords stay as
typed; secrets a person pastes or a model writes do not survive."""

from __future__ import annotations

import pytest

from netops.devices.redact import REDACTED
from netops.privacy import redact_text

from .test_redaction_vendors import CASES

# Realistic questions that mention passwords, keys, secrets, communities and tokens: no secret.
QUESTIONS = [
    "what is the password recovery procedure?",
    "What is the password recovery procedure on an ASR1000",
    "enable secret vs enable password: which one should I use?",
    "Enable secret vs enable password",
    "how do I reset the enable password on a Catalyst 9300?",
    "why does username and password authentication fail on r1?",
    "What does 'service password-encryption' actually protect?",
    "is type 7 password encryption reversible?",
    "is enable secret 5 still considered safe, or should I move to type 9?",
    "explain the difference between secret 8 and secret 9 on IOS-XE",
    "how do I rotate the TACACS+ key on all routers without locking myself out?",
    "tacacs-server key or tacacs server block: which syntax does IOS-XE 17 want?",
    "what SNMP community should we use for read-only monitoring?",
    "snmp-server community string best practices",
    "how do I remove the snmp-server community from every switch?",
    "Should SNMPv3 replace v2c communities on the core?",
    "what is a key chain and how does key-string rotation work with send-lifetime?",
    "key-string format for OSPF SHA authentication?",
    "BGP neighbor password mismatch: what does the log say?",
    "why is the neighbor 10.0.0.2 password not accepted after the change?",
    "How do I set a pre-shared-key for an IKEv2 profile?",
    "pre-shared-key mismatch symptoms on a site-to-site VPN",
    "crypto isakmp key syntax with a wildcard address",
    "what is a $9$ string in Junos configuration?",
    "how does Junos store encrypted-password values?",
    "How do I generate an API token for the NetBox API?",
    "where should the bearer token for RESTCONF go in the request?",
    "Authorization header formats: Basic vs Bearer?",
    "what does PEM private key format look like compared to OpenSSH private keys?",
    "how do I copy a file with scp://user@host/path from the router?",
    "ntp authentication-key with md5 or sha1: which is supported on NX-OS?",
    "OSPF authentication-key vs message-digest-key: what is the difference?",
    "what is the default SNMP community on FRR?",
    "rotate the community string RO on r1 and r2",
    "What does 'no password' under line vty do?",
    "area-password and domain-password in IS-IS: where are they configured?",
    "password policy: minimum length 12, complexity required?",
    "the secret must be at least 8 characters, right?",
    "explain RFC 4271 section 10 hold timer",
    "show bgp summary on r1",
    "drain r2 for maintenance",
    "set the description of eth1 on r1 to 'uplink to core'",
    "I forgot the key for key chain OSPF-KEYS; how do I recover it?",
    "username PASSWORD syntax: what goes in <password>?",
    "is RADIUS server-key 7 encryption the same as type 7?",
    "what does `set system root-authentication encrypted-password` expect?",
    "Password recovery\nKey rotation\nCommunity strings",
    "- password recovery\n- key rotation for OSPF\n- SNMP community cleanup",
    "Compare BGP communities 65000:100 and 65000:200 on r1",
    "is enable secret better than enable password?",
    "why would enable secret fail after an upgrade to 17.9?",
    "what is the key-string for, and is the pre-shared-key stored hashed?",
    "what does crypto isakmp key do?",
    "Is the neighbor password case sensitive on FRR?",
    "match community \"65000:100\" in a route-map?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_questions_about_secrets_are_kept_byte_for_byte(question):
    assert redact_text(question) == question


# What a person pastes or a model writes, with the secrets that must be gone.
PASTES = [
    ("my config has enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0, is that ok?", ["hx5rVt7rPNoS4wqbXKX7m0"]),
    ("why does username admin password 7 0822455D0A16 not work on r1?", ["0822455D0A16"]),
    ("snmp-server community S3cret RO is on r1, is it safe?", ["S3cret"]),
    ("I set snmp-server community public RO last week", ["public"]),
    ("how do I remove snmp-server community public RO from every switch?", ["public"]),
    ("key-string 7 070C285F4D06 is in the key chain", ["070C285F4D06"]),
    ("key-string MyKey123 does not match the peer", ["MyKey123"]),
    ("we use pre-shared-key Sup3rPSK on the tunnel", ["Sup3rPSK"]),
    ("the Junos line is authentication-key \"$9$dkVs4ZGiHkPfz3/CA0O\";", ["dkVs4ZGiHkPfz3/CA0O"]),
    ("set system root-authentication encrypted-password \"$6$abc$Zx9QwErTy\"", ["$6$abc$Zx9QwErTy", "Zx9QwErTy"]),
    ("encrypted-password \"$1$salt$hashhash\" under user bob", ["hashhash"]),
    ("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.SflKxwRJSMeKKF2QT4' fails",
     ["eyJhbGciOiJIUzI1NiJ9", "SflKxwRJSMeKKF2QT4"]),
    ("call the API with Bearer 9f8e7d6c5b4a39281716abcdef", ["9f8e7d6c5b4a39281716abcdef"]),
    ("my token is ghp_abcdefghijklmnopqrstuvwxyz0123456789", ["ghp_abcdefghijklmnopqrstuvwxyz0123456789"]),
    ("api_key=Zq8Lk2mN9pR4 in netbox.ini", ["Zq8Lk2mN9pR4"]),
    ('{"username": "netops", "password": "Hunter22"}', ["Hunter22"]),
    ("copy ssh://admin:Adm1nPw@10.0.0.5/cfg running-config", ["Adm1nPw"]),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7xyz\n-----END RSA PRIVATE KEY-----", ["MIIEpAIBAAKCAQEA7xyz"]),
    ("here is my key\n-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGabcdef\n-----END PGP PRIVATE KEY BLOCK-----",
     ["lQOYBGabcdef"]),
    ("enable secret MyEnable9 is set on r2", ["MyEnable9"]),
    ("neighbor 10.0.0.2 password Bgp1Pass was configured", ["Bgp1Pass"]),
    ("tacacs-server host 10.0.0.5 key TacKey1 stopped working", ["TacKey1"]),
    ("crypto isakmp key MyPSK123 address 10.0.0.1", ["MyPSK123"]),
    ("ip ospf authentication-key OspfK3y on Gi1", ["OspfK3y"]),
    ("ntp authentication-key 1 md5 NtpKey1 7", ["NtpKey1"]),
    ("the VRP line is local-user admin password irreversible-cipher %^%#abcDEF123%^%#", ["abcDEF123"]),
    ("```\nline vty 0 4\n password zebra\n```", ["zebra"]),
    ("Here is r1:\nhostname r1\nline vty\n password zebra\nrouter bgp 65001\n neighbor 10.0.0.2 password lab\n",
     ["zebra", "lab"]),
    ("r1 config:\nsystem {\n    root-authentication {\n        encrypted-password \"$6$x$y\";\n    }\n}\n"
     "snmp {\n    community public {\n        authorization read-only;\n    }\n}", ["public", "$6$x$y"]),
]


@pytest.mark.parametrize("text,secrets", PASTES)
def test_pasted_secrets_are_redacted(text, secrets):
    out = redact_text(text)
    assert REDACTED in out
    for s in secrets:
        assert s not in out, (s, out)
    assert redact_text(out) == out  # stable


# Every pinned device form, pasted as a block (after a line naming the device) into a question.
@pytest.mark.parametrize("platform,config,secrets", [c for c in CASES if c[2]])
def test_every_pinned_vendor_form_pasted_as_a_block(platform, config, secrets):
    text = f"what is wrong here?\nhostname r1\n{config}\nthanks"
    out = redact_text(text)
    for s in secrets:
        assert s not in out, (s, out)
    assert out.startswith("what is wrong here?\n") and out.endswith("\nthanks")


def test_empty_and_none():
    assert redact_text("") == "" and redact_text(None) is None


def test_crlf_paste():
    text = "hostname r1\r\nenable secret 0 Crlf5ecret\r\nsnmp-server community CrlfComm RO\r\n"
    out = redact_text(text)
    assert "Crlf5ecret" not in out and "CrlfComm" not in out


def test_text_after_a_private_key_block_is_kept():
    """The key block ends at its END line: what follows is not swallowed (device rules too)."""
    from netops.devices.redact import redact

    text = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----\nhostname r1\n"
    for fn in (redact, redact_text):
        out = fn(text)
        assert "MIIEpAIBAAKCAQEA7" not in out and out.endswith("-----END RSA PRIVATE KEY-----\nhostname r1\n")


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13])
def test_a_stream_never_hands_out_a_secret(size):
    """Fed piece by piece, what a screen gets never holds a listed secret, and what it shows
    is the start of the fully redacted text."""
    from netops.privacy import RedactingStream

    for text, secrets in PASTES + [(q, []) for q in QUESTIONS]:
        stream, shown, handed = RedactingStream(), "", []
        for i in range(0, len(text), size):
            restart, piece = stream.feed(text[i:i + size])
            shown = piece if restart else shown + piece
            handed.append(piece)
        assert not any(s in p for p in handed for s in secrets), (text, handed)
        assert (redact_text(text) or "").startswith(shown), (text, shown)


def test_a_stream_shows_prose_before_it_ends():
    from netops.privacy import RedactingStream

    stream, shown = RedactingStream(), ""
    for word in "The password recovery procedure needs console access and a reload of the router.".split(" "):
        shown += stream.feed(word + " ")[1]
    assert shown.startswith("The password recovery procedure needs console access and a reload of the")


# Indented prose, tables and grammar as RFCs print them (a model quotes them, a person pastes
# them): not configuration, kept as they are. Each was changed by an earlier version.
RFC_TEXT = [
    "   CHAP requires that the secret be available in plaintext form.\n"
    "   Irreversably encrypted password databases commonly available cannot\n   be used.",
    "          1      User-Name\n          2      User-Password\n          3      CHAP-Password\n"
    "          4      NAS-IP-Address\n          5      NAS-Port",
    "   0-1       0-1      0        0            1   User-Name\n"
    "   0-1       0        0        0            2   User-Password [Note 1]",
    "       Attributes:\n       6  User-Name = \"nemo\"\n      18  User-Password\n       6  NAS-IP-Address = 192.168.1.16",
    "    token = 1*<Any CHAR except SPACE, CTLs, and especials>",
    "      token          = 1*tchar\n      protocol-version = token\n"
    "      ranges-specifier = range-unit \"=\" range-set",
    "        2.5.4.  /W query token  .....................................   7",
    "   Assume an existing trust anchor key 'A'.\n   1.  Set the revocation bit on key 'A'.",
    "       list rule {\n         key name;\n         leaf name {\n           type string;\n         }\n       }",
]


@pytest.mark.parametrize("text", RFC_TEXT)
def test_rfc_prose_and_grammar_are_kept(text):
    assert redact_text(text) == text


@pytest.mark.parametrize("text,secret", [
    ("username admin password Sup3r!", "Sup3r!"),
    ("snmp-server community Pr1v@te! RO", "Pr1v@te!"),
    ("is enable secret Sup3r!? ok", "Sup3r!?"),
    ("username bob password 0 Hunter2?", "Hunter2?"),
    ("enable secret Abc123.)", "Abc123.)"),
])
def test_a_secret_ending_in_an_exclamation_or_question_mark_is_redacted_whole(text, secret):
    """'!' and '?' end sentences but also passwords; leaving them out showed the secret's last
    character ('Sup3r!' -> '<redacted>!')."""
    out = redact_text(text)
    assert REDACTED in out and not out.split(REDACTED, 1)[1].startswith(secret[-1]), out


@pytest.mark.parametrize("text,secret", [
    ("enable secret xx#Pw9z", "xx#Pw9z"),
    ("username bob password x-9Kq!m", "x-9Kq!m"),
    ("snmp-server community (priv8) RO", "priv8"),
    ("username admin password <Pa55>", "Pa55"),
])
def test_a_secret_that_only_starts_like_a_placeholder_is_redacted(text, secret):
    """Placeholders ('x', '<password>', '[secret]') are whole words; a secret that merely starts
    with 'x' or a bracket was let through whole."""
    out = redact_text(text)
    assert secret not in out and REDACTED in out, out


@pytest.mark.parametrize("text", ["username admin password <password>", "enable secret x",
                                  "set the enable secret [secret] there", "what is the enable secret?"])
def test_whole_placeholders_are_kept(text):
    assert redact_text(text) == text


# Run in a fresh interpreter: which patterns it compiles, from the import of netops.privacy on.
_COMPILED_PROBE = r"""
import json, re, sys
seen = []
real = re.compile
def compile(pattern, flags=0):
    seen.append(pattern)
    return real(pattern, flags)
re.compile = compile
import netops.privacy as p
rules = [r.pattern for r in p._STATEMENTS]  # (some shape rules are device rules too)
after_import = [x for x in seen if x in rules]
prose = p.redact_text("what is the BGP state of r1? show me the routes")
after_prose = [x for x in seen if x in rules]
secret = p.redact_text("enable secret Sup3r!x")
after_secret = [x for x in seen if x in rules]
json.dump({"after_import": len(after_import), "after_prose": len(after_prose), "prose": prose,
           "secret": secret, "enable_rule": p._STATEMENTS[0].pattern in after_secret}, sys.stdout)
"""


def test_statement_rules_compile_when_first_needed_not_at_import():
    """Every process that redacts (each playbook run, ask, show, the audit log) imported
    netops.privacy; compiling its 16 statement rules (and 12 shape rules) up front cost 0.1-0.18 s of
    each start. A rule is compiled the first time a text names its keyword."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = str(Path(__file__).resolve().parents[3])
    env = {**os.environ, "PYTHONPATH": repo}
    out = subprocess.run([sys.executable, "-c", _COMPILED_PROBE], env=env, capture_output=True, text=True,
                         check=True).stdout
    got = json.loads(out)
    assert got["after_import"] == 0
    assert got["after_prose"] == 0 and got["prose"] == "what is the BGP state of r1? show me the routes"
    assert got["secret"] == f"enable secret {REDACTED}" and got["enable_rule"]
