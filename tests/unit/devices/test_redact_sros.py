"""Nokia SR OS redaction on configuration in both CLIs' formats: classic ``admin display-config``
and MD-CLI ``admin show configuration`` (hand-written after Nokia's documented syntax; SR OS
prints every stored secret quoted and followed by ``hash``/``hash2``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.redact import REDACTED, redact, redact_diff

CONFIGS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "redaction"

SECRETS = {
    "nokia_sros_classic.txt": [
        "$2y$10$TQrZlpBDra86.qoexZUzQeBXDY1FcdDhGWdD9lLxMuFyPVSm0OGy6", "Xl7sEHePqJp1zyT1BSLN3kY2f6H3",
        "sros-public-ro", "FB0iuRSHAt4J1cswaDFjyLLpj5ThSk1Z", "Xr3dG9Z0+Yv0UXdWIH4ifE4u", "3Du0dEVUGz3Zr9dcI6Mgkg==",
        "Y6c/4b5o5lL8OBpuDsxE4LFHCRZ0", "HhdQ8tBkg8wXOe6vxF2Dy.", "uXVprpBaoTeT0W4jlrHSjk",
        "vpmUjmpC6qVgYo6SS8lo4MjA/qTFczj/", "Ps3KeySros", "Kq3CyTsk0eZ5a2bN"],
    "nokia_sros_md.txt": [
        "MdBgpKeyPlain", "Ld8sGsZm/8Vx5PFY1TnTX1Fh1kE=", "MdIsisHello9", "76HzdddhlPpRo1Vql+ZB5spLqccgYQ==",
        "$2y$10$Md9gYJm0CkCm3nG1oNbwsOXyV9kB2N3v1.iS3iXg4yD.sKsmtfNbu", "7NcYcNGWMxapfjrDQIyYNa2M7z2bj8Q=",
        "Kk3CyTsk0eZ5a2bN", "MdUsmCommunity", "MdSnmpAuthKey1", "MdSnmpPrivKey1"],
}
KEEP = {
    "nokia_sros_classic.txt": [
        'community "CUST-A" members "65000:100"', 'community add "CUST-A"', 'description "password reset portal uplink"',
        "server 1 address 10.0.0.10 secret", "authentication-key 1 key", "server 10.0.0.5 key 1",
        "message-digest-key 1 md5", 'group "IBGP"', 'interface "to-p2"', 'name "pe1"', 'policy-statement "EXPORT-CUST-A"'],
    "nokia_sros_md.txt": [
        'community "CUST-A" {', 'member "65000:100" { }', "authentication-key 1 {", 'group "EBGP" {',
        'user "admin" {', 'name "pe2"', "address 10.0.0.11"],
}


@pytest.mark.parametrize("name", sorted(SECRETS))
@pytest.mark.parametrize("platform", ["nokia_sros", None])
def test_every_sros_secret_is_redacted_and_the_rest_kept(name, platform):
    text = (CONFIGS / name).read_text()
    out = redact(text, platform)
    assert all(s in text for s in SECRETS[name])
    assert [s for s in SECRETS[name] if s in out] == []
    assert out.count(REDACTED) >= len(SECRETS[name])
    # with every rule (no platform) the Junos rule "community NAME {" takes MD-CLI policy communities too
    keep = [k for k in KEEP[name] if platform or not k.startswith("community")]
    assert [k for k in keep if k not in out] == []
    assert len(out.splitlines()) == len(text.splitlines())
    assert redact(out, platform) == out  # idempotent


@pytest.mark.parametrize("line, expected", [
    ('        password "$2y$10$abc/def"', f"        password {REDACTED}"),
    ('    community "public" r version both', f"    community {REDACTED} r version both"),
    ('    community "h4shed" hash2 rwa version both', f"    community {REDACTED} hash2 rwa version both"),
    ('    community "CUST-A" members "65000:100"', '    community "CUST-A" members "65000:100"'),
    ('    community "CUST-A" {', '    community "CUST-A" {'),
    ('    authentication-key "plainkey"', f"    authentication-key {REDACTED}"),
    ('    authentication-key 1 key "k1" hash2 type message-digest',
     f"    authentication-key 1 key {REDACTED} hash2 type message-digest"),
    ("    authentication-key 1 {", "    authentication-key 1 {"),
    ('    hello-authentication-key "hk" hash2', f"    hello-authentication-key {REDACTED} hash2"),
    ('    server 1 address 10.0.0.10 secret "s" hash2', f"    server 1 address 10.0.0.10 secret {REDACTED} hash2"),
    ('    pre-shared-key "psk words"', f"    pre-shared-key {REDACTED}"),
    ('    privacy-key "pk" hash2', f"    privacy-key {REDACTED} hash2"),
    ('    privacy-key "pk-typed-in"', f"    privacy-key {REDACTED}"),  # as typed, before it is stored hashed
    ('    entry 2 key "ek-typed-in" algorithm hmac-sha-1-96', f"    entry 2 key {REDACTED} algorithm hmac-sha-1-96"),
    ('    entry 1 key "ek" hash2 algorithm aes-128-cmac-96', f"    entry 1 key {REDACTED} hash2 algorithm aes-128-cmac-96"),
    ('    usm-community "uc" hash2 {', f"    usm-community {REDACTED} hash2 {{"),
    ('    interface "to-p2"', '    interface "to-p2"'),
    ('    load-balancing l4-load-balancing', '    load-balancing l4-load-balancing'),
])
def test_sros_lines_exactly(line, expected):
    assert redact(line, "nokia_sros") == expected


def test_sros_rules_are_sros_only():
    classic_snmp = '    community "public" r version both'
    assert redact(classic_snmp, "cisco_ios") == classic_snmp
    assert redact(classic_snmp, "nokia_sros") == f"    community {REDACTED} r version both"
    hashed = '    mac-key "abc" hash2'
    assert redact(hashed, "frr") == hashed and redact(hashed, "nokia_sros") == f"    mac-key {REDACTED} hash2"


def test_a_diff_of_sros_config_is_redacted():
    diff = '--- a\n+++ b\n@@ -1 +1 @@\n-    community "old" r version both\n+    community "new" r version both\n'
    out = redact_diff(diff, "nokia_sros")
    assert '"old"' not in out and '"new"' not in out and out.count(REDACTED) == 2
