"""Redaction on realistic configuration text (IOS, IOS-XR, FRR, Junos, EOS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.devices.redact import REDACTED, redact

CONFIGS = Path(__file__).resolve().parents[2] / "fixtures" / "devices" / "redaction"

SECRETS = ["0822455D0A16", "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "$9$aaaa$bbbbccccdddd", "c0mmun1ty-RO",
           "Rw-Pr1vate", "Ps3Key!", "094F471A1A0A", "TacacsKey99", "RadiusKey77", "ospf-md5-pw",
           "bgp-s3cret", "vty-pass", "zebra-pass", "$6$saltsalt$hashhashhash", "$9$P8Ek8Lxdbs2aUDj",
           "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", "snmpAuthPass1", "snmpPrivPass1", "AristaSha512Hash",
           "juniper-community", "01100F175804XR", "1514191F7A7F6B", "XrTrapComm", "0822455D0A16NTP",
           "03374B0A1F5A4D", "0508071C2D3E4F", "1511021F0725XR", "13061E010803XR", "094F471A1A0ALDP",
           "HsrpXrPlain", "VrrpXrText", "DynAuthKey7", "Vq4nB0dLxr10SecretHashValueZ", "VrfTrapComm"]


@pytest.mark.parametrize("name", ["cisco_ios.txt", "frr.txt", "junos.txt", "arista_eos.txt", "cisco_xr.txt"])
def test_every_secret_is_redacted(name):
    text = (CONFIGS / name).read_text()
    out = redact(text)
    present = [s for s in SECRETS if s in text]
    assert present, "fixture should contain secrets"
    assert not [s for s in present if s in out]
    assert REDACTED in out
    # Redaction changes secrets only: every line keeps its keyword context.
    assert len(out.splitlines()) <= len(text.splitlines())


def test_descriptions_and_plain_config_are_untouched():
    text = (CONFIGS / "cisco_ios.txt").read_text()
    out = redact(text)
    for keep in ("description uplink to password-reset server", "router bgp 65010", "ip address 10.20.0.1 255.255.255.252"):
        assert keep in out


def test_idempotent_and_none_safe():
    text = (CONFIGS / "frr.txt").read_text()
    assert redact(redact(text)) == redact(text)
    assert redact(None) is None and redact("") == ""


def test_xr_configuration_with_the_xr_rules():
    """The IOS-XR rules alone (platform ``cisco_xr``) catch every secret of an XR configuration
    and keep the keyword context (``secret 10``, ``password encrypted``, ``key-string password``)."""
    text = (CONFIGS / "cisco_xr.txt").read_text()
    out = redact(text, "cisco_xr")
    present = [s for s in SECRETS if s in text]
    assert len(present) >= 15 and not [s for s in present if s in out]
    for keep in (" secret 10 <redacted>", "  password encrypted <redacted>", "  key-string password <redacted>",
                 " authentication-key 1 md5 encrypted <redacted>", "    authentication <redacted>",
                 "  authentication message-digest", " description router-id; password-reset portal is elsewhere",
                 "hostname PE1-XR"):
        assert keep in out, keep
    assert len(out.splitlines()) == len(text.splitlines())
