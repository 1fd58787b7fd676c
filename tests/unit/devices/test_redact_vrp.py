"""Huawei VRP redaction on configuration in VRP 8 (``%^%#...%^%#`` ciphers, irreversible-cipher
``$1c$...$``) and VRP 5 form (the older 24-character cipher ending ``!!``, keys stored in clear
text without a form keyword), hand-written after Huawei's documented configuration syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.redact import REDACTED, redact

CONFIGS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "redaction"

SECRETS = {
    "huawei_vrp.txt": [
        "J|sU0Kp`Q=5v2(+)Yb}:N6Ag3x]qU$8tw@7GK,u1", "NtpK3yCipherText0123456789", "SnmpRoCipher6Hj#b:Qq7S0>8)g",
        "SnmpRwCipherW9a-Lm2", "UsmAuthCipherX1Y2Z3", "UsmPrivCipherQ7R8S9", "TrapCommCipherT1", "TacacsSharedKeyC1",
        "RadiusSharedKeyC2", "a/Bc8[Wd9@$QmE=Vb~Kp5wJ;T+,$3v6NxL!oG4eR2", "NocUserCipherP4w0rd", "OspfMd5CipherK1",
        "IsisIfCipherK2", "OspfPlainTextK3", "IsisAreaCipherK4", "IsisDomainCipherK5", "OspfAreaCipherK6",
        "LdpMd5CipherK7", "BgpPeerCipherK8", "BgpPlainK9", "IkePskCipherK10", "KeychainCipherK11"],
    "huawei_vrp5.txt": [
        "N`C55QK<`=/Q=^Q`MAF4<1!!", "Vrp5TacPlainKey", "Vrp5RadPlainKey", "OOCM4m($F4ajUn1vMEIBNUw#", "Vrp5GuestPass",
        "Vrp5VrrpMd5Key", "Vrp5OspfSimple", "Vrp5PublicRo", "Vrp5PrivateRw", "Vrp5TrapComm", "Vrp5UsmAuth",
        "Vrp5UsmPriv", "8!!Zs+3A<`%N1`^Kc%,>gW!!"],
}
KEEP = {
    "huawei_vrp.txt": [
        "sysname PE1-NE40E", "super password level 3 cipher", "snmp-agent community read cipher",
        " mib-view iso-view acl 2000", "securityname cipher", " v2c", "hwtacacs-server authentication 192.0.2.40",
        "local-user admin password irreversible-cipher", "local-user admin privilege level 3",
        "description password-reset portal is on the NOC wiki", "ospf authentication-mode md5 1 cipher",
        "ospf authentication-mode simple plain", "domain-authentication-mode hmac-sha256 key-id 1 cipher",
        "md5-password cipher 10.0.0.2 ", "peer 10.0.0.2 password cipher", "peer 198.51.100.2 password simple",
        "description to customer A (plain IP transit)", "authentication-mode hwtacacs local", "authentication-mode aaa",
        "network-entity 49.0001.0100.0000.0001.00", "snmp-agent local-engineid 800007DB03F4DEAFE11C01"],
    "huawei_vrp5.txt": [
        "hwtacacs-server shared-key", "radius-server shared-key simple", "local-user guest password simple",
        "vrrp vrid 1 authentication-mode md5", "ospf authentication-mode simple", "snmp-agent community read",
        "params securityname", "authentication-mode md5", "privacy-mode des56", "authentication-mode password",
        "set authentication password cipher", "vrrp vrid 1 virtual-ip 10.10.10.254"],
}


@pytest.mark.parametrize("name", sorted(SECRETS))
@pytest.mark.parametrize("platform", ["huawei_vrp", None])
def test_every_vrp_secret_is_redacted_and_the_rest_kept(name, platform):
    text = (CONFIGS / name).read_text()
    out = redact(text, platform)
    assert all(s in text for s in SECRETS[name])
    assert [s for s in SECRETS[name] if s in out] == []
    assert out.count(REDACTED) >= len(SECRETS[name])
    assert [k for k in KEEP[name] if k not in out] == []
    assert len(out.splitlines()) == len(text.splitlines())
    assert redact(out, platform) == out  # idempotent


@pytest.mark.parametrize("line, expected", [
    (" local-user admin password irreversible-cipher $1a$Xy,Kp9$abc/def~$",
     f" local-user admin password irreversible-cipher {REDACTED}"),
    (" local-user admin password cipher %@%@d!Q8%@%@", f" local-user admin password cipher {REDACTED}"),
    ("snmp-agent community read public mib-view v", f"snmp-agent community read {REDACTED} mib-view v"),
    ("snmp-agent community complexity-check disable", "snmp-agent community complexity-check disable"),
    (" hwtacacs-server shared-key cipher %^%#k%^%#", f" hwtacacs-server shared-key cipher {REDACTED}"),
    (" radius-server authentication 192.0.2.41 1812 shared-key cipher %^%#r%^%#",
     f" radius-server authentication 192.0.2.41 1812 shared-key cipher {REDACTED}"),
    (" peer 10.0.0.2 password cipher %^%#p%^%#", f" peer 10.0.0.2 password cipher {REDACTED}"),
    (" peer 10.0.0.2 keychain KC-1", " peer 10.0.0.2 keychain KC-1"),
    (" ospf authentication-mode md5 1 cipher %^%#o%^%#", f" ospf authentication-mode md5 1 cipher {REDACTED}"),
    (" ospf authentication-mode keychain KC-1", " ospf authentication-mode keychain KC-1"),
    (" isis authentication-mode md5 cipher %^%#i%^%# send-only", f" isis authentication-mode md5 cipher {REDACTED} send-only"),
    (" pre-shared-key cipher %^%#k%^%#", f" pre-shared-key cipher {REDACTED}"),
    (" pre-shared-key simple IkePlain", f" pre-shared-key simple {REDACTED}"),
    (" md5-password plain 10.0.0.3 LdpPlain", f" md5-password plain 10.0.0.3 {REDACTED}"),
    (" wpa2 psk pass-phrase cipher %^%#w%^%# aes", f" wpa2 psk pass-phrase cipher {REDACTED} aes"),
    ("snmp-agent usm-user v3 u1 authentication-mode sha cipher %^%#a%^%# privacy-mode aes128 cipher %^%#p%^%#",
     f"snmp-agent usm-user v3 u1 authentication-mode sha cipher {REDACTED} privacy-mode aes128 cipher {REDACTED}"),
    ("snmp-agent target-host trap address udp-domain 192.0.2.9 params securityname nms-v3user v3 privacy",
     "snmp-agent target-host trap address udp-domain 192.0.2.9 params securityname nms-v3user v3 privacy"),
    # a cipher in output with no keyword before it (display of a template, a log line)
    ("  Shared-key: %^%#abc123%^%#", f"  Shared-key: {REDACTED}"),
    (" authentication-mode hwtacacs local", " authentication-mode hwtacacs local"),
    (" ospf authentication-mode md5 1 OldOspfKey", f" ospf authentication-mode md5 1 {REDACTED}"),
    (" ospf authentication-mode md5 12345", f" ospf authentication-mode md5 {REDACTED}"),
    (" rip authentication-mode md5 usual RipUsualKey", f" rip authentication-mode md5 usual {REDACTED}"),
    (" rip authentication-mode md5 nonstandard cipher %^%#r%^%# 1",
     f" rip authentication-mode md5 nonstandard cipher {REDACTED} 1"),
    (" ntp-service authentication-keyid 1 authentication-mode md5 NtpPlainKey",
     f" ntp-service authentication-keyid 1 authentication-mode md5 {REDACTED}"),
    (" vrrp vrid 1 authentication-mode simple VrrpPlain", f" vrrp vrid 1 authentication-mode simple {REDACTED}"),
    (" description plain old uplink", " description plain old uplink"),
])
def test_vrp_lines(line, expected):
    assert redact(line, "huawei_vrp") == expected


def test_a_cipher_marker_inside_a_secret_is_not_taken_for_its_end():
    # the first marker pair ends the cipher; what follows the space is not part of it
    out = redact("snmp-agent community read cipher %^%#abc%^%# mib-view iso-view", "huawei_vrp")
    assert out == f"snmp-agent community read cipher {REDACTED} mib-view iso-view"


def test_display_snmp_agent_community_output():
    # VRP 5 prints the community and a group named after it; VRP 8 a cipher with quotes and
    # semicolons in it (ntc-templates' capture layout)
    text = ("   Community name:Vrp5PublicRo\n       Group name:Vrp5PublicRo\n       Acl:2000\n\n"
            "   Community name: %^%#9Fx.Q|,$9%{xZ\"k)`q><)~;%aTv*'m#<>Y#(^h1%^%# \n   Storage type: nonVolatile \n")
    out = redact(text, "huawei_vrp")
    assert "Vrp5PublicRo" not in out and "9Fx.Q" not in out and "aTv" not in out
    assert out.count(REDACTED) == 3 and "Acl:2000" in out and "Storage type: nonVolatile" in out
