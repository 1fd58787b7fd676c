from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from netops.errors import ParameterError
from netops.playbook.params import Param, parse_kv, validate_params


def P(**spec):
    return TypeAdapter(Param).validate_python(spec)


DECL = {
    "ip": P(type="ip"), "v4": P(type="ipv4"), "pfx": P(type="prefix"), "ifname": P(type="interface"),
    "asn": P(type="asn"), "cost": P(type="int", min=1, max=65535), "mode": P(type="enum", choices=["in", "out"]),
    "desc": P(type="description", max_length=20),
}
GOOD = {"ip": "2001:DB8::1", "v4": "198.51.100.2", "pfx": "203.0.113.0/24", "ifname": "eth-r2",
        "asn": "4294967295", "cost": "50", "mode": "in", "desc": "to r2, panel 4"}


def test_valid_values_are_canonical():
    out = validate_params(DECL, GOOD)
    assert out["ip"] == "2001:db8::1" and out["asn"] == 4294967295 and out["cost"] == 50
    assert out["desc"] == "to r2, panel 4"


@pytest.mark.parametrize("name,value,message", [
    ("ip", "198.51.100.300", "not an IP address"),
    ("v4", "2001:db8::1", "not an IPV4 address"),
    ("pfx", "203.0.113.1/24", "host bits set; did you mean 203.0.113.0/24"),
    ("pfx", "203.0.113.0", "address/length"),
    ("ifname", "eth r2", "not an interface name"),
    ("asn", "0", "out of range 1..4294967295"),
    ("asn", "4294967296", "out of range"),
    ("asn", "65001.5", "not an AS number"),
    ("cost", "0", "out of range 1..65535"),
    ("cost", "ten", "not an integer"),
    ("mode", "both", "not one of in, out"),
    ("desc", "x" * 21, "at most 20"),
])
def test_each_type_has_a_clear_message(name, value, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(".", r"\.")) as ei:
        validate_params(DECL, {**GOOD, name: value})
    assert ei.value.message.startswith(f"parameter {name}:")


@pytest.mark.parametrize("value", [
    "ok\nend", "ok\r\nreload", "x; reload", "hi ! comment", "a | include x", "tab\there", "bell\x07",
    "{{ config }}", "{% for x in y %}", "{# c #}", "end", "exit", "do show run", "write memory",
    "$(reboot)", "`id`", "a\u2028b", "back\\slash",
])
def test_injection_attempts_rejected(value):
    with pytest.raises(ParameterError):
        validate_params(DECL, {**GOOD, "desc": value[:20]} if len(value) <= 20 else {**GOOD, "desc": value})


def test_unknown_and_missing():
    with pytest.raises(ParameterError, match="unknown parameter"):
        validate_params(DECL, {**GOOD, "extra": "1"})
    missing = dict(GOOD)
    del missing["asn"]
    with pytest.raises(ParameterError, match="missing parameter asn"):
        validate_params(DECL, missing)


def test_parse_kv():
    assert parse_kv(["a=1", "b=x=y"]) == {"a": "1", "b": "x=y"}
    for bad in (["a"], ["a=1", "a=2"], ["1a=2"]):
        with pytest.raises(ParameterError):
            parse_kv(bad)


def test_an_enum_choice_the_manifest_declares_is_valid_even_if_it_is_a_cli_word():
    """ixp-peer-maintenance declares action: [start, end]; 'end' was refused as a CLI mode command,
    so the end of a peer maintenance could never run. A declared choice is vetted content; free
    text with the same word is still refused."""
    spec = TypeAdapter(Param).validate_python({"type": "enum", "choices": ["start", "end"], "example": "start"})
    assert validate_params({"action": spec}, {"action": "end"}) == {"action": "end"}
    with pytest.raises(ParameterError, match="not one of|not allowed"):
        validate_params({"action": spec}, {"action": "end exit"})
    desc = TypeAdapter(Param).validate_python({"type": "description", "example": "x"})
    with pytest.raises(ParameterError, match="CLI mode command"):
        validate_params({"d": desc}, {"d": "end"})
